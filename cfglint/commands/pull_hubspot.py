"""``cfglint pull hubspot``: the command; the work is in :mod:`cfglint.pull.hubspot`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cfglint.commands.common import handle_errors, progress_printer

DEFAULT_TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
DEFAULT_API_BASE_URL = "https://api.hubapi.com"


@click.command("hubspot")
@click.option("-o", "--output", "destination", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Snapshot directory to write; a previous snapshot there is replaced only "
              "when the pull succeeds.")
@click.option("--token-env", default=DEFAULT_TOKEN_ENV, show_default=True, metavar="NAME",
              help="Environment variable holding the private-app access token.")
@click.option("--token", metavar="TOKEN",
              help="The access token itself (discouraged: it shows in the shell history and "
              "the process list; prefer --token-env).")
@click.option("--api-base-url", default=DEFAULT_API_BASE_URL, show_default=True, metavar="URL",
              help="HubSpot API root (any https URL, e.g. a proxy). A custom CA bundle is "
              "taken from REQUESTS_CA_BUNDLE or SSL_CERT_FILE.")
@click.option("--with-usage", is_flag=True,
              help="Also measure fill rates, placeholder shares of enumerations and open "
              "records per stage from search totals (usage.json); never reads records. "
              "Slow: about 4 searches a second.")
@click.option("--force", is_flag=True,
              help="Replace the output directory even if it is not a cfglint snapshot.")
@handle_errors
def pull_hubspot_command(destination: Path, token_env: str, token: str | None,
                         api_base_url: str, with_usage: bool, force: bool) -> None:
    """Snapshot a HubSpot portal's configuration (properties, pipelines, custom objects,
    owners, users, teams, workflows, forms) into a directory every cfglint command reads
    offline. See docs/pull.md."""
    from cfglint.pull import PullError
    from cfglint.pull.hubspot import (
        HubSpotPullOptions,
        ca_bundle_from,
        pull_hubspot,
        resolve_token,
    )
    from cfglint.pull.snapshot import replaceable

    if not force and not replaceable(destination):
        raise PullError(f"{destination}: exists and is not a cfglint snapshot",
                        "choose another --output directory, or pass --force to replace it")
    secret, source = resolve_token(token, token_env, os.environ)
    options = HubSpotPullOptions(destination=destination, token=secret, token_source=source,
                                 api_base_url=api_base_url, with_usage=with_usage,
                                 ca_bundle=ca_bundle_from(os.environ),
                                 progress=progress_printer())
    summary = pull_hubspot(options)
    counts = ", ".join(f"{kind} {number}" for kind, number in summary.counts.items())
    click.echo(f"pulled HubSpot snapshot into {summary.destination}: {counts}; "
               f"{summary.calls} HTTP calls ({summary.retries} retried); "
               f"{len(summary.skipped)} skipped (see manifest.json)")


