"""Write an :class:`~cfglint.model.Org` as cfglint YAML (docs/yaml-format.md).

The output reads back into an equal model (apart from source locations and what other tools
derive, such as formula references). It is deterministic: the same model gives the same bytes.
Mappings keyed by name are sorted; lists keep the model's order, because stage, section, field
and option order mean something. Settings at their default are left out, and an element with
nothing but a type or a name is written in its short form (``amount: currency``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from cfglint.model import (
    Automation,
    Behavior,
    CrmObject,
    Field,
    FieldType,
    Org,
    PicklistValue,
    Pipeline,
    Profile,
    ProfileKind,
    Report,
    Role,
    Stage,
    ValueSet,
    View,
    ViewItem,
    ViewKind,
    is_custom_name,
)
from cfglint.readers.native import (
    OBJECT_SCOPED_AUTOMATIONS,
    PROFILE_SECTIONS,
    assignment_order,
    view_name,
)

#: A mapping of scalars shorter than this is written on one line: ``{field: amount, ...}``.
FLOW_WIDTH = 72

PERMISSIONS = ("create", "read", "edit", "delete")


def dump_native(org: Org) -> str:
    """The whole org as one cfglint YAML document."""
    document = CommentedMap()
    document["cfglint"] = 1
    _put(document, "name", org.name)
    document["platform"] = org.platform
    nested_views = _nested_view_keys(org)
    _put(document, "objects", _objects(org, nested_views))
    _put(document, "views", _named(
        (view.name, _view(org, view, top_level=True))
        for view in org.views.values() if view.id not in nested_views
    ))
    _put(document, "view_assignments", _unattached_assignments(org))
    _put(document, "quick_actions", _named(
        (action.name, _quick_action(action.label, action.action_type, action.target_object,
                                    action.description, action.fields))
        for action in org.quick_actions.values() if action.object_name is None
    ))
    _put(document, "value_sets", _named(
        (value_set.name, _value_set(value_set)) for value_set in org.value_sets.values()
    ))
    _put(document, "automations", _named(
        (_automation_key(automation), _automation(automation))
        for automation in org.automations.values()
    ))
    for section, kind in PROFILE_SECTIONS.items():
        _put(document, section, _named(
            (profile.name, _profile(profile))
            for profile in org.profiles.values() if profile.kind is kind
        ))
    _put(document, "roles", _named((role.name, _role(org, role)) for role in org.roles.values()))
    _put(document, "reports", _named(
        (f"{report.folder}/{report.name}" if report.folder else report.name, _report(report))
        for report in org.reports.values()
    ))
    _put(document, "integrations", _named(
        (integration.name, _mapping(
            kind=integration.kind if integration.kind != integration.name else None,
            enabled=False if not integration.enabled else None,
            description=integration.description,
        ))
        for integration in org.integrations.values()
    ))
    return _render(document)


def _render(document: CommentedMap) -> str:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold: a folded line is harder to diff and to read
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


# --- building blocks ----------------------------------------------------------------------------


def _put(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set a key unless the value says nothing (None, or an empty container)."""
    if value is None or (isinstance(value, (dict, list)) and not value):
        return
    mapping[key] = value


def _mapping(**settings: Any) -> CommentedMap:
    """A mapping of the given settings in the given order, leaving out the ones that are None."""
    mapping = CommentedMap()
    for key, value in settings.items():
        _put(mapping, key, _text(value) if isinstance(value, str) else value)
    return mapping


def _named(entries: Iterable[tuple[str, Any]]) -> CommentedMap:
    """A mapping keyed by name, sorted: name order carries no meaning."""
    mapping = CommentedMap()
    for key, value in sorted(entries, key=lambda entry: entry[0]):
        mapping[key] = value
    return mapping


def _text(value: str) -> str:
    # Multi-line text (formulas, long descriptions) reads best as a literal block.
    return LiteralScalarString(value) if "\n" in value else value


def _names(values: Iterable[str]) -> CommentedSeq | None:
    """A list of names, on one line when short; None when empty."""
    sequence = CommentedSeq(values)
    if not sequence:
        return None
    if sum(len(str(value)) + 2 for value in sequence) <= FLOW_WIDTH:
        sequence.fa.set_flow_style()
    return sequence


