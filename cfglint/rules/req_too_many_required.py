"""An object asks for too many required fields when a record is created.

**Why it matters.** Every required field is a question a rep must answer before the record
saves, whether or not the answer is known yet. Past a handful, reps type placeholders ("TBD",
"N/A", "0"), keep deals in a spreadsheet until they are nearly won, or stop logging them. The
practitioners' test is whether a rep can create a deal in under two minutes.

**What is counted.** Per object: the fields required on every save (field level, including
master-detail relationships) plus the fields required on its heaviest single form (a layout,
a Dynamic Forms record page or a HubSpot record view with behavior *required*). A rep creates a
record through one form, so required items spread over the forms of different record types or
profiles are not added up: that would penalise the per-role views cfglint recommends. Not
counted: system-set fields, fields with a default value (including picklists with a default
value), formulas, roll-ups and auto-numbers, the fields the platform fills in (owner, record
type, currency, HubSpot's pipeline), and form items required only under a stage visibility
rule (those are stage gates). Custom metadata types, platform events and big objects are
skipped; custom settings cannot be told apart from custom objects in the model and are counted.

**Failing example** (cfglint YAML, with `max-required: 3`)

```yaml
objects:
  deals:
    fields:
      dealname: {type: text, required: true}
      amount: {type: currency, required: true}
      closedate: {type: date, required: true}
      competitor: {type: text, required: true}
```

**Passing example**

```yaml
objects:
  deals:
    fields:
      dealname: {type: text, required: true}
      amount: {type: currency, required: true}
      closedate: {type: date, required: true}
      competitor: {type: text, required_at_stage: qualifiedtobuy}
```

**How to fix.** Keep required at create only what a rep knows when the record is born
(name, amount, close date, stage). Require the rest at the stage where it becomes known, or make
it optional and report on its fill rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._req_common import shared_index
from cfglint.rules.base import Options, Problem

ID = "REQ001"
NAME = "required.too-many-fields"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-required": {
        "type": "integer",
        "minimum": 0,
        "default": 7,
        "description": "Most fields a person may have to fill to create a record of one object.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    maximum: int = options["max-required"]
    index = shared_index(org, options)
    for crm_object in index.objects():
        burden = index.burden(crm_object)
        if len(burden.fields) <= maximum:
            continue
        where = f" on {burden.view.id}" if burden.view is not None else ""
        yield Problem(
            element_id=crm_object.id,
            message=(
                f"{crm_object.name} has {len(burden.fields)} required fields at create{where} "
                f"(max {maximum}): {', '.join(burden.fields)}"
            ),
            location=crm_object.location,
            data={
                "count": len(burden.fields),
                "max": maximum,
                "fields": burden.fields,
                "view": burden.view.id if burden.view is not None else None,
            },
        )
