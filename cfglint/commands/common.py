"""What every command shares: exit codes, error handling, reading with progress, common options.

Command modules import from here, never from :mod:`cfglint.cli`, so that ``cfglint.cli`` can
import and register every command module without an import cycle.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cfglint.errors import InputError, RulesetError
from cfglint.readers import SOURCES

if TYPE_CHECKING:
    from cfglint.model import Org

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
        except RulesetError as error:  # a ruleset or configuration that cannot be used
            click.echo(f"cfglint: error: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("cfglint: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # the last line of defence: no traceback for users
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
    from cfglint.readers import read

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


def progress_printer() -> Callable[[str], None] | None:
    """Status lines on a terminal; nothing in CI or when stderr is redirected."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def say(message: str) -> None:
        click.echo(f"cfglint: {message}…", err=True)

    return say
