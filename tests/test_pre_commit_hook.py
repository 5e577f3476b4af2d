"""The pre-commit hook, run by the real ``pre-commit`` tool (``try-repo`` on this working tree)
in a temporary git repository holding a small SFDX project: it fails on a planted problem and
passes once the problem is fixed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

GOOD_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Region__c</fullName>
    <description>Sales region, for territory reports.</description>
    <inlineHelpText>The region the account is served from.</inlineHelpText>
    <label>Region</label>
    <required>false</required>
    <type>Picklist</type>
    <valueSet>
        <restricted>true</restricted>
        <valueSetDefinition>
            <sorted>false</sorted>
            <value><fullName>EMEA</fullName><default>false</default><label>EMEA</label></value>
            <value><fullName>AMER</fullName><default>false</default><label>AMER</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
"""

# The planted problem: a tag never closed, so the file cannot be deployed or linted.
BROKEN_FIELD = GOOD_FIELD.replace("<label>Region</label>", "<label>Region")


def pre_commit_command() -> list[str]:
    executable = shutil.which("pre-commit")
    if executable:
        return [executable]
    return [sys.executable, "-m", "pre_commit"]


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def sfdx_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "org"
    field = repo / "force-app/main/default/objects/Account/fields/Region__c.field-meta.xml"
    field.parent.mkdir(parents=True)
    (repo / "sfdx-project.json").write_text(
        '{"packageDirectories": [{"path": "force-app", "default": true}]}\n', encoding="utf-8"
    )
    field.write_text(BROKEN_FIELD, encoding="utf-8")
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", "-A")
    return repo


def run_hook(repo: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*pre_commit_command(), "try-repo", str(PROJECT_ROOT), "cfglint", "--all-files",
         "--verbose"],
        cwd=repo, env=environment, capture_output=True, text=True, timeout=900, check=False,
    )


def test_hook_fails_on_planted_problem_and_passes_when_fixed(
    sfdx_repo: Path, tmp_path: Path
) -> None:
    if subprocess.run([*pre_commit_command(), "--version"], capture_output=True,
                      check=False).returncode != 0:
        pytest.fail("pre-commit is not installed; install the test extras")
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "cfglint tests", "GIT_AUTHOR_EMAIL": "tests@cfglint.invalid",
        "GIT_COMMITTER_NAME": "cfglint tests", "GIT_COMMITTER_EMAIL": "tests@cfglint.invalid",
    }
    failing = run_hook(sfdx_repo, environment)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "CFG001" in failing.stdout
    # libxml2 notices the unclosed <label> (line 6) when the root closes, on line 17.
    assert "Region__c.field-meta.xml:17:15: CFG001 [error]" in failing.stdout
    assert "label line 6" in failing.stdout

    field = sfdx_repo / "force-app/main/default/objects/Account/fields/Region__c.field-meta.xml"
    field.write_text(GOOD_FIELD, encoding="utf-8")
    git(sfdx_repo, "add", "-A")
    passing = run_hook(sfdx_repo, environment)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "CFG001" not in passing.stdout
