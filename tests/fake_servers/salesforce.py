"""A loopback HTTPS Salesforce for the pull tests: REST, OAuth, the Metadata API and SOQL.

It serves an org built at test time (:func:`org_from_mdapi`) from a Metadata API project on disk
(``fixtures/acme-mdapi``, or a bigger copy a test writes): ``listMetadata`` lists its files,
``retrieve`` zips the requested ones, and every object gets a describe — the corpus's
``describe_Opportunity.json`` for Opportunity, one synthesized from the ``.object`` file for the
others. SOQL understands exactly the aggregate queries ``cfglint pull`` sends; anything else is a
400 MALFORMED_QUERY, so a changed query fails a test instead of passing unnoticed.

Faults are queued per route (``fake.fail("limits", Fault(status=429, retry_after="0"))``) and
played in order before the route answers normally. Every request is logged as (method, route).
"""

from __future__ import annotations

import base64
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

import jwt
from lxml import etree

from tests.fake_servers.tls import cut_connection, serve_https

API_VERSION = "62.0"
METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
RETRIEVE_ID = "09SRO000000FAKEAAA"

#: Folder of a Metadata API project -> (file suffix, type).
FOLDER_TYPES: dict[str, tuple[str, str]] = {
    "objects": (".object", "CustomObject"),
    "layouts": (".layout", "Layout"),
    "profiles": (".profile", "Profile"),
    "permissionsets": (".permissionset", "PermissionSet"),
    "permissionsetgroups": (".permissionsetgroup", "PermissionSetGroup"),
    "standardValueSets": (".standardValueSet", "StandardValueSet"),
    "globalValueSets": (".globalValueSet", "GlobalValueSet"),
    "workflows": (".workflow", "Workflow"),
    "flows": (".flow", "Flow"),
    "flexipages": (".flexipage", "FlexiPage"),
    "quickActions": (".quickAction", "QuickAction"),
    "duplicateRules": (".duplicateRule", "DuplicateRule"),
    "matchingRules": (".matchingRule", "MatchingRules"),
    "approvalProcesses": (".approvalProcess", "ApprovalProcess"),
    "triggers": (".trigger", "ApexTrigger"),
}

#: Metadata API field type -> describe type, and whether describe calls it aggregatable.
DESCRIBE_TYPES: dict[str, tuple[str, bool]] = {
    "Text": ("string", True), "Picklist": ("picklist", True),
    "MultiselectPicklist": ("multipicklist", False), "LongTextArea": ("textarea", False),
    "Html": ("textarea", False), "TextArea": ("textarea", False), "Number": ("double", True),
    "Currency": ("currency", True), "Percent": ("percent", True), "Date": ("date", True),
    "DateTime": ("datetime", True), "Checkbox": ("boolean", False),
    "Lookup": ("reference", True), "MasterDetail": ("reference", True),
    "Email": ("email", True), "Phone": ("phone", True), "Url": ("url", True),
}
NOT_FILTERABLE = frozenset({("LongTextArea"), "Html"})


@dataclass
class Fault:
    """One bad answer: a status (with ``Retry-After``), or ``cut`` — half a body, then a close."""

    status: int = 500
    retry_after: str | None = None
    cut: bool = False
    body: bytes = b'[{"message": "Internal error", "errorCode": "UNKNOWN_EXCEPTION"}]'


