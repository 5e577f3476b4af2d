"""The deployable Salesforce patch of a design: only what changes, in the input's format.

``cfglint design`` decides a launch configuration (:class:`~cfglint.design.Design`); for an SFDX or
Metadata API input this module writes what an admin deploys to get there (docs/design.md,
"Deploying the patch"):

- the field files whose ``<required>`` flag changes, copied from the input with only that flag
  changed (in Metadata API format an ``objects/<Object>.object`` holding just those ``<fields>``:
  a deploy merges the child components it lists and leaves the others alone);
- a page layout per launch view, trimmed from the layout it is based on (header, buttons,
  related lists and section settings kept) or built anew;
- per profile, a profile file holding only the changed ``<layoutAssignments>``;
- a validation rule per stage gate, and each switched-off rule copied with ``<active>false``;
- ``package.xml`` listing exactly those components (and, for SFDX, a minimal
  ``sfdx-project.json``).

The XML is written here rather than by lxml's serializer, to get what the platform itself writes
(4-space indentation, children in the Metadata API's order, ``'`` and ``"`` escaped, empty
elements as ``<layoutColumns/>``) and the same bytes for the same design.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from cfglint.design import Design, LaunchView, LaunchViewItem, StageGate
from cfglint.model import Behavior, Field, Org, ProfileKind, ViewKind
from cfglint.readers.salesforce import NAMESPACE_TOKENS
from cfglint.readers.xml import XmlError, local_name, parse_xml_bytes

#: The API version of the patch when the input names none.
DEFAULT_API_VERSION = "62.0"
METADATA_NAMESPACE = "http://soap.sforce.com/2006/04/metadata"
#: Where an SFDX patch keeps its metadata (``sf project deploy start --source-dir``).
SFDX_PACKAGE_DIRECTORY = "force-app"
SFDX_METADATA_ROOT = f"{SFDX_PACKAGE_DIRECTORY}/main/default"
INDENT = "    "

#: How a :class:`~cfglint.model.Behavior` is spelled in a page layout.
LAYOUT_BEHAVIORS: dict[Behavior, str] = {
    Behavior.REQUIRED: "Required",
    Behavior.EDIT: "Edit",
    Behavior.READONLY: "Readonly",
}
#: The display options the platform writes on every layout it retrieves.
LAYOUT_FLAGS = (
    "showEmailCheckbox", "showHighlightsPanel", "showInteractionLogPanel",
    "showRunAssignmentRulesCheckbox", "showSubmitAndAttachButton",
)
#: A section style with this many columns; new sections use the first.
SECTION_STYLES = {"TwoColumnsTopToBottom": 2, "TwoColumnsLeftToRight": 2, "OneColumn": 1}
#: Sections that show links rather than fields: kept as they are on a trimmed layout.
LINK_SECTION_STYLE = "CustomLinks"

_API_VERSION = re.compile(r"\d{2,3}\.0")
_RULE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
#: Characters XML 1.0 cannot hold at all (a tab, a newline and a return can).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;",
})


class PatchError(ValueError):
    """The patch cannot be written; the message says which element or file and why."""


# --- a small XML tree, written the way the platform writes it ------------------------------------


@dataclass(frozen=True)
class Element:
    """An element with either text or children (metadata XML has no mixed content)."""

    tag: str
    text: str | None = None
    children: tuple[Element, ...] = ()

    def child_text(self, tag: str) -> str | None:
        found = next((item for item in self.children if item.tag == tag), None)
        return None if found is None else (found.text or "").strip()

    def named(self, tag: str) -> list[Element]:
        return [item for item in self.children if item.tag == tag]


def leaf(tag: str, text: str) -> Element:
    return Element(tag, text)


def node(tag: str, children: Iterable[Element]) -> Element:
    return Element(tag, None, tuple(children))


def serialize(root: Element) -> bytes:
    """The document: XML declaration, the Metadata namespace on the root, 4-space indentation."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write_lines(root, 0, lines, f' xmlns="{METADATA_NAMESPACE}"')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _write_lines(element: Element, depth: int, lines: list[str], attributes: str = "") -> None:
    pad = INDENT * depth
    if element.children:
        lines.append(f"{pad}<{element.tag}{attributes}>")
        for item in element.children:
            _write_lines(item, depth + 1, lines)
        lines.append(f"{pad}</{element.tag}>")
    elif element.text:
        lines.append(f"{pad}<{element.tag}{attributes}>{escape(element.text)}</{element.tag}>")
    else:
        lines.append(f"{pad}<{element.tag}{attributes}/>")


