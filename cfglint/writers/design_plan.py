"""The files ``cfglint design`` writes (docs/design.md): ``launch.yaml``, ``phase2.yaml``,
``plan.md`` and ``plan.json``.

Every text is a pure function of a :class:`~cfglint.design.Design` and its :class:`Figures`, so
the same input gives the same bytes: mappings are sorted, lists keep the design's order (which
is itself sorted), numbers are rounded to two decimals and nothing says when it was written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from cfglint.budget import DEFAULT_CALIBRATION, Calibration, Estimate, org_budget
from cfglint.design import MOSCOW, Deferral, Design
from cfglint.model import Org
from cfglint.output import write_text
from cfglint.rules._req_common import RequirementIndex
from cfglint.rules._view_common import role_views
from cfglint.writers.native import dump_native

LAUNCH = "launch.yaml"
PHASE2 = "phase2.yaml"
PLAN_MD = "plan.md"
PLAN_JSON = "plan.json"
#: The files this writer owns in an output directory (``--force`` replaces only these).
OUTPUT_FILES = (LAUNCH, PHASE2, PLAN_MD, PLAN_JSON)
#: Version of plan.json (docs/design.md describes it).
PLAN_VERSION = 1


@dataclass(frozen=True)
class Side:
    """One configuration's figures: before (the input) or after (the launch)."""

    required: dict[str, int]  # object -> fields required at create on its heaviest form
    seconds: dict[str, float]  # "role task object" -> KLM seconds
    views: dict[str, int]  # role id -> views assigned to its profiles
    debt_score: float | None = None
    debt_grade: str | None = None


@dataclass(frozen=True)
class Figures:
    before: Side
    after: Side
    budgets: dict[str, float] = field(default_factory=dict)  # task kind -> seconds


def figures(
    design: Design, *, calibration: Calibration = DEFAULT_CALIBRATION, usage: Any = None,
    settings: Any = None,
) -> Figures:
    """Before / after figures; the debt score only with lint ``settings`` (it lints both)."""
    budgets = {kind: calibration.budget_for(kind) for kind in ("create", "stage-move", "log-call")}
    return Figures(
        before=_side(design.source, calibration, usage, settings),
        after=_side(design.launch, calibration, usage, settings),
        budgets=budgets,
    )


def _side(org: Org, calibration: Calibration, usage: Any, settings: Any) -> Side:
    index = RequirementIndex(org)
    required = {crm_object.name: len(index.burden(crm_object).fields)
                for crm_object in index.objects()}
    budget = org_budget(org, None, calibration=calibration, usage=usage)
    seconds = {_task_key(result): round(result.total, 2) for result in budget.estimates}
    views = {role_id: sum(len(ids) for ids in role_views(org, org.roles[role_id]).values())
             for role_id in sorted(org.roles)}
    score, grade = _debt(org, settings) if settings is not None else (None, None)
    return Side(required, seconds, views, score, grade)


def _task_key(result: Estimate) -> str:
    return f"{result.role_id.removeprefix('role:')} {result.task} {result.object_name}"


def _debt(org: Org, settings: Any) -> tuple[float, str]:
    from cfglint.debt import assess
    from cfglint.graph import build_graph
    from cfglint.lint import SideInputs, lint

    graph = build_graph(org)
    result = lint(org, settings, root=org.root, graph=graph, side_inputs=SideInputs())
    assessment = assess(org, graph, result.findings, root=org.root)
    return round(assessment.score, 1), assessment.grade


# --- the texts --------------------------------------------------------------------------------


def launch_yaml(design: Design) -> str:
    header = ("# The launch configuration written by `cfglint design` (docs/design.md).\n"
              "# Lint it on its own: cfglint lint launch.yaml --ruleset go-live\n")
    return header + dump_native(design.launch)


def phase2_yaml(design: Design) -> str:
    """Deferrals grouped by object (``(org)`` for elements of no object), then by kind."""
    grouped: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for item in design.deferred:
        grouped[_object_of(item)][item.kind].append(
            {"id": item.element_id, "reason": item.reason, "moscow": item.moscow,
             "detail": item.detail})
    counts = {label: sum(1 for item in design.deferred if item.moscow == label)
              for label in MOSCOW}
    document = {
        "phase2": 1,
        "counts": counts,
        "objects": {name: {kind: grouped[name][kind] for kind in sorted(grouped[name])}
                    for name in sorted(grouped)},
    }
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096
    from io import StringIO

    stream = StringIO()
    yaml.dump(document, stream)
    return ("# Phase 2: what `cfglint design` left out of the launch, with why (docs/design.md).\n"
            + stream.getvalue())


def _object_of(item: Deferral) -> str:
    element = item.element_id.partition(":")[2] if ":" in item.element_id else item.element_id
    if item.kind == "object":
        return item.element_id
    head, dot, _ = element.partition(".")
    if item.kind in ("automation", "report", "value set", "pipeline") and not dot:
        return "(org)"
    if item.kind == "view" and "-" in head and not dot:
        return head.partition("-")[0]
    return head if dot else "(org)"


