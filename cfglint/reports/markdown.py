"""The debt report as Markdown (CommonMark with GitHub tables), for a pull request, a wiki or a
document. The sections are those of :mod:`cfglint.reports`; the chart is a column of ``█`` bars in
the per-object table, since Markdown has no pictures of its own. Every element name is a code
span, so names with underscores or asterisks never turn into emphasis; table cells are escaped as
in the lint Markdown formatter.
"""

from __future__ import annotations

from cfglint import __version__
from cfglint.debt import DebtAssessment, Issue
from cfglint.formatters.markdown import cell, code
from cfglint.reports import (
    AUTOMATION_WORDS,
    GLOSSARY,
    costliest,
    counts_words,
    coupling_sentence,
    element_parts,
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

BAR_WIDTH = 20
ISSUE_LIMIT = 200


def format_markdown(assessment: DebtAssessment) -> str:
    sections = [
        _summary(assessment), _risks(assessment), _glossary(), _by_object(assessment),
        _by_family(assessment), _hot_spots(assessment), _automation_map(assessment),
        _listing("Undocumented components", assessment, "DEBT001"),
        _listing("Fields nothing uses", assessment, "DEBT011"), _issues(assessment),
        _method(assessment),
    ]
    body = "\n\n".join("\n".join(lines) for lines in sections if lines)
    return body + f"\n\n<sub>cfglint {__version__}</sub>\n"


def _summary(assessment: DebtAssessment) -> list[str]:
    return [
        f"# Customization debt: {code(assessment.root, in_table=False)}",
        "",
        f"**Score {score_text(assessment.score)} / 100, grade {assessment.grade}** "
        f"(debt ratio {percent(assessment.ratio)}).",
        "",
        summary_sentence(assessment),
        "",
        f"Coupling: {coupling_sentence(assessment)}",
    ]


def _risks(assessment: DebtAssessment) -> list[str]:
    lines = ["## Top risks", ""]
    if not assessment.risks:
        return [*lines, "Nothing found that needs fixing."]
    for number, risk in enumerate(assessment.risks, start=1):
        sentence = risk_sentence(risk, lambda name: code(name, in_table=False))
        lines.append(f"{number}. **{risk_headline(risk)}.** {sentence}")
    return lines


def _glossary() -> list[str]:
    return ["## What the words mean", "",
            *(f"- **{term}**: {meaning}" for term, meaning in GLOSSARY)]


def _by_object(assessment: DebtAssessment) -> list[str]:
    rows = [row for row in assessment.by_object if row.debt_hours > 0 or row.build_hours > 0]
    if not rows:
        return []
    largest = max(row.debt_hours for row in rows) or 1.0
    table = [_row("Object", "Debt", "Built", "Ratio", "Grade", "Issues", "Debt bar"),
             "|---|---:|---:|---:|:---:|---:|---|"]
    for row in rows:
        bar = "█" * round(BAR_WIDTH * row.debt_hours / largest)
        table.append(_row(code(row.name), hours(row.debt_hours), hours(row.build_hours),
                          percent(row.ratio), row.grade, str(row.issues), bar))
    return ["## Debt by object", "", *table]


def _by_family(assessment: DebtAssessment) -> list[str]:
    if not assessment.by_family:
        return []
    table = [_row("Kind of problem", "Debt", "Issues"), "|---|---:|---:|"]
    for row in assessment.by_family:
        table.append(_row(family_words(row.name), hours(row.debt_hours), str(row.issues)))
    return ["## Debt by kind of problem", "", *table]


def _hot_spots(assessment: DebtAssessment) -> list[str]:
    if not assessment.hot_spots:
        return []
    table = [_row("Component", "Kind", "Blast radius", "Depended on by"), "|---|---|---:|---|"]
    for spot in assessment.hot_spots:
        parts = counts_words(spot.by_kind)
        table.append(_row(code(spot.element_id), kind_words(spot.kind), str(spot.blast_radius),
                          cell(parts)))
    return ["## Hot spots: what most depends on", "", *table]


def _automation_map(assessment: DebtAssessment) -> list[str]:
    if not assessment.automations:
        return []
    table = [_row("Runs on", "Automation", "Kind", "When", "Also works on", "State"),
             "|---|---|---|---|---|---|"]
    for entry in assessment.automations:
        state = "active" if entry.active else "inactive"
        if entry.in_cycle:
            state += ", **in a loop**"
        also = ", ".join(code(name) for name in entry.touches)
        table.append(_row(code(entry.object_name), code(entry.name),
                          AUTOMATION_WORDS.get(entry.kind, entry.kind), cell(entry.when), also,
                          state))
    loops = [
        "- **Loop:** " + " → ".join(code(member, in_table=False) for member in [*cycle, cycle[0]])
        for cycle in assessment.measures.cycles
    ]
    return ["## Automation map", "", *table, *(["", *loops] if loops else [])]


def _listing(title: str, assessment: DebtAssessment, rule_id: str) -> list[str]:
    groups = grouped_by_object(issues_of(assessment, rule_id))
    if not groups:
        return []
    count = sum(len(ids) for ids in groups.values())
    lines = [f"## {title} ({count})", ""]
    for owner, ids in groups.items():
        names = ", ".join(code(short_name(element, owner), in_table=False) for element in ids)
        lines.append(f"- {code(owner, in_table=False)}: {names}")
    return lines


def _issues(assessment: DebtAssessment) -> list[str]:
    if not assessment.issues:
        return []
    ordered = costliest(assessment.issues)
    table = [_row("Hours", "Rule", "Blast radius", "Component", "What"),
             "|---:|---|---:|---|---|"]
    table.extend(_issue_row(issue) for issue in ordered[:ISSUE_LIMIT])
    lines = [f"## Every issue, costliest first ({len(ordered)})", "", *table]
    if len(ordered) > ISSUE_LIMIT:
        lines += ["", f"The {len(ordered) - ISSUE_LIMIT} cheapest issues are left out here; "
                  "`--format json` lists them all."]
    return lines


def _issue_row(issue: Issue) -> str:
    words, name = element_parts(issue.finding.element_id)
    return _row(f"{issue.hours:.2f}", issue.finding.rule_id, str(issue.blast_radius),
                f"{words} {code(name)}", cell(issue.finding.message))


def _method(assessment: DebtAssessment) -> list[str]:
    weight = f"{assessment.constants.exposure_weight:g}"
    return [
        "## How the numbers are made", "",
        "Each issue costs a base number of hours (a prior per rule), multiplied by "
        f"1 + {weight} × log2(1 + blast radius): the more depends on a component, the more a fix "
        "must be checked. The build cost uses priors per component kind. Every prior can be "
        "changed in the `debt:` section of `.cfglint.yaml`; see `docs/debt.md` for the table "
        "and how to calibrate it.",
    ]


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"

