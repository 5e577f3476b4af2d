"""The dependency graph: nodes, edges, impact queries, metrics and the automation cascade.

The fixtures under fixtures/graph/ come with READMEs that give the hand-computed impact sets
and cycles; these tests assert exactly those.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from cfglint.graph import (
    DependencyGraph,
    EdgeKind,
    NodeKind,
    build_graph,
    describe_counts,
    graph_for,
)
from cfglint.model import (
    Automation,
    AutomationKind,
    CrmObject,
    Field,
    FieldType,
    Org,
    View,
    ViewItem,
    ViewKind,
    ViewSection,
)
from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path

GRAPH_FIXTURES = FIXTURES / "graph"
FLOW_A = "flow:Opportunity_Priority_From_Review"
FLOW_B = "flow:Opportunity_Review_From_Priority"
LAYOUT = "layout:Opportunity-Opportunity Layout"


@cache
def fixture_org(name: str) -> Org:
    return read(GRAPH_FIXTURES / name)


@cache
def fixture_graph(name: str) -> DependencyGraph:
    return build_graph(fixture_org(name))


def hops(graph: DependencyGraph, element: str) -> list[tuple[str, int, tuple[str, ...]]]:
    """(dependent, distance, the elements its path passes through) for each dependent."""
    return [
        (dependent.element_id, dependent.distance,
         tuple(target for _, _, target in dependent.path))
        for dependent in graph.dependents(element)
    ]


# --- the flow-loop fixture ----------------------------------------------------------------------


def test_flow_loop_has_exactly_the_two_flow_cycle() -> None:
    graph = fixture_graph("flow-loop")
    assert graph.automation_cycles() == [[FLOW_A, FLOW_B]]


def test_flow_loop_cascade_edges_and_their_fields() -> None:
    cascade = fixture_graph("flow-loop").automation_cascade()
    assert sorted(cascade.edges(data="fields")) == [
        (FLOW_A, FLOW_B, ["Opportunity.Priority__c"]),
        (FLOW_B, FLOW_A, ["Opportunity.Review_Status__c"]),
    ]


def test_flow_loop_impact_of_priority() -> None:
    graph = fixture_graph("flow-loop")
    assert hops(graph, "Opportunity.Priority__c") == [
        ("Opportunity.Priority__c=High", 1, ("Opportunity.Priority__c",)),
        (LAYOUT, 1, ("Opportunity.Priority__c",)),
        (FLOW_A, 1, ("Opportunity.Priority__c",)),
        (FLOW_B, 1, ("Opportunity.Priority__c",)),
        ("validation:Opportunity.High_Priority_Needs_Review", 1, ("Opportunity.Priority__c",)),
        ("profile:Admin", 2, (LAYOUT, "Opportunity.Priority__c")),
    ]
    kinds = {d.element_id: d.path[0][1] for d in graph.dependents("Opportunity.Priority__c")}
    assert kinds[FLOW_A] == "writes"
    assert kinds[FLOW_B] == "reads"
    assert kinds[LAYOUT] == "displays"
    assert kinds["profile:Admin"] == "assigned"


def test_flow_loop_impact_of_review_status_value_and_unrelated_fields() -> None:
    graph = fixture_graph("flow-loop")
    assert {d.element_id: d.distance for d in graph.dependents("Opportunity.Review_Status__c")} == {
        FLOW_A: 1, FLOW_B: 1, "validation:Opportunity.High_Priority_Needs_Review": 1,
        LAYOUT: 1, "report:Deal_Reports/Reviews_by_Status": 1, "profile:Admin": 2,
    }
    assert hops(graph, "Opportunity.Priority__c=High") == [
        ("validation:Opportunity.High_Priority_Needs_Review", 1,
         ("Opportunity.Priority__c=High",)),
    ]
    assert [d.element_id for d in graph.dependents("Opportunity.Close_Note__c")] == [
        "flow:Opportunity_Close_Note"
    ]
    assert [d.element_id for d in graph.dependents("Opportunity.Amount_Band__c")] == [
        "flow:Opportunity_Amount_Band"
    ]


def test_depth_limits_the_walk() -> None:
    graph = fixture_graph("flow-loop")
    near = {d.element_id for d in graph.dependents("Opportunity.Priority__c", depth=1)}
    assert "profile:Admin" not in near and len(near) == 5


def test_node_attributes() -> None:
    graph = fixture_graph("flow-loop")
    assert graph.node("Opportunity.Priority__c") == {
        "kind": "field", "subkind": "picklist", "label": "Priority", "object": "Opportunity",
        "path": "force-app/main/default/objects/Opportunity/fields/Priority__c.field-meta.xml",
        "line": 2, "custom": True, "declared": True, "formula": False,
    }
    stage = graph.node("Opportunity.StageName")  # shown on the layout, not defined here
    assert (stage["kind"], stage["declared"], stage["path"], stage["custom"]) == (
        "field", False, None, False
    )
    flow = graph.node(FLOW_A)
    assert (flow["kind"], flow["subkind"], flow["active"], flow["on_update"], flow["timing"]) == (
        "automation", "flow", True, True, "after-save"
    )
    assert graph.kind_of("profile:Admin") is NodeKind.PROFILE


def test_edges_carry_their_kind() -> None:
    graph = fixture_graph("flow-loop")
    assert graph.edge_kinds(FLOW_A, "Opportunity.Priority__c") == ["writes"]
    assert graph.edge_kinds(FLOW_A, "Opportunity") == ["triggers-on"]
    assert graph.edge_kinds("Opportunity.Priority__c", "Opportunity") == ["belongs-to"]
    assert graph.edge_kinds("validation:Opportunity.High_Priority_Needs_Review",
                            "Opportunity.Review_Status__c") == ["reads", "displays"]
    assignment = graph.graph.get_edge_data("profile:Admin", LAYOUT)
    assert [data["kind"] for data in assignment.values()] == ["assigned"]


# --- the formula-chain fixture ------------------------------------------------------------------


def test_formula_depths() -> None:
    graph = fixture_graph("formula-chain")
    depths = {name: graph.formula_depth(f"Opportunity.{name}")
              for name in ("Amount", "F1__c", "F2__c", "F3__c", "F4__c")}
    assert depths == {"Amount": 0, "F1__c": 1, "F2__c": 2, "F3__c": 3, "F4__c": 4}
    assert graph.formula_chain("Opportunity.F4__c") == [
        "Opportunity.F1__c", "Opportunity.F2__c", "Opportunity.F3__c", "Opportunity.F4__c"
    ]


def test_building_fills_formula_references_in_the_model() -> None:
    org = read(GRAPH_FIXTURES / "formula-chain")
    build_graph(org)
    fields = org.objects["Opportunity"].fields
    assert fields["F3__c"].formula_references == ["Opportunity.F2__c", "Opportunity.F1__c"]
    assert fields["F4__c"].formula_references == ["Opportunity.F3__c"]
    rule = org.objects["Opportunity"].validation_rules["F4_Too_Large"]
    assert rule.references == ["Opportunity.F4__c"]


def test_formula_chain_impact_of_amount() -> None:
    f1, f2, f3, f4 = (f"Opportunity.F{index}__c" for index in range(1, 5))
    amount = "Opportunity.Amount"
    assert hops(fixture_graph("formula-chain"), amount) == [
        (f1, 1, (amount,)),
        (f2, 2, (f1, amount)),
        (f3, 2, (f1, amount)),
        (f4, 3, (f3, f1, amount)),
        ("layout:Opportunity-Opportunity Layout", 3, (f2, f1, amount)),
        ("report:Formula_Reports/F3_Report", 3, (f3, f1, amount)),
        ("validation:Opportunity.F4_Too_Large", 4, (f4, f3, f1, amount)),
    ]


def test_formula_chain_impact_of_each_formula() -> None:
    graph = fixture_graph("formula-chain")

    def dependents(name: str) -> dict[str, int]:
        return {d.element_id: d.distance for d in graph.dependents(f"Opportunity.{name}")}

    layout, report = "layout:Opportunity-Opportunity Layout", "report:Formula_Reports/F3_Report"
    rule = "validation:Opportunity.F4_Too_Large"
    assert dependents("F1__c") == {"Opportunity.F2__c": 1, "Opportunity.F3__c": 1,
                                   "Opportunity.F4__c": 2, layout: 2, report: 2, rule: 3}
    assert dependents("F2__c") == {"Opportunity.F3__c": 1, layout: 1, "Opportunity.F4__c": 2,
                                   report: 2, rule: 3}
    assert dependents("F3__c") == {"Opportunity.F4__c": 1, report: 1, rule: 2}
    assert dependents("F4__c") == {rule: 1}
    assert graph.automation_cycles() == []


# --- metrics ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["flow-loop", "formula-chain"])
def test_blast_radius_is_the_number_of_ancestors(name: str) -> None:
    graph = fixture_graph(name)
    for node in graph.graph:
        assert graph.blast_radius(node) == len(nx.ancestors(graph.graph, node)), node


def test_blast_radius_on_the_sample_org_matches_ancestors() -> None:
    graph = build_graph(read(FIXTURES / "acme-sfdx"))
    radii = graph.blast_radii()
    assert radii == {node: len(nx.ancestors(graph.graph, node)) for node in graph.graph}


def test_dependent_counts_and_their_words() -> None:
    counts = fixture_graph("flow-loop").dependent_counts("Opportunity.Priority__c")
    assert counts == {"flow": 2, "layout": 1, "picklist-value": 1, "profile": 1,
                      "validation-rule": 1}
    assert describe_counts(counts) == (
        "2 flows, 1 layout, 1 picklist value, 1 profile, 1 validation rule"
    )


def test_propagation_cost_is_the_density_of_the_visibility_matrix() -> None:
    graph = fixture_graph("formula-chain")
    count = graph.graph.number_of_nodes()
    reached = sum(len(nx.descendants(graph.graph, node)) for node in graph.graph)
    assert graph.propagation_cost() == pytest.approx((reached + count) / count**2)


def test_fan_in_fan_out_and_core() -> None:
    graph = fixture_graph("formula-chain")
    assert graph.fan_in("Opportunity.F1__c") == 2  # F2 and F3
    assert graph.fan_out("Opportunity.F3__c") == 3  # F2, F1 and the object
    assert graph.largest_core() == 1


def test_largest_core_sees_a_cycle_of_calls() -> None:
    org = Org(platform="salesforce", source_format="sfdx")
    for name, callee in (("A", "B"), ("B", "C"), ("C", "A")):
        flow = Automation(kind=AutomationKind.FLOW, name=name, calls=[f"flow:{callee}"])
        org.automations[flow.id] = flow
    assert build_graph(org).largest_core() == 3


def test_subgraph_keeps_the_neighbourhood_both_ways() -> None:
    sub = fixture_graph("formula-chain").subgraph("Opportunity.F3__c", depth=1)
    assert sorted(sub.graph) == [
        "Opportunity", "Opportunity.F1__c", "Opportunity.F2__c", "Opportunity.F3__c",
        "Opportunity.F4__c", "report:Formula_Reports/F3_Report",
    ]
    assert sub.graph.has_edge("Opportunity.F4__c", "Opportunity.F3__c")


def test_graph_for_reuses_a_given_graph_and_builds_one_otherwise() -> None:
    graph = fixture_graph("flow-loop")
    assert graph_for(fixture_org("flow-loop"), graph) is graph
    assert isinstance(graph_for(fixture_org("flow-loop"), None), DependencyGraph)


# --- the cascade on small hand-built orgs -------------------------------------------------------


def _org(*automations: Automation) -> Org:
    org = Org(platform="salesforce", source_format="sfdx")
    for object_name in ("Opportunity", "Account"):
        org.objects[object_name] = CrmObject(name=object_name)
    for automation in automations:
        org.automations[automation.id] = automation
    return org


def _flow(name: str, *, reads: tuple[str, ...] = (), writes: tuple[str, ...] = (),
          timing: str | None = "after-save", trigger: str = "update",
          object_name: str = "Opportunity",
          kind: AutomationKind = AutomationKind.FLOW, active: bool = True) -> Automation:
    return Automation(kind=kind, name=name, object_name=object_name, trigger=trigger,
                      timing=timing, reads=list(reads), writes=list(writes), active=active,
                      status="Active" if active else "Draft")


def test_an_after_save_flow_without_a_filter_that_updates_its_record_is_a_self_loop() -> None:
    org = _org(_flow("Touch", writes=("Opportunity.Note__c",)))
    assert build_graph(org).automation_cycles() == [["flow:Touch"]]


def test_a_before_save_flow_does_not_start_itself() -> None:
    org = _org(_flow("Touch", writes=("Opportunity.Note__c",), timing="before-save"))
    assert build_graph(org).automation_cycles() == []


def test_a_filter_on_other_fields_keeps_a_write_from_starting_the_flow() -> None:
    org = _org(_flow("Touch", reads=("Opportunity.StageName",), writes=("Opportunity.Note__c",)))
    assert build_graph(org).automation_cycles() == []


def test_inactive_automation_is_not_part_of_a_cycle() -> None:
    org = _org(_flow("A", reads=("Opportunity.X__c",), writes=("Opportunity.Y__c",)),
               _flow("B", reads=("Opportunity.Y__c",), writes=("Opportunity.X__c",), active=False))
    assert build_graph(org).automation_cycles() == []


def test_workflow_field_updates_restart_only_triggers() -> None:
    workflow = _flow("Set Y", writes=("Opportunity.Y__c",), kind=AutomationKind.WORKFLOW_RULE,
                     trigger="create-or-update", timing=None)
    flow = _flow("On_Y", reads=("Opportunity.Y__c",))
    trigger = Automation(kind=AutomationKind.TRIGGER, name="OpportunityTrigger",
                         object_name="Opportunity", trigger="before update, after update")
    cascade = build_graph(_org(workflow, flow, trigger)).automation_cascade()
    assert sorted(cascade.edges) == [("workflow:Opportunity.Set Y", "trigger:OpportunityTrigger")]


def test_writes_to_another_object_start_its_automation() -> None:
    org = _org(_flow("A", reads=("Opportunity.X__c",), writes=("Account.Y__c",)),
               _flow("B", reads=("Account.Y__c",), writes=("Opportunity.X__c",),
                     object_name="Account", timing="before-save"))
    assert build_graph(org).automation_cycles() == [["flow:A", "flow:B"]]


def test_process_builder_does_not_start_itself() -> None:
    process = _flow("P", reads=("Opportunity.X__c",), writes=("Opportunity.X__c",),
                    kind=AutomationKind.PROCESS_BUILDER, trigger="create-or-update")
    assert build_graph(_org(process)).automation_cycles() == []


def test_cycles_stay_cheap_when_every_automation_starts_every_other() -> None:
    # 14 flows that all write and read one field: simple_cycles would list billions.
    flows = [_flow(f"F{index:02d}", reads=("Opportunity.X__c",), writes=("Opportunity.X__c",))
             for index in range(14)]
    graph = build_graph(_org(*flows))
    assert graph.automation_cycles() == [["flow:F00"]]
    assert graph.automation_cascade().number_of_edges() == 14 * 14


def test_one_cycle_per_component_is_the_shortest_through_the_smallest_id() -> None:
    flows = [
        _flow("A", reads=("Opportunity.A__c",), writes=("Opportunity.B__c", "Opportunity.C__c")),
        _flow("B", reads=("Opportunity.B__c",), writes=("Opportunity.C__c",)),
        _flow("C", reads=("Opportunity.C__c",), writes=("Opportunity.A__c",)),
    ]
    assert build_graph(_org(*flows)).automation_cycles() == [["flow:A", "flow:C"]]


# --- resolution details -------------------------------------------------------------------------


def test_view_items_resolve_through_relationships_and_case_of_formulas() -> None:
    org = _org()
    opportunity = org.objects["Opportunity"]
    opportunity.fields["AccountId"] = Field("Opportunity", "AccountId", type=FieldType.LOOKUP,
                                            reference_to=["Account"])
    opportunity.fields["Amount"] = Field("Opportunity", "Amount", type=FieldType.CURRENCY)
    opportunity.fields["Double__c"] = Field("Opportunity", "Double__c", type=FieldType.FORMULA,
                                            formula="amount * 2 + Account.AnnualRevenue")
    view = View(kind=ViewKind.LAYOUT, name="Opportunity-Layout", object_name="Opportunity",
                sections=[ViewSection(None, [ViewItem("Account.Name"), ViewItem("Amount")])])
    org.views[view.id] = view
    graph = build_graph(org)
    assert graph.edge_kinds("layout:Opportunity-Layout", "Opportunity.AccountId") == ["displays"]
    assert graph.edge_kinds("Opportunity.Double__c", "Opportunity.Amount") == ["reads"]
    assert graph.edge_kinds("Opportunity.Double__c", "Account.AnnualRevenue") == ["reads"]
    assert opportunity.fields["Double__c"].formula_references == [
        "Opportunity.Amount", "Opportunity.AccountId"
    ]


def test_edge_kinds_cover_the_model() -> None:
    graph = build_graph(read(FIXTURES / "acme-sfdx"))
    kinds = {kind for _, _, kind in graph.graph.edges(data="kind")}
    assert kinds == {kind.value for kind in EdgeKind} - {"calls", "requires-at", "controls"}


def test_every_element_family_gets_its_edges() -> None:
    org = read(GRAPH_FIXTURES.parent / "rules" / "DEBT011" / "fail.yaml")
    org.objects["Invoice__c"].fields["Sub_Status__c"] = Field(
        "Invoice__c", "Sub_Status__c", type=FieldType.PICKLIST, controlling_field="Status__c")
    graph = build_graph(org)
    assert graph.edge_kinds("Invoice__c.Sub_Status__c", "Invoice__c.Status__c") == ["controls"]
    assert graph.edge_kinds("listview:Invoice__c.All", "Invoice__c.Code__c") == ["reads"]
    assert graph.edge_kinds("fieldset:Invoice__c.Quick", "Invoice__c.Notes__c") == ["displays"]
    assert graph.node("fieldset:Invoice__c.Quick")["subkind"] == "fieldset"
    assert graph.edge_kinds("report:Billing/Open_Invoices", "Invoice__c.Status__c") == ["reads"]
    assert graph.edge_kinds("flow:Mark_Paid", "Invoice__c.Paid_On__c") == ["writes"]
    assert graph.edge_kinds("validation:Invoice__c.Due_Date_Required",
                            "Invoice__c.Due_Date__c") == ["reads"]


# --- corpora ------------------------------------------------------------------------------------


@cache
def npsp() -> tuple[Org, DependencyGraph]:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    return org, build_graph(org)


def test_npsp_stage_name_impact() -> None:
    _, graph = npsp()
    counts = graph.dependent_counts("Opportunity.StageName")
    assert (counts["report"], counts["layout"], counts["pipeline"], counts["stage"]) == (
        29, 10, 5, 34
    )
    reasons = {d.element_id: d.path[0][1] for d in graph.dependents("Opportunity.StageName")}
    assert reasons["report:NPSP_Fundraising_Reports/Open_Opportunities"] == "reads"
    assert reasons["listview:Opportunity.To_Be_Acknowledged"] == "reads"
    assert reasons["pipeline:Opportunity.Grant"] == "reads"


def test_npsp_has_no_automation_cycle() -> None:
    # Its Contact email and phone workflow rules copy fields back and forth, but workflow field
    # updates do not re-run workflow rules (reevaluateOnChange is false in every file).
    _, graph = npsp()
    assert graph.automation_cycles() == []



EVERYTHING_YAML = """
cfglint: 1
platform: salesforce
objects:
  Opportunity:
    fields:
      StageName: {type: picklist, options: [Prospecting, Proposal]}
      Next_Step__c: text
      Region__c: {type: picklist, value_set: Regions}
    record_types:
      Donation: {business_process: Donation Process}
    pipelines:
      Donation Process:
        stage_field: StageName
        stages: [Prospecting, {name: Proposal, requires: [Next_Step__c]}]
    quick_actions:
      Update_Step: {type: Update, fields: [Next_Step__c]}
  Account:
    fields:
      Name: text
    duplicate_rules:
      Account_Dupes: {matching_rules: [Account_Match]}
    matching_rules:
      Account_Match: {fields: [Name]}
