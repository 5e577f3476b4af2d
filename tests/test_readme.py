"""The README's two fresh-machine commands stay true."""

from __future__ import annotations

import re

from tests.conftest import PROJECT_ROOT


def readme_commands() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.DOTALL)
    assert first_block is not None, "the README has no code block"
    return [line.strip() for line in first_block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert "cfglint " in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_lines = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci_lines


def test_main_command_runs_on_a_bundled_fixture() -> None:
    fixture = re.search(r"fixtures/[\w./-]+", readme_commands()[0])
    assert fixture is not None
    assert (PROJECT_ROOT / fixture.group()).is_dir()
