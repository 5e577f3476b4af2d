"""What each role's tasks ask of the rep: the fields to fill to create a record, to move it to
each stage, and to log a call, each with where the requirement comes from and whether the rep
can see it on the role's view.

This module decides *what* must be filled; :mod:`cfglint.budget` prices it. The two meet in
:class:`Task` and :class:`TaskField`.

INTERFACE NOTE (lead engineer): the dataclasses below are the agreed contract between
``cfglint.tasks`` (what must be filled) and ``cfglint.budget`` (what it costs). Add fields with
defaults if you must; do not rename or remove.

How the tasks are found (methods.md A.2: role -> profile + record type -> view -> stage):

- **The role's view** of an object is a form (layout, Lightning record page, record view)
  assigned to one of the role's profiles / teams: for the role's record type of the object
  (``Role.record_types``) first, else for the master record type, else for any record type.
  Among equals a Dynamic Forms record page (a FlexiPage with field items) wins over a layout,
  then the role's first profile, then the view id. Only views the project holds count: an
  assignment to a layout that was not retrieved says nothing about its fields. With no view,
  every field is off the view and the task's ``note`` says so. Salesforce keeps the activation
  of Lightning pages in app and object settings the model does not read, so a FlexiPage is the
  role's view only when the configuration assigns it (cfglint YAML ``assigned_to``).
- **create**: what a save of a new record demands on that view: field-level required fields
  and the view's Required items (both with an asterisk), with REQ001's exclusions (system-set,
  defaulted, formula and auto-number fields, the fields the platform fills in: owner, record
  type, currency, HubSpot's pipeline). A new record starts in the pipeline's first stage, so
  what that stage requires (see below) is demanded at create too.
- **stage-move:S**, one per active stage after the first, in pipeline order, for the pipeline
  of the role's record type (its business process), else the object's default pipeline, else
  its first by id: what *becomes* required at S. In order of precedence (a field is listed once,
  with its first source): the stage's ``required_fields`` and fields ``required_at_stage`` S
  (STAGE_REQUIRED), Required items of the role's view shown only when the stage is S
  (DYNAMIC_FORMS; only equality tests on the stage field are read), fields an active
  validation rule demands at S (VALIDATION_RULE, :func:`cfglint.formulas.stage_gates`, no
  asterisk, with the rule's id and error message), then the roles file's ``must_update[S]``
  (MUST_UPDATE). Fields required at create or at an earlier *open* stage are filled already
  and left out, except must-update fields (the rep updates those on every such move). Closed
  stages are branches, not steps: what Closed Won requires is not filled when a deal moves to
  Closed Lost.
- **log-call**: the activity record's form. Salesforce: a LogACall quick action of one of the
  role's objects (one task per such object), else a global LogACall action, else the role's
  Task layout; its Required items, Task's field-level required fields, and Subject when the
  form shows it. Without any of these, Salesforce's standard Log a Call form: Subject, marked
  required (ACTIVITY). Comments are optional there and what a rep chooses to write is not a
  demand of the configuration, so they are not counted. HubSpot: the ``calls`` object's
  required properties and its record view's Required items; HubSpot's own Log call form
  requires no property.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from cfglint.formulas import stage_gates
from cfglint.model import (
    Behavior,
    CrmObject,
    Field,
    FieldType,
    Org,
    Pipeline,
    QuickAction,
    Role,
    SourceLocation,
    Stage,
    View,
    ViewItem,
    ViewKind,
)
from cfglint.rules._req_common import (
    DEFAULT_STAGE_FIELDS,
    FORM_KINDS,
    RequirementIndex,
    is_created_by_people,
)
from cfglint.rules._view_common import view_object

#: Where a requirement comes from. The first four show an asterisk on the form.
FIELD_REQUIRED = "field-required"  # required in the field definition (or HubSpot form)
LAYOUT_REQUIRED = "layout-required"  # Required behaviour on the page layout
STAGE_REQUIRED = "stage-required"  # HubSpot stage-required property, cfglint YAML `requires`
DYNAMIC_FORMS = "dynamic-forms"  # Dynamic Forms field required under a stage visibility rule
VALIDATION_RULE = "validation-rule"  # an active validation rule demands it at the stage (no *)
MUST_UPDATE = "must-update"  # the roles file says the rep updates it on this move
ACTIVITY = "activity"  # a field of the call / activity record itself

REQUIREMENT_SOURCES = (
    FIELD_REQUIRED,
    LAYOUT_REQUIRED,
    STAGE_REQUIRED,
    DYNAMIC_FORMS,
    VALIDATION_RULE,
    MUST_UPDATE,
    ACTIVITY,
)

#: Sources of what becomes required at a stage (the save fails without them).
STAGE_SOURCES = (STAGE_REQUIRED, DYNAMIC_FORMS, VALIDATION_RULE)

CREATE = "create"
STAGE_MOVE = "stage-move"
LOG_CALL = "log-call"


@dataclass(frozen=True)
class TaskField:
    """One field the rep must fill (or update) to finish a task."""

    field_id: str  # Object.Field
    field_type: FieldType
    source: str  # one of REQUIREMENT_SOURCES
    #: The form marks it required (asterisk): field-, layout-, stage-required or Dynamic Forms.
    asterisk: bool
    #: On the role's view. A required field the rep cannot see blocks the save invisibly.
    on_view: bool
    label: str | None = None
    #: Picklist / multi-select values offered (for the select cost), when known.
    picklist_size: int | None = None
    #: Maximum length from the field definition (text types), when known.
    length: int | None = None
    #: 0-based display position among the view's fields (for scrolling), None when not on it.
    position: int | None = None
    #: The field sits in a section the rep must expand first.
    collapsed_section: bool = False
    #: For VALIDATION_RULE: the rule's element id and its error message (read on a failed save).
    rule_id: str | None = None
    error_message: str | None = None
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Task:
    """A role's task on one object: create a record, move it to ``stage``, or log a call."""

    role_id: str  # role:<name>
    object_name: str
    kind: str  # CREATE, STAGE_MOVE or LOG_CALL
    stage: str | None = None  # the target stage's name, for STAGE_MOVE
    pipeline_id: str | None = None
    view_id: str | None = None  # the view the role gets (profile + record type), if any
    fields: tuple[TaskField, ...] = field(default_factory=tuple)
    #: What the reader of a report should know about how the fields were found (no view
    #: assigned, the platform's standard call form), or None.
    note: str | None = None

    @property
    def name(self) -> str:
        """``create``, ``log-call`` or ``stage-move:Proposal``, as reports and --explain say."""
        return f"{self.kind}:{self.stage}" if self.stage else self.kind


