"""One view is the only view of an object, and every profile or team gets it.

**Why it matters.** "One system for everyone": SDRs, account executives, customer-success
managers and their managers open the same record page, cluttered with fields that are not
theirs. Each role scrolls past the others' fields on every update, fills in what it does not
know, and the CRM becomes the thing people update last.

The rule looks, per object, at every profile or team that has a view of the object assigned
(for any record type). When the same single view is all of them get, and there are at least
``min-profiles`` of them, the view is reported. Views assigned per record type but not per
role count as different views: record types differ by kind of record, which is a start. A
profile that two Metadata API bundles assign different layouts has two views.

**Failing example**

```yaml
objects:
  deals:
    views:
      Deal record: {sections: [{fields: [dealname, amount]}], assigned_to: [SDR, AE, CSM]}
```

**Passing example**

```yaml
objects:
  deals:
    views:
      Prospecting: {sections: [{fields: [dealname, hs_next_step]}], assigned_to: [SDR]}
      Deal record: {sections: [{fields: [dealname, amount]}], assigned_to: [AE, CSM]}
```

**How to fix.** Shadow each role through a record's life, then give each one a view with the
fields it needs, in the order it fills them; assign it to that role's profile or team.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._view_common import (
    holder_kind_plural,
    holder_name,
    name_list,
    views_by_holder,
)
from cfglint.rules.base import Options, Problem

ID = "VIEW002"
NAME = "view.one-for-everyone"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "min-profiles": {
        "type": "integer",
        "minimum": 2,
        "default": 3,
        "description": "Report only when at least this many profiles / teams share the view.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    minimum = int(options["min-profiles"])
    for object_name, holders in sorted(views_by_holder(org).items()):
        views = set().union(*holders.values())
        if len(views) != 1 or len(holders) < minimum:
            continue
        (view_id,) = views
        view = org.views.get(view_id)
        names = sorted(holder_name(org, holder) for holder in holders)
        kinds = holder_kind_plural(org, holders)
        view_name = view.name if view is not None else view_id.partition(":")[2]
        yield Problem(
            element_id=view_id,
            message=(
                f"{view_name} is the only {object_name} view assigned: {_all(len(names))} "
                f"{kinds} get it ({name_list(names)})"
            ),
            location=view.location if view is not None else None,
            data={"object": object_name, "profiles": sorted(holders)},
        )


def _all(count: int) -> str:
    return "both" if count == 2 else f"all {count}"
