"""DEBT001-DEBT007: customization debt that needs no dependency graph."""

from __future__ import annotations

from functools import cache

import pytest

from cfglint.model import Automation, AutomationKind, CrmObject, Field, FieldType, Org
from cfglint.readers import read
from cfglint.rules._debt_common import flow_versions, is_namespaced
from cfglint.rules.debt_hardcoded_id import checksum, is_record_id, record_ids
from cfglint.rules.debt_near_duplicate_field import readings_of, singular
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import findings_of, summary

ACME_LAYOUTS = ("acme-sfdx", "acme-mdapi")


@cache
def corpus(name: str) -> Org:
    return read(corpus_path("sfdc", name))


@cache
def acme(name: str) -> Org:
    return read(FIXTURES / name)


# --- DEBT001 undocumented components ----------------------------------------------------------


def test_debt001_fail() -> None:
    assert summary(findings_of("DEBT001", "DEBT001/fail.yaml")) == [
        ("Invoice__c", "custom object Invoice__c has no description"),
        ("Invoice__c.Amount__c",
         "custom field Invoice__c.Amount__c has no description (it has help text)"),
        ("Invoice__c.Status__c",
         "custom field Invoice__c.Status__c has no description, and no help text either"),
        ("flow:Invoice_Reminder", "flow 'Invoice_Reminder' on Invoice__c has no description"),
    ]


def test_debt001_pass() -> None:
    assert findings_of("DEBT001", "DEBT001/pass.yaml") == []


def test_debt001_options_choose_components_and_managed() -> None:
    options = {"components": ["fields"], "include-managed": True}
    assert [f.element_id for f in findings_of("DEBT001", "DEBT001/fail.yaml", options=options)] == [
        "Invoice__c.Amount__c", "Invoice__c.Status__c", "Account.npsp__Level__c",
    ]


def test_debt001_data_says_whether_help_text_exists() -> None:
    findings = findings_of("DEBT001", "DEBT001/fail.yaml")
    assert [dict(f.data) for f in findings[1:3]] == [
        {"component": "field", "help_text": True}, {"component": "field", "help_text": False},
    ]


# --- DEBT002 legacy automation ----------------------------------------------------------------


def test_debt002_fail() -> None:
    assert summary(findings_of("DEBT002", "DEBT002/fail.yaml")) == [
        ("workflow:Opportunity.Flag Large Deals",
         "workflow rule 'Flag Large Deals' on Opportunity is legacy automation; "
         "migrate it to a flow"),
        ("process-builder:Opportunity_Stage_Updates",
         "Process Builder process 'Opportunity_Stage_Updates' on Opportunity is legacy "
         "automation; migrate it to a flow"),
    ]


def test_debt002_pass() -> None:
    assert findings_of("DEBT002", "DEBT002/pass.yaml") == []


def test_debt002_include_managed() -> None:
    findings = findings_of("DEBT002", "DEBT002/fail.yaml", options={"include-managed": True})
    assert "workflow:Contact.npe01__Contact.EmailChanged_Work" in [f.element_id for f in findings]


# --- DEBT003 mixed automation -----------------------------------------------------------------


def test_debt003_fail() -> None:
    assert summary(findings_of("DEBT003", "DEBT003/fail.yaml")) == [
        ("Opportunity",
         "Opportunity runs 3 kinds of automation on save (max 1): Apex trigger "
         "'OpportunityTrigger'; record-triggered flow 'Opportunity_Handoff'; workflow rule "
         "'Flag Large Deals'"),
        ("Account",
         "Account has 2 after-save flows on the same record events, 1 without a trigger "
         "order: 'Account_Sync'"),
    ]


def test_debt003_pass() -> None:
    assert findings_of("DEBT003", "DEBT003/pass.yaml") == []


def test_debt003_max_kinds() -> None:
    findings = findings_of("DEBT003", "DEBT003/fail.yaml", options={"max-kinds": 3})
    assert [f.element_id for f in findings] == ["Account"]


# --- DEBT004 inactive automation --------------------------------------------------------------


