"""INTG: integration readiness rules, on their fixtures, the sample orgs and a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import findings_of, summary

ACME_SFDX = FIXTURES / "acme-sfdx"
ACME_MDAPI = FIXTURES / "acme-mdapi"
HUBSPOT_YAML = FIXTURES / "hubspot-yaml"

EMAIL_LOST = "emails with customers stay out of the CRM unless reps log each one by hand"
SALESFORCE_UNKNOWN = (
    "integration:activity-capture",
    "email and calendar capture are unknown: cfglint does not read Salesforce's Einstein "
    "Activity Capture and Inbox settings yet; declare them as integrations of kind "
    "email-capture / calendar-sync in cfglint YAML, or turn INTG002 off once checked",
)


# --- INTG001 integration.no-activity-capture --------------------------------------------------


def test_intg001_fail_disabled() -> None:
    findings = findings_of("INTG001", "INTG001/fail.yaml")
    assert summary(findings) == [
        (
            "integration:email-capture",
            f"email capture is declared but not enabled (email-capture): {EMAIL_LOST}",
        ),
    ]
    assert str(findings[0].location) == "fail.yaml:5"


def test_intg001_fail_undeclared() -> None:
    findings = findings_of("INTG001", "INTG001/fail-undeclared.yaml")
    assert summary(findings) == [
        (
            "integration:email-capture",
            f"no email capture among the integrations (calendar-sync, slack): {EMAIL_LOST}",
        ),
    ]
    # Points at the first integration declared: where the missing one belongs.
    assert str(findings[0].location) == "fail-undeclared.yaml:5"


def test_intg001_pass_activity_capture_covers_both() -> None:
    assert findings_of("INTG001", "INTG001/pass.yaml") == []


def test_intg001_calendar_checked_separately() -> None:
    findings = findings_of("INTG001", "INTG002/pass.yaml")
    assert [finding.element_id for finding in findings] == ["integration:calendar-sync"]
    assert findings[0].message.startswith("calendar capture is declared but not enabled")


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI, "INTG002/fail.yaml"])
def test_intg001_silent_when_nothing_is_known(project: Path | str) -> None:
    assert findings_of("INTG001", project) == []


def test_intg001_hubspot_sample() -> None:
    assert summary(findings_of("INTG001", HUBSPOT_YAML)) == [
        (
            "integration:email-capture",
            f"email capture is declared but not enabled (email-capture): {EMAIL_LOST}",
        ),
    ]


# --- INTG002 integration.activity-capture-unknown ---------------------------------------------


def test_intg002_fail_yaml() -> None:
    findings = findings_of("INTG002", "INTG002/fail.yaml")
    assert summary(findings) == [
        (
            "integration:activity-capture",
            "email and calendar capture are unknown: the configuration declares no "
            "integrations; declare them as integrations of kind email-capture / calendar-sync "
            "in cfglint YAML, or turn INTG002 off once checked",
        ),
    ]
    assert findings[0].location is None  # a project-wide finding
    assert findings[0].severity.value == "info"


def test_intg002_pass() -> None:
    assert findings_of("INTG002", "INTG002/pass.yaml") == []
    assert findings_of("INTG002", HUBSPOT_YAML) == []


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_intg002_acme(project: Path) -> None:
    assert summary(findings_of("INTG002", project)) == [SALESFORCE_UNKNOWN]


def test_intg_on_a_corpus() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    assert findings_of("INTG001", org) == []
    assert summary(findings_of("INTG002", org)) == [SALESFORCE_UNKNOWN]