# --- constants ----------------------------------------------------------------------------------

ROLE_TASK_KINDS = (CREATE, STAGE_MOVE, LOG_CALL)

#: Salesforce standard fields a project rarely holds the files of (or holds without a type),
#: so that their cost is priced by what they are. Names ending in ``Id`` are lookups.
STANDARD_FIELD_TYPES: dict[str, FieldType] = {
    "Name": FieldType.TEXT, "FirstName": FieldType.TEXT, "LastName": FieldType.TEXT,
    "Company": FieldType.TEXT, "Title": FieldType.TEXT, "Subject": FieldType.TEXT,
    "NextStep": FieldType.TEXT, "Amount": FieldType.CURRENCY,
    "AnnualRevenue": FieldType.CURRENCY, "CloseDate": FieldType.DATE,
    "ActivityDate": FieldType.DATE, "Birthdate": FieldType.DATE,
    "StageName": FieldType.PICKLIST, "Type": FieldType.PICKLIST,
    "LeadSource": FieldType.PICKLIST, "Status": FieldType.PICKLIST,
    "Priority": FieldType.PICKLIST, "Industry": FieldType.PICKLIST,
    "Rating": FieldType.PICKLIST, "Salutation": FieldType.PICKLIST,
    "ForecastCategoryName": FieldType.PICKLIST, "Probability": FieldType.PERCENT,
    "Description": FieldType.LONGTEXT, "Email": FieldType.EMAIL, "Phone": FieldType.PHONE,
    "MobilePhone": FieldType.PHONE, "Fax": FieldType.PHONE, "Website": FieldType.URL,
    "NumberOfEmployees": FieldType.NUMBER,
}

