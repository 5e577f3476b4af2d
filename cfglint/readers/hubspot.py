"""Read a HubSpot snapshot (as ``cfglint pull hubspot`` writes it) into the model.

A snapshot is a directory of raw API response bodies, pages merged into one ``{"results": [...]}``
(layout in docs/hubspot-snapshot.md)::

    manifest.json                      what was pulled, when, from where
    properties/<objectType>.json       GET /crm/v3/properties/{objectType}
    property-groups/<objectType>.json  GET /crm/v3/properties/{objectType}/groups
    property-validations/<objectType>.json
    pipelines/<objectType>.json        GET /crm/v3/pipelines/{objectType}
    schemas.json                       GET /crm/v3/schemas (custom objects)
    owners.json users.json teams.json roles.json
    workflows/index.json               GET /automation/v4/flows
    workflows/<flowId>.json            GET /automation/v4/flows/{flowId}
    forms.json                         GET /marketing/v3/forms
    usage.json                         (optional side input, read by --usage)

``objectType`` is a name (``deals``) or an object type id (``0-3``, ``2-18362541``); ids are
mapped to names through the standard table and ``schemas.json``. What HubSpot's API does not
expose (record-page layouts per team, conditional stage properties) is not in a snapshot; declare
it in cfglint YAML instead. Every element points at the line of its ``"name"`` or ``"id"`` in
the file it came from. A malformed file is a problem with its line; the rest is still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfglint.formulas import hubspot_references
from cfglint.model import (
    Automation,
    AutomationKind,
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
    hubspot_field_type,
)

SOURCE_FORMAT = "hubspot-snapshot"
MANIFEST = "manifest.json"

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

#: Automation v4 action type that sets a property of the enrolled record.
SET_PROPERTY_ACTION = "0-5"

#: Files that are counted, not modelled, and the occurrence key of each.
COUNTED = {"owners.json": "owners", "users.json": "users", "roles.json": "user_roles",
           "forms.json": "forms", "property-groups": "property_groups",
           "property-validations": "property_validations"}

_KEYED_VALUE = re.compile(r'"(name|id|property|property_name)"\s*:\s*"((?:[^"\\]|\\.)*)"')


def looks_like_hubspot(path: Path) -> bool:
    """A directory with a HubSpot manifest, or with ``properties/`` of HubSpot JSON."""
    manifest = path / MANIFEST
    if manifest.is_file():
        try:
            return bool(json.loads(manifest.read_text(encoding="utf-8")).get("source")
                        == "hubspot")
        except (OSError, ValueError, AttributeError):
            return False
    properties = path / "properties"
    return properties.is_dir() and any(properties.glob("*.json"))


def read_hubspot(path: Path) -> Org:
    org = Org(platform="hubspot", source_format=SOURCE_FORMAT, root=str(path))
    snapshot = Snapshot(path, org)
    snapshot.read()
    return org


@dataclass
class JsonFile:
    """A parsed snapshot file and the line of each ``"name"``/``"id"`` value in it."""

    relative: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def location(self, key: str | None = None) -> SourceLocation:
        return SourceLocation(self.relative, self.lines.get(key, 1) if key else 1)

    def results(self) -> list[dict[str, Any]]:
        results = self.data.get("results") if isinstance(self.data, dict) else self.data
        return [item for item in results or [] if isinstance(item, dict)]


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
        for path in self._files("properties"):
            self._read_properties(path)
        for path in self._files("pipelines"):
            self._read_pipelines(path)
        self._read_teams()
        self._read_workflows()
        for name in ("owners.json", "users.json", "roles.json", "forms.json"):
            self._count(name)
        for folder in ("property-groups", "property-validations"):
            for path in self._files(folder):
                self._count(path)
        self._list_the_rest()
        self.org.roots = [""]

    # -- files -------------------------------------------------------------------------------

    def _files(self, folder: str) -> list[str]:
        directory = self.root / folder
        if not directory.is_dir():
            return []
        return sorted(f"{folder}/{path.name}" for path in directory.glob("*.json"))

    def _load(self, relative: str) -> JsonFile | None:
        path = self.root / relative
        if not path.is_file():
            return None
        self.understood.add(relative)
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text)
        except UnicodeDecodeError:
            self._unreadable(relative, ProblemKind.ENCODING, "not UTF-8 text", None)
            return None
        except json.JSONDecodeError as error:
            self._unreadable(relative, ProblemKind.PARSE_ERROR,
                             f"malformed JSON: {error.msg}", error.lineno, error.colno)
            return None
        except OSError as error:
            self._unreadable(relative, ProblemKind.UNREADABLE,
                             f"cannot read file: {error.strerror}", None)
            return None
        self.org.files_read.append(relative)
        return JsonFile(relative, data, _value_lines(text))

    def _unreadable(self, relative: str, kind: ProblemKind, message: str, line: int | None,
                    column: int | None = None) -> None:
        self.org.problem(kind, message, relative, line, column)
        self.org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, kind.value))

    def _count(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is not None:
            kind = COUNTED.get(relative.split("/")[0], relative.split("/")[0])
            self.org.occurrences[kind] += len(loaded.results())

    def _list_the_rest(self) -> None:
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            if not path.is_file() or relative in self.understood or relative == "usage.json":
                continue
            reason = SkipReason.NOT_METADATA if relative == MANIFEST else \
                SkipReason.UNSUPPORTED_TYPE
            detail = "snapshot manifest" if relative == MANIFEST else "not a snapshot file"
            self.org.skipped.append(SkippedFile(relative, reason, detail))

    def _read_manifest(self) -> None:
        manifest = self.root / MANIFEST
        if manifest.is_file():
            self.understood.add(MANIFEST)
            self.org.files_read.append(MANIFEST)

    # -- objects and properties --------------------------------------------------------------

    def _object_name(self, object_type: str) -> str:
        return self.object_names.get(object_type, object_type)

    def _read_schemas(self, schemas: JsonFile) -> None:
        for schema in schemas.results():
            name = str(schema.get("name") or schema.get("objectTypeId") or "")
            if not name or schema.get("archived"):
                continue
            for key in ("objectTypeId", "fullyQualifiedName"):
                if schema.get(key):
                    self.object_names[str(schema[key])] = name
            labels = schema.get("labels") or {}
            crm_object = self.org.ensure_object(name, schemas.location(name))
            crm_object.label = labels.get("singular")
            crm_object.plural_label = labels.get("plural")
            crm_object.custom = True
            crm_object.declared = True
            crm_object.description = schema.get("description") or None
            self.org.occurrences["objects"] += 1
            required = set(schema.get("requiredProperties") or [])
            for prop in schema.get("properties") or []:
                if isinstance(prop, dict) and prop.get("name"):
                    self._add_property(crm_object, prop, schemas, required)

    def _read_properties(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is None:
            return
        name = self._object_name(Path(relative).stem)
        crm_object = self.org.objects.get(name)
        if crm_object is None:
            crm_object = self.org.ensure_object(name, loaded.location())
            crm_object.custom = False
            crm_object.declared = True
            self.org.occurrences["objects"] += 1
        for prop in loaded.results():
            if prop.get("name") and not prop.get("archived"):
                self._add_property(crm_object, prop, loaded, set())

    def _add_property(self, crm_object: CrmObject, prop: dict[str, Any], source: JsonFile,
                      required: set[str]) -> None:
        name = str(prop["name"])
        self.org.occurrences["fields"] += 1
        if name in crm_object.fields:
            return  # a schema's embedded properties and properties/<id>.json: first one wins
        crm_object.fields[name] = property_field(crm_object.name, prop, source.location(name),
                                                 required=name in required)

    # -- pipelines -----------------------------------------------------------------------------

    def _read_pipelines(self, relative: str) -> None:
        loaded = self._load(relative)
        if loaded is None:
            return
        object_name = self._object_name(Path(relative).stem)
        for spec in loaded.results():
            if spec.get("archived") or not spec.get("id"):
                continue
            self.org.occurrences["pipelines"] += 1
            pipeline = Pipeline(
                object_name=object_name,
                name=str(spec["id"]),
                label=spec.get("label"),
                stage_field=STAGE_PROPERTIES.get(object_name),
                stages=list(_stages(spec.get("stages") or [], self.org)),
                is_default=spec.get("id") == "default",
                location=loaded.location(str(spec["id"])),
            )
            self.org.pipelines.setdefault(pipeline.id, pipeline)

    # -- teams and workflows ----------------------------------------------------------------------

    def _read_teams(self) -> None:
        loaded = self._load("teams.json")
        if loaded is None:
            return
        for team in loaded.results():
            name = team.get("name")
            if not name:
                continue
            self.org.occurrences["teams"] += 1
            profile = Profile(kind=ProfileKind.TEAM, name=str(name), label=str(name),
                              location=loaded.location(str(team.get("id") or name)))
            self.org.profiles.setdefault(profile.id, profile)

    def _read_workflows(self) -> None:
        index = self._load("workflows/index.json")
        listed = [str(flow["id"]) for flow in index.results() if flow.get("id")] if index else []
        details = {Path(relative).stem for relative in self._files("workflows")} - {"index"}
        for flow_id in sorted(set(listed) | details, key=_numeric_first):
            detail = self._load(f"workflows/{flow_id}.json")
            summary = next((flow for flow in index.results() if str(flow.get("id")) == flow_id),
                           {}) if index else {}
            spec = detail.data if detail is not None and isinstance(detail.data, dict) else summary
            source = detail or index
            if spec and source is not None:
                self._add_workflow(flow_id, spec, source)

    def _add_workflow(self, flow_id: str, spec: dict[str, Any], source: JsonFile) -> None:
        self.org.occurrences["automations"] += 1
        object_name = self._object_name(str(spec.get("objectTypeId") or "")) or None
        automation = Automation(
            kind=AutomationKind.HUBSPOT_WORKFLOW,
            name=flow_id,
            object_name=object_name,
            label=spec.get("name"),
            description=spec.get("description") or None,
            active=bool(spec.get("isEnabled", False)),
            trigger=_trigger(spec),
            reads=_field_ids(object_name, _criteria_properties(spec.get("enrollmentCriteria"))),
            writes=_field_ids(object_name, _set_properties(spec.get("actions") or [])),
            elements=len(spec.get("actions") or []),
            location=source.location(flow_id),
        )
        self.org.automations.setdefault(automation.id, automation)


# --- pure conversions ----------------------------------------------------------------------------


def property_field(object_name: str, prop: dict[str, Any], location: SourceLocation,
                   *, required: bool = False) -> Field:
    """A model field from a HubSpot property definition."""
    name = str(prop["name"])
    formula = prop.get("calculationFormula")
    calculated = bool(prop.get("calculated")) or formula is not None
    storage = "currency" if prop.get("showCurrencySymbol") else prop.get("type")
    field_type = hubspot_field_type(storage, prop.get("fieldType"), calculated=calculated)
    options = [
        PicklistValue(name=str(option.get("value")), label=option.get("label"),
                      active=not option.get("hidden", False))
        for option in sorted(prop.get("options") or [],
                             key=lambda option: option.get("displayOrder", 0))
        if isinstance(option, dict) and option.get("value") is not None
    ]
    metadata = prop.get("modificationMetadata") or {}
    return Field(
        object_name=object_name,
        name=name,
        label=prop.get("label"),
        type=field_type,
        source_type=f"{prop.get('type')}/{prop.get('fieldType')}",
        custom=not prop.get("hubspotDefined", False),
        required=required,
        formula=formula,
        formula_references=[reference.field_id for reference in
                            hubspot_references(formula, object_name)] if formula else [],
        picklist_values=options,
        restricted=True if field_type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST) else None,
        description=prop.get("description") or None,
        unique=bool(prop.get("hasUniqueValue", False)),
        # HubSpot sets read-only values itself (hs_object_id, create dates, calculations).
        system=bool(metadata.get("readOnlyValue", False)),
        hidden=bool(prop.get("hidden", False)),
        group=prop.get("groupName"),
        location=location,
    )


def _stages(specs: list[Any], org: Org) -> Iterator[Stage]:
    ordered = sorted((spec for spec in specs if isinstance(spec, dict)),
                     key=lambda spec: spec.get("displayOrder", 0))
    for order, spec in enumerate(ordered):
        if spec.get("archived"):
            continue
        org.occurrences["stages"] += 1
        metadata = spec.get("metadata") or {}
        probability = _number(metadata.get("probability"))
        closed = str(metadata.get("isClosed", "false")).lower() == "true"
        yield Stage(
            name=str(spec.get("id")),
            label=spec.get("label"),
            order=order,
            # HubSpot stores 0-1; the model keeps percent, as Salesforce does.
            probability=None if probability is None else round(probability * 100, 6),
            closed=closed,
            won=closed and probability == 1.0,
        )


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _trigger(spec: dict[str, Any]) -> str | None:
    criteria = spec.get("enrollmentCriteria") or {}
    kind = criteria.get("type")
    return {"EVENT_BASED": "event", "LIST_BASED": "list", "MANUAL": "invoked"}.get(
        str(kind), str(kind).lower() if kind else None)


def _criteria_properties(criteria: Any) -> list[str]:
    """Properties an enrollment criteria tests: property filters, and the property a
    "property changed" event names (``hs_name`` = the property)."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if node.get("filterType") == "PROPERTY" and isinstance(node.get("property"), str):
                prop = node["property"]
                operation = node.get("operation") or {}
                if prop == "hs_name" and isinstance(operation.get("value"), str):
                    found.append(operation["value"])
                elif not prop.startswith("hs_value") and prop != "hs_name":
                    found.append(prop)
            for value in node.values():
                visit(value)

    visit(criteria)
    return list(dict.fromkeys(found))


def _set_properties(actions: list[Any]) -> list[str]:
    return list(dict.fromkeys(
        str(action["fields"]["property_name"]) for action in actions
        if isinstance(action, dict) and action.get("actionTypeId") == SET_PROPERTY_ACTION
        and isinstance(action.get("fields"), dict) and action["fields"].get("property_name")
    ))


def _field_ids(object_name: str | None, names: list[str]) -> list[str]:
    return [f"{object_name}.{name}" if object_name else name for name in names]


def _numeric_first(flow_id: str) -> tuple[int, str]:
    return (int(flow_id), "") if flow_id.isdigit() else (0, flow_id)


def _value_lines(text: str) -> dict[str, int]:
    """The line of the first ``"name"``/``"id"``/``"property"`` entry holding each value."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _KEYED_VALUE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.setdefault(match.group(2), line)
    return lines
