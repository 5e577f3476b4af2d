"""cfglint YAML: the fixture org, every key of the format, the round trip, and bad input."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pytest

from cfglint.model import (
    AutomationKind,
    Behavior,
    FieldType,
    Org,
    ProblemKind,
    ProfileKind,
    SkippedFile,
    SkipReason,
    SourceLocation,
    ViewAssignment,
    ViewKind,
)
from cfglint.readers import detect, read
from cfglint.readers.native import (
    is_native_file,
    load_document,
    looks_like_native,
    read_native,
    schema,
)
from cfglint.writers.native import dump_native
from tests.conftest import FIXTURES

HUBSPOT = FIXTURES / "hubspot-yaml"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "yaml-format.md"


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def read_text(tmp_path: Path, text: str, name: str = "org.yaml") -> Org:
    return read_native(write(tmp_path, name, text))


def problems(org: Org) -> list[tuple[str, ProblemKind, str]]:
    return [(str(p.location), p.kind, p.message) for p in org.problems]


def comparable(org: Org) -> dict[str, Any]:
    """The model as plain data, without what says where it was read from."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key != "location"}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    data: dict[str, Any] = strip(dataclasses.asdict(org))
    for key in ("root", "files_read", "skipped", "suppressions"):
        data.pop(key)
    return data


def round_trip(org: Org, tmp_path: Path) -> tuple[Org, str]:
    text = dump_native(org)
    again = read_native(write(tmp_path, "dumped.yaml", text))
    return again, text


# --- the HubSpot fixture --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hubspot() -> Org:
    return read_native(HUBSPOT)


def test_fixture_reads_without_problems(hubspot: Org) -> None:
    assert hubspot.problems == []
    assert hubspot.files_read == ["crm.yaml", "team.yaml"]
    assert hubspot.skipped == [
        SkippedFile("README.md", SkipReason.NOT_METADATA),
        SkippedFile("expected-findings.txt", SkipReason.NOT_METADATA),
    ]
    assert (hubspot.platform, hubspot.source_format, hubspot.name) == (
        "hubspot", "cfglint-yaml", "Northwind Analytics"
    )


def test_fixture_counts(hubspot: Org) -> None:
    assert dict(hubspot.occurrences) == {
        "objects": 3, "fields": 35, "pipelines": 1, "stages": 7, "views": 1,
        "automations": 2, "teams": 4, "roles": 4, "reports": 2, "integrations": 2,
    }
    assert {name: len(o.fields) for name, o in hubspot.objects.items()} == {
        "deals": 22, "contacts": 7, "companies": 6,
    }
    assert sorted(hubspot.profiles) == ["team:AE", "team:CSM", "team:SDR", "team:Sales Managers"]
    assert sorted(hubspot.roles) == ["role:ae", "role:csm", "role:manager", "role:sdr"]
    assert hubspot.duplicate_rules == {} and hubspot.matching_rules == {}


def test_fixture_deliberate_problems(hubspot: Org) -> None:
    deals = hubspot.objects["deals"]
    required = sorted(name for name, f in deals.fields.items() if f.required)
    assert len(required) == 13
    pipeline = hubspot.pipelines["pipeline:deals.default"]
    assert [(s.name, s.order, s.probability, s.closed, s.won) for s in pipeline.stages] == [
        ("appointmentscheduled", 0, 20.0, False, False),
        ("qualifiedtobuy", 1, 40.0, False, False),
        ("presentationscheduled", 2, 60.0, False, False),
        ("decisionmakerboughtin", 3, 80.0, False, False),
        ("contractsent", 4, 90.0, False, False),
        ("closedwon", 5, 100.0, True, True),
        ("closedlost", 6, 0.0, True, False),
    ]
    assert pipeline.is_default and pipeline.stage_field == "dealstage"
    assert hubspot.view_assignments == [
        ViewAssignment("view:deals.Deal record", f"team:{team}")
        for team in ("AE", "CSM", "SDR", "Sales Managers")
    ]
    undocumented = [f.id for f in hubspot.fields() if f.custom and not f.description]
    assert undocumented == ["deals.lead_source_detail"]
    setter = hubspot.automations["hubspot-workflow:585051946"]
    reader = hubspot.automations["hubspot-workflow:585051947"]
    assert setter.kind is AutomationKind.HUBSPOT_WORKFLOW
    assert setter.writes == ["deals.hs_priority"]
    assert "deals.hs_priority" in reader.reads
    assert hubspot.objects["companies"].fields["industry_segment"].type is FieldType.TEXT
    interest = deals.fields["product_interest"]
    assert (interest.type, interest.restricted, len(interest.picklist_values)) == (
        FieldType.PICKLIST, False, 30
    )
    assert hubspot.integrations["integration:email-capture"].enabled is False
    assert hubspot.integrations["integration:calendar-sync"].enabled is True


