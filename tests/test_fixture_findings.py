"""Every sample org in fixtures/ produces exactly the findings its expected-findings.txt lists.

The file holds one line per finding: ``path:line: RULE [severity] element-id | message``, paths
relative to the fixture, in the engine's order, from the default ruleset plus the opt-in rules
(``--extend-select DATA004``). After a deliberate change to a rule or a fixture, regenerate with
``CFGLINT_UPDATE_EXPECTED=1 pytest tests/test_fixture_findings.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cfglint.config import CommandLineOverrides, load_settings
from cfglint.lint import lint
from cfglint.readers import read
from cfglint.rules.base import Finding
from tests.conftest import FIXTURES

SAMPLE_ORGS = ["acme-sfdx", "acme-mdapi", "hubspot-yaml", "hubspot-snapshot"]
EXPECTED_FILE = "expected-findings.txt"


def finding_line(finding: Finding) -> str:
    line = f":{finding.line}" if finding.line else ""
    return (
        f"{finding.path}{line}: {finding.rule_id} [{finding.severity.value}] "
        f"{finding.element_id} | {finding.message}"
    )


def findings_for(fixture: Path) -> list[str]:
    settings = load_settings(fixture, CommandLineOverrides(extend_select=["DATA004"]))
    result = lint(read(fixture), settings, root=".")
    return [finding_line(finding) for finding in result.findings]


@pytest.mark.parametrize("name", SAMPLE_ORGS)
def test_sample_org_findings(name: str) -> None:
    fixture = FIXTURES / name
    actual = findings_for(fixture)
    expected_path = fixture / EXPECTED_FILE
    if os.environ.get("CFGLINT_UPDATE_EXPECTED") == "1":
        expected_path.write_text("\n".join(actual) + "\n", encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8").splitlines()
    assert actual == expected


def test_sfdx_and_mdapi_copies_find_the_same_problems() -> None:
    def without_paths(lines: list[str]) -> list[str]:
        return sorted(line.split(": ", 1)[1] for line in lines)

    assert without_paths(findings_for(FIXTURES / "acme-sfdx")) == without_paths(
        findings_for(FIXTURES / "acme-mdapi")
    )
