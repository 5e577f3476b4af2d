"""A field is required at create although the configuration says it is only known later.

**Why it matters.** "Gate, don't nag": a loss reason, a signed-contract date or a PO number
does not exist when a deal is created. Requiring it up front forces a placeholder into every
new record, and the placeholder then poisons the reports the field was meant for. Required
from the stage where it becomes known, the same field gets real values.

**What is checked.** Each field required at create (field level, or required on a form without
a stage condition; see REQ001 for what is counted) for which the configuration itself gives a
later stage, first match wins:

1. a pipeline stage lists it among the fields required to enter it;
2. the field is also marked required from a stage (`required_at_stage`);
3. an active validation rule checks it with `ISBLANK` / `ISNULL` together with the stage field
   (`ISPICKVAL(StageName, ...)`, `TEXT(StageName)`, ...);
4. a Dynamic Forms item requires it only under a stage visibility rule;
5. a role of the roles file or cfglint YAML needs it only from a stage (every role that needs
   it names a `from_stage`);
6. its API name contains one of the `late-stage-name-patterns` (case-insensitive), on objects
   that move through stages (Opportunity, HubSpot deals, any object with a pipeline). This is a
   heuristic: set the option to `[]` to rely on the configuration alone.

**Failing example** (cfglint YAML)

```yaml
objects:
  deals:
    fields:
      closed_lost_reason: {type: textarea, required: true}
    pipelines:
      default:
        stages:
          - {name: qualifiedtobuy}
          - {name: closedlost, closed: true, requires: [closed_lost_reason]}
```

**Passing example**: `closed_lost_reason: {type: textarea}`, required only by the stage.

**How to fix.** Drop the create-time requirement (the field's *required* flag, or behavior
*required* on the form) and require the field at the stage named in the message: a stage's
required properties in HubSpot, a validation rule on the stage or a Dynamic Forms visibility
rule in Salesforce.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from cfglint.model import CrmObject, Org
from cfglint.rules._req_common import Gate, RequirementIndex, shared_index
from cfglint.rules.base import Options, Problem

ID = "REQ003"
NAME = "required.before-known"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "late-stage-name-patterns": {
        "type": "array",
        "items": {"type": "string"},
        "default": [
            "loss_reason", "lost_reason", "contract_signed", "signed_date", "po_number",
            "payment_terms", "implementation", "renewal", "churn",
        ],
        "description": (
            "Parts of a field's API name (case-insensitive) that mark a fact only known late "
            "in a deal; [] turns this heuristic off."
        ),
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    patterns = [str(pattern).casefold() for pattern in options["late-stage-name-patterns"]]
    index = shared_index(org, options)
    role_gates = _role_gates(org)
    for crm_object in index.objects():
        gates = _first_gate_per_field(index.gates(crm_object))
        for name, requirement in index.required_at_create(crm_object).items():
            gate = (
                gates.get(name)
                or role_gates.get(f"{crm_object.name}.{name}")
                or _name_gate(index, crm_object, name, patterns)
            )
            if gate is None:
                continue
            field_id = f"{crm_object.name}.{name}"
            yield Problem(
                element_id=field_id,
                message=f"{field_id} is required at create, but {gate.reason}; {_advice(gate)}",
                location=requirement.location,
                data={
                    "evidence": gate.kind,
                    "source": gate.source,
                    "stage": gate.stage,
                    "required_by": requirement.sources,
                },
            )


def _advice(gate: Gate) -> str:
    if gate.stage is None:
        return "require it only from the stage where it becomes known"
    return "require it only from that stage"


def _first_gate_per_field(gates: list[Gate]) -> dict[str, Gate]:
    first: dict[str, Gate] = {}
    for gate in gates:
        first.setdefault(gate.field, gate)
    return first


def _role_gates(org: Org) -> dict[str, Gate]:
    """Fields every role that needs them only knows from a stage, by field id."""
    stages: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for role_id in sorted(org.roles):
        for need in org.roles[role_id].needs:
            stages[need.field].append((role_id, need.from_stage))
    gates: dict[str, Gate] = {}
    for field_id, needs in stages.items():
        if any(stage is None for _, stage in needs):
            continue  # somebody knows it from the start
        role_id, stage = needs[0]
        gates[field_id] = Gate(
            field_id.partition(".")[2], "role", role_id,
            f"{role_id} only knows it from stage '{stage}'", stage,
            org.roles[role_id].location,
        )
    return gates


def _name_gate(
    index: RequirementIndex, crm_object: CrmObject, name: str, patterns: list[str]
) -> Gate | None:
    if not index.has_stages(crm_object.name):
        return None
    folded = name.casefold()
    pattern = next((pattern for pattern in patterns if pattern and pattern in folded), None)
    if pattern is None:
        return None
    return Gate(
        name, "name", f"{crm_object.name}.{name}",
        f"its name marks a fact known only late in the deal (matches '{pattern}')",
    )
