"""TIME004 time.hidden-stage-requirement: a field a stage requires is not on the role's view."""

from __future__ import annotations

from pathlib import Path

from cfglint.model import SourceLocation
from cfglint.readers import read
from cfglint.readers.roles import load_roles
from tests.conftest import FIXTURES
from tests.rules.helpers import findings_of, summary

HIDDEN_FIELD = FIXTURES / "budget" / "hidden-field"
LOSS_RULE = (
    "force-app/main/default/objects/Opportunity/validationRules/"
    "Loss_Reason_Required.validationRule-meta.xml"
)


def test_fails_for_a_stage_field_and_a_rule_field_missing_from_the_ae_layout() -> None:
    findings = findings_of("TIME004", "TIME004/fail.yaml")
    assert summary(findings) == [
        ("Opportunity.Proposal_Date__c",
         "role ae cannot see Opportunity.Proposal_Date__c on layout:Opportunity-AE Layout, but "
         "the stage requires it to move Opportunity to 'Proposal'"),
        ("Opportunity.Loss_Reason__c",
         "role ae cannot see Opportunity.Loss_Reason__c on layout:Opportunity-AE Layout, but "
         "validation:Opportunity.Loss_Reason_Required requires it (\"Choose a loss reason.\") to "
         "move Opportunity to 'Closed Lost'"),
    ]
    # At the field for a stage requirement, at the rule for a validation rule.
    assert [finding.location for finding in findings] == [
        SourceLocation("fail.yaml", 11), SourceLocation("fail.yaml", 14),
    ]
    assert findings[1].data == {
        "role": "role:ae", "field": "Opportunity.Loss_Reason__c", "stage": "Closed Lost",
        "pipeline": "pipeline:Opportunity.Sales", "view": "layout:Opportunity-AE Layout",
        "source": "validation-rule", "rule": "validation:Opportunity.Loss_Reason_Required",
    }


def test_passes_when_every_role_sees_what_its_moves_require() -> None:
    assert findings_of("TIME004", "TIME004/pass.yaml") == []


def test_budget_hidden_field_fixture_with_inferred_roles() -> None:
    findings = findings_of("TIME004", HIDDEN_FIELD)
    assert summary(findings) == [
        ("Opportunity.Loss_Reason__c",
         "role ae cannot see Opportunity.Loss_Reason__c on layout:Opportunity-AE Layout, but "
         "validation:Opportunity.Loss_Reason_Required requires it (\"Choose a loss reason before "
         "you close the opportunity as lost.\") to move Opportunity to 'Closed Lost'"),
    ]
    assert findings[0].location == SourceLocation(LOSS_RULE, 2)


def test_roles_file_replaces_inferred_roles(tmp_path: Path) -> None:
    # A role that only creates deals makes no stage moves, so nothing is hidden from it.
    roles_file = tmp_path / "roles.yaml"
    roles_file.write_text(
        "version: 1\n"
        "roles:\n"
        "  opener: {profiles: [AE], objects: [Opportunity], tasks: [create]}\n",
        encoding="utf-8",
    )
    org = read(HIDDEN_FIELD)
    assert findings_of("TIME004", org, roles=load_roles(roles_file, org)) == []


def test_role_without_a_view_is_not_checked() -> None:
    # With its assignments gone, what the AE's view shows is unknown: no finding.
    org = read(FIXTURES / "rules" / "TIME004" / "fail.yaml")
    org.view_assignments = [a for a in org.view_assignments if a.profile_id != "profile:AE"]
    assert findings_of("TIME004", org) == []


def test_sample_orgs_have_no_hidden_stage_requirements() -> None:
    # acme's only stage gate (Next_Step_Detail__c at Proposal/Price Quote) is on its layout.
    assert findings_of("TIME004", FIXTURES / "acme-sfdx") == []
    assert findings_of("TIME004", FIXTURES / "hubspot-yaml") == []
