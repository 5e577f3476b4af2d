"""Read a Salesforce project on disk: SFDX source format, Metadata API format, or both.

Real repositories mix the two (NPSP keeps its package in SFDX format and CumulusCI bundles in
Metadata API format beside it), so one walk reads every metadata file under the project and
classifies each by its own name. :mod:`cfglint.readers.sfdx` and :mod:`cfglint.readers.mdapi`
say where the roots are and how each format splits a component; the per-type XML handling in
:mod:`cfglint.readers.salesforce_xml` is shared.

Files are read in a fixed order (package directories in ``sfdx-project.json`` order, then every
other path sorted) and the first definition of a component wins; later copies are counted in
:attr:`Org.occurrences` and merged where they add children (a field defined in a second bundle).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

from cfglint.model import Org, ProblemKind, SkippedFile, SkipReason
from cfglint.readers import mdapi, sfdx
from cfglint.readers.metadata_types import SOURCE_CODE_SUFFIXES, MetadataFile, classify
from cfglint.readers.salesforce_xml import HANDLERS, ElementContext, finalize
from cfglint.readers.xml import XmlError, local_name, parse_xml_bytes

#: CumulusCI replaces these tokens with the package namespace (or nothing) at deploy time. We
#: read the project as an unmanaged deployment would see it: tokens removed.
NAMESPACE_TOKENS = (b"%%%NAMESPACE%%%", b"___NAMESPACE___", b"%%%NAMESPACED_ORG%%%")

#: Directory names never walked: tool state and dependencies, not the project's metadata.
EXCLUDED_DIRECTORIES = frozenset({"node_modules", "__pycache__", ".git", ".sfdx", ".sf"})

PROJECT_FILES = frozenset({"sfdx-project.json", "package.xml", "destructiveChanges.xml",
                           "destructiveChangesPre.xml", "destructiveChangesPost.xml"})

ProgressCallback = Callable[[int, int], None]


def looks_like_salesforce(path: Path) -> bool:
    """A directory with a project file or any metadata file near the top."""
    if (path / "sfdx-project.json").is_file() or (path / "package.xml").is_file():
        return True
    for index, (relative, _) in enumerate(_walk(path)):
        if classify(relative) is not None:
            return True
        if index > 5000:
            break
    return False


def read_salesforce(path: Path, progress: ProgressCallback | None = None) -> Org:
    """Read every metadata file under ``path`` into one :class:`Org`."""
    org = Org(platform="salesforce", source_format="sfdx", root=str(path))
    project = sfdx.read_project(path, org)
    bundles = mdapi.find_bundles(path)
    org.roots = project.existing_package_directories + [
        bundle for bundle in bundles if not _is_under(bundle, project.existing_package_directories)
    ]
    files = _ordered(list(_walk(path)), project.existing_package_directories)
    formats: set[str] = set()
    for index, (relative, absolute) in enumerate(files):
        if progress is not None:
            progress(index, len(files))
        _read_file(relative, absolute, org, formats)
    org.source_format = "+".join(sorted(formats, reverse=True)) or "sfdx"
    finalize(org)
    return org


def _walk(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, absolute path) of every file, directories in sorted order."""
    top = os.fspath(root)
    for directory, subdirectories, file_names in os.walk(top):
        subdirectories[:] = sorted(
            name for name in subdirectories
            if name not in EXCLUDED_DIRECTORIES and not name.startswith(".")
        )
        relative_directory = os.path.relpath(directory, top).replace(os.sep, "/")
        prefix = "" if relative_directory == "." else relative_directory + "/"
        for file_name in sorted(file_names):
            yield prefix + file_name, Path(directory, file_name)


def _ordered(files: list[tuple[str, Path]], first: list[str]) -> list[tuple[str, Path]]:
    def rank(item: tuple[str, Path]) -> tuple[int, str]:
        relative = item[0]
        for position, directory in enumerate(first):
            if _is_under(relative, [directory]):
                return position, relative
        return len(first), relative

    return sorted(files, key=rank)


def _is_under(relative: str, directories: list[str]) -> bool:
    return any(
        directory in ("", ".") or relative == directory or relative.startswith(directory + "/")
        for directory in directories
    )


def _read_file(relative: str, absolute: Path, org: Org, formats: set[str]) -> None:
    file_name = absolute.name
    if file_name in PROJECT_FILES:
        org.files_read.append(relative)
        return
    if file_name.startswith("."):
        org.skipped.append(SkippedFile(relative, SkipReason.IGNORED, "hidden file"))
        return
    metadata_file = classify(relative)
    if metadata_file is None:
        reason = (
            SkipReason.SOURCE_CODE
            if absolute.suffix in SOURCE_CODE_SUFFIXES
            else SkipReason.NOT_METADATA
        )
        if absolute.suffix == ".trigger":
            return  # read with its -meta.xml companion
        org.skipped.append(SkippedFile(relative, reason))
        return
    handler = HANDLERS.get(metadata_file.type_name)
    if handler is None:
        org.skipped.append(
            SkippedFile(relative, SkipReason.UNSUPPORTED_TYPE, metadata_file.type_name)
        )
        return
    if metadata_file.source_format and metadata_file.suffix != "trigger":
        formats.add("sfdx")
    elif metadata_file.suffix != "trigger":
        formats.add("mdapi")
    root = _load(relative, absolute, org)
    if root is None:
        return
    expected = metadata_file.type_name
    if local_name(root) != expected and not mdapi.accepts_root(metadata_file, local_name(root)):
        org.problem(
            ProblemKind.INVALID,
            f"expected a <{expected}> document for a .{metadata_file.suffix} file, "
            f"found <{local_name(root)}>",
            relative,
            root.sourceline,
        )
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "unexpected root"))
        return
    org.files_read.append(relative)
    handler(root, _context(metadata_file, absolute), org)


def _load(relative: str, absolute: Path, org: Org) -> etree._Element | None:
    try:
        data = absolute.read_bytes()
    except OSError as error:
        org.problem(ProblemKind.UNREADABLE, f"cannot read file: {error.strerror}", relative)
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "unreadable"))
        return None
    for token in NAMESPACE_TOKENS:
        if token in data:
            data = data.replace(token, b"")
    try:
        return parse_xml_bytes(data)
    except XmlError as error:
        org.problem(error.kind, error.message, relative, error.line, error.column)
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, error.kind.value))
        return None


def _context(metadata_file: MetadataFile, absolute: Path) -> ElementContext:
    name = _strip_tokens(metadata_file.name)
    object_name = _strip_tokens(metadata_file.object_name) if metadata_file.object_name else None
    code = None
    if metadata_file.suffix == "trigger":
        code = _companion_code(absolute)
    return ElementContext(
        path=metadata_file.path,
        name=name,
        object_name=object_name,
        folder=metadata_file.folder,
        code=code,
    )


def _strip_tokens(name: str) -> str:
    for token in NAMESPACE_TOKENS:
        name = name.replace(token.decode("ascii"), "")
    return name


def _companion_code(meta_path: Path) -> str | None:
    """The Apex body beside a ``.trigger-meta.xml`` (first 4 KB: the header is all we need)."""
    body = meta_path.with_name(meta_path.name[: -len("-meta.xml")])
    try:
        with body.open("rb") as handle:
            return handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
