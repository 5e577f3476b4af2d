"""REQ rules: required-field burden, on their own fixtures, the sample orgs and the corpora."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from cfglint.config import EnabledRule
from cfglint.lint import SideInputs, run_rules
from cfglint.model import (
    CrmObject,
    Field,
    ObjectPermission,
    Org,
    Profile,
    ProfileKind,
    ViewAssignment,
)
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.views import HANDLERS as VIEW_HANDLERS
from cfglint.readers.xml import parse_xml_bytes
from cfglint.rules import all_rules
from cfglint.rules._req_common import RequirementIndex
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import RULE_FIXTURES, findings_of, summary

ACME = FIXTURES / "acme-sfdx"
HUBSPOT = FIXTURES / "hubspot-yaml"


# --- REQ001 too many required fields ---------------------------------------------------------


def test_req001_counts_the_heaviest_form_without_defaulted_or_system_fields() -> None:
    assert summary(findings_of("REQ001", "REQ001/fail.yaml")) == [
        ("deals", "deals has 8 required fields at create on view:deals.AE view (max 7): "
                  "amount, budget_note, closedate, competitor, dealname, dealstage, "
                  "decision_maker, next_step"),
    ]


def test_req001_finding_carries_its_numbers() -> None:
    [finding] = findings_of("REQ001", "REQ001/fail.yaml")
    assert finding.data["count"] == 8
    assert finding.data["max"] == 7
    assert finding.data["view"] == "view:deals.AE view"
    assert finding.location is not None and finding.location.line == 8


def test_req001_passes_under_the_limit_and_ignores_stage_conditioned_items() -> None:
    assert findings_of("REQ001", "REQ001/pass.yaml") == []


def test_req001_max_is_an_option() -> None:
    assert findings_of("REQ001", "REQ001/fail.yaml", options={"max-required": 8}) == []
    assert [f.element_id for f in findings_of(
        "REQ001", "REQ001/pass.yaml", options={"max-required": 3})] == ["deals"]


def test_req001_on_acme_opportunity() -> None:
    assert summary(findings_of("REQ001", ACME)) == [
        ("Opportunity",
         "Opportunity has 16 required fields at create on layout:Opportunity-Opportunity Layout "
         "(max 7): Champion_Name__c, CloseDate, Contract_Signed_Date__c, Contract_Value__c, "
         "Decision_Criteria__c, Discount_Percent__c, Implementation_Start__c, Loss_Reason__c, "
         "Name, Payment_Terms__c, PO_Number__c, Primary_Competitor__c, "
         "Products_of_Interest__c, Seats__c, StageName, Type"),
    ]


def test_req001_on_acme_mdapi_agrees_with_sfdx() -> None:
    assert summary(findings_of("REQ001", FIXTURES / "acme-mdapi")) == summary(
        findings_of("REQ001", ACME)
    )


def test_req001_on_hubspot_deals() -> None:
    assert summary(findings_of("REQ001", HUBSPOT)) == [
        ("deals", "deals has 11 required fields at create (max 7): amount, budget_confirmed, "
                  "closedate, competitor, contract_length_months, dealname, dealstage, dealtype, "
                  "decision_maker, hs_next_step, implementation_date"),
    ]


# --- REQ002 required field missing from a creating view ---------------------------------------


def test_req002_reports_views_creators_use() -> None:
    assert summary(findings_of("REQ002", "REQ002/fail.yaml")) == [
        ("view:deals.AE view",
         "view:deals.AE view lacks required field deals.region, but team:AE creates deals "
         "records with it: the save fails unless something else fills it"),
        ("view:deals.SDR view",
         "view:deals.SDR view lacks required field deals.amount, but team:SDR creates deals "
         "records with it: the save fails unless something else fills it"),
    ]


def test_req002_passes_when_every_creating_view_has_the_fields() -> None:
    assert findings_of("REQ002", "REQ002/pass.yaml") == []


def test_req002_sample_orgs_put_every_required_field_on_the_view() -> None:
    assert findings_of("REQ002", ACME) == []
    assert findings_of("REQ002", HUBSPOT) == []


LAYOUT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Layout xmlns="http://soap.sforce.com/2006/04/metadata">
    <layoutSections>
        <layoutColumns>
            <layoutItems><behavior>Required</behavior><field>Name</field></layoutItems>
        </layoutColumns>
    </layoutSections>
</Layout>
"""


