"""The dependency graph of a configuration.

A ``networkx.MultiDiGraph`` whose nodes are model element ids and whose edges ``u -> v`` mean
"u depends on v", with a ``kind`` attribute (:class:`EdgeKind`). The impact of changing ``v`` is
everything that can reach it (``nx.ancestors``). Built once per run by :func:`build_graph`;
rules, ``impact``, ``graph`` and ``debt`` share it.

Nodes carry ``kind`` (a :class:`NodeKind` value), ``subkind`` (the model's finer kind: ``flow``,
``workflow``, ``layout``, ``flexipage``, ``fieldset``, ``permset``, ...), ``label``, ``object``,
``path``, ``line``, ``custom`` and ``declared`` (``False`` for an element that something
references but the project does not define, such as a standard field or a standard layout).

Edges (u depends on v):

==========================  =================================================================
u -> v                      kind
==========================  =================================================================
field -> object             belongs-to (also validation rule, view, list view, record type,
                            pipeline, duplicate / matching rule, quick action -> their object)
lookup field -> object      looks-up
dependent -> controlling    controls
picklist value -> field     has-value (a value node exists only where something keys on it)
field -> value set          has-value (global value set, or the standard set of a standard
                            picklist)
formula field -> field      reads (also the far field of a cross-object path, when the model
                            says where the relationship leads; and keyed picklist values)
validation rule -> field    reads (+ picklist values); displays its error field
automation -> field         reads / writes; triggers-on its object; calls other automations;
                            reads the other objects it touches
view -> field               displays (layouts, Lightning pages, compact layouts, field sets);
                            displays the quick actions it offers
profile -> view             assigned (``record_type`` edge attribute); profile -> record type
                            assigned; permission set group -> member assigned
record type -> pipeline     reads (its business process)
stage -> pipeline           belongs-to; stage -> its picklist value reads; stage -> field
                            requires-at
pipeline -> stage field     reads
report -> field             reads (+ its report type's object)
duplicate -> matching rule  reads; matching rule -> field reads
role -> field, profile      reads (what the role needs), assigned
quick action -> field       displays
list view -> field          reads (columns and filters)
==========================  =================================================================

Formula text is parsed by :mod:`cfglint.formulas`; building the graph stores what it finds in
:attr:`Field.formula_references` and :attr:`ValidationRule.references` so that other consumers
reuse it.
"""

from __future__ import annotations

import enum
import functools
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import networkx as nx

from cfglint import formulas
from cfglint.allocation import bulk_allocation
from cfglint.model import (
    Automation,
    AutomationKind,
    Field,
    FieldType,
    Org,
    Pipeline,
    Report,
    SourceLocation,
    ValidationRule,
    View,
    is_custom_name,
)


class NodeKind(str, enum.Enum):
    OBJECT = "object"
    FIELD = "field"
    PICKLIST_VALUE = "picklist-value"
    RECORD_TYPE = "record-type"
    VIEW = "view"
    PROFILE = "profile"
    ROLE = "role"
    AUTOMATION = "automation"
    VALIDATION_RULE = "validation-rule"
    REPORT = "report"
    DUPLICATE_RULE = "duplicate-rule"
    MATCHING_RULE = "matching-rule"
    PIPELINE = "pipeline"
    STAGE = "stage"
    QUICK_ACTION = "quick-action"
    INTEGRATION = "integration"
    VALUE_SET = "value-set"
    LIST_VIEW = "list-view"


class EdgeKind(str, enum.Enum):
    READS = "reads"
    WRITES = "writes"
    DISPLAYS = "displays"
    ASSIGNED = "assigned"
    LOOKS_UP = "looks-up"
    CONTROLS = "controls"
    TRIGGERS_ON = "triggers-on"
    REQUIRES_AT = "requires-at"
    CALLS = "calls"
    HAS_VALUE = "has-value"
    BELONGS_TO = "belongs-to"


#: When two elements are joined by edges of several kinds, paths name the first in this order.
_EDGE_RANK = {kind.value: rank for rank, kind in enumerate(EdgeKind)}
_NODE_RANK = {kind.value: rank for rank, kind in enumerate(NodeKind)}

#: The plain string of each kind (a member hashes as the string it also is), and the kinds that
#: run per field as plain strings: in Python 3.11 both ``Enum.value`` and reading a member off
#: its class (``EdgeKind.READS``) run Python code, some 0.2 µs each, which adds up per field.
_VALUES: dict[str, str] = {kind: kind.value for kinds in (NodeKind, EdgeKind) for kind in kinds}
_OBJECT = NodeKind.OBJECT.value
_FIELD = NodeKind.FIELD.value
_PICKLIST_VALUE = NodeKind.PICKLIST_VALUE.value
_AUTOMATION = NodeKind.AUTOMATION.value
_BELONGS_TO = EdgeKind.BELONGS_TO.value
_LOOKS_UP = EdgeKind.LOOKS_UP.value
_CONTROLS = EdgeKind.CONTROLS.value
_HAS_VALUE = EdgeKind.HAS_VALUE.value
_FIELD_TYPES: dict[str, str] = {field_type: field_type.value for field_type in FieldType}
_FORMULA = FieldType.FORMULA


@dataclass(frozen=True)
class Dependent:
    """An element that depends on the one asked about, with the shortest explaining path."""

    element_id: str
    kind: NodeKind
    distance: int
    #: (element id, edge kind, element id) hops from the dependent to the target.
    path: tuple[tuple[str, str, str], ...]


