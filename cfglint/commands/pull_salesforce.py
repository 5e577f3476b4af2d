"""``cfglint pull salesforce``: the command; the work is in :mod:`cfglint.pull.salesforce`."""

from __future__ import annotations

from pathlib import Path

import click

from cfglint.commands.common import handle_errors, progress_printer
from cfglint.pull.salesforce_auth import DEFAULT_LOGIN_URL, DEFAULT_TOKEN_ENV, AuthOptions


@click.command("salesforce")
@click.option("-o", "--output", "destination", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Snapshot directory to write; a previous snapshot there is replaced only "
              "when the pull succeeds.")
@click.option("--instance-url", metavar="URL",
              help="The org's https URL, e.g. https://acme.my.salesforce.com (token and client "
              "credentials logins).")
@click.option("--token-env", default=DEFAULT_TOKEN_ENV, show_default=True, metavar="NAME",
              help="Environment variable holding an access token (with --instance-url).")
@click.option("--target-org", metavar="ALIAS",
              help="Take the token and instance URL from `sf org display` for this alias.")
@click.option("--client-id", metavar="KEY",
              help="Connected app consumer key (JWT bearer or client credentials).")
@click.option("--username", metavar="USER", help="User to log in as with JWT bearer.")
@click.option("--jwt-key-file", type=click.Path(dir_okay=False, path_type=Path),
              help="PEM private key of the connected app's certificate (JWT bearer).")
@click.option("--client-secret-env", metavar="NAME",
              help="Environment variable holding the consumer secret (client credentials).")
@click.option("--login-url", default=DEFAULT_LOGIN_URL, show_default=True, metavar="URL",
              help="Where JWT bearer logs in: https://test.salesforce.com for a sandbox, or "
              "the My Domain URL.")
@click.option("--api-version", default="62.0", show_default=True,
              help="Salesforce API version to call.")
@click.option("--with-usage", is_flag=True,
              help="Also measure fill rates, placeholder shares and open records per stage "
              "with aggregate queries (usage.json); never reads records.")
@click.option("--force", is_flag=True,
              help="Replace the output directory even if it is not a cfglint snapshot.")
@handle_errors
def pull_salesforce_command(destination: Path, instance_url: str | None, token_env: str,
                            target_org: str | None, client_id: str | None,
                            username: str | None, jwt_key_file: Path | None,
                            client_secret_env: str | None, login_url: str, api_version: str,
                            with_usage: bool, force: bool) -> None:
    """Snapshot a Salesforce org's configuration (Metadata API retrieve and sObject describes)
    into a directory every cfglint command reads offline. See docs/pull.md."""
    from cfglint.pull import PullError
    from cfglint.pull.salesforce import PullOptions, pull_salesforce
    from cfglint.pull.snapshot import replaceable

    if not force and not replaceable(destination):
        raise PullError(f"{destination}: exists and is not a cfglint snapshot",
                        "choose another --output directory, or pass --force to replace it")
    auth = AuthOptions(instance_url=instance_url, token_env=token_env, target_org=target_org,
                       client_id=client_id, username=username, jwt_key_file=jwt_key_file,
                       client_secret_env=client_secret_env, login_url=login_url)
    options = PullOptions(destination=destination, auth=auth, api_version=api_version,
                          with_usage=with_usage, progress=progress_printer())
    summary = pull_salesforce(options)
    counts = ", ".join(f"{kind} {number}" for kind, number in sorted(summary.counts.items()))
    click.echo(f"pulled Salesforce snapshot into {summary.destination}: {counts}; "
               f"{summary.calls} HTTP calls ({summary.retries} retried); "
               f"{len(summary.skipped)} skipped (see manifest.json)")


