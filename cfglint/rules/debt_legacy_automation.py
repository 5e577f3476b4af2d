"""An active workflow rule or Process Builder process: automation Salesforce has retired.

**Why it matters.** Salesforce no longer lets orgs create workflow rules or Process Builder
processes and ended support for both on 31 December 2025: existing ones still run, but bugs in
them will not be fixed and new platform features will not reach them. They also run at their
own place in the order of execution, beside flows and triggers, so every one left makes "what
happens when this record is saved?" harder to answer. Each one is a migration to plan.
Inactive ones are reported by DEBT004 instead. Workflow rules and processes of installed packages
(names with a namespace prefix, such as `npe01__Contact.EmailChanged_Work`) are left out unless
`include-managed` is set: only their publisher can migrate them, though the org can deactivate
them and build its own flow.

**Failing example**

```xml
<Workflow xmlns="http://soap.sforce.com/2006/04/metadata">
    <rules>
        <fullName>Flag Large Deals</fullName>
        <active>true</active>
        <triggerType>onCreateOrTriggeringUpdate</triggerType>
        ...
    </rules>
</Workflow>
```

**Passing example**: the same logic as a record-triggered flow (`processType`
`AutoLaunchedFlow` with a `start` on Opportunity); a before-save flow when it only updates
fields of the record being saved.

**How to fix.** Use Setup > Migrate to Flow, which converts most workflow rules and processes
into record-triggered flows; test the flow, activate it and deactivate the old automation in
the same release. Take the chance to merge several rules on one object into one flow.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import AutomationKind, Org
from cfglint.rules._debt_common import describe, is_namespaced, runs
from cfglint.rules.base import Options, Problem

ID = "DEBT002"
NAME = "debt.legacy-automation"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report automation of installed packages (namespaced names), which "
        "only their publisher can migrate.",
    },
}

LEGACY_KINDS = frozenset({AutomationKind.WORKFLOW_RULE, AutomationKind.PROCESS_BUILDER})


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    managed = bool(options["include-managed"])
    for automation_id, automation in sorted(org.automations.items()):
        if automation.kind not in LEGACY_KINDS or not runs(automation):
            continue
        if managed or not is_namespaced(automation.name):
            yield Problem(
                element_id=automation_id,
                message=f"{describe(automation)} is legacy automation; migrate it to a flow",
                location=automation.location,
                data={"kind": automation.kind.value, "object": automation.object_name},
            )
