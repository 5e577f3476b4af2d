"""Read cfglint YAML, cfglint's own configuration-as-code format (docs/yaml-format.md).

The input is one ``.yaml`` / ``.yml`` file, or a directory whose YAML files each start with
``cfglint: 1``; the files of a directory are merged into one :class:`~cfglint.model.Org`.

Reading a file goes through four steps, each of which records a problem and goes on rather
than raising:

1. **load**: size limit, UTF-8 check, ruamel.yaml's round-trip loader (which keeps lines), and a
   guard against alias bombs (a few anchors that expand to millions of nodes);
2. **plain**: the ruamel tree becomes plain dicts, lists and scalars plus an index from each
   node's path to its line, so the schema and the builder never see ruamel types;
3. **validate**: the JSON Schema (``cfglint/schemas/cfglint-yaml.schema.json``); each violation
   is reported at its line and the element holding it is left out, the rest of the file is read;
4. **build**: model elements, each with its file and line. The first definition of an element
   wins; a second one (in another file) is a problem at the second one's line.

Cross-file work waits until every file is read: team / profile references are resolved, and a
field's ``required_at_stage`` and the stages' ``requires`` lists are completed from each other.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from cfglint.model import (
    Automation,
    AutomationKind,
    Behavior,
    CrmObject,
    DuplicateRule,
    Field,
    FieldPermission,
    FieldSet,
    FieldType,
    Integration,
    ListView,
    MatchingRule,
    ObjectPermission,
    Org,
    PicklistValue,
    Pipeline,
    ProblemKind,
    Profile,
    ProfileKind,
    QuickAction,
    RecordType,
    Report,
    Role,
    RoleFieldNeed,
    SkippedFile,
    SkipReason,
    SourceLocation,
    Stage,
    ValidationRule,
    ValueSet,
    View,
    ViewAssignment,
    ViewItem,
    ViewKind,
    ViewSection,
    is_custom_name,
)
from cfglint.suppress import scan_suppressions
from cfglint.yamlio import package_schema, package_validator

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

SOURCE_FORMAT = "cfglint-yaml"
YAML_SUFFIXES = (".yaml", ".yml")

#: Files larger than this are refused with a problem rather than parsed.
MAX_YAML_BYTES = 16 * 1024 * 1024
#: Deeper documents are refused: no configuration nests this far, and the parser recurses.
MAX_DEPTH = 64
#: Aliases may expand a document to this many nodes beyond ten times its written size; more is
#: an alias bomb ("billion laughs") and is refused before anything walks the expanded tree.
ALIAS_EXPANSION_ALLOWANCE = 100_000
#: At most this many schema violations are reported per file.
MAX_SCHEMA_PROBLEMS = 50
#: How much of a file ``looks_like_native`` reads to find the ``cfglint:`` key.
DETECTION_BYTES = 4096

_FLOW_BRACKETS = re.compile(r"[\[\]{}]")

#: Directory names never walked.
EXCLUDED_DIRECTORIES = frozenset({"node_modules", "__pycache__", ".git"})

#: Top-level sections holding profiles, by the kind of profile each holds.
PROFILE_SECTIONS: dict[str, ProfileKind] = {
    "profiles": ProfileKind.PROFILE,
    "permission_sets": ProfileKind.PERMISSION_SET,
    "permission_set_groups": ProfileKind.PERMISSION_SET_GROUP,
    "teams": ProfileKind.TEAM,
}

#: Mappings of named elements at the top level and under each object; a schema violation inside
#: one of their entries leaves that entry out.
TOP_COLLECTIONS = frozenset(
    {"objects", "views", "quick_actions", "value_sets", "automations", "roles", "reports",
     "integrations", *PROFILE_SECTIONS}
)
OBJECT_COLLECTIONS = frozenset(
    {"fields", "record_types", "validation_rules", "list_views", "field_sets", "pipelines",
     "views", "duplicate_rules", "matching_rules", "quick_actions"}
)

#: Object-level settings; setting one in two files is a duplicate definition.
OBJECT_SETTINGS = ("label", "plural_label", "description", "custom", "declared")

#: The ``cfglint inventory`` counter for each kind of view, automation and profile.
VIEW_OCCURRENCES = {
    ViewKind.RECORD_VIEW: "views",
    ViewKind.LAYOUT: "layouts",
    ViewKind.FLEXIPAGE: "flexipages",
    ViewKind.COMPACT_LAYOUT: "compact_layouts",
    ViewKind.FORM: "forms",
}
AUTOMATION_OCCURRENCES = {
    AutomationKind.FLOW: "flows",
    AutomationKind.PROCESS_BUILDER: "flows",
    AutomationKind.WORKFLOW_RULE: "workflow_rules",
    AutomationKind.TRIGGER: "triggers",
    AutomationKind.APPROVAL_PROCESS: "approval_processes",
    AutomationKind.HUBSPOT_WORKFLOW: "automations",
}
PROFILE_OCCURRENCES = {
    ProfileKind.PROFILE: "profiles",
    ProfileKind.PERMISSION_SET: "permission_sets",
    ProfileKind.PERMISSION_SET_GROUP: "permission_set_groups",
    ProfileKind.TEAM: "teams",
}

#: Automation kinds whose names are unique per object only; their keys may be ``Object.Name``.
OBJECT_SCOPED_AUTOMATIONS = frozenset(
    {AutomationKind.WORKFLOW_RULE, AutomationKind.APPROVAL_PROCESS}
)

NodePath = tuple[str | int, ...]


# --- public API -------------------------------------------------------------------------------


def is_native_file(path: Path) -> bool:
    """A file cfglint reads as cfglint YAML when it is given one: any ``.yaml`` / ``.yml``."""
    return path.suffix.lower() in YAML_SUFFIXES


def looks_like_native(path: Path) -> bool:
    """A directory with a YAML file that starts a cfglint document, and no Salesforce project."""
    if not path.is_dir():
        return path.is_file() and is_native_file(path)
    if (path / "sfdx-project.json").is_file() or (path / "package.xml").is_file():
        return False
    candidates = [*_yaml_files_in(path)]
    for directory in _subdirectories(path):
        candidates.extend(_yaml_files_in(directory))
    return any(declares_cfglint(candidate) for candidate in candidates)


def declares_cfglint(path: Path) -> bool:
    """Whether the head of a file has a top-level ``cfglint:`` key (a cheap test, no parse)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(DETECTION_BYTES).removeprefix(codecs.BOM_UTF8)
    except OSError:
        return False
    return any(line.startswith(b"cfglint:") for line in head.splitlines())


