"""Standard and global value sets, business processes, and the pipelines built from them.

A Salesforce sales process is spread over three places: the ``OpportunityStage`` standard value
set holds every stage with its probability and closed / won flags, each business process picks
the stages one process offers, and each record type names its business process. Reading keeps
the value sets and turns each business process into a :class:`~cfglint.model.Pipeline` whose
stages are bare names; :func:`finalize` then fills the stages in from the value set, gives the
stage picklists their values, and makes a default pipeline when there is no business process.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from cfglint.model import Field, FieldType, Org, Pipeline, Stage, ValueSet
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.salesforce_xml.objects import decode_value_name, object_child, picklist_value
from cfglint.readers.xml import Node, stripped, text

#: The picklist that holds the stage, per object that can have business processes.
STAGE_FIELDS: dict[str, str] = {
    "Opportunity": "StageName",
    "Lead": "Status",
    "Case": "Status",
    "Solution": "Status",
}

#: The standard value set whose values carry the stage attributes, per object.
STAGE_VALUE_SETS: dict[str, str] = {
    "Opportunity": "OpportunityStage",
    "Lead": "LeadStatus",
    "Case": "CaseStatus",
    "Solution": "SolutionStatus",
}

#: Standard value set -> the standard picklist fields that take their values from it (the
#: Metadata API's "StandardValueSet Names and Standard Picklist Fields" table, common objects).
STANDARD_PICKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "OpportunityStage": (("Opportunity", "StageName"),),
    "OpportunityType": (("Opportunity", "Type"),),
    "AccountType": (("Account", "Type"),),
    "AccountRating": (("Account", "Rating"), ("Lead", "Rating")),
    "AccountOwnership": (("Account", "Ownership"),),
    "Industry": (("Account", "Industry"), ("Lead", "Industry")),
    "LeadSource": (
        ("Lead", "LeadSource"),
        ("Contact", "LeadSource"),
        ("Opportunity", "LeadSource"),
        ("Account", "AccountSource"),
    ),
    "LeadStatus": (("Lead", "Status"),),
    "Salutation": (("Contact", "Salutation"), ("Lead", "Salutation")),
    "ContactRole": (("OpportunityContactRole", "Role"),),
    "CaseStatus": (("Case", "Status"),),
    "CaseOrigin": (("Case", "Origin"),),
    "CasePriority": (("Case", "Priority"),),
    "CaseReason": (("Case", "Reason"),),
    "CaseType": (("Case", "Type"),),
    "CampaignStatus": (("Campaign", "Status"),),
    "CampaignType": (("Campaign", "Type"),),
    "CampaignMemberStatus": (("CampaignMember", "Status"),),
    "TaskStatus": (("Task", "Status"),),
    "TaskPriority": (("Task", "Priority"),),
    "TaskSubject": (("Task", "Subject"),),
    "TaskType": (("Task", "Type"),),
    "EventSubject": (("Event", "Subject"),),
    "EventType": (("Event", "Type"),),
    "ContractStatus": (("Contract", "Status"),),
    "Product2Family": (("Product2", "Family"),),
}

#: A new org's stages, used for a stage the project names but whose value set it does not
#: carry (an MDAPI bundle of business processes without ``OpportunityStage``): that stage then
#: still has the platform's attributes. (name, probability, closed, won, forecast category)
PLATFORM_STAGES: dict[str, tuple[tuple[str, float | None, bool, bool, str | None], ...]] = {
    "Opportunity": (
        ("Prospecting", 10.0, False, False, "Pipeline"),
        ("Qualification", 10.0, False, False, "Pipeline"),
        ("Needs Analysis", 20.0, False, False, "Pipeline"),
        ("Value Proposition", 50.0, False, False, "Pipeline"),
        ("Id. Decision Makers", 60.0, False, False, "Pipeline"),
        ("Perception Analysis", 70.0, False, False, "Pipeline"),
        ("Proposal/Price Quote", 75.0, False, False, "Pipeline"),
        ("Negotiation/Review", 90.0, False, False, "Pipeline"),
        ("Closed Won", 100.0, True, True, "Closed"),
        ("Closed Lost", 0.0, True, False, "Omitted"),
    ),
    "Lead": (
        ("Open - Not Contacted", None, False, False, None),
        ("Working - Contacted", None, False, False, None),
        ("Closed - Converted", None, True, True, None),
        ("Closed - Not Converted", None, False, False, None),
    ),
    "Case": (
        ("New", None, False, False, None),
        ("Working", None, False, False, None),
        ("Escalated", None, False, False, None),
        ("Closed", None, True, False, None),
    ),
}


# --- value sets ---------------------------------------------------------------------------------


def handle_standard_value_set(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["standard_value_sets"] += 1
    _add_value_set(_read_value_set(element, context, standard=True), org)


def handle_global_value_set(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["global_value_sets"] += 1
    _add_value_set(_read_value_set(element, context, standard=False), org)


def _read_value_set(element: etree._Element, context: ElementContext, standard: bool) -> ValueSet:
    value_tag = "standardValue" if standard else "customValue"
    value_set = ValueSet(
        name=context.name or text(element, "fullName") or "",
        standard=standard,
        location=context.location(element),
    )
    # Only the stage-like standard sets carry probabilities and closed / won / converted flags.
    with_stages = standard and value_set.name in STAGE_VALUE_SETS.values()
    for child_element in element:
        child_name = child_element.tag
        if child_name == value_tag:
            node = Node(child_element)
            value_set.values.append(picklist_value(node.texts))
            if with_stages:
                value_set.stages.append(_stage(node))
        elif child_name == "sorted":
            value_set.sorted = _is_true(child_element)
        elif child_name == "description":
            value_set.description = stripped(child_element)
    return value_set


def _is_true(element: etree._Element) -> bool:
    return (element.text or "").strip().lower() == "true"


def _stage(node: Node) -> Stage:
    # A converted lead status ends the lead's life the way a won stage ends an opportunity's.
    converted = node.flag("converted")
    return Stage(
        name=node.text("fullName") or "",
        label=node.text("label"),
        probability=node.number("probability"),
        closed=node.flag("closed") or converted,
        won=node.flag("won") or converted,
        forecast_category=node.text("forecastCategory"),
        active=node.flag("isActive", default=True),
    )


def _add_value_set(value_set: ValueSet, org: Org) -> None:
    """First definition wins; a later copy (another MDAPI bundle) only adds values it lacks."""
    existing = org.value_sets.get(value_set.id)
    if existing is None:
        org.value_sets[value_set.id] = value_set
    else:
        known = {value.name for value in existing.values}
        existing.values.extend(value for value in value_set.values if value.name not in known)
        known_stages = {stage.name for stage in existing.stages}
        existing.stages.extend(
            stage for stage in value_set.stages if stage.name not in known_stages
        )
    for order, stage in enumerate(org.value_sets[value_set.id].stages):
        stage.order = order


# --- business processes -------------------------------------------------------------------------


def handle_business_process(element: etree._Element, context: ElementContext, org: Org) -> None:
    """A business process becomes a pipeline of bare stage names; finalize fills them in."""
    org.occurrences["business_processes"] += 1
    owner = object_child(element, context, org)
    if owner is None:
        return
    crm_object, name = owner
    pipeline = Pipeline(
        object_name=crm_object.name,
        name=decode_value_name(name),
        stage_field=STAGE_FIELDS.get(crm_object.name),
        location=context.location(element),
    )
    if pipeline.id in org.pipelines:
        return
    pipeline.label = pipeline.name
    for child_element in element:
        child_name = child_element.tag
        if child_name == "values":
            stage_name = text(child_element, "fullName")
            if stage_name is not None:
                pipeline.stages.append(Stage(name=decode_value_name(stage_name)))
        elif child_name == "isActive":
            pipeline.active = _is_true(child_element)
        elif child_name == "description":
            pipeline.description = stripped(child_element)
    org.pipelines[pipeline.id] = pipeline


HANDLERS: dict[str, ElementHandler] = {
    "StandardValueSet": handle_standard_value_set,
    "GlobalValueSet": handle_global_value_set,
    "BusinessProcess": handle_business_process,
}


# --- cross-file resolution ----------------------------------------------------------------------


def finalize(org: Org) -> None:
    """Give value-set picklists their values and build the pipelines."""
    _resolve_global_value_sets(org)
    _apply_standard_value_sets(org)
    _complete_pipelines(org)


def _resolve_global_value_sets(org: Org) -> None:
    """A field on a global value set lists no values of its own, at most the dependency stubs
    (value -> controlling values) its ``valueSettings`` gave; take the set's values, keep those."""
    for model_field in org.fields():
        if model_field.value_set_name is None:
            continue
        value_set = org.value_sets.get(f"globalvalueset:{model_field.value_set_name}")
        if value_set is None:
            continue
        valid_for = {value.name: value.valid_for for value in model_field.picklist_values}
        model_field.picklist_values = [
            replace(value, valid_for=list(valid_for.get(value.name, [])))
            for value in value_set.values
        ]


