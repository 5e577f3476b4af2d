"""Roles: the people who use the CRM, from a roles file, from cfglint YAML, or inferred.

A role says which profiles / teams its people belong to, which objects they work on, what they
do there (``create``, ``stage-move``, ``log-call``) and which fields they need. The roles file
(``roles.yaml``, :mod:`cfglint.readers.roles`) is the written result of watching reps work;
without one, :func:`infer_roles` guesses roles from what the configuration already says:

- **Salesforce**: profiles with the same layout assignments serve the same people, so each group
  of such profiles is one role, named after its first profile (``Sales User`` -> ``sales-user``).
  A profile whose object permissions grant create on none of its assigned objects (an
  integration or read-only user) is left out. When no profile has a layout assignment (many
  packages ship permission sets only), each permission set that may create records is a role.
- **HubSpot** (and cfglint YAML with teams): one role per team.

Inferred roles know nothing of needs (``needs`` stays empty) and are marked ``inferred``; the
commands say so, and ``cfglint init --roles`` writes them out as a starting point.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cfglint.model import Org, Profile, ProfileKind, Role, ViewAssignment
from cfglint.rules._view_common import view_object

if TYPE_CHECKING:
    from cfglint.lint import SideInputs
    from cfglint.readers.roles import RolesFile

CREATE = "create"
STAGE_MOVE = "stage-move"
LOG_CALL = "log-call"

#: Salesforce objects whose records are logged calls and meetings.
SALESFORCE_ACTIVITY_OBJECTS = frozenset({"Task", "Event"})
#: HubSpot engagement objects (a record view on one means people log activities).
HUBSPOT_ENGAGEMENT_OBJECTS = frozenset(
    {"calls", "meetings", "notes", "emails", "tasks", "engagements", "communications"}
)
#: A Salesforce quick action of this type is the "Log a Call" button.
LOG_CALL_ACTION = "LogACall"

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


# --- public API ---------------------------------------------------------------------------------


def infer_roles(org: Org) -> dict[str, Role]:
    """Roles guessed from profiles / teams and their view assignments; role id -> Role.

    Deterministic: profiles are taken in id order and roles come back sorted by id.
    """
    teams = _profiles_of_kind(org, ProfileKind.TEAM)
    if org.platform == "hubspot" or teams:
        roles = [_team_role(org, team) for team in teams]
    else:
        roles = _salesforce_roles(org)
    return {role.id: role for role in sorted(roles, key=lambda role: role.id)}


def effective_roles(
    org: Org, roles_file: RolesFile | Path | str | None = None
) -> tuple[dict[str, Role], bool]:
    """(roles, inferred?): the roles file's, else the org's own (cfglint YAML), else inferred.

    ``roles_file`` is a loaded :class:`~cfglint.readers.roles.RolesFile` or a path to read (a
    bad file raises :class:`~cfglint.readers.InputError`).
    """
    if roles_file is not None:
        from cfglint.readers.roles import RolesFile, load_roles

        loaded = roles_file if isinstance(roles_file, RolesFile) else load_roles(
            Path(roles_file), org
        )
        return dict(loaded.roles), False
    if org.roles:
        return dict(org.roles), False
    return infer_roles(org), True


def inferred_message(roles: dict[str, Role]) -> str:
    """What commands print when they work with inferred roles."""
    holders = sorted({profile for role in roles.values() for profile in role.profiles})
    if not holders:
        return ("no roles: no profile, permission set or team has a view assigned, so cfglint "
                "cannot infer who uses the CRM; write a roles file (cfglint init --roles)")
    kinds = {holder.partition(":")[0] for holder in holders}
    if kinds == {ProfileKind.TEAM.value}:
        source = f"{len(holders)} team{'s' if len(holders) != 1 else ''}"
    elif kinds == {ProfileKind.PERMISSION_SET.value}:
        source = f"{len(holders)} permission set{'s' if len(holders) != 1 else ''}"
    else:
        source = f"{len(holders)} profile{'s' if len(holders) != 1 else ''} with layout assignments"
    return (
        f"roles inferred from {source}; write a roles file (cfglint init --roles) to say what "
        "each role needs"
    )


def slug(text: str) -> str:
    """``Acme Sales Rep`` -> ``acme-sales-rep``, ``NPSP_Standard_User`` -> ``npsp-standard-user``.
    """
    return _NOT_SLUG.sub("-", text.casefold()).strip("-") or "role"


# --- Salesforce ---------------------------------------------------------------------------------


def _salesforce_roles(org: Org) -> list[Role]:
    assignments = _assignments_by_holder(org)
    profiles = [
        profile for profile in _profiles_of_kind(org, ProfileKind.PROFILE)
        if assignments.get(profile.id) and _may_create(org, profile, assignments[profile.id])
    ]
    if profiles:
        return _named_uniquely([
            _group_role(org, group, assignments) for group in _same_assignments(profiles,
                                                                               assignments)
        ])
    # Permission sets carry no layouts: each one that may create records is a job of its own.
    permission_sets = [
        permission_set for permission_set in _profiles_of_kind(org, ProfileKind.PERMISSION_SET)
        if any(permission.create for permission in permission_set.object_permissions)
    ]
    return _named_uniquely([
        _group_role(org, [permission_set], assignments) for permission_set in permission_sets
    ])


def _same_assignments(
    profiles: list[Profile], assignments: dict[str, set[ViewAssignment]]
) -> list[list[Profile]]:
    """Profiles grouped by identical layout assignments, in order of each group's first id."""
    groups: dict[frozenset[tuple[str, str]], list[Profile]] = {}
    for profile in profiles:
        key = frozenset(
            (assignment.view_id, assignment.record_type or "")
            for assignment in assignments[profile.id]
        )
        groups.setdefault(key, []).append(profile)
    return list(groups.values())


