"""The customization-debt report, for a consultant to hand to a client.

Every format shows the same sections, in this order, with headings in plain words:

1. **Summary**: score, grade, hours, the debt ratio and the coupling figures beside them;
2. **Top risks**: the five kinds of problem that cost the most hours, in words a client follows;
3. **What the words mean**: blast radius, debt ratio, score and grade, propagation cost;
4. **Debt by object** (a bar chart in HTML) and **debt by kind of problem**;
5. **Hot spots**: the components most others depend on, with pictures of their neighbourhood;
6. **Automation map**: which automations run on which objects, loops highlighted;
7. **Undocumented components** and **fields nothing uses**;
8. **Every issue**, costliest first, and **how the numbers are made**.

:func:`render` picks the format. This module holds what the formats share: the words for rules,
kinds and elements, and number formatting. Output is a pure function of the assessment, so the
same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

from cfglint.debt import ORG_WIDE, DebtAssessment, Issue, Risk
from cfglint.graph import KIND_WORDS as GRAPH_KIND_WORDS
from cfglint.graph import count_words

FORMATS = ("text", "md", "json", "html")

#: Plain-words headline and why-it-matters sentence per rule, for the top risks.
RISK_WORDS: dict[str, tuple[str, str]] = {
    "CFG001": ("Files that could not be read",
               "Part of the configuration was not checked, so the figures may be low."),
    "DEBT001": ("Components nobody documented",
                "Without a description nobody knows why a field or automation exists, so every "
                "change starts with detective work."),
    "DEBT002": ("Automation built with tools Salesforce has retired",
                "Workflow rules and Process Builder no longer get fixes; each one has to be "
                "rebuilt as a flow."),
    "DEBT003": ("Several kinds of automation on the same records",
                "When a record is saved, triggers, flows and rules run in an order that is hard "
                "to predict."),
    "DEBT004": ("Switched-off automation kept around",
                "Drafts and inactive rules clutter the setup and are easily switched on by "
                "mistake."),
    "DEBT005": ("Record ids typed into rules",
                "These rules stop working after a sandbox refresh or when the record is replaced."),
    "DEBT006": ("Fields that duplicate other fields",
                "People fill in one or the other, so the data is split and reports disagree."),
    "DEBT007": ("Objects close to the custom-field limit",
                "The next project may not be able to add the fields it needs."),
    "DEBT008": ("Automations that set each other off in a loop",
                "Saving one record can run the same automation again and again until Salesforce "
                "stops it with an error."),
    "DEBT009": ("Components that very many others depend on",
                "Changing one of them touches many reports, screens and automations at once."),
    "DEBT010": ("Long chains of formulas",
                "A formula built on formulas is slow and hard to change safely."),
    "DEBT011": ("Fields nothing uses",
                "Unused fields clutter forms and reports and still have to be maintained."),
    "DEBT012": ("Flows too complex to change safely",
                "Flows with many branches are hard to test; every change risks a side effect."),
    "REQ001": ("Too many required fields",
               "People must fill in fields before they know the answer, so they type "
               "placeholders."),
    "REQ002": ("Required fields missing from a form",
               "People cannot save a record from that form without an error."),
    "REQ003": ("Facts required before anyone can know them",
               "The answer is only known late in the deal, so early entries are guesses."),
    "REQ004": ("Required fields filled with placeholder values",
               "The data looks complete but says nothing."),
    "VIEW001": ("Teams without a screen of their own",
                "People work on screens built for someone else and hunt for their fields."),
    "VIEW002": ("One screen for everyone",
                "Every team sees every field, so each screen is longer than anyone needs."),
    "VIEW003": ("Screens with too many fields to edit",
                "Long forms slow every update and invite skipped fields."),
    "VIEW004": ("Screens cluttered with fields nobody needs",
                "Unneeded fields slow people down and hide the ones that matter."),
    "VIEW005": ("Teams who cannot find the fields they need",
                "Missing fields push people to spreadsheets and notes."),
    "PIPE001": ("Sales stages never adapted to the business",
                "Vendor default stages rarely describe how this team sells, so forecasts are "
                "vague."),
    "PIPE002": ("Too many or too few sales stages",
                "Stages that do not match the sales process make pipeline reports hard to read."),
    "PIPE003": ("Win probabilities that do not rise towards the close",
                "The forecast weights deals wrongly."),
    "PIPE004": ("No checks as deals move through the stages",
                "Everything is asked up front instead of when it becomes known."),
    "DATA001": ("No protection against duplicate records",
                "Duplicate accounts, contacts and leads split the history of a customer."),
    "DATA002": ("Pick-lists that accept any value",
                "Misspelt values slip in and reports count them separately."),
    "DATA003": ("Pick-lists with too many choices",
                "Long lists are skimmed, so people pick the first value that roughly fits."),
    "DATA004": ("Categories typed as free text",
                "Free text cannot be grouped or filtered reliably."),
    "INTG001": ("Emails and meetings are not captured",
                "Customer conversations stay in inboxes instead of the CRM."),
}

#: Rule families in words, for the breakdown by kind of problem and the chart legend.
FAMILY_WORDS: dict[str, str] = {
    "CFG": "Unreadable files", "REQ": "Required fields", "VIEW": "Screens for each team",
    "TIME": "Time to update records", "PIPE": "Sales process design",
    "DEBT": "Customization debt", "DATA": "Data-quality safeguards", "INTG": "Integrations",
}

#: Words for graph node kinds.
KIND_WORDS: dict[str, str] = {
    "object": "object", "field": "field", "picklist-value": "pick-list value",
    "record-type": "record type", "view": "screen", "profile": "profile", "role": "role",
    "automation": "automation", "validation-rule": "validation rule", "report": "report",
    "duplicate-rule": "duplicate rule", "matching-rule": "matching rule",
    "pipeline": "sales process", "stage": "stage", "quick-action": "quick action",
    "integration": "integration", "value-set": "value set", "list-view": "list view",
}

#: Words for element id prefixes.
PREFIX_WORDS: dict[str, str] = {
    "flow": "flow", "process-builder": "process", "workflow": "workflow rule",
    "trigger": "Apex trigger", "approval": "approval process", "hubspot-workflow": "workflow",
    "validation": "validation rule", "layout": "page layout", "flexipage": "Lightning page",
    "compactlayout": "compact layout", "view": "record view", "recordtype": "record type",
    "pipeline": "sales process", "stage": "stage", "profile": "profile",
    "permset": "permission set", "permsetgroup": "permission set group", "team": "team",
    "role": "role", "report": "report", "duplicaterule": "duplicate rule",
    "matchingrule": "matching rule", "listview": "list view", "quickaction": "quick action",
    "integration": "integration", "standardvalueset": "value set",
    "globalvalueset": "value set", "fieldset": "field set",
}

#: Words for automation kinds on the automation map.
AUTOMATION_WORDS: dict[str, str] = {
    "flow": "flow", "process-builder": "Process Builder", "workflow": "workflow rule",
    "trigger": "Apex trigger", "approval": "approval process",
    "hubspot-workflow": "HubSpot workflow",
}

#: Glossary lines: the terms the report uses, in plain words.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("Debt", "the hours it would take to fix what was found, weighted by how much depends on "
     "each item."),
    ("Blast radius", "how many other components (fields, screens, reports, automations) depend "
     "on a component, directly or through others: what may break when it changes."),
    ("Debt ratio", "the debt hours divided by the estimated hours it took to build the "
     "configuration: 5 % means fixing everything costs a twentieth of building it."),
    ("Score and grade", "100 means no debt; the grade follows the debt ratio: A up to 5 %, B up "
     "to 10 %, C up to 20 %, D up to 50 %, E above."),
    ("Propagation cost", "the share of component pairs where a change to one can reach the "
     "other: the higher, the more a change ripples."),
    ("Core", "the largest group of components that all depend on each other in a circle."),
)


def render(assessment: DebtAssessment, output_format: str) -> str:
    """The report in one of :data:`FORMATS`."""
    return _renderers()[output_format](assessment)


def _renderers() -> dict[str, Callable[[DebtAssessment], str]]:
    from cfglint.reports.html import format_html
    from cfglint.reports.json_report import format_json
    from cfglint.reports.markdown import format_markdown
    from cfglint.reports.text import format_text

    return {"text": format_text, "md": format_markdown, "json": format_json,
            "html": format_html}


# --- words ---------------------------------------------------------------------------------------


def element_parts(element_id: str) -> tuple[str, str]:
    """(kind in words, name): ``workflow:Opportunity.Flag Large Deals`` -> ``("workflow rule",
    "Opportunity.Flag Large Deals")``; a field id -> ``("field", "Account.Region__c")``."""
    prefix, colon, rest = element_id.partition(":")
    if colon and prefix in PREFIX_WORDS:
        return PREFIX_WORDS[prefix], rest
    if colon:
        return "component", element_id
    if "=" in element_id:
        return "pick-list value", element_id
    return ("field", element_id) if "." in element_id else ("object", element_id)


def element_words(element_id: str) -> str:
    """An element id in words: ``workflow rule Opportunity.Flag Large Deals``."""
    words, name = element_parts(element_id)
    return f"{words} {name}"


def risk_headline(risk: Risk) -> str:
    words = RISK_WORDS.get(risk.rule_id)
    return words[0] if words else risk.title


def risk_sentence(risk: Risk, name: Callable[[str], str] = str) -> str:
    """One paragraph a client follows: what, how many, how long, the worst case, why.
    ``name`` formats the element's name (a code span in Markdown, escaped in HTML)."""
    found = "1 case" if risk.count == 1 else f"{risk.count} cases"
    worst = risk.worst
    depends = {0: "", 1: "; 1 other component depends on it"}.get(
        worst.blast_radius, f"; {worst.blast_radius} other components depend on it")
    why = RISK_WORDS.get(risk.rule_id, ("", ""))[1]
    words, element = element_parts(worst.finding.element_id)
    text = (f"{found}, about {hours(risk.hours)} to fix. The costliest: "
            f"{words} {name(element)}{depends}.")
    return f"{text} {why}" if why else text