def _apply_standard_value_sets(org: Org) -> None:
    """Standard picklists list no values in metadata; the standard value set has them."""
    for set_name, fields in STANDARD_PICKLISTS.items():
        value_set = org.value_sets.get(f"standardvalueset:{set_name}")
        if value_set is None:
            continue
        for object_name, field_name in fields:
            crm_object = org.objects.get(object_name)
            if crm_object is None:
                continue
            model_field = crm_object.fields.get(field_name)
            if model_field is None:
                model_field = Field(
                    object_name=object_name,
                    name=field_name,
                    type=FieldType.PICKLIST,
                    source_type="Picklist",
                    restricted=False,
                    location=value_set.location,
                )
                crm_object.fields[field_name] = model_field
            elif model_field.source_type is None:
                model_field.type = FieldType.PICKLIST
            if not model_field.picklist_values:
                model_field.picklist_values = [replace(value) for value in value_set.values]


def _complete_pipelines(org: Org) -> None:
    for pipeline in org.pipelines.values():
        master = _master_stages(org, pipeline.object_name)
        pipeline.stages = _ordered_stages(pipeline.stages, master)
    has_opportunity_pipeline = any(
        pipeline.object_name == "Opportunity" for pipeline in org.pipelines.values()
    )
    stage_set = org.value_sets.get("standardvalueset:OpportunityStage")
    if not has_opportunity_pipeline and stage_set is not None and stage_set.stages:
        default = Pipeline(
            object_name="Opportunity",
            name="Default",
            stage_field="StageName",
            is_default=True,
            location=stage_set.location,
        )
        default.stages = _ordered_stages(stage_set.stages, stage_set.stages)
        org.pipelines[default.id] = default


