"""``cfglint pull hubspot`` against a loopback HTTPS HubSpot (tests/fake_servers/hubspot.py).

The real hubspot-api-client (urllib3) talks TLS to the fake; its test CA is trusted through the
client's CA-bundle setting, fed from ``REQUESTS_CA_BUNDLE`` / ``SSL_CERT_FILE`` as a corporate
CA would be. No pause is real: retries and the search throttle record their waits instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from cfglint.config import CommandLineOverrides, load_settings
from cfglint.lint import lint
from cfglint.pull import PullError, PullSummary
from cfglint.pull.hubspot import HubSpotPullOptions, collect_pages, pull_hubspot
from cfglint.pull.hubspot_usage import Throttle, placeholder_values
from cfglint.pull.retry import RetryPolicy
from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path
from tests.fake_servers.hubspot import (
    TOKEN,
    Fault,
    HubSpotFake,
    Portal,
    portal_from_api_examples,
    portal_from_snapshot,
)
from tests.test_fixture_findings import finding_line

SNAPSHOT_FIXTURE = FIXTURES / "hubspot-snapshot"
PULLED_AT = "2026-03-01T08:00:00Z"
TOKEN_MESSAGE = ("cfglint: error: HubSpot rejected the token (401): check HUBSPOT_ACCESS_TOKEN "
                 "(a private-app token with the crm.schemas.* and automation scopes)\n")

#: One pull of the Bluefin portal, request by request (docs/pull.md explains the plan).
BLUEFIN_ROUTES = [
    "GET /crm-object-schemas/v3/schemas",
    *[route for object_type, type_id in (("contacts", "0-1"), ("companies", "0-2"),
                                         ("deals", "0-3"), ("tickets", "0-5"),
                                         ("2-7775551", "2-7775551"))
      for route in (f"GET /crm/v3/properties/{object_type}",
                    f"GET /crm/v3/properties/{object_type}/groups",
                    f"GET /crm/v3/property-validations/{type_id}")],
    "GET /crm/v3/pipelines/deals", "GET /crm/v3/pipelines/tickets",
    *["GET /crm/v3/owners"] * 2,  # 4 owners, 3 a page
    *["GET /settings/v3/users"] * 2,  # 5 users
    "GET /settings/v3/users/teams", "GET /settings/v3/users/roles",
    "GET /automation/v4/flows", "GET /automation/v4/flows/620011001",
    "GET /marketing/v3/forms",
]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubSpotFake]:
    server = HubSpotFake(portal_from_snapshot(SNAPSHOT_FIXTURE))
    with server.serve():
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_bundle))
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
        yield server


def pull(fake: HubSpotFake, destination: Path, sleeps: list[float] | None = None,
         **options: Any) -> PullSummary:
    """A pull with no real waiting: every pause is recorded in ``sleeps`` instead."""
    waits = sleeps if sleeps is not None else []
    return pull_hubspot(HubSpotPullOptions(
        destination=destination, token=options.pop("token", TOKEN),
        api_base_url=fake.base_url, ca_bundle=str(fake.ca_bundle),
        retry=RetryPolicy(jitter=False, sleep=waits.append), now=lambda: PULLED_AT,
        **options))


def findings(path: Path) -> list[str]:
    settings = load_settings(path, CommandLineOverrides(extend_select=["DATA004"]))
    return [finding_line(finding) for finding in lint(read(path), settings, root=".").findings]


def tree_bytes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["pull", "hubspot", *args])


# -- end to end ---------------------------------------------------------------------------------


def test_lint_on_a_pulled_snapshot_finds_what_the_fixture_expects(
        fake: HubSpotFake, tmp_path: Path) -> None:
    pull(fake, tmp_path / "bluefin")
    found = findings(tmp_path / "bluefin")
    # Snapshot files are written with sorted keys, so lines differ from the hand-written ones.
    assert found == [
        ": INTG002 [info] integration:activity-capture | email and calendar capture are unknown:"
        " the configuration declares no integrations; declare them as integrations of kind "
        "email-capture / calendar-sync in cfglint YAML, or turn INTG002 off once checked",
        "pipelines/deals.json:7: PIPE001 [warning] pipeline:deals.default | pipeline:deals."
        "default keeps HubSpot's default stages: 5 of its 5 open stages (Appointment Scheduled,"
        " Qualified To Buy, Presentation Scheduled, Decision Maker Bought-In, Contract Sent)",
        "properties/companies.json:1: DATA001 [warning] companies | companies has no duplicate "
        "rule: HubSpot matches companies by domain only on imports and automatic company "
        "creation, so companies created by hand or through the API can be duplicates",
        "properties/companies.json:196: DATA004 [info] companies.industry_segment | companies."
        "industry_segment is free text but its name says it is a segment: make it a picklist",
        "properties/contacts.json:318: DATA004 [info] contacts.demo_request_source | contacts."
        "demo_request_source is free text but its name says it is a source: make it a picklist",
        "properties/deals.json:520: DATA003 [warning] deals.product_interest | deals."
        "product_interest offers 30 active values (max 25)",
        "properties/deals.json:754: DEBT001 [info] deals.lead_source_detail | custom field "
        "deals.lead_source_detail has no description, and no help text either",
        "schemas.json:25: REQ001 [warning] shipments | shipments has 9 required fields at create"
        " (max 7): carrier, crate_count, customs_reference, delivery_date, gross_weight_kg, "
        "incoterm, ship_date, site_contact_phone, tracking_number",
        "schemas.json:311: DEBT001 [info] shipments.installation_notes | custom field shipments."
        "installation_notes has no description, and no help text either",
    ]
    expected = (SNAPSHOT_FIXTURE / "expected-findings.txt").read_text("utf-8").splitlines()
    without_lines = [re.sub(r"^([^:]*):\d+:", r"\1:", line) for line in found]
    assert without_lines == [re.sub(r"^([^:]*):\d+:", r"\1:", line) for line in expected]


def test_a_snapshot_holds_the_raw_bodies_and_a_manifest(fake: HubSpotFake,
                                                       tmp_path: Path) -> None:
    summary = pull(fake, tmp_path / "bluefin")
    snapshot = tmp_path / "bluefin"
    assert list(tree_bytes(snapshot)) == [
        "forms.json", "manifest.json", "owners.json", "pipelines/deals.json",
        "pipelines/tickets.json", "properties/2-7775551.json", "properties/companies.json",
        "properties/contacts.json", "properties/deals.json", "properties/tickets.json",
        "property-groups/2-7775551.json", "property-groups/companies.json",
        "property-groups/contacts.json", "property-groups/deals.json",
        "property-groups/tickets.json", "property-validations/2-7775551.json",
        "property-validations/companies.json", "property-validations/contacts.json",
        "property-validations/deals.json", "property-validations/tickets.json", "roles.json",
        "schemas.json", "teams.json", "users.json", "workflows/620011001.json",
        "workflows/index.json"]
    for name in ("properties/deals.json", "schemas.json", "forms.json", "owners.json",
                 "users.json", "workflows/620011001.json", "property-validations/contacts.json"):
        assert load(snapshot / name) == load(SNAPSHOT_FIXTURE / name), name
    assert load(snapshot / "manifest.json") == {
        "api_base_url": fake.base_url, "calls": 27, "cfglint_version": "0.1.0",
        "counts": {"flow_details": 1, "flows": 1, "forms": 1, "owners": 4, "pipelines": 1,
                   "properties": 49, "property_groups": 4, "property_validations": 2,
                   "roles": 2, "schemas": 1, "teams": 2, "users": 5},
        "format": "cfglint-snapshot", "pulled_at": PULLED_AT, "skipped": [],
        "source": "hubspot", "version": 1}
    assert (summary.calls, summary.retries, summary.skipped) == (27, 0, [])


def test_http_calls_per_pull_are_pinned(fake: HubSpotFake, tmp_path: Path) -> None:
    summary = pull(fake, tmp_path / "bluefin")
    assert fake.routes() == BLUEFIN_ROUTES
    assert summary.calls == len(BLUEFIN_ROUTES) == 27
    user_agents = {entry.headers.get("User-Agent", "")
                   for entry in fake.server.requests_log}  # type: ignore[union-attr]
    assert user_agents == {"hubspot-api-client-python; 12.0.0"}


def test_the_api_examples_portal_pages_and_keeps_every_field(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = corpus_path("api-examples", "hubspot")
    with HubSpotFake(portal_from_api_examples(examples, page_size=1)).serve() as fake:
        summary = pull(fake, tmp_path / "portal")
        routes = fake.routes()
    snapshot = tmp_path / "portal"
    # Raw bodies: the SDK models would drop dataSensitivity and flatten form fields.
    assert load(snapshot / "properties" / "contacts.json") == \
        load(examples / "properties_contacts.json")
    assert "dataSensitivity" in (snapshot / "properties" / "contacts.json").read_text("utf-8")
    assert load(snapshot / "forms.json") == load(examples / "forms_page.json")
    owners = load(examples / "owners_page1.json")["results"] + \
        load(examples / "owners_page2.json")["results"]
    assert load(snapshot / "owners.json") == {"results": owners}
    assert routes.count("GET /crm/v3/owners") == 2
    assert routes.count("GET /settings/v3/users") == 2
    custom = [schema["objectTypeId"] for schema in load(examples / "schemas.json")["results"]]
    assert summary.calls == len(routes) == 1 + 3 * (4 + len(custom)) + 2 + 2 + 2 + 2 + \
        routes.count("GET /automation/v4/flows") + summary.counts["flow_details"] + \
        routes.count("GET /marketing/v3/forms")
    # The custom objects have no groups or validations in the examples: skipped, not fatal.
    assert summary.skipped == [
        *[(f"{folder}/{type_id}.json", "HTTP 404 OBJECT_NOT_FOUND") for type_id in custom
          for folder in ("property-groups", "property-validations")]]
    read(snapshot)  # the reader takes it as it comes


# -- reliability --------------------------------------------------------------------------------


def test_429_with_retry_after_and_500_then_success_are_retried(fake: HubSpotFake,
                                                                tmp_path: Path) -> None:
    fake.fail("GET /crm/v3/properties/deals", Fault(429, retry_after="7"), Fault(500))
    fake.fail("GET /automation/v4/flows/620011001", Fault(503))
    sleeps: list[float] = []
    summary = pull(fake, tmp_path / "bluefin", sleeps)
    assert sleeps == [7.0, 1.0, 0.5]  # Retry-After, then the backoff of attempts 2 and 1
    assert (summary.calls, summary.retries) == (27 + 3, 3)
    assert fake.routes().count("GET /crm/v3/properties/deals") == 3
    assert load(tmp_path / "bluefin" / "manifest.json")["calls"] == 30
    assert findings(tmp_path / "bluefin")[5].startswith("properties/deals.json:520: DATA003")


def test_retries_end_with_a_clear_error_and_no_snapshot(fake: HubSpotFake,
                                                         tmp_path: Path) -> None:
    rate_limited = load(corpus_path("api-examples", "hubspot", "error_429.json"))
    fake.fail("GET /settings/v3/users/teams", *[Fault(429, "1", rate_limited)] * 5)
    sleeps: list[float] = []
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "bluefin", sleeps)
    assert raised.value.message == ("HubSpot's rate limit is used up (429 RATE_LIMIT) for "
                                    "teams.json after 5 attempts")
    assert sleeps == [1.0] * 4
    assert fake.routes().count("GET /settings/v3/users/teams") == 5
    assert list(tmp_path.iterdir()) == []


def test_a_missing_scope_skips_one_file(fake: HubSpotFake, tmp_path: Path) -> None:
    scope = load(corpus_path("api-examples", "hubspot", "error_403_scope.json"))
    fake.fail("GET /crm/v3/property-validations/0-1", Fault(403, body=scope))
    fake.fail("GET /settings/v3/users/roles", Fault(403, body=scope))
    summary = pull(fake, tmp_path / "bluefin")
    assert summary.skipped == [("property-validations/contacts.json", "HTTP 403 MISSING_SCOPES"),
                               ("roles.json", "HTTP 403 MISSING_SCOPES")]
    assert not (tmp_path / "bluefin" / "roles.json").exists()
    assert load(tmp_path / "bluefin" / "manifest.json")["skipped"] == [
        {"what": "property-validations/contacts.json", "why": "HTTP 403 MISSING_SCOPES"},
        {"what": "roles.json", "why": "HTTP 403 MISSING_SCOPES"}]


def test_a_rejected_token_is_one_line_naming_the_variable(
        fake: HubSpotFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-expired")
    result = invoke("-o", str(tmp_path / "bluefin"), "--api-base-url", fake.base_url)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", TOKEN_MESSAGE)
    assert fake.routes() == ["GET /crm-object-schemas/v3/schemas"]  # no retry of a 401
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("OTHER_TOKEN", "pat-na1-expired")
    other = invoke("-o", str(tmp_path / "bluefin"), "--api-base-url", fake.base_url,
                   "--token-env", "OTHER_TOKEN")
    assert other.stderr == TOKEN_MESSAGE.replace("HUBSPOT_ACCESS_TOKEN", "OTHER_TOKEN")


def test_a_connection_cut_mid_pull_leaves_the_old_snapshot_byte_identical(
        fake: HubSpotFake, tmp_path: Path) -> None:
    pull(fake, tmp_path / "bluefin")
    before = tree_bytes(tmp_path)
    fake.fail("GET /automation/v4/flows/620011001", Fault(cut=True))
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "bluefin")
    host = fake.base_url.removeprefix("https://")
    assert raised.value.message.startswith(
        f"the connection to {host} failed during /automation/v4/flows/620011001 (")
    assert raised.value.message.endswith("); the previous snapshot is unchanged")
    assert fake.routes().count("GET /automation/v4/flows/620011001") == 2  # not retried
    assert tree_bytes(tmp_path) == before  # no temporary directory left behind either


def test_the_ca_bundle_comes_from_ssl_cert_file_and_is_never_skipped(
        fake: HubSpotFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.setenv("SSL_CERT_FILE", str(fake.ca_bundle))
    result = invoke("-o", str(tmp_path / "one"), "--api-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("SSL_CERT_FILE")  # the system's CAs do not know the test CA
    untrusted = invoke("-o", str(tmp_path / "two"), "--api-base-url", fake.base_url)
    assert untrusted.exit_code == 2
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    assert untrusted.stderr.startswith(f"cfglint: error: the connection to "
                                       f"{fake.base_url.removeprefix('https://')} failed")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    missing = invoke("-o", str(tmp_path / "two"), "--api-base-url", fake.base_url)
    assert missing.stderr.startswith(
        f"cfglint: error: REQUESTS_CA_BUNDLE names {tmp_path / 'missing.pem'}, no such file\n")
    assert not (tmp_path / "two").exists()


def test_the_token_is_in_no_byte_written(fake: HubSpotFake, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # A server that echoes the token (a debugging proxy, an error body) must not leak it.
    flow = "GET /automation/v4/flows/620011001"
    fake.portal.bodies[flow] = {**fake.portal.bodies[flow], "description": f"by {TOKEN}"}
    fake.fail("GET /crm/v3/owners", Fault(500, "0", {"message": f"bad token {TOKEN}"}))
    result = invoke("-o", str(tmp_path / "bluefin"), "--api-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    usage = pull(fake, tmp_path / "usage", with_usage=True,
                 throttle=Throttle(clock=lambda: 0.0, sleep=lambda seconds: None))
    assert usage.counts["usage_searches"] > 0
    fake.fail("GET /marketing/v3/forms", Fault(cut=True))
    cut = invoke("-o", str(tmp_path / "bluefin"), "--api-base-url", fake.base_url)
    failed = invoke("-o", str(tmp_path / "other"), "--api-base-url", fake.base_url,
                    "--token", TOKEN + "x")
    assert (cut.exit_code, failed.exit_code) == (2, 2)
    written = [path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()]
    assert len(written) == 2 * 26 + 1
    assert b"***REDACTED***" in (tmp_path / "bluefin" / "workflows" / "620011001.json"
                                 ).read_bytes()
    assert not any(TOKEN.encode() in content for content in written)
    for text in (result.stdout, result.stderr, cut.stdout, cut.stderr, failed.stdout,
                 failed.stderr, caplog.text):
        assert TOKEN not in text


def test_the_command_prints_a_summary(fake: HubSpotFake, tmp_path: Path) -> None:
    result = invoke("-o", str(tmp_path / "bluefin"), "--api-base-url", fake.base_url)
    assert (result.exit_code, result.stderr) == (0, "")  # no progress lines off a terminal
    assert result.stdout == (
        f"pulled HubSpot snapshot into {tmp_path / 'bluefin'}: flow_details 1, flows 1, "
        "forms 1, owners 4, pipelines 1, properties 49, property_groups 4, "
        "property_validations 2, roles 2, schemas 1, teams 2, users 5; 27 HTTP calls "
        "(0 retried); 0 skipped (see manifest.json)\n")


def test_an_existing_directory_that_is_no_snapshot_is_kept(fake: HubSpotFake,
                                                           tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = invoke("-o", str(tmp_path / "work"), "--api-base-url", fake.base_url)
    assert result.exit_code == 2
    assert result.stderr == (f"cfglint: error: {tmp_path / 'work'}: exists and is not a "
                             "cfglint snapshot\nhint: choose another --output directory, or "
                             "pass --force to replace it\n")
    assert fake.routes() == []
    forced = invoke("-o", str(tmp_path / "work"), "--api-base-url", fake.base_url, "--force")
    assert forced.exit_code == 0, forced.output
    assert not (tmp_path / "work" / "notes.txt").exists()


@pytest.mark.parametrize("url", ["http://api.hubapi.com", "api.hubapi.com",
                                 "https://api.hubapi.com?x=1"])
def test_the_api_base_url_must_be_https(fake: HubSpotFake, tmp_path: Path, url: str) -> None:
    result = invoke("-o", str(tmp_path / "snap"), "--api-base-url", url)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cfglint: error: --api-base-url must be an https:// URL, "
                                    f"got {url!r}\n")


def test_a_missing_token_names_the_variable(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    result = invoke("-o", str(tmp_path / "snap"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "cfglint: error: no HubSpot token: HUBSPOT_ACCESS_TOKEN is not set")


def test_a_page_cursor_that_repeats_is_an_error() -> None:
    pages = iter([{"results": [1], "paging": {"next": {"after": "A"}}},
                  {"results": [2], "paging": {"next": {"after": "B"}}},
                  {"results": [3], "paging": {"next": {"after": "A"}}}])
    with pytest.raises(PullError) as raised:
        collect_pages("owners.json", lambda after: next(pages))
    assert raised.value.message == "HubSpot repeated the page cursor 'A' for owners.json"


# -- usage --------------------------------------------------------------------------------------


def usage_portal(portal: Portal) -> Portal:
    portal.records = {"contacts": 200, "companies": 0, "deals": 80, "tickets": 0,
                      "2-7775551": 10}
    portal.filled = {("deals", "competitor"): 40, ("deals", "amount"): 60,
                     ("deals", "lead_source_detail"): 8, ("contacts", "email"): 190,
                     ("2-7775551", "carrier"): 10}
    portal.values = {("deals", "competitor"): {"none": 10, "abb": 30},
                     ("deals", "dealstage"): {"appointmentscheduled": 12, "contractsent": 3}}
    return portal


def test_usage_is_search_totals_custom_properties_first_four_a_second(
        fake: HubSpotFake, tmp_path: Path) -> None:
    usage_portal(fake.portal)
    now = [100.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    summary = pull(fake, tmp_path / "bluefin", with_usage=True,
                   throttle=Throttle(clock=lambda: now[0], sleep=sleep))
    searches = summary.counts["usage_searches"]
    # 5 record totals; 10 + 16 + 10 properties (read-only and archived ones left out);
    # 1 placeholder search (deals.competitor has "none"); 5 open deal stages.
    assert searches == 5 + 36 + 1 + 5
    assert summary.calls == 27 + searches
    assert pauses == [0.25] * (searches - 1)  # the clock never moves by itself
    usage = load(tmp_path / "bluefin" / "usage.json")
    assert usage["objects"] == {"companies": {"records": 0}, "contacts": {"records": 200},
                                "deals": {"records": 80}, "shipments": {"records": 10},
                                "tickets": {"records": 0}}
    assert usage["fields"]["deals.competitor"] == {"fill_rate": 0.5, "placeholder_share": 0.25}
    assert usage["fields"]["deals.amount"] == {"fill_rate": 0.75}
    assert usage["fields"]["deals.product_interest"] == {"fill_rate": 0.0}
    assert usage["fields"]["shipments.carrier"] == {"fill_rate": 1.0, "placeholder_share": 0.0}
    assert usage["fields"]["contacts.email"] == {"fill_rate": 0.95}
    assert "deals.hs_object_id" not in usage["fields"]  # HubSpot sets it
    assert len(usage["fields"]) == 36
    assert usage["stages"] == {
        "deals.dealstage=appointmentscheduled": {"open_records": 12},
        "deals.dealstage=contractsent": {"open_records": 3},
        "deals.dealstage=decisionmakerboughtin": {"open_records": 0},
        "deals.dealstage=presentationscheduled": {"open_records": 0},
        "deals.dealstage=qualifiedtobuy": {"open_records": 0}}
    assert (usage["version"], usage["source"], usage["pulled_at"]) == (1, "hubspot", PULLED_AT)
    deal_properties = [search["filterGroups"][0]["filters"][0]["propertyName"]
                       for search in fake.searches
                       if search["filterGroups"] and search["filterGroups"][0]["filters"][0][
                           "operator"] == "HAS_PROPERTY"][10:26]
    assert deal_properties[:5] == ["competitor", "contract_term_months",
                                   "lead_source_detail", "legacy_forecast_bucket",
                                   "product_interest"]  # custom first, then HubSpot's
    assert deal_properties[5] == "amount"
    assert all(search["limit"] == 1 for search in fake.searches)  # totals only, no records


def test_placeholder_options_are_found_by_value_or_label() -> None:
    assert placeholder_values([
        {"value": "na", "label": "Not applicable"}, {"value": "x1", "label": "TBD "},
        {"value": "abb", "label": "ABB"}, {"label": "n/a"}, "bad",
    ]) == ["na", "x1"]


def test_the_throttle_spaces_calls_but_not_after_a_pause() -> None:
    now = [0.0]
    pauses: list[float] = []
    throttle = Throttle(per_second=4.0, clock=lambda: now[0], sleep=pauses.append)
    throttle.wait()
    now[0] = 0.1
    throttle.wait()  # 0.15 s early
    now[0] = 5.0
    throttle.wait()  # long after: no pause
    assert pauses == [pytest.approx(0.15)]