class DependencyGraph:
    """The graph plus the queries commands and rules need.

    Queries that rules run for thousands of elements read the graph's own dicts (``_node``,
    ``_succ``, ``_pred``) rather than networkx's views and algorithms, whose per-call wrapping
    cost more than the work. The graph is not changed once built: answers are memoized."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._formula_depths: dict[str, int] = {}
        self._formula_inputs_of: dict[str, list[str]] = {}
        self._counting_kinds: dict[str, str] = {}
        self._cascade: nx.DiGraph | None = None
        self._blast_radii: dict[str, int] | None = None

    def __contains__(self, element_id: object) -> bool:
        return element_id in self.graph

    def __len__(self) -> int:
        return int(self.graph.number_of_nodes())

    # -- elements ----------------------------------------------------------------------------

    def node(self, element_id: str) -> dict[str, Any]:
        """Node attributes: ``kind`` (NodeKind value), ``subkind``, ``label``, ``object``,
        ``path``, ``line``, ``custom``, ``declared``. ``KeyError`` for an unknown id."""
        return dict(self.graph._node[element_id])

    def location(self, element_id: str) -> SourceLocation | None:
        """Where the element is defined, from its node (``None`` when it is not defined in the
        project)."""
        data = self.graph.nodes[element_id]
        path = data.get("path")
        return SourceLocation(path, data.get("line")) if path else None

    def kind_of(self, element_id: str) -> NodeKind:
        return NodeKind(self.graph.nodes[element_id]["kind"])

    def nodes_of_kind(
        self, *kinds: NodeKind, where: Callable[[str, dict[str, Any]], object] | None = None
    ) -> list[str]:
        """Ids of every node of these kinds, sorted; with ``where``, only those it accepts
        given the id and the node's attributes (read in place, not copied as :meth:`node`
        copies them: rules filter every field of an org this way)."""
        wanted = {kind.value for kind in kinds}
        nodes = self.graph._node.items()
        if where is None:
            return sorted(node for node, data in nodes if data.get("kind") in wanted)
        return sorted(node for node, data in nodes
                      if data.get("kind") in wanted and where(node, data))

    def edge_kinds(self, source: str, target: str) -> list[str]:
        """Kinds of the edges ``source -> target``, in :class:`EdgeKind` order."""
        data = self.graph.get_edge_data(source, target) or {}
        return sorted({edge["kind"] for edge in data.values()}, key=_EDGE_RANK.__getitem__)

    # -- impact --------------------------------------------------------------------------------

    def dependents(self, element_id: str, depth: int | None = None) -> list[Dependent]:
        """Everything that depends on ``element_id``, transitively (up to ``depth`` hops),
        nearest first, each with its shortest path.

        One breadth-first walk against the edges, remembering through which element each
        dependent was first reached; ties are broken by id so the answer is deterministic."""
        graph = self.graph
        parents: dict[str, tuple[str, str]] = {}
        distances = {element_id: 0}
        frontier = [element_id]
        while frontier and (depth is None or distances[frontier[0]] < depth):
            next_frontier: list[str] = []
            for target in frontier:
                for source in sorted(graph.predecessors(target)):
                    if source in distances:
                        continue
                    distances[source] = distances[target] + 1
                    parents[source] = (target, self.edge_kinds(source, target)[0])
                    next_frontier.append(source)
            frontier = sorted(next_frontier)
        found = [
            Dependent(source, self.kind_of(source), distance, self._path(source, parents))
            for source, distance in distances.items()
            if source != element_id
        ]
        return sorted(found, key=lambda item: (item.distance, _NODE_RANK[item.kind.value],
                                               item.element_id))

    @staticmethod
    def _path(
        source: str, parents: dict[str, tuple[str, str]]
    ) -> tuple[tuple[str, str, str], ...]:
        hops: list[tuple[str, str, str]] = []
        current = source
        while current in parents:
            target, kind = parents[current]
            hops.append((current, kind, target))
            current = target
        return tuple(hops)

    def blast_radius(self, element_id: str) -> int:
        """How many elements depend on ``element_id`` (``len(ancestors)``)."""
        return self.blast_radii()[element_id]

    def blast_radii(self) -> dict[str, int]:
        """The blast radius of every node, computed once for all of them."""
        if self._blast_radii is None:
            self._blast_radii = _reach_counts(self.graph, against_edges=True)
        return self._blast_radii

    def dependent_counts(self, element_id: str) -> dict[str, int]:
        """How many dependents of each node kind (and automation / view sub-kind) an element
        has, e.g. ``{"flow": 3, "validation-rule": 2, "layout": 4}``."""
        ancestors = self._ancestors(element_id)
        kinds = self._counting_kinds  # shared by all calls: dependents overlap a lot
        nodes = self.graph._node
        for ancestor in ancestors.difference(kinds):
            kinds[ancestor] = counting_kind(nodes[ancestor])
        counts = Counter(map(kinds.__getitem__, ancestors))
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _ancestors(self, element_id: str) -> set[str]:
        """``nx.ancestors``: what reaches ``element_id``, without it (a plain search over the
        predecessor dicts)."""
        predecessors = self.graph._pred
        if element_id not in predecessors:
            raise nx.NetworkXError(f"The node {element_id} is not in the digraph.")
        found = {element_id}
        stack = [element_id]
        while stack:
            for source in predecessors[stack.pop()]:
                if source not in found:
                    found.add(source)
                    stack.append(source)
        found.discard(element_id)
        return found

    # -- structure -----------------------------------------------------------------------------

    def fan_in(self, element_id: str) -> int:
        """How many distinct elements depend on this one directly."""
        return len(set(self.graph.predecessors(element_id)))

    def fan_out(self, element_id: str) -> int:
        """How many distinct elements this one depends on directly."""
        return len(set(self.graph.successors(element_id)))

    def propagation_cost(self) -> float:
        """MacCormack's propagation cost: the density of the visibility matrix (the transitive
        closure with the diagonal), ``(sum of |descendants| + n) / n**2``."""
        count = self.graph.number_of_nodes()
        if count == 0:
            return 0.0
        reached: int = sum(_reach_counts(self.graph).values())
        return float(reached + count) / float(count * count)

    def largest_core(self) -> int:
        """Size of the largest strongly connected component (1 when the graph has no cycle)."""
        sizes = [len(component) for component in nx.strongly_connected_components(self.graph)]
        return max(sizes, default=0)

    def subgraph(self, focus: str, depth: int = 1) -> DependencyGraph:
        """The neighbourhood of ``focus``: what depends on it and what it depends on, up to
        ``depth`` hops each way, with the edges among those elements."""
        keep = {focus}
        for graph in (self.graph, self.graph.reverse(copy=False)):
            lengths = nx.single_source_shortest_path_length(graph, focus, cutoff=depth)
            keep.update(lengths)
        return DependencyGraph(self.graph.subgraph(keep).copy())

    # -- formulas ------------------------------------------------------------------------------

    def formula_depth(self, field_id: str) -> int:
        """Longest chain of formula fields ending at ``field_id`` (a plain field is 0, a
        formula over plain fields 1, a formula over that formula 2, ...)."""
        return len(self.formula_chain(field_id))

    def formula_chain(self, field_id: str) -> list[str]:
        """The longest chain of formula fields ending at ``field_id``, innermost first (ties go
        to the smallest id); empty for a plain field."""
        chain: list[str] = []
        current: str | None = field_id
        while current is not None and self._depth(current) > 0:
            chain.append(current)
            deeper = [
                (self._depth(source), source) for source in self._formula_inputs(current)
                if source not in chain
            ]
            best = max((depth for depth, _ in deeper), default=0)
            current = min((s for d, s in deeper if d == best), default=None) if best else None
        return chain[::-1]

    def _is_formula(self, field_id: str) -> bool:
        return bool(self.graph._node[field_id].get("formula"))

    def _formula_inputs(self, field_id: str) -> list[str]:
        """The fields ``field_id`` reads, sorted, memoized."""
        inputs = self._formula_inputs_of.get(field_id)
        if inputs is None:
            inputs = self._formula_inputs_of[field_id] = _field_targets(
                self.graph, field_id, EdgeKind.READS)
        return inputs

    def _depth(self, field_id: str) -> int:
        """Memoized longest formula chain, iterative so that deep chains cannot overflow the
        stack; a cycle (which the platform forbids) is cut where it closes."""
        memo = self._formula_depths
        if field_id in memo:
            return memo[field_id]
        if not self._is_formula(field_id):
            memo[field_id] = 0
            return 0
        in_progress = {field_id}
        stack: list[tuple[str, Iterator[str]]] = [(field_id, iter(self._formula_inputs(field_id)))]
        while stack:
            current, inputs = stack[-1]
            pending = next((s for s in inputs if s not in memo and s not in in_progress), None)
            if pending is None:
                memo[current] = 1 + max(
                    (memo.get(source, 0) for source in self._formula_inputs(current)), default=0
                )
                stack.pop()
                in_progress.discard(current)
            elif not self._is_formula(pending):
                memo[pending] = 0  # a plain field: no need to list what it reads
            else:
                in_progress.add(pending)
                stack.append((pending, iter(self._formula_inputs(pending))))
        return memo[field_id]

    # -- automation cascades -------------------------------------------------------------------

    def automation_cascade(self) -> nx.DiGraph:
        """The derived cascade graph: ``a -> b`` when automation ``a`` writes a field whose
        change starts ``b``; the ``fields`` edge attribute lists those fields."""
        if self._cascade is None:
            self._cascade = _cascade(self.graph)
        return self._cascade

    def automation_cycles(self) -> list[list[str]]:
        """Cycles in the automation cascade graph (a writes a field whose change triggers b,
        ..., back to a), each as a list of automation ids starting at the smallest id.

        Listing every simple cycle can take exponential time, so this reports one cycle per
        strongly connected component: the shortest one through the component's smallest id.
        A self-loop (an automation that re-triggers itself) is a cycle of one."""
        cascade = self.automation_cascade()
        cycles: list[list[str]] = []
        for component in nx.strongly_connected_components(cascade):
            start = min(component)
            if len(component) == 1 and not cascade.has_edge(start, start):
                continue
            cycles.append(_shortest_cycle(cascade, start, component))
        return sorted(cycles)


#: How summaries name each counting kind (see :func:`counting_kind`): singular, plural.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "object": ("object", "objects"),
    "field": ("field", "fields"),
    "picklist-value": ("picklist value", "picklist values"),
    "record-type": ("record type", "record types"),
    "layout": ("layout", "layouts"),
    "flexipage": ("Lightning page", "Lightning pages"),
    "compactlayout": ("compact layout", "compact layouts"),
    "view": ("record view", "record views"),
    "fieldset": ("field set", "field sets"),
    "profile": ("profile", "profiles"),
    "permset": ("permission set", "permission sets"),
    "permsetgroup": ("permission set group", "permission set groups"),
    "team": ("team", "teams"),
    "role": ("role", "roles"),
    "flow": ("flow", "flows"),
    "process-builder": ("Process Builder process", "Process Builder processes"),
    "workflow": ("workflow rule", "workflow rules"),
    "trigger": ("Apex trigger", "Apex triggers"),
    "approval": ("approval process", "approval processes"),
    "hubspot-workflow": ("HubSpot workflow", "HubSpot workflows"),
    "automation": ("automation", "automations"),
    "validation-rule": ("validation rule", "validation rules"),
    "report": ("report", "reports"),
    "duplicate-rule": ("duplicate rule", "duplicate rules"),
    "matching-rule": ("matching rule", "matching rules"),
    "pipeline": ("pipeline", "pipelines"),
    "stage": ("stage", "stages"),
    "quick-action": ("quick action", "quick actions"),
    "integration": ("integration", "integrations"),
    "value-set": ("value set", "value sets"),
    "list-view": ("list view", "list views"),
}


def count_words(count: int, kind: str) -> str:
    """``3 flows``, ``1 validation rule``."""
    singular, plural = KIND_WORDS.get(kind, (kind, kind + "s"))
    return f"{count} {singular if count == 1 else plural}"


def describe_counts(counts: dict[str, int]) -> str:
    """``3 flows, 2 validation rules, 5 reports`` (in the order given)."""
    return ", ".join(count_words(count, kind) for kind, count in counts.items())


def counting_kind(attributes: dict[str, Any]) -> str:
    """The kind an element is counted as in summaries: automations and views by their
    sub-kind (flow, workflow, layout, ...), everything else by node kind."""
    kind = str(attributes["kind"])
    if kind in _COUNTED_BY_SUBKIND:
        return str(attributes.get("subkind") or kind)
    return kind


#: Node kinds whose elements are counted by sub-kind (a plain set: this runs per dependent).
_COUNTED_BY_SUBKIND = frozenset(
    {NodeKind.AUTOMATION.value, NodeKind.VIEW.value, NodeKind.PROFILE.value})


def _shortest_cycle(cascade: nx.DiGraph, start: str, component: set[str]) -> list[str]:
    """The shortest cycle from ``start`` back to it inside ``component`` (breadth first,
    successors in id order)."""
    if cascade.has_edge(start, start):
        return [start]
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for successor in sorted(cascade.successors(current)):
            if successor == start:
                cycle = [current]
                while cycle[-1] != start:
                    cycle.append(parents[cycle[-1]])
                return cycle[::-1]
            if successor in component and successor not in parents:
                parents[successor] = current
                queue.append(successor)
    return [start]  # unreachable for a strongly connected component


def _reach_counts(graph: nx.MultiDiGraph, *, against_edges: bool = False) -> dict[str, int]:
    """For every node (in node order), how many other nodes it reaches, following the edges or,
    with ``against_edges``, going against them (how many reach it).

    One pass in reverse topological order with a bit set per node, instead of one search per
    node. Configuration graphs are nearly always acyclic; a graph with a cycle is walked by its
    strongly connected components instead."""
    successors, predecessors = (
        (graph._pred, graph._succ) if against_edges else (graph._succ, graph._pred)
    )
    # Distinct neighbours are the keys of the adjacency dicts: parallel edges count once.
    incoming = {node: len(sources) for node, sources in predecessors.items()}
    order = _topological_order(successors, incoming)
    counts = dict.fromkeys(graph._node, 0)
    if order is not None:
        _count_reach(order[::-1], successors, incoming, counts, None)
        return counts
    condensed = nx.condensation(graph.reverse(copy=False) if against_edges else graph)
    members: dict[Any, list[str]] = {}
    for node, component in condensed.graph["mapping"].items():
        members.setdefault(component, []).append(node)
    component_successors = {
        component: dict.fromkeys(condensed.successors(component)) for component in condensed}
    component_incoming = dict.fromkeys(component_successors, 0)
    for targets in component_successors.values():
        for target in targets:
            component_incoming[target] += 1
    component_order = _topological_order(component_successors, component_incoming)
    assert component_order is not None  # a condensation is acyclic
    _count_reach(component_order[::-1], component_successors, component_incoming, counts,
                 members)
    return counts


def _count_reach(
    order: list[Any], successors: Mapping[Any, Iterable[Any]], incoming: dict[Any, int],
    counts: dict[str, int], members: dict[Any, list[str]] | None,
) -> None:
    """Fill ``counts`` walking ``order`` (every component after those it reaches); a component
    is a node when ``members`` is None, else the nodes ``members`` lists.

    Each component that something reaches gets bits (one per node) in walk order, and keeps
    the set of what it reaches as an integer, without its own bits: those are set by whoever
    reaches it. Walking against the edges (blast radii), most elements are fields, reached only
    from their object and walked late, so their own bits are high while what they reach
    (views, reports, automations, profiles, walked early) lies in low bits: keeping their own
    bits out keeps their sets small integers. A set is dropped once every component that
    reaches it has used it, so memory follows the frontier of the walk."""
    waiting = dict(incoming)
    reach: dict[Any, int] = {}
    first_bit: dict[Any, int] = {}
    position = 0
    for component in order:
        bits = 0
        own: list[int] = []  # the bits of the components it reaches directly
        for successor in successors[component]:
            bits |= reach[successor]
            if members is None:
                own.append(first_bit[successor])
            else:
                first = first_bit[successor]
                own.extend(range(first, first + len(members[successor])))
            left = waiting[successor] - 1
            if left:
                waiting[successor] = left
            else:
                del reach[successor], first_bit[successor]
        if len(own) == 1:
            bits |= 1 << own[0]
        elif own:
            bits |= _bits_at(own)
        size = 1 if members is None else len(members[component])
        if waiting[component]:
            reach[component] = bits
            first_bit[component] = position
            position += size
        reached = bits.bit_count() + size - 1  # the rest of its component, not itself
        if members is None:
            counts[component] = reached
        else:
            for node in members[component]:
                counts[node] = reached


def _bits_at(positions: list[int]) -> int:
    """An integer with these bits set, built in one buffer (``1 << p`` for each would build
    an integer as long as ``p`` each time)."""
    buffer = bytearray((max(positions) >> 3) + 1)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def _topological_order(
    successors: Mapping[Any, Iterable[Any]], incoming: dict[Any, int]
) -> list[Any] | None:
    """Kahn's algorithm over distinct successors with their counts of distinct predecessors
    (parallel edges counted once, which networkx's sort on the multigraph does not do); None
    when there is a cycle."""
    waiting = dict(incoming)
    order = [node for node, count in waiting.items() if not count]
    for node in order:  # the list grows while it is walked
        for target in successors[node]:
            left = waiting[target] - 1
            waiting[target] = left
            if not left:
                order.append(target)
    return order if len(order) == len(successors) else None


# --- building ---------------------------------------------------------------------------------

#: ``FK_OPP_`` report columns name a field of the Opportunity a lookup leads to.
OPPORTUNITY_LOOKUP_PREFIX = "FK_OPP_"

#: Column tokens of Opportunity report types for standard Opportunity fields (reports name
#: standard fields by these tokens, which the reader leaves unresolved).
OPPORTUNITY_REPORT_COLUMNS: dict[str, str] = {
    "OPPORTUNITY_NAME": "Name",
    "STAGE_NAME": "StageName",
    "AMOUNT": "Amount",
    "CLOSE_DATE": "CloseDate",
    "PROBABILITY": "Probability",
    "TYPE": "Type",
    "LEAD_SOURCE": "LeadSource",
    "NEXT_STEP": "NextStep",
    "FORECAST_CATEGORY": "ForecastCategoryName",
    "CAMPAIGN_SOURCE": "CampaignId",
    "EXP_AMOUNT": "ExpectedRevenue",
    "ACCOUNT_NAME": "AccountId",
    "RECORDTYPE": "RecordTypeId",
    "DESCRIPTION": "Description",
}

#: Standard relationship names whose target object differs from the name.
STANDARD_RELATIONSHIPS: dict[str, str] = {
    "Owner": "User",
    "CreatedBy": "User",
    "LastModifiedBy": "User",
    "RecordType": "RecordType",
}

#: Automations whose expressions are formulas over their own object (rule criteria, field
#: update formulas); flow expressions use merge fields the reader already resolved.
_FORMULA_EXPRESSION_KINDS = (AutomationKind.WORKFLOW_RULE, AutomationKind.APPROVAL_PROCESS)

_SUMMARY = re.compile(r"^\s*[A-Z]+\((?P<field>[^()]*)\)\s*$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")  # HubSpot ids: 2-123456, p1_cars


@bulk_allocation
def build_graph(org: Org) -> DependencyGraph:
    """The dependency graph of ``org``; also fills the model's formula references."""
    builder = _Builder(org)
    builder.build()
    return DependencyGraph(builder.graph)


def graph_for(org: Org, graph: Any) -> DependencyGraph:
    """The graph a rule was given, or one built now when the caller passed none."""
    return graph if isinstance(graph, DependencyGraph) else build_graph(org)


class _Builder:
    """One pass over the model, adding a node per element and an edge per dependency.

    Nodes and edges go straight into the graph's own dicts, exactly as ``add_node`` and
    ``add_edge`` of a ``networkx.MultiDiGraph`` would store them (same dicts, same order, one
    key dict shared by the successor and predecessor entries): the public methods check their
    arguments and clear caches on every call, which was most of the building time."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.graph = nx.MultiDiGraph()
        self.nodes: dict[str, dict[str, Any]] = self.graph._node
        self.successors: dict[str, dict[str, dict[str, dict[str, Any]]]] = self.graph._succ
        self.predecessors: dict[str, dict[str, dict[str, dict[str, Any]]]] = self.graph._pred
        #: Automation ids by their unversioned id (``flow:Name`` for ``flow:Name-3``).
        self.automation_ids: dict[str, str] = {}
        #: Every field with its id (``Field.id`` builds a new string on each call).
        self.fields = [(model_field.id, model_field) for model_field in org.fields()]
        #: Field ids by their lower-case form: formulas name fields in any case.
        self.field_ids = {field_id.lower(): field_id for field_id, _ in self.fields}
        #: Parsed formulas by (text, object): generated and packaged metadata repeats them.
        self.parsed: dict[tuple[str, str], list[formulas.FieldReference]] = {}

    # -- nodes and edges ---------------------------------------------------------------------

    def put_node(self, element_id: str, attributes: dict[str, Any]) -> None:
        """``add_node``: a new node gets ``attributes`` (the dict itself), a known one has its
        attributes updated."""
        known = self.nodes.get(element_id)
        if known is None:
            self.successors[element_id] = {}
            self.predecessors[element_id] = {}
            self.nodes[element_id] = attributes
        else:
            known.update(attributes)

    def add(
        self, element_id: str, kind: str, *, label: str | None = None,
        object_name: str | None = None, location: SourceLocation | None = None,
        custom: bool = False, subkind: str | None = None, **extra: Any,
    ) -> None:
        """A node the project defines; ``kind`` is a :class:`NodeKind` or its value."""
        kind_value = _VALUES[kind]
        self.put_node(element_id, {
            "kind": kind_value,
            "subkind": subkind or kind_value,
            "label": label or element_id,
            "object": object_name,
            "path": location.path if location else None,
            "line": location.line if location else None,
            "custom": custom,
            "declared": True,
            **extra,
        })

    def edge(self, source: str, target: str, kind: str, **attributes: Any) -> None:
        """``add_edge(source, target, key, kind=..., **attributes)`` for an :class:`EdgeKind`
        (or its value): the key is the kind (and the record type, when there is one); an
        unknown end becomes a node without attributes, and an edge that exists already has its
        attributes updated."""
        key = kind_value = _VALUES[kind]
        data = {"kind": kind_value}
        if attributes:
            if attributes.get("record_type"):
                key = f"{key}@{attributes['record_type']}"
            data.update(attributes)
        successors = self.successors
        out = successors.get(source)
        if out is None:
            self.put_node(source, {})
            out = successors[source]
        if target not in successors:
            self.put_node(target, {})
        keyed = out.get(target)
        if keyed is None:
            out[target] = self.predecessors[target][source] = {key: data}
        elif key in keyed:
            keyed[key].update(data)
        else:
            keyed[key] = data

    def ensure_object(self, name: str) -> str:
        if name not in self.nodes:
            self.put_node(name, {
                "kind": _OBJECT, "subkind": _OBJECT, "label": name, "object": name,
                "path": None, "line": None, "custom": is_custom_name(name), "declared": False,
            })
        return name

    def ensure_field(self, field_id: str) -> str | None:
        """The node of a field id, created (undeclared) when the project does not define the
        field; ``None`` for something that is not a field id."""
        nodes = self.nodes
        if field_id in nodes:
            return field_id
        field_id = self.canonical(field_id)
        if field_id in nodes:
            return field_id
        object_name, dot, name = field_id.partition(".")
        if not dot or not _IDENTIFIER.match(object_name) or not _IDENTIFIER.match(name):
            return None
        self.put_node(field_id, {
            "kind": _FIELD, "subkind": _FIELD, "label": field_id, "object": object_name,
            "path": None, "line": None, "custom": is_custom_name(name), "declared": False,
            "formula": False,
        })
        self.edge(field_id, self.ensure_object(object_name), _BELONGS_TO)
        return field_id

    def canonical(self, field_id: str) -> str:
        """The model's spelling of a field id (``opportunity.amount`` -> ``Opportunity.Amount``)."""
        return self.field_ids.get(field_id.lower(), field_id)

    def ensure_value(self, field_id: str, value: str) -> str | None:
        field_node = self.ensure_field(field_id)
        if field_node is None or not value:
            return None
        value_id = f"{field_id}={value}"
        if value_id not in self.nodes:
            self.put_node(value_id, {
                "kind": _PICKLIST_VALUE, "subkind": _PICKLIST_VALUE, "label": value,
                "object": field_id.partition(".")[0], "path": None, "line": None,
                "custom": False, "declared": True,
            })
            self.edge(value_id, field_node, EdgeKind.HAS_VALUE)
        return value_id

    def ensure(self, element_id: str, kind: NodeKind, object_name: str | None = None,
               subkind: str | None = None) -> str:
        """A node for an element something names but the project does not define."""
        if element_id not in self.nodes:
            kind_value = _VALUES[kind]
            self.put_node(element_id, {
                "kind": kind_value, "subkind": subkind or kind_value, "label": element_id,
                "object": object_name, "path": None, "line": None, "custom": False,
                "declared": False,
            })
        return element_id

    def reads(self, source: str, field_ids: Iterable[str], kind: EdgeKind = EdgeKind.READS
              ) -> None:
        for field_id in field_ids:
            target = self.ensure_field(field_id)
            if target is not None and target != source:
                self.edge(source, target, kind)

    # -- the model, element family by element family -----------------------------------------

    def build(self) -> None:
        org = self.org
        for crm_object in org.objects.values():
            self.add(crm_object.id, NodeKind.OBJECT, label=crm_object.label,
                     object_name=crm_object.name, location=crm_object.location,
                     custom=crm_object.custom)
        self._field_nodes()
        self._value_sets()
        self._automation_nodes()
        for field_id, model_field in self.fields:
            self._field(field_id, model_field)
        self._object_children()
        self._views()
        self._profiles()
        self._pipelines()
        self._automations()
        self._reports()
        self._data_quality()
        self._quick_actions()
        self._roles()
        for integration in org.integrations.values():
            self.add(integration.id, NodeKind.INTEGRATION, label=integration.name,
                     location=integration.location, subkind=integration.kind)

    def _field_nodes(self) -> None:
        for field_id, model_field in self.fields:
            self.add(field_id, _FIELD, label=model_field.label, object_name=model_field.object_name,
                     location=model_field.location, custom=model_field.custom,
                     formula=model_field.type is _FORMULA,
                     subkind=_FIELD_TYPES[model_field.type])

    def _value_sets(self) -> None:
        for value_set in self.org.value_sets.values():
            self.add(value_set.id, NodeKind.VALUE_SET, label=value_set.name,
                     location=value_set.location,
                     subkind="standardvalueset" if value_set.standard else "globalvalueset")

    def _field(self, field_id: str, model_field: Field) -> None:
        self.edge(field_id, model_field.object_name, _BELONGS_TO)
        for target in model_field.reference_to:
            if _IDENTIFIER.match(target):
                self.edge(field_id, self.ensure_object(target), _LOOKS_UP)
        if model_field.controlling_field:
            controlling = self.ensure_field(
                _qualified(model_field.object_name, model_field.controlling_field)
            )
            if controlling is not None:
                self.edge(field_id, controlling, _CONTROLS)
        value_set = self._value_set_of(field_id, model_field)
        if value_set is not None:
            self.edge(field_id, value_set, _HAS_VALUE)
        if model_field.formula:
            self._formula_field(field_id, model_field)

    def _value_set_of(self, field_id: str, model_field: Field) -> str | None:
        if model_field.value_set_name:
            return self.ensure(f"globalvalueset:{model_field.value_set_name}",
                               NodeKind.VALUE_SET, subkind="globalvalueset")
        standard = self.standard_value_sets.get(field_id)
        if standard is not None and standard in self.nodes:
            return standard
        return None

    @functools.cached_property
    def standard_value_sets(self) -> dict[str, str]:
        """Standard picklist field id -> its standard value set id (Salesforce only)."""
        if self.org.platform != "salesforce":
            return {}
        from cfglint.readers.salesforce_xml.values import STANDARD_PICKLISTS

        return {
            f"{object_name}.{field_name}": f"standardvalueset:{set_name}"
            for set_name, fields in STANDARD_PICKLISTS.items()
            for object_name, field_name in fields
        }

    def _formula_field(self, field_id: str, model_field: Field) -> None:
        formula = model_field.formula or ""
        summary = _SUMMARY.match(formula) if model_field.source_type == "Summary" else None
        if summary is not None:
            # Roll-up summaries read a field of the child object, named Object.Field.
            summarized = summary["field"].strip()
            targets = [self.canonical(summarized)] if "." in summarized else []
            model_field.formula_references = targets
            self.reads(field_id, targets)
            return
        references = self.references(formula, model_field.object_name)
        model_field.formula_references = _unique(
            self.canonical(reference.field_id) for reference in references
        )
        self.read_references(field_id, model_field.object_name, references)

    def references(self, formula: str, object_name: str) -> list[formulas.FieldReference]:
        """What a formula on ``object_name`` reads (parsed once per text and object; the list
        is shared, so callers only read it)."""
        key = (formula, object_name)
        found = self.parsed.get(key)
        if found is None:
            found = self.parsed[key] = self._parse(formula, object_name)
        return found

    def _parse(self, formula: str, object_name: str) -> list[formulas.FieldReference]:
        if not formula.strip():
            return []
        if self.org.platform == "hubspot":
            return formulas.hubspot_references(formula, object_name)
        return formulas.salesforce_references(formula, object_name)

    def read_references(
        self, source: str, object_name: str, references: list[formulas.FieldReference]
    ) -> None:
        """Edges for what a formula reads: each field (and the far field of a cross-object
        path when the model says where it leads) and each picklist value it compares to."""
        for reference in references:
            if reference.field_id.startswith("$"):
                continue
            self.reads(source, [reference.field_id])
            if reference.path:
                far = self.far_field(object_name, reference.path)
                if far is not None:
                    self.reads(source, [far])
            if reference.picklist_value:
                value = self.ensure_value(self.canonical(reference.field_id),
                                          reference.picklist_value)
                if value is not None:
                    self.edge(source, value, EdgeKind.READS)

    def far_field(self, object_name: str, path: tuple[str, ...]) -> str | None:
        """``("Account", "Industry")`` from Opportunity -> ``Account.Industry``: follow each
        relationship through its lookup field's target, or the standard relationship names."""
        current = object_name
        for hop in path[:-1]:
            target = self.relationship_target(current, hop)
            if target is None:
                return None
            current = target
        return f"{current}.{path[-1]}" if path else None

    def relationship_target(self, object_name: str, relationship: str) -> str | None:
        lookup = self.org.field(f"{object_name}.{_lookup_name(relationship)}")
        if lookup is not None and lookup.reference_to:
            return lookup.reference_to[0]
        if relationship in STANDARD_RELATIONSHIPS:
            return STANDARD_RELATIONSHIPS[relationship]
        return relationship if relationship in self.org.objects else None

    def field_of(self, object_name: str | None, name: str) -> str | None:
        """The field id a view, list view, field set or matching rule names: a field of its
        object, a qualified ``Object.Field``, or a path through a relationship (read through
        its lookup field)."""
        if object_name is None:
            return name if name.count(".") == 1 and self.org.field(name) else None
        head, dot, rest = name.partition(".")
        if not dot:
            return f"{object_name}.{name}"
        if head == object_name and "." not in rest:
            return name
        lookup = f"{object_name}.{_lookup_name(head)}"
        if self.org.field(lookup) is not None:
            return lookup
        if "." not in rest and self.org.field(name) is not None:
            return name
        return lookup

    def _object_children(self) -> None:
        for crm_object in self.org.objects.values():
            object_name = crm_object.name
            for record_type in crm_object.record_types.values():
                self.add(record_type.id, NodeKind.RECORD_TYPE, label=record_type.label,
                         object_name=object_name, location=record_type.location)
                self.edge(record_type.id, object_name, EdgeKind.BELONGS_TO)
                if record_type.business_process:
                    process = unquote(record_type.business_process)
                    pipeline = self.ensure(f"pipeline:{object_name}.{process}",
                                           NodeKind.PIPELINE, object_name)
                    self.edge(record_type.id, pipeline, EdgeKind.READS)
            for rule in crm_object.validation_rules.values():
                self._validation_rule(rule.id, object_name, rule)
            for list_view in crm_object.list_views.values():
                self.add(list_view.id, NodeKind.LIST_VIEW, label=list_view.label,
                         object_name=object_name, location=list_view.location)
                self.edge(list_view.id, object_name, EdgeKind.BELONGS_TO)
                names = [*list_view.columns, *(f.split(" ", 1)[0] for f in list_view.filters)]
                self.reads(list_view.id, self._known_fields(object_name, names))
            for field_set in crm_object.field_sets.values():
                self.add(field_set.id, NodeKind.VIEW, label=field_set.label,
                         object_name=object_name, location=field_set.location,
                         subkind="fieldset")
                self.edge(field_set.id, object_name, EdgeKind.BELONGS_TO)
                self._displays(field_set.id, object_name, field_set.fields)

    def _known_fields(self, object_name: str, names: Iterable[str]) -> list[str]:
        """List view columns are API names or platform tokens (``ACCOUNT.NAME``); names of
        fields in the model, custom field names and the Opportunity tokens are references."""
        found = []
        for name in names:
            token = name.partition(".")[2] if name.startswith("OPPORTUNITY.") else None
            if object_name == "Opportunity" and token in OPPORTUNITY_REPORT_COLUMNS:
                found.append(f"Opportunity.{OPPORTUNITY_REPORT_COLUMNS[token]}")
                continue
            field_id = f"{object_name}.{name}" if "." not in name else name
            if self.org.field(field_id) is not None or (
                "." not in name and is_custom_name(name)
            ):
                found.append(field_id)
        return found

    def _validation_rule(self, rule_id: str, object_name: str, rule: ValidationRule) -> None:
        self.add(rule_id, NodeKind.VALIDATION_RULE, label=rule.name, object_name=object_name,
                 location=rule.location)
        self.edge(rule_id, object_name, EdgeKind.BELONGS_TO)
        if rule.formula:
            references = self.references(rule.formula, object_name)
            rule.references = _unique(
                self.canonical(reference.field_id) for reference in references
            )
            self.read_references(rule_id, object_name, references)
        else:
            self.reads(rule_id, rule.references)
        if rule.error_field:
            self.reads(rule_id, [_qualified(object_name, rule.error_field)], EdgeKind.DISPLAYS)

    def _displays(self, view_id: str, object_name: str | None, names: Iterable[str]) -> None:
        field_of = self.field_of
        shown = [field_id for name in names
                 if (field_id := field_of(object_name, name)) is not None]
        self.reads(view_id, shown, EdgeKind.DISPLAYS)

    def _views(self) -> None:
        for view in self.org.views.values():
            self.add(view.id, NodeKind.VIEW, label=view.label or view.name,
                     object_name=view.object_name, location=view.location,
                     subkind=view.kind.value)
            if view.object_name:
                self.edge(view.id, self.ensure_object(view.object_name), EdgeKind.BELONGS_TO)
            self._displays(view.id, view.object_name, view.field_names())
            for action in self._view_actions(view):
                self.edge(view.id, action, EdgeKind.DISPLAYS)

    def _view_actions(self, view: View) -> list[str]:
        actions = self.org.quick_actions
        found = []
        for name in view.components:
            for candidate in (f"quickaction:{view.object_name}.{name}", f"quickaction:{name}"):
                if candidate in actions:
                    found.append(candidate)
                    break
        return found

    def _profiles(self) -> None:
        org = self.org
        for profile in org.profiles.values():
            self.add(profile.id, NodeKind.PROFILE, label=profile.label or profile.name,
                     location=profile.location, custom=profile.custom,
                     subkind=profile.kind.value)
        for profile in org.profiles.values():
            for member in profile.members:
                self.edge(profile.id, self.ensure(member, NodeKind.PROFILE, subkind="permset"),
                          EdgeKind.ASSIGNED)
            for record_type in profile.record_types:
                self.edge(profile.id, self._record_type(record_type), EdgeKind.ASSIGNED)
        for assignment in org.view_assignments:
            view = self.ensure(assignment.view_id, NodeKind.VIEW,
                               _layout_object(assignment.view_id), subkind="layout")
            who = self.ensure(assignment.profile_id, NodeKind.PROFILE)
            self.edge(who, view, EdgeKind.ASSIGNED, record_type=assignment.record_type)

    def _record_type(self, record_type_id: str) -> str:
        object_name = record_type_id.partition(":")[2].partition(".")[0] or None
        return self.ensure(record_type_id, NodeKind.RECORD_TYPE, object_name)

    def _pipelines(self) -> None:
        for pipeline in self.org.pipelines.values():
            self.add(pipeline.id, NodeKind.PIPELINE, label=pipeline.label or pipeline.name,
                     object_name=pipeline.object_name, location=pipeline.location)
            self.edge(pipeline.id, self.ensure_object(pipeline.object_name),
                      EdgeKind.BELONGS_TO)
            stage_field = (
                _qualified(pipeline.object_name, pipeline.stage_field)
                if pipeline.stage_field else None
            )
            if stage_field:
                self.reads(pipeline.id, [stage_field])
            self._stages(pipeline, stage_field)

    def _stages(self, pipeline: Pipeline, stage_field: str | None) -> None:
        for stage in pipeline.stages:
            stage_id = pipeline.stage_id(stage)
            self.add(stage_id, NodeKind.STAGE, label=stage.label or stage.name,
                     object_name=pipeline.object_name, location=pipeline.location)
            self.edge(stage_id, pipeline.id, EdgeKind.BELONGS_TO)
            if stage_field:
                value = self.ensure_value(stage_field, stage.name)
                if value is not None:
                    self.edge(stage_id, value, EdgeKind.READS)
            required = [_qualified(pipeline.object_name, name) for name in stage.required_fields]
            self.reads(stage_id, required, EdgeKind.REQUIRES_AT)

    def _automation_nodes(self) -> None:
        for automation_id, automation in self.org.automations.items():
            self.add(automation_id, NodeKind.AUTOMATION,
                     label=automation.label or automation.name,
                     object_name=automation.object_name, location=automation.location,
                     subkind=automation.kind.value, active=_runs(automation),
                     on_update=_starts_on_update(automation), timing=automation.timing,
                     trigger=automation.trigger)
            unversioned = _unversioned(automation)
            known = self.automation_ids.get(unversioned)
            if known is None or _prefer(automation, self.org.automations[known]):
                self.automation_ids[unversioned] = automation_id

    def _automations(self) -> None:
        for automation_id, automation in self.org.automations.items():
            if automation.object_name:
                self.edge(automation_id, self.ensure_object(automation.object_name),
                          EdgeKind.TRIGGERS_ON)
            self.reads(automation_id, automation.reads)
            self.reads(automation_id, automation.writes, EdgeKind.WRITES)
            if automation.kind in _FORMULA_EXPRESSION_KINDS and automation.object_name:
                self._automation_expressions(automation_id, automation)
            for called in automation.calls:
                target = self.automation_ids.get(called, called)
                if target in self.org.automations and target != automation_id:
                    self.edge(automation_id, target, EdgeKind.CALLS)
            for object_name in automation.touches_objects:
                if _IDENTIFIER.match(object_name):
                    self.edge(automation_id, self.ensure_object(object_name), EdgeKind.READS)

    def _automation_expressions(self, automation_id: str, automation: Automation) -> None:
        object_name = automation.object_name or ""
        for expression in automation.expressions:
            references = self.references(expression, object_name)
            self.read_references(automation_id, object_name, references)

    def _reports(self) -> None:
        for report in self.org.reports.values():
            self.add(report.id, NodeKind.REPORT, label=report.label or report.name,
                     location=report.location, subkind="forecast" if report.is_forecast
                     else "report")
            self.reads(report.id, report.fields)
            self.reads(report.id, _report_tokens(report))
            base = _report_object(report.report_type)
            if base is not None and base in self.org.objects:
                self.edge(report.id, base, EdgeKind.READS)

    def _data_quality(self) -> None:
        org = self.org
        for matching in org.matching_rules.values():
            self.add(matching.id, NodeKind.MATCHING_RULE, label=matching.label or matching.name,
                     object_name=matching.object_name, location=matching.location)
            self.edge(matching.id, self.ensure_object(matching.object_name),
                      EdgeKind.BELONGS_TO)
            self.reads(matching.id, [_qualified(matching.object_name, name)
                                     for name in matching.fields])
        for rule in org.duplicate_rules.values():
            self.add(rule.id, NodeKind.DUPLICATE_RULE, label=rule.label or rule.name,
                     object_name=rule.object_name, location=rule.location)
            self.edge(rule.id, self.ensure_object(rule.object_name), EdgeKind.BELONGS_TO)
            for name in rule.matching_rules:
                matching_id = (
                    f"matchingrule:{name}" if "." in name
                    else f"matchingrule:{rule.object_name}.{name}"
                )
                target = self.ensure(matching_id, NodeKind.MATCHING_RULE, rule.object_name)
                self.edge(rule.id, target, EdgeKind.READS)

    def _quick_actions(self) -> None:
        for action in self.org.quick_actions.values():
            self.add(action.id, NodeKind.QUICK_ACTION, label=action.label or action.name,
                     object_name=action.object_name, location=action.location,
                     subkind=action.action_type or NodeKind.QUICK_ACTION.value)
            if action.object_name:
                self.edge(action.id, self.ensure_object(action.object_name),
                          EdgeKind.BELONGS_TO)
            target = action.target_object or action.object_name
            self._displays(action.id, target, [item.field for item in action.fields])

    def _roles(self) -> None:
        for role in self.org.roles.values():
            self.add(role.id, NodeKind.ROLE, label=role.label or role.name,
                     location=role.location)
            for profile in role.profiles:
                self.edge(role.id, self.ensure(profile, NodeKind.PROFILE), EdgeKind.ASSIGNED)
            self.reads(role.id, [need.field for need in role.needs])


# --- the automation cascade graph ---------------------------------------------------------------


def _cascade(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """``a -> b`` when ``a`` writes a field of object O and ``b`` runs when an O record is
    updated, and ``b`` reads that field (its entry condition may test it) or reads no field of
    O at all (no known filter). Only automations that run take part.

    Salesforce's order of execution decides what a write starts: a before-save flow's writes to
    its own record are part of the same save and start nothing; a workflow or approval field
    update on its own record runs the update triggers once more but no flow, process or workflow
    rule (the model does not keep ``reevaluateOnChange``, which would re-evaluate workflow
    rules); a Process Builder process evaluates a record once per transaction, so it does not
    start itself again (unless recursion is allowed, which the model does not keep); any other
    write is a save that starts them all. Approximations, documented in DEBT008: the model does
    not separate an entry condition from the rest of what an automation reads, so any read
    counts; Apex triggers always run on update, but what they write is unknown."""
    nodes = graph._node
    automations = sorted([
        node for node, data in nodes.items()
        if data["kind"] == _AUTOMATION and data.get("active")
    ])
    # Each automation an update starts, with the fields it reads and their objects.
    starters: dict[str, list[tuple[str, set[str], set[str]]]] = {}
    for automation in automations:
        if nodes[automation].get("on_update") and nodes[automation]["object"]:
            reads = set(_field_targets(graph, automation, EdgeKind.READS))
            starters.setdefault(nodes[automation]["object"], []).append(
                (automation, reads, {nodes[read]["object"] for read in reads}))
    cascade = nx.DiGraph()
    for automation in automations:
        own_object = nodes[automation]["object"]
        before_save = nodes[automation].get("timing") == "before-save"
        field_update = nodes[automation]["subkind"] in _FIELD_UPDATE_KINDS
        started: dict[str, list[str]] = {}
        for field_id in _field_targets(graph, automation, EdgeKind.WRITES):
            object_name = nodes[field_id]["object"]
            if before_save and object_name == own_object:
                continue
            for target, reads, read_objects in starters.get(object_name, []):
                if field_update and object_name == own_object and (
                    nodes[target]["subkind"] != _TRIGGER
                ):
                    continue
                if target == automation and nodes[target]["subkind"] == _PROCESS_BUILDER:
                    continue  # a process evaluates a record once per transaction
                if field_id in reads or object_name not in read_objects:
                    started.setdefault(target, []).append(field_id)
        for target, fields in started.items():
            cascade.add_edge(automation, target, fields=fields)
    return cascade


#: Automations whose writes are workflow field updates.
_FIELD_UPDATE_KINDS = frozenset(
    {AutomationKind.WORKFLOW_RULE.value, AutomationKind.APPROVAL_PROCESS.value}
)


_PROCESS_BUILDER = AutomationKind.PROCESS_BUILDER.value
_TRIGGER = AutomationKind.TRIGGER.value


def _field_targets(graph: nx.MultiDiGraph, source: str, kind: EdgeKind) -> list[str]:
    nodes = graph._node
    kind_value = kind.value
    return sorted({
        target for target, edges in graph._succ[source].items() for data in edges.values()
        if data.get("kind") == kind_value and nodes[target]["kind"] == _FIELD
    })


def _runs(automation: Automation) -> bool:
    return automation.active and automation.status in (None, "Active")


def _starts_on_update(automation: Automation) -> bool:
    """A record update of its object starts it: record-triggered flows and processes on
    update, workflow rules evaluated on edits, triggers with an update event."""
    trigger = automation.trigger or ""
    if automation.kind is AutomationKind.TRIGGER:
        return "update" in trigger
    if automation.kind is AutomationKind.APPROVAL_PROCESS:
        return False
    if automation.kind is AutomationKind.FLOW and automation.timing is None:
        return False  # not record-triggered
    return trigger in ("update", "create-or-update")


# --- small helpers ------------------------------------------------------------------------------

_FLOW_VERSION = re.compile(r"^(?P<flow>.+)-\d+$")


def _unversioned(automation: Automation) -> str:
    """``flow:Name`` for the Metadata API version file ``Name-3`` (flow names hold no
    hyphen), so that calls by name find it."""
    if automation.kind in (AutomationKind.FLOW, AutomationKind.PROCESS_BUILDER):
        match = _FLOW_VERSION.match(automation.name)
        if match:
            return f"{automation.kind.value}:{match['flow']}"
    return automation.id


def _prefer(candidate: Automation, known: Automation) -> bool:
    """Which version a call by name means: the active one, else the latest."""
    if _runs(candidate) != _runs(known):
        return _runs(candidate)
    return _version(candidate) > _version(known)


def _version(automation: Automation) -> int:
    tail = automation.name.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


def _qualified(object_name: str, name: str) -> str:
    return name if "." in name else f"{object_name}.{name}"


def _lookup_name(relationship: str) -> str:
    """``Account`` -> ``AccountId``; ``Program__r`` -> ``Program__c`` (Salesforce naming)."""
    if relationship.endswith("__r"):
        return relationship[: -len("__r")] + "__c"
    return relationship + "Id"


def _layout_object(view_id: str) -> str | None:
    name = view_id.partition(":")[2]
    object_name, dash, _ = name.partition("-")
    return object_name if dash else None


def _report_object(report_type: str | None) -> str | None:
    """The base object of a report type: ``Opportunity``, ``CustomEntity$Job__c``,
    ``Opportunity@Opportunity.X__c`` -> ``Opportunity``; ``AccountList`` -> ``Account``."""
    if not report_type:
        return None
    base = report_type.partition("@")[0]
    if "$" in base:
        base = base.rpartition("$")[2]
    if base.endswith("List") and not base.endswith("__c"):
        base = base[: -len("List")]
    return base or None


def _report_tokens(report: Report) -> list[str]:
    """Standard Opportunity fields a report names by column token."""
    opportunity_report = (report.report_type or "").startswith("Opportunity")
    found = []
    for column in (*report.columns, *report.filters, *report.groupings):
        token = column
        if token.startswith(OPPORTUNITY_LOOKUP_PREFIX):
            token = token[len(OPPORTUNITY_LOOKUP_PREFIX):]
        elif not opportunity_report:
            continue
        name = OPPORTUNITY_REPORT_COLUMNS.get(token)
        if name is not None:
            found.append(f"Opportunity.{name}")
    return _unique(found)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
