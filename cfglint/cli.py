"""The ``cfglint`` command line. Each command is thin: parse options, call the library, format.

Exit codes follow ruff: 0 nothing at or above the failure threshold, 1 findings, 2 a usage,
configuration or unreadable-input error. A user mistake never shows a Python traceback; an
internal error says so and asks for a report (``CFGLINT_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cfglint import __version__
from cfglint.cache import Answer, LintCache, cache_root, clean
from cfglint.commands.common import (
    EXIT_OK,
    handle_errors,
    load_org,
    output_option,
    source_option,
)
from cfglint.commands.lazy import LazyGroup
from cfglint.commands.side_inputs import load_side_inputs, roles_option, usage_option
from cfglint.config_files import FAIL_ON_CHOICES, CommandLineOverrides
from cfglint.errors import InputError
from cfglint.output import write_text

# Everything else is imported where it is used: a lint answered from the cache needs none of the
# rules, schemas, readers or formatters, and importing them costs more than the answer.
if TYPE_CHECKING:
    from cfglint.budget import Calibration
    from cfglint.config import Settings
    from cfglint.lint import LintResult


#: Commands in modules of their own, imported only when they run (see LazyGroup).
LAZY_COMMANDS = {
    "budget": "cfglint.commands.budget_command:budget_command",
    "debt": "cfglint.commands.debt_command:debt_command",
    "design": "cfglint.commands.design_command:design_command",
    "graph": "cfglint.commands.graph_commands:graph_command",
    "impact": "cfglint.commands.graph_commands:impact_command",
    "init": "cfglint.commands.init_command:init_command",
    "pull": "cfglint.commands.pull_command:pull_group",
}


@click.group(
    cls=LazyGroup, lazy_commands=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="cfglint")
def cli() -> None:
    """Lint CRM configuration (Salesforce, HubSpot) and design the minimum viable
    configuration for launch.

    Start with `cfglint inventory PATH` to see what cfglint understood of a project.
    """


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="Output format.",
)
@source_option
@output_option
@click.option("-v", "--verbose", is_flag=True, help="List every object and every file skipped.")
@handle_errors
def inventory(
    path: Path, output_format: str, source: str | None, output: Path | None, verbose: bool
) -> None:
    """Show what was read from PATH: format, files, elements per kind and per object, files
    not analysed and why, and problems with their locations."""
    from cfglint.inventory import build_inventory, format_inventory_text

    org = load_org(path, source)
    data = build_inventory(org, path.as_posix())
    if output_format == "json":
        text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    else:
        text = format_inventory_text(data, verbose=verbose)
    write_text(text, output)


# --- lint ---------------------------------------------------------------------------------------

LINT_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")

#: Files whose presence marks a project root when cfglint is given file names (pre-commit).
PROJECT_MARKERS = ("sfdx-project.json", ".cfglint.yaml", ".cfglint.yml")


def project_root_of(paths: list[Path]) -> Path:
    """The project a set of files belongs to: the nearest folder with a project marker, else
    the repository root, else the files' common folder."""
    start = Path(os.path.commonpath([str(path.resolve()) for path in paths]))
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
        if (folder / ".git").exists():
            return folder
    return start


def resolve_targets(paths: tuple[Path, ...]) -> tuple[Path, list[str] | None]:
    """(project to read, files to report on or None for all) from the PATH arguments."""
    if not paths:
        return Path("."), None
    missing = [path for path in paths if not path.exists()]
    if missing:
        raise InputError(f"{missing[0]}: no such file or directory")
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0], None
    if any(path.is_dir() for path in paths):
        raise InputError(
            "give one project directory, or file names inside one project (as pre-commit does)"
        )
    if len(paths) == 1 and paths[0].suffix in (".yaml", ".yml"):
        return paths[0], None
    root = project_root_of(list(paths))
    relative = [path.resolve().relative_to(root).as_posix() for path in paths]
    return root, relative


