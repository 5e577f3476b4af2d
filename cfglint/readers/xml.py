"""Safe XML loading and small helpers for Salesforce metadata documents.

Salesforce metadata never carries a document type declaration, so a file that has one is refused
before it reaches the parser: that closes entity expansion ("billion laughs") and external
entities (XXE) at the door. The parser itself is also set up with entity resolution, DTD loading
and network access off, as a second line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from cfglint.model import ProblemKind

#: Files larger than this are refused with a problem rather than parsed.
MAX_XML_BYTES = 64 * 1024 * 1024

SF_NAMESPACE = "{http://soap.sforce.com/2006/04/metadata}"

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


@dataclass(frozen=True)
class XmlError(Exception):
    """Why a document could not be loaded, with the line where that was found."""

    kind: ProblemKind
    message: str
    line: int | None = None
    column: int | None = None


def parse_xml_bytes(data: bytes) -> etree._Element:
    """Parse a metadata document, or raise :class:`XmlError` saying why not."""
    if len(data) > MAX_XML_BYTES:
        raise XmlError(
            ProblemKind.TOO_LARGE,
            f"file is {len(data):,} bytes, over the {MAX_XML_BYTES:,}-byte limit for XML",
        )
    declaration = _DOCTYPE.search(data)
    if declaration is not None:
        line = data.count(b"\n", 0, declaration.start()) + 1
        raise XmlError(
            ProblemKind.FORBIDDEN_DTD,
            "document type / entity declarations are not allowed in metadata "
            "(refused, nothing expanded)",
            line,
        )
    _check_utf8(data)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        message = str(error.msg or error).split(", line ")[0]
        raise XmlError(ProblemKind.PARSE_ERROR, f"malformed XML: {message}", line, column) from None


def _check_utf8(data: bytes) -> None:
    head = data[:100].lower()
    declared = re.search(rb"encoding=[\"']([a-z0-9_.-]+)[\"']", head)
    if declared and declared.group(1) not in (b"utf-8", b"utf8"):
        raise XmlError(
            ProblemKind.ENCODING,
            f"declared encoding {declared.group(1).decode('ascii')!r}; metadata must be UTF-8",
            1,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise XmlError(
            ProblemKind.ENCODING,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            line,
        ) from None


# --- element helpers ------------------------------------------------------------------------


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2]


def children(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """(local name, child) for each child element, skipping comments."""
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            yield tag.rpartition("}")[2], child


def child(element: etree._Element, name: str) -> etree._Element | None:
    for child_name, child_element in children(element):
        if child_name == name:
            return child_element
    return None


def children_named(element: etree._Element, name: str) -> list[etree._Element]:
    return [child_element for child_name, child_element in children(element) if child_name == name]


def text(element: etree._Element, name: str) -> str | None:
    """Text of the first child called ``name``, stripped; ``None`` when absent or empty."""
    found = child(element, name)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def texts(element: etree._Element, name: str) -> list[str]:
    """Texts of every child called ``name``, in order, empty ones left out."""
    return [
        child_element.text.strip()
        for child_name, child_element in children(element)
        if child_name == name and child_element.text and child_element.text.strip()
    ]


def flag(element: etree._Element, name: str, default: bool = False) -> bool:
    value = text(element, name)
    if value is None:
        return default
    return value.lower() == "true"


def integer(element: etree._Element, name: str) -> int | None:
    value = text(element, name)
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def number(element: etree._Element, name: str) -> float | None:
    value = text(element, name)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def line_of(element: etree._Element) -> int | None:
    line = element.sourceline
    return int(line) if line is not None else None
