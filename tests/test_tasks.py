"""What each role's tasks ask of the rep (cfglint.tasks): exact fields, sources and views."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cfglint.model import FieldType, Org, Role, SourceLocation
from cfglint.readers import read
from cfglint.roles import effective_roles
from cfglint.tasks import (
    ACTIVITY,
    CREATE,
    DYNAMIC_FORMS,
    FIELD_REQUIRED,
    LAYOUT_REQUIRED,
    LOG_CALL,
    MUST_UPDATE,
    STAGE_MOVE,
    STAGE_REQUIRED,
    VALIDATION_RULE,
    Task,
    TaskField,
    role_tasks,
    role_view,
    tasks_for,
)
from tests.conftest import FIXTURES

Row = tuple[str, str, bool, bool, "int | None"]


def rows(task: Task) -> list[Row]:
    """(field id, source, asterisk, on view, position) of each field, in task order."""
    return [(f.field_id, f.source, f.asterisk, f.on_view, f.position) for f in task.fields]


def by_name(tasks: list[Task], role_id: str, object_name: str) -> dict[str, Task]:
    return {task.name: task for task in tasks
            if task.role_id == role_id and task.object_name == object_name}


def org_from(tmp_path: Path, text: str) -> Org:
    path = tmp_path / "org.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    org = read(path)
    assert not org.problems, org.problems
    return org


# --- every source, on one Opportunity with two record types ---------------------------------

SOURCES_ORG = """\
    cfglint: 1
    platform: salesforce
    objects:
      Opportunity:
        fields:
          Name: {type: text, required: true, label: Opportunity Name, length: 120}
          StageName:
            type: picklist
            options: [Prospecting, Qualification, Proposal, Closed Won, Closed Lost]
          Type__c: {type: picklist, options: [New, Upsell, Renewal]}
          Region__c: {type: picklist, required: true, options: [{name: EMEA, default: true}, AMER]}
          Score__c: {type: formula, formula: "Amount * 2", required: true}
          Budget__c: {type: currency, required_at_stage: Qualification}
          Summary__c: {type: longtext, length: 32000}
          Competitor__c: {type: text, length: 80}
          Won_Reason__c: textarea
          Loss_Reason__c: {type: picklist, label: Loss reason, options: [Price, Timing, Other]}
          Close_Notes__c: textarea
          NextStep: {type: text, length: 255}
          Renewal_Date__c: date
        record_types:
          New_Business: {business_process: Sales}
          Renewal:
            business_process: Renewals
            picklist_values: {Type__c: [Renewal]}
        validation_rules:
          Competitor_Known:
            formula: >-
              AND(OR(ISPICKVAL(StageName, 'Proposal'), ISPICKVAL(StageName, 'Closed Won')),
              ISBLANK(Competitor__c))
            error_message: Name the main competitor.
          Budget_At_Proposal:
            formula: AND(ISPICKVAL(StageName, 'Proposal'), ISBLANK(Budget__c))
            error_message: Enter the budget.
          Close_Notes:
            formula: >-
              AND(OR(TEXT(StageName) = 'Closed Won', TEXT(StageName) = 'Closed Lost'),
              LEN(Close_Notes__c) = 0)
            error_message: Write close notes.
          Loss_Reason:
            formula: AND(ISPICKVAL(StageName, 'Closed Lost'), ISBLANK(TEXT(Loss_Reason__c)))
            error_message: Choose a loss reason.
          Old_Rule:
            active: false
            formula: AND(ISPICKVAL(StageName, 'Qualification'), ISBLANK(NextStep))
          Renewal_Date:
            formula: AND(ISPICKVAL(StageName, 'Renewal Quote'), ISBLANK(Renewal_Date__c))
            error_message: Enter the renewal date.
        pipelines:
          Sales:
            stage_field: StageName
            default: true
            stages:
              - Prospecting
              - Qualification
              - Proposal
              - {name: Closed Won, closed: true, won: true, requires: [Won_Reason__c]}
              - {name: Closed Lost, closed: true}
          Renewals:
            stage_field: StageName
            stages:
              - Prospecting
              - Renewal Quote
              - {name: Dormant, active: false}
              - {name: Closed Won, closed: true, won: true}
        views:
          AE Layout:
            kind: layout
            sections:
              - label: Deal
                fields:
                  - {field: Name, behavior: required}
                  - {field: StageName, behavior: required}
                  - {field: Type__c, behavior: required}
                  - Budget__c
                  - Competitor__c
                  - NextStep
            assigned_to: [AE]
          AE_Deal_Page:
            kind: flexipage
            sections:
              - label: Deal
                fields:
                  - {field: Name, behavior: required}
                  - {field: StageName, behavior: required}
                  - {field: Type__c, behavior: required}
                  - Budget__c
                  - Competitor__c
                  - NextStep
              - label: Closing
                fields:
                  - field: Summary__c
                    behavior: required
                    visibility: "{!Record.StageName} EQUAL Proposal"
                  - Won_Reason__c
                  - Close_Notes__c
            assigned_to: [{who: AE, record_type: New_Business}]
    profiles:
      AE: {}
    roles:
      ae:
        profiles: [AE]
        objects: [Opportunity]
        tasks: [create, stage-move]
        record_types: {Opportunity: New_Business}
        must_update:
          Qualification: [Opportunity.NextStep]
          Proposal: [Opportunity.NextStep]
      renewals:
        profiles: [AE]
        objects: [Opportunity]
        tasks: [create, stage-move]
        record_types: {Opportunity: Renewal}
    """


def test_every_source_of_a_requirement_in_pipeline_order(tmp_path: Path) -> None:
    org = org_from(tmp_path, SOURCES_ORG)
    tasks = role_tasks(org, org.roles["role:ae"])
    assert [task.name for task in tasks] == [
        "create", "stage-move:Qualification", "stage-move:Proposal", "stage-move:Closed Won",
        "stage-move:Closed Lost",
    ]
    assert {task.view_id for task in tasks} == {"flexipage:AE_Deal_Page"}
    assert {task.pipeline_id for task in tasks} == {"pipeline:Opportunity.Sales"}
    create, qualification, proposal, won, lost = tasks
    # Region__c (defaulted) and Score__c (formula) are required but nobody types them.
    assert rows(create) == [
        ("Opportunity.Name", FIELD_REQUIRED, True, True, 0),
        ("Opportunity.StageName", LAYOUT_REQUIRED, True, True, 1),
        ("Opportunity.Type__c", LAYOUT_REQUIRED, True, True, 2),
    ]
    assert rows(qualification) == [
        ("Opportunity.Budget__c", STAGE_REQUIRED, True, True, 3),
        ("Opportunity.NextStep", MUST_UPDATE, False, True, 5),
    ]
    # Budget__c, which a rule also demands at Proposal, was filled at Qualification; NextStep
    # is must-update again; the inactive rule counts nowhere.
    assert rows(proposal) == [
        ("Opportunity.Competitor__c", VALIDATION_RULE, False, True, 4),
        ("Opportunity.NextStep", MUST_UPDATE, False, True, 5),
        ("Opportunity.Summary__c", DYNAMIC_FORMS, True, True, 6),
    ]
    # Competitor__c was filled at Proposal; closed stages are branches, so Close_Notes__c is
    # asked for at both and Won_Reason__c only at Closed Won.
    assert rows(won) == [
        ("Opportunity.Won_Reason__c", STAGE_REQUIRED, True, True, 7),
        ("Opportunity.Close_Notes__c", VALIDATION_RULE, False, True, 8),
    ]
    assert rows(lost) == [
        ("Opportunity.Close_Notes__c", VALIDATION_RULE, False, True, 8),
        ("Opportunity.Loss_Reason__c", VALIDATION_RULE, False, False, None),
    ]


def test_task_fields_carry_what_the_model_knows(tmp_path: Path) -> None:
    org = org_from(tmp_path, SOURCES_ORG)
    tasks = by_name(role_tasks(org, org.roles["role:ae"]), "role:ae", "Opportunity")
    assert tasks["stage-move:Closed Lost"].fields[1] == TaskField(
        field_id="Opportunity.Loss_Reason__c",
        field_type=FieldType.PICKLIST,
        source=VALIDATION_RULE,
        asterisk=False,
        on_view=False,
        label="Loss reason",
        picklist_size=3,
        rule_id="validation:Opportunity.Loss_Reason",
        error_message="Choose a loss reason.",
        location=SourceLocation("org.yaml", 40),
    )
    name = tasks["create"].fields[0]
    assert (name.field_type, name.label, name.length, name.location) == (
        FieldType.TEXT, "Opportunity Name", 120, SourceLocation("org.yaml", 6),
    )
    summary = tasks["stage-move:Proposal"].fields[2]
    assert (summary.field_type, summary.length, summary.location) == (
        FieldType.LONGTEXT, 32000, SourceLocation("org.yaml", 92),
    )


def test_record_type_picks_view_pipeline_and_picklist_values(tmp_path: Path) -> None:
    org = org_from(tmp_path, SOURCES_ORG)
    tasks = role_tasks(org, org.roles["role:renewals"])
    # The renewal record type has no view of its own: the master layout. Its business
    # process skips the inactive Dormant stage.
    assert [(task.name, task.view_id, task.pipeline_id) for task in tasks] == [
        ("create", "layout:Opportunity-AE Layout", "pipeline:Opportunity.Renewals"),
        ("stage-move:Renewal Quote", "layout:Opportunity-AE Layout",
         "pipeline:Opportunity.Renewals"),
        ("stage-move:Closed Won", "layout:Opportunity-AE Layout",
         "pipeline:Opportunity.Renewals"),
    ]
    create, quote, won = tasks
    # The stage picklist offers the process's three active stages; the record type offers one
    # type.
    assert [(f.field_id, f.picklist_size) for f in create.fields] == [
        ("Opportunity.Name", None), ("Opportunity.StageName", 3), ("Opportunity.Type__c", 1),
    ]
    assert rows(quote) == [("Opportunity.Renewal_Date__c", VALIDATION_RULE, False, False, None)]
    # A requirement of stage "Closed Won" applies in every pipeline that has the stage.
    assert rows(won) == [
        ("Opportunity.Competitor__c", VALIDATION_RULE, False, True, 4),
        ("Opportunity.Close_Notes__c", VALIDATION_RULE, False, False, None),
        ("Opportunity.Won_Reason__c", STAGE_REQUIRED, True, False, None),
    ]


def test_role_view_prefers_record_type_then_master(tmp_path: Path) -> None:
    org = org_from(tmp_path, SOURCES_ORG)
    ae = org.roles["role:ae"]
    view = role_view(org, ae, "Opportunity")
    assert view is not None and view.id == "flexipage:AE_Deal_Page"
    other = Role("other", profiles=["profile:AE"])
    master = role_view(org, other, "Opportunity")
    assert master is not None and master.id == "layout:Opportunity-AE Layout"
    assert role_view(org, Role("nobody", profiles=["profile:Nobody"]), "Opportunity") is None


def test_tasks_for_orders_roles_by_id_and_takes_any_collection(tmp_path: Path) -> None:
    org = org_from(tmp_path, SOURCES_ORG)
    from_mapping = tasks_for(org, org.roles)
    from_list = tasks_for(org, [org.roles["role:renewals"], org.roles["role:ae"]])
    assert from_mapping == from_list
    assert [task.role_id for task in from_mapping] == ["role:ae"] * 5 + ["role:renewals"] * 3


# --- no view, first-stage requirements, activity forms ---------------------------------------

NO_VIEW_ORG = """\
    cfglint: 1
    platform: salesforce
    objects:
      Opportunity:
        fields:
          Name: {type: text, required: true}
          Source__c: text
        pipelines:
          Sales:
            stages: [{name: Prospecting, requires: [Source__c]}, Closed Won]
      Task:
        fields:
          Subject: {type: text, length: 255}
          Call_Result__c: {type: picklist, required: true, options: [Reached, Voicemail]}
    profiles:
      Rep: {}
    roles:
      rep: {profiles: [Rep], objects: [Opportunity]}
    """


def test_without_a_view_every_field_is_off_it_and_the_task_says_so(tmp_path: Path) -> None:
    org = org_from(tmp_path, NO_VIEW_ORG)
    tasks = role_tasks(org, org.roles["role:rep"])
    assert [(task.object_name, task.name, task.view_id) for task in tasks] == [
        ("Opportunity", CREATE, None),
        ("Opportunity", "stage-move:Closed Won", None),
        ("Task", LOG_CALL, None),
    ]
    create = tasks[0]
    # What the first stage requires is demanded when the record is saved at creation.
    assert rows(create) == [
        ("Opportunity.Name", FIELD_REQUIRED, True, False, None),
        ("Opportunity.Source__c", STAGE_REQUIRED, True, False, None),
    ]
    assert create.note == (
        "no view of Opportunity is assigned to the role's profiles: every field counts as off "
        "the view"
    )
    assert tasks[1].fields == ()


def test_standard_log_a_call_form_asks_for_subject(tmp_path: Path) -> None:
    org = org_from(tmp_path, NO_VIEW_ORG)
    log_call = role_tasks(org, org.roles["role:rep"])[-1]
    assert rows(log_call) == [
        ("Task.Call_Result__c", FIELD_REQUIRED, True, True, 0),
        ("Task.Subject", ACTIVITY, True, True, 1),
    ]
    assert log_call.fields[1].length == 255
    assert log_call.note == (
        "the configuration has no call form for this role: Salesforce's standard Log a Call "
        "form (Subject, marked required)"
    )


def test_standard_form_without_an_activity_object(tmp_path: Path) -> None:
    org = org_from(tmp_path, """\
        cfglint: 1
        platform: salesforce
        objects:
          Account: {fields: {Name: {type: text, required: true}}}
        roles:
          rep: {objects: [Account], tasks: [log-call]}
        """)
    (log_call,) = role_tasks(org, org.roles["role:rep"])
    assert (log_call.object_name, log_call.view_id) == ("Task", None)
    assert log_call.fields == (
        TaskField("Task.Subject", FieldType.TEXT, ACTIVITY, asterisk=True, on_view=True,
                  position=0),
    )


ACTIVITY_ORG = """\
    cfglint: 1
    platform: salesforce
    objects:
      Opportunity:
        fields: {Name: {type: text, required: true}}
        quick_actions:
          LogACall:
            type: LogACall
            target_object: Task
            fields: [{field: Subject, behavior: required}, WhoId, Description]
      Account:
        fields: {Name: {type: text, required: true}}
      Task:
        views:
          Task Layout:
            kind: layout
            sections:
              - fields: [Subject, {field: Type, behavior: required}, Description]
            assigned_to: [Rep]
    profiles:
      Rep: {}
    roles:
      opps: {profiles: [Rep], objects: [Opportunity], tasks: [log-call]}
      accounts: {profiles: [Rep], objects: [Account], tasks: [log-call]}
    """


def test_log_a_call_action_of_the_object(tmp_path: Path) -> None:
    org = org_from(tmp_path, ACTIVITY_ORG)
    (log_call,) = role_tasks(org, org.roles["role:opps"])
    assert (log_call.object_name, log_call.kind, log_call.view_id) == (
        "Opportunity", LOG_CALL, "quickaction:Opportunity.LogACall",
    )
    # Optional comments are the rep's choice, not a demand of the form.
    assert rows(log_call) == [("Task.Subject", LAYOUT_REQUIRED, True, True, 0)]


def test_log_a_call_on_the_roles_task_layout(tmp_path: Path) -> None:
    org = org_from(tmp_path, ACTIVITY_ORG)
    (log_call,) = role_tasks(org, org.roles["role:accounts"])
    assert (log_call.object_name, log_call.view_id) == ("Task", "layout:Task-Task Layout")
    assert rows(log_call) == [
        ("Task.Subject", ACTIVITY, False, True, 0),
        ("Task.Type", LAYOUT_REQUIRED, True, True, 1),
    ]
    assert log_call.fields[1].field_type is FieldType.PICKLIST  # a standard field: known type


def test_global_log_a_call_action(tmp_path: Path) -> None:
    org = org_from(tmp_path, """\
        cfglint: 1
        platform: salesforce
        objects:
          Account: {fields: {Name: {type: text, required: true}}}
        quick_actions:
          LogACall:
            type: LogACall
            target_object: Task
            fields:
              - {field: Subject, behavior: required}
              - {field: ActivityDate, behavior: required}
        roles:
          rep: {objects: [Account], tasks: [log-call]}
        """)
    (log_call,) = role_tasks(org, org.roles["role:rep"])
    assert (log_call.object_name, log_call.view_id) == ("Task", "quickaction:LogACall")
    assert [(f.field_id, f.field_type, f.source) for f in log_call.fields] == [
        ("Task.Subject", FieldType.TEXT, LAYOUT_REQUIRED),
        ("Task.ActivityDate", FieldType.DATE, LAYOUT_REQUIRED),
    ]


def test_hubspot_calls_and_team_views(tmp_path: Path) -> None:
    org = org_from(tmp_path, """\
        cfglint: 1
        platform: hubspot
        objects:
          deals:
            fields:
              dealname: {type: text, required: true}
              dealstage: {type: picklist, required: true, options: [new, won]}
              pipeline: {type: picklist, required: true}
              won_reason: textarea
            pipelines:
              default:
                stage_field: dealstage
                stages: [new, {name: won, closed: true, won: true, requires: [won_reason]}]
            views:
              AE view:
                sections: [{fields: [dealname, dealstage, won_reason]}]
                assigned_to: [AE]
          calls:
            fields:
              hs_call_body: textarea
              hs_call_disposition: {type: picklist, required: true, options: [a, b, c]}
        teams:
          AE: {}
        roles:
          ae: {profiles: [AE], objects: [deals]}
        """)
    tasks = role_tasks(org, org.roles["role:ae"])
    assert [(task.object_name, task.name, task.view_id) for task in tasks] == [
        ("deals", CREATE, "view:deals.AE view"),
        ("deals", "stage-move:won", "view:deals.AE view"),
        ("calls", LOG_CALL, None),
    ]
    # HubSpot fills in the pipeline; the stage is chosen on the form.
    assert rows(tasks[0]) == [
        ("deals.dealname", FIELD_REQUIRED, True, True, 0),
        ("deals.dealstage", FIELD_REQUIRED, True, True, 1),
    ]
    assert rows(tasks[1]) == [("deals.won_reason", STAGE_REQUIRED, True, True, 2)]
    assert rows(tasks[2]) == [("calls.hs_call_disposition", FIELD_REQUIRED, True, True, 0)]
    assert tasks[2].fields[0].picklist_size == 3
    assert tasks[2].note == (
        "the configuration has no call form for this role: HubSpot's standard Log call form "
        "(it requires no property)"
    )


def test_dynamic_forms_visibility_with_several_stages(tmp_path: Path) -> None:
    org = org_from(tmp_path, """\
        cfglint: 1
        platform: salesforce
        objects:
          Opportunity:
            fields:
              Terms__c: text
              Margin__c: percent
            pipelines:
              Sales:
                stage_field: StageName
                stages: [Prospecting, Quote, Negotiation]
            views:
              Page:
                kind: flexipage
                sections:
                  - fields:
                      - field: Terms__c
                        behavior: required
                        visibility: >-
                          ({!Record.StageName} EQUAL Quote) OR
                          ({!Record.StageName} EQUAL 'Negotiation')
                      - field: Margin__c
                        behavior: required
                        visibility: "{!Record.StageName} NE Quote"
                assigned_to: [Rep]
        profiles:
          Rep: {}
        roles:
          rep: {profiles: [Rep], objects: [Opportunity], tasks: [stage-move]}
        """)
    quote, negotiation = role_tasks(org, org.roles["role:rep"])
    assert rows(quote) == [("Opportunity.Terms__c", DYNAMIC_FORMS, True, True, 0)]
    # Filled at Quote already; a "not equal" rule is not read as a stage requirement.
    assert negotiation.fields == ()


# --- the sample orgs ----------------------------------------------------------------------------


def test_acme_sfdx_inferred_role() -> None:
    org = read(FIXTURES / "acme-sfdx")
    roles, inferred = effective_roles(org)
    assert inferred and list(roles) == ["role:acme-customer-success"]
    tasks = tasks_for(org, roles)
    assert [(task.object_name, task.name) for task in tasks] == [
        ("Account", CREATE), ("Competitor__c", CREATE), ("Contact", CREATE), ("Lead", CREATE),
        ("Opportunity", CREATE),
        *[("Opportunity", f"{STAGE_MOVE}:{stage}") for stage in (
            "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
            "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won",
            "Closed Lost",
        )],
        ("Opportunity", LOG_CALL),
    ]
    opportunity = by_name(tasks, "role:acme-customer-success", "Opportunity")
    assert {task.view_id for name, task in opportunity.items() if name != LOG_CALL} == {
        "layout:Opportunity-Opportunity Layout"
    }
    assert rows(opportunity[CREATE]) == [
        ("Opportunity.Name", LAYOUT_REQUIRED, True, True, 0),
        ("Opportunity.Type", LAYOUT_REQUIRED, True, True, 2),
        ("Opportunity.Contract_Value__c", FIELD_REQUIRED, True, True, 5),
        ("Opportunity.CloseDate", LAYOUT_REQUIRED, True, True, 7),
        ("Opportunity.StageName", LAYOUT_REQUIRED, True, True, 8),
        ("Opportunity.Champion_Name__c", LAYOUT_REQUIRED, True, True, 13),
        ("Opportunity.Primary_Competitor__c", FIELD_REQUIRED, True, True, 14),
        ("Opportunity.Decision_Criteria__c", FIELD_REQUIRED, True, True, 15),
        ("Opportunity.Products_of_Interest__c", FIELD_REQUIRED, True, True, 16),
        ("Opportunity.Seats__c", FIELD_REQUIRED, True, True, 17),
        ("Opportunity.Discount_Percent__c", FIELD_REQUIRED, True, True, 18),
        ("Opportunity.Contract_Signed_Date__c", FIELD_REQUIRED, True, True, 20),
        ("Opportunity.PO_Number__c", FIELD_REQUIRED, True, True, 21),
        ("Opportunity.Payment_Terms__c", FIELD_REQUIRED, True, True, 22),
        ("Opportunity.Implementation_Start__c", FIELD_REQUIRED, True, True, 23),
        ("Opportunity.Loss_Reason__c", FIELD_REQUIRED, True, True, 24),
    ]
    # Budget_Confirmed__c has a default value: nobody types it.
    assert [(f.field_id, f.field_type) for f in opportunity[CREATE].fields[:5]] == [
        ("Opportunity.Name", FieldType.TEXT), ("Opportunity.Type", FieldType.PICKLIST),
        ("Opportunity.Contract_Value__c", FieldType.CURRENCY),
        ("Opportunity.CloseDate", FieldType.DATE), ("Opportunity.StageName", FieldType.PICKLIST),
    ]
    proposal = opportunity["stage-move:Proposal/Price Quote"]
    assert proposal.fields == (TaskField(
        field_id="Opportunity.Next_Step_Detail__c",
        field_type=FieldType.TEXTAREA,
        source=VALIDATION_RULE,
        asterisk=False,
        on_view=True,
        label="Next Step Detail",
        position=11,
        rule_id="validation:Opportunity.Next_Step_Required_at_Proposal",
        error_message=(
            "Enter the next step detail before moving the opportunity to Proposal/Price Quote."
        ),
        location=proposal.fields[0].location,
    ),)
    assert proposal.fields[0].location is not None and proposal.fields[0].location.path == (
        "force-app/main/default/objects/Opportunity/validationRules/"
        "Next_Step_Required_at_Proposal.validationRule-meta.xml"
    )
    other_moves = [task for name, task in opportunity.items()
                   if name.startswith(STAGE_MOVE) and task is not proposal]
    assert all(task.fields == () for task in other_moves)
    log_call = opportunity[LOG_CALL]
    assert log_call.view_id == "quickaction:Opportunity.LogACall"
    assert rows(log_call) == [("Task.Subject", LAYOUT_REQUIRED, True, True, 0)]


def test_hubspot_yaml_sample_org() -> None:
    org = read(FIXTURES / "hubspot-yaml")
    roles, inferred = effective_roles(org)
    assert not inferred
    tasks = tasks_for(org, roles)
    ae = [task.name for task in tasks if task.role_id == "role:ae"]
    assert ae == [
        CREATE, CREATE, "stage-move:qualifiedtobuy", "stage-move:presentationscheduled",
        "stage-move:decisionmakerboughtin", "stage-move:contractsent", "stage-move:closedwon",
        "stage-move:closedlost", LOG_CALL,
    ]
    deals = by_name(tasks, "role:ae", "deals")
    assert len(deals[CREATE].fields) == 11
    assert rows(deals["stage-move:closedlost"]) == [
        ("deals.closed_lost_reason", STAGE_REQUIRED, True, True, 20),
    ]
    manager = [task.name for task in tasks if task.role_id == "role:manager"]
    assert manager[0] == "stage-move:qualifiedtobuy" and CREATE not in manager


def test_budget_hidden_field_fixture() -> None:
    org = read(FIXTURES / "budget" / "hidden-field")
    assert not org.problems
    roles, inferred = effective_roles(org)
    assert inferred
    tasks = tasks_for(org, roles)
    assert [(task.role_id, task.name) for task in tasks] == [
        ("role:ae", CREATE), ("role:ae", "stage-move:Proposal"),
        ("role:ae", "stage-move:Closed Won"), ("role:ae", "stage-move:Closed Lost"),
    ]
    assert rows(tasks[0]) == [
        ("Opportunity.Name", LAYOUT_REQUIRED, True, True, 0),
        ("Opportunity.CloseDate", LAYOUT_REQUIRED, True, True, 2),
        ("Opportunity.StageName", LAYOUT_REQUIRED, True, True, 3),
    ]
    assert rows(tasks[3]) == [
        ("Opportunity.Loss_Reason__c", VALIDATION_RULE, False, False, None),
    ]
    assert tasks[3].fields[0].picklist_size == 3
