"""The shared pull layer: the atomic snapshot writer, redaction and the retry policy."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cfglint.pull.retry import RetryPolicy
from cfglint.pull.snapshot import REDACTED, SnapshotWriter, is_snapshot, redact

SECRET = "pat-na1-0f0f0f0f-aaaa-4bbb-8ccc-dddddddddddd"


def tree_bytes(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def write_sample(destination: Path, pulled_at: str = "2026-01-02T03:04:05Z") -> None:
    with SnapshotWriter(destination, source="hubspot", secrets=[SECRET],
                        now=lambda: pulled_at) as writer:
        writer.write_json("properties/deals.json", {"results": [{"name": "amount", "b": 1}]})
        writer.write_bytes("metadata/package.xml", b"<Package/>\n")
        writer.note_call()
        writer.note_call()
        writer.count("properties", 1)
        writer.count("properties", 2)
        writer.skip("roles.json", "HTTP 403 MISSING_SCOPES")
        writer.skip("forms.json", "HTTP 403 MISSING_SCOPES")
        writer.set("api_base_url", "https://api.hubapi.com")


def test_a_snapshot_is_its_files_and_a_sorted_manifest(tmp_path: Path) -> None:
    write_sample(tmp_path / "snap")
    assert sorted(tree_bytes(tmp_path / "snap")) == [
        "manifest.json", "metadata/package.xml", "properties/deals.json"]
    assert (tmp_path / "snap" / "properties" / "deals.json").read_text("utf-8") == (
        '{\n  "results": [\n    {\n      "b": 1,\n      "name": "amount"\n    }\n  ]\n}\n')
    manifest = (tmp_path / "snap" / "manifest.json").read_text("utf-8")
    assert json.loads(manifest) == {
        "api_base_url": "https://api.hubapi.com", "calls": 2, "cfglint_version": "0.1.0",
        "counts": {"properties": 3}, "format": "cfglint-snapshot",
        "pulled_at": "2026-01-02T03:04:05Z",
        "skipped": [{"what": "forms.json", "why": "HTTP 403 MISSING_SCOPES"},
                    {"what": "roles.json", "why": "HTTP 403 MISSING_SCOPES"}],
        "source": "hubspot", "version": 1}
    assert list(json.loads(manifest)) == sorted(json.loads(manifest))
    assert is_snapshot(tmp_path / "snap")
    assert [path.name for path in tmp_path.iterdir()] == ["snap"]  # no temporary left


def test_the_manifest_differs_only_in_pulled_at(tmp_path: Path) -> None:
    write_sample(tmp_path / "one", "2026-01-01T00:00:00Z")
    write_sample(tmp_path / "two", "2027-06-30T23:59:59Z")
    one = (tmp_path / "one" / "manifest.json").read_text("utf-8")
    two = (tmp_path / "two" / "manifest.json").read_text("utf-8")
    assert one != two
    assert one.replace("2026-01-01T00:00:00Z", "2027-06-30T23:59:59Z") == two
    assert tree_bytes(tmp_path / "one")["properties/deals.json"] == \
        tree_bytes(tmp_path / "two")["properties/deals.json"]


def test_a_successful_pull_replaces_the_previous_snapshot(tmp_path: Path) -> None:
    write_sample(tmp_path / "snap")
    (tmp_path / "snap" / "stale.json").write_text("{}\n", encoding="utf-8")
    with SnapshotWriter(tmp_path / "snap", source="hubspot", now=lambda: "x") as writer:
        writer.write_json("owners.json", {"results": []})
    assert sorted(tree_bytes(tmp_path / "snap")) == ["manifest.json", "owners.json"]
    assert [path.name for path in tmp_path.iterdir()] == ["snap"]


def test_a_failed_pull_leaves_the_previous_snapshot_byte_identical(tmp_path: Path) -> None:
    write_sample(tmp_path / "snap")
    before = tree_bytes(tmp_path)
    with pytest.raises(ConnectionError), \
            SnapshotWriter(tmp_path / "snap", source="hubspot") as writer:
        writer.write_json("properties/deals.json", {"results": []})
        raise ConnectionError("cut")
    assert tree_bytes(tmp_path) == before  # and no temporary directory left beside it
    assert [path.name for path in tmp_path.iterdir()] == ["snap"]


def test_a_failed_first_pull_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), SnapshotWriter(tmp_path / "new", source="hubspot"):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_every_byte_written_is_redacted(tmp_path: Path) -> None:
    with SnapshotWriter(tmp_path / "snap", source="hubspot", secrets=[SECRET, ""]) as writer:
        writer.write_json("a.json", {"echo": f"Bearer {SECRET}", SECRET: 1})
        writer.write_bytes("b.txt", f"token={SECRET}&x=1".encode())
        writer.skip(f"flows?token={SECRET}", f"HTTP 500 {SECRET}")
        writer.set("api_base_url", f"https://h/?t={SECRET}")
    for path in (tmp_path / "snap").rglob("*"):
        assert SECRET.encode() not in path.read_bytes()
    assert (tmp_path / "snap" / "b.txt").read_bytes() == f"token={REDACTED}&x=1".encode()
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text("utf-8"))
    assert manifest["skipped"] == [{"what": f"flows?token={REDACTED}",
                                    "why": f"HTTP 500 {REDACTED}"}]
    assert manifest["api_base_url"] == f"https://h/?t={REDACTED}"


def test_redact_replaces_longer_secrets_first_and_ignores_empty_ones() -> None:
    assert redact("a abcdef b abc", ["abc", "abcdef", ""]) == f"a {REDACTED} b {REDACTED}"
    assert redact("nothing here", []) == "nothing here"


@pytest.mark.parametrize("name", ["../escape.json", "/etc/passwd", "a/../../b.json",
                                  "manifest.json", "", "C:/x.json"])
def test_file_names_that_could_leave_the_snapshot_are_refused(tmp_path: Path,
                                                             name: str) -> None:
    with pytest.raises(ValueError, match="not a snapshot file name"), \
            SnapshotWriter(tmp_path / "snap", source="hubspot") as writer:
        writer.write_json(name, {})
    assert list(tmp_path.iterdir()) == []


def test_the_writers_own_manifest_keys_cannot_be_overridden(tmp_path: Path) -> None:
    writer = SnapshotWriter(tmp_path / "snap", source="hubspot")
    with pytest.raises(ValueError, match="'calls' is filled by the snapshot writer"):
        writer.set("calls", 0)
    with pytest.raises(RuntimeError, match="outside its `with` block"):
        writer.write_json("a.json", {})


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "snap").write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError), SnapshotWriter(tmp_path / "snap", source="hubspot"):
        pass
    assert (tmp_path / "snap").read_text("utf-8") == "mine\n"


# -- retry policy -------------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_maximum_without_jitter() -> None:
    policy = RetryPolicy(jitter=False)
    assert [policy.delay_for(attempt) for attempt in range(1, 9)] == [
        0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_jitter_stays_between_half_the_backoff_and_the_backoff() -> None:
    assert RetryPolicy(random=lambda: 0.0).delay_for(4) == 2.0
    assert RetryPolicy(random=lambda: 1.0).delay_for(4) == 4.0
    assert RetryPolicy(random=lambda: 0.5).delay_for(4) == 3.0
    delays = [RetryPolicy().delay_for(3) for _ in range(200)]
    assert all(1.0 <= delay <= 2.0 for delay in delays)
    assert len(set(delays)) > 1


def test_retry_after_in_seconds_wins_over_the_backoff() -> None:
    policy = RetryPolicy(jitter=False)
    assert policy.delay_for(1, "7") == 7.0
    assert policy.delay_for(3, " 0 ") == 0.0
    assert policy.delay_for(1, "2.5") == 2.5
    assert policy.delay_for(1, "100000") == 300.0  # capped: max_retry_after


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
    policy = RetryPolicy(jitter=False, now=lambda: now)
    assert policy.delay_for(1, "Thu, 01 Jan 2026 00:00:12 GMT") == 12.0
    assert policy.delay_for(1, "Wed, 31 Dec 2025 23:59:00 GMT") == 0.0  # already past


@pytest.mark.parametrize("header", [None, "", "soon", "nan", "inf", "-3", "1e9"])
def test_an_unreadable_retry_after_falls_back_to_the_backoff(header: str | None) -> None:
    assert RetryPolicy(jitter=False).delay_for(2, header) == 1.0


def test_only_rate_limits_and_server_errors_are_retried_and_not_forever() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert [policy.should_retry(1, status) for status in (429, 500, 502, 503, 504)] == [True] * 5
    assert [policy.should_retry(1, status) for status in (400, 401, 403, 404, 501)] == \
        [False] * 5
    assert (policy.should_retry(2, 429), policy.should_retry(3, 429)) == (True, False)
