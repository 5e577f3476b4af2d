"""Most of a view's editable fields are needed by none of the roles that use it.

**Why it matters.** A field nobody on the view needs is clutter: it pushes the fields that
matter below the fold, invites placeholder values ("N/A", "TBD") and makes every update slower.
Practitioners' advice for launch is "only the fields each role needs"; this rule measures how
far a view is from it.

The roles come from the configuration's roles (``roles`` in cfglint YAML, or the roles file):
a role uses a view when the view is assigned to one of the role's profiles / teams, and needs
the fields its ``needs`` list names. Clutter is the share of the view's editable fields (see
VIEW003 for what counts) that none of those roles needs. **Without roles the rule reports
nothing**, and a view that no role uses is not judged.

**Failing example**

```yaml
roles:
  sdr: {profiles: [SDR], needs: {deals: [dealname, hs_next_step]}}
objects:
  deals:
    views:
      Deal record:
        sections: [{fields: [dealname, hs_next_step, amount, competitor, contract_length]}]
        assigned_to: [SDR]
```

(3 of 5 editable fields, 60 %, are needed by no role.)

**Passing example**: the same view with only ``dealname`` and ``hs_next_step``, or a role
that needs the other fields assigned to it too.

**How to fix.** Remove the fields no role needs from the view (defer them to "phase 2"), or,
when a role does need them, add them to that role's ``needs`` so the roles file says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, Role, View
from cfglint.rules._view_common import editable_fields, form_views, name_list
from cfglint.rules.base import Options, Problem

ID = "VIEW004"
NAME = "view.clutter"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-clutter-percent": {
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "default": 50,
        "description": "Highest share (%) of a view's editable fields that no role of the view "
        "may need.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    if not org.roles:
        return
    maximum = float(options["max-clutter-percent"])
    holders_of: dict[str, set[str]] = defaultdict(set)
    for assignment in org.view_assignments:
        holders_of[assignment.view_id].add(assignment.profile_id)
    for view in form_views(org):
        roles = [
            org.roles[role_id] for role_id in sorted(org.roles)
            if holders_of[view.id] & set(org.roles[role_id].profiles)
        ]
        if roles:
            yield from _clutter(org, view, roles, maximum)


def _clutter(org: Org, view: View, roles: list[Role], maximum: float) -> Iterator[Problem]:
    fields = editable_fields(org, view)
    if not fields:
        return
    # Field ids ignore case: Salesforce API names do, and a roles file is written by hand.
    needed = {need.field.casefold() for role in roles for need in role.needs}
    unneeded = [name for name in fields if f"{view.object_name}.{name}".casefold() not in needed]
    share = 100 * len(unneeded) / len(fields)
    if share <= maximum:
        return
    role_names = ", ".join(role.name for role in roles)
    yield Problem(
        element_id=view.id,
        message=(
            f"{math.ceil(share)} % of {view.name}'s {len(fields)} editable fields are needed "
            f"by none of its roles ({role_names}): {name_list(unneeded)} (max {maximum:g} %)"
        ),
        location=view.location,
        data={
            "clutter_percent": round(share, 1),
            "max": maximum,
            "editable": len(fields),
            "unneeded": unneeded,
            "roles": [role.id for role in roles],
        },
    )
