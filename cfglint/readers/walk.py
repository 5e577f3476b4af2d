"""The walk over a project's files that the readers and the lint cache share.

Kept apart from the Salesforce reader so that the cache can stamp a project's files without
importing the reader (and lxml, and the model): a lint answered from the cache does only this.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

#: Directory names never walked: tool state and dependencies, not the project's metadata.
EXCLUDED_DIRECTORIES = frozenset({"node_modules", "__pycache__", ".git", ".sfdx", ".sf"})


def walk_files(root: Path) -> Iterator[tuple[str, str]]:
    """(relative POSIX path, absolute path) of every file, in sorted order, directories that
    are tool state or dependencies left out. Strings, not ``Path`` objects: this runs once per
    file of a large project."""
    pending = [(os.fspath(root), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in EXCLUDED_DIRECTORIES and not entry.name.startswith("."):
                    subdirectories.append((entry.path, prefix + entry.name + "/"))
            elif entry.is_file():
                yield prefix + entry.name, entry.path
        pending.extend(reversed(subdirectories))
