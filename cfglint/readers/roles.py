"""Read a roles file (``roles.yaml``): who uses the CRM and what they need (docs/roles.md).

The file is YAML with ``version: 1``, ``roles:`` (the same shape as the ``roles:`` section of
cfglint YAML) and optional ``reports:`` (which fields feed which reports and forecasts). It is
validated by ``cfglint/schemas/roles.schema.json``.

A roles file is a hand-written input to one run, so a mistake in it stops the run: malformed
YAML, a schema violation, or a profile / team the configuration does not have is an
:class:`~cfglint.readers.InputError` naming the file and line (exit code 2). Fields, objects,
stages and record types the configuration does not define are only *notes*: a roles file is
often written before the fields it asks for exist.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cfglint.model import Org, ProfileKind, Report, Role, SourceLocation
from cfglint.readers import InputError
from cfglint.readers.native import (
    NodePath,
    YamlDocument,
    YamlLoadError,
    dotted,
    load_document,
    parse_role,
    record_type_id,
)
from cfglint.yamlio import package_schema, package_validator

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

ROLES_VERSION = 1
#: At most this many schema violations are listed in the error.
MAX_SCHEMA_ERRORS = 10
HINT = "the roles file format is described in docs/roles.md"


@dataclass
class RolesFile:
    """A roles file as read: its roles (role id -> Role), its reports, and notes on it."""

    path: str
    roles: dict[str, Role] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    #: References the configuration does not define, as ``path:line: what``.
    notes: list[str] = field(default_factory=list)


# --- public API ---------------------------------------------------------------------------------


def load_roles(path: Path, org: Org | None = None) -> RolesFile:
    """Read and check a roles file; with ``org``, resolve profiles and note unknown fields."""
    where = path.as_posix()
    document = _load(path, where)
    _validate(document)
    roles_file = RolesFile(where)
    data: dict[str, Any] = document.data
    for name, spec in data["roles"].items():
        role = parse_role(name, spec, document.location(("roles", name)))
        role.profiles = _profiles(document, name, spec, org)
        roles_file.roles[role.id] = role
    for key, spec in data.get("reports", {}).items():
        report = _report(key, spec, document.location(("reports", key)))
        roles_file.reports[report.id] = report
    if org is not None:
        roles_file.notes = list(_notes(document, org))
    return roles_file


def apply_roles(org: Org, roles_file: RolesFile) -> None:
    """Make the roles file the org's roles, and add its reports' field usage to the org.

    A report the configuration already has gains the file's fields (and its forecast flag);
    the others are added, so the graph, the VIEW rules and the designer see what feeds them.
    """
    org.roles = dict(roles_file.roles)
    for report_id, report in roles_file.reports.items():
        existing = org.reports.get(report_id)
        if existing is None:
            org.reports[report_id] = dataclasses.replace(report, fields=list(report.fields))
            continue
        existing.fields.extend(
            field_id for field_id in report.fields if field_id not in existing.fields
        )
        existing.is_forecast = existing.is_forecast or report.is_forecast


# --- loading and validation ---------------------------------------------------------------------


def _load(path: Path, where: str) -> YamlDocument:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{where}: no such roles file", HINT) from None
    except OSError as error:
        raise InputError(f"{where}: cannot read roles file: {error.strerror}") from None
    try:
        document = load_document(where, data)
    except YamlLoadError as error:
        raise InputError(f"{where}:{error.line or 1}: {error.message}", HINT) from None
    if not isinstance(document.data, dict):
        raise InputError(
            f"{where}:1: a roles file is a mapping that starts with 'version: 1'", HINT
        )
    return document


#: The shipped JSON Schema this file is checked against.
SCHEMA_NAME = "roles.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of the roles file, as shipped in the package."""
    return package_schema(SCHEMA_NAME)


def _validate(document: YamlDocument) -> None:
    errors = sorted(
        (
            (document.line(at), message)
            for error in package_validator(SCHEMA_NAME).iter_errors(document.data)
            for at, message in _messages(error)
        ),
    )
    if not errors:
        return
    lines = [f"{document.path}:{line}: {message}" for line, message in errors[:MAX_SCHEMA_ERRORS]]
    if len(errors) > MAX_SCHEMA_ERRORS:
        lines.append(f"{len(errors) - MAX_SCHEMA_ERRORS} more schema violations not shown")
    raise InputError("\n".join(lines), HINT)