def split_selectors(values: tuple[str, ...]) -> list[str]:
    """``--select REQ001,VIEW --select DATA`` -> ``["REQ001", "VIEW", "DATA"]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _settings(path: Path, overrides: CommandLineOverrides) -> Settings:
    from cfglint.config import load_settings

    return load_settings(path, overrides)


def _lint_cold(
    project: Path, settings: Settings, source: str | None, roles: Path | None,
    usage: Path | None, config_file: Path | None, baseline: Path | None,
    only_files: list[str] | None,
) -> LintResult:
    """Read, graph and check the project (what the cache saves on an unchanged project)."""
    from cfglint.graph import build_graph
    from cfglint.lint import lint as run_lint

    org = load_org(project, source)
    side_inputs = load_side_inputs(org, roles, usage)
    side_inputs.calibration = _calibration(project, config_file)
    known = _read_baseline(baseline) if baseline else None
    return run_lint(org, settings, root=project.as_posix(), only_paths=only_files,
                    baseline=known, graph=build_graph(org), side_inputs=side_inputs)


def _calibration(project: Path, config_file: Path | None) -> Calibration:
    from cfglint.budget import load_calibration

    return load_calibration(project, config_file)


def _default_format(output_format: str | None) -> str:
    if output_format:
        return output_format
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(LINT_FORMATS),
    help="Output format [default: text; github under GITHUB_ACTIONS=true].",
)
@output_option
@click.option("--ruleset", help="Built-in ruleset name or ruleset file (default: default).")
@click.option(
    "--select", multiple=True,
    help="Run only these rules: ids, dotted names or prefixes, comma-separated or repeated.",
)
@click.option("--extend-select", multiple=True, help="Also run these rules (same forms).")
@click.option("--ignore", multiple=True, help="Do not run these rules (same forms).")
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON_CHOICES),
    help="Lowest severity that makes the exit code 1 [default: error].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file instead of discovering .cfglint.yaml.",
)
@click.option(
    "--baseline", type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
    help="Record today's findings in FILE (then exit 0).",
)
@roles_option
@usage_option
@source_option
@click.option(
    "--no-cache", is_flag=True,
    help="Read and check everything, ignoring (and not updating) the cache in .cfglint_cache/.",
)
@handle_errors
def lint(
    paths: tuple[Path, ...], output_format: str | None, output: Path | None,
    ruleset: str | None, select: tuple[str, ...], extend_select: tuple[str, ...],
    ignore: tuple[str, ...], fail_on: str | None, exit_zero: bool, config_file: Path | None,
    baseline: Path | None, write_baseline: Path | None, roles_file: Path | None,
    usage_file: Path | None, source: str | None, no_cache: bool,
) -> None:
    """Lint the configuration at PATH (a project directory, or file names inside one project:
    the whole project is read and only findings in those files are reported).

    An unchanged project is answered from .cfglint_cache/ (see `cfglint clean`)."""
    project, only_files = resolve_targets(paths)
    output_format = _default_format(output_format)
    overrides = CommandLineOverrides(
        ruleset=ruleset, select=split_selectors(select),
        extend_select=split_selectors(extend_select), ignore=split_selectors(ignore),
        fail_on=fail_on, config=config_file,
    )
    run = _LintRun(project, overrides, source, roles_file, usage_file, only_files)
    if write_baseline:
        count = _write_baseline(run.result(baseline=None), write_baseline)
        click.echo(f"wrote {count} baseline entries to {write_baseline}", err=True)
        return
    request = {
        **vars(overrides), "format": output_format, "exit_zero": exit_zero,
        "baseline": baseline, "roles": roles_file, "usage": usage_file, "source": source,
        "only": only_files,
    }
    cache = None if no_cache else LintCache.open(project, request)
    answer = cache.load() if cache else None
    if answer is None:
        result = run.result(baseline=baseline or run.settings.baseline)
        from cfglint.formatters import format_result

        answer = Answer(format_result(result, output_format),
                        EXIT_OK if exit_zero else result.exit_code(run.settings.fail_on))
        if cache:
            cache.store(answer, run.inputs)
    write_text(answer.output, output)
    sys.exit(answer.exit_code)


@dataclass
class _LintRun:
    """A lint that reads the project: settings loaded on first use (a cached answer needs
    none), and the files they came from, which the cache entry records."""

    project: Path
    overrides: CommandLineOverrides
    source: str | None
    roles_file: Path | None
    usage_file: Path | None
    only_files: list[str] | None
    inputs: list[Path | str | None] = field(default_factory=list)

    @functools.cached_property
    def settings(self) -> Settings:
        return _settings(self.project, self.overrides)

    def result(self, baseline: Path | None) -> LintResult:
        settings = self.settings
        roles = self.roles_file or settings.roles
        usage = self.usage_file or settings.usage
        self.inputs = [settings.config_file, *settings.ruleset.sources, roles, usage, baseline]
        return _lint_cold(self.project, settings, self.source, roles, usage,
                          self.overrides.config, baseline, self.only_files)


def _write_baseline(result: LintResult, path: Path) -> int:
    from cfglint.suppress import write_baseline

    return write_baseline(result.findings, path)


def _read_baseline(path: Path | None) -> Any:
    if path is None:
        return None
    from cfglint.suppress import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as error:
        raise InputError(str(error)) from None


@cli.command("clean")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), default=".")
@handle_errors
def clean_command(path: Path) -> None:
    """Remove the cache of the project at PATH (.cfglint_cache/, or $CFGLINT_CACHE_DIR)."""
    removed = clean(path)
    click.echo(f"removed {removed}" if removed else f"no cfglint cache at {cache_root(path)}")


# --- rules, config -------------------------------------------------------------------------------


@cli.command()
@click.argument("rule", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True,
)
@handle_errors
def rules(rule: str | None, output_format: str) -> None:
    """List the built-in rules, or explain RULE (an id or dotted name)."""
    from cfglint.docs import explain_rule, rule_summary
    from cfglint.rules import all_rules, resolve_rule
    from cfglint.rulesets import did_you_mean

    if rule is None:
        specs = list(all_rules().values())
        if output_format == "json":
            click.echo(json.dumps([rule_summary(spec) for spec in specs], indent=2))
            return
        for spec in specs:
            marker = "" if spec.recommended else "  (opt-in)"
            click.echo(f"{spec.id:<8} {spec.name:<40} {spec.severity.value:<8} "
                       f"{spec.summary}{marker}")
        return
    found = resolve_rule(rule)
    if found is None:
        raise InputError(f"unknown rule {rule!r}{did_you_mean(rule)}", "cfglint rules lists them")
    spec = found
    if output_format == "json":
        click.echo(json.dumps({**rule_summary(spec), "doc": spec.doc}, indent=2))
    else:
        click.echo(explain_rule(spec))


@cli.group()
def config() -> None:
    """Inspect the effective configuration."""


@config.command("show")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--ruleset", help="Built-in ruleset name or ruleset file.")
@click.option(
    "--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file instead of discovering one.",
)
@handle_errors
def config_show(path: Path, ruleset: str | None, config_file: Path | None) -> None:
    """Print the configuration a lint of PATH would use, as JSON."""
    settings = _settings(path, CommandLineOverrides(ruleset=ruleset, config=config_file))
    click.echo(json.dumps(settings.as_dict(), indent=2))


def main() -> None:
    cli(prog_name="cfglint")


