"""The KLM update-budget estimator: constants, the A.3 cost table, the A.2 formula, overrides.

Hand arithmetic in the comments uses the published operator values (Kieras's practitioner
KLM [A2]: K 0.28, P 1.1, B 0.1, H 0.4, M 1.2) and the methods' composed-typing rate Kc 0.63.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cfglint.budget import (
    CONSTANTS,
    DEFAULT_CALIBRATION,
    Calibration,
    Estimate,
    FieldInput,
    calibration_from_config,
    estimate,
    field_ops,
    load_calibration,
    org_budget,
    overhead_ops,
    render,
    replace_budget,
    seconds_of,
)
from cfglint.config import ConfigError
from cfglint.model import FieldType
from cfglint.readers import read
from cfglint.readers.roles import load_roles
from cfglint.tasks import (
    CREATE,
    DYNAMIC_FORMS,
    FIELD_REQUIRED,
    STAGE_MOVE,
    STAGE_REQUIRED,
    VALIDATION_RULE,
    Task,
    TaskField,
)
from tests.conftest import FIXTURES

TEN_WORDS = "Choose a pricing model before moving to the Proposal stage."


def marked(field_id: str, field_type: FieldType, **extra: object) -> TaskField:
    return TaskField(field_id, field_type, STAGE_REQUIRED, True, True, **extra)  # type: ignore[arg-type]


def worked_example_fields(*, long_text: bool = True) -> tuple[TaskField, ...]:
    fields = [
        marked("Opportunity.Contract_Value__c", FieldType.CURRENCY),
        marked("Opportunity.Decision_Date__c", FieldType.DATE),
        marked("Opportunity.NextStep", FieldType.TEXT, length=255),
        marked("Opportunity.Partner_Account__c", FieldType.LOOKUP),
        marked("Opportunity.Proposal_Summary__c", FieldType.LONGTEXT, length=32768),
        marked("Opportunity.Products__c", FieldType.MULTIPICKLIST, picklist_size=4),
        TaskField("Opportunity.Pricing_Model__c", FieldType.PICKLIST, VALIDATION_RULE, False,
                  True, picklist_size=3, error_message=TEN_WORDS,
                  rule_id="validation:Opportunity.Pricing_Model_Required_at_Proposal"),
    ]
    return tuple(item for item in fields if long_text or item.field_type != FieldType.LONGTEXT)


def proposal_move(fields: tuple[TaskField, ...]) -> Task:
    return Task("role:ae", "Opportunity", STAGE_MOVE, "Proposal",
                "pipeline:Opportunity.Sales Process", "layout:Opportunity-AE Layout", fields)


# --- the constants -------------------------------------------------------------------------------


def test_operator_constants_are_the_published_klm_values() -> None:
    values = {name: CONSTANTS[name].value for name in ("K", "P", "B", "H", "M", "Kc", "Kcode")}
    assert values == {"K": 0.28, "P": 1.1, "B": 0.1, "H": 0.4, "M": 1.2, "Kc": 0.63,
                      "Kcode": 0.5}


def test_every_constant_has_a_source_note_and_is_in_the_config_schema() -> None:
    from cfglint.rulesets import schema

    assert all(constant.source and constant.note and constant.unit
               for constant in CONSTANTS.values())
    config_schema = schema("config.schema.json")
    names = config_schema["properties"]["budget"]["properties"]["constants"]["propertyNames"]
    assert names["enum"] == list(CONSTANTS)


# --- the A.3 cost table --------------------------------------------------------------------------

#: (type, control, operators, exact seconds, the A.3 table's seconds)
COST_TABLE = [
    # M P BB = 1.2 + 1.1 + 0.2
    (FieldType.CHECKBOX, None, "M P BB", 2.5, 2.5),
    # open and choose: 2 × 2.5
    (FieldType.PICKLIST, None, "M P BB M P BB", 5.0, 5.0),
    # HubSpot radio: M P BB + M
    (FieldType.PICKLIST, "radio", "M P BB M", 3.7, 3.7),
    # dual list, 2 picks: 2.5 + 2 × (M P BB P BB = 3.8)
    (FieldType.MULTIPICKLIST, None, "M P BB 2(M P BB P BB)", 10.1, 10.1),
    # HubSpot check boxes, 2 picks: M + 2 × 2.5
    (FieldType.MULTIPICKLIST, "checkboxes", "M 2(M P BB)", 6.2, 6.2),
    # half calendar 5.65 (M P BB M P BB 0.5(P BB)), half typed 7.3 (M P BB H 10K H M): 6.475
    (FieldType.DATE, None, "0.5(M P BB M P BB 0.5(P BB)) 0.5(M P BB H 10K H M)", 6.475, 6.5),
    # date 6.475 + time list with type-ahead M P BB M 3K R(1): 5.54
    (FieldType.DATETIME, None,
     "0.5(M P BB M P BB 0.5(P BB)) 0.5(M P BB H 10K H M) M P BB M 3K R(1)", 12.015, 12.0),
    # 2.5 + H 4K H = 0.4 + 1.12 + 0.4
    (FieldType.NUMBER, None, "M P BB H 4K H", 4.42, 4.4),
    # 2.5 + 0.8 + 7 × 0.28 + M
    (FieldType.CURRENCY, None, "M P BB H 7K H M", 6.46, 6.5),
    (FieldType.PERCENT, None, "M P BB H 2K H", 3.86, 3.9),
    # known text: 2.5 + 0.8 + 20 × 0.28
    (FieldType.TEXT, None, "M P BB H 20K H", 8.9, 8.9),
    # composed: 2.5 + 0.8 + M + 80 × 0.63 = 54.9 (the table rounds up to 55.0)
    (FieldType.TEXTAREA, None, "M P BB H M 80Kc H", 54.9, 55.0),
    # 2.5 + 0.8 + 1.2 + 120 × 0.63 = 80.1 (the table says 80.3)
    (FieldType.LONGTEXT, None, "M P BB H M 120Kc H", 80.1, 80.3),
    # 2.5 + 0.8 + 25 × 0.28 + M
    (FieldType.EMAIL, None, "M P BB H 25K H M", 11.5, 11.5),
    # 2.5 + 0.8 + 12 × 0.5 + 2M
    (FieldType.PHONE, None, "M P BB H 12Kcode H 2M", 11.7, 11.7),
    (FieldType.URL, None, "M P BB H 25K H", 10.3, 10.3),
    # 2.5 + H + 4K + R 1.0 + M + H + P BB = 2.5 + 0.4 + 1.12 + 1 + 1.2 + 0.4 + 1.3
    (FieldType.LOOKUP, None, "M P BB H 4K R(1) M H P BB", 7.92, 7.9),
    (FieldType.FORMULA, None, "", 0.0, 0.0),
    (FieldType.AUTONUMBER, None, "", 0.0, 0.0),
    # P BB + M P BB BB + the dialog R 6.0
    (FieldType.OTHER, "file", "P BB M P BB BB R(6)", 10.0, 10.0),
]


@pytest.mark.parametrize(("field_type", "control", "operators", "seconds", "table"), COST_TABLE)
def test_each_field_type_costs_what_the_a3_table_says(
    field_type: FieldType, control: str | None, operators: str, seconds: float, table: float
) -> None:
    ops = field_ops(FieldInput("Opportunity.Code__c", field_type, control=control),
                    DEFAULT_CALIBRATION)
    assert render(ops) == operators
    assert seconds_of(ops, DEFAULT_CALIBRATION) == pytest.approx(seconds, abs=1e-9)
    assert abs(seconds - table) <= 0.2 + 1e-9


def test_composed_text_is_recognised_by_name_and_overridable() -> None:
    def cost(field_id: str, calibration: Calibration = DEFAULT_CALIBRATION) -> str:
        return render(field_ops(FieldInput(field_id, FieldType.TEXT), calibration))

    # M P BB H M 30Kc H = 2.5 + 0.4 + 1.2 + 18.9 + 0.4 = 23.4
    assert cost("Opportunity.NextStep") == "M P BB H M 30Kc H"
    assert cost("Opportunity.Loss_Reason__c") == "M P BB H M 30Kc H"
    assert cost("Opportunity.PO_Number__c") == "M P BB H 20K H"
    configured = calibration_from_config({"composed-fields": ["Opportunity.PO_Number__c"],
                                          "known-fields": ["Opportunity.NextStep"]})
    assert cost("Opportunity.PO_Number__c", configured) == "M P BB H M 30Kc H"
    assert cost("Opportunity.NextStep", configured) == "M P BB H 20K H"


def test_long_picklists_add_search_and_a_scroll() -> None:
    ops = field_ops(FieldInput("Account.Sub_Industry__c", FieldType.PICKLIST, picklist_size=30),
                    DEFAULT_CALIBRATION)
    # 5.0 + 20 values × 0.05 + one scroll of 1.5
    assert render(ops) == "M P BB M P BB search(1) scroll(1.5)"
    assert seconds_of(ops, DEFAULT_CALIBRATION) == pytest.approx(7.5)


def test_overheads_are_the_a2_table() -> None:
    ops = overhead_ops(DEFAULT_CALIBRATION)
    assert {name: render(sequence) for name, sequence in ops.items()} == {
        "open": "R(2.5) M", "stage": "M P BB P BB R(1)", "edit": "M P BB R(0.8)",
        "save": "M P BB R(1.5)",
    }
    seconds = {name: round(seconds_of(sequence, DEFAULT_CALIBRATION), 9)
               for name, sequence in ops.items()}
    assert seconds == {"open": 3.7, "stage": 4.8, "edit": 3.3, "save": 4.0}


# --- the A.2 formula on the worked example -------------------------------------------------------


def test_worked_example_follows_the_a2_formula() -> None:
    result = estimate(proposal_move(worked_example_fields()))
    # fields: 6.46 + 6.475 + 23.4 + 7.92 + 80.1 + 10.1 + 5.0 = 139.455
    assert result.fields_seconds == pytest.approx(139.455)
    # overheads: open 3.7 + stage 4.8 + edit 3.3 + save 4.0 = 15.8
    assert result.overhead_seconds == pytest.approx(15.8)
    # p: six marked fields at 0.05, the rule's picklist at 0.5:
    # 1 − 0.95⁶ · 0.5 = 1 − 0.735091890625 · 0.5 = 0.6324540546875
    assert result.error.probability == pytest.approx(0.6324540546875)
    # T_read = M + 0.24 · 10 words = 3.6; the cycle is T_read + T_save = 7.6 s
    assert (result.error.words, result.error.read_seconds) == (10, pytest.approx(3.6))
    assert result.error.seconds == pytest.approx(0.6324540546875 * 7.6)  # 4.80665081...
    # T = 15.8 + 139.455 + 4.806650815625 = 160.061650815625
    assert result.total == pytest.approx(160.061650815625, abs=1e-9)
    assert round(result.total, 2) == 160.06
    assert abs(result.total - 159) <= 2
    assert result.verdict == "over"
    assert result.band == (pytest.approx(0.79 * result.total), pytest.approx(1.21 * result.total))
    assert result.suggestion is not None
    assert result.suggestion.fields == ("Opportunity.Proposal_Summary__c",)


def test_worked_example_without_the_long_text() -> None:
    result = estimate(proposal_move(worked_example_fields(long_text=False)))
    # fields: 139.455 − 80.1 = 59.355; overheads 15.8
    # failed save: (1 − 0.95⁵ · 0.5) · 7.6 = (1 − 0.38689046875) · 7.6 = 4.6596324375
    # T = 59.355 + 15.8 + 4.6596324375 = 79.8146324375
    assert result.total == pytest.approx(79.8146324375, abs=1e-9)
    assert round(result.total, 2) == 79.81
    assert abs(result.total - 79) <= 2
    # 1.21 · 79.81 = 96.6 < 120
    assert (result.verdict, result.suggestion) == ("within", None)


def test_a_stricter_budget_changes_the_verdict_and_the_suggestion() -> None:
    result = replace_budget(estimate(proposal_move(worked_example_fields())), 60)
    assert result.verdict == "over"
    assert result.suggestion is not None
    # without the summary 79.81 s, still over 60; without NextStep too: fields 35.955,
    # failed save (1 − 0.95⁴ · 0.5) · 7.6 = 4.50487625, T = 35.955 + 15.8 + 4.50487625
    assert result.suggestion.fields == ("Opportunity.Proposal_Summary__c",
                                        "Opportunity.NextStep")
    assert result.suggestion.total == pytest.approx(56.25987625, abs=1e-9)
    # 1.21 · 79.81 = 96.6 > 90 > 79.81: at risk
    assert replace_budget(estimate(proposal_move(worked_example_fields(long_text=False))),
                          90).verdict == "at-risk"


def test_failed_save_probabilities_by_source() -> None:
    def probability(item: TaskField) -> float:
        return estimate(proposal_move((item,))).error.probability

    base = dict(field_id="Opportunity.Amount", field_type=FieldType.CURRENCY)
    assert probability(TaskField(**base, source=FIELD_REQUIRED, asterisk=True,  # type: ignore[arg-type]
                                 on_view=True)) == pytest.approx(0.05)
    assert probability(TaskField(**base, source=DYNAMIC_FORMS, asterisk=True,  # type: ignore[arg-type]
                                 on_view=True)) == 0.0
    assert probability(TaskField(**base, source=VALIDATION_RULE, asterisk=False,  # type: ignore[arg-type]
                                 on_view=True)) == 0.5
    # A required field the role's view does not show fails the first save every time.
    hidden = TaskField(**base, source=VALIDATION_RULE, asterisk=False,  # type: ignore[arg-type]
                       on_view=False)
    assert probability(hidden) == 1.0
    # Without a known view the platform's own form is assumed to show what it requires.
    no_view = Task("role:ae", "Opportunity", STAGE_MOVE, "Proposal", fields=(hidden,))
    assert estimate(no_view).error.probability == 0.5


def test_scrolling_and_collapsed_sections() -> None:
    fields = (
        marked("Opportunity.A__c", FieldType.CHECKBOX, position=2),
        marked("Opportunity.B__c", FieldType.CHECKBOX, position=30),  # viewport 2: +2 × 1.5
        marked("Opportunity.C__c", FieldType.CHECKBOX, position=31, collapsed_section=True),
        marked("Opportunity.D__c", FieldType.CHECKBOX, position=32, collapsed_section=True),
    )
    nav = {cost.field_id: cost.nav_seconds for cost in estimate(proposal_move(fields)).fields}
    assert nav == {"Opportunity.A__c": 0.0, "Opportunity.B__c": 3.0,
                   "Opportunity.C__c": 2.5, "Opportunity.D__c": 0.0}


# --- usage data and configuration ----------------------------------------------------------------


def test_fill_rates_discount_stage_moves_only() -> None:
    usage = {"fields": {"Opportunity.Proposal_Summary__c": {"fill_rate": 0.75,
                                                            "median_length": 40}}}
    fields = (marked("Opportunity.Proposal_Summary__c", FieldType.LONGTEXT),)
    moved = estimate(proposal_move(fields), usage=usage)
    (cost,) = moved.fields
    # median 40 chars: 2.5 + 0.8 + 1.2 + 40 × 0.63 = 29.7; a quarter of it: 7.425
    assert cost.operators == "M P BB H M 40Kc H"
    assert (cost.seconds, cost.expected_seconds) == (pytest.approx(29.7), pytest.approx(7.425))
    # p: 0.25 · 0.05 = 0.0125; T_read = M + 0.24 · 6 = 2.64; cycle 6.64
    assert moved.error.seconds == pytest.approx(0.0125 * 6.64)
    assert moved.total == pytest.approx(15.8 + 7.425 + 0.0125 * 6.64)
    created = estimate(Task("role:ae", "Opportunity", CREATE, fields=fields), usage=usage)
    assert created.fields[0].fill_rate == 0.0
    assert created.fields_seconds == pytest.approx(29.7)


def test_configured_constants_change_the_estimate() -> None:
    calibration = calibration_from_config({"constants": {"Kc": 0.37, "budget.stage-move": 200}})
    result = estimate(proposal_move(worked_example_fields()), calibration)
    # Kc 0.37: NextStep 30 × 0.26 and the summary 120 × 0.26 less: 150 × 0.26 = 39.0 s saved
    assert result.total == pytest.approx(160.061650815625 - 39.0, abs=1e-9)
    assert (result.budget, result.verdict) == (200, "within")
    assert calibration.constants["Kc"].source == "configured"


def test_configuration_file_budget_section(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".cfglint.yaml").write_text("budget:\n  constants:\n    K: 0.2\n",
                                           encoding="utf-8")
    assert load_calibration(tmp_path)["K"] == 0.2
    (tmp_path / ".cfglint.yaml").write_text("budget:\n  constants:\n    Q: 1\n",
                                           encoding="utf-8")
    expected = r"\.cfglint\.yaml:2: budget\.constants: 'Q' is not one of"
    with pytest.raises(ConfigError, match=expected):
        load_calibration(tmp_path)


@pytest.mark.parametrize(("section", "message"), [
    ({"constants": {"Q": 1}}, "unknown constant 'Q'"),
    ({"constants": {"K": -1}}, "expected a number"),
    ({"constants": {"p.asterisk": 2}}, "a share, at most 1"),
])
def test_bad_overrides_are_refused(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        calibration_from_config(section, "cfg.yaml")


# --- the worked-example fixture, end to end ------------------------------------------------------

WORKED_EXAMPLE = FIXTURES / "budget" / "worked-example"


def fixture_budget(*, long_text_required: bool = True) -> dict[str, Estimate]:
    org = read(WORKED_EXAMPLE)
    assert not org.problems
    if not long_text_required:
        opportunity = org.objects["Opportunity"]
        opportunity.fields["Proposal_Summary__c"].required_at_stage = None
        for pipeline in org.pipelines.values():
            for stage in pipeline.stages:
                stage.required_fields = [name for name in stage.required_fields
                                         if name != "Proposal_Summary__c"]
    roles = load_roles(WORKED_EXAMPLE / "roles.yaml", org)
    budget = org_budget(org, roles)
    assert not budget.inferred
    return {result.task: result for result in budget.estimates}


def test_worked_example_fixture_is_flagged_at_proposal() -> None:
    results = fixture_budget()
    proposal = results["stage-move:Proposal"]
    assert sorted((cost.field_id, cost.operators, cost.source, cost.asterisk)
                  for cost in proposal.fields if cost.source == STAGE_REQUIRED) + [
        (cost.field_id, cost.operators, cost.source, cost.asterisk)
        for cost in proposal.fields if cost.source != STAGE_REQUIRED] == [
        ("Opportunity.Contract_Value__c", "M P BB H 7K H M", STAGE_REQUIRED, True),
        ("Opportunity.Decision_Date__c",
         "0.5(M P BB M P BB 0.5(P BB)) 0.5(M P BB H 10K H M)", STAGE_REQUIRED, True),
        ("Opportunity.NextStep", "M P BB H M 30Kc H", STAGE_REQUIRED, True),
        ("Opportunity.Partner_Account__c", "M P BB H 4K R(1) M H P BB", STAGE_REQUIRED, True),
        ("Opportunity.Products__c", "M P BB 2(M P BB P BB)", STAGE_REQUIRED, True),
        ("Opportunity.Proposal_Summary__c", "M P BB H M 120Kc H", STAGE_REQUIRED, True),
        ("Opportunity.Pricing_Model__c", "M P BB M P BB", VALIDATION_RULE, False),
    ]
    # the same sums as test_worked_example_follows_the_a2_formula: 160.061650815625 s
    assert proposal.total == pytest.approx(160.061650815625, abs=1e-9)
    assert (round(proposal.total, 2), proposal.verdict) == (160.06, "over")
    assert proposal.view_id == "layout:Opportunity-AE Layout"
    # create: Name 8.9 + StageName 5.0 + CloseDate 6.475; open 3.7, edit 3.3, save 4.0;
    # (1 − 0.95³) · (M + 0.24 · 6 + 4.0) = 0.142625 · 6.64 = 0.94703
    assert results["create"].total == pytest.approx(20.375 + 11.0 + 0.142625 * 6.64)


def test_worked_example_fixture_without_the_long_text() -> None:
    proposal = fixture_budget(long_text_required=False)["stage-move:Proposal"]
    assert proposal.total == pytest.approx(79.8146324375, abs=1e-9)
    assert (round(proposal.total, 2), proposal.verdict) == (79.81, "within")


def test_docs_list_every_constant() -> None:
    text = (FIXTURES.parent / "docs" / "budget.md").read_text(encoding="utf-8")
    missing = [name for name in CONSTANTS if f"| `{name}` |" not in text]
    assert missing == []
