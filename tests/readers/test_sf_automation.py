"""Automation: flows and process builders, workflow rules and field updates, Apex triggers,
approval processes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cfglint.model import AutomationKind, Field, FieldType, Org
from cfglint.readers import read
from cfglint.readers.salesforce_xml import ElementContext, automation
from cfglint.readers.salesforce_xml.automation import (
    handle_apex_trigger,
    handle_approval_process,
    handle_flow,
    handle_workflow,
)
from cfglint.readers.xml import parse_xml_bytes
from tests.conftest import corpus_path

NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def new_org() -> Org:
    return Org(platform="salesforce", source_format="sfdx")


def document(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def read_flow(body: str, name: str = "Opp_Flow", org: Org | None = None) -> Org:
    org = org or new_org()
    context = ElementContext(path=f"flows/{name}.flow-meta.xml", name=name)
    handle_flow(parse_xml_bytes(document(body)), context, org)
    return org


# --- flows ----------------------------------------------------------------------------------------

RECORD_TRIGGERED_FLOW = f"""<Flow {NS}>
    <actionCalls>
        <name>Geocode</name>
        <actionName>GeocodingService</actionName>
        <actionType>apex</actionType>
        <inputParameters>
            <name>accountId</name>
            <value><elementReference>$Record.AccountId</elementReference></value>
        </inputParameters>
    </actionCalls>
    <actionCalls>
        <name>Post</name>
        <actionName>chatterPost</actionName>
        <actionType>chatterPost</actionType>
    </actionCalls>
    <apiVersion>60.0</apiVersion>
    <decisions>
        <name>Stage_Changed</name>
        <rules>
            <name>Won</name>
            <conditions>
                <leftValueReference>$Record.StageName</leftValueReference>
                <operator>NotEqualTo</operator>
                <rightValue><elementReference>$Record__Prior.StageName</elementReference></rightValue>
            </conditions>
            <conditions>
                <leftValueReference>$Record.Account.Name</leftValueReference>
                <operator>EqualTo</operator>
                <rightValue><stringValue>0015g00000ABCDEAAA</stringValue></rightValue>
            </conditions>
        </rules>
        <rules>
            <name>Lost</name>
            <conditions>
                <leftValueReference>Get_Owner.IsActive</leftValueReference>
                <operator>EqualTo</operator>
                <rightValue><booleanValue>true</booleanValue></rightValue>
            </conditions>
        </rules>
    </decisions>
    <description>Hands won deals over</description>
    <formulas>
        <name>Discounted</name>
        <dataType>Currency</dataType>
        <expression>{{!$Record.Amount}} * 0.9 + {{!Program.Fee__c}}</expression>
    </formulas>
    <label>Opportunity Handoff</label>
    <processMetadataValues>
        <name>BuilderType</name>
        <value><stringValue>LightningFlowBuilder</stringValue></value>
    </processMetadataValues>
    <processType>AutoLaunchedFlow</processType>
    <recordCreates>
        <name>Create_Task</name>
        <inputAssignments>
            <field>Subject</field>
            <value><stringValue>Kick-off call</stringValue></value>
        </inputAssignments>
        <inputAssignments>
            <field>WhatId</field>
            <value><elementReference>$Record.Id</elementReference></value>
        </inputAssignments>
        <object>Task</object>
    </recordCreates>
    <recordLookups>
        <name>Get_Owner</name>
        <filters>
            <field>Id</field>
            <operator>EqualTo</operator>
            <value><elementReference>$Record.OwnerId</elementReference></value>
        </filters>
        <object>User</object>
        <queriedFields>Email</queriedFields>
        <storeOutputAutomatically>true</storeOutputAutomatically>
    </recordLookups>
    <recordUpdates>
        <name>Mark_Handed_Over</name>
        <inputAssignments>
            <field>Handed_Over__c</field>
            <value><booleanValue>true</booleanValue></value>
        </inputAssignments>
        <inputReference>$Record</inputReference>
    </recordUpdates>
    <start>
        <connector><targetReference>Stage_Changed</targetReference></connector>
        <filterLogic>and</filterLogic>
        <filters>
            <field>IsWon</field>
            <operator>EqualTo</operator>
            <value><booleanValue>true</booleanValue></value>
        </filters>
        <object>Opportunity</object>
        <recordTriggerType>CreateAndUpdate</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
    </start>
    <status>Active</status>
    <subflows>
        <name>Notify</name>
        <flowName>Notify_Team</flowName>
        <inputAssignments>
            <name>message</name>
            <value><stringValue>Deal won</stringValue></value>
        </inputAssignments>
    </subflows>
    <triggerOrder>20</triggerOrder>
    <variables>
        <name>Program</name>
        <dataType>SObject</dataType>
        <isCollection>false</isCollection>
        <objectType>Program__c</objectType>
    </variables>
