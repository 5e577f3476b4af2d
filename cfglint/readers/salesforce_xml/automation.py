"""Automation: flows and process builders, workflow rules, Apex triggers, approval processes.

Each becomes an :class:`~cfglint.model.Automation` that says on which object it fires and when,
which fields it reads and writes, which other objects it touches, how big it is, and which
literal values it carries (for hard-coded id detection).

Flow references become field ids where the flow says which object a name holds: ``$Record`` and
``$Record__Prior`` hold the triggering record, a process builder's ``myVariable_current`` /
``myVariable_old`` are record variables of the process object, and any record variable, Get
Records element (automatic output) or loop over one holds records of its object. A path through
a relationship (``$Record.Account.Name``) is recorded as a read of the lookup field it starts
from, by Salesforce's naming convention: ``Account`` -> ``AccountId``, ``Program__r`` ->
``Program__c``. The far field (``Account.Name``) is not recorded, because the object a
relationship leads to is not known from the flow alone. Anything else a flow names (screen
inputs, formulas, plain variables) is not a field and is left out. Setting a field of a record
variable in an Assignment counts as a write: in a before-save flow that is how ``$Record`` is
updated, and elsewhere the variable is there to be saved.

Approval processes use the field updates of their object's workflow file, which is read after
them; a rule can run a field update its own copy of the file lacks (NPSP's ``trial`` bundle
relies on the package's); and a field update can write to the master record (``targetObject``).
These are resolved in :func:`finalize`, field updates by ``Object.Name`` across the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from cfglint.model import Automation, AutomationKind, Org
from cfglint.readers.salesforce_xml import ElementContext, ElementHandler
from cfglint.readers.xml import child, flag, integer, text

# --- shared -------------------------------------------------------------------------------------

#: Workflow rule and process builder ``triggerType`` -> when the automation fires.
RECORD_CHANGE_TRIGGERS: dict[str, str] = {
    "onCreateOnly": "create",
    "onCreateOrTriggeringUpdate": "create-or-update",
    "onAllChanges": "create-or-update",
}


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _tidy(automation: Automation) -> Automation:
    """Drop repeats (a field read in ten conditions is one read) and the automation's own object
    from the objects it touches."""
    automation.reads = _unique(automation.reads)
    automation.writes = _unique(automation.writes)
    automation.expressions = _unique(automation.expressions)
    automation.literals = _unique(automation.literals)
    automation.calls = _unique(automation.calls)
    automation.touches_objects = [
        name for name in _unique(automation.touches_objects) if name != automation.object_name
    ]
    return automation


def _add(org: Org, automation: Automation) -> None:
    if automation.id not in org.automations:  # first definition wins
        org.automations[automation.id] = _tidy(automation)


def _decoded(name: str) -> str:
    """The Metadata API percent-encodes some characters of rule names (``Campaign%3A Update``)."""
    return unquote(name) if "%" in name else name


def _split_object_name(context: ElementContext) -> tuple[str | None, str]:
    """``Opportunity.Big_Deal`` (approval processes, duplicate rules) -> object and name."""
    if context.object_name and context.name.startswith(context.object_name + "."):
        return context.object_name, context.name[len(context.object_name) + 1 :]
    return context.object_name, context.name


# --- flows and process builders -----------------------------------------------------------------

#: Flow elements a run steps through; their number is :attr:`Automation.elements`.
FLOW_NODES = frozenset(
    {
        "actionCalls", "apexPluginCalls", "assignments", "collectionProcessors", "customErrors",
        "decisions", "loops", "orchestratedStages", "recordCreates", "recordDeletes",
        "recordLookups", "recordRollbacks", "recordUpdates", "screens", "steps", "subflows",
        "transforms", "waits",
    }
)

#: ``processType`` values of Process Builder processes (record change, platform event, invocable).
PROCESS_BUILDER_TYPES = frozenset({"Workflow", "CustomEvent", "InvocableProcess"})

#: ``start/recordTriggerType`` -> when a record-triggered flow fires.
RECORD_TRIGGER_TYPES: dict[str, str] = {
    "Create": "create",
    "Update": "update",
    "CreateAndUpdate": "create-or-update",
    "Delete": "delete",
}

#: ``start/triggerType`` of record-triggered flows -> timing.
FLOW_TIMINGS: dict[str, str] = {
    "RecordBeforeSave": "before-save",
    "RecordAfterSave": "after-save",
    "RecordBeforeDelete": "before-delete",
}

#: ``start/triggerType`` of other flows that start on their own -> when they fire.
FLOW_START_TRIGGERS: dict[str, str] = {
    "Scheduled": "scheduled",
    "PlatformEvent": "platform-event",
}

#: ``processType`` -> when the flow runs, for flows nothing starts on their own (other types,
#: such as ``RoutingFlow``, keep the raw value).
FLOW_PROCESS_TRIGGERS: dict[str, str] = {
    "Flow": "screen",
    "AutoLaunchedFlow": "invoked",
    "InvocableProcess": "invoked",
    "CustomEvent": "platform-event",
}

#: Invocable action types that run another automation, and the id prefix of what they run.
CALLED_ACTION_TYPES: dict[str, str] = {"flow": "flow", "apex": "apex"}

#: Names that hold the triggering record in a record-triggered flow.
TRIGGER_RECORDS = ("$Record", "$Record__Prior")

_MERGE_FIELD = re.compile(r"\{!\s*([^{}\s]+)\s*\}")


def handle_flow(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["flows"] += 1
    process_type = text(element, "processType")
    status = text(element, "status")
    automation = Automation(
        kind=(
            AutomationKind.PROCESS_BUILDER
            if process_type in PROCESS_BUILDER_TYPES
            else AutomationKind.FLOW
        ),
        name=context.name,
        label=text(element, "label"),
        description=text(element, "description"),
        active=status == "Active",
        status=status,
        process_type=process_type,
        api_version=text(element, "apiVersion"),
        trigger_order=integer(element, "triggerOrder"),
        location=context.location(element),
    )
    scope = _FlowScope.of(element, automation)
    for node in element:
        name = node.tag
        if name in FLOW_NODES:
            automation.elements += 1
        reader = _FLOW_READERS.get(name)
        if reader is not None:
            reader(node, scope)
    _add(org, automation)


@dataclass
class _FlowScope:
    """The flow being read and which object each record-holding name in it stands for."""

    automation: Automation
    records: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, flow: etree._Element, automation: Automation) -> _FlowScope:
        """Look through the flow once for its trigger and every name that holds records; the
        elements refer to each other in any order, so this comes before reading them."""
        scope = cls(automation)
        loops: list[tuple[str | None, str | None]] = []
        for node in flow:
            name = node.tag
            if name == "start":
                _read_start_trigger(node, automation)
            elif name == "processMetadataValues":
                _read_process_setting(node, automation)
            elif name == "variables" and (object_type := text(node, "objectType")):
                scope.hold(text(node, "name"), object_type)
            elif name == "recordLookups" and flag(node, "storeOutputAutomatically"):
                scope.hold(text(node, "name"), text(node, "object"))
            elif name == "loops":
                loops.append((text(node, "name"), text(node, "collectionReference")))
        for loop_name, collection in loops:
            scope.hold(loop_name, scope.records.get(collection or ""))
        if automation.object_name:
            for record in TRIGGER_RECORDS:
                scope.records[record] = automation.object_name
        process_type = automation.process_type
        if process_type == "Workflow" and automation.object_name:
            automation.timing = "after-save"  # record-change processes run after the save
        if automation.trigger is None and process_type and process_type != "Workflow":
            automation.trigger = FLOW_PROCESS_TRIGGERS.get(process_type, process_type)
        return scope

    def hold(self, name: str | None, object_name: str | None) -> None:
        if name and object_name:
            self.records[name] = object_name

    def field_id(self, reference: str) -> str | None:
        holder, _, path = reference.strip().partition(".")
        object_name = self.records.get(holder)
        if object_name is None or not path:
            return None
        return f"{object_name}.{_first_hop(path)}"

    def read(self, reference: str | None) -> None:
        if reference and (field_id := self.field_id(reference)):
            self.automation.reads.append(field_id)

    def write(self, reference: str | None) -> None:
        if reference and (field_id := self.field_id(reference)):
            self.automation.writes.append(field_id)

    def value(self, value: etree._Element | None) -> None:
        """A right-hand side: a reference to a record field is read, a string is a literal."""
        if value is None:
            return
        for item in value:
            name = item.tag
            if name == "elementReference":
                self.read(item.text)
            elif name == "stringValue" and item.text and item.text.strip():
                self.automation.literals.append(item.text.strip())

    def merge_fields(self, expression: str) -> None:
        for reference in _MERGE_FIELD.findall(expression):
            self.read(reference)

    def record_object(self, node: etree._Element) -> str | None:
        """The object a record element works on: named, or held by its input variable."""
        return text(node, "object") or self.records.get(text(node, "inputReference") or "")


def _first_hop(path: str) -> str:
    """``StageName`` stays; ``Account.Name`` is read through the lookup ``AccountId``."""
    hop, dot, _ = path.partition(".")
    if not dot:
        return hop
    hop = hop.partition(":")[0]  # polymorphic ``Owner:User.Name``
    return hop[: -len("__r")] + "__c" if hop.endswith("__r") else hop + "Id"


def _read_start_trigger(start: etree._Element, automation: Automation) -> None:
    trigger_type = text(start, "triggerType")
    record_trigger = text(start, "recordTriggerType")
    automation.object_name = text(start, "object")
    automation.timing = FLOW_TIMINGS.get(trigger_type or "")
    if record_trigger:
        automation.trigger = RECORD_TRIGGER_TYPES.get(record_trigger, record_trigger)
    elif trigger_type:
        automation.trigger = FLOW_START_TRIGGERS.get(trigger_type, trigger_type)


def _read_process_setting(setting: etree._Element, automation: Automation) -> None:
    """Process Builder keeps its object and trigger in ``processMetadataValues``."""
    name = text(setting, "name")
    if name not in ("ObjectType", "TriggerType"):
        return
    value = child(setting, "value")
    string = text(value, "stringValue") if value is not None else None
    if string is None:
        return
    if name == "ObjectType":
        automation.object_name = string
    else:
        automation.trigger = RECORD_CHANGE_TRIGGERS.get(string, string)


def _read_start(start: etree._Element, scope: _FlowScope) -> None:
    object_name = scope.automation.object_name
    for item in start:
        name = item.tag
        if name == "filters":
            if object_name and (field_name := text(item, "field")):
                scope.automation.reads.append(f"{object_name}.{field_name}")
            scope.value(child(item, "value"))
        elif name == "filterFormula" and item.text and item.text.strip():
            scope.automation.expressions.append(item.text.strip())
            scope.merge_fields(item.text)


def _read_decision(decision: etree._Element, scope: _FlowScope) -> None:
    for rule in decision:
        name = rule.tag
        if name != "rules":
            continue
        scope.automation.decisions += 1
        for condition in rule:
            condition_name = condition.tag
            if condition_name == "conditions":
                scope.read(text(condition, "leftValueReference"))
                scope.value(child(condition, "rightValue"))


def _read_assignment(assignment: etree._Element, scope: _FlowScope) -> None:
    for item in assignment:
        name = item.tag
        if name == "assignmentItems":
            scope.write(text(item, "assignToReference"))
            scope.value(child(item, "value"))


def _read_record_element(node: etree._Element, scope: _FlowScope) -> None:
    """Create, Update, Get and Delete Records: fields set are written, fields matched or
    fetched are read, the object is touched."""
    object_name = scope.record_object(node)
    automation = scope.automation
    for item in node:
        name = item.tag
        if name in ("inputAssignments", "outputAssignments", "filters"):
            field_name = text(item, "field")
            if object_name and field_name:
                target = automation.writes if name == "inputAssignments" else automation.reads
                target.append(f"{object_name}.{field_name}")
            scope.value(child(item, "value"))
        elif name in ("queriedFields", "sortField") and object_name and item.text:
            automation.reads.append(f"{object_name}.{item.text.strip()}")
    if object_name:
        automation.touches_objects.append(object_name)


def _read_formula(formula: etree._Element, scope: _FlowScope) -> None:
    expression = text(formula, "expression")
    if expression:
        scope.automation.expressions.append(expression)
        scope.merge_fields(expression)


def _read_subflow(subflow: etree._Element, scope: _FlowScope) -> None:
    flow_name = text(subflow, "flowName")
    if flow_name:
        scope.automation.calls.append(f"flow:{flow_name}")
    for item in subflow:
        name = item.tag
        if name == "inputAssignments":
            scope.value(child(item, "value"))


def _read_action_call(action: etree._Element, scope: _FlowScope) -> None:
    called = CALLED_ACTION_TYPES.get(text(action, "actionType") or "")
    action_name = text(action, "actionName")
    if called and action_name:
        scope.automation.calls.append(f"{called}:{action_name}")
    for item in action:
        name = item.tag
        if name == "inputParameters":
            scope.value(child(item, "value"))


def _read_value_holder(node: etree._Element, scope: _FlowScope) -> None:
    """Constants and variable defaults can hold literals too."""
    scope.value(child(node, "value"))


_FLOW_READERS: dict[str, Callable[[etree._Element, _FlowScope], None]] = {
    "start": _read_start,
    "decisions": _read_decision,
    "assignments": _read_assignment,
    "recordCreates": _read_record_element,
    "recordUpdates": _read_record_element,
    "recordLookups": _read_record_element,
    "recordDeletes": _read_record_element,
    "formulas": _read_formula,
    "subflows": _read_subflow,
    "actionCalls": _read_action_call,
    "constants": _read_value_holder,
    "variables": _read_value_holder,
}


# --- workflow rules and field updates -----------------------------------------------------------


@dataclass(frozen=True)
class _FieldUpdate:
    """A workflow field update; rules and approval processes run it by name."""

    object_name: str
    field: str
    #: Lookup / master-detail field on ``object_name`` leading to the record updated instead.
    via: str | None = None
    formula: str | None = None
    literal: str | None = None


def handle_workflow(element: etree._Element, context: ElementContext, org: Org) -> None:
    object_name = context.object_name or context.name
    field_updates: dict[str, _FieldUpdate] = {}
    flow_actions: dict[str, str] = {}
    rules: list[etree._Element] = []
    for node in element:
        name = node.tag
        if name == "fieldUpdates":
            org.occurrences["workflow_field_updates"] += 1
            update_name = text(node, "fullName")
            if update_name:
                field_updates[update_name] = _field_update(node, object_name)
        elif name == "flowActions":
            action_name, flow_name = text(node, "fullName"), text(node, "flow")
            if action_name and flow_name:
                flow_actions[action_name] = flow_name
        elif name == "rules":
            rules.append(node)
    unresolved = _unresolved(org)
    for update_name, update in field_updates.items():
        unresolved.field_updates.setdefault(f"{object_name}.{update_name}", update)
    for rule in rules:
        org.occurrences["workflow_rules"] += 1
        automation = _workflow_rule(rule, object_name, context)
        for action_type, action_name in _rule_actions(rule, object_name, automation):
            automation.elements += 1
            if action_type == "FieldUpdate":
                if action_name in field_updates:
                    _apply_field_update(field_updates[action_name], automation, unresolved)
                else:  # defined in another bundle's copy of the file, or in a package
                    unresolved.actions.append((automation, f"{object_name}.{action_name}"))
            elif action_type == "FlowAction" and action_name in flow_actions:
                automation.calls.append(f"flow:{flow_actions[action_name]}")
        _add(org, automation)


def _field_update(node: etree._Element, object_name: str) -> _FieldUpdate:
    return _FieldUpdate(
        object_name=object_name,
        field=text(node, "field") or "",
        via=text(node, "targetObject"),
        formula=text(node, "formula"),
        literal=text(node, "literalValue") or text(node, "lookupValue"),
    )


def _workflow_rule(rule: etree._Element, object_name: str, context: ElementContext) -> Automation:
    trigger_type = text(rule, "triggerType")
    automation = Automation(
        kind=AutomationKind.WORKFLOW_RULE,
        name=_decoded(text(rule, "fullName") or ""),
        object_name=object_name,
        description=text(rule, "description"),
        active=flag(rule, "active"),
        trigger=RECORD_CHANGE_TRIGGERS.get(trigger_type, trigger_type) if trigger_type else None,
        location=context.location(rule),
    )
    _read_criteria(rule, object_name, automation)
    return automation


def _rule_actions(
    rule: etree._Element, object_name: str, automation: Automation
) -> list[tuple[str, str]]:
    """(type, name) of the rule's immediate and time-dependent actions."""
    actions: list[tuple[str, str]] = []
    for node in rule:
        name = node.tag
        if name == "actions":
            actions.append(_action(node))
        elif name == "workflowTimeTriggers":
            offset_field = text(node, "offsetFromField")
            if offset_field:
                automation.reads.append(_qualified(offset_field, object_name))
            actions.extend(_action(item) for item in node.iterchildren("actions"))
    return actions


