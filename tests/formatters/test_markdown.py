"""The Markdown format: a report whose tables stay tables."""

from __future__ import annotations

import pytest

from cfglint.formatters.markdown import cell, code, format_markdown
from tests.formatters.conftest import clean_result, sample_result


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def columns(row: str) -> int:
    """Cells in a GFM table row: split on pipes that are not backslash-escaped."""
    unescaped = row.replace("\\\\", "").replace("\\|", "")
    return unescaped.count("|") - 1


def test_title_headline_and_family_table() -> None:
    lines = format_markdown(sample_result()).splitlines()
    assert lines[:11] == [
        "# cfglint report",
        "",
        "**5 findings** (2 errors, 1 warning, 2 infos) in `.`.",
        "",
        "| Family | Errors | Warnings | Infos | Total |",
        "|---|---:|---:|---:|---:|",
        "| CFG (cfglint itself: parse errors, suppressions) | 1 | 0 | 0 | 1 |",
        "| REQ (required-field burden) | 1 | 1 | 0 | 2 |",
        "| DEBT (customization debt) | 0 | 0 | 2 | 2 |",
        "| **Total** | **2** | **1** | **2** | **5** |",
        "",
    ]


def test_findings_grouped_by_file_in_finding_order() -> None:
    markdown = format_markdown(sample_result())
    headings = [line for line in markdown.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Project-wide",
        "### `layouts/Opportunity-Sales, Layout.layout-meta.xml`",
        "### `objects/Broken.object`",
        "### `objects/Lead/Lead.object-meta.xml`",
        "### `objects/Opportunity/Opportunity.object-meta.xml`",
    ]
    assert (
        "| 12:5 | REQ901 `required.fake-too-many` | error | `Opportunity` "
        "| 14 fields are required at create (budget 8) |"
    ) in markdown
    assert "| — | DEBT901 `debt.fake-orphan` | info | `flow:Close_Won` |" in markdown


def test_every_table_row_has_its_columns() -> None:
    rows = table_rows(format_markdown(sample_result()))
    # The family table (6 rows) and five file tables (3 rows each) have 5 columns; the skipped
    # rules table has 2.
    assert [columns(row) for row in rows] == [5] * (6 + 5 * 3) + [2] * 3


def test_message_is_escaped_in_its_cell() -> None:
    assert (
        "| 2:1 | DEBT901 `debt.fake-orphan` | info | `layout:Opportunity-Sales, Layout` "
        "| 50% of a\\|b: &lt;tag&gt;, said<br>someone |"
    ) in format_markdown(sample_result())


def test_skipped_rules_and_footer() -> None:
    assert format_markdown(sample_result()).splitlines()[-7:] == [
        "## Skipped rules",
        "",
        "| Rule | Reason |",
        "|---|---|",
        "| TIME901 | needs usage data (pass --usage) |",
        "",
        "<sub>cfglint 0.1.0 · 2 suppressed findings not shown</sub>",
    ]


def test_clean_result() -> None:
    assert format_markdown(clean_result()) == (
        "# cfglint report\n\nNo findings in `.`.\n\n<sub>cfglint 0.1.0</sub>\n"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("back\\slash", "back\\\\slash"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("one\ntwo\n", "one<br>two"),
    ],
)
def test_cell(text: str, escaped: str) -> None:
    assert cell(text) == escaped


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Opportunity.Amount", "`Opportunity.Amount`"),
        ("a`b", "``a`b``"),
        ("`x", "`` `x ``"),
        ("a|b", "`a\\|b`"),
        ("", ""),
    ],
)
def test_code_span(text: str, span: str) -> None:
    assert code(text) == span


def test_code_span_outside_tables_keeps_pipes() -> None:
    assert code("a|b", in_table=False) == "`a|b`"


def test_renders_with_markdown_it_when_available() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    html = parser.render(format_markdown(sample_result()))
    assert html.count("<table>") == 7
    assert "<h1>cfglint report</h1>" in html
    assert "50% of a|b: &lt;tag&gt;, said<br>someone" in html
    assert "<code>layout:Opportunity-Sales, Layout</code>" in html