def _compact(mapping: CommentedMap) -> CommentedMap:
    """Write a small mapping of scalars on one line."""
    scalars = all(
        isinstance(value, (str, int, float)) and "\n" not in str(value)
        for value in mapping.values()
    )
    width = sum(len(str(key)) + len(str(value)) + 4 for key, value in mapping.items())
    if mapping and scalars and width <= FLOW_WIDTH:
        mapping.fa.set_flow_style()
    return mapping


def _flag(value: bool, default: bool) -> bool | None:
    """A boolean setting, or None (left out) when it is the default."""
    return None if value == default else value


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _relative(object_name: str | None, field_id: str) -> str:
    """``deals.amount`` on object ``deals`` is written ``amount``."""
    if object_name and field_id.startswith(f"{object_name}."):
        rest = field_id[len(object_name) + 1:]
        if "." not in rest:
            return rest
    return field_id


def _keeps_order_when_grouped(field_ids: list[str]) -> bool:
    """Whether grouping by object keeps the order: each object's fields are together."""
    objects = [field_id.partition(".")[0] for field_id in field_ids]
    runs = [name for index, name in enumerate(objects) if index == 0 or objects[index - 1] != name]
    return len(runs) == len(set(runs)) and all("." in field_id for field_id in field_ids)


def _by_object(field_ids: list[str]) -> CommentedMap | CommentedSeq | None:
    """Field ids grouped by object (``{deals: [amount]}``), or flat when grouping would reorder."""
    if not _keeps_order_when_grouped(field_ids):
        return _names(field_ids)
    grouped = CommentedMap()
    for field_id in field_ids:
        object_name, _, field_name = field_id.partition(".")
        grouped.setdefault(object_name, []).append(field_name)
    for object_name, names in grouped.items():
        grouped[object_name] = _names(names)
    return grouped


# --- objects ------------------------------------------------------------------------------------


def _objects(org: Org, nested_views: dict[str, str]) -> CommentedMap:
    # Elements that live under an object need its entry even when the model never declared it.
    names = set(org.objects)
    names.update(pipeline.object_name for pipeline in org.pipelines.values())
    names.update(rule.object_name for rule in org.duplicate_rules.values())
    names.update(rule.object_name for rule in org.matching_rules.values())
    names.update(a.object_name for a in org.quick_actions.values() if a.object_name is not None)
    return _named((name, _object(org, name, nested_views)) for name in names)


def _object(org: Org, name: str, nested_views: dict[str, str]) -> CommentedMap:
    crm_object = org.objects.get(name) or CrmObject(name=name, declared=False)
    entry = _mapping(
        label=crm_object.label,
        plural_label=crm_object.plural_label,
        description=crm_object.description,
        custom=_flag(crm_object.custom, is_custom_name(name)),
        declared=_flag(crm_object.declared, True),
    )
    _put(entry, "fields", _named(
        (field.name, _field(field)) for field in crm_object.fields.values()
    ))
    _put(entry, "record_types", _named(
        (record_type.name, _mapping(
            label=record_type.label,
            active=_flag(record_type.active, True),
            business_process=record_type.business_process,
            description=record_type.description,
            picklist_values=_named(
                (field_name, _names(values))
                for field_name, values in record_type.picklist_values.items()
            ),
        ))
        for record_type in crm_object.record_types.values()
    ))
    _put(entry, "validation_rules", _named(
        (rule.name, _mapping(
            formula=rule.formula,
            active=_flag(rule.active, True),
            error_field=rule.error_field,
            error_message=rule.error_message,
            description=rule.description,
        ))
        for rule in crm_object.validation_rules.values()
    ))
    _put(entry, "list_views", _named(
        (list_view.name, _mapping(label=list_view.label, columns=_names(list_view.columns),
                                  filters=_names(list_view.filters)))
        for list_view in crm_object.list_views.values()
    ))
    _put(entry, "field_sets", _named(
        (field_set.name, _mapping(label=field_set.label, fields=_names(field_set.fields),
                                  description=field_set.description))
        for field_set in crm_object.field_sets.values()
    ))
    _put(entry, "pipelines", _named(
        (pipeline.name, _pipeline(pipeline))
        for pipeline in org.pipelines.values() if pipeline.object_name == name
    ))
    _put(entry, "views", _named(
        (nested_views[view.id], _view(org, view, top_level=False))
        for view in org.views.values() if view.id in nested_views and view.object_name == name
    ))
    _put(entry, "duplicate_rules", _named(
        (rule.name, _mapping(
            label=rule.label,
            active=_flag(rule.active, True),
            action_on_insert=rule.action_on_insert,
            action_on_update=rule.action_on_update,
            matching_rules=_names(rule.matching_rules),
            description=rule.description,
        ))
        for rule in org.duplicate_rules.values() if rule.object_name == name
    ))
    _put(entry, "matching_rules", _named(
        (rule.name, _mapping(label=rule.label, active=_flag(rule.active, True),
                             fields=_names(rule.fields)))
        for rule in org.matching_rules.values() if rule.object_name == name
    ))
    _put(entry, "quick_actions", _named(
        (action.name, _quick_action(action.label, action.action_type, action.target_object,
                                    action.description, action.fields))
        for action in org.quick_actions.values() if action.object_name == name
    ))
    return entry