def _action(action: etree._Element) -> tuple[str, str]:
    return text(action, "type") or "", text(action, "name") or ""


def _read_criteria(element: etree._Element, object_name: str, automation: Automation) -> None:
    """Rule criteria: ``criteriaItems`` (field, operation, value) or one ``formula``."""
    for node in element:
        name = node.tag
        if name == "criteriaItems":
            field_name = text(node, "field")
            if field_name:
                automation.reads.append(_qualified(field_name, object_name))
            value = text(node, "value")
            if value is not None:
                automation.literals.append(value)
        elif name == "formula" and node.text and node.text.strip():
            automation.expressions.append(node.text.strip())


def _qualified(field_name: str, object_name: str) -> str:
    """Criteria name fields as ``Object.Field`` (the object may be a parent); a bare name is on
    the rule's own object."""
    return field_name if "." in field_name else f"{object_name}.{field_name}"


def _apply_field_update(
    update: _FieldUpdate, automation: Automation, unresolved: _Unresolved
) -> None:
    if update.formula:
        automation.expressions.append(update.formula)
    if update.literal:
        automation.literals.append(update.literal)
    if not update.field:
        return
    if update.via:
        # The lookup is read to find the master; which object that is, only the model says.
        automation.reads.append(f"{update.object_name}.{update.via}")
        unresolved.cross_object.append((automation, update))
    else:
        automation.writes.append(f"{update.object_name}.{update.field}")


