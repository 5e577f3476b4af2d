"""Several kinds of automation run when one object is saved, or its flows have no set order.

**Why it matters.** An Apex trigger, record-triggered flows, workflow rules and Process Builder
processes on the same object all run on every save, each at its own step of Salesforce's order
of execution, and a workflow field update runs the update triggers once more. "Which one fires
first, and which one overwrote my field?" then takes an admin hours of debug logs to answer, and
changing a stage or a field means reading automation in three tools. The same goes for two
record-triggered flows that run at the same moment (both before save, or both after save, on
overlapping events) when any of them has no trigger order: Salesforce then decides their order,
and the metadata does not show it.

Only active automations count. Apex triggers count when cfglint could read the trigger body
(`.trigger` beside its `-meta.xml`), since only the body names the object.

**Failing example**: on Opportunity, an active workflow rule `Flag Large Deals`, an after-save
flow `Opportunity_Close_Won_Handoff` and a trigger `OpportunityTrigger`.

**Failing example**: two after-save flows on Account, both on create and update, neither with a
trigger order.

**Passing example**: one record-triggered flow per object and timing, or several with
`<triggerOrder>` set on each; business logic that needs code in one trigger handler that the
flows do not duplicate.

**How to fix.** Choose one kind of automation per object (for declarative work: record-triggered
flows), migrate the others into it, and give every record-triggered flow of an object a trigger
order (Flow Trigger Explorer in Setup shows and sets it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from cfglint.model import Automation, AutomationKind, Org, SourceLocation
from cfglint.rules._debt_common import KIND_WORDS, fires_on_save, runs
from cfglint.rules.base import Options, Problem

ID = "DEBT003"
NAME = "debt.mixed-automation"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-kinds": {
        "type": "integer",
        "minimum": 1,
        "default": 1,
        "description": "How many kinds of automation (trigger, record-triggered flow, workflow "
        "rule, Process Builder) may run on saves of one object.",
    },
}

#: Record events a flow's ``trigger`` stands for; flows on disjoint events never compete.
EVENTS: dict[str, frozenset[str]] = {
    "create": frozenset({"create"}),
    "update": frozenset({"update"}),
    "create-or-update": frozenset({"create", "update"}),
    "delete": frozenset({"delete"}),
}
ALL_EVENTS = frozenset({"create", "update", "delete"})


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    by_object: dict[str, list[Automation]] = defaultdict(list)
    for automation in org.automations.values():
        if runs(automation) and fires_on_save(automation):
            by_object[automation.object_name or ""].append(automation)
    for object_name, automations in sorted(by_object.items()):
        location = _object_location(org, object_name, automations)
        problem = _mixed_kinds(object_name, automations, options["max-kinds"], location)
        if problem is not None:
            yield problem
        yield from _unordered_flows(object_name, automations, location)


def _object_location(
    org: Org, object_name: str, automations: list[Automation]
) -> SourceLocation | None:
    crm_object = org.objects.get(object_name)
    if crm_object is not None and crm_object.location is not None:
        return crm_object.location
    return min((a.location for a in automations if a.location), default=None)


def _mixed_kinds(
    object_name: str, automations: list[Automation], max_kinds: int,
    location: SourceLocation | None,
) -> Problem | None:
    names_by_kind: dict[str, list[str]] = defaultdict(list)
    for automation in automations:
        kind = "record-triggered flow" if automation.kind is AutomationKind.FLOW else (
            KIND_WORDS[automation.kind]
        )
        names_by_kind[kind].append(automation.name)
    if len(names_by_kind) <= max_kinds:
        return None
    kinds = {kind: sorted(names) for kind, names in sorted(names_by_kind.items())}
    listed = "; ".join(f"{kind} {_quoted(names)}" for kind, names in kinds.items())
    return Problem(
        element_id=object_name,
        message=f"{object_name} runs {len(kinds)} kinds of automation on save "
        f"(max {max_kinds}): {listed}",
        location=location,
        data={"kinds": kinds, "max_kinds": max_kinds},
    )


def _unordered_flows(
    object_name: str, automations: list[Automation], location: SourceLocation | None
) -> Iterator[Problem]:
    by_timing: dict[str, list[Automation]] = defaultdict(list)
    for automation in automations:
        if automation.kind is AutomationKind.FLOW:
            by_timing[automation.timing or "unknown timing"].append(automation)
    for timing, flows in sorted(by_timing.items()):
        competing = _competing(flows)
        unordered = sorted(flow.name for flow in competing if flow.trigger_order is None)
        if not unordered:
            continue
        names = sorted(flow.name for flow in competing)
        yield Problem(
            element_id=object_name,
            message=f"{object_name} has {len(names)} {timing} flows on the same record events, "
            f"{len(unordered)} without a trigger order: {_quoted(unordered)}",
            location=location,
            data={"timing": timing, "flows": names, "without_trigger_order": unordered},
        )


def _competing(flows: list[Automation]) -> list[Automation]:
    """The flows that share a record event (create, update, delete) with another flow."""
    events = [EVENTS.get(flow.trigger or "", ALL_EVENTS) for flow in flows]
    flows_per_event = Counter(event for flow_events in events for event in flow_events)
    return [
        flow for flow, flow_events in zip(flows, events, strict=True)
        if any(flows_per_event[event] > 1 for event in flow_events)
    ]


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)
