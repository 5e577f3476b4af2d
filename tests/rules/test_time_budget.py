"""TIME001–003: a role's stage move, create or call log estimated over its budget.

The seconds in the messages follow the A.2 formula (see tests/test_budget.py for the constants):
overheads are 15.8 s for a stage move (open 3.7, stage 4.8, edit 3.3, save 4.0) and 11.0 s
otherwise; a failed save reads the platform's 6-word message: T_read + T_save = 2.64 + 4.0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.readers import read
from cfglint.readers.roles import load_roles
from tests.conftest import FIXTURES
from tests.rules.helpers import findings_of, summary

WORKED_EXAMPLE = FIXTURES / "budget" / "worked-example"


def test_stage_move_over_budget() -> None:
    # NextStep 23.4 + summary 80.1 + amount 6.46 = 109.96; + 15.8;
    # failed save (1 − 0.95³) · 6.64 = 0.947: T = 126.71, band 100.1–153.3
    findings = findings_of("TIME001", "TIME001/fail.yaml")
    assert summary(findings) == [(
        "stage:Opportunity.Sales/Proposal",
        "role ae needs 127 s to move Opportunity to Proposal (band 100–153 s, budget 120 s); "
        "costliest: Opportunity.Proposal_Summary__c 80.1 s, Opportunity.NextStep 23.4 s",
    )]
    (finding,) = findings
    assert (finding.path, finding.line) == ("fail.yaml", 13)
    assert dict(finding.data) == {
        "role": "role:ae", "object": "Opportunity", "task": "stage-move:Proposal",
        "seconds": 126.71, "band": [100.1, 153.32], "budget": 120.0, "verdict": "over",
        "fields-seconds": 109.96, "overhead-seconds": 15.8, "failed-save-seconds": 0.95,
        "costliest": [{"field": "Opportunity.Proposal_Summary__c", "seconds": 80.1},
                      {"field": "Opportunity.NextStep", "seconds": 23.4}],
        "suggestion": ["Opportunity.Proposal_Summary__c"],
        "view": "layout:Opportunity-AE Layout",
    }


def test_stage_move_within_budget() -> None:
    # 23.4 + 6.46 + 15.8 + (1 − 0.95²) · 6.64 = 46.31 s: within 120 s, but not within 40 s
    assert findings_of("TIME001", "TIME001/pass.yaml") == []
    stricter = findings_of("TIME001", "TIME001/pass.yaml", options={"budget-seconds": 40})
    assert [finding.data["seconds"] for finding in stricter] == [46.31]


def test_create_over_budget() -> None:
    # Name 8.9 + Description 80.1 + loss reason 54.9 = 143.9; + 11.0; + 0.947 = 155.85
    assert summary(findings_of("TIME002", "TIME002/fail.yaml")) == [(
        "Opportunity",
        "role ae needs 156 s to create an Opportunity record (band 123–189 s, budget 120 s); "
        "costliest: Opportunity.Description 80.1 s, Opportunity.Loss_Reason__c 54.9 s",
    )]


def test_create_within_budget() -> None:
    # Name 8.9 + 11.0 + 0.05 · 6.64 = 20.23 s
    assert findings_of("TIME002", "TIME002/pass.yaml") == []
    stricter = findings_of("TIME002", "TIME002/pass.yaml", options={"budget-seconds": 20})
    assert [finding.data["seconds"] for finding in stricter] == [20.23]


def test_log_call_over_budget() -> None:
    # Subject 8.9 + Description (composed, 80 characters) 54.9 + 11.0 + 0.647 = 75.45
    assert summary(findings_of("TIME003", "TIME003/fail.yaml")) == [(
        "quickaction:Opportunity.LogACall",
        "role ae needs 75 s to log a call on Opportunity (band 60–91 s, budget 30 s); "
        "costliest: Task.Description 54.9 s, Task.Subject 8.9 s",
    )]


def test_log_call_within_budget() -> None:
    assert findings_of("TIME003", "TIME003/pass.yaml") == []
    stricter = findings_of("TIME003", "TIME003/pass.yaml", options={"budget-seconds": 20})
    assert [finding.data["seconds"] for finding in stricter] == [20.23]


def test_worked_example_with_its_roles_file() -> None:
    org = read(WORKED_EXAMPLE)
    roles = load_roles(WORKED_EXAMPLE / "roles.yaml", org)
    assert summary(findings_of("TIME001", org, roles=roles)) == [(
        "stage:Opportunity.Sales Process/Proposal",
        "role ae needs 160 s to move Opportunity to Proposal (band 126–194 s, budget 120 s); "
        "costliest: Opportunity.Proposal_Summary__c 80.1 s, Opportunity.NextStep 23.4 s",
    )]


@pytest.mark.parametrize("rule_id", ["TIME001", "TIME002", "TIME003"])
def test_no_roles_no_views_no_findings(rule_id: str, tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(
        "cfglint: 1\nplatform: salesforce\nobjects:\n  Opportunity:\n    fields:\n"
        "      Name: {type: text, required: true}\n", encoding="utf-8")
    assert findings_of(rule_id, tmp_path / "org.yaml") == []
