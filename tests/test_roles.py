"""Roles: inference, the roles file (schema, lines, notes), applying it, and --roles on lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.model import Org, Report, Role, RoleFieldNeed, SourceLocation
from cfglint.readers import InputError, read
from cfglint.readers.native import read_native
from cfglint.readers.roles import apply_roles, load_roles, schema
from cfglint.roles import effective_roles, infer_roles, inferred_message, slug
from cfglint.writers.native import dump_native
from tests.conftest import FIXTURES, corpus_path

ACME = FIXTURES / "acme-sfdx"
HUBSPOT = FIXTURES / "hubspot-yaml"
ACME_PROFILES = [
    "profile:Acme Customer Success", "profile:Acme SDR", "profile:Acme Sales Manager",
    "profile:Acme Sales Rep", "profile:Admin",
]

ROLES_YAML = """\
version: 1
roles:
  ae:
    label: Account executive
    profiles: [Acme Sales Rep, profile:Acme Sales Manager]
    needs:
      Opportunity:
        - Name
        - Amount
        - {field: NextStep, from_stage: Proposal/Price Quote}
        - {field: Bogus__c, from_stage: Negotiation/Review}
        - {field: CloseDate, from_stage: Nope}
      Account: [Name, Region__c]
    tasks: [create, stage-move, log-call]
    record_types: {Opportunity: New_Business}
    must_update:
      Opportunity:
        Proposal/Price Quote: [NextStep, Amount]
  sdr:
    profiles: [Acme SDR]
    objects: [Lead, Task]
    needs: [Lead.Company, Lead.Status]
    tasks: [create, log-call]
    must_update: {Qualification: [Opportunity.Nope__c]}
reports:
  Sales/Pipeline:
    fields: {Opportunity: [Amount, StageName, Missing__c]}
    forecast: true
