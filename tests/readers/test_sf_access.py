"""Profiles, permission sets and permission set groups; layout assignments."""

from __future__ import annotations

import pytest

from cfglint.model import (
    FieldPermission,
    ObjectPermission,
    Org,
    ProfileKind,
    ViewAssignment,
)
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.access import (
    finalize,
    handle_permission_set,
    handle_permission_set_group,
    handle_profile,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'

PROFILE = f"""{HEAD}<Profile {NS}>
    <custom>true</custom>
    <description>Fundraisers</description>
    <fieldPermissions>
        <editable>true</editable>
        <field>Opportunity.Amount</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>false</editable>
        <field>Opportunity.Probability</field>
        <readable>false</readable>
    </fieldPermissions>
    <!-- a comment between entries -->
    <layoutAssignments>
        <layout>Opportunity-Donation Layout</layout>
        <recordType>Opportunity.Donation</recordType>
    </layoutAssignments>
    <layoutAssignments>
        <layout>Account-Account Layout</layout>
    </layoutAssignments>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Opportunity</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <recordTypeVisibilities>
        <default>true</default>
        <recordType>Opportunity.Donation</recordType>
        <visible>true</visible>
    </recordTypeVisibilities>
    <recordTypeVisibilities>
        <default>false</default>
        <recordType>Opportunity.Grant</recordType>
        <visible>false</visible>
    </recordTypeVisibilities>
    <userLicense>Salesforce</userLicense>
</Profile>
"""

PERMISSION_SET = f"""{HEAD}<PermissionSet {NS}>
    <fieldPermissions>
        <editable>false</editable>
        <field>Opportunity.Amount</field>
        <readable>true</readable>
    </fieldPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>View Donations</label>
    <description>Read-only access to donations</description>
</PermissionSet>
"""

PERMISSION_SET_GROUP = f"""{HEAD}<PermissionSetGroup {NS}>
    <description>Everything a fundraiser needs</description>
    <label>Fundraising</label>
    <permissionSets>View_Donations</permissionSets>
    <status>Updated</status>
</PermissionSetGroup>
"""


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def profile_context(name: str, path: str = "profiles/x.profile") -> ElementContext:
    return ElementContext(path=path, name=name)


def test_profile_permissions_record_types_and_assignments() -> None:
    org = new_org()
    handle_profile(parse_xml_bytes(PROFILE.encode()), profile_context("Fundraiser"), org)

    profile = org.profiles["profile:Fundraiser"]
    assert profile.kind is ProfileKind.PROFILE
    assert profile.custom is True
    assert profile.description == "Fundraisers"
    assert profile.field_permissions == [
        FieldPermission("Opportunity.Amount", readable=True, editable=True),
        FieldPermission("Opportunity.Probability", readable=False, editable=False),
    ]
    assert profile.object_permissions == [
        ObjectPermission("Opportunity", create=True, read=True, edit=True, delete=False)
    ]
    assert profile.record_types == ["recordtype:Opportunity.Donation"]
    assert profile.location is not None and profile.location.line == 2
    assert org.view_assignments == [
        ViewAssignment(
            "layout:Opportunity-Donation Layout",
            "profile:Fundraiser",
            "recordtype:Opportunity.Donation",
        ),
        ViewAssignment("layout:Account-Account Layout", "profile:Fundraiser", None),
    ]
    assert org.occurrences["profiles"] == 1


def test_profile_name_is_url_decoded() -> None:
    org = new_org()
    element = parse_xml_bytes(f"<Profile {NS}/>".encode())
    handle_profile(element, profile_context("Custom%3A Marketing Profile"), org)

    assert "profile:Custom: Marketing Profile" in org.profiles


@pytest.mark.parametrize(
    ("name", "document", "custom"),
    [
        ("Admin", f"<Profile {NS}/>", False),
        ("NPSP_Standard_User", f"<Profile {NS}/>", True),
        ("Admin", f"<Profile {NS}><custom>true</custom></Profile>", True),
        ("Guest_User", f"<Profile {NS}><custom>false</custom></Profile>", False),
    ],
)
def test_profile_custom_flag(name: str, document: str, custom: bool) -> None:
    org = new_org()
    handle_profile(parse_xml_bytes(document.encode()), profile_context(name), org)
    assert org.profiles[f"profile:{name}"].custom is custom


def test_permission_set() -> None:
    org = new_org()
    context = ElementContext(path="permissionsets/View_Donations.permissionset-meta.xml",
                             name="View_Donations")
    handle_permission_set(parse_xml_bytes(PERMISSION_SET.encode()), context, org)

    permission_set = org.profiles["permset:View_Donations"]
    assert permission_set.kind is ProfileKind.PERMISSION_SET
    assert permission_set.label == "View Donations"
    assert permission_set.description == "Read-only access to donations"
    assert permission_set.custom is True
    assert permission_set.field_permissions == [
        FieldPermission("Opportunity.Amount", readable=True, editable=False)
    ]
    assert org.occurrences["permission_sets"] == 1


def test_permission_set_group() -> None:
    org = new_org()
    context = ElementContext(path="permissionsetgroups/Fundraising.permissionsetgroup",
                             name="Fundraising")
    handle_permission_set_group(parse_xml_bytes(PERMISSION_SET_GROUP.encode()), context, org)

    group = org.profiles["permsetgroup:Fundraising"]
    assert group.kind is ProfileKind.PERMISSION_SET_GROUP
    assert group.label == "Fundraising"
    assert group.description == "Everything a fundraiser needs"
    assert org.occurrences["permission_set_groups"] == 1


def test_second_copy_adds_assignments_but_keeps_first_permissions() -> None:
    org = new_org()
    handle_profile(parse_xml_bytes(PROFILE.encode()), profile_context("Admin", "dev/Admin"), org)
    second = f"""<Profile {NS}>
        <fieldPermissions><editable>true</editable><field>Lead.Company</field>
            <readable>true</readable></fieldPermissions>
        <layoutAssignments><layout>Account-Account Layout</layout></layoutAssignments>
        <layoutAssignments><layout>Lead-Lead Layout</layout></layoutAssignments>
    </Profile>"""
    handle_profile(parse_xml_bytes(second.encode()), profile_context("Admin", "trial/Admin"), org)

    profile = org.profiles["profile:Admin"]
    assert profile.location is not None and profile.location.path == "dev/Admin"
    assert [permission.field for permission in profile.field_permissions] == [
        "Opportunity.Amount",
        "Opportunity.Probability",
    ]
    assert org.occurrences["profiles"] == 2
    assert len(org.view_assignments) == 4

    finalize(org)
    assert org.view_assignments == [
        ViewAssignment("layout:Account-Account Layout", "profile:Admin", None),
        ViewAssignment("layout:Lead-Lead Layout", "profile:Admin", None),
        ViewAssignment(
            "layout:Opportunity-Donation Layout", "profile:Admin", "recordtype:Opportunity.Donation"
        ),
    ]


def test_finalize_sorts_with_and_without_record_type() -> None:
    org = new_org()
    org.view_assignments = [
        ViewAssignment("layout:B", "profile:P", "recordtype:Account.X"),
        ViewAssignment("layout:B", "profile:P", None),
        ViewAssignment("layout:A", "profile:Q", None),
        ViewAssignment("layout:B", "profile:P", None),
    ]
    finalize(org)
    assert org.view_assignments == [
        ViewAssignment("layout:B", "profile:P", None),
        ViewAssignment("layout:B", "profile:P", "recordtype:Account.X"),
        ViewAssignment("layout:A", "profile:Q", None),
    ]


@pytest.mark.parametrize(
    ("corpus", "profiles", "permission_sets"),
    [
        ("SalesforceFoundation__NPSP", 9, 12),
        ("SalesforceFoundation__NPSP-mdapi-2021", 8, 5),
        ("SalesforceFoundation__EDA", 9, 2),
        ("SalesforceFoundation__PMM", 3, 6),
        ("SalesforceFoundation__Volunteers-for-Salesforce", 1, 2),
        ("SFDO-Community__Summit-Events-App", 0, 2),
        ("EDACS__EASY-Open-Source-Solution", 0, 6),
        ("trailheadapps__coral-cloud", 1, 3),
        ("trailheadapps__ebikes-lwc", 1, 2),
        ("trailheadapps__dreamhouse-lwc", 0, 1),
    ],
)
def test_corpus_access_counts(corpus: str, profiles: int, permission_sets: int) -> None:
    org = read(corpus_path("sfdc", corpus))
    assert org.occurrences["profiles"] == profiles
    assert org.occurrences["permission_sets"] == permission_sets


def test_npsp_layout_assignments(monkeypatch: pytest.MonkeyPatch) -> None:
    root = corpus_path("sfdc", "SalesforceFoundation__NPSP")
    # Before de-duplication: the MANIFEST's 55 assignments in 7 profile files.
    from cfglint.readers.salesforce_xml import access

    monkeypatch.setattr(access, "finalize", lambda org: None)
    assert len(read(root).view_assignments) == 55
    monkeypatch.undo()

    org = read(root)
    assert len(org.view_assignments) == 35
    assert len({assignment.view_id for assignment in org.view_assignments}) == 14
    assert {assignment.profile_id for assignment in org.view_assignments} == {
        "profile:Admin", "profile:NPSP_Standard_User", "profile:Standard", "profile:sysadmin_test",
    }
    assert all(assignment.view_id in org.views for assignment in org.view_assignments)
    assert org.view_assignments == sorted(
        org.view_assignments, key=lambda a: (a.profile_id, a.view_id, a.record_type or "")
    )


def test_ebikes_guest_profile() -> None:
    org = read(corpus_path("sfdc", "trailheadapps__ebikes-lwc"))
    profile = org.profiles["profile:E-Bikes Profile"]
    assert profile.custom is True
    assert len(profile.field_permissions) == 54
    assert len(org.view_assignments) == 6
