"""Hand-built lint results for the formatter tests: two fake rules, no real ones.

The sample result holds, in the engine's order (path, line, rule, element):

- a project-wide DEBT901 info (no location),
- a CFG001 parse error the engine made itself (no RuleSpec describes it),
- a REQ901 error with line and column,
- a REQ901 warning (severity configured down) with a line only,
- a DEBT901 info whose message needs escaping everywhere (``|``, ``%``, ``:``, ``,``, newline,
  ``<tag>``) in a file whose name has a space and a comma;

plus one finding suppressed in source and one by the baseline, and a skipped rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cfglint.lint import LintResult
from cfglint.model import Org, SourceLocation
from cfglint.rules import RuleSpec
from cfglint.rules.base import Finding, Options, Problem, Severity

REQ_DOC = """Too many fields are required when a record is created.

Every required field is one more thing a rep must know before saving.

Why it matters:
Reps abandon records or type placeholders.

Failing example
---------------
    <required>true</required> on 14 fields

## How to fix
Require fields at the stage where they are known."""


def check_nothing(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    """A fake check; the formatter tests never run rules."""
    yield from ()


def fake_rule(rule_id: str, name: str, severity: Severity, doc: str) -> RuleSpec:
    return RuleSpec(
        id=rule_id, name=name, severity=severity, options_schema={}, check=check_nothing, doc=doc
    )


RULES = {
    "DEBT901": fake_rule("DEBT901", "debt.fake-orphan", Severity.INFO, "Fields nobody uses."),
    "REQ901": fake_rule("REQ901", "required.fake-too-many", Severity.ERROR, REQ_DOC),
}

OPP = "objects/Opportunity/Opportunity.object-meta.xml"
ODD = "layouts/Opportunity-Sales, Layout.layout-meta.xml"


def finding(
    rule_id: str,
    severity: Severity,
    message: str,
    element_id: str,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
    data: dict[str, Any] | None = None,
) -> Finding:
    location = SourceLocation(path, line, column) if path is not None else None
    name = RULES[rule_id].name if rule_id in RULES else "cfglint.parse-error"
    return Finding(rule_id, name, severity, message, element_id, location, data or {})


def sample_findings() -> list[Finding]:
    findings = [
        finding("DEBT901", Severity.INFO, "Flow Close_Won is never triggered", "flow:Close_Won"),
        finding("CFG001", Severity.ERROR, "XML is not well-formed: mismatched tag",
                "objects/Broken.object", "objects/Broken.object", 7, 3),
        finding("REQ901", Severity.ERROR, "14 fields are required at create (budget 8)",
                "Opportunity", OPP, 12, 5, {"required": 14, "budget": 8, "roles": {"ae", "sdr"}}),
        finding("REQ901", Severity.WARNING, "Lead requires 9 fields", "Lead",
                "objects/Lead/Lead.object-meta.xml", 4),
        finding("DEBT901", Severity.INFO, "50% of a|b: <tag>, said\nsomeone",
                "layout:Opportunity-Sales, Layout", ODD, 2, 1),
    ]
    return sorted(findings, key=Finding.sort_key)


def sample_result(root: str = ".") -> LintResult:
    return LintResult(
        root=root,
        findings=sample_findings(),
        rules=dict(RULES),
        suppressed=[
            (finding("REQ901", Severity.ERROR, "Account requires 10 fields", "Account",
                     "objects/Account/Account.object-meta.xml", 3), "inSource"),
            (finding("DEBT901", Severity.INFO, "Field Old__c is unused", "Account.Old__c",
                     "objects/Account/fields/Old__c.field-meta.xml"), "external"),
        ],
        skipped_rules={"TIME901": "needs usage data (pass --usage)"},
        files_read=42,
    )


def clean_result() -> LintResult:
    return LintResult(root=".", findings=[], rules=dict(RULES), files_read=3)


@pytest.fixture
def result() -> LintResult:
    return sample_result()


@pytest.fixture
def clean() -> LintResult:
    return clean_result()


@pytest.fixture
def make_result() -> Callable[..., LintResult]:
    return sample_result