#: The object a logged call is a record of, per platform.
ACTIVITY_OBJECTS = {"salesforce": "Task", "hubspot": "calls"}
LOG_CALL_ACTION = "logacall"  # QuickAction.action_type, lower-cased
SUBJECT = "Subject"

#: ``{!Record.StageName} EQUAL Proposal`` / ``{!Record.dealstage} = closedwon``: one
#: visibility criterion that shows an item at one stage.
_STAGE_CRITERION = re.compile(
    r"^\{!\s*Record\.(?P<field>\w+)\s*\}\s*(?:EQUAL|equals|==|=)\s*(?P<value>.+?)$"
)
_JOINERS = re.compile(r"\s+(?:AND|OR)\s+")


# --- public API ---------------------------------------------------------------------------------


def role_tasks(org: Org, role: Role) -> list[Task]:
    """The role's tasks: per object (sorted), create, the stage moves in pipeline order, a
    log-call where the object has a Log a Call action; then a log-call on the activity object
    when none of its objects had one."""
    return _Planner(org).tasks(role)


def tasks_for(
    org: Org, roles: Mapping[str, Role] | Iterable[Role], *,
    index: RequirementIndex | None = None,
) -> list[Task]:
    """The tasks of every role, roles by id (a mapping's values or any iterable of roles);
    ``index`` is one already built for the org (a lint run shares one among its rules)."""
    listed = list(roles.values()) if isinstance(roles, Mapping) else list(roles)
    planner = _Planner(org, index)
    return [task for role in sorted(listed, key=lambda role: role.id)
            for task in planner.tasks(role)]


def role_view(org: Org, role: Role, object_name: str) -> View | None:
    """The form the role gets for the object (see the module docstring), or None."""
    return _Planner(org).view(role, object_name)


# --- the planner --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Need:
    """A requirement before it becomes a :class:`TaskField`."""

    name: str  # field name on the object, as the model spells it when it knows the field
    source: str
    asterisk: bool
    location: SourceLocation | None = None
    rule_id: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class _Form:
    """What a task's fields are checked against: the view (or action) and its field order."""

    view_id: str | None
    items: tuple[ViewItem, ...]
    #: Without a form of its own, the platform's standard form shows every listed field.
    standard: bool = False

    @cached_property
    def positions(self) -> dict[str, int]:
        order: dict[str, int] = {}
        for item in self.items:
            order.setdefault(item.field.casefold(), len(order))
        return order


