"""Answer an unchanged project from the last run's report.

A pre-commit hook or a CI job lints the same repository again and again, mostly unchanged. Before
reading anything, ``cfglint lint`` computes two fingerprints:

- the **request key**: cfglint's version and its modules' stamps, the project's path, every
  command-line option (output format included) and the configuration file that applies;
- the **project stamp**: every file under the project (the same walk the reader does) by
  relative path and a digest of its content.

An entry ``<cache>/lint/<request key>.json`` holds the project stamp it was made from, the files
the run's settings came from besides the project (ruleset files, roles, usage and baseline files,
each by path, size and modification time), and the report with its exit code. When all of them
match, the report is printed as stored, and nothing is read, graphed or checked, nor are the rules
and schemas even imported; otherwise the run goes ahead and replaces the entry.

Content digests rather than modification times decide the project stamp, so a checkout that only
touches files (``git checkout``, a fresh CI clone with a restored cache) is still answered. Hashing
every file on every run would cost as much as reading the project, so a manifest per project
(``<cache>/files/<project>.json``) remembers each file's size, modification time and digest, and
only files whose size or time changed are read and hashed again.

At most :data:`MAX_ENTRIES` entries are kept, the oldest removed first. Entries and manifests
are plain JSON checked field by field on load: a corrupt, truncated or
foreign one is ignored and rewritten, never trusted, and writing is atomic. The cache lives in
``.cfglint_cache/`` at the project root (or ``$CFGLINT_CACHE_DIR``), tagged with ``CACHEDIR.TAG``
and a ``.gitignore`` so that backups and git leave it alone; ``cfglint clean`` removes it and
``--no-cache`` bypasses it.
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

CACHE_DIRECTORY = ".cfglint_cache"
ENTRY_VERSION = 2
#: Entries kept per cache; the least recently written go first. Pre-commit runs name their
#: staged files, so every commit's selection is an entry of its own.
MAX_ENTRIES = 64
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


def request_key(project: Path, request: Mapping[str, Any]) -> str:
    """A digest of everything that decides a lint's report before any file is read: cfglint
    itself, the project's path, the options as given and the configuration file that applies
    (found afresh on every run, so that a new ``.cfglint.yaml`` is seen)."""
    from cfglint.config_files import find_config

    explicit = request.get("config")
    document = {
        "cfglint": __version__,
        "code": _code_stamp(),
        "entry": ENTRY_VERSION,
        "project": str(project.resolve()),
        "request": {name: _plain(value) for name, value in sorted(request.items())},
        "config": str(explicit or find_config(project) or ""),
    }
    encoded = json.dumps(document, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def project_stamp(project: Path, root: Path) -> str:
    """A digest of every file under ``project`` by relative path and content. The project's
    manifest in the cache ``root`` spares hashing files whose size and modification time are
    as recorded (and is brought up to date)."""
    if project.is_file():
        return hashlib.sha256(_content_digest(str(project)).encode()).hexdigest()
    from cfglint.readers.walk import walk_files  # the reader's own walk and exclusions

    manifest = _Manifest.load(root, project)
    digest = hashlib.sha256()
    # The walk leaves out hidden directories, the cache among them.
    for relative, absolute in walk_files(project):
        content = manifest.digest(relative, absolute)
        if content is not None:
            digest.update(f"{relative}\0{content}\n".encode())
    manifest.save()
    return digest.hexdigest()


@dataclass(frozen=True)
class Answer:
    """A stored report: the text as printed and the exit code it came with."""

    output: str
    exit_code: int


@dataclass(frozen=True)
class LintCache:
    """The cache entry of one request (one project, one set of options)."""

    root: Path
    key: str
    stamp: str

    @classmethod
    def open(cls, project: Path, request: Mapping[str, Any]) -> LintCache:
        root = cache_root(project)
        return cls(root, request_key(project, request), project_stamp(project, root))

    @property
    def entry_path(self) -> Path:
        return self.root / "lint" / f"{self.key}.json"

    def load(self) -> Answer | None:
        """The stored answer when the project and the settings' files are unchanged, else
        None (also when the entry is unreadable or malformed)."""
        try:
            entry = json.loads(self.entry_path.read_text(encoding="utf-8"))
            if entry.get("version") != ENTRY_VERSION or entry.get("stamp") != self.stamp:
                return None
            inputs, output, exit_code = entry["inputs"], entry["output"], entry["exit"]
            if not isinstance(output, str) or exit_code not in (0, 1):
                return None
            if not isinstance(inputs, dict) or any(
                _file_stamp(Path(name)) != stamp for name, stamp in inputs.items()
            ):
                return None
            return Answer(output, exit_code)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store(self, answer: Answer, inputs: Iterable[Path | str | None]) -> None:
        """Write the entry atomically; ``inputs`` are the files the settings came from. A cache
        that cannot be written is silently skipped: the run's output does not depend on it."""
        entry = {
            "version": ENTRY_VERSION,
            "stamp": self.stamp,
            "inputs": {str(name): _file_stamp(Path(name)) for name in inputs if name},
            "output": answer.output,
            "exit": answer.exit_code,
        }
        text = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        try:
            _prepare(self.root)
            self.entry_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.entry_path, text)
            _prune(self.entry_path.parent, MAX_ENTRIES)
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


# --- the manifest of a project's files -----------------------------------------------------------


@dataclass
class _Manifest:
    """relative path -> [size, modification time in ns, content digest] for one project."""

    path: Path
    known: dict[str, list[Any]]
    changed: bool = False

    @classmethod
    def load(cls, root: Path, project: Path) -> _Manifest:
        name = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:32]
        path = root / "files" / f"{name}.json"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            known = document["files"] if document.get("version") == ENTRY_VERSION else {}
            if not isinstance(known, dict):
                known = {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            known = {}
        return cls(path, known)

    def digest(self, relative: str, absolute: str) -> str | None:
        """The file's content digest, from the manifest when its size and time match; None
        for a file that vanished or cannot be read."""
        try:
            status = os.stat(absolute)
        except OSError:
            return None
        recorded = self.known.get(relative)
        if (isinstance(recorded, list) and len(recorded) == 3
                and recorded[0] == status.st_size and recorded[1] == status.st_mtime_ns
                and isinstance(recorded[2], str)):
            return recorded[2]
        try:
            content = _content_digest(absolute)
        except OSError:
            return None
        self.known[relative] = [status.st_size, status.st_mtime_ns, content]
        self.changed = True
        return content

    def save(self) -> None:
        if not self.changed:
            return
        text = json.dumps({"version": ENTRY_VERSION, "files": self.known},
                          separators=(",", ":"))
        try:
            _prepare(self.path.parent.parent)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.path, text)
        except OSError:
            return


def _content_digest(absolute: str) -> str:
    with open(absolute, "rb") as stream:
        return hashlib.blake2b(stream.read(), digest_size=16).hexdigest()


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
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return [str(item) for item in value]
    return value


def _prune(directory: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently written entries."""
    entries = sorted(directory.glob("*.json"), key=lambda path: path.stat().st_mtime_ns,
                     reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


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