def _salesforce_org(profile_create: bool | None) -> Org:
    """Opportunity with a required Region__c, a layout without it, assigned to one profile."""
    org = Org(platform="salesforce", source_format="sfdx")
    crm_object = CrmObject(name="Opportunity")
    crm_object.fields["Region__c"] = Field("Opportunity", "Region__c", required=True, custom=True)
    org.objects["Opportunity"] = crm_object
    context = ElementContext(
        path="layouts/Opportunity-Sales.layout-meta.xml", name="Opportunity-Sales",
        object_name="Opportunity",
    )
    VIEW_HANDLERS["Layout"](parse_xml_bytes(LAYOUT), context, org)
    profile = Profile(ProfileKind.PROFILE, "Rep")
    if profile_create is not None:
        profile.object_permissions.append(
            ObjectPermission("Opportunity", create=profile_create, read=True)
        )
    org.profiles[profile.id] = profile
    org.view_assignments.append(ViewAssignment("layout:Opportunity-Sales", "profile:Rep"))
    return org


@pytest.mark.parametrize(("create", "expected"), [(True, 1), (None, 1), (False, 0)])
def test_req002_follows_create_permission_or_assumes_it_when_unknown(
    create: bool | None, expected: int
) -> None:
    findings = findings_of("REQ002", _salesforce_org(create))
    assert len(findings) == expected
    if findings:
        assert findings[0].message == (
            "layout:Opportunity-Sales lacks required field Opportunity.Region__c, but "
            "profile:Rep creates Opportunity records with it: the save fails unless something "
            "else fills it"
        )
        assert findings[0].location is not None
        assert findings[0].location.path == "layouts/Opportunity-Sales.layout-meta.xml"


# --- REQ003 required before it is known --------------------------------------------------------


REQ003_FAIL = [
    ("Opportunity.Loss_Reason__c",
     "Opportunity.Loss_Reason__c is required at create, but stage 'Closed Lost' of "
     "pipeline:Opportunity.Sales requires it; require it only from that stage"),
    ("Opportunity.Next_Step__c",
     "Opportunity.Next_Step__c is required at create, but "
     "validation:Opportunity.Next_Step_at_Proposal requires it only at stage 'Proposal'; "
     "require it only from that stage"),
    ("Opportunity.Competitor__c",
     "Opportunity.Competitor__c is required at create, but role:ae only knows it from stage "
     "'Qualification'; require it only from that stage"),
    ("Opportunity.Renewal_Date__c",
     "Opportunity.Renewal_Date__c is required at create, but its name marks a fact known only "
     "late in the deal (matches 'renewal'); require it only from the stage where it becomes "
     "known"),
    ("Opportunity.Budget__c",
     "Opportunity.Budget__c is required at create, but flexipage:Opportunity_Record_Page "
     "requires it only when {!Record.StageName} EQUAL Proposal; require it only from the stage "
     "where it becomes known"),
    ("Opportunity.PO_Number__c",
     "Opportunity.PO_Number__c is required at create, but its name marks a fact known only "
     "late in the deal (matches 'po_number'); require it only from the stage where it becomes "
     "known"),
]


def test_req003_reports_each_kind_of_stage_evidence() -> None:
    assert summary(findings_of("REQ003", "REQ003/fail.yaml")) == REQ003_FAIL


def test_req003_finding_data_names_the_evidence() -> None:
    findings = {f.element_id: f for f in findings_of("REQ003", "REQ003/fail.yaml")}
    assert dict(findings["Opportunity.Next_Step__c"].data) == {
        "evidence": "validation",
        "source": "validation:Opportunity.Next_Step_at_Proposal",
        "stage": "Proposal",
        "required_by": ["field"],
    }
    assert findings["Opportunity.PO_Number__c"].data["required_by"] == [
        "layout:Opportunity-Sales Layout"
    ]


def test_req003_name_heuristic_can_be_emptied() -> None:
    findings = findings_of("REQ003", "REQ003/fail.yaml", options={"late-stage-name-patterns": []})
    assert [f.element_id for f in findings] == [
        "Opportunity.Loss_Reason__c", "Opportunity.Next_Step__c", "Opportunity.Competitor__c",
        "Opportunity.Budget__c",
    ]


def test_req003_passes_when_late_fields_are_gated() -> None:
    assert findings_of("REQ003", "REQ003/pass.yaml") == []


def test_req003_on_acme_late_stage_fields() -> None:
    findings = findings_of("REQ003", ACME)
    assert [(f.element_id, f.data["evidence"]) for f in findings] == [
        ("Opportunity.Contract_Signed_Date__c", "name"),
        ("Opportunity.Implementation_Start__c", "name"),
        ("Opportunity.Loss_Reason__c", "name"),
        ("Opportunity.PO_Number__c", "name"),
        ("Opportunity.Payment_Terms__c", "name"),
    ]
    assert findings[2].message == (
        "Opportunity.Loss_Reason__c is required at create, but its name marks a fact known only "
        "late in the deal (matches 'loss_reason'); require it only from the stage where it "
        "becomes known"
    )


