"""``cfglint graph PATH`` and ``cfglint impact PATH ELEMENT``: the dependency graph, exported or
asked "what depends on this?".

Every output is deterministic: nodes sorted by id, edges by (source, target, kind), dependents
by distance, kind and id, so the same project gives the same bytes.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click
import networkx as nx

from cfglint.commands.common import handle_errors, load_org, output_option, source_option
from cfglint.graph import (
    KIND_WORDS,
    DependencyGraph,
    Dependent,
    build_graph,
    count_words,
    counting_kind,
    describe_counts,
)
from cfglint.model import Org
from cfglint.output import write_text
from cfglint.readers import InputError

Command = TypeVar("Command", bound=Callable[..., Any])

GRAPH_FORMATS = ("json", "graphml", "dot", "mermaid")
IMPACT_FORMATS = ("text", "json", "md")

#: Node attributes every export carries, in this order.
NODE_ATTRIBUTES = ("kind", "subkind", "label", "object", "path", "line", "custom", "declared")


# --- finding an element -------------------------------------------------------------------------


def resolve_element(graph: DependencyGraph, org: Org, element: str) -> str | None:
    """The node an ELEMENT argument names; ``None`` for a picklist value of a known field that
    nothing keys on (it exists, and nothing depends on it by name). Raises :class:`InputError`
    with suggestions for anything else."""
    if element in graph:
        return element
    field_id, equals, value = element.partition("=")
    model_field = org.field(field_id) if equals else None
    if model_field is not None and value in {v.name for v in model_field.picklist_values}:
        return None
    raise InputError(f"unknown element {element!r}{suggestions(element, graph.graph)}",
                     "element ids look like Opportunity.StageName, flow:Close_Won_Handoff, "
                     "layout:Opportunity-Sales Layout; `cfglint graph PATH` lists them all")


def suggestions(element: str, ids: Iterable[str]) -> str:
    """``; did you mean Opportunity.StageName?`` from the closest ids, case ignored first."""
    known = sorted(ids)
    lowered = element.lower()
    matches = [node for node in known if node.lower() == lowered]
    if not matches:
        by_lower = {node.lower(): node for node in known}
        close = difflib.get_close_matches(lowered, list(by_lower), n=3, cutoff=0.6)
        matches = [by_lower[match] for match in close]
    if not matches:
        return ""
    return "; did you mean " + " or ".join(matches) + "?"


# --- impact -------------------------------------------------------------------------------------


def explain(dependent: Dependent) -> str:
    """``flow:Close_Won_Handoff reads Opportunity.StageName``, hop after hop."""
    words = [dependent.element_id]
    for _, kind, target in dependent.path:
        words += [kind, target]
    return " ".join(words)


def impact_counts(graph: DependencyGraph, dependents: list[Dependent]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for dependent in dependents:
        key = counting_kind(graph.graph.nodes[dependent.element_id])
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def impact_summary(element: str, counts: dict[str, int], depth: int | None) -> str:
    within = f" within {depth} hop{'s' if depth != 1 else ''}" if depth is not None else ""
    total = sum(counts.values())
    if not total:
        return f"Nothing cfglint can see depends on {element}{within}."
    return (f"Changing {element} affects {count_words(total, 'element')}{within}: "
            f"{describe_counts(counts)}.")


def impact_report(
    graph: DependencyGraph, element: str, node: str | None, depth: int | None
) -> dict[str, Any]:
    """Everything the impact formats print, as plain data."""
    dependents = graph.dependents(node, depth) if node is not None else []
    counts = impact_counts(graph, dependents)
    attributes = graph.node(node) if node is not None else {"kind": "picklist-value"}
    return {
        "element": element,
        "kind": attributes["kind"],
        "depth": depth,
        "total": len(dependents),
        "counts": counts,
        "summary": impact_summary(element, counts, depth),
        "dependents": [_dependent_data(graph, dependent) for dependent in dependents],
    }


def _dependent_data(graph: DependencyGraph, dependent: Dependent) -> dict[str, Any]:
    attributes = graph.graph.nodes[dependent.element_id]
    return {
        "id": dependent.element_id,
        "kind": dependent.kind.value,
        "counted_as": counting_kind(attributes),
        "distance": dependent.distance,
        "path": [{"from": source, "kind": kind, "to": target}
                 for source, kind, target in dependent.path],
        "explanation": explain(dependent),
        "location": _location(attributes),
    }


def _location(attributes: dict[str, Any]) -> str | None:
    path = attributes.get("path")
    if not path:
        return None
    line = attributes.get("line")
    return f"{path}:{line}" if line else str(path)


def _groups(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Dependents grouped by the kind they are counted as, biggest group first."""
    groups: dict[str, list[dict[str, Any]]] = {kind: [] for kind in report["counts"]}
    for dependent in report["dependents"]:
        groups[dependent["counted_as"]].append(dependent)
    return list(groups.items())


