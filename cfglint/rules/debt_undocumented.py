"""A custom object, custom field or automation has no description.

**Why it matters.** The description is where an admin says why a component exists, who asked
for it and what depends on it. Without it, nobody dares to change or delete the component a
year later, and every clean-up starts with weeks of archaeology. Help text is not a substitute:
it tells users how to fill a field in, not admins why the field is there, so a field with help
text but no description is still reported (the finding says whether help text exists). Apex
triggers have no description in their metadata and are not checked; neither are components of
installed packages (names with a namespace prefix, such as `npsp__Level__c`), which the org
cannot edit.

The default severity is `info`: an org that never wrote descriptions gets one finding per
component, which belongs in a debt report or a baseline rather than in a failing build.

**Failing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Legacy_Score__c</fullName>
    <label>Legacy Score</label>
    <type>Number</type>
</CustomField>
```

**Passing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Legacy_Score__c</fullName>
    <description>Lead score from the 2019 scoring model; read by the Renewal Risk report.
Owner: Sales Ops.</description>
    <inlineHelpText>0-100; higher means more likely to buy.</inlineHelpText>
    <label>Legacy Score</label>
    <type>Number</type>
</CustomField>
```

**How to fix.** Write a sentence or two in the component's Description: its purpose, who owns
it, and what reads it. If nobody can say, the component is a candidate for deletion.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Any

from cfglint.model import AutomationKind, Field, Org
from cfglint.rules._debt_common import describe, flow_versions, is_namespaced
from cfglint.rules.base import Options, Problem

ID = "DEBT001"
NAME = "debt.undocumented-component"
SEVERITY = "info"
OPTIONS: dict[str, Any] = {
    "components": {
        "type": "array",
        "items": {"enum": ["objects", "fields", "automations"]},
        "uniqueItems": True,
        "default": ["objects", "fields", "automations"],
        "description": "Which kinds of component must have a description.",
    },
    "include-managed": {
        "type": "boolean",
        "default": False,
        "description": "Also report components of installed packages (namespaced names).",
    },
}

#: Automation kinds whose metadata has no description to fill in.
UNDESCRIBABLE = frozenset({AutomationKind.TRIGGER})


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    components = set(options["components"])
    managed = bool(options["include-managed"])
    if "objects" in components:
        yield from _objects(org, managed)
    if "fields" in components:
        yield from _fields(org, managed)
    if "automations" in components:
        yield from _automations(org, managed)


def _documented(text: str | None) -> bool:
    return bool(text and text.strip())


def _objects(org: Org, managed: bool) -> Iterator[Problem]:
    for name, crm_object in sorted(org.objects.items()):
        # An object only its fields' files mention has no object file to read a description from.
        if not crm_object.custom or not crm_object.declared or _documented(crm_object.description):
            continue
        if managed or not is_namespaced(name):
            yield Problem(
                element_id=crm_object.id,
                message=f"custom object {name} has no description",
                location=crm_object.location,
                data={"component": "object"},
            )


def _fields(org: Org, managed: bool) -> Iterator[Problem]:
    # Each id is built once and sorted on: Field.id formats it anew on every read.
    undocumented: list[tuple[str, Field]] = [
        (field.id, field) for field in org.fields()
        if field.custom and not _documented(field.description)
        and (managed or not is_namespaced(field.name))
    ]
    undocumented.sort(key=operator.itemgetter(0))
    for field_id, field in undocumented:
        help_text = _documented(field.help_text)
        detail = " (it has help text)" if help_text else ", and no help text either"
        yield Problem(
            element_id=field_id,
            message=f"custom field {field_id} has no description{detail}",
            location=field.location,
            data={"component": "field", "help_text": help_text},
        )


def _automations(org: Org, managed: bool) -> Iterator[Problem]:
    for versions in flow_versions(org.automations.values()).values():
        latest = versions[-1]  # the description of a flow is the one of its newest version
        if latest.kind in UNDESCRIBABLE or _documented(latest.description):
            continue
        if managed or not is_namespaced(latest.name):
            yield Problem(
                element_id=latest.id,
                message=f"{describe(latest)} has no description",
                location=latest.location,
                data={"component": "automation", "kind": latest.kind.value},
            )
