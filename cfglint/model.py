"""The vendor-neutral model of a CRM configuration.

Every reader (SFDX, Metadata API, HubSpot snapshot, cfglint YAML) produces an :class:`Org`;
every rule, the graph, the budget estimator and the designer read only this model.

Element ids are stable, human strings and are what suppressions, baselines and the graph key on:

==================  ============================================
element             id
==================  ============================================
object              ``Opportunity``
field               ``Opportunity.Amount``
picklist value      ``Opportunity.StageName=Proposal``
record type         ``recordtype:Opportunity.Donation``
view                ``layout:Opportunity-Sales Layout``, ``flexipage:Opp_Record_Page``,
                    ``compactlayout:Opportunity.Highlights``, ``view:deals.Sales view``
pipeline            ``pipeline:Opportunity.Donation Process``
stage               ``stage:Opportunity.Donation Process/Proposal``
automation          ``flow:Close_Won_Handoff``, ``workflow:Opportunity.Set_Close_Date``,
                    ``trigger:OpportunityTrigger``, ``hubspot-workflow:585051946``
validation rule     ``validation:Opportunity.Amount_Required``
profile             ``profile:Admin``, ``permset:Sales_Ops``, ``team:Enterprise AEs``
role                ``role:ae``
report              ``report:Sales/Pipeline_by_Stage``
duplicate rule      ``duplicaterule:Account.Standard_Account_Duplicate_Rule``
matching rule       ``matchingrule:Contact.Email_Match``
list view           ``listview:Opportunity.MyOpportunities``
quick action        ``quickaction:Opportunity.LogACall``
integration         ``integration:email-capture``
==================  ============================================
"""

from __future__ import annotations

import enum
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class FieldType(str, enum.Enum):
    """The normalized field type every platform type maps to."""

    TEXT = "text"
    TEXTAREA = "textarea"
    LONGTEXT = "longtext"
    PICKLIST = "picklist"
    MULTIPICKLIST = "multipicklist"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    CURRENCY = "currency"
    PERCENT = "percent"
    CHECKBOX = "checkbox"
    LOOKUP = "lookup"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    FORMULA = "formula"
    AUTONUMBER = "autonumber"
    OTHER = "other"


#: Every Salesforce ``CustomField.type`` (Metadata API ``FieldType``) and the describe-call
#: ``type`` values, mapped to the normalized enum. Keys are lower-case.
SALESFORCE_FIELD_TYPES: dict[str, FieldType] = {
    # Metadata API FieldType values
    "autonumber": FieldType.AUTONUMBER,
    "checkbox": FieldType.CHECKBOX,
    "currency": FieldType.CURRENCY,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "email": FieldType.EMAIL,
    "encryptedtext": FieldType.TEXT,
    "externallookup": FieldType.LOOKUP,
    "indirectlookup": FieldType.LOOKUP,
    "hierarchy": FieldType.LOOKUP,
    "lookup": FieldType.LOOKUP,
    "masterdetail": FieldType.LOOKUP,
    "metadatarelationship": FieldType.LOOKUP,
    "location": FieldType.OTHER,
    "longtextarea": FieldType.LONGTEXT,
    "html": FieldType.LONGTEXT,
    "multiselectpicklist": FieldType.MULTIPICKLIST,
    "number": FieldType.NUMBER,
    "percent": FieldType.PERCENT,
    "phone": FieldType.PHONE,
    "picklist": FieldType.PICKLIST,
    "summary": FieldType.FORMULA,
    "text": FieldType.TEXT,
    "textarea": FieldType.TEXTAREA,
    "time": FieldType.DATETIME,
    "url": FieldType.URL,
    "file": FieldType.OTHER,
    # sObject describe ``type`` values (REST) that differ from the Metadata API names
    "string": FieldType.TEXT,
    "boolean": FieldType.CHECKBOX,
    "double": FieldType.NUMBER,
    "int": FieldType.NUMBER,
    "long": FieldType.NUMBER,
    "reference": FieldType.LOOKUP,
    "textarea_long": FieldType.LONGTEXT,
    "id": FieldType.OTHER,
    "address": FieldType.OTHER,
    "base64": FieldType.OTHER,
    "combobox": FieldType.PICKLIST,
    "anytype": FieldType.OTHER,
    "calculated": FieldType.FORMULA,
}

