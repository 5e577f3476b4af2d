"""cfglint YAML: (to be written)."""

from __future__ import annotations

from pathlib import Path

from cfglint.model import Org


def is_native_file(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")


def looks_like_native(path: Path) -> bool:
    return False


def read_native(path: Path) -> Org:
    raise NotImplementedError
