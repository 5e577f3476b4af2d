"""The HubSpot snapshot reader, on snapshots assembled from the shared API example bodies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cfglint.model import AutomationKind, FieldType, ProblemKind, ProfileKind
from cfglint.readers import InputError, detect, read
from tests.conftest import corpus_path

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
    (root / "owners.json").write_text(merged_pages(bodies, "owners_page1.json",
                                                   "owners_page2.json"))
    (root / "workflows/index.json").write_text(merged_pages(bodies, "flows_page.json",
                                                            "flows_page2.json"))
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


def test_a_snapshot_is_detected_by_its_manifest_or_its_properties(
        api_snapshot: Path, recorded_snapshot: Path) -> None:
    assert detect(api_snapshot) == "hubspot"
    assert detect(recorded_snapshot) == "hubspot"  # no manifest: properties/*.json


def test_api_example_counts(api_snapshot: Path) -> None:
    org = read(api_snapshot)
    assert (org.platform, org.source_format) == ("hubspot", "hubspot-snapshot")
    assert dict(org.occurrences) == {
        "objects": 3, "fields": 9, "pipelines": 2, "stages": 6, "teams": 1, "automations": 2,
        "owners": 2, "users": 2, "user_roles": 1, "forms": 1, "property_groups": 2,
        "property_validations": 2,
    }
    assert sorted(org.objects) == ["contacts", "deals", "invoices"]
    assert org.problems == []
    assert org.skipped == []
    assert len(org.files_read) == 15


def test_custom_objects_come_from_schemas_with_their_required_properties(
        api_snapshot: Path) -> None:
    invoices = read(api_snapshot).objects["invoices"]
    assert (invoices.label, invoices.plural_label, invoices.custom) == ("Invoice", "Invoices",
                                                                        True)
    number = invoices.fields["invoice_number"]
    assert (number.required, number.unique, number.type) == (True, True, FieldType.TEXT)
    assert invoices.fields["amount"].type is FieldType.CURRENCY  # showCurrencySymbol
    assert number.location is not None and number.location.path == "schemas.json"


def test_pipelines_scale_probabilities_to_percent(api_snapshot: Path) -> None:
    pipeline = read(api_snapshot).pipelines["pipeline:deals.default"]
    assert (pipeline.stage_field, pipeline.is_default) == ("dealstage", True)
    assert [(s.name, s.probability, s.closed, s.won) for s in pipeline.stages] == [
        ("appointmentscheduled", 20.0, False, False),
        ("contractsent", 90.0, False, False),
        ("closedwon", 100.0, True, True),
        ("closedlost", 0.0, True, False),
    ]


def test_workflows_read_their_trigger_properties_and_write_set_properties(
        api_snapshot: Path) -> None:
    org = read(api_snapshot)
    flow = org.automations["hubspot-workflow:585051946"]
    assert flow.kind is AutomationKind.HUBSPOT_WORKFLOW
    assert (flow.object_name, flow.active, flow.trigger) == ("deals", True, "event")
    assert flow.reads == ["deals.dealstage"]
    assert flow.writes == ["deals.loss_reason_detail"]
    old = org.automations["hubspot-workflow:585051947"]
    assert (old.object_name, old.active, old.label) == ("contacts", False, "Old lead nurture")


def test_teams_become_team_profiles(api_snapshot: Path) -> None:
    profiles = read(api_snapshot).profiles
    assert list(profiles) == ["team:EMEA Sales"]
    assert profiles["team:EMEA Sales"].kind is ProfileKind.TEAM


def test_recorded_examples(recorded_snapshot: Path) -> None:
    org = read(recorded_snapshot)
    deals = org.objects["deals"]
    assert len(deals.fields) == 21
    assert sum(field.custom for field in deals.fields.values()) == 5
    assert deals.fields["dealstage"].type is FieldType.PICKLIST
    assert deals.fields["hs_object_id"].system  # HubSpot sets its value
    assert [len(p.stages) for p in org.pipelines.values()] == [7, 6]
    assert sorted(org.automations) == [
        "hubspot-workflow:585051946", "hubspot-workflow:585051947",
        "hubspot-workflow:590774201", "hubspot-workflow:601234988",
    ]
    assert org.automations["hubspot-workflow:585051946"].writes == ["deals.hs_priority"]


def test_elements_point_at_their_line(recorded_snapshot: Path) -> None:
    deals = read(recorded_snapshot).objects["deals"]
    location = deals.fields["competitor"].location
    assert location is not None
    lines = (recorded_snapshot / "properties/deals.json").read_text().splitlines()
    assert '"name": "competitor"' in lines[location.line - 1]


def test_malformed_json_is_a_problem_with_its_line_and_the_rest_is_read(
        api_snapshot: Path) -> None:
    (api_snapshot / "teams.json").write_text('{"results": [\n  {"id": "1",\n  "name": }\n]}')
    org = read(api_snapshot)
    assert [(p.location.path, p.location.line, p.kind) for p in org.problems] == [
        ("teams.json", 3, ProblemKind.PARSE_ERROR)]
    assert org.profiles == {}
    assert len(org.objects) == 3


def test_unknown_files_are_listed_not_dropped(api_snapshot: Path) -> None:
    (api_snapshot / "notes.txt").write_text("hello")
    skipped = read(api_snapshot).skipped
    assert [(item.path, item.detail) for item in skipped] == [("notes.txt", "not a snapshot file")]


def test_a_file_is_not_a_snapshot(tmp_path: Path) -> None:
    target = tmp_path / "properties.json"
    target.write_text("{}")
    with pytest.raises(InputError):
        read(target, "hubspot")


def test_same_snapshot_same_model(api_snapshot: Path) -> None:
    assert read(api_snapshot) == read(api_snapshot)
