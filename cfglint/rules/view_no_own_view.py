"""A profile, team or role works on an object but has no view of that object assigned to it.

**Why it matters.** People who get no view of their own see whatever the platform falls back
to: the org's default page layout in Salesforce, the default record view in HubSpot. Nobody
tailored it to their job, so it shows every field to everyone — the "one view for everyone"
problem that sends reps to shadow spreadsheets.

What counts:

- a Salesforce **profile** or HubSpot **team** *works on* an object when it may create or edit
  its records, or edit at least one of its fields; permission sets are left out, because a
  layout can only be assigned to a profile;
- a **role** (``roles`` in cfglint YAML, or the roles file) works on the objects it lists and
  the objects of the fields it needs; its views are those assigned to its profiles / teams.

Only objects that have at least one view assigned to somebody in the configuration are
checked: for the others the configuration says nothing about views at all. In a Salesforce
project, a profile whose file holds no layout assignment at all is also left alone — retrieved
profiles list assignments only for the layouts retrieved with them, and many projects keep
permission-only profile files. In the org, such a profile sees a layout the project does not
hold.

**Failing example**

```yaml
teams:
  CSM: {objects: {deals: [read, edit]}}
objects:
  deals:
    views:
      Sales view: {sections: [{fields: [dealname, amount]}], assigned_to: [AE]}
```

**Passing example**

```yaml
objects:
  deals:
    views:
      Sales view: {sections: [{fields: [dealname, amount]}], assigned_to: [AE]}
      Success view: {sections: [{fields: [dealname, renewal_date]}], assigned_to: [CSM]}
```

**How to fix.** Give the profile, team or role a view built for its job (a page layout
assignment in the profile, a HubSpot record view for the team) with the fields it needs first;
or, when it should not work on the object at all, remove the permission.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, Profile, Role
from cfglint.rules._view_common import (
    assignments_are_partial,
    holder_kind_plural,
    holder_name,
    is_view_holder,
    name_list,
    object_of,
    views_by_holder,
)
from cfglint.rules.base import Options, Problem

ID = "VIEW001"
NAME = "view.no-own-view"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    assigned = views_by_holder(org)
    # In a Salesforce project, judge only those whose files do track layout assignments.
    tracked = (
        {holder for holders in assigned.values() for holder in holders}
        if assignments_are_partial(org) else None
    )
    yield from _profile_problems(org, assigned, tracked)
    yield from _role_problems(org, assigned, tracked)


def _profile_problems(
    org: Org, assigned: dict[str, dict[str, set[str]]], tracked: set[str] | None
) -> Iterator[Problem]:
    for profile_id in sorted(org.profiles):
        profile = org.profiles[profile_id]
        if not is_view_holder(profile) or (tracked is not None and profile_id not in tracked):
            continue
        missing = [
            name for name in sorted(worked_objects(profile))
            if name in assigned and profile_id not in assigned[name]
        ]
        if missing:
            yield _problem(f"{profile.kind.value} {profile.name}", missing, profile, "")


def _role_problems(
    org: Org, assigned: dict[str, dict[str, set[str]]], tracked: set[str] | None
) -> Iterator[Problem]:
    for role_id in sorted(org.roles):
        role = org.roles[role_id]
        holders = set(role.profiles)
        if tracked is not None and not holders & tracked:
            continue
        missing = [
            name for name in sorted(role_objects(role))
            if name in assigned and not holders & set(assigned[name])
        ]
        if missing:
            yield _problem(f"role {role.name}", missing, role, _role_suffix(org, role))


def worked_objects(profile: Profile) -> set[str]:
    """Objects whose records the profile may create or edit, or whose fields it may edit."""
    objects = {
        permission.object_name
        for permission in profile.object_permissions
        if permission.create or permission.edit
    }
    objects.update(
        object_of(permission.field)
        for permission in profile.field_permissions
        if permission.editable
    )
    return objects


def role_objects(role: Role) -> set[str]:
    return set(role.objects) | {object_of(need.field) for need in role.needs}


def _role_suffix(org: Org, role: Role) -> str:
    if not role.profiles:
        return " (it maps to no profile or team)"
    kinds = holder_kind_plural(org, role.profiles)
    names = name_list(holder_name(org, holder) for holder in sorted(role.profiles))
    return f" (its {kinds}: {names})"


def _problem(who: str, missing: list[str], element: Profile | Role, suffix: str) -> Problem:
    if len(missing) == 1:
        message = f"{who} works on {missing[0]} but has no {missing[0]} view of its own{suffix}"
    else:
        message = (
            f"{who} works on {len(missing)} objects with no view of its own: "
            f"{name_list(missing)}{suffix}"
        )
    return Problem(
        element_id=element.id,
        message=message,
        location=element.location,
        data={"objects": missing},
    )
