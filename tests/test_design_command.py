"""``cfglint design``: the files it writes, the same bytes twice, and the input untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cfglint.cli import cli
from tests.conftest import FIXTURES

ROLES = FIXTURES / "design" / "acme-sfdx" / "roles.yaml"


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["design", *args])
    return result.exit_code, result.output


def test_writes_the_plan_and_leaves_the_input_alone(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    shutil.copytree(FIXTURES / "acme-sfdx", project)
    before = _tree_hash(project)
    code, output = _run(str(project), "--roles", str(ROLES), "-o", str(tmp_path / "out"))
    assert code == 0, output
    assert _tree_hash(project) == before
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert {"launch.yaml", "phase2.yaml", "plan.md", "plan.json"} <= set(names)
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["version"] == 1 and plan["solver"] == "closure"
    assert plan["figures"]["before"]["required"]["Opportunity"] == 16
    assert plan["figures"]["after"]["required"]["Opportunity"] == 4


def test_same_input_same_bytes(tmp_path: Path) -> None:
    for name in ("one", "two"):
        code, output = _run(str(FIXTURES / "hubspot-yaml"), "--roles",
                            str(FIXTURES / "design" / "hubspot-yaml" / "roles.yaml"),
                            "-o", str(tmp_path / name))
        assert code == 0, output
    for name in ("launch.yaml", "phase2.yaml", "plan.md", "plan.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_non_empty_output_needs_force_and_keeps_unknown_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = _run(str(FIXTURES / "acme-sfdx"), "--roles", str(ROLES), "-o", str(out))
    assert code == 2
    assert "is not empty" in output
    assert sorted(path.name for path in out.iterdir()) == ["notes.txt"]
    code, output = _run(str(FIXTURES / "acme-sfdx"), "--roles", str(ROLES), "-o", str(out),
                        "--force")
    assert code == 0, output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "launch.yaml").is_file()


def test_bad_roles_file_is_exit_2_with_its_line(tmp_path: Path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("version: 1\nroles:\n  ae:\n    profile: [AE]\n", encoding="utf-8")
    code, output = _run(str(FIXTURES / "hubspot-yaml"), "--roles", str(roles), "-o",
                        str(tmp_path / "out"))
    assert code == 2
    assert "roles.yaml:4" in output
    assert not (tmp_path / "out").exists()


def test_help_names_the_outputs() -> None:
    code, output = _run("--help")
    assert code == 0
    assert "launch.yaml" in output and "--solver" in output
