"""Live pulls: snapshot a CRM's configuration into a directory every command reads offline.

The shared parts live here: :mod:`cfglint.pull.snapshot` (the atomic snapshot writer, which
also redacts secrets) and :mod:`cfglint.pull.retry` (when and how long to wait before asking
again). Each vendor has a module of its own (:mod:`cfglint.pull.hubspot`,
:mod:`cfglint.pull.salesforce`); the commands are in ``cfglint/commands/pull_*.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cfglint.readers import InputError


class PullError(InputError):
    """A pull that cannot go on: one line saying what to fix (exit code 2)."""


@dataclass
class PullSummary:
    """What a finished pull reports: where the snapshot is, what it holds, what it cost."""

    destination: Path
    counts: dict[str, int]
    calls: int
    retries: int
    skipped: list[tuple[str, str]]
