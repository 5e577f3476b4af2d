"""Stage probabilities do not describe a deal getting closer to won.

**Why it matters.** Weighted pipeline and probability-based forecasts multiply each deal's
amount by its stage's probability. If a later open stage has a lower probability than an
earlier one, moving a deal forward shrinks the forecast; if the won stage is not 100 % or the
lost stage not 0 %, closed deals keep weighing on (or missing from) the numbers. Managers stop
trusting the forecast and rebuild it in a spreadsheet.

**What is checked.** For each active sales pipeline (see PIPE001), one rule for the whole
probability ladder, because the three defects share a cause and a fix (the stage settings) and
a team that does not forecast by probability can turn them all off at once:

- an open stage whose probability is lower than that of the open stage before it (equal
  probabilities are allowed: Salesforce's own defaults start 10 %, 10 %);
- a won stage whose probability is not 100 %;
- a lost stage whose probability is not 0 %.

Stages without a probability are skipped. In a Salesforce project only the probabilities of the
project's `OpportunityStage` value set are judged: when the project has a business process but
not the value set, cfglint fills the stages in from the platform defaults, and those are not
the project's to fix.

**Failing example** (cfglint YAML)

```yaml
stages:
  - {name: discovery, probability: 20}
  - {name: proposal, probability: 60}
  - {name: negotiation, probability: 40}
  - {name: won, closed: true, won: true, probability: 90}
  - {name: lost, closed: true, probability: 0}
```

**Passing example**: probabilities 20, 40, 60, 100 and 0.

**How to fix.** Set each open stage's probability from the share of deals that reached that
stage and were won (or at least in increasing order), the won stage to 100 and the lost stage
to 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfglint.model import Org, Pipeline, SourceLocation, Stage
from cfglint.rules._pipe_common import (
    sales_pipelines,
    stage_value_set,
    stated_probability,
    stated_stage_names,
)
from cfglint.rules._req_common import percent
from cfglint.rules.base import Options, Problem

ID = "PIPE003"
NAME = "pipeline.probabilities"
SEVERITY = "warning"
OPTIONS: dict[str, Any] = {}


def check(org: Org, graph: Any, options: Options) -> Iterator[Problem]:
    for pipeline in sales_pipelines(org):
        stated = stated_stage_names(org, pipeline)
        location = _probability_location(org, pipeline)
        yield from _decreasing(pipeline, stated, location)
        yield from _closed(pipeline, stated, location)


def _probability_location(org: Org, pipeline: Pipeline) -> SourceLocation | None:
    """Salesforce keeps probabilities in the stage value set; point there when it is read."""
    value_set = stage_value_set(org, pipeline)
    if value_set is not None and value_set.location is not None:
        return value_set.location
    return pipeline.location


def _decreasing(
    pipeline: Pipeline, stated: frozenset[str] | None, location: SourceLocation | None
) -> Iterator[Problem]:
    previous: tuple[Stage, float] | None = None
    for stage in pipeline.open_stages():
        probability = stated_probability(stage, stated)
        if probability is None:
            continue
        if previous is not None and probability < previous[1]:
            earlier, earlier_probability = previous
            yield Problem(
                element_id=pipeline.stage_id(stage),
                message=(
                    f"stage '{stage.name}' of {pipeline.id} has probability "
                    f"{percent(probability)}, lower than {percent(earlier_probability)} of the "
                    f"earlier stage '{earlier.name}'"
                ),
                location=location,
                data={"probability": probability, "previous_stage": earlier.name,
                      "previous_probability": earlier_probability},
            )
        previous = (stage, probability)


def _closed(
    pipeline: Pipeline, stated: frozenset[str] | None, location: SourceLocation | None
) -> Iterator[Problem]:
    for stage in pipeline.stages:
        probability = stated_probability(stage, stated)
        if not stage.closed or not stage.active or probability is None:
            continue
        expected = 100.0 if stage.won else 0.0
        if probability != expected:
            outcome = "won" if stage.won else "lost"
            yield Problem(
                element_id=pipeline.stage_id(stage),
                message=(
                    f"{outcome} stage '{stage.name}' of {pipeline.id} has probability "
                    f"{percent(probability)}, not {percent(expected)}"
                ),
                location=location,
                data={"probability": probability, "expected": expected},
            )
