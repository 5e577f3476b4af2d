"""Human text: one greppable line per finding, then a summary.

Each finding is one line::

    PATH[:LINE[:COLUMN]]: ID [SEVERITY] MESSAGE

for example ``force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml:12:5: REQ001
[error] 14 fields are required at create``. Lines and columns are 1-based and left out when
unknown. A finding with no location (a project-wide finding) shows the project root as its path,
e.g. ``.: INTG001 [info] no email capture configured``, so every line keeps the same shape and
``grep ': REQ001 '`` or ``grep '\\[error\\]'`` still work. Paths are as
:func:`~cfglint.formatters.common.shown_path` describes.

After a blank line comes the summary: ``Found N findings (E errors, W warnings, I infos).``, a
table of findings per rule family and severity, how many findings were suppressed, and the rules
that were skipped with their reasons. A clean run prints ``No findings.`` instead of the count and
table.
"""

from __future__ import annotations

from cfglint.formatters.common import (
    SEVERITIES,
    family_counts,
    plural,
    root_label,
    severity_breakdown,
    shown_path,
)
from cfglint.lint import LintResult
from cfglint.rules.base import Finding


def format_text(result: LintResult) -> str:
    lines = [finding_line(finding, result.root) for finding in result.findings]
    if lines:
        lines.append("")
    lines.extend(summary_lines(result))
    return "\n".join(lines) + "\n"


def finding_line(finding: Finding, root: str) -> str:
    return f"{_location(finding, root)}: {finding.rule_id} [{finding.severity.value}] " + (
        _one_line(finding.message)
    )


def _location(finding: Finding, root: str) -> str:
    path = shown_path(root, finding.path)
    if not path:
        return root_label(root)
    location = finding.location
    if location is None or location.line is None:
        return path
    if location.column is None:
        return f"{path}:{location.line}"
    return f"{path}:{location.line}:{location.column}"


def _one_line(message: str) -> str:
    """A message on one line, so one finding is always one line of output."""
    return " ".join(message.split())


def summary_lines(result: LintResult) -> list[str]:
    lines = _count_lines(result)
    lines.extend(_suppressed_lines(result))
    lines.extend(_skipped_lines(result))
    return lines


def _count_lines(result: LintResult) -> list[str]:
    if not result.findings:
        return ["No findings."]
    breakdown = severity_breakdown(result.findings)
    return [
        f"Found {plural(len(result.findings), 'finding')} ({breakdown}).",
        "",
        *_family_table(result),
    ]


_COLUMNS = ("errors", "warnings", "infos")


def _family_table(result: LintResult) -> list[str]:
    rows: list[tuple[str, ...]] = [("family", *_COLUMNS)]
    for family, counts in family_counts(result.findings).items():
        rows.append((family, *(str(counts[severity]) for severity in SEVERITIES)))
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def _suppressed_lines(result: LintResult) -> list[str]:
    if not result.suppressed:
        return []
    in_source = sum(1 for _, kind in result.suppressed if kind == "inSource")
    external = len(result.suppressed) - in_source
    suppressed = plural(len(result.suppressed), "finding")
    return ["", f"{suppressed} suppressed ({in_source} in source, {external} by configuration "
                "or baseline)."]


def _skipped_lines(result: LintResult) -> list[str]:
    if not result.skipped_rules:
        return []
    lines = ["", f"Skipped {plural(len(result.skipped_rules), 'rule')}:"]
    for rule_id in sorted(result.skipped_rules):
        lines.append(f"  {rule_id}: {_one_line(result.skipped_rules[rule_id])}")
    return lines