def plan_data(design: Design, numbers: Figures) -> dict[str, Any]:
    """plan.json's content (documented in docs/design.md)."""
    return {
        "version": PLAN_VERSION,
        "solver": design.solver,
        "kept": design.kept,
        "required_changes": [vars(change) for change in design.required_changes],
        "views": [{
            "id": view.view_id, "name": view.name, "object": view.object_name,
            "role": view.role_id, "based_on": view.based_on,
            "sections": [{"label": label, "fields": [
                {"field": item.field, "behavior": item.behavior.value} for item in items]}
                for label, items in view.sections],
        } for view in design.views],
        "assignments": [vars(change) for change in design.assignments],
        "stage_gates": [{**vars(gate), "stages": list(gate.stages)}
                        for gate in design.stage_gates],
        "rule_deactivations": [vars(item) for item in design.rule_deactivations],
        "deferred": [vars(item) for item in design.deferred],
        "notes": list(design.notes),
        "figures": {"before": vars(numbers.before), "after": vars(numbers.after),
                    "budgets": numbers.budgets},
    }


def plan_json(design: Design, numbers: Figures) -> str:
    return json.dumps(plan_data(design, numbers), indent=2, sort_keys=True) + "\n"


def plan_md(design: Design, numbers: Figures) -> str:
    lines = [
        "# Launch plan",
        "",
        f"Written by `cfglint design` (docs/design.md). Solver: `{design.solver}`. "
        f"Launch set: {len(design.kept)} elements; phase 2: {len(design.deferred)}.",
        "",
        *_section("Before and after", _figures_lines(numbers)),
        *_section("Requirements", [
            f"- `{change.field_id}`: {_requirement_words(change.required_before, None)} → "
            f"{_requirement_words(change.required_at_create, change.required_from_stage)} "
            f"({change.reason})" for change in design.required_changes]),
        *_section("Stage gates", [
            f"- `{gate.field_id}` from {gate.stages[0]}"
            + (f": validation rule `{gate.rule_name}`" if gate.rule_name
               else f": stage `requires` of {', '.join(gate.stages[:1])}")
            for gate in design.stage_gates]),
        *_section("Validation rules switched off", [
            f"- `{item.rule_id}`: {item.reason}" for item in design.rule_deactivations]),
        *_section("Launch views", [
            f"- `{view.view_id}` for {view.role_id}"
            + (f" (trimmed from `{view.based_on}`)" if view.based_on else " (new)") + ": "
            + ", ".join(f"{item.field}{'*' if item.behavior.value == 'required' else ''}"
                        for _, items in view.sections for item in items)
            for view in design.views]),
        *_section("Assignments", [
            f"- {change.profile_id}"
            + (f" / {change.record_type}" if change.record_type else "")
            + f": `{change.view_id}`"
            + (f" (was `{change.previous_view_id}`)" if change.previous_view_id else "")
            for change in design.assignments]),
        *_section("Phase 2", _phase2_lines(design.deferred)),
        *_section("Notes", [f"- {note}" for note in design.notes]),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, body: list[str]) -> list[str]:
    return [f"## {title}", "", *(body or ["None."]), ""]


def _requirement_words(at_create: bool, stage: str | None) -> str:
    if at_create:
        return "required at create"
    return f"required from {stage}" if stage else "optional"


def _figures_lines(numbers: Figures) -> list[str]:
    before, after = numbers.before, numbers.after
    lines = ["| figure | before | after |", "|---|---:|---:|"]
    for name in sorted(set(before.required) | set(after.required)):
        lines.append(f"| required at create: {name} | {_cell(before.required.get(name))} | "
                     f"{_cell(after.required.get(name))} |")
    for key in sorted(set(before.seconds) | set(after.seconds)):
        lines.append(f"| seconds: {key} | {_cell(before.seconds.get(key))} | "
                     f"{_cell(after.seconds.get(key))} |")
    for role_id in sorted(set(before.views) | set(after.views)):
        lines.append(f"| views of {role_id} | {_cell(before.views.get(role_id))} | "
                     f"{_cell(after.views.get(role_id))} |")
    if before.debt_score is not None:
        lines.append(f"| debt score (grade) | {before.debt_score:g} ({before.debt_grade}) | "
                     f"{after.debt_score:g} ({after.debt_grade}) |")
    budgets = ", ".join(f"{kind} {seconds:g} s" for kind, seconds in numbers.budgets.items())
    return [*lines, "", f"Budgets: {budgets}."]


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _phase2_lines(deferred: Iterable[Deferral]) -> list[str]:
    return [f"- `{item.element_id}` ({item.kind}): {item.reason}, {item.moscow} — {item.detail}"
            for item in deferred]


# --- writing ----------------------------------------------------------------------------------


def write_design(design: Design, out_dir: Path, numbers: Figures) -> list[Path]:
    """Write the four files into ``out_dir`` (which exists); the paths written."""
    texts = {
        LAUNCH: launch_yaml(design),
        PHASE2: phase2_yaml(design),
        PLAN_MD: plan_md(design, numbers),
        PLAN_JSON: plan_json(design, numbers),
    }
    written = []
    for name in OUTPUT_FILES:
        write_text(texts[name], out_dir / name)
        written.append(out_dir / name)
    return written
