"""Object children: record types, validation rules, list views, compact layouts, field sets,
web links, in SFDX split files and embedded in Metadata API ``.object`` files."""

from __future__ import annotations

import pytest

from cfglint.model import Behavior, Org, ViewKind
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext
from cfglint.readers.salesforce_xml.objects import (
    handle_compact_layout,
    handle_custom_object,
    handle_field_set,
    handle_list_view,
    handle_record_type,
    handle_validation_rule,
    handle_web_link,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def sfdx_context(path: str, name: str, object_name: str | None) -> ElementContext:
    return ElementContext(path=path, name=name, object_name=object_name)


RECORD_TYPE = document(f"""<RecordType {NS}>
    <fullName>Donation</fullName>
    <active>false</active>
    <businessProcess>Donation Process</businessProcess>
    <description>Gifts received</description>
    <label>Donation</label>
    <picklistValues>
        <picklist>StageName</picklist>
        <values><fullName>Id%2E Decision Makers</fullName><default>false</default></values>
        <values><fullName>Proposal%2FPrice Quote</fullName><default>true</default></values>
    </picklistValues>
    <picklistValues>
        <picklist>Type</picklist>
        <values><fullName>New</fullName><default>false</default></values>
    </picklistValues>
</RecordType>""")


def test_record_type_from_sfdx_file() -> None:
    org = new_org()
    path = "objects/Opportunity/recordTypes/Donation.recordType-meta.xml"
    handle_record_type(
        parse_xml_bytes(RECORD_TYPE), sfdx_context(path, "Donation", "Opportunity"), org
    )

    record_type = org.objects["Opportunity"].record_types["Donation"]
    assert record_type.id == "recordtype:Opportunity.Donation"
    assert record_type.active is False
    assert record_type.business_process == "Donation Process"
    assert record_type.label == "Donation"
    assert record_type.description == "Gifts received"
    # The Metadata API percent-encodes value names in record types.
    assert record_type.picklist_values == {
        "StageName": ["Id. Decision Makers", "Proposal/Price Quote"],
        "Type": ["New"],
    }
    assert record_type.location is not None
    assert (record_type.location.path, record_type.location.line) == (path, 2)
    assert org.occurrences["record_types"] == 1
    assert org.objects["Opportunity"].declared is False  # only a child was seen


def test_first_record_type_wins_and_every_copy_is_counted() -> None:
    org = new_org()
    first = sfdx_context("a/Donation.recordType-meta.xml", "Donation", "Opportunity")
    second = sfdx_context("b/Donation.recordType-meta.xml", "Donation", "Opportunity")
    handle_record_type(parse_xml_bytes(RECORD_TYPE), first, org)
    handle_record_type(
        parse_xml_bytes(document(f"<RecordType {NS}><label>Other</label></RecordType>")),
        second,
        org,
    )

    record_type = org.objects["Opportunity"].record_types["Donation"]
    assert record_type.label == "Donation"
    assert record_type.location is not None and record_type.location.path.startswith("a/")
    assert org.occurrences["record_types"] == 2


def test_child_without_an_object_is_counted_but_not_stored() -> None:
    org = new_org()
    handle_record_type(parse_xml_bytes(RECORD_TYPE), sfdx_context("x", "Donation", None), org)
    assert org.occurrences["record_types"] == 1
    assert org.objects == {}


def test_validation_rule() -> None:
    org = new_org()
    rule = document(f"""<ValidationRule {NS}>
    <fullName>Amount_Required</fullName>
    <active>true</active>
    <description>Closed gifts need an amount.</description>
    <errorConditionFormula>AND(IsClosed, ISBLANK(Amount))</errorConditionFormula>
    <errorDisplayField>Amount</errorDisplayField>
    <errorMessage>Enter the amount.</errorMessage>
</ValidationRule>""")
    handle_validation_rule(
        parse_xml_bytes(rule), sfdx_context("v.xml", "Amount_Required", "Opportunity"), org
    )

    validation_rule = org.objects["Opportunity"].validation_rules["Amount_Required"]
    assert validation_rule.id == "validation:Opportunity.Amount_Required"
    assert validation_rule.active is True
    assert validation_rule.formula == "AND(IsClosed, ISBLANK(Amount))"
    assert validation_rule.error_field == "Amount"
    assert validation_rule.error_message == "Enter the amount."
    assert validation_rule.description == "Closed gifts need an amount."
    assert org.occurrences["validation_rules"] == 1


def test_inactive_validation_rule_without_display_field() -> None:
    org = new_org()
    rule = document(
        f"<ValidationRule {NS}><active>false</active>"
        "<errorConditionFormula>false</errorConditionFormula></ValidationRule>"
    )
    handle_validation_rule(parse_xml_bytes(rule), sfdx_context("v", "Off", "Account"), org)
    validation_rule = org.objects["Account"].validation_rules["Off"]
    assert (validation_rule.active, validation_rule.error_field) == (False, None)
    assert validation_rule.error_message is None


def test_list_view_columns_and_filters() -> None:
    org = new_org()
    list_view = document(f"""<ListView {NS}>
    <fullName>Open_Jobs</fullName>
    <columns>NAME</columns>
    <columns>Status__c</columns>
    <filterScope>Everything</filterScope>
    <filters>
        <field>Status__c</field>
        <operation>notEqual</operation>
        <value>Closed</value>
    </filters>
    <filters>
        <field>Owner__c</field>
        <operation>equals</operation>
    </filters>
    <label>Open Jobs</label>
</ListView>""")
    handle_list_view(parse_xml_bytes(list_view), sfdx_context("l", "Open_Jobs", "Job__c"), org)

    view = org.objects["Job__c"].list_views["Open_Jobs"]
    assert view.id == "listview:Job__c.Open_Jobs"
    assert view.label == "Open Jobs"
    assert view.columns == ["NAME", "Status__c"]
    assert view.filters == ["Status__c notEqual Closed", "Owner__c equals"]
    assert org.occurrences["list_views"] == 1


def test_compact_layout_is_a_view_of_read_only_fields() -> None:
    org = new_org()
    compact_layout = document(f"""<CompactLayout {NS}>
    <fullName>Highlights</fullName>
    <fields>Name</fields>
    <fields>StageName</fields>
    <label>Opportunity Highlights</label>
</CompactLayout>""")
    handle_compact_layout(
        parse_xml_bytes(compact_layout), sfdx_context("c", "Highlights", "Opportunity"), org
    )

    view = org.views["compactlayout:Opportunity.Highlights"]
    assert view.kind is ViewKind.COMPACT_LAYOUT
    assert view.object_name == "Opportunity"
    assert view.label == "Opportunity Highlights"
    assert len(view.sections) == 1
    assert view.field_names() == ["Name", "StageName"]
    assert {item.behavior for item in view.items()} == {Behavior.READONLY}
    assert org.occurrences["compact_layouts"] == 1
    assert "Opportunity" in org.objects


def test_field_set_keeps_displayed_fields_only() -> None:
    org = new_org()
    field_set = document(f"""<FieldSet {NS}>
    <fullName>Signup</fullName>
    <availableFields><field>Phone</field><isFieldManaged>false</isFieldManaged></availableFields>
    <description>Fields on the signup page</description>
    <displayedFields><field>Email</field><isRequired>true</isRequired></displayedFields>
    <displayedFields><field>LastName</field><isRequired>false</isRequired></displayedFields>
    <label>Signup</label>
</FieldSet>""")
    handle_field_set(parse_xml_bytes(field_set), sfdx_context("f", "Signup", "Contact"), org)

    model_field_set = org.objects["Contact"].field_sets["Signup"]
    assert model_field_set.id == "fieldset:Contact.Signup"
    assert model_field_set.fields == ["Email", "LastName"]
    assert model_field_set.label == "Signup"
    assert model_field_set.description == "Fields on the signup page"
    assert org.occurrences["field_sets"] == 1


def test_web_link_is_only_counted() -> None:
    org = new_org()
    web_link = document(f"<WebLink {NS}><fullName>Recalc</fullName></WebLink>")
    handle_web_link(parse_xml_bytes(web_link), sfdx_context("w", "Recalc", "Account"), org)
    assert org.occurrences["web_links"] == 1
    assert org.objects == {}


MDAPI_OBJECT = document(f"""<CustomObject {NS}>
    <businessProcesses>
        <fullName>Gift</fullName>
        <isActive>true</isActive>
        <values><fullName>Closed Won</fullName><default>false</default></values>
    </businessProcesses>
    <compactLayouts>
        <fullName>Gift_Compact</fullName>
        <fields>Name</fields>
    </compactLayouts>
    <fieldSets>
        <fullName>Gift_Fields</fullName>
        <displayedFields><field>Amount</field></displayedFields>
        <label>Gift Fields</label>
    </fieldSets>
    <fields>
        <fullName>Amount</fullName>
        <type>Currency</type>
    </fields>
    <label>Opportunity</label>
    <listViews>
        <fullName>All</fullName>
        <filterScope>Everything</filterScope>
        <label>All</label>
    </listViews>
    <recordTypes>
        <fullName>Gift</fullName>
        <active>true</active>
        <businessProcess>Gift</businessProcess>
        <label>Gift</label>
    </recordTypes>
    <validationRules>
        <fullName>Amount_Positive</fullName>
        <active>true</active>
        <errorConditionFormula>Amount &lt; 0</errorConditionFormula>
        <errorMessage>Positive only.</errorMessage>
    </validationRules>
    <webLinks>
        <fullName>Print</fullName>
    </webLinks>
</CustomObject>""")


def test_mdapi_object_hands_embedded_children_to_the_same_handlers() -> None:
    org = new_org()
    context = ElementContext(path="src/objects/Opportunity.object", name="Opportunity",
                             object_name="Opportunity")
    handle_custom_object(parse_xml_bytes(MDAPI_OBJECT), context, org)

    opportunity = org.objects["Opportunity"]
    assert opportunity.declared is True
    assert list(opportunity.record_types) == ["Gift"]
    assert opportunity.record_types["Gift"].business_process == "Gift"
    assert opportunity.validation_rules["Amount_Positive"].formula == "Amount < 0"
    assert list(opportunity.list_views) == ["All"]
    assert opportunity.field_sets["Gift_Fields"].fields == ["Amount"]
    assert org.views["compactlayout:Opportunity.Gift_Compact"].field_names() == ["Name"]
    assert [stage.name for stage in org.pipelines["pipeline:Opportunity.Gift"].stages] == [
        "Closed Won"
    ]
    # Embedded children carry the line of their own element.
    location = opportunity.validation_rules["Amount_Positive"].location
    assert location is not None and location.line == 33
    assert dict(org.occurrences) == {
        "objects": 1, "fields": 1, "record_types": 1, "business_processes": 1,
        "validation_rules": 1, "list_views": 1, "compact_layouts": 1, "field_sets": 1,
        "web_links": 1,
    }


# --- corpora ------------------------------------------------------------------------------------

#: (validation rules, record types) per corpus: the MANIFEST table. The other kinds were counted
#: independently (SFDX files + elements embedded in ``.object`` files) with find and grep.
CORPUS_COUNTS = {
    "SalesforceFoundation__NPSP": (5, 30, 57, 35, 18, 36),
    "SalesforceFoundation__NPSP-mdapi-2021": (1, 18, 27, 20, 18, 28),
    "SalesforceFoundation__EDA": (2, 23, 34, 22, 0, 0),
    "SalesforceFoundation__PMM": (13, 0, 10, 7, 10, 0),
    "SalesforceFoundation__Volunteers-for-Salesforce": (7, 1, 6, 0, 15, 15),
    "SFDO-Community__Summit-Events-App": (13, 5, 27, 3, 0, 4),
    "EDACS__EASY-Open-Source-Solution": (2, 29, 24, 5, 2, 4),
}


@pytest.mark.parametrize("corpus", sorted(CORPUS_COUNTS))
def test_corpus_object_children_occurrences(corpus: str) -> None:
    org = read(corpus_path("sfdc", corpus))
    kinds = ("validation_rules", "record_types", "list_views", "compact_layouts", "field_sets",
             "web_links")
    assert tuple(org.occurrences[kind] for kind in kinds) == CORPUS_COUNTS[corpus]


def test_npsp_record_types_after_de_duplication() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    record_types = {record_type.id: record_type for record_type in org.record_types()}
    assert len(record_types) == 16
    donation = record_types["recordtype:Opportunity.Donation"]
    # unpackaged/config/dev is read before config/trial: its copy wins.
    assert donation.business_process == "NPSP_Default"
    assert donation.picklist_values["ForecastCategoryName"] == [
        "Best Case", "Closed", "Commit", "Omitted", "Pipeline"
    ]


def test_eda_record_type_values_are_decoded() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__EDA"))
    credential = org.objects["Attribute__c"].record_types["Credential"]
    assert "Physical, Health, and Safety Education" in credential.picklist_values[
        "Subject_Area__c"
    ]