def test_debt004_fail() -> None:
    assert summary(findings_of("DEBT004", "DEBT004/fail.yaml")) == [
        ("flow:Opportunity_Large_Deal_Flag",
         "flow 'Opportunity_Large_Deal_Flag' on Opportunity is kept in status Draft and never "
         "runs"),
        ("flow:Renewal_Reminder-2",
         "flow 'Renewal_Reminder' has 2 versions and none is active (version 2 is in status "
         "Draft); it never runs"),
        ("workflow:Opportunity.Old Close Date Rule",
         "workflow rule 'Old Close Date Rule' on Opportunity is kept inactive and never runs"),
        ("trigger:OpportunityTrigger",
         "Apex trigger 'OpportunityTrigger' on Opportunity is kept in status Inactive and "
         "never runs"),
    ]


def test_debt004_pass() -> None:
    assert findings_of("DEBT004", "DEBT004/pass.yaml") == []


def test_debt004_include_managed() -> None:
    findings = findings_of("DEBT004", "DEBT004/fail.yaml", options={"include-managed": True})
    assert findings[-1].element_id == "flow:npsp__Legacy_Rollups"


# --- DEBT005 hard-coded record ids ------------------------------------------------------------


def test_debt005_fail() -> None:
    assert summary(findings_of("DEBT005", "DEBT005/fail.yaml")) == [
        ("Account.Channel__c",
         "field Account.Channel__c hard-codes a record id: 0125g000001AbCd (RecordType)"),
        ("Account.Region_Owner__c",
         "field Account.Region_Owner__c hard-codes a record id: 005Dn000006GuG4IAK (User)"),
        ("validation:Opportunity.Discount_Requires_Approval",
         "validation rule Opportunity.Discount_Requires_Approval hard-codes a record id: "
         "00e5g000004XyZ1AAK (Profile)"),
        ("flow:Route_Big_Deals",
         "flow 'Route_Big_Deals' on Opportunity hard-codes 2 record ids: 00G5g000002XyZaEAK "
         "(Group or queue), 0125g000001AbCd (RecordType)"),
        ("workflow:Opportunity.Owner Changed",
         "workflow rule 'Owner Changed' on Opportunity hard-codes a record id: "
         "005Dn000006GuG4 (User)"),
    ]


def test_debt005_pass() -> None:
    assert findings_of("DEBT005", "DEBT005/pass.yaml") == []


def test_debt005_allowed_ids_cover_both_lengths() -> None:
    options = {"allowed-ids": ["00e5g000004XyZ1", "005Dn000006GuG4IAK", "0125g000001AbCd"]}
    findings = findings_of("DEBT005", "DEBT005/fail.yaml", options=options)
    assert summary(findings) == [
        ("flow:Route_Big_Deals",
         "flow 'Route_Big_Deals' on Opportunity hard-codes a record id: 00G5g000002XyZaEAK "
         "(Group or queue)"),
    ]


@pytest.mark.parametrize(
    "token",
    # Ids from the acme fixture, the Flow Scanner examples and NPSP layouts (written by others,
    # so the checksum is not checked against itself).
    ["00e5g000004XyZ1AAK", "005Dn000006GuG4IAK", "005Dn000006GuG4", "00h0q000000yX06",
     "04tKY000000LP3aYAG", "0Ho3h000000PBghCAG"],
)
def test_record_ids_are_recognized(token: str) -> None:
    assert is_record_id(token)


@pytest.mark.parametrize(
    "token",
    ["CastorTemplate2017", "Bootstrap4Force", "commonCardLast4", "2FYekaterinburg",
     "100000000000000", "000000000000000", "00e5g000004XyZ1AAA", "OpportunityStage"],
)
def test_words_and_numbers_are_no_record_ids(token: str) -> None:
    assert not is_record_id(token)


def test_checksum_and_search() -> None:
    assert checksum("001000000000000") == "AAA"
    assert checksum("00e5g000004XyZ1") == "AAK"
    text = 'OR(Id = "0015g00000ABCDE", Owner_Id__c = "005Dn000006GuG4IAK", Name = "x")'
    assert record_ids([text, "005Dn000006GuG4IAK"]) == ["0015g00000ABCDE", "005Dn000006GuG4IAK"]
    assert record_ids(["Parent_0015g00000ABCDE", "0015g00000ABCDE1"]) == []


# --- DEBT006 near-duplicate fields ------------------------------------------------------------


