"""A required field is filled mostly with placeholder values.

**Why it matters.** When a field is required before the rep knows the answer, the rep types
whatever the form accepts: "TBD", "N/A", "-", "0", the first picklist value. The fill rate then
looks perfect while the data is worthless, and every report built on the field is wrong. A high
placeholder share is the measured proof that the requirement is misplaced.

**What is checked.** Every field people must fill, at create (see REQ001) or at a stage (a
pipeline stage's required fields, `required_at_stage`, a stage-conditioned validation rule or
Dynamic Forms item), whose placeholder share in the usage data is at least `placeholder-share`.

Needs usage data (`--usage usage.json`, written by `cfglint pull --with-usage`). The rule reads
its `fields` mapping, keyed by field id; each entry may carry `fill_rate` (share of records with
a value), `placeholder_share` (share of filled values that are placeholders), `top_value` and
`top_value_share` (the most common value and its share):

```json
{"fields": {"Opportunity.Next_Step__c": {"fill_rate": 0.97, "placeholder_share": 0.62,
                                          "top_value": "TBD", "top_value_share": 0.55}}}
```

Fields without a `placeholder_share` are not judged.

**Failing example**: `Opportunity.Next_Step__c` is required on the layout and the usage data
gives it `placeholder_share: 0.62`.

**Passing example**: the same field with `placeholder_share: 0.05`, or not required at all.

**How to fix.** Ask the reps when they actually know the value. Require it from that stage
(REQ003) or make it optional; then clean the placeholders out of existing records so reports
stop counting them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfglint.model import CrmObject, Org, SourceLocation
from cfglint.rules._req_common import RequirementIndex, percent, shared_index, sorted_names
from cfglint.rules.base import Options, Problem

ID = "REQ004"
NAME = "required.placeholder-values"
SEVERITY = "warning"
NEEDS = ("usage",)
OPTIONS: dict[str, Any] = {
    "placeholder-share": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "default": 0.3,
        "description": (
            "Report a required field when at least this share of its values are placeholders."
        ),
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    threshold: float = options["placeholder-share"]
    usage = _field_usage(options)
    if not usage:
        return
    index = shared_index(org, options)
    for crm_object in index.objects():
        for name, location in _required_fields(index, crm_object).items():
            field_id = f"{crm_object.name}.{name}"
            entry = usage.get(field_id)
            share = _number(entry, "placeholder_share")
            if share is None or share < threshold:
                continue
            yield Problem(
                element_id=field_id,
                message=(
                    f"{field_id} is required, but {percent(round(share * 100, 1))} of its values "
                    f"are placeholders{_top_value(entry)} (threshold {percent(threshold * 100)})"
                ),
                location=location,
                data={"placeholder_share": share, "threshold": threshold,
                      "top_value": _value(entry, "top_value"),
                      "top_value_share": _number(entry, "top_value_share")},
            )


def _required_fields(
    index: RequirementIndex, crm_object: CrmObject
) -> dict[str, SourceLocation | None]:
    """Fields required at create or at a stage, with where the requirement is stated."""
    found = {
        name: requirement.location
        for name, requirement in index.required_at_create(crm_object).items()
    }
    for gate in index.gates(crm_object):
        found.setdefault(gate.field, gate.location)
    # Point at the field itself when the project defines it: that is what the finding is about.
    return {
        name: _field_location(crm_object, name) or found[name] for name in sorted_names(found)
    }


def _field_location(crm_object: CrmObject, name: str) -> SourceLocation | None:
    model_field = crm_object.fields.get(name)
    return model_field.location if model_field is not None else None


def _field_usage(options: Options) -> Mapping[str, Any]:
    """The ``fields`` mapping of the usage side input (a mapping or an object with ``fields``)."""
    inputs = options.get("_inputs")
    usage = getattr(inputs, "usage", None)
    fields = _value(usage, "fields")
    return fields if isinstance(fields, Mapping) else {}


def _value(entry: Any, key: str) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(key)
    return getattr(entry, key, None)


def _number(entry: Any, key: str) -> float | None:
    value = _value(entry, key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _top_value(entry: Any) -> str:
    value = _value(entry, "top_value")
    share = _number(entry, "top_value_share")
    if value is None:
        return ""
    if share is None:
        return f" (most common: '{value}')"
    return f" (most common: '{value}', {percent(round(share * 100, 1))})"