def _master_stages(org: Org, object_name: str) -> list[Stage]:
    """Every stage the object's stage picklist knows, in picklist order: the project's value set
    first, then the platform's own stages the project did not redefine."""
    set_name = STAGE_VALUE_SETS.get(object_name)
    value_set = org.value_sets.get(f"standardvalueset:{set_name}") if set_name else None
    master = list(value_set.stages) if value_set is not None else []
    known = {stage.name for stage in master}
    master.extend(
        Stage(name=name, probability=probability, closed=closed, won=won,
              forecast_category=forecast)
        for name, probability, closed, won, forecast in PLATFORM_STAGES.get(object_name, ())
        if name not in known
    )
    return master


def _ordered_stages(stages: list[Stage], master: list[Stage]) -> list[Stage]:
    """The pipeline's stages with the master attributes, open ones first, then won, then lost.

    A business process lists its values alphabetically (that is how the Metadata API writes
    them); the org shows them in picklist order, with the closed ones in a last step (Path,
    Kanban). Stages the picklist does not know keep their business-process order at the end of
    their group.
    """
    position = {stage.name: index for index, stage in enumerate(master)}
    by_name = {stage.name: stage for stage in master}
    completed = [
        replace(by_name[stage.name], required_fields=list(stage.required_fields))
        if stage.name in by_name else replace(stage)
        for stage in stages
    ]
    unknown = len(master)

    def sort_key(item: tuple[int, Stage]) -> tuple[bool, bool, int, int]:
        index, stage = item
        lost = stage.closed and not stage.won
        return stage.closed, lost, position.get(stage.name, unknown), index

    ordered = [stage for _, stage in sorted(enumerate(completed), key=sort_key)]
    for order, stage in enumerate(ordered):
        stage.order = order
    return ordered
