"""The SARIF format: valid SARIF 2.1.0 that GitHub code scanning takes."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from cfglint import __version__
from cfglint.formatters import fingerprint
from cfglint.formatters.sarif import format_sarif
from cfglint.lint import LintResult
from cfglint.rules.base import Severity
from tests.conftest import shared_path
from tests.formatters.conftest import REQ_DOC, RULES, clean_result, finding, sample_result


def sarif(result: LintResult) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(format_sarif(result))
    return document


def run_of(result: LintResult) -> dict[str, Any]:
    run: dict[str, Any] = sarif(result)["runs"][0]
    return run


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        shared_path("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    return loaded


@pytest.mark.parametrize(
    "result", [sample_result(), sample_result("force-app"), sample_result("/abs/x"), clean_result()]
)
def test_validates_against_the_sarif_2_1_0_schema(
    result: LintResult, sarif_schema: dict[str, Any]
) -> None:
    jsonschema.Draft4Validator(sarif_schema).validate(sarif(result))


def test_envelope_and_driver() -> None:
    document = sarif(sample_result())
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("/sarif-schema-2.1.0.json")
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "cfglint"
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"].startswith("https://")
    # Every rule that ran, plus CFG001 which a finding names; in id order.
    assert [rule["id"] for rule in driver["rules"]] == ["CFG001", "DEBT901", "REQ901"]


def test_rule_descriptor_from_the_doc() -> None:
    rules = run_of(sample_result())["tool"]["driver"]["rules"]
    req = rules[2]
    assert req["name"] == "required.fake-too-many"
    assert req["shortDescription"] == {
        "text": "Too many fields are required when a record is created"
    }
    assert req["fullDescription"] == {
        "text": "Too many fields are required when a record is created."
    }
    assert req["help"]["text"] == REQ_DOC
    markdown = req["help"]["markdown"]
    assert "### Why it matters\nReps abandon" in markdown
    assert "### Failing example\n    <required>" in markdown  # the setext underline is gone
    assert "### How to fix\n" in markdown
    assert req["defaultConfiguration"] == {"level": "error"}
    assert req["properties"]["tags"] == ["REQ", "required-field burden"]
    assert rules[1]["defaultConfiguration"] == {"level": "note"}


def test_results_point_at_their_rule_and_level() -> None:
    run = run_of(sample_result())
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert len(results) == 7  # 5 findings + 2 suppressed
    for item in results:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
    assert [item["level"] for item in results[:5]] == [
        "note", "note", "error", "warning", "error"
    ]


def test_location_of_a_finding_with_line_and_column() -> None:
    location = run_of(sample_result())["results"][4]["locations"]
    assert location == [
        {
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "objects/Opportunity/Opportunity.object-meta.xml",
                    "uriBaseId": "%SRCROOT%",
                },
                "region": {"startLine": 12, "startColumn": 5},
            },
            "logicalLocations": [{"fullyQualifiedName": "Opportunity", "kind": "element"}],
        }
    ]


def test_uri_is_percent_encoded_and_region_has_no_column_when_unknown() -> None:
    results = run_of(sample_result())["results"]
    odd = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert odd["uri"] == "layouts/Opportunity-Sales%2C%20Layout.layout-meta.xml"
    lead = results[3]["locations"][0]["physicalLocation"]
    assert lead["region"] == {"startLine": 4}


def test_finding_without_line_has_no_region() -> None:
    item = finding("REQ901", Severity.ERROR, "m", "Lead", "a.xml")
    result = LintResult(root=".", findings=[item], rules=dict(RULES))
    physical = run_of(result)["results"][0]["locations"][0]["physicalLocation"]
    assert physical == {"artifactLocation": {"uri": "a.xml", "uriBaseId": "%SRCROOT%"}}


@pytest.mark.parametrize(
    ("root", "uri"), [(".", "./"), ("", "./"), ("/abs/x", "./"), ("my app/", "my%20app/")]
)
def test_project_wide_finding_is_anchored_at_the_root_directory(root: str, uri: str) -> None:
    location = run_of(sample_result(root))["results"][0]["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}
    }
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "flow:Close_Won", "kind": "element"}
    ]


def test_relative_root_is_part_of_the_uri() -> None:
    run = run_of(sample_result("./force-app"))
    artifact = run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "force-app/objects/Lead/Lead.object-meta.xml"
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {"description": {"text": "The directory cfglint ran in."}}
    }


def test_absolute_root_becomes_the_srcroot() -> None:
    run = run_of(sample_result("/home/ci/my project"))
    artifact = run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "objects/Lead/Lead.object-meta.xml"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///home/ci/my%20project/"


def test_partial_fingerprints_are_line_independent() -> None:
    result = sample_result()
    results = run_of(result)["results"]
    opportunity = result.findings[4]
    assert results[4]["partialFingerprints"] == {
        "primaryLocationLineHash": f"{fingerprint(opportunity)}:1",
        "cfglint/v1": fingerprint(opportunity),
    }
    moved = sample_result()
    moved.findings[4] = finding(
        "REQ901", Severity.ERROR, "14 fields are required at create (budget 8)", "Opportunity",
        opportunity.path, 80, 1,
    )
    assert run_of(moved)["results"][4]["partialFingerprints"] == results[4]["partialFingerprints"]


def test_results_sharing_a_fingerprint_are_numbered() -> None:
    twice = [
        finding("REQ901", Severity.ERROR, "first", "Lead", "a.xml", 1),
        finding("REQ901", Severity.ERROR, "second", "Lead", "a.xml", 9),
    ]
    results = run_of(LintResult(root=".", findings=twice, rules=dict(RULES)))["results"]
    hashes = [item["partialFingerprints"]["primaryLocationLineHash"] for item in results]
    assert hashes == [f"{fingerprint(twice[0])}:1", f"{fingerprint(twice[0])}:2"]


def test_suppressed_findings_are_kept_with_their_kind() -> None:
    results = run_of(sample_result())["results"]
    assert all("suppressions" not in item for item in results[:5])
    assert [item["suppressions"] for item in results[5:]] == [
        [{"kind": "inSource"}], [{"kind": "external"}]
    ]


def test_skipped_rules_are_configuration_notifications() -> None:
    invocation = run_of(sample_result())["invocations"][0]
    assert invocation == {
        "executionSuccessful": True,
        "toolConfigurationNotifications": [
            {
                "descriptor": {"id": "TIME901"},
                "level": "note",
                "message": {"text": "Rule TIME901 was skipped: needs usage data (pass --usage)"},
            }
        ],
    }
    assert run_of(clean_result())["invocations"] == [{"executionSuccessful": True}]


def test_clean_result_still_describes_the_rules() -> None:
    run = run_of(clean_result())
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["DEBT901", "REQ901"]
