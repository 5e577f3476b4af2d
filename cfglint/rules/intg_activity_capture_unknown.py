"""Whether email and calendar capture are set up cannot be told from the configuration.

**Why it matters.** Automatic email and calendar capture decides whether the CRM's activity
timeline fills itself or depends on reps logging every touch by hand (see INTG001). When the
configuration holds no integration settings, cfglint cannot say which — so it says so once,
rather than guess.

This happens for every Salesforce project today: Einstein Activity Capture and Inbox live in
settings metadata that cfglint does not read yet. It also happens for cfglint YAML without an
``integrations`` section. The finding is information, not a warning: nothing is known to be
wrong. INTG001 is the warning for a known gap; the two are separate rules because a rule has
one severity.

**Failing example**: a Salesforce project, or cfglint YAML with no ``integrations``.

**Passing example**

```yaml
integrations:
  email-capture: {enabled: true, description: Einstein Activity Capture, all sales users.}
  calendar-sync: {enabled: true}
```

**How to fix.** Check the capture settings in the org, then declare them as ``integrations``
(kind ``email-capture``, ``calendar-sync``, or ``activity-capture`` for both) in cfglint YAML;
or turn this rule off once you have checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules.base import Options, Problem

ID = "INTG002"
NAME = "integration.activity-capture-unknown"
SEVERITY = "info"
OPTIONS: dict[str, Any] = {}

ELEMENT_ID = "integration:activity-capture"

HOW_TO_DECLARE = (
    "declare them as integrations of kind email-capture / calendar-sync in cfglint YAML, or "
    "turn INTG002 off once checked"
)


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    if org.integrations:
        return
    if org.platform == "salesforce" and org.source_format != "cfglint-yaml":
        reason = (
            "cfglint does not read Salesforce's Einstein Activity Capture and Inbox settings yet"
        )
    else:
        reason = "the configuration declares no integrations"
    yield Problem(
        element_id=ELEMENT_ID,
        message=f"email and calendar capture are unknown: {reason}; {HOW_TO_DECLARE}",
        data={"platform": org.platform},
    )