def kind_words(kind: str) -> str:
    """A node kind or a counting kind (``layout``, ``flow``) in words, singular."""
    if kind in KIND_WORDS:
        return KIND_WORDS[kind]
    return GRAPH_KIND_WORDS.get(kind, (kind or "component",))[0]


def family_words(family: str) -> str:
    """``Required fields (REQ)``."""
    return f"{FAMILY_WORDS[family]} ({family})" if family in FAMILY_WORDS else family


def counts_words(counts: Mapping[str, int]) -> str:
    """``5 profiles, 1 layout, 1 flow`` from counts per counting kind."""
    return ", ".join(count_words(count, kind) for kind, count in counts.items())


def summary_sentence(assessment: DebtAssessment) -> str:
    """The debt in one sentence."""
    return (f"Fixing what was found would take about {hours(assessment.debt_hours)}, "
            f"{percent(assessment.ratio)} of the estimated {hours(assessment.build_hours)} it "
            f"took to build this configuration.")


def coupling_sentence(assessment: DebtAssessment) -> str:
    measures = assessment.measures
    loops = len(measures.cycles)
    return (f"{measures.nodes} components and {measures.edges} dependencies; propagation cost "
            f"{percent(measures.propagation_cost)}; largest core {measures.core_size} "
            f"component{'s' if measures.core_size != 1 else ''}; "
            f"{loops} automation loop{'s' if loops != 1 else ''}.")