</Flow>"""


def test_record_triggered_flow() -> None:
    org = read_flow(RECORD_TRIGGERED_FLOW)
    flow = org.automations["flow:Opp_Flow"]
    assert org.occurrences["flows"] == 1
    assert flow.kind is AutomationKind.FLOW
    assert (flow.label, flow.description) == ("Opportunity Handoff", "Hands won deals over")
    assert (flow.status, flow.active, flow.process_type) == ("Active", True, "AutoLaunchedFlow")
    assert (flow.object_name, flow.trigger, flow.timing) == (
        "Opportunity", "create-or-update", "after-save"
    )
    assert (flow.trigger_order, flow.api_version) == (20, "60.0")
    assert flow.reads == [
        "Opportunity.AccountId",
        "Opportunity.StageName",
        "User.IsActive",
        "Opportunity.Amount",
        "Program__c.Fee__c",
        "Opportunity.Id",
        "User.Id",
        "Opportunity.OwnerId",
        "User.Email",
        "Opportunity.IsWon",
    ]
    assert flow.writes == ["Task.Subject", "Task.WhatId", "Opportunity.Handed_Over__c"]
    assert flow.touches_objects == ["Task", "User"]  # its own object is left out
    assert flow.expressions == ["{!$Record.Amount} * 0.9 + {!Program.Fee__c}"]
    assert flow.literals == ["0015g00000ABCDEAAA", "Kick-off call", "Deal won"]
    assert flow.calls == ["apex:GeocodingService", "flow:Notify_Team"]
    assert flow.decisions == 2
    # 2 action calls, 1 decision, 1 create, 1 lookup, 1 update, 1 subflow
    assert flow.elements == 7
    assert flow.location is not None and flow.location.line == 2


def test_before_save_flow_writes_through_assignments() -> None:
    org = read_flow(f"""<Flow {NS}>
    <assignments>
        <name>Set_Rating</name>
        <assignmentItems>
            <assignToReference>$Record.Rating</assignToReference>
            <operator>Assign</operator>
            <value><stringValue>Hot</stringValue></value>
        </assignmentItems>
        <assignmentItems>
            <assignToReference>counter</assignToReference>
            <operator>Add</operator>
            <value><numberValue>1</numberValue></value>
        </assignmentItems>
    </assignments>
    <processType>AutoLaunchedFlow</processType>
    <start>
        <object>Account</object>
        <recordTriggerType>Create</recordTriggerType>
        <triggerType>RecordBeforeSave</triggerType>
    </start>
    <status>Draft</status>
