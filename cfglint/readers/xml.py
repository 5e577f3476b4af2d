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
_ROOT_START = re.compile(rb"<[A-Za-z_]")

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
    # A DTD can only stand before the root element, so only the prolog needs searching.
    root_start = _ROOT_START.search(data)
    prolog = data[: root_start.start()] if root_start else data
    declaration = _DOCTYPE.search(prolog)
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
# Child look-ups go through lxml's C-level ``find``/``findtext`` with the element's own namespace,
# not Python loops over children: handlers ask for a dozen settings per component and reading a
# large project must stay within a small factor of parsing it.


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[: tag.find("}") + 1] if isinstance(tag, str) and tag[:1] == "{" else ""


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag[tag.find("}") + 1 :]


def children(element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """(local name, child) for each child element, skipping comments."""
    for child_element in element:
        tag = child_element.tag
        if isinstance(tag, str):
            yield tag[tag.find("}") + 1 :], child_element


def child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(_namespace(element) + name)


def children_named(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(_namespace(element) + name)


def text(element: etree._Element, name: str) -> str | None:
    """Text of the first child called ``name``, stripped; ``None`` when absent or empty."""
    value = element.findtext(_namespace(element) + name)
    if not value:
        return None
    value = value.strip()
    return value or None


def texts(element: etree._Element, name: str) -> list[str]:
    """Texts of every child called ``name``, in order, empty ones left out."""
    values = []
    for found in element.iterchildren(_namespace(element) + name):
        value = found.text
        if value and (value := value.strip()):
            values.append(value)
    return values


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


class Node:
    """An element with its children indexed by local name in one pass.

    Handlers that ask for many settings of one component use this: building the index costs about
    as much as two ``findtext`` calls, and each look-up after that is a dictionary access.
    """

    __slots__ = ("element", "first")

    def __init__(self, element: etree._Element) -> None:
        self.element = element
        first: dict[str, etree._Element] = {}
        for child_element in element:
            tag = child_element.tag
            if type(tag) is str:  # comments have a function as their tag
                name = tag[tag.find("}") + 1 :]
                if name not in first:
                    first[name] = child_element
        self.first = first

    @property
    def line(self) -> int | None:
        return line_of(self.element)

    def child(self, name: str) -> etree._Element | None:
        return self.first.get(name)

    def text(self, name: str) -> str | None:
        found = self.first.get(name)
        if found is None or not found.text:
            return None
        return found.text.strip() or None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.text(name)
        return default if value is None else value.lower() == "true"

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        try:
            return None if value is None else int(float(value))
        except ValueError:
            return None

    def number(self, name: str) -> float | None:
        value = self.text(name)
        try:
            return None if value is None else float(value)
        except ValueError:
            return None


def line_of(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None