def test_fixture_roles_and_gates(hubspot: Org) -> None:
    ae = hubspot.roles["role:ae"]
    assert ae.profiles == ["team:AE"]
    assert ae.objects == ["deals", "contacts"]  # from needs, in the order written
    assert ae.needs[5].field == "deals.competitor"
    assert ae.needs[5].from_stage == "qualifiedtobuy"
    assert hubspot.roles["role:csm"].objects == ["deals", "companies"]
    # closedwon requires closed_won_reason: the field says so too.
    assert hubspot.objects["deals"].fields["closed_won_reason"].required_at_stage == "closedwon"
    assert hubspot.reports["report:Sales/Deal forecast"].is_forecast
    assert hubspot.reports["report:Sales/Deal forecast"].fields[0] == "deals.amount"


def test_fixture_locations(hubspot: Org) -> None:
    deals = hubspot.objects["deals"]
    assert deals.location == SourceLocation("crm.yaml", 9)
    assert deals.fields["dealname"].location == SourceLocation("crm.yaml", 13)
    assert deals.fields["hubspot_owner_id"].location == SourceLocation("crm.yaml", 18)
    view = hubspot.views["view:deals.Deal record"]
    assert view.location == SourceLocation("crm.yaml", 118)
    assert view.sections[0].items[0].location == SourceLocation("crm.yaml", 123)
    assert view.sections[0].items[0].behavior is Behavior.REQUIRED
    assert hubspot.pipelines["pipeline:deals.default"].location == SourceLocation("crm.yaml", 96)
    assert hubspot.profiles["team:AE"].location == SourceLocation("team.yaml", 7)
    assert hubspot.automations["hubspot-workflow:585051947"].location == SourceLocation(
        "team.yaml", 74
    )


def test_fixture_is_detected_and_read_through_the_readers_package() -> None:
    assert detect(HUBSPOT) == "yaml"
    org = read(Path("fixtures/hubspot-yaml") if Path("fixtures").is_dir() else HUBSPOT)
    assert len(org.objects) == 3 and org.problems == []


def test_fixture_round_trip(hubspot: Org, tmp_path: Path) -> None:
    again, text = round_trip(hubspot, tmp_path)
    assert again.problems == []
    assert comparable(again) == comparable(hubspot)
    assert dump_native(again) == text  # deterministic


# --- every key --------------------------------------------------------------------------------

EVERY_KEY = """\
cfglint: 1
name: Acme
platform: salesforce
objects:
  Opportunity:
    label: Opportunity
    plural_label: Opportunities
    description: Sales deals.
    custom: false
    fields:
      Amount: currency
      CloseDate: date
      StageName:
        type: picklist
        source_type: Picklist
        label: Stage
        required: true
        options:
          - Prospecting
          - {name: Closed Won, label: Won, default: false, active: true, color: "#00FF00"}
          - {name: Legacy, active: false}
      Sub_Stage__c:
        type: picklist
        controlling_field: StageName
        restricted: true
        options:
          - {name: Verbal, valid_for: [Closed Won]}
      Region__c: {type: picklist, value_set: Regions}
      Discount__c: {type: percent, precision: 5, scale: 2, default: 0, help_text: Off list.}
      Notes__c: {type: longtext, length: 32768, visible_lines: 5, hidden: true}
      Score__c:
        type: formula
        formula: |
          IF(Amount > 100000,
             "A", "B")
      Account__c:
        type: lookup
        reference_to: [Account]
        relationship_name: Opportunities
        required_at_stage: Proposal
      External_Id__c: {type: text, unique: true, external_id: true, track_history: true}
      IsWon: {type: checkbox, system: true, custom: false, group: System}
    record_types:
      Donation:
        label: Donation
        active: false
        business_process: Donation Process
        description: Gifts.
        picklist_values: {StageName: [Prospecting, Closed Won]}
    validation_rules:
      Amount_Required:
        formula: ISBLANK(Amount)
        active: false
        error_field: Amount
        error_message: Enter an amount.
        description: Amount is mandatory.
    list_views:
      All: {label: All opportunities, columns: [NAME, AMOUNT], filters: [AMOUNT greaterThan 0]}
    field_sets:
      Quick: {label: Quick, fields: [Amount, StageName], description: For the quick form.}
    pipelines:
      Donation Process:
        label: Donation process
        stage_field: StageName
        default: false
        active: false
        description: For gifts.
        stages:
          - Prospecting
          - name: Proposal
            label: Proposal/Price Quote
            probability: 75.5
            forecast_category: Pipeline
            requires: [Amount]
            description: Quote sent.
          - {name: Dormant, active: false}
          - {name: Closed Won, probability: 100, closed: true, won: true}
    views:
      Sales Layout:
        kind: layout
        label: Sales layout
        description: For AEs.
        sections:
          - label: Details
            fields:
              - Amount
              - {field: StageName, behavior: required}
              - {field: Account.Name, behavior: readonly, visibility: "{!Record.Amount} > 0"}
          - fields: []
        components: [RelatedContactRoleList]
        assigned_to:
          - Admin
          - {who: permset:Sales_Ops, record_type: Donation}
          - permset:Sales_Ops
      Opp_Record_Page: {kind: flexipage}
      Highlights: {kind: compactlayout, sections: [{fields: [Amount]}]}
    duplicate_rules:
      Opp_Dupes:
        label: Opportunity duplicates
        active: false
        action_on_insert: Block
        action_on_update: Allow
        matching_rules: [Opp_Match]
        description: Same name and account.
    matching_rules:
      Opp_Match: {label: Name match, active: true, fields: [Name, AccountId]}
    quick_actions:
      LogACall:
        label: Log a call
        type: LogACall
        target_object: Task
        description: Quick call log.
        fields: [Subject, {field: Description, behavior: required}]
views:
  App_Home: {kind: flexipage, label: Home}
  Legacy Layout: {kind: layout, object: Account}
view_assignments:
  - {view: layout:Account-Account Layout, who: Admin}
  - {view: layout:Account-Account Layout, who: Admin, record_type: Account.Business}
quick_actions:
  New_Lead: {type: Create, target_object: Lead}
value_sets:
  Regions:
    description: Sales regions.
    sorted: true
    values: [EMEA, AMER]
  OpportunityStage:
    standard: true
    values: [Prospecting]
    stages: [{name: Prospecting, probability: 10, forecast_category: Pipeline}]
automations:
  Close_Won_Handoff:
    kind: flow
    object: Opportunity
    label: Close won handoff
    description: Creates the onboarding case.
    active: false
    status: Draft
    process_type: AutoLaunchedFlow
    trigger: update
    timing: after-save
    trigger_order: 10
    reads: [StageName, Account.Industry]
    writes: [Next_Step__c]
    touches_objects: [Case]
    expressions: ["ISPICKVAL(StageName, 'Closed Won')"]
    literals: [Closed Won]
    decisions: 2
    elements: 7
    calls: [flow:Create_Case]
    api_version: 59.0
  Opportunity.Set_Close_Date: {kind: workflow, reads: [StageName]}
profiles:
  Admin:
    label: System Administrator
    description: Everything.
    custom: false
    objects:
      Opportunity: [create, read, edit, delete]
      Account: []
    fields:
      Opportunity: {Amount: edit, StageName: read, Notes__c: none}
    record_types: [Opportunity.Donation]
permission_sets:
  Sales_Ops: {label: Sales operations}
permission_set_groups:
  Sales_Bundle: {members: [Sales_Ops]}
teams:
  AE: {}
roles:
  ae:
    label: Account executive
    description: Sells.
    profiles: [Admin, Sales_Ops, team:AE]
    objects: [Opportunity, Account]
    needs:
      Opportunity: [Amount, {field: Account__c, from_stage: Proposal}]
    tasks: [create]
    inferred: true
reports:
  Sales/Pipeline_by_Stage:
    label: Pipeline by stage
    report_type: Opportunity
    description: Open pipeline.
    columns: [AMOUNT]
    filters: [CLOSED equals false]
    groupings: [STAGE_NAME]
    fields: {Opportunity: [Amount, StageName]}
    forecast: true
  Unfiled_Report: {folder: Private}
integrations:
  gmail: {kind: email-capture, enabled: true, description: Einstein Activity Capture.}
"""