# --- numbers -------------------------------------------------------------------------------------


def hours(value: float) -> str:
    """``0.4 h``, ``12.5 h``, ``1,234 h``: one decimal below 100 hours."""
    if value >= 100:
        return f"{value:,.0f} h"
    return f"{value:.1f} h"


def number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def percent(ratio: float) -> str:
    if math.isinf(ratio):
        return "more than 100 %"
    value = ratio * 100
    return f"{value:.1f} %" if value < 10 else f"{value:.0f} %"


def score_text(value: float) -> str:
    return f"{value:.0f}"


# --- selections ----------------------------------------------------------------------------------


def issues_of(assessment: DebtAssessment, rule_id: str) -> list[Issue]:
    """Issues of one rule, by element id."""
    found = [issue for issue in assessment.issues if issue.finding.rule_id == rule_id]
    return sorted(found, key=lambda issue: issue.finding.element_id)


def costliest(issues: Iterable[Issue]) -> list[Issue]:
    """Issues by weighted hours, most first, then by rule and element."""
    return sorted(issues, key=lambda issue: (-issue.hours, issue.finding.rule_id,
                                             issue.finding.element_id))


def grouped_by_object(issues: Iterable[Issue]) -> dict[str, list[str]]:
    """Element ids per object, objects sorted (org-wide last), ids sorted."""
    groups: dict[str, list[str]] = {}
    for issue in issues:
        groups.setdefault(issue.object_name, []).append(issue.finding.element_id)
    order = sorted(groups, key=lambda name: (name == ORG_WIDE, name))
    return {name: sorted(set(groups[name])) for name in order}


def short_name(element_id: str, owner: str) -> str:
    """An element's name without its object, for lists grouped by object."""
    name = element_id.partition(":")[2] or element_id
    prefix = f"{owner}."
    return name[len(prefix):] if name.startswith(prefix) else name
