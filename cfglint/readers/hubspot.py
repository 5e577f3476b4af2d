"""Read a HubSpot snapshot (as ``cfglint pull hubspot`` writes it) into the model.

A snapshot is a directory of raw API response bodies, pages merged into one ``{"results": [...]}``
(layout and mapping in docs/hubspot-snapshot.md)::

    manifest.json                          what was pulled, when, from where
    properties/<objectType>.json           GET /crm/v3/properties/{objectType}
    property-groups/<objectType>.json      GET /crm/v3/properties/{objectType}/groups
    property-validations/<objectType>.json GET /crm/v3/property-validations/{objectTypeId}
    pipelines/<objectType>.json            GET /crm/v3/pipelines/{objectType}
    schemas.json                           GET /crm-object-schemas/v3/schemas (custom objects)
    owners.json users.json teams.json roles.json
    workflows/index.json                   GET /automation/v4/flows
    workflows/<flowId>.json                GET /automation/v4/flows/{flowId}
    forms.json                             GET /marketing/v3/forms
    usage.json                             (optional side input, read by --usage)

``objectType`` is a name (``deals``) or an object type id (``0-3``, ``2-18362541``); ids are
mapped to names through the standard table and ``schemas.json``. What HubSpot's API does not
expose (record-page layouts per team, conditional stage properties) is not in a snapshot; declare
it in cfglint YAML instead.

**Lines.** ``json`` gives no positions, so each element is found again in the text: its
identifying key and value (``"name": "amount"``) are searched for from where the previous element
of the same list was found, so that a name repeated in several lists (a property on two forms)
points at the right one. A file holding a malformed JSON is a problem at the decoder's line; the
rest of the snapshot is still read.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfglint.formulas import hubspot_references
from cfglint.model import (
    Automation,
    AutomationKind,
    Behavior,
    CrmObject,
    Field,
    FieldType,
    Org,
    PicklistValue,
    Pipeline,
    ProblemKind,
    Profile,
    ProfileKind,
    SkippedFile,
    SkipReason,
    SourceLocation,
    Stage,
    ValidationRule,
    View,
    ViewItem,
    ViewKind,
    ViewSection,
    hubspot_field_type,
)

SOURCE_FORMAT = "hubspot-snapshot"
MANIFEST = "manifest.json"
USAGE = "usage.json"

#: HubSpot's object type ids for its own objects.
STANDARD_OBJECT_TYPES = {
    "0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-5": "tickets",
    "0-7": "products", "0-8": "line_items", "0-14": "quotes", "0-27": "tasks",
    "0-46": "notes", "0-47": "meetings", "0-48": "calls", "0-49": "emails",
    "0-136": "leads",
}

#: The property that holds the stage of each pipelined object.
STAGE_PROPERTIES = {"deals": "dealstage", "tickets": "hs_pipeline_stage",
                    "leads": "hs_pipeline_stage"}

#: Automation v4 action types: set a property of the enrolled record; create a record.
SET_PROPERTY_ACTION = "0-5"
CREATE_RECORD_ACTION = "0-14"

#: ``referencedObjectType`` values and the object a lookup-like property points at.
REFERENCED_OBJECTS = {"OWNER": "owners"}

#: Files that are counted, not modelled, and the occurrence key of each.
COUNTED = {"owners.json": "owners", "users.json": "users", "roles.json": "user_roles",
           "property-groups": "property_groups"}

#: Said once per snapshot: what the API cannot give and where to declare it instead.
NOT_IN_API_NOTE = (
    "a HubSpot snapshot has no record views and no stage requirements (HubSpot's API does not "
    "expose them): declare them in cfglint YAML, see docs/hubspot-snapshot.md"
)

_TEMPLATE_PROPERTY = re.compile(r"enrolled_object\.([A-Za-z0-9_]+)")


def looks_like_hubspot(path: Path) -> bool:
    """A directory with a HubSpot manifest, or with ``properties/`` of HubSpot JSON."""
    manifest = path / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and data.get("source") == "hubspot"
    properties = path / "properties"
    return properties.is_dir() and any(_holds_results(file) for file in
                                       sorted(properties.glob("*.json"))[:3])


def _holds_results(path: Path) -> bool:
    """A cheap look at the head of a file: HubSpot collections start ``{"results": [``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return b'"results"' in head


def read_hubspot(path: Path) -> Org:
    """Read a snapshot directory; every problem is recorded, nothing raises."""
    org = Org(platform="hubspot", source_format=SOURCE_FORMAT, root=str(path))
    Snapshot(path, org).read()
    return org


# --- a JSON file and where its elements are -------------------------------------------------------


@dataclass
class JsonFile:
    """A parsed snapshot file with its text, to find the line of each element."""

    relative: str
    data: Any
    text: str = ""
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._line_starts = [0, *(match.end() for match in re.finditer("\n", self.text))]

    def line_at(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def find(self, key: str, value: Any, start: int) -> int | None:
        """Offset of ``"key": value`` at or after ``start``, or None."""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return None
        for written in dict.fromkeys((json.dumps(value, ensure_ascii=False),
                                      json.dumps(value))):
            pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:\s*" + re.escape(written))
            match = pattern.search(self.text, start)
            if match is not None:
                return match.start()
        return None

    def results(self) -> list[dict[str, Any]]:
        return dict_items(self.data.get("results") if isinstance(self.data, dict) else self.data)

    def cursor(self, start: int = 0) -> Cursor:
        return Cursor(self, start)


class Cursor:
    """Walks the elements of one JSON list in order, each found after the previous one."""

    def __init__(self, source: JsonFile, start: int) -> None:
        self.source = source
        self.position = start

    def catch_up(self, child: Cursor) -> None:
        """Go past the children a child cursor found, so the next sibling is searched after
        them."""
        self.position = max(self.position, child.position)

    def locate(self, item: dict[str, Any], *keys: str) -> tuple[SourceLocation, int]:
        """The location of ``item`` (by the first of ``keys`` it has) and where its children
        start; when not found, the line where the search began."""
        start = self.position
        for key in keys:
            offset = self.source.find(key, item.get(key), start)
            if offset is not None:
                self.position = offset + 1
                return SourceLocation(self.source.relative, self.source.line_at(offset)), start
        return SourceLocation(self.source.relative, self.source.line_at(start)), start


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one when the body holds something else there."""
    return value if isinstance(value, dict) else {}


def dict_items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- the reader ---------------------------------------------------------------------------------


class Snapshot:
    """One read of one snapshot directory."""

    def __init__(self, root: Path, org: Org) -> None:
        self.root = root
        self.org = org
        self.object_names = dict(STANDARD_OBJECT_TYPES)
        self.understood: set[str] = set()

    def read(self) -> None:
        self._read_manifest()
        schemas = self._load("schemas.json")
        if schemas is not None:
            self._read_schemas(schemas)
        for relative in self._files("properties"):
            self._read_properties(relative)
        for relative in self._files("property-validations"):
            self._read_validations(relative)
        for relative in self._files("pipelines"):
            self._read_pipelines(relative)
        self._read_teams()
        self._read_workflows()
        self._read_forms()
        for relative in ("owners.json", "users.json", "roles.json",
                         *self._files("property-groups")):
            self._count(relative)
        self._list_the_rest()
        self.org.roots = [""]
        if self.org.objects:
            self.org.notes.append(NOT_IN_API_NOTE)

    # -- files -------------------------------------------------------------------------------

    def _files(self, folder: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        return sorted(f"{folder}/{path.name}" for path in directory.glob("*.json")
                      if path.is_file())

    def _load(self, relative: str) -> JsonFile | None:
        path = self.root / relative
        if not path.is_file():
            return None
        self.understood.add(relative)
        try:
            text = path.read_bytes().decode("utf-8-sig")
            data = json.loads(text)
        except UnicodeDecodeError as error:
            self._unreadable(relative, ProblemKind.ENCODING,
                             f"not valid UTF-8 (byte at offset {error.start})", None)
            return None
        except json.JSONDecodeError as error:
            self._unreadable(relative, ProblemKind.PARSE_ERROR,
                             f"malformed JSON: {error.msg}", error.lineno, error.colno)
            return None
        except (OSError, RecursionError) as error:
            message = f"cannot read file: {error.strerror}" if isinstance(error, OSError) \
                else "JSON nests too deeply"
            self._unreadable(relative, ProblemKind.UNREADABLE, message, None)
            return None
        self.org.files_read.append(relative)
        return JsonFile(relative, data, text)

    def _unreadable(self, relative: str, kind: ProblemKind, message: str, line: int | None,
                    column: int | None = None) -> None:
        self.org.problem(kind, message, relative, line, column)
        self.org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, kind.value))

    def _count(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is not None:
            kind = COUNTED[relative.split("/")[0]]
            self.org.occurrences[kind] += len(loaded.results())

    def _list_the_rest(self) -> None:
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            # Hidden files and folders (.cfglint_cache, .git) are tools' state, not the pull's.
            hidden = any(part.startswith(".") for part in Path(relative).parts)
            if hidden or not path.is_file() or relative in self.understood:
                continue
            if relative == USAGE:
                detail, reason = "usage statistics: pass with --usage", SkipReason.NOT_METADATA
            else:
                detail, reason = "not a snapshot file", SkipReason.UNSUPPORTED_TYPE
            self.org.skipped.append(SkippedFile(relative, reason, detail))

    def _read_manifest(self) -> None:
        manifest = self._load(MANIFEST)
        if manifest is not None and isinstance(manifest.data, dict):
            portal = manifest.data.get("portal_name") or manifest.data.get("portal_id")
            self.org.name = str(portal) if portal else None

    # -- objects and properties --------------------------------------------------------------

    def _object_name(self, object_type: str) -> str:
        return self.object_names.get(object_type, object_type)

    def _read_schemas(self, schemas: JsonFile) -> None:
        cursor = schemas.cursor()
        for schema in schemas.results():
            location, start = cursor.locate(schema, "objectTypeId", "name")
            name = str(schema.get("name") or schema.get("objectTypeId") or "")
            if not name or schema.get("archived"):
                continue
            for key in ("objectTypeId", "fullyQualifiedName"):
                if schema.get(key):
                    self.object_names[str(schema[key])] = name
            labels = mapping(schema.get("labels"))
            crm_object = self.org.ensure_object(name, location)
            crm_object.label = labels.get("singular")
            crm_object.plural_label = labels.get("plural")
            crm_object.custom = True
            crm_object.declared = True
            crm_object.description = schema.get("description") or None
            self.org.occurrences["objects"] += 1
            required = {str(name) for name in schema.get("requiredProperties") or []}
            properties = schemas.cursor(start)
            for prop in dict_items(schema.get("properties")):
                self._add_property(crm_object, prop, properties.locate(prop, "name")[0],
                                   required)
            cursor.catch_up(properties)

    def _read_properties(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is None:
            return
        name = self._object_name(Path(relative).stem)
        crm_object = self.org.objects.get(name)
        if crm_object is None:
            crm_object = self.org.ensure_object(name, SourceLocation(relative, 1))
            crm_object.custom = name.startswith("2-")
            crm_object.declared = True
            self.org.occurrences["objects"] += 1
        cursor = loaded.cursor()
        for prop in loaded.results():
            location = cursor.locate(prop, "name")[0]
            if not prop.get("archived"):
                self._add_property(crm_object, prop, location, set())

    def _add_property(self, crm_object: CrmObject, prop: dict[str, Any],
                      location: SourceLocation, required: set[str]) -> None:
        if not prop.get("name"):
            return
        name = str(prop["name"])
        self.org.occurrences["fields"] += 1
        existing = crm_object.fields.get(name)
        if existing is not None:
            # A schema's embedded copy and properties/<id>.json: the first one wins, but a
            # required property stays required.
            existing.required = existing.required or name in required
            return
        crm_object.fields[name] = property_field(crm_object.name, prop, location,
                                                 required=name in required)

    def _read_validations(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is None:
            return
        object_name = self._object_name(Path(relative).stem)
        crm_object = self.org.ensure_object(object_name, SourceLocation(relative, 1))
        cursor = loaded.cursor()
        for entry in loaded.results():
            location = cursor.locate(entry, "propertyName")[0]
            rule = property_validation(object_name, entry, location)
            if rule is None:
                continue
            self.org.occurrences["validation_rules"] += 1
            crm_object.validation_rules.setdefault(rule.name, rule)

    # -- pipelines -----------------------------------------------------------------------------

    def _read_pipelines(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is None:
            return
        object_name = self._object_name(Path(relative).stem)
        cursor = loaded.cursor()
        for spec in loaded.results():
            location = cursor.locate(spec, "id")[0]
            if spec.get("archived") or not spec.get("id"):
                continue
            self.org.occurrences["pipelines"] += 1
            stages = [stage for stage in dict_items(spec.get("stages"))
                      if not stage.get("archived")]
            self.org.occurrences["stages"] += len(stages)
            pipeline = Pipeline(
                object_name=object_name,
                name=str(spec["id"]),
                label=spec.get("label"),
                stage_field=STAGE_PROPERTIES.get(object_name),
                stages=pipeline_stages(stages),
                is_default=spec.get("id") == "default",
                location=location,
            )
            self.org.pipelines.setdefault(pipeline.id, pipeline)

    # -- teams, workflows, forms -------------------------------------------------------------------

    def _read_teams(self) -> None:
        loaded = self._load("teams.json")
        if loaded is None:
            return
        cursor = loaded.cursor()
        for team in loaded.results():
            location = cursor.locate(team, "id", "name")[0]
            if not team.get("name"):
                continue
            self.org.occurrences["teams"] += 1
            profile = team_profile(team, location)
            self.org.profiles.setdefault(profile.id, profile)

    def _read_workflows(self) -> None:
        index = self._load("workflows/index.json")
        summaries: dict[str, tuple[dict[str, Any], SourceLocation]] = {}
        if index is not None:
            cursor = index.cursor()
            for flow in index.results():
                location = cursor.locate(flow, "id")[0]
                if flow.get("id") is not None:
                    summaries.setdefault(str(flow["id"]), (flow, location))
        details = {Path(relative).stem for relative in self._files("workflows")} - {"index"}
        for flow_id in sorted(set(summaries) | details, key=_numeric_first):
            detail = self._load(f"workflows/{flow_id}.json") if flow_id in details else None
            if detail is not None and isinstance(detail.data, dict):
                location = detail.cursor().locate(detail.data, "id")[0]
                self._add_workflow(flow_id, detail.data, location)
            elif flow_id in summaries:
                self._add_workflow(flow_id, *summaries[flow_id])

    def _add_workflow(self, flow_id: str, spec: dict[str, Any], location: SourceLocation) -> None:
        self.org.occurrences["automations"] += 1
        object_name = self._object_name(str(spec.get("objectTypeId") or "")) or None
        automation = workflow_automation(flow_id, spec, object_name, self._object_name, location)
        self.org.automations.setdefault(automation.id, automation)

    def _read_forms(self) -> None:
        loaded = self._load("forms.json")
        if loaded is None:
            return
        cursor = loaded.cursor()
        for form in loaded.results():
            location, start = cursor.locate(form, "id", "name")
            if form.get("archived") or not form.get("id"):
                continue
            self.org.occurrences["forms"] += 1
            fields = loaded.cursor(start)
            view = self._form_view(form, location, fields)
            self.org.views.setdefault(view.id, view)
            cursor.catch_up(fields)

    def _form_view(self, form: dict[str, Any], location: SourceLocation,
                   fields: Cursor) -> View:
        groups = dict_items(form.get("fieldGroups"))
        objects = [self._object_name(str(item.get("objectTypeId") or "0-1"))
                   for group in groups for item in dict_items(group.get("fields"))]
        # A form's fields may come from contacts and companies; the view belongs to the
        # object most of them are on, and the others are written ``companies.name``.
        object_name = max(sorted(set(objects)), key=objects.count) if objects else "contacts"
        sections = []
        for group in groups:
            items = []
            for item in dict_items(group.get("fields")):
                item_location = fields.locate(item, "name")[0]
                if not item.get("name"):
                    continue
                own = self._object_name(str(item.get("objectTypeId") or "0-1"))
                name = str(item["name"]) if own == object_name else f"{own}.{item['name']}"
                items.append(ViewItem(name, form_behavior(item), location=item_location))
            sections.append(ViewSection(None, items))
        return View(kind=ViewKind.FORM, name=str(form["id"]), object_name=object_name,
                    label=form.get("name"), sections=sections, location=location,
                    description=f"{form.get('formType') or 'hubspot'} form")


# --- pure conversions ----------------------------------------------------------------------------


def property_field(object_name: str, prop: dict[str, Any], location: SourceLocation,
                   *, required: bool = False) -> Field:
    """A model field from a HubSpot property definition."""
    name = str(prop["name"])
    formula = prop.get("calculationFormula") if isinstance(prop.get("calculationFormula"),
                                                           str) else None
    calculated = bool(prop.get("calculated")) or formula is not None
    storage = "currency" if prop.get("showCurrencySymbol") else prop.get("type")
    field_type = hubspot_field_type(storage, prop.get("fieldType"), calculated=calculated)
    referenced = REFERENCED_OBJECTS.get(str(prop.get("referencedObjectType") or ""))
    if referenced is not None and not calculated:
        field_type = FieldType.LOOKUP
    metadata = mapping(prop.get("modificationMetadata"))
    return Field(
        object_name=object_name,
        name=name,
        label=prop.get("label"),
        type=field_type,
        source_type=f"{prop.get('type')}/{prop.get('fieldType')}",
        # hubspotDefined is only sent (true) on HubSpot's own properties.
        custom=not prop.get("hubspotDefined", False),
        required=required,
        formula=formula,
        formula_references=[reference.field_id for reference in
                            hubspot_references(formula, object_name)] if formula else [],
        picklist_values=property_options(prop.get("options")),
        # HubSpot accepts only the listed options of an enumeration.
        restricted=True if field_type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST) else None,
        reference_to=[referenced] if referenced else [],
        description=prop.get("description") or None,
        unique=bool(prop.get("hasUniqueValue", False)),
        # HubSpot sets read-only values itself (hs_object_id, create dates, calculations).
        system=bool(metadata.get("readOnlyValue", False)),
        hidden=bool(prop.get("hidden", False)),
        group=prop.get("groupName") or None,
        location=location,
    )


def property_options(options: Any) -> list[PicklistValue]:
    """Options in ``displayOrder`` (ties keep the file's order); hidden ones are inactive."""
    items = [item for item in dict_items(options) if item.get("value") is not None]
    ordered = sorted(items, key=lambda item: _number(item.get("displayOrder")) or 0.0)
    return [PicklistValue(name=str(item["value"]), label=item.get("label"),
                          active=not item.get("hidden", False)) for item in ordered]


def property_validation(object_name: str, entry: dict[str, Any],
                        location: SourceLocation) -> ValidationRule | None:
    """A property's validation rules as one validation rule named after the property.

    They are not formulas: the rule keeps the property as its error field and reference, and
    says what is checked in its description (``MIN_LENGTH 6; REGEX ^C[0-9]{5,}$``).
    """
    name = entry.get("propertyName")
    checks = [
        " ".join([str(rule.get("ruleType")), *(str(arg) for arg in
                                               rule.get("ruleArguments") or [])])
        for rule in dict_items(entry.get("propertyValidationRules")) if rule.get("ruleType")
    ]
    if not name or not checks:
        return None
    return ValidationRule(object_name=object_name, name=str(name), formula="",
                          error_field=str(name), description="; ".join(checks),
                          references=[f"{object_name}.{name}"], location=location)


def pipeline_stages(specs: list[dict[str, Any]]) -> list[Stage]:
    """Stages in ``displayOrder`` (archived ones already left out), probabilities in percent."""
    ordered = sorted(specs, key=lambda spec: _number(spec.get("displayOrder")) or 0.0)
    stages = []
    for order, spec in enumerate(ordered):
        metadata = mapping(spec.get("metadata"))
        probability = _number(metadata.get("probability"))
        # Deal stages say isClosed; ticket stages say ticketState.
        closed = (str(metadata.get("isClosed", "false")).lower() == "true"
                  or str(metadata.get("ticketState", "")).upper() == "CLOSED")
        stages.append(Stage(
            name=str(spec.get("id")),
            label=spec.get("label"),
            order=order,
            # HubSpot stores 0-1; the model keeps percent, as Salesforce and cfglint YAML do.
            probability=None if probability is None else round(probability * 100, 6),
            closed=closed,
            won=closed and probability == 1.0,
        ))
    return stages


def team_profile(team: dict[str, Any], location: SourceLocation) -> Profile:
    """A team as a profile of kind team; its size goes into the description, because a
    profile's ``members`` are permission sets, not people."""
    users = {str(user) for key in ("userIds", "secondaryUserIds")
             for user in team.get(key) or [] if user is not None}
    count = len(users)
    return Profile(kind=ProfileKind.TEAM, name=str(team["name"]), label=str(team["name"]),
                   description=f"{count} user{'' if count == 1 else 's'}", location=location)


def form_behavior(item: dict[str, Any]) -> Behavior:
    """Required on the form, filled by the form itself (hidden), or typed in (edit)."""
    if item.get("hidden"):
        return Behavior.READONLY
    return Behavior.REQUIRED if item.get("required") else Behavior.EDIT


def workflow_automation(flow_id: str, spec: dict[str, Any], object_name: str | None,
                        name_of: Callable[[str], str], location: SourceLocation) -> Automation:
    """A v4 flow (detail or list entry) as an automation of kind hubspot-workflow."""
    actions = dict_items(spec.get("actions"))
    reads = [*_criteria_properties(spec.get("enrollmentCriteria")),
             *_criteria_properties(actions)]
    writes: list[str] = _field_ids(object_name, _set_properties(actions))
    created = [(name_of(str(fields.get("object_type_id") or "")), fields)
               for fields in _action_fields(actions, CREATE_RECORD_ACTION)]
    for created_object, fields in created:
        writes.extend(f"{created_object}.{prop.get('targetProperty')}"
                      for prop in dict_items(fields.get("properties"))
                      if prop.get("targetProperty"))
    return Automation(
        kind=AutomationKind.HUBSPOT_WORKFLOW,
        name=flow_id,
        object_name=object_name,
        label=spec.get("name") or None,
        description=spec.get("description") or None,
        active=bool(spec.get("isEnabled", False)),
        trigger=_trigger(spec),
        reads=list(dict.fromkeys([*_field_ids(object_name, reads),
                                  *_field_ids(object_name, _template_properties(actions))])),
        writes=list(dict.fromkeys(writes)),
        touches_objects=list(dict.fromkeys(name for name, _ in created)),
        decisions=sum(1 for action in actions if str(action.get("type", "")).endswith("BRANCH")),
        elements=len(actions),
        location=location,
    )


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _trigger(spec: dict[str, Any]) -> str | None:
    criteria = spec.get("enrollmentCriteria")
    kind = criteria.get("type") if isinstance(criteria, dict) else None
    return {"EVENT_BASED": "event", "LIST_BASED": "list", "MANUAL": "invoked"}.get(
        str(kind), str(kind).lower() if kind else None)


def _criteria_properties(criteria: Any) -> list[str]:
    """Properties a criteria tree tests: property filters, and the property a "property value
    changed" event names (``hs_name`` = the property; ``hs_value`` is its new value)."""
    found: list[str] = []
    stack = [criteria]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if node.get("filterType") == "PROPERTY" and isinstance(node.get("property"), str):
                found.extend(_filter_property(node))
            stack.extend(reversed(list(node.values())))
    return list(dict.fromkeys(found))


def _filter_property(node: dict[str, Any]) -> list[str]:
    prop = str(node["property"])
    operation = mapping(node.get("operation"))
    if prop == "hs_name":
        value = operation.get("value")
        return [value] if isinstance(value, str) else []
    return [] if prop == "hs_value" else [prop]


def _action_fields(actions: list[dict[str, Any]], action_type: str) -> Iterator[dict[str, Any]]:
    for action in actions:
        fields = action.get("fields")
        if action.get("actionTypeId") == action_type and isinstance(fields, dict):
            yield fields


def _set_properties(actions: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(fields["property_name"]) for fields in
                              _action_fields(actions, SET_PROPERTY_ACTION)
                              if fields.get("property_name")))


def _template_properties(actions: list[dict[str, Any]]) -> list[str]:
    """Properties of the enrolled record that action texts insert (``{{ enrolled_object.x }}``)."""
    found: list[str] = []
    queue: deque[Any] = deque(actions)
    while queue:
        node = queue.popleft()
        if isinstance(node, str):
            found.extend(_TEMPLATE_PROPERTY.findall(node))
        elif isinstance(node, dict):
            queue.extend(node.values())
        elif isinstance(node, list):
            queue.extend(node)
    return list(dict.fromkeys(found))


def _field_ids(object_name: str | None, names: Iterable[str]) -> list[str]:
    return [f"{object_name}.{name}" if object_name else name for name in names]


def _numeric_first(flow_id: str) -> tuple[int, str]:
    return (int(flow_id), "") if flow_id.isdigit() else (0, flow_id)
