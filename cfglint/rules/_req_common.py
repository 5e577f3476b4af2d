"""What the REQ and PIPE rules share: which fields a person must fill to create a record, and
where the configuration itself gates a field at a later stage.

Both families ask the same two questions of one object, so the answers live here once:

- **required at create**: a field required on every save (field level) or required on a form
  (a layout, a Dynamic Forms record page, a HubSpot record view) without a stage condition,
  leaving out what nobody types: system-set fields, fields with a default value, formulas,
  auto-numbers and the fields the platform fills in (owner, record type, currency, the HubSpot
  pipeline);
- **stage gates**: a pipeline stage that requires the field, a field marked required from a
  stage, an active validation rule that checks the field is blank only together with the stage,
  or a form item required only under a stage visibility rule.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from cfglint.model import (
    Behavior,
    CrmObject,
    FieldType,
    Org,
    Pipeline,
    SourceLocation,
    ValidationRule,
    View,
    ViewItem,
    ViewKind,
)
from cfglint.readers.salesforce_xml.objects import SYSTEM_FIELDS
from cfglint.readers.salesforce_xml.values import STAGE_FIELDS
from cfglint.rules.base import Options, run_memo

#: Objects whose records come from code or deployments, not from a person at a form: custom
#: metadata types, platform events, big objects. Custom settings end in ``__c`` like any custom
#: object and the model cannot tell them apart, so they are kept.
MACHINE_OBJECT_SUFFIXES = ("__mdt", "__e", "__b")

#: Fields the platform fills in on a new record (the creating user as owner, the chosen record
#: type, the user's currency, HubSpot's default pipeline), so nobody types them.
PLATFORM_FILLED_FIELDS = SYSTEM_FIELDS | {
    "OwnerId", "RecordTypeId", "CurrencyIsoCode", "hubspot_owner_id", "pipeline",
}

#: The views a person creates or edits a record through. Compact layouts only display.
FORM_KINDS = (ViewKind.LAYOUT, ViewKind.FLEXIPAGE, ViewKind.RECORD_VIEW)

#: The stage picklist per object when no pipeline names one: Salesforce's (from the reader) and
#: HubSpot's deal and ticket stages.
DEFAULT_STAGE_FIELDS = {**STAGE_FIELDS, "deals": "dealstage", "tickets": "hs_pipeline_stage"}

#: Objects whose records move through a sales pipeline even when the project has no pipeline
#: file (an SFDX repo without business processes still has Opportunity stages).
SALES_OBJECTS = frozenset({"Opportunity", "deals"})

#: ``ISBLANK(Field)``, ``ISNULL(Field)``, ``ISBLANK(TEXT(Picklist))``: the field being checked.
_BLANK_CHECK = re.compile(
    r"\b(?:ISBLANK|ISNULL)\s*\(\s*(?:TEXT\s*\(\s*)?([\w.$]+)\b(?!\s*\()", re.IGNORECASE
)

#: ``ISPICKVAL(StageName, 'Proposal')``: the stage field and the stage a formula names.
_PICKVAL = re.compile(r"\bISPICKVAL\s*\(\s*(\w+)\s*,\s*(['\"])(.*?)\2", re.IGNORECASE)


def is_created_by_people(crm_object: CrmObject) -> bool:
    return not crm_object.name.lower().endswith(MACHINE_OBJECT_SUFFIXES)


def sorted_names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda name: (name.casefold(), name))


def percent(value: float) -> str:
    """``75.0`` -> ``75%``, ``12.5`` -> ``12.5%``."""
    return f"{value:g}%"


@dataclass(frozen=True)
class Gate:
    """Evidence that the configuration needs a field only from a later stage."""

    field: str  # field name on the object
    kind: str  # stage, required-at-stage, validation, view, role, name
    #: The element that says so (stage, field, validation rule, view or role id).
    source: str
    #: The evidence in words, e.g. ``stage 'Closed Won' of pipeline:deals.default requires it``.
    reason: str
    stage: str | None = None
    location: SourceLocation | None = None


@dataclass
class CreateRequirement:
    """A field a person must fill to save a new record, and where that is demanded."""

    field: str
    #: ``field`` (required on every save) and / or the ids of the views that require it.
    sources: list[str] = dataclasses.field(default_factory=list)
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Burden:
    """The required-at-create fields of an object's heaviest form."""

    fields: list[str]
    #: The view whose required items make the burden heaviest; ``None`` when field-level
    #: requirements alone are the heaviest (or the object has no form).
    view: View | None


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class RequirementIndex:
    """Per-object lookups over one org, built once per rule run so rules stay linear.

    Answers about the org's own objects and views are remembered (the model does not change
    while rules run): the REQ, PIPE and TIME rules, and every role's tasks, ask the same
    questions of the same objects."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self._field_level: dict[str, list[str]] = {}
        self._required_items: dict[tuple[str, str], list[ViewItem]] = {}
        self._stage_fields: dict[str, frozenset[str]] = {}
        self._gates: dict[str, list[Gate]] = {}

    @cached_property
    def forms(self) -> dict[str, list[View]]:
        by_object: dict[str, list[View]] = defaultdict(list)
        for view in sorted(self.org.views.values(), key=lambda view: view.id):
            if view.kind in FORM_KINDS and view.object_name is not None:
                by_object[view.object_name].append(view)
        return by_object

    @cached_property
    def pipelines(self) -> dict[str, list[Pipeline]]:
        by_object: dict[str, list[Pipeline]] = defaultdict(list)
        for pipeline in sorted(self.org.pipelines.values(), key=lambda pipeline: pipeline.id):
            if pipeline.active:
                by_object[pipeline.object_name].append(pipeline)
        return by_object

    def objects(self) -> Iterator[CrmObject]:
        """Objects people create records of, by name."""
        for name in sorted(self.org.objects):
            if is_created_by_people(self.org.objects[name]):
                yield self.org.objects[name]

    def has_stages(self, object_name: str) -> bool:
        return object_name in SALES_OBJECTS or bool(self.pipelines.get(object_name))

    def stage_fields(self, object_name: str) -> frozenset[str]:
        """The picklists that hold the object's stage, lower-cased."""
        known = self._stage_fields.get(object_name)
        if known is not None:
            return known
        names = {p.stage_field for p in self.pipelines.get(object_name, ()) if p.stage_field}
        default = DEFAULT_STAGE_FIELDS.get(object_name)
        if default is not None:
            names.add(default)
        known = self._stage_fields[object_name] = frozenset(name.lower() for name in names)
        return known

    @staticmethod
    def _remembered(memo: dict[K, list[V]], key: K, own: bool,
                    compute: Callable[[], list[V]]) -> list[V]:
        """``compute()``, remembered under ``key`` when the answer is about the org's own
        object; a copy either way, since callers may extend what they get."""
        if not own:
            return compute()
        known = memo.get(key)
        if known is None:
            known = memo[key] = compute()
        return list(known)

    def _is_own(self, crm_object: CrmObject) -> bool:
        """Whether answers about the object may be remembered by its name: it is the org's
        (a planner may make up an empty object for a name the project does not define)."""
        return self.org.objects.get(crm_object.name) is crm_object

    # -- required at create ----------------------------------------------------------------

    def typed_by_person(self, crm_object: CrmObject, field_name: str) -> bool:
        """Whether a person has to type the field: not system-set, defaulted or computed."""
        if "." in field_name or field_name in PLATFORM_FILLED_FIELDS:
            return False  # cross-object paths are shown, not filled, on a form
        model_field = crm_object.fields.get(field_name)
        if model_field is None:
            return True  # a standard field the project does not define, e.g. Name, CloseDate
        if model_field.system or model_field.type in (FieldType.FORMULA, FieldType.AUTONUMBER):
            return False
        has_default = bool(model_field.default) or any(
            value.default for value in model_field.picklist_values
        )
        return not has_default

    def field_level_required(self, crm_object: CrmObject) -> list[str]:
        def required() -> list[str]:
            return sorted_names(
                name for name, model_field in crm_object.fields.items()
                if model_field.required and self.typed_by_person(crm_object, name)
            )

        return self._remembered(self._field_level, crm_object.name, self._is_own(crm_object),
                                required)

    def required_items(self, crm_object: CrmObject, view: View) -> list[ViewItem]:
        """Items a form requires at create: required, typed by a person, no stage condition."""
        own = self._is_own(crm_object) and self.org.views.get(view.id) is view
        stage_fields = self.stage_fields(crm_object.name)
        return self._remembered(self._required_items, (crm_object.name, view.id), own, lambda: [
            item for item in view.items()
            if item.behavior is Behavior.REQUIRED
            and not mentions_any(item.visibility, stage_fields)
            and self.typed_by_person(crm_object, item.field)
        ])

    def burden(self, crm_object: CrmObject) -> Burden:
        """Field-level required fields plus the required items of the heaviest single form.

        A person creates a record through one form, so required items on other forms (other
        record types, other profiles) do not add to that person's work; a union would punish
        exactly the per-role views cfglint recommends.
        """
        base = set(self.field_level_required(crm_object))
        heaviest, heaviest_view = base, None
        for view in self.forms.get(crm_object.name, ()):
            fields = base | {item.field for item in self.required_items(crm_object, view)}
            if len(fields) > len(heaviest):
                heaviest, heaviest_view = fields, view
        return Burden(sorted_names(heaviest), heaviest_view)

    def required_at_create(self, crm_object: CrmObject) -> dict[str, CreateRequirement]:
        """Every field required at create on some form or on every save, by name."""
        found: dict[str, CreateRequirement] = {}
        for name in self.field_level_required(crm_object):
            location = crm_object.fields[name].location
            found[name] = CreateRequirement(name, ["field"], location)
        for view in self.forms.get(crm_object.name, ()):
            for item in self.required_items(crm_object, view):
                requirement = found.setdefault(
                    item.field, CreateRequirement(item.field, [], item.location or view.location)
                )
                if view.id not in requirement.sources:
                    requirement.sources.append(view.id)
        return {name: found[name] for name in sorted_names(found)}

    # -- stage gates -----------------------------------------------------------------------

    def gates(self, crm_object: CrmObject) -> list[Gate]:
        """Every stage gate the configuration sets on the object's fields, in a stable order."""
        return self._remembered(self._gates, crm_object.name, self._is_own(crm_object), lambda: [
            *self._stage_gates(crm_object.name),
            *self._field_gates(crm_object),
            *self._validation_gates(crm_object),
            *self._view_gates(crm_object),
        ])

    def _stage_gates(self, object_name: str) -> Iterator[Gate]:
        for pipeline in self.pipelines.get(object_name, ()):
            for stage in pipeline.stages:
                for name in stage.required_fields:
                    yield Gate(
                        name, "stage", pipeline.stage_id(stage),
                        f"stage '{stage.name}' of {pipeline.id} requires it",
                        stage.name, pipeline.location,
                    )

    def _field_gates(self, crm_object: CrmObject) -> Iterator[Gate]:
        # Few fields are required from a stage: pick them before sorting.
        gated = sorted_names(name for name, model_field in crm_object.fields.items()
                             if model_field.required_at_stage)
        for name in gated:
            model_field = crm_object.fields[name]
            yield Gate(
                name, "required-at-stage", model_field.id,
                f"it is also marked required from stage '{model_field.required_at_stage}'",
                model_field.required_at_stage, model_field.location,
            )

    def _validation_gates(self, crm_object: CrmObject) -> Iterator[Gate]:
        stage_fields = self.stage_fields(crm_object.name)
        for name in sorted_names(crm_object.validation_rules):
            rule = crm_object.validation_rules[name]
            if rule.active and mentions_any(rule.formula, stage_fields):
                yield from _rule_gates(rule, stage_fields)

    def _view_gates(self, crm_object: CrmObject) -> Iterator[Gate]:
        stage_fields = self.stage_fields(crm_object.name)
        for view in self.forms.get(crm_object.name, ()):
            for item in view.items():
                if item.behavior is Behavior.REQUIRED and mentions_any(
                    item.visibility, stage_fields
                ):
                    yield Gate(
                        item.field, "view", view.id,
                        f"{view.id} requires it only when {item.visibility}",
                        None, item.location or view.location,
                    )


