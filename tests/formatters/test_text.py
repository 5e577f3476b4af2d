"""The text format: exact lines and summary."""

from __future__ import annotations

import re

from cfglint.formatters.text import finding_line, format_text
from cfglint.lint import LintResult
from cfglint.rules.base import Severity
from tests.formatters.conftest import clean_result, finding, sample_result

EXPECTED_FINDINGS = [
    ".: DEBT901 [info] Flow Close_Won is never triggered",
    "layouts/Opportunity-Sales, Layout.layout-meta.xml:2:1: DEBT901 [info] "
    "50% of a|b: <tag>, said someone",
    "objects/Broken.object:7:3: CFG001 [error] XML is not well-formed: mismatched tag",
    "objects/Lead/Lead.object-meta.xml:4: REQ901 [warning] Lead requires 9 fields",
    "objects/Opportunity/Opportunity.object-meta.xml:12:5: REQ901 [error] "
    "14 fields are required at create (budget 8)",
]

EXPECTED_SUMMARY = """\
Found 5 findings (2 errors, 1 warning, 2 infos).

family  errors  warnings  infos
CFG          1         0      0
REQ          1         1      0
DEBT         0         0      2

2 findings suppressed (1 in source, 1 by configuration or baseline).

Skipped 1 rule:
  TIME901: needs usage data (pass --usage)
"""

LINE = re.compile(r"^(?P<path>[^:]+)(?::\d+(?::\d+)?)?: [A-Z]+\d+ \[(error|warning|info)\] .+$")


def test_sample_result() -> None:
    expected = "\n".join(EXPECTED_FINDINGS) + "\n\n" + EXPECTED_SUMMARY
    assert format_text(sample_result()) == expected


def test_every_finding_line_has_the_same_greppable_shape() -> None:
    lines = format_text(sample_result()).split("\n\n")[0].splitlines()
    assert len(lines) == 5
    assert all(LINE.match(line) for line in lines)


def test_clean_result() -> None:
    assert format_text(clean_result()) == "No findings.\n"


def test_clean_result_still_reports_suppressed_and_skipped() -> None:
    result = sample_result()
    result.findings = []
    assert format_text(result) == (
        "No findings.\n"
        "\n"
        "2 findings suppressed (1 in source, 1 by configuration or baseline).\n"
        "\n"
        "Skipped 1 rule:\n"
        "  TIME901: needs usage data (pass --usage)\n"
    )


def test_paths_are_shown_under_a_relative_root() -> None:
    text = format_text(sample_result("./force-app"))
    assert "force-app/objects/Lead/Lead.object-meta.xml:4: REQ901 [warning]" in text
    # A finding without a location is shown at the root as given.
    assert text.startswith("./force-app: DEBT901 [info] Flow Close_Won is never triggered\n")


def test_location_parts_are_left_out_when_unknown() -> None:
    no_line = finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml")
    line_only = finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml", 3)
    no_location = finding("REQ901", Severity.ERROR, "m", "Lead")
    assert finding_line(no_line, ".") == "a.xml: REQ901 [error] m"
    assert finding_line(line_only, ".") == "a.xml:3: REQ901 [error] m"
    assert finding_line(no_location, "") == ".: REQ901 [error] m"


def test_singular_counts() -> None:
    one = LintResult(
        root=".", findings=[finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml", 1)], rules={}
    )
    assert "Found 1 finding (1 error, 0 warnings, 0 infos)." in format_text(one)


def test_unknown_family_sorts_after_known_ones() -> None:
    findings = [
        finding("ZZZ1", Severity.INFO, "m", "x", "a.xml", 1),
        finding("REQ901", Severity.ERROR, "m", "Lead", "b.xml", 1),
    ]
    table = format_text(LintResult(root=".", findings=findings, rules={})).splitlines()[-2:]
    assert table == ["REQ          1         0      0", "ZZZ          0         0      1"]
