"""PIPE rules: pipeline design, on their own fixtures, the sample orgs and the corpora."""

from __future__ import annotations

import pytest

from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import findings_of, summary

ACME = FIXTURES / "acme-sfdx"
HUBSPOT = FIXTURES / "hubspot-yaml"

SALESFORCE_DEFAULT_OPEN = (
    "Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, "
    "Perception Analysis, Proposal/Price Quote, Negotiation/Review"
)


# --- PIPE001 vendor default stages --------------------------------------------------------------


def test_pipe001_reports_pipelines_that_keep_a_vendors_defaults() -> None:
    assert summary(findings_of("PIPE001", "PIPE001/fail.yaml")) == [
        ("pipeline:deals.default",
         "pipeline:deals.default keeps HubSpot's default stages: 5 of its 5 open stages "
         "(Appointment Scheduled, Qualified To Buy, Presentation Scheduled, "
         "Decision Maker Bought-In, Contract Sent)"),
        ("pipeline:deals.partner",
         "pipeline:deals.partner keeps Salesforce's default stages: 4 of its 5 open stages "
         "(Prospecting, Qualification, Needs analysis, Negotiation / Review)"),
    ]


def test_pipe001_passes_custom_stages() -> None:
    assert findings_of("PIPE001", "PIPE001/pass.yaml") == []


def test_pipe001_thresholds_are_options() -> None:
    strict = findings_of("PIPE001", "PIPE001/fail.yaml", options={"min-default-share": 0.9})
    assert [f.element_id for f in strict] == ["pipeline:deals.default"]
    loose = findings_of("PIPE001", "PIPE001/fail.yaml", options={"min-default-stages": 1})
    assert [f.element_id for f in loose] == [
        "pipeline:deals.default", "pipeline:deals.partner", "pipeline:deals.renewal",
    ]


def test_pipe001_business_process_without_value_set() -> None:
    # Names come from the business process; the built-in table only says which are closed, so
    # a process cut down to Prospecting + the closed stages is not "untouched defaults".
    assert summary(findings_of("PIPE001", "PIPE001/sfdx-no-value-set")) == [
        ("pipeline:Opportunity.Sales",
         "pipeline:Opportunity.Sales keeps Salesforce's default stages: 8 of its 8 open stages "
         f"({SALESFORCE_DEFAULT_OPEN})"),
    ]


def test_pipe001_on_sample_orgs() -> None:
    assert summary(findings_of("PIPE001", ACME)) == [
        ("pipeline:Opportunity.Acme Sales Process",
         "pipeline:Opportunity.Acme Sales Process keeps Salesforce's default stages: 8 of its 8 "
         f"open stages ({SALESFORCE_DEFAULT_OPEN})"),
    ]
    [finding] = findings_of("PIPE001", ACME)
    assert str(finding.location) == (
        "force-app/main/default/objects/Opportunity/businessProcesses/"
        "Acme Sales Process.businessProcess-meta.xml:2"
    )
    assert [f.element_id for f in findings_of("PIPE001", HUBSPOT)] == ["pipeline:deals.default"]
    assert findings_of("PIPE001", HUBSPOT)[0].data["vendor"] == "HubSpot"


# --- PIPE002 stage count --------------------------------------------------------------------------


def test_pipe002_reports_too_many_and_too_few_open_stages() -> None:
    assert summary(findings_of("PIPE002", "PIPE002/fail.yaml")) == [
        ("pipeline:deals.enterprise",
         "pipeline:deals.enterprise has 10 open stages (max 9): s1, s2, s3, s4, s5, s6, s7, s8, "
         "s9, s10"),
        ("pipeline:deals.self_serve",
         "pipeline:deals.self_serve has 2 open stages (min 3): trial, Checkout started"),
    ]


def test_pipe002_limits_are_inclusive_and_options() -> None:
    assert findings_of("PIPE002", "PIPE002/pass.yaml") == []
    assert [f.element_id for f in findings_of(
        "PIPE002", "PIPE002/pass.yaml", options={"max-open-stages": 8, "min-open-stages": 4}
    )] == ["pipeline:deals.enterprise", "pipeline:deals.self_serve"]


def test_pipe002_single_stage_process() -> None:
    assert summary(findings_of("PIPE002", "PIPE001/sfdx-no-value-set")) == [
        ("pipeline:Opportunity.Admissions",
         "pipeline:Opportunity.Admissions has 1 open stage (min 3): Prospecting"),
    ]