value_sets:
  Regions: {values: [EMEA]}
automations:
  Main: {kind: flow, calls: [flow:Helper]}
  Helper: {kind: flow}
profiles:
  Sales: {}
roles:
  ae:
    profiles: [Sales]
    needs: {Opportunity: [Next_Step__c]}
integrations:
  email-capture: {enabled: false}
"""


def test_pipelines_rules_roles_actions_and_value_sets(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(EVERYTHING_YAML, encoding="utf-8")
    org = read(path)
    assert not org.problems, org.problems
    graph = build_graph(org)
    proposal = "stage:Opportunity.Donation Process/Proposal"
    pipeline = "pipeline:Opportunity.Donation Process"
    assert graph.edge_kinds(proposal, pipeline) == ["belongs-to"]
    assert graph.edge_kinds(proposal, "Opportunity.StageName=Proposal") == ["reads"]
    assert graph.edge_kinds(proposal, "Opportunity.Next_Step__c") == ["requires-at"]
    assert graph.edge_kinds(pipeline, "Opportunity.StageName") == ["reads"]
    assert graph.edge_kinds("recordtype:Opportunity.Donation", pipeline) == ["reads"]
    assert graph.edge_kinds("quickaction:Opportunity.Update_Step",
                            "Opportunity.Next_Step__c") == ["displays"]
    assert graph.edge_kinds("Opportunity.Region__c", "globalvalueset:Regions") == ["has-value"]
    assert graph.edge_kinds("duplicaterule:Account.Account_Dupes",
                            "matchingrule:Account.Account_Match") == ["reads"]
    assert graph.edge_kinds("matchingrule:Account.Account_Match", "Account.Name") == ["reads"]
    assert graph.edge_kinds("flow:Main", "flow:Helper") == ["calls"]
    assert graph.edge_kinds("role:ae", "profile:Sales") == ["assigned"]
    assert graph.edge_kinds("role:ae", "Opportunity.Next_Step__c") == ["reads"]
    assert graph.kind_of("integration:email-capture") is NodeKind.INTEGRATION
    assert {d.element_id for d in graph.dependents("Opportunity.StageName=Proposal")} == {
        proposal
    }


# --- the builder writes networkx's dicts itself ---------------------------------------------


def _rebuilt_through_networkx(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same nodes and edges, in the same order, added through networkx's public methods."""
    rebuilt = nx.MultiDiGraph()
    rebuilt.add_nodes_from(graph.nodes(data=True))
    for source, target, key, data in graph.edges(keys=True, data=True):
        rebuilt.add_edge(source, target, key=key, **data)
    return rebuilt