class _Planner:
    """Per-org lookups shared by every role's tasks, so that all roles cost one pass."""

    def __init__(self, org: Org, index: RequirementIndex | None = None) -> None:
        self.org = org
        self.index = index if index is not None else RequirementIndex(org)
        #: view id -> the form it gives, shared by every role (and task) that gets the view,
        #: so that its field positions are worked out once.
        self._view_forms: dict[str, _Form] = {}
        #: (object, stage field) -> stage (case-folded) -> (field name, rule key).
        self._gates: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {}
        #: object -> case-folded field name -> the model's spelling.
        self._spellings_by_object: dict[str, dict[str, str]] = {}

    # -- roles and objects ---------------------------------------------------------------------

    def tasks(self, role: Role) -> list[Task]:
        kinds = set(role.tasks) or set(ROLE_TASK_KINDS)
        tasks: list[Task] = []
        logged = False
        for object_name in self._objects(role):
            crm_object = self._object(object_name)
            if not is_created_by_people(crm_object):
                continue
            tasks.extend(self._object_tasks(role, crm_object, kinds))
            if LOG_CALL in kinds and (action := self._log_call_action(object_name)):
                tasks.append(self._action_log_call(role, object_name, action))
                logged = True
        if LOG_CALL in kinds and not logged:
            tasks.append(self._activity_log_call(role))
        return tasks

    def _objects(self, role: Role) -> list[str]:
        names = set(role.objects) or set(self._role_views(role))
        return sorted(names)

    def _object(self, name: str) -> CrmObject:
        known = self.org.objects.get(name)
        return known if known is not None else CrmObject(name=name, declared=False)

    def _object_tasks(self, role: Role, crm_object: CrmObject, kinds: set[str]) -> list[Task]:
        view = self.view(role, crm_object.name)
        form = self._form_of(view) if view else _Form(None, ())
        note = None if view else (
            f"no view of {crm_object.name} is assigned to the role's profiles: every field "
            "counts as off the view"
        )
        pipeline = self._pipeline(role, crm_object.name)
        stages = [stage for stage in pipeline.stages if stage.active] if pipeline else []
        create = self._create_needs(crm_object, view, pipeline, stages[:1], role)
        tasks = []
        if CREATE in kinds:
            tasks.append(self._task(role, crm_object, CREATE, form, create, note=note,
                                    pipeline=pipeline))
        if STAGE_MOVE in kinds and pipeline is not None:
            tasks.extend(self._stage_moves(role, crm_object, (view, form), pipeline, stages,
                                           create, note))
        return tasks

    # -- the role's view -----------------------------------------------------------------------

    @cached_property
    def _assignments(self) -> dict[tuple[str, str], list[tuple[str | None, str]]]:
        """(profile id, object) -> (record type id, view id) of the forms the project holds."""
        found: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        for assignment in self.org.view_assignments:
            view = self.org.views.get(assignment.view_id)
            object_name = view_object(self.org, assignment.view_id)
            if view is None or view.kind not in FORM_KINDS or object_name is None:
                continue
            found.setdefault((assignment.profile_id, object_name), []).append(
                (assignment.record_type, assignment.view_id)
            )
        return found

    def _role_views(self, role: Role) -> set[str]:
        return {object_name for profile, object_name in self._assignments
                if profile in role.profiles}

    def view(self, role: Role, object_name: str) -> View | None:
        record_type = role.record_types.get(object_name)
        candidates = [
            (rank, record_type_id, view_id)
            for rank, profile in enumerate(role.profiles)
            for record_type_id, view_id in self._assignments.get((profile, object_name), ())
        ]
        tiers = ([c for c in candidates if record_type and c[1] == record_type],
                 [c for c in candidates if c[1] is None], candidates)
        tier = next((tier for tier in tiers if tier), [])
        if not tier:
            return None
        chosen = min(tier, key=lambda c: (not self._is_dynamic_form(c[2]), c[0], c[2]))
        return self.org.views[chosen[2]]

    def _form_of(self, view: View) -> _Form:
        """The form of one of the org's views (what :meth:`view` returns), made once."""
        form = self._view_forms.get(view.id)
        if form is None:
            form = self._view_forms[view.id] = _Form(view.id, tuple(view.items()))
        return form

    def _is_dynamic_form(self, view_id: str) -> bool:
        view = self.org.views[view_id]
        return view.kind is ViewKind.FLEXIPAGE and any(True for _ in view.items())

    # -- pipelines -----------------------------------------------------------------------------

    def _pipeline(self, role: Role, object_name: str) -> Pipeline | None:
        pipelines = self.index.pipelines.get(object_name, [])
        record_type = self._record_type_process(role, object_name)
        for pipeline in pipelines:
            if record_type is not None and pipeline.name == record_type:
                return pipeline
        defaults = [pipeline for pipeline in pipelines if pipeline.is_default]
        chosen = defaults or pipelines
        return chosen[0] if chosen else None

    def _record_type_process(self, role: Role, object_name: str) -> str | None:
        record_type_id = role.record_types.get(object_name)
        crm_object = self.org.objects.get(object_name)
        if record_type_id is None or crm_object is None:
            return None
        for record_type in crm_object.record_types.values():
            if record_type.id.casefold() == record_type_id.casefold():
                return record_type.business_process
        return None

    def _stage_field(self, pipeline: Pipeline) -> str | None:
        return pipeline.stage_field or DEFAULT_STAGE_FIELDS.get(pipeline.object_name)

    # -- create --------------------------------------------------------------------------------

    def _create_needs(
        self, crm_object: CrmObject, view: View | None, pipeline: Pipeline | None,
        first: list[Stage], role: Role,
    ) -> list[_Need]:
        needs = [
            _Need(name, FIELD_REQUIRED, True, crm_object.fields[name].location)
            for name in self.index.field_level_required(crm_object)
        ]
        if view is not None:
            needs.extend(
                _Need(self._name(crm_object, item.field), LAYOUT_REQUIRED, True,
                      item.location or view.location)
                for item in self.index.required_items(crm_object, view)
            )
        if pipeline is not None and first:
            gated = self._stage_needs(crm_object, view, pipeline, first[0], role)
            needs.extend(need for need in gated if need.source != MUST_UPDATE)
        return _unique(needs)

    # -- stage moves ---------------------------------------------------------------------------

    def _stage_moves(
        self, role: Role, crm_object: CrmObject, shown: tuple[View | None, _Form],
        pipeline: Pipeline, stages: list[Stage], create: list[_Need], note: str | None,
    ) -> Iterator[Task]:
        view, form = shown
        filled = {need.name.casefold() for need in create}
        for stage in stages[1:]:
            needs = [
                need for need in self._stage_needs(crm_object, view, pipeline, stage, role)
                if need.source == MUST_UPDATE or need.name.casefold() not in filled
            ]
            yield self._task(role, crm_object, STAGE_MOVE, form, needs, stage=stage.name,
                             pipeline=pipeline, note=note)
            if not stage.closed:
                filled.update(need.name.casefold() for need in needs)

    def _stage_needs(
        self, crm_object: CrmObject, view: View | None, pipeline: Pipeline, stage: Stage,
        role: Role,
    ) -> list[_Need]:
        """What the stage requires, by precedence, each field once."""
        needs = [
            *self._required_by_stage(crm_object, pipeline, stage),
            *self._dynamic_forms(crm_object, view, pipeline, stage),
            *self._validation(crm_object, pipeline, stage),
            *self._must_update(crm_object, role, stage),
        ]
        return _unique(needs)

    def _required_by_stage(
        self, crm_object: CrmObject, pipeline: Pipeline, stage: Stage
    ) -> Iterator[_Need]:
        names = [self._name(crm_object, name) for name in stage.required_fields]
        names += sorted(name for name, model_field in crm_object.fields.items()
                        if model_field.required_at_stage == stage.name)
        for name in names:
            if self.index.typed_by_person(crm_object, name):
                model_field = crm_object.fields.get(name)
                location = model_field.location if model_field else None
                yield _Need(name, STAGE_REQUIRED, True, location or pipeline.location)

    def _dynamic_forms(
        self, crm_object: CrmObject, view: View | None, pipeline: Pipeline, stage: Stage
    ) -> Iterator[_Need]:
        stage_field = self._stage_field(pipeline)
        if view is None or stage_field is None:
            return
        for item in view.items():
            if item.behavior is Behavior.REQUIRED and stage.name.casefold() in _shown_at(
                item.visibility, stage_field
            ) and self.index.typed_by_person(crm_object, item.field):
                yield _Need(self._name(crm_object, item.field), DYNAMIC_FORMS, True,
                            item.location or view.location)

    def _validation(
        self, crm_object: CrmObject, pipeline: Pipeline, stage: Stage
    ) -> Iterator[_Need]:
        for name, rule_id in self._rule_gates(crm_object, pipeline).get(
            stage.name.casefold(), ()
        ):
            rule = crm_object.validation_rules[rule_id]
            if self.index.typed_by_person(crm_object, name):
                yield _Need(name, VALIDATION_RULE, False, rule.location, rule.id,
                            rule.error_message)

    def _rule_gates(
        self, crm_object: CrmObject, pipeline: Pipeline
    ) -> dict[str, list[tuple[str, str]]]:
        """stage (case-folded) -> (field name, rule key) for the object's active rules."""
        key = (crm_object.name, self._stage_field(pipeline) or "")
        cached = self._gates.get(key)
        if cached is not None:
            return cached
        gates: dict[str, list[tuple[str, str]]] = {}
        if key[1]:
            for rule_key in sorted(crm_object.validation_rules):
                rule = crm_object.validation_rules[rule_key]
                if not rule.active:
                    continue
                for stage_name, field_id in stage_gates(rule.formula, crm_object.name, key[1]):
                    name = self._name(crm_object, field_id.partition(".")[2])
                    gates.setdefault(stage_name.casefold(), []).append((name, rule_key))
        self._gates[key] = gates
        return gates

    def _must_update(self, crm_object: CrmObject, role: Role, stage: Stage) -> Iterator[_Need]:
        prefix = crm_object.name.casefold() + "."
        for field_id in role.must_update.get(stage.name, ()):
            if field_id.casefold().startswith(prefix):
                name = self._name(crm_object, field_id[len(prefix):])
                yield _Need(name, MUST_UPDATE, False, role.location)

    # -- log a call ----------------------------------------------------------------------------

    def _log_call_action(self, object_name: str | None) -> QuickAction | None:
        for action_id in sorted(self.org.quick_actions):
            action = self.org.quick_actions[action_id]
            if (action.object_name == object_name
                    and (action.action_type or "").casefold() == LOG_CALL_ACTION):
                return action
        return None

    def _action_log_call(self, role: Role, object_name: str, action: QuickAction) -> Task:
        activity = self._object(action.target_object or ACTIVITY_OBJECTS["salesforce"])
        form = _Form(action.id, tuple(action.fields))
        needs = self._activity_needs(activity, form, action.location)
        return self._task(role, activity, LOG_CALL, form, needs, object_name=object_name)

    def _activity_log_call(self, role: Role) -> Task:
        platform = "hubspot" if self.org.platform == "hubspot" else "salesforce"
        activity = self._object(ACTIVITY_OBJECTS[platform])
        action = self._log_call_action(None) if platform == "salesforce" else None
        if action is not None:
            return self._action_log_call(role, activity.name, action)
        view = self.view(role, activity.name)
        if view is not None:
            form = self._form_of(view)
            return self._task(role, activity, LOG_CALL, form,
                              self._activity_needs(activity, form, view.location))
        return self._standard_log_call(role, activity, platform)

    def _standard_log_call(self, role: Role, activity: CrmObject, platform: str) -> Task:
        needs = [_Need(name, FIELD_REQUIRED, True, activity.fields[name].location)
                 for name in self.index.field_level_required(activity)]
        if platform == "salesforce":
            needs.append(_Need(SUBJECT, ACTIVITY, True))
            what = "Salesforce's standard Log a Call form (Subject, marked required)"
        else:
            what = "HubSpot's standard Log call form (it requires no property)"
        items = tuple(ViewItem(need.name) for need in _unique(needs))
        note = f"the configuration has no call form for this role: {what}"
        return self._task(role, activity, LOG_CALL, _Form(None, items, standard=True),
                          _unique(needs), note=note)

    def _activity_needs(
        self, activity: CrmObject, form: _Form, location: SourceLocation | None
    ) -> list[_Need]:
        needs = [_Need(name, FIELD_REQUIRED, True, activity.fields[name].location)
                 for name in self.index.field_level_required(activity)]
        needs.extend(
            _Need(self._name(activity, item.field), LAYOUT_REQUIRED, True,
                  item.location or location)
            for item in form.items
            if item.behavior is Behavior.REQUIRED
            and self.index.typed_by_person(activity, item.field)
        )
        if self.org.platform != "hubspot" and SUBJECT.casefold() in form.positions:
            needs.append(_Need(SUBJECT, ACTIVITY, False, location))
        return _unique(needs)

    # -- task fields ---------------------------------------------------------------------------

    def _task(
        self, role: Role, crm_object: CrmObject, kind: str, form: _Form, needs: list[_Need],
        *, stage: str | None = None, pipeline: Pipeline | None = None, note: str | None = None,
        object_name: str | None = None,
    ) -> Task:
        fields = [self._task_field(role, crm_object, form, need, pipeline) for need in needs]
        fields.sort(key=lambda item: (item.position is None, item.position or 0,
                                      item.field_id.casefold()))
        return Task(
            role_id=role.id, object_name=object_name or crm_object.name, kind=kind,
            stage=stage, pipeline_id=pipeline.id if pipeline else None, view_id=form.view_id,
            fields=tuple(fields),
            note=note,
        )

    def _task_field(
        self, role: Role, crm_object: CrmObject, form: _Form, need: _Need,
        pipeline: Pipeline | None,
    ) -> TaskField:
        model_field = crm_object.fields.get(need.name)
        position = form.positions.get(need.name.casefold())
        stage_field = self._stage_field(pipeline) if pipeline is not None else None
        if pipeline is not None and need.name.casefold() == (stage_field or "").casefold():
            # The stage picklist offers the stages of the role's pipeline, not every value.
            picklist_size: int | None = sum(1 for stage in pipeline.stages if stage.active)
        else:
            picklist_size = self._picklist_size(role, crm_object, model_field)
        return TaskField(
            field_id=f"{crm_object.name}.{need.name}",
            field_type=_field_type(need.name, model_field),
            source=need.source,
            asterisk=need.asterisk,
            on_view=position is not None,
            label=model_field.label if model_field else None,
            picklist_size=picklist_size,
            length=model_field.length if model_field else None,
            position=position,
            rule_id=need.rule_id,
            error_message=need.error_message,
            location=need.location,
        )

    def _picklist_size(
        self, role: Role, crm_object: CrmObject, model_field: Field | None
    ) -> int | None:
        if model_field is None or not model_field.is_picklist:
            return None
        record_type_id = role.record_types.get(crm_object.name, "")
        for record_type in crm_object.record_types.values():
            offered = record_type.picklist_values.get(model_field.name)
            if record_type.id == record_type_id and offered:
                return len(offered)
        values = [value for value in model_field.picklist_values if value.active]
        if not values and model_field.value_set_name:
            value_set = self.org.value_sets.get(f"globalvalueset:{model_field.value_set_name}")
            values = [v for v in value_set.values if v.active] if value_set else []
        return len(values) or None

    def _name(self, crm_object: CrmObject, name: str) -> str:
        """The field name as the model spells it (Salesforce names ignore case)."""
        if name in crm_object.fields:
            return name
        return self._spellings(crm_object).get(name.casefold(), name)

    def _spellings(self, crm_object: CrmObject) -> dict[str, str]:
        cached = self._spellings_by_object.get(crm_object.name)
        if cached is None:
            cached = {name.casefold(): name for name in crm_object.fields}
            self._spellings_by_object[crm_object.name] = cached
        return cached