def _rule_gates(rule: ValidationRule, stage_fields: frozenset[str]) -> Iterator[Gate]:
    """The fields a stage-conditioned validation rule checks for blanks.

    A heuristic on the formula text: it names the stage field and checks some field with
    ISBLANK / ISNULL. ``OR(ISBLANK(X), ISPICKVAL(StageName, 'Y'))`` would pass for a gate too;
    such formulas are rare enough not to parse the logic.
    """
    stage = next(
        (match.group(3) for match in _PICKVAL.finditer(rule.formula)
         if match.group(1).lower() in stage_fields),
        None,
    )
    where = f"stage '{stage}'" if stage else "a stage"
    seen: set[str] = set()
    for match in _BLANK_CHECK.finditer(rule.formula):
        name = match.group(1)
        if "." in name or "$" in name or name.lower() in stage_fields or name in seen:
            continue
        seen.add(name)
        yield Gate(
            name, "validation", rule.id, f"{rule.id} requires it only at {where}", stage,
            rule.location,
        )


def shared_index(org: Org, options: Options) -> RequirementIndex:
    """The lint run's index, so that every rule and the roles' tasks reuse its answers; a
    fresh one outside a lint run."""
    return run_memo(options, "requirement-index", lambda: RequirementIndex(org))


def mentions_any(text: str | None, words: frozenset[str]) -> bool:
    """Whether the text names one of the (lower-case) words as a whole word."""
    if not text or not words:
        return False
    return any(word in words for word in _words(text))


def _words(text: str) -> Iterator[str]:
    for match in re.finditer(r"\w+", text):
        yield match.group().lower()
