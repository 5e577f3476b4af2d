"""Answer an unchanged project from the last run's findings.

A pre-commit hook or a CI job lints the same repository again and again, mostly unchanged. Before
reading anything, ``cfglint lint`` computes two fingerprints:

- the **run key**: cfglint's version and its modules' stamps, the forced reader, the
  effective settings (ruleset, rule severities and options, ignores), the files those settings
  came from (configuration, ruleset files), the side inputs (roles, usage, calibration through
  the configuration file), the baseline and the file filter, each file by path, size and
  modification time;
- the **project stamp**: every file under the project (the same walk the reader does) by
  relative path, size and modification time in nanoseconds.

An entry ``<cache>/lint/<run key>.json`` holds the project stamp it was made from and the lint
result. When the stamps match, the result is formatted and nothing is read, graphed or checked;
otherwise the run goes ahead and replaces the entry. Entries are plain JSON checked field by
field on load: a corrupt, truncated or foreign entry is ignored and rewritten, never trusted,
and writing is atomic. The cache lives in ``.cfglint_cache/`` at the project root (or
``$CFGLINT_CACHE_DIR``), tagged with ``CACHEDIR.TAG`` and a ``.gitignore`` so that backups and git
leave it alone; ``cfglint clean`` removes it and ``--no-cache`` bypasses it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cfglint import __version__
from cfglint.config import Settings
from cfglint.formatters.json_format import finding_document, finding_from_document
from cfglint.lint import LintResult

CACHE_DIRECTORY = ".cfglint_cache"
ENTRY_VERSION = 1
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by cfglint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def cache_root(project: Path) -> Path:
    """Where the cache of ``project`` lives: ``$CFGLINT_CACHE_DIR`` or ``.cfglint_cache``."""
    configured = os.environ.get("CFGLINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = project if project.is_dir() else project.parent
    return base / CACHE_DIRECTORY


def project_stamp(project: Path) -> str:
    """A digest of every file under ``project`` (path, size, modification time)."""
    digest = hashlib.sha256()
    if project.is_file():
        digest.update(_file_stamp(project).encode())
        return digest.hexdigest()
    from cfglint.readers.salesforce import walk_files  # the reader's own walk and exclusions

    # The walk leaves out hidden directories, the cache among them.
    for relative, absolute in walk_files(project):
        try:
            status = os.stat(absolute)
        except OSError:
            continue
        digest.update(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_key(settings: Settings, **inputs: Any) -> str:
    """A digest of everything besides the project's files that decides a lint's result."""
    files: list[str | Path | None] = [settings.config_file, *settings.ruleset.sources]
    files += [value for value in inputs.values() if isinstance(value, Path)]
    document = {
        "cfglint": __version__,
        "code": _code_stamp(),
        "entry": ENTRY_VERSION,
        "settings": settings.as_dict(),
        "inputs": {name: _plain(value) for name, value in sorted(inputs.items())},
        "files": sorted({_file_stamp(Path(name)) for name in files if name}),
    }
    encoded = json.dumps(document, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class LintCache:
    """The cache entry of one run (one project, one set of settings and inputs)."""

    root: Path
    key: str
    stamp: str

    @property
    def entry_path(self) -> Path:
        return self.root / "lint" / f"{self.key}.json"

    def load(self, settings: Settings) -> LintResult | None:
        """The cached result when the project is unchanged, else None (also when unreadable)."""
        try:
            entry = json.loads(self.entry_path.read_text(encoding="utf-8"))
            if entry.get("version") != ENTRY_VERSION or entry.get("stamp") != self.stamp:
                return None
            return _result_from(entry["result"], settings)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store(self, result: LintResult) -> None:
        """Write the entry atomically; a cache that cannot be written is silently skipped,
        since the run's own output does not depend on it."""
        # Findings are written as the JSON format writes them, so their data is plain JSON.
        entry = {"version": ENTRY_VERSION, "stamp": self.stamp, "result": _result_to(result)}
        text = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        try:
            _prepare(self.root)
            self.entry_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.entry_path, text)
        except OSError:
            return


def clean(project: Path) -> Path | None:
    """Remove the cache of ``project``; return what was removed (None when there was none).

    Only a directory cfglint made (it has our CACHEDIR.TAG) is removed."""
    root = cache_root(project)
    tag = root / "CACHEDIR.TAG"
    if not root.is_dir() or not tag.is_file() or "cfglint" not in tag.read_text(errors="ignore"):
        return None
    shutil.rmtree(root)
    return root


# --- serialising results -------------------------------------------------------------------------


def _result_to(result: LintResult) -> dict[str, Any]:
    return {
        "root": result.root,
        "findings": [finding_document(finding) for finding in result.findings],
        "suppressed": [[finding_document(finding), kind] for finding, kind in result.suppressed],
        "skipped_rules": result.skipped_rules,
        "files_read": result.files_read,
    }


def _result_from(data: Mapping[str, Any], settings: Settings) -> LintResult:
    return LintResult(
        root=str(data["root"]),
        findings=[finding_from_document(item) for item in data["findings"]],
        rules={rule_id: rule.spec for rule_id, rule in settings.enabled.items()},
        suppressed=[(finding_from_document(item), str(kind)) for item, kind in data["suppressed"]],
        skipped_rules={str(key): str(value) for key, value in data["skipped_rules"].items()},
        files_read=int(data["files_read"]),
    )


# --- files ---------------------------------------------------------------------------------------


@functools.cache
def _code_stamp() -> str:
    """cfglint's own modules by size and modification time: an edited rule in a development
    install (same version number) must not be answered from results of the old code."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml"):
            status = path.stat()
            digest.update(f"{path.relative_to(package)}:{status.st_size}:"
                          f"{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _file_stamp(path: Path) -> str:
    try:
        status = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path.resolve()}:{status.st_size}:{status.st_mtime_ns}"


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return _file_stamp(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return sorted(str(item) for item in value)
    return value


def _prepare(root: Path) -> None:
    """Create the cache directory with its tag and a .gitignore that ignores everything."""
    if (root / "CACHEDIR.TAG").is_file():
        return
    root.mkdir(parents=True, exist_ok=True)
    (root / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, encoding="utf-8")
    (root / ".gitignore").write_text("# Created by cfglint.\n*\n", encoding="utf-8")


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