def _group_role(
    org: Org, group: list[Profile], assignments: dict[str, set[ViewAssignment]]
) -> Role:
    first = group[0]
    assigned = {
        view_object(org, assignment.view_id)
        for profile in group for assignment in assignments.get(profile.id, ())
    }
    candidates = assigned if assigned - {None} else {
        permission.object_name for profile in group for permission in profile.object_permissions
    }
    objects = sorted(
        name for name in candidates
        if name is not None and any(_may_work_on(profile, name) for profile in group)
    )
    names = ", ".join(profile.name for profile in group)
    source = "permission set" if first.kind is ProfileKind.PERMISSION_SET else (
        "profiles with the same layout assignments"
    )
    return Role(
        name=slug(first.name),
        label=first.label or first.name,
        profiles=[profile.id for profile in group],
        objects=objects,
        tasks=_tasks(org, objects),
        description=f"inferred from {source}: {names}",
        inferred=True,
        record_types=_record_types(org, group, assignments, objects),
    )


def _may_create(org: Org, profile: Profile, assigned: set[ViewAssignment]) -> bool:
    """False when the object permissions say the profile creates nothing: none grants create,
    or every object it is shown is listed without create (integration and read-only users)."""
    permissions = {permission.object_name: permission for permission in
                   profile.object_permissions}
    if not permissions:
        return True
    if not any(permission.create for permission in permissions.values()):
        return False
    objects = {view_object(org, assignment.view_id) for assignment in assigned} - {None}
    return not objects or any(
        name not in permissions or permissions[name].create for name in objects if name
    )


def _may_work_on(profile: Profile, object_name: str) -> bool:
    """Create or edit per the object permissions; an object they do not mention is assumed
    workable (retrieved profiles often hold only part of their permissions)."""
    for permission in profile.object_permissions:
        if permission.object_name == object_name:
            return permission.create or permission.edit
    return True


