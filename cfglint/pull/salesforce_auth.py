"""Where a Salesforce pull gets its access token and instance URL.

Four ways, tried in this order (docs/pull.md):

1. ``--target-org ALIAS``: ``sf org display --json --target-org ALIAS`` (the Salesforce CLI keeps
   and refreshes the token). Its output holds the token: it is parsed, never printed or logged.
2. JWT bearer (``--client-id``, ``--username``, ``--jwt-key-file``): a signed assertion
   exchanged at ``--login-url``.
3. Client credentials (``--client-id`` and a secret from ``--client-secret-env``): exchanged at
   the org's My Domain (``--instance-url``).
4. An access token from the environment variable ``--token-env`` (default ``SF_ACCESS_TOKEN``)
   with ``--instance-url``.

The token calls are made here, through the pull's own session (retries, timeouts, CA bundle),
rather than by simple-salesforce: its login helpers build ``https://{domain}.salesforce.com``
and cannot reach a login URL given as a URL. PyJWT signs the assertion; simple-salesforce
depends on it (``pyjwt[crypto]``) for the same purpose, so it is already installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import requests

from cfglint.pull import PullError

DEFAULT_TOKEN_ENV = "SF_ACCESS_TOKEN"
DEFAULT_LOGIN_URL = "https://login.salesforce.com"
TOKEN_PATH = "/services/oauth2/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
#: Salesforce accepts assertions that expire within five minutes.
JWT_LIFETIME_SECONDS = 180
SF_CLI_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Credentials:
    instance_url: str
    access_token: str
    #: What to name when Salesforce rejects the token: an option or environment variable.
    fix_hint: str


@dataclass(frozen=True)
class AuthOptions:
    instance_url: str | None = None
    token_env: str = DEFAULT_TOKEN_ENV
    target_org: str | None = None
    client_id: str | None = None
    username: str | None = None
    jwt_key_file: Path | None = None
    client_secret_env: str | None = None
    login_url: str = DEFAULT_LOGIN_URL


Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


def secrets_of(options: AuthOptions, environ: Mapping[str, str]) -> list[str]:
    """The secrets known before logging in, to redact from everything written."""
    names = [options.token_env, options.client_secret_env]
    return [environ[name] for name in names if name and environ.get(name)]


def authenticate(options: AuthOptions, session: requests.Session,
                 environ: Mapping[str, str], run: Runner | None = None) -> Credentials:
    """Credentials from the first way ``options`` select."""
    if options.target_org:
        return from_sf_cli(options.target_org, run or _run_sf)
    if options.jwt_key_file or options.username:
        return jwt_bearer(options, session)
    if options.client_secret_env:
        return client_credentials(options, session, environ)
    return from_environment(options, environ)


def from_environment(options: AuthOptions, environ: Mapping[str, str]) -> Credentials:
    token = environ.get(options.token_env, "")
    if not token:
        raise PullError(
            f"no Salesforce access token: environment variable {options.token_env} is not set",
            "set it, or log in another way: --target-org ALIAS (sf CLI), JWT bearer "
            "(--client-id --username --jwt-key-file) or client credentials "
            "(--client-id --client-secret-env); see docs/pull.md",
        )
    instance_url = _required_url(options.instance_url, "--instance-url")
    return Credentials(instance_url, token, f"check {options.token_env} and --instance-url")


def from_sf_cli(alias: str, run: Runner) -> Credentials:
    hint = f"run `sf org login web --alias {alias}`, or check the alias with `sf org list`"
    try:
        completed = run(["org", "display", "--json", "--target-org", alias])
    except FileNotFoundError:
        raise PullError("--target-org needs the Salesforce CLI (sf), which is not on PATH",
                        "install it, or pass --instance-url with a token in "
                        f"{DEFAULT_TOKEN_ENV}") from None
    except subprocess.TimeoutExpired:
        raise PullError(f"`sf org display` did not answer within {SF_CLI_TIMEOUT_SECONDS} s",
                        hint) from None
    # The output holds the access token: parsed here, never echoed, not even on failure.
    try:
        result = json.loads(completed.stdout)["result"]
        token, instance_url = str(result["accessToken"]), str(result["instanceUrl"])
    except (ValueError, KeyError, TypeError):
        token = instance_url = ""
    if completed.returncode != 0 or not token or not instance_url:
        raise PullError(f"the Salesforce CLI has no usable login for --target-org {alias} "
                        f"(sf exited with {completed.returncode})", hint)
    return Credentials(_required_url(instance_url, "the sf CLI's instanceUrl"), token,
                       f"the sf CLI's login for {alias} was refused: {hint}")


def _run_sf(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("sf")
    if executable is None:
        raise FileNotFoundError("sf")
    return subprocess.run([executable, *arguments], capture_output=True, text=True,
                          timeout=SF_CLI_TIMEOUT_SECONDS, check=False)


def jwt_bearer(options: AuthOptions, session: requests.Session) -> Credentials:
    missing = [name for name, value in (("--client-id", options.client_id),
                                        ("--username", options.username),
                                        ("--jwt-key-file", options.jwt_key_file)) if not value]
    if missing:
        raise PullError(f"JWT bearer login needs {', '.join(missing)}",
                        "pass --client-id, --username and --jwt-key-file together")
    assert options.jwt_key_file is not None  # checked above; for the type checker
    login_url = _required_url(options.login_url, "--login-url")
    try:
        key = options.jwt_key_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PullError(f"{options.jwt_key_file}: cannot read the private key ({error})",
                        "--jwt-key-file takes the PEM file of the connected app's "
                        "certificate key") from None
    claims = {"iss": options.client_id, "sub": options.username, "aud": login_url,
              "exp": int(time.time()) + JWT_LIFETIME_SECONDS}
    try:
        assertion = jwt.encode(claims, key, algorithm="RS256")
    except (ValueError, TypeError, jwt.PyJWTError) as error:
        raise PullError(f"{options.jwt_key_file}: not a usable RSA private key "
                        f"({type(error).__name__})", "--jwt-key-file takes a PEM RSA key") from None
    hint = "check --client-id, --username, --jwt-key-file and --login-url"
    return _token_call(session, login_url, {"grant_type": JWT_GRANT, "assertion": assertion},
                       "JWT bearer", hint)


def client_credentials(options: AuthOptions, session: requests.Session,
                       environ: Mapping[str, str]) -> Credentials:
    secret_env = options.client_secret_env or ""
    secret = environ.get(secret_env, "")
    if not options.client_id or not secret:
        raise PullError("client credentials login needs --client-id and a secret in "
                        f"{secret_env or '--client-secret-env'}",
                        f"set {secret_env} to the connected app's consumer secret")
    # The client credentials flow runs at the org's My Domain, never at login.salesforce.com.
    token_url = _required_url(options.instance_url, "--instance-url")
    hint = f"check --client-id, {secret_env} and --instance-url (the org's My Domain URL)"
    return _token_call(session, token_url, {"grant_type": "client_credentials",
                                            "client_id": options.client_id,
                                            "client_secret": secret}, "client credentials", hint)


def _token_call(session: requests.Session, base_url: str, form: dict[str, str | None],
                flow: str, hint: str) -> Credentials:
    try:
        response = session.post(base_url.rstrip("/") + TOKEN_PATH, data=form)
    except requests.RequestException as error:
        raise PullError(f"cannot reach {base_url} for the {flow} login: "
                        f"{type(error).__name__}", "check the URL and the network") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        reason = ""
        if isinstance(body, dict) and body.get("error"):
            reason = f": {body.get('error')} ({body.get('error_description', '')})"
        raise PullError(f"Salesforce refused the {flow} login "
                        f"(HTTP {response.status_code}){reason}", hint)
    instance_url = _required_url(str(body.get("instance_url") or base_url), "instance_url")
    return Credentials(instance_url, str(body["access_token"]), hint)


def _required_url(url: str | None, name: str) -> str:
    if not url:
        raise PullError(f"{name} is required", "e.g. --instance-url https://acme.my.salesforce.com")
    parts = urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is no number, or out of range
        port_ok = False
    if parts.scheme != "https" or not parts.hostname or not port_ok:
        raise PullError(f"{name} must be an https:// URL, got {url!r}",
                        "e.g. https://acme.my.salesforce.com")
    return f"https://{parts.netloc}"
