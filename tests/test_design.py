"""The MVC designer on every fixture org: the launch passes go-live's REQ, VIEW and TIME rules,
contains every must-have with its closure, and a design of its own output changes nothing."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from cfglint.config import CommandLineOverrides, load_settings
from cfglint.design import (
    GREEDY,
    MILP,
    Design,
    Selection,
    brute_force,
    design,
    milp_available,
    select,
)
from cfglint.graph import build_graph
from cfglint.lint import lint
from cfglint.readers import read
from cfglint.readers.roles import load_roles
from cfglint.writers.native import dump_native
from tests.conftest import FIXTURES

CASES = {
    "acme-sfdx": FIXTURES / "acme-sfdx",
    "acme-mdapi": FIXTURES / "acme-mdapi",
    "hubspot-yaml": FIXTURES / "hubspot-yaml",
    "worked-example": FIXTURES / "budget" / "worked-example",
}


def _design(name: str, path: Path) -> Design:
    org = read(path, None)
    return design(org, load_roles(FIXTURES / "design" / name / "roles.yaml", org))


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> tuple[str, Design, Path]:
    name = request.param
    result = _design(name, CASES[name])
    launch = tmp_path_factory.mktemp(name) / "launch.yaml"
    launch.write_text(dump_native(result.launch), encoding="utf-8")
    return name, result, launch


def test_launch_passes_go_live_req_view_time(case: tuple[str, Design, Path]) -> None:
    _, _, launch = case
    org = read(launch, None)
    settings = load_settings(launch, CommandLineOverrides(ruleset="go-live"))
    findings = lint(org, settings, root=launch.as_posix()).findings
    assert [f.message for f in findings if f.family in ("REQ", "VIEW", "TIME")] == []
    assert org.problems == []


def test_design_of_its_own_output_changes_nothing(case: tuple[str, Design, Path]) -> None:
    name, _, launch = case
    again = _design(name, launch)
    assert dump_native(again.launch) == launch.read_text(encoding="utf-8")


def test_must_haves_and_their_closure_are_kept(case: tuple[str, Design, Path]) -> None:
    _, result, launch = case
    source_graph = build_graph(result.source)
    launch_graph = build_graph(read(launch, None)).graph
    must = [need.field for role in result.source.roles.values() for need in role.needs]
    must += [f for report in result.launch.reports.values() for f in report.fields]
    assert must
    for element in must:
        needed = {element} | nx.descendants(source_graph.graph, element)
        declared = {node for node in needed if source_graph.graph.nodes[node]["declared"]}
        missing = [node for node in declared
                   if node not in launch_graph or not launch_graph.nodes[node]["declared"]]
        assert missing == [], element


def test_the_launch_is_closed(case: tuple[str, Design, Path]) -> None:
    """Whatever the launch holds needs nothing the launch lacks (that the input defines)."""
    _, result, launch = case
    source = build_graph(result.source).graph
    launch_graph = build_graph(read(launch, None)).graph
    for node in launch_graph.nodes:
        for target in launch_graph.successors(node):
            if target in source and source.nodes[target]["declared"]:
                assert launch_graph.nodes[target]["declared"], (node, target)


def test_acme_decisions() -> None:
    result = _design("acme-sfdx", CASES["acme-sfdx"])
    gates = {gate.field_id: gate.stages[0] for gate in result.stage_gates}
    assert gates == {
        "Opportunity.Loss_Reason__c": "Closed Lost",
        "Opportunity.PO_Number__c": "Closed Won",
        "Opportunity.Payment_Terms__c": "Negotiation/Review",
        "Opportunity.Primary_Competitor__c": "Needs Analysis",
        "Opportunity.Products_of_Interest__c": "Needs Analysis",
    }
    assert result.rule_deactivations == []
    assert "validation:Opportunity.Next_Step_Required_at_Proposal" in result.kept
    reasons = {item.element_id: item.reason for item in result.deferred}
    assert reasons["Account.Customer_Tiers__c"] == "DUPLICATE"
    assert reasons["workflow:Opportunity.Flag Large Deals"] == "LEGACY_AUTOMATION"
    assert reasons["flow:Opportunity_Large_Deal_Flag"] == "DEAD"
    assert result.solver == "closure"
    ae = next(view for view in result.views
              if view.role_id == "role:ae" and view.object_name == "Opportunity")
    required = [item.field for _, items in ae.sections for item in items
                if item.behavior.value == "required"]
    assert required == ["Name", "Contract_Value__c", "CloseDate", "StageName"]
    assert ae.based_on == "layout:Opportunity-Opportunity Layout"


def test_worked_example_keeps_the_rule_that_gates_what_the_role_says() -> None:
    result = _design("worked-example", CASES["worked-example"])
    assert "validation:Opportunity.Pricing_Model_Required_at_Proposal" in result.kept
    assert [(gate.field_id, gate.stages, gate.rule_name) for gate in result.stage_gates] == [
        ("Opportunity.Contract_Value__c", ("Proposal",), ""),
        ("Opportunity.NextStep", ("Proposal",), ""),
    ]
    stage = result.launch.pipelines["pipeline:Opportunity.Sales Process"].stages[2]
    assert stage.required_fields == ["Contract_Value__c", "NextStep"]


def test_usage_adds_nice_to_haves_within_budget() -> None:
    org = read(CASES["worked-example"], None)
    roles = load_roles(FIXTURES / "design" / "worked-example" / "roles.yaml", org)
    usage = {"fields": {"Opportunity.Decision_Date__c": {"fill_rate": 0.9},
                        "Opportunity.Products__c": {"fill_rate": 0.6},
                        "Opportunity.Proposal_Summary__c": {"fill_rate": 0.02}}}
    # Creating takes 32.3 s without them: 7.7 s of a 40 s budget are left, enough for the
    # decision date (0.9 × 6.5 s) or the products (0.6 × 10.1 s), not both.
    result = design(org, roles, usage=usage, budget_seconds=40, solver="greedy")
    assert result.solver == GREEDY
    ae = result.views[0]
    assert ae.sections[-1][0] == "Nice to have"
    assert [item.field for item in ae.sections[-1][1]] == ["Decision_Date__c"]
    reasons = {item.element_id: (item.reason, item.moscow) for item in result.deferred}
    assert reasons["Opportunity.Products__c"] == ("BUDGET", "should")
    assert reasons["Opportunity.Proposal_Summary__c"] == ("LOW_FILL", "wont")


def test_input_org_is_not_changed() -> None:
    org = read(CASES["hubspot-yaml"], None)
    before = dump_native(org)
    design(org, load_roles(FIXTURES / "design" / "hubspot-yaml" / "roles.yaml", org))
    assert dump_native(org) == before


# --- the nice-to-have selection -------------------------------------------------------------------


def _random_problem(seed: int) -> Selection:
    rng = random.Random(seed)
    size = rng.randint(2, 12)
    nodes = [f"n{index:02d}" for index in range(size)]
    needs = {node: tuple(sorted(rng.sample(nodes[index + 1:],
                                           k=min(len(nodes) - index - 1, rng.randint(0, 2)))))
             for index, node in enumerate(nodes)}
    values = {node: rng.choice([0.0, 0.0, 1.0, 2.0, 3.5]) for node in nodes}
    weights = {node: rng.choice([0.0, 0.5, 1.0]) for node in nodes}
    costs = {f"c{k}": {node: float(rng.randint(0, 5)) for node in nodes} for k in range(2)}
    capacities = {name: float(rng.randint(0, 12)) for name in costs}
    return Selection(values, weights, needs, costs, capacities)


@pytest.mark.skipif(not milp_available(), reason="scipy is not installed")
@pytest.mark.parametrize("seed", range(40))
def test_milp_equals_brute_force_on_random_dags(seed: int) -> None:
    problem = _random_problem(seed)
    chosen = select(problem, MILP)
    assert problem.feasible(chosen)
    assert problem.objective(chosen) == pytest.approx(brute_force(problem))


@pytest.mark.parametrize("seed", range(40))
def test_greedy_is_feasible_and_never_beats_the_optimum(seed: int) -> None:
    problem = _random_problem(seed)
    chosen = select(problem, GREEDY)
    assert problem.feasible(chosen)
    assert problem.objective(chosen) <= brute_force(problem) + 1e-9


def test_a_small_knapsack_exactly() -> None:
    problem = Selection(
        values={"a": 3.0, "b": 2.0, "c": 2.0}, weights={"x": 0.5},
        needs={"a": ("x",), "b": (), "c": ()},
        costs={"time": {"a": 4.0, "b": 3.0, "c": 3.0}}, capacities={"time": 6.0},
    )
    assert brute_force(problem) == 4.0
    assert select(problem, GREEDY) == frozenset({"b", "c"})
