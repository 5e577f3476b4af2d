"""Rule documentation: ``cfglint rules ID`` and the generated ``docs/rules.md``.

The documentation of a rule is its module docstring; this module only arranges it. Regenerate
the reference page with ``python -m cfglint.docs > docs/rules.md`` (a test fails when it is
stale).
"""

from __future__ import annotations

import json
from typing import Any

from cfglint.rules import FAMILIES, RuleSpec, all_rules

DOCS_URL = "https://github.com/cfglint/cfglint/blob/main/docs/rules.md"


def rule_url(spec: RuleSpec) -> str:
    return f"{DOCS_URL}#{spec.id.lower()}"


def rule_summary(spec: RuleSpec) -> dict[str, Any]:
    return {
        "id": spec.id,
        "name": spec.name,
        "family": spec.family,
        "severity": spec.severity.value,
        "recommended": spec.recommended,
        "needs": list(spec.needs),
        "summary": spec.summary,
        "options": {
            name: {key: value for key, value in schema.items() if key != "description"}
            | {"description": schema.get("description", "")}
            for name, schema in spec.options_schema.items()
        },
        "url": rule_url(spec),
    }


def options_table(spec: RuleSpec) -> list[str]:
    if not spec.options_schema:
        return ["Options: none."]
    rows = ["| option | default | meaning |", "|---|---|---|"]
    for name, schema in spec.options_schema.items():
        default = json.dumps(schema.get("default"))
        rows.append(f"| `{name}` | `{default}` | {schema.get('description', '')} |")
    return rows


def explain_rule(spec: RuleSpec) -> str:
    """The text ``cfglint rules ID`` prints."""
    header = f"{spec.id} {spec.name} (default severity: {spec.severity.value}"
    header += ", opt-in)" if not spec.recommended else ")"
    lines = [header, "", spec.doc, "", *options_table(spec)]
    if spec.needs:
        lines += ["", f"Needs: {', '.join(spec.needs)} (the rule is skipped without it)."]
    return "\n".join(lines) + "\n"


def render_rules_markdown() -> str:
    """The whole rule reference page."""
    rules = all_rules()
    lines = [
        "# cfglint rule reference",
        "",
        "Generated from the rule modules' docstrings by `python -m cfglint.docs`; "
        "do not edit by hand.",
        "",
        "| id | name | severity | summary |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [{spec.id}](#{spec.id.lower()}) | `{spec.name}` | {spec.severity.value} "
        f"| {spec.summary} |"
        for spec in rules.values()
    ]
    for family, title in FAMILIES.items():
        members = [spec for spec in rules.values() if spec.family == family]
        if not members:
            continue
        lines += ["", f"## {family}: {title}"]
        for spec in members:
            lines += ["", f"### {spec.id}", "", f"`{spec.name}` · default severity "
                      f"**{spec.severity.value}**" + ("" if spec.recommended else " · opt-in")]
            lines += ["", spec.doc, "", *options_table(spec)]
            if spec.needs:
                lines += ["", f"Needs: {', '.join(spec.needs)}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_rules_markdown(), end="")
