"""The ``--roles FILE`` and ``--usage FILE`` options that ``lint`` and ``debt`` share.

Without the options, the configuration's ``roles:`` / ``usage:`` paths apply. A roles file
becomes the org's roles before the graph and the rules see the org; what it names that the
configuration does not define is printed as a warning, not an error (docs/roles.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cfglint.lint import SideInputs
    from cfglint.model import Org

roles_option = click.option(
    "--roles", "roles_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Roles file (roles.yaml): who uses the CRM and what they need [default: the "
    "configuration's roles:].",
)
usage_option = click.option(
    "--usage", "usage_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Usage file (usage.json, from cfglint pull --with-usage) [default: the "
    "configuration's usage:].",
)


def load_side_inputs(org: Org, roles_file: Path | None, usage_file: Path | None) -> SideInputs:
    """Read the side inputs, apply the roles file to ``org``, warn about its notes."""
    from cfglint.roles import read_side_inputs

    inputs, notes = read_side_inputs(org, roles_file, usage_file)
    for note in notes:
        click.echo(f"cfglint: warning: {note}", err=True)
    return inputs
