"""``cfglint budget PATH``: seconds per role × task, by the Keystroke-Level Model.

The command reads the project, takes the roles (``--roles``, else the configuration's own, else
inferred from profiles / teams and layout assignments, which it says), lists what each task asks
of the rep (:mod:`cfglint.tasks`), prices it (:mod:`cfglint.budget`, with the ``budget:`` section
of the configuration) and prints a table per object, or with ``--explain ROLE TASK`` the full
breakdown of one task. Exit code 0; 1 with ``--fail-over`` when a task is over its budget; 2
for bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from cfglint.budget import (
    AT_RISK,
    OVER,
    VERDICTS,
    Calibration,
    Estimate,
    FieldCost,
    OrgBudget,
    load_calibration,
    org_budget,
)
from cfglint.commands.common import (
    EXIT_FINDINGS,
    handle_errors,
    load_org,
    output_option,
    source_option,
)
from cfglint.commands.side_inputs import load_side_inputs, roles_option, usage_option
from cfglint.config import CommandLineOverrides, load_settings
from cfglint.output import write_text
from cfglint.readers import InputError
from cfglint.roles import inferred_message

FORMATS = ("text", "json", "md")
#: Version of the JSON document (docs/budget.md describes it).
JSON_VERSION = 1


def _configured(path: Path, config: Path | None) -> tuple[Calibration, Path | None, Path | None]:
    """The calibration, and the roles and usage files the configuration names."""
    settings = load_settings(path, CommandLineOverrides(config=config))
    return load_calibration(path, config), settings.roles, settings.usage


@click.command("budget")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
    help="text for a terminal, md for a document, json for tools.",
)
@output_option
@click.option(
    "--explain", nargs=2, metavar="ROLE TASK",
    help="Break one task down: every field with its operators and seconds, largest first, the "
         "overheads, the failed-save cost and what would bring it under budget. TASK is "
         "create, log-call or stage-move:STAGE.",
)
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file (its budget: section) instead of discovering one.",
)
@source_option
@click.option("--fail-over", is_flag=True, help="Exit 1 when a task is over its budget.")
@roles_option
@usage_option
@handle_errors
def budget_command(
    path: Path, output_format: str, output: Path | None, explain: tuple[str, str] | None,
    config_file: Path | None, source: str | None, fail_over: bool, roles_file: Path | None,
    usage_file: Path | None,
) -> None:
    """Estimated seconds for each role to create a record, move it to each stage and log a
    call (Keystroke-Level Model, methods in docs/budget.md), against the budgets: 120 s, 120 s
    and 30 s by default."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    calibration, configured_roles, configured_usage = _configured(path, config_file)
    org = load_org(path, source)
    # A roles file becomes the org's roles; without one, the org's own or inferred ones.
    inputs = load_side_inputs(org, roles_file or configured_roles, usage_file or configured_usage)
    budget = org_budget(org, inputs.roles, calibration=calibration, usage=inputs.usage)
    if budget.inferred:
        click.echo(f"cfglint: {inferred_message(dict(budget.roles))}", err=True)
    chosen = list(budget.estimates)
    if explain is not None:
        chosen = _explained(budget, *explain)
    write_text(render(budget, output_format, chosen, explain is not None, path.as_posix()),
               output)
    if fail_over and any(result.verdict == OVER for result in chosen):
        sys.exit(EXIT_FINDINGS)


def _explained(budget: OrgBudget, role: str, task: str) -> list[Estimate]:
    role_id = role if role.startswith("role:") else f"role:{role}"
    if role_id not in budget.roles:
        known = ", ".join(sorted(name.removeprefix("role:") for name in budget.roles)) or "none"
        raise InputError(f"unknown role {role!r} (roles: {known})")
    own = [result for result in budget.estimates if result.role_id == role_id]
    chosen = [result for result in own if result.task.casefold() == task.casefold()]
    if not chosen:
        tasks = ", ".join(dict.fromkeys(result.task for result in own)) or "none"
        raise InputError(f"role {role_id.removeprefix('role:')} has no task {task!r} "
                         f"(its tasks: {tasks})")
    return chosen


# --- rendering -----------------------------------------------------------------------------------


def render(
    budget: OrgBudget, output_format: str, chosen: list[Estimate], explain: bool, root: str
) -> str:
    if output_format == "json":
        return _json(budget, chosen, root)
    if explain:
        return "\n\n".join("\n".join(explain_lines(result)) for result in chosen) + "\n"
    return (_markdown if output_format == "md" else _text)(budget, chosen, root)


def explain_lines(result: Estimate) -> list[str]:
    """A plain-text breakdown: fields largest first, overheads, the failed save, the fix."""
    lines = [f"{result.role_id} {result.task} on {result.object_name}: "
             f"{result.total:.1f} s (band {result.band[0]:.1f}–{result.band[1]:.1f} s), "
             f"budget {result.budget:g} s: {result.verdict}"]
    if result.view_id:
        lines.append(f"view: {result.view_id}")
    if result.note:
        lines.append(f"note: {result.note}")
    lines.append("")
    lines.append("fields, largest first:")
    for cost in result.costliest(len(result.fields)):
        lines.append("  " + _field_line(cost, view_known=result.view_id is not None))
    if not result.fields:
        lines.append("  (none)")
    lines.append("overheads:")
    for overhead in result.overheads:
        lines.append(f"  T_{overhead.name:<6} {overhead.seconds:6.2f} s  {overhead.operators}")
    error = result.error
    lines.append(
        f"failed save: {error.seconds:.2f} s = {error.probability:.3f} × "
        f"(T_read {error.read_seconds:.2f} s [M + {error.words} words] + T_save "
        f"{error.save_seconds:.2f} s)")
    lines.extend(_suggestion_lines(result))
    return lines


