"""Declarative custom rules from rulesets: select elements with a JSON Schema, assert another.

Each model element of the ``target`` kind is turned into a plain mapping (its attributes as in
``cfglint/model.py``, enums as their values, plus ``id``); elements that validate against
``where`` (every element when absent) must validate against ``assert``, or the rule reports
``message`` for them. ``{id}``, ``{name}``, ``{label}``, ``{object_name}`` and any other
attribute can be used in the message.

Example: every Opportunity currency field must have a description::

    custom-rules:
      - id: ACME001
        name: acme.currency-described
        target: field
        where:
          properties:
            object_name: {const: Opportunity}
            type: {const: currency}
        assert:
          properties:
            description: {type: string, minLength: 1}
        message: "{id}: currency fields need a description for the finance team"
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jsonschema

from cfglint.model import Org, SourceLocation
from cfglint.rules import RuleSpec
from cfglint.rules.base import Options, Problem, Severity


def _stages(org: Org) -> Iterator[dict[str, Any]]:
    for pipeline in org.pipelines.values():
        for stage in pipeline.stages:
            mapping = plain(stage)
            mapping.update(
                id=pipeline.stage_id(stage), pipeline=pipeline.name,
                object_name=pipeline.object_name, location=pipeline.location,
            )
            yield mapping


#: Target kind -> the elements of that kind as mappings.
TARGETS: dict[str, Callable[[Org], Iterable[Any]]] = {
    "object": lambda org: org.objects.values(),
    "field": lambda org: org.fields(),
    "record-type": lambda org: org.record_types(),
    "validation-rule": lambda org: org.validation_rules(),
    "view": lambda org: org.views.values(),
    "pipeline": lambda org: org.pipelines.values(),
    "stage": _stages,
    "automation": lambda org: org.automations.values(),
    "profile": lambda org: org.profiles.values(),
    "role": lambda org: org.roles.values(),
    "report": lambda org: org.reports.values(),
    "duplicate-rule": lambda org: org.duplicate_rules.values(),
    "matching-rule": lambda org: org.matching_rules.values(),
    "quick-action": lambda org: org.quick_actions.values(),
    "integration": lambda org: org.integrations.values(),
}


def plain(element: Any) -> dict[str, Any]:
    """An element as JSON-like data: attributes, enum values, child maps as name lists."""
    mapping: dict[str, Any] = {}
    for item in dataclasses.fields(element):
        if item.name == "location":
            continue
        mapping[item.name] = _plain_value(getattr(element, item.name))
    if hasattr(element, "id"):
        mapping["id"] = element.id
    return mapping


def _plain_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return sorted(value) if all(dataclasses.is_dataclass(v) for v in value.values()) and value \
            else {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(value)
    return value


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def custom_rule_spec(definition: dict[str, Any]) -> RuleSpec:
    """A :class:`RuleSpec` for a (schema-validated) custom rule definition."""
    target = definition["target"]
    where = jsonschema.Draft202012Validator(definition.get("where", {}))
    assertion = jsonschema.Draft202012Validator(definition["assert"])
    message = definition["message"]

    def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
        for element in TARGETS[target](org):
            mapping = element if isinstance(element, dict) else plain(element)
            if not where.is_valid(mapping) or assertion.is_valid(mapping):
                continue
            location = mapping.get("location") if isinstance(element, dict) else element.location
            yield Problem(
                element_id=str(mapping.get("id", "")),
                message=message.format_map(_Blank(mapping)),
                location=location if isinstance(location, SourceLocation) else None,
            )

    description = definition.get("description", message)
    return RuleSpec(
        id=definition["id"],
        name=definition.get("name", definition["id"].lower()),
        severity=Severity(definition.get("severity", "warning")),
        options_schema={},
        check=check,
        doc=f"{description}\n\nCustom rule on {target} elements, defined in a ruleset.",
        module="custom",
    )
