"""An automation is kept although it never runs: a draft or obsolete flow, an inactive rule.

**Why it matters.** Inactive automation looks like live logic to everyone who searches the org
for a field's uses: admins trace it, keep fields alive for it and wonder whether to turn it back
on. Draft flows are often half-finished migrations whose live counterpart is still running
elsewhere. Either finish and activate it, or delete it.

Flows and Process Builder processes count as inactive when their status is not `Active`
(`Draft`, `Obsolete`, `InvalidDraft`, ...); workflow rules, approval processes and HubSpot
workflows when they are not active; Apex triggers when their status is `Inactive` or `Deleted`.
In the Metadata API format before API 44 each flow version is a file (`Name-3.flow`): a flow is
reported once, and only when none of its versions is active. Automation of installed packages
(namespaced names) is left out unless `include-managed` is set: the org cannot delete it.

**Failing example**

```xml
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Opportunity Large Deal Flag</label>
    <processType>AutoLaunchedFlow</processType>
    <status>Draft</status>
    ...
</Flow>
```

**Passing example**: the same flow with `<status>Active</status>`, or no file at all.

**How to fix.** Activate the automation if it is meant to run; otherwise delete it from the org
(and the repository). Version control keeps its history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Automation, Org
from cfglint.rules._debt_common import (
    KIND_WORDS,
    describe,
    flow_and_version,
    flow_versions,
    is_namespaced,
    runs,
)
from cfglint.rules.base import Options, Problem

ID = "DEBT004"
NAME = "debt.inactive-automation"
SEVERITY = "info"
OPTIONS: dict[str, Any] = {
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report automation of installed packages (namespaced names), which "
        "the org cannot delete.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    managed = bool(options["include-managed"])
    for versions in flow_versions(org.automations.values()).values():
        latest = versions[-1]
        if any(runs(version) for version in versions):
            continue
        if not managed and is_namespaced(latest.name):
            continue
        yield Problem(
            element_id=latest.id,
            message=_message(latest, len(versions)),
            location=latest.location,
            data={"kind": latest.kind.value, "status": latest.status, "versions": len(versions)},
        )


def _message(automation: Automation, versions: int) -> str:
    flow, version = flow_and_version(automation)
    state = f"in status {automation.status}" if automation.status else "inactive"
    if version is None:
        return f"{describe(automation)} is kept {state} and never runs"
    kept = f"{versions} versions" if versions > 1 else "1 version"
    return (
        f"{KIND_WORDS[automation.kind]} '{flow}' has {kept} and none is active "
        f"(version {version} is {state}); it never runs"
    )
