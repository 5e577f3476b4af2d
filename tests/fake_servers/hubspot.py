"""A loopback HTTPS HubSpot for the pull tests: the real hubspot-api-client talks to it.

It serves a :class:`Portal`: the bodies of each GET route, the lists it pages
(``paging.next.after``, a few items a page so that paging is exercised) and the totals its
search answers. Two portals are built at test time, never copied into the repository:

* :func:`portal_from_snapshot` — a snapshot directory (fixtures/hubspot-snapshot/), so that a
  pull of it must lint like the fixture;
* :func:`portal_from_api_examples` — the bodies in ../shared/corpora/api-examples/hubspot/.

Faults are queued per route (``fake.fail("GET /crm/v3/owners", Fault(429, retry_after="3"))``):
a status with an optional ``Retry-After``, or ``cut`` (half a body, then the connection
closes). Every request is logged as ``"METHOD /path"`` (no query) in ``fake.routes()``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_servers.tls import FakeServer, cut_connection, serve_https

TOKEN = "pat-na1-11111111-2222-4333-8444-555555555555"
STANDARD_TYPE_IDS = {"contacts": "0-1", "companies": "0-2", "deals": "0-3", "tickets": "0-5"}
PAGED_ROUTES = ("GET /crm/v3/owners", "GET /settings/v3/users", "GET /automation/v4/flows",
                "GET /marketing/v3/forms")
UNAUTHORIZED = {"status": "error", "message": "Authentication credentials not found.",
                "correlationId": "0b7a4c1e-7c4f-4a43-9d57-5f8cbd0c3a11",
                "category": "INVALID_AUTHENTICATION"}
NOT_FOUND = {"status": "error", "message": "resource not found",
             "correlationId": "7d1c2f4a-0e8b-4a8e-b0a5-0e6f3c2a9b10",
             "category": "OBJECT_NOT_FOUND"}


@dataclass(frozen=True)
class Fault:
    """One bad answer: a status (with ``Retry-After``) and body, or ``cut``."""

    status: int = 500
    retry_after: str | None = None
    body: Any = field(default_factory=lambda: {"status": "error", "message": "internal error",
                                               "category": "INTERNAL_ERROR"})
    cut: bool = False


@dataclass
class Portal:
    """What the fake serves. ``bodies``: route -> JSON body; ``lists``: paged route -> items.

    Search totals: ``records`` per object type, ``filled`` per (object type, property) and
    ``values`` per (object type, property) -> value -> records.
    """

    bodies: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, list[Any]] = field(default_factory=dict)
    page_size: int = 2
    records: dict[str, int] = field(default_factory=dict)
    filled: dict[tuple[str, str], int] = field(default_factory=dict)
    values: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    def total(self, object_type: str, filters: list[dict[str, Any]]) -> int:
        if not filters:
            return self.records.get(object_type, 0)
        (only,) = filters  # cfglint asks one question a search
        key = (object_type, str(only["propertyName"]))
        if only["operator"] == "HAS_PROPERTY":
            return self.filled.get(key, 0)
        wanted = only.get("values") or [only.get("value")]
        return sum(self.values.get(key, {}).get(str(value), 0) for value in wanted)


class HubSpotFake:
    def __init__(self, portal: Portal, token: str = TOKEN) -> None:
        self.portal = portal
        self.token = token
        self.faults: dict[str, list[Fault]] = {}
        self.searches: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.server: FakeServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return self.server.base_url

    @property
    def ca_bundle(self) -> Path:
        assert self.server is not None
        return self.server.ca_bundle

    def fail(self, route: str, *faults: Fault) -> None:
        with self.lock:
            self.faults.setdefault(route, []).extend(faults)

    def next_fault(self, route: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(route)
            return queue.pop(0) if queue else None

    def routes(self) -> list[str]:
        assert self.server is not None
        return [f"{entry.method} {route_path(entry.path)}" for entry in self.server.requests_log]

    @contextmanager
    def serve(self) -> Iterator[HubSpotFake]:
        fake = self

        class Handler(HubSpotHandler):
            state = fake

        with serve_https(Handler) as server:
            self.server = server
            yield self


def route_path(raw: str) -> str:
    return urlsplit(raw).path.rstrip("/") or "/"


class HubSpotHandler(BaseHTTPRequestHandler):
    state: HubSpotFake
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        route = f"{method} {route_path(self.path)}"
        fault = self.state.next_fault(route)
        if fault is not None:
            self._fault(fault)
        elif self.headers.get("Authorization") != f"Bearer {self.state.token}":
            self._json(401, UNAUTHORIZED)
        elif method == "POST" and route.endswith("/search"):
            self._search(route, body)
        elif route in PAGED_ROUTES:
            self._page(route)
        elif route in self.state.portal.bodies:
            self._json(200, self.state.portal.bodies[route])
        else:
            self._json(404, NOT_FOUND)

    def _page(self, route: str) -> None:
        items = self.state.portal.lists.get(route, [])
        query = parse_qs(urlsplit(self.path).query)
        limit = min(int(query.get("limit", ["100"])[0]), self.state.portal.page_size)
        start = int(query.get("after", ["0"])[0])
        body: dict[str, Any] = {"results": items[start:start + limit]}
        if start + limit < len(items):
            after = str(start + limit)
            body["paging"] = {"next": {"after": after,
                                       "link": f"{self.state.base_url}{route[4:]}?after={after}"}}
        self._json(200, body)

    def _search(self, route: str, raw: bytes) -> None:
        request = json.loads(raw)
        self.state.searches.append(request)
        object_type = route.split("/")[-2]
        groups = request.get("filterGroups") or [{"filters": []}]
        total = self.state.portal.total(object_type, groups[0]["filters"])
        self._json(200, {"total": total, "results": []})

    def _fault(self, fault: Fault) -> None:
        if fault.cut:
            cut_connection(self)
            return
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        self._json(fault.status, fault.body, headers)

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-HubSpot-RateLimit-Max", "190")
        self.send_header("X-HubSpot-RateLimit-Remaining", "189")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


# -- portals ----------------------------------------------------------------------------------


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _results(body: Any) -> list[Any]:
    return list(body.get("results") or []) if isinstance(body, dict) else []


def portal_from_snapshot(snapshot: Path, page_size: int = 3) -> Portal:
    """The portal a snapshot directory was pulled from (the reverse of a pull)."""
    portal = Portal(page_size=page_size)
    for name in STANDARD_TYPE_IDS:
        for folder, route in (("properties", "/crm/v3/properties/{o}"),
                              ("property-groups", "/crm/v3/properties/{o}/groups"),
                              ("pipelines", "/crm/v3/pipelines/{o}")):
            path = snapshot / folder / f"{name}.json"
            portal.bodies["GET " + route.format(o=name)] = (
                _load(path) if path.is_file() else {"results": []})
        path = snapshot / "property-validations" / f"{name}.json"
        portal.bodies[f"GET /crm/v3/property-validations/{STANDARD_TYPE_IDS[name]}"] = (
            _load(path) if path.is_file() else {"results": []})
    schemas = _load(snapshot / "schemas.json")
    portal.bodies["GET /crm-object-schemas/v3/schemas"] = schemas
    for schema in _results(schemas):
        type_id = schema["objectTypeId"]
        portal.bodies[f"GET /crm/v3/properties/{type_id}"] = {"results": schema["properties"]}
        portal.bodies[f"GET /crm/v3/properties/{type_id}/groups"] = {"results": []}
        portal.bodies[f"GET /crm/v3/property-validations/{type_id}"] = {"results": []}
    for name, route in (("teams", "/settings/v3/users/teams"),
                        ("roles", "/settings/v3/users/roles")):
        portal.bodies[f"GET {route}"] = _load(snapshot / f"{name}.json")
    for name, route in (("owners", "GET /crm/v3/owners"), ("users", "GET /settings/v3/users"),
                        ("forms", "GET /marketing/v3/forms"),
                        ("workflows/index", "GET /automation/v4/flows")):
        portal.lists[route] = _results(_load(snapshot / f"{name}.json"))
    for flow in portal.lists["GET /automation/v4/flows"]:
        portal.bodies[f"GET /automation/v4/flows/{flow['id']}"] = _load(
            snapshot / "workflows" / f"{flow['id']}.json")
    return portal


def portal_from_api_examples(examples: Path, page_size: int = 1) -> Portal:
    """The portal of ../shared/corpora/api-examples/hubspot/ (contacts and deals described)."""
    portal = portal_from_snapshot_like({
        "GET /crm/v3/properties/contacts": _load(examples / "properties_contacts.json"),
        "GET /crm/v3/properties/deals": _load(examples / "properties_deals.json"),
        "GET /crm/v3/properties/contacts/groups": _load(
            examples / "property_groups_contacts.json"),
        "GET /crm/v3/pipelines/deals": _load(examples / "pipelines_deals.json"),
        "GET /crm/v3/pipelines/tickets": _load(examples / "pipelines_tickets.json"),
        "GET /crm-object-schemas/v3/schemas": _load(examples / "schemas.json"),
        "GET /crm/v3/property-validations/0-1": _load(
            examples / "property_validations_contacts.json"),
        "GET /settings/v3/users/teams": _load(examples / "teams.json"),
        "GET /settings/v3/users/roles": _load(examples / "roles.json"),
    }, page_size)
    portal.lists = {
        "GET /crm/v3/owners": (_results(_load(examples / "owners_page1.json"))
                               + _results(_load(examples / "owners_page2.json"))),
        "GET /settings/v3/users": _results(_load(examples / "users_page.json")),
        "GET /automation/v4/flows": (_results(_load(examples / "flows_page.json"))
                                     + _results(_load(examples / "flows_page2.json"))),
        "GET /marketing/v3/forms": _results(_load(examples / "forms_page.json")),
    }
    flow = _load(examples / "flow_585051946.json")
    for listed in portal.lists["GET /automation/v4/flows"]:
        # One detailed body exists; the others are the same flow under their own id.
        portal.bodies[f"GET /automation/v4/flows/{listed['id']}"] = {**flow, "id": listed["id"]}
    for schema in _results(portal.bodies["GET /crm-object-schemas/v3/schemas"]):
        portal.bodies[f"GET /crm/v3/properties/{schema['objectTypeId']}"] = {
            "results": schema.get("properties", [])}
    return portal


def portal_from_snapshot_like(bodies: dict[str, Any], page_size: int) -> Portal:
    """A portal whose objects without a body answer an empty list, as an empty portal does."""
    portal = Portal(page_size=page_size)
    for name, type_id in STANDARD_TYPE_IDS.items():
        for route in (f"GET /crm/v3/properties/{name}", f"GET /crm/v3/properties/{name}/groups",
                      f"GET /crm/v3/pipelines/{name}",
                      f"GET /crm/v3/property-validations/{type_id}"):
            portal.bodies[route] = {"results": []}
    portal.bodies.update(bodies)
    return portal