def test_debt006_fail() -> None:
    assert summary(findings_of("DEBT006", "DEBT006/fail.yaml")) == [
        ("Account.Annual_Revenue__c",
         "Account.Annual_Revenue__c looks like a duplicate of Account.AnnualRevenue "
         "(both read as 'annual revenue')"),
        ("Account.Customer_Tiers__c",
         "Account.Customer_Tiers__c looks like a duplicate of Account.Customer_Tier__c "
         "(both read as 'customer tier')"),
        ("Account.Old_Region__c",
         "Account.Old_Region__c, Account.Region_New__c look like duplicates of "
         "Account.Region__c (all read as 'region')"),
        ("Account.Segment__c",
         "Account.Segment__c looks like a duplicate of Account.Seg__c (both read as 'segment')"),
        ("Opportunity.Account__c",
         "Opportunity.Account__c looks like a duplicate of Opportunity.AccountId "
         "(both read as 'account')"),
    ]


def test_debt006_pass() -> None:
    assert findings_of("DEBT006", "DEBT006/pass.yaml") == []


def test_debt006_noise_words_option() -> None:
    findings = findings_of("DEBT006", "DEBT006/pass.yaml", options={"noise-words": ["paid"]})
    assert [f.element_id for f in findings] == ["Account.Amount_Paid__c"]


def test_debt006_leaves_groups_of_standard_fields_alone() -> None:
    org = Org(platform="hubspot", source_format="hubspot")
    deals = org.objects["deals"] = CrmObject(name="deals")
    for name, label in (("createdate", "Create Date"), ("hs_createdate", "Create date")):
        deals.fields[name] = Field(object_name="deals", name=name, label=label)
    assert findings_of("DEBT006", org) == []
    deals.fields["create_date"] = Field(
        object_name="deals", name="create_date", label="Created", custom=True,
        type=FieldType.DATE,
    )
    assert summary(findings_of("DEBT006", org)) == [
        ("deals.create_date",
         "deals.create_date, deals.hs_createdate look like duplicates of deals.createdate "
         "(all read as 'create date')"),
    ]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("tiers", "tier"), ("categories", "category"), ("addresses", "address"),
     ("statuses", "status"), ("status", "status"), ("class", "class"), ("cases", "case"),
     ("boxes", "box"), ("branches", "branch"), ("gas", "gas")],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_readings_of_names_and_labels() -> None:
    noise = frozenset({"new"})
    field = Field(object_name="Account", name="SLAExpirationDate__c", label="SLA Expiration Dates",
                  custom=True)
    assert readings_of(field, noise) == {"slaexpirationdate": "sla expiration date"}
    lookup = Field(object_name="Opportunity", name="AccountId", label="Account Name")
    assert readings_of(lookup, noise) == {"account": "account", "accountname": "account name"}
    copy = Field(object_name="Account", name="Copy_of_Region_New__c", custom=True)
    assert readings_of(copy, noise) == {"region": "region"}


# --- DEBT007 custom fields near the limit -----------------------------------------------------


def test_debt007_fail() -> None:
    assert summary(findings_of("DEBT007", "DEBT007/fail.yaml", options={"limit": 10})) == [
        ("Invoice__c",
         "Invoice__c has 8 custom fields, 80% of the limit of 10 (reported from 80%)"),
    ]


def test_debt007_pass() -> None:
    assert findings_of("DEBT007", "DEBT007/pass.yaml", options={"limit": 10}) == []
    assert findings_of("DEBT007", "DEBT007/fail.yaml") == []  # the default limit is 500


def test_debt007_threshold() -> None:
    findings = findings_of("DEBT007", "DEBT007/fail.yaml", options={"limit": 10, "threshold": 0.7})
    assert [(f.element_id, f.data["custom_fields"]) for f in findings] == [
        ("Invoice__c", 8), ("Account", 7),
    ]


# --- shared helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("npsp__Level__c", True), ("npe01__Contact.EmailChanged_Work", True),
     ("npsp__Donation_Flow", True), ("Region__c", False), ("Customer_Tier__c", False),
     ("fflib_AppBinding__mdt", False), ("Update Foo__c field", False), ("Name", False)],
)
def test_is_namespaced(name: str, expected: bool) -> None:
    assert is_namespaced(name) is expected


