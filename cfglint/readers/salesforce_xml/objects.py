"""CustomObject, CustomField and the other children of an object.

The children (record types, validation rules, list views, compact layouts, field sets, web
links) are split-out files in SFDX source format and embedded elements of a Metadata API
``.object`` file; :func:`handle_custom_object` hands the embedded ones to the same handlers.
Business processes live with the pipelines in :mod:`~cfglint.readers.salesforce_xml.values`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from lxml import etree

from cfglint.model import (
    Behavior,
    CrmObject,
    Field,
    FieldSet,
    FieldType,
    ListView,
    Org,
    PicklistValue,
    RecordType,
    SourceLocation,
    ValidationRule,
    View,
    ViewItem,
    ViewKind,
    ViewSection,
    is_custom_name,
    salesforce_field_type,
)
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import (
    Node,
    as_integer,
    child_texts,
    flag,
    is_true,
    stripped,
    text,
    texts,
)

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

    # lxml picks the embedded components out in C: the object's other settings (action
    # overrides, search layouts, ...) never become Python objects.
    for child_element in element.iterchildren(*EMBEDDED_TYPES):
        embedded_type = EMBEDDED_TYPES[child_element.tag]
        handler: ElementHandler | None = HANDLERS.get(embedded_type)
        if handler is None:
            org.occurrences[OCCURRENCE_KINDS[embedded_type]] += 1
            continue
        handler(child_element, context.embedded(child_element, object_name=name), org)


def handle_custom_field(element: etree._Element, context: ElementContext, org: Org) -> None:
    object_name = context.object_name
    if object_name is None:
        org.occurrences["fields"] += 1  # counted, but a field needs its object
        return
    add_custom_field(read_custom_field(element, object_name, context), org)


def read_custom_field(element: etree._Element, object_name: str, context: ElementContext) -> Field:
    """The field a ``<CustomField>`` element defines, without adding it to a model (a worker
    process reads field files this way: :mod:`cfglint.readers.salesforce_fields`)."""
    # A field has some twenty settings: index its children once rather than search per setting.
    node = Node(element)
    return parse_field(node, object_name, _field_name(node, context), context.location(element))


def add_custom_field(model_field: Field, org: Org) -> None:
    """Add a field :func:`read_custom_field` read: the first definition of a field wins, and
    the first field of an object the project does not declare creates it."""
    org.occurrences["fields"] += 1
    crm_object = org.ensure_object(model_field.object_name, model_field.location)
    if model_field.name not in crm_object.fields:  # first definition wins
        crm_object.fields[model_field.name] = model_field


def _field_name(node: Node, context: ElementContext) -> str:
    name = node.texts.get("fullName") or context.name
    if "." in name:  # some tools write Object.Field as the fullName of a single field file
        name = name.rpartition(".")[2]
    return name


def _one_item_list(value: str) -> list[str]:
    return [value]


#: Field settings by element name: the Field attribute each sets and how its text converts
#: (``None``: kept as written).
_FIELD_SETTINGS: dict[str, tuple[str, Callable[[str], object] | None]] = {
    "label": ("label", None),
    "defaultValue": ("default", None),
    "relationshipName": ("relationship_name", None),
    "description": ("description", None),
    "inlineHelpText": ("help_text", None),
    "length": ("length", as_integer),
    "precision": ("precision", as_integer),
    "scale": ("scale", as_integer),
    "visibleLines": ("visible_lines", as_integer),
    "required": ("required", is_true),
    "unique": ("unique", is_true),
    "externalId": ("external_id", is_true),
    "trackHistory": ("track_history", is_true),
    "referenceTo": ("reference_to", _one_item_list),
}


def parse_field(node: Node, object_name: str, name: str, location: SourceLocation) -> Field:
    settings = node.texts
    source_type = settings.get("type")
    formula = settings.get("formula")
    summary = source_type == "Summary"
    field_type = salesforce_field_type(source_type, has_formula=formula is not None or summary)
    custom = is_custom_name(name)
    model_field = Field(
        object_name,
        name,
        type=field_type,
        source_type=source_type,
        custom=custom,
        formula=formula or _summary_expression(node),
        system=field_type is FieldType.AUTONUMBER or (not custom and name in SYSTEM_FIELDS),
        location=location,
    )
    # Only the settings the file has, of the twenty a field can have: each keyword argument
    # costs Field() more than setting an attribute, and most fields have five or six settings.
    for tag, value in settings.items():
        setting = _FIELD_SETTINGS.get(tag)
        if setting is not None and value is not None:
            attribute, convert = setting
            setattr(model_field, attribute, value if convert is None else convert(value))
    if source_type == "MasterDetail":
        model_field.required = True  # a detail record cannot be saved without its master
    if source_type in ("Picklist", "MultiselectPicklist") or "valueSet" in settings:
        _read_picklist(node, model_field)
    return model_field


def _summary_expression(node: Node) -> str | None:
    """Roll-up summaries read the summarized field; keep it as a pseudo-formula."""
    operation = node.text("summaryOperation")
    if operation is None:
        return None
    summarized = node.text("summarizedField") or node.text("summaryForeignKey")
    return f"{operation.upper()}({summarized or ''})"


def _read_picklist(node: Node, model_field: Field) -> None:
    value_set = node.child("valueSet")
    if value_set is not None:
        settings = Node(value_set)
        model_field.restricted = settings.flag("restricted")
        model_field.controlling_field = settings.text("controllingField")
        model_field.value_set_name = settings.text("valueSetName")
        definition = settings.child("valueSetDefinition")
        if definition is not None:
            model_field.picklist_values = [
                picklist_value(child_texts(value)) for value in definition.iterchildren("value")
            ]
        _apply_value_settings(value_set, model_field)
        return
    # Before API 38 picklists were <picklist><picklistValues>…</picklistValues></picklist>.
    legacy = node.child("picklist")
    if legacy is None:
        model_field.restricted = False
        return
    legacy_settings = Node(legacy)
    model_field.restricted = legacy_settings.flag("restrictedPicklist")
    model_field.controlling_field = legacy_settings.text("controllingField")
    for value in legacy.iterchildren("picklistValues"):
        legacy_value = picklist_value(child_texts(value))
        legacy_value.valid_for = [
            controlling
            for controlling_element in value.iterchildren("controllingFieldValues")
            if (controlling := controlling_element.text)
        ]
        model_field.picklist_values.append(legacy_value)


def picklist_value(settings: dict[str, str | None]) -> PicklistValue:
    """A value of a field's value set, a global value set or a standard value set, from the
    texts of its settings (:func:`~cfglint.readers.xml.child_texts`): the same settings
    everywhere. Arguments by position: a value set can list thousands of values, and
    PicklistValue() takes keywords at twice the cost."""
    setting = settings.get
    name = setting("fullName") or ""
    default = setting("default")
    active = setting("isActive")
    return PicklistValue(
        name,
        setting("label") or name,
        default is not None and default.lower() == "true",
        active is None or active.lower() == "true",
        [],
        setting("color"),
    )


def _apply_value_settings(value_set: etree._Element, model_field: Field) -> None:
    """Dependent picklists: ``valueSettings`` say which controlling values allow each value."""
    valid_for: dict[str, list[str]] = {}
    for setting in value_set.iterchildren("valueSettings"):
        value_name = text(setting, "valueName")
        if value_name is None:
            continue
        valid_for.setdefault(value_name, []).extend(
            controlling.text.strip()
            for controlling in setting.iterchildren("controllingFieldValue")
            if controlling.text
        )
    if valid_for:  # else every value keeps the empty list it was made with
        for listed in model_field.picklist_values:
            listed.valid_for = valid_for.get(listed.name, [])
    if not model_field.picklist_values and valid_for:
        # Values from a global value set: keep the dependency for when they are resolved.
        model_field.picklist_values = [
            PicklistValue(name=value, valid_for=controlling)
            for value, controlling in valid_for.items()
        ]


# --- object children ----------------------------------------------------------------------------


def object_child(
    element: etree._Element, context: ElementContext, org: Org
) -> tuple[CrmObject, str] | None:
    """The object a child belongs to and the child's own name; ``None`` when the path says no
    object (a stray child file outside ``objects/<Object>/``)."""
    if context.object_name is None:
        return None
    name = context.name or text(element, "fullName") or ""
    if "." in name:  # ``Object.Child`` fullNames in some retrieved files
        name = name.rpartition(".")[2]
    return org.ensure_object(context.object_name, context.location(element)), name


def decode_value_name(name: str) -> str:
    """Record types and business processes percent-encode value names (``Id%2E Decision
    Makers``); value sets and field definitions do not."""
    return unquote(name) if "%" in name else name


def handle_record_type(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["record_types"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    if name in crm_object.record_types:
        return
    record_type = RecordType(
        object_name=crm_object.name, name=name, location=context.location(element)
    )
    for child_element in element:
        child_name = child_element.tag
        if child_name == "picklistValues":
            _read_record_type_values(child_element, record_type)
        elif child_name == "active":
            record_type.active = (child_element.text or "").strip().lower() == "true"
        elif child_name == "businessProcess":
            record_type.business_process = stripped(child_element)
        elif child_name == "label":
            record_type.label = stripped(child_element)
        elif child_name == "description":
            record_type.description = stripped(child_element)
    crm_object.record_types[name] = record_type


def _read_record_type_values(element: etree._Element, record_type: RecordType) -> None:
    field_name = text(element, "picklist")
    if field_name is None:
        return
    values = record_type.picklist_values.setdefault(field_name, [])
    # Record types of big objects list thousands of values: the first <fullName> of each is
    # found with a plain loop (a value has two children), not a look-up per value.
    for value in element.iterchildren("values"):
        for setting in value:
            if setting.tag == "fullName":
                value_name = stripped(setting)
                if value_name is not None:
                    values.append(decode_value_name(value_name))
                break


def handle_validation_rule(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["validation_rules"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    if name in crm_object.validation_rules:
        return
    crm_object.validation_rules[name] = ValidationRule(
        object_name=crm_object.name,
        name=name,
        active=flag(element, "active", default=True),
        formula=text(element, "errorConditionFormula") or "",
        error_field=text(element, "errorDisplayField"),
        error_message=text(element, "errorMessage"),
        description=text(element, "description"),
        location=context.location(element),
    )


def handle_list_view(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["list_views"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    if name in crm_object.list_views:
        return
    list_view = ListView(object_name=crm_object.name, name=name, location=context.location(element))
    for child_element in element:
        child_name = child_element.tag
        if child_name == "columns":
            column = stripped(child_element)
            if column is not None:
                list_view.columns.append(column)
        elif child_name == "filters":
            list_view.filters.append(_filter_text(child_element))
        elif child_name == "label":
            list_view.label = stripped(child_element)
    crm_object.list_views[name] = list_view


def _filter_text(element: etree._Element) -> str:
    """``field operation value`` as one string; a filter without a value (``equals`` blank)
    keeps just the field and the operation."""
    parts = (text(element, "field"), text(element, "operation"), text(element, "value"))
    return " ".join(part for part in parts if part is not None)


def handle_compact_layout(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["compact_layouts"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    view_name = f"{crm_object.name}.{name}"
    if f"{ViewKind.COMPACT_LAYOUT.value}:{view_name}" in org.views:
        return
    location = context.location(element)
    view = View(
        kind=ViewKind.COMPACT_LAYOUT,
        name=view_name,
        object_name=crm_object.name,
        label=text(element, "label"),
        location=location,
    )
    # The highlights panel only shows these fields; nobody types into a compact layout.
    items = [
        ViewItem(field=field_name, behavior=Behavior.READONLY, location=location)
        for field_name in texts(element, "fields")
    ]
    view.sections.append(ViewSection(label=None, items=items))
    org.views[view.id] = view


def handle_field_set(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["field_sets"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    if name in crm_object.field_sets:
        return
    field_set = FieldSet(object_name=crm_object.name, name=name, location=context.location(element))
    for child_element in element:
        child_name = child_element.tag
        if child_name == "displayedFields":
            field_name = text(child_element, "field")
            if field_name is not None:
                field_set.fields.append(field_name)
        elif child_name == "label":
            field_set.label = stripped(child_element)
        elif child_name == "description":
            field_set.description = stripped(child_element)
    crm_object.field_sets[name] = field_set


def handle_web_link(element: etree._Element, context: ElementContext, org: Org) -> None:
    """Buttons and links are inventoried only: the model has nothing that uses them."""
    org.occurrences["web_links"] += 1


HANDLERS: dict[str, ElementHandler] = {
    "CustomObject": handle_custom_object,
    "CustomField": handle_custom_field,
    "RecordType": handle_record_type,
    "ValidationRule": handle_validation_rule,
    "ListView": handle_list_view,
    "CompactLayout": handle_compact_layout,
    "FieldSet": handle_field_set,
    "WebLink": handle_web_link,
}