#: HubSpot property ``fieldType`` (the input control) mapped to the normalized enum. The
#: ``type`` (storage type) refines it where the control alone is ambiguous; see
#: :func:`hubspot_field_type`.
HUBSPOT_FIELD_TYPES: dict[str, FieldType] = {
    "text": FieldType.TEXT,
    "textarea": FieldType.TEXTAREA,
    "html": FieldType.LONGTEXT,
    "rich_text": FieldType.LONGTEXT,
    "select": FieldType.PICKLIST,
    "radio": FieldType.PICKLIST,
    "booleancheckbox": FieldType.CHECKBOX,
    "checkbox": FieldType.MULTIPICKLIST,
    "date": FieldType.DATE,
    "number": FieldType.NUMBER,
    "phonenumber": FieldType.PHONE,
    "file": FieldType.OTHER,
    "calculation_equation": FieldType.FORMULA,
    "calculation_rollup": FieldType.FORMULA,
    "calculation_score": FieldType.FORMULA,
    "calculation_read_time": FieldType.FORMULA,
    "unknown": FieldType.OTHER,
}

#: HubSpot property ``type`` (storage) used when ``fieldType`` is missing or generic.
HUBSPOT_STORAGE_TYPES: dict[str, FieldType] = {
    "string": FieldType.TEXT,
    "number": FieldType.NUMBER,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "enumeration": FieldType.PICKLIST,
    "bool": FieldType.CHECKBOX,
    "phone_number": FieldType.PHONE,
    "object_coordinates": FieldType.OTHER,
    "json": FieldType.OTHER,
}


def salesforce_field_type(source_type: str | None, *, has_formula: bool = False) -> FieldType:
    """Normalize a Salesforce field type; a field with a formula is a formula field."""
    if has_formula:
        return FieldType.FORMULA
    if not source_type:
        return FieldType.OTHER
    return SALESFORCE_FIELD_TYPES.get(source_type.lower(), FieldType.OTHER)


def hubspot_field_type(
    storage_type: str | None, field_type: str | None, *, calculated: bool = False
) -> FieldType:
    """Normalize a HubSpot property from its ``type`` and ``fieldType``."""
    if calculated or (field_type or "").startswith("calculation_"):
        return FieldType.FORMULA
    # A number shown as a currency has type=number and showCurrencySymbol; the reader passes
    # storage_type="currency" for those.
    if storage_type == "currency":
        return FieldType.CURRENCY
    if storage_type == "datetime":
        return FieldType.DATETIME
    if field_type and field_type in HUBSPOT_FIELD_TYPES:
        normalized = HUBSPOT_FIELD_TYPES[field_type]
        if normalized is FieldType.DATE and storage_type == "datetime":
            return FieldType.DATETIME
        return normalized
    return HUBSPOT_STORAGE_TYPES.get(storage_type or "", FieldType.OTHER)


# --- locations and problems -------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where an element was read: a path relative to the project root (POSIX), a 1-based line."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ProblemKind(str, enum.Enum):
    """Why a file, or part of one, could not be read."""

    PARSE_ERROR = "parse-error"
    ENCODING = "encoding"
    FORBIDDEN_DTD = "forbidden-dtd"
    TOO_LARGE = "too-large"
    INVALID = "invalid"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, order=True)
class ReadProblem:
    """A problem met while reading; the rest of the project is still read."""

    location: SourceLocation
    kind: ProblemKind
    message: str


class SkipReason(str, enum.Enum):
    """Why a file under the project was not analysed."""

    UNSUPPORTED_TYPE = "unsupported metadata type"
    NOT_METADATA = "not metadata"
    SOURCE_CODE = "source code"
    PARSE_ERROR = "parse error"
    IGNORED = "ignored"


@dataclass(frozen=True)
class InlineSuppression:
    """A ``cfglint: ignore[...]`` / ``file-ignore[...]`` comment found while reading a file."""

    location: SourceLocation
    selectors: tuple[str, ...]
    whole_file: bool
    reason: str


