"""Run one rule over a fixture and get its findings, for rule tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cfglint.config import EnabledRule
from cfglint.lint import SideInputs, run_rules
from cfglint.model import Org
from cfglint.readers import read
from cfglint.rules import all_rules
from cfglint.rules.base import Finding
from tests.conftest import FIXTURES

RULE_FIXTURES = FIXTURES / "rules"


def findings_of(
    rule_id: str,
    org_or_path: Org | Path | str,
    *,
    options: dict[str, Any] | None = None,
    roles: Any = None,
    usage: Any = None,
    graph: Any = None,
) -> list[Finding]:
    """Findings of one rule (defaults overridden by ``options``), sorted as the engine sorts.

    A string path is taken relative to ``fixtures/rules/``.
    """
    if isinstance(org_or_path, Org):
        org = org_or_path
    else:
        path = RULE_FIXTURES / org_or_path if isinstance(org_or_path, str) else org_or_path
        org = read(path)
        assert not org.problems, org.problems
    spec = all_rules()[rule_id]
    enabled = {rule_id: EnabledRule(spec, spec.severity, {**spec.defaults, **(options or {})})}
    findings, skipped = run_rules(org, enabled, graph, SideInputs(roles=roles, usage=usage))
    assert not skipped, skipped
    return sorted(findings, key=Finding.sort_key)


def summary(findings: list[Finding]) -> list[tuple[str, str]]:
    """(element id, message) pairs: what rule tests usually assert exactly."""
    return [(finding.element_id, finding.message) for finding in findings]
