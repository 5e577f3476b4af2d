"""A pipeline has too many or too few open stages.

**Why it matters.** With more than a handful of open stages, reps cannot tell neighbouring
stages apart, skip some, and move deals in batches before the pipeline review; every extra
stage is also one more transition to gate and to forecast. With one or two open stages the
pipeline says nothing about how far a deal has got: the forecast is a coin toss and managers
ask in meetings what the CRM should show.

**What is checked.** The number of active open (not closed) stages of each active sales
pipeline (see PIPE001 for which pipelines), against `max-open-stages` and `min-open-stages`.
One rule reports both ends, since both are fixed the same way: by redrawing the stage list.

**Failing example** (cfglint YAML)

```yaml
pipelines:
  default:
    stages:
      - {name: open}
      - {name: won, closed: true, won: true}
      - {name: lost, closed: true}
```

**Passing example**

```yaml
pipelines:
  default:
    stages:
      - {name: discovery}
      - {name: evaluation}
      - {name: proposal}
      - {name: won, closed: true, won: true}
      - {name: lost, closed: true}
```

**How to fix.** Aim for four to seven open stages, each ending with an event a rep can verify
(meeting held, proposal sent). Merge stages reps cannot tell apart; split a catch-all stage at
the buyer's real decision points.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org
from cfglint.rules._pipe_common import sales_pipelines
from cfglint.rules.base import Options, Problem

ID = "PIPE002"
NAME = "pipeline.stage-count"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {
    "max-open-stages": {
        "type": "integer",
        "minimum": 1,
        "default": 9,
        "description": "Most open (not closed) stages a pipeline may have.",
    },
    "min-open-stages": {
        "type": "integer",
        "minimum": 0,
        "default": 3,
        "description": "Fewest open (not closed) stages a pipeline may have.",
    },
}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    maximum: int = options["max-open-stages"]
    minimum: int = options["min-open-stages"]
    for pipeline in sales_pipelines(org):
        names = [stage.label or stage.name for stage in pipeline.open_stages()]
        if len(names) > maximum:
            limit = f"max {maximum}"
        elif len(names) < minimum:
            limit = f"min {minimum}"
        else:
            continue
        listed = f": {', '.join(names)}" if names else ""
        yield Problem(
            element_id=pipeline.id,
            message=(
                f"{pipeline.id} has {len(names)} open stage{'' if len(names) == 1 else 's'} "
                f"({limit}){listed}"
            ),
            location=pipeline.location,
            data={"open_stages": len(names), "max": maximum, "min": minimum, "stages": names},
        )