def escape(text: str) -> str:
    """Text as the platform escapes it (quotes and apostrophes too)."""
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise PatchError(f"character U+{ord(bad.group()):04X} cannot be written in XML: {text!r}")
    return text.translate(_ESCAPES)


def from_lxml(element: etree._Element) -> Element:
    """The element and its descendants, comments left out, text kept exactly."""
    items = tuple(from_lxml(item) for item in element if isinstance(item.tag, str))
    if items:
        return Element(local_name(element), None, items)
    return Element(local_name(element), element.text or None)


def with_child(parent: Element, tag: str, text: str) -> Element:
    """``parent`` with its ``tag`` child set to ``text``: replaced where it is, or inserted where
    the platform puts it (children in name order, ``fullName`` first)."""
    items = list(parent.children)
    for index, item in enumerate(items):
        if item.tag == tag:
            items[index] = leaf(tag, text)
            return node(parent.tag, items)
    position = next((index for index, item in enumerate(items)
                     if item.tag != "fullName" and item.tag > tag), len(items))
    items.insert(position, leaf(tag, text))
    return node(parent.tag, items)


# --- the input's files ---------------------------------------------------------------------------


class _Originals:
    """Components as the input's files define them, each file parsed once."""

    def __init__(self, org: Org) -> None:
        self.root = Path(org.root or ".")
        self._documents: dict[str, etree._Element] = {}

    def component(self, path: str, root_tag: str, embedded_tag: str, name: str) -> Element:
        """The ``<root_tag>`` document of an SFDX file, or the ``<embedded_tag>`` child called
        ``name`` of a Metadata API file."""
        document = self._document(path)
        if local_name(document) == root_tag:
            return from_lxml(document)
        for item in document.iterchildren(embedded_tag):
            full_name = item.findtext("fullName")
            if full_name is not None and full_name.strip().rpartition(".")[2] == name:
                return from_lxml(item)
        raise PatchError(f"{path}: no <{embedded_tag}> named {name!r} (was the input changed "
                         "since it was read?)")

    def _document(self, path: str) -> etree._Element:
        document = self._documents.get(path)
        if document is None:
            try:
                data = (self.root / path).read_bytes()
            except OSError as error:
                raise PatchError(f"{path}: cannot read the input file: {error.strerror}") from None
            for token, replacement in NAMESPACE_TOKENS.items():  # as the reader saw it
                data = data.replace(token, replacement)
            try:
                document = parse_xml_bytes(data)
            except XmlError as error:
                raise PatchError(f"{path}:{error.line or 1}: {error.message}") from None
            self._documents[path] = document
        return document


def api_version(org: Org) -> str:
    """``sourceApiVersion`` of the input's sfdx-project.json, else ``<version>`` of its
    package.xml, else :data:`DEFAULT_API_VERSION`."""
    root = Path(org.root or ".")
    try:
        project = json.loads((root / "sfdx-project.json").read_text(encoding="utf-8"))
        version = project.get("sourceApiVersion") if isinstance(project, dict) else None
    except (OSError, ValueError):
        version = None
    if not isinstance(version, str) or not _API_VERSION.fullmatch(version):
        try:
            version = parse_xml_bytes((root / "package.xml").read_bytes()).findtext("version")
        except (OSError, XmlError):
            version = None
    version = (version or "").strip()
    return version if _API_VERSION.fullmatch(version) else DEFAULT_API_VERSION


# --- the patch -----------------------------------------------------------------------------------


def supports(org: Org) -> bool:
    """Whether a patch can be written for this input (Salesforce metadata on disk)."""
    return org.platform == "salesforce" and bool(
        {"sfdx", "mdapi"} & set(org.source_format.split("+")))


@dataclass
class _Patch:
    """The patch being built: files by path, members by type, object children (MDAPI)."""

    sfdx: bool
    files: dict[str, bytes] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    object_children: dict[str, dict[tuple[str, str], Element]] = field(default_factory=dict)

    def add_member(self, type_name: str, member: str) -> None:
        self.members.setdefault(type_name, set()).add(member)

    def add_file(self, path: str, root: Element) -> None:
        if path in self.files:
            raise PatchError(f"two components of the patch would be written to {path}")
        self.files[path] = serialize(root)

    def add_object_child(self, object_name: str, embedded: Element, root_tag: str) -> None:
        """An SFDX child file, or a child of the object's Metadata API file."""
        name = embedded.child_text("fullName") or ""
        _check_name(object_name, "object")
        _check_name(name, embedded.tag)
        if self.sfdx:
            folder, suffix = _SFDX_CHILDREN[embedded.tag]
            self.add_file(f"{SFDX_METADATA_ROOT}/objects/{object_name}/{folder}/{name}.{suffix}"
                          "-meta.xml", node(root_tag, embedded.children))
        else:
            children = self.object_children.setdefault(object_name, {})
            children[(embedded.tag, name)] = node(embedded.tag, embedded.children)

    def finish(self, version: str) -> dict[str, bytes]:
        for object_name, children in sorted(self.object_children.items()):
            # Children in the order the platform writes them: by element, then by name.
            ordered = [children[key] for key in sorted(children)]
            self.add_file(f"objects/{object_name}.object", node("CustomObject", ordered))
        self.files["package.xml"] = serialize(_manifest(self.members, version))
        if self.sfdx:
            self.files["sfdx-project.json"] = _project_file(version)
        return dict(sorted(self.files.items()))