</Flow>""", name="Rate_Accounts")
    flow = org.automations["flow:Rate_Accounts"]
    assert (flow.trigger, flow.timing, flow.active, flow.status) == (
        "create", "before-save", False, "Draft"
    )
    assert flow.writes == ["Account.Rating"]
    assert flow.literals == ["Hot"]
    assert (flow.elements, flow.decisions) == (1, 0)


@pytest.mark.parametrize(
    ("process_type", "start", "trigger"),
    [
        ("Flow", "<start><locationX>0</locationX></start>", "screen"),
        ("AutoLaunchedFlow", "", "invoked"),
        ("RoutingFlow", "", "RoutingFlow"),
        (
            "AutoLaunchedFlow",
            "<start><object>Case</object><triggerType>Scheduled</triggerType></start>",
            "scheduled",
        ),
        (
            "AutoLaunchedFlow",
            "<start><object>Alert__e</object><triggerType>PlatformEvent</triggerType></start>",
            "platform-event",
        ),
        (
            "AutoLaunchedFlow",
            "<start><object>Case</object><recordTriggerType>Delete</recordTriggerType>"
            "<triggerType>RecordBeforeDelete</triggerType></start>",
            "delete",
        ),
    ],
)
def test_when_a_flow_runs(process_type: str, start: str, trigger: str) -> None:
    org = read_flow(
        f"<Flow {NS}><processType>{process_type}</processType>{start}"
        "<status>Active</status></Flow>",
        name="F",
    )
    assert org.automations["flow:F"].trigger == trigger


def test_delete_flow_timing() -> None:
    org = read_flow(
        f"<Flow {NS}><processType>AutoLaunchedFlow</processType><start><object>Case</object>"
        "<recordTriggerType>Delete</recordTriggerType><triggerType>RecordBeforeDelete"
        "</triggerType></start></Flow>",
        name="F",
    )
    flow = org.automations["flow:F"]
    assert (flow.object_name, flow.timing, flow.active, flow.status) == (
        "Case", "before-delete", False, None
    )


PROCESS_BUILDER = f"""<Flow {NS}>
    <decisions>
        <name>myDecision</name>
        <rules>
            <name>myRule_1</name>
            <conditions>
                <processMetadataValues>
                    <name>inputDataType</name>
                    <value><stringValue>Picklist</stringValue></value>
                </processMetadataValues>
                <leftValueReference>myVariable_current.Stage__c</leftValueReference>
                <operator>EqualTo</operator>
                <rightValue><stringValue>Applied</stringValue></rightValue>
            </conditions>
        </rules>
    </decisions>
    <formulas>
        <name>formula_2</name>
        <dataType>String</dataType>
        <expression>{{!myVariable_current.Program__r.Name}}
            &amp; {{!myVariable_old.Name}}</expression>
    </formulas>
    <label>Engagement dates</label>
    <processMetadataValues>
        <name>ObjectType</name>
        <value><stringValue>ProgramEngagement__c</stringValue></value>
    </processMetadataValues>
    <processMetadataValues>
        <name>ObjectVariable</name>
        <value><elementReference>myVariable_current</elementReference></value>
    </processMetadataValues>
    <processMetadataValues>
        <name>TriggerType</name>
        <value><stringValue>onCreateOnly</stringValue></value>
    </processMetadataValues>
    <processType>Workflow</processType>
    <recordUpdates>
        <name>myRule_1_A1</name>
        <filters>
            <field>Id</field>
            <operator>EqualTo</operator>
            <value><elementReference>myVariable_current.Id</elementReference></value>
        </filters>
        <inputAssignments>
            <field>ApplicationDate__c</field>
            <value><elementReference>formula_2</elementReference></value>
        </inputAssignments>
        <object>ProgramEngagement__c</object>
    </recordUpdates>
    <startElementReference>myDecision</startElementReference>
    <status>Active</status>
    <variables>
        <name>myVariable_current</name>
        <dataType>SObject</dataType>
        <objectType>ProgramEngagement__c</objectType>
    </variables>
    <variables>
        <name>myVariable_old</name>
        <dataType>SObject</dataType>
        <objectType>ProgramEngagement__c</objectType>
    </variables>
</Flow>"""


def test_process_builder() -> None:
    org = read_flow(PROCESS_BUILDER, name="Engagement_Dates")
    process = org.automations["process-builder:Engagement_Dates"]
    assert org.occurrences["flows"] == 1
    assert process.kind is AutomationKind.PROCESS_BUILDER
    assert (process.object_name, process.trigger, process.timing) == (
        "ProgramEngagement__c", "create", "after-save"
    )
    assert process.reads == [
        "ProgramEngagement__c.Stage__c",
        "ProgramEngagement__c.Program__c",
        "ProgramEngagement__c.Name",
        "ProgramEngagement__c.Id",
    ]
    assert process.writes == ["ProgramEngagement__c.ApplicationDate__c"]
    assert process.touches_objects == []
    # metadata values (Picklist, LightningFlowBuilder, ...) are not literals
    assert process.literals == ["Applied"]
    assert (process.decisions, process.elements) == (1, 2)


def test_loop_variable_holds_records_of_the_collection() -> None:
    org = read_flow(f"""<Flow {NS}>
    <assignments>
        <name>Bump</name>
        <assignmentItems>
            <assignToReference>Each_Contact.Level__c</assignToReference>
            <operator>Assign</operator>
            <value><elementReference>Each_Contact.Score__c</elementReference></value>
        </assignmentItems>
    </assignments>
    <loops>
        <name>Each_Contact</name>
        <collectionReference>Get_Contacts</collectionReference>
    </loops>
    <processType>AutoLaunchedFlow</processType>
    <recordLookups>
        <name>Get_Contacts</name>
        <object>Contact</object>
        <storeOutputAutomatically>true</storeOutputAutomatically>
    </recordLookups>
    <status>Active</status>
