"""``cfglint init [PATH] [--roles] [--force]``: write a starter ``.cfglint.yaml`` (and roles file).

The configuration names the ruleset and failure threshold and shows, commented out, the other
settings a project usually reaches for. With ``--roles`` it also writes ``roles.yaml``: the
roles :func:`cfglint.roles.infer_roles` finds in the project at PATH, with comments saying what
only people can add (needs, from_stage, must_update, reports). Existing files are never
overwritten without ``--force``. The text is built line by line rather than dumped, because the
comments are the point of a starter file; every scalar is quoted when plain YAML would misread it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import click

from cfglint.commands.common import handle_errors, load_org, source_option
from cfglint.config import CONFIG_NAMES
from cfglint.model import Org, Role
from cfglint.output import write_text
from cfglint.readers import InputError
from cfglint.roles import infer_roles, inferred_message

CONFIG_FILE = CONFIG_NAMES[0]
ROLES_FILE = "roles.yaml"

#: Text that YAML reads as something other than a string when written plain.
_PLAIN = re.compile(r"[A-Za-z_][\w./-]*(?: [\w./-]+)*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})

CONFIG_TEMPLATE = """\
# cfglint configuration (docs/configuration in README.md). Written by `cfglint init`.
ruleset: default  # or go-live, debt-audit, pre-commit, or a ruleset file
fail-on: error  # lowest severity that makes `cfglint lint` exit 1: error, warning, info, never

# Run only some rules, or leave some out (ids, dotted names or prefixes):
# select: [REQ, VIEW]
# ignore: [DEBT001]

# Leave rules out for some paths:
# per-path-ignores:
#   "force-app/main/default/objects/Legacy__c/**": [DEBT]

# Who uses the CRM and what they need (cfglint init --roles writes a starting point):
{roles_line}
# Fill rates and placeholder shares, from `cfglint pull --with-usage`:
# usage: usage.json
"""

ROLES_HEADER = """\
# cfglint roles file (docs/roles.md): the people who use the CRM and what they need.
# Written by `cfglint init --roles`: {source}.
# Check each role's profiles and objects, then fill in what only people can say:
#   needs        the fields each role needs, by object; add `from_stage` where a field only
#                becomes known at a pipeline stage
#   must_update  the fields the role updates when it moves a record to a stage
#   reports      (at the end) which fields feed which reports and forecasts
# and remove `inferred: true` from the roles you have checked.
version: 1
"""

ROLE_COMMENTS = """\
    # needs:  # the fields this role needs, by object, e.g.
    #   {object}: [{needs}]
    # must_update:  # the fields it updates when a record moves to a stage, e.g.
    #   {object}: {{{stage}: [{field}]}}
"""

REPORTS_FOOTER = """\
# reports:  # which fields feed which reports and forecasts, e.g.
#   Sales/Pipeline_by_Stage:
#     fields: {Opportunity: [Amount, StageName, CloseDate]}
#     forecast: true
"""


@click.command("init")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--roles", "with_roles", is_flag=True,
              help=f"Also write {ROLES_FILE} with the roles inferred from the project at PATH.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@source_option
@handle_errors
def init_command(path: Path, with_roles: bool, force: bool, source: str | None) -> None:
    """Write a starter .cfglint.yaml in PATH (a project directory; default: here) and, with
    --roles, a roles.yaml inferred from the project's profiles / teams and layouts."""
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    directory = path if path.is_dir() else path.parent
    targets = [directory / CONFIG_FILE] + ([directory / ROLES_FILE] if with_roles else [])
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        raise InputError(f"{existing[0]} already exists; not overwritten",
                         "pass --force to replace it")
    roles_text = None
    if with_roles:
        org = load_org(path, source)
        roles = infer_roles(org)
        roles_text = roles_document(org, roles)
    write_text(config_document(with_roles), targets[0])
    click.echo(f"cfglint: wrote {targets[0]}", err=True)
    if roles_text is not None:
        write_text(roles_text, targets[1])
        click.echo(f"cfglint: wrote {targets[1]} ({_count(roles)})", err=True)


