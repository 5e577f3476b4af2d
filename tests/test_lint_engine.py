"""The lint engine: rulesets, configuration, suppressions, baselines, exit codes, pre-commit
file filtering. A custom declarative rule stands in for built-in rules so these tests do not
depend on any one rule family."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cli import cli

RULESET = textwrap.dedent(
    """\
    name: test
    select: [CFG]
    custom-rules:
      - id: ACME001
        name: acme.field-described
        target: field
        where: {properties: {custom: {const: true}}}
        assert: {properties: {description: {type: string}}}
        message: "{id} has no description"
    """
)

FIELD = """<?xml version="1.0" encoding="UTF-8"?>
{comment}<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>{name}</fullName>
    <label>{name}</label>
{description}    <type>Text</type>
    <length>80</length>
</CustomField>
"""


def write_field(root: Path, name: str, *, described: bool = False, comment: str = "") -> Path:
    path = root / "force-app/main/default/objects/Account/fields" / f"{name}.field-meta.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    description = "    <description>Why we keep it.</description>\n" if described else ""
    path.write_text(
        FIELD.format(name=name, description=description, comment=comment), encoding="utf-8"
    )
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sfdx-project.json").write_text(
        '{"packageDirectories": [{"path": "force-app", "default": true}]}\n', encoding="utf-8"
    )
    (tmp_path / "test-ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (tmp_path / ".cfglint.yaml").write_text("ruleset: test-ruleset.yaml\n", encoding="utf-8")
    write_field(tmp_path, "Tier__c")
    write_field(tmp_path, "Region__c", described=True)
    return tmp_path


def lint(project: Path, *arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["lint", *arguments, str(project)])
    return result.exit_code, result.stdout, result.stderr


def lint_json(project: Path, *arguments: str) -> tuple[int, dict[str, object]]:
    code, out, err = lint(project, "--format", "json", *arguments)
    assert code in (0, 1), err
    return code, json.loads(out)


def elements(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [finding["element"] for finding in findings]


def test_custom_rule_finds_undescribed_field(project: Path) -> None:
    code, report = lint_json(project, "--fail-on", "warning")
    assert code == 1
    assert elements(report) == ["Account.Tier__c"]
    finding = report["findings"][0]  # type: ignore[index]
    assert finding["rule"] == "ACME001"
    assert finding["message"] == "Account.Tier__c has no description"
    assert finding["path"] == "force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml"


def test_fail_on_error_ignores_warnings(project: Path) -> None:
    code, _ = lint_json(project)
    assert code == 0


def test_exit_zero(project: Path) -> None:
    code, _ = lint_json(project, "--fail-on", "info", "--exit-zero")
    assert code == 0


def test_ignore_on_command_line(project: Path) -> None:
    _, report = lint_json(project, "--ignore", "ACME001")
    assert elements(report) == []


def test_severity_override_in_config(project: Path) -> None:
    (project / ".cfglint.yaml").write_text(
        "ruleset: test-ruleset.yaml\nrules:\n  ACME001: error\n", encoding="utf-8"
    )
    code, report = lint_json(project)
    assert code == 1
    assert report["findings"][0]["severity"] == "error"  # type: ignore[index]


def test_element_ignore_in_config(project: Path) -> None:
    (project / ".cfglint.yaml").write_text(
        "ruleset: test-ruleset.yaml\n"
        "ignores:\n  - {rule: ACME001, element: Account.Tier__c, reason: legacy}\n",
        encoding="utf-8",
    )
    _, report = lint_json(project)
    assert elements(report) == []
    assert len(report["suppressed"]) == 1  # type: ignore[arg-type]


def test_per_path_ignore(project: Path) -> None:
    (project / ".cfglint.yaml").write_text(
        "ruleset: test-ruleset.yaml\n"
        "per-path-ignores:\n  'force-app/main/default/objects/Account/**': [ACME]\n",
        encoding="utf-8",
    )
    _, report = lint_json(project)
    assert elements(report) == []


def test_inline_suppression_and_unused_suppression(project: Path) -> None:
    write_field(project, "Tier__c", comment="<!-- cfglint: ignore[ACME001] owned by ops -->\n")
    write_field(
        project, "Region__c", described=True, comment="<!-- cfglint: ignore[ACME001] stale -->\n"
    )
    _, report = lint_json(project)
    assert [(f["rule"], f["path"].rsplit("/", 1)[1], f["line"])  # type: ignore[index]
            for f in report["findings"]] == [("CFG002", "Region__c.field-meta.xml", 2)]


def test_file_level_suppression(project: Path) -> None:
    path = write_field(project, "Tier__c")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "<CustomField", "<!-- cfglint: file-ignore[ACME] -->\n<CustomField"
        ),
        encoding="utf-8",
    )
    _, report = lint_json(project)
    assert elements(report) == []


def test_baseline_survives_inserted_lines(project: Path) -> None:
    baseline = project / "baseline.json"
    code, _, err = lint(project, "--write-baseline", str(baseline))
    assert code == 0, err
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert entries == [{
        "rule": "ACME001", "element": "Account.Tier__c", "count": 1,
        "path": "force-app/main/default/objects/Account/fields/Tier__c.field-meta.xml",
    }]
    write_field(project, "Tier__c", comment="<!-- a comment -->\n" * 5)  # moves the line
    write_field(project, "Segment__c")  # a new problem
    _, report = lint_json(project, "--baseline", str(baseline))
    assert elements(report) == ["Account.Segment__c"]


def test_pre_commit_file_filter_reports_only_given_files(project: Path) -> None:
    segment = write_field(project, "Segment__c")
    result = CliRunner().invoke(cli, ["lint", "--format", "json", str(segment)])
    assert result.exit_code == 0, result.stderr
    assert elements(json.loads(result.stdout)) == ["Account.Segment__c"]


def test_unknown_rule_in_config_is_exit_2_with_suggestion(project: Path) -> None:
    (project / ".cfglint.yaml").write_text("rules:\n  CFG0001: warning\n", encoding="utf-8")
    code, _, err = lint(project)
    assert code == 2
    assert "unknown rule 'CFG0001'" in err
    assert "did you mean 'CFG001'" in err
    assert ".cfglint.yaml:2" in err


def test_unknown_option_is_exit_2(project: Path) -> None:
    (project / ".cfglint.yaml").write_text(
        "rules:\n  CFG001: {options: {maximum: 3}}\n", encoding="utf-8"
    )
    code, _, err = lint(project)
    assert code == 2
    assert "has no option 'maximum'" in err


def test_unknown_ruleset_is_exit_2(project: Path) -> None:
    code, _, err = lint(project, "--ruleset", "go-lve")
    assert code == 2
    assert "unknown ruleset 'go-lve'" in err


def test_malformed_config_is_exit_2_with_line(project: Path) -> None:
    (project / ".cfglint.yaml").write_text("ruleset: [unclosed\n", encoding="utf-8")
    code, _, err = lint(project)
    assert code == 2
    assert ".cfglint.yaml:" in err


def test_parse_error_is_a_finding_and_fails(project: Path) -> None:
    broken = project / "force-app/main/default/objects/Account/fields/Broken__c.field-meta.xml"
    broken.write_text("<CustomField>\n  <label>oops\n</CustomField>\n", encoding="utf-8")
    code, report = lint_json(project)
    assert code == 1
    parse_errors = [f for f in report["findings"] if f["rule"] == "CFG001"]  # type: ignore[union-attr]
    assert [(f["path"].rsplit("/", 1)[1], f["line"]) for f in parse_errors] == [
        ("Broken__c.field-meta.xml", 3)
    ]


def test_pyproject_configuration(project: Path) -> None:
    (project / ".cfglint.yaml").unlink()
    (project / "pyproject.toml").write_text(
        '[tool.cfglint]\nruleset = "test-ruleset.yaml"\nfail-on = "warning"\n', encoding="utf-8"
    )
    code, report = lint_json(project)
    assert code == 1
    assert elements(report) == ["Account.Tier__c"]


def test_config_show_prints_effective_settings(project: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "show", str(project)])
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["ruleset"] == "test"
    assert "ACME001" in shown["rules"]


def test_comma_separated_selectors(project: Path) -> None:
    _, report = lint_json(project, "--select", "CFG001,ACME001")
    assert elements(report) == ["Account.Tier__c"]


@pytest.mark.parametrize("name", ["default", "go-live", "pre-commit", "debt-audit"])
def test_every_built_in_ruleset_is_valid_and_loads(name: str) -> None:
    # Loading a built-in ruleset skips the schema check (package data, checked here instead),
    # so that a lint without a configuration file never imports jsonschema.
    from cfglint.rulesets import builtin_names, load_ruleset, schema
    from cfglint.yamlio import load_yaml_file, validate

    assert name in builtin_names()
    path = Path(__file__).resolve().parent.parent / "rulesets" / f"{name}.yaml"
    assert validate(load_yaml_file(path), schema("ruleset.schema.json"), str(path)) == []
    assert load_ruleset(name).selected


def test_a_broken_ruleset_file_is_still_checked_against_the_schema(project: Path) -> None:
    (project / "mine.yaml").write_text("extends: default\nselect: 7\n")
    result = CliRunner().invoke(cli, ["lint", str(project), "--ruleset",
                                      str(project / "mine.yaml")])
    assert result.exit_code == 2
    assert "mine.yaml:2" in result.output and "select" in result.output


def test_side_inputs_used_again_answer_for_the_new_org() -> None:
    # Rules share what they derive from a model through the side inputs' memo; a second run
    # with the same side inputs must not reuse what the first derived from another org.
    from cfglint.config import CommandLineOverrides, load_settings
    from cfglint.lint import SideInputs, lint
    from cfglint.readers import read
    from tests.conftest import FIXTURES

    def findings(name: str, side_inputs: SideInputs) -> list[tuple[str, str]]:
        root = FIXTURES / "rules" / name
        result = lint(read(root), load_settings(root, CommandLineOverrides()),
                      root=root.as_posix(), side_inputs=side_inputs)
        return [(finding.rule_id, finding.message) for finding in result.findings]

    shared = SideInputs()
    findings("REQ001", shared)
    assert findings("REQ003", shared) == findings("REQ003", SideInputs())
    assert any(rule_id == "REQ003" for rule_id, _ in findings("REQ003", SideInputs()))