</Flow>""", name="Loop")
    flow = org.automations["flow:Loop"]
    assert flow.writes == ["Contact.Level__c"]
    assert flow.reads == ["Contact.Score__c"]
    assert flow.touches_objects == ["Contact"]
    assert flow.elements == 3


def test_first_flow_definition_wins() -> None:
    org = read_flow(RECORD_TRIGGERED_FLOW)
    read_flow(f"<Flow {NS}><label>Other</label></Flow>", org=org)
    assert org.occurrences["flows"] == 2
    assert org.automations["flow:Opp_Flow"].label == "Opportunity Handoff"


def test_empty_flow_does_not_raise() -> None:
    org = read_flow(f"<Flow {NS}/>", name="Empty")
    flow = org.automations["flow:Empty"]
    assert (flow.object_name, flow.trigger, flow.status, flow.active) == (None, None, None, False)


# --- workflow rules -----------------------------------------------------------------------------

WORKFLOW = f"""<Workflow {NS}>
    <alerts>
        <fullName>Notify_Owner</fullName>
        <template>unfiled$public/Won</template>
    </alerts>
    <fieldUpdates>
        <fullName>Set_Close_Date</fullName>
        <field>CloseDate</field>
        <formula>TODAY()</formula>
        <name>Set Close Date</name>
        <operation>Formula</operation>
    </fieldUpdates>
    <fieldUpdates>
        <fullName>Set_Record_Type</fullName>
        <field>RecordTypeId</field>
        <lookupValue>Donation</lookupValue>
        <lookupValueType>RecordType</lookupValueType>
        <name>Set Record Type</name>
        <operation>LookupValue</operation>
    </fieldUpdates>
    <fieldUpdates>
        <fullName>Stamp_Account</fullName>
        <field>Last_Won__c</field>
        <formula>TODAY()</formula>
        <name>Stamp Account</name>
        <operation>Formula</operation>
        <targetObject>Donor__c</targetObject>
    </fieldUpdates>
    <flowActions>
        <fullName>Run_Handoff</fullName>
        <flow>Handoff</flow>
        <label>Run Handoff</label>
    </flowActions>
    <rules>
        <fullName>Opportunity%3A Won</fullName>
        <actions>
            <name>Set_Close_Date</name>
            <type>FieldUpdate</type>
        </actions>
        <actions>
            <name>Notify_Owner</name>
            <type>Alert</type>
        </actions>
        <actions>
            <name>Run_Handoff</name>
            <type>FlowAction</type>
        </actions>
        <active>true</active>
        <criteriaItems>
            <field>Opportunity.StageName</field>
            <operation>equals</operation>
            <value>Closed Won</value>
        </criteriaItems>
        <criteriaItems>
            <field>Account.Type</field>
            <operation>notEqual</operation>
        </criteriaItems>
        <description>Stamps won deals</description>
        <triggerType>onCreateOrTriggeringUpdate</triggerType>
        <workflowTimeTriggers>
            <actions>
                <name>Set_Record_Type</name>
                <type>FieldUpdate</type>
            </actions>
            <offsetFromField>Opportunity.CloseDate</offsetFromField>
            <timeLength>7</timeLength>
            <workflowTimeTriggerUnit>Days</workflowTimeTriggerUnit>
        </workflowTimeTriggers>
    </rules>
    <rules>
        <fullName>Big_Gift</fullName>
        <actions>
            <name>Stamp_Account</name>
            <type>FieldUpdate</type>
        </actions>
        <actions>
            <name>Defined_Elsewhere</name>
            <type>FieldUpdate</type>
        </actions>
        <active>false</active>
        <formula>Amount &gt; 10000</formula>
        <triggerType>onCreateOnly</triggerType>
    </rules>
