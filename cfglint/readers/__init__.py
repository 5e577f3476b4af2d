"""Readers: turn a configuration on disk into one :class:`~cfglint.model.Org`.

``detect(path)`` says which reader fits a path; ``read(path)`` reads it. Every reader records
problems with a file and line and goes on; only a path that holds no CRM configuration at all is an
:class:`InputError` (exit code 2).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cfglint.allocation import bulk_allocation
from cfglint.errors import InputError as InputError

if TYPE_CHECKING:
    from cfglint.model import Org

SOURCES = ("salesforce", "hubspot", "yaml")


ProgressCallback = Callable[[int, int], None]


def detect(path: Path) -> str:
    """Which reader a path needs: ``salesforce``, ``hubspot`` or ``yaml``."""
    from cfglint.readers import hubspot, native, salesforce

    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_file():
        if native.is_native_file(path):
            return "yaml"
        raise InputError(
            f"{path}: not a configuration cfglint reads",
            "pass a Salesforce project directory (SFDX or Metadata API), a HubSpot snapshot "
            "directory, or a cfglint YAML file (.yaml / .yml)",
        )
    if native.looks_like_native(path):
        return "yaml"
    if hubspot.looks_like_hubspot(path):
        return "hubspot"
    if salesforce.looks_like_salesforce(path):
        return "salesforce"
    raise InputError(
        f"{path}: no CRM configuration found",
        "expected sfdx-project.json, package.xml, *-meta.xml metadata files, a HubSpot snapshot "
        "(manifest.json, properties/*.json), or cfglint YAML "
        "(a file with a top-level 'cfglint:' key); use --source to force a reader",
    )


@bulk_allocation
def read(path: Path, source: str | None = None, progress: ProgressCallback | None = None) -> Org:
    """Read a configuration; ``source`` forces a reader instead of detecting one."""
    from cfglint.readers import native, salesforce

    chosen = source or detect(path)
    if chosen == "salesforce":
        if not path.is_dir():
            raise InputError(f"{path}: a Salesforce project is a directory")
        return salesforce.read_salesforce(path, progress)
    if chosen == "yaml":
        return native.read_native(path)
    if chosen == "hubspot":
        from cfglint.readers import hubspot

        if not path.is_dir():
            raise InputError(f"{path}: a HubSpot snapshot is a directory",
                             "see docs/hubspot-snapshot.md")
        return hubspot.read_hubspot(path)
    raise InputError(f"unknown source {chosen!r}", f"choose one of: {', '.join(SOURCES)}")