def _field(field: Field) -> str | CommentedMap:
    entry = _mapping(
        type=field.type.value,
        label=field.label,
        source_type=field.source_type,
        description=field.description,
        help_text=field.help_text,
        custom=_flag(field.custom, is_custom_name(field.name)),
        required=_flag(field.required, False),
        required_at_stage=field.required_at_stage,
        default=field.default,
        formula=field.formula,
        length=field.length,
        precision=field.precision,
        scale=field.scale,
        visible_lines=field.visible_lines,
        options=_options(field.picklist_values),
        value_set=field.value_set_name,
        restricted=_restricted(field),
        controlling_field=field.controlling_field,
        reference_to=(field.reference_to[0] if len(field.reference_to) == 1
                      else _names(field.reference_to)),
        relationship_name=field.relationship_name,
        unique=_flag(field.unique, False),
        external_id=_flag(field.external_id, False),
        track_history=_flag(field.track_history, False),
        system=_flag(field.system, False),
        hidden=_flag(field.hidden, False),
        group=field.group,
    )
    if list(entry) == ["type"]:
        return field.type.value
    return _compact(entry)


def _restricted(field: Field) -> bool | None:
    """``restricted`` unless it is the reader's default (false for picklists, unset otherwise)."""
    picklist = field.type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST)
    default = False if picklist else None
    return None if field.restricted is default else field.restricted


def _options(values: list[PicklistValue]) -> CommentedSeq | None:
    if not values:
        return None
    if all(_is_plain_option(value) for value in values):
        return _names(value.name for value in values)
    return CommentedSeq(
        value.name if _is_plain_option(value) else _compact(_mapping(
            name=value.name,
            label=value.label if value.label != value.name else None,
            default=_flag(value.default, False),
            active=_flag(value.active, True),
            valid_for=_names(value.valid_for),
            color=value.color,
        ))
        for value in values
    )


def _is_plain_option(value: PicklistValue) -> bool:
    return (value.label in (None, value.name) and not value.default and value.active
            and not value.valid_for and value.color is None)


def _pipeline(pipeline: Pipeline) -> CommentedMap:
    entry = _mapping(
        label=pipeline.label,
        stage_field=pipeline.stage_field,
        default=_flag(pipeline.is_default, False),
        active=_flag(pipeline.active, True),
        description=pipeline.description,
    )
    entry["stages"] = _stages(pipeline.stages)
    return entry


def _stages(stages: list[Stage]) -> CommentedSeq:
    return CommentedSeq(_stage(stage) for stage in stages)


def _stage(stage: Stage) -> str | CommentedMap:
    entry = _mapping(
        name=stage.name,
        label=stage.label,
        probability=_number(stage.probability),
        closed=_flag(stage.closed, False),
        won=_flag(stage.won, False),
        forecast_category=stage.forecast_category,
        active=_flag(stage.active, True),
        requires=_names(stage.required_fields),
        description=stage.description,
    )
    return stage.name if list(entry) == ["name"] else _compact(entry)


# --- views and actions --------------------------------------------------------------------------


def _nested_view_keys(org: Org) -> dict[str, str]:
    """View id -> key under its object, for the views written there.

    A layout ``Opportunity-Sales`` and a Lightning page ``Sales`` on the same object would both
    be ``Sales``; the layout keeps the key and the page, whose name is global anyway, is written
    at the top level.
    """
    keys: dict[str, str] = {}
    taken: set[tuple[str, str]] = set()
    flexipages_last = sorted(org.views, key=lambda view_id: (
        org.views[view_id].kind is ViewKind.FLEXIPAGE, view_id
    ))
    for view_id in flexipages_last:
        view = org.views[view_id]
        key = _nested_view_key(org, view)
        if key is None or view.object_name is None or (view.object_name, key) in taken:
            continue
        taken.add((view.object_name, key))
        keys[view_id] = key
    return keys


