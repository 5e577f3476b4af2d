"""The command line: help, version, inventory output, exit codes, atomic --output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cfglint import __version__
from cfglint.cli import cli
from tests.conftest import FIXTURES

ACME = FIXTURES / "acme-sfdx"


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.strip() == f"cfglint, version {__version__}"


def test_help_lists_inventory() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    assert "inventory" in out


def test_inventory_text_names_format_and_counts() -> None:
    code, out, err = invoke("inventory", str(ACME))
    assert code == 0, err
    assert "salesforce configuration, format sfdx" in out
    assert "roots: force-app" in out
    assert "\nfields " in out


def test_inventory_json_is_versioned_and_deterministic() -> None:
    first = invoke("inventory", "--format", "json", str(ACME))[1]
    second = invoke("inventory", "--format", "json", str(ACME))[1]
    assert first == second
    data = json.loads(first)
    assert data["version"] == 1
    assert data["platform"] == "salesforce"
    assert data["problems"] == []


def test_missing_path_exits_2_without_traceback() -> None:
    code, _, err = invoke("inventory", "/no/such/path")
    assert code == 2
    assert "no such file or directory" in err
    assert "Traceback" not in err


def test_path_without_configuration_exits_2_with_hint(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    code, _, err = invoke("inventory", str(tmp_path))
    assert code == 2
    assert "no CRM configuration found" in err
    assert "hint:" in err


def test_unknown_file_type_exits_2(tmp_path: Path) -> None:
    document = tmp_path / "org.txt"
    document.write_text("hello\n", encoding="utf-8")
    code, _, err = invoke("inventory", str(document))
    assert code == 2
    assert "not a configuration cfglint reads" in err


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "inventory.json"
    code, out, _ = invoke("inventory", "--format", "json", "-o", str(target), str(ACME))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1
    assert [path.name for path in tmp_path.iterdir()] == ["inventory.json"]


def test_output_into_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("inventory", "-o", str(tmp_path / "no" / "x.txt"), str(ACME))
    assert code == 2
    assert "not a directory" in err


def test_console_script_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cfglint", "inventory", "--format", "json", str(ACME)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "sfdx"