def read_native(path: Path) -> Org:
    """Read a cfglint YAML file, or every cfglint YAML file under a directory, into one Org."""
    org = Org(platform="hubspot", source_format=SOURCE_FORMAT, root=str(path))
    reader = _Reader(org)
    if path.is_dir():
        for relative, absolute in _walk(path):
            reader.read_file(relative, absolute, in_directory=True)
    else:
        reader.read_file(path.name, path, in_directory=False)
    reader.finish()
    if not org.files_read and not org.problems:
        org.notes.append("no cfglint YAML file found (a file with a top-level 'cfglint: 1')")
    return org


# --- finding files ------------------------------------------------------------------------------


def _yaml_files_in(directory: Path) -> list[Path]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    return [
        entry for entry in entries
        if entry.is_file() and is_native_file(entry) and not entry.name.startswith(".")
    ]


def _subdirectories(directory: Path) -> list[Path]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    return [
        entry for entry in entries
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in
        EXCLUDED_DIRECTORIES
    ]


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    for directory, subdirectories, file_names in os.walk(root):
        subdirectories[:] = sorted(
            name for name in subdirectories
            if name not in EXCLUDED_DIRECTORIES and not name.startswith(".")
        )
        base = Path(directory)
        for file_name in sorted(file_names):
            absolute = base / file_name
            yield absolute.relative_to(root).as_posix(), absolute


# --- loading ------------------------------------------------------------------------------------


