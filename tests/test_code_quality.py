"""ruff and mypy are part of the test suite, so CI's one test command runs them too."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


def run_tool(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True,
        check=False,
    )


def test_ruff_is_clean() -> None:
    if shutil.which("ruff") is None and run_tool("ruff", "--version").returncode != 0:
        pytest.fail("ruff is not installed; install the test extras: pip install -e '.[test]'")
    result = run_tool("ruff", "check", "cfglint", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = run_tool("mypy", "cfglint")
    assert result.returncode == 0, result.stdout + result.stderr
