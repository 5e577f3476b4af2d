"""An object has nearly as many custom fields as the edition allows.

**Why it matters.** Salesforce caps custom fields per object by edition (Enterprise: 500,
Unlimited and Performance: 800, Professional: 100; deleted fields count until they are erased).
An object close to the cap blocks the next project at the worst moment, and an object with
hundreds of fields is usually one whose page layouts, reports and data entry nobody can keep
in their head. Set `limit` to your edition's cap; the rule reports objects with at least
`threshold` of it.

**Failing example**: Account with 412 custom fields in an Enterprise org (limit 500, threshold
0.8: 400 fields).

**Passing example**: Account with 180 custom fields.

**How to fix.** Retire fields nobody fills or reads (see the debt report's orphan fields), merge
near duplicates (DEBT006), and move groups of fields that describe something else (a contract,
a subscription, an onboarding checklist) to an object of their own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules.base import Options, Problem

ID = "DEBT007"
NAME = "debt.custom-field-limit"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "limit": {
        "type": "integer",
        "minimum": 1,
        "default": 500,
        "description": "Custom fields an object may have in your edition (Enterprise 500, "
        "Unlimited 800, Professional 100).",
    },
    "threshold": {
        "type": "number",
        "exclusiveMinimum": 0,
        "maximum": 1,
        "default": 0.8,
        "description": "Share of the limit from which an object is reported.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    limit: int = options["limit"]
    threshold: float = options["threshold"]
    reported_from = math.ceil(round(limit * threshold, 6))  # 0.07 * 100 = 7.000000000000001
    for name, crm_object in sorted(org.objects.items()):
        count = sum(1 for field in crm_object.fields.values() if field.custom)
        if count >= reported_from:
            share = count / limit
            yield Problem(
                element_id=crm_object.id,
                message=f"{name} has {count} custom fields, {share:.0%} of the limit of "
                f"{limit} (reported from {threshold:.0%})",
                location=crm_object.location,
                data={"custom_fields": count, "limit": limit, "threshold": threshold},
            )