@pytest.fixture
def every_key(tmp_path: Path) -> Org:
    return read_text(tmp_path, EVERY_KEY)


def test_every_key_reads_without_problems(every_key: Org) -> None:
    assert problems(every_key) == []
    assert every_key.platform == "salesforce" and every_key.name == "Acme"
    assert dict(every_key.occurrences) == {
        "objects": 1, "fields": 11, "record_types": 1, "validation_rules": 1,
        "list_views": 1, "field_sets": 1, "pipelines": 1, "stages": 5, "layouts": 2,
        "flexipages": 2, "compact_layouts": 1, "duplicate_rules": 1, "matching_rules": 1,
        "quick_actions": 2, "global_value_sets": 1, "standard_value_sets": 1, "flows": 1,
        "workflow_rules": 1, "profiles": 1, "permission_sets": 1, "permission_set_groups": 1,
        "teams": 1, "roles": 1, "reports": 2, "integrations": 1,
    }


def test_every_key_fields(every_key: Org) -> None:
    fields = every_key.objects["Opportunity"].fields
    assert fields["Amount"].type is FieldType.CURRENCY and not fields["Amount"].custom
    stage = fields["StageName"]
    assert (stage.source_type, stage.label, stage.required, stage.restricted) == (
        "Picklist", "Stage", True, False
    )
    assert [(v.name, v.label, v.active, v.color) for v in stage.picklist_values] == [
        ("Prospecting", "Prospecting", True, None),
        ("Closed Won", "Won", True, "#00FF00"),
        ("Legacy", "Legacy", False, None),
    ]
    sub_stage = fields["Sub_Stage__c"]
    assert sub_stage.custom and sub_stage.restricted and sub_stage.controlling_field == "StageName"
    assert sub_stage.picklist_values[0].valid_for == ["Closed Won"]
    assert fields["Region__c"].value_set_name == "Regions"
    discount = fields["Discount__c"]
    assert (discount.precision, discount.scale, discount.default, discount.help_text) == (
        5, 2, "0", "Off list."
    )
    assert (fields["Notes__c"].length, fields["Notes__c"].visible_lines) == (32768, 5)
    assert fields["Notes__c"].hidden
    assert fields["Score__c"].formula == 'IF(Amount > 100000,\n   "A", "B")\n'
    account = fields["Account__c"]
    assert (account.reference_to, account.relationship_name) == (["Account"], "Opportunities")
    external = fields["External_Id__c"]
    assert external.unique and external.external_id and external.track_history
    assert fields["IsWon"].system and fields["IsWon"].group == "System"
    assert fields["Amount"].restricted is None  # not a picklist