# --- Apex triggers ------------------------------------------------------------------------------

_APEX_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_NAMESPACE_TOKEN = re.compile(r"%%%[A-Z_]+%%%|___NAMESPACE___")
_TRIGGER_HEADER = re.compile(
    r"\btrigger\s+\w+\s+on\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE
)


def handle_apex_trigger(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["triggers"] += 1
    status = text(element, "status")
    automation = Automation(
        kind=AutomationKind.TRIGGER,
        name=context.name,
        active=status in (None, "Active"),  # deployed triggers are active unless they say not
        status=status,
        api_version=text(element, "apiVersion"),
        location=context.location(element),
    )
    if context.code:
        _read_trigger_header(context.code, automation)
    _add(org, automation)


def _read_trigger_header(code: str, automation: Automation) -> None:
    """``trigger Name on Object (before insert, after update)`` -> object, events, timing."""
    source = _NAMESPACE_TOKEN.sub("", _APEX_COMMENT.sub(" ", code))
    header = _TRIGGER_HEADER.search(source)
    if header is None:
        return
    events = [" ".join(event.lower().split()) for event in header.group(2).split(",")]
    events = [event for event in events if event]
    automation.object_name = header.group(1)
    automation.trigger = ", ".join(events) or None
    timings = {event.partition(" ")[0] for event in events}
    if timings == {"before"}:
        automation.timing = "before-save"
    elif timings == {"after"}:
        automation.timing = "after-save"


# --- approval processes -------------------------------------------------------------------------

#: Action lists of the whole process and of each step.
APPROVAL_ACTION_LISTS = frozenset(
    {
        "initialSubmissionActions", "finalApprovalActions", "finalRejectionActions",
        "recallActions", "approvalActions", "rejectionActions",
    }
)


def handle_approval_process(element: etree._Element, context: ElementContext, org: Org) -> None:
    org.occurrences["approval_processes"] += 1
    object_name, name = _split_object_name(context)
    automation = Automation(
        kind=AutomationKind.APPROVAL_PROCESS,
        name=name,
        object_name=object_name,
        label=text(element, "label"),
        description=text(element, "description"),
        active=flag(element, "active"),
        location=context.location(element),
    )
    for action_type, action_name in _approval_actions(element, object_name or "", automation):
        automation.elements += 1
        if action_type == "FieldUpdate" and object_name:
            _unresolved(org).actions.append((automation, f"{object_name}.{action_name}"))
    _add(org, automation)


def _approval_actions(
    element: etree._Element, object_name: str, automation: Automation
) -> list[tuple[str, str]]:
    """Read entry criteria of the process and its steps; return every action (type, name)."""
    actions: list[tuple[str, str]] = []
    for node in element:
        name = node.tag
        if name == "entryCriteria":
            _read_criteria(node, object_name, automation)
        elif name == "approvalStep":
            automation.elements += 1
            actions.extend(_approval_actions(node, object_name, automation))
        elif name in APPROVAL_ACTION_LISTS:
            actions.extend(_action(item) for item in node.iterchildren("action"))
    return actions


# --- cross-file resolution ----------------------------------------------------------------------


@dataclass
class _Unresolved:
    """What only the whole project answers: field updates by ``Object.Name``, the actions of
    approval processes and rules that run one defined in another file, and field updates that
    write through a lookup."""

    field_updates: dict[str, _FieldUpdate] = field(default_factory=dict)
    actions: list[tuple[Automation, str]] = field(default_factory=list)
    cross_object: list[tuple[Automation, _FieldUpdate]] = field(default_factory=list)


# Field updates are no model element of their own: they wait in the org's reader state until
# finalize() resolves them.
_STATE_KEY = "salesforce_xml.automation"


def _unresolved(org: Org) -> _Unresolved:
    unresolved = org.reader_state.get(_STATE_KEY)
    if not isinstance(unresolved, _Unresolved):
        unresolved = org.reader_state[_STATE_KEY] = _Unresolved()
    return unresolved


def finalize(org: Org) -> None:
    """Give approval processes (and rules whose file lacks the field update) the writes of the
    field updates they run, and resolve writes to a master record through the lookup's target."""
    unresolved = org.reader_state.pop(_STATE_KEY, None)
    if not isinstance(unresolved, _Unresolved):
        return
    for automation, key in unresolved.actions:
        update = unresolved.field_updates.get(key)
        if update is not None:
            _apply_field_update(update, automation, unresolved)
    for automation, update in unresolved.cross_object:
        lookup = org.field(f"{update.object_name}.{update.via}")
        if lookup is not None and lookup.reference_to:
            target = lookup.reference_to[0]
            automation.writes.append(f"{target}.{update.field}")
            automation.touches_objects.append(target)
    for automation, _ in unresolved.actions:
        _tidy(automation)
    for automation, _ in unresolved.cross_object:
        _tidy(automation)


HANDLERS: dict[str, ElementHandler] = {
    "Flow": handle_flow,
    "Workflow": handle_workflow,
    "ApexTrigger": handle_apex_trigger,
    "ApprovalProcess": handle_approval_process,
}
