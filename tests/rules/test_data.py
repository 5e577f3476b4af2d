"""DATA: data-quality safeguard rules, on their fixtures, the sample orgs and the corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.readers import read
from cfglint.rules._data_common import contains_term, head_word, name_words
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import findings_of, summary

ACME_SFDX = FIXTURES / "acme-sfdx"
ACME_MDAPI = FIXTURES / "acme-mdapi"
HUBSPOT_YAML = FIXTURES / "hubspot-yaml"


# --- words of names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words", "head"),
    [
        ("Region__c", ["region"], "region"),
        ("npsp__Primary_Region__c", ["primary", "region"], "region"),
        ("LeadSource", ["lead", "source"], "source"),
        ("Account1ImportStatus__c", ["account", "1", "import", "status"], "status"),
        ("Type_of_Business__c", ["type", "of", "business"], "type"),
        ("Lead source detail", ["lead", "source", "detail"], "detail"),
        ("URLSource__c", ["url", "source"], "source"),
        ("", [], None),
    ],
)
def test_name_words_and_head(name: str, words: list[str], head: str | None) -> None:
    assert name_words(name) == words
    assert head_word(words) == head


def test_contains_term_matches_whole_words() -> None:
    assert contains_term(["instance", "time", "zone"], ["time zone"]) == "time zone"
    assert contains_term(["lifetime", "value"], ["time"]) is None


# --- DATA001 data.no-duplicate-rules ------------------------------------------------------------


def test_data001_fail_salesforce() -> None:
    assert summary(findings_of("DATA001", "DATA001/fail.yaml")) == [
        ("Account", "Account has no active duplicate rule: duplicate accounts are saved unchecked"),
        (
            "Contact",
            "Contact has no active duplicate rule: duplicate contacts are saved unchecked "
            "(inactive duplicate rules: Contact_Email)",
        ),
        (
            "Lead",
            "Lead has no active duplicate rule: duplicate leads are saved unchecked "
            "(matching rules used by no duplicate rule: Lead_Email)",
        ),
    ]


def test_data001_pass_salesforce() -> None:
    assert findings_of("DATA001", "DATA001/pass.yaml") == []


def test_data001_pass_salesforce_metadata() -> None:
    assert findings_of("DATA001", "DATA001/pass-sfdx") == []


HUBSPOT_COMPANIES = (
    "companies",
    "companies has no duplicate rule: HubSpot matches companies by domain only on imports and "
    "automatic company creation, so companies created by hand or through the API can be "
    "duplicates",
)


def test_data001_fail_hubspot_reports_companies_only() -> None:
    assert summary(findings_of("DATA001", "DATA001/fail-hubspot.yaml")) == [HUBSPOT_COMPANIES]


def test_data001_pass_hubspot() -> None:
    assert findings_of("DATA001", "DATA001/pass-hubspot.yaml") == []


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_data001_acme_has_no_duplicate_rules(project: Path) -> None:
    assert [finding.element_id for finding in findings_of("DATA001", project)] == [
        "Account", "Contact", "Lead",
    ]


def test_data001_hubspot_sample() -> None:
    findings = findings_of("DATA001", HUBSPOT_YAML)
    assert summary(findings) == [HUBSPOT_COMPANIES]
    assert str(findings[0].location) == "crm.yaml:167"


# --- DATA002 data.unrestricted-picklist ---------------------------------------------------------


def test_data002_fail() -> None:
    assert summary(findings_of("DATA002", "DATA002/fail.yaml")) == [
        (
            "Account.Customer_Tier__c",
            "Account.Customer_Tier__c is an unrestricted picklist (3 values): any value can be "
            "written into it",
        ),
        (
            "Account.Interests__c",
            "Account.Interests__c is an unrestricted multi-select picklist (2 values): any value "
            "can be written into it",
        ),
    ]


def test_data002_pass() -> None:
    assert findings_of("DATA002", "DATA002/pass.yaml") == []


def test_data002_global_value_set_fields_are_restricted() -> None:
    # The reader leaves restricted False when <restricted> is missing; the rule knows better.
    assert findings_of("DATA002", "DATA002/pass-sfdx") == []


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_data002_acme(project: Path) -> None:
    # StageName is a standard picklist without a valueSet of its own: not reported.
    assert summary(findings_of("DATA002", project)) == [
        (
            "Account.Customer_Tier__c",
            "Account.Customer_Tier__c is an unrestricted picklist (4 values): any value can be "
            "written into it",
        ),
    ]


def test_data002_hubspot_sample() -> None:
    assert summary(findings_of("DATA002", HUBSPOT_YAML)) == [
        (
            "deals.product_interest",
            "deals.product_interest is an unrestricted picklist (30 values): any value can be "
            "written into it",
        ),
    ]


# --- DATA003 data.too-many-picklist-values ------------------------------------------------------


def test_data003_fail() -> None:
    assert summary(findings_of("DATA003", "DATA003/fail.yaml")) == [
        (
            "globalvalueset:Product_Lines",
            "Product_Lines offers 26 active values (max 25), used by Account.Product_Line__c, "
            "Opportunity.Product_Line__c",
        ),
        ("Account.Sub_Industry__c", "Account.Sub_Industry__c offers 26 active values (max 25)"),
    ]


def test_data003_pass() -> None:
    assert findings_of("DATA003", "DATA003/pass.yaml") == []


def test_data003_options() -> None:
    without_exemptions = findings_of("DATA003", "DATA003/fail.yaml", options={"exempt-words": []})
    assert [finding.element_id for finding in without_exemptions] == [
        "globalvalueset:Product_Lines", "Account.Sub_Industry__c", "Account.Mailing_Country__c",
    ]
    assert findings_of("DATA003", "DATA003/fail.yaml", options={"max-values": 26}) == []


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_data003_acme(project: Path) -> None:
    assert summary(findings_of("DATA003", project)) == [
        ("Account.Sub_Industry__c", "Account.Sub_Industry__c offers 30 active values (max 25)"),
    ]


def test_data003_hubspot_sample() -> None:
    assert summary(findings_of("DATA003", HUBSPOT_YAML)) == [
        ("deals.product_interest", "deals.product_interest offers 30 active values (max 25)"),
    ]


# --- DATA004 data.free-text-category ------------------------------------------------------------


def test_data004_fail() -> None:
    assert summary(findings_of("DATA004", "DATA004/fail.yaml")) == [
        (
            "Account.Region__c",
            "Account.Region__c is free text but its name says it is a region: make it a picklist",
        ),
        (
            "Account.Type_of_Business__c",
            "Account.Type_of_Business__c is free text but its name says it is a type: "
            "make it a picklist",
        ),
        (
            "Account.Seg__c",
            "Account.Seg__c is free text but its name says it is a segment: make it a picklist",
        ),
    ]


def test_data004_pass() -> None:
    assert findings_of("DATA004", "DATA004/pass.yaml") == []


def test_data004_words_option() -> None:
    findings = findings_of("DATA004", "DATA004/fail.yaml", options={"words": ["Region"]})
    assert [finding.element_id for finding in findings] == ["Account.Region__c"]


def test_data004_is_opt_in() -> None:
    from cfglint.rules import all_rules

    spec = all_rules()["DATA004"]
    assert (spec.recommended, spec.severity.value) == (False, "info")


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_data004_acme(project: Path) -> None:
    assert [finding.element_id for finding in findings_of("DATA004", project)] == [
        "Account.Region__c",
    ]


def test_data004_hubspot_sample() -> None:
    # lead_source_detail is a detail, not a source.
    assert summary(findings_of("DATA004", HUBSPOT_YAML)) == [
        (
            "companies.industry_segment",
            "companies.industry_segment is free text but its name says it is a segment: "
            "make it a picklist",
        ),
    ]


# --- corpora --------------------------------------------------------------------------------


CORPUS_COUNTS = {
    # corpus: DATA001, DATA002, DATA003, DATA004
    "SalesforceFoundation__NPSP": (3, 46, 1, 38),
    "SalesforceFoundation__NPSP-mdapi-2021": (3, 38, 1, 32),
    "SalesforceFoundation__EDA": (3, 54, 1, 3),
    "SalesforceFoundation__PMM": (1, 1, 1, 0),
    "SalesforceFoundation__Volunteers-for-Salesforce": (2, 15, 0, 0),
    "SFDO-Community__Summit-Events-App": (1, 20, 1, 0),
    "EDACS__EASY-Open-Source-Solution": (2, 21, 1, 1),
    "trailheadapps__coral-cloud": (1, 4, 0, 0),
    "trailheadapps__dreamhouse-lwc": (0, 0, 0, 0),
    "trailheadapps__ebikes-lwc": (0, 0, 0, 0),
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_data_counts_on_corpora(corpus: str) -> None:
    org = read(corpus_path("sfdc", corpus))
    counts = tuple(len(findings_of(f"DATA00{number}", org)) for number in range(1, 5))
    assert counts == CORPUS_COUNTS[corpus]


def test_data_npsp_findings() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    messages = {finding.element_id: finding.message for finding in findings_of("DATA001", org)}
    assert messages["Contact"] == (
        "Contact has no active duplicate rule: duplicate contacts are saved unchecked "
        "(matching rules used by no duplicate rule: NPSP_Contact_Personal_Email_Match)"
    )
    assert summary(findings_of("DATA003", org)) == [
        (
            "npe4__Relationship__c.npe4__Type__c",
            "npe4__Relationship__c.npe4__Type__c offers 28 active values (max 25)",
        ),
    ]


def test_data003_reports_a_global_value_set_once() -> None:
    org = read(corpus_path("sfdc", "SFDO-Community__Summit-Events-App"))
    # Country (239) and State (76) are reference lists; Appointment_Type is not.
    assert summary(findings_of("DATA003", org)) == [
        (
            "globalvalueset:Appointment_Type",
            "Appointment_Type offers 36 active values (max 25), used by "
            "Summit_Events_Appointment_Type__c.Appointment_Type__c, "
            "Summit_Events_Appointments__c.Appointment_Type__c",
        ),
    ]
