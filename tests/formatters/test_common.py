"""Helpers shared by the formats: rule documentation pieces, counts."""

from __future__ import annotations

from cfglint.formatters.common import (
    doc_markdown,
    family_counts,
    first_paragraph,
    rule_infos,
    severity_breakdown,
)
from cfglint.rules.base import Severity
from tests.formatters.conftest import sample_result


def test_first_paragraph_joins_the_opening_lines() -> None:
    doc = "Too many required fields,\nat create.\n\nWhy it matters:\nReps give up."
    assert first_paragraph(doc) == "Too many required fields, at create."
    assert first_paragraph("Summary.\nWhy it matters\nmore") == "Summary."
    assert first_paragraph("") == ""


def test_section_titles_become_headings_in_any_spelling() -> None:
    doc = "\n".join([
        "Summary.",
        "Why it matters:",
        "Because.",
        "## Failing example",
        "x",
        "How to fix",
        "----------",
        "Do y.",
        "    Options",  # indented: code, not a title
    ])
    assert doc_markdown(doc) == "\n".join([
        "Summary.",
        "",
        "### Why it matters",
        "Because.",
        "",
        "### Failing example",
        "x",
        "",
        "### How to fix",
        "Do y.",
        "    Options",
    ])


def test_markdown_docs_are_kept_as_they_are() -> None:
    doc = "Summary.\n\n**Why it matters.** Because.\n\n```yaml\nOptions\n```\n\n**How to fix**\n"
    assert doc_markdown(doc) == doc.strip()


def test_rule_infos_cover_rules_that_ran_and_rules_findings_name() -> None:
    infos = rule_infos(sample_result())
    assert [(info.id, info.family, info.default_severity) for info in infos] == [
        ("CFG001", "CFG", Severity.ERROR),
        ("DEBT901", "DEBT", Severity.INFO),
        ("REQ901", "REQ", Severity.ERROR),
    ]
    assert infos[0].summary == "cfglint.parse-error"
    assert infos[2].summary == "Too many fields are required when a record is created"


def test_counts() -> None:
    findings = sample_result().findings
    assert severity_breakdown(findings) == "2 errors, 1 warning, 2 infos"
    assert severity_breakdown([]) == "0 errors, 0 warnings, 0 infos"
    assert list(family_counts(findings)) == ["CFG", "REQ", "DEBT"]
