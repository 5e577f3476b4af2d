"""Shared test helpers: where the fixtures and the shared corpora are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_ROOT / "fixtures"
SHARED = PROJECT_ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


def corpus_path(*parts: str) -> Path:
    """A path under ../shared/corpora; skip the test when absent (fail under CI's strict mode)."""
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        message = f"shared corpus not found at {path} (clone ../shared beside the project)"
        if os.environ.get("CFGLINT_REQUIRE_CORPORA") == "1":
            pytest.fail(message + "; CFGLINT_REQUIRE_CORPORA=1 makes this a failure")
        pytest.skip(message)
    return path


def shared_path(*parts: str) -> Path:
    """A path under ../shared (e.g. the SARIF schema); skip or fail as :func:`corpus_path` does."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared file not found at {path} (clone ../shared beside the project)"
        if os.environ.get("CFGLINT_REQUIRE_CORPORA") == "1":
            pytest.fail(message + "; CFGLINT_REQUIRE_CORPORA=1 makes this a failure")
        pytest.skip(message)
    return path


@pytest.fixture
def corpora() -> Path:
    return corpus_path()


@pytest.fixture(autouse=True)
def private_lint_cache(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets an empty cache of its own: no test sees another's results, and no run
    writes a cache into the fixtures or the shared corpora."""
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cfglint-cache")))