"""


@pytest.fixture(scope="module")
def acme() -> Org:
    return read(ACME)


def write(tmp_path: Path, text: str, name: str = "roles.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, org: Org | None = None) -> str:
    with pytest.raises(InputError) as caught:
        load_roles(path, org)
    return caught.value.message


# --- inference ----------------------------------------------------------------------------------


def test_acme_profiles_share_their_layouts_so_they_make_one_role(acme: Org) -> None:
    assert infer_roles(acme) == {
        "role:acme-customer-success": Role(
            name="acme-customer-success",
            label="Acme Customer Success",
            profiles=ACME_PROFILES,
            objects=["Account", "Competitor__c", "Contact", "Lead", "Opportunity"],
            tasks=["create", "stage-move", "log-call"],
            description="inferred from profiles with the same layout assignments: Acme Customer "
            "Success, Acme SDR, Acme Sales Manager, Acme Sales Rep, Admin",
            inferred=True,
            record_types={"Opportunity": "recordtype:Opportunity.New_Business"},
        )
    }


def test_profiles_with_other_layouts_and_read_only_profiles(acme: Org) -> None:
    org = read(ACME)
    sdr = org.profiles["profile:Acme SDR"]
    org.view_assignments = [a for a in org.view_assignments if a.profile_id != sdr.id or
                            not a.view_id.startswith("layout:Opportunity")]
    success = org.profiles["profile:Acme Customer Success"]
    for permission in success.object_permissions:
        permission.create = False
    roles = infer_roles(org)
    assert {role_id: role.profiles for role_id, role in roles.items()} == {
        "role:acme-sales-manager": ["profile:Acme Sales Manager", "profile:Acme Sales Rep",
                                    "profile:Admin"],
        "role:acme-sdr": ["profile:Acme SDR"],
    }
    # The SDR profile may not edit opportunities and has no Opportunity layout any more.
    assert roles["role:acme-sdr"].objects == ["Account", "Contact", "Lead"]
    assert roles["role:acme-sdr"].tasks == ["create", "log-call"]


def test_hubspot_teams_are_roles() -> None:
    roles = infer_roles(read(HUBSPOT))
    assert sorted(roles) == ["role:ae", "role:csm", "role:sales-managers", "role:sdr"]
    assert roles["role:sales-managers"].profiles == ["team:Sales Managers"]
    assert roles["role:ae"].objects == ["deals"]
    assert roles["role:ae"].tasks == ["create", "stage-move"]
    assert all(role.inferred and role.needs == [] for role in roles.values())


@pytest.mark.parametrize(("corpus", "expected"), [
    ("SalesforceFoundation__NPSP", ["role:admin", "role:npsp-standard-user", "role:standard"]),
    ("SalesforceFoundation__EDA", ["role:admin"]),
    # No profile there: each permission set that may create records is a role.
    ("SFDO-Community__Summit-Events-App",
     ["role:summit-events-admin", "role:summit-events-registrant"]),
])
def test_inference_on_the_corpora(corpus: str, expected: list[str]) -> None:
    org = read(corpus_path("sfdc", corpus))
    roles = infer_roles(org)
    assert sorted(roles) == expected
    assert infer_roles(org) == roles  # deterministic


def test_npsp_leaves_out_the_profile_that_creates_nothing() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    roles = infer_roles(org)
    assert "profile:sysadmin_test" not in {p for role in roles.values() for p in role.profiles}
    assert roles["role:npsp-standard-user"].objects == [
        "Account", "Campaign", "Contact", "Grant_Deadline__c", "Opportunity"
    ]
    assert inferred_message(roles) == (
        "roles inferred from 3 profiles with layout assignments; write a roles file (cfglint "
        "init --roles) to say what each role needs"
    )


def test_slugs() -> None:
    assert slug("Acme Sales Rep") == "acme-sales-rep"
    assert slug("NPSP_Standard_User") == "npsp-standard-user"
    assert slug("___NAMESPACE___Admin") == "namespace-admin"
    assert slug("***") == "role"


def test_effective_roles_prefers_the_file_then_the_org_then_inference(
    acme: Org, tmp_path: Path
) -> None:
    roles, inferred = effective_roles(acme)
    assert (sorted(roles), inferred) == (["role:acme-customer-success"], True)
    path = write(tmp_path, ROLES_YAML)
    roles, inferred = effective_roles(acme, path)
    assert (sorted(roles), inferred) == (["role:ae", "role:sdr"], False)
    hubspot = read(HUBSPOT)
    roles, inferred = effective_roles(hubspot)
    assert (sorted(roles), inferred) == (["role:ae", "role:csm", "role:manager", "role:sdr"],
                                         False)


# --- the roles file -----------------------------------------------------------------------------


def test_a_roles_file_reads_into_roles_and_reports(acme: Org, tmp_path: Path) -> None:
    path = write(tmp_path, ROLES_YAML)
    roles_file = load_roles(path, acme)
    where = path.as_posix()
    ae = roles_file.roles["role:ae"]
    assert ae.profiles == ["profile:Acme Sales Rep", "profile:Acme Sales Manager"]
    assert ae.objects == ["Opportunity", "Account"]
    assert ae.needs[2] == RoleFieldNeed("Opportunity.NextStep", "Proposal/Price Quote")
    assert ae.record_types == {"Opportunity": "recordtype:Opportunity.New_Business"}
    assert ae.must_update == {"Proposal/Price Quote": ["Opportunity.NextStep",
                                                       "Opportunity.Amount"]}
    assert ae.location == SourceLocation(where, 3)
    assert roles_file.roles["role:sdr"].must_update == {"Qualification": ["Opportunity.Nope__c"]}
    assert roles_file.reports == {"report:Sales/Pipeline": Report(
        name="Pipeline", folder="Sales",
        fields=["Opportunity.Amount", "Opportunity.StageName", "Opportunity.Missing__c"],
        is_forecast=True, location=SourceLocation(where, 26),
    )}
    # Standard fields count as known when a layout or a profile names them.
    assert roles_file.notes == [
        f"{where}:11: role ae: needs Opportunity.Bogus__c: no field Bogus__c on Opportunity in "
        "the configuration",
        f"{where}:12: role ae: needs Opportunity.CloseDate from_stage: no stage 'Nope' in the "
        "pipelines of Opportunity",
        f"{where}:21: role sdr: no object Task in the configuration",
        f"{where}:24: role sdr: must_update Opportunity.Nope__c: no field Nope__c on "
        "Opportunity in the configuration",
        f"{where}:27: report Sales/Pipeline: Opportunity.Missing__c: no field Missing__c on "
        "Opportunity in the configuration",
    ]


def test_schema_errors_have_lines_and_suggestions(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nroles:\n  ae:\n    profile: [AE]\n"
                           "    tasks: [create, stage_move]\n")
    assert error_of(path) == (
        f"{path.as_posix()}:4: roles.ae.profile: unknown key 'profile' (did you mean "
        "'profiles'?)\n"
        f"{path.as_posix()}:5: roles.ae.tasks[1]: 'stage_move' is not one of ['create', "
        "'stage-move', 'log-call']"
    )


def test_version_and_shape_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 2\nroles: {}\n")
    assert error_of(path) == (
        f"{path.as_posix()}:1: version: unsupported roles file version 2 (this cfglint reads "
        "version 1)"
    )
    path = write(tmp_path, "roles: {}\n")
    assert error_of(path) == f"{path.as_posix()}:1: 'version' is a required property"
    path = write(tmp_path, "- a list\n")
    assert error_of(path) == (
        f"{path.as_posix()}:1: a roles file is a mapping that starts with 'version: 1'"
    )


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nroles:\n  ae: [unclosed\n")
    assert error_of(path).startswith(f"{path.as_posix()}:4: malformed YAML: ")


def test_unknown_profiles_stop_the_run(acme: Org, tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nroles:\n  ae:\n    profiles:\n      - Acme Sales Reps\n"
                           "      - permset:Nope\n")
    assert error_of(path, acme) == (
        f"{path.as_posix()}:5: role ae: unknown profile or team 'Acme Sales Reps' (did you mean "
        "'Acme Sales Rep'?)\n"
        f"{path.as_posix()}:6: role ae: unknown permset 'permset:Nope'"
    )


def test_role_definitions_are_the_same_in_both_schemas() -> None:
    native = json.loads((Path(__file__).parent.parent / "cfglint" / "schemas" /
                         "cfglint-yaml.schema.json").read_text(encoding="utf-8"))
    for name in ("role", "need", "mustUpdate"):
        assert schema()["$defs"][name] == native["$defs"][name]


def test_applying_a_roles_file_replaces_roles_and_adds_report_fields(tmp_path: Path) -> None:
    org = read(ACME)
    roles_file = load_roles(write(tmp_path, ROLES_YAML), org)
    org.reports["report:Sales/Pipeline"] = Report(name="Pipeline", folder="Sales",
                                                  fields=["Opportunity.Amount"])
    apply_roles(org, roles_file)
    assert sorted(org.roles) == ["role:ae", "role:sdr"]
    report = org.reports["report:Sales/Pipeline"]
    assert report.fields == ["Opportunity.Amount", "Opportunity.StageName",
                             "Opportunity.Missing__c"]
    assert report.is_forecast


# --- cfglint YAML keeps record types and must-update fields -------------------------------------


def test_record_types_and_must_update_round_trip_through_cfglint_yaml(tmp_path: Path) -> None:
    source = write(tmp_path, """\
