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
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from cfglint.model import Org, ProblemKind, SkippedFile, SkipReason
from cfglint.readers import mdapi, sfdx
from cfglint.readers.metadata_types import SOURCE_CODE_SUFFIXES, MetadataFile, classify
from cfglint.readers.salesforce_describe import DescribeFiles
from cfglint.readers.salesforce_xml import HANDLERS, ElementContext, finalize
from cfglint.readers.salesforce_xml.objects import add_custom_field
from cfglint.readers.walk import walk_files
from cfglint.readers.xml import XmlError, line_of, local_name, parse_xml_bytes
from cfglint.suppress import scan_suppressions

#: CumulusCI replaces these tokens with the package namespace at deploy time. We read the
#: project as an unmanaged deployment sees it: no namespace, and ``c`` where a component
#: namespace is required.
NAMESPACE_TOKENS: dict[bytes, bytes] = {
    b"%%%NAMESPACE%%%": b"",
    b"___NAMESPACE___": b"",
    b"%%%NAMESPACED_ORG%%%": b"",
    b"%%%NAMESPACE_DOT%%%": b"",
    b"%%%NAMESPACE_OR_C%%%": b"c",
    b"___NAMESPACE_OR_C___": b"c",
}

PROJECT_FILES = frozenset({"sfdx-project.json", "package.xml", "destructiveChanges.xml",
                           "destructiveChangesPre.xml", "destructiveChangesPost.xml"})

ProgressCallback = Callable[[int, int], None]


def looks_like_salesforce(path: Path) -> bool:
    """A directory with a project file or any metadata file near the top."""
    if (path / "sfdx-project.json").is_file() or (path / "package.xml").is_file():
        return True
    for index, (relative, _) in enumerate(walk_files(path)):
        if classify(relative) is not None:
            return True
        if index > 5000:
            break
    return False


def read_salesforce(
    path: Path, progress: ProgressCallback | None = None, *, jobs: int | None = None
) -> Org:
    """Read every metadata file under ``path`` into one :class:`Org`. Field files are read by
    ``jobs`` worker processes where that pays (see :mod:`cfglint.readers.salesforce_fields`;
    ``None``: as many as the machine has cores, ``1``: none)."""
    org = Org(platform="salesforce", source_format="sfdx", root=str(path))
    project = sfdx.read_project(path, org)
    walked = list(walk_files(path))
    bundles = mdapi.bundle_roots(relative for relative, _ in walked)
    org.roots = project.existing_package_directories + [
        bundle for bundle in bundles if not _is_under(bundle, project.existing_package_directories)
    ]
    files = _ordered(walked, project.existing_package_directories)
    formats: set[str] = set()
    # A pulled snapshot keeps sObject describes beside the metadata (docs/pull.md): merged
    # once every metadata file is read, since metadata wins over describe.
    describes = DescribeFiles()
    from cfglint.readers.salesforce_fields import FieldReadAhead

    with FieldReadAhead(files, jobs) as read_ahead:
        for index, (relative, absolute) in enumerate(files):
            if progress is not None:
                progress(index, len(files))
            if relative.endswith(".json") and describes.accept(relative, absolute, org):
                continue
            model_field = read_ahead.take(relative)
            if model_field is None:
                _read_file(relative, absolute, org, formats)
            else:  # a plain SFDX field file, read by a worker process
                org.files_read.append(relative)
                formats.add("sfdx")
                add_custom_field(model_field, org)
    org.source_format = "+".join(sorted(formats, reverse=True)) or "sfdx"
    describes.merge(org)
    finalize(org)
    return org


def _ordered(files: list[tuple[str, str]], first: list[str]) -> list[tuple[str, str]]:
    # What _is_under tests, prepared once: this ranks every file of the project.
    prefixes = [directory + "/" for directory in first]
    whole = [directory in ("", ".") for directory in first]

    def rank(item: tuple[str, str]) -> tuple[int, str]:
        relative = item[0]
        for position, directory in enumerate(first):
            if relative.startswith(prefixes[position]) or relative == directory or whole[position]:
                return position, relative
        return len(first), relative

    return sorted(files, key=rank)


def _is_under(relative: str, directories: list[str]) -> bool:
    return any(
        directory in ("", ".") or relative == directory or relative.startswith(directory + "/")
        for directory in directories
    )