def test_every_key_object_children(every_key: Org) -> None:
    opportunity = every_key.objects["Opportunity"]
    assert (opportunity.label, opportunity.plural_label, opportunity.description) == (
        "Opportunity", "Opportunities", "Sales deals."
    )
    record_type = opportunity.record_types["Donation"]
    assert record_type.id == "recordtype:Opportunity.Donation"
    assert not record_type.active and record_type.business_process == "Donation Process"
    assert record_type.picklist_values == {"StageName": ["Prospecting", "Closed Won"]}
    rule = opportunity.validation_rules["Amount_Required"]
    assert (rule.formula, rule.active, rule.error_field, rule.error_message) == (
        "ISBLANK(Amount)", False, "Amount", "Enter an amount."
    )
    assert opportunity.list_views["All"].columns == ["NAME", "AMOUNT"]
    assert opportunity.field_sets["Quick"].fields == ["Amount", "StageName"]
    pipeline = every_key.pipelines["pipeline:Opportunity.Donation Process"]
    assert (pipeline.label, pipeline.is_default, pipeline.active) == (
        "Donation process", False, False
    )
    proposal = pipeline.stages[1]
    assert (proposal.label, proposal.probability, proposal.forecast_category) == (
        "Proposal/Price Quote", 75.5, "Pipeline"
    )
    # Account__c says it is required from Proposal; the stage lists it after its own Amount.
    assert proposal.required_fields == ["Amount", "Account__c"]
    assert opportunity.fields["Amount"].required_at_stage == "Proposal"
    assert not pipeline.stages[2].active
    assert [stage.id for stage in every_key.duplicate_rules.values()] == [
        "duplicaterule:Opportunity.Opp_Dupes"
    ]
    assert every_key.duplicate_rules["duplicaterule:Opportunity.Opp_Dupes"].matching_rules == [
        "Opp_Match"
    ]
    assert every_key.matching_rules["matchingrule:Opportunity.Opp_Match"].fields == [
        "Name", "AccountId"
    ]


def test_every_key_views_and_actions(every_key: Org) -> None:
    assert sorted(every_key.views) == [
        "compactlayout:Opportunity.Highlights",
        "flexipage:App_Home",
        "flexipage:Opp_Record_Page",
        "layout:Legacy Layout",
        "layout:Opportunity-Sales Layout",
    ]
    layout = every_key.views["layout:Opportunity-Sales Layout"]
    assert layout.kind is ViewKind.LAYOUT and layout.object_name == "Opportunity"
    assert [item.field for item in layout.items()] == ["Amount", "StageName", "Account.Name"]
    assert layout.sections[0].items[2].visibility == "{!Record.Amount} > 0"
    assert layout.sections[1].label is None and layout.components == ["RelatedContactRoleList"]
    assert every_key.views["flexipage:App_Home"].object_name is None
    assert every_key.views["layout:Legacy Layout"].object_name == "Account"
    assert every_key.view_assignments == [
        ViewAssignment("layout:Account-Account Layout", "profile:Admin"),
        ViewAssignment("layout:Account-Account Layout", "profile:Admin",
                       "recordtype:Account.Business"),
        ViewAssignment("layout:Opportunity-Sales Layout", "permset:Sales_Ops"),
        ViewAssignment("layout:Opportunity-Sales Layout", "permset:Sales_Ops",
                       "recordtype:Opportunity.Donation"),
        ViewAssignment("layout:Opportunity-Sales Layout", "profile:Admin"),
    ]
    action = every_key.quick_actions["quickaction:Opportunity.LogACall"]
    assert (action.action_type, action.target_object) == ("LogACall", "Task")
    assert action.fields[1].behavior is Behavior.REQUIRED
    assert every_key.quick_actions["quickaction:New_Lead"].object_name is None


