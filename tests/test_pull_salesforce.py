"""``cfglint pull salesforce`` against a loopback HTTPS Salesforce (tests/fake_servers/).

The real simple-salesforce (REST, SOAP Metadata API through zeep) and requests talk TLS to the
fake; the test CA is trusted through ``REQUESTS_CA_BUNDLE`` as a corporate CA would be.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cfglint.cli import cli
from cfglint.config import CommandLineOverrides, load_settings
from cfglint.lint import lint
from cfglint.pull import PullError, PullSummary
from cfglint.pull import salesforce as salesforce_pull
from cfglint.pull.retry import RetryPolicy
from cfglint.pull.salesforce import PullOptions, pull_salesforce, unzip
from cfglint.pull.salesforce_auth import AuthOptions
from cfglint.readers import read
from tests.conftest import FIXTURES, corpus_path
from tests.fake_servers.salesforce import FakeOrg, Fault, SalesforceFake, org_from_mdapi
from tests.test_fixture_findings import finding_line

TOKEN = "00DRO0000000001!AQcAQH0dMHZfz972Szmpkb58urFRkgeBGsxL_QJWwYMfAbUeeG7c1E6LYUfi"
PULLED_AT = "2025-01-31T09:00:00Z"

#: One pull of the acme org, request by request: the call plan docs/pull.md describes.
ACME_ROUTES = [
    "limits",
    *["soap:listMetadata"] * 5,  # 14 analysed types + ReportFolder, 3 queries per call
    "soap:listMetadata",  # reports in Sales_Reports and unfiled$public
    "soap:retrieve",
    "soap:checkRetrieveStatus", "soap:checkRetrieveStatus",  # InProgress, Succeeded
    "soap:checkRetrieveStatus",  # with the zip
    "describeGlobal",
    "describe:Account", "describe:Competitor__c", "describe:Contact", "describe:Lead",
    "describe:Opportunity",
]


def opportunity_describe() -> Any:
    path = corpus_path("api-examples", "salesforce", "describe_Opportunity.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def acme() -> FakeOrg:
    return org_from_mdapi(FIXTURES / "acme-mdapi", opportunity_describe())


@pytest.fixture
def fake(acme: FakeOrg, monkeypatch: pytest.MonkeyPatch) -> Iterator[SalesforceFake]:
    server = SalesforceFake(acme, TOKEN)
    with server.serve():
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_bundle))
        monkeypatch.setenv("SF_ACCESS_TOKEN", TOKEN)
        yield server


def pull(fake: SalesforceFake, destination: Path, sleeps: list[float] | None = None,
         **options: Any) -> PullSummary:
    """A pull with no real waiting: every pause is recorded in ``sleeps`` instead."""
    policy = RetryPolicy(jitter=False, sleep=(sleeps if sleeps is not None else []).append)
    auth = options.pop("auth", AuthOptions(instance_url=fake.base_url))
    return pull_salesforce(PullOptions(destination=destination, auth=auth, retry=policy,
                                       now=lambda: PULLED_AT, **options))


def findings(path: Path) -> list[str]:
    settings = load_settings(path, CommandLineOverrides(extend_select=["DATA004"]))
    return [finding_line(finding) for finding in lint(read(path), settings, root=".").findings]


def tree_bytes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


# -- end to end ----------------------------------------------------------------------------------


def test_lint_on_a_pulled_snapshot_finds_what_the_fixture_expects(
        fake: SalesforceFake, tmp_path: Path) -> None:
    snapshot = tmp_path / "acme"
    pull(fake, snapshot)
    expected = (FIXTURES / "acme-mdapi" / "expected-findings.txt").read_text("utf-8").splitlines()
    # The same findings; each file sits under metadata/ in the snapshot (beside describe/ and
    # usage.json), so a path gains that prefix. Org-wide findings have no path.
    assert findings(snapshot) == [
        line if line.startswith(":") else f"metadata/{line}" for line in expected
    ]
    result = CliRunner().invoke(cli, ["lint", "--extend-select", "DATA004", str(snapshot)])
    assert result.exit_code == 0  # warnings and infos only: below the default --fail-on
    assert f"Found {len(expected)} findings (0 errors, " in result.stdout


def test_a_snapshot_is_the_retrieve_the_describes_and_a_manifest(
        fake: SalesforceFake, tmp_path: Path) -> None:
    snapshot = tmp_path / "acme"
    summary = pull(fake, snapshot)
    files = sorted(path.relative_to(snapshot).as_posix() for path in snapshot.rglob("*")
                   if path.is_file())
    assert [name for name in files if not name.startswith("metadata/")] == [
        "describe/Account.json", "describe/Competitor__c.json", "describe/Contact.json",
        "describe/Lead.json", "describe/Opportunity.json", "manifest.json"]
    assert len([name for name in files if name.startswith("metadata/")]) == 27
    assert json.loads((snapshot / "describe" / "Opportunity.json").read_text("utf-8")) == \
        opportunity_describe()
    manifest = json.loads((snapshot / "manifest.json").read_text("utf-8"))
    assert (manifest["source"], manifest["api_version"], manifest["instance_url"]) == (
        "salesforce", "62.0", fake.base_url)
    assert manifest["counts"] == {"describes": 5, "listed_members": 36, "metadata_files": 27}
    # listMetadata cannot list standard value sets, so cfglint names the usual ones; the org
    # has only OpportunityStage and says so for the rest.
    assert summary.skipped[0] == ("metadata/package.xml", "Entity of type 'StandardValueSet' "
                                  "named 'AccountRating' cannot be found")
    assert len(summary.skipped) == 11


def test_http_calls_per_pull_are_pinned(fake: SalesforceFake, tmp_path: Path) -> None:
    summary = pull(fake, tmp_path / "acme")
    assert fake.routes() == ACME_ROUTES
    manifest = json.loads((tmp_path / "acme" / "manifest.json").read_text("utf-8"))
    assert (summary.calls, summary.retries, manifest["calls"]) == (17, 0, 17)


def bigger_org(tmp_path: Path, objects: int, fields: int) -> FakeOrg:
    """acme plus ``objects`` custom objects of ``fields`` text fields each."""
    root = tmp_path / "org"
    shutil.copytree(FIXTURES / "acme-mdapi", root)
    field_xml = "".join(
        f"<fields><fullName>Field_{number}__c</fullName><label>Field {number}</label>"
        "<type>Text</type><length>80</length></fields>" for number in range(fields))
    for number in range(objects):
        (root / "objects" / f"Extra_{number:02d}__c.object").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/'
            f'2006/04/metadata">{field_xml}<label>Extra {number}</label></CustomObject>\n',
            encoding="utf-8")
    return org_from_mdapi(root, opportunity_describe())


@pytest.mark.parametrize(("objects", "fields", "calls", "usage_calls"), [
    (0, 0, 17, 10),
    (20, 10, 37, 30),  # one describe and one aggregate query more per object
    (20, 200, 37, 50),  # 200 fields need two aggregate queries of at most 150 COUNT()s
])
def test_calls_scale_with_objects_not_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             objects: int, fields: int, calls: int,
                                             usage_calls: int) -> None:
    org = bigger_org(tmp_path, objects, fields)
    counts = []
    for with_usage in (False, True):
        server = SalesforceFake(org, TOKEN)
        with server.serve():
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_bundle))
            monkeypatch.setenv("SF_ACCESS_TOKEN", TOKEN)
            counts.append(pull(server, tmp_path / "snapshot", with_usage=with_usage).calls)
    assert counts == [calls, calls + usage_calls]


# -- usage -----------------------------------------------------------------------------------------


def test_usage_is_aggregate_figures_only(acme: FakeOrg, fake: SalesforceFake,
                                         tmp_path: Path) -> None:
    acme.records["Opportunity"] = 1200
    acme.filled.update({"Opportunity.Amount": 900, "Opportunity.Products__c": 300,
                        "Opportunity.AccountId": 1200})
    acme.groups["Opportunity.Loss_Reason__c"] = [("Price", 60), ("TBD", 30), ("n/a", 10)]
    acme.groups["Opportunity.Name"] = [("Renewal", 4), ("tbd ", 2), ("Acme - Q3", 1)] + [
        (f"Deal {number}", 1) for number in range(5)]
    acme.groups["Opportunity.StageName"] = [("Prospecting", 500), ("Closed Won", 700)]
    acme.open_stages["Opportunity"] = [("Prospecting", 40), ("Proposal/Price Quote", 12)]
    fake.page_size = 3  # the GROUP BY answers come in pages: query_all follows them
    summary = pull(fake, tmp_path / "acme", with_usage=True)
    usage = json.loads((tmp_path / "acme" / "usage.json").read_text("utf-8"))
    assert (usage["version"], usage["source"], usage["pulled_at"]) == (1, "salesforce", PULLED_AT)
    assert usage["objects"] == {"Account": {"records": 1000}, "Competitor__c": {"records": 1000},
                                "Contact": {"records": 1000}, "Lead": {"records": 1000},
                                "Opportunity": {"records": 1200}}
    opportunity = {key: value for key, value in usage["fields"].items()
                   if key.startswith("Opportunity.")}
    assert opportunity == {
        "Opportunity.AccountId": {"fill_rate": 1.0},
        "Opportunity.Amount": {"fill_rate": 0.75},
        "Opportunity.ForecastCategoryName": {"fill_rate": 0.5},
        "Opportunity.Legacy_Id__c": {"fill_rate": 0.5},
        # required on the layout: the placeholder share and the top value of a picklist
        "Opportunity.Loss_Reason__c": {"fill_rate": 0.5, "placeholder_share": 0.4,
                                       "top_value": "Price", "top_value_share": 0.6},
        "Opportunity.Margin_Pct__c": {"fill_rate": 0.5},
        # required by the API, short text: shares only, never a value someone typed
        "Opportunity.Name": {"placeholder_share": 0.1667, "top_value_share": 0.3333},
        # a multi-select picklist cannot be aggregated: COUNT() WHERE Products__c != null
        "Opportunity.Products__c": {"fill_rate": 0.25},
        "Opportunity.StageName": {"placeholder_share": 0.0, "top_value": "Closed Won",
                                  "top_value_share": 0.5833},
    }
    assert usage["stages"] == {"Opportunity.StageName=Proposal/Price Quote": {"open_records": 12},
                               "Opportunity.StageName=Prospecting": {"open_records": 40}}
    assert ("usage:Opportunity.Notes_Long__c", "not filterable (long or rich text): only "
            "reading records could measure it") in summary.skipped
    assert "Renewal" not in (tmp_path / "acme" / "usage.json").read_text("utf-8")
    assert fake.routes().count("queryMore") == 2  # Name: 8 groups come in 3 pages


def test_the_usage_file_is_one_lint_reads(fake: SalesforceFake, tmp_path: Path) -> None:
    from cfglint.readers.usage import load_usage

    pull(fake, tmp_path / "acme", with_usage=True)
    usage = load_usage(tmp_path / "acme" / "usage.json")
    amount = usage.field_usage("Opportunity.Amount")
    assert amount is not None and amount.fill_rate == 0.5


# -- reliability ---------------------------------------------------------------------------------


def test_429_with_retry_after_and_500_then_success_are_retried(
        fake: SalesforceFake, tmp_path: Path) -> None:
    fake.fail("describe:Opportunity", Fault(status=429, retry_after="7"), Fault(status=500))
    fake.fail("soap:listMetadata", Fault(status=503))
    sleeps: list[float] = []
    summary = pull(fake, tmp_path / "acme", sleeps)
    assert (summary.calls, summary.retries) == (17 + 3, 3)
    assert fake.routes().count("describe:Opportunity") == 3
    assert fake.routes().count("soap:listMetadata") == 6 + 1
    # the 503, the retrieve poll (1 s), the Retry-After of the 429, then the 500's backoff
    assert sleeps[1:3] == [1.0, 7.0]
    assert len(sleeps) == 4
    assert findings(tmp_path / "acme")[1].startswith("metadata/flows/")


def test_request_limit_exceeded_is_retried_then_reported(fake: SalesforceFake,
                                                         tmp_path: Path) -> None:
    limit = corpus_path("api-examples", "salesforce", "error_request_limit.json").read_bytes()
    fake.fail("describeGlobal", *[Fault(status=403, body=limit)] * 5)
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "acme")
    assert fake.routes().count("describeGlobal") == 5
    assert raised.value.message == ("Salesforce's API request limit is used up (403 "
                                    "REQUEST_LIMIT_EXCEEDED, 16 requests made)")
    assert not (tmp_path / "acme").exists()


def test_a_connection_cut_mid_pull_leaves_the_old_snapshot_byte_identical(
        fake: SalesforceFake, tmp_path: Path) -> None:
    snapshot = tmp_path / "acme"
    pull(fake, snapshot)
    before = tree_bytes(tmp_path)
    fake.fail("describe:Lead", Fault(cut=True))
    with pytest.raises(PullError) as raised:
        pull(fake, snapshot)
    assert raised.value.message.startswith(
        f"the connection to {fake.base_url.removeprefix('https://')} failed (")
    assert "previous snapshot is unchanged" in raised.value.message
    assert tree_bytes(tmp_path) == before  # no temporary directory left behind either


def test_a_rejected_token_is_one_line_naming_the_variable(
        fake: SalesforceFake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SF_ACCESS_TOKEN", "00DRO0000000001!expired")
    result = CliRunner().invoke(cli, ["pull", "salesforce",
        "-o", str(tmp_path / "acme"), "--instance-url", fake.base_url])
    assert result.exit_code == 2
    assert result.stderr == (
        "cfglint: error: Salesforce rejected the access token (401 INVALID_SESSION_ID): check "
        "SF_ACCESS_TOKEN and --instance-url\n")
    assert fake.routes() == ["limits"]
    assert not (tmp_path / "acme").exists()


def test_a_rejected_session_on_the_metadata_api_is_not_retried(
        fake: SalesforceFake, tmp_path: Path) -> None:
    body = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>"
            b"<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader"
            b"</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>")
    fake.fail("soap:listMetadata", Fault(status=500, body=body))
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "acme")
    assert raised.value.message.startswith("Salesforce rejected the access token (401")
    assert fake.routes() == ["limits", "soap:listMetadata"]


def test_the_token_is_in_no_byte_written(fake: SalesforceFake, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # zeep logs whole SOAP envelopes, session id included
    fake.retrieve_polls = 0  # the command waits for real
    fake.fail("describe:Lead", Fault(status=500, retry_after="0"))
    result = CliRunner().invoke(cli, ["pull", "salesforce",
        "-o", str(tmp_path / "acme"), "--instance-url", fake.base_url, "--with-usage"])
    assert result.exit_code == 0, result.output
    failed = CliRunner().invoke(cli, ["pull", "salesforce",
        "-o", str(tmp_path / "other"), "--instance-url", "https://127.0.0.1:1"])
    assert failed.exit_code == 2
    assert any(record.name == "zeep.transports" for record in caplog.records)
    written = [path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()]
    assert len(written) > 30
    secret = TOKEN.encode()
    assert not any(secret in content for content in written)
    for text in (result.stdout, result.stderr, failed.stdout, failed.stderr, caplog.text):
        assert TOKEN not in text


def test_an_existing_directory_that_is_no_snapshot_is_kept(fake: SalesforceFake,
                                                           tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pull", "salesforce",
        "-o", str(tmp_path / "work"), "--instance-url", fake.base_url])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cfglint: error: {tmp_path / 'work'}: exists and is not a "
                                    "cfglint snapshot\n")
    assert fake.routes() == []
    (tmp_path / "file").write_text("mine\n", encoding="utf-8")
    forced = CliRunner().invoke(cli, ["pull", "salesforce", "-o", str(tmp_path / "file"),
                                      "--instance-url", fake.base_url, "--force"])
    assert forced.exit_code == 2
    assert forced.stderr.endswith(f"Directory '{tmp_path / 'file'}' is a file.\n")


def test_ssl_cert_file_is_honoured(fake: SalesforceFake, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "untrusted")
    assert "(SSLError)" in raised.value.message
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "untrusted")
    assert raised.value.message == f"SSL_CERT_FILE names {tmp_path / 'missing.pem'}, no such file"
    monkeypatch.setenv("SSL_CERT_FILE", str(fake.ca_bundle))
    assert pull(fake, tmp_path / "acme").calls == 17


# -- other ways to log in ------------------------------------------------------------------------


def test_client_credentials_login(fake: SalesforceFake, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SF_ACCESS_TOKEN")
    monkeypatch.setenv("SF_CLIENT_SECRET", fake.client_secret)
    auth = AuthOptions(instance_url=fake.base_url, client_id="3MVG9fake",
                       client_secret_env="SF_CLIENT_SECRET")
    summary = pull(fake, tmp_path / "acme", auth=auth)
    assert fake.routes()[:2] == ["token", "limits"]
    assert summary.calls == 18
    monkeypatch.setenv("SF_CLIENT_SECRET", "wrong")
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "other", auth=auth)
    assert raised.value.message == ("Salesforce refused the client credentials login (HTTP 400)"
                                    ": invalid_grant (authentication failure)")


def test_jwt_bearer_login(fake: SalesforceFake, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SF_ACCESS_TOKEN")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "server.key"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    fake.jwt_public_key = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    auth = AuthOptions(client_id="3MVG9fake", username="integration@acme.example",
                       jwt_key_file=key_file, login_url=fake.base_url)
    pull(fake, tmp_path / "acme", auth=auth)
    assert fake.routes()[:2] == ["token", "limits"]
    with pytest.raises(PullError) as raised:
        pull(fake, tmp_path / "other", auth=AuthOptions(client_id="3MVG9fake",
                                                        username="integration@acme.example"))
    assert raised.value.message == "JWT bearer login needs --jwt-key-file"


def test_target_org_takes_the_sf_cli_login(fake: SalesforceFake, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           caplog: pytest.LogCaptureFixture) -> None:
    import subprocess

    caplog.set_level(logging.DEBUG)  # the token, learnt mid-pull, is redacted from logs too
    monkeypatch.delenv("SF_ACCESS_TOKEN")
    display = json.dumps({"status": 0, "result": {"accessToken": TOKEN,
                                                  "instanceUrl": fake.base_url}})
    calls: list[list[str]] = []

    def sf(arguments: list[str]) -> subprocess.CompletedProcess[str]:
        calls.append(arguments)
        return subprocess.CompletedProcess(["sf", *arguments], 0, display, "")

    pull_salesforce(PullOptions(destination=tmp_path / "acme",
                                auth=AuthOptions(target_org="acme-prod"),
                                retry=RetryPolicy(sleep=lambda seconds: None)), run_sf=sf)
    assert calls == [["org", "display", "--json", "--target-org", "acme-prod"]]
    assert fake.routes()[0] == "limits"
    assert "sessionId>***REDACTED***<" in caplog.text
    assert TOKEN not in caplog.text

    def logged_out(arguments: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(["sf", *arguments], 1, TOKEN, TOKEN)

    with pytest.raises(PullError) as raised:
        pull_salesforce(PullOptions(destination=tmp_path / "other",
                                    auth=AuthOptions(target_org="acme-prod")),
                        run_sf=logged_out)
    assert raised.value.message == ("the Salesforce CLI has no usable login for --target-org "
                                    "acme-prod (sf exited with 1)")


# -- the retrieve zip ----------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../outside.object", "/etc/passwd", "objects/../../x",
                                  "C:/windows/x", "objects\\..\\..\\x"])
def test_zip_entries_that_would_leave_the_snapshot_stop_the_pull(name: str) -> None:
    with pytest.raises(PullError) as raised:
        unzip(zip_of({"package.xml": b"<Package/>", name: b"x"}))
    assert raised.value.message == f"the retrieve zip holds an unsafe path: {name!r}"


def test_zip_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    assert unzip(zip_of({"objects/A.object": b"<a/>", "./objects/B.object": b"<b/>"})) == {
        "objects/A.object": b"<a/>", "objects/B.object": b"<b/>"}
    monkeypatch.setattr(salesforce_pull, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PullError) as raised:
        unzip(zip_of({"objects/Big.object": b"x" * 1001}))
    assert raised.value.message == "objects/Big.object: more than 1000 bytes unzipped"
    monkeypatch.setattr(salesforce_pull, "MAX_ZIP_FILES", 2)
    with pytest.raises(PullError):
        unzip(zip_of({"a": b"", "b": b"", "c": b""}))
    with pytest.raises(PullError) as raised:
        unzip(b"not a zip")
    assert raised.value.message == "the Metadata API returned a damaged zip"


@pytest.mark.parametrize("url", ["http://acme.my.salesforce.com", "acme.my.salesforce.com",
                                 "https://acme.my.salesforce.com:notaport"])
def test_the_instance_url_must_be_https(url: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SF_ACCESS_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["pull", "salesforce", "-o", str(tmp_path / "acme"),
                                      "--instance-url", url])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"cfglint: error: --instance-url must be an https:// URL, got {url!r}")