def test_flow_versions_group_metadata_api_version_files() -> None:
    automations = [
        Automation(kind=AutomationKind.FLOW, name=name)
        for name in ("Renewal-10", "Renewal-2", "Welcome", "Welcome_Back-1")
    ] + [Automation(kind=AutomationKind.WORKFLOW_RULE, name="Rule-1", object_name="Lead")]
    groups = flow_versions(automations)
    assert {key: [a.name for a in group] for key, group in groups.items()} == {
        "flow:Renewal": ["Renewal-2", "Renewal-10"],
        "flow:Welcome": ["Welcome"],
        "flow:Welcome_Back": ["Welcome_Back-1"],
        "workflow:Lead.Rule-1": ["Rule-1"],
    }


# --- the acme sample org ----------------------------------------------------------------------


@pytest.mark.parametrize("layout", ACME_LAYOUTS)
def test_acme_deliberate_debt_is_found(layout: str) -> None:
    org = acme(layout)
    found = {
        rule_id: summary(findings_of(rule_id, org))
        for rule_id in ("DEBT001", "DEBT002", "DEBT003", "DEBT004", "DEBT005", "DEBT006",
                        "DEBT007")
    }
    assert found == {
        "DEBT001": [  # README row 4
            ("Competitor__c.Pricing_Model__c",
             "custom field Competitor__c.Pricing_Model__c has no description, and no help "
             "text either"),
            ("Opportunity.Legacy_Score__c",
             "custom field Opportunity.Legacy_Score__c has no description, and no help text "
             "either"),
        ],
        "DEBT002": [  # row 5b
            ("workflow:Opportunity.Flag Large Deals",
             "workflow rule 'Flag Large Deals' on Opportunity is legacy automation; migrate "
             "it to a flow"),
        ],
        "DEBT003": [  # row 5a
            ("Opportunity",
             "Opportunity runs 3 kinds of automation on save (max 1): Apex trigger "
             "'OpportunityTrigger'; record-triggered flow 'Opportunity_Close_Won_Handoff'; "
             "workflow rule 'Flag Large Deals'"),
        ],
        "DEBT004": [  # row 5c
            ("flow:Opportunity_Large_Deal_Flag",
             "flow 'Opportunity_Large_Deal_Flag' on Opportunity is kept in status Draft and "
             "never runs"),
        ],
        "DEBT005": [  # row 5d
            ("validation:Opportunity.Discount_Requires_Approval",
             "validation rule Opportunity.Discount_Requires_Approval hard-codes a record id: "
             "00e5g000004XyZ1AAK (Profile)"),
        ],
        "DEBT006": [  # rows 7a and 7b
            ("Account.Annual_Revenue__c",
             "Account.Annual_Revenue__c looks like a duplicate of Account.AnnualRevenue "
             "(both read as 'annual revenue')"),
            ("Account.Customer_Tiers__c",
             "Account.Customer_Tiers__c looks like a duplicate of Account.Customer_Tier__c "
             "(both read as 'customer tier')"),
        ],
        "DEBT007": [],
    }


def test_acme_findings_point_at_the_files() -> None:
    org = acme("acme-sfdx")
    located = [str(f.location) for rule in ("DEBT004", "DEBT005")
               for f in findings_of(rule, org)]
    assert located == [
        "force-app/main/default/flows/Opportunity_Large_Deal_Flag.flow-meta.xml:2",
        "force-app/main/default/objects/Opportunity/validationRules/"
        "Discount_Requires_Approval.validationRule-meta.xml:2",
    ]


# --- real corpora -----------------------------------------------------------------------------

FLOW_SCANNER = "Flow-Scanner__lightning-flow-scanner"


def test_flow_scanner_hard_coded_id_flow_is_the_only_one() -> None:
    # Of the labelled example flows, only Hardcoded_Id assigns a literal id (its owner);
    # Hardcoded_Id_Fixed looks the user up instead.
    assert summary(findings_of("DEBT005", corpus(FLOW_SCANNER))) == [
        ("flow:Hardcoded_Id",
         "flow 'Hardcoded_Id' hard-codes a record id: 005Dn000006GuG4IAK (User)"),
    ]


