"""Automations that start each other in a loop, or one that starts itself again.

**Why it matters.** When flow A updates a field that starts flow B, and B updates a field that
starts A, every save runs A, B, A, B, ... until Salesforce stops the transaction (Apex
recursion is capped at 16 levels, flows at a few re-runs of the same record) and the user's
save fails with an error nobody can explain. Loops that happen to stop today, because a
condition turns false, break as soon as someone edits one of the automations. Nobody sees the
loop in Setup: each automation looks fine on its own. A single automation that updates its own
record and is started by that update (Lightning Flow Scanner's `RecursiveAfterUpdate`) is a
loop of one.

**What is checked.** cfglint derives the *cascade graph* from the dependency graph: automation
A leads to B when A writes a field of object O and B runs when an O record is updated (a
record-triggered flow or process on update, a workflow rule, an Apex trigger on update) and B
reads that field — its entry condition may test it — or reads no field of O at all (no known
filter, so any update starts it). Salesforce's order of execution is respected: a before-save
flow's updates of its own record start nothing new, and a workflow or approval field update of
its own record runs only the Apex update triggers again, and a Process Builder process
evaluates a record once per transaction, so it does not start itself. Inactive automation is
left out. One
finding per loop, on the loop's automation with the smallest id; a set of automations that are
all tangled together counts as one loop (the shortest one through that automation is shown).

Limits: the model does not separate an entry condition from everything else an automation
reads, so a field read only inside the flow still counts; what Apex triggers write is unknown,
so loops through Apex are not found; a workflow field update with "Re-evaluate Workflow Rules
after Field Change" does re-run workflow rules, which the model cannot see.

**Failing example**

```yaml
automations:
  Priority_From_Review:    # after save, on update: Review_Status__c changed -> set Priority__c
    {kind: flow, object: Opportunity, status: Active, trigger: update, timing: after-save,
     reads: [Review_Status__c], writes: [Priority__c]}
  Review_From_Priority:    # after save, on update: Priority__c changed -> set Review_Status__c
    {kind: flow, object: Opportunity, status: Active, trigger: update, timing: after-save,
     reads: [Priority__c], writes: [Review_Status__c]}
```

**Passing example**: one flow owns both fields, or `Review_From_Priority` becomes a before-save
flow that sets `Review_Status__c` on the record being saved, so no second save happens.

**How to fix.** Decide which automation owns each field and move the other update into it; use
before-save flows for updates of the record being saved; give after-save flows entry
conditions that only fire when the field really changed (`ISCHANGED`) and not when the other
automation wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cfglint.model import Org
from cfglint.rules._debt_common import KIND_WORDS, describe
from cfglint.rules.base import Options, Problem

if TYPE_CHECKING:
    from cfglint.graph import DependencyGraph

ID = "DEBT008"
NAME = "debt.automation-cycle"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}

#: A step names at most this many of the fields that make it happen.
MAX_FIELDS_NAMED = 3


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    # Imported here: the graph brings in networkx, which a cached lint never needs.
    from cfglint.graph import graph_for

    dependency_graph = graph_for(org, graph)
    for cycle in dependency_graph.automation_cycles():
        first = cycle[0]
        steps = _steps(dependency_graph, cycle)
        yield Problem(
            element_id=first,
            message=_message(org, cycle, steps),
            location=dependency_graph.location(first),
            data={"cycle": cycle, "fields": [fields for _, _, fields in steps]},
        )


def _steps(graph: DependencyGraph, cycle: list[str]) -> list[tuple[str, str, list[str]]]:
    """(automation, the one it starts, the fields written that start it) around the loop."""
    cascade = graph.automation_cascade()
    steps = []
    for index, source in enumerate(cycle):
        target = cycle[(index + 1) % len(cycle)]
        steps.append((source, target, list(cascade.edges[source, target]["fields"])))
    return steps


def _message(org: Org, cycle: list[str], steps: list[tuple[str, str, list[str]]]) -> str:
    if len(cycle) == 1:
        _, _, fields = steps[0]
        return (f"{_name(org, cycle[0], full=True)} starts itself again: it writes "
                f"{_fields(fields)}, and that update starts it (recursion)")
    parts = []
    for index, (source, target, fields) in enumerate(steps):
        again = " again" if index == len(steps) - 1 else ""
        parts.append(f"{_name(org, source, full=index == 0)} writes {_fields(fields)}, which "
                     f"starts {_name(org, target, full=False)}{again}")
    return f"automations start each other in a loop of {len(cycle)}: " + "; ".join(parts)


def _name(org: Org, automation_id: str, *, full: bool) -> str:
    automation = org.automations.get(automation_id)
    if automation is None:
        return automation_id
    if full:
        return describe(automation)
    return f"{KIND_WORDS[automation.kind]} '{automation.name}'"


def _fields(fields: list[str]) -> str:
    named = fields[:MAX_FIELDS_NAMED]
    more = len(fields) - len(named)
    text = " and ".join(named) if len(named) <= 2 else ", ".join(named)
    return text + (f" and {more} more" if more else "")