@dataclass(frozen=True, order=True)
class SkippedFile:
    path: str
    reason: SkipReason
    detail: str = ""


# --- fields and objects ----------------------------------------------------------------------


@dataclass
class PicklistValue:
    name: str
    label: str | None = None
    default: bool = False
    active: bool = True
    #: Values of the controlling field this value is valid for (dependent picklists).
    valid_for: list[str] = field(default_factory=list)
    #: Record types (ids) that offer this value, when record types restrict the list.
    color: str | None = None


@dataclass
class Field:
    object_name: str
    name: str
    label: str | None = None
    type: FieldType = FieldType.OTHER
    #: The platform's own type name, e.g. ``MasterDetail`` or ``enumeration/select``.
    source_type: str | None = None
    custom: bool = False
    #: Required on every save (field-level required / ``nillable=false`` without a default).
    required: bool = False
    #: Name of the stage from which the field is required, when the configuration gates it.
    required_at_stage: str | None = None
    default: str | None = None
    formula: str | None = None
    #: Field ids a formula / calculation reads; filled by ``cfglint.formulas``.
    formula_references: list[str] = field(default_factory=list)
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    visible_lines: int | None = None
    picklist_values: list[PicklistValue] = field(default_factory=list)
    #: Name of a global value set (Salesforce) the picklist takes its values from.
    value_set_name: str | None = None
    #: ``True`` when only the listed values are accepted; ``None`` when not a picklist.
    restricted: bool | None = None
    controlling_field: str | None = None
    reference_to: list[str] = field(default_factory=list)
    relationship_name: str | None = None
    description: str | None = None
    help_text: str | None = None
    unique: bool = False
    external_id: bool = False
    track_history: bool = False
    #: Set by the platform (CreatedDate, hs_object_id, ...), never typed by a person.
    system: bool = False
    hidden: bool = False
    group: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"{self.object_name}.{self.name}"

    @property
    def is_picklist(self) -> bool:
        return self.type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST)


@dataclass
class RecordType:
    object_name: str
    name: str
    label: str | None = None
    active: bool = True
    business_process: str | None = None
    description: str | None = None
    #: Picklist values offered per field name under this record type.
    picklist_values: dict[str, list[str]] = field(default_factory=dict)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"recordtype:{self.object_name}.{self.name}"


@dataclass
class ValidationRule:
    object_name: str
    name: str
    active: bool = True
    formula: str = ""
    error_field: str | None = None
    error_message: str | None = None
    description: str | None = None
    #: Field ids the formula reads; filled by ``cfglint.formulas``.
    references: list[str] = field(default_factory=list)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"validation:{self.object_name}.{self.name}"


@dataclass
class ListView:
    object_name: str
    name: str
    label: str | None = None
    columns: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"listview:{self.object_name}.{self.name}"


@dataclass
class FieldSet:
    object_name: str
    name: str
    label: str | None = None
    fields: list[str] = field(default_factory=list)
    description: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"fieldset:{self.object_name}.{self.name}"


@dataclass
class CrmObject:
    name: str
    label: str | None = None
    plural_label: str | None = None
    custom: bool = False
    description: str | None = None
    #: ``False`` when only child files (fields, rules) define the object, no object file.
    declared: bool = True
    fields: dict[str, Field] = field(default_factory=dict)
    record_types: dict[str, RecordType] = field(default_factory=dict)
    validation_rules: dict[str, ValidationRule] = field(default_factory=dict)
    list_views: dict[str, ListView] = field(default_factory=dict)
    field_sets: dict[str, FieldSet] = field(default_factory=dict)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return self.name


# --- views ------------------------------------------------------------------------------------


class ViewKind(str, enum.Enum):
    LAYOUT = "layout"
    FLEXIPAGE = "flexipage"
    COMPACT_LAYOUT = "compactlayout"
    RECORD_VIEW = "view"  # cfglint YAML / HubSpot record views
    #: A HubSpot marketing form: what visitors fill in, not a rep's record page.
    FORM = "form"


class Behavior(str, enum.Enum):
    """How a field behaves on a view (Salesforce ``UiBehavior``)."""

    REQUIRED = "required"
    EDIT = "edit"
    READONLY = "readonly"