def _group_title(kind: str, count: int) -> str:
    return f"{KIND_WORDS.get(kind, (kind, kind + 's'))[1]} ({count})"


def format_impact_text(report: dict[str, Any]) -> str:
    lines = [report["summary"]]
    for kind, members in _groups(report):
        lines += ["", _group_title(kind, len(members))]
        lines += [f"  {member['explanation']}" for member in members]
    return "\n".join(lines) + "\n"


def format_impact_markdown(report: dict[str, Any]) -> str:
    lines = [f"# Impact of `{report['element']}`", "", report["summary"]]
    for kind, members in _groups(report):
        lines += ["", f"## {_group_title(kind, len(members)).capitalize()}", "",
                  "| element | why | where |", "|---|---|---|"]
        lines += [
            f"| `{_cell(member['id'])}` | {_cell(member['explanation'])} | "
            f"{_cell(member['location'] or '')} |"
            for member in members
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


# --- graph exports ------------------------------------------------------------------------------


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    edges = [(source, target, data) for source, target, data in graph.edges(data=True)]
    return sorted(edges, key=lambda edge: (edge[0], edge[1], edge[2]["kind"],
                                           edge[2].get("record_type") or ""))


def _node_data(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    data = graph.nodes[node]
    ordered = {name: data.get(name) for name in NODE_ATTRIBUTES}
    ordered.update({name: data[name] for name in sorted(data) if name not in ordered})
    return ordered


def graph_json(graph: DependencyGraph) -> str:
    nx_graph = graph.graph
    data = {
        "version": 1,
        "metrics": {
            "nodes": nx_graph.number_of_nodes(),
            "edges": nx_graph.number_of_edges(),
            "largest_core": graph.largest_core(),
            "propagation_cost": round(graph.propagation_cost(), 6),
            "automation_cycles": graph.automation_cycles(),
        },
        "nodes": [{"id": node, **_node_data(nx_graph, node)} for node in sorted(nx_graph)],
        "edges": [
            {"source": source, "target": target, **dict(sorted(data.items()))}
            for source, target, data in _sorted_edges(nx_graph)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _graphml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def graph_graphml(graph: DependencyGraph) -> str:
    """GraphML through networkx, every attribute a string (GraphML readers disagree on typed
    attributes) and absent values left out."""
    nx_graph = graph.graph
    export = nx.MultiDiGraph()
    for node in sorted(nx_graph):
        export.add_node(node, **{
            name: _graphml_value(value) for name, value in _node_data(nx_graph, node).items()
            if value is not None
        })
    for source, target, data in _sorted_edges(nx_graph):
        attributes = {name: _graphml_value(value) for name, value in sorted(data.items())
                      if value is not None}
        export.add_edge(source, target, **attributes)
    return "\n".join(nx.generate_graphml(export)) + "\n"


def dot_string(text: str) -> str:
    """A DOT double-quoted string: backslashes doubled, quotes escaped, newlines as ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def graph_dot(graph: DependencyGraph) -> str:
    nx_graph = graph.graph
    lines = ["digraph cfglint {", "  rankdir=LR;", "  node [shape=box];"]
    for node in sorted(nx_graph):
        kind = nx_graph.nodes[node]["kind"]
        lines.append(f"  {dot_string(node)} [label={dot_string(node + chr(10) + kind)}];")
    for source, target, data in _sorted_edges(nx_graph):
        lines.append(f"  {dot_string(source)} -> {dot_string(target)} "
                     f"[label={dot_string(data['kind'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


#: Characters that end or change a quoted Mermaid label, as Mermaid entity codes (``#`` first,
#: since the codes themselves start with it).
MERMAID_ESCAPES = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"))


def mermaid_label(text: str) -> str:
    for character, code in MERMAID_ESCAPES:
        text = text.replace(character, code)
    return '"' + text.replace("\n", " ") + '"'


def graph_mermaid(graph: DependencyGraph) -> str:
    """A Mermaid flowchart. Element ids hold spaces, dots, slashes and quotes, which Mermaid
    ids cannot, so nodes are ``n0``, ``n1``, ... in id order, labelled with the element id."""
    nx_graph = graph.graph
    names = {node: f"n{index}" for index, node in enumerate(sorted(nx_graph))}
    lines = ["flowchart LR"]
    lines += [f"  {names[node]}[{mermaid_label(node)}]" for node in sorted(nx_graph)]
    lines += [
        f"  {names[source]} -->|{mermaid_label(data['kind'])}| {names[target]}"
        for source, target, data in _sorted_edges(nx_graph)
    ]
    return "\n".join(lines) + "\n"


EXPORTS = {
    "json": graph_json,
    "graphml": graph_graphml,
    "dot": graph_dot,
    "mermaid": graph_mermaid,
}


# --- commands -----------------------------------------------------------------------------------


def _depth_option(help_text: str, default: int | None) -> Callable[[Command], Command]:
    return click.option("--depth", type=click.IntRange(min=1), default=default,
                        show_default=default is not None, help=help_text)




@click.command("graph")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "output_format", type=click.Choice(GRAPH_FORMATS), default="json",
              show_default=True, help="Output format.")
@click.option("--focus", metavar="ELEMENT",
              help="Only the neighbourhood of ELEMENT (what depends on it, what it depends on).")
@_depth_option("Hops each way from --focus.", 2)
@source_option
@output_option
@handle_errors
def graph_command(
    path: Path, output_format: str, focus: str | None, depth: int, source: str | None,
    output: Path | None,
) -> None:
    """Write the dependency graph of PATH: elements (fields, views, automations, reports, ...)
    and what depends on what, as JSON, GraphML, DOT or Mermaid."""
    org = load_org(path, source)
    graph = build_graph(org)
    if focus is not None:
        node = resolve_element(graph, org, focus)
        if node is None:
            raise InputError(f"nothing in the graph names the picklist value {focus!r}",
                             "focus on its field instead")
        graph = graph.subgraph(node, depth)
    write_text(EXPORTS[output_format](graph), output)


@click.command("impact")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("element")
@_depth_option("Only dependents at most N hops away.", None)
@click.option("--format", "output_format", type=click.Choice(IMPACT_FORMATS), default="text",
              show_default=True, help="Output format.")
@source_option
@output_option
@handle_errors
def impact_command(
    path: Path, element: str, depth: int | None, output_format: str, source: str | None,
    output: Path | None,
) -> None:
    """Everything in PATH that reads, writes, shows or otherwise depends on ELEMENT,
    transitively, each with the shortest chain of dependencies that explains why.

    ELEMENT is an element id: Opportunity.StageName, Opportunity.StageName=Proposal (a picklist
    value), flow:Close_Won_Handoff, layout:Opportunity-Sales Layout, Opportunity (an object)."""
    org = load_org(path, source)
    graph = build_graph(org)
    node = resolve_element(graph, org, element)
    report = impact_report(graph, element, node, depth)
    if output_format == "json":
        text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    elif output_format == "md":
        text = format_impact_markdown(report)
    else:
        text = format_impact_text(report)
    write_text(text, output)
