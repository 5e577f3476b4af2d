"""Writing a snapshot directory so that a failed pull never damages the previous one.

A pull writes into a temporary directory beside the destination. Only when every request has
succeeded is ``manifest.json`` written and the directory moved into place; an exception
anywhere removes the temporary directory and leaves the previous snapshot byte-identical.

Every byte goes through :func:`redact` first, so an access token echoed by a server (an error
body, a URL with a query string) never reaches the disk.

Two renames replace an existing snapshot (old one aside, new one in, old one removed): POSIX
has no portable way to swap two directories in one step. If the second rename fails, the old
snapshot is moved back.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from cfglint import __version__

SNAPSHOT_FORMAT = "cfglint-snapshot"
SNAPSHOT_VERSION = 1
MANIFEST = "manifest.json"
REDACTED = "***REDACTED***"
#: Manifest keys the writer fills itself; ``set`` may not override them.
RESERVED_KEYS = frozenset({"format", "version", "source", "pulled_at", "cfglint_version",
                           "counts", "skipped", "calls"})


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of every (non-empty) secret replaced by ``***REDACTED***``.

    Longer secrets go first, so one that contains another is replaced whole.
    """
    for secret in sorted({secret for secret in secrets if secret}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def redact_bytes(data: bytes, secrets: Iterable[str]) -> bytes:
    """:func:`redact` for bytes: the UTF-8 encoding of each secret is replaced."""
    for secret in sorted({secret for secret in secrets if secret}, key=len, reverse=True):
        data = data.replace(secret.encode("utf-8"), REDACTED.encode("utf-8"))
    return data


def dump_json(data: Any) -> str:
    """The one JSON layout of snapshot files: sorted keys, two-space indent, final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def utc_timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_snapshot(directory: Path) -> bool:
    """Whether ``directory`` holds a cfglint snapshot (its manifest says so)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == SNAPSHOT_FORMAT


def replaceable(destination: Path) -> bool:
    """A missing or empty directory, or one holding a cfglint snapshot: what a pull may
    replace without --force."""
    if not destination.exists():
        return True
    if not destination.is_dir():
        return False
    return not any(destination.iterdir()) or is_snapshot(destination)


class SnapshotWriter:
    """``with SnapshotWriter(path, source="hubspot", secrets=[token]) as writer: ...``"""

    def __init__(self, destination: Path, source: str, secrets: Iterable[str] = (),
                 now: Callable[[], str] = utc_timestamp) -> None:
        self.destination = Path(destination).resolve()  # "." and "snap/" have a usable name
        self.source = source
        self.secrets = [secret for secret in secrets if secret]
        self.now = now
        self.counts: dict[str, int] = {}
        self.skipped: list[dict[str, str]] = []
        self.calls = 0
        self.extras: dict[str, Any] = {}
        self._temporary: Path | None = None

    # -- what a pull calls ----------------------------------------------------------------

    def write_json(self, relative_path: str, data: Any) -> None:
        self.write_bytes(relative_path, dump_json(data).encode("utf-8"))

    def write_bytes(self, relative_path: str, data: bytes) -> None:
        target = self._target(relative_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(redact_bytes(data, self.secrets))

    def count(self, kind: str, n: int) -> None:
        """Add ``n`` to the manifest's count of ``kind`` (call once, or once per page)."""
        self.counts[kind] = self.counts.get(kind, 0) + n

    def skip(self, what: str, why: str) -> None:
        """Record something not pulled, and why; the manifest lists them."""
        self.skipped.append({"what": redact(what, self.secrets), "why": redact(why, self.secrets)})

    def note_call(self) -> None:
        """Count one HTTP request (retries included)."""
        self.calls += 1

    def set(self, key: str, value: Any) -> None:
        """A manifest extra such as ``api_base_url``; the writer's own keys are refused."""
        if key in RESERVED_KEYS:
            raise ValueError(f"manifest key {key!r} is filled by the snapshot writer")
        self.extras[key] = value

    def manifest(self) -> dict[str, Any]:
        return {
            **self.extras,
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "source": self.source,
            "pulled_at": self.now(),
            "cfglint_version": __version__,
            "counts": dict(sorted(self.counts.items())),
            "skipped": sorted(self.skipped, key=lambda entry: (entry["what"], entry["why"])),
            "calls": self.calls,
        }

    # -- the temporary directory and the swap ---------------------------------------------

    def __enter__(self) -> SnapshotWriter:
        if self.destination.exists() and not self.destination.is_dir():
            raise FileExistsError(f"{self.destination} exists and is not a directory")
        parent = self.destination.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._temporary = Path(tempfile.mkdtemp(prefix=f".{self.destination.name}.pulling-",
                                                dir=parent))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        temporary = self._require_open()
        self._temporary = None
        if kind is not None:
            shutil.rmtree(temporary, ignore_errors=True)
            return
        try:
            (temporary / MANIFEST).write_bytes(
                redact_bytes(dump_json(self.manifest()).encode("utf-8"), self.secrets))
            self._swap_in(temporary)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def _swap_in(self, temporary: Path) -> None:
        if not self.destination.exists():
            os.replace(temporary, self.destination)
            return
        aside = Path(tempfile.mkdtemp(prefix=f".{self.destination.name}.old-",
                                      dir=self.destination.parent))
        aside.rmdir()  # mkdtemp only reserved a unique name
        os.replace(self.destination, aside)
        try:
            os.replace(temporary, self.destination)
        except BaseException:
            os.replace(aside, self.destination)
            raise
        shutil.rmtree(aside, ignore_errors=True)

    def _target(self, relative_path: str) -> Path:
        """The file in the temporary directory; a path that could leave it is refused."""
        temporary = self._require_open()
        normal = posixpath.normpath(relative_path.replace("\\", "/"))
        if (not relative_path or posixpath.isabs(normal) or normal == "."
                or normal.split("/")[0] == ".." or ":" in normal or normal == MANIFEST):
            raise ValueError(f"not a snapshot file name: {relative_path!r}")
        return temporary / normal

    def _require_open(self) -> Path:
        if self._temporary is None:
            raise RuntimeError("SnapshotWriter is used outside its `with` block")
        return self._temporary