# --- helpers ------------------------------------------------------------------------------------


def _unique(needs: Iterable[_Need]) -> list[_Need]:
    """Each field once (names ignore case), its first requirement kept."""
    seen: dict[str, _Need] = {}
    for need in needs:
        seen.setdefault(need.name.casefold(), need)
    return list(seen.values())


def _field_type(name: str, model_field: Field | None) -> FieldType:
    """The model's type; for a standard field the project leaves untyped, what it is."""
    if model_field is not None and (
        model_field.type is not FieldType.OTHER or model_field.source_type
    ):
        return model_field.type
    if name in STANDARD_FIELD_TYPES:
        return STANDARD_FIELD_TYPES[name]
    if name.endswith("Id") and len(name) > 2:
        return FieldType.LOOKUP
    return model_field.type if model_field is not None else FieldType.OTHER


def _shown_at(visibility: str | None, stage_field: str) -> set[str]:
    """The stages (case-folded) at which a visibility rule shows an item, from its equality
    tests on the stage field; other criteria narrow when it shows and are ignored."""
    if not visibility:
        return set()
    stages: set[str] = set()
    for criterion in _JOINERS.split(visibility):
        match = _STAGE_CRITERION.match(criterion.strip().strip("()").strip())
        if match and match["field"].casefold() == stage_field.casefold():
            stages.add(match["value"].strip().strip("'\"").casefold())
    return stages
