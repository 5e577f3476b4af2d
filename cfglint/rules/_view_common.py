"""What the VIEW rules share: who is assigned which view, and which fields a view lets people edit.

Assignments are read as sets: the Salesforce readers keep every distinct assignment of a
profile, and the same profile may come from several Metadata API bundles (NPSP's
``unpackaged/config/*``) with different layouts for one record type. A set of views per
(profile, object) makes those copies count once and lets conflicting ones both count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from cfglint.model import (
    Behavior,
    FieldType,
    Org,
    Profile,
    ProfileKind,
    Role,
    View,
    ViewKind,
)

#: Views that are assigned to people and that people fill in. Compact layouts only show a
#: record's highlights.
FORM_VIEW_KINDS = frozenset({ViewKind.LAYOUT, ViewKind.FLEXIPAGE, ViewKind.RECORD_VIEW})

#: Field types nobody types into, whatever a view says about them.
COMPUTED_TYPES = frozenset({FieldType.FORMULA, FieldType.AUTONUMBER})

EDITABLE_BEHAVIORS = frozenset({Behavior.EDIT, Behavior.REQUIRED})

#: Profile kinds that a view can be assigned to (permission sets cannot carry layouts).
VIEW_HOLDER_KINDS = frozenset({ProfileKind.PROFILE, ProfileKind.TEAM})

_LAYOUT_PREFIX = ViewKind.LAYOUT.value + ":"


def view_object(org: Org, view_id: str) -> str | None:
    """The object a view is for; a layout the project does not hold is named ``Object-Name``."""
    view = org.views.get(view_id)
    if view is not None:
        return view.object_name
    if view_id.startswith(_LAYOUT_PREFIX):
        object_name, dash, _ = view_id[len(_LAYOUT_PREFIX):].partition("-")
        return object_name if dash else None
    return None


def views_by_holder(org: Org) -> dict[str, dict[str, set[str]]]:
    """object -> profile / team id -> the ids of the views assigned to it for that object."""
    assigned: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for assignment in org.view_assignments:
        object_name = view_object(org, assignment.view_id)
        if object_name is not None:
            assigned[object_name][assignment.profile_id].add(assignment.view_id)
    return assigned


def assignments_are_partial(org: Org) -> bool:
    """True when a profile's file may leave out its layout assignments.

    A retrieved Salesforce profile lists assignments only for the layouts retrieved with it, and
    many projects keep permission-only profile files. cfglint YAML (and HubSpot) list every
    assignment.
    """
    return org.platform == "salesforce" and org.source_format != "cfglint-yaml"


def holder_name(org: Org, holder_id: str) -> str:
    """A profile / team id as people say it: its name."""
    profile = org.profiles.get(holder_id)
    return profile.name if profile is not None else holder_id.partition(":")[2] or holder_id


def holder_kind_plural(org: Org, holder_ids: Iterable[str]) -> str:
    kinds = {holder_id.partition(":")[0] for holder_id in holder_ids}
    return "teams" if kinds == {ProfileKind.TEAM.value} else "profiles"


def is_view_holder(profile: Profile) -> bool:
    return profile.kind in VIEW_HOLDER_KINDS


def editable_fields(org: Org, view: View) -> list[str]:
    """Names of the fields people can type into on a view, each once, in view order."""
    names: dict[str, None] = {}
    for item in view.items():
        if item.behavior not in EDITABLE_BEHAVIORS or item.field in names:
            continue
        model_field = org.field(f"{view.object_name}.{item.field}")
        if model_field is not None and (
            model_field.system or model_field.type in COMPUTED_TYPES
        ):
            continue
        names[item.field] = None
    return list(names)


def form_views(org: Org) -> Iterator[View]:
    """Layouts, record pages and record views that belong to an object, sorted by id."""
    for view_id in sorted(org.views):
        view = org.views[view_id]
        if view.kind in FORM_VIEW_KINDS and view.object_name is not None:
            yield view


def role_views(org: Org, role: Role) -> dict[str, set[str]]:
    """object -> ids of the views assigned to any of the role's profiles / teams."""
    holders = set(role.profiles)
    views: dict[str, set[str]] = defaultdict(set)
    for assignment in org.view_assignments:
        if assignment.profile_id in holders:
            object_name = view_object(org, assignment.view_id)
            if object_name is not None:
                views[object_name].add(assignment.view_id)
    return views


def object_of(field_id: str) -> str:
    return field_id.partition(".")[0]


def shown_fields(org: Org, view_ids: Iterable[str]) -> set[str]:
    """Field ids (lower-cased: Salesforce names ignore case) shown on any of the views."""
    shown: set[str] = set()
    for view_id in view_ids:
        view = org.views.get(view_id)
        if view is None:
            continue
        shown.update(f"{view.object_name}.{name}".casefold() for name in view.field_names())
    return shown


def name_list(names: Iterable[str], limit: int = 10) -> str:
    """``a, b, c`` — at most ``limit`` names, then how many more."""
    listed = list(names)
    if len(listed) <= limit:
        return ", ".join(listed)
    return f"{', '.join(listed[:limit])} and {len(listed) - limit} more"