def test_pipe002_sample_orgs_are_within_limits() -> None:
    assert findings_of("PIPE002", ACME) == []
    assert findings_of("PIPE002", HUBSPOT) == []


# --- PIPE003 probabilities -----------------------------------------------------------------------


def test_pipe003_reports_each_probability_defect() -> None:
    assert summary(findings_of("PIPE003", "PIPE003/fail.yaml")) == [
        ("stage:deals.default/lost",
         "lost stage 'lost' of pipeline:deals.default has probability 10%, not 0%"),
        ("stage:deals.default/negotiation",
         "stage 'negotiation' of pipeline:deals.default has probability 40%, lower than 60% of "
         "the earlier stage 'proposal'"),
        ("stage:deals.default/won",
         "won stage 'won' of pipeline:deals.default has probability 90%, not 100%"),
    ]


def test_pipe003_passes_a_non_decreasing_ladder() -> None:
    assert findings_of("PIPE003", "PIPE003/pass.yaml") == []


def test_pipe003_judges_only_the_projects_own_salesforce_probabilities() -> None:
    # Proposal (30 %, from the project's value set) drops after Qualification (50 %). Needs
    # Analysis has the built-in 20 % because the value set lacks it: not the project's to fix.
    [finding] = findings_of("PIPE003", "PIPE003/sfdx")
    assert (finding.element_id, finding.message) == (
        "stage:Opportunity.Sales/Proposal",
        "stage 'Proposal' of pipeline:Opportunity.Sales has probability 30%, lower than 50% of "
        "the earlier stage 'Qualification'",
    )
    assert str(finding.location) == (
        "force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml:2"
    )
    assert findings_of("PIPE003", "PIPE001/sfdx-no-value-set") == []


def test_pipe003_sample_orgs_have_ordered_probabilities() -> None:
    assert findings_of("PIPE003", ACME) == []
    assert findings_of("PIPE003", HUBSPOT) == []


# --- PIPE004 no stage gates ----------------------------------------------------------------------


def test_pipe004_reports_heavy_create_without_gates() -> None:
    assert summary(findings_of("PIPE004", "PIPE004/fail.yaml")) == [
        ("pipeline:deals.default",
         "pipeline:deals.default gates no stage, while deals requires 6 fields at create "
         "(max 5): amount, closedate, competitor, dealname, dealstage, decision_maker"),
    ]


def test_pipe004_passes_with_a_gate_or_a_light_form() -> None:
    assert findings_of("PIPE004", "PIPE004/pass.yaml") == []
    assert findings_of(
        "PIPE004", "PIPE004/fail.yaml", options={"max-required-at-create": 6}
    ) == []


def test_pipe004_sample_orgs_have_gates() -> None:
    # acme gates Next_Step_Detail__c at Proposal/Price Quote (validation rule and Dynamic
    # Forms); the HubSpot org's closed stages require their reasons.
    assert findings_of("PIPE004", ACME) == []
    assert findings_of("PIPE004", HUBSPOT) == []


# --- corpora --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("corpus", "expected"), [
    ("SalesforceFoundation__NPSP", {
        "PIPE001": ["pipeline:Opportunity.NPSP_Default"],
        "PIPE002": ["pipeline:Opportunity.Donation", "pipeline:Opportunity.In-Kind Gift"],
    }),
    ("SalesforceFoundation__NPSP-mdapi-2021", {
        "PIPE001": ["pipeline:Opportunity.NPSP_Default"],
        "PIPE002": ["pipeline:Opportunity.Donation", "pipeline:Opportunity.In-Kind Gift"],
    }),
    ("EDACS__EASY-Open-Source-Solution", {
        "PIPE002": ["pipeline:Opportunity.Applicant", "pipeline:Opportunity.Inquiry"],
    }),
    ("SalesforceFoundation__EDA", {}),
    ("SalesforceFoundation__PMM", {}),
    ("SFDO-Community__Summit-Events-App", {}),
    ("trailheadapps__coral-cloud", {}),
])
def test_pipe_rules_on_corpora(corpus: str, expected: dict[str, list[str]]) -> None:
    org = read(corpus_path("sfdc", corpus))
    found = {
        rule_id: [f.element_id for f in findings_of(rule_id, org)]
        for rule_id in ("PIPE001", "PIPE002", "PIPE003", "PIPE004")
    }
    assert {rule_id: ids for rule_id, ids in found.items() if ids} == expected
