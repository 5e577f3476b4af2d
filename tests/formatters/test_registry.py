"""The registry, the fingerprint, and what every format promises: same result, same bytes."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from cfglint.formatters import FORMATTERS, fingerprint, format_result
from cfglint.formatters.common import shown_path
from cfglint.model import SourceLocation
from cfglint.rules.base import Finding, Severity
from tests.formatters.conftest import clean_result, finding, sample_result


def test_every_documented_format_is_registered() -> None:
    assert list(FORMATTERS) == ["text", "json", "sarif", "junit", "github", "markdown"]


def test_unknown_format_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown output format 'xml'.*text, json, sarif"):
        format_result(clean_result(), "xml")


@pytest.mark.parametrize("name", list(FORMATTERS))
def test_same_result_gives_the_same_bytes(name: str) -> None:
    first = format_result(sample_result(), name)
    assert format_result(sample_result(), name) == first
    assert first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize("name", [name for name in FORMATTERS if name != "github"])
def test_clean_result_still_says_something(name: str) -> None:
    assert format_result(clean_result(), name).strip()


@pytest.mark.parametrize("name", list(FORMATTERS))
def test_no_absolute_path_appears_unless_given(name: str) -> None:
    assert "/work" not in format_result(sample_result("force-app"), name)
    assert "/tmp" not in format_result(sample_result("force-app"), name)


def test_fingerprint_is_sha256_prefix_of_rule_path_and_element() -> None:
    # Baselines store this value, so its recipe is part of the file format.
    expected = hashlib.sha256(b"REQ901\x1fa.xml\x1fLead").hexdigest()[:16]
    assert fingerprint(finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml", 3)) == expected


def test_fingerprint_ignores_line_column_message_and_severity() -> None:
    base = finding("REQ901", Severity.ERROR, "14 fields", "Lead", "a.xml", 3, 1)
    moved = dataclasses.replace(
        base, location=SourceLocation("a.xml", 90, 7), message="15 fields",
        severity=Severity.WARNING,
    )
    assert fingerprint(moved) == fingerprint(base)


@pytest.mark.parametrize(
    "other",
    [
        finding("REQ902", Severity.ERROR, "14 fields", "Lead", "a.xml", 3),
        finding("REQ901", Severity.ERROR, "14 fields", "Lead", "b.xml", 3),
        finding("REQ901", Severity.ERROR, "14 fields", "Contact", "a.xml", 3),
    ],
)
def test_fingerprint_changes_with_rule_path_or_element(other: Finding) -> None:
    base = finding("REQ901", Severity.ERROR, "14 fields", "Lead", "a.xml", 3)
    assert fingerprint(other) != fingerprint(base)


def test_fingerprint_parts_cannot_run_together() -> None:
    one = finding("REQ901", Severity.ERROR, "m", "b", "a")
    two = finding("REQ901", Severity.ERROR, "m", "", "ab")
    assert fingerprint(one) != fingerprint(two)


@pytest.mark.parametrize(
    ("root", "path", "shown"),
    [
        (".", "objects/A.object", "objects/A.object"),
        ("", "objects/A.object", "objects/A.object"),
        ("./force-app/", "objects/A.object", "force-app/objects/A.object"),
        ("../other", "a.xml", "../other/a.xml"),
        ("/abs/project", "objects/A.object", "objects/A.object"),
        ("force-app", "", ""),
    ],
)
def test_shown_path(root: str, path: str, shown: str) -> None:
    assert shown_path(root, path) == shown
