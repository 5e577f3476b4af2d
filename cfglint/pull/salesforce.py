"""``cfglint pull salesforce``: snapshot a live org's configuration in Metadata API format.

The snapshot (docs/pull.md) is what a retrieve gives plus what only the REST API knows::

    manifest.json            what was pulled, when, API version, counts, calls, skipped
    metadata/                the unzipped Metadata API retrieve: package.xml, objects/, ...
    describe/<Object>.json   raw sObject describe of each retrieved object (standard fields)
    usage.json               with --with-usage: aggregate figures (salesforce_usage.py)

so that ``cfglint lint SNAPSHOT`` reads it with the same reader as a project on disk, and merges
the describes (:mod:`cfglint.readers.salesforce_describe`).

Calls, in order: ``limits`` (fails fast on a bad token), ``listMetadata`` for the analysed types
(three per call), ``retrieve``, ``checkRetrieveStatus`` until done, the zip, ``describeGlobal``,
one describe per object, then the usage queries. simple-salesforce makes them; every request
goes through one session (:mod:`cfglint.pull.salesforce_http`). The Metadata API runs on a
:class:`Salesforce` object of its own, because ``mdapi.retrieve`` leaves ``Content-Type:
text/xml`` in its client's shared headers (api-pull.md §3.4), and its zeep client gets our
session, since zeep would otherwise open one without retries, timeouts or the CA bundle.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import posixpath
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import (
    SalesforceError,
    SalesforceExpiredSession,
    SalesforceRefusedRequest,
)
from zeep.exceptions import Error as ZeepError

from cfglint.pull import PullError, PullSummary, salesforce_usage
from cfglint.pull.retry import RetryPolicy
from cfglint.pull.salesforce_auth import (
    AuthOptions,
    Credentials,
    Runner,
    authenticate,
    secrets_of,
)
from cfglint.pull.salesforce_http import CallLog, pull_session, redacted_logs
from cfglint.pull.snapshot import SnapshotWriter, redact
from cfglint.readers.salesforce_xml import HANDLERS
from cfglint.readers.salesforce_xml.objects import EMBEDDED_TYPES
from cfglint.readers.xml import XmlError, local_name, parse_xml_bytes

DEFAULT_API_VERSION = "62.0"
#: ``listMetadata`` takes at most three queries per call.
QUERIES_PER_LIST_CALL = 3
#: Salesforce retrieves at most 10,000 components at once.
MEMBERS_PER_RETRIEVE = 10_000
#: Waiting for a retrieve: first pause, longest pause, and when to give up (seconds).
POLL_FIRST_DELAY = 1.0
POLL_MAX_DELAY = 30.0
POLL_TIMEOUT = 900.0
#: Limits on what a retrieve zip may unpack to (Salesforce's own: 10,000 files, ~39 MB zipped).
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ZIP_FILES = 20_000
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024

#: Types retrieved by name rather than listed: ``listMetadata`` does not return standard
#: value sets, so the ones of the CRM objects cfglint analyses are asked for by name.
STANDARD_VALUE_SETS = (
    "AccountRating", "AccountType", "CaseOrigin", "CasePriority", "CaseReason", "CaseStatus",
    "CaseType", "Industry", "LeadSource", "LeadStatus", "OpportunityStage", "OpportunityType",
)
_NAMESPACES = {"mt": "http://soap.sforce.com/2006/04/metadata"}
#: Reports are listed per folder; reports outside any folder live in this one.
UNFILED_REPORTS = "unfiled$public"


def listed_types() -> list[str]:
    """The analysed types (those with a reader) a retrieve names by listing their members.

    Object children come inside their ``CustomObject``; reports are listed folder by folder and
    standard value sets by name.
    """
    by_other_means = {*EMBEDDED_TYPES.values(), "Report", "StandardValueSet"}
    return sorted(name for name in HANDLERS if name not in by_other_means)


@dataclass(frozen=True)
class PullOptions:
    destination: Path
    auth: AuthOptions = field(default_factory=AuthOptions)
    api_version: str = DEFAULT_API_VERSION
    with_usage: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll_timeout: float = POLL_TIMEOUT
    #: Called with a short status line as the pull goes on (the command shows it on a terminal).
    progress: Callable[[str], None] | None = None
    #: The ``pulled_at`` of usage.json; tests pin it.
    now: Callable[[], str] | None = None


def pull_salesforce(options: PullOptions, environ: Mapping[str, str] | None = None,
                    run_sf: Runner | None = None) -> PullSummary:
    """Pull a snapshot into ``options.destination``; the previous one stays if anything fails."""
    environ = os.environ if environ is None else environ
    calls = CallLog()
    session = pull_session(options.retry, calls, environ)
    secrets = secrets_of(options.auth, environ)
    with redacted_logs(secrets), _translated_errors(secrets, calls) as state:
        credentials = authenticate(options.auth, session, environ, run_sf)
        state.credentials = credentials
        secrets.append(credentials.access_token)
        with SnapshotWriter(options.destination, source="salesforce",
                            secrets=list(secrets)) as writer:
            for _ in range(calls.count):  # the login calls, made before the writer existed
                writer.note_call()
            calls.listeners.append(writer.note_call)
            pull = SalesforcePull(credentials, session, writer, options)
            pull.run()
        return PullSummary(options.destination, pull.counts, calls.count, calls.retries,
                           pull.skipped)


class SalesforcePull:
    """The steps of one pull, writing into an open :class:`SnapshotWriter`."""

    def __init__(self, credentials: Credentials, session: requests.Session,
                 writer: SnapshotWriter, options: PullOptions) -> None:
        self.writer = writer
        self.options = options
        self.rest = _client(credentials, session, options.api_version)
        self.metadata_client = _client(credentials, session, options.api_version)
        # zeep (listMetadata) would otherwise use a session of its own: api-pull.md §2.
        self.metadata_client.mdapi._client.transport.session = session
        self.counts: dict[str, int] = {}
        self.skipped: list[tuple[str, str]] = []
        writer.set("api_version", options.api_version)
        writer.set("instance_url", credentials.instance_url)

    def run(self) -> None:
        self._say("checking the login")
        self.rest.limits()
        members = self.list_members()
        files = self.retrieve(members)
        self.write_metadata(files)
        describes = self.describe(members.get("CustomObject", []))
        if self.options.with_usage:
            self.usage(describes, required_on_layouts(files))

    # -- Metadata API --------------------------------------------------------------------------

    def list_members(self) -> dict[str, list[str]]:
        """Metadata API members to retrieve, by type."""
        self._say("listing metadata")
        # Report folders are listed with the ReportFolder type (no Report query is in this
        # round, so a folder typed Report is one too); their reports are listed per folder.
        members = self._list([(name, None) for name in [*listed_types(), "ReportFolder"]])
        folders = sorted({*members.pop("ReportFolder", []), *members.pop("Report", [])})
        reports = self._list([("Report", folder) for folder in [*folders, UNFILED_REPORTS]])
        members["Report"] = sorted({*folders, *reports.get("Report", [])})
        members["StandardValueSet"] = list(STANDARD_VALUE_SETS)
        members = {name: sorted(set(names)) for name, names in members.items() if names}
        self._count("listed_members", sum(len(names) for names in members.values()))
        return members

    def _list(self, queries: list[tuple[str, str | None]]) -> dict[str, list[str]]:
        mdapi = self.metadata_client.mdapi
        found: dict[str, list[str]] = {}
        for start in range(0, len(queries), QUERIES_PER_LIST_CALL):
            batch = [mdapi.ListMetadataQuery(type=name, folder=folder)
                     for name, folder in queries[start:start + QUERIES_PER_LIST_CALL]]
            for item in mdapi.list_metadata(batch) or []:
                if item is not None and item.fullName and item.type:
                    found.setdefault(str(item.type), []).append(str(item.fullName))
        return found

    def retrieve(self, members: dict[str, list[str]]) -> dict[str, bytes]:
        """The retrieved files by zip path, one retrieve per 10,000 members."""
        files: dict[str, bytes] = {}
        pairs = [(name, member) for name in sorted(members) for member in members[name]]
        for start in range(0, len(pairs), MEMBERS_PER_RETRIEVE):
            batch: dict[str, list[str]] = {}
            for name, member in pairs[start:start + MEMBERS_PER_RETRIEVE]:
                batch.setdefault(name, []).append(escape(member))  # the client does not escape
            files.update(self._retrieve_batch(batch))
        if len(pairs) > MEMBERS_PER_RETRIEVE:
            files["package.xml"] = package_xml(members, self.options.api_version)
        return files

    def _retrieve_batch(self, batch: dict[str, list[str]]) -> dict[str, bytes]:
        mdapi = self.metadata_client.mdapi
        self._say(f"retrieving {sum(len(names) for names in batch.values())} components")
        async_id, _ = mdapi.retrieve("cfglint", unpackaged=batch, single_package=True)
        if not async_id:
            raise PullError("the Metadata API accepted no retrieve request (no id returned)")
        self._wait_for(async_id)
        # Not mdapi.retrieve_zip: it looks for the warnings under details/messages, where a
        # retrieve result never has them, and fails on a result without a zip.
        result = mdapi.retrieve_retrieve_result(async_id, "true")
        status = result.findtext("mt:status", None, _NAMESPACES)
        if status != "Succeeded":
            error = result.findtext("mt:errorMessage", None, _NAMESPACES)
            raise PullError(f"the Metadata API retrieve ended {status}: {error or 'no reason'}")
        for message in result.iterfind("mt:messages", _NAMESPACES):
            self._skip(f"metadata/{message.findtext('mt:fileName', '', _NAMESPACES)}",
                       message.findtext("mt:problem", "not retrieved", _NAMESPACES))
        encoded = result.findtext("mt:zipFile", "", _NAMESPACES)
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise PullError("the Metadata API returned a zip that is not base64") from None
        return unzip(data)

    def _wait_for(self, async_id: str) -> None:
        delay, waited = POLL_FIRST_DELAY, 0.0
        while True:
            status, error, _ = self.metadata_client.mdapi.check_retrieve_status(async_id)
            if status == "Succeeded":
                return
            if status in ("Failed", "Canceled"):
                raise PullError(f"the Metadata API retrieve failed: {error or status}")
            if waited >= self.options.poll_timeout:
                raise PullError(f"the Metadata API retrieve was still {status} after "
                                f"{waited:.0f} s", "try again later")
            self.options.retry.sleep(delay)
            waited += delay
            delay = min(delay * 2, POLL_MAX_DELAY)

    def write_metadata(self, files: dict[str, bytes]) -> None:
        for name in sorted(files):
            self.writer.write_bytes(f"metadata/{name}", files[name])
        self._count("metadata_files", len(files))

    # -- REST ----------------------------------------------------------------------------------

    def describe(self, objects: list[str]) -> dict[str, dict[str, Any]]:
        """The describe of every retrieved object the REST API knows, written and returned."""
        self._say("describing objects")
        answer = self.rest.describe() or {}
        known = {str(entry.get("name")) for entry in answer.get("sobjects", [])}
        describes: dict[str, dict[str, Any]] = {}
        for name in sorted(objects):
            if name not in known:
                self._skip(f"describe/{name}.json", "not in describeGlobal")
                continue
            body = dict(getattr(self.rest, name).describe())
            self.writer.write_json(f"describe/{name}.json", body)
            describes[name] = body
        self._count("describes", len(describes))
        return describes

    def usage(self, describes: dict[str, dict[str, Any]], required: set[str]) -> None:
        result = salesforce_usage.measure(self.rest, describes, required,
                                          lambda name: self._say(f"measuring usage of {name}"))
        now = self.options.now or _utc_now
        self.writer.write_json("usage.json", result.as_document(now()))
        for field_id, why in result.unmeasured:
            self._skip(f"usage:{field_id}", why)
        self._count("usage_fields", len(result.fields))

    # -- bookkeeping ---------------------------------------------------------------------------

    def _count(self, kind: str, number: int) -> None:
        self.counts[kind] = number
        self.writer.count(kind, number)

    def _skip(self, what: str, why: str) -> None:
        self.skipped.append((what, why))
        self.writer.skip(what, why)

    def _say(self, message: str) -> None:
        if self.options.progress is not None:
            self.options.progress(message)


def _client(credentials: Credentials, session: requests.Session, version: str) -> Salesforce:
    return Salesforce(instance_url=credentials.instance_url,
                      session_id=credentials.access_token, version=version, session=session)


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def package_xml(members: dict[str, list[str]], api_version: str) -> bytes:
    """A ``package.xml`` naming ``members``, for a pull split into several retrieves."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<Package xmlns="http://soap.sforce.com/2006/04/metadata">']
    for name in sorted(members):
        lines.append("    <types>")
        lines.extend(f"        <members>{escape(member)}</members>" for member in members[name])
        lines.append(f"        <name>{name}</name>")
        lines.append("    </types>")
    lines.extend([f"    <version>{api_version}</version>", "</Package>", ""])
    return "\n".join(lines).encode("utf-8")