def test_every_key_top_level_sections(every_key: Org) -> None:
    regions = every_key.value_sets["globalvalueset:Regions"]
    assert [value.name for value in regions.values] == ["EMEA", "AMER"] and regions.sorted
    stage_set = every_key.value_sets["standardvalueset:OpportunityStage"]
    assert stage_set.stages[0].probability == 10.0
    flow = every_key.automations["flow:Close_Won_Handoff"]
    assert (flow.status, flow.process_type, flow.trigger, flow.timing, flow.trigger_order) == (
        "Draft", "AutoLaunchedFlow", "update", "after-save", 10
    )
    assert flow.reads == ["Opportunity.StageName", "Account.Industry"]
    assert flow.writes == ["Opportunity.Next_Step__c"]
    assert (flow.decisions, flow.elements, flow.api_version) == (2, 7, "59.0")
    assert flow.calls == ["flow:Create_Case"] and not flow.active
    workflow = every_key.automations["workflow:Opportunity.Set_Close_Date"]
    assert (workflow.object_name, workflow.name) == ("Opportunity", "Set_Close_Date")
    admin = every_key.profiles["profile:Admin"]
    assert not admin.custom
    assert [(p.object_name, p.create, p.read, p.edit, p.delete)
            for p in admin.object_permissions] == [
        ("Opportunity", True, True, True, True), ("Account", False, False, False, False)
    ]
    assert [(p.field, p.readable, p.editable) for p in admin.field_permissions] == [
        ("Opportunity.Amount", True, True),
        ("Opportunity.StageName", True, False),
        ("Opportunity.Notes__c", False, False),
    ]
    assert admin.record_types == ["recordtype:Opportunity.Donation"]
    assert every_key.profiles["permsetgroup:Sales_Bundle"].members == ["permset:Sales_Ops"]
    role = every_key.roles["role:ae"]
    assert role.profiles == ["profile:Admin", "permset:Sales_Ops", "team:AE"]
    assert role.objects == ["Opportunity", "Account"] and role.inferred
    report = every_key.reports["report:Sales/Pipeline_by_Stage"]
    assert (report.folder, report.name, report.groupings) == (
        "Sales", "Pipeline_by_Stage", ["STAGE_NAME"]
    )
    assert report.fields == ["Opportunity.Amount", "Opportunity.StageName"]
    assert "report:Private/Unfiled_Report" in every_key.reports
    assert every_key.integrations["integration:gmail"].kind == "email-capture"


def test_every_key_round_trip(every_key: Org, tmp_path: Path) -> None:
    again, text = round_trip(every_key, tmp_path)
    assert problems(again) == []
    assert comparable(again) == comparable(every_key)
    assert dump_native(again) == text


def test_dump_writes_short_forms(every_key: Org) -> None:
    text = dump_native(every_key)
    assert "      CloseDate: date\n" in text
    assert "  Opportunity.Set_Close_Date:\n" in text
    assert "Score__c:\n        type: formula\n        formula: |\n" in text
    assert text.startswith("cfglint: 1\nname: Acme\nplatform: salesforce\n")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())


def test_docs_explain_every_key() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for key in _schema_keys(schema()):
        assert f"`{key}`" in text, f"docs/yaml-format.md does not explain `{key}`"


