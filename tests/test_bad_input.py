"""Bad input: a clear problem with file and line, the rest still read, never a traceback,
never an expanded entity or leaked file content."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.model import ProblemKind
from cfglint.readers import InputError, read
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad-input"
ACCOUNT_FIELDS = "force-app/main/default/objects/Account/fields"


def problems_of(case: str) -> list[tuple[str, int | None, str]]:
    org = read(BAD / case)
    assert "Good_Field__c" in org.objects["Account"].fields  # the rest is still read
    return [(p.location.path, p.location.line, p.kind.value) for p in org.problems]


def test_external_entity_is_refused_before_parsing() -> None:
    assert problems_of("xxe") == [
        (f"{ACCOUNT_FIELDS}/Evil__c.field-meta.xml", 2, ProblemKind.FORBIDDEN_DTD.value)
    ]
    assert "Evil__c" not in read(BAD / "xxe").objects["Account"].fields


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    assert problems_of("billion-laughs") == [
        ("force-app/main/default/layouts/Account-Laughs Layout.layout-meta.xml", 2,
         ProblemKind.FORBIDDEN_DTD.value)
    ]
    assert time.perf_counter() - start < 5  # a generous bound: expansion would never finish
    assert "layout:Account-Laughs Layout" not in read(BAD / "billion-laughs").views


def test_malformed_xml_names_file_line_and_column() -> None:
    org = read(BAD / "malformed")
    [problem] = org.problems
    assert (problem.location.path, problem.location.line, problem.location.column) == (
        f"{ACCOUNT_FIELDS}/Broken__c.field-meta.xml", 6, 32
    )
    assert problem.message.startswith("malformed XML: Opening and ending tag mismatch")
    assert "Broken__c" not in org.objects["Account"].fields


def test_file_that_is_not_utf8() -> None:
    org = read(BAD / "not-utf8")
    [problem] = org.problems
    assert (problem.location.line, problem.kind) == (6, ProblemKind.ENCODING)
    assert problem.message == "not valid UTF-8 (byte 0xe9 at offset 289)"


def test_malformed_project_file_still_reads_metadata() -> None:
    assert problems_of("bad-project-json") == [("sfdx-project.json", 9, "parse-error")]


def test_namespace_tokens_are_tolerated() -> None:
    org = read(BAD / "namespace-tokens")
    assert org.problems == []
    assert org.source_format == "sfdx+mdapi"
    assert org.objects["Opportunity"].fields["Amount_With_Fee__c"].formula == "Amount__c * 1.03"
    assert {"layout:Opportunity-Donation Layout", "layout:Opportunity-Grant Layout"} <= set(
        org.views
    )
    # File paths keep their tokens (they are the real paths); ids and names never do.
    names = [
        *org.objects, *(field.id for field in org.fields()),
        *(field.formula or "" for field in org.fields()),
        *org.views, *(item.field for view in org.views.values() for item in view.items()),
        *(repr(assignment) for assignment in org.view_assignments), *org.profiles,
    ]
    assert not [name for name in names if "NAMESPACE" in name]
    inventory = CliRunner().invoke(
        cli, ["inventory", "--format", "json", str(BAD / "namespace-tokens")]
    )
    assert "NAMESPACE" not in json.dumps(json.loads(inventory.stdout)["objects"])


def test_unknown_types_are_listed_never_dropped() -> None:
    org = read(BAD / "unknown-types")
    assert org.problems == []
    skipped = {
        (item.path.rpartition("/")[2], item.reason.value, item.detail) for item in org.skipped
    }
    assert skipped == {
        ("README.md", "not metadata", ""),
        ("Foo.cls", "source code", ""),
        ("Foo.cls-meta.xml", "source code", ""),
        ("Foo__c.tab-meta.xml", "unsupported metadata type", "CustomTab"),
        ("Acme.app-meta.xml", "unsupported metadata type", "CustomApplication"),
        ("thing.unknownType-meta.xml", "unsupported metadata type", "unknownType"),
    }


def test_path_without_configuration_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no CRM configuration found"):
        read(BAD / "empty")


@pytest.mark.parametrize(
    "case", ["xxe", "billion-laughs", "malformed", "not-utf8", "bad-project-json",
             "namespace-tokens", "unknown-types", "empty"],
)
@pytest.mark.parametrize("command", ["inventory", "lint"])
def test_cli_never_shows_a_traceback_or_file_content(case: str, command: str) -> None:
    result = CliRunner().invoke(cli, [command, str(BAD / case)])
    output = result.stdout + result.stderr
    assert result.exit_code in ((2,) if case == "empty" else (0, 1)), output
    assert "Traceback" not in output
    assert "root:" not in output  # /etc/passwd's first line never leaks
    assert result.exception is None or isinstance(result.exception, SystemExit)
