"""A role does not find every field it needs on the views assigned to it.

**Why it matters.** A field a role needs but cannot see on its view is worse than clutter: the
rep opens another tab, asks an admin, or keeps the value in a spreadsheet. Coverage — the share
of a role's needed fields that are on its views — is the other half of "a view per role".

The roles come from the configuration's roles (``roles`` in cfglint YAML, or the roles file): a
role's views are those assigned to its profiles / teams, and its needed fields are its
``needs`` list. A field counts as covered when it is on one of the role's views of its object,
in any behaviour (a read-only field is on the view). Fields of objects that have no view
assigned to anybody in the configuration are left out: what the platform's default view shows
is not in the configuration. So are the fields of an object for which the role is assigned a
view the project does not hold (a Salesforce layout that was not retrieved). In a Salesforce
project, a role whose profiles' files hold no layout assignment at all is left alone (see
VIEW001). **Without roles the rule reports nothing.**

**Failing example**

```yaml
roles:
  ae: {profiles: [AE], needs: {deals: [dealname, amount, competitor]}}
objects:
  deals:
    views:
      Deal record: {sections: [{fields: [dealname, amount]}], assigned_to: [AE]}
```

(2 of 3 needed fields, 66 %: ``deals.competitor`` is missing.)

**Passing example**: the same view with ``competitor`` added.

**How to fix.** Add the missing fields to the role's view (at the stage where the role knows
them: a visibility rule or a later section), or assign the role a view that has them. When the
role does not really need a field, take it out of the role's ``needs``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, Role
from cfglint.rules._view_common import (
    assignments_are_partial,
    name_list,
    object_of,
    role_views,
    shown_fields,
    views_by_holder,
)
from cfglint.rules.base import Options, Problem

ID = "VIEW005"
NAME = "view.role-coverage"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "min-coverage-percent": {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "default": 100,
        "description": "Lowest share (%) of a role's needed fields that must be on its views.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    if not org.roles:
        return
    minimum = float(options["min-coverage-percent"])
    assigned = views_by_holder(org)
    judged = {object_name.casefold() for object_name in assigned}
    holders_with_views = {holder for holders in assigned.values() for holder in holders}
    partial = assignments_are_partial(org)
    for role_id in sorted(org.roles):
        role = org.roles[role_id]
        if partial and not set(role.profiles) & holders_with_views:
            continue
        views = role_views(org, role)
        # A view the project does not hold (a Salesforce layout not retrieved) shows unknown
        # fields: the needs on its object cannot be judged.
        unseen = {
            object_name.casefold() for object_name, view_ids in views.items()
            if any(view_id not in org.views for view_id in view_ids)
        }
        needed = _needed_fields(role, judged - unseen)
        if needed:
            view_ids = {view_id for object_views in views.values() for view_id in object_views}
            yield from _coverage(org, role, needed, view_ids, minimum)


def _needed_fields(role: Role, judged: set[str]) -> list[str]:
    """The role's needed field ids on judged objects, each once, in the order written."""
    needed: dict[str, str] = {}
    for need in role.needs:
        if object_of(need.field).casefold() in judged:
            needed.setdefault(need.field.casefold(), need.field)
    return list(needed.values())


def _coverage(
    org: Org, role: Role, needed: list[str], view_ids: set[str], minimum: float
) -> Iterator[Problem]:
    shown = shown_fields(org, view_ids)
    missing = [field_id for field_id in needed if field_id.casefold() not in shown]
    coverage = 100 * (len(needed) - len(missing)) / len(needed)
    if coverage >= minimum:
        return
    yield Problem(
        element_id=role.id,
        message=(
            f"role {role.name} finds {len(needed) - len(missing)} of the {len(needed)} fields "
            f"it needs on its views ({math.floor(coverage)} %, target {minimum:g} %); "
            f"missing: {name_list(missing)}"
        ),
        location=role.location,
        data={
            "coverage_percent": round(coverage, 1),
            "target": minimum,
            "needed": len(needed),
            "missing": missing,
            "views": sorted(view_ids),
        },
    )