@dataclass
class ViewItem:
    field: str  # field name on the view's object, or a cross-object path as the platform has it
    behavior: Behavior = Behavior.EDIT
    #: Raw visibility rule (Dynamic Forms), e.g. ``{!Record.StageName} = Proposal``.
    visibility: str | None = None
    location: SourceLocation | None = None


@dataclass
class ViewSection:
    label: str | None
    items: list[ViewItem] = field(default_factory=list)


@dataclass
class View:
    kind: ViewKind
    name: str
    object_name: str | None
    label: str | None = None
    sections: list[ViewSection] = field(default_factory=list)
    #: Names of quick actions, related lists and other non-field components, for clutter counts.
    components: list[str] = field(default_factory=list)
    description: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"{self.kind.value}:{self.name}"

    def items(self) -> Iterator[ViewItem]:
        for section in self.sections:
            yield from section.items

    def field_names(self) -> list[str]:
        return [item.field for item in self.items()]


@dataclass(frozen=True, order=True)
class ViewAssignment:
    """A view shown to a profile / permission set / team, optionally for one record type."""

    view_id: str
    profile_id: str
    record_type: str | None = None  # record type id, or None for the master / every record type


# --- profiles, roles --------------------------------------------------------------------------


class ProfileKind(str, enum.Enum):
    PROFILE = "profile"
    PERMISSION_SET = "permset"
    PERMISSION_SET_GROUP = "permsetgroup"
    TEAM = "team"


@dataclass
class FieldPermission:
    field: str  # field id
    readable: bool = True
    editable: bool = False


@dataclass
class ObjectPermission:
    object_name: str
    create: bool = False
    read: bool = False
    edit: bool = False
    delete: bool = False


@dataclass
class Profile:
    """A Salesforce profile or permission set, or a HubSpot team: who sees which view."""

    kind: ProfileKind
    name: str
    label: str | None = None
    description: str | None = None
    custom: bool = True
    field_permissions: list[FieldPermission] = field(default_factory=list)
    object_permissions: list[ObjectPermission] = field(default_factory=list)
    #: Record type ids this profile may use.
    record_types: list[str] = field(default_factory=list)
    #: Permission set ids in a permission set group.
    members: list[str] = field(default_factory=list)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"{self.kind.value}:{self.name}"


@dataclass
class RoleFieldNeed:
    field: str  # field id
    from_stage: str | None = None


