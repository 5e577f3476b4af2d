"""Property tests of the designer over generated small orgs (methods.md C.5): the launch set is
closed, contains the must-haves, is minimal (P1), and keeps every task within budget when the
must-haves alone fit."""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.budget import org_budget
from cfglint.design import design
from cfglint.graph import build_graph
from cfglint.model import (
    CrmObject,
    Field,
    FieldType,
    ObjectPermission,
    Org,
    Pipeline,
    Profile,
    ProfileKind,
    Role,
    RoleFieldNeed,
    Stage,
)

OBJECT = "Thing__c"
STAGES = ("Open", "Working", "Done")
TYPES = (FieldType.TEXT, FieldType.NUMBER, FieldType.DATE, FieldType.PICKLIST,
         FieldType.TEXTAREA)


@st.composite
def orgs(draw: st.DrawFn) -> Org:
    size = draw(st.integers(2, 9))
    names = [f"F{index}__c" for index in range(size)]
    crm_object = CrmObject(OBJECT, custom=True)
    crm_object.fields["Stage__c"] = Field(OBJECT, "Stage__c", type=FieldType.PICKLIST,
                                          custom=True)
    for index, name in enumerate(names):
        later = names[index + 1:]
        inputs = draw(st.lists(st.sampled_from(later), max_size=2, unique=True)) if later else []
        if inputs and draw(st.booleans()):
            crm_object.fields[name] = Field(OBJECT, name, type=FieldType.FORMULA, custom=True,
                                            formula=" + ".join(inputs))
        else:
            crm_object.fields[name] = Field(OBJECT, name, type=draw(st.sampled_from(TYPES)),
                                            custom=True, required=draw(st.booleans()))
    org = Org(platform="salesforce", source_format="cfglint-yaml")
    org.objects[OBJECT] = crm_object
    pipeline = Pipeline(OBJECT, "Process", stage_field="Stage__c", is_default=True,
                        stages=[Stage(name, order=index) for index, name in enumerate(STAGES)])
    org.pipelines[pipeline.id] = pipeline
    for who in ("P1", "P2"):
        org.profiles[f"profile:{who}"] = Profile(
            ProfileKind.PROFILE, who,
            object_permissions=[ObjectPermission(OBJECT, create=True, read=True, edit=True)])
    for number, who in enumerate(("P1", "P2")):
        needed = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
        needs = [RoleFieldNeed(f"{OBJECT}.{name}",
                               draw(st.sampled_from((None, *STAGES)))) for name in needed]
        role = Role(f"r{number}", profiles=[f"profile:{who}"], objects=[OBJECT], needs=needs,
                    tasks=["create", "stage-move"])
        org.roles[role.id] = role
    return org


def _must(org: Org) -> set[str]:
    return {need.field for role in org.roles.values() for need in role.needs}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs())
def test_closure_is_closed_contains_m0_and_is_minimal(org: Org) -> None:
    result = design(org, dict(org.roles))
    graph = build_graph(result.source).graph
    kept = {field_id for field_id in result.kept if field_id.startswith(f"{OBJECT}.F")}
    must = _must(org)
    assert must <= kept
    for field_id in kept:  # closed: what a kept field reads is kept
        assert {node for node in nx.descendants(graph, field_id)
                if node.startswith(f"{OBJECT}.F")} <= kept
    for field_id in kept - must:  # P1: dropping it breaks the closure of some must-have
        assert any(field_id in nx.descendants(graph, need) for need in must)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs())
def test_every_task_within_budget_unless_reported(org: Org) -> None:
    result = design(org, dict(org.roles))
    budget = org_budget(result.launch, None)
    for estimate in budget.estimates:
        if estimate.total > estimate.budget:
            assert any(note.startswith(f"{estimate.role_id} {estimate.task} ")
                       for note in result.notes)
            # Independent of the notes: an over-budget launch task asks only for what its role
            # declared it needs (and the stage field): the designer added nothing to it. A stage
            # requirement is the field's, not a role's (C.1: q_{f,s} = 1 where any role first
            # needs f at s), so moving a record to a stage also asks what other roles need by it.
            declared = {need.field for need in org.roles[estimate.role_id].needs}
            if estimate.stage is not None:
                reached = STAGES[:STAGES.index(estimate.stage) + 1]
                declared |= {need.field for role in org.roles.values() for need in role.needs
                             if need.from_stage in reached}
            asked = {cost.field_id for cost in estimate.fields}
            assert asked <= declared | {f"{OBJECT}.Stage__c", f"{OBJECT}.Name"}
    if not result.notes:
        assert all(estimate.total <= estimate.budget for estimate in budget.estimates)
