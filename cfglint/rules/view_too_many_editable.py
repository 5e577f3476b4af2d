"""A view asks people to edit more fields than anyone fills in one sitting.

**Why it matters.** Every editable field on a record page is a question the user must read,
judge and usually skip. Past a few dozen, people stop reading: they scroll, miss the field that
matters, and updates take minutes instead of seconds. Salesforce Optimizer and Org Check flag
crowded layouts for the same reason.

A field counts when the view lets people type into it (behaviour *edit* or *required*), once
per view, however often it is placed. Read-only items, formula, auto-number and system fields
do not count. Page layouts, Lightning record pages and record views are checked; compact
layouts only show highlights.

**Failing example**: a deal view with 45 editable fields, with ``max-fields: 40``.

**Passing example**

```yaml
objects:
  deals:
    views:
      Deal record:
        sections:
          - {label: Deal, fields: [dealname, amount, closedate, dealstage]}
          - {label: System, fields: [{field: createdate, behavior: readonly}]}
```

**How to fix.** Move the fields a role rarely edits to another role's view, a related list or
a collapsed section marked read-only; delete the fields nobody fills (see DEBT). Raise
``max-fields`` only for back-office views that really are data-entry forms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._view_common import editable_fields, form_views
from cfglint.rules.base import Options, Problem

ID = "VIEW003"
NAME = "view.too-many-editable-fields"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-fields": {
        "type": "integer",
        "minimum": 0,
        "default": 40,
        "description": "Most editable fields a view may have.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    maximum = int(options["max-fields"])
    for view in form_views(org):
        fields = editable_fields(org, view)
        if len(fields) > maximum:
            yield Problem(
                element_id=view.id,
                message=f"{view.name} has {len(fields)} editable fields (max {maximum})",
                location=view.location,
                data={"count": len(fields), "max": maximum, "fields": fields},
            )