def test_docs_examples_read_without_problems(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    examples = [
        block for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
        if block.startswith("cfglint: 1")
    ]
    assert len(examples) == 2
    for index, example in enumerate(examples):
        org = read_text(tmp_path, example, f"example{index}.yaml")
        assert problems(org) == []
        assert org.objects


def _schema_keys(node: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(node, dict):
        keys.update(node.get("properties", {}))
        for value in node.values():
            keys |= _schema_keys(value)
    elif isinstance(node, list):
        for value in node:
            keys |= _schema_keys(value)
    return keys


# --- merging a directory --------------------------------------------------------------------


def test_directory_files_merge_into_one_org(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "cfglint: 1\nplatform: hubspot\nobjects:\n  deals:\n"
          "    label: Deal\n    fields: {amount: currency}\n")
    write(tmp_path, "b.yml", "cfglint: 1\nplatform: hubspot\nobjects:\n  deals:\n"
          "    fields: {closedate: date}\n    pipelines: {default: {stages: [a, b]}}\n")
    sub = tmp_path / "more"
    sub.mkdir()
    write(sub, "c.yaml", "cfglint: 1\nteams: {AE: {}}\n")
    org = read_native(tmp_path)
    assert problems(org) == []
    assert org.files_read == ["a.yaml", "b.yml", "more/c.yaml"]
    assert sorted(org.objects["deals"].fields) == ["amount", "closedate"]
    assert org.objects["deals"].label == "Deal"
    assert org.occurrences["objects"] == 2
    assert "team:AE" in org.profiles
    assert org.objects["deals"].fields["closedate"].location == SourceLocation("b.yml", 5)


def test_duplicate_definitions_are_reported_at_the_second(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "cfglint: 1\nobjects:\n  deals:\n    label: Deal\n"
          "    fields:\n      amount: currency\n")
    write(tmp_path, "b.yaml", "cfglint: 1\nplatform: salesforce\nobjects:\n  deals:\n"
          "    label: Deals\n    fields:\n      amount: number\n")
    write(tmp_path, "c.yaml", "cfglint: 1\nplatform: hubspot\n")
    org = read_native(tmp_path)
    assert problems(org) == [
        ("b.yaml:5", ProblemKind.INVALID, "duplicate definition of object setting "
         "objects.deals.label (first defined at a.yaml:4); this one is ignored"),
        ("b.yaml:7", ProblemKind.INVALID, "duplicate definition of field deals.amount "
         "(first defined at a.yaml:6); this one is ignored"),
        ("c.yaml:2", ProblemKind.INVALID,
         "platform: 'hubspot' conflicts with 'salesforce' set at b.yaml:2"),
    ]
    assert org.objects["deals"].label == "Deal"
    assert org.objects["deals"].fields["amount"].type is FieldType.CURRENCY
    assert org.occurrences["fields"] == 2
    assert org.platform == "salesforce"


def test_directory_with_one_bad_file_reads_the_others(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", "cfglint: 1\nobjects:\n  deals:\n    fields: {amount: currency}\n")
    write(tmp_path, "broken.yaml", "cfglint: 1\nobjects:\n  deals: [\n")
    write(tmp_path, "latin1.yaml", "cfglint: 1\nname: Caf\xe9\n".encode("latin-1"))
    write(tmp_path, "roles.yaml", "roles:\n  ae: {}\n")  # another tool's YAML: not ours
    write(tmp_path, ".cfglint.yaml", "cfglint: 1\n")
    org = read_native(tmp_path)
    assert org.files_read == ["good.yaml"]
    assert "amount" in org.objects["deals"].fields
    assert [(str(p.location), p.kind) for p in org.problems] == [
        ("broken.yaml:4:1", ProblemKind.PARSE_ERROR),
        ("latin1.yaml:2", ProblemKind.ENCODING),
    ]
    assert sorted(org.skipped) == [
        SkippedFile(".cfglint.yaml", SkipReason.IGNORED),
        SkippedFile("broken.yaml", SkipReason.PARSE_ERROR, "parse-error"),
        SkippedFile("latin1.yaml", SkipReason.PARSE_ERROR, "encoding"),
        SkippedFile("roles.yaml", SkipReason.NOT_METADATA, "no top-level 'cfglint:' key"),
    ]


# --- detection --------------------------------------------------------------------------------


def test_detection(tmp_path: Path) -> None:
    assert is_native_file(Path("org.yaml")) and is_native_file(Path("org.YML"))
    assert not is_native_file(Path("org.json"))
    assert not looks_like_native(tmp_path)
    write(tmp_path, "notes.yaml", "title: not cfglint\n")
    assert not looks_like_native(tmp_path)
    nested = tmp_path / "config"
    nested.mkdir()
    write(nested, "org.yaml", "# comment first\ncfglint: 1\n")
    assert looks_like_native(tmp_path)
    write(tmp_path, "sfdx-project.json", "{}")
    assert not looks_like_native(tmp_path)


def test_a_single_file_is_read_through_detection(tmp_path: Path) -> None:
    path = write(tmp_path, "org.yml", "cfglint: 1\nobjects: {deals: {}}\n")
    assert detect(path) == "yaml"
    org = read(path)
    assert org.files_read == ["org.yml"] and "deals" in org.objects
    assert org.objects["deals"].location == SourceLocation("org.yml", 2)


# --- bad input --------------------------------------------------------------------------------


def test_malformed_yaml_is_a_parse_error_with_line_and_column(tmp_path: Path) -> None:
    org = read_text(tmp_path, "cfglint: 1\nobjects:\n  deals:\n    fields: [a, b\n  x: 1\n")
    assert problems(org) == [
        ("org.yaml:5:4", ProblemKind.PARSE_ERROR,
         "malformed YAML: expected ',' or ']', but got ':'"),
    ]
    assert org.objects == {} and org.files_read == []


def test_duplicate_keys_are_a_parse_error(tmp_path: Path) -> None:
    org = read_text(tmp_path, "cfglint: 1\nobjects:\n  deals: {}\n  deals: {}\n")
    assert [(str(p.location), p.kind) for p in org.problems] == [
        ("org.yaml:4:3", ProblemKind.PARSE_ERROR)
    ]
    assert 'duplicate key "deals"' in org.problems[0].message


def test_schema_violations_name_the_line_and_leave_out_only_their_element(
    tmp_path: Path,
) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
objects:
  deals:
    fields:
      amount:
        type: money
      closedate: date
      dealname: {type: text, lenght: 5}
    pipelines:
      default:
        stages:
          - {name: a, probability: 200}
  contacts:
    label: 5
platform: zoho
extra: 1
""")
    field_types = ", ".join(repr(t.value) for t in FieldType)
    assert problems(org) == [
        ("org.yaml:6", ProblemKind.INVALID,
         f"objects.deals.fields.amount.type: 'money' is not one of [{field_types}]"),
        ("org.yaml:8", ProblemKind.INVALID,
         "objects.deals.fields.dealname.lenght: unknown key 'lenght' (did you mean 'length'?)"),
        ("org.yaml:12", ProblemKind.INVALID,
         "objects.deals.pipelines.default.stages[0].probability: 200 is greater than the "
         "maximum of 100"),
        ("org.yaml:14", ProblemKind.INVALID, "objects.contacts.label: 5 is not of type 'string'"),
        ("org.yaml:15", ProblemKind.INVALID,
         "platform: 'zoho' is not one of ['hubspot', 'salesforce']"),
        ("org.yaml:16", ProblemKind.INVALID, "extra: unknown key 'extra'"),
    ]
    # The bad field, the bad pipeline and the bad object are left out; the rest is read.
    assert sorted(org.objects) == ["deals"]
    assert sorted(org.objects["deals"].fields) == ["closedate", "dealname"]
    assert org.pipelines == {}
    assert org.files_read == ["org.yaml"]
    assert org.platform == "hubspot"


def test_wrong_version_or_missing_version_makes_the_file_unusable(tmp_path: Path) -> None:
    org = read_text(tmp_path, "cfglint: 2\nobjects: {deals: {}}\n")
    assert problems(org) == [
        ("org.yaml:1", ProblemKind.INVALID,
         "cfglint: unsupported format version 2 (this cfglint reads version 1)"),
    ]
    assert org.objects == {}
    assert org.skipped == [SkippedFile("org.yaml", SkipReason.PARSE_ERROR, "invalid")]
    org = read_text(tmp_path, "objects: {}\n", "other.yaml")
    assert problems(org) == [
        ("other.yaml:1", ProblemKind.INVALID, "'cfglint' is a required property")
    ]
    org = read_text(tmp_path, "", "empty.yaml")
    assert [p.kind for p in org.problems] == [ProblemKind.INVALID]


def test_non_utf8_is_an_encoding_problem(tmp_path: Path) -> None:
    org = read_text(tmp_path, "", "latin1.yaml")
    org = read_native(write(tmp_path, "latin1.yaml", "cfglint: 1\n# caf\xe9\n".encode("latin-1")))
    assert problems(org) == [
        ("latin1.yaml:2", ProblemKind.ENCODING,
         "not valid UTF-8 (byte 0xe9 at offset 16); cfglint YAML must be UTF-8"),
    ]
    assert org.platform == "hubspot" and org.objects == {}


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    org = read_native(write(tmp_path, "bom.yaml", b"\xef\xbb\xbfcfglint: 1\nname: X\n"))
    assert org.problems == [] and org.name == "X"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["cfglint: 1", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 12):
        previous, current = f"a{index - 1}" if index > 1 else "a", f"a{index}"
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    org = read_text(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    assert [p.kind for p in org.problems] == [ProblemKind.TOO_LARGE]
    assert "refused as an alias bomb" in org.problems[0].message


def test_ordinary_anchors_and_merge_keys_are_fine(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
objects:
  deals:
    fields:
      region: &region {type: picklist, options: [EMEA, AMER]}
      billing_region: *region
      shipping_region:
        <<: *region
        label: Shipping region
""")
    assert problems(org) == []
    fields = org.objects["deals"].fields
    assert [v.name for v in fields["billing_region"].picklist_values] == ["EMEA", "AMER"]
    assert fields["shipping_region"].label == "Shipping region"
    assert fields["shipping_region"].type is FieldType.PICKLIST


def test_deep_nesting_is_refused_quickly(tmp_path: Path) -> None:
    started = time.perf_counter()
    org = read_text(tmp_path, "cfglint: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n")
    assert time.perf_counter() - started < 2
    assert problems(org) == [
        ("org.yaml:2", ProblemKind.TOO_LARGE, "document nests deeper than 64 levels")
    ]


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cfglint.readers.native as native

    monkeypatch.setattr(native, "MAX_YAML_BYTES", 100)
    org = read_text(tmp_path, "cfglint: 1\n" + "# padding\n" * 20)
    assert [p.kind for p in org.problems] == [ProblemKind.TOO_LARGE]


def test_load_document_keeps_lines_of_keys_and_items() -> None:
    document = load_document("x.yaml", b"cfglint: 1\nlist:\n  - a\n  - {b: 1}\n")
    assert document.data == {"cfglint": 1, "list": ["a", {"b": 1}]}
    assert document.line(("list", 1, "b")) == 4
    assert document.line(("list", 9)) == 2  # unknown: the nearest known ancestor


def test_scalars_become_text_where_text_is_expected(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
objects:
  deals:
    fields:
      start: {type: date, default: 2024-01-01}
      flag: {type: checkbox, default: true}
      size:
        type: picklist
        options: [1, 2.5, yes]
    pipelines:
      12345: {stages: [1, 2]}
""")
    assert problems(org) == []
    fields = org.objects["deals"].fields
    assert fields["start"].default == "2024-01-01"
    assert fields["flag"].default == "true"
    assert [v.name for v in fields["size"].picklist_values] == ["1", "2.5", "yes"]
    assert [s.name for s in org.pipelines["pipeline:deals.12345"].stages] == ["1", "2"]


# --- references --------------------------------------------------------------------------------


def test_bare_profile_names_resolve_to_defined_profiles_then_to_the_platform_default(
    tmp_path: Path,
) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
platform: salesforce
objects:
  Account:
    views:
      Main: {kind: layout, assigned_to: [Sales_Ops, Standard, team:Partners, Both]}
permission_sets: {Sales_Ops: {}, Both: {}}
profiles: {Both: {}}
""")
    assert [a.profile_id for a in org.view_assignments] == [
        "permset:Both", "permset:Sales_Ops", "profile:Standard", "team:Partners",
    ]
    assert problems(org) == [
        ("org.yaml:6", ProblemKind.INVALID,
         "'Both' is ambiguous (permset:Both, profile:Both); write the id instead"),
    ]


def test_stage_gates_are_completed_both_ways(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
objects:
  deals:
    fields:
      amount: {type: currency, required_at_stage: b}
      reason: textarea
      notes: {type: text, required_at_stage: c}
    pipelines:
      default: {stages: [a, b, {name: c, requires: [reason]}, {name: d, requires: [reason]}]}
""")
    fields = org.objects["deals"].fields
    assert fields["reason"].required_at_stage == "c"  # the first stage that requires it
    stages = org.pipelines["pipeline:deals.default"].stages
    assert [stage.required_fields for stage in stages] == [
        [], ["amount"], ["reason", "notes"], ["reason"]
    ]


def test_duplicate_stage_names_are_reported(tmp_path: Path) -> None:
    org = read_text(tmp_path, "cfglint: 1\nobjects:\n  deals:\n    pipelines:\n"
                              "      p:\n        stages:\n          - a\n          - a\n")
    assert problems(org) == [
        ("org.yaml:8", ProblemKind.INVALID, "duplicate stage 'a'; this one is ignored")
    ]
    assert len(org.pipelines["pipeline:deals.p"].stages) == 1


def test_suppression_comments_are_collected(tmp_path: Path) -> None:
    org = read_text(tmp_path, "cfglint: 1\nobjects:\n  deals:\n    fields:\n"
                              "      # cfglint: ignore[DEBT001] owned by finance\n"
                              "      budget: {type: currency, custom: true}\n")
    assert [(s.location.line, s.selectors, s.reason) for s in org.suppressions] == [
        (5, ("DEBT001",), "owned by finance")
    ]


def test_profiles_kinds_by_section(every_key: Org) -> None:
    kinds = {profile.id: profile.kind for profile in every_key.profiles.values()}
    assert kinds == {
        "profile:Admin": ProfileKind.PROFILE,
        "permset:Sales_Ops": ProfileKind.PERMISSION_SET,
        "permsetgroup:Sales_Bundle": ProfileKind.PERMISSION_SET_GROUP,
        "team:AE": ProfileKind.TEAM,
    }


# --- writing what other readers produce ---------------------------------------------------------


def test_empty_org_round_trip(tmp_path: Path) -> None:
    org = Org(platform="salesforce", source_format="sfdx")
    text = dump_native(org)
    assert text == "cfglint: 1\nplatform: salesforce\n"
    again, _ = round_trip(org, tmp_path)
    assert again.problems == [] and again.platform == "salesforce"


def test_views_whose_keys_would_collide_are_written_at_the_top(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
platform: salesforce
objects:
  Account:
    views:
      Sales: {kind: layout}
views:
  Sales: {kind: flexipage, object: Account}
""")
    assert sorted(org.views) == ["flexipage:Sales", "layout:Account-Sales"]
    text = dump_native(org)
    assert "views:\n      Sales:\n        kind: layout\n" in text
    assert "\nviews:\n  Sales:\n    object: Account\n    kind: flexipage\n" in text
    again, _ = round_trip(org, tmp_path)
    assert comparable(again) == comparable(org)


def test_interleaved_field_lists_are_written_flat_to_keep_their_order(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
roles:
  ae:
    needs: [deals.amount, contacts.email, {field: deals.closedate, from_stage: b}]
reports:
  Mixed: {fields: [deals.amount, contacts.email, deals.closedate]}
  Grouped: {fields: {deals: [amount, closedate]}}
""")
    role = org.roles["role:ae"]
    assert [need.field for need in role.needs] == [
        "deals.amount", "contacts.email", "deals.closedate"
    ]
    assert role.objects == ["deals", "contacts"]
    text = dump_native(org)
    assert "  Mixed:\n    fields: [deals.amount, contacts.email, deals.closedate]\n" in text
    assert "  Grouped:\n    fields:\n      deals: [amount, closedate]\n" in text
    again, _ = round_trip(org, tmp_path)
    assert comparable(again) == comparable(org)


def test_a_salesforce_project_round_trips_through_cfglint_yaml(tmp_path: Path) -> None:
    from cfglint.readers.salesforce import read_salesforce
    from tests.conftest import corpus_path

    org = read_salesforce(corpus_path("sfdc", "SalesforceFoundation__PMM"))
    again, _ = round_trip(org, tmp_path)
    assert again.problems == []

    def normalized(model: Org) -> dict[str, Any]:
        data = comparable(model)
        # Reading cfglint YAML sorts these; the Salesforce reader keeps file order.
        data["view_assignments"] = sorted(data["view_assignments"], key=str)
        for key in ("problems", "occurrences", "notes", "roots", "source_format"):
            data.pop(key)
        return data

    assert normalized(again) == normalized(org)
    assert len(again.objects) == len(org.objects) > 10


def test_several_unknown_keys_and_a_bad_list_item_leave_the_rest_readable(tmp_path: Path) -> None:
    org = read_text(tmp_path, """\
cfglint: 1
objects:
  deals:
    fields:
      amount: {type: currency, colour: red, size: 3}
view_assignments:
  - {view: layout:A-B, who: Admin}
  - {view: layout:A-C}
  - {view: layout:A-D, who: Admin}
""")
    assert problems(org) == [
        ("org.yaml:5", ProblemKind.INVALID,
         "objects.deals.fields.amount.colour: unknown key 'colour'"),
        ("org.yaml:5", ProblemKind.INVALID,
         "objects.deals.fields.amount.size: unknown key 'size'"),
        ("org.yaml:8", ProblemKind.INVALID, "view_assignments[1]: 'who' is a required property"),
    ]
    assert org.objects["deals"].fields["amount"].type is FieldType.CURRENCY
    assert [a.view_id for a in org.view_assignments] == ["layout:A-B", "layout:A-D"]
