"""A picklist offers more values than anyone reads before choosing.

**Why it matters.** Past a couple of dozen values, people stop reading the list: they pick the
first value that roughly fits, or "Other". Reports then group by values nobody chose with
care, and the list keeps growing because nobody dares to remove a value. A short list, or a
dependent picklist that narrows it, gives better data in less time.

Counted: active values. Custom picklists with their own values are checked field by field;
a global or standard value set is checked once, on the value set, with the fields that use it.
Lists whose length the world sets rather than the org — countries, states, languages, time
zones, days, months, years (option ``exempt-words``, matched as whole words in the API name or
label) — are not reported.

**Failing example**: ``Account.Sub_Industry__c`` with 30 active values.

**Passing example**

```yaml
objects:
  Account:
    fields:
      Industry_Group__c:
        type: picklist
        restricted: true
        options: [Manufacturing, Logistics, Retail, Healthcare, Public Sector, Other]
```

**How to fix.** Merge values that mean the same, deactivate those nobody uses (check fill
rates first), and split a long list into a short controlling picklist and a dependent one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from cfglint.model import Field, Org, PicklistValue, SourceLocation
from cfglint.rules._data_common import contains_term, name_words
from cfglint.rules.base import Options, Problem

ID = "DATA003"
NAME = "data.too-many-picklist-values"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-values": {
        "type": "integer",
        "minimum": 1,
        "default": 25,
        "description": "Most active values a picklist may offer.",
    },
    "exempt-words": {
        "type": "array",
        "items": {"type": "string"},
        "default": [
            "country", "state", "province", "county", "citizenship", "nationality",
            "language", "time zone", "timezone", "day", "month", "year", "time",
        ],
        "description": "Picklists whose API name or label has one of these words are "
        "reference lists and are not reported.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    maximum = int(options["max-values"])
    exempt = list(options["exempt-words"])
    users = _global_value_set_users(org)
    for value_set_id in sorted(org.value_sets):
        value_set = org.value_sets[value_set_id]
        if not _is_exempt(exempt, value_set.name):
            yield from _check_values(
                value_set.id, value_set.name, value_set.values, maximum, value_set.location,
                [] if value_set.standard else sorted(users.get(value_set.name, [])),
            )
    for object_name in sorted(org.objects):
        crm_object = org.objects[object_name]
        # Counting first, before sorting: few fields have long lists of values, and the
        # exemption test splits names.
        long_lists = sorted(name for name, model_field in crm_object.fields.items()
                            if len(model_field.picklist_values) > maximum)
        for field_name in long_lists:
            model_field = crm_object.fields[field_name]
            if (_has_own_values(org, model_field)
                    and not _is_exempt(exempt, model_field.name, model_field.label)):
                yield from _check_values(
                    model_field.id, model_field.id, model_field.picklist_values, maximum,
                    model_field.location, [],
                )


def _has_own_values(org: Org, model_field: Field) -> bool:
    """A picklist whose values are its own, not a value set's (those are checked once)."""
    if not model_field.is_picklist or model_field.value_set_name is not None:
        return False
    # A Salesforce standard picklist lists no values: they are its standard value set's.
    return model_field.custom or org.platform != "salesforce"


def _global_value_set_users(org: Org) -> dict[str, list[str]]:
    """Global value set name -> ids of the fields that take their values from it."""
    users: dict[str, list[str]] = defaultdict(list)
    for model_field in org.fields():
        if model_field.value_set_name is not None:
            users[model_field.value_set_name].append(model_field.id)
    return users


def _is_exempt(exempt: list[str], *names: str | None) -> bool:
    return any(
        name is not None and contains_term(name_words(name), exempt) is not None
        for name in names
    )


def _check_values(
    element_id: str,
    name: str,
    values: Iterable[PicklistValue],
    maximum: int,
    location: SourceLocation | None,
    users: list[str],
) -> Iterator[Problem]:
    count = sum(1 for value in values if value.active)
    if count <= maximum:
        return
    used_by = f", used by {', '.join(users)}" if users else ""
    yield Problem(
        element_id=element_id,
        message=f"{name} offers {count} active values (max {maximum}){used_by}",
        location=location,
        data={"count": count, "max": maximum, "used_by": users},
    )
