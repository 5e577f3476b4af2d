"""Standard fields from sObject describes (``describe/<Object>.json``) in a Salesforce project.

A Metadata API retrieve of a standard object lists only the standard fields someone customized
(help text, history tracking, picklist values); the rest exist in the org but not in the XML.
``cfglint pull salesforce`` stores the REST describe of each object it retrieved beside the
metadata, and this module adds the standard fields the metadata lacks from it, so that rules see
the org's required standard fields and their picklist values.

Metadata always wins: a field the XML defines is left as it is, custom fields are never taken
from describe (the retrieve has every one of them), and a describe of an object the metadata
does not define adds nothing. Each added field points at the line of its ``"name"`` in the
describe file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from cfglint.model import (
    Field,
    FieldType,
    Org,
    PicklistValue,
    ProblemKind,
    SkippedFile,
    SkipReason,
    SourceLocation,
    salesforce_field_type,
)
from cfglint.readers.salesforce_xml.objects import SYSTEM_FIELDS

#: Describe files live in this folder of a snapshot: ``describe/Opportunity.json``.
DESCRIBE_FOLDER = "describe"
#: A describe body above this size is not a describe: refuse it rather than load it.
MAX_DESCRIBE_BYTES = 20 * 1024 * 1024

_NAME_KEY = re.compile(r'"name"\s*:\s*("(?:[^"\\]|\\.)*")')


def is_describe_file(relative: str) -> bool:
    """Whether a project-relative POSIX path is ``.../describe/<Object>.json``."""
    folder, _, file_name = relative.rpartition("/")
    return file_name.endswith(".json") and folder.rpartition("/")[2] == DESCRIBE_FOLDER


@dataclass
class Describe:
    """One parsed describe body and where it came from."""

    relative: str
    body: dict[str, Any]
    #: Line of each field's ``"name"`` in the file, by field name.
    lines: dict[str, int]

    @property
    def object_name(self) -> str:
        name = self.body.get("name")
        if isinstance(name, str) and name:
            return name
        return self.relative.rpartition("/")[2].removesuffix(".json")


class DescribeFiles:
    """Collects the describe files met during the walk; merges them once the metadata is read."""

    def __init__(self) -> None:
        self.describes: list[Describe] = []

    def accept(self, relative: str, absolute: str, org: Org) -> bool:
        """Read ``relative`` if it is a describe file; ``False`` leaves it to the metadata walk."""
        if not is_describe_file(relative):
            return False
        describe = load_describe(relative, absolute, org)
        if describe is not None:
            org.files_read.append(relative)
            self.describes.append(describe)
        return True

    def merge(self, org: Org) -> None:
        for describe in self.describes:
            merge_describe(describe, org)


def load_describe(relative: str, absolute: str, org: Org) -> Describe | None:
    """Parse one describe file; a bad one is a problem with its line, and skipped."""
    try:
        with open(absolute, "rb") as handle:
            data = handle.read(MAX_DESCRIBE_BYTES + 1)
    except OSError as error:
        return _unreadable(org, relative, ProblemKind.UNREADABLE,
                           f"cannot read file: {error.strerror}", None)
    if len(data) > MAX_DESCRIBE_BYTES:
        return _unreadable(org, relative, ProblemKind.TOO_LARGE,
                           f"describe file larger than {MAX_DESCRIBE_BYTES} bytes", None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _unreadable(org, relative, ProblemKind.ENCODING, "not UTF-8", None)
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        return _unreadable(org, relative, ProblemKind.PARSE_ERROR,
                           f"malformed JSON: {error.msg}", error.lineno, error.colno)
    if not isinstance(body, dict) or not isinstance(body.get("fields"), list):
        return _unreadable(org, relative, ProblemKind.INVALID,
                           'not an sObject describe: expected an object with a "fields" list', 1)
    return Describe(relative, body, _field_lines(text))


def _unreadable(org: Org, relative: str, kind: ProblemKind, message: str, line: int | None,
                column: int | None = None) -> Describe | None:
    """Record why a describe file is not read; ``None``, for the caller to return."""
    org.problem(kind, message, relative, line, column)
    org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, kind.value))
    return None


def _field_lines(text: str) -> dict[str, int]:
    """The line of the first ``"name": ...`` after ``"fields"`` for each name."""
    start = text.find('"fields"')
    lines: dict[str, int] = {}
    if start < 0:
        return lines
    line, position = text.count("\n", 0, start) + 1, start
    for match in _NAME_KEY.finditer(text, start):
        line += text.count("\n", position, match.start())
        position = match.start()
        try:
            name = json.loads(match.group(1))
        except json.JSONDecodeError:
            continue
        if isinstance(name, str):
            lines.setdefault(name, line)
    return lines


def merge_describe(describe: Describe, org: Org) -> None:
    """Add the standard fields of one describe that the object's metadata does not define."""
    crm_object = org.objects.get(describe.object_name)
    if crm_object is None:
        org.notes.append(
            f"{describe.relative}: no metadata for {describe.object_name}; its describe adds "
            "nothing"
        )
        return
    for entry in describe.body["fields"]:
        if not isinstance(entry, dict) or entry.get("custom") is True:
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name or name in crm_object.fields:
            continue
        location = SourceLocation(describe.relative, describe.lines.get(name))
        crm_object.fields[name] = describe_field(entry, crm_object.name, location)


def describe_field(entry: dict[str, Any], object_name: str, location: SourceLocation) -> Field:
    """A model field from one entry of a describe's ``fields`` list."""
    source_type = _text(entry.get("type"))
    formula = _text(entry.get("calculatedFormula"))
    calculated = entry.get("calculated") is True
    field_type = salesforce_field_type(source_type, has_formula=calculated)
    name = str(entry["name"])
    createable = entry.get("createable") is True
    updateable = entry.get("updateable") is True
    model_field = Field(
        object_name=object_name,
        name=name,
        label=_text(entry.get("label")),
        type=field_type,
        source_type=source_type,
        custom=False,
        # What the API refuses to save without: booleans are never nillable but always
        # defaulted, and fields the platform fills in are not createable.
        required=entry.get("nillable") is False
        and entry.get("defaultedOnCreate") is not True
        and createable,
        formula=formula if calculated else None,
        length=_positive(entry.get("length")),
        precision=_positive(entry.get("precision")),
        scale=_positive(entry.get("scale")),
        reference_to=[str(target) for target in entry.get("referenceTo") or []],
        relationship_name=_text(entry.get("relationshipName")),
        help_text=_text(entry.get("inlineHelpText")),
        unique=entry.get("unique") is True,
        external_id=entry.get("externalId") is True,
        # Neither createable nor updateable: only the platform ever writes it.
        system=name in SYSTEM_FIELDS or entry.get("autoNumber") is True
        or not (createable or updateable),
        hidden=entry.get("deprecatedAndHidden") is True,
        location=location,
    )
    if field_type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST):
        model_field.picklist_values = _picklist_values(entry.get("picklistValues"))
        model_field.restricted = entry.get("restrictedPicklist") is True
        model_field.controlling_field = _text(entry.get("controllerName"))
    return model_field


def _picklist_values(values: object) -> list[PicklistValue]:
    if not isinstance(values, list):
        return []
    return [
        PicklistValue(
            name=str(value["value"]),
            label=_text(value.get("label")),
            default=value.get("defaultValue") is True,
            active=value.get("active") is not False,
        )
        for value in values
        if isinstance(value, dict) and isinstance(value.get("value"), str)
    ]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
