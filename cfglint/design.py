"""The minimum viable configuration for launch (PRODUCT.md §9, methods.md part C).

INTERFACE NOTE (lead engineer): the dataclasses below are the contract between the designer
(this module: what the launch configuration is) and the writers that turn a :class:`Design`
into files (cfglint YAML, the plan, and the Salesforce deployable patch in
``cfglint/writers/salesforce_patch.py``). Add attributes with defaults if you must; do not
rename or remove.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cfglint.model import Behavior, Org

#: Reason codes for a phase-2 item (methods.md C.4).
NOT_REQUIRED_BY_ROLE = "NOT_REQUIRED_BY_ROLE"
NOT_IN_REPORT_CLOSURE = "NOT_IN_REPORT_CLOSURE"
LOW_FILL = "LOW_FILL"
BUDGET = "BUDGET"
DEPENDS_ON_DEFERRED = "DEPENDS_ON_DEFERRED"
DUPLICATE = "DUPLICATE"
LEGACY_AUTOMATION = "LEGACY_AUTOMATION"
AUTOMATABLE = "AUTOMATABLE"
DEAD = "DEAD"

MOSCOW = ("must", "should", "could", "wont")


@dataclass(frozen=True)
class RequiredChange:
    """A field whose requirement changes: required at create before, required from ``stage``
    (or not at all) at launch."""

    field_id: str
    required_before: bool  # required at create (field-level or layout-level) in the input
    required_at_create: bool  # at launch
    required_from_stage: str | None  # at launch: required from this stage on (a gate)
    reason: str


@dataclass(frozen=True)
class LaunchViewItem:
    field: str  # field name on the view's object
    behavior: Behavior


@dataclass(frozen=True)
class LaunchView:
    """A view synthesised for one role on one object: its must-haves and the platform's
    required fields, nothing else."""

    view_id: str  # e.g. ``layout:Opportunity-AE Launch Layout``
    name: str  # the component name (``Opportunity-AE Launch Layout``)
    object_name: str
    role_id: str
    #: The existing view it was trimmed from (keeps its look), or None when built anew.
    based_on: str | None
    sections: tuple[tuple[str, tuple[LaunchViewItem, ...]], ...]


@dataclass(frozen=True)
class AssignmentChange:
    """Give the profile (and record type) the launch view."""

    profile_id: str
    record_type: str | None  # record type id, None for the master
    view_id: str
    previous_view_id: str | None


@dataclass(frozen=True)
class StageGate:
    """A validation rule that makes ``field_id`` required from ``stages[0]`` on (the stages it
    applies to, in pipeline order), replacing a requirement at create."""

    rule_name: str  # component name of the new validation rule
    object_name: str
    field_id: str
    stage_field: str  # StageName for Opportunity
    stages: tuple[str, ...]
    formula: str
    error_message: str


@dataclass(frozen=True)
class RuleDeactivation:
    """An existing validation rule switched off for launch (its requirement is deferred)."""

    rule_id: str
    reason: str


@dataclass(frozen=True)
class Deferral:
    """An element left for phase 2, with why."""

    element_id: str
    kind: str  # field, view, automation, validation rule, report, ...
    reason: str  # one of the reason codes above
    detail: str  # human sentence: "no role needs it", "fill rate 3 %", ...
    moscow: str  # should / could / wont


@dataclass
class Design:
    """What ``cfglint design`` decided, and the launch configuration it implies."""

    source: Org  # the input, untouched
    launch: Org  # the launch configuration (written as launch.yaml)
    solver: str  # "closure", "greedy", "scipy-milp", ...
    kept: list[str] = field(default_factory=list)  # element ids in the launch set
    required_changes: list[RequiredChange] = field(default_factory=list)
    views: list[LaunchView] = field(default_factory=list)
    assignments: list[AssignmentChange] = field(default_factory=list)
    stage_gates: list[StageGate] = field(default_factory=list)
    rule_deactivations: list[RuleDeactivation] = field(default_factory=list)
    deferred: list[Deferral] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