#: Object child element -> (SFDX folder, file suffix).
_SFDX_CHILDREN = {
    "fields": ("fields", "field"),
    "validationRules": ("validationRules", "validationRule"),
}


def build_patch(design: Design) -> dict[str, bytes]:
    """Every file of the patch, by POSIX path relative to the patch directory."""
    source = design.source
    if not supports(source):
        raise PatchError(f"a Salesforce patch needs an SFDX or Metadata API input, not "
                         f"{source.platform} {source.source_format}")
    patch = _Patch(sfdx="sfdx" in source.source_format.split("+"))
    originals = _Originals(source)
    _add_fields(design, patch, originals)
    _add_gates(design.stage_gates, patch)
    _add_deactivations(design, patch, originals)
    _add_layouts(design, patch, originals)
    _add_assignments(design, patch)
    return patch.finish(api_version(source))


def write_patch(design: Design, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the patch under ``out_dir`` and return the files written, sorted.

    ``out_dir`` must be absent or empty, so that no stray file is ever deployed with the
    patch; with ``force`` (the user's ``--force``) what is there is removed first.
    """
    files = build_patch(design)
    _prepare(out_dir, force)
    base = out_dir.resolve()
    written = []
    for relative, data in files.items():
        target = out_dir / relative
        if not target.resolve().is_relative_to(base):
            raise PatchError(f"{relative}: outside {out_dir}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def _prepare(out_dir: Path, force: bool) -> None:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise PatchError(f"{out_dir}: not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise PatchError(f"{out_dir}: not empty; the patch is written to an empty directory "
                             "so that nothing else is deployed with it")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def _check_name(name: str, what: str) -> None:
    """A component name becomes a file name: nothing that leaves its directory."""
    if (not name or name in (".", "..") or name.startswith(".") or "/" in name or "\\" in name
            or ".." in name or _NOT_XML.search(name) or "\n" in name or "\t" in name):
        raise PatchError(f"{what} name {name!r} cannot be a file name in the patch")


# --- fields --------------------------------------------------------------------------------------


def _add_fields(design: Design, patch: _Patch, originals: _Originals) -> None:
    for field_id, required in _required_flags(design):
        model_field = design.source.field(field_id)
        if model_field is None or not _flag_writable(model_field):
            continue  # standard fields' requirement is the platform's; see docs/design.md
        if model_field.location is None:
            raise PatchError(f"{field_id}: changed, but the input has no file that defines it")
        original = originals.component(model_field.location.path, "CustomField", "fields",
                                       model_field.name)
        changed = with_child(node("fields", original.children), "required",
                             "true" if required else "false")
        patch.add_object_child(model_field.object_name, changed, "CustomField")
        patch.add_member("CustomField", field_id)


def _required_flags(design: Design) -> list[tuple[str, bool]]:
    """(field id, required at launch) for every field whose field-level flag changes: the
    launch's own flag for a kept field, not required for one deferred to phase 2."""
    source, launch = design.source, design.launch
    candidates = {change.field_id for change in design.required_changes}
    candidates |= {model_field.id for crm_object in launch.objects.values()
                   for model_field in crm_object.fields.values()}
    changes = []
    for field_id in sorted(candidates):
        before, after = source.field(field_id), launch.field(field_id)
        if before is None:
            continue
        required = after.required if after is not None else False
        if before.required != required:
            changes.append((field_id, required))
    return changes


def _flag_writable(model_field: Field) -> bool:
    # A master-detail field is required by nature, and standard fields take no <required>.
    return model_field.custom and model_field.source_type != "MasterDetail"


# --- validation rules ----------------------------------------------------------------------------


def _add_gates(gates: Iterable[StageGate], patch: _Patch) -> None:
    for gate in gates:
        if not gate.rule_name:
            continue  # a pipeline gate, not a rule: nothing to deploy for it
        if not _RULE_NAME.fullmatch(gate.rule_name):
            raise PatchError(f"validation rule name {gate.rule_name!r} is not a Salesforce API "
                             "name (a letter, then letters, digits and _, at most 40)")
        field_name = gate.field_id.partition(".")[2]
        rule = node("validationRules", [
            leaf("fullName", gate.rule_name),
            leaf("active", "true"),
            leaf("description", f"cfglint design: {field_name} is known from "
                                f"{gate.stages[0]} on."),
            leaf("errorConditionFormula", gate.formula),
            leaf("errorDisplayField", field_name),
            leaf("errorMessage", gate.error_message),
        ])
        patch.add_object_child(gate.object_name, rule, "ValidationRule")
        patch.add_member("ValidationRule", f"{gate.object_name}.{gate.rule_name}")


def _add_deactivations(design: Design, patch: _Patch, originals: _Originals) -> None:
    for deactivation in design.rule_deactivations:
        object_name, _, name = deactivation.rule_id.partition(":")[2].partition(".")
        crm_object = design.source.objects.get(object_name)
        rule = crm_object.validation_rules.get(name) if crm_object else None
        if rule is None or rule.location is None:
            raise PatchError(f"{deactivation.rule_id}: no such validation rule in the input")
        original = originals.component(rule.location.path, "ValidationRule", "validationRules",
                                       name)
        changed = with_child(node("validationRules", original.children), "active", "false")
        patch.add_object_child(object_name, changed, "ValidationRule")
        patch.add_member("ValidationRule", f"{object_name}.{name}")


# --- layouts -------------------------------------------------------------------------------------


def _add_layouts(design: Design, patch: _Patch, originals: _Originals) -> None:
    for view in design.views:
        if not view.view_id.startswith(ViewKind.LAYOUT.value + ":"):
            raise PatchError(f"{view.view_id}: only page layouts can be written to the patch")
        if not view.name.startswith(view.object_name + "-"):
            raise PatchError(f"layout {view.name!r} must be named <Object>-<Name>")
        _check_name(view.name, "layout")
        base = _base_layout(design.source, view, originals)
        layout = _trimmed_layout(base, view) if base is not None else _new_layout(view)
        suffix = ".layout-meta.xml" if patch.sfdx else ".layout"
        folder = f"{SFDX_METADATA_ROOT}/layouts" if patch.sfdx else "layouts"
        patch.add_file(f"{folder}/{view.name}{suffix}", layout)
        patch.add_member("Layout", view.name)


def _base_layout(source: Org, view: LaunchView, originals: _Originals) -> Element | None:
    """The layout the view was trimmed from, when that is a layout with a file."""
    based_on = source.views.get(view.based_on or "")
    if based_on is None or based_on.kind is not ViewKind.LAYOUT or based_on.location is None:
        return None  # a Lightning page or nothing: its look does not carry to a layout
    return originals.component(based_on.location.path, "Layout", "Layout", based_on.name)


def _trimmed_layout(base: Element, view: LaunchView) -> Element:
    """The base layout with the view's sections in place of its own."""
    originals = {section.child_text("label"): section for section in base.named("layoutSections")}
    sections = [_section(label, items, originals.get(label)) for label, items in view.sections]
    sections += [section for section in base.named("layoutSections")
                 if section.child_text("style") == LINK_SECTION_STYLE]
    children: list[Element] = []
    for item in base.children:
        if item.tag != "layoutSections":
            children.append(item)
        elif sections:
            children += sections
            sections = []
    return node("Layout", _in_order(children, sections))


def _in_order(children: list[Element], sections: list[Element]) -> list[Element]:
    """Sections not yet placed (the base had none) go where the platform puts them."""
    if not sections:
        return children
    position = next((index for index, item in enumerate(children)
                     if item.tag > "layoutSections"), len(children))
    return children[:position] + sections + children[position:]


def _new_layout(view: LaunchView) -> Element:
    sections = [_section(label, items, None) for label, items in view.sections]
    return node("Layout", [*sections, *(leaf(flag, "false") for flag in LAYOUT_FLAGS)])


def _section(label: str, items: tuple[LaunchViewItem, ...], original: Element | None) -> Element:
    """A layout section with ``items``, each in the column it had in ``original`` when it was
    there, the others filling the shortest column."""
    if original is None:
        original = node("layoutSections", [
            leaf("customLabel", "true"), leaf("detailHeading", "true"),
            leaf("editHeading", "true"), leaf("label", label),
            leaf("style", next(iter(SECTION_STYLES))),
        ])
    old_columns = original.named("layoutColumns")
    count = max(len(old_columns), SECTION_STYLES.get(original.child_text("style") or "", 1))
    column_of = {item.child_text("field"): index for index, column in enumerate(old_columns)
                 for item in column.named("layoutItems")}
    columns: list[list[Element]] = [[] for _ in range(count)]
    unplaced = []
    for item in items:
        element = node("layoutItems", [leaf("behavior", LAYOUT_BEHAVIORS[item.behavior]),
                                       leaf("field", item.field)])
        if item.field in column_of:
            columns[column_of[item.field]].append(element)
        else:
            unplaced.append(element)
    _place(unplaced, columns)
    new_columns = [node("layoutColumns", column) for column in columns]
    children: list[Element] = []
    for child in original.children:
        if child.tag == "label":
            children.append(leaf("label", label))
        elif child.tag != "layoutColumns":
            children.append(child)
        elif new_columns:
            children += new_columns
            new_columns = []
    return node("layoutSections", _in_order_columns(children, new_columns))


def _place(unplaced: list[Element], columns: list[list[Element]]) -> None:
    """Items of a new section go top to bottom, the first column filled first (the tab order
    of ``TwoColumnsTopToBottom``); items new to an old section go to its shortest column."""
    if not unplaced:
        return
    if not any(columns):
        per_column = -(-len(unplaced) // len(columns))
        for index, element in enumerate(unplaced):
            columns[index // per_column].append(element)
        return
    for element in unplaced:
        min(columns, key=len).append(element)


def _in_order_columns(children: list[Element], columns: list[Element]) -> list[Element]:
    if not columns:
        return children
    position = next((index for index, item in enumerate(children)
                     if item.tag > "layoutColumns"), len(children))
    return children[:position] + columns + children[position:]


# --- profiles ------------------------------------------------------------------------------------


def _add_assignments(design: Design, patch: _Patch) -> None:
    layouts = {view.view_id for view in design.views}
    layouts |= {view_id for view_id, view in design.source.views.items()
                if view.kind is ViewKind.LAYOUT}
    by_profile: dict[str, set[tuple[str, str]]] = {}
    for change in design.assignments:
        kind = change.profile_id.partition(":")[0]
        if kind != ProfileKind.PROFILE.value:
            raise PatchError(f"{change.profile_id}: page layouts are assigned to profiles only "
                             "(a permission set holds no layout assignments)")
        if change.view_id not in layouts:
            raise PatchError(f"{change.view_id}: assigned to {change.profile_id} but not a page "
                             "layout of the input or the design")
        record_type = (change.record_type or "").removeprefix("recordtype:")
        by_profile.setdefault(change.profile_id, set()).add(
            (change.view_id.partition(":")[2], record_type))
    for profile_id, assignments in sorted(by_profile.items()):
        stem = _profile_file_stem(design.source, profile_id)
        entries = [
            node("layoutAssignments", [leaf("layout", layout),
                                       *([leaf("recordType", record_type)] if record_type else [])])
            for layout, record_type in sorted(assignments)
        ]
        suffix = ".profile-meta.xml" if patch.sfdx else ".profile"
        folder = f"{SFDX_METADATA_ROOT}/profiles" if patch.sfdx else "profiles"
        patch.add_file(f"{folder}/{stem}{suffix}", node("Profile", entries))
        patch.add_member("Profile", stem)


def _profile_file_stem(source: Org, profile_id: str) -> str:
    """The profile's file name without its suffix: the input's own (which keeps the platform's
    percent-encoding of odd characters), else the profile's name."""
    profile = source.profiles.get(profile_id)
    stem = profile_id.partition(":")[2]
    if profile is not None and profile.location is not None:
        file_name = profile.location.path.rpartition("/")[2]
        stem = file_name.removesuffix("-meta.xml").removesuffix(".profile")
    _check_name(stem, "profile")
    return stem


# --- package.xml and sfdx-project.json -----------------------------------------------------------


def _manifest(members: dict[str, set[str]], version: str) -> Element:
    types = [
        node("types", [*(leaf("members", member) for member in sorted(names)),
                       leaf("name", type_name)])
        for type_name, names in sorted(members.items())
    ]
    return node("Package", [*types, leaf("version", version)])


def _project_file(version: str) -> bytes:
    project = {
        "name": "cfglint-launch-patch",
        "namespace": "",
        "packageDirectories": [{"default": True, "path": SFDX_PACKAGE_DIRECTORY}],
        "sourceApiVersion": version,
    }
    return (json.dumps(project, indent=2, sort_keys=True) + "\n").encode("utf-8")