@dataclass
class Role:
    """A group of people who use the CRM (from the roles file, cfglint YAML, or inferred)."""

    name: str
    label: str | None = None
    profiles: list[str] = field(default_factory=list)  # profile / permset / team ids
    objects: list[str] = field(default_factory=list)
    needs: list[RoleFieldNeed] = field(default_factory=list)
    #: What the role does on its objects: ``create``, ``stage-move``, ``log-call`` (ROLE_TASKS).
    tasks: list[str] = field(default_factory=list)
    description: str | None = None
    inferred: bool = False
    location: SourceLocation | None = None
    #: The record type the role creates records with, by object name (record type id).
    record_types: dict[str, str] = field(default_factory=dict)
    #: Fields the role must update when it moves a record to a stage: stage name -> field ids.
    must_update: dict[str, list[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"role:{self.name}"


#: The tasks the update budget estimates, in the order reports list them.
ROLE_TASKS = ("create", "stage-move", "log-call")


# --- pipelines ----------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    label: str | None = None
    order: int = 0
    #: Win probability in percent (0–100), as Salesforce stores it; HubSpot's 0–1 is scaled.
    probability: float | None = None
    closed: bool = False
    won: bool = False
    forecast_category: str | None = None
    active: bool = True
    #: Field names that must be filled to enter this stage.
    required_fields: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass
class Pipeline:
    """A sales process: Salesforce business process (or the stage picklist), HubSpot pipeline."""

    object_name: str
    name: str
    label: str | None = None
    stage_field: str | None = None
    stages: list[Stage] = field(default_factory=list)
    description: str | None = None
    is_default: bool = False
    active: bool = True
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"pipeline:{self.object_name}.{self.name}"

    def stage_id(self, stage: Stage) -> str:
        return f"stage:{self.object_name}.{self.name}/{stage.name}"

    def open_stages(self) -> list[Stage]:
        return [stage for stage in self.stages if not stage.closed and stage.active]


@dataclass
class ValueSet:
    """A Salesforce standard or global value set (OpportunityStage, a shared picklist)."""

    name: str
    standard: bool
    values: list[PicklistValue] = field(default_factory=list)
    #: For OpportunityStage and similar: per value, the stage attributes.
    stages: list[Stage] = field(default_factory=list)
    description: str | None = None
    sorted: bool = False
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"{'standardvalueset' if self.standard else 'globalvalueset'}:{self.name}"


# --- automation and the rest --------------------------------------------------------------------


class AutomationKind(str, enum.Enum):
    FLOW = "flow"
    PROCESS_BUILDER = "process-builder"
    WORKFLOW_RULE = "workflow"
    TRIGGER = "trigger"
    APPROVAL_PROCESS = "approval"
    HUBSPOT_WORKFLOW = "hubspot-workflow"


@dataclass
class Automation:
    kind: AutomationKind
    name: str
    object_name: str | None = None
    label: str | None = None
    description: str | None = None
    active: bool = True
    #: Raw status where the platform has one (Active, Draft, Obsolete, InvalidDraft, ...).
    status: str | None = None
    #: Flow ``processType``, e.g. AutoLaunchedFlow, Flow (screen), Workflow (process builder).
    process_type: str | None = None
    #: When it fires: ``create``, ``update``, ``create-or-update``, ``delete``, ``scheduled``,
    #: ``platform-event``, ``screen``, ``invoked``, or the platform's raw value.
    trigger: str | None = None
    #: ``before-save`` / ``after-save`` for record-triggered flows and triggers.
    timing: str | None = None
    trigger_order: int | None = None
    #: Field ids the automation reads (criteria, formulas, lookups) and writes (updates).
    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    #: Objects it creates, updates or queries records of (besides its own).
    touches_objects: list[str] = field(default_factory=list)
    #: Formulas and criteria text, kept for formula analysis and hard-coded id detection.
    expressions: list[str] = field(default_factory=list)
    #: Literal values it assigns or compares against.
    literals: list[str] = field(default_factory=list)
    #: Number of decision outcomes / rule entries (cyclomatic complexity input).
    decisions: int = 0
    #: Number of elements (flow nodes, workflow actions).
    elements: int = 0
    #: Other automations it calls (subflows, invoked actions).
    calls: list[str] = field(default_factory=list)
    api_version: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        qualified = f"{self.object_name}.{self.name}" if self._object_scoped() else self.name
        return f"{self.kind.value}:{qualified}"

    def _object_scoped(self) -> bool:
        # Workflow rules and approval processes are named per object; flows and triggers are not.
        return self.object_name is not None and self.kind in (
            AutomationKind.WORKFLOW_RULE,
            AutomationKind.APPROVAL_PROCESS,
        )


@dataclass
class Report:
    name: str
    folder: str | None = None
    label: str | None = None
    report_type: str | None = None
    description: str | None = None
    #: Raw column / filter / grouping field names as the report has them.
    columns: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    groupings: list[str] = field(default_factory=list)
    #: Field ids resolved from the above where the object is known.
    fields: list[str] = field(default_factory=list)
    is_forecast: bool = False
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"report:{self.folder}/{self.name}" if self.folder else f"report:{self.name}"


@dataclass
class MatchingRule:
    object_name: str
    name: str
    label: str | None = None
    active: bool = True
    fields: list[str] = field(default_factory=list)
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"matchingrule:{self.object_name}.{self.name}"


@dataclass
class DuplicateRule:
    object_name: str
    name: str
    label: str | None = None
    active: bool = True
    action_on_insert: str | None = None
    action_on_update: str | None = None
    matching_rules: list[str] = field(default_factory=list)
    description: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"duplicaterule:{self.object_name}.{self.name}"


@dataclass
class QuickAction:
    name: str
    object_name: str | None = None
    label: str | None = None
    action_type: str | None = None  # Create, LogACall, Update, SendEmail, Flow, ...
    target_object: str | None = None
    fields: list[ViewItem] = field(default_factory=list)
    description: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"quickaction:{self.object_name}.{self.name}" if self.object_name else (
            f"quickaction:{self.name}"
        )


@dataclass
class Integration:
    """Email / calendar capture and other connectors (from settings or cfglint YAML)."""

    name: str
    kind: str  # email-capture, calendar-sync, ...
    enabled: bool = True
    description: str | None = None
    location: SourceLocation | None = None

    @property
    def id(self) -> str:
        return f"integration:{self.name}"


# --- the org ----------------------------------------------------------------------------------


@dataclass
class Org:
    """A whole configuration as read from one project path."""

    platform: str  # "salesforce" or "hubspot"
    source_format: str  # "sfdx", "mdapi", "sfdx+mdapi", "hubspot", "cfglint-yaml"
    root: str = "."
    name: str | None = None
    objects: dict[str, CrmObject] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    view_assignments: list[ViewAssignment] = field(default_factory=list)
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    value_sets: dict[str, ValueSet] = field(default_factory=dict)
    automations: dict[str, Automation] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    duplicate_rules: dict[str, DuplicateRule] = field(default_factory=dict)
    matching_rules: dict[str, MatchingRule] = field(default_factory=dict)
    quick_actions: dict[str, QuickAction] = field(default_factory=dict)
    integrations: dict[str, Integration] = field(default_factory=dict)
    #: Metadata roots read (package directories, MDAPI bundles), relative to the project root.
    roots: list[str] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    #: Things worth saying about what was read that are not problems with a file.
    notes: list[str] = field(default_factory=list)
    #: ``cfglint:`` suppression comments met in the files read.
    suppressions: list[InlineSuppression] = field(default_factory=list)
    #: Scratch space a reader keeps between files (pieces that only resolve once every file is
    #: read); readers empty it when they finish.
    reader_state: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: How many times each element kind was met in files, before de-duplication (the same
    #: layout in three MDAPI bundles counts three times here, once in the model).
    occurrences: Counter[str] = field(default_factory=Counter)

    # -- building ----------------------------------------------------------------------------

    def ensure_object(self, name: str, location: SourceLocation | None = None) -> CrmObject:
        """The object of that name, created as undeclared when only its children were seen."""
        crm_object = self.objects.get(name)
        if crm_object is None:
            crm_object = CrmObject(
                name=name, custom=is_custom_name(name), declared=False, location=location
            )
            self.objects[name] = crm_object
        return crm_object

    def problem(
        self, kind: ProblemKind, message: str, path: str, line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.problems.append(ReadProblem(SourceLocation(path, line, column), kind, message))

    # -- reading -------------------------------------------------------------------------------

    def fields(self) -> Iterator[Field]:
        # Chained in C: a generator here would cost a step per field, and rules walk every
        # field of large orgs.
        return itertools.chain.from_iterable(
            crm_object.fields.values() for crm_object in self.objects.values()
        )

    def field(self, field_id: str) -> Field | None:
        object_name, _, field_name = field_id.partition(".")
        crm_object = self.objects.get(object_name)
        return crm_object.fields.get(field_name) if crm_object else None

    def validation_rules(self) -> Iterator[ValidationRule]:
        for crm_object in self.objects.values():
            yield from crm_object.validation_rules.values()

    def record_types(self) -> Iterator[RecordType]:
        for crm_object in self.objects.values():
            yield from crm_object.record_types.values()

    def list_views(self) -> Iterator[ListView]:
        for crm_object in self.objects.values():
            yield from crm_object.list_views.values()

    def views_for(self, object_name: str) -> list[View]:
        return [view for view in self.views.values() if view.object_name == object_name]

    def assignments_for_view(self, view_id: str) -> list[ViewAssignment]:
        return [a for a in self.view_assignments if a.view_id == view_id]


CUSTOM_SUFFIXES = ("__c", "__mdt", "__e", "__x", "__b", "__kav", "__ka", "__xo", "__hd", "__dlm")


def is_custom_name(api_name: str) -> bool:
    """Salesforce custom components end in ``__c`` (objects, fields), ``__mdt``, ``__e``, ..."""
    return api_name.lower().endswith(CUSTOM_SUFFIXES)