def _read_file(relative: str, absolute: str, org: Org, formats: set[str]) -> None:
    file_name = relative.rpartition("/")[2]
    if file_name in PROJECT_FILES:
        org.files_read.append(relative)
        return
    if file_name.startswith("."):
        org.skipped.append(SkippedFile(relative, SkipReason.IGNORED, "hidden file"))
        return
    if file_name.endswith(".trigger"):
        return  # an Apex body: read with its -meta.xml companion (the object it fires on)
    metadata_file = classify(relative)
    if metadata_file is None:
        org.skipped.append(_unclassified(relative, file_name))
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
    root_name = root.tag  # a bare tag when it is the expected one: see parse_xml_bytes
    if root_name != expected:
        root_name = local_name(root)
    if root_name != expected and not mdapi.accepts_root(metadata_file, root_name):
        org.problem(
            ProblemKind.INVALID,
            f"expected a <{expected}> document for a .{metadata_file.suffix} file, "
            f"found <{root_name}>",
            relative,
            line_of(root),
        )
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "unexpected root"))
        return
    org.files_read.append(relative)
    handler(root, element_context(metadata_file, absolute), org)


def _unclassified(relative: str, file_name: str) -> SkippedFile:
    # Foo.cls and its companion Foo.cls-meta.xml are both source code.
    extension = os.path.splitext(file_name.removesuffix("-meta.xml"))[1]
    if extension in SOURCE_CODE_SUFFIXES:
        return SkippedFile(relative, SkipReason.SOURCE_CODE)
    if file_name.endswith("-meta.xml"):
        # A metadata file of a type cfglint does not know: listed, never silently dropped.
        return SkippedFile(relative, SkipReason.UNSUPPORTED_TYPE, extension.lstrip(".") or "?")
    return SkippedFile(relative, SkipReason.NOT_METADATA)


def _load(relative: str, absolute: str, org: Org) -> etree._Element | None:
    try:
        data = read_bytes(absolute)
    except OSError as error:
        org.problem(ProblemKind.UNREADABLE, f"cannot read file: {error.strerror}", relative)
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, "unreadable"))
        return None
    if may_suppress(data):
        org.suppressions.extend(scan_suppressions(relative, data.decode("utf-8", "replace")))
    if b"NAMESPACE" in data:
        data = _replace_tokens(data)
    try:
        return parse_xml_bytes(data)
    except XmlError as error:
        org.problem(error.kind, error.message, relative, error.line, error.column)
        org.skipped.append(SkippedFile(relative, SkipReason.PARSE_ERROR, error.kind.value))
        return None


def may_suppress(data: bytes) -> bool:
    """Whether a file may hold a suppression comment, which then needs a scan. A comment needs
    a "!", and looking for one byte costs a tenth of looking for "<!--" in the many files that
    have none."""
    return b"!" in data and b"<!--" in data and b"cfglint:" in data


def read_bytes(absolute: str) -> bytes:
    """The whole file, read with plain system calls: a file object costs more to set up than
    reading a small metadata file takes, and a project has thousands of them."""
    descriptor = os.open(absolute, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size + 1  # one byte more notices a file that grew
        data = os.read(descriptor, size)
        if len(data) == size - 1:
            return data  # the whole file as fstat measured it: no read to meet the end
        while chunk := os.read(descriptor, size):
            data += chunk
        return data
    finally:
        os.close(descriptor)


def _replace_tokens(data: bytes) -> bytes:
    """Every namespace token replaced, in the order of :data:`NAMESPACE_TOKENS`. Files that have
    tokens nearly always have only the first, so stop as soon as none is left: each further
    ``replace`` is another pass over a file that can be a large permission set."""
    for token, replacement in NAMESPACE_TOKENS.items():
        data = data.replace(token, replacement)
        if b"NAMESPACE" not in data:
            break
    return data


def element_context(metadata_file: MetadataFile, absolute: str) -> ElementContext:
    name = _strip_tokens(metadata_file.name)
    object_name = _strip_tokens(metadata_file.object_name) if metadata_file.object_name else None
    code = None
    if metadata_file.suffix == "trigger":
        code = _companion_code(Path(absolute))
    # By position: a named tuple takes keywords at twice the cost, once for every file.
    return ElementContext(metadata_file.path, name, object_name, metadata_file.folder, code)


def _strip_tokens(name: str) -> str:
    if "NAMESPACE" not in name:
        return name
    for token, replacement in NAMESPACE_TOKENS.items():
        name = name.replace(token.decode("ascii"), replacement.decode("ascii"))
    return name


def _companion_code(meta_path: Path) -> str | None:
    """The Apex body beside a ``.trigger-meta.xml`` (first 4 KB: the header is all we need)."""
    body = meta_path.with_name(meta_path.name[: -len("-meta.xml")])
    try:
        with body.open("rb") as handle:
            return handle.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
