"""``cfglint pull hubspot``: snapshot a HubSpot portal's configuration as raw API bodies.

The layout is docs/hubspot-snapshot.md's (the HubSpot reader reads it); pages are merged into
one ``{"results": [...]}``. Calls, in order (docs/pull.md counts them):

1. ``schemas`` (custom objects) — first, so a bad token fails before anything else;
2. per object (contacts, companies, deals, tickets, then each custom object): properties,
   property groups, property validations (not in the SDK: a raw GET);
3. pipelines of deals and tickets;
4. owners (paged), users (paged), teams, roles;
5. automation v4 flows (paged, raw) and each flow (raw);
6. forms (paged);
7. with ``--with-usage``: the searches of :mod:`cfglint.pull.hubspot_usage`.

A 403 (a scope the private app lacks) or a 404 on one call skips that file with a manifest
entry; a 401 ends the pull, as does any other error, and the previous snapshot stays.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from cfglint.pull import PullError, PullSummary
from cfglint.pull.hubspot_client import (
    DEFAULT_API_BASE_URL,
    CallCounter,
    ConnectionFailure,
    HttpFailure,
    HubSpotClient,
)
from cfglint.pull.hubspot_usage import MeasuredObject, Throttle, UsageMeter
from cfglint.pull.retry import RetryPolicy
from cfglint.pull.snapshot import SnapshotWriter, redact, utc_timestamp

DEFAULT_TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
#: HubSpot's own object type ids of the standard objects pulled.
STANDARD_OBJECTS = {"contacts": "0-1", "companies": "0-2", "deals": "0-3", "tickets": "0-5"}
PIPELINE_OBJECTS = ("deals", "tickets")
#: The largest page HubSpot serves for owners, users, flows and forms.
PAGE_SIZE = 100
#: A portal with more pages than this is a server paging in circles.
MAX_PAGES = 10_000
#: Ids that may name a file: HubSpot's are digits (flows) or ``2-123`` (objects).
SAFE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")
#: Statuses that skip one file rather than end the pull: a scope not granted, or an endpoint
#: the portal does not have.
SKIPPABLE_STATUSES = frozenset({403, 404})


@dataclass(frozen=True)
class HubSpotPullOptions:
    destination: Path
    token: str
    #: What the user should fix when the token is rejected: a variable name or ``--token``.
    token_source: str = DEFAULT_TOKEN_ENV
    api_base_url: str = DEFAULT_API_BASE_URL
    with_usage: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: A PEM file of trusted CAs (None: the system's).
    ca_bundle: str | None = None
    #: Called with a short status line as the pull goes on (the command shows it on a terminal).
    progress: Callable[[str], None] | None = None
    #: ``pulled_at`` of the manifest and usage.json; tests pin it.
    now: Callable[[], str] = utc_timestamp
    #: Spaces out the usage searches; tests pass one with a fake clock.
    throttle: Throttle = field(default_factory=Throttle)


def resolve_token(token: str | None, token_env: str,
                  environ: Mapping[str, str]) -> tuple[str, str]:
    """The token and what to name when it is wrong: ``--token``, else ``$token_env``."""
    if token:
        return token, "--token"
    value = environ.get(token_env, "").strip()
    if not value:
        raise PullError(f"no HubSpot token: {token_env} is not set",
                        f"export {token_env}=<private-app access token> (or name another "
                        "variable with --token-env)")
    return value, token_env


def ca_bundle_from(environ: Mapping[str, str]) -> str | None:
    """``REQUESTS_CA_BUNDLE``, else ``SSL_CERT_FILE``: a PEM file for TLS-inspecting proxies."""
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        value = environ.get(name)
        if not value:
            continue
        if not os.path.isfile(value):
            raise PullError(f"{name} names {value}, no such file",
                            "point it at a PEM file of trusted CA certificates, or unset it")
        return value
    return None


def check_base_url(url: str) -> str:
    if not re.fullmatch(r"https://[^/\s?#]+(/[^\s?#]*)?", url):
        raise PullError(f"--api-base-url must be an https:// URL, got {url!r}",
                        f"e.g. --api-base-url {DEFAULT_API_BASE_URL}")
    return url.rstrip("/")


def pull_hubspot(options: HubSpotPullOptions) -> PullSummary:
    """Pull a snapshot into ``options.destination``; the previous one stays if anything fails."""
    base_url = check_base_url(options.api_base_url)
    counter = CallCounter()
    secrets = [options.token]
    client = HubSpotClient(options.token, base_url, options.retry, counter, options.ca_bundle)
    writer = SnapshotWriter(options.destination, source="hubspot", secrets=secrets,
                            now=options.now)
    with _translated_errors(options, client), writer:
        counter.listener = writer.note_call
        writer.set("api_base_url", base_url)
        HubSpotPull(client, writer, options).run()
    return PullSummary(options.destination, dict(sorted(writer.counts.items())),
                       counter.calls, counter.retries,
                       [(entry["what"], entry["why"]) for entry in writer.skipped])


class HubSpotPull:
    """The steps of one pull, writing into an open :class:`SnapshotWriter`."""

    def __init__(self, client: HubSpotClient, writer: SnapshotWriter,
                 options: HubSpotPullOptions) -> None:
        self.client = client
        self.writer = writer
        self.options = options
        #: What --with-usage measures: each object pulled, with its properties.
        self.objects: list[MeasuredObject] = []
        self.pipelines: dict[str, list[dict[str, Any]]] = {}

    def run(self) -> None:
        object_types = dict(STANDARD_OBJECTS)
        object_types.update(self._schemas())
        for name, type_id in object_types.items():
            self._object(name, type_id)
        for name in PIPELINE_OBJECTS:
            self._pipelines(name)
        self._people()
        self._workflows()
        self._forms()
        if self.options.with_usage:
            self._usage()

    # -- configuration ------------------------------------------------------------------------

    def _schemas(self) -> dict[str, str]:
        """Custom objects: their name -> objectTypeId (also the file name of their files)."""
        self._say("custom object schemas")
        body = self._optional("schemas.json", "schemas", lambda: self._sdk(
            "schemas.json", self.client.schemas.get_all, archived=False))
        found: dict[str, str] = {}
        for schema in _results(body):
            type_id, name = str(schema.get("objectTypeId") or ""), schema.get("name")
            if SAFE_ID.fullmatch(type_id) and name and not schema.get("archived"):
                found[str(name)] = type_id
        return found

    def _object(self, name: str, type_id: str) -> None:
        # Standard objects' files are named after the object, custom ones after their id.
        stem = name if name in STANDARD_OBJECTS else type_id
        self._say(f"properties of {name}")
        properties = self._optional(f"properties/{stem}.json", "properties", lambda: self._sdk(
            f"properties/{stem}.json", self.client.properties.get_all, object_type=stem,
            archived=False))
        if properties is not None:
            self.objects.append(MeasuredObject(name, stem, _results(properties)))
        self._optional(f"property-groups/{stem}.json", "property_groups", lambda: self._sdk(
            f"property-groups/{stem}.json", self.client.groups.get_all, object_type=stem))
        self._optional(f"property-validations/{stem}.json", "property_validations",
                       lambda: self.client.get(f"/crm/v3/property-validations/{type_id}"))

    def _pipelines(self, name: str) -> None:
        self._say(f"pipelines of {name}")
        body = self._optional(f"pipelines/{name}.json", "pipelines", lambda: self._sdk(
            f"pipelines/{name}.json", self.client.pipelines.get_all, object_type=name))
        if body is not None:
            self.pipelines[name] = _results(body)

    def _people(self) -> None:
        self._say("owners, users, teams and roles")
        self._paged("owners.json", "owners", lambda after: self.client.call(
            "owners", self.client.owners.get_page, limit=PAGE_SIZE, after=after,
            archived=False))
        self._paged("users.json", "users", lambda after: self.client.call(
            "users", self.client.users.get_page, limit=PAGE_SIZE, after=after))
        self._optional("teams.json", "teams",
                       lambda: self._sdk("teams.json", self.client.teams.get_all))
        self._optional("roles.json", "roles",
                       lambda: self._sdk("roles.json", self.client.roles.get_all))

    def _workflows(self) -> None:
        self._say("workflows")
        index = self._paged("workflows/index.json", "flows", lambda after: self.client.get(
            "/automation/v4/flows", _query(limit=PAGE_SIZE, after=after)))
        for flow in _results(index):
            flow_id = str(flow.get("id") or "")
            if not SAFE_ID.fullmatch(flow_id):
                self.writer.skip(f"workflows/{flow_id!r}", "not a HubSpot flow id")
                continue
            self._optional(f"workflows/{flow_id}.json", "flow_details",
                           partial(self.client.get, f"/automation/v4/flows/{flow_id}"))

    def _forms(self) -> None:
        self._say("forms")
        self._paged("forms.json", "forms", lambda after: self.client.call(
            "forms", self.client.forms.get_page, limit=PAGE_SIZE, after=after))

    def _usage(self) -> None:
        meter = UsageMeter(self.client, self.options.throttle)
        for measured in self.objects:
            self._say(f"usage of {measured.name}")
            self._skippable(f"usage:{measured.name}", meter.measure_object, measured)
        for name, pipelines in sorted(self.pipelines.items()):
            self._skippable(f"usage:{name} stages", meter.measure_stages, name, pipelines)
        self.writer.write_json("usage.json", meter.usage.as_document(self.options.now()))
        self.writer.count("usage_fields", len(meter.usage.fields))
        self.writer.count("usage_searches", meter.usage.searches)

    # -- plumbing -----------------------------------------------------------------------------

    def _sdk(self, relative: str, method: Callable[..., Any], **kwargs: Any) -> Any:
        """An SDK call, named in errors after the file it fills."""
        return self.client.call(relative, method, **kwargs)

    def _optional(self, relative: str, kind: str, request: Callable[[], Any]) -> Any:
        """One request written to ``relative``; a 403 or 404 skips it (None) with a reason."""
        body = self._skippable(relative, request)
        if body is None:
            return None
        self.writer.write_json(relative, body)
        self.writer.count(kind, len(_results(body)) if "results" in _mapping(body) else 1)
        return body

    def _paged(self, relative: str, kind: str, fetch: Callable[[str | None], Any]) -> Any:
        """Every page of a listing, merged into one ``{"results": [...]}``."""
        body = self._skippable(relative, collect_pages, relative, fetch)
        if body is None:
            return None
        self.writer.write_json(relative, body)
        self.writer.count(kind, len(body["results"]))
        return body

    def _skippable(self, what: str, step: Callable[..., Any], *args: Any,
                   **kwargs: Any) -> Any:
        try:
            return step(*args, **kwargs)
        except HttpFailure as failure:
            if failure.status not in SKIPPABLE_STATUSES:
                raise
            category = failure.category()
            self.writer.skip(what, f"HTTP {failure.status}" + (f" {category}" if category
                                                                else ""))
            return None

    def _say(self, message: str) -> None:
        if self.options.progress is not None:
            self.options.progress(message)


def collect_pages(what: str, fetch: Callable[[str | None], Any]) -> dict[str, Any]:
    """Follow ``paging.next.after`` until it ends; a cursor seen twice is an error."""
    results: list[Any] = []
    after: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        body = _mapping(fetch(after))
        results.extend(_results(body))
        following = _mapping(_mapping(body.get("paging")).get("next")).get("after")
        if not following:
            return {"results": results}
        after = str(following)
        if after in seen:
            raise PullError(f"HubSpot repeated the page cursor {after!r} for {what}")
        seen.add(after)
    raise PullError(f"{what}: more than {MAX_PAGES} pages")


@contextmanager
def _translated_errors(options: HubSpotPullOptions, client: HubSpotClient) -> Iterator[None]:
    """Client and network errors as one clear, redacted line (exit code 2)."""
    secrets = [options.token]
    try:
        yield
    except HttpFailure as failure:
        error = _http_error(failure, options, client)
        raise PullError(redact(error.message, secrets),
                        redact(error.hint, secrets) if error.hint else None) from None
    except ConnectionFailure as failure:
        raise PullError(redact(f"the connection to {client.host} failed during "
                               f"{failure.what} ({failure.reason}); the previous snapshot is "
                               "unchanged", secrets),
                        "check the network (and REQUESTS_CA_BUNDLE behind a TLS-inspecting "
                        "proxy), then run the pull again") from None
    except PullError as error:
        raise PullError(redact(error.message, secrets),
                        redact(error.hint, secrets) if error.hint else None) from None


def _http_error(failure: HttpFailure, options: HubSpotPullOptions,
                client: HubSpotClient) -> PullError:
    if failure.status == 401:
        return PullError(f"HubSpot rejected the token (401): check {options.token_source} (a "
                         "private-app token with the crm.schemas.* and automation scopes)")
    category = failure.category()
    detail = f" {category}" if category else ""
    if failure.status == 429:
        return PullError(f"HubSpot's rate limit is used up (429{detail}) for {failure.what} "
                         f"after {options.retry.max_attempts} attempts",
                         "wait a minute (or until tomorrow for the daily limit) and pull again")
    return PullError(f"HubSpot answered HTTP {failure.status}{detail} for {failure.what}",
                     f"the previous snapshot is unchanged; {client.counter.calls} requests made")


def _query(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _results(body: Any) -> list[dict[str, Any]]:
    results = _mapping(body).get("results")
    return [item for item in results if isinstance(item, dict)] if isinstance(results,
                                                                              list) else []


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
