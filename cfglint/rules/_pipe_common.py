"""What the PIPE rules share: which pipelines are sales pipelines, and which stage attributes
the project itself states.

A Salesforce project may carry a business process without the ``OpportunityStage`` value set;
the reader then completes the stages it names from the platform's built-in table
(``PLATFORM_STAGES`` in :mod:`cfglint.readers.salesforce_xml.values`), so a stage's
probability can come from cfglint rather than from the project. Rules that judge probabilities
only trust the ones the project's value set states.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfglint.model import Org, Pipeline, Stage, ValueSet
from cfglint.readers.salesforce_xml.values import STAGE_VALUE_SETS

#: Objects whose "pipelines" are status processes rather than sales pipelines: Salesforce lead
#: and support processes, HubSpot ticket pipelines. Stage counts and probabilities mean
#: little there.
STATUS_PROCESS_OBJECTS = frozenset({"Lead", "Case", "Solution", "tickets"})

#: Source formats whose stage attributes may come from the reader's built-in table.
SALESFORCE_XML_FORMATS = frozenset({"sfdx", "mdapi", "sfdx+mdapi"})


def sales_pipelines(org: Org) -> Iterator[Pipeline]:
    """Active pipelines of objects other than status processes, by id."""
    for pipeline_id in sorted(org.pipelines):
        pipeline = org.pipelines[pipeline_id]
        if pipeline.active and pipeline.object_name not in STATUS_PROCESS_OBJECTS:
            yield pipeline


def stage_value_set(org: Org, pipeline: Pipeline) -> ValueSet | None:
    """The Salesforce standard value set that holds the pipeline's stage attributes."""
    set_name = STAGE_VALUE_SETS.get(pipeline.object_name)
    return org.value_sets.get(f"standardvalueset:{set_name}") if set_name else None


def stated_stage_names(org: Org, pipeline: Pipeline) -> frozenset[str] | None:
    """Names of the stages whose attributes the project states; ``None`` means all of them.

    For Salesforce XML that is the stages of the object's standard value set (an empty set
    when the project does not carry it); everywhere else pipelines state their own stages.
    """
    if org.source_format not in SALESFORCE_XML_FORMATS:
        return None
    value_set = stage_value_set(org, pipeline)
    if value_set is None:
        return frozenset()
    return frozenset(stage.name for stage in value_set.stages)


def stated_probability(stage: Stage, stated: frozenset[str] | None) -> float | None:
    if stated is not None and stage.name not in stated:
        return None
    return stage.probability
