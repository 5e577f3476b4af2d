"""Field files read by worker processes give the model a serial read gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfglint.model import Org
from cfglint.readers import salesforce_fields
from cfglint.readers.salesforce import read_salesforce
from cfglint.readers.salesforce_fields import FieldReadAhead, default_jobs, read_field_file
from cfglint.readers.walk import walk_files
from tests.conftest import FIXTURES, corpus_path

NAMESPACE = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def field_xml(name: str, body: str = "<type>Text</type><length>80</length>") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField {NAMESPACE}>\n'
            f"    <fullName>{name}</fullName>\n    {body}\n</CustomField>\n")


#: Relative path -> content: one of each kind of field file the workers must leave to the
#: main process, beside plain ones, in two package directories so that one field is defined
#: twice (the first definition wins).
ODD_PROJECT = {
    "sfdx-project.json": json.dumps({"packageDirectories": [{"path": "first"},
                                                            {"path": "second"}]}),
    "first/objects/Account/fields/Plain__c.field-meta.xml": field_xml("Plain__c"),
    "first/objects/Account/fields/Twice__c.field-meta.xml": field_xml(
        "Twice__c", "<type>Text</type><label>first copy</label>"),
    "first/objects/Account/fields/Suppressed__c.field-meta.xml": field_xml(
        "Suppressed__c", "<!-- cfglint: ignore[DEBT001] -->\n    <type>Text</type>"),
    "first/objects/Account/fields/Tokens__c.field-meta.xml": field_xml(
        "%%%NAMESPACE%%%Tokens__c"),
    "first/objects/Account/fields/Broken__c.field-meta.xml": field_xml("Broken__c")[:-15],
    "first/objects/Account/fields/Wrong__c.field-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject {NAMESPACE}/>\n',
    "first/objects/Account/fields/.Hidden__c.field-meta.xml": field_xml("Hidden__c"),
    "first/objects/Account/Account.object-meta.xml":
        f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject {NAMESPACE}>'
        "<label>Account</label></CustomObject>\n",
    "first/Stray__c.field-meta.xml": field_xml("Stray__c"),
    "second/objects/Account/fields/Twice__c.field-meta.xml": field_xml(
        "Twice__c", "<type>Text</type><label>second copy</label>"),
    "second/objects/Lead/fields/Only_Fields__c.field-meta.xml": field_xml("Only_Fields__c"),
}


@pytest.fixture
def odd_project(tmp_path: Path) -> Path:
    for relative, content in ODD_PROJECT.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return tmp_path


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(salesforce_fields, "MIN_FIELD_FILES", 0)


def assert_same_model(serial: Org, parallel: Org) -> None:
    assert parallel == serial
    # Dataclass equality does not see the order of dicts, which reports follow.
    assert list(parallel.objects) == list(serial.objects)
    for name, crm_object in serial.objects.items():
        assert list(parallel.objects[name].fields) == list(crm_object.fields), name


@pytest.mark.usefixtures("always_parallel")
def test_odd_field_files_read_in_parallel_give_the_serial_model(odd_project: Path) -> None:
    serial = read_salesforce(odd_project, jobs=1)
    parallel = read_salesforce(odd_project, jobs=2)
    assert_same_model(serial, parallel)
    # The odd files did reach the main process: a suppression, a parse error, a wrong root.
    assert [suppression.selectors for suppression in parallel.suppressions] == [("DEBT001",)]
    assert {problem.location.path for problem in parallel.problems} >= {
        "first/objects/Account/fields/Broken__c.field-meta.xml",
        "first/objects/Account/fields/Wrong__c.field-meta.xml",
    }
    assert parallel.objects["Account"].fields["Twice__c"].label == "first copy"
    assert "Tokens__c" in parallel.objects["Account"].fields


@pytest.mark.usefixtures("always_parallel")
@pytest.mark.parametrize("project", ["acme-sfdx", "bad-input/namespace-tokens",
                                     "bad-input/malformed", "bad-input/xxe", "NPSP"])
def test_projects_read_in_parallel_give_the_serial_model(project: str) -> None:
    root = (corpus_path("sfdc", "SalesforceFoundation__NPSP") if project == "NPSP"
            else FIXTURES / project)
    assert_same_model(read_salesforce(root, jobs=1), read_salesforce(root, jobs=2))


@pytest.mark.usefixtures("always_parallel")
def test_workers_read_the_plain_field_files_and_only_those(odd_project: Path) -> None:
    files = sorted(walk_files(odd_project))
    with FieldReadAhead(files, jobs=2) as read_ahead:
        assert read_ahead.pool is not None
        read = {relative: model_field.name for relative, _ in files
                if (model_field := read_ahead.take(relative)) is not None}
    assert read == {
        "first/objects/Account/fields/Plain__c.field-meta.xml": "Plain__c",
        "first/objects/Account/fields/Twice__c.field-meta.xml": "Twice__c",
        "second/objects/Account/fields/Twice__c.field-meta.xml": "Twice__c",
        "second/objects/Lead/fields/Only_Fields__c.field-meta.xml": "Only_Fields__c",
    }


def test_a_small_project_is_read_without_workers(odd_project: Path) -> None:
    files = sorted(walk_files(odd_project))
    with FieldReadAhead(files, jobs=2) as read_ahead:
        assert read_ahead.pool is None
        assert all(read_ahead.take(relative) is None for relative, _ in files)


def test_a_plain_field_file_is_read_as_the_handler_reads_it(odd_project: Path) -> None:
    relative = "first/objects/Account/fields/Plain__c.field-meta.xml"
    model_field = read_field_file(relative, str(odd_project / relative))
    assert model_field is not None
    assert (model_field.object_name, model_field.name, model_field.length) == (
        "Account", "Plain__c", 80)
    assert model_field.location is not None and model_field.location.line == 2
    assert model_field == read_salesforce(odd_project, jobs=1).objects["Account"].fields[
        "Plain__c"]


@pytest.mark.parametrize(("setting", "expected"), [("1", 1), ("3", 3), ("0", None),
                                                   ("many", None), ("", None)])
def test_cfglint_jobs_sets_the_number_of_workers(
    monkeypatch: pytest.MonkeyPatch, setting: str, expected: int | None
) -> None:
    monkeypatch.setenv("CFGLINT_JOBS", setting)
    monkeypatch.setattr(salesforce_fields.os, "sched_getaffinity", lambda _: {0, 1, 2, 3, 4, 5})
    assert default_jobs() == (expected or salesforce_fields.MAX_JOBS)