def _nested_view_key(org: Org, view: View) -> str | None:
    """The key of a view written under its object, or None when it must be written at the top.

    Under an object a view's key is its name without the object prefix the model's id
    conventions add (``view:deals.Sales view`` is ``Sales view`` under ``deals``).
    """
    if view.object_name is None or view.object_name not in org.objects:
        return None
    for key in _key_candidates(view):
        if view_name(view.kind, view.object_name, key) == view.name:
            return key
    return None


def _key_candidates(view: View) -> list[str]:
    assert view.object_name is not None
    if view.kind is ViewKind.FLEXIPAGE:
        return [view.name]
    separator = "-" if view.kind is ViewKind.LAYOUT else "."
    prefix = f"{view.object_name}{separator}"
    return [view.name[len(prefix):]] if view.name.startswith(prefix) else []


def _view(org: Org, view: View, *, top_level: bool) -> CommentedMap:
    entry = _mapping(
        object=view.object_name if top_level else None,
        kind=view.kind.value if view.kind is not ViewKind.RECORD_VIEW else None,
        label=view.label,
        description=view.description,
    )
    sections = CommentedSeq()
    for section in view.sections:
        section_entry = _mapping(label=section.label)
        section_entry["fields"] = _view_items(section.items)
        sections.append(section_entry)
    _put(entry, "sections", sections)
    _put(entry, "components", _names(view.components))
    _put(entry, "assigned_to", _assignments(org, view))
    return entry


def _view_items(items: list[ViewItem]) -> CommentedSeq:
    return CommentedSeq(
        item.field if item.behavior is Behavior.EDIT and item.visibility is None
        else _compact(_mapping(
            field=item.field,
            behavior=item.behavior.value if item.behavior is not Behavior.EDIT else None,
            visibility=item.visibility,
        ))
        for item in items
    )


def _assignments(org: Org, view: View) -> CommentedSeq:
    entries = CommentedSeq()
    for assignment in sorted(org.assignments_for_view(view.id), key=assignment_order):
        who = _profile_reference(org, assignment.profile_id)
        if assignment.record_type is None:
            entries.append(who)
            continue
        prefix = f"recordtype:{view.object_name}."
        record_type = assignment.record_type
        if view.object_name and record_type.startswith(prefix):
            record_type = record_type[len(prefix):]
        entries.append(_compact(_mapping(who=who, record_type=record_type)))
    if entries and all(isinstance(entry, str) for entry in entries):
        return _names(entries) or entries
    return entries


def _unattached_assignments(org: Org) -> CommentedSeq:
    """Assignments of views the org does not hold (a standard layout named by a profile)."""
    return CommentedSeq(
        _compact(_mapping(
            view=assignment.view_id,
            who=_profile_reference(org, assignment.profile_id),
            record_type=(assignment.record_type.removeprefix("recordtype:")
                         if assignment.record_type else None),
        ))
        for assignment in sorted(org.view_assignments, key=assignment_order)
        if assignment.view_id not in org.views
    )


def _profile_reference(org: Org, profile_id: str) -> str:
    """A profile id as its bare name when the reader would resolve the name back to it."""
    kind, _, name = profile_id.partition(":")
    matches = sorted(profile.id for profile in org.profiles.values() if profile.name == name)
    if matches == [profile_id]:
        return name
    default = ProfileKind.TEAM if org.platform == "hubspot" else ProfileKind.PROFILE
    if not matches and kind == default.value and ":" not in name:
        return name
    return profile_id


def _quick_action(label: str | None, action_type: str | None, target_object: str | None,
                  description: str | None, items: list[ViewItem]) -> CommentedMap:
    entry = _mapping(label=label, type=action_type, target_object=target_object,
                     description=description)
    _put(entry, "fields", _view_items(items))
    return entry


# --- the rest -----------------------------------------------------------------------------------


def _value_set(value_set: ValueSet) -> CommentedMap:
    entry = _mapping(
        standard=_flag(value_set.standard, False),
        sorted=_flag(value_set.sorted, False),
        description=value_set.description,
        values=_options(value_set.values),
    )
    _put(entry, "stages", _stages(value_set.stages))
    return entry


def _automation_key(automation: Automation) -> str:
    if automation.kind in OBJECT_SCOPED_AUTOMATIONS and automation.object_name:
        return f"{automation.object_name}.{automation.name}"
    return automation.name


