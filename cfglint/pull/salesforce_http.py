"""The HTTP session every Salesforce call of a pull goes through: retries, timeouts, TLS, a count.

simple-salesforce has no retries or timeouts of its own and its Metadata API client (zeep) would
use a session of its own; :func:`pull_session` builds one ``requests`` session that the REST
client, the SOAP client and the OAuth token calls all share, so that every request:

* is retried per :class:`~cfglint.pull.retry.RetryPolicy` on 429, 5xx and 403
  ``REQUEST_LIMIT_EXCEEDED`` (api-pull.md §3.5), honouring ``Retry-After`` — but not on a SOAP
  fault, which Salesforce sends as HTTP 500 and which never goes away by asking again;
* has a timeout (connect, read) unless the caller gave one;
* trusts the CA bundle named by ``REQUESTS_CA_BUNDLE`` (requests reads it itself) or
  ``SSL_CERT_FILE`` (requests does not: we pass it on), for TLS-inspecting proxies;
* is counted, for the snapshot manifest and the call plan in docs/pull.md.

A connection that breaks is not retried: the error ends the pull and the previous snapshot
stays as it was.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from cfglint.pull import PullError
from cfglint.pull.retry import RetryPolicy
from cfglint.pull.snapshot import redact

#: Seconds to connect and to wait for a response; a Metadata API retrieve answers at once
#: (it is asynchronous), so no request needs longer than the read timeout.
DEFAULT_TIMEOUT = (10.0, 120.0)

#: Loggers that may print request bodies (zeep logs the SOAP envelope, with its session id,
#: at debug level): their records are redacted while a pull runs.
NOISY_LOGGERS = ("zeep.transports", "simple_salesforce", "urllib3.connectionpool")


@dataclass
class CallLog:
    """Counts HTTP requests (every attempt, retries included) and tells listeners."""

    count: int = 0
    retries: int = 0
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def note(self) -> None:
        self.count += 1
        for listener in self.listeners:
            listener()


class PullAdapter(HTTPAdapter):
    """Retries transient answers per the policy and applies the default timeout."""

    def __init__(self, policy: RetryPolicy, calls: CallLog,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        super().__init__(max_retries=0)
        self.policy = policy
        self.calls = calls
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: bool | str = True, cert: Any = None,
             proxies: dict[str, str] | None = None) -> requests.Response:
        attempt = 0
        while True:
            attempt += 1
            self.calls.note()
            response = super().send(request, stream=stream, timeout=timeout or self.timeout,
                                    verify=verify, cert=cert, proxies=proxies)
            if attempt >= self.policy.max_attempts or not is_transient(response):
                return response
            delay = self.policy.delay_for(attempt, response.headers.get("Retry-After"))
            response.close()
            self.calls.retries += 1
            self.policy.sleep(delay)


def is_transient(response: requests.Response) -> bool:
    """Whether asking again may get another answer."""
    status = response.status_code
    if status == 429:
        return True
    if status >= 500:
        return b"faultcode" not in response.content  # a SOAP fault is an answer
    return status == 403 and b"REQUEST_LIMIT_EXCEEDED" in response.content


def pull_session(policy: RetryPolicy, calls: CallLog,
                 environ: Mapping[str, str] | None = None) -> requests.Session:
    """A session for one pull: retries, timeouts, the environment's CA bundle."""
    environ = os.environ if environ is None else environ
    _check_ca_files(environ)
    session = requests.Session()
    adapter = PullAdapter(policy, calls)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = "cfglint"
    # requests honours REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE by itself (they take precedence
    # over session.verify); SSL_CERT_FILE, which OpenSSL tools use, it ignores.
    if not environ.get("REQUESTS_CA_BUNDLE") and not environ.get("CURL_CA_BUNDLE"):
        ca_file = environ.get("SSL_CERT_FILE")
        if ca_file:
            session.verify = ca_file
    return session


def _check_ca_files(environ: Mapping[str, str]) -> None:
    """A CA bundle variable naming a missing file: say so, rather than fail on the first call."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        value = environ.get(name)
        if value and not os.path.isfile(value):
            raise PullError(f"{name} names {value}, no such file",
                            "point it at a PEM file of trusted CA certificates, or unset it")
        if value:
            return  # requests uses the first one set


class RedactingFilter(logging.Filter):
    """Rewrites a log record with every secret replaced before any handler sees it."""

    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        # The caller's list itself, not a copy: a token obtained by logging in joins it later.
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


@contextmanager
def redacted_logs(secrets: Sequence[str]) -> Iterator[None]:
    """Redact the secrets (also those added to the list later) from the records of
    :data:`NOISY_LOGGERS` while the block runs."""
    log_filter = RedactingFilter(secrets)
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    for logger in loggers:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(log_filter)