class YamlLoadError(Exception):
    """Why a file could not be loaded, with where."""

    def __init__(self, kind: ProblemKind, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column


@dataclass
class YamlDocument:
    """One file's content as plain data, with the line of every node."""

    path: str
    data: Any
    lines: dict[NodePath, int] = field(default_factory=dict)

    def line(self, at: NodePath) -> int:
        """The line of the node at ``at``, or of its nearest ancestor with a known line."""
        for end in range(len(at), -1, -1):
            line = self.lines.get(at[:end])
            if line is not None:
                return line
        return 1

    def location(self, at: NodePath) -> SourceLocation:
        return SourceLocation(self.path, self.line(at))


def load_document(path: str, data: bytes) -> YamlDocument:
    """Parse one file into a :class:`YamlDocument`, or raise :class:`YamlLoadError`."""
    if len(data) > MAX_YAML_BYTES:
        raise YamlLoadError(
            ProblemKind.TOO_LARGE,
            f"file is {len(data):,} bytes, over the {MAX_YAML_BYTES:,}-byte limit for YAML",
        )
    text = _decode(data)
    _check_flow_depth(text)
    tree = _parse(text)
    _check_expansion(tree)
    document = YamlDocument(path, None)
    document.data = _plain(tree, (), document.lines, 1)
    return document


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlLoadError(
            ProblemKind.ENCODING,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "cfglint YAML must be UTF-8",
            line,
        ) from None


def _check_flow_depth(text: str) -> None:
    """Refuse deeply nested flow collections (``[[[[...``) before the parser sees them.

    ruamel.yaml's scanner slows down with the square of the flow nesting depth, so a few
    kilobytes of brackets would take seconds. Brackets are counted in the raw text, quotes and
    all; no configuration comes near the limit, even with brackets inside its strings.
    """
    depth = 0
    for match in _FLOW_BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise YamlLoadError(ProblemKind.TOO_LARGE,
                                 f"document nests deeper than {MAX_DEPTH} levels", line)
        else:
            depth = max(depth - 1, 0)


def _parse(text: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "malformed YAML"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise YamlLoadError(ProblemKind.PARSE_ERROR, f"malformed YAML: {problem}", line,
                         column) from None
    except YAMLError as error:
        raise YamlLoadError(ProblemKind.PARSE_ERROR, f"malformed YAML: {error}") from None
    except RecursionError:
        raise YamlLoadError(ProblemKind.TOO_LARGE, "document nests too deeply") from None


def _check_expansion(tree: Any) -> None:
    """Refuse documents whose aliases expand far beyond what is written (an alias bomb).

    ruamel.yaml shares one object for an anchor and its aliases, so loading is cheap; walking
    the result as a tree is not. Sizes are computed once per shared object, so this check costs
    the written size, not the expanded one.
    """
    expanded: dict[int, int] = {}
    in_progress: set[int] = set()
    written = 0
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in expanded:
            continue
        children = list(node.values()) if isinstance(node, dict) else list(node)
        if children_done:
            expanded[id(node)] = 1 + sum(
                expanded.get(id(child), 1) if isinstance(child, (dict, list)) else 1
                for child in children
            )
            in_progress.discard(id(node))
            written += 1 + len(children)
            continue
        if id(node) in in_progress:
            raise YamlLoadError(ProblemKind.INVALID, "an alias refers to its own anchor")
        in_progress.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    total = expanded.get(id(tree), 1)
    if total > ALIAS_EXPANSION_ALLOWANCE + 10 * written:
        raise YamlLoadError(
            ProblemKind.TOO_LARGE,
            f"aliases expand this document to {total:,} nodes from {written:,} written; "
            "refused as an alias bomb",
        )


def _plain(node: Any, at: NodePath, lines: dict[NodePath, int], line: int) -> Any:
    """Plain data from a ruamel node, recording the line of every node under ``at``."""
    lines[at] = line
    if len(at) > MAX_DEPTH:
        raise YamlLoadError(ProblemKind.TOO_LARGE, f"document nests deeper than {MAX_DEPTH} levels",
                         line)
    if isinstance(node, dict):
        result: dict[str, Any] = {}
        for key, value in node.items():
            name = _key_text(key)
            result[name] = _plain(value, (*at, name), lines, _key_line(node, key, line))
        return result
    if isinstance(node, list):
        return [
            _plain(item, (*at, index), lines, _item_line(node, index, line))
            for index, item in enumerate(node)
        ]
    return _scalar(node)


def _key_line(mapping: Any, key: Any, default: int) -> int:
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return default  # keys brought in by a merge key (<<) have no position of their own


def _item_line(sequence: Any, index: int, default: int) -> int:
    try:
        return int(sequence.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default


def _scalar(value: Any) -> Any:
    # ruamel's round-trip types subclass int / float (ScalarBoolean is an int!), which the
    # schema's type checks would misjudge; dates become ISO text, as text is what the model keeps.
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if isinstance(value, (bool, ScalarBoolean)):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _key_text(key: Any) -> str:
    return text_of(_scalar(key)) or ""


def text_of(value: Any) -> str | None:
    """A scalar as the text the model keeps (``true`` / ``false`` for booleans)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- validation ---------------------------------------------------------------------------------


#: The shipped JSON Schema this file is checked against.
SCHEMA_NAME = "cfglint-yaml.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of cfglint YAML, as shipped in the package."""
    return package_schema(SCHEMA_NAME)


@dataclass(frozen=True)
class _Violation:
    at: NodePath
    message: str
    #: Where to cut the document so the rest is valid: the element holding the violation.
    cut: NodePath | None


def validate(document: YamlDocument, org: Org) -> bool:
    """Report schema violations and cut out what holds them; False when nothing is usable."""
    violations = sorted(
        (violation for error in package_validator(SCHEMA_NAME).iter_errors(document.data)
         for violation in _violations(error)),
        key=lambda violation: (document.line(violation.at), violation.message),
    )
    for index, violation in enumerate(violations):
        if index == MAX_SCHEMA_PROBLEMS:
            org.problem(ProblemKind.INVALID,
                        f"{len(violations) - index} more schema violations not shown",
                        document.path, document.line(violation.at))
            break
        org.problem(ProblemKind.INVALID, violation.message, document.path,
                    document.line(violation.at))
    cuts = {violation.cut for violation in violations}
    if None in cuts:
        return False
    # Deepest and last first, so that removing a list item does not shift a later cut's path.
    for cut in sorted((cut for cut in cuts if cut is not None), key=_cut_order, reverse=True):
        _cut(document.data, cut)
    return not violations or not any(package_validator(SCHEMA_NAME).iter_errors(document.data))


def _cut_order(at: NodePath) -> tuple[tuple[int, str], ...]:
    return tuple((step, "") if isinstance(step, int) else (-1, step) for step in at)


def _violations(error: ValidationError) -> Iterator[_Violation]:
    at: NodePath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        for key in sorted(key for key in error.instance if key not in known):
            key_at = (*at, key)
            message = f"unknown key {key!r}{_suggestion(key, list(known))}"
            yield _Violation(key_at, f"{dotted(key_at)}: {message}", key_at)
    elif at == ("cfglint",):
        yield _Violation(at, f"cfglint: unsupported format version {error.instance!r} "
                             "(this cfglint reads version 1)", None)
    elif not at:
        yield _Violation(at, error.message, None)
    else:
        yield _Violation(at, f"{dotted(at)}: {error.message}", _element_path(at))


def _suggestion(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _element_path(at: NodePath) -> NodePath:
    """The path of the innermost named element holding ``at`` (left out when invalid)."""
    if len(at) >= 4 and at[0] == "objects" and at[2] in OBJECT_COLLECTIONS:
        return at[:4]
    if len(at) >= 2 and (at[0] in TOP_COLLECTIONS or at[0] == "view_assignments"):
        return at[:2]
    return at[:1]


def _cut(data: Any, at: NodePath) -> None:
    parent = data
    for step in at[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return  # already cut with an enclosing element
    if isinstance(parent, dict):
        parent.pop(at[-1], None)
    elif isinstance(parent, list) and isinstance(at[-1], int) and at[-1] < len(parent):
        del parent[at[-1]]


def dotted(at: NodePath) -> str:
    """A node path as text: ``objects.deals.fields.amount.type``, ``stages[2]``."""
    text = ""
    for step in at:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


# --- reading files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PendingAssignment:
    view_id: str
    who: str
    record_type: str | None
    location: SourceLocation


@dataclass(frozen=True)
class _PendingRoleProfile:
    role_id: str
    who: str
    location: SourceLocation


class _Reader:
    """Reads files into one Org, remembering where each element was first defined."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.defined: dict[str, SourceLocation] = {}
        self.platform: tuple[str, SourceLocation] | None = None
        self.name: tuple[str, SourceLocation] | None = None
        self.assignments: list[_PendingAssignment] = []
        self.role_profiles: list[_PendingRoleProfile] = []

    def read_file(self, relative: str, absolute: Path, *, in_directory: bool) -> None:
        org = self.org
        if in_directory and (absolute.name.startswith(".") or not is_native_file(absolute)):
            reason = SkipReason.IGNORED if absolute.name.startswith(".") else (
                SkipReason.NOT_METADATA
            )
            org.skipped.append(SkippedFile(relative, reason))
            return
        try:
            data = absolute.read_bytes()
        except OSError as error:
            org.problem(ProblemKind.UNREADABLE, f"cannot read file: {error.strerror}", relative)
            org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "unreadable"))
            return
        try:
            document = load_document(relative, data)
        except YamlLoadError as error:
            org.problem(error.kind, error.message, relative, error.line, error.column)
            org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, error.kind.value))
            return
        if in_directory and not (isinstance(document.data, dict) and "cfglint" in document.data):
            org.skipped.append(
                SkippedFile(relative, SkipReason.NOT_METADATA, "no top-level 'cfglint:' key")
            )
            return
        if document.data is None:
            org.problem(ProblemKind.INVALID, "empty document; a cfglint file starts with "
                        "'cfglint: 1'", relative, 1)
            org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "invalid"))
            return
        if b"cfglint:" in data:
            org.suppressions.extend(scan_suppressions(relative, data.decode("utf-8")))
        if not validate(document, org):
            org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "invalid"))
            return
        org.files_read.append(relative)
        _Builder(self, document).build()

    def define(self, element_id: str, what: str, location: SourceLocation) -> bool:
        """Claim an element id; False (and a problem) when an earlier definition has it."""
        first = self.defined.get(element_id)
        if first is None:
            self.defined[element_id] = location
            return True
        self.org.problem(
            ProblemKind.INVALID,
            f"duplicate definition of {what} {element_id} (first defined at {first}); "
            "this one is ignored",
            location.path,
            location.line,
        )
        return False

    def setting(self, key: str, value: str, location: SourceLocation) -> None:
        """``name`` and ``platform`` may repeat across files, but must agree."""
        current = self.platform if key == "platform" else self.name
        if current is None:
            if key == "platform":
                self.platform = (value, location)
            else:
                self.name = (value, location)
        elif current[0] != value:
            self.org.problem(
                ProblemKind.INVALID,
                f"{key}: {value!r} conflicts with {current[0]!r} set at {current[1]}",
                location.path, location.line,
            )

    def finish(self) -> None:
        org = self.org
        if self.platform is not None:
            org.platform = self.platform[0]
        if self.name is not None:
            org.name = self.name[0]
        for pending_role in self.role_profiles:
            role = org.roles[pending_role.role_id]
            role.profiles.append(self._profile_id(pending_role.who, pending_role.location))
        for pending in self.assignments:
            org.view_assignments.append(ViewAssignment(
                pending.view_id, self._profile_id(pending.who, pending.location),
                pending.record_type,
            ))
        # Assignment order carries no meaning; sorting makes the model independent of file order.
        org.view_assignments.sort(key=assignment_order)
        complete_stage_requirements(org)

    def _profile_id(self, who: str, location: SourceLocation) -> str:
        """A team / profile / permission set reference as an id.

        ``team:AE`` is an id already; a bare name is looked up among the defined profiles of
        every kind, and when none has it, it names a team (HubSpot) or a profile (Salesforce).
        """
        kind_name, separator, _ = who.partition(":")
        if separator and kind_name in {kind.value for kind in ProfileKind}:
            return who
        matches = [profile.id for profile in self.org.profiles.values() if profile.name == who]
        if len(matches) > 1:
            self.org.problem(
                ProblemKind.INVALID,
                f"{who!r} is ambiguous ({', '.join(sorted(matches))}); write the id instead",
                location.path, location.line,
            )
        if matches:
            return sorted(matches)[0]
        default = ProfileKind.TEAM if self.org.platform == "hubspot" else ProfileKind.PROFILE
        return f"{default.value}:{who}"


def assignment_order(assignment: ViewAssignment) -> tuple[str, str, str]:
    # record_type may be None, which does not compare with text.
    return assignment.view_id, assignment.profile_id, assignment.record_type or ""


def complete_stage_requirements(org: Org) -> None:
    """Make ``Field.required_at_stage`` and ``Stage.required_fields`` say the same thing.

    Authors write either one: a stage's ``requires:`` list, or a field's ``required_at_stage``.
    A field required by a stage and without its own setting is required from the first such
    stage; a field that names its stage is added to that stage's list in each of its object's
    pipelines.
    """
    for pipeline in org.pipelines.values():
        crm_object = org.objects.get(pipeline.object_name)
        if crm_object is None:
            continue
        for stage in pipeline.stages:
            for name in stage.required_fields:
                model_field = crm_object.fields.get(name)
                if model_field is not None and model_field.required_at_stage is None:
                    model_field.required_at_stage = stage.name
    for model_field in org.fields():
        if model_field.required_at_stage is None:
            continue
        for pipeline in org.pipelines.values():
            if pipeline.object_name != model_field.object_name:
                continue
            for stage in pipeline.stages:
                if (stage.name == model_field.required_at_stage
                        and model_field.name not in stage.required_fields):
                    stage.required_fields.append(model_field.name)


# --- building the model -------------------------------------------------------------------------


def _field_ids(object_name: str | None, names: list[Any]) -> list[str]:
    """Field references as ids: a plain name is on ``object_name``; ``Object.field`` is kept."""
    ids = []
    for name in names:
        text = str(name)
        ids.append(f"{object_name}.{text}" if object_name and "." not in text else text)
    return ids


def _grouped_field_ids(spec: list[Any] | dict[str, list[Any]]) -> Iterator[Any]:
    """Field references written flat (``[deals.amount]``) or by object (``{deals: [amount]}``).

    Yields ids, or for mappings such as ``{field: amount, from_stage: x}`` a copy whose
    ``field`` is the id.
    """
    if isinstance(spec, list):
        yield from spec
        return
    for object_name, items in spec.items():
        for item in items:
            if isinstance(item, dict):
                yield {**item, "field": f"{object_name}.{item['field']}"}
            else:
                yield f"{object_name}.{item}"


def view_name(kind: ViewKind, object_name: str, key: str) -> str:
    """The model name of a view written under an object (see the id table in the model)."""
    if kind in (ViewKind.RECORD_VIEW, ViewKind.COMPACT_LAYOUT):
        return f"{object_name}.{key}"
    if kind is ViewKind.LAYOUT:
        return f"{object_name}-{key}"
    return key


def record_type_id(object_name: str | None, reference: str) -> str:
    """``Enterprise`` under object ``deals`` -> ``recordtype:deals.Enterprise``."""
    if ":" in reference:
        return reference
    if "." in reference or object_name is None:
        return f"recordtype:{reference}"
    return f"recordtype:{object_name}.{reference}"


class _Builder:
    """Turns one validated document into model elements."""

    def __init__(self, reader: _Reader, document: YamlDocument) -> None:
        self.reader = reader
        self.org = reader.org
        self.document = document
        self.data: dict[str, Any] = document.data

    def location(self, *at: str | int) -> SourceLocation:
        return self.document.location(at)

    def build(self) -> None:
        for key in ("platform", "name"):
            if key in self.data:
                self.reader.setting(key, str(self.data[key]), self.location(key))
        for name, spec in self.data.get("objects", {}).items():
            self.crm_object(name, spec)
        for name, spec in self.data.get("views", {}).items():
            self.view(None, name, spec, ("views", name))
        for index, spec in enumerate(self.data.get("view_assignments", [])):
            self.reader.assignments.append(_PendingAssignment(
                spec["view"], spec["who"],
                record_type_id(None, spec["record_type"]) if "record_type" in spec else None,
                self.location("view_assignments", index),
            ))
        for name, spec in self.data.get("quick_actions", {}).items():
            self.quick_action(None, name, spec, ("quick_actions", name))
        for name, spec in self.data.get("value_sets", {}).items():
            self.value_set(name, spec)
        for name, spec in self.data.get("automations", {}).items():
            self.automation(name, spec)
        for section, kind in PROFILE_SECTIONS.items():
            for name, spec in self.data.get(section, {}).items():
                self.profile(kind, section, name, spec)
        for name, spec in self.data.get("roles", {}).items():
            self.role(name, spec)
        for name, spec in self.data.get("reports", {}).items():
            self.report(name, spec)
        for name, spec in self.data.get("integrations", {}).items():
            self.integration(name, spec)

    # -- objects and their children -------------------------------------------------------------

    def crm_object(self, name: str, spec: dict[str, Any]) -> None:
        org = self.org
        org.occurrences["objects"] += 1
        location = self.location("objects", name)
        crm_object = org.objects.get(name)
        if crm_object is None:
            crm_object = org.ensure_object(name, location)
            crm_object.custom = is_custom_name(name)
            crm_object.declared = True
        for key in OBJECT_SETTINGS:
            if key in spec and self.reader.define(
                f"objects.{name}.{key}", "object setting", self.location("objects", name, key)
            ):
                setattr(crm_object, key, spec[key])
        for field_name, field_spec in spec.get("fields", {}).items():
            self.field(crm_object, field_name, field_spec)
        for rt_name, rt_spec in spec.get("record_types", {}).items():
            self.record_type(crm_object, rt_name, rt_spec)
        for rule_name, rule_spec in spec.get("validation_rules", {}).items():
            self.validation_rule(crm_object, rule_name, rule_spec)
        for list_view_name, list_view_spec in spec.get("list_views", {}).items():
            self.list_view(crm_object, list_view_name, list_view_spec)
        for set_name, set_spec in spec.get("field_sets", {}).items():
            self.field_set(crm_object, set_name, set_spec)
        for pipeline_name, pipeline_spec in spec.get("pipelines", {}).items():
            self.pipeline(name, pipeline_name, pipeline_spec)
        for key, view_spec in spec.get("views", {}).items():
            self.view(name, key, view_spec, ("objects", name, "views", key))
        for rule_name, rule_spec in spec.get("duplicate_rules", {}).items():
            self.duplicate_rule(name, rule_name, rule_spec)
        for rule_name, rule_spec in spec.get("matching_rules", {}).items():
            self.matching_rule(name, rule_name, rule_spec)
        for action_name, action_spec in spec.get("quick_actions", {}).items():
            self.quick_action(name, action_name, action_spec,
                              ("objects", name, "quick_actions", action_name))

    def field(self, crm_object: CrmObject, name: str, spec: Any) -> None:
        self.org.occurrences["fields"] += 1
        location = self.location("objects", crm_object.name, "fields", name)
        model_field = parse_field(crm_object.name, name, spec, location)
        if self.reader.define(model_field.id, "field", location):
            crm_object.fields[name] = model_field

    def record_type(self, crm_object: CrmObject, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["record_types"] += 1
        location = self.location("objects", crm_object.name, "record_types", name)
        record_type = RecordType(
            object_name=crm_object.name,
            name=name,
            label=spec.get("label"),
            active=spec.get("active", True),
            business_process=spec.get("business_process"),
            description=spec.get("description"),
            picklist_values={
                field_name: [str(value) for value in values]
                for field_name, values in spec.get("picklist_values", {}).items()
            },
            location=location,
        )
        if self.reader.define(record_type.id, "record type", location):
            crm_object.record_types[name] = record_type

    def validation_rule(self, crm_object: CrmObject, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["validation_rules"] += 1
        location = self.location("objects", crm_object.name, "validation_rules", name)
        rule = ValidationRule(
            object_name=crm_object.name,
            name=name,
            active=spec.get("active", True),
            formula=spec["formula"],
            error_field=spec.get("error_field"),
            error_message=spec.get("error_message"),
            description=spec.get("description"),
            location=location,
        )
        if self.reader.define(rule.id, "validation rule", location):
            crm_object.validation_rules[name] = rule

    def list_view(self, crm_object: CrmObject, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["list_views"] += 1
        location = self.location("objects", crm_object.name, "list_views", name)
        list_view = ListView(
            object_name=crm_object.name,
            name=name,
            label=spec.get("label"),
            columns=list(spec.get("columns", [])),
            filters=list(spec.get("filters", [])),
            location=location,
        )
        if self.reader.define(list_view.id, "list view", location):
            crm_object.list_views[name] = list_view

    def field_set(self, crm_object: CrmObject, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["field_sets"] += 1
        location = self.location("objects", crm_object.name, "field_sets", name)
        field_set = FieldSet(
            object_name=crm_object.name,
            name=name,
            label=spec.get("label"),
            fields=list(spec.get("fields", [])),
            description=spec.get("description"),
            location=location,
        )
        if self.reader.define(field_set.id, "field set", location):
            crm_object.field_sets[name] = field_set

    def pipeline(self, object_name: str, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["pipelines"] += 1
        at = ("objects", object_name, "pipelines", name)
        location = self.location(*at)
        pipeline = Pipeline(
            object_name=object_name,
            name=name,
            label=spec.get("label"),
            stage_field=spec.get("stage_field"),
            stages=self.stages(spec["stages"], (*at, "stages")),
            description=spec.get("description"),
            is_default=spec.get("default", False),
            active=spec.get("active", True),
            location=location,
        )
        if self.reader.define(pipeline.id, "pipeline", location):
            self.org.pipelines[pipeline.id] = pipeline

    def stages(self, specs: list[Any], at: NodePath) -> list[Stage]:
        stages: list[Stage] = []
        seen: set[str] = set()
        for index, spec in enumerate(specs):
            self.org.occurrences["stages"] += 1
            stage = parse_stage(spec, index)
            if stage.name in seen:
                self.org.problem(ProblemKind.INVALID,
                                 f"duplicate stage {stage.name!r}; this one is ignored",
                                 self.document.path, self.document.line((*at, index)))
                continue
            seen.add(stage.name)
            stages.append(stage)
        return stages

    def view(self, object_name: str | None, key: str, spec: dict[str, Any], at: NodePath) -> None:
        kind = ViewKind(spec.get("kind", ViewKind.RECORD_VIEW.value))
        self.org.occurrences[VIEW_OCCURRENCES[kind]] += 1
        location = self.location(*at)
        if object_name is None:
            name, view_object = key, spec.get("object")
        else:
            name, view_object = view_name(kind, object_name, key), object_name
        view = View(
            kind=kind,
            name=name,
            object_name=view_object,
            label=spec.get("label"),
            sections=[
                ViewSection(section.get("label"), self.view_items(
                    section.get("fields", []), (*at, "sections", index, "fields")))
                for index, section in enumerate(spec.get("sections", []))
            ],
            components=list(spec.get("components", [])),
            description=spec.get("description"),
            location=location,
        )
        if not self.reader.define(view.id, "view", location):
            return
        self.org.views[view.id] = view
        for index, assignment in enumerate(spec.get("assigned_to", [])):
            who, record_type = (
                (assignment, None) if isinstance(assignment, str)
                else (assignment["who"], assignment.get("record_type"))
            )
            self.reader.assignments.append(_PendingAssignment(
                view.id, who,
                record_type_id(view_object, record_type) if record_type else None,
                self.location(*at, "assigned_to", index),
            ))

    def view_items(self, specs: list[Any], at: NodePath) -> list[ViewItem]:
        items = []
        for index, spec in enumerate(specs):
            location = self.location(*at, index)
            if isinstance(spec, str):
                items.append(ViewItem(spec, location=location))
            else:
                items.append(ViewItem(
                    spec["field"], Behavior(spec.get("behavior", Behavior.EDIT.value)),
                    spec.get("visibility"), location,
                ))
        return items

    def duplicate_rule(self, object_name: str, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["duplicate_rules"] += 1
        location = self.location("objects", object_name, "duplicate_rules", name)
        rule = DuplicateRule(
            object_name=object_name,
            name=name,
            label=spec.get("label"),
            active=spec.get("active", True),
            action_on_insert=spec.get("action_on_insert"),
            action_on_update=spec.get("action_on_update"),
            matching_rules=list(spec.get("matching_rules", [])),
            description=spec.get("description"),
            location=location,
        )
        if self.reader.define(rule.id, "duplicate rule", location):
            self.org.duplicate_rules[rule.id] = rule

    def matching_rule(self, object_name: str, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["matching_rules"] += 1
        location = self.location("objects", object_name, "matching_rules", name)
        rule = MatchingRule(
            object_name=object_name,
            name=name,
            label=spec.get("label"),
            active=spec.get("active", True),
            fields=list(spec.get("fields", [])),
            location=location,
        )
        if self.reader.define(rule.id, "matching rule", location):
            self.org.matching_rules[rule.id] = rule

    def quick_action(self, object_name: str | None, name: str, spec: dict[str, Any],
                     at: NodePath) -> None:
        self.org.occurrences["quick_actions"] += 1
        location = self.location(*at)
        action = QuickAction(
            name=name,
            object_name=object_name,
            label=spec.get("label"),
            action_type=spec.get("type"),
            target_object=spec.get("target_object"),
            fields=self.view_items(spec.get("fields", []), (*at, "fields")),
            description=spec.get("description"),
            location=location,
        )
        if self.reader.define(action.id, "quick action", location):
            self.org.quick_actions[action.id] = action

    # -- top-level sections --------------------------------------------------------------------

    def value_set(self, name: str, spec: dict[str, Any]) -> None:
        standard = spec.get("standard", False)
        self.org.occurrences["standard_value_sets" if standard else "global_value_sets"] += 1
        location = self.location("value_sets", name)
        value_set = ValueSet(
            name=name,
            standard=standard,
            values=[parse_option(option) for option in spec.get("values", [])],
            stages=self.stages(spec.get("stages", []), ("value_sets", name, "stages")),
            description=spec.get("description"),
            sorted=spec.get("sorted", False),
            location=location,
        )
        if self.reader.define(value_set.id, "value set", location):
            self.org.value_sets[value_set.id] = value_set

    def automation(self, key: str, spec: dict[str, Any]) -> None:
        kind = AutomationKind(spec["kind"])
        self.org.occurrences[AUTOMATION_OCCURRENCES[kind]] += 1
        location = self.location("automations", key)
        object_name, name = automation_object_and_name(kind, spec.get("object"), key)
        automation = Automation(
            kind=kind,
            name=name,
            object_name=object_name,
            label=spec.get("label"),
            description=spec.get("description"),
            active=spec.get("active", True),
            status=spec.get("status"),
            process_type=spec.get("process_type"),
            trigger=spec.get("trigger"),
            timing=spec.get("timing"),
            trigger_order=spec.get("trigger_order"),
            reads=_field_ids(object_name, spec.get("reads", [])),
            writes=_field_ids(object_name, spec.get("writes", [])),
            touches_objects=list(spec.get("touches_objects", [])),
            expressions=list(spec.get("expressions", [])),
            literals=list(spec.get("literals", [])),
            decisions=spec.get("decisions", 0),
            elements=spec.get("elements", 0),
            calls=list(spec.get("calls", [])),
            api_version=text_of(spec.get("api_version")),
            location=location,
        )
        if self.reader.define(automation.id, "automation", location):
            self.org.automations[automation.id] = automation

    def profile(self, kind: ProfileKind, section: str, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences[PROFILE_OCCURRENCES[kind]] += 1
        location = self.location(section, name)
        profile = Profile(
            kind=kind,
            name=name,
            label=spec.get("label"),
            description=spec.get("description"),
            custom=spec.get("custom", True),
            field_permissions=[
                FieldPermission(f"{object_name}.{field_name}", access != "none",
                                access == "edit")
                for object_name, fields in spec.get("fields", {}).items()
                for field_name, access in fields.items()
            ],
            object_permissions=[
                ObjectPermission(object_name, "create" in access, "read" in access,
                                 "edit" in access, "delete" in access)
                for object_name, access in spec.get("objects", {}).items()
            ],
            record_types=[record_type_id(None, value) for value in spec.get("record_types", [])],
            members=[
                member if ":" in member else f"{ProfileKind.PERMISSION_SET.value}:{member}"
                for member in spec.get("members", [])
            ],
            location=location,
        )
        if self.reader.define(profile.id, "profile", location):
            self.org.profiles[profile.id] = profile

    def role(self, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["roles"] += 1
        location = self.location("roles", name)
        role = parse_role(name, spec, location)
        if not self.reader.define(role.id, "role", location):
            return
        self.org.roles[role.id] = role
        for index, who in enumerate(spec.get("profiles", [])):
            self.reader.role_profiles.append(
                _PendingRoleProfile(role.id, who, self.location("roles", name, "profiles", index))
            )

    def report(self, key: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["reports"] += 1
        location = self.location("reports", key)
        folder = spec.get("folder")
        name = key
        if folder is None and "/" in key:
            folder, _, name = key.rpartition("/")
        elif folder is not None and key.startswith(f"{folder}/"):
            name = key[len(folder) + 1:]
        report = Report(
            name=name,
            folder=folder,
            label=spec.get("label"),
            report_type=spec.get("report_type"),
            description=spec.get("description"),
            columns=list(spec.get("columns", [])),
            filters=list(spec.get("filters", [])),
            groupings=list(spec.get("groupings", [])),
            fields=list(_grouped_field_ids(spec.get("fields", []))),
            is_forecast=spec.get("forecast", False),
            location=location,
        )
        if self.reader.define(report.id, "report", location):
            self.org.reports[report.id] = report

    def integration(self, name: str, spec: dict[str, Any]) -> None:
        self.org.occurrences["integrations"] += 1
        location = self.location("integrations", name)
        integration = Integration(
            name=name,
            kind=spec.get("kind", name),
            enabled=spec.get("enabled", True),
            description=spec.get("description"),
            location=location,
        )
        if self.reader.define(integration.id, "integration", location):
            self.org.integrations[integration.id] = integration


def automation_object_and_name(
    kind: AutomationKind, object_name: str | None, key: str
) -> tuple[str | None, str]:
    """Workflow rules and approvals are named per object: their key may be ``Object.Name``."""
    if kind not in OBJECT_SCOPED_AUTOMATIONS or "." not in key:
        return object_name, key
    prefix, _, rest = key.partition(".")
    if object_name is None or object_name == prefix:
        return prefix, rest
    return object_name, key


# --- element parsers (shared with the tests and the writer's round trip) ------------------------


def parse_field(object_name: str, name: str, spec: Any, location: SourceLocation | None) -> Field:
    """A field from its YAML form: a type name, or a mapping of settings."""
    settings: dict[str, Any] = {"type": spec} if isinstance(spec, str) else spec
    field_type = FieldType(settings["type"])
    picklist = field_type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST)
    reference_to = settings.get("reference_to", [])
    return Field(
        object_name=object_name,
        name=name,
        label=settings.get("label"),
        type=field_type,
        source_type=settings.get("source_type"),
        custom=settings.get("custom", is_custom_name(name)),
        required=settings.get("required", False),
        required_at_stage=text_of(settings.get("required_at_stage")),
        default=text_of(settings.get("default")),
        formula=settings.get("formula"),
        length=settings.get("length"),
        precision=settings.get("precision"),
        scale=settings.get("scale"),
        visible_lines=settings.get("visible_lines"),
        picklist_values=[parse_option(option) for option in settings.get("options", [])],
        value_set_name=settings.get("value_set"),
        # Like Salesforce, a picklist accepts other values unless it says it is restricted.
        restricted=settings.get("restricted", False if picklist else None),
        controlling_field=settings.get("controlling_field"),
        reference_to=[reference_to] if isinstance(reference_to, str) else list(reference_to),
        relationship_name=settings.get("relationship_name"),
        description=settings.get("description"),
        help_text=settings.get("help_text"),
        unique=settings.get("unique", False),
        external_id=settings.get("external_id", False),
        track_history=settings.get("track_history", False),
        system=settings.get("system", False),
        hidden=settings.get("hidden", False),
        group=settings.get("group"),
        location=location,
    )


def parse_role(name: str, spec: dict[str, Any], location: SourceLocation | None) -> Role:
    """A role from its YAML form (cfglint YAML ``roles:``, the roles file), without profiles.

    Profiles are references resolved against the whole org, so the caller adds them.
    """
    needs = [
        RoleFieldNeed(str(need)) if not isinstance(need, dict)
        else RoleFieldNeed(need["field"], text_of(need.get("from_stage")))
        for need in _grouped_field_ids(spec.get("needs", []))
    ]
    needed_objects = {need.field.partition(".")[0]: None for need in needs}
    return Role(
        name=name,
        label=spec.get("label"),
        objects=list(spec.get("objects", needed_objects)),
        needs=needs,
        tasks=list(spec.get("tasks", [])),
        description=spec.get("description"),
        inferred=spec.get("inferred", False),
        location=location,
        record_types={
            object_name: record_type_id(object_name, str(record_type))
            for object_name, record_type in spec.get("record_types", {}).items()
        },
        must_update=parse_must_update(spec.get("must_update", {})),
    )


def parse_must_update(spec: dict[str, Any]) -> dict[str, list[str]]:
    """``{Proposal: [Opportunity.NextStep]}`` or ``{Opportunity: {Proposal: [NextStep]}}`` as
    stage name -> field ids, stages in the order first written."""
    by_stage: dict[str, list[str]] = {}
    for key, value in spec.items():
        if isinstance(value, dict):
            for stage, names in value.items():
                by_stage.setdefault(stage, []).extend(_field_ids(key, names))
        else:
            by_stage.setdefault(key, []).extend(str(name) for name in value)
    return by_stage


def parse_option(spec: Any) -> PicklistValue:
    """A picklist value from its name, or from a mapping; the label defaults to the name."""
    if not isinstance(spec, dict):
        name = text_of(spec) or ""
        return PicklistValue(name=name, label=name)
    name = text_of(spec["name"]) or ""
    return PicklistValue(
        name=name,
        label=spec.get("label", name),
        default=spec.get("default", False),
        active=spec.get("active", True),
        valid_for=[text_of(value) or "" for value in spec.get("valid_for", [])],
        color=spec.get("color"),
    )


def parse_stage(spec: Any, order: int) -> Stage:
    """A stage from its name, or from a mapping; ``order`` is its 0-based list position."""
    if not isinstance(spec, dict):
        return Stage(name=str(spec), order=order)
    return Stage(
        name=str(spec["name"]),
        label=spec.get("label"),
        order=order,
        probability=None if spec.get("probability") is None else float(spec["probability"]),
        closed=spec.get("closed", False),
        won=spec.get("won", False),
        forecast_category=spec.get("forecast_category"),
        active=spec.get("active", True),
        required_fields=[str(name) for name in spec.get("requires", [])],
        description=spec.get("description"),
    )
