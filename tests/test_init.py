"""``cfglint init``: starter files that validate, re-read cleanly and are never overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from cfglint.cli import cli
from cfglint.config import CommandLineOverrides, load_settings
from cfglint.readers import read
from cfglint.readers.roles import load_roles
from cfglint.readers.roles import schema as roles_schema
from tests.conftest import FIXTURES

SCHEMAS = Path(__file__).parent.parent / "cfglint" / "schemas"


def init(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["init", *arguments])
    return result.exit_code, result.stderr


def project(tmp_path: Path, fixture: str = "acme-sfdx") -> Path:
    target = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, target)
    return target


def test_init_writes_a_configuration_that_validates(tmp_path: Path) -> None:
    code, err = init(str(tmp_path))
    assert (code, err) == (0, f"cfglint: wrote {tmp_path / '.cfglint.yaml'}\n")
    data = YAML(typ="safe").load((tmp_path / ".cfglint.yaml").read_text(encoding="utf-8"))
    assert data == {"ruleset": "default", "fail-on": "error"}
    config_schema = json.loads((SCHEMAS / "config.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(config_schema).iter_errors(data)) == []
    settings = load_settings(tmp_path, CommandLineOverrides())
    assert (settings.ruleset.name, settings.fail_on) == ("default", "error")
    assert not (tmp_path / "roles.yaml").exists()


def test_init_roles_writes_a_roles_file_that_reads_back_cleanly(tmp_path: Path) -> None:
    target = project(tmp_path)
    code, err = init(str(target), "--roles")
    assert code == 0
    assert err.endswith(f"cfglint: wrote {target / 'roles.yaml'} (roles inferred from 5 "
                        "profiles with layout assignments)\n")
    text = (target / "roles.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    assert list(Draft202012Validator(roles_schema()).iter_errors(data)) == []
    assert data["roles"]["acme-customer-success"]["record_types"] == {
        "Opportunity": "New_Business"
    }
    assert "#   Opportunity: [Amount, {field: Budget_Confirmed__c, from_stage: Qualification}]" \
        in text
    org = read(target)
    roles_file = load_roles(target / "roles.yaml", org)
    assert roles_file.notes == []
    role = roles_file.roles["role:acme-customer-success"]
    assert role.inferred and role.tasks == ["create", "stage-move", "log-call"]
    assert len(role.profiles) == 5
    # The configuration mentions the roles file but leaves it off until needs are written.
    assert "# roles: roles.yaml  # uncomment once each role's needs are filled in\n" in (
        target / ".cfglint.yaml").read_text(encoding="utf-8")


def test_init_is_deterministic_and_never_overwrites_without_force(tmp_path: Path) -> None:
    target = project(tmp_path)
    assert init(str(target), "--roles")[0] == 0
    first = (target / "roles.yaml").read_bytes()
    (target / "roles.yaml").write_text("version: 1\nroles: {}\n", encoding="utf-8")
    (target / ".cfglint.yaml").unlink()
    code, err = init(str(target), "--roles")
    assert code == 2
    assert err == (f"cfglint: error: {target / 'roles.yaml'} already exists; not overwritten\n"
                   "hint: pass --force to replace it\n")
    assert not (target / ".cfglint.yaml").exists()  # nothing written when one file is refused
    assert init(str(target), "--roles", "--force")[0] == 0
    assert (target / "roles.yaml").read_bytes() == first


def test_init_roles_on_hubspot_yaml_writes_one_role_per_team(tmp_path: Path) -> None:
    target = project(tmp_path, "hubspot-yaml")
    assert init(str(target), "--roles")[0] == 0
    roles_file = load_roles(target / "roles.yaml", read(target))
    assert sorted(roles_file.roles) == ["role:ae", "role:csm", "role:sales-managers", "role:sdr"]
    assert roles_file.roles["role:sales-managers"].profiles == ["team:Sales Managers"]


def test_init_roles_without_a_configuration_is_an_error(tmp_path: Path) -> None:
    code, err = init(str(tmp_path), "--roles")
    assert code == 2
    assert err.startswith(f"cfglint: error: {tmp_path}: no CRM configuration found")
    assert not (tmp_path / ".cfglint.yaml").exists()
