"""What a reader understood: element counts, files not analysed, problems.

``cfglint inventory`` is a newcomer's first look at a project. Two numbers stand beside each
element kind:

- **found** counts every occurrence in the files, before de-duplication: a layout copied into
  three Metadata API bundles counts three times, and an object file counts once per file. These are
  the numbers a person gets by counting files and elements by hand.
- **distinct** counts the elements of the model after de-duplication by element id (the first
  definition wins). Objects that only appear through their children (an SFDX ``objects/Account/``
  folder with fields but no ``Account.object-meta.xml``) are in the model, so distinct objects
  can exceed found objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from cfglint import __version__
from cfglint.model import AutomationKind, Org, ProfileKind, ViewKind

INVENTORY_FORMAT_VERSION = 1

#: The element kinds reported, in display order, with the label shown in text output.
ELEMENT_KINDS: dict[str, str] = {
    "objects": "objects",
    "fields": "fields",
    "record_types": "record types",
    "business_processes": "business processes",
    "pipelines": "pipelines",
    "stages": "stages",
    "validation_rules": "validation rules",
    "list_views": "list views",
    "field_sets": "field sets",
    "web_links": "web links",
    "layouts": "layouts",
    "flexipages": "Lightning pages",
    "compact_layouts": "compact layouts",
    "views": "views",
    "quick_actions": "quick actions",
    "flows": "flows",
    "workflow_rules": "workflow rules",
    "workflow_field_updates": "workflow field updates",
    "triggers": "Apex triggers",
    "approval_processes": "approval processes",
    "automations": "automations",
    "profiles": "profiles",
    "permission_sets": "permission sets",
    "permission_set_groups": "permission set groups",
    "teams": "teams",
    "users": "users",
    "user_roles": "user roles",
    "owners": "owners",
    "forms": "forms",
    "property_groups": "property groups",
    "property_validations": "property validations",
    "roles": "roles",
    "standard_value_sets": "standard value sets",
    "global_value_sets": "global value sets",
    "duplicate_rules": "duplicate rules",
    "matching_rules": "matching rules",
    "reports": "reports",
    "integrations": "integrations",
}


def _count_views(kind: ViewKind) -> Callable[[Org], int]:
    return lambda org: sum(1 for view in org.views.values() if view.kind is kind)


def _count_automations(*kinds: AutomationKind) -> Callable[[Org], int]:
    return lambda org: sum(1 for item in org.automations.values() if item.kind in kinds)


def _count_profiles(kind: ProfileKind) -> Callable[[Org], int]:
    return lambda org: sum(1 for profile in org.profiles.values() if profile.kind is kind)


#: How many distinct elements of each kind the model holds.
DISTINCT: dict[str, Callable[[Org], int]] = {
    "objects": lambda org: len(org.objects),
    "fields": lambda org: sum(len(o.fields) for o in org.objects.values()),
    "record_types": lambda org: sum(len(o.record_types) for o in org.objects.values()),
    "validation_rules": lambda org: sum(len(o.validation_rules) for o in org.objects.values()),
    "list_views": lambda org: sum(len(o.list_views) for o in org.objects.values()),
    "field_sets": lambda org: sum(len(o.field_sets) for o in org.objects.values()),
    "pipelines": lambda org: len(org.pipelines),
    "stages": lambda org: sum(len(p.stages) for p in org.pipelines.values()),
    "layouts": _count_views(ViewKind.LAYOUT),
    "flexipages": _count_views(ViewKind.FLEXIPAGE),
    "compact_layouts": _count_views(ViewKind.COMPACT_LAYOUT),
    "views": _count_views(ViewKind.RECORD_VIEW),
    "forms": _count_views(ViewKind.FORM),
    "quick_actions": lambda org: len(org.quick_actions),
    "flows": _count_automations(AutomationKind.FLOW, AutomationKind.PROCESS_BUILDER),
    "workflow_rules": _count_automations(AutomationKind.WORKFLOW_RULE),
    "triggers": _count_automations(AutomationKind.TRIGGER),
    "approval_processes": _count_automations(AutomationKind.APPROVAL_PROCESS),
    "automations": _count_automations(AutomationKind.HUBSPOT_WORKFLOW),
    "profiles": _count_profiles(ProfileKind.PROFILE),
    "permission_sets": _count_profiles(ProfileKind.PERMISSION_SET),
    "permission_set_groups": _count_profiles(ProfileKind.PERMISSION_SET_GROUP),
    "teams": _count_profiles(ProfileKind.TEAM),
    "roles": lambda org: len(org.roles),
    "standard_value_sets": lambda org: sum(1 for v in org.value_sets.values() if v.standard),
    "global_value_sets": lambda org: sum(1 for v in org.value_sets.values() if not v.standard),
    "duplicate_rules": lambda org: len(org.duplicate_rules),
    "matching_rules": lambda org: len(org.matching_rules),
    "reports": lambda org: len(org.reports),
    "integrations": lambda org: len(org.integrations),
}


def build_inventory(org: Org, path: str) -> dict[str, Any]:
    """The inventory as plain data (the JSON output and the text output both come from it)."""
    elements = {}
    for kind in ELEMENT_KINDS:
        found = org.occurrences.get(kind, 0)
        distinct = DISTINCT[kind](org) if kind in DISTINCT else None
        if found or distinct:
            elements[kind] = {"found": found, "distinct": distinct}
    return {
        "version": INVENTORY_FORMAT_VERSION,
        "cfglint_version": __version__,
        "path": path,
        "platform": org.platform,
        "format": org.source_format,
        "roots": list(org.roots),
        "files": {
            "read": len(org.files_read),
            "not_analysed": len(org.skipped),
            "problems": len(org.problems),
        },
        "elements": elements,
        "objects": _per_object(org),
        "not_analysed": [
            {"path": item.path, "reason": item.reason.value, "detail": item.detail}
            for item in sorted(org.skipped)
        ],
        "problems": [
            {
                "path": problem.location.path,
                "line": problem.location.line,
                "column": problem.location.column,
                "kind": problem.kind.value,
                "message": problem.message,
            }
            for problem in sorted(org.problems)
        ],
        "notes": list(org.notes),
    }


def _per_object(org: Org) -> dict[str, dict[str, int]]:
    views_per_object = Counter(view.object_name for view in org.views.values())
    automations_per_object = Counter(item.object_name for item in org.automations.values())
    table = {}
    for name in sorted(org.objects):
        crm_object = org.objects[name]
        table[name] = {
            "fields": len(crm_object.fields),
            "custom_fields": sum(1 for f in crm_object.fields.values() if f.custom),
            "required_fields": sum(1 for f in crm_object.fields.values() if f.required),
            "record_types": len(crm_object.record_types),
            "validation_rules": len(crm_object.validation_rules),
            "list_views": len(crm_object.list_views),
            "views": views_per_object.get(name, 0),
            "automations": automations_per_object.get(name, 0),
        }
    return table


# --- text -------------------------------------------------------------------------------------

_OBJECT_COLUMNS = (
    ("fields", "fields"),
    ("custom_fields", "custom"),
    ("required_fields", "required"),
    ("record_types", "rec.types"),
    ("validation_rules", "val.rules"),
    ("views", "views"),
    ("automations", "automations"),
)

#: Above this many objects the per-object table shows only the largest ones.
MAX_OBJECT_ROWS = 40
MAX_LISTED_FILES = 20


def format_inventory_text(inventory: dict[str, Any], verbose: bool = False) -> str:
    lines = [
        f"{inventory['path']}: {inventory['platform']} configuration, "
        f"format {inventory['format']}",
    ]
    if inventory["roots"]:
        lines.append("roots: " + ", ".join(root or "." for root in inventory["roots"]))
    files = inventory["files"]
    lines.append(
        f"files: {files['read']} read, {files['not_analysed']} not analysed, "
        f"{files['problems']} problem{'s' if files['problems'] != 1 else ''}"
    )
    lines += ["", *_elements_table(inventory["elements"])]
    lines += ["", *_objects_table(inventory["objects"], verbose)]
    lines += _not_analysed(inventory["not_analysed"], verbose)
    if inventory["problems"]:
        lines += ["", f"problems ({len(inventory['problems'])}):"]
        for problem in inventory["problems"]:
            where = ":".join(
                str(part) for part in (problem["path"], problem["line"], problem["column"])
                if part is not None
            )
            lines.append(f"  {where}: {problem['kind']}: {problem['message']}")
    if inventory["notes"]:
        lines += ["", "notes:", *(f"  {note}" for note in inventory["notes"])]
    return "\n".join(lines) + "\n"


def _elements_table(elements: dict[str, dict[str, int | None]]) -> list[str]:
    rows = [f"{'element':<24}{'found':>8}{'distinct':>10}"]
    for kind, counts in elements.items():
        distinct = counts["distinct"]
        rows.append(
            f"{ELEMENT_KINDS[kind]:<24}{counts['found']:>8}"
            f"{'-' if distinct is None else distinct:>10}"
        )
    return rows


def _objects_table(objects: dict[str, dict[str, int]], verbose: bool) -> list[str]:
    names = sorted(objects, key=lambda name: (-objects[name]["fields"], name))
    shown = names if verbose else names[:MAX_OBJECT_ROWS]
    width = max([len("object"), *(len(name) for name in shown)]) + 2
    header = f"{'object':<{width}}" + "".join(f"{label:>12}" for _, label in _OBJECT_COLUMNS)
    rows = [header]
    for name in shown:
        counts = objects[name]
        rows.append(
            f"{name:<{width}}" + "".join(f"{counts[key]:>12}" for key, _ in _OBJECT_COLUMNS)
        )
    if len(shown) < len(names):
        rows.append(f"... {len(names) - len(shown)} more objects (--verbose shows all)")
    return rows


def _not_analysed(items: list[dict[str, str]], verbose: bool) -> list[str]:
    if not items:
        return []
    by_reason: dict[str, list[dict[str, str]]] = {}
    for item in items:
        by_reason.setdefault(item["reason"], []).append(item)
    lines = ["", f"not analysed ({len(items)}):"]
    for reason in sorted(by_reason):
        group = by_reason[reason]
        details = Counter(item["detail"] for item in group if item["detail"])
        summary = ", ".join(f"{detail} {count}" for detail, count in sorted(details.items()))
        lines.append(f"  {reason}: {len(group)}" + (f" ({summary})" if summary else ""))
        listed = group if verbose else group[:MAX_LISTED_FILES]
        lines += [f"    {item['path']}" for item in listed]
        if len(listed) < len(group):
            lines.append(f"    ... {len(group) - len(listed)} more (--verbose lists all)")
    return lines