def _automation(automation: Automation) -> CommentedMap:
    object_name = automation.object_name
    return _mapping(
        kind=automation.kind.value,
        object=object_name,
        label=automation.label,
        description=automation.description,
        active=_flag(automation.active, True),
        status=automation.status,
        process_type=automation.process_type,
        trigger=automation.trigger,
        timing=automation.timing,
        trigger_order=automation.trigger_order,
        reads=_names(_relative(object_name, field_id) for field_id in automation.reads),
        writes=_names(_relative(object_name, field_id) for field_id in automation.writes),
        touches_objects=_names(automation.touches_objects),
        expressions=CommentedSeq(_text(text) for text in automation.expressions) or None,
        literals=_names(automation.literals),
        decisions=automation.decisions or None,
        elements=automation.elements or None,
        calls=_names(automation.calls),
        api_version=automation.api_version,
    )


def _profile(profile: Profile) -> CommentedMap:
    objects = CommentedMap()
    for permission in profile.object_permissions:
        granted = [name for name in PERMISSIONS if getattr(permission, name)]
        objects[permission.object_name] = CommentedSeq(granted)
        objects[permission.object_name].fa.set_flow_style()
    fields = CommentedMap()
    for field_permission in profile.field_permissions:
        object_name, _, field_name = field_permission.field.partition(".")
        access = ("edit" if field_permission.editable
                  else "read" if field_permission.readable else "none")
        fields.setdefault(object_name, CommentedMap())[field_name] = access
    for object_fields in fields.values():
        _compact(object_fields)
    entry = _mapping(
        label=profile.label,
        description=profile.description,
        custom=_flag(profile.custom, True),
        objects=objects,
        fields=fields,
        record_types=_names(value.removeprefix("recordtype:") for value in profile.record_types),
        members=_names(value.removeprefix("permset:") for value in profile.members),
    )
    return _compact(entry)


def _role(org: Org, role: Role) -> CommentedMap:
    needs = _needs(role)
    entry = _mapping(
        label=role.label,
        description=role.description,
        profiles=_names(_profile_reference(org, profile_id) for profile_id in role.profiles),
    )
    # Without ``objects`` the reader takes the objects of ``needs``; say so only when they differ.
    needed_objects = {need.field.partition(".")[0]: None for need in role.needs}
    if role.objects != list(needed_objects):
        entry["objects"] = _names(role.objects) or CommentedSeq()
    _put(entry, "needs", needs)
    _put(entry, "tasks", _names(role.tasks))
    _put(entry, "record_types", _role_record_types(role))
    _put(entry, "must_update", _must_update(role))
    _put(entry, "inferred", _flag(role.inferred, False))
    return entry


def _role_record_types(role: Role) -> CommentedMap:
    """``{Opportunity: Enterprise}``: the record type's name, or its id when on another object."""
    record_types = CommentedMap()
    for object_name, record_type in role.record_types.items():
        record_types[object_name] = record_type.removeprefix(f"recordtype:{object_name}.")
    return record_types


def _must_update(role: Role) -> CommentedMap:
    """Stage name -> field ids, in the model's stage order (the order moves happen in)."""
    must_update = CommentedMap()
    for stage, field_ids in role.must_update.items():
        must_update[stage] = _names(field_ids) or CommentedSeq()
    return must_update


def _needs(role: Role) -> CommentedMap | CommentedSeq:
    """Needs by object, or a flat list of ids when grouping would reorder them."""
    if not _keeps_order_when_grouped([need.field for need in role.needs]):
        return CommentedSeq(_need(need.field, need.from_stage) for need in role.needs)
    needs = CommentedMap()
    for need in role.needs:
        object_name, _, field_name = need.field.partition(".")
        needs.setdefault(object_name, CommentedSeq()).append(_need(field_name, need.from_stage))
    for object_name, items in needs.items():
        if all(isinstance(item, str) for item in items):
            needs[object_name] = _names(items)
    return needs


def _need(reference: str, from_stage: str | None) -> str | CommentedMap:
    if from_stage is None:
        return reference
    return _compact(_mapping(field=reference, from_stage=from_stage))


def _report(report: Report) -> CommentedMap:
    return _mapping(
        label=report.label,
        report_type=report.report_type,
        description=report.description,
        columns=_names(report.columns),
        filters=_names(report.filters),
        groupings=_names(report.groupings),
        fields=_by_object(report.fields),
        forecast=_flag(report.is_forecast, False),
    )