cfglint: 1
platform: salesforce
roles:
  ae:
    profiles: [Sales]
    needs: {Opportunity: [Amount, NextStep]}
    record_types: {Opportunity: Enterprise, Account: recordtype:Account.Partner}
    must_update:
      Opportunity: {Proposal: [NextStep], Negotiation: [Amount, NextStep]}
      Qualification: [Opportunity.Amount]
""", "org.yaml")
    org = read_native(source)
    assert org.problems == []
    role = org.roles["role:ae"]
    assert role.record_types == {"Opportunity": "recordtype:Opportunity.Enterprise",
                                 "Account": "recordtype:Account.Partner"}
    assert role.must_update == {
        "Proposal": ["Opportunity.NextStep"],
        "Negotiation": ["Opportunity.Amount", "Opportunity.NextStep"],
        "Qualification": ["Opportunity.Amount"],
    }
    text = dump_native(org)
    assert "    record_types:\n      Opportunity: Enterprise\n      Account: Partner\n" in text
    assert "      Proposal: [Opportunity.NextStep]\n" in text
    again = read_native(write(tmp_path, text, "again.yaml"))
    assert again.roles["role:ae"].record_types == role.record_types
    assert again.roles["role:ae"].must_update == role.must_update
    assert dump_native(again) == text


# --- the command line ---------------------------------------------------------------------------


def lint_view(*extra: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, ["lint", str(ACME), "--select", "VIEW004,VIEW005",
                                      "--format", "json", *extra])
    data = json.loads(result.stdout) if result.exit_code != 2 else {"findings": []}
    return (result.exit_code,
            [f"{f['rule']} {f['element']}" for f in data["findings"]], result.stderr)


def test_roles_option_turns_on_view004_and_view005(tmp_path: Path) -> None:
    assert lint_view()[1] == []  # without roles there is nothing to judge
    path = write(tmp_path, ROLES_YAML)
    code, findings, err = lint_view("--roles", str(path))
    assert code == 0
    # The roles file is the VIEW005 finding's location, so it sorts first.
    assert findings == [
        "VIEW005 role:ae",
        "VIEW004 layout:Account-Account Layout",
        "VIEW004 layout:Competitor__c-Competitor Layout",
        "VIEW004 layout:Contact-Contact Layout",
        "VIEW004 layout:Lead-Lead Layout",
        "VIEW004 layout:Opportunity-Opportunity Layout",
    ]
    assert err.count("cfglint: warning: ") == 5


def test_a_role_that_needs_what_its_views_show_passes(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nroles:\n  sdr:\n    profiles: [Acme SDR]\n"
                           "    needs: {Lead: [Company, Status, Email, Phone, Title, LeadSource, "
                           "OwnerId, Name, Address]}\n")
    code, findings, err = lint_view("--roles", str(path))
    # Every needed field is on the SDR's Lead layout; its other layouts are clutter to it.
    assert (code, err) == (0, "")
    assert findings == [
        "VIEW004 layout:Account-Account Layout",
        "VIEW004 layout:Competitor__c-Competitor Layout",
        "VIEW004 layout:Contact-Contact Layout",
        "VIEW004 layout:Opportunity-Opportunity Layout",
    ]


def test_a_bad_roles_file_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nroles:\n  ae: {profiles: [Nobody]}\n")
    result = CliRunner().invoke(cli, ["lint", str(ACME), "--roles", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"cfglint: error: {path.as_posix()}:3: role ae: unknown profile or team 'Nobody'"
    )
    result = CliRunner().invoke(cli, ["debt", str(ACME), "--roles", str(path)])
    assert result.exit_code == 2


def test_the_configuration_names_the_side_inputs(tmp_path: Path) -> None:
    write(tmp_path, ROLES_YAML)
    write(tmp_path, '{"version": 1}', "usage.json")
    config = write(tmp_path, "roles: roles.yaml\nusage: usage.json\n", ".cfglint.yaml")
    result = CliRunner().invoke(cli, ["lint", str(ACME), "--config", str(config), "--select",
                                      "VIEW005,REQ004", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [f["element"] for f in data["findings"]] == ["role:ae"]
