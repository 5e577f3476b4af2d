"""Markdown: a report for pull-request comments and people.

Structure (GitHub-flavoured Markdown tables)::

    # cfglint report

    **3 findings** (1 error, 2 warnings, 0 infos) in `force-app`.

    | Family | Errors | Warnings | Infos | Total |      ← one row per family with findings,
    ...                                                 then a bold total row

    ## Findings

    ### `objects/Account.object`                       ← one section per file, in finding order
    | Location | Rule | Severity | Element | Message |
    | 12:5 | REQ001 `required.too-many-fields` | error | `Account` | ... |

    ### Project-wide                                   ← findings that have no file

    ## Skipped rules                                   ← when any, with reasons
    ...
    <sub>cfglint 0.1.0 · 2 suppressed findings not shown</sub>

A clean run says "No findings." under the title. Table cells escape ``|``, ``\\``, ``<`` and
``>`` and turn line breaks into ``<br>``; ids go in code spans fenced with enough backticks for
the id. Paths are as :func:`~cfglint.formatters.common.shown_path` describes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

from cfglint import __version__
from cfglint.formatters.common import (
    SEVERITIES,
    family_counts,
    plural,
    severity_breakdown,
    severity_counts,
    shown_path,
)
from cfglint.lint import LintResult
from cfglint.rules import FAMILIES
from cfglint.rules.base import Finding


def format_markdown(result: LintResult) -> str:
    lines = ["# cfglint report", "", _headline(result), ""]
    if result.findings:
        lines.extend(_family_table(result))
        lines.append("")
        lines.extend(_findings_sections(result))
    lines.extend(_skipped_section(result))
    lines.append(_footer(result))
    return "\n".join(lines) + "\n"


def _headline(result: LintResult) -> str:
    where = f" in {code(result.root, in_table=False)}" if result.root else ""
    if not result.findings:
        return f"No findings{where}."
    breakdown = severity_breakdown(result.findings)
    return f"**{plural(len(result.findings), 'finding')}** ({breakdown}){where}."


def _family_table(result: LintResult) -> list[str]:
    rows = [_row("Family", "Errors", "Warnings", "Infos", "Total"), "|---|---:|---:|---:|---:|"]
    for family, counts in family_counts(result.findings).items():
        label = f"{family} ({FAMILIES[family]})" if family in FAMILIES else family
        numbers = [str(counts[severity]) for severity in SEVERITIES]
        rows.append(_row(cell(label), *numbers, str(sum(counts.values()))))
    totals = severity_counts(result.findings)
    bold = [f"**{totals[severity]}**" for severity in SEVERITIES]
    rows.append(_row("**Total**", *bold, f"**{len(result.findings)}**"))
    return rows


def _findings_sections(result: LintResult) -> list[str]:
    lines = ["## Findings", ""]
    for path, findings in groupby(result.findings, key=lambda found: found.path):
        shown = shown_path(result.root, path)
        lines.append(f"### {code(shown, in_table=False)}" if shown else "### Project-wide")
        lines.append("")
        lines.extend(_findings_table(findings))
        lines.append("")
    return lines


def _findings_table(findings: Iterable[Finding]) -> list[str]:
    rows = [_row("Location", "Rule", "Severity", "Element", "Message"), "|---|---|---|---|---|"]
    for finding in findings:
        rows.append(
            _row(
                _line_and_column(finding),
                f"{finding.rule_id} {code(finding.rule_name)}",
                finding.severity.value,
                code(finding.element_id),
                cell(finding.message),
            )
        )
    return rows


def _line_and_column(finding: Finding) -> str:
    location = finding.location
    if location is None or location.line is None:
        return "—"
    return str(location.line) if location.column is None else f"{location.line}:{location.column}"


def _skipped_section(result: LintResult) -> list[str]:
    if not result.skipped_rules:
        return []
    lines = ["## Skipped rules", "", _row("Rule", "Reason"), "|---|---|"]
    for rule_id in sorted(result.skipped_rules):
        lines.append(_row(rule_id, cell(result.skipped_rules[rule_id])))
    lines.append("")
    return lines


def _footer(result: LintResult) -> str:
    parts = [f"cfglint {__version__}"]
    if result.suppressed:
        parts.append(f"{plural(len(result.suppressed), 'suppressed finding')} not shown")
    return f"<sub>{' · '.join(parts)}</sub>"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


_CELL_ESCAPES = {"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;"}
_CELL_SPECIAL = re.compile(r"[\\|<>]")


def cell(text: str) -> str:
    """Text safe inside a table cell: no column breaks, no HTML, no line breaks."""
    escaped = _CELL_SPECIAL.sub(lambda match: _CELL_ESCAPES[match.group()], text)
    return "<br>".join(line.strip() for line in escaped.strip().splitlines())


def code(text: str, in_table: bool = True) -> str:
    """A code span holding ``text`` verbatim (fenced with more backticks than it contains).

    In a table, pipes are escaped even inside the span: GitHub splits table rows on ``|`` before
    it sees code spans, and drops the backslash again inside the span. Elsewhere a backslash in a
    code span would show, so pipes are left alone.
    """
    text = " ".join(text.split())
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{padding}{text}{padding}{fence}"
