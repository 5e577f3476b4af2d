"""Safe XML loading and the element helpers: bare metadata tags, the same errors as the file has,
first-child-wins look-ups, and the fast paths giving the answers of the general ones."""

from __future__ import annotations

import pytest
from lxml import etree

from cfglint.model import ProblemKind
from cfglint.readers.salesforce import _replace_tokens
from cfglint.readers.xml import Node, XmlError, is_true, parse_xml_bytes, text

URI = "http://soap.sforce.com/2006/04/metadata"


def tags(root: etree._Element) -> list[str]:
    return [str(element.tag) for element in root.iter() if isinstance(element.tag, str)]


def test_metadata_tags_are_bare_and_lines_kept() -> None:
    root = parse_xml_bytes(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="{URI}">\n'
        "    <fullName>Amount__c</fullName>\n    <label>Amount</label>\n</CustomField>\n".encode()
    )
    assert tags(root) == ["CustomField", "fullName", "label"]
    assert [element.sourceline for element in root.iter()] == [2, 3, 4]
    assert root.nsmap == {}


def test_a_prefixed_metadata_namespace_is_made_bare_too() -> None:
    root = parse_xml_bytes(
        f'<sf:Layout xmlns:sf="{URI}" xmlns:o="urn:other">'
        "<sf:layoutSections><o:note>x</o:note></sf:layoutSections></sf:Layout>".encode()
    )
    # Only the metadata namespace is removed: another namespace's element is no setting.
    assert tags(root) == ["Layout", "layoutSections", "{urn:other}note"]


def test_a_document_naming_the_namespace_twice_is_not_edited() -> None:
    description = f'see xmlns="{URI}"'
    root = parse_xml_bytes(
        f'<CustomObject xmlns="{URI}"><description>{description}</description>'
        "</CustomObject>".encode()
    )
    assert tags(root) == ["CustomObject", "description"]
    assert text(root, "description") == description


def test_a_parse_error_has_the_columns_of_the_file_as_written() -> None:
    data = f'<CustomField xmlns="{URI}"><label>x</labl></CustomField>'.encode()
    with pytest.raises(etree.XMLSyntaxError) as expected:
        etree.fromstring(data)
    with pytest.raises(XmlError) as raised:
        parse_xml_bytes(data)
    assert raised.value.kind is ProblemKind.PARSE_ERROR
    assert (raised.value.line, raised.value.column) == expected.value.position


def test_a_document_type_declaration_is_still_refused() -> None:
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n'
        + f'<CustomField xmlns="{URI}"><label>&e;</label></CustomField>'.encode()
    )
    with pytest.raises(XmlError) as raised:
        parse_xml_bytes(data)
    assert (raised.value.kind, raised.value.line) == (ProblemKind.FORBIDDEN_DTD, 2)


def test_node_indexes_the_first_child_of_each_name() -> None:
    node = Node(
        parse_xml_bytes(
            b"<value><!-- a comment --><fullName> A </fullName><label/><fullName>B</fullName>"
            b"<default>TRUE</default><valueSettings><x>1</x></valueSettings></value>"
        )
    )
    assert node.text("fullName") == "A"
    assert node.text("label") is None  # present but empty
    assert node.text("color") is None  # absent
    assert node.flag("default") is True
    assert node.flag("isActive", default=True) is True
    assert node.has("label") and not node.has("color")
    value_settings = node.child("valueSettings")
    assert value_settings is not None and text(value_settings, "x") == "1"
    assert node.child("color") is None


@pytest.mark.parametrize("padding", [0, 10])  # a small element and one past the loop's limit
def test_text_takes_the_first_child_of_the_name(padding: int) -> None:
    filler = "<other>o</other>" * padding
    root = parse_xml_bytes(
        f'<r xmlns:o="urn:o">{filler}<o:name>foreign</o:name><empty> </empty>'
        f"<name> first </name><name>second</name></r>".encode()
    )
    assert text(root, "name") == "first"
    assert text(root, "empty") is None
    assert text(root, "missing") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("false", False), (" TRUE ", True), ("True", True), ("yes", False),
     ("", False), (None, False)],
)
def test_is_true(value: str | None, expected: bool) -> None:
    assert is_true(value) is expected


def test_namespace_tokens_are_replaced_in_order_whichever_are_present() -> None:
    data = b"<a>%%%NAMESPACE%%%X__c ___NAMESPACE_OR_C___ %%%NAMESPACED_ORG%%%Y</a>"
    assert _replace_tokens(data) == b"<a>X__c c Y</a>"
    assert _replace_tokens(b"<a>%%%NAMESPACE%%%Z</a>") == b"<a>Z</a>"
