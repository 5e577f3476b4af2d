"""The GitHub Actions format: workflow commands, escaped."""

from __future__ import annotations

import re

from cfglint.formatters.github import escape_data, escape_property, format_github
from cfglint.lint import LintResult
from cfglint.rules.base import Severity
from tests.formatters.conftest import RULES, clean_result, finding, sample_result

# ::command key=value,key=value::message, values free of raw separators and line breaks.
PROPERTY = r"[a-zA-Z]+=[^,:\r\n]*"
ANNOTATION = re.compile(
    rf"^::(?P<level>error|warning|notice)(?: (?P<properties>{PROPERTY}(?:,{PROPERTY})*))?"
    r"::(?P<message>[^\r\n]*)$"
)
GROUP = re.compile(r"^::group::[^\r\n]+$|^::endgroup::$")


def annotation_lines(result: LintResult) -> list[str]:
    return [line for line in format_github(result).splitlines() if not GROUP.match(line)]


def test_every_line_is_a_workflow_command() -> None:
    lines = format_github(sample_result()).splitlines()
    assert lines
    for line in lines:
        assert ANNOTATION.match(line) or GROUP.match(line), line


def test_commands_per_severity_with_location() -> None:
    assert annotation_lines(sample_result()) == [
        "::notice title=cfglint DEBT901::Flow Close_Won is never triggered",
        "::notice file=layouts/Opportunity-Sales%2C Layout.layout-meta.xml,line=2,col=1,"
        "title=cfglint DEBT901::50%25 of a|b: <tag>, said%0Asomeone",
        "::error file=objects/Broken.object,line=7,col=3,title=cfglint CFG001"
        "::XML is not well-formed: mismatched tag",
        "::warning file=objects/Lead/Lead.object-meta.xml,line=4,title=cfglint REQ901"
        "::Lead requires 9 fields",
        "::error file=objects/Opportunity/Opportunity.object-meta.xml,line=12,col=5,"
        "title=cfglint REQ901::14 fields are required at create (budget 8)",
    ]


def test_grouped_per_file() -> None:
    lines = format_github(sample_result()).splitlines()
    assert lines[0] == "::group::project-wide findings"
    assert lines[3] == "::group::layouts/Opportunity-Sales, Layout.layout-meta.xml"
    assert lines.count("::endgroup::") == 5


def test_paths_are_relative_to_where_cfglint_ran() -> None:
    assert "file=force-app/objects/Lead/Lead.object-meta.xml,line=4," in format_github(
        sample_result("force-app")
    )


def test_clean_result_prints_nothing() -> None:
    assert format_github(clean_result()) == ""


def test_escaping() -> None:
    assert escape_data("100%\r\nok: a,b") == "100%25%0D%0Aok: a,b"
    assert escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"


def test_more_annotations_than_github_shows_adds_a_notice() -> None:
    findings = [
        finding("REQ901", Severity.WARNING, f"w{index}", f"E{index}", "a.xml", index)
        for index in range(1, 12)
    ]
    lines = format_github(LintResult(root=".", findings=findings, rules=dict(RULES))).splitlines()
    assert lines[-1] == (
        "::notice title=cfglint::cfglint found 0 errors, 11 warnings, 0 infos; GitHub shows at "
        "most 10 annotations of each level per step, so see the log above (or upload SARIF) "
        "for all of them."
    )
    ten = findings[:10]
    assert "title=cfglint::" not in format_github(
        LintResult(root=".", findings=ten, rules=dict(RULES))
    )
