"""A flow whose cyclomatic complexity is above `max-complexity`.

**Why it matters.** Every decision outcome and every loop adds a path that someone must
understand, and test, before changing the flow. Past a few dozen paths nobody holds the flow in
their head any more: fixes in one branch break another, debug runs cover a fraction of the
cases, and the flow becomes the component everyone is afraid to touch. Lightning Flow Scanner
flags flows above 25 for this reason; McCabe's original advice for code was 10.

**What is checked.** Lightning Flow Scanner's measure, *1 + the sum over decision elements of
(their outcomes + 1) + the number of loops*, for every flow and Process Builder process (for
Metadata API projects that keep one file per flow version, the latest version). cfglint's model
counts decision outcomes but not decision elements or loops, so the figure computed is
*1 + decision outcomes*: a lower bound of Flow Scanner's, which never reports a flow Flow
Scanner would pass. The message says "at least" for that reason.

**Failing example**: a record-triggered flow with four decisions of eight outcomes each
(1 + 32 = 33 > 25).

**Passing example**: the same logic split into a main flow that picks the case and one subflow
per case, each with a single decision of eight outcomes.

**How to fix.** Split the flow into subflows by responsibility; replace long decision ladders on
one field with a custom metadata lookup or a formula; move record-triggered logic that only
needs the record being saved into a before-save flow with fewer branches.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import AutomationKind, Org
from cfglint.rules._debt_common import describe, flow_versions
from cfglint.rules.base import Options, Problem

ID = "DEBT012"
NAME = "debt.flow-complexity"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-complexity": {
        "type": "integer",
        "minimum": 1,
        "default": 25,
        "description": "Report a flow whose cyclomatic complexity is above this.",
    },
}

FLOW_KINDS = frozenset({AutomationKind.FLOW, AutomationKind.PROCESS_BUILDER})


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    limit = int(options["max-complexity"])
    flows = (automation for automation in org.automations.values()
             if automation.kind in FLOW_KINDS)
    for versions in flow_versions(flows).values():
        flow = versions[-1]  # the latest version is the one people edit
        complexity = 1 + flow.decisions
        if complexity <= limit:
            continue
        yield Problem(
            element_id=flow.id,
            message=(f"{describe(flow)} has a cyclomatic complexity of at least {complexity} "
                     f"(max {limit}): {flow.decisions} decision outcomes in "
                     f"{flow.elements} elements"),
            location=flow.location,
            data={"complexity": complexity, "max": limit, "decisions": flow.decisions,
                  "elements": flow.elements},
        )