def test_req003_on_hubspot_uses_the_roles_stages() -> None:
    assert [(f.element_id, f.data["source"], f.data["stage"])
            for f in findings_of("REQ003", HUBSPOT)] == [
        ("deals.competitor", "role:ae", "qualifiedtobuy"),
        ("deals.budget_confirmed", "role:ae", "presentationscheduled"),
        ("deals.decision_maker", "role:ae", "decisionmakerboughtin"),
        ("deals.implementation_date", "role:csm", "closedwon"),
        ("deals.contract_length_months", "role:csm", "contractsent"),
    ]


def test_acme_stage_gates_are_found() -> None:
    org = read(ACME)
    gates = RequirementIndex(org).gates(org.objects["Opportunity"])
    assert [(gate.field, gate.kind, gate.source, gate.stage) for gate in gates] == [
        ("Next_Step_Detail__c", "validation",
         "validation:Opportunity.Next_Step_Required_at_Proposal", "Proposal/Price Quote"),
        ("Next_Step_Detail__c", "view", "flexipage:Opportunity_Record_Page", None),
    ]


# --- REQ004 placeholder values -----------------------------------------------------------------


USAGE: dict[str, Any] = {"fields": {
    "deals.next_step": {"fill_rate": 0.97, "placeholder_share": 0.62, "top_value": "TBD",
                        "top_value_share": 0.55},
    "deals.closed_lost_reason": {"fill_rate": 0.9, "placeholder_share": 0.3},
    "deals.dealname": {"fill_rate": 1.0, "placeholder_share": 0.02},
    "deals.description": {"fill_rate": 0.2, "placeholder_share": 0.9},
}}


def test_req004_reports_required_fields_full_of_placeholders() -> None:
    assert summary(findings_of("REQ004", "REQ004/fail.yaml", usage=USAGE)) == [
        ("deals.next_step",
         "deals.next_step is required, but 62% of its values are placeholders (most common: "
         "'TBD', 55%) (threshold 30%)"),
        ("deals.closed_lost_reason",
         "deals.closed_lost_reason is required, but 30% of its values are placeholders "
         "(threshold 30%)"),
    ]


def test_req004_passes_when_the_fields_are_optional() -> None:
    assert findings_of("REQ004", "REQ004/pass.yaml", usage=USAGE) == []


def test_req004_reads_usage_objects_and_its_threshold() -> None:
    usage = SimpleNamespace(fields={
        "deals.next_step": SimpleNamespace(placeholder_share=0.62, top_value=None),
    })
    assert [f.element_id for f in findings_of("REQ004", "REQ004/fail.yaml", usage=usage)] == [
        "deals.next_step"
    ]
    assert findings_of(
        "REQ004", "REQ004/fail.yaml", usage=USAGE, options={"placeholder-share": 0.7}
    ) == []


def test_req004_is_skipped_without_usage() -> None:
    spec = all_rules()["REQ004"]
    enabled = {"REQ004": EnabledRule(spec, spec.severity, dict(spec.defaults))}
    findings, skipped = run_rules(read(RULE_FIXTURES / "REQ004/fail.yaml"), enabled, None,
                                  SideInputs())
    assert findings == []
    assert skipped == {"REQ004": "needs usage data (--usage FILE)"}


# --- corpora --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("corpus", "expected"), [
    ("SalesforceFoundation__NPSP", {}),
    ("SalesforceFoundation__NPSP-mdapi-2021", {}),
    ("SalesforceFoundation__EDA", {}),
    ("SalesforceFoundation__PMM", {}),
    ("SalesforceFoundation__Volunteers-for-Salesforce", {}),
    ("SFDO-Community__Summit-Events-App", {"REQ001": ["Summit_Events_Instance__c"]}),
    ("EDACS__EASY-Open-Source-Solution", {"REQ001": ["Application_Control__c"]}),
    ("trailheadapps__coral-cloud", {}),
    ("trailheadapps__ebikes-lwc", {}),
    ("trailheadapps__dreamhouse-lwc", {}),
])
def test_req_rules_on_corpora(corpus: str, expected: dict[str, list[str]]) -> None:
    org = read(corpus_path("sfdc", corpus))
    found = {
        rule_id: [f.element_id for f in findings_of(rule_id, org)]
        for rule_id in ("REQ001", "REQ002", "REQ003")
    }
    assert {rule_id: ids for rule_id, ids in found.items() if ids} == expected
