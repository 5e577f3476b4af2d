"""VIEW: role-view coverage rules, on their fixtures, the sample orgs and the corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.model import (
    Behavior,
    Org,
    Profile,
    ProfileKind,
    Role,
    RoleFieldNeed,
    View,
    ViewAssignment,
    ViewItem,
    ViewKind,
    ViewSection,
)
from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import RULE_FIXTURES, findings_of, summary

ACME_SFDX = FIXTURES / "acme-sfdx"
ACME_MDAPI = FIXTURES / "acme-mdapi"
HUBSPOT_YAML = FIXTURES / "hubspot-yaml"
ACME_PROFILES = "Acme Customer Success, Acme SDR, Acme Sales Manager, Acme Sales Rep, Admin"


def _acme_view002(object_name: str, layout: str) -> tuple[str, str]:
    return (
        f"layout:{object_name}-{layout}",
        f"{object_name}-{layout} is the only {object_name} view assigned: all 5 profiles get it "
        f"({ACME_PROFILES})",
    )


# --- VIEW001 view.no-own-view -------------------------------------------------------------------


def test_view001_fail() -> None:
    assert summary(findings_of("VIEW001", "VIEW001/fail.yaml")) == [
        ("team:CSM", "team CSM works on deals but has no deals view of its own"),
        ("role:csm", "role csm works on deals but has no deals view of its own (its teams: CSM)"),
        (
            "role:ops",
            "role ops works on deals but has no deals view of its own "
            "(it maps to no profile or team)",
        ),
    ]


def test_view001_pass() -> None:
    assert findings_of("VIEW001", "VIEW001/pass.yaml") == []


def test_view001_salesforce_profiles_without_assignments_are_not_judged() -> None:
    findings = findings_of("VIEW001", "VIEW001/fail-sfdx")
    assert summary(findings) == [
        ("profile:Sales", "profile Sales works on Account but has no Account view of its own"),
    ]
    assert str(findings[0].location) == "force-app/main/default/profiles/Sales.profile-meta.xml:2"


def test_view001_lists_several_objects() -> None:
    org = Org(platform="hubspot", source_format="cfglint-yaml")
    org.profiles["team:CSM"] = Profile(ProfileKind.TEAM, "CSM")
    org.roles["role:csm"] = Role("csm", profiles=["team:CSM"], objects=["deals", "tickets"])
    org.view_assignments = [
        ViewAssignment("view:deals.Main", "team:AE"),
        ViewAssignment("view:tickets.Main", "team:AE"),
    ]
    org.views["view:deals.Main"] = View(ViewKind.RECORD_VIEW, "deals.Main", "deals")
    org.views["view:tickets.Main"] = View(ViewKind.RECORD_VIEW, "tickets.Main", "tickets")
    assert summary(findings_of("VIEW001", org)) == [
        (
            "role:csm",
            "role csm works on 2 objects with no view of its own: deals, tickets "
            "(its teams: CSM)",
        ),
    ]


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI, HUBSPOT_YAML])
def test_view001_sample_orgs_give_everyone_a_view(project: Path) -> None:
    # Every acme profile and every Northwind team has an assignment for each object it edits.
    assert findings_of("VIEW001", project) == []


# --- VIEW002 view.one-for-everyone -----------------------------------------------------------


def test_view002_fail() -> None:
    assert summary(findings_of("VIEW002", "VIEW002/fail.yaml")) == [
        (
            "view:deals.Deal record",
            "deals.Deal record is the only deals view assigned: all 3 teams get it (AE, CSM, SDR)",
        ),
    ]


def test_view002_pass() -> None:
    assert findings_of("VIEW002", "VIEW002/pass.yaml") == []


def test_view002_min_profiles_option() -> None:
    assert summary(findings_of("VIEW002", "VIEW002/fail.yaml", options={"min-profiles": 2}))[1] == (
        "view:contacts.Contact record",
        "contacts.Contact record is the only contacts view assigned: both teams get it (AE, SDR)",
    )
    assert findings_of("VIEW002", "VIEW002/fail.yaml", options={"min-profiles": 4}) == []


def _profiles_sharing(layout_of: dict[str, list[str]]) -> Org:
    """Profiles assigned Account layouts, each name repeated as often as bundles repeat it."""
    org = Org(platform="salesforce", source_format="mdapi")
    for profile_name, layouts in layout_of.items():
        org.profiles[f"profile:{profile_name}"] = Profile(ProfileKind.PROFILE, profile_name)
        org.view_assignments += [
            ViewAssignment(f"layout:Account-{layout}", f"profile:{profile_name}")
            for layout in layouts
        ]
    org.views["layout:Account-Main"] = View(ViewKind.LAYOUT, "Account-Main", "Account")
    return org


def test_view002_repeated_assignments_count_once() -> None:
    org = _profiles_sharing({"Admin": ["Main", "Main"], "Sales": ["Main"], "Support": ["Main"]})
    assert summary(findings_of("VIEW002", org)) == [
        (
            "layout:Account-Main",
            "Account-Main is the only Account view assigned: all 3 profiles get it "
            "(Admin, Sales, Support)",
        ),
    ]


def test_view002_conflicting_bundles_mean_two_views() -> None:
    # NPSP: one bundle assigns Admin one layout, another bundle a different one.
    org = _profiles_sharing({"Admin": ["Main", "Other"], "Sales": ["Main"], "Support": ["Main"]})
    assert findings_of("VIEW002", org) == []


@pytest.mark.parametrize("project", [ACME_SFDX, ACME_MDAPI])
def test_view002_acme_one_layout_for_every_profile(project: Path) -> None:
    assert summary(findings_of("VIEW002", project)) == [
        _acme_view002("Account", "Account Layout"),
        _acme_view002("Competitor__c", "Competitor Layout"),
        _acme_view002("Contact", "Contact Layout"),
        _acme_view002("Lead", "Lead Layout"),
        _acme_view002("Opportunity", "Opportunity Layout"),
    ]


def test_view002_hubspot_one_view_for_every_team() -> None:
    findings = findings_of("VIEW002", HUBSPOT_YAML)
    assert summary(findings) == [
        (
            "view:deals.Deal record",
            "deals.Deal record is the only deals view assigned: all 4 teams get it "
            "(AE, CSM, SDR, Sales Managers)",
        ),
    ]
    assert str(findings[0].location) == "crm.yaml:118"


# --- VIEW003 view.too-many-editable-fields ---------------------------------------------------


def test_view003_fail() -> None:
    findings = findings_of("VIEW003", "VIEW003/fail.yaml")
    assert summary(findings) == [
        ("view:deals.Deal record", "deals.Deal record has 41 editable fields (max 40)"),
    ]
    assert findings[0].data["fields"][-1] == "field_41"


def test_view003_pass() -> None:
    assert findings_of("VIEW003", "VIEW003/pass.yaml") == []


def test_view003_max_fields_option_and_behaviours() -> None:
    assert summary(findings_of("VIEW003", "VIEW003/pass.yaml", options={"max-fields": 3})) == [
        ("view:deals.Deal record", "deals.Deal record has 4 editable fields (max 3)"),
    ]


def test_view003_ignores_compact_layouts() -> None:
    org = Org(platform="salesforce", source_format="sfdx")
    items = [ViewItem(f"F{index}__c", Behavior.EDIT) for index in range(3)]
    for kind in (ViewKind.COMPACT_LAYOUT, ViewKind.FLEXIPAGE):
        view = View(kind, "Account_Page", "Account", sections=[ViewSection(None, items)])
        org.views[view.id] = view
    assert summary(findings_of("VIEW003", org, options={"max-fields": 2})) == [
        ("flexipage:Account_Page", "Account_Page has 3 editable fields (max 2)"),
    ]


@pytest.mark.parametrize("project", [ACME_SFDX, HUBSPOT_YAML])
def test_view003_sample_orgs_under_the_limit(project: Path) -> None:
    assert findings_of("VIEW003", project) == []


# --- VIEW004 view.clutter --------------------------------------------------------------------


def test_view004_fail() -> None:
    findings = findings_of("VIEW004", "VIEW004/fail.yaml")
    assert summary(findings) == [
        (
            "view:deals.Deal record",
            "60 % of deals.Deal record's 5 editable fields are needed by none of its roles "
            "(ae, sdr): amount, competitor, contract_length (max 50 %)",
        ),
    ]
    assert findings[0].data["clutter_percent"] == 60.0


def test_view004_pass() -> None:
    assert findings_of("VIEW004", "VIEW004/pass.yaml") == []


def test_view004_option() -> None:
    assert findings_of("VIEW004", "VIEW004/fail.yaml", options={"max-clutter-percent": 60}) == []


def test_view004_silent_without_roles() -> None:
    org = read(RULE_FIXTURES / "VIEW004" / "fail.yaml")
    org.roles.clear()
    assert findings_of("VIEW004", org) == []


def test_view004_hubspot_sample_union_of_needs_under_half() -> None:
    # 5 of the deal view's 20 editable fields are needed by no role (25 %).
    assert findings_of("VIEW004", HUBSPOT_YAML) == []
    assert summary(
        findings_of("VIEW004", HUBSPOT_YAML, options={"max-clutter-percent": 20})
    ) == [
        (
            "view:deals.Deal record",
            "25 % of deals.Deal record's 20 editable fields are needed by none of its roles "
            "(ae, csm, manager, sdr): pipeline, dealtype, product_interest, lead_source_detail, "
            "description (max 20 %)",
        ),
    ]


# --- VIEW005 view.role-coverage --------------------------------------------------------------


def test_view005_fail() -> None:
    assert summary(findings_of("VIEW005", "VIEW005/fail.yaml")) == [
        (
            "role:ae",
            "role ae finds 2 of the 3 fields it needs on its views (66 %, target 100 %); "
            "missing: deals.competitor",
        ),
        (
            "role:csm",
            "role csm finds 0 of the 1 fields it needs on its views (0 %, target 100 %); "
            "missing: deals.renewal_date",
        ),
    ]


def test_view005_pass() -> None:
    assert findings_of("VIEW005", "VIEW005/pass.yaml") == []


def test_view005_option() -> None:
    findings = findings_of("VIEW005", "VIEW005/fail.yaml", options={"min-coverage-percent": 60})
    assert [finding.element_id for finding in findings] == ["role:csm"]


def test_view005_silent_without_roles() -> None:
    org = read(RULE_FIXTURES / "VIEW005" / "fail.yaml")
    org.roles.clear()
    assert findings_of("VIEW005", org) == []


def test_view005_field_names_ignore_case() -> None:
    org = Org(platform="salesforce", source_format="cfglint-yaml")
    view = View(
        ViewKind.LAYOUT, "Opportunity-Sales", "Opportunity",
        sections=[ViewSection(None, [ViewItem("Amount")])],
    )
    org.views[view.id] = view
    org.view_assignments = [ViewAssignment(view.id, "profile:Sales")]
    org.roles["role:ae"] = Role(
        "ae", profiles=["profile:Sales"], needs=[RoleFieldNeed("Opportunity.amount")]
    )
    assert findings_of("VIEW005", org) == []


def test_view005_leaves_out_objects_whose_view_is_not_in_the_project() -> None:
    org = Org(platform="salesforce", source_format="sfdx")
    org.view_assignments = [
        ViewAssignment("layout:Account-Not Retrieved", "profile:Sales"),
        ViewAssignment("layout:Contact-Sales", "profile:Sales"),
    ]
    view = View(
        ViewKind.LAYOUT, "Contact-Sales", "Contact",
        sections=[ViewSection(None, [ViewItem("Email")])],
    )
    org.views[view.id] = view
    org.roles["role:ae"] = Role(
        "ae",
        profiles=["profile:Sales"],
        needs=[
            RoleFieldNeed("Account.Name"), RoleFieldNeed("Contact.Email"),
            RoleFieldNeed("Contact.Phone"),
        ],
    )
    assert summary(findings_of("VIEW005", org)) == [
        (
            "role:ae",
            "role ae finds 1 of the 2 fields it needs on its views (50 %, target 100 %); "
            "missing: Contact.Phone",
        ),
    ]


def test_view005_hubspot_sample_covered() -> None:
    # Every deal field a role needs is on the one deal view; contacts and companies have no view.
    assert findings_of("VIEW005", HUBSPOT_YAML) == []


# --- corpora --------------------------------------------------------------------------------


CORPUS_COUNTS = {
    # corpus: VIEW001, VIEW002, VIEW003, VIEW004, VIEW005
    "SalesforceFoundation__NPSP": (1, 1, 4, 0, 0),
    "SalesforceFoundation__NPSP-mdapi-2021": (1, 1, 4, 0, 0),
    "SalesforceFoundation__EDA": (0, 0, 1, 0, 0),
    "SalesforceFoundation__PMM": (0, 1, 0, 0, 0),
    "SFDO-Community__Summit-Events-App": (0, 0, 3, 0, 0),
    "EDACS__EASY-Open-Source-Solution": (0, 0, 0, 0, 0),
    "trailheadapps__ebikes-lwc": (0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_view_counts_on_corpora(corpus: str) -> None:
    org = read(corpus_path("sfdc", corpus))
    counts = tuple(len(findings_of(f"VIEW00{number}", org)) for number in range(1, 6))
    assert counts == CORPUS_COUNTS[corpus]


def test_view_npsp_findings() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    assert summary(findings_of("VIEW001", org)) == [
        (
            "profile:NPSP_Standard_User",
            "profile NPSP_Standard_User works on npe03__Recurring_Donation__c but has no "
            "npe03__Recurring_Donation__c view of its own",
        ),
    ]
    assert summary(findings_of("VIEW002", org)) == [
        (
            "layout:Contact-Contact Lightning Layout",
            "Contact-Contact Lightning Layout is the only Contact view assigned: all 3 profiles "
            "get it (Admin, NPSP_Standard_User, sysadmin_test)",
        ),
    ]
