"""A field required to move a record to a stage is not on the role's view.

**Why it matters.** When a stage demands a field the rep's page layout (or record view) does
not show, the save fails and the rep has no way to fill the field: the error names something
that is not on the screen. Reps then ask an admin, pick another stage, or leave the deal where
it was, and the pipeline stops saying where deals are. A validation rule is the classic case:
it adds no asterisk, so nothing warns before the save, and the loss reason asked for at
"Closed Lost" is often on no AE layout at all.

**What is checked.** For every role (the roles file's, the configuration's `roles:`, or roles
inferred from profiles and layout assignments) and every stage of the pipeline that applies to
the role's record type, the fields that become required at that stage (see `cfglint.tasks`):
stage-required fields (a stage's `requires`, a field's `required_at_stage`), Dynamic Forms
items required at the stage, and fields an active validation rule demands at the stage
(`ISPICKVAL(StageName, 'X')` or `TEXT(StageName) = 'X'` together with `ISBLANK` / `ISNULL` /
`LEN(...) = 0`). A field that is not on the view assigned to the role's profiles for the role's
record type (else the master record type) is reported, once per role, field and stage, at the
validation rule that demands it or else at the field. Fields required already at create or at an
earlier stage are filled and not checked again. A role with no view of the object is not
checked here: cfglint cannot tell what is on a view the project does not hold (VIEW rules report
roles without a view). The roles file's must-update fields are not checked here either: they do
not block the save, and a needed field missing from a view is VIEW's concern.

**Failing example** (cfglint YAML)

```yaml
objects:
  Opportunity:
    fields:
      StageName: picklist
      Loss_Reason__c: picklist
    validation_rules:
      Loss_Reason_Required:
        formula: AND(ISPICKVAL(StageName, 'Closed Lost'), ISBLANK(TEXT(Loss_Reason__c)))
        error_message: Choose a loss reason.
    pipelines:
      Sales:
        stages: [Prospecting, {name: Closed Lost, closed: true}]
    views:
      AE Layout:
        kind: layout
        sections: [{fields: [Name, StageName]}]
        assigned_to: [AE]
```

**Passing example**: the layout shows the field the rule asks for.

```yaml
        sections: [{fields: [Name, StageName, Loss_Reason__c]}]
```

**How to fix.** Put the field on every view of the roles that move records to that stage
(for Salesforce, on the page layout assigned to their profiles and record type), ideally in
the section the rep is looking at when the stage changes; or, when the field does not belong
to that role's work, drop the requirement or move it to the stage of the role that knows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, SourceLocation
from cfglint.rules._time_budget_common import role_tasks
from cfglint.rules.base import Options, Problem
from cfglint.tasks import (
    DYNAMIC_FORMS,
    STAGE_MOVE,
    STAGE_REQUIRED,
    STAGE_SOURCES,
    VALIDATION_RULE,
    Task,
    TaskField,
)

ID = "TIME004"
NAME = "time.hidden-stage-requirement"
SEVERITY = "error"
OPTIONS: dict[str, Any] = {}

_REASONS = {
    STAGE_REQUIRED: "the stage requires it",
    DYNAMIC_FORMS: "the record page requires it",
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    _, _, tasks = role_tasks(org, options)
    for task in tasks:
        if task.kind != STAGE_MOVE or task.view_id is None:
            continue
        for item in task.fields:
            if not item.on_view and item.source in STAGE_SOURCES:
                yield _problem(org, task, item)


def _problem(org: Org, task: Task, item: TaskField) -> Problem:
    role = task.role_id.removeprefix("role:")
    if item.source == VALIDATION_RULE:
        why = f"{item.rule_id} requires it"
        if item.error_message:
            why += f' ("{item.error_message}")'
    else:
        why = _REASONS.get(item.source, f"it is {item.source}")
    return Problem(
        element_id=item.field_id,
        message=(
            f"role {role} cannot see {item.field_id} on {task.view_id}, but {why} to move "
            f"{task.object_name} to '{task.stage}'"
        ),
        location=item.location or _field_location(org, item.field_id),
        data={
            "role": task.role_id, "field": item.field_id, "stage": task.stage,
            "pipeline": task.pipeline_id, "view": task.view_id, "source": item.source,
            "rule": item.rule_id,
        },
    )


def _field_location(org: Org, field_id: str) -> SourceLocation | None:
    model_field = org.field(field_id)
    return model_field.location if model_field is not None else None
