"""``cfglint pull``: the group of live-pull commands, one module per vendor.

Each subcommand lives in ``cfglint/commands/pull_<vendor>.py`` and is imported only when it
runs (the vendor clients are heavy imports); adding a vendor is one line in
:data:`PULL_COMMANDS`.
"""

from __future__ import annotations

import click

from cfglint.commands.lazy import LazyGroup

PULL_COMMANDS = {
    "hubspot": "cfglint.commands.pull_hubspot:pull_hubspot_command",
    "salesforce": "cfglint.commands.pull_salesforce:pull_salesforce_command",
}


@click.group("pull", cls=LazyGroup, lazy_commands=PULL_COMMANDS)
def pull_group() -> None:
    """Snapshot a live CRM's configuration into a directory that every cfglint command reads
    offline (`cfglint lint SNAPSHOT`). Credentials come from environment variables and never
    reach the snapshot. See docs/pull.md."""