def test_flow_scanner_inactive_and_undocumented_flows() -> None:
    org = corpus(FLOW_SCANNER)
    inactive = findings_of("DEBT004", org)
    assert sorted(f.element_id for f in inactive) == [
        "flow:Get_All_Elements_Flow", "flow:Get_All_Elements_Flow_ALL_FIELDS",
        "flow:Get_All_Elements_Flow_FieldVarRecord", "flow:Get_All_Elements_Flow_IndividualVar",
        "flow:Get_All_Elements_Flow_Salesforce_Do_The_rest", "flow:HardcodedUrl",
        "flow:Unconnected_Element_Async", "flow:Unsafe_Running_Context",
        "flow:Utility_Copy_Files_Subflow",
    ]  # 8 Draft and 1 InvalidDraft, as the MANIFEST counts them
    undocumented = sorted(f.element_id for f in findings_of("DEBT001", org))
    assert "flow:Missing_Flow_Description" in undocumented
    assert "flow:Missing_Flow_Description_Fixed" not in undocumented
    assert len(undocumented) == 8


def test_flow_scanner_two_unordered_after_save_flows_on_account() -> None:
    assert summary(findings_of("DEBT003", corpus(FLOW_SCANNER))) == [
        ("Account",
         "Account has 2 after-save flows on the same record events, 2 without a trigger "
         "order: 'TriggerWithoutFilter_Fixed', 'Trigger_Without_Filter'"),
    ]


def test_npsp_undocumented_custom_fields() -> None:
    # The MANIFEST's 353 counts field *occurrences* without a description: 9 of them are
    # standard fields, and 18 more repeat a custom field already defined in another bundle,
    # which leaves 326 custom fields. 16 custom objects have no description either.
    findings = findings_of("DEBT001", corpus("SalesforceFoundation__NPSP"))
    components = [f.data["component"] for f in findings]
    assert (components.count("field"), components.count("object"), len(findings)) == (
        326, 16, 342,
    )


@pytest.mark.parametrize(
    ("name", "legacy", "inactive"),
    [
        ("SalesforceFoundation__NPSP", 0, 2),  # 12 active rules belong to npe01 / npo02
        ("EDACS__EASY-Open-Source-Solution", 10, 1),
        ("SalesforceFoundation__PMM", 2, 0),
        ("SalesforceFoundation__Volunteers-for-Salesforce", 5, 1),
    ],
)
def test_corpus_legacy_and_inactive_automation(name: str, legacy: int, inactive: int) -> None:
    org = corpus(name)
    assert len(findings_of("DEBT002", org)) == legacy
    assert len(findings_of("DEBT004", org)) == inactive


def test_corpus_near_duplicates() -> None:
    found = {
        name: [f.element_id for f in findings_of("DEBT006", corpus(name))]
        for name in ("SalesforceFoundation__NPSP", "SalesforceFoundation__EDA",
                     "SFDO-Community__Summit-Events-App", "EDACS__EASY-Open-Source-Solution",
                     "trailheadapps__dreamhouse-lwc")
    }
    assert found == {
        # Two lookups labelled "Campaign of Latest Created Opportunity" and "... (".
        "SalesforceFoundation__NPSP": ["Contact.Campaign_of_Latest_Created_Opportunity_S__c"],
        "SalesforceFoundation__EDA": ["Contact.University_Email__c"],
        # Two formula fields with the same label.
        "SFDO-Community__Summit-Events-App": [
            "Summit_Events_Instance__c.Admin_Open_Registration_Link__c",
        ],
        # A picklist and a text field, both labelled "Value".
        "EDACS__EASY-Open-Source-Solution": ["Question_Dependency__c.ValueCheckbox__c"],
        # Picture_IMG__c is IMAGE(Picture__c): a presentation, not a duplicate.
        "trailheadapps__dreamhouse-lwc": [],
    }


def test_npsp_biggest_object_is_under_the_limit() -> None:
    org = corpus("SalesforceFoundation__NPSP")
    assert findings_of("DEBT007", org) == []
    findings = findings_of("DEBT007", org, options={"limit": 250})
    assert [(f.element_id, f.data["custom_fields"]) for f in findings] == [
        ("DataImport__c", 229),
    ]


def test_no_hard_coded_ids_in_the_other_corpora() -> None:
    names = sorted(
        path.name for path in corpus_path("sfdc").iterdir()
        if path.is_dir() and path.name != FLOW_SCANNER
    )
    assert {name: findings_of("DEBT005", corpus(name)) for name in names} == {
        name: [] for name in names
    }
