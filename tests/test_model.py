"""The model's normalized field types and element ids."""

from __future__ import annotations

import pytest

from cfglint.model import (
    Automation,
    AutomationKind,
    Field,
    FieldType,
    Pipeline,
    Stage,
    View,
    ViewKind,
    hubspot_field_type,
    is_custom_name,
    salesforce_field_type,
)

#: Every value of the Metadata API's FieldType enumeration and what it normalizes to.
METADATA_API_TYPES = {
    "AutoNumber": FieldType.AUTONUMBER, "Checkbox": FieldType.CHECKBOX,
    "Currency": FieldType.CURRENCY, "Date": FieldType.DATE, "DateTime": FieldType.DATETIME,
    "Email": FieldType.EMAIL, "EncryptedText": FieldType.TEXT,
    "ExternalLookup": FieldType.LOOKUP, "IndirectLookup": FieldType.LOOKUP,
    "Hierarchy": FieldType.LOOKUP, "Lookup": FieldType.LOOKUP, "MasterDetail": FieldType.LOOKUP,
    "MetadataRelationship": FieldType.LOOKUP, "Location": FieldType.OTHER,
    "LongTextArea": FieldType.LONGTEXT, "Html": FieldType.LONGTEXT,
    "MultiselectPicklist": FieldType.MULTIPICKLIST, "Number": FieldType.NUMBER,
    "Percent": FieldType.PERCENT, "Phone": FieldType.PHONE, "Picklist": FieldType.PICKLIST,
    "Summary": FieldType.FORMULA, "Text": FieldType.TEXT, "TextArea": FieldType.TEXTAREA,
    "Time": FieldType.DATETIME, "Url": FieldType.URL, "File": FieldType.OTHER,
}

#: sObject describe types that differ from the Metadata API's names.
DESCRIBE_TYPES = {
    "string": FieldType.TEXT, "boolean": FieldType.CHECKBOX, "double": FieldType.NUMBER,
    "int": FieldType.NUMBER, "reference": FieldType.LOOKUP, "textarea": FieldType.TEXTAREA,
    "id": FieldType.OTHER, "calculated": FieldType.FORMULA, "combobox": FieldType.PICKLIST,
}


@pytest.mark.parametrize(("source", "expected"), sorted({**METADATA_API_TYPES,
                                                         **DESCRIBE_TYPES}.items()))
def test_salesforce_types_normalize(source: str, expected: FieldType) -> None:
    assert salesforce_field_type(source) is expected


def test_any_salesforce_field_with_a_formula_is_a_formula_field() -> None:
    assert salesforce_field_type("Currency", has_formula=True) is FieldType.FORMULA
    assert salesforce_field_type(None) is FieldType.OTHER
    assert salesforce_field_type("SomethingNew") is FieldType.OTHER


@pytest.mark.parametrize(
    ("storage", "control", "expected"),
    [
        ("string", "text", FieldType.TEXT),
        ("string", "textarea", FieldType.TEXTAREA),
        ("string", "html", FieldType.LONGTEXT),
        ("enumeration", "select", FieldType.PICKLIST),
        ("enumeration", "radio", FieldType.PICKLIST),
        ("enumeration", "checkbox", FieldType.MULTIPICKLIST),
        ("enumeration", "booleancheckbox", FieldType.CHECKBOX),
        ("bool", "booleancheckbox", FieldType.CHECKBOX),
        ("date", "date", FieldType.DATE),
        ("datetime", "date", FieldType.DATETIME),
        ("number", "number", FieldType.NUMBER),
        ("currency", "number", FieldType.CURRENCY),
        ("phone_number", "phonenumber", FieldType.PHONE),
        ("number", "calculation_equation", FieldType.FORMULA),
        ("number", "calculation_rollup", FieldType.FORMULA),
        ("string", None, FieldType.TEXT),
        ("object_coordinates", "text", FieldType.TEXT),
        ("json", None, FieldType.OTHER),
    ],
)
def test_hubspot_types_normalize(storage: str, control: str | None, expected: FieldType) -> None:
    assert hubspot_field_type(storage, control) is expected


def test_custom_names() -> None:
    assert is_custom_name("Region__c") and is_custom_name("npsp__Level__c")
    assert is_custom_name("Setting__mdt") and is_custom_name("Event__e")
    assert not is_custom_name("Amount") and not is_custom_name("Parent__r")


def test_element_ids_are_stable_human_strings() -> None:
    assert Field("Opportunity", "Amount").id == "Opportunity.Amount"
    assert View(ViewKind.LAYOUT, "Opportunity-Sales Layout", "Opportunity").id == (
        "layout:Opportunity-Sales Layout"
    )
    assert Automation(AutomationKind.FLOW, "Close_Won_Handoff", "Opportunity").id == (
        "flow:Close_Won_Handoff"
    )
    assert Automation(AutomationKind.WORKFLOW_RULE, "Flag", "Opportunity").id == (
        "workflow:Opportunity.Flag"
    )
    pipeline = Pipeline("Opportunity", "Sales", stages=[Stage("Proposal")])
    assert pipeline.id == "pipeline:Opportunity.Sales"
    assert pipeline.stage_id(pipeline.stages[0]) == "stage:Opportunity.Sales/Proposal"