# -- the retrieve zip ----------------------------------------------------------------------------


def unzip(data: bytes) -> dict[str, bytes]:
    """The files of a retrieve zip by their (checked, relative) path.

    A name that would leave the snapshot (absolute, ``..``, a drive), too many files, or more
    bytes than the limits allow stop the pull: a zip like that is not a retrieve.
    """
    if len(data) > MAX_ZIP_BYTES:
        raise PullError(f"the retrieve zip is larger than {MAX_ZIP_BYTES} bytes")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PullError("the Metadata API returned a damaged zip") from None
    entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    if len(entries) > MAX_ZIP_FILES:
        raise PullError(f"the retrieve zip holds {len(entries)} files (at most {MAX_ZIP_FILES})")
    files: dict[str, bytes] = {}
    total = 0
    for entry in entries:
        name = safe_member_name(entry.filename)
        content = _read_entry(archive, entry)
        total += len(content)
        if total > MAX_UNZIPPED_BYTES:
            raise PullError(f"the retrieve zip unpacks to more than {MAX_UNZIPPED_BYTES} bytes")
        files[name] = content
    return files


def safe_member_name(name: str) -> str:
    """A zip member's path, normalized, or a :class:`PullError` if it could escape."""
    cleaned = name.replace("\\", "/")
    normalized = posixpath.normpath(cleaned)
    if (cleaned.startswith("/") or normalized.startswith("..") or normalized in (".", "")
            or ":" in normalized.split("/")[0] or "\x00" in cleaned):
        raise PullError(f"the retrieve zip holds an unsafe path: {name!r}")
    return normalized


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > MAX_FILE_BYTES:
        raise PullError(f"{entry.filename}: more than {MAX_FILE_BYTES} bytes unzipped")
    with archive.open(entry) as handle:
        content = handle.read(MAX_FILE_BYTES + 1)  # the header's size may lie
    if len(content) > MAX_FILE_BYTES:
        raise PullError(f"{entry.filename}: more than {MAX_FILE_BYTES} bytes unzipped")
    return content