</Workflow>"""


def read_workflow(org: Org, body: str = WORKFLOW, path: str = "workflows/Opportunity.workflow"
                  ) -> None:
    context = ElementContext(path=path, name="Opportunity", object_name="Opportunity")
    handle_workflow(parse_xml_bytes(document(body)), context, org)


def test_workflow_rules_and_field_updates() -> None:
    org = new_org()
    read_workflow(org)
    assert org.occurrences["workflow_rules"] == 2
    assert org.occurrences["workflow_field_updates"] == 3
    won = org.automations["workflow:Opportunity.Opportunity: Won"]
    assert won.kind is AutomationKind.WORKFLOW_RULE
    assert (won.name, won.object_name, won.active, won.trigger) == (
        "Opportunity: Won", "Opportunity", True, "create-or-update"
    )
    assert won.description == "Stamps won deals"
    assert won.reads == ["Opportunity.StageName", "Account.Type", "Opportunity.CloseDate"]
    assert won.writes == ["Opportunity.CloseDate", "Opportunity.RecordTypeId"]
    assert won.expressions == ["TODAY()"]
    assert won.literals == ["Closed Won", "Donation"]
    assert won.calls == ["flow:Handoff"]
    assert won.elements == 4  # three immediate actions and one time-dependent
    assert won.location is not None and won.location.line == 35

    big_gift = org.automations["workflow:Opportunity.Big_Gift"]
    assert (big_gift.active, big_gift.trigger) == (False, "create")
    assert big_gift.expressions == ["Amount > 10000", "TODAY()"]
    assert big_gift.reads == ["Opportunity.Donor__c"]  # the lookup to the master record
    assert big_gift.writes == []  # resolved once the model is complete


def test_finalize_resolves_master_record_and_other_files_field_updates() -> None:
    org = new_org()
    read_workflow(org)
    # another bundle's copy of the file holds the update the rule runs
    read_workflow(org, f"""<Workflow {NS}>
    <fieldUpdates>
        <fullName>Defined_Elsewhere</fullName>
        <field>Description</field>
        <literalValue>Big</literalValue>
        <operation>Literal</operation>
    </fieldUpdates>
</Workflow>""", path="unpackaged/workflows/Opportunity.workflow")
    donor = Field(object_name="Opportunity", name="Donor__c", type=FieldType.LOOKUP,
                  reference_to=["Account"])
    org.ensure_object("Opportunity").fields["Donor__c"] = donor
    automation.finalize(org)
    big_gift = org.automations["workflow:Opportunity.Big_Gift"]
    assert big_gift.writes == ["Opportunity.Description", "Account.Last_Won__c"]
    assert big_gift.touches_objects == ["Account"]
    assert big_gift.literals == ["Big"]
    automation.finalize(org)  # a second call changes nothing
    assert big_gift.writes == ["Opportunity.Description", "Account.Last_Won__c"]


def test_workflow_without_rules() -> None:
    org = new_org()
    read_workflow(org, f"<Workflow {NS}><alerts><fullName>A</fullName></alerts></Workflow>")
    assert org.occurrences["workflow_rules"] == 0
    assert org.automations == {}


# --- Apex triggers ------------------------------------------------------------------------------

TRIGGER_META = document(f"""<ApexTrigger {NS}>
    <apiVersion>58.0</apiVersion>
    <status>Active</status>
