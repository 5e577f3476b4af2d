"""CustomObject and CustomField (and the split-out children of a Metadata API object file)."""

from __future__ import annotations

from lxml import etree

from cfglint.model import (
    Field,
    FieldType,
    Org,
    PicklistValue,
    is_custom_name,
    salesforce_field_type,
)
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import child, children, flag, integer, text

#: Child element of a Metadata API ``<CustomObject>`` -> the Metadata API type it embeds.
EMBEDDED_TYPES: dict[str, str] = {
    "fields": "CustomField",
    "recordTypes": "RecordType",
    "businessProcesses": "BusinessProcess",
    "validationRules": "ValidationRule",
    "listViews": "ListView",
    "compactLayouts": "CompactLayout",
    "fieldSets": "FieldSet",
    "webLinks": "WebLink",
}

#: Which occurrence counter each embedded type adds to (the same names the SFDX files use).
OCCURRENCE_KINDS: dict[str, str] = {
    "CustomObject": "objects",
    "CustomField": "fields",
    "RecordType": "record_types",
    "BusinessProcess": "business_processes",
    "ValidationRule": "validation_rules",
    "ListView": "list_views",
    "CompactLayout": "compact_layouts",
    "FieldSet": "field_sets",
    "WebLink": "web_links",
}

#: Standard fields the platform sets; a person never types them.
SYSTEM_FIELDS = frozenset(
    {
        "Id", "CreatedById", "CreatedDate", "LastModifiedById", "LastModifiedDate",
        "SystemModstamp", "IsDeleted", "LastActivityDate", "LastViewedDate",
        "LastReferencedDate", "MasterRecordId", "IsClosed", "IsWon", "ForecastCategory",
        "FiscalYear", "FiscalQuarter", "Fiscal", "HasOpenActivity", "HasOverdueTask",
        "HasOpportunityLineItem", "ExpectedRevenue", "PushCount", "LastStageChangeDate",
        "LastAmountChangedHistoryId", "LastCloseDateChangedHistoryId",
    }
)


def handle_custom_object(element: etree._Element, context: ElementContext, org: Org) -> None:
    name = context.object_name or context.name
    org.occurrences["objects"] += 1
    crm_object = org.objects.get(name)
    if crm_object is None or not crm_object.declared:
        crm_object = org.ensure_object(name, context.location(element))
        crm_object.declared = True
        crm_object.location = context.location(element)
        crm_object.label = text(element, "label")
        crm_object.plural_label = text(element, "pluralLabel")
        crm_object.description = text(element, "description")
        crm_object.custom = is_custom_name(name)
    elif crm_object.description is None:
        crm_object.description = text(element, "description")
    from cfglint.readers.salesforce_xml import HANDLERS

    for child_name, child_element in children(element):
        embedded_type = EMBEDDED_TYPES.get(child_name)
        if embedded_type is None:
            continue
        handler: ElementHandler | None = HANDLERS.get(embedded_type)
        if handler is None:
            org.occurrences[OCCURRENCE_KINDS[embedded_type]] += 1
            continue
        handler(child_element, context.embedded(child_element, object_name=name), org)