def required_on_layouts(files: dict[str, bytes]) -> set[str]:
    """Ids of fields some retrieved layout marks Required (for the usage placeholder shares)."""
    required: set[str] = set()
    for name, content in files.items():
        if not (name.startswith("layouts/") and name.endswith(".layout")):
            continue
        object_name = posixpath.basename(name).split("-", 1)[0]
        try:
            root = parse_xml_bytes(content)
        except XmlError:
            continue  # the reader reports it when the snapshot is linted
        for item in root.iter("{*}layoutItems"):
            values = {local_name(child): (child.text or "").strip() for child in item}
            if values.get("behavior") == "Required" and values.get("field"):
                required.add(f"{object_name}.{values['field']}")
    return required


# -- errors ----------------------------------------------------------------------------------------


@dataclass
class _ErrorState:
    credentials: Credentials | None = None


@contextmanager
def _translated_errors(secrets: list[str], calls: CallLog) -> Iterator[_ErrorState]:
    """Turn client and network errors into one clear, redacted :class:`PullError`."""
    state = _ErrorState()
    try:
        yield state
    except PullError as error:
        raise PullError(redact(error.message, secrets),
                        redact(error.hint, secrets) if error.hint else None) from None
    except (SalesforceError, ZeepError, requests.RequestException) as error:
        translated = _translate(error, state.credentials, calls)
        raise PullError(redact(translated.message, secrets),
                        redact(translated.hint, secrets) if translated.hint else None) from None


