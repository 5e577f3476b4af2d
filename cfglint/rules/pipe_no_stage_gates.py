"""A pipeline has no stage gates while creating a record already requires many fields.

**Why it matters.** "Gate, don't nag": the fields a rep learns during the deal belong at the
stage where they are learnt. A pipeline with no gate at all, on an object that demands a long
form at create, is the signature of "make everything required up front": slow record creation,
placeholders in every field, and stages any deal can jump to without the facts that define
them.

**What is checked.** Each active sales pipeline (see PIPE001) whose object has no stage gate of
any kind — no stage of its active pipelines with required fields, no field marked required from
a stage, no active validation rule that checks a field for blanks together with the stage
field, no form item required only under a stage visibility rule — while the object requires
more than `max-required-at-create` fields at create (counted as in REQ001).

**Failing example** (cfglint YAML, with `max-required-at-create: 2`)

```yaml
objects:
  deals:
    fields:
      dealname: {type: text, required: true}
      amount: {type: currency, required: true}
      competitor: {type: text, required: true}
    pipelines:
      default:
        stages: [{name: discovery}, {name: proposal}, {name: negotiation},
                 {name: won, closed: true, won: true}, {name: lost, closed: true}]
```

**Passing example**: `competitor: {type: text, required_at_stage: proposal}`.

**How to fix.** Take the fields reps only learn during the deal out of the create form and
require each at the stage where it is learnt (stage required properties in HubSpot; a
validation rule on the stage or a Dynamic Forms visibility rule in Salesforce).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._pipe_common import sales_pipelines
from cfglint.rules._req_common import shared_index
from cfglint.rules.base import Options, Problem

ID = "PIPE004"
NAME = "pipeline.no-stage-gates"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-required-at-create": {
        "type": "integer",
        "minimum": 0,
        "default": 5,
        "description": (
            "Most fields required at create on an object whose pipeline gates no stage."
        ),
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    maximum: int = options["max-required-at-create"]
    index = shared_index(org, options)
    gated_objects: dict[str, bool] = {}
    for pipeline in sales_pipelines(org):
        crm_object = org.objects.get(pipeline.object_name)
        if crm_object is None:
            continue
        if crm_object.name not in gated_objects:
            gated_objects[crm_object.name] = bool(index.gates(crm_object))
        if gated_objects[crm_object.name]:
            continue
        burden = index.burden(crm_object)
        if len(burden.fields) > maximum:
            yield Problem(
                element_id=pipeline.id,
                message=(
                    f"{pipeline.id} gates no stage, while {crm_object.name} requires "
                    f"{len(burden.fields)} fields at create (max {maximum}): "
                    f"{', '.join(burden.fields)}"
                ),
                location=pipeline.location,
                data={"count": len(burden.fields), "max": maximum, "fields": burden.fields},
            )

