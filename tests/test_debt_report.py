"""``cfglint debt``: every format on the Acme fixture and on every shared corpus. Markdown parses
as CommonMark, JSON validates against its schema, the HTML page is self-contained, the bytes are
the same on every run, and the command's exit codes follow the rest of the CLI."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from cfglint.cli import cli
from cfglint.commands.debt_command import debt_assessment, say
from cfglint.debt import DebtAssessment, HotSpot, Neighbour, assess
from cfglint.graph import build_graph
from cfglint.model import Automation, AutomationKind, CrmObject, Field, Org
from cfglint.reports import FORMATS, element_words, hours, percent, render
from cfglint.reports.html import SECTIONS
from cfglint.reports.svg import debt_bar_chart, label_name, neighbourhood_diagram
from tests.conftest import FIXTURES, PROJECT_ROOT, corpus_path
from tests.test_corpora_inventory import corpus_names

ACME = FIXTURES / "acme-sfdx"
SCHEMA = json.loads((PROJECT_ROOT / "cfglint" / "schemas" / "debt-report.schema.json")
                    .read_text(encoding="utf-8"))


@cache
def acme() -> DebtAssessment:
    return debt_assessment(ACME)


def empty() -> DebtAssessment:
    org = Org("salesforce", "sfdx")
    return assess(org, build_graph(org), [], root="empty")


def invoke(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["debt", *arguments])
    return result.exit_code, result.stdout, result.stderr


# --- content shared by the formats ---------------------------------------------------------------


def test_words_for_elements() -> None:
    assert element_words("workflow:Opportunity.Flag Large Deals") == (
        "workflow rule Opportunity.Flag Large Deals")
    assert element_words("Account.Region__c") == "field Account.Region__c"
    assert element_words("Account") == "object Account"
    assert element_words("Opportunity.StageName=Won") == "pick-list value Opportunity.StageName=Won"


def test_number_formats() -> None:
    assert [hours(0.04), hours(12.345), hours(1234.5)] == ["0.0 h", "12.3 h", "1,234 h"]
    assert [percent(0.0123), percent(0.5), percent(float("inf"))] == [
        "1.2 %", "50 %", "more than 100 %"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_is_deterministic(output_format: str) -> None:
    first = render(acme(), output_format)
    assert render(debt_assessment(ACME), output_format) == first


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_empty_org_renders(output_format: str) -> None:
    text = render(empty(), output_format)
    assert "100" in text
    assert "Traceback" not in text


def test_text_report_sections() -> None:
    text = render(acme(), "text")
    for heading in ("Top risks", "What the words mean", "Debt by object",
                    "Hot spots: what most depends on", "Automation map",
                    "Undocumented components (2)",
                    f"Every issue, costliest first ({len(acme().issues)})"):
        assert f"\n{heading}\n" in text
    assert text.startswith("Customization debt: ")
    assert "Score 0 / 100, grade E" in text
    assert "1. Several kinds of automation on the same records" in text
    assert "Blast radius: how many other components" in text


# --- Markdown ------------------------------------------------------------------------------------


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_is_commonmark_with_the_expected_structure() -> None:
    html = commonmark(render(acme(), "md"))
    assert html.startswith("<h1>Customization debt: <code>")
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == [
        "Top risks", "What the words mean", "Debt by object", "Debt by kind of problem",
        "Hot spots: what most depends on", "Automation map", "Undocumented components (2)",
        f"Every issue, costliest first ({len(acme().issues)})", "How the numbers are made",
    ]
    assert html.count("<table>") == 5
    assert html.count("<ol>") == 1 and html.count("<li>") >= 5
    # Names with underscores stay code, never emphasis
    assert "<em>" not in html
    assert "<code>Account.Customer_Tiers__c</code>" in html


def test_markdown_table_rows_have_as_many_cells_as_their_header() -> None:
    text = render(acme(), "md")
    for block in re.split(r"\n(?!\|)", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(cells) <= 1, rows


# --- JSON ----------------------------------------------------------------------------------------


def test_json_matches_the_schema_and_the_model() -> None:
    assessment = acme()
    data = json.loads(render(assessment, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["summary"]["grade"] == assessment.grade
    assert data["summary"]["build_hours"] == 41.93
    assert data["summary"]["issues"] == len(assessment.issues) >= 26
    assert data["undocumented"] == ["Competitor__c.Pricing_Model__c",
                                    "Opportunity.Legacy_Score__c"]
    assert data["issues"][0]["rule"] == "DEBT003"
    hours_in_order = [issue["hours"] for issue in data["issues"]]
    assert hours_in_order == sorted(hours_in_order, reverse=True)
    assert data["constants"]["remediation"]["DEBT008"] == {
        "base": 4.0, "per": 2.0, "source": "B.4",
        "counts": "automation caught in the loop (2 per extra loop)"}


def test_empty_org_json_is_valid() -> None:
    data = json.loads(render(empty(), "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["summary"] == {"score": 100.0, "grade": "A", "debt_hours": 0.0,
                               "build_hours": 0.0, "debt_ratio": 0.0, "issues": 0,
                               "components": 0, "suppressed": 0}


# --- HTML ----------------------------------------------------------------------------------------

#: Anything that would make the page fetch something: external src/href, CSS url(), @import.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?!#)|url\(|@import|<script|<link|<img|<iframe""",
                      re.IGNORECASE)


