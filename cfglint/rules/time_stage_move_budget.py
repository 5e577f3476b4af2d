"""Moving a record to a stage takes a role longer than the update budget (two minutes).

**Why it matters.** The practitioners' test of a CRM is whether a rep can bring a deal up to
date in under two minutes. Every field a stage demands is a question to answer at the moment of
the move; past the budget, reps skip the move, type placeholders or update the deal in bulk at
the end of the quarter, and the pipeline stops saying where deals are.

**How it is estimated.** A Keystroke-Level Model estimate (methods.md A.2–A.3, see
`docs/budget.md` and `cfglint budget --explain`): opening the record, clicking the stage on the
Path, editing, every field the move requires (stage-required fields, Dynamic Forms fields
required at the stage, fields an active validation rule demands at the stage, the roles file's
must-update fields) priced by its type, scrolling to it, saving, and the expected cost of a save
that fails because a requirement was missed. The finding fires when the estimate exceeds
`budget-seconds`; the message gives KLM's ±21 % band. Roles come from the roles file
(`--roles`), the configuration's `roles:`, or are inferred from profiles and layout assignments.
Usage data (`--usage`) discounts fields that are usually filled already. The rule prices with
the default calibration; `cfglint budget` applies the configuration's `budget:` section.

**Failing example** (cfglint YAML)

```yaml
objects:
  Opportunity:
    fields:
      NextStep: text
      Proposal_Summary__c: longtext
      Contract_Value__c: currency
    pipelines:
      Sales:
        stages:
          - Prospecting
          - {name: Proposal, requires: [NextStep, Proposal_Summary__c, Contract_Value__c]}
```

(about 127 s: the 120-character summary alone takes 80 s to compose.)

**Passing example**: the summary required at a later stage, or optional:

```yaml
          - {name: Proposal, requires: [NextStep, Contract_Value__c]}
```

**How to fix.** Require at a stage only what the rep knows and the business uses at that stage;
move composed text (summaries, notes, reasons) to a later stage or make it optional and report
on its fill rate. `cfglint budget PATH --explain ROLE stage-move:STAGE` lists the fields,
largest first, and the fewest whose removal brings the move under budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._time_budget_common import BUDGET_OPTION, budget_option, over_budget, problem
from cfglint.rules.base import Options, Problem
from cfglint.tasks import STAGE_MOVE

ID = "TIME001"
NAME = "time.stage-move-over-budget"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    BUDGET_OPTION: budget_option(120, "move a record to a stage"),
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for result, _ in over_budget(org, options, STAGE_MOVE):
        pipeline = org.pipelines.get(result.pipeline_id or "")
        element_id = (f"stage:{pipeline.object_name}.{pipeline.name}/{result.stage}"
                      if pipeline is not None else f"{result.object_name}.{result.stage}")
        location = pipeline.location if pipeline is not None else None
        yield problem(result, element_id, location,
                      f"move {result.object_name} to {result.stage}")
