"""The JSON format and the schema it promises."""

from __future__ import annotations

import enum
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

from cfglint import __version__
from cfglint.formatters import fingerprint
from cfglint.formatters.json_format import format_json
from cfglint.lint import LintResult
from cfglint.rules.base import Severity
from tests.formatters.conftest import clean_result, finding, sample_result


def schema() -> dict[str, Any]:
    text = resources.files("cfglint").joinpath("schemas/lint-result.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(document: Any) -> None:
    jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("result", [sample_result(), sample_result("/abs/root"), clean_result()])
def test_output_validates_against_the_schema(result: LintResult) -> None:
    validate(json.loads(format_json(result)))


def test_schema_rejects_a_wrong_document() -> None:
    document = json.loads(format_json(sample_result()))
    document["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_top_level() -> None:
    document = json.loads(format_json(sample_result()))
    assert list(document) == [
        "version", "tool", "root", "summary", "findings", "suppressed", "skipped_rules"
    ]
    assert document["version"] == 1
    assert document["tool"] == {"name": "cfglint", "version": __version__}
    assert document["root"] == "."
    assert document["skipped_rules"] == {"TIME901": "needs usage data (pass --usage)"}


def test_summary() -> None:
    assert json.loads(format_json(sample_result()))["summary"] == {
        "total": 5,
        "by_severity": {"error": 2, "warning": 1, "info": 2},
        "by_family": {
            "CFG": {"error": 1, "warning": 0, "info": 0},
            "REQ": {"error": 1, "warning": 1, "info": 0},
            "DEBT": {"error": 0, "warning": 0, "info": 2},
        },
        "suppressed": {"inSource": 1, "external": 1},
        "files_read": 42,
        "rules_run": 2,
    }


def test_findings_keep_order_and_carry_every_field() -> None:
    result = sample_result()
    findings = json.loads(format_json(result))["findings"]
    assert [item["rule"] for item in findings] == [item.rule_id for item in result.findings]
    assert findings[4] == {
        "rule": "REQ901",
        "name": "required.fake-too-many",
        "severity": "error",
        "message": "14 fields are required at create (budget 8)",
        "element": "Opportunity",
        "path": "objects/Opportunity/Opportunity.object-meta.xml",
        "line": 12,
        "column": 5,
        "fingerprint": fingerprint(result.findings[4]),
        "data": {"budget": 8, "required": 14, "roles": ["ae", "sdr"]},
    }


def test_project_wide_finding_has_null_location() -> None:
    first = json.loads(format_json(sample_result()))["findings"][0]
    assert (first["path"], first["line"], first["column"]) == (None, None, None)


def test_paths_stay_relative_to_the_root() -> None:
    document = json.loads(format_json(sample_result("force-app")))
    assert document["root"] == "force-app"
    assert document["findings"][3]["path"] == "objects/Lead/Lead.object-meta.xml"


def test_suppressed_findings_say_how() -> None:
    suppressed = json.loads(format_json(sample_result()))["suppressed"]
    assert [(item["element"], item["suppression"]) for item in suppressed] == [
        ("Account", "inSource"), ("Account.Old__c", "external")
    ]


class Colour(enum.Enum):
    RED = "red"


def test_data_becomes_plain_deterministic_json() -> None:
    data = {
        "z": {3, 1, 2},
        "a": (Colour.RED, Severity.WARNING),
        "nan": float("nan"),
        "object": Colour,  # a class, not a value: written as its string
        "nested": {"b": 1, "a": [frozenset({"y", "x"})]},
    }
    item = finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml", 1, data=data)
    result = LintResult(root=".", findings=[item], rules={})
    written = json.loads(format_json(result))["findings"][0]["data"]
    assert list(written) == ["a", "nan", "nested", "object", "z"]
    assert written["z"] == [1, 2, 3]
    assert written["a"] == ["red", "warning"]
    assert written["nan"] == "nan"
    assert written["object"] == str(Colour)
    assert written["nested"] == {"a": [["x", "y"]], "b": 1}
