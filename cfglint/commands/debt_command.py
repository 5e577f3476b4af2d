"""``cfglint debt PATH``: the customization-debt report (see :mod:`cfglint.reports`).

The command reads the project, builds the dependency graph, lints it with the project's
configuration (``--ruleset`` overrides the ruleset; suppressions apply, a baseline does not:
debt is everything that is there), prices the findings with :mod:`cfglint.debt` and writes the
report. On a terminal it says on standard error which step it is on, since graph and lint take a
while on large orgs. Exit code 0, or 1 with ``--fail-under N`` when the score is below ``N``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cfglint.budget import load_calibration
from cfglint.commands.common import handle_errors, load_org, output_option, source_option
from cfglint.commands.side_inputs import load_side_inputs, roles_option, usage_option
from cfglint.config import CommandLineOverrides, Settings, load_settings
from cfglint.debt import DebtAssessment, assess, load_constants
from cfglint.graph import build_graph
from cfglint.lint import lint
from cfglint.output import write_text
from cfglint.readers import InputError
from cfglint.reports import FORMATS, render


def say(message: str) -> None:
    """A progress line on standard error, only when a person is watching a terminal."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        click.echo(f"cfglint: {message}", err=True)


def _settings(path: Path, ruleset: str | None, config: Path | None) -> Settings:
    return load_settings(path, CommandLineOverrides(ruleset=ruleset, config=config))


def debt_assessment(
    path: Path, *, ruleset: str | None = None, config: Path | None = None,
    source: str | None = None, roles_file: Path | None = None, usage_file: Path | None = None,
) -> DebtAssessment:
    """Read, graph, lint and price the project at ``path``."""
    settings = _settings(path, ruleset, config)
    constants = load_constants(path, config)
    calibration = load_calibration(path, config)
    org = load_org(path, source)
    side_inputs = load_side_inputs(org, roles_file or settings.roles, usage_file or settings.usage)
    side_inputs.calibration = calibration
    say("building the dependency graph")
    graph = build_graph(org)
    say(f"running {len(settings.enabled)} rules")
    result = lint(org, settings, root=path.as_posix(), graph=graph, side_inputs=side_inputs)
    say(f"pricing {len(result.findings)} findings")
    titles = {rule_id: spec.summary for rule_id, spec in result.rules.items()}
    return assess(org, graph, result.findings, root=path.as_posix(), constants=constants,
                  suppressed=len(result.suppressed), rule_titles=titles)


@click.command("debt")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
    help="text for a terminal, md for a document, json for tools, html for a client.",
)
@output_option
@click.option("--ruleset", help="Built-in ruleset name or ruleset file (default: the project's).")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file (rules and the debt: section) instead of discovering one.",
)
@source_option
@click.option(
    "--fail-under", type=click.IntRange(0, 100),
    help="Exit 1 when the score is below this (0-100).",
)
@roles_option
@usage_option
@handle_errors
def debt_command(
    path: Path, output_format: str, output: Path | None, ruleset: str | None,
    config_file: Path | None, source: str | None, fail_under: int | None,
    roles_file: Path | None, usage_file: Path | None,
) -> None:
    """Customization-debt report for PATH: score, grade, hours, top risks, debt per object,
    hot spots, the automation map, and (with --format html) pictures."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    assessment = debt_assessment(path, ruleset=ruleset, config=config_file, source=source,
                                 roles_file=roles_file, usage_file=usage_file)
    write_text(render(assessment, output_format), output)
    if fail_under is not None and assessment.score < fail_under:
        click.echo(f"cfglint: score {assessment.score:.0f} is below {fail_under}", err=True)
        sys.exit(1)