def config_document(with_roles: bool) -> str:
    """The starter ``.cfglint.yaml``."""
    # Left commented even when written: until its needs are filled in, an inferred role would
    # make VIEW004 call every field clutter.
    roles_line = (
        f"# roles: {ROLES_FILE}  # uncomment once each role's needs are filled in" if with_roles
        else f"# roles: {ROLES_FILE}"
    )
    return CONFIG_TEMPLATE.format(roles_line=roles_line)


def roles_document(org: Org, roles: dict[str, Role]) -> str:
    """A roles file for ``roles`` (role id -> Role), with comments on what to fill in."""
    source = inferred_message(roles).partition(";")[0] if roles else (
        "no roles could be inferred (no profile with layout assignments, no team)"
    )
    lines = [ROLES_HEADER.format(source=source).rstrip("\n")]
    if not roles:
        lines.append("roles: {}  # add roles here, e.g. ae: {profiles: [Sales User]}")
    else:
        lines.append("roles:")
        for role_id in sorted(roles):
            lines.extend(_role_lines(org, roles[role_id]))
    return "\n".join(lines) + "\n" + REPORTS_FOOTER


def _role_lines(org: Org, role: Role) -> list[str]:
    lines = [f"  {_scalar(role.name)}:"]
    if role.label:
        lines.append(f"    label: {_scalar(role.label)}")
    if role.description:
        lines.append(f"    description: {_scalar(role.description)}")
    lines.append(f"    profiles: {_flow(_profile_reference(org, p) for p in role.profiles)}")
    lines.append(f"    objects: {_flow(role.objects)}")
    lines.append(f"    tasks: {_flow(role.tasks)}")
    if role.record_types:
        pairs = ", ".join(
            f"{_scalar(name)}: {_scalar(record_type.removeprefix(f'recordtype:{name}.'))}"
            for name, record_type in sorted(role.record_types.items())
        )
        lines.append(f"    record_types: {{{pairs}}}")
    lines.extend(_example_comments(org, role))
    lines.append("    inferred: true")
    return lines


def _example_comments(org: Org, role: Role) -> list[str]:
    """The needs / must_update comment, with the role's own object, fields and stages."""
    staged = {pipeline.object_name: pipeline for pipeline in org.pipelines.values()}
    object_name = next((name for name in role.objects if name in staged),
                       role.objects[0] if role.objects else "Opportunity")
    crm_object = org.objects.get(object_name)
    names = sorted(crm_object.fields) if crm_object is not None else []
    first, second = [*names, "Name", "NextStep"][:2]
    pipeline = staged.get(object_name)
    open_stages = pipeline.open_stages() if pipeline is not None else []
    stage = open_stages[min(1, len(open_stages) - 1)].name if open_stages else "Proposal"
    needs = f"{_scalar(first)}, {{field: {_scalar(second)}, from_stage: {_scalar(stage)}}}"
    text = ROLE_COMMENTS.format(object=_scalar(object_name), needs=needs, stage=_scalar(stage),
                                field=_scalar(second))
    return text.rstrip("\n").split("\n")


def _profile_reference(org: Org, profile_id: str) -> str:
    """The profile's bare name when no other kind of profile shares it, else its id."""
    name = profile_id.partition(":")[2]
    sharing = [profile for profile in org.profiles.values() if profile.name == name]
    return name if len(sharing) <= 1 else profile_id


def _flow(values: Iterable[str]) -> str:
    return "[" + ", ".join(_scalar(value) for value in values) + "]"


def _scalar(text: str) -> str:
    """Plain when YAML reads it back as the same string, else a JSON (YAML) quoted string."""
    if _PLAIN.fullmatch(text) and text.casefold() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _count(roles: dict[str, Role]) -> str:
    if not roles:
        return "no roles inferred; add them by hand"
    return inferred_message(roles).partition(";")[0]
