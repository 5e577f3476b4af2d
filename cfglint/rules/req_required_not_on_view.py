"""A field required on every save is missing from a form that people create records with.

**Why it matters.** A rep who creates a record through a form that lacks a required field
cannot fill it in: the save fails with an error about a field the rep cannot see. The only way
out is an admin, an integration that fills a default, or a workaround nobody documents.

**What is checked.** Every layout, Dynamic Forms record page or HubSpot record view assigned to
at least one profile, permission set or team that creates records of its object: one whose
object permissions grant *create*, or whose permissions on that object the project does not
state (a profile file that lists no permission for the object, or no profile file at all).
Each field required at field level (and typed by a person: not system-set, defaulted, a formula
or an auto-number) must be on it. Views assigned to no one, views only profiles without create
permission get, and record pages that list no fields (a Lightning page without Dynamic Forms
shows its layout's fields) are not checked.

**Failing example** (cfglint YAML)

```yaml
objects:
  deals:
    fields:
      dealname: {type: text, required: true}
      amount: {type: currency, required: true}
    views:
      Deal record:
        sections: [{label: Deal, fields: [dealname]}]
        assigned_to: [AE]
teams:
  AE: {objects: {deals: [create, read, edit]}}
```

**Passing example**: the same, with `fields: [dealname, amount]`.

**How to fix.** Add the field to the form (with behavior *required*), or, when it is only known
later, drop the field-level requirement and require it at the stage where it is known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from cfglint.model import CrmObject, Org, View
from cfglint.rules._req_common import shared_index
from cfglint.rules.base import Options, Problem

ID = "REQ002"
NAME = "required.missing-from-view"
SEVERITY = "error"
OPTIONS: dict[str, Any] = {}

#: How many creating profiles a message names before it says "and N more".
NAMED_PROFILES = 3


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    index = shared_index(org, options)
    assigned = _assigned_profiles(org)
    for crm_object in index.objects():
        required = index.field_level_required(crm_object)
        if not required:
            continue
        for view in index.forms.get(crm_object.name, ()):
            creators = [
                profile for profile in assigned.get(view.id, ())
                if _may_create(org, profile, crm_object)
            ]
            shown = set(view.field_names())
            missing = [name for name in required if name not in shown]
            # A record page without Dynamic Forms lists no fields: it shows the layout's.
            if creators and shown and missing:
                yield _problem(crm_object, view, missing, creators)


def _assigned_profiles(org: Org) -> dict[str, list[str]]:
    by_view: dict[str, set[str]] = defaultdict(set)
    for assignment in org.view_assignments:
        by_view[assignment.view_id].add(assignment.profile_id)
    return {view_id: sorted(profiles) for view_id, profiles in by_view.items()}


def _may_create(org: Org, profile_id: str, crm_object: CrmObject) -> bool:
    """Create permission on the object, or unknown (then assume the profile creates)."""
    profile = org.profiles.get(profile_id)
    if profile is None:
        return True
    for permission in profile.object_permissions:
        if permission.object_name == crm_object.name:
            return permission.create
    return True


def _problem(crm_object: CrmObject, view: View, missing: list[str], creators: list[str]) -> Problem:
    named = ", ".join(creators[:NAMED_PROFILES])
    if len(creators) > NAMED_PROFILES:
        named += f" and {len(creators) - NAMED_PROFILES} more"
    fields = ", ".join(f"{crm_object.name}.{name}" for name in missing)
    return Problem(
        element_id=view.id,
        message=(
            f"{view.id} lacks required field{'s' if len(missing) > 1 else ''} {fields}, "
            f"but {named} create{'s' if len(creators) == 1 else ''} {crm_object.name} records "
            f"with it: the save fails unless something else fills "
            f"{'them' if len(missing) > 1 else 'it'}"
        ),
        location=view.location,
        data={"fields": missing, "profiles": creators},
    )
