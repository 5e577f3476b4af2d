"""The HubSpot snapshot reader: the fixture snapshot, and snapshots assembled at test time from
the shared API example bodies."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from cfglint.config import CommandLineOverrides, load_settings
from cfglint.lint import lint
from cfglint.model import (
    AutomationKind,
    Behavior,
    Field,
    FieldType,
    Org,
    ProblemKind,
    ProfileKind,
    SkipReason,
    ViewKind,
)
from cfglint.readers import InputError, detect, read
from tests.conftest import FIXTURES, corpus_path

SNAPSHOT = FIXTURES / "hubspot-snapshot"

#: Where each example body goes in a snapshot (api-examples/hubspot/).
API_EXAMPLES = {
    "properties/deals.json": "properties_deals.json",
    "properties/contacts.json": "properties_contacts.json",
    "property-groups/contacts.json": "property_groups_contacts.json",
    "property-validations/contacts.json": "property_validations_contacts.json",
    "pipelines/deals.json": "pipelines_deals.json",
    "pipelines/tickets.json": "pipelines_tickets.json",
    "schemas.json": "schemas.json",
    "users.json": "users_page.json",
    "teams.json": "teams.json",
    "roles.json": "roles.json",
    "forms.json": "forms_page.json",
    "workflows/585051946.json": "flow_585051946.json",
}
#: Paged bodies, merged into one ``{"results": [...]}`` as the pull does.
API_PAGES = {
    "owners.json": ("owners_page1.json", "owners_page2.json"),
    "workflows/index.json": ("flows_page.json", "flows_page2.json"),
}
#: The same for hubspot/examples/ (bodies recorded as GET_<path>.json).
RECORDED_EXAMPLES = {
    "properties/deals.json": "GET_crm_v3_properties_deals.json",
    "pipelines/deals.json": "GET_crm_v3_pipelines_deals.json",
    "workflows/index.json": "GET_automation_v4_flows.json",
    "workflows/585051946.json": "GET_automation_v4_flows_585051946.json",
}


def merged_pages(folder: Path, *names: str) -> str:
    results = [item for name in names
               for item in json.loads((folder / name).read_text())["results"]]
    return json.dumps({"results": results}, indent=2)


@pytest.fixture
def api_snapshot(tmp_path: Path) -> Path:
    bodies = corpus_path("api-examples", "hubspot")
    root = tmp_path / "snapshot"
    for target, source in API_EXAMPLES.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bodies / source, root / target)
    for target, pages in API_PAGES.items():
        (root / target).write_text(merged_pages(bodies, *pages))
    (root / "manifest.json").write_text(json.dumps({"format": "cfglint-snapshot", "version": 1,
                                                    "source": "hubspot"}))
    return root


@pytest.fixture
def recorded_snapshot(tmp_path: Path) -> Path:
    bodies = corpus_path("hubspot", "examples")
    root = tmp_path / "recorded"
    for target, source in RECORDED_EXAMPLES.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bodies / source, root / target)
    return root


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SNAPSHOT, tmp_path / "snapshot"))


@pytest.fixture(scope="module")
def fixture_org() -> Org:
    return read(SNAPSHOT)


def line_of(root: Path, relative: str, needle: str) -> int:
    """The 1-based line of the first line holding ``needle``."""
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


# --- detection --------------------------------------------------------------------------------


def test_a_snapshot_is_detected_by_its_manifest_or_its_properties(
        api_snapshot: Path, recorded_snapshot: Path) -> None:
    assert detect(SNAPSHOT) == "hubspot"
    assert detect(api_snapshot) == "hubspot"
    assert detect(recorded_snapshot) == "hubspot"  # no manifest: properties/*.json


def test_a_salesforce_manifest_is_not_a_hubspot_snapshot(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"source": "salesforce"}')
    (tmp_path / "properties").mkdir()
    (tmp_path / "properties" / "deals.json").write_text('{"results": []}')
    with pytest.raises(InputError):
        detect(tmp_path)


def test_json_without_results_under_properties_is_not_hubspot(tmp_path: Path) -> None:
    (tmp_path / "properties").mkdir()
    (tmp_path / "properties" / "settings.json").write_text('{"theme": "dark"}')
    with pytest.raises(InputError):
        detect(tmp_path)
    assert read(tmp_path, "hubspot").objects.keys() == {"settings"}  # --source forces it


def test_a_file_is_not_a_snapshot(tmp_path: Path) -> None:
    target = tmp_path / "properties.json"
    target.write_text("{}")
    with pytest.raises(InputError):
        read(target, "hubspot")


# --- the fixture snapshot: the exact model ------------------------------------------------------


def test_fixture_counts(fixture_org: Org) -> None:
    org = fixture_org
    assert (org.platform, org.source_format, org.name) == ("hubspot", "hubspot-snapshot", None)
    assert dict(org.occurrences) == {
        "objects": 4, "fields": 48, "validation_rules": 2, "pipelines": 1, "stages": 7,
        "teams": 2, "automations": 1, "forms": 1, "owners": 4, "users": 5, "user_roles": 2,
        "property_groups": 4,
    }
    assert {name: len(o.fields) for name, o in org.objects.items()} == {
        "shipments": 10, "deals": 20, "contacts": 11, "companies": 7}
    assert org.problems == []
    assert [(item.path, item.reason, item.detail) for item in org.skipped] == [
        ("README.md", SkipReason.UNSUPPORTED_TYPE, "not a snapshot file"),
        ("expected-findings.txt", SkipReason.UNSUPPORTED_TYPE, "not a snapshot file"),
    ]
    assert len(org.files_read) == 16
    assert org.notes == [
        "a HubSpot snapshot has no record views and no stage requirements (HubSpot's API does "
        "not expose them): declare them in cfglint YAML, see docs/hubspot-snapshot.md"]


def test_fixture_properties(fixture_org: Org) -> None:
    deals = fixture_org.objects["deals"]
    assert (deals.custom, deals.declared) == (False, True)
    assert "old_region" not in deals.fields  # archived
    assert sorted(name for name, f in deals.fields.items() if f.custom) == [
        "competitor", "contract_term_months", "lead_source_detail", "legacy_forecast_bucket",
        "product_interest", "weighted_amount"]
    assert sorted(name for name, f in deals.fields.items() if f.system) == [
        "createdate", "hs_deal_stage_probability", "hs_object_id", "weighted_amount"]
    amount = deals.fields["amount"]
    assert (amount.type, amount.source_type, amount.group, amount.label) == (
        FieldType.CURRENCY, "number/number", "dealinformation", "Amount")
    assert deals.fields["createdate"].type is FieldType.DATETIME
    owner = deals.fields["hubspot_owner_id"]
    assert (owner.type, owner.reference_to) == (FieldType.LOOKUP, ["owners"])
    competitor = deals.fields["competitor"]
    assert (competitor.type, competitor.restricted) == (FieldType.PICKLIST, True)
    assert [(v.name, v.label, v.active) for v in competitor.picklist_values] == [
        ("fanuc", "FANUC", True), ("abb", "ABB", True), ("kuka", "KUKA", True),
        ("universal_robots", "Universal Robots", True), ("none", "None", True),
        ("legacy_other", "Other (old)", False)]
    assert deals.fields["product_interest"].type is FieldType.MULTIPICKLIST
    assert len(deals.fields["product_interest"].picklist_values) == 30
    weighted = deals.fields["weighted_amount"]
    assert (weighted.type, weighted.formula, weighted.formula_references) == (
        FieldType.FORMULA, "amount * hs_deal_stage_probability",
        ["deals.amount", "deals.hs_deal_stage_probability"])
    assert deals.fields["hs_deal_stage_probability"].type is FieldType.FORMULA  # calculated
    assert deals.fields["legacy_forecast_bucket"].hidden
    assert deals.fields["lead_source_detail"].description is None  # "" is no description
    assert fixture_org.objects["contacts"].fields["email"].unique
    assert fixture_org.objects["contacts"].fields["phone"].type is FieldType.PHONE


def test_custom_object_from_its_schema(fixture_org: Org) -> None:
    shipments = fixture_org.objects["shipments"]
    assert (shipments.label, shipments.plural_label, shipments.custom, shipments.description) == (
        "Shipment", "Shipments", True, "A delivery of robots and parts to a customer site.")
    assert sorted(name for name, f in shipments.fields.items() if not f.required) == [
        "installation_notes"]
    assert all(f.custom for f in shipments.fields.values())
    assert shipments.location is not None
    assert shipments.location.line == line_of(SNAPSHOT, "schemas.json", '"2-7775551"')
    number = shipments.fields["tracking_number"]
    assert (number.unique, number.location) == (True, number.location)
    assert number.location is not None and (number.location.path, number.location.line) == (
        "schemas.json", line_of(SNAPSHOT, "schemas.json", '"name": "tracking_number"'))


def test_property_validations_become_validation_rules(fixture_org: Org) -> None:
    rules = fixture_org.objects["contacts"].validation_rules
    assert [(r.id, r.error_field, r.description, r.references, r.formula)
            for r in rules.values()] == [
        ("validation:contacts.zip", "zip", "ALPHANUMERIC NUMERIC_ONLY", ["contacts.zip"], ""),
        ("validation:contacts.erp_customer_id", "erp_customer_id",
         "MIN_LENGTH 6; REGEX ^C[0-9]{5,}$", ["contacts.erp_customer_id"], ""),
    ]


def test_pipeline_stages_in_order_with_percent_probabilities(fixture_org: Org) -> None:
    pipeline = fixture_org.pipelines["pipeline:deals.default"]
    assert (pipeline.label, pipeline.stage_field, pipeline.is_default) == (
        "Sales Pipeline", "dealstage", True)
    assert [(s.name, s.order, s.probability, s.closed, s.won) for s in pipeline.stages] == [
        ("appointmentscheduled", 0, 20.0, False, False),
        ("qualifiedtobuy", 1, 40.0, False, False),
        ("presentationscheduled", 2, 60.0, False, False),
        ("decisionmakerboughtin", 3, 80.0, False, False),
        ("contractsent", 4, 90.0, False, False),
        ("closedwon", 5, 100.0, True, True),
        ("closedlost", 6, 0.0, True, False),
    ]  # the archived "Legal review" stage is left out
    assert all(not stage.required_fields for stage in pipeline.stages)  # not in the API


def test_workflow_reads_and_writes(fixture_org: Org) -> None:
    flow = fixture_org.automations["hubspot-workflow:620011001"]
    assert (flow.kind, flow.object_name, flow.label, flow.active, flow.trigger) == (
        AutomationKind.HUBSPOT_WORKFLOW, "deals", "Large deals are high priority", True, "list")
    assert flow.reads == ["deals.amount", "deals.pipeline", "deals.dealname"]
    assert flow.writes == ["deals.hs_priority"]
    assert (flow.elements, flow.status) == (2, None)
    assert flow.location is not None and (flow.location.path, flow.location.line) == (
        "workflows/620011001.json", 2)


def test_teams_become_team_profiles_with_their_size(fixture_org: Org) -> None:
    assert [(p.id, p.kind, p.description, p.members) for p in fixture_org.profiles.values()] == [
        ("team:Inside Sales", ProfileKind.TEAM, "3 users", []),
        ("team:Field Sales", ProfileKind.TEAM, "2 users", []),
    ]


def test_a_form_is_a_view_of_kind_form(fixture_org: Org) -> None:
    [view] = fixture_org.views.values()
    assert (view.id, view.kind, view.object_name, view.label) == (
        "form:7c1f0e2a-5b3d-4e6f-8a9b-0c1d2e3f4a5b", ViewKind.FORM, "contacts", "Request a demo")
    assert [[(item.field, item.behavior) for item in section.items]
            for section in view.sections] == [
        [("email", Behavior.REQUIRED), ("firstname", Behavior.REQUIRED),
         ("lastname", Behavior.REQUIRED)],
        [("companies.name", Behavior.REQUIRED), ("jobtitle", Behavior.EDIT),
         ("phone", Behavior.EDIT), ("demo_request_source", Behavior.READONLY)],
    ]
    assert fixture_org.view_assignments == []
    items = list(view.items())
    assert [item.location.line for item in items if item.location] == [
        line_of(SNAPSHOT, "forms.json", f'"name": "{name}"')
        for name in ("email", "firstname", "lastname", "name", "jobtitle", "phone",
                     "demo_request_source")]


def test_every_property_points_at_its_own_line(fixture_org: Org) -> None:
    for model_field in fixture_org.fields():
        location = model_field.location
        assert location is not None
        text = (SNAPSHOT / location.path).read_text(encoding="utf-8").splitlines()
        assert f'"name": "{model_field.name}"' in text[location.line - 1], model_field.id


def test_a_name_repeated_in_two_lists_points_at_each(tmp_path: Path) -> None:
    (tmp_path / "properties").mkdir()
    (tmp_path / "properties" / "deals.json").write_text('{"results": []}')
    (tmp_path / "forms.json").write_text(json.dumps({"results": [
        {"id": "f1", "name": "One", "fieldGroups": [{"fields": [{"name": "email"}]}]},
        {"id": "f2", "name": "Two", "fieldGroups": [{"fields": [{"name": "email"}]}]},
    ]}, indent=1))
    views = read(tmp_path).views
    lines = [[item.location.line for item in view.items() if item.location]
             for view in views.values()]
    text = (tmp_path / "forms.json").read_text().splitlines()
    emails = [number for number, line in enumerate(text, 1) if '"name": "email"' in line]
    assert lines == [[emails[0]], [emails[1]]]
    assert emails[0] != emails[1]


# --- the shared example bodies -------------------------------------------------------------------


def test_api_example_counts(api_snapshot: Path) -> None:
    org = read(api_snapshot)
    assert dict(org.occurrences) == {
        "objects": 3, "fields": 9, "validation_rules": 2, "pipelines": 2, "stages": 6,
        "teams": 1, "automations": 2, "forms": 1, "owners": 2, "users": 2, "user_roles": 1,
        "property_groups": 2,
    }
    assert {name: len(o.fields) for name, o in org.objects.items()} == {
        "invoices": 2, "deals": 2, "contacts": 5}
    assert org.problems == []
    assert org.skipped == []
    assert len(org.files_read) == 15


def test_api_example_custom_object(api_snapshot: Path) -> None:
    invoices = read(api_snapshot).objects["invoices"]
    assert (invoices.label, invoices.plural_label, invoices.custom) == ("Invoice", "Invoices",
                                                                        True)
    number = invoices.fields["invoice_number"]
    assert (number.required, number.unique, number.type) == (True, True, FieldType.TEXT)
    assert invoices.fields["amount"].type is FieldType.CURRENCY  # showCurrencySymbol
    assert number.location is not None and number.location.path == "schemas.json"


def test_api_example_pipelines(api_snapshot: Path) -> None:
    org = read(api_snapshot)
    assert [(s.name, s.probability, s.closed, s.won)
            for s in org.pipelines["pipeline:deals.default"].stages] == [
        ("appointmentscheduled", 20.0, False, False),
        ("contractsent", 90.0, False, False),
        ("closedwon", 100.0, True, True),
        ("closedlost", 0.0, True, False),
    ]
    tickets = org.pipelines["pipeline:tickets.0"]
    assert tickets.stage_field == "hs_pipeline_stage"
    assert [(s.name, s.probability, s.closed) for s in tickets.stages] == [
        ("1", None, False), ("4", None, True)]  # ticketState CLOSED


def test_api_example_workflows_forms_and_teams(api_snapshot: Path) -> None:
    org = read(api_snapshot)
    flow = org.automations["hubspot-workflow:585051946"]
    assert (flow.object_name, flow.active, flow.trigger) == ("deals", True, "event")
    assert flow.reads == ["deals.dealstage"]  # the property a "value changed" event names
    assert flow.writes == ["deals.loss_reason_detail"]
    old = org.automations["hubspot-workflow:585051947"]  # from the list only
    assert (old.object_name, old.active, old.label, old.elements) == (
        "contacts", False, "Old lead nurture", 0)
    [form] = org.views.values()
    assert [(item.field, item.behavior) for item in form.items()] == [
        ("email", Behavior.REQUIRED), ("firstname", Behavior.EDIT),
        ("customer_tier", Behavior.EDIT)]
    assert [(p.id, p.description) for p in org.profiles.values()] == [
        ("team:EMEA Sales", "1 user")]


def test_recorded_examples(recorded_snapshot: Path) -> None:
    org = read(recorded_snapshot)
    assert dict(org.occurrences) == {"objects": 1, "fields": 21, "pipelines": 2, "stages": 13,
                                     "automations": 4}
    deals = org.objects["deals"]
    assert len(deals.fields) == 21
    assert sum(field.custom for field in deals.fields.values()) == 5
    assert sum(field.type is FieldType.FORMULA for field in deals.fields.values()) == 3
    assert deals.fields["dealstage"].type is FieldType.PICKLIST
    assert deals.fields["hs_object_id"].system  # HubSpot sets its value
    assert [(p.id, len(p.stages)) for p in org.pipelines.values()] == [
        ("pipeline:deals.default", 7), ("pipeline:deals.87331045", 6)]
    assert sorted(org.automations) == [
        "hubspot-workflow:585051946", "hubspot-workflow:585051947",
        "hubspot-workflow:590774201", "hubspot-workflow:601234988",
    ]
    flow = org.automations["hubspot-workflow:585051946"]
    assert flow.reads == ["deals.dealstage", "deals.dealname"]  # criteria, then a template
    assert flow.writes == ["deals.hs_priority", "tickets.subject", "tickets.hs_pipeline",
                           "tickets.hs_pipeline_stage"]  # set property, then create a ticket
    assert flow.touches_objects == ["tickets"]
    assert org.problems == []


def test_recorded_elements_point_at_their_line(recorded_snapshot: Path) -> None:
    org = read(recorded_snapshot)
    location = org.objects["deals"].fields["competitor"].location
    assert location is not None
    assert location.line == line_of(recorded_snapshot, "properties/deals.json",
                                    '"name": "competitor"')
    pipeline = org.pipelines["pipeline:deals.87331045"].location
    assert pipeline is not None
    assert pipeline.line == line_of(recorded_snapshot, "pipelines/deals.json",
                                    '"id": "87331045"')


# --- bad input ----------------------------------------------------------------------------------


def test_malformed_json_is_a_problem_with_its_line_and_the_rest_is_read(
        fixture_copy: Path) -> None:
    (fixture_copy / "teams.json").write_text('{"results": [\n  {"id": "1",\n  "name": }\n]}')
    org = read(fixture_copy)
    assert [(p.location.path, p.location.line, p.location.column, p.kind, p.message)
            for p in org.problems] == [
        ("teams.json", 3, 11, ProblemKind.PARSE_ERROR, "malformed JSON: Expecting value")]
    assert org.profiles == {}
    assert len(org.objects) == 4
    assert ("teams.json", SkipReason.PARSE_ERROR) in [(s.path, s.reason) for s in org.skipped]


def test_not_utf8_and_wrong_shapes_never_raise(fixture_copy: Path) -> None:
    (fixture_copy / "roles.json").write_bytes(b'{"results": [{"name": "Caf\xe9"}]}')
    (fixture_copy / "forms.json").write_text('["not", "a", {"results": 1}]')
    (fixture_copy / "pipelines" / "deals.json").write_text('{"results": {"id": "x"}}')
    (fixture_copy / "workflows" / "620011001.json").write_text('[1, 2]')
    org = read(fixture_copy)
    assert [(p.location.path, p.kind) for p in org.problems] == [
        ("roles.json", ProblemKind.ENCODING)]
    assert org.views == {} and org.pipelines == {}
    flow = org.automations["hubspot-workflow:620011001"]  # from the list entry instead
    assert (flow.label, flow.location and flow.location.path) == (
        "Large deals are high priority", "workflows/index.json")


def test_unknown_files_are_listed_and_usage_is_pointed_at(fixture_copy: Path) -> None:
    (fixture_copy / "notes.txt").write_text("hello")
    (fixture_copy / "usage.json").write_text("{}")
    skipped = {item.path: item.detail for item in read(fixture_copy).skipped}
    assert skipped["notes.txt"] == "not a snapshot file"
    assert skipped["usage.json"] == "usage statistics: pass with --usage"


def test_same_snapshot_same_model(fixture_copy: Path) -> None:
    first = read(fixture_copy)
    assert read(fixture_copy) == first
    assert dataclasses.replace(read(SNAPSHOT), root=first.root) == first


# --- the same org as cfglint YAML ---------------------------------------------------------------

#: The parts of the fixture snapshot the compared rules look at, written as cfglint YAML.
YAML_TWIN = """\
cfglint: 1
platform: hubspot
objects:
  deals:
    fields:
      lead_source_detail: {{type: text, custom: true}}
      product_interest:
        type: multipicklist
        custom: true
        restricted: true
        description: The products the buyer asked about first.
        options: [{options}]
    pipelines:
      default:
        stage_field: dealstage
        default: true
        stages:
          - {{name: appointmentscheduled, label: Appointment Scheduled, probability: 20}}
          - {{name: qualifiedtobuy, label: Qualified To Buy, probability: 40}}
          - {{name: presentationscheduled, label: Presentation Scheduled, probability: 60}}
          - {{name: decisionmakerboughtin, label: Decision Maker Bought-In, probability: 80}}
          - {{name: contractsent, label: Contract Sent, probability: 90}}
          - {{name: closedwon, probability: 100, closed: true, won: true}}
          - {{name: closedlost, probability: 0, closed: true}}
  contacts:
    fields:
      email: {{type: email, unique: true}}
      demo_request_source: {{type: text, custom: true, description: The page.}}
  companies:
    fields:
      domain: {{type: url, unique: true}}
      industry_segment: {{type: text, custom: true, description: As the rep writes it.}}
  shipments:
    custom: true
    description: A delivery of robots and parts to a customer site.
    fields:
{shipment_fields}
"""

#: Rules whose inputs a snapshot and cfglint YAML both carry.
COMPARED_RULES = {"REQ001", "PIPE001", "DATA001", "DATA002", "DATA003", "DATA004", "DEBT001",
                  "INTG002"}


def twin_field(model_field: Field) -> str:
    settings = [f"type: {model_field.type.value}", "custom: true",
                f"required: {str(model_field.required).lower()}"]
    if model_field.description:
        settings.append(f"description: {json.dumps(model_field.description)}")
    if model_field.is_picklist:
        options = ", ".join(value.name for value in model_field.picklist_values)
        settings.extend(["restricted: true", f"options: [{options}]"])
    return f"      {model_field.name}: {{{', '.join(settings)}}}"


def test_the_same_org_in_yaml_gives_the_same_findings(tmp_path: Path,
                                                      fixture_org: Org) -> None:
    shipments = fixture_org.objects["shipments"].fields.values()
    twin = YAML_TWIN.format(
        options=", ".join(v.name for v in fixture_org.objects["deals"]
                          .fields["product_interest"].picklist_values),
        shipment_fields="\n".join(twin_field(f) for f in shipments),
    )
    (tmp_path / "twin.yaml").write_text(twin)

    def findings(path: Path) -> list[tuple[str, str, str]]:
        settings = load_settings(path, CommandLineOverrides(extend_select=["DATA004"]))
        result = lint(read(path), settings, root=".")
        return sorted((f.rule_id, f.element_id, f.message) for f in result.findings
                      if f.rule_id in COMPARED_RULES)

    from_snapshot = findings(SNAPSHOT)
    assert len(from_snapshot) == 9
    assert findings(tmp_path / "twin.yaml") == from_snapshot