def assert_self_contained(page: str) -> None:
    assert not EXTERNAL.findall(page.replace('href="#', "")), EXTERNAL.findall(page)
    assert "http://" not in page and "https://" not in page
    assert "//" not in re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)


def test_html_is_one_self_contained_page() -> None:
    page = render(acme(), "html")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert_self_contained(page)
    assert "@media print" in page
    for anchor, heading in SECTIONS:
        assert f'<h2 id="{anchor}">{heading}</h2>' in page
    assert page.count('<svg class="chart"') == 1
    assert page.count('<svg class="diagram"') == 3
    assert "<dt>Blast radius</dt>" in page and "<dt>Debt ratio</dt>" in page


def looping() -> DebtAssessment:
    """Two flows without entry conditions, each writing a field of the object both start on."""
    org = Org("salesforce", "sfdx")
    org.objects["Thing__c"] = CrmObject("Thing__c", custom=True, description="d")
    for name in ("Ping", "Pong"):
        org.objects["Thing__c"].fields[f"{name}__c"] = Field("Thing__c", f"{name}__c",
                                                              custom=True, description="d")
        flow = Automation(AutomationKind.FLOW, name, "Thing__c", trigger="create-or-update",
                          timing="after-save", writes=[f"Thing__c.{name}__c"], description="d")
        org.automations[flow.id] = flow
    graph = build_graph(org)
    return assess(org, graph, [], root="loop")


def test_automation_loops_are_highlighted() -> None:
    assessment = looping()
    assert assessment.measures.cycles
    assert all(entry.in_cycle for entry in assessment.automations)
    page = render(assessment, "html")
    assert page.count('<tr class="loop">') == 2 and "<h3>Loops</h3>" in page
    assert "**Loop:** `flow:Ping`" in render(assessment, "md")
    assert "<< IN A LOOP" in render(assessment, "text")
    assert json.loads(render(assessment, "json"))["graph"]["cycles"] == assessment.measures.cycles


def test_html_escapes_names() -> None:
    page = render(acme(), "html")
    assert "<code>Account-Account Layout</code>" in page
    assert "\x02" not in page and "\x03" not in page


# --- pictures ------------------------------------------------------------------------------------


def test_bar_chart_draws_a_bar_per_object_with_debt() -> None:
    assessment = acme()
    chart = debt_bar_chart(assessment.by_object)
    with_debt = [row for row in assessment.by_object if row.debt_hours > 0]
    assert chart.count(" h</text>") == len(with_debt)
    assert debt_bar_chart([]) == ""


@pytest.mark.parametrize(
    ("element_id", "label"),
    [
        ("Opportunity.StageName=Closed Won", "Closed Won"),
        ("stage:Opportunity.Acme Sales Process/Prospecting", "Prospecting"),
        ("report:Sales_Reports/Pipeline_by_Stage", "Pipeline_by_Stage"),
        ("flow:Opportunity_Close_Won_Handoff", "Close_Won_Handoff"),
        ("layout:Opportunity-Opportunity Layout", "Opportunity Layout"),
        ("Opportunity.Amount", "Amount"),
        ("profile:Admin", "Admin"),
    ],
)
def test_diagram_labels(element_id: str, label: str) -> None:
    assert label_name(element_id, "Opportunity") == label


