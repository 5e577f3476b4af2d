"""`cfglint impact` and `cfglint graph` on the graph fixtures: exact output, exit codes, and
exports that other tools can read back."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.commands.graph_commands import dot_string, graph_dot, graph_mermaid, mermaid_label
from cfglint.graph import DependencyGraph
from tests.conftest import FIXTURES, corpus_path

FLOW_LOOP = str(FIXTURES / "graph" / "flow-loop")
FORMULA_CHAIN = str(FIXTURES / "graph" / "formula-chain")


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.stdout, result.stderr


# --- impact -------------------------------------------------------------------------------------


def test_impact_text_groups_by_kind_with_paths() -> None:
    code, out, err = invoke("impact", FLOW_LOOP, "Opportunity.Priority__c")
    assert code == 0, err
    assert out == (
        "Changing Opportunity.Priority__c affects 6 elements: 2 flows, 1 layout, "
        "1 picklist value, 1 profile, 1 validation rule.\n"
        "\n"
        "flows (2)\n"
        "  flow:Opportunity_Priority_From_Review writes Opportunity.Priority__c\n"
        "  flow:Opportunity_Review_From_Priority reads Opportunity.Priority__c\n"
        "\n"
        "layouts (1)\n"
        "  layout:Opportunity-Opportunity Layout displays Opportunity.Priority__c\n"
        "\n"
        "picklist values (1)\n"
        "  Opportunity.Priority__c=High has-value Opportunity.Priority__c\n"
        "\n"
        "profiles (1)\n"
        "  profile:Admin assigned layout:Opportunity-Opportunity Layout displays "
        "Opportunity.Priority__c\n"
        "\n"
        "validation rules (1)\n"
        "  validation:Opportunity.High_Priority_Needs_Review reads Opportunity.Priority__c\n"
    )


def test_impact_json_through_a_formula_chain() -> None:
    code, out, err = invoke("impact", FORMULA_CHAIN, "Opportunity.Amount", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["element"], data["kind"], data["total"]) == ("Opportunity.Amount", "field", 7)
    assert data["counts"] == {"field": 4, "layout": 1, "report": 1, "validation-rule": 1}
    assert data["summary"] == (
        "Changing Opportunity.Amount affects 7 elements: 4 fields, 1 layout, 1 report, "
        "1 validation rule."
    )
    rule = data["dependents"][-1]
    assert rule == {
        "id": "validation:Opportunity.F4_Too_Large",
        "kind": "validation-rule",
        "counted_as": "validation-rule",
        "distance": 4,
        "path": [
            {"from": "validation:Opportunity.F4_Too_Large", "kind": "reads",
             "to": "Opportunity.F4__c"},
            {"from": "Opportunity.F4__c", "kind": "reads", "to": "Opportunity.F3__c"},
            {"from": "Opportunity.F3__c", "kind": "reads", "to": "Opportunity.F1__c"},
            {"from": "Opportunity.F1__c", "kind": "reads", "to": "Opportunity.Amount"},
        ],
        "explanation": "validation:Opportunity.F4_Too_Large reads Opportunity.F4__c reads "
                       "Opportunity.F3__c reads Opportunity.F1__c reads Opportunity.Amount",
        "location": "force-app/main/default/objects/Opportunity/validationRules/"
                    "F4_Too_Large.validationRule-meta.xml:2",
    }


def test_impact_depth_and_markdown() -> None:
    code, out, _ = invoke("impact", FORMULA_CHAIN, "Opportunity.Amount", "--depth", "2",
                          "--format", "md")
    assert code == 0
    assert out.startswith(
        "# Impact of `Opportunity.Amount`\n\n"
        "Changing Opportunity.Amount affects 3 elements within 2 hops: 3 fields.\n\n"
        "## Fields (3)\n\n| element | why | where |\n|---|---|---|\n"
        "| `Opportunity.F1__c` | Opportunity.F1__c reads Opportunity.Amount | "
        "force-app/main/default/objects/Opportunity/fields/F1__c.field-meta.xml:2 |\n"
    )


def test_impact_of_a_picklist_value() -> None:
    code, out, _ = invoke("impact", FLOW_LOOP, "Opportunity.Priority__c=High")
    assert code == 0
    assert out.splitlines()[0] == (
        "Changing Opportunity.Priority__c=High affects 1 element: 1 validation rule."
    )
    # A value of the field that nothing names: accepted, with nothing depending on it.
    code, out, _ = invoke("impact", FLOW_LOOP, "Opportunity.Priority__c=Low")
    assert (code, out) == (0, "Nothing cfglint can see depends on Opportunity.Priority__c=Low.\n")


def test_unknown_element_exits_2_with_did_you_mean() -> None:
    code, out, err = invoke("impact", FLOW_LOOP, "Opportunity.Priority_c")
    assert code == 2 and out == ""
    assert err.startswith(
        "cfglint: error: unknown element 'Opportunity.Priority_c'; "
        "did you mean Opportunity.Priority__c or "
    )
    code, _, err = invoke("impact", FLOW_LOOP, "opportunity.priority__c")
    assert code == 2 and "did you mean Opportunity.Priority__c?" in err
    code, _, err = invoke("impact", FLOW_LOOP, "Opportunity.Priority__c=Medium")
    assert code == 2 and "unknown element 'Opportunity.Priority__c=Medium'" in err


def test_impact_writes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "impact.json"
    code, out, _ = invoke("impact", FLOW_LOOP, "Opportunity.Close_Note__c", "--format", "json",
                          "-o", str(target))
    assert (code, out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 1


def test_impact_on_npsp_stage_name() -> None:
    path = corpus_path("sfdc", "SalesforceFoundation__NPSP")
    code, out, err = invoke("impact", str(path), "Opportunity.StageName")
    assert code == 0, err
    assert out.splitlines()[0].startswith("Changing Opportunity.StageName affects ")
    assert "\nreports (29)\n" in out and "\nlayouts (10)\n" in out


# --- graph --------------------------------------------------------------------------------------


def test_graph_json_is_sorted_and_deterministic() -> None:
    first = invoke("graph", FLOW_LOOP)[1]
    assert first == invoke("graph", FLOW_LOOP)[1]
    data = json.loads(first)
    assert data["metrics"]["automation_cycles"] == [
        ["flow:Opportunity_Priority_From_Review", "flow:Opportunity_Review_From_Priority"]
    ]
    assert (data["metrics"]["nodes"], data["metrics"]["edges"]) == (18, 36)
    ids = [node["id"] for node in data["nodes"]]
    assert ids == sorted(ids)
    edges = [(edge["source"], edge["target"], edge["kind"]) for edge in data["edges"]]
    assert edges == sorted(edges)
    assert {"source": "profile:Admin", "target": "layout:Opportunity-Opportunity Layout",
            "kind": "assigned", "record_type": None} in data["edges"]


def test_graphml_reads_back_with_string_attributes() -> None:
    code, out, _ = invoke("graph", FORMULA_CHAIN, "--format", "graphml")
    assert code == 0
    graph = nx.parse_graphml(out)
    assert graph.number_of_nodes() == 9
    attributes = graph.nodes["Opportunity.F1__c"]
    assert attributes["kind"] == "field" and attributes["formula"] == "true"
    assert all(isinstance(value, str) for _, data in graph.nodes(data=True)
               for value in data.values())


def test_focus_and_depth() -> None:
    code, out, _ = invoke("graph", FORMULA_CHAIN, "--focus", "Opportunity.F3__c", "--depth",
                          "1", "--format", "mermaid")
    assert code == 0
    assert out == (
        "flowchart LR\n"
        '  n0["Opportunity"]\n'
        '  n1["Opportunity.F1__c"]\n'
        '  n2["Opportunity.F2__c"]\n'
        '  n3["Opportunity.F3__c"]\n'
        '  n4["Opportunity.F4__c"]\n'
        '  n5["report:Formula_Reports/F3_Report"]\n'
        '  n1 -->|"belongs-to"| n0\n'
        '  n2 -->|"belongs-to"| n0\n'
        '  n2 -->|"reads"| n1\n'
        '  n3 -->|"belongs-to"| n0\n'
        '  n3 -->|"reads"| n1\n'
        '  n3 -->|"reads"| n2\n'
        '  n4 -->|"belongs-to"| n0\n'
        '  n4 -->|"reads"| n3\n'
        '  n5 -->|"reads"| n0\n'
        '  n5 -->|"reads"| n3\n'
    )
    code, _, err = invoke("graph", FORMULA_CHAIN, "--focus", "Opportunity.F5__c")
    assert code == 2 and "did you mean" in err


def _tricky_graph() -> DependencyGraph:
    graph = nx.MultiDiGraph()
    odd = 'layout:Account-My "Big" Layout\\v2'
    graph.add_node(odd, kind="view")
    graph.add_node("report:Sales/Q1 #1 <draft>", kind="report")
    graph.add_edge("report:Sales/Q1 #1 <draft>", odd, key="reads", kind="reads")
    return DependencyGraph(graph)


def test_dot_escapes_quotes_backslashes_and_newlines() -> None:
    assert dot_string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
    text = graph_dot(_tricky_graph())
    assert '"layout:Account-My \\"Big\\" Layout\\\\v2" [label=' in text
    assert '"report:Sales/Q1 #1 <draft>" -> "layout:Account-My \\"Big\\" Layout\\\\v2"' in text


def test_mermaid_uses_safe_ids_and_escaped_labels() -> None:
    assert mermaid_label('say "hi" #1 <b>') == '"say #quot;hi#quot; #35;1 #lt;b#gt;"'
    assert graph_mermaid(_tricky_graph()) == (
        "flowchart LR\n"
        '  n0["layout:Account-My #quot;Big#quot; Layout\\v2"]\n'
        '  n1["report:Sales/Q1 #35;1 #lt;draft#gt;"]\n'
        '  n1 -->|"reads"| n0\n'
    )


def test_graph_and_impact_are_in_the_help() -> None:
    out = invoke("--help")[1]
    assert "graph" in out and "impact" in out