def handle_custom_field(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["fields"] += 1
    object_name = context.object_name
    if object_name is None:
        return
    name = text(element, "fullName") or context.name
    if "." in name:  # some tools write Object.Field as the fullName of a single field file
        name = name.rpartition(".")[2]
    crm_object = org.ensure_object(object_name, context.location(element))
    if name in crm_object.fields:
        return  # first definition wins; see cfglint.readers.salesforce
    crm_object.fields[name] = parse_field(element, object_name, name, context)


def parse_field(
    element: etree._Element, object_name: str, name: str, context: ElementContext
) -> Field:
    source_type = text(element, "type")
    formula = text(element, "formula")
    summary = source_type == "Summary"
    field_type = salesforce_field_type(source_type, has_formula=formula is not None or summary)
    custom = is_custom_name(name)
    default = text(element, "defaultValue")
    model_field = Field(
        object_name=object_name,
        name=name,
        label=text(element, "label"),
        type=field_type,
        source_type=source_type,
        custom=custom,
        required=flag(element, "required"),
        default=default,
        formula=formula or _summary_expression(element),
        length=integer(element, "length"),
        precision=integer(element, "precision"),
        scale=integer(element, "scale"),
        visible_lines=integer(element, "visibleLines"),
        reference_to=[value for value in [text(element, "referenceTo")] if value],
        relationship_name=text(element, "relationshipName"),
        description=text(element, "description"),
        help_text=text(element, "inlineHelpText"),
        unique=flag(element, "unique"),
        external_id=flag(element, "externalId"),
        track_history=flag(element, "trackHistory"),
        system=not custom and name in SYSTEM_FIELDS,
        location=context.location(element),
    )
    if field_type is FieldType.AUTONUMBER:
        model_field.system = True
    if source_type == "MasterDetail":
        model_field.required = True  # a detail record cannot be saved without its master
    if source_type in ("Picklist", "MultiselectPicklist") or child(element, "valueSet") is not None:
        _read_picklist(element, model_field)
    return model_field


def _summary_expression(element: etree._Element) -> str | None:
    """Roll-up summaries read the summarized field; keep it as a pseudo-formula."""
    operation = text(element, "summaryOperation")
    summarized = text(element, "summarizedField") or text(element, "summaryForeignKey")
    if operation is None:
        return None
    return f"{operation.upper()}({summarized or ''})"


def _read_picklist(element: etree._Element, model_field: Field) -> None:
    value_set = child(element, "valueSet")
    if value_set is not None:
        model_field.restricted = flag(value_set, "restricted")
        model_field.controlling_field = text(value_set, "controllingField")
        model_field.value_set_name = text(value_set, "valueSetName")
        definition = child(value_set, "valueSetDefinition")
        if definition is not None:
            model_field.picklist_values = [
                _picklist_value(value) for name, value in children(definition) if name == "value"
            ]
        _apply_value_settings(value_set, model_field)
        return
    # Before API 38 picklists were <picklist><picklistValues>…</picklistValues></picklist>.
    legacy = child(element, "picklist")
    model_field.restricted = flag(legacy, "restrictedPicklist") if legacy is not None else False
    if legacy is None:
        return
    model_field.controlling_field = text(legacy, "controllingField")
    for name, value in children(legacy):
        if name == "picklistValues":
            picklist_value = _picklist_value(value)
            picklist_value.valid_for = [
                controlling for key, controlling_element in children(value)
                if key == "controllingFieldValues" and (controlling := controlling_element.text)
            ]
            model_field.picklist_values.append(picklist_value)


def _picklist_value(value: etree._Element) -> PicklistValue:
    name = text(value, "fullName") or ""
    return PicklistValue(
        name=name,
        label=text(value, "label") or name,
        default=flag(value, "default"),
        active=flag(value, "isActive", default=True),
        color=text(value, "color"),
    )


def _apply_value_settings(value_set: etree._Element, model_field: Field) -> None:
    """Dependent picklists: ``valueSettings`` say which controlling values allow each value."""
    valid_for: dict[str, list[str]] = {}
    for name, setting in children(value_set):
        if name != "valueSettings":
            continue
        value_name = text(setting, "valueName")
        if value_name is None:
            continue
        valid_for.setdefault(value_name, []).extend(
            controlling.text.strip()
            for key, controlling in children(setting)
            if key == "controllingFieldValue" and controlling.text
        )
    for picklist_value in model_field.picklist_values:
        picklist_value.valid_for = valid_for.get(picklist_value.name, [])
    if not model_field.picklist_values and valid_for:
        # Values from a global value set: keep the dependency for when they are resolved.
        model_field.picklist_values = [
            PicklistValue(name=value, valid_for=controlling)
            for value, controlling in valid_for.items()
        ]


HANDLERS: dict[str, ElementHandler] = {
    "CustomObject": handle_custom_object,
    "CustomField": handle_custom_field,
}