def test_neighbourhood_diagram_is_deterministic_and_bounded() -> None:
    neighbours = tuple(
        [Neighbour(f"Thing.F{index}", "field", 1, "Thing.Hub") for index in range(30)]
        + [Neighbour(f"layout:L{index}", "view", 2, f"Thing.F{index % 30}") for index in range(90)]
    )
    spot = HotSpot("Thing.Hub", "field", "Thing", 120, {"field": 30, "layout": 90}, 0.0,
                   neighbours)
    first = neighbourhood_diagram(spot, "x")
    assert first == neighbourhood_diagram(spot, "x")
    assert first.count("<circle") == 1 + 16 + 48  # the hot spot, 16 inner, 48 outer
    assert "+56 more not drawn" in first  # 120 - 64


# --- the command ---------------------------------------------------------------------------------


def test_command_writes_the_html_file(tmp_path: Path) -> None:
    target = tmp_path / "debt.html"
    code, out, err = invoke(str(ACME), "--format", "html", "-o", str(target))
    assert (code, out, err) == (0, "", "")  # no progress lines when stderr is not a terminal
    assert target.read_text(encoding="utf-8") == render(acme(), "html")


def test_command_text_by_default_and_same_bytes_twice() -> None:
    first = invoke(str(ACME))
    assert first[0] == 0
    assert first[1].startswith("Customization debt: ")
    assert invoke(str(ACME)) == first


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CI", raising=False)
    say("quiet")
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    say("building the dependency graph")
    assert capsys.readouterr().err == "cfglint: building the dependency graph\n"
    monkeypatch.setenv("CI", "true")
    say("not under CI")
    assert capsys.readouterr().err == ""


def test_both_salesforce_formats_of_the_sample_org_cost_the_same() -> None:
    sfdx = json.loads(render(acme(), "json"))
    mdapi = json.loads(render(debt_assessment(FIXTURES / "acme-mdapi"), "json"))
    assert mdapi["summary"] == sfdx["summary"]
    assert mdapi["by_object"] == sfdx["by_object"]


def test_hubspot_yaml_fixture_has_a_report() -> None:
    data = json.loads(render(debt_assessment(FIXTURES / "hubspot-yaml"), "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["platform"] == "hubspot"
    assert data["summary"]["build_hours"] > 0


def test_fail_under() -> None:
    code, _, err = invoke(str(ACME), "--fail-under", "50", "--format", "json")
    assert code == 1
    assert "score 0 is below 50" in err
    assert invoke(str(ACME), "--fail-under", "0", "--format", "json")[0] == 0


def test_missing_path_and_bad_configuration_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("/no/such/project")
    assert code == 2 and "no such file or directory" in err
    config = tmp_path / "bad.yaml"
    config.write_text("debt:\n  build-cost:\n    feild: 1\n", encoding="utf-8")
    code, _, err = invoke(str(ACME), "--config", str(config))
    assert code == 2
    assert "unknown component kind 'feild'" in err
    assert "Traceback" not in err


def test_configured_priors_change_the_report(tmp_path: Path) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text("debt:\n  remediation:\n    DEBT002: 0\n    VIEW: {base: 2}\n",
                      encoding="utf-8")
    code, out, _ = invoke(str(ACME), "--config", str(config), "--format", "json")
    assert code == 0
    issues = json.loads(out)["issues"]
    legacy = next(issue for issue in issues if issue["rule"] == "DEBT002")
    # DEBT002 replaces DEBT002:workflow; VIEW002 keeps its own row over the family's
    assert (legacy["remediation"], legacy["hours"]) == ("DEBT002", 0.0)
    view = next(issue for issue in issues if issue["rule"] == "VIEW002")
    assert (view["remediation"], view["base_hours"]) == ("VIEW002", 1.0)
    assert json.loads(out)["summary"]["debt_hours"] == pytest.approx(
        round(acme().debt_hours - 1.25, 2))


def test_ruleset_option_narrows_the_findings() -> None:
    code, out, _ = invoke(str(ACME), "--ruleset", "debt-audit", "--format", "json")
    assert code == 0
    families = {issue["family"] for issue in json.loads(out)["issues"]}
    assert families <= {"CFG", "DEBT", "DATA"}


# --- every corpus --------------------------------------------------------------------------------


@pytest.mark.parametrize("corpus", corpus_names())
def test_debt_report_on_corpus(corpus: str) -> None:
    path = corpus_path("sfdc", corpus)
    assessment = debt_assessment(path)
    data = json.loads(render(assessment, "json"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert data["graph"]["nodes"] > 0
    assert 0 <= assessment.score <= 100
    assert "<h1>" in commonmark(render(assessment, "md"))
    assert_self_contained(render(assessment, "html"))
    assert render(assessment, "text").startswith("Customization debt: ")
    code, out, err = invoke(str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == data