def _translate(error: Exception, credentials: Credentials | None, calls: CallLog) -> PullError:
    text = str(getattr(error, "content", "")) + " " + str(getattr(error, "message", error))
    if isinstance(error, SalesforceExpiredSession) or "INVALID_SESSION_ID" in text:
        hint = credentials.fix_hint if credentials else "check the access token"
        return PullError("Salesforce rejected the access token (401 INVALID_SESSION_ID): "
                         f"{hint}")
    if "REQUEST_LIMIT_EXCEEDED" in text:
        return PullError(f"Salesforce's API request limit is used up (403 "
                         f"REQUEST_LIMIT_EXCEEDED, {calls.count} requests made)",
                         "the org's daily allocation refills over 24 hours; see "
                         "DailyApiRequests in Setup > System Overview")
    if isinstance(error, SalesforceRefusedRequest):
        return PullError(f"Salesforce refused {_path(error)} (403): {_error_code(error)}",
                         "the user needs API Enabled and View Setup and Configuration")
    if isinstance(error, SalesforceError):
        return PullError(f"Salesforce answered HTTP {error.status} for {_path(error)}: "
                         f"{_error_code(error)}")
    if isinstance(error, ZeepError):
        return PullError(f"the Metadata API failed: {error.message}")
    url = getattr(getattr(error, "request", None), "url", None) or (
        credentials.instance_url if credentials else "")
    host = urlsplit(url).netloc
    return PullError(f"the connection to {host or 'Salesforce'} failed "
                     f"({type(error).__name__}); nothing was written and any previous "
                     "snapshot is unchanged", "check the network and run the pull again")


def _path(error: SalesforceError) -> str:
    return urlsplit(str(error.url)).path or str(error.url)


def _error_code(error: SalesforceError) -> str:
    content = error.content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return f"{content[0].get('errorCode')}: {content[0].get('message')}"
    return str(content)[:200]
