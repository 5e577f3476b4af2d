"""The debt report as plain text for a terminal: the sections of :mod:`cfglint.reports`, with
``#`` bars for the chart and columns padded to line up. Long lists are cut at
:data:`LIST_LIMIT` entries (objects of the undocumented and unused lists, rows of the issue
table) with a count of the rest; the JSON report has them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cfglint.debt import DebtAssessment
from cfglint.reports import (
    AUTOMATION_WORDS,
    GLOSSARY,
    costliest,
    counts_words,
    coupling_sentence,
    element_words,
    family_words,
    grouped_by_object,
    hours,
    issues_of,
    kind_words,
    percent,
    risk_headline,
    risk_sentence,
    score_text,
    short_name,
    summary_sentence,
)

LIST_LIMIT = 40
BAR_WIDTH = 30
WRAP = 96


def format_text(assessment: DebtAssessment) -> str:
    sections = [
        _summary(assessment), _risks(assessment), _glossary(), _by_object(assessment),
        _by_family(assessment), _hot_spots(assessment), _automation_map(assessment),
        _listing("Undocumented components", assessment, "DEBT001"),
        _listing("Fields nothing uses", assessment, "DEBT011"), _issues(assessment),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"


def _heading(title: str) -> list[str]:
    return [title, "=" * len(title)]


def _summary(assessment: DebtAssessment) -> list[str]:
    title = f"Customization debt: {assessment.root}"
    return [
        title, "=" * len(title),
        f"Score {score_text(assessment.score)} / 100, grade {assessment.grade} "
        f"(debt ratio {percent(assessment.ratio)})",
        *_wrap(summary_sentence(assessment)),
        *_wrap("Coupling: " + coupling_sentence(assessment)),
    ]


def _risks(assessment: DebtAssessment) -> list[str]:
    if not assessment.risks:
        return [*_heading("Top risks"), "Nothing found that needs fixing."]
    lines = _heading("Top risks")
    for number, risk in enumerate(assessment.risks, start=1):
        lines.append(f"{number}. {risk_headline(risk)}")
        lines.extend(_wrap(risk_sentence(risk), indent="   "))
    return lines


def _glossary() -> list[str]:
    lines = _heading("What the words mean")
    for term, meaning in GLOSSARY:
        lines.extend(_wrap(f"{term}: {meaning}"))
    return lines


def _by_object(assessment: DebtAssessment) -> list[str]:
    rows = [row for row in assessment.by_object if row.debt_hours > 0 or row.build_hours > 0]
    if not rows:
        return []
    largest = max(row.debt_hours for row in rows) or 1.0
    table = [("Object", "Debt", "Built", "Ratio", "Grade", "Issues", "")]
    for row in rows:
        bar = "#" * round(BAR_WIDTH * row.debt_hours / largest)
        table.append((row.name, hours(row.debt_hours), hours(row.build_hours),
                      percent(row.ratio), row.grade, str(row.issues), bar))
    return [*_heading("Debt by object"), *_table(table, right={1, 2, 3, 5})]


def _by_family(assessment: DebtAssessment) -> list[str]:
    if not assessment.by_family:
        return []
    table = [("Kind of problem", "Debt", "Issues")]
    for row in assessment.by_family:
        table.append((family_words(row.name), hours(row.debt_hours), str(row.issues)))
    return [*_heading("Debt by kind of problem"), *_table(table, right={1, 2})]


def _hot_spots(assessment: DebtAssessment) -> list[str]:
    if not assessment.hot_spots:
        return []
    table = [("Component", "Kind", "Blast radius", "Depended on by")]
    for spot in assessment.hot_spots:
        parts = counts_words(spot.by_kind)
        table.append((spot.element_id, kind_words(spot.kind), str(spot.blast_radius), parts))
    return [*_heading("Hot spots: what most depends on"), *_table(table, right={2})]


def _automation_map(assessment: DebtAssessment) -> list[str]:
    if not assessment.automations:
        return []
    lines = _heading("Automation map")
    current = None
    for entry in assessment.automations:
        if entry.object_name != current:
            current = entry.object_name
            lines.append(f"{current}:")
        state = "" if entry.active else " (inactive)"
        also = f"; also works on {', '.join(entry.touches)}" if entry.touches else ""
        loop = "  << IN A LOOP" if entry.in_cycle else ""
        lines.append(f"  - {AUTOMATION_WORDS.get(entry.kind, entry.kind)} '{entry.name}', "
                     f"{entry.when}{state}{also}{loop}")
    for cycle in assessment.measures.cycles:
        lines.append("Loop: " + " -> ".join([*cycle, cycle[0]]))
    return lines


def _listing(title: str, assessment: DebtAssessment, rule_id: str) -> list[str]:
    groups = grouped_by_object(issues_of(assessment, rule_id))
    if not groups:
        return []
    count = sum(len(ids) for ids in groups.values())
    lines = [*_heading(f"{title} ({count})")]
    shown = 0
    for owner, ids in groups.items():
        if shown >= LIST_LIMIT:
            break
        names = ", ".join(short_name(element, owner) for element in ids)
        lines.extend(_wrap(f"{owner}: {names}", indent="  ", hanging="      "))
        shown += 1
    if len(groups) > shown:
        lines.append(f"... and {len(groups) - shown} more objects (see --format json)")
    return lines


def _issues(assessment: DebtAssessment) -> list[str]:
    if not assessment.issues:
        return []
    ordered = costliest(assessment.issues)
    table = [("Hours", "Rule", "Blast", "Component")]
    for issue in ordered[:LIST_LIMIT]:
        table.append((f"{issue.hours:.2f}", issue.finding.rule_id, str(issue.blast_radius),
                      element_words(issue.finding.element_id)))
    lines = [*_heading(f"Every issue, costliest first ({len(ordered)})"),
             *_table(table, right={0, 2})]
    if len(ordered) > LIST_LIMIT:
        lines.append(f"... and {len(ordered) - LIST_LIMIT} more (see --format json)")
    return lines


def _table(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> list[str]:
    """Columns padded to their widest cell; ``right`` columns aligned right."""
    aligned = set(right)
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(width) if column in aligned else cell.ljust(width)
                 for column, (cell, width) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return lines


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    """Words wrapped at :data:`WRAP` columns; the first line indented by ``indent``, the others
    by ``hanging`` (default: the same)."""
    lines: list[str] = []
    current = indent
    for word in text.split():
        if len(current) + len(word) + 1 > WRAP and current.strip():
            lines.append(current.rstrip())
            current = indent if hanging is None else hanging
        current += word + " "
    if current.strip():
        lines.append(current.rstrip())
    return lines
