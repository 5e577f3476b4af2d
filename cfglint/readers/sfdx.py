"""SFDX source format: the project file and its package directories.

``sfdx-project.json`` names the package directories; the SFDX reader honours every entry. A
project without one (or whose entries do not exist) is still read: the walk in
:mod:`cfglint.readers.salesforce` finds metadata wherever it is, and the roots reported are the
folders that hold it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cfglint.model import Org, ProblemKind

PROJECT_FILE = "sfdx-project.json"


@dataclass
class SfdxProject:
    package_directories: list[str] = field(default_factory=list)
    existing_package_directories: list[str] = field(default_factory=list)
    api_version: str | None = None


def read_project(root: Path, org: Org) -> SfdxProject:
    """Package directories from ``sfdx-project.json``; problems recorded on the org."""
    project_file = root / PROJECT_FILE
    project = SfdxProject()
    if not project_file.is_file():
        return project
    try:
        document = json.loads(project_file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        org.problem(ProblemKind.ENCODING, "not valid UTF-8", PROJECT_FILE, 1)
        return project
    except json.JSONDecodeError as error:
        org.problem(
            ProblemKind.PARSE_ERROR, f"malformed JSON: {error.msg}", PROJECT_FILE,
            error.lineno, error.colno,
        )
        return project
    if not isinstance(document, dict):
        org.problem(ProblemKind.INVALID, "expected a JSON object", PROJECT_FILE, 1)
        return project
    entries = document.get("packageDirectories")
    if not isinstance(entries, list):
        entries = []
    for entry in entries:
        directory = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(directory, str) or not directory.strip():
            continue
        normalized = Path(directory.strip().rstrip("/")).as_posix().removeprefix("./")
        project.package_directories.append(normalized)
        if (root / normalized).is_dir():
            project.existing_package_directories.append(normalized)
        else:
            org.notes.append(
                f"{PROJECT_FILE}: package directory {normalized!r} does not exist; "
                "metadata elsewhere in the project is still read"
            )
    api_version = document.get("sourceApiVersion")
    project.api_version = api_version if isinstance(api_version, str) else None
    return project
