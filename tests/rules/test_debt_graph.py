"""DEBT008-DEBT012: customization debt found through the dependency graph."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cfglint.graph import DependencyGraph, build_graph
from cfglint.model import Org
from cfglint.readers import read
from cfglint.rules.base import Finding
from tests.conftest import FIXTURES, corpus_path
from tests.rules.helpers import RULE_FIXTURES, findings_of, summary


def graph_findings(rule_id: str, fixture: str | Path, **kwargs: Any) -> list[Finding]:
    """Findings with the graph built once and passed in, as the CLI does."""
    org = read(RULE_FIXTURES / fixture if isinstance(fixture, str) else fixture)
    assert not org.problems, org.problems
    return findings_of(rule_id, org, graph=build_graph(org), **kwargs)


@cache
def corpus(name: str) -> tuple[Org, DependencyGraph]:
    org = read(corpus_path("sfdc", name))
    return org, build_graph(org)


# --- DEBT008 automation cycles ------------------------------------------------------------------


def test_debt008_fail() -> None:
    assert summary(graph_findings("DEBT008", "DEBT008/fail.yaml")) == [
        ("flow:Priority_From_Review",
         "automations start each other in a loop of 2: flow 'Priority_From_Review' on "
         "Opportunity writes Opportunity.Priority__c, which starts flow 'Review_From_Priority'; "
         "flow 'Review_From_Priority' writes Opportunity.Review_Status__c, which starts flow "
         "'Priority_From_Review' again"),
        ("flow:Account_Rating",
         "flow 'Account_Rating' on Account starts itself again: it writes Account.Rating__c, "
         "and that update starts it (recursion)"),
    ]


def test_debt008_pass() -> None:
    assert graph_findings("DEBT008", "DEBT008/pass.yaml") == []


def test_debt008_data_and_location_on_the_flow_loop_fixture() -> None:
    [finding] = graph_findings("DEBT008", FIXTURES / "graph" / "flow-loop")
    assert finding.element_id == "flow:Opportunity_Priority_From_Review"
    assert finding.path == (
        "force-app/main/default/flows/Opportunity_Priority_From_Review.flow-meta.xml"
    )
    assert dict(finding.data) == {
        "cycle": ["flow:Opportunity_Priority_From_Review",
                  "flow:Opportunity_Review_From_Priority"],
        "fields": [["Opportunity.Priority__c"], ["Opportunity.Review_Status__c"]],
    }


def test_debt008_builds_the_graph_when_none_is_given() -> None:
    assert [f.element_id for f in findings_of("DEBT008", "DEBT008/fail.yaml")] == [
        "flow:Priority_From_Review", "flow:Account_Rating",
    ]


# --- DEBT009 high blast radius ------------------------------------------------------------------


def test_debt009_fail() -> None:
    assert summary(graph_findings("DEBT009", "DEBT009/fail.yaml")) == [
        ("Opportunity.Region__c",
         "field Opportunity.Region__c has 26 dependents (max 25): 26 reports"),
    ]


def test_debt009_pass() -> None:
    assert graph_findings("DEBT009", "DEBT009/pass.yaml") == []


def test_debt009_options_lower_the_thresholds_and_choose_kinds() -> None:
    options = {"max-dependents": 3, "max-object-dependents": 3, "kinds": ["field", "object"]}
    assert summary(graph_findings("DEBT009", "DEBT009/pass.yaml", options=options)) == [
        ("Opportunity",
         "object Opportunity has 5 dependents (max 3): 1 field, 1 flow, 1 layout, 1 profile, "
         "1 report"),
        ("Opportunity.Region__c",
         "field Opportunity.Region__c has 4 dependents (max 3): 1 flow, 1 layout, 1 profile, "
         "1 report"),
    ]
    only_objects = {**options, "kinds": ["object"]}
    assert [f.element_id for f in graph_findings("DEBT009", "DEBT009/pass.yaml",
                                                 options=only_objects)] == ["Opportunity"]


def test_debt009_data() -> None:
    [finding] = graph_findings("DEBT009", "DEBT009/fail.yaml")
    assert dict(finding.data) == {"dependents": 26, "max": 25, "by_kind": {"report": 26}}


# --- DEBT010 formula chains ---------------------------------------------------------------------


def test_debt010_fail() -> None:
    assert summary(graph_findings("DEBT010", "DEBT010/fail.yaml")) == [
        ("Opportunity.F4__c",
         "formula field Opportunity.F4__c is 4 formulas deep (max 3): Opportunity.F1__c -> "
         "Opportunity.F2__c -> Opportunity.F3__c -> Opportunity.F4__c"),
    ]


def test_debt010_pass() -> None:
    assert graph_findings("DEBT010", "DEBT010/pass.yaml") == []


def test_debt010_max_depth_option_and_the_sfdx_fixture() -> None:
    findings = graph_findings("DEBT010", "DEBT010/fail.yaml", options={"max-depth": 2})
    assert [f.element_id for f in findings] == ["Opportunity.F3__c", "Opportunity.F4__c"]
    [finding] = graph_findings("DEBT010", FIXTURES / "graph" / "formula-chain")
    assert finding.element_id == "Opportunity.F4__c"
    assert finding.data["chain"] == [
        "Opportunity.F1__c", "Opportunity.F2__c", "Opportunity.F3__c", "Opportunity.F4__c"
    ]


# --- DEBT011 orphan fields ----------------------------------------------------------------------

ORPHAN = (
    "custom field Invoice__c.Legacy_Code__c is used by nothing cfglint can see (no view, report, "
    "list view, field set, formula, rule or automation)"
)


def test_debt011_fail() -> None:
    assert summary(graph_findings("DEBT011", "DEBT011/fail.yaml")) == [
        ("Invoice__c.Legacy_Code__c",
         ORPHAN + "; check code and integrations before deleting it"),
    ]


def test_debt011_pass() -> None:
    assert graph_findings("DEBT011", "DEBT011/pass.yaml") == []


def test_debt011_with_usage_data() -> None:
    empty = {"fields": {"Invoice__c.Legacy_Code__c": {"fill_rate": 0.0}}}
    assert summary(graph_findings("DEBT011", "DEBT011/fail.yaml", usage=empty)) == [
        ("Invoice__c.Legacy_Code__c", ORPHAN + ", and it is 0% filled"),
    ]
    filled = {"fields": {"Invoice__c.Legacy_Code__c": {"fill_rate": 0.4}}}
    assert graph_findings("DEBT011", "DEBT011/fail.yaml", usage=filled) == []
    loose = graph_findings("DEBT011", "DEBT011/fail.yaml", usage=filled,
                           options={"max-fill-rate": 0.5})
    assert summary(loose) == [("Invoice__c.Legacy_Code__c", ORPHAN + ", and it is 40% filled")]
    unknown = graph_findings("DEBT011", "DEBT011/fail.yaml", usage={"fields": {}})
    assert summary(unknown) == [
        ("Invoice__c.Legacy_Code__c", ORPHAN + "; the usage data has no fill rate for it"),
    ]


def test_debt011_include_managed() -> None:
    findings = graph_findings("DEBT011", "DEBT011/fail.yaml", options={"include-managed": True})
    assert [f.element_id for f in findings] == [
        "Invoice__c.Legacy_Code__c", "Invoice__c.npsp__Batch__c",
    ]


# --- DEBT012 flow complexity --------------------------------------------------------------------


def test_debt012_fail() -> None:
    assert summary(findings_of("DEBT012", "DEBT012/fail.yaml")) == [
        ("flow:Route_Lead",
         "flow 'Route_Lead' on Lead has a cyclomatic complexity of at least 27 (max 25): "
         "26 decision outcomes in 40 elements"),
    ]


def test_debt012_pass() -> None:
    assert findings_of("DEBT012", "DEBT012/pass.yaml") == []


def test_debt012_option_and_versions() -> None:
    findings = findings_of("DEBT012", "DEBT012/pass.yaml", options={"max-complexity": 3})
    assert [(f.element_id, f.data["complexity"]) for f in findings] == [
        ("flow:Route_Lead", 25), ("flow:Score_Lead-2", 4),
    ]


# --- the sample org and the corpora -------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ["DEBT008", "DEBT010", "DEBT011", "DEBT012"])
@pytest.mark.parametrize("name", ["acme-sfdx", "acme-mdapi"])
def test_the_sample_org_has_no_loop_chain_orphan_or_complex_flow(rule_id: str, name: str) -> None:
    # The acme README lists none, and every custom field of acme is used somewhere.
    assert graph_findings(rule_id, FIXTURES / name) == []


@pytest.mark.parametrize("name", ["acme-sfdx", "acme-mdapi"])
def test_the_sample_org_stage_field_is_a_hot_spot(name: str) -> None:
    assert summary(graph_findings("DEBT009", FIXTURES / name)) == [
        ("Opportunity.StageName",
         "field Opportunity.StageName has 33 dependents (max 25): 10 picklist values, 10 stages, "
         "5 profiles, 1 compact layout, 1 flow, 1 layout, 1 list view, 1 pipeline, "
         "1 record type, 1 report, 1 validation rule"),
    ]


def test_corpus_findings() -> None:
    org, graph = corpus("SalesforceFoundation__NPSP")
    blast = findings_of("DEBT009", org, graph=graph)
    assert "Opportunity.StageName" in [f.element_id for f in blast]
    assert findings_of("DEBT008", org, graph=graph) == []
    org, graph = corpus("SFDO-Community__Summit-Events-App")
    [chain] = findings_of("DEBT010", org, graph=graph)
    assert chain.element_id == "Summit_Events_Instance__c.Open_Registration__c"
    assert chain.data["chain"][0] == "Summit_Events_Registration__c.Total_Number_of_Guests__c"
    org, graph = corpus("Flow-Scanner__lightning-flow-scanner")
    assert [f.element_id for f in findings_of("DEBT012", org, graph=graph)] == [
        "flow:Cyclomatic_Complexity"
    ]
