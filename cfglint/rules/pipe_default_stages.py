"""A pipeline still has the CRM vendor's default stages.

**Why it matters.** The default stages (Salesforce's *Prospecting … Negotiation/Review*,
HubSpot's *Appointment Scheduled … Contract Sent*) describe a generic sales process, not yours.
When they are left untouched, reps guess which stage a deal is in, the same deal sits in
different stages for different reps, and stage-based forecasts and conversion reports mean
nothing. Stages should name the steps your buyers actually go through, each with an exit
criterion a rep can check.

**What is checked.** Each active sales pipeline (Salesforce business processes, or the
`OpportunityStage` value set when there is no business process; HubSpot deal pipelines; not
lead, case or ticket status processes). Its open stages are compared by name and label,
ignoring case, spaces and punctuation, with Salesforce's default `OpportunityStage` values and
with HubSpot's default sales pipeline. The pipeline is reported when at least
`min-default-share` of its open stages are one vendor's defaults and they are at least
`min-default-stages` stages: a pipeline cut down to one default stage has been thought about,
even if its name is generic.

Stage names always come from the project: the values of a business process, or the
`OpportunityStage` value set when there is no business process. When a project has a business
process but not the value set, cfglint completes the stages it names from the platform's
defaults (probability, closed, won); only the closed flags matter here, so that *Closed Won* and
*Closed Lost* do not count as open stages. A process reduced to *Prospecting* plus the closed
stages therefore keeps one default open stage, fewer than `min-default-stages`, and is not
reported.

**Failing example** (cfglint YAML)

```yaml
pipelines:
  default:
    stages:
      - {name: appointmentscheduled}
      - {name: qualifiedtobuy}
      - {name: presentationscheduled}
      - {name: decisionmakerboughtin}
      - {name: contractsent}
      - {name: closedwon, closed: true, won: true}
      - {name: closedlost, closed: true}
```

**Passing example**

```yaml
pipelines:
  default:
    stages:
      - {name: discovery_call_held}
      - {name: pilot_agreed}
      - {name: security_review_passed}
      - {name: order_form_sent}
      - {name: closedwon, closed: true, won: true}
      - {name: closedlost, closed: true}
```

**How to fix.** Walk a few recent deals with the reps and name the stages after the buyer's
verifiable steps (e.g. *Discovery call held*, *Pilot agreed*, *Security review passed*). Rename
or replace the default values, then update the stage probabilities to match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, Pipeline, Stage
from cfglint.rules._pipe_common import sales_pipelines
from cfglint.rules.base import Options, Problem

ID = "PIPE001"
NAME = "pipeline.default-stages"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "min-default-share": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "default": 0.8,
        "description": "Share of a pipeline's open stages that must be vendor defaults.",
    },
    "min-default-stages": {
        "type": "integer",
        "minimum": 1,
        "default": 3,
        "description": "Fewest default open stages a pipeline must keep to be reported.",
    },
}

#: The open stages a new org or portal starts with, per vendor.
VENDOR_OPEN_STAGES: dict[str, tuple[str, ...]] = {
    "Salesforce": (
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
        "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    "HubSpot": (
        "appointmentscheduled", "qualifiedtobuy", "presentationscheduled",
        "decisionmakerboughtin", "contractsent",
    ),
}


def normalized(name: str) -> str:
    """``Id. Decision Makers`` -> ``iddecisionmakers``; HubSpot labels meet their ids."""
    return re.sub(r"[\W_]+", "", name).casefold()


_VENDOR_KEYS = {
    vendor: frozenset(normalized(name) for name in names)
    for vendor, names in VENDOR_OPEN_STAGES.items()
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    min_share: float = options["min-default-share"]
    min_stages: int = options["min-default-stages"]
    for pipeline in sales_pipelines(org):
        open_stages = pipeline.open_stages()
        if not open_stages:
            continue
        vendor, defaults = _closest_vendor(open_stages)
        share = len(defaults) / len(open_stages)
        if share >= min_share and len(defaults) >= min_stages:
            yield _problem(pipeline, vendor, defaults, len(open_stages))


def _closest_vendor(open_stages: list[Stage]) -> tuple[str, list[Stage]]:
    """The vendor whose default stages the pipeline keeps most of, and those stages."""
    best_vendor, best = "", list[Stage]()
    for vendor, keys in _VENDOR_KEYS.items():
        kept = [stage for stage in open_stages if _is_default(stage, keys)]
        if len(kept) > len(best):
            best_vendor, best = vendor, kept
    return best_vendor, best


def _is_default(stage: Stage, keys: frozenset[str]) -> bool:
    return normalized(stage.name) in keys or (
        stage.label is not None and normalized(stage.label) in keys
    )


def _problem(pipeline: Pipeline, vendor: str, defaults: list[Stage], open_count: int) -> Problem:
    names = [stage.label or stage.name for stage in defaults]
    return Problem(
        element_id=pipeline.id,
        message=(
            f"{pipeline.id} keeps {vendor}'s default stages: {len(defaults)} of its "
            f"{open_count} open stages ({', '.join(names)})"
        ),
        location=pipeline.location,
        data={"vendor": vendor, "default_stages": [stage.name for stage in defaults],
              "open_stages": open_count, "share": len(defaults) / open_count},
    )
