"""Access: profiles, permission sets and permission set groups.

Besides field and object permissions, a profile says which page layout each record type shows
(``layoutAssignments``); those become :class:`~cfglint.model.ViewAssignment` entries on the org.
Lightning page activation lives in ``CustomApplication`` metadata, which is not read.

Profiles of big orgs hold thousands of ``fieldPermissions``, so the loops here read each entry's
children in one pass instead of looking every value up separately.
"""

from __future__ import annotations

from urllib.parse import unquote

from lxml import etree

from cfglint.model import (
    FieldPermission,
    ObjectPermission,
    Org,
    Profile,
    ProfileKind,
    ViewAssignment,
    ViewKind,
)
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import is_true, stripped, text

#: File names of the standard profiles. Their files often leave ``<custom>`` out (CumulusCI
#: config bundles do), and a profile by one of these names is the platform's own.
STANDARD_PROFILES = frozenset(
    {
        "Admin", "Standard", "ReadOnly", "SolutionManager", "MarketingProfile",
        "ContractManager", "StandardAul",
    }
)

#: The children of a profile or permission set that the model has a place for.
_READ_ENTRIES = (
    "fieldPermissions", "layoutAssignments", "objectPermissions", "recordTypeVisibilities",
    "custom", "label", "description",
)

_LAYOUT_PREFIX = ViewKind.LAYOUT.value + ":"
_RECORD_TYPE_PREFIX = "recordtype:"


def _values(entry: etree._Element) -> dict[str, str]:
    """The stripped text of each child of a permission entry, by name, in one pass (the last
    of a name wins; comments land under a key no look-up uses)."""
    return {
        child_element.tag: value.strip()
        for child_element in entry
        if (value := child_element.text) is not None
    }


def handle_profile(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["profiles"] += 1
    name = unquote(context.name)
    # ``<custom>``, when the file has it, overrides this guess from the name.
    _read_access(element, context, org, ProfileKind.PROFILE, name, name not in STANDARD_PROFILES)


def handle_permission_set(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["permission_sets"] += 1
    _read_access(element, context, org, ProfileKind.PERMISSION_SET, unquote(context.name), True)


def handle_permission_set_group(
    element: etree._Element, context: ElementContext, org: Org
) -> None:
    org.occurrences["permission_set_groups"] += 1
    group = Profile(
        kind=ProfileKind.PERMISSION_SET_GROUP,
        name=unquote(context.name),
        label=text(element, "label"),
        description=text(element, "description"),
        custom=True,
        location=context.location(element),
    )
    # The member permission sets (<permissionSets>) have no place in the model yet.
    org.profiles.setdefault(group.id, group)


def _read_access(
    element: etree._Element,
    context: ElementContext,
    org: Org,
    kind: ProfileKind,
    name: str,
    custom: bool,
) -> None:
    profile = Profile(kind=kind, name=name, custom=custom, location=context.location(element))
    # A later copy of a profile (another deployment bundle) adds its layout assignments, but the
    # first copy's permissions stand: reading them again would only be thrown away.
    first_copy = profile.id not in org.profiles
    for entry in element.iterchildren(*_READ_ENTRIES):  # user permissions, tabs, ... are not
        entry_name = entry.tag
        if entry_name == "fieldPermissions":  # by far the most common entry: tested first
            if first_copy:
                _add_field_permission(entry, profile.field_permissions)
        elif entry_name == "layoutAssignments":
            _add_layout_assignment(_values(entry), profile.id, org)
        elif not first_copy:
            continue
        elif entry_name == "objectPermissions":
            _add_object_permission(_values(entry), profile)
        elif entry_name == "recordTypeVisibilities":
            values = _values(entry)
            record_type = values.get("recordType")
            if record_type and is_true(values.get("visible")):
                profile.record_types.append(_RECORD_TYPE_PREFIX + record_type)
        elif entry_name == "custom":
            profile.custom = is_true(entry.text)
        elif entry_name == "label":
            profile.label = stripped(entry)
        elif entry_name == "description":
            profile.description = stripped(entry)
    if first_copy:
        org.profiles[profile.id] = profile


def _add_field_permission(entry: etree._Element, permissions: list[FieldPermission]) -> None:
    # The hot loop of big profiles and permission sets (thousands of entries): plain tag
    # comparisons and no per-entry dictionary.
    field_id = readable = editable = None
    for child_element in entry:
        tag = child_element.tag
        if tag == "field":
            field_id = child_element.text
        elif tag == "readable":
            readable = child_element.text
        elif tag == "editable":
            editable = child_element.text
    if field_id and (field_id := field_id.strip()):
        permissions.append(FieldPermission(field_id, is_true(readable), is_true(editable)))


def _add_object_permission(values: dict[str, str], profile: Profile) -> None:
    object_name = values.get("object")
    if object_name:
        profile.object_permissions.append(
            ObjectPermission(
                object_name=object_name,
                create=is_true(values.get("allowCreate")),
                read=is_true(values.get("allowRead")),
                edit=is_true(values.get("allowEdit")),
                delete=is_true(values.get("allowDelete")),
            )
        )


def _add_layout_assignment(values: dict[str, str], profile_id: str, org: Org) -> None:
    layout = values.get("layout")
    if not layout:
        return
    record_type = values.get("recordType")
    org.view_assignments.append(
        ViewAssignment(
            view_id=_LAYOUT_PREFIX + layout,
            profile_id=profile_id,
            record_type=_RECORD_TYPE_PREFIX + record_type if record_type else None,
        )
    )


HANDLERS: dict[str, ElementHandler] = {
    "Profile": handle_profile,
    "PermissionSet": handle_permission_set,
    "PermissionSetGroup": handle_permission_set_group,
}


def finalize(org: Org) -> None:
    """The same profile comes in several bundles: keep each assignment once, in a fixed order."""
    unique = dict.fromkeys(org.view_assignments)
    org.view_assignments = sorted(
        unique,
        key=lambda assignment: (
            assignment.profile_id,
            assignment.view_id,
            assignment.record_type or "",
        ),
    )