@dataclass
class FakeOrg:
    """What the fake serves: metadata files and the aggregate figures SOQL answers with."""

    #: (type, member) -> {zip path: bytes}
    components: dict[tuple[str, str], dict[str, bytes]]
    describes: dict[str, dict[str, Any]]
    records: dict[str, int] = field(default_factory=dict)
    #: Field id -> non-null values; fields not listed are half filled.
    filled: dict[str, int] = field(default_factory=dict)
    #: Field id -> (value, count) groups; fields not listed have one group, "TBD".
    groups: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: Object -> (stage value, open records).
    open_stages: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def members(self, type_name: str) -> list[str]:
        return sorted(member for kind, member in self.components if kind == type_name)

    def filled_count(self, object_name: str, field_name: str) -> int:
        return self.filled.get(f"{object_name}.{field_name}", self.records.get(object_name, 0) // 2)


class SalesforceFake:
    """The server's state; ``serve()`` starts it and yields it with ``base_url`` set."""

    def __init__(self, org: FakeOrg, token: str, *, retrieve_polls: int = 1,
                 page_size: int = 2000, client_secret: str = "fake-secret",
                 jwt_public_key: bytes | None = None) -> None:
        self.org = org
        self.token = token
        self.client_secret = client_secret
        #: When set, a JWT bearer assertion must be signed by the matching key, for this fake.
        self.jwt_public_key = jwt_public_key
        self.retrieve_polls = retrieve_polls
        self.page_size = page_size
        self.base_url = ""
        self.ca_bundle = Path()
        self.log: list[tuple[str, str]] = []
        self.faults: dict[str, list[Fault]] = {}
        self.pages: dict[str, list[dict[str, Any]]] = {}
        self.polls = 0
        self.requested: dict[str, list[str]] = {}
        self.lock = threading.Lock()

    def fail(self, route: str, *faults: Fault) -> None:
        self.faults.setdefault(route, []).extend(faults)

    def routes(self) -> list[str]:
        return [route for _, route in self.log]

    @contextmanager
    def serve(self) -> Iterator[SalesforceFake]:
        fake = self

        class Handler(SalesforceHandler):
            state = fake

        with serve_https(Handler) as server:
            self.base_url = server.base_url
            self.ca_bundle = server.ca_bundle
            yield self

    def next_fault(self, route: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(route)
            return queue.pop(0) if queue else None


class SalesforceHandler(BaseHTTPRequestHandler):
    state: SalesforceFake
    # Keep-alive, as Salesforce does: one TLS handshake per pull rather than one per request.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and delayed ACKs
    # hold each answer back ~40 ms on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet tests

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        route = _route(method, path, body)
        self.state.log.append((method, route))
        fault = self.state.next_fault(route)
        if fault is not None:
            self._fault(fault)
            return
        if route.startswith("soap:"):
            self._soap(route, body)
        elif route == "token":
            self._token(body)
        elif not self._authorized():
            self._json(401, _read_example("error_invalid_session.json"))
        else:
            self._rest(route, path)

    # -- plumbing --------------------------------------------------------------------------

    def _send(self, status: int, content_type: str, payload: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Sforce-Limit-Info", "api-usage=127/100000")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, "application/json;charset=UTF-8", json.dumps(data).encode())

    def _fault(self, fault: Fault) -> None:
        if fault.cut:
            cut_connection(self, b'{"name": "')
            return
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        self._send(fault.status, "application/json", fault.body, headers)

    def _authorized(self) -> bool:
        return self.headers.get("Authorization") == f"Bearer {self.state.token}"

    # -- OAuth --------------------------------------------------------------------------------

    def _token(self, body: bytes) -> None:
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        grant = form.get("grant_type")
        accepted = (
            grant == "client_credentials" and form.get("client_secret") == self.state.client_secret
        ) or (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer" and self._valid_assertion(
            form.get("assertion", "")))
        if not accepted:
            self._json(400, {"error": "invalid_grant", "error_description": "authentication "
                             "failure"})
            return
        answer = _read_example("oauth2_token.json")
        answer.update(access_token=self.state.token, instance_url=self.state.base_url)
        self._json(200, answer)

    def _valid_assertion(self, assertion: str) -> bool:
        if self.state.jwt_public_key is None:
            return False
        try:
            claims = jwt.decode(assertion, self.state.jwt_public_key, algorithms=["RS256"],
                                audience=self.state.base_url)
        except jwt.PyJWTError:
            return False
        return bool(claims.get("iss") and claims.get("sub"))

    # -- REST -----------------------------------------------------------------------------------

    def _rest(self, route: str, path: str) -> None:
        org = self.state.org
        if route == "limits":
            self._json(200, _read_example("limits.json"))
        elif route == "describeGlobal":
            self._json(200, _describe_global(sorted(org.describes)))
        elif route.startswith("describe:"):
            name = route.partition(":")[2]
            if name in org.describes:
                self._json(200, org.describes[name])
            else:
                self._json(404, [{"errorCode": "NOT_FOUND", "message": name}])
        elif route == "query":
            self._query(unquote(parse_qs(urlsplit(self.path).query)["q"][0]))
        elif route == "queryMore":
            self._json(200, self.state.pages.pop(path.rpartition("/")[2]))
        else:
            self._json(404, [{"errorCode": "NOT_FOUND", "message": path}])

    def _query(self, soql: str) -> None:
        records = answer_soql(self.state.org, soql)
        if records is None:
            self._json(400, [{"errorCode": "MALFORMED_QUERY", "message": soql}])
        elif isinstance(records, int):
            self._json(200, {"totalSize": records, "done": True, "records": []})
        else:
            self._json(200, self._paged(records))

    def _paged(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        size = self.state.page_size
        pages = [records[start:start + size] for start in range(0, len(records), size)] or [[]]
        first: dict[str, Any] = {"totalSize": len(records), "done": True, "records": pages[0]}
        previous = first
        for number, page in enumerate(pages[1:], start=2):
            locator = f"01gRO000000FAKE-{len(self.state.pages)}-{number}"
            previous["done"] = False
            previous["nextRecordsUrl"] = f"/services/data/v{API_VERSION}/query/{locator}"
            current: dict[str, Any] = {"totalSize": len(records), "done": True, "records": page}
            self.state.pages[locator] = current
            previous = current
        return first

    # -- Metadata API (SOAP) ----------------------------------------------------------------

    def _soap(self, route: str, body: bytes) -> None:
        request = etree.fromstring(body)
        session = request.findtext(f".//{{{METADATA_NS}}}sessionId")
        if session != self.state.token:
            self._soap_answer(500, "<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode>"
                              "<faultstring>INVALID_SESSION_ID: Invalid Session ID found in "
                              "SessionHeader: Illegal Session</faultstring></soapenv:Fault>")
        elif route == "soap:listMetadata":
            self._soap_answer(200, self._list_metadata(request))
        elif route == "soap:retrieve":
            self._soap_answer(200, self._retrieve(request))
        elif route == "soap:checkRetrieveStatus":
            self._soap_answer(200, self._check_retrieve(request))
        else:
            self._soap_answer(500, "<soapenv:Fault><faultcode>sf:UNKNOWN</faultcode>"
                              "<faultstring>unsupported</faultstring></soapenv:Fault>")

    def _soap_answer(self, status: int, inner: str) -> None:
        envelope = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
                    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                    f'xmlns="{METADATA_NS}"><soapenv:Body>{inner}</soapenv:Body>'
                    "</soapenv:Envelope>")
        self._send(status, "text/xml;charset=UTF-8", envelope.encode())

    def _list_metadata(self, request: etree._Element) -> str:
        results = []
        for query in request.iter("{*}queries"):
            type_name = query.findtext("{*}type") or ""
            folder = query.findtext("{*}folder")
            for member in _listed(self.state.org, type_name, folder):
                results.append(_file_properties(type_name, member))
        return f"<listMetadataResponse>{''.join(results)}</listMetadataResponse>"

    def _retrieve(self, request: etree._Element) -> str:
        requested: dict[str, list[str]] = {}
        for types in request.iter("{*}types"):
            name = types.findtext("{*}name") or ""
            requested[name] = [member.text or "" for member in types.iter("{*}members")]
        self.state.requested = requested
        self.state.polls = 0
        return (f"<retrieveResponse><result><done>false</done><id>{RETRIEVE_ID}</id>"
                "<state>Queued</state></result></retrieveResponse>")

    def _check_retrieve(self, request: etree._Element) -> str:
        include_zip = request.findtext(".//{*}includeZip") == "true"
        self.state.polls += 1
        if self.state.polls <= self.state.retrieve_polls and not include_zip:
            inner = "<done>false</done><status>InProgress</status><success>false</success>"
        else:
            archive, missing = build_zip(self.state.org, self.state.requested)
            messages = "".join(
                f"<messages><fileName>package.xml</fileName><problem>{escape(problem)}"
                "</problem></messages>" for problem in missing)
            zipped = base64.b64encode(archive).decode() if include_zip else ""
            inner = (f"<done>true</done>{messages}<status>Succeeded</status><success>true"
                     f"</success>{f'<zipFile>{zipped}</zipFile>' if zipped else ''}")
        return (f"<checkRetrieveStatusResponse><result><id>{RETRIEVE_ID}</id>{inner}</result>"
                "</checkRetrieveStatusResponse>")


def _route(method: str, path: str, body: bytes) -> str:
    """A short name for a request: what faults are keyed on and tests count."""
    if path.startswith("/services/Soap/m/"):
        match = re.search(rb"<(?:\w+:)?(listMetadata|retrieve|checkRetrieveStatus)[\s>]", body)
        return f"soap:{match.group(1).decode() if match else 'unknown'}"
    if path == "/services/oauth2/token":
        return "token"
    rest = path.removeprefix(f"/services/data/v{API_VERSION}/").rstrip("/")
    if rest == "limits":
        return "limits"
    if rest == "sobjects":
        return "describeGlobal"
    if match := re.fullmatch(r"sobjects/(\w+)/describe", rest):
        return f"describe:{match.group(1)}"
    if rest == "query":
        return "query"
    if rest.startswith("query/"):
        return "queryMore"
    return f"{method} {path}"


def _read_example(name: str) -> Any:
    from tests.conftest import corpus_path

    return json.loads(corpus_path("api-examples", "salesforce", name).read_text("utf-8"))


def _describe_global(names: list[str]) -> dict[str, Any]:
    answer = _read_example("describe_global.json")
    template = answer["sobjects"][0]
    answer["sobjects"] = [
        {**template, "name": name, "label": name, "custom": name.endswith("__c")}
        for name in names
    ]
    return dict(answer)


def _listed(org: FakeOrg, type_name: str, folder: str | None) -> list[str]:
    if type_name == "ReportFolder":
        return [member for member in org.members("Report") if "/" not in member]
    if type_name == "Report":
        return [member for member in org.members("Report")
                if "/" in member and member.split("/")[0] == folder]
    if type_name == "StandardValueSet":
        return []  # as in Salesforce: listMetadata does not list standard value sets
    return org.members(type_name)


def _file_properties(type_name: str, member: str) -> str:
    return (
        "<result><createdById>005RO000001AdminYAC</createdById><createdByName>Admin"
        "</createdByName><createdDate>2024-11-22T10:00:00.000Z</createdDate>"
        f"<fileName>{escape(member)}</fileName><fullName>{escape(member)}</fullName>"
        "<id>000000000000000AAA</id><lastModifiedById>005RO000001AdminYAC</lastModifiedById>"
        "<lastModifiedByName>Admin</lastModifiedByName><lastModifiedDate>"
        "2024-11-22T10:00:00.000Z</lastModifiedDate><manageableState>unmanaged"
        f"</manageableState><type>{'ReportFolder' if type_name == 'ReportFolder' else type_name}"
        "</type></result>"
    )


def build_zip(org: FakeOrg, requested: dict[str, list[str]]) -> tuple[bytes, list[str]]:
    """The retrieve zip (singlePackage: paths at the root) and the members not found."""
    buffer = io.BytesIO()
    missing: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.xml", _package_xml(requested))
        for type_name in sorted(requested):
            for member in requested[type_name]:
                files = org.components.get((type_name, member))
                if files is None:
                    missing.append(f"Entity of type '{type_name}' named '{member}' cannot be "
                                   "found")
                    continue
                for path in sorted(files):
                    archive.writestr(path, files[path])
    return buffer.getvalue(), missing


def _package_xml(requested: dict[str, list[str]]) -> str:
    types = "".join(
        "<types>" + "".join(f"<members>{escape(m)}</members>" for m in members)
        + f"<name>{name}</name></types>" for name, members in sorted(requested.items()))
    return (f'<?xml version="1.0" encoding="UTF-8"?><Package xmlns="{METADATA_NS}">{types}'
            f"<version>{API_VERSION}</version></Package>\n")


# -- SOQL -------------------------------------------------------------------------------------

_AGGREGATE = re.compile(r"SELECT COUNT\(Id\) total(?:, (?P<terms>.+))? FROM (?P<object>\w+)")
_COUNT_TERM = re.compile(r"COUNT\((?P<field>\w+)\) (?P<alias>c\d+)")
_COUNT_NOT_NULL = re.compile(r"SELECT COUNT\(\) FROM (?P<object>\w+) WHERE (?P<field>\w+) != null")
_GROUPS = re.compile(
    r"SELECT (?P<field>\w+) v, COUNT\(Id\) n FROM (?P<object>\w+) WHERE (?P=field) != null "
    r"GROUP BY (?P=field) ORDER BY COUNT\(Id\) DESC LIMIT 2000")
_OPEN = re.compile(
    r"SELECT (?P<field>\w+) v, COUNT\(Id\) n FROM (?P<object>\w+) WHERE "
    r"(IsClosed = false|IsConverted = false) GROUP BY (?P=field)")


def answer_soql(org: FakeOrg, soql: str) -> list[dict[str, Any]] | int | None:
    """Records, a bare count (``COUNT()``), or ``None`` for a query the fake does not know."""
    if match := _AGGREGATE.fullmatch(soql):
        name = match["object"]
        row: dict[str, Any] = {"attributes": {"type": "AggregateResult"},
                               "total": org.records.get(name, 0)}
        terms = match["terms"] or ""
        for term in terms.split(", ") if terms else []:
            count = _COUNT_TERM.fullmatch(term)
            if count is None:
                return None
            row[count["alias"]] = org.filled_count(name, count["field"])
        return [row]
    if match := _COUNT_NOT_NULL.fullmatch(soql):
        return org.filled_count(match["object"], match["field"])
    if match := _GROUPS.fullmatch(soql):
        field_id = f"{match['object']}.{match['field']}"
        groups = org.groups.get(field_id, [("TBD", org.filled_count(match["object"],
                                                                    match["field"]))])
        return [{"attributes": {"type": "AggregateResult"}, "v": value, "n": count}
                for value, count in sorted(groups, key=lambda group: (-group[1], group[0]))]
    if match := _OPEN.fullmatch(soql):
        return [{"attributes": {"type": "AggregateResult"}, "v": value, "n": count}
                for value, count in org.open_stages.get(match["object"], [])]
    return None


# -- building an org from a Metadata API project ------------------------------------------------


def org_from_mdapi(root: Path, opportunity_describe: dict[str, Any] | None = None) -> FakeOrg:
    """Components and describes for every file of a Metadata API project under ``root``."""
    components: dict[tuple[str, str], dict[str, bytes]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            key = _component(path.relative_to(root).as_posix())
            if key is not None:
                components.setdefault(key, {})[path.relative_to(root).as_posix()] = \
                    path.read_bytes()
    describes = {
        member: describe_from_object(member, files[f"objects/{member}.object"])
        for (type_name, member), files in components.items() if type_name == "CustomObject"
    }
    if opportunity_describe is not None and "Opportunity" in describes:
        describes["Opportunity"] = opportunity_describe
    return FakeOrg(components, describes, records={name: 1000 for name in describes})


def _component(relative: str) -> tuple[str, str] | None:
    folder, _, rest = relative.partition("/")
    if folder == "reports":
        if rest.endswith("-meta.xml") and "/" not in rest:
            return "Report", rest.removesuffix("-meta.xml")
        if rest.endswith(".report"):
            return "Report", rest.removesuffix(".report")
        return None
    if folder not in FOLDER_TYPES or "/" in rest:
        return None
    suffix, type_name = FOLDER_TYPES[folder]
    stem = rest.removesuffix("-meta.xml")
    if not stem.endswith(suffix):
        return None
    return type_name, stem.removesuffix(suffix)


def describe_from_object(name: str, content: bytes) -> dict[str, Any]:
    """A describe body for an object, from the fields of its ``.object`` file."""
    root = etree.fromstring(content)
    fields = [_id_field()]
    for element in root.iterfind("{*}fields"):
        fields.append(_describe_field(element))
    return {"name": name, "label": name, "custom": name.endswith("__c"), "queryable": True,
            "createable": True, "fields": fields}


def _id_field() -> dict[str, Any]:
    return {"name": "Id", "type": "id", "custom": False, "nillable": False,
            "createable": False, "updateable": False, "defaultedOnCreate": True,
            "aggregatable": True, "filterable": True, "groupable": True, "length": 18,
            "label": "Record ID", "picklistValues": []}


def _describe_field(element: etree._Element) -> dict[str, Any]:
    def setting(tag: str) -> str | None:
        return element.findtext(f"{{*}}{tag}")

    name = setting("fullName") or ""
    metadata_type = setting("type") or "Text"
    describe_type, aggregatable = DESCRIBE_TYPES.get(metadata_type, ("string", True))
    required = setting("required") == "true" or metadata_type == "MasterDetail"
    values = [{"value": value.findtext("{*}fullName"), "label": value.findtext("{*}label"),
               "active": True, "defaultValue": value.findtext("{*}default") == "true",
               "validFor": None}
              for value in element.iterfind(".//{*}valueSetDefinition/{*}value")]
    return {
        "name": name, "label": setting("label") or name, "type": describe_type,
        "custom": name.endswith("__c"), "nillable": not required and describe_type != "boolean",
        "createable": setting("formula") is None, "updateable": setting("formula") is None,
        "defaultedOnCreate": describe_type == "boolean", "aggregatable": aggregatable,
        "filterable": metadata_type not in NOT_FILTERABLE,
        "groupable": aggregatable and describe_type not in ("double", "currency", "percent"),
        "length": int(setting("length") or (255 if describe_type == "string" else 0)),
        "calculated": setting("formula") is not None, "picklistValues": values,
    }
