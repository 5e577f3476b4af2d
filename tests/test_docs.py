"""Rule documentation: complete for every rule, and docs/rules.md generated from it."""

from __future__ import annotations

import pytest

from cfglint.docs import explain_rule, render_rules_markdown
from cfglint.rules import all_rules
from tests.conftest import PROJECT_ROOT

SECTIONS = ("**Why it matters.**", "**Failing example**", "**Passing example**", "**How to fix.**")


def test_rules_reference_page_is_current() -> None:
    page = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render_rules_markdown(), (
        "docs/rules.md is stale: run `python -m cfglint.docs > docs/rules.md`"
    )


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_every_rule_is_documented(rule_id: str) -> None:
    spec = all_rules()[rule_id]
    for section in SECTIONS:
        assert section in spec.doc, f"{rule_id} lacks {section}"
    for name, schema in spec.options_schema.items():
        assert "default" in schema, f"{rule_id} option {name} has no default"
        assert schema.get("description"), f"{rule_id} option {name} has no description"
    assert explain_rule(spec).startswith(f"{rule_id} {spec.name}")


def test_rule_ids_and_names_are_unique_and_well_formed() -> None:
    specs = list(all_rules().values())
    names = [spec.name for spec in specs]
    assert len(set(names)) == len(names)
    for spec in specs:
        assert spec.id[: len(spec.family)] == spec.family
        assert spec.name == spec.name.lower() and "." in spec.name
