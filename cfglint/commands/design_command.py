"""``cfglint design PATH --roles roles.yaml -o OUTDIR``: the minimum viable launch configuration.

The command reads the project and the roles file (and usage data when given), computes the
launch configuration with :func:`cfglint.design.design`, and writes ``launch.yaml``,
``phase2.yaml``, ``plan.md`` and ``plan.json`` into OUTDIR (docs/design.md); for Salesforce
inputs also ``patch/``, the changed metadata files ready to deploy. The input is only read.
OUTDIR must be empty or not exist; with ``--force`` only the files this command writes are
replaced, and nothing else in OUTDIR is touched. Exit code 0, or 2 for bad input.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from cfglint.budget import load_calibration
from cfglint.commands.common import handle_errors, load_org, source_option
from cfglint.config import CommandLineOverrides, load_settings
from cfglint.design import SOLVERS, Design, design, with_budget
from cfglint.readers import InputError
from cfglint.readers.roles import load_roles
from cfglint.readers.usage import load_usage
from cfglint.writers.design_plan import OUTPUT_FILES, figures, write_design

#: What --force may replace besides the four files: the patch directory.
PATCH_DIR = "patch"
SALESFORCE_FORMATS = ("sfdx", "mdapi", "sfdx+mdapi")


def say(message: str) -> None:
    """A progress line on standard error, only when a person is watching a terminal."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        click.echo(f"cfglint: {message}", err=True)


@click.command("design")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--roles", "roles_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Roles file (roles.yaml): who uses the CRM, what each role needs and from which stage.",
)
@click.option(
    "--usage", "usage_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Usage file (usage.json): fill rates pick the nice-to-have fields.",
)
@click.option(
    "--budget", "budget_seconds", type=click.FloatRange(min=0, min_open=True),
    help="Seconds a role may spend to create a record or move it to a stage [default: 120, "
         "or the configuration's budget: section].",
)
@click.option(
    "-o", "--output", "out_dir", required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write launch.yaml, phase2.yaml, plan.md, plan.json (and patch/) into; "
         "it must be empty or not exist.",
)
@click.option("--force", is_flag=True,
              help="Write into a non-empty OUTDIR, replacing only the files design writes.")
@click.option("--solver", type=click.Choice(SOLVERS), default="auto", show_default=True,
              help="How nice-to-haves are chosen: milp (exact, needs scipy), greedy, or auto.")
@source_option
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file (its budget: section and rules) instead of discovering one.",
)
@handle_errors
def design_command(
    path: Path, roles_file: Path, usage_file: Path | None, budget_seconds: float | None,
    out_dir: Path, force: bool, solver: str, source: str | None, config_file: Path | None,
) -> None:
    """Design the minimum viable launch configuration of PATH for the roles in --roles: each
    role's must-have fields on a view of its own, required only from the stage where they are
    known, everything else deferred to phase 2 with a reason (docs/design.md)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    _check_output(out_dir, force)
    settings, calibration = _configuration(path, config_file)
    say("reading the project")
    org = load_org(path, source)
    roles = load_roles(roles_file, org)
    for note in roles.notes:
        click.echo(f"cfglint: warning: {note}", err=True)
    usage = load_usage(usage_file) if usage_file is not None else None
    say("designing the launch configuration")
    try:
        result = design(org, roles, usage=usage, budget_seconds=budget_seconds,
                        calibration=calibration, solver=solver)
    except ValueError as error:
        raise InputError(str(error)) from None
    say("measuring before and after")
    numbers = figures(result, calibration=with_budget(calibration, budget_seconds),
                      usage=usage, settings=settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = write_design(result, out_dir, numbers)
    written += _write_patch(result, out_dir, force)
    for note in result.notes:
        click.echo(f"cfglint: note: {note}", err=True)
    click.echo(f"wrote {', '.join(item.relative_to(out_dir).as_posix() for item in written)} "
               f"to {out_dir} (solver: {result.solver}; {len(result.deferred)} deferred)",
               err=True)


def _check_output(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise InputError(f"{out_dir} is not empty",
                         "give an empty or new directory, or --force to replace the files "
                         f"design writes ({', '.join(OUTPUT_FILES)}, {PATCH_DIR}/)")


def _configuration(path: Path, config: Path | None) -> tuple[Any, Any]:
    settings = load_settings(path, CommandLineOverrides(config=config))
    return settings, load_calibration(path, config)


def _write_patch(result: Design, out_dir: Path, force: bool) -> list[Path]:
    """``patch/`` for Salesforce metadata inputs: the changed metadata, ready to deploy."""
    if result.source.source_format not in SALESFORCE_FORMATS:
        return []
    from cfglint.writers.salesforce_patch import PatchError, write_patch

    try:
        write_patch(result, out_dir / PATCH_DIR, force=force)
    except PatchError as error:
        raise InputError(f"cannot write {out_dir / PATCH_DIR}: {error}") from None
    return [out_dir / PATCH_DIR]
