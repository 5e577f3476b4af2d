"""What the update-budget rules (TIME001–003) share: estimate one kind of task for every role
and turn an estimate over budget into a problem."""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.budget import DEFAULT_CALIBRATION, Estimate, OrgBudget, replace_budget, tasks_budget
from cfglint.model import Org, Role, SourceLocation
from cfglint.roles import effective_roles
from cfglint.rules._req_common import shared_index
from cfglint.rules.base import Options, Problem, run_memo
from cfglint.tasks import Task, tasks_for

BUDGET_OPTION = "budget-seconds"


def budget_option(default: int, what: str) -> dict[str, object]:
    return {
        "type": "number",
        "exclusiveMinimum": 0,
        "default": default,
        "description": f"Seconds a role may spend to {what} (the KLM estimate's limit).",
    }


def over_budget(org: Org, options: Options, kind: str) -> Iterator[tuple[Estimate, OrgBudget]]:
    """Estimates of ``kind`` tasks whose seconds exceed the option's budget, in report order.

    The side inputs give the calibration (the configuration's ``budget:`` section), the roles
    file and usage data when the command has them; the default calibration otherwise."""
    inputs = options.get("_inputs")
    roles, inferred, tasks = role_tasks(org, options)
    budget = tasks_budget(
        org, tasks, roles, inferred,
        calibration=getattr(inputs, "calibration", None) or DEFAULT_CALIBRATION,
        usage=getattr(inputs, "usage", None), kinds=(kind,),
    )
    limit = float(options[BUDGET_OPTION])
    for result in budget.estimates:
        judged = replace_budget(result, limit)
        if judged.verdict == "over":
            yield judged, budget


def role_tasks(org: Org, options: Options) -> tuple[dict[str, Role], bool, list[Task]]:
    """(roles, inferred?, every role's tasks): planned once per lint run and shared through the
    run's memo, since TIME001–004 all start from the same tasks."""
    def plan() -> tuple[dict[str, Role], bool, list[Task]]:
        roles, inferred = effective_roles(org, getattr(options.get("_inputs"), "roles", None))
        return roles, inferred, tasks_for(org, roles, index=shared_index(org, options))

    return run_memo(options, "role-tasks", plan)


def problem(result: Estimate, element_id: str, location: SourceLocation | None,
            doing: str) -> Problem:
    """One sentence with role, object, task, seconds, band and the two costliest fields."""
    costliest = result.costliest(2)
    named = ", ".join(f"{cost.field_id} {cost.expected_seconds:.1f} s" for cost in costliest)
    low, high = result.band
    return Problem(
        element_id=element_id,
        message=(
            f"role {result.role_id.removeprefix('role:')} needs {result.total:.0f} s to "
            f"{doing} (band {low:.0f}–{high:.0f} s, budget {result.budget:g} s)"
            + (f"; costliest: {named}" if named else "")
        ),
        location=location,
        data={
            "role": result.role_id, "object": result.object_name, "task": result.task,
            "seconds": round(result.total, 2), "band": [round(low, 2), round(high, 2)],
            "budget": result.budget, "verdict": result.verdict,
            "fields-seconds": round(result.fields_seconds, 2),
            "overhead-seconds": round(result.overhead_seconds, 2),
            "failed-save-seconds": round(result.error.seconds, 2),
            "costliest": [{"field": cost.field_id, "seconds": round(cost.expected_seconds, 2)}
                          for cost in costliest],
            "suggestion": list(result.suggestion.fields) if result.suggestion else [],
            "view": result.view_id,
        },
    )
