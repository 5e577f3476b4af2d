"""What each role's tasks ask of the rep: the fields to fill to create a record, to move it to
each stage, and to log a call, each with where the requirement comes from and whether the rep
can see it on the role's view.

This module decides *what* must be filled; :mod:`cfglint.budget` prices it. The two meet in
:class:`Task` and :class:`TaskField`.

INTERFACE NOTE (lead engineer): the dataclasses below are the agreed contract between
``cfglint.tasks`` (what must be filled) and ``cfglint.budget`` (what it costs). Add fields with
defaults if you must; do not rename or remove.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cfglint.model import FieldType, SourceLocation

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

    @property
    def name(self) -> str:
        """``create``, ``log-call`` or ``stage-move:Proposal``, as reports and --explain say."""
        return f"{self.kind}:{self.stage}" if self.stage else self.kind
