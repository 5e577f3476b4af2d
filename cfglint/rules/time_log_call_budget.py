"""Logging a call takes a role longer than its budget (30 seconds).

**Why it matters.** Activity history is only as good as the habit of logging it, and the habit
dies when logging a call takes longer than the call's last sentence. Practitioners test that a
rep can log a call in under 30 seconds; every required field on the call form counts against it.

**How it is estimated.** A Keystroke-Level Model estimate (methods.md A.2–A.3, see
`docs/budget.md`): opening the call form, every field it requires (and the roles file's
must-fill fields) priced by its type, saving, and the expected cost of a save that fails. The
finding fires when the estimate exceeds `budget-seconds`; the message gives KLM's ±21 % band
and the two costliest fields. The rule prices with the default calibration; `cfglint budget`
applies the configuration's `budget:` section.

**Failing example** (Salesforce quick action, in cfglint YAML)

```yaml
objects:
  Task:
    fields: {Subject: text, Description: textarea}
    quick_actions:
      LogACall:
        type: LogACall
        target_object: Task
        fields: [{field: Subject, behavior: required}, {field: Description, behavior: required}]
```

(about 75 s: composing an 80-character description takes 55 s.)

**Passing example**: the description optional on the form:

```yaml
        fields: [{field: Subject, behavior: required}, Description]
```

**How to fix.** Require on the call form only the subject and what the call is about (a
picklist outcome is 5 s; a typed summary is nearly a minute). Let activity capture fill in who
and when.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._time_budget_common import BUDGET_OPTION, budget_option, over_budget, problem
from cfglint.rules.base import Options, Problem
from cfglint.tasks import LOG_CALL

ID = "TIME003"
NAME = "time.log-call-over-budget"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    BUDGET_OPTION: budget_option(30, "log a call"),
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for result, _ in over_budget(org, options, LOG_CALL):
        view = org.views.get(result.view_id or "")
        action = next((item for item in org.quick_actions.values()
                       if item.id == result.view_id), None)
        element = view or action
        crm_object = org.objects.get(result.object_name)
        element_id = element.id if element is not None else result.object_name
        location = element.location if element is not None else (
            crm_object.location if crm_object is not None else None)
        yield problem(result, element_id, location, f"log a call on {result.object_name}")