def _field_line(cost: FieldCost, *, view_known: bool) -> str:
    notes = [cost.source]
    if cost.asterisk:
        notes.append("*")
    if view_known and not cost.on_view:
        notes.append("NOT ON VIEW")
    if cost.fill_rate:
        notes.append(f"filled {cost.fill_rate:.0%} already")
    if cost.nav_seconds:
        notes.append(f"+{cost.nav_seconds:g} s to reach")
    return (f"{cost.expected_seconds:6.2f} s  {cost.field_id} ({cost.field_type}): "
            f"{cost.operators or '(read-only)'}  [{', '.join(notes)}]")


def _suggestion_lines(result: Estimate) -> list[str]:
    suggestion = result.suggestion
    if suggestion is None:
        return [f"within budget by {result.budget - result.total:.1f} s"]
    names = ", ".join(suggestion.fields)
    if suggestion.reaches_budget:
        return [f"to bring it under {result.budget:g} s: make optional or require at a later "
                f"stage {names} ({suggestion.total:.1f} s)"]
    return [f"even without any field it takes {suggestion.total:.1f} s: the overheads alone "
            f"exceed {result.budget:g} s"]


def _json(budget: OrgBudget, chosen: list[Estimate], root: str) -> str:
    document = {
        "version": JSON_VERSION,
        "path": root,
        "roles": {
            "inferred": budget.inferred,
            "ids": sorted(budget.roles),
        },
        "summary": _counts(chosen),
        "estimates": [result.as_dict() for result in chosen],
        "calibration": budget.calibration.as_dict(),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _counts(estimates: Iterable[Estimate]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for result in estimates:
        counts[result.verdict] += 1
    return counts


def _by_object(estimates: Iterable[Estimate]) -> dict[str, list[Estimate]]:
    grouped: dict[str, list[Estimate]] = {}
    for result in estimates:
        grouped.setdefault(result.object_name, []).append(result)
    return grouped


def _roles_line(budget: OrgBudget) -> str:
    if budget.inferred:
        return inferred_message(dict(budget.roles))
    names = ", ".join(sorted(role_id.removeprefix("role:") for role_id in budget.roles))
    return f"roles: {names}" if names else "no roles"


def _summary_line(estimates: list[Estimate]) -> str:
    counts = _counts(estimates)
    return (f"{len(estimates)} tasks: {counts[OVER]} over budget, {counts[AT_RISK]} at risk "
            f"(1.21 T over budget), {counts['within']} within")


def _text(budget: OrgBudget, chosen: list[Estimate], root: str) -> str:
    lines = [f"update budget for {root} ({_roles_line(budget)})"]
    if not chosen:
        lines.append("no tasks to estimate: no role creates, moves or logs anything here")
        return "\n".join(lines) + "\n"
    role_width = max(len("role"), *(len(result.role_id) - len("role:") for result in chosen))
    task_width = max(len("task"), *(len(result.task) for result in chosen))
    for object_name, results in _by_object(chosen).items():
        lines += ["", object_name,
                  f"  {'role':<{role_width}}  {'task':<{task_width}}  {'seconds':>7}  "
                  f"{'band':>13}  {'budget':>6}  verdict"]
        for result in results:
            band = f"{result.band[0]:.0f}-{result.band[1]:.0f}"
            lines.append(
                f"  {result.role_id.removeprefix('role:'):<{role_width}}  "
                f"{result.task:<{task_width}}  {result.total:7.1f}  {band:>13}  "
                f"{result.budget:6g}  {result.verdict}"
            )
    lines += ["", _summary_line(chosen),
              "cfglint budget PATH --explain ROLE TASK breaks a task down"]
    return "\n".join(lines) + "\n"


def _markdown(budget: OrgBudget, chosen: list[Estimate], root: str) -> str:
    lines = [f"# Update budget: {root}", "", _roles_line(budget).capitalize() + "."]
    for object_name, results in _by_object(chosen).items():
        lines += ["", f"## {object_name}", "",
                  "| role | task | seconds | band (±21 %) | budget | verdict | costliest fields |",
                  "|---|---|---:|---|---:|---|---|"]
        for result in results:
            costliest = ", ".join(f"{cost.field_id} ({cost.expected_seconds:.1f} s)"
                                  for cost in result.costliest(2))
            lines.append(
                f"| {result.role_id.removeprefix('role:')} | {result.task} | "
                f"{result.total:.1f} | {result.band[0]:.0f}–{result.band[1]:.0f} | "
                f"{result.budget:g} | {result.verdict} | {costliest} |"
            )
    lines += ["", _summary_line(chosen) + "."]
    return "\n".join(lines) + "\n"
