"""Where a lint's configuration comes from, found without reading it.

A lint answered from the cache must know which configuration file applies, and what the command
line overrides, before it decides that nothing changed, and it must find out cheaply: this module
imports nothing of cfglint's rules or schemas (:mod:`cfglint.config` reads and validates what is
found here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Configuration file names, looked for in the project folder and each folder above it.
CONFIG_NAMES = (".cfglint.yaml", ".cfglint.yml")

#: What ``--fail-on`` accepts: the lowest severity that fails the run, or never.
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


@dataclass
class CommandLineOverrides:
    """What the command line says about the settings; it wins over the configuration file."""

    ruleset: str | None = None
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    config: Path | None = None


def find_config(start: Path) -> Path | None:
    """The nearest ``.cfglint.yaml`` or ``pyproject.toml`` with ``[tool.cfglint]``, looking
    up from ``start`` and stopping at the repository root."""
    directory = (start if start.is_dir() else start.parent).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.cfglint]" in pyproject.read_text(
            encoding="utf-8", errors="replace"
        ):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None