def _messages(error: ValidationError) -> Iterator[tuple[NodePath, str]]:
    at: NodePath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        for key in sorted(key for key in error.instance if key not in known):
            key_at = (*at, key)
            yield key_at, f"{dotted(key_at)}: unknown key {key!r}{_suggestion(key, known)}"
    elif at == ("version",):
        yield at, (f"version: unsupported roles file version {error.instance!r} "
                   f"(this cfglint reads version {ROLES_VERSION})")
    elif not at:
        yield at, error.message
    else:
        yield at, f"{dotted(at)}: {error.message}"


def _suggestion(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- building -----------------------------------------------------------------------------------


def _report(key: str, spec: dict[str, Any], location: SourceLocation) -> Report:
    folder, _, name = key.rpartition("/")
    return Report(
        name=name,
        folder=folder or None,
        label=spec.get("label"),
        description=spec.get("description"),
        fields=[field_id for field_id, _ in _field_refs(spec.get("fields", []), ())],
        is_forecast=spec.get("forecast", False),
        location=location,
    )


def _profiles(document: YamlDocument, role: str, spec: dict[str, Any], org: Org | None
              ) -> list[str]:
    """The role's profile / team references as ids; unknown ones stop the run."""
    ids: list[str] = []
    errors: list[str] = []
    for index, who in enumerate(spec.get("profiles", [])):
        line = document.line(("roles", role, "profiles", index))
        found, problem = _profile_id(org, who)
        if problem:
            errors.append(f"{document.path}:{line}: role {role}: {problem}")
        elif found not in ids:
            ids.append(found)
    if errors:
        raise InputError("\n".join(errors), "list the configuration's profiles and teams with "
                         "cfglint inventory --verbose; write kind:name to be explicit")
    return ids


def _profile_id(org: Org | None, who: str) -> tuple[str, str | None]:
    """(id, problem): ``team:AE`` as is; a bare name looked up by name, then ignoring case."""
    kind, separator, _ = who.partition(":")
    explicit = separator and kind in {member.value for member in ProfileKind}
    if org is None or not org.profiles:
        # Nothing to check against: a Salesforce project often keeps no profile files.
        return (who if explicit else f"{ProfileKind.PROFILE.value}:{who}"), None
    if explicit:
        if who in org.profiles:
            return who, None
        return who, f"unknown {kind} {who!r}{_suggestion(who, sorted(org.profiles))}"
    matches = sorted(p.id for p in org.profiles.values() if p.name == who) or sorted(
        p.id for p in org.profiles.values()
        if who.casefold() in (p.name.casefold(), (p.label or "").casefold())
    )
    if len(matches) > 1:
        return who, f"{who!r} is ambiguous ({', '.join(matches)}); write the id instead"
    if matches:
        return matches[0], None
    names = sorted({profile.name for profile in org.profiles.values()})
    return who, f"unknown profile or team {who!r}{_suggestion(who, names)}"


def _field_refs(spec: Any, at: NodePath) -> Iterator[tuple[str, NodePath]]:
    """Field references written flat (``[Object.Field]``) or by object, with their paths."""
    if isinstance(spec, list):
        for index, item in enumerate(spec):
            reference = item["field"] if isinstance(item, dict) else item
            yield str(reference), (*at, index)
        return
    for object_name, items in spec.items():
        for index, item in enumerate(items):
            reference = item["field"] if isinstance(item, dict) else item
            text = str(reference)
            yield (text if "." in text else f"{object_name}.{text}"), (*at, object_name, index)


# --- notes on references the configuration does not define --------------------------------------


def _notes(document: YamlDocument, org: Org) -> Iterator[str]:
    check = _ReferenceCheck(org)
    data: dict[str, Any] = document.data
    for name, spec in data["roles"].items():
        at: NodePath = ("roles", name)
        for index, object_name in enumerate(spec.get("objects", [])):
            problem = check.crm_object(object_name)
            if problem:
                yield f"{document.path}:{document.line((*at, 'objects', index))}: role {name}: " \
                      f"{problem}"
        for problem, where in _role_reference_problems(check, spec, at):
            yield f"{document.path}:{document.line(where)}: role {name}: {problem}"
    for key, spec in data.get("reports", {}).items():
        for field_id, where in _field_refs(spec.get("fields", []), ("reports", key, "fields")):
            problem = check.field(field_id)
            if problem:
                yield f"{document.path}:{document.line(where)}: report {key}: {problem}"


def _role_reference_problems(
    check: _ReferenceCheck, spec: dict[str, Any], at: NodePath
) -> Iterator[tuple[str, NodePath]]:
    for field_id, stage, where in _need_refs(spec.get("needs", []), (*at, "needs")):
        problem = check.field(field_id)
        if problem:
            yield f"needs {problem}", where
        elif stage is not None and (stage_problem := check.stage(field_id, stage)):
            yield f"needs {field_id} from_stage: {stage_problem}", where
    for object_name, record_type in spec.get("record_types", {}).items():
        problem = check.record_type(object_name, str(record_type))
        if problem:
            yield problem, (*at, "record_types", object_name)
    for field_id, stage, where in _must_update_refs(spec.get("must_update", {}),
                                                     (*at, "must_update")):
        problem = check.field(field_id)
        if problem:
            yield f"must_update {problem}", where
        elif stage_problem := check.stage(field_id, stage):
            yield f"must_update {field_id}: {stage_problem}", where


def _need_refs(spec: Any, at: NodePath) -> Iterator[tuple[str, str | None, NodePath]]:
    """(field id, from_stage, path) of each need, written flat or by object."""
    groups = [(None, at, spec)] if isinstance(spec, list) else [
        (object_name, (*at, object_name), items) for object_name, items in spec.items()
    ]
    for object_name, base, items in groups:
        for index, item in enumerate(items):
            reference = str(item["field"] if isinstance(item, dict) else item)
            stage = item.get("from_stage") if isinstance(item, dict) else None
            field_id = reference if object_name is None or "." in reference else (
                f"{object_name}.{reference}"
            )
            yield field_id, None if stage is None else str(stage), (*base, index)


def _must_update_refs(
    spec: dict[str, Any], at: NodePath
) -> Iterator[tuple[str, str, NodePath]]:
    """(field id, stage, path): ``{Stage: [Object.Field]}`` or ``{Object: {Stage: [Field]}}``."""
    for key, value in spec.items():
        if isinstance(value, dict):
            for stage, names in value.items():
                for index, name in enumerate(names):
                    text = str(name)
                    yield (text if "." in text else f"{key}.{text}"), stage, (*at, key, stage,
                                                                              index)
        else:
            for index, name in enumerate(value):
                yield str(name), key, (*at, key, index)


class _ReferenceCheck:
    """Answers "does the configuration define this?", ignoring case as Salesforce does."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.objects = {name.casefold(): crm_object for name, crm_object in org.objects.items()}
        self.known_fields = _known_fields(org)

    def crm_object(self, name: str) -> str | None:
        if name.casefold() in self.objects:
            return None
        return f"no object {name} in the configuration"

    def field(self, field_id: str) -> str | None:
        object_name, dot, field_name = field_id.partition(".")
        if not dot or not field_name:
            return f"{field_id!r} is not an Object.Field id"
        crm_object = self.objects.get(object_name.casefold())
        if crm_object is None:
            return f"{field_id}: no object {object_name} in the configuration"
        if field_id.casefold() in self.known_fields:
            return None
        return f"{field_id}: no field {field_name} on {crm_object.name} in the configuration"

    def stage(self, field_id: str, stage: str) -> str | None:
        object_name = field_id.partition(".")[0].casefold()
        pipelines = [
            pipeline for pipeline in self.org.pipelines.values()
            if pipeline.object_name.casefold() == object_name
        ]
        if not pipelines:
            return None  # nothing to judge against
        if any(stage in {s.name for s in p.stages} | {s.label for s in p.stages if s.label}
               for p in pipelines):
            return None
        return f"no stage {stage!r} in the pipelines of {pipelines[0].object_name}"

    def record_type(self, object_name: str, record_type: str) -> str | None:
        crm_object = self.objects.get(object_name.casefold())
        if crm_object is None:
            return f"record_types: no object {object_name} in the configuration"
        wanted = record_type_id(crm_object.name, record_type).casefold()
        if any(rt.id.casefold() == wanted for rt in crm_object.record_types.values()):
            return None
        return f"record_types: no record type {record_type} on {crm_object.name}"


def _known_fields(org: Org) -> set[str]:
    """Field ids (case-folded) the configuration defines, shows on a view or grants access to.

    A Salesforce project rarely holds its standard fields' files (Opportunity.NextStep), but
    its layouts and profiles name them: such a field exists.
    """
    known = {model_field.id.casefold() for model_field in org.fields()}
    for view in org.views.values():
        if view.object_name is not None:
            known.update(f"{view.object_name}.{name}".casefold() for name in view.field_names())
    for profile in org.profiles.values():
        known.update(permission.field.casefold() for permission in profile.field_permissions)
    return known
