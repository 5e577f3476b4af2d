"""sObject describes in a Salesforce project add the standard fields the metadata lacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cfglint.model import FieldType, ProblemKind, SkipReason, SourceLocation
from cfglint.readers import read
from cfglint.readers.salesforce_describe import is_describe_file
from tests.conftest import corpus_path

#: One standard field (StageName, with two values only) and one custom field: what a retrieve
#: of an org where someone touched StageName looks like.
OPPORTUNITY_OBJECT = """<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <fields>
        <fullName>StageName</fullName>
        <type>Picklist</type>
        <valueSet>
            <valueSetDefinition>
                <value><fullName>Open</fullName><default>false</default><label>Open</label></value>
                <value><fullName>Won</fullName><default>false</default><label>Won</label></value>
            </valueSetDefinition>
        </valueSet>
    </fields>
    <fields>
        <fullName>Loss_Reason__c</fullName>
        <label>Loss Reason</label>
        <type>Text</type>
        <length>80</length>
    </fields>
    <label>Opportunity</label>
</CustomObject>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "metadata" / "objects").mkdir(parents=True)
    (tmp_path / "metadata" / "package.xml").write_text(
        '<Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>62.0</version>'
        "</Package>\n", encoding="utf-8")
    (tmp_path / "metadata" / "objects" / "Opportunity.object").write_text(
        OPPORTUNITY_OBJECT, encoding="utf-8")
    (tmp_path / "describe").mkdir()
    shutil.copy(corpus_path("api-examples", "salesforce", "describe_Opportunity.json"),
                tmp_path / "describe" / "Opportunity.json")
    return tmp_path


def test_standard_fields_missing_from_metadata_come_from_describe(project: Path) -> None:
    fields = read(project).objects["Opportunity"].fields
    from_describe = sorted(name for name, field in fields.items()
                           if field.location and field.location.path.startswith("describe/"))
    # Custom fields (Margin_Pct__c, Products__c, ...) and StageName stay as the metadata has them.
    assert from_describe == ["AccountId", "Amount", "Description", "ForecastCategoryName", "Id",
                             "IsWon", "Name"]
    assert [value.name for value in fields["StageName"].picklist_values] == ["Open", "Won"]
    assert fields["Loss_Reason__c"].type is FieldType.TEXT


def test_describe_fields_carry_type_requiredness_and_values(project: Path) -> None:
    fields = read(project).objects["Opportunity"].fields
    name = fields["Name"]
    assert (name.type, name.source_type, name.required, name.length, name.system) == (
        FieldType.TEXT, "string", True, 120, False)
    assert name.location == SourceLocation("describe/Opportunity.json", 185)
    forecast = fields["ForecastCategoryName"]
    # Not nillable but defaulted on create: the API fills it in, so it is not required.
    assert (forecast.type, forecast.required, forecast.restricted) == (
        FieldType.PICKLIST, False, True)
    assert [value.name for value in forecast.picklist_values] == [
        "Omitted", "Pipeline", "Best Case", "Commit", "Closed"]
    account = fields["AccountId"]
    assert (account.type, account.reference_to, account.relationship_name, account.required) == (
        FieldType.LOOKUP, ["Account"], "Account", False)
    is_won = fields["IsWon"]
    assert (is_won.type, is_won.required, is_won.system) == (FieldType.CHECKBOX, False, True)
    assert (fields["Id"].system, fields["Description"].type) == (True, FieldType.TEXTAREA)


def test_describe_files_are_read_not_skipped(project: Path) -> None:
    org = read(project)
    assert "describe/Opportunity.json" in org.files_read
    assert [skipped.path for skipped in org.skipped] == []
    assert org.problems == []


def test_a_malformed_describe_is_a_problem_with_its_line(project: Path) -> None:
    (project / "describe" / "Lead.json").write_text('{\n  "name": "Lead",\n  "fields": [,]\n}\n',
                                                     encoding="utf-8")
    org = read(project)
    assert [(problem.location.path, problem.location.line, problem.kind)
            for problem in org.problems] == [("describe/Lead.json", 3, ProblemKind.PARSE_ERROR)]
    assert [(skipped.path, skipped.reason) for skipped in org.skipped] == [
        ("describe/Lead.json", SkipReason.PARSE_ERROR)]
    assert "describe/Lead.json" not in org.files_read


def test_json_that_is_no_describe_is_invalid(project: Path) -> None:
    (project / "describe" / "Lead.json").write_text('{"sobjects": []}\n', encoding="utf-8")
    org = read(project)
    assert [(problem.location.path, problem.kind, problem.message) for problem in org.problems] \
        == [("describe/Lead.json", ProblemKind.INVALID,
             'not an sObject describe: expected an object with a "fields" list')]


def test_a_describe_without_metadata_adds_nothing(project: Path) -> None:
    (project / "describe" / "Lead.json").write_text(
        '{"name": "Lead", "fields": [{"name": "Company", "type": "string", "nillable": false,'
        ' "createable": true, "defaultedOnCreate": false}]}\n', encoding="utf-8")
    org = read(project)
    assert "Lead" not in org.objects
    assert org.notes == ["describe/Lead.json: no metadata for Lead; its describe adds nothing"]


@pytest.mark.parametrize(("path", "expected"), [
    ("describe/Opportunity.json", True),
    ("snapshot/describe/Account.json", True),
    ("describe.json", False),
    ("objects/describe.json", False),
    ("describe/Opportunity.object", False),
])
def test_which_paths_are_describe_files(path: str, expected: bool) -> None:
    assert is_describe_file(path) is expected