def _record_types(
    org: Org, group: list[Profile], assignments: dict[str, set[ViewAssignment]],
    objects: list[str],
) -> dict[str, str]:
    """Per object, the one record type the group's people use, when only one is in sight."""
    seen: dict[str, set[str]] = defaultdict(set)
    for profile in group:
        for record_type in profile.record_types:
            seen[_record_type_object(record_type)].add(record_type)
        for assignment in assignments.get(profile.id, ()):
            if assignment.record_type:
                seen[_record_type_object(assignment.record_type)].add(assignment.record_type)
    return {
        name: next(iter(seen[name])) for name in objects if len(seen.get(name, ())) == 1
    }


def _record_type_object(record_type_id: str) -> str:
    return record_type_id.removeprefix("recordtype:").partition(".")[0]


# --- HubSpot ------------------------------------------------------------------------------------


def _team_role(org: Org, team: Profile) -> Role:
    assigned = {
        view_object(org, assignment.view_id)
        for assignment in org.view_assignments if assignment.profile_id == team.id
    } - {None}
    candidates = assigned or {
        permission.object_name for permission in team.object_permissions
        if permission.create or permission.edit
    }
    objects = sorted(name for name in candidates if name and _may_work_on(team, name))
    return Role(
        name=slug(team.name),
        label=team.label or team.name,
        profiles=[team.id],
        objects=objects,
        tasks=_tasks(org, objects),
        description=f"inferred from team {team.name}",
        inferred=True,
        record_types={},
    )


# --- shared -------------------------------------------------------------------------------------


def _tasks(org: Org, objects: list[str]) -> list[str]:
    if not objects:
        return []
    tasks = [CREATE]
    with_pipeline = {pipeline.object_name for pipeline in org.pipelines.values()}
    if with_pipeline & set(objects):
        tasks.append(STAGE_MOVE)
    if logs_activities(org):
        tasks.append(LOG_CALL)
    return tasks


def logs_activities(org: Org) -> bool:
    """The configuration holds calls / meetings: Task or Event (Salesforce), a HubSpot
    engagement object, a view of one, or a Log a Call quick action."""
    activity = SALESFORCE_ACTIVITY_OBJECTS | HUBSPOT_ENGAGEMENT_OBJECTS
    if activity & set(org.objects):
        return True
    if any(view.object_name in activity for view in org.views.values()):
        return True
    return any(action.action_type == LOG_CALL_ACTION for action in org.quick_actions.values())


def _profiles_of_kind(org: Org, kind: ProfileKind) -> list[Profile]:
    return [org.profiles[key] for key in sorted(org.profiles) if org.profiles[key].kind is kind]


def _assignments_by_holder(org: Org) -> dict[str, set[ViewAssignment]]:
    by_holder: dict[str, set[ViewAssignment]] = defaultdict(set)
    for assignment in org.view_assignments:
        by_holder[assignment.profile_id].add(assignment)
    return by_holder


def _named_uniquely(roles: Iterable[Role]) -> list[Role]:
    """Two groups whose first profiles slug alike get ``-2``, ``-3``: ids must be unique."""
    taken: set[str] = set()
    result = []
    for role in roles:
        base, number = role.name, 1
        while role.name in taken:
            number += 1
            role.name = f"{base}-{number}"
        taken.add(role.name)
        result.append(role)
    return result


def read_side_inputs(
    org: Org, roles_path: Path | None, usage_path: Path | None
) -> tuple[SideInputs, list[str]]:
    """Load the roles and usage files a command was given (or its configuration names).

    The roles file becomes the org's roles (see :func:`~cfglint.readers.roles.apply_roles`).
    Returns the side inputs for the lint engine and the roles file's notes for the command to
    print as warnings. A bad file raises :class:`~cfglint.readers.InputError`.
    """
    from cfglint.lint import SideInputs
    from cfglint.readers.roles import apply_roles, load_roles
    from cfglint.readers.usage import load_usage

    inputs = SideInputs()
    notes: list[str] = []
    if roles_path is not None:
        roles_file = load_roles(roles_path, org)
        apply_roles(org, roles_file)
        inputs.roles, notes = roles_file, roles_file.notes
    if usage_path is not None:
        inputs.usage = load_usage(usage_path)
    return inputs, notes
