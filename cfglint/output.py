"""Writing reports: to standard output, or atomically to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click


def write_text(text: str, destination: Path | None) -> None:
    """Print ``text``, or write it to ``destination`` through a temporary file and a rename,
    so a reader of the file never sees half a report."""
    if destination is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    directory = destination.parent if str(destination.parent) else Path(".")
    if not directory.is_dir():
        raise click.UsageError(f"cannot write {destination}: {directory} is not a directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
