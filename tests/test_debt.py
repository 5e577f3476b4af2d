"""The debt model (cfglint/debt.py, methods.md B.4): remediation functions, exposure, build
cost, ratio, grade and score, configuration overrides, known answers on fixtures/acme-sfdx, and
monotonicity (adding dead fields, triggers or automation cycles never lowers the debt)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.config import CommandLineOverrides, ConfigError, load_settings
from cfglint.debt import (
    BUILD_COST,
    REMEDIATION,
    Context,
    CycleSize,
    DebtAssessment,
    DebtConstants,
    Linear,
    assess,
    base_hours,
    components,
    constants_from_config,
    debt_ratio,
    exposure,
    grade,
    load_constants,
    priors_markdown,
    related_elements,
    score,
)
from cfglint.graph import build_graph
from cfglint.lint import lint
from cfglint.model import (
    Automation,
    AutomationKind,
    CrmObject,
    Field,
    FieldType,
    Org,
    PicklistValue,
    ValidationRule,
    View,
    ViewItem,
    ViewKind,
    ViewSection,
)
from cfglint.readers import read
from cfglint.rules.base import Finding, Severity
from tests.conftest import FIXTURES, PROJECT_ROOT

ACME = FIXTURES / "acme-sfdx"


def finding(rule_id: str, element_id: str = "Account", **data: Any) -> Finding:
    return Finding(rule_id=rule_id, rule_name="x", severity=Severity.WARNING, message="m",
                   element_id=element_id, data=data)


def hours_of(found: Finding, org: Org | None = None, **cycles: CycleSize) -> float:
    context = Context(org or Org("salesforce", "sfdx"), cycles)
    return base_hours(found, context, DebtConstants())[2]


# --- grade, score, exposure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.0, 100.0), (0.025, 90.0), (0.05, 80.0), (0.075, 70.0), (0.10, 60.0), (0.15, 50.0),
     (0.20, 40.0), (0.35, 30.0), (0.50, 20.0), (0.75, 10.0), (1.0, 0.0), (3.0, 0.0),
     (math.inf, 0.0)],
)
def test_score_is_piecewise_linear_between_the_grid_corners(ratio: float, expected: float) -> None:
    assert score(ratio) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ratio", "letter"),
    [(0.0, "A"), (0.05, "A"), (0.0501, "B"), (0.10, "B"), (0.2, "C"), (0.5, "D"), (0.51, "E"),
     (math.inf, "E")],
)
def test_grade_uses_sonars_grid_with_inclusive_limits(ratio: float, letter: str) -> None:
    assert grade(ratio) == letter


def test_exposure_factor() -> None:
    # 1 + 0.25 * log2(1 + BR): BR 0 -> 1, 1 -> 1.25, 3 -> 1.5, 7 -> 1.75, 1023 -> 3.5
    assert [exposure(radius) for radius in (0, 1, 3, 7, 1023)] == [1.0, 1.25, 1.5, 1.75, 3.5]


def test_debt_ratio_edges() -> None:
    assert debt_ratio(0.0, 0.0) == 0.0
    assert debt_ratio(5.0, 100.0) == 0.05
    assert debt_ratio(1.0, 0.0) == math.inf


# --- remediation functions -----------------------------------------------------------------------


def _org_with(*automations: Automation) -> Org:
    org = Org("salesforce", "sfdx")
    for automation in automations:
        org.automations[automation.id] = automation
    return org


def test_legacy_automation_costs_per_action_or_criteria_node() -> None:
    rule = Automation(AutomationKind.WORKFLOW_RULE, "R", "Account", elements=3)
    process = Automation(AutomationKind.PROCESS_BUILDER, "P", "Account", decisions=4)
    org = _org_with(rule, process)
    assert hours_of(finding("DEBT002", rule.id), org) == 1.75  # 1 + 0.25 * 3 actions
    assert hours_of(finding("DEBT002", process.id), org) == 3.0  # 2 + 0.25 * 4 nodes


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (finding("DEBT001"), 0.1),
        (finding("DEBT003", kinds={"flow": [], "trigger": [], "workflow": []}, max_kinds=1), 8.0),
        (finding("DEBT003", without_trigger_order=["a", "b"]), 0.5),
        (finding("DEBT004"), 0.25),
        (finding("DEBT005", ids=["001000000000001", "001000000000002"]), 1.0),
        (finding("DEBT006", duplicates=["Account.A__c", "Account.B__c"]), 2.0),
        (finding("DEBT007", custom_fields=420, limit=500, threshold=0.8), 3.0),  # 1 + 0.1 * 20
        (finding("DEBT008", cycle=["flow:a", "flow:b", "flow:c"]), 10.0),  # 4 + 2 * 3
        (finding("DEBT008", cycle=["flow:a"]), 6.0),  # a self-loop: 4 + 2 * 1
        (finding("DEBT010", depth=5, max=3), 1.0),  # 0.5 + 0.25 * 2
        (finding("DEBT011"), 0.5),
        (finding("DEBT012", complexity=31, max=25), 2.5),  # 1 + 0.25 * (31 - 25)
        (finding("REQ001", count=11, max=7), 1.0),
        (finding("REQ002", fields=["A", "B", "C"]), 1.5),
        (finding("PIPE002", open_stages=12, max=9, min=3), 1.75),
        (finding("DATA003", count=30, max=25), 0.6),
        (finding("INTG002"), 0.0),
        (finding("CFG001"), 0.0),
        (finding("XYZ001"), 0.5),  # a custom rule: the default prior
    ],
)
def test_remediation_functions(found: Finding, expected: float) -> None:
    assert hours_of(found) == pytest.approx(expected)


def test_a_cycle_costs_by_its_component() -> None:
    loop = finding("DEBT008", "flow:a", cycle=["flow:a", "flow:b"])
    # The rule names the shortest loop (2 automations); the component is one loop of 3
    assert hours_of(loop, **{"flow:a": CycleSize(3, 1)}) == 10.0  # 4 + 2 * 3
    # 3 automations with 5 independent loops: 4 + 2 * (3 + 2 * 4) = 26
    assert hours_of(loop, **{"flow:a": CycleSize(3, 5)}) == 26.0
    assert hours_of(loop) == 8.0  # no component known: the loop's length


def test_every_remediation_row_is_non_negative() -> None:
    for table in (REMEDIATION, BUILD_COST):
        for prior in table.values():
            assert prior.cost.base >= 0
            assert prior.cost.per >= 0


def test_docs_show_the_current_priors() -> None:
    page = (PROJECT_ROOT / "docs" / "debt.md").read_text(encoding="utf-8")
    assert priors_markdown() in page, (
        "docs/debt.md is stale: paste `python -c 'from cfglint.debt import priors_markdown; "
        "print(priors_markdown())'` into its section on the priors"
    )


def test_related_elements_of_duplicates_and_cycles() -> None:
    duplicate = finding("DEBT006", "Account.B__c", original="Account.A__c",
                        duplicates=["Account.B__c"])
    assert related_elements(duplicate) == ["Account.B__c", "Account.A__c", "Account.B__c"]
    assert related_elements(finding("DEBT001", "Account.X__c")) == ["Account.X__c"]


# --- configuration -------------------------------------------------------------------------------


def test_overrides_replace_rows_and_variants() -> None:
    constants = constants_from_config({
        "remediation": {"DEBT001": 0.3, "DEBT002": {"base": 3, "per": 0.5}, "REQ": 2},
        "build-cost": {"field": {"base": 1}},
        "exposure-weight": 0.5,
        "grades": {"A": 0.1, "B": 0.2, "C": 0.3, "D": 0.6},
    })
    assert constants.remediation_for("DEBT001") == Linear(0.3)
    # DEBT002 overrides both DEBT002:workflow and DEBT002:process-builder
    assert constants.remediation_for("DEBT002:workflow") == Linear(3.0, 0.5)
    assert constants.remediation_for("DEBT002:process-builder") == Linear(3.0, 0.5)
    # REQ001 keeps its own row; a rule of the family without one would take the family's
    assert constants.remediation_for("REQ001") == REMEDIATION["REQ001"].cost
    assert constants.remediation_for("REQ099") == Linear(2.0)
    assert constants.build("field") == 1.0
    assert constants.exposure_weight == 0.5
    assert grade(0.15, constants.grade_grid) == "B"
    assert score(0.1, constants.grade_grid) == pytest.approx(80.0)


@pytest.mark.parametrize(
    "section",
    [
        {"build-cost": {"feild": 1}},
        {"remediation": {"DEBT001": "a lot"}},
        {"remediation": {"DEBT001": {"base": 1, "each": 2}}},
        {"grades": {"A": 0.3, "B": 0.2, "C": 0.4, "D": 0.5}},
        {"remediation": {"DEBT001": -1}},
        {"build-cost": {"field": {"per": -0.5}}},
        {"exposure-weight": -0.25},
    ],
)
def test_bad_overrides_are_configuration_errors(section: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        constants_from_config(section)


def test_constants_come_from_the_project_configuration(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # stop discovery at the temporary project
    (tmp_path / ".cfglint.yaml").write_text(
        "debt:\n  remediation:\n    DEBT001: 1.5\n  build-cost:\n    trigger: 10\n",
        encoding="utf-8",
    )
    constants = load_constants(tmp_path)
    assert constants.remediation_for("DEBT001") == Linear(1.5)
    assert constants.build("trigger") == 10.0


def test_without_configuration_the_priors_apply(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert load_constants(tmp_path) == DebtConstants()


def test_schema_rejects_a_misspelt_debt_key(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".cfglint.yaml").write_text("debt:\n  build_cost: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_constants(tmp_path)


# --- known answers on the Acme fixture -----------------------------------------------------------


@pytest.fixture(scope="module")
def acme() -> tuple[Org, DebtAssessment]:
    """The sample org priced with the default ruleset less DEBT009, whose findings depend on
    how many dependents the graph gives an element (the graph's own tests pin that); here the
    findings are those of expected-findings.txt."""
    org = read(ACME)
    graph = build_graph(org)
    settings_ = load_settings(ACME, CommandLineOverrides(ignore=["DEBT009"]))
    result = lint(org, settings_, root=ACME.as_posix(), graph=graph)
    return org, assess(org, graph, result.findings, root="acme")


def _issue(assessment: DebtAssessment, rule_id: str, element_id: str) -> Any:
    return next(issue for issue in assessment.issues
                if (issue.finding.rule_id, issue.finding.element_id) == (rule_id, element_id))


def test_acme_build_cost_by_hand(acme: tuple[Org, DebtAssessment]) -> None:
    org, assessment = acme
    built = {component.element_id: component for component in assessment.components}
    # Sub_Industry__c is a picklist of 30 values: 0.5 + 0.02 * 30 = 1.1 h
    assert built["Account.Sub_Industry__c"].hours == pytest.approx(1.1)
    # Discount_Requires_Approval: AND(Discount_Percent__c > 0.2, $User.ProfileId <> "...") has
    # complexity 1 + (2 - 1) = 2, so 0.75 + 0.1 * 2 = 0.95 h
    assert built["validation:Opportunity.Discount_Requires_Approval"].hours == pytest.approx(0.95)
    # The workflow rule has one action (a field update): 0.5 + 0.25 = 0.75 h
    assert built["workflow:Opportunity.Flag Large Deals"].hours == pytest.approx(0.75)
    # The Apex trigger (no line count in the metadata): the 5 h prior
    assert built["trigger:OpportunityTrigger"].hours == 5.0
    # Standard fields are the vendor's and cost nothing; the custom object costs 1 h
    assert "Opportunity.StageName" not in built
    assert built["Competitor__c"].hours == 1.0
    # 28 custom fields, 5 layouts, 1 flexipage, 1 compact layout, 5 list views, 1 record type,
    # 2 validation rules, 4 automations, 6 profiles and permission sets, 1 report, 1 quick
    # action, 1 business process, 1 value set and the custom object
    assert len(built) == 58
    assert assessment.build_hours == pytest.approx(41.93)
    assert assessment.build_hours == pytest.approx(sum(c.hours for c in components(
        org, DebtConstants())))


def test_acme_issue_hours_by_hand(acme: tuple[Org, DebtAssessment]) -> None:
    _, assessment = acme
    # The workflow rule 'Flag Large Deals' has one action and nothing depends on it:
    # (1 + 0.25 * 1) * (1 + 0.25 * log2(1 + 0)) = 1.25 h
    workflow = _issue(assessment, "DEBT002", "workflow:Opportunity.Flag Large Deals")
    assert (workflow.base_hours, workflow.blast_radius, workflow.hours) == (1.25, 0, 1.25)
    # One hard-coded id in a validation rule nothing depends on: 0.5 h
    hard_coded = _issue(assessment, "DEBT005", "validation:Opportunity.Discount_Requires_Approval")
    assert hard_coded.hours == 0.5
    # Opportunity runs 3 kinds of automation on save, 1 allowed: 4 h per extra kind = 8 h,
    # weighted by the exposure of the Opportunity object
    mixed = _issue(assessment, "DEBT003", "Opportunity")
    assert mixed.base_hours == 8.0
    assert mixed.hours == pytest.approx(8.0 * (1 + 0.25 * math.log2(1 + mixed.blast_radius)))
    # A near duplicate takes the exposure of the more exposed of the pair
    duplicate = _issue(assessment, "DEBT006", "Account.Customer_Tiers__c")
    radii = build_graph(read(ACME)).blast_radii()
    assert duplicate.blast_radius == max(radii["Account.Customer_Tiers__c"],
                                         radii["Account.Customer_Tier__c"])


def test_acme_totals(acme: tuple[Org, DebtAssessment]) -> None:
    _, assessment = acme
    # Base hours do not depend on the graph. The 27 findings (expected-findings.txt less the
    # opt-in DATA004): DEBT003 8 (2 kinds over the 1 allowed, 4 h each) + REQ001 2.25 (16
    # required at create, 9 over 7) + PIPE001 2 + DATA001 3 x 1 + DEBT006 2 x 1 + VIEW002 5 x 1
    # + DEBT002 1.25 + TIME002 1 (one role's create over budget) + DATA003 0.6 (30 values, 5
    # over 25) + REQ003 5 x 0.5 + DEBT005 0.5 + DATA002 0.25 + DEBT004 0.25 + DEBT001 2 x 0.1
    # + INTG002 0 + DEBT009 0 = 28.8 h
    assert len(assessment.issues) == 27
    assert math.fsum(issue.base_hours for issue in assessment.issues) == pytest.approx(28.8)
    assert assessment.debt_hours == pytest.approx(math.fsum(i.hours for i in assessment.issues))
    assert assessment.ratio == pytest.approx(assessment.debt_hours / 41.93)
    assert (assessment.grade, assessment.score) == ("E", 0.0)
    by_object = {row.name: row for row in assessment.by_object}
    assert sum(row.debt_hours for row in by_object.values()) == pytest.approx(
        assessment.debt_hours)
    assert sum(row.build_hours for row in by_object.values()) == pytest.approx(41.93)
    assert sum(row.debt_hours for row in assessment.by_family) == pytest.approx(
        assessment.debt_hours)
    assert assessment.risks[0].rule_id == "DEBT003"


def test_acme_graph_measures_and_hot_spots(acme: tuple[Org, DebtAssessment]) -> None:
    _, assessment = acme
    measures = assessment.measures
    assert measures.cycles == []
    assert 0 < measures.propagation_cost < 1
    assert measures.core_size == 1
    radii = [spot.blast_radius for spot in assessment.hot_spots]
    assert radii == sorted(radii, reverse=True)
    assert all(spot.kind != "object" for spot in assessment.hot_spots)
    first = assessment.hot_spots[0]
    assert first.neighbourhood
    assert {item.distance for item in first.neighbourhood} <= {1, 2}


# --- monotonicity --------------------------------------------------------------------------------


def _object(org: Org, name: str) -> CrmObject:
    crm_object = CrmObject(name=name, custom=True, description="d")
    org.objects[name] = crm_object
    return crm_object


def _field(crm_object: CrmObject, name: str, **attributes: Any) -> Field:
    model_field = Field(object_name=crm_object.name, name=name, custom=True, **attributes)
    crm_object.fields[name] = model_field
    return model_field


@st.composite
def small_orgs(draw: st.DrawFn) -> Org:
    """One to three custom objects with fields (some documented, some picklists, some formulas
    over others), a layout per object showing some fields, validation rules reading fields,
    and record-triggered flows that read and write fields."""
    org = Org("salesforce", "sfdx")
    for object_index in range(draw(st.integers(1, 3))):
        crm_object = _object(org, f"Thing{object_index}__c")
        names = [f"Field{index}__c" for index in range(draw(st.integers(1, 6)))]
        for name in names:
            picklist = draw(st.booleans())
            _field(crm_object, name,
                   description=draw(st.sampled_from([None, "why it exists"])),
                   type=FieldType.PICKLIST if picklist else FieldType.TEXT,
                   picklist_values=[PicklistValue("a"), PicklistValue("b")] if picklist else [],
                   restricted=True if picklist else None)
        if len(names) > 1 and draw(st.booleans()):
            _field(crm_object, "Total__c", formula=f"{names[0]} & {names[1]}",
                   type=FieldType.FORMULA, description="sum")
        shown = draw(st.lists(st.sampled_from(names), unique=True))
        view = View(ViewKind.LAYOUT, f"{crm_object.name}-Layout", crm_object.name,
                    sections=[ViewSection("Main", [ViewItem(name) for name in shown])])
        org.views[view.id] = view
        for rule_index in range(draw(st.integers(0, 2))):
            rule = ValidationRule(crm_object.name, f"Rule{rule_index}",
                                  formula=f"ISBLANK({draw(st.sampled_from(names))})",
                                  description="d")
            crm_object.validation_rules[rule.name] = rule
        for flow_index in range(draw(st.integers(0, 2))):
            flow = Automation(
                AutomationKind.FLOW, f"{crm_object.name[:-3]}_Flow{flow_index}",
                crm_object.name, trigger="update", timing="after-save", elements=3,
                reads=[f"{crm_object.name}.{draw(st.sampled_from(names))}"],
                writes=[f"{crm_object.name}.{draw(st.sampled_from(names))}"],
                description=draw(st.sampled_from([None, "d"])),
            )
            org.automations[flow.id] = flow
    return org


def _debt(org: Org) -> float:
    graph = build_graph(org)
    settings_ = load_settings(ACME, CommandLineOverrides())
    result = lint(org, settings_, root=".", graph=graph)
    return assess(org, graph, result.findings).debt_hours


def _add_dead_field(org: Org, target: str) -> None:
    _field(org.objects[target], "Zz_Unused_Extra__c", type=FieldType.TEXT)


def _add_trigger(org: Org, target: str) -> None:
    trigger = Automation(AutomationKind.TRIGGER, f"{target[:-3]}ExtraTrigger", target,
                         trigger="before insert, before update", timing="before-save")
    org.automations[trigger.id] = trigger


def _add_cycle(org: Org, target: str) -> None:
    """Two record-triggered flows without entry conditions that each write a field of the
    object the other starts on: a cascade cycle (and self-loops)."""
    crm_object = org.objects[target]
    for name in ("Ping", "Pong"):
        _field(crm_object, f"{name}_Count__c", type=FieldType.NUMBER, description="loop")
        flow = Automation(AutomationKind.FLOW, f"Loop_{name}_{target[:-3]}", target,
                          trigger="create-or-update", timing="after-save", elements=2,
                          writes=[f"{target}.{name}_Count__c"], description="loop")
        org.automations[flow.id] = flow


CHANGES = {"dead field": _add_dead_field, "trigger": _add_trigger, "cycle": _add_cycle}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org=small_orgs(), change=st.sampled_from(sorted(CHANGES)), data=st.data())
def test_adding_a_finding_producing_element_never_lowers_debt(
    org: Org, change: str, data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from(sorted(org.objects)))
    before = _debt(org)
    CHANGES[change](org, target)
    after = _debt(org)
    assert after >= before - 1e-9, (change, before, after)


def _looping_flow(org: Org, name: str, reads: list[str], writes: list[str]) -> None:
    flow = Automation(AutomationKind.FLOW, name, "Thing__c", trigger="update",
                      timing="after-save", reads=reads, writes=writes, description="d")
    org.automations[flow.id] = flow


def test_joining_two_cycles_never_lowers_debt() -> None:
    org = Org("salesforce", "sfdx")
    thing = _object(org, "Thing__c")
    for name in ("A__c", "B__c"):
        _field(thing, name, description="d")
    # Two flows that each re-trigger themselves: two cycles of one
    _looping_flow(org, "Flow_A", ["Thing__c.A__c"], ["Thing__c.A__c"])
    _looping_flow(org, "Flow_B", ["Thing__c.B__c"], ["Thing__c.B__c"])
    before = _debt(org)
    assert len(build_graph(org).automation_cycles()) == 2
    # A flow without entry conditions that writes both fields joins them into one component
    _looping_flow(org, "Flow_C", [], ["Thing__c.A__c", "Thing__c.B__c"])
    assert len(build_graph(org).automation_cycles()) == 1
    assert _debt(org) >= before


def test_an_automation_cycle_adds_debt() -> None:
    org = Org("salesforce", "sfdx")
    _field(_object(org, "Thing__c"), "Name__c", description="d")
    before = _debt(org)
    _add_cycle(org, "Thing__c")
    graph = build_graph(org)
    assert graph.automation_cycles(), "the generator must make a cycle"
    assert _debt(org) > before
