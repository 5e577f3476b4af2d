"""The debt report as one self-contained HTML page, for a client who never saw a terminal.

Everything is inline: the CSS in a ``<style>`` element, the pictures as ``<svg>`` drawn by
:mod:`cfglint.reports.svg`. There are no scripts, fonts, images or links to anything outside the
page (the table of contents links to anchors in it), so it opens offline, in a mail attachment or
from a file share, and the browser makes no network request. ``@media print`` keeps pictures and
table rows whole and drops the table of contents, so it prints as a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from cfglint import __version__
from cfglint.debt import DebtAssessment, HotSpot, Issue
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
from cfglint.reports.svg import debt_bar_chart, neighbourhood_diagram

ISSUE_LIMIT = 500

#: Section anchors and headings, in page order (the table of contents).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("risks", "Top risks"),
    ("glossary", "What the words mean"),
    ("by-object", "Debt by object"),
    ("by-family", "Debt by kind of problem"),
    ("hot-spots", "Hot spots: what most depends on"),
    ("automation", "Automation map"),
    ("undocumented", "Undocumented components"),
    ("orphans", "Fields nothing uses"),
    ("issues", "Every issue, costliest first"),
    ("method", "How the numbers are made"),
)

GRADE_COLOURS = {"A": "#2e7d32", "B": "#689f38", "C": "#f9a825", "D": "#ef6c00", "E": "#c62828"}

STYLE = """
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #ffffff; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.sub, .muted { color: var(--muted); }
nav ol { columns: 2; padding-left: 20px; margin: 8px 0 0; }
nav a { color: #1f5fa8; }
.card { display: flex; gap: 28px; align-items: center; flex-wrap: wrap;
  border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; }
.score { font-size: 54px; font-weight: 700; line-height: 1; }
.score small { font-size: 18px; font-weight: 400; color: var(--muted); }
.grade { display: inline-block; min-width: 54px; text-align: center; color: #ffffff;
  font-size: 34px; font-weight: 700; border-radius: 8px; padding: 6px 10px; }
.figures { display: grid; grid-template-columns: auto auto; gap: 2px 14px; margin: 0; }
.figures dt { color: var(--muted); }
.figures dd { margin: 0; font-weight: 600; }
ol.risks li { margin-bottom: 8px; }
dl.glossary dt { font-weight: 600; }
dl.glossary dd { margin: 0 0 6px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #f0f4f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.loop td { background: #fde8e8; }
.badge { font-size: 12px; font-weight: 600; color: #c62828; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92em;
  background: #f0f4f8; padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
figure { margin: 12px 0 20px; }
figcaption { color: var(--muted); font-size: 13px; }
.diagrams { display: flex; flex-wrap: wrap; gap: 12px 40px; }
.diagrams figure { width: 460px; margin: 8px 0; }
svg { max-width: 100%; height: auto; }
ul.grouped li { margin-bottom: 4px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  nav { display: none; }
  main { max-width: none; padding: 0; }
  body { font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, svg, tr, .card { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def format_html(assessment: DebtAssessment) -> str:
    title = f"Customization debt report: {assessment.root}"
    body = [
        "<main>",
        "<header>",
        "<h1>Customization debt report</h1>",
        f'<p class="sub">{escape(assessment.root)} · {escape(assessment.platform)} '
        f"configuration · cfglint {escape(__version__)}</p>",
        "</header>",
        _contents(),
        *_summary(assessment), *_risks(assessment), *_glossary(), *_by_object(assessment),
        *_by_family(assessment), *_hot_spots(assessment), *_automation_map(assessment),
        *_listing("undocumented", assessment, "DEBT001",
                  "Components without a description of why they exist."),
        *_listing("orphans", assessment, "DEBT011",
                  "Fields that no screen, report, formula or automation uses."),
        *_issues(assessment), *_method(assessment),
        f"<footer>Made by cfglint {escape(__version__)} from the configuration files alone; "
        "no data left this computer.</footer>",
        "</main>",
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]) + "\n"


def _contents() -> str:
    items = "".join(f'<li><a href="#{anchor}">{escape(heading)}</a></li>'
                    for anchor, heading in SECTIONS)
    return f'<nav aria-label="Contents"><ol>{items}</ol></nav>'


def _heading(anchor: str) -> str:
    return f'<h2 id="{anchor}">{escape(dict(SECTIONS)[anchor])}</h2>'


def _name(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _element(element_id: str) -> str:
    words, name = element_parts(element_id)
    return f"{escape(words)} {_name(name)}"


def _summary(assessment: DebtAssessment) -> list[str]:
    colour = GRADE_COLOURS.get(assessment.grade, "#52606d")
    measures = assessment.measures
    figures = [
        ("Debt", hours(assessment.debt_hours)),
        ("Estimated build effort", hours(assessment.build_hours)),
        ("Debt ratio", percent(assessment.ratio)),
        ("Issues found", str(len(assessment.issues))),
        ("Components and dependencies", f"{measures.nodes} / {measures.edges}"),
        ("Propagation cost", percent(measures.propagation_cost)),
        ("Largest core", str(measures.core_size)),
        ("Automation loops", str(len(measures.cycles))),
    ]
    listed = "".join(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>" for term, value in figures)
    return [
        _heading("summary"),
        '<div class="card">',
        f'<div class="score">{score_text(assessment.score)}<small> / 100</small></div>',
        f'<div class="grade" style="background:{colour}" aria-label="grade {assessment.grade}">'
        f"{assessment.grade}</div>",
        f'<dl class="figures">{listed}</dl>',
        "</div>",
        f"<p>{escape(summary_sentence(assessment))}</p>",
        f'<p class="muted">Coupling, shown beside the score and not part of it: '
        f"{escape(coupling_sentence(assessment))}</p>",
    ]


def _risks(assessment: DebtAssessment) -> list[str]:
    if not assessment.risks:
        return [_heading("risks"), "<p>Nothing found that needs fixing.</p>"]
    items = [
        f"<li><strong>{escape(risk_headline(risk))}.</strong> "
        f"{_risk_sentence(risk_sentence(risk, _marker))}</li>"
        for risk in assessment.risks
    ]
    return [_heading("risks"), '<ol class="risks">', *items, "</ol>"]


# The element name goes into the sentence as a marker, so the rest can be escaped as text and
# the name still shows as code.
_OPEN, _CLOSE = "\x02", "\x03"


def _marker(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


def _risk_sentence(sentence: str) -> str:
    escaped = escape(sentence)
    return escaped.replace(_OPEN, "<code>").replace(_CLOSE, "</code>")


def _glossary() -> list[str]:
    entries = "".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning[:1].upper() + meaning[1:])}</dd>"
                      for term, meaning in GLOSSARY)
    return [_heading("glossary"), f'<dl class="glossary">{entries}</dl>']


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int],
           row_classes: Iterable[str] = ()) -> str:
    """A table; cells are already HTML; ``numeric`` columns align right."""
    head = "".join(f'<th{_num(index, numeric)} scope="col">{escape(header)}</th>'
                   for index, header in enumerate(headers))
    classes = list(row_classes)
    body = []
    for position, row in enumerate(rows):
        css = f' class="{classes[position]}"' if position < len(classes) and classes[position] \
            else ""
        cells = "".join(f"<td{_num(index, numeric)}>{value}</td>"
                        for index, value in enumerate(row))
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _num(index: int, numeric: set[int]) -> str:
    return ' class="num"' if index in numeric else ""


def _by_object(assessment: DebtAssessment) -> list[str]:
    rows = [row for row in assessment.by_object if row.debt_hours > 0 or row.build_hours > 0]
    if not rows:
        return [_heading("by-object"), "<p>No objects.</p>"]
    chart = debt_bar_chart(assessment.by_object)
    figure = (f"<figure>{chart}<figcaption>Debt hours of the objects with the most debt, "
              "coloured by kind of problem.</figcaption></figure>") if chart else ""
    table = _table(
        ("Object", "Debt", "Built", "Debt ratio", "Grade", "Issues"),
        ((_name(row.name), hours(row.debt_hours), hours(row.build_hours), percent(row.ratio),
          row.grade, str(row.issues)) for row in rows),
        numeric={1, 2, 3, 5},
    )
    return [_heading("by-object"), figure, table]


def _by_family(assessment: DebtAssessment) -> list[str]:
    if not assessment.by_family:
        return [_heading("by-family"), "<p>Nothing found.</p>"]
    table = _table(("Kind of problem", "Debt", "Issues"),
                   ((escape(family_words(row.name)), hours(row.debt_hours), str(row.issues))
                    for row in assessment.by_family), numeric={1, 2})
    return [_heading("by-family"), table]


def _hot_spots(assessment: DebtAssessment) -> list[str]:
    if not assessment.hot_spots:
        return [_heading("hot-spots"), "<p>Nothing depends on anything else.</p>"]
    table = _table(
        ("Component", "Kind", "Blast radius", "Depended on by"),
        ((_name(spot.element_id), escape(kind_words(spot.kind)), str(spot.blast_radius),
          escape(counts_words(spot.by_kind)))
         for spot in assessment.hot_spots),
        numeric={2},
    )
    figures = [_diagram(spot, index) for index, spot in enumerate(assessment.hot_spots)
               if spot.neighbourhood]
    pictures = ["<h3>Neighbourhoods of the top hot spots</h3>",
                '<div class="diagrams">', *figures, "</div>"] if figures else []
    return [_heading("hot-spots"), table, *pictures]


def _diagram(spot: HotSpot, index: int) -> str:
    return (f"<figure>{neighbourhood_diagram(spot, f'hot-spot-{index + 1}')}"
            f"<figcaption>{_name(spot.element_id)}: {spot.blast_radius} components depend on it. "
            "Inner ring: direct dependents; outer ring: what depends on those.</figcaption>"
            "</figure>")


def _automation_map(assessment: DebtAssessment) -> list[str]:
    if not assessment.automations:
        return [_heading("automation"), "<p>No automation.</p>"]
    rows, classes = [], []
    for entry in assessment.automations:
        state = "active" if entry.active else "inactive"
        if entry.in_cycle:
            state += ' <span class="badge">in a loop</span>'
        rows.append((_name(entry.object_name), _name(entry.name),
                     escape(AUTOMATION_WORDS.get(entry.kind, entry.kind)), escape(entry.when),
                     ", ".join(_name(name) for name in entry.touches), state))
        classes.append("loop" if entry.in_cycle else "")
    table = _table(("Runs on", "Automation", "Kind", "When", "Also works on", "State"), rows,
                   set(), classes)
    loops = [f"<li>{' → '.join(_name(member) for member in [*cycle, cycle[0]])}</li>"
             for cycle in assessment.measures.cycles]
    loop_list = ["<h3>Loops</h3>", f"<ul>{''.join(loops)}</ul>"] if loops else []
    return [_heading("automation"), table, *loop_list]


def _listing(anchor: str, assessment: DebtAssessment, rule_id: str, intro: str) -> list[str]:
    groups = grouped_by_object(issues_of(assessment, rule_id))
    if not groups:
        return [_heading(anchor), "<p>None found.</p>"]
    count = sum(len(ids) for ids in groups.values())
    items = [
        f"<li>{_name(owner)} ({len(ids)}): "
        f"{', '.join(_name(short_name(element, owner)) for element in ids)}</li>"
        for owner, ids in groups.items()
    ]
    return [_heading(anchor), f"<p>{escape(intro)} {count} in all.</p>",
            '<ul class="grouped">', *items, "</ul>"]


def _issues(assessment: DebtAssessment) -> list[str]:
    if not assessment.issues:
        return [_heading("issues"), "<p>None.</p>"]
    ordered = costliest(assessment.issues)
    table = _table(("Hours", "Rule", "Blast radius", "Component", "What was found"),
                   (_issue_row(issue) for issue in ordered[:ISSUE_LIMIT]), numeric={0, 2})
    note = (f"<p class=\"muted\">The {len(ordered) - ISSUE_LIMIT} cheapest issues are left out; "
            "the JSON report lists them all.</p>") if len(ordered) > ISSUE_LIMIT else ""
    return [_heading("issues"), table, note]


def _issue_row(issue: Issue) -> tuple[str, ...]:
    return (f"{issue.hours:.2f}", escape(issue.finding.rule_id), str(issue.blast_radius),
            _element(issue.finding.element_id), escape(issue.finding.message))


def _method(assessment: DebtAssessment) -> list[str]:
    constants = assessment.constants
    used = sorted({issue.key for issue in assessment.issues})
    rows = []
    for key in used:
        prior = constants.remediation[key]
        per = f"+ {prior.cost.per:g} h per {prior.counts}" if prior.cost.per else ""
        rows.append((escape(key), f"{prior.cost.base:g} h {escape(per)}", escape(prior.source)))
    table = _table(("Rule", "Hours to fix one", "Source"), rows, set()) if rows else ""
    return [
        _heading("method"),
        f"<p>Each issue costs a base number of hours, multiplied by 1 + "
        f"{constants.exposure_weight:g} × log2(1 + blast radius): the more depends on a "
        "component, the more a fix must be checked. The build effort adds up priors per "
        "component (a field 0.5 h, a flow 1 h plus 0.2 h per step, …). These numbers are "
        "estimates to calibrate against your own records; the ones used here:</p>",
        table,
    ]
