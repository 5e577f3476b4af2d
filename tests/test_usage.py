"""The usage file: its schema, the typed loader, errors with lines, and the rules that read it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cfglint.readers import InputError
from cfglint.readers.usage import FieldUsage, ObjectUsage, StageUsage, Usage, load_usage, schema
from tests.rules.helpers import findings_of

AGREED = {
    "version": 1,
    "source": "salesforce",
    "pulled_at": "2025-01-31T09:00:00Z",
    "objects": {"Opportunity": {"records": 1200}},
    "fields": {"Opportunity.NextStep": {"fill_rate": 0.41, "placeholder_share": 0.1,
                                        "top_value": "TBD", "top_value_share": 0.08,
                                        "median_length": 24}},
    "stages": {"Opportunity.StageName=Proposal": {"open_records": 40}},
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "usage.json"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_usage(path)
    return caught.value.message


def test_the_agreed_shape_loads_into_typed_objects(tmp_path: Path) -> None:
    usage = load_usage(write(tmp_path, json.dumps(AGREED, indent=2)))
    assert usage == Usage(
        path=(tmp_path / "usage.json").as_posix(),
        version=1,
        source="salesforce",
        pulled_at="2025-01-31T09:00:00Z",
        objects={"Opportunity": ObjectUsage(records=1200)},
        fields={"Opportunity.NextStep": FieldUsage(
            fill_rate=0.41, placeholder_share=0.1, top_value="TBD", top_value_share=0.08,
            median_length=24.0,
        )},
        stages={"Opportunity.StageName=Proposal": StageUsage(open_records=40)},
    )


def test_lookups_ignore_case_and_answer_none_when_unknown(tmp_path: Path) -> None:
    usage = load_usage(write(tmp_path, json.dumps(AGREED)))
    assert usage.fill_rate("opportunity.nextstep") == 0.41
    assert usage.fill_rate("Opportunity.Amount") is None
    assert usage.records("OPPORTUNITY") == 1200
    assert usage.open_records("Opportunity.StageName=Proposal") == 40
    assert usage.open_records("Opportunity.StageName=Closed Won") is None


def test_only_the_version_is_required_and_unknown_entry_keys_are_ignored(tmp_path: Path) -> None:
    assert load_usage(write(tmp_path, '{"version": 1}')).fields == {}
    usage = load_usage(write(tmp_path, '{"version": 1, "fields": {"A.b": {"fill_rate": 1, '
                                       '"distinct_values": 7}}}'))
    assert usage.fields == {"A.b": FieldUsage(fill_rate=1.0)}


def test_schema_violations_name_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps(
        {"version": 1, "fields": {"Opportunity.NextStep": {"fill_rate": 1.4}}}, indent=2
    ))
    assert error_of(path) == (
        f"{path.as_posix()}:5: fields.Opportunity.NextStep.fill_rate: 1.4 is greater than the "
        "maximum of 1"
    )


def test_an_unknown_top_level_key_and_a_wrong_version_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "version": 2,\n  "feilds": {}\n}\n')
    assert error_of(path) == (
        f"{path.as_posix()}:1: Additional properties are not allowed ('feilds' was unexpected)\n"
        f"{path.as_posix()}:2: version: unsupported usage file version 2 (this cfglint reads "
        "version 1)"
    )


def test_malformed_json_and_nan_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, '{"version": 1,\n "fields": {,}}')
    assert error_of(path) == (
        f"{path.as_posix()}:2: malformed JSON: Expecting property name enclosed in double quotes"
    )
    path = write(tmp_path, '{"version": 1, "fields": {"A.b": {"fill_rate": NaN}}}')
    assert error_of(path) == f"{path.as_posix()}: malformed JSON: NaN is not a number JSON allows"


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    assert error_of(missing) == f"{missing.as_posix()}: no such usage file"


def test_schema_is_valid_and_accepts_the_agreed_shape() -> None:
    Draft202012Validator.check_schema(schema())
    assert list(Draft202012Validator(schema()).iter_errors(AGREED)) == []


def test_req004_reads_the_loaded_usage(tmp_path: Path) -> None:
    data = {"version": 1, "fields": {
        "deals.next_step": {"fill_rate": 0.97, "placeholder_share": 0.62, "top_value": "TBD",
                            "top_value_share": 0.55},
    }}
    usage = load_usage(write(tmp_path, json.dumps(data)))
    assert [(f.element_id, f.message) for f in findings_of("REQ004", "REQ004/fail.yaml",
                                                           usage=usage)] == [
        ("deals.next_step",
         "deals.next_step is required, but 62% of its values are placeholders (most common: "
         "'TBD', 55%) (threshold 30%)"),
    ]


def test_debt011_reads_fill_rates_from_the_loaded_usage(tmp_path: Path) -> None:
    empty = load_usage(write(tmp_path, json.dumps(
        {"version": 1, "fields": {"Invoice__c.Legacy_Code__c": {"fill_rate": 0.0}}}
    )))
    messages = [f.message for f in findings_of("DEBT011", "DEBT011/fail.yaml", usage=empty)]
    assert len(messages) == 1 and messages[0].endswith(", and it is 0% filled")
    used = load_usage(write(tmp_path, json.dumps(
        {"version": 1, "fields": {"Invoice__c.Legacy_Code__c": {"fill_rate": 0.9}}}
    )))
    assert findings_of("DEBT011", "DEBT011/fail.yaml", usage=used) == []