</ApexTrigger>""")


def read_trigger(code: str | None, meta: bytes = TRIGGER_META) -> Org:
    org = new_org()
    context = ElementContext(
        path="triggers/OpportunityTrigger.trigger-meta.xml", name="OpportunityTrigger", code=code
    )
    handle_apex_trigger(parse_xml_bytes(meta), context, org)
    return org


def test_trigger_with_body() -> None:
    code = (
        "/* trigger Old on Lead (after delete) */\n"
        "// trigger Other on Case (before insert)\n"
        "trigger OpportunityTrigger on %%%NAMESPACE%%%Opportunity (before insert,\n"
        "        before   UPDATE) {\n    TDTM.run();\n}\n"
    )
    org = read_trigger(code)
    trigger = org.automations["trigger:OpportunityTrigger"]
    assert org.occurrences["triggers"] == 1
    assert trigger.kind is AutomationKind.TRIGGER
    assert (trigger.object_name, trigger.trigger, trigger.timing) == (
        "Opportunity", "before insert, before update", "before-save"
    )
    assert (trigger.active, trigger.status, trigger.api_version) == (True, "Active", "58.0")


def test_trigger_with_both_timings() -> None:
    org = read_trigger("trigger T on Account (before insert, after update) {}")
    trigger = org.automations["trigger:OpportunityTrigger"]
    assert (trigger.object_name, trigger.trigger, trigger.timing) == (
        "Account", "before insert, after update", None
    )


def test_trigger_without_body_says_no_object() -> None:
    inactive = document(f"<ApexTrigger {NS}><status>Inactive</status></ApexTrigger>")
    org = read_trigger(None, inactive)
    trigger = org.automations["trigger:OpportunityTrigger"]
    assert (trigger.object_name, trigger.trigger, trigger.timing) == (None, None, None)
    assert (trigger.active, trigger.status) == (False, "Inactive")


def test_trigger_object_from_the_body_beside_the_meta_file(tmp_path: Path) -> None:
    triggers = tmp_path / "force-app" / "main" / "default" / "triggers"
    triggers.mkdir(parents=True)
    (tmp_path / "sfdx-project.json").write_text(
        '{"packageDirectories": [{"path": "force-app", "default": true}]}'
    )
    (triggers / "AccountTrigger.trigger").write_text(
        "trigger AccountTrigger on Account (after insert, after update) {}\n"
    )
    (triggers / "AccountTrigger.trigger-meta.xml").write_bytes(TRIGGER_META)
    org = read(tmp_path)
    trigger = org.automations["trigger:AccountTrigger"]
    assert org.occurrences["triggers"] == 1
    assert (trigger.object_name, trigger.trigger, trigger.timing) == (
        "Account", "after insert, after update", "after-save"
    )


# --- approval processes -------------------------------------------------------------------------

APPROVAL = document(f"""<ApprovalProcess {NS}>
    <active>true</active>
    <approvalStep>
        <allowDelegate>false</allowDelegate>
        <approvalActions>
            <action><name>Mark_Approved</name><type>FieldUpdate</type></action>
        </approvalActions>
        <entryCriteria>
            <formula>Amount &gt; 50000</formula>
        </entryCriteria>
        <label>Director</label>
        <name>Director</name>
    </approvalStep>
    <description>Large deals need a director</description>
    <entryCriteria>
        <criteriaItems>
            <field>Opportunity.Amount</field>
            <operation>greaterThan</operation>
            <value>10000</value>
        </criteriaItems>
    </entryCriteria>
    <finalRejectionActions>
        <action><name>Reject_Alert</name><type>Alert</type></action>
    </finalRejectionActions>
    <label>Big Deal Approval</label>
</ApprovalProcess>""")


def test_approval_process_takes_writes_from_the_workflow_file() -> None:
    org = new_org()
    context = ElementContext(
        path="approvalProcesses/Opportunity.Big_Deal.approvalProcess",
        name="Opportunity.Big_Deal",
        object_name="Opportunity",
    )
    handle_approval_process(parse_xml_bytes(APPROVAL), context, org)
    read_workflow(org, f"""<Workflow {NS}>
    <fieldUpdates>
        <fullName>Mark_Approved</fullName>
        <field>Approval_Status__c</field>
        <literalValue>Approved</literalValue>
        <operation>Literal</operation>
    </fieldUpdates>
