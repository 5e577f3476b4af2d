"""The JUnit XML format: parses, and lays out one suite per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lxml import etree

from cfglint.formatters.junit import format_junit
from cfglint.lint import LintResult
from cfglint.rules.base import Severity
from tests.formatters.conftest import RULES, clean_result, finding, sample_result


def parse(result: LintResult) -> ET.Element:
    text = format_junit(result)
    etree.fromstring(text.encode("utf-8"))  # a strict second parser agrees it is XML
    return ET.fromstring(text)


def test_starts_with_an_xml_declaration() -> None:
    assert format_junit(clean_result()).startswith('<?xml version="1.0" encoding="UTF-8"?>\n')


def test_one_suite_per_rule_in_id_order_with_counts() -> None:
    root = parse(sample_result())
    assert root.tag == "testsuites"
    assert root.attrib == {
        "name": "cfglint", "tests": "6", "failures": "5", "errors": "0", "skipped": "1"
    }
    suites = [(suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("skipped"))
              for suite in root]
    assert suites == [
        ("CFG001 cfglint.parse-error", "1", "1", "0"),
        ("DEBT901 debt.fake-orphan", "2", "2", "0"),
        ("REQ901 required.fake-too-many", "2", "2", "0"),
        ("TIME901", "1", "0", "1"),
    ]


def test_each_finding_is_a_failed_testcase() -> None:
    root = parse(sample_result())
    case = root.findall("testsuite")[2].findall("testcase")[1]
    assert case.attrib == {
        "name": "Opportunity (objects/Opportunity/Opportunity.object-meta.xml:12)",
        "classname": "cfglint.REQ.REQ901",
        "file": "objects/Opportunity/Opportunity.object-meta.xml",
        "line": "12",
    }
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib == {
        "message": "14 fields are required at create (budget 8)", "type": "error"
    }
    assert failure.text == (
        "objects/Opportunity/Opportunity.object-meta.xml:12:5: REQ901 [error] "
        "14 fields are required at create (budget 8)\nelement: Opportunity\n"
    )


def test_project_wide_finding_has_no_file() -> None:
    case = parse(sample_result()).findall("testsuite")[1].findall("testcase")[0]
    assert case.attrib == {"name": "flow:Close_Won", "classname": "cfglint.DEBT.DEBT901"}


def test_message_with_newline_and_markup_survives() -> None:
    case = parse(sample_result()).findall("testsuite")[1].findall("testcase")[1]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "50% of a|b: <tag>, said\nsomeone"
    assert failure.get("type") == "info"


def test_rules_without_findings_pass_and_skipped_rules_are_skipped() -> None:
    root = parse(clean_result())
    assert root.attrib["tests"] == "2" and root.attrib["failures"] == "0"
    cases = [suite.find("testcase") for suite in root]
    assert [case.attrib if case is not None else None for case in cases] == [
        {"name": "Fields nobody uses", "classname": "cfglint.DEBT.DEBT901"},
        {"name": "Too many fields are required when a record is created",
         "classname": "cfglint.REQ.REQ901"},
    ]
    assert all(case is not None and len(case) == 0 for case in cases)
    skipped = parse(sample_result()).findall("testsuite")[3].find("testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "needs usage data (pass --usage)"


def test_same_name_twice_is_numbered() -> None:
    twice = [
        finding("REQ901", Severity.ERROR, "first", "Lead", "a.xml", 1),
        finding("REQ901", Severity.ERROR, "second", "Lead", "a.xml", 1),
    ]
    suite = parse(LintResult(root=".", findings=twice, rules=dict(RULES))).findall("testsuite")[1]
    assert [case.get("name") for case in suite] == ["Lead (a.xml:1)", "Lead (a.xml:1) [2]"]


def test_characters_xml_cannot_hold_are_replaced() -> None:
    bad = finding("REQ901", Severity.ERROR, "bell\x07 and \x1b[0m escape", "Le\x00ad", "a.xml", 1)
    root = parse(LintResult(root=".", findings=[bad], rules=dict(RULES)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bell\ufffd and \ufffd[0m escape"


def test_suppressed_findings_are_left_out() -> None:
    assert "Account requires 10 fields" not in format_junit(sample_result())
