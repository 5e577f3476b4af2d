"""A field, object or automation with many dependents: a hot spot where every change is costly.

**Why it matters.** The *blast radius* of a component is everything that depends on it,
directly or through others: the layouts that show a field, the formulas, validation rules,
automations and reports that read it, the profiles that see those layouts, and so on. A field
with 60 dependents cannot be renamed, retyped or given a new picklist value without checking
60 things — this is how "changing a pipeline stage takes weeks of tracing" happens. Hot spots
are where change is most expensive and where a mistake breaks the most; they deserve
documentation, tests and care, and sometimes a simpler design.

**What is checked.** For each field, object and automation (see `kinds`) defined in the project,
the number of elements in the dependency graph that can reach it (`cfglint impact` lists them
with the reason for each: the count is the same). More than `max-dependents` is reported, with
the count per kind. Picklist values count when something names them (a stage, a validation
rule), and stages count one by one, as in `cfglint impact`. An object's dependents
include its fields and everything that depends on them, so objects get their own, higher
threshold, `max-object-dependents`. Components of installed packages (namespaced names) are
skipped unless `include-managed` is set.

**Failing example**: `Opportunity.Region__c` is shown on 12 layouts, read by 9 reports, 3 flows
and 2 validation rules: with the profiles assigned to those layouts, 31 dependents.

**Passing example**: a field used by one layout, one report and one flow.

**How to fix.** Run `cfglint impact PATH <element>` before changing a hot spot and test every
dependent it lists. Reduce coupling where it is accidental: reports that could group by a
formula instead of repeating logic, several layouts that could be one per role, automations that
read a field only to copy it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._debt_common import is_namespaced
from cfglint.rules.base import Options, Problem

ID = "DEBT009"
NAME = "debt.high-blast-radius"
SEVERITY = "info"
OPTIONS: dict[str, Any] = {
    "max-dependents": {
        "type": "integer",
        "minimum": 0,
        "default": 25,
        "description": "Report a field or automation with more dependents than this.",
    },
    "max-object-dependents": {
        "type": "integer",
        "minimum": 0,
        "default": 250,
        "description": "Report an object with more dependents than this (its fields and "
        "their dependents included).",
    },
    "kinds": {
        "type": "array",
        "items": {"enum": ["field", "object", "automation"]},
        "default": ["field", "object", "automation"],
        "description": "Which components to check.",
    },
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report components of installed packages (namespaced names).",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    # Imported here: the graph brings in networkx, which a cached lint never needs.
    from cfglint.graph import NodeKind, describe_counts, graph_for

    dependency_graph = graph_for(org, graph)
    kinds = [NodeKind(kind) for kind in options["kinds"]]
    radii = dependency_graph.blast_radii()
    object_limit = int(options["max-object-dependents"])
    other_limit = int(options["max-dependents"])
    # Most elements have few dependents: test the radius against the smaller limit before
    # sorting the ids and fetching the node, which copies its attributes.
    floor = min(object_limit, other_limit)
    for element_id in dependency_graph.nodes_of_kind(
            *kinds, where=lambda node_id, _: radii[node_id] > floor):
        total = radii[element_id]
        node = dependency_graph.node(element_id)
        limit = object_limit if node["kind"] == "object" else other_limit
        if total <= limit or not node["declared"]:
            continue
        if not options["include-managed"] and _managed(element_id, node):
            continue
        counts = dependency_graph.dependent_counts(element_id)
        yield Problem(
            element_id=element_id,
            message=(f"{_words(node)} {element_id} has {total} dependents "
                     f"(max {limit}): {describe_counts(counts)}"),
            location=dependency_graph.location(element_id),
            data={"dependents": total, "max": limit, "by_kind": counts},
        )


def _managed(element_id: str, node: dict[str, Any]) -> bool:
    name = element_id.partition(":")[2] if node["kind"] == "automation" else element_id
    return any(is_namespaced(part) for part in name.split("."))


def _words(node: dict[str, Any]) -> str:
    if node["kind"] == "automation":
        return "automation"
    return str(node["kind"])
