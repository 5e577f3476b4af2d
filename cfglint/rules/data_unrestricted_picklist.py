"""A custom picklist accepts values that are not in its list.

**Why it matters.** An unrestricted picklist is a list in the UI only: imports, integrations,
flows and the API can write any text into it. "Enterprise", "enterprise" and "Enterprse" end
up as three values, reports split them, and the list is no longer the single source of truth
it looks like.

Checked: custom picklist and multi-select picklist fields that are not restricted. A field that
takes its values from a Salesforce global value set is restricted by definition and is not
checked. Standard picklists (Salesforce standard value sets, HubSpot default properties) are
the platform's and are left alone.

**Failing example**

```xml
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Customer_Tier__c</fullName>
    <type>Picklist</type>
    <valueSet>
        <valueSetDefinition>
            <value><fullName>Gold</fullName><default>false</default><label>Gold</label></value>
        </valueSetDefinition>
    </valueSet>
</CustomField>
```

**Passing example**: the same field with ``<restricted>true</restricted>`` in its
``valueSet`` (in cfglint YAML, ``restricted: true``).

**How to fix.** Tick "Restrict picklist to the values defined in the value set" (first
replace the stray values already stored: the picklist's "Replace" button, or a data fix), or
move the values to a global value set shared by every field that uses them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import FieldType, Org
from cfglint.rules.base import Options, Problem

ID = "DATA002"
NAME = "data.unrestricted-picklist"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}

KIND_WORDS = {FieldType.PICKLIST: "picklist", FieldType.MULTIPICKLIST: "multi-select picklist"}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for object_name in sorted(org.objects):
        crm_object = org.objects[object_name]
        # Only picklists have restricted set (None otherwise): test it first, sort what is left.
        unrestricted = sorted(
            name for name, model_field in crm_object.fields.items()
            if model_field.restricted is False and model_field.value_set_name is None
            and model_field.custom and model_field.is_picklist
        )
        for field_name in unrestricted:
            model_field = crm_object.fields[field_name]
            count = sum(1 for value in model_field.picklist_values if value.active)
            values = f"{count} value" + ("" if count == 1 else "s")
            yield Problem(
                element_id=model_field.id,
                message=(
                    f"{model_field.id} is an unrestricted {KIND_WORDS[model_field.type]} "
                    f"({values}): any value can be written into it"
                ),
                location=model_field.location,
                data={"values": count},
            )