def _layout(graph: nx.MultiDiGraph) -> list[object]:
    """Nodes and successors as networkx stores them, with the order of every dict made visible.
    (The order of predecessors follows the order edges were added in, which a rebuild from the
    finished graph cannot repeat: they are compared as contents.)"""
    def ordered(adjacency: dict[str, dict[str, dict[str, dict[str, object]]]]) -> list[object]:
        return [(node, [(other, list(edges.items())) for other, edges in neighbours.items()])
                for node, neighbours in adjacency.items()]

    return [list(graph._node.items()), ordered(graph._succ), graph._pred]


@pytest.mark.parametrize("project", ["acme-sfdx", "acme-mdapi", "graph/flow-loop",
                                     "hubspot-yaml", "NPSP"])
def test_built_graph_is_what_networkx_itself_would_store(project: str) -> None:
    # The builder fills _node, _succ and _pred directly for speed; a networkx release that
    # stores graphs differently must fail here rather than give wrong answers.
    root = (corpus_path("sfdc", "SalesforceFoundation__NPSP") if project == "NPSP"
            else FIXTURES / project)
    graph = build_graph(read(root)).graph
    rebuilt = _rebuilt_through_networkx(graph)
    assert graph.number_of_edges() > 0
    assert _layout(graph) == _layout(rebuilt)
    for source, targets in graph._succ.items():
        for target, edges in targets.items():
            assert graph._pred[target][source] is edges  # one key dict, shared both ways
