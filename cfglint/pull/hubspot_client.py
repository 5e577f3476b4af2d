"""Every HTTP request of a HubSpot pull: hubspot-api-client's generated clients, raw bodies.

Why not the SDK as it comes (api-pull.md §5–7):

* its models drop fields (``dataSensitivity``) and flatten forms, so every call passes
  ``_preload_content=False`` and we keep the response bytes;
* its retries are urllib3's, which skip POST (search) unless told and end in a bare
  ``MaxRetryError``; so urllib3 never retries (``Retry(0)``) and :class:`HubSpotClient` retries
  429 and 5xx itself per :class:`~cfglint.pull.retry.RetryPolicy`, counting every attempt;
* ``HubSpot.api_request`` (the SDK's raw request) uses ``requests`` with no timeout and prints
  errors to stdout, so endpoints the SDK lacks (automation v4 flows, property validations) go
  through a generated client's ``call_api`` instead: the same TLS settings, token and timeout;
* its discovery builds a new client on every attribute access: each API is taken once.

A connection that breaks is not retried: the pull ends and the previous snapshot stays.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import urllib3
from hubspot import HubSpot  # type: ignore[import-untyped]
from hubspot.crm.objects.exceptions import (  # type: ignore[import-untyped]
    ApiException as ObjectsApiException,
)
from hubspot.crm.owners.exceptions import (  # type: ignore[import-untyped]
    ApiException as OwnersApiException,
)
from hubspot.crm.pipelines.exceptions import (  # type: ignore[import-untyped]
    ApiException as PipelinesApiException,
)
from hubspot.crm.properties.exceptions import (  # type: ignore[import-untyped]
    ApiException as PropertiesApiException,
)
from hubspot.crm.schemas.exceptions import (  # type: ignore[import-untyped]
    ApiException as SchemasApiException,
)
from hubspot.marketing.forms.exceptions import (  # type: ignore[import-untyped]
    ApiException as FormsApiException,
)
from hubspot.settings.users.exceptions import (  # type: ignore[import-untyped]
    ApiException as UsersApiException,
)
from urllib3.util.retry import Retry

from cfglint.pull.retry import RetryPolicy

DEFAULT_API_BASE_URL = "https://api.hubapi.com"
#: Seconds to connect and to read one response; HubSpot answers configuration calls quickly.
DEFAULT_TIMEOUT = (10.0, 60.0)

#: Each generated package of the SDK has an ApiException class of its own.
API_EXCEPTIONS: tuple[type[Exception], ...] = (
    ObjectsApiException, OwnersApiException, PipelinesApiException,
    PropertiesApiException, SchemasApiException, FormsApiException, UsersApiException,
)


class HttpFailure(Exception):
    """HubSpot answered with an error status (after any retries)."""

    def __init__(self, status: int, what: str, body: str) -> None:
        super().__init__(f"HTTP {status} for {what}")
        self.status = status
        self.what = what
        self.body = body

    def category(self) -> str:
        """HubSpot's ``category`` (``MISSING_SCOPES``, ``RATE_LIMIT``...) or ``message``."""
        try:
            parsed = json.loads(self.body)
        except ValueError:
            return ""
        if not isinstance(parsed, dict):
            return ""
        return str(parsed.get("category") or parsed.get("errorType") or parsed.get("message")
                   or "")


class ConnectionFailure(Exception):
    """The connection could not be made or broke before the response was complete."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what}: {reason}")
        self.what = what
        self.reason = reason


@dataclass
class CallCounter:
    """Every HTTP attempt, retries included; ``listener`` is told of each (the manifest)."""

    calls: int = 0
    retries: int = 0
    listener: Callable[[], None] | None = None

    def note(self) -> None:
        self.calls += 1
        if self.listener is not None:
            self.listener()


class HubSpotClient:
    """Raw JSON from HubSpot's APIs, with retries, timeouts and a CA bundle."""

    def __init__(self, token: str, base_url: str, policy: RetryPolicy, counter: CallCounter,
                 ca_bundle: str | None = None,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.counter = counter
        self.timeout = timeout
        hubspot = HubSpot(access_token=token, host=self.base_url, ssl_ca_cert=ca_bundle,
                          retry=Retry(total=0, redirect=0, raise_on_status=False))
        crm, users = hubspot.crm, hubspot.settings.users
        self.properties = crm.properties.core_api
        self.groups = crm.properties.groups_api
        self.pipelines = crm.pipelines.pipelines_api
        self.schemas = crm.schemas.core_api
        self.owners = crm.owners.owners_api
        self.search_api = crm.objects.search_api
        self.users = users.users_api
        self.teams = users.teams_api
        self.roles = users.roles_api
        self.forms = hubspot.marketing.forms.forms_api

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def call(self, what: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``method(*args, **kwargs)`` of a generated API, as parsed JSON; ``what`` names it."""
        attempt = 0
        while True:
            attempt += 1
            self.counter.note()
            try:
                response = method(*args, **kwargs, _preload_content=False,
                                  _request_timeout=self.timeout)
                return _json_body(what, _read(response))
            except API_EXCEPTIONS as error:
                status = int(getattr(error, "status", 0) or 0)
                if not self.policy.should_retry(attempt, status):
                    raise HttpFailure(status, what, _text(getattr(error, "body", ""))) from None
                self.counter.retries += 1
                self.policy.sleep(self.policy.delay_for(attempt, _retry_after(error)))
            except (urllib3.exceptions.HTTPError, OSError) as error:
                raise ConnectionFailure(what, _reason(error)) from None

    def get(self, path: str, query: Mapping[str, Any] | None = None) -> Any:
        """A GET the SDK has no method for (``path`` as in HubSpot's reference)."""
        api_client = self.properties.api_client
        return self.call(path, api_client.call_api, path, "GET", {}, list((query or {}).items()),
                         {"Accept": "application/json"}, auth_settings=["oauth2"],
                         response_types_map={})

    def search(self, object_type: str, body: dict[str, Any]) -> Any:
        return self.call(f"search {object_type}", self.search_api.do_search, object_type, body)


def _read(response: Any) -> bytes:
    try:
        data = response.data
    finally:
        response.release_conn()
    return data if isinstance(data, bytes) else str(data).encode("utf-8")


def _json_body(what: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ConnectionFailure(what, f"the response is not JSON ({error})") from None


def _text(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", errors="replace")
    return "" if body is None else str(body)


def _retry_after(error: Exception) -> str | None:
    headers = getattr(error, "headers", None)
    if headers is None:
        return None
    value = headers.get("Retry-After")
    return None if value is None else str(value)


def _reason(error: BaseException) -> str:
    """The innermost cause of a urllib3 error, without the URL (already in the message)."""
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        return _reason(reason)
    return type(error).__name__ + (f": {error}" if str(error) else "")
