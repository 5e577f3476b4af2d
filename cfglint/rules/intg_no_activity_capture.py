"""Email or calendar capture is not enabled among the org's integrations.

**Why it matters.** Logging every email and meeting by hand is the update nobody does: the
activity timeline stays empty, managers cannot see which deals are alive, and reps are asked
to "update the CRM" on top of their work. Connecting inboxes and calendars (HubSpot connected
inbox and calendar, Salesforce Einstein Activity Capture or Inbox) fills the timeline for free.

The rule reads the configuration's integrations (``integrations`` in cfglint YAML): each of
email and calendar needs an enabled integration of kind ``email-capture`` /
``calendar-sync`` (``activity-capture`` counts for both). Email and calendar are checked
separately because they lose different activity. When the configuration says nothing about
integrations at all, this rule is silent and INTG002 says that capture is unknown; the two are
separate rules so that a known gap is a warning while an unknown one is only information.

**Failing example**

```yaml
integrations:
  email-capture: {enabled: false, description: Connected inboxes not set up yet.}
  calendar-sync: {enabled: true}
```

**Passing example**

```yaml
integrations:
  email-capture: {enabled: true}
  calendar-sync: {enabled: true}
```

**How to fix.** Connect the team's inboxes and calendars (HubSpot: Settings > General > Email
and Calendar; Salesforce: Einstein Activity Capture or Inbox setup), then mark the integration
``enabled: true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Integration, Org
from cfglint.rules._intg_common import CAPTURE_KINDS, DECLARED_KIND, LOST
from cfglint.rules.base import Options, Problem

ID = "INTG001"
NAME = "integration.no-activity-capture"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    if not org.integrations:
        return  # unknown, not missing: INTG002's case
    integrations = [org.integrations[key] for key in sorted(org.integrations)]
    for channel, kinds in CAPTURE_KINDS.items():
        declared = [integration for integration in integrations if integration.kind in kinds]
        if any(integration.enabled for integration in declared):
            continue
        yield _problem(channel, declared, integrations)


def _problem(
    channel: str, declared: list[Integration], integrations: list[Integration]
) -> Problem:
    if declared:
        names = ", ".join(integration.name for integration in declared)
        message = f"{channel} capture is declared but not enabled ({names}): {LOST[channel]}"
        element_id, location = declared[0].id, declared[0].location
    else:
        names = ", ".join(integration.name for integration in integrations)
        message = f"no {channel} capture among the integrations ({names}): {LOST[channel]}"
        element_id = f"integration:{DECLARED_KIND[channel]}"
        # Point at the integrations the configuration does declare: that is where it goes.
        locations = [item.location for item in integrations if item.location is not None]
        location = min(locations) if locations else None
    return Problem(
        element_id=element_id,
        message=message,
        location=location,
        data={"channel": channel, "declared": [integration.id for integration in declared]},
    )
