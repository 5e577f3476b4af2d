"""Read a usage file (``usage.json``): aggregate figures on how a CRM is used (docs/roles.md).

``cfglint pull --with-usage`` writes it from aggregate queries — counts and shares, never
customer records. Its shape (``cfglint/schemas/usage.schema.json``)::

    {"version": 1, "source": "salesforce", "pulled_at": "2025-01-31T09:00:00Z",
     "objects": {"Opportunity": {"records": 1200}},
     "fields": {"Opportunity.NextStep": {"fill_rate": 0.41, "placeholder_share": 0.1,
                                         "top_value": "TBD", "top_value_share": 0.08,
                                         "median_length": 24}},
     "stages": {"Opportunity.StageName=Proposal": {"open_records": 40}}}

Every key but ``version`` is optional. Rules read it through :class:`Usage`: ``usage.fields``
is a mapping of field id to :class:`FieldUsage`, whose figures are attributes
(``entry.fill_rate``), as the REQ and DEBT rules expect. A bad file is an
:class:`~cfglint.readers.InputError` naming the file and line (exit code 2).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cfglint.readers import InputError
from cfglint.readers.native import NodePath, YamlLoadError, dotted, load_document
from cfglint.yamlio import package_schema, package_validator

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

USAGE_VERSION = 1
#: At most this many schema violations are listed in the error.
MAX_SCHEMA_ERRORS = 10
HINT = "the usage file format is described in docs/roles.md; cfglint pull --with-usage writes it"


@dataclass(frozen=True)
class ObjectUsage:
    records: int | None = None


@dataclass(frozen=True)
class FieldUsage:
    """Figures for one field; ``None`` where the pull could not measure one."""

    #: Share of records with a value (0–1).
    fill_rate: float | None = None
    #: Share of filled values that are placeholders such as "TBD", "N/A", "-" (0–1).
    placeholder_share: float | None = None
    #: The most common value and its share of filled values.
    top_value: str | None = None
    top_value_share: float | None = None
    #: Median length in characters of the filled values.
    median_length: float | None = None


@dataclass(frozen=True)
class StageUsage:
    open_records: int | None = None


@dataclass(frozen=True)
class Usage:
    """A usage file as read. Look-ups by id ignore case, as Salesforce names do."""

    path: str = ""
    version: int = USAGE_VERSION
    source: str | None = None
    pulled_at: str | None = None
    objects: Mapping[str, ObjectUsage] = field(default_factory=dict)
    fields: Mapping[str, FieldUsage] = field(default_factory=dict)
    #: Keyed by the stage's picklist value id: ``Opportunity.StageName=Proposal``.
    stages: Mapping[str, StageUsage] = field(default_factory=dict)

    def field_usage(self, field_id: str) -> FieldUsage | None:
        found: FieldUsage | None = _lookup(self.fields, field_id)
        return found

    def fill_rate(self, field_id: str) -> float | None:
        entry = self.field_usage(field_id)
        return entry.fill_rate if entry is not None else None

    def records(self, object_name: str) -> int | None:
        entry: ObjectUsage | None = _lookup(self.objects, object_name)
        return entry.records if entry is not None else None

    def open_records(self, stage_id: str) -> int | None:
        entry: StageUsage | None = _lookup(self.stages, stage_id)
        return entry.open_records if entry is not None else None


# --- public API ---------------------------------------------------------------------------------


def load_usage(path: Path) -> Usage:
    """Read and check a usage file."""
    where = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{where}: no such usage file", HINT) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{where}: cannot read usage file: {error}", HINT) from None
    data = _parse(where, text)
    errors = sorted(package_validator(SCHEMA_NAME).iter_errors(data),
                    key=lambda error: list(error.absolute_path))
    if errors:
        raise InputError(_schema_message(where, text, errors), HINT)
    return usage_from_data(data, where)


def usage_from_data(data: Mapping[str, Any], path: str = "") -> Usage:
    """A :class:`Usage` from already-validated data (the pull command builds it this way)."""
    return Usage(
        path=path,
        version=int(data.get("version", USAGE_VERSION)),
        source=data.get("source"),
        pulled_at=data.get("pulled_at"),
        objects={
            name: ObjectUsage(records=entry.get("records"))
            for name, entry in sorted(data.get("objects", {}).items())
        },
        fields={
            field_id: _field_usage(entry)
            for field_id, entry in sorted(data.get("fields", {}).items())
        },
        stages={
            stage_id: StageUsage(open_records=entry.get("open_records"))
            for stage_id, entry in sorted(data.get("stages", {}).items())
        },
    )


#: The shipped JSON Schema this file is checked against.
SCHEMA_NAME = "usage.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of the usage file, as shipped in the package."""
    return package_schema(SCHEMA_NAME)


# --- internals ----------------------------------------------------------------------------------


def _lookup(entries: Mapping[str, Any], key: str) -> Any:
    entry = entries.get(key)
    if entry is not None:
        return entry
    folded = key.casefold()
    for name, value in entries.items():
        if name.casefold() == folded:
            return value
    return None


def _field_usage(entry: Mapping[str, Any]) -> FieldUsage:
    top_value = entry.get("top_value")
    return FieldUsage(
        fill_rate=_float(entry.get("fill_rate")),
        placeholder_share=_float(entry.get("placeholder_share")),
        top_value=None if top_value is None else _text(top_value),
        top_value_share=_float(entry.get("top_value_share")),
        median_length=_float(entry.get("median_length")),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse(where: str, text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}:{error.lineno}: malformed JSON: {error.msg}", HINT) from None
    except ValueError as error:
        raise InputError(f"{where}: malformed JSON: {error}", HINT) from None


def _schema_message(where: str, text: str, errors: list[ValidationError]) -> str:
    """One line per violation, each with its line (found by re-reading with positions)."""
    line_of = _line_finder(where, text)
    lines = []
    for error in errors[:MAX_SCHEMA_ERRORS]:
        at = tuple(error.absolute_path)
        if at == ("version",):
            message = (f"version: unsupported usage file version {error.instance!r} "
                       f"(this cfglint reads version {USAGE_VERSION})")
        else:
            message = f"{dotted(at)}: {error.message}" if at else error.message
        lines.append(f"{where}:{line_of(at)}: {message}")
    if len(errors) > MAX_SCHEMA_ERRORS:
        lines.append(f"{len(errors) - MAX_SCHEMA_ERRORS} more schema violations not shown")
    return "\n".join(lines)


def _line_finder(where: str, text: str) -> Callable[[NodePath], int]:
    # json keeps no positions; JSON is YAML, and the YAML loader keeps every node's line. Only
    # an invalid file pays for this second read.
    try:
        document = load_document(where, text.encode("utf-8"))
    except YamlLoadError:
        return lambda at: 1
    return document.line
