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
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cfglint import __version__
from cfglint.inventory import build_inventory, format_inventory_text
from cfglint.model import Org
from cfglint.output import write_text
from cfglint.readers import SOURCES, InputError, read

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

#: Show a progress bar when a project has at least this many files and stderr is a terminal.
PROGRESS_MIN_FILES = 300

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(command: F) -> F:
    """Turn expected errors into a message and exit code 2; never a traceback for those."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            click.echo(f"cfglint: error: {error.message}", err=True)
            if error.hint:
                click.echo(f"hint: {error.hint}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("cfglint: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            if os.environ.get("CFGLINT_DEBUG") == "1":
                traceback.print_exc()
            click.echo(
                f"cfglint: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in cfglint; please report it with the command you ran "
                "(CFGLINT_DEBUG=1 shows the traceback).",
                err=True,
            )
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def load_org(path: Path, source: str | None) -> Org:
    """Read a configuration, with a progress bar on a terminal for large projects."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return read(path, source)
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < PROGRESS_MIN_FILES:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="reading", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        return read(path, source, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


source_option = click.option(
    "--source",
    type=click.Choice(SOURCES),
    help="Force a reader instead of detecting the format from the path.",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of standard output.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    org = load_org(path, source)
    data = build_inventory(org, path.as_posix())
    if output_format == "json":
        text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    else:
        text = format_inventory_text(data, verbose=verbose)
    write_text(text, output)


def main() -> None:
    cli(prog_name="cfglint")
