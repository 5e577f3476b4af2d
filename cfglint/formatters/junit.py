"""JUnit XML, for CI dashboards (GitLab, Jenkins, Azure DevOps, CircleCI test reports).

Layout: ``<testsuites name="cfglint">`` holds one ``<testsuite>`` per rule (named ``ID name``),
in id order, for every rule that ran, every rule a finding names, and every skipped rule:

- each finding is a ``<testcase>`` with a ``<failure message=… type=severity>`` whose body repeats
  the text-format line and names the element; findings of every severity are failures — ``type``
  says which, and ``cfglint --fail-on`` decides whether the job fails;
- a rule with no findings gets one passing ``<testcase>``, so dashboards show what was checked;
- a skipped rule gets one ``<testcase>`` with ``<skipped message=reason>``.

Test cases are named after the element and its location (``Opportunity.Amount
(objects/Opportunity.object:12)``), with `` [2]``, `` [3]``… when a rule reports the same name more
than once; ``classname`` is ``cfglint.FAMILY.ID`` so tools that split on the last dot show the
family as the package and the rule as the class; ``file`` and ``line`` are set when known.
Suppressed findings are left out (they are in the JSON and SARIF outputs). There are no
timestamps or durations, so the same findings give the same bytes. Characters XML 1.0 cannot hold
are replaced with U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from cfglint.formatters.common import RuleInfo, rule_infos, shown_path
from cfglint.formatters.text import finding_line
from cfglint.lint import LintResult
from cfglint.rules.base import Finding, Severity

# Everything outside XML 1.0's Char production (control characters, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def format_junit(result: LintResult) -> str:
    suites = ET.Element("testsuites", name="cfglint")
    findings_by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings_by_rule.setdefault(finding.rule_id, []).append(finding)
    for rule in _rules(result):
        suites.append(_suite(rule, findings_by_rule.get(rule.id, []), result))
    _set_counts(suites, list(suites))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _rules(result: LintResult) -> list[RuleInfo]:
    rules = {rule.id: rule for rule in rule_infos(result)}
    for rule_id in result.skipped_rules:
        if rule_id not in rules:
            # Only the id is known; the severity is a placeholder the suite never shows.
            rules[rule_id] = RuleInfo(rule_id, rule_id, Severity.INFO, rule_id, "")
    return [rules[rule_id] for rule_id in sorted(rules)]


def _suite(rule: RuleInfo, findings: list[Finding], result: LintResult) -> ET.Element:
    title = rule.id if rule.name == rule.id else f"{rule.id} {rule.name}"
    suite = ET.Element("testsuite", name=_clean(title))
    classname = f"cfglint.{rule.family}.{rule.id}"
    if rule.id in result.skipped_rules:
        case = ET.SubElement(suite, "testcase", name=_clean(rule.summary), classname=classname)
        ET.SubElement(case, "skipped", message=_clean(result.skipped_rules[rule.id]))
    elif not findings:
        ET.SubElement(suite, "testcase", name=_clean(rule.summary), classname=classname)
    names: Counter[str] = Counter()
    for finding in findings:
        name = _case_name(finding, result.root)
        names[name] += 1
        if names[name] > 1:
            name = f"{name} [{names[name]}]"
        suite.append(_failed_case(finding, result.root, name, classname))
    _set_counts(suite, [suite])
    return suite


def _case_name(finding: Finding, root: str) -> str:
    path = shown_path(root, finding.path)
    if not path:
        return finding.element_id
    line = finding.line
    return f"{finding.element_id} ({path}:{line})" if line else f"{finding.element_id} ({path})"


def _failed_case(finding: Finding, root: str, name: str, classname: str) -> ET.Element:
    case = ET.Element("testcase", name=_clean(name), classname=classname)
    path = shown_path(root, finding.path)
    if path:
        case.set("file", _clean(path))
        if finding.line is not None:
            case.set("line", str(finding.line))
    failure = ET.SubElement(
        case, "failure", message=_clean(finding.message), type=finding.severity.value
    )
    failure.text = _clean(f"{finding_line(finding, root)}\nelement: {finding.element_id}\n")
    return case


def _set_counts(element: ET.Element, suites: list[ET.Element]) -> None:
    cases = [case for suite in suites for case in suite.iter("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", "0")
    element.set("skipped", str(sum(1 for case in cases if case.find("skipped") is not None)))


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)

