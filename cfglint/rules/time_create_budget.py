"""Creating a record takes a role longer than the update budget (two minutes).

**Why it matters.** A record that takes more than two minutes to create is created late, in
bulk, or not at all: reps keep early deals in a spreadsheet and enter them when they are nearly
won, and every required question they cannot answer yet gets a placeholder.

**How it is estimated.** A Keystroke-Level Model estimate (methods.md A.2–A.3, see
`docs/budget.md`): opening the new-record form, every field a save demands on the role's view
(field-level required and layout-required fields, shown with an asterisk) priced by its type,
scrolling to it, saving, and the expected cost of a save that fails because a required field was
missed. The finding fires when the estimate exceeds `budget-seconds`; the message gives KLM's
±21 % band and the two costliest fields. Roles come from the roles file (`--roles`), the
configuration's `roles:`, or are inferred from profiles and layout assignments. The rule prices
with the default calibration; `cfglint budget` applies the configuration's `budget:` section.

**Failing example** (cfglint YAML)

```yaml
objects:
  Opportunity:
    fields:
      Name: {type: text, required: true}
      Description: {type: longtext, required: true}
      Loss_Reason__c: {type: textarea, required: true}
```

(about 156 s: a long description and a loss reason to compose before the record exists.)

**Passing example**

```yaml
objects:
  Opportunity:
    fields:
      Name: {type: text, required: true}
      Description: longtext
      Loss_Reason__c: {type: textarea, required_at_stage: Closed Lost}
```

**How to fix.** Keep required at create only what the rep knows when the record is born (name,
amount, close date, stage); require the rest at the stage where it becomes known. `cfglint
budget PATH --explain ROLE create` lists the fields, largest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._time_budget_common import BUDGET_OPTION, budget_option, over_budget, problem
from cfglint.rules.base import Options, Problem
from cfglint.tasks import CREATE

ID = "TIME002"
NAME = "time.create-over-budget"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    BUDGET_OPTION: budget_option(120, "create a record"),
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for result, _ in over_budget(org, options, CREATE):
        crm_object = org.objects.get(result.object_name)
        article = "an" if result.object_name[:1].casefold() in "aeiou" else "a"
        yield problem(result, result.object_name,
                      crm_object.location if crm_object is not None else None,
                      f"create {article} {result.object_name} record")