</Workflow>""")
    approval = org.automations["approval:Opportunity.Big_Deal"]
    assert org.occurrences["approval_processes"] == 1
    assert approval.kind is AutomationKind.APPROVAL_PROCESS
    assert (approval.name, approval.object_name, approval.active) == (
        "Big_Deal", "Opportunity", True
    )
    assert (approval.label, approval.description) == (
        "Big Deal Approval", "Large deals need a director"
    )
    assert approval.reads == ["Opportunity.Amount"]
    assert approval.expressions == ["Amount > 50000"]
    assert approval.literals == ["10000"]
    assert approval.elements == 3  # one step, two actions
    assert approval.writes == []
    automation.finalize(org)
    assert approval.writes == ["Opportunity.Approval_Status__c"]
    assert approval.literals == ["10000", "Approved"]


# --- corpora ------------------------------------------------------------------------------------

#: MANIFEST figures: flows, workflow rules (occurrences before de-duplication).
CORPUS_COUNTS = {
    "SalesforceFoundation__NPSP": (0, 25),
    "SalesforceFoundation__NPSP-mdapi-2021": (0, 13),
    "SalesforceFoundation__PMM": (2, 0),
    "SalesforceFoundation__Volunteers-for-Salesforce": (0, 6),
    "SFDO-Community__Summit-Events-App": (0, 0),
    "EDACS__EASY-Open-Source-Solution": (1, 10),
    "trailheadapps__coral-cloud": (10, 0),
    "trailheadapps__dreamhouse-lwc": (1, 0),
    "Flow-Scanner__lightning-flow-scanner": (45, 0),
}


@pytest.mark.parametrize(("corpus", "counts"), sorted(CORPUS_COUNTS.items()))
def test_corpus_automation_counts(corpus: str, counts: tuple[int, int]) -> None:
    org = read(corpus_path("sfdc", corpus))
    assert (org.occurrences["flows"], org.occurrences["workflow_rules"]) == counts
    assert org.problems == []


def test_flow_scanner_statuses() -> None:
    org = read(corpus_path("sfdc", "Flow-Scanner__lightning-flow-scanner"))
    flows = list(org.automations.values())
    assert Counter(flow.status for flow in flows) == {"Active": 36, "Draft": 8, "InvalidDraft": 1}
    assert Counter(flow.process_type for flow in flows) == {"AutoLaunchedFlow": 28, "Flow": 17}
    assert sum(flow.active for flow in flows) == 36
    record_triggered = sorted(
        (flow.name, flow.object_name, flow.trigger, flow.timing)
        for flow in flows if flow.timing
    )
    assert record_triggered == [
        ("Make_Recursive", "Case", "create-or-update", "after-save"),
        ("OCR_Flow", "Opportunity", "create", "after-save"),
        ("Same_Record_Field_Updates", "Account", "create", "before-save"),
        ("TriggerWithoutFilter_Fixed", "Account", "create-or-update", "after-save"),
        ("Trigger_Without_Filter", "Account", "create-or-update", "after-save"),
        ("Unconnected_Element_Async", "User", "update", "after-save"),
    ]
    hard_coded = org.automations["flow:Hardcoded_Id"]
    assert "005Dn000006GuG4IAK" in hard_coded.literals
    assert hard_coded.writes == ["Account.Name", "Account.OwnerId"]


def test_pmm_process_builders() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__PMM"))
    processes = {
        key: (value.object_name, value.trigger, value.writes)
        for key, value in org.automations.items()
        if value.kind is AutomationKind.PROCESS_BUILDER
    }
    assert processes == {
        "process-builder:Auto_Populate_Date_And_Name_On_Program_Engagement": (
            "ProgramEngagement__c",
            "create-or-update",
            [
                "ProgramEngagement__c.EndDate__c",
                "ProgramEngagement__c.Name",
                "ProgramEngagement__c.ApplicationDate__c",
                "ProgramEngagement__c.StartDate__c",
            ],
        ),
        "process-builder:ServiceDelivery": (
            "ServiceDelivery__c", "create-or-update", ["ServiceDelivery__c.Name"]
        ),
    }


def test_easy_draft_process_builder_and_workflow_rules() -> None:
    org = read(corpus_path("sfdc", "EDACS__EASY-Open-Source-Solution"))
    process = org.automations["process-builder:External_Response_Requested"]
    assert (process.status, process.active, process.object_name) == (
        "Draft", False, "Requirement_Response__c"
    )
    rule = org.automations["workflow:Opportunity.Opportunity: Set Applicant Record Type"]
    assert rule.writes == ["Opportunity.RecordTypeId"]
    assert rule.literals == ["Applicant_Opportunity"]
    assert org.occurrences["workflow_field_updates"] == 10


def test_npsp_rules_use_field_updates_of_another_bundle() -> None:
    org = read(corpus_path("sfdc", "SalesforceFoundation__NPSP"))
    automation.finalize(org)
    rules = [a for a in org.automations.values() if a.kind is AutomationKind.WORKFLOW_RULE]
    assert len(rules) == 14  # trial and trial_tso share 11 Contact rules
    assert org.occurrences["workflow_field_updates"] == 17
    alternate = org.automations["workflow:Contact.npe01__Contact.EmailChanged_Alternate"]
    assert alternate.writes == ["Contact.npe01__AlternateEmail__c"]
    assert all(rule.writes for rule in rules if rule.elements)  # one rule has no actions


def test_invocable_process_is_a_process_builder() -> None:
    org = read_flow(
        f"<Flow {NS}><processMetadataValues><name>ObjectType</name><value>"
        "<stringValue>Account</stringValue></value></processMetadataValues>"
        "<processType>InvocableProcess</processType><status>Obsolete</status></Flow>",
        name="Invocable",
    )
    process = org.automations["process-builder:Invocable"]
    assert (process.object_name, process.trigger, process.timing) == ("Account", "invoked", None)
    assert (process.status, process.active) == ("Obsolete", False)
