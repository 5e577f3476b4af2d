"""The two-minute update budget: a Keystroke-Level Model estimate of each role's tasks.

It follows methods.md A.2–A.3. A task (create a record, move it to a stage, log a call; see
:mod:`cfglint.tasks`) costs

.. code-block:: text

    T = T_open + T_stage (stage moves only) + T_edit
        + Σ_f (1 − φ_f) · (c_f + nav_f)
        + T_save + E[T_err]
    E[T_err] = (1 − Π_f (1 − (1 − φ_f) · p_f)) · (T_read + T_save)
    T_read   = M + 0.24 s/word · words of the longest message the failed save can show

where ``c_f`` is the KLM operator sequence of the field's type (A.3), ``nav_f`` the scrolling
and section-expanding to reach it, ``φ_f`` the chance it is already filled (the usage file's fill
rate, stage moves only), and ``p_f`` the chance the rep misses it before the first save
(0.05 with an asterisk, 0.5 when only a validation rule enforces it, 0 for Dynamic Forms).

Every number is in one table, :data:`CONSTANTS`, each with its source (A1/A2 for the published
KLM values, A.3 for the methods' cost table, *prior* for our own starting values); the
``budget:`` section of ``.cfglint.yaml`` overrides any of them (see ``docs/budget.md``).
Estimates carry KLM's ±21 % band [A1]; a task is *over* when T exceeds its budget and *at risk*
when the band's top does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from cfglint.config import ConfigError, find_config, read_config_file
from cfglint.model import FieldType, Org, Role
from cfglint.roles import effective_roles
from cfglint.tasks import (
    DYNAMIC_FORMS,
    LOG_CALL,
    STAGE_MOVE,
    VALIDATION_RULE,
    Task,
    TaskField,
    tasks_for,
)

# --- the calibration table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Constant:
    """One calibrated number: its value, unit and where it comes from."""

    value: float
    unit: str
    source: str
    note: str


A1 = "A1"  # Card, Moran & Newell 1980
A2 = "A2"  # Kieras, Using the Keystroke-Level Model
A3 = "A.3"  # methods.md's per-field cost table
PRIOR = "prior"

#: Every constant of the model. Names are what ``budget.constants`` in the configuration uses.
CONSTANTS: dict[str, Constant] = {
    # KLM operators
    "K": Constant(0.28, "s/keystroke", f"{A1}, {A2}", "average non-secretary typist, 40 wpm"),
    "Kc": Constant(0.63, "s/char", "A8 via A.1", "composing text, 19 wpm (Karat et al. 1999)"),
    "Kcode": Constant(0.50, "s/char", A1, "codes and digits typed from a source (random letters)"),
    "P": Constant(1.10, "s", f"{A1}, {A2}", "point with the mouse"),
    "B": Constant(0.10, "s", A2, "press or release a button; a click BB is 0.2 s"),
    "H": Constant(0.40, "s", f"{A1}, {A2}", "hand between mouse and keyboard"),
    "M": Constant(1.20, "s", A2, "one routine act of thinking (find, recall, decide, verify)"),
    # system response R(t)
    "R.open": Constant(2.5, "s", f"A.2 {PRIOR}", "record page load (or the org's median EPT)"),
    "R.stage": Constant(1.0, "s", f"A.2 {PRIOR}", "Path redraw after Mark as Current Stage"),
    "R.edit": Constant(0.8, "s", f"A.2 {PRIOR}", "the page switching to edit mode"),
    "R.save": Constant(1.5, "s", f"A.2 {PRIOR}", "a save round trip"),
    "R.lookup": Constant(1.0, "s", A3, "lookup search results appearing"),
    "R.typeahead": Constant(1.0, "s", A3, "a type-ahead list (time of day) narrowing"),
    "R.file-dialog": Constant(6.0, "s", f"{A3} {PRIOR}", "the OS file dialog (file row: 10 s)"),
    # default characters typed per field (replaced by usage median_length when known)
    "chars.text": Constant(20, "chars", f"{A3} {PRIOR}", "known text: a name, a code"),
    "chars.text-composed": Constant(30, "chars", f"{A3} {PRIOR}", "composed text: next step"),
    "chars.textarea": Constant(80, "chars", f"{A3} {PRIOR}", "text area, composed"),
    "chars.longtext": Constant(120, "chars", f"{A3} {PRIOR}", "long text area / HTML, composed"),
    "chars.number": Constant(4, "chars", f"{A3} {PRIOR}", "a number"),
    "chars.currency": Constant(7, "chars", f"{A3} {PRIOR}", "an amount"),
    "chars.percent": Constant(2, "chars", f"{A3} {PRIOR}", "a percentage"),
    "chars.email": Constant(25, "chars", f"{A3} {PRIOR}", "an email address"),
    "chars.url": Constant(25, "chars", f"{A3} {PRIOR}", "a web address"),
    "chars.phone": Constant(12, "digits", f"{A3} {PRIOR}", "a phone number, typed as a code"),
    "chars.date": Constant(10, "chars", A3, "a typed date (2026-01-31)"),
    "chars.lookup": Constant(4, "chars", A3, "characters typed before the lookup matches"),
    "chars.time": Constant(3, "chars", A3, "characters typed into the time-of-day list"),
    "picks.multipicklist": Constant(2, "picks", f"{A3} {PRIOR}", "values picked in a multi-select"),
    "date.picker-share": Constant(0.5, "share", f"{A3} {PRIOR}",
                                  "reps using the calendar rather than typing (6.5 s mean)"),
    "date.month-nav": Constant(0.5, "clicks", A3, "month changes in the calendar (P BB each)"),
    # picklists
    "picklist.free-values": Constant(10, "values", A3, "values scanned at no extra cost"),
    "picklist.per-extra-value": Constant(0.05, "s/value", A3, "visual search beyond those"),
    "picklist.visible-values": Constant(10, "values", f"{A3} {PRIOR}",
                                        "longer lists scroll: one viewport scroll more"),
    # navigation
    "nav.viewport": Constant(1.5, "s", f"A.2 {PRIOR}", "each extra viewport scrolled (A5 + M)"),
    "nav.fields-per-viewport": Constant(12, "fields", PRIOR,
                                        "fields in one screenful of a two-column layout"),
    "nav.collapsed-section": Constant(2.5, "s", f"A.2 {PRIOR}", "expand a section: M P BB"),
    # failed saves
    "p.asterisk": Constant(0.05, "probability", f"A.2 {PRIOR}",
                           "a field marked required (asterisk) left blank at the first save"),
    "p.validation-rule": Constant(0.5, "probability", f"A.2 {PRIOR}",
                                  "a field only a validation rule enforces left blank"),
    "p.dynamic-forms": Constant(0.0, "probability", f"A.2 {PRIOR}",
                                "a Dynamic Forms field required under a stage rule"),
    "p.hidden": Constant(1.0, "probability", PRIOR,
                         "a required field not on the role's view: the first save fails"),
    "read.per-word": Constant(0.24, "s/word", f"A.2 {PRIOR}", "reading an error, 250 wpm"),
    "read.required-message-words": Constant(6, "words", PRIOR,
                                            "the platform's 'required fields missing' message"),
    # verdict
    "band": Constant(0.21, "fraction", A1, "KLM's RMS error: the band is [0.79 T, 1.21 T]"),
    "budget.create": Constant(120, "s", "PRODUCT §7", "create a record in two minutes"),
    "budget.stage-move": Constant(120, "s", "PRODUCT §7", "update a deal in two minutes"),
    "budget.log-call": Constant(30, "s", "PRODUCT §7", "log a call in 30 seconds"),
}

#: Text fields whose names contain one of these (case and underscores ignored) are composed
#: (typed at 0.63 s/char) rather than known (0.28 s/char). Text areas are always composed.
COMPOSED_NAMES: tuple[str, ...] = (
    "Comment", "Description", "Detail", "Explanation", "Feedback", "Justification", "NextStep",
    "Note", "Objection", "Reason", "Summary",
)


@dataclass(frozen=True)
class Calibration:
    """The effective constants of one run: :data:`CONSTANTS` with configuration overrides."""

    constants: Mapping[str, Constant] = field(default_factory=lambda: dict(CONSTANTS))
    composed_names: tuple[str, ...] = COMPOSED_NAMES
    #: Field ids classified by hand, overriding the name rule.
    composed_fields: frozenset[str] = frozenset()
    known_fields: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> float:
        return float(self.constants[name].value)

    def budget_for(self, kind: str) -> float:
        return self[f"budget.{kind}"]

    def is_composed(self, field_id: str, field_type: FieldType) -> bool:
        """Composed text (thought up while typing) or known (copied, recalled)?"""
        if field_id in self.composed_fields:
            return True
        if field_id in self.known_fields:
            return False
        if field_type in (FieldType.TEXTAREA, FieldType.LONGTEXT):
            return True
        name = _squash(field_id.rpartition(".")[2].removesuffix("__c"))
        return any(word in name for word in self._squashed_names)

    @cached_property
    def _squashed_names(self) -> tuple[str, ...]:
        # Squashed once per calibration: is_composed runs for every text field of every task.
        return tuple(_squash(word) for word in self.composed_names)

    def as_dict(self) -> dict[str, Any]:
        """The table as reports list it."""
        return {
            "constants": {
                name: {"value": float(constant.value), "unit": constant.unit,
                       "source": constant.source, "note": constant.note}
                for name, constant in sorted(self.constants.items())
            },
            "composed-names": list(self.composed_names),
            "composed-fields": sorted(self.composed_fields),
            "known-fields": sorted(self.known_fields),
        }


def _squash(name: str) -> str:
    return name.replace("_", "").casefold()


DEFAULT_CALIBRATION = Calibration()


# --- configuration -------------------------------------------------------------------------------


def load_calibration(start: Path, config: Path | None = None) -> Calibration:
    """The calibration with the ``budget:`` section of the project configuration applied.

    The file is found as ``cfglint lint`` finds it: ``--config``, ``CFGLINT_CONFIG``, then
    discovery from ``start``."""
    env = os.environ.get("CFGLINT_CONFIG")
    path = config or (Path(env) if env else None) or find_config(start)
    if path is None:
        return DEFAULT_CALIBRATION
    section = read_config_file(path).get("budget") or {}
    return calibration_from_config(section, path.as_posix())


#: Constants that are probabilities or fractions: at most 1.
SHARES = ("p.asterisk", "p.validation-rule", "p.dynamic-forms", "p.hidden", "date.picker-share",
          "band")


def calibration_from_config(section: Mapping[str, Any], where: str = "budget") -> Calibration:
    """Apply a ``budget:`` mapping: ``constants`` (name: number), ``composed-names`` (replaces
    the list), ``composed-fields`` and ``known-fields`` (field ids)."""
    constants = dict(CONSTANTS)
    for name, value in (section.get("constants") or {}).items():
        if name not in constants:
            raise ConfigError(f"{where}: budget.constants: unknown constant {name!r} "
                              f"(see docs/budget.md)")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{where}: budget.constants.{name}: expected a number (0 or "
                              f"more), got {value!r}")
        constants[name] = replace(constants[name], value=float(value), source="configured")
    for name in SHARES:
        if constants[name].value > 1:
            raise ConfigError(f"{where}: budget.constants.{name}: a share, at most 1")
    composed = section.get("composed-names")
    return Calibration(
        constants=constants,
        composed_names=tuple(composed) if composed is not None else COMPOSED_NAMES,
        composed_fields=frozenset(section.get("composed-fields") or ()),
        known_fields=frozenset(section.get("known-fields") or ()),
    )


# --- operator sequences --------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """``count`` times one KLM operator, a system response ``R(seconds)``, or a group of
    operators done ``count`` times on average (``0.5(P BB)``)."""

    name: str  # K, Kc, Kcode, P, B, H, M; R, search, scroll (timed); "" for a group
    count: float = 1.0
    seconds: float = 0.0  # for the timed ones
    group: tuple[Op, ...] = ()

    def time(self, calibration: Calibration) -> float:
        if self.group:
            return self.count * sum(op.time(calibration) for op in self.group)
        if self.name in TIMED:
            return self.count * self.seconds
        return self.count * calibration[self.name]

    def render(self) -> str:
        if self.group:
            return f"{self.count:g}({render(self.group)})"
        if self.name in TIMED:
            return f"{self.name}({self.seconds:g})"
        if self.name == "B" and self.count == 2:
            return "BB"
        return self.name if self.count == 1 else f"{self.count:g}{self.name}"


Ops = tuple[Op, ...]

#: Operators with their own duration: system response, visual search of a long list, scrolling.
TIMED = ("R", "search", "scroll")


def render(ops: Iterable[Op]) -> str:
    """``M P BB H 30Kc H``: the sequence as methods.md writes it."""
    return " ".join(op.render() for op in ops)


def seconds_of(ops: Iterable[Op], calibration: Calibration) -> float:
    return sum(op.time(calibration) for op in ops)


M, P, H, BB = Op("M"), Op("P"), Op("H"), Op("B", 2)
CLICK: Ops = (M, P, BB)  # find a control, point at it, click


def keys(count: float, name: str = "K") -> Op:
    return Op(name, count)


def response(seconds: float) -> Op:
    return Op("R", seconds=seconds)


def overhead_ops(calibration: Calibration) -> dict[str, Ops]:
    """T_open, T_stage, T_edit and T_save as operator sequences (A.2)."""
    return {
        "open": (response(calibration["R.open"]), M),
        "stage": (*CLICK, P, BB, response(calibration["R.stage"])),
        "edit": (*CLICK, response(calibration["R.edit"])),
        "save": (*CLICK, response(calibration["R.save"])),
    }


@dataclass(frozen=True)
class FieldInput:
    """What prices one field: its type and the few facts that change its sequence."""

    field_id: str
    field_type: FieldType
    chars: float | None = None  # characters typed, when known (usage median, max length)
    picklist_size: int | None = None
    #: The platform's control when it differs from the type's usual one: ``radio`` (a single
    #: choice shown as buttons) or ``checkboxes`` (a multi-select shown as check boxes).
    control: str | None = None


def field_ops(item: FieldInput, calibration: Calibration) -> Ops:
    """The A.3 operator sequence of one field (expert, field visible, mouse-driven)."""
    kind = item.field_type
    if kind in (FieldType.FORMULA, FieldType.AUTONUMBER):
        return ()
    if kind is FieldType.CHECKBOX:
        return CLICK
    if kind is FieldType.PICKLIST:
        return _picklist_ops(item, calibration)
    if kind is FieldType.MULTIPICKLIST:
        return _multipicklist_ops(item, calibration)
    if kind is FieldType.DATE:
        return _date_ops(calibration)
    if kind is FieldType.DATETIME:
        return (*_date_ops(calibration), *CLICK, M, keys(calibration["chars.time"]),
                response(calibration["R.typeahead"]))
    if kind is FieldType.LOOKUP:
        return (*CLICK, H, keys(calibration["chars.lookup"]), response(calibration["R.lookup"]),
                M, H, P, BB)
    if kind is FieldType.PHONE:
        return (*CLICK, H, keys(_chars(item, "chars.phone", calibration), "Kcode"), H, Op("M", 2))
    if kind is FieldType.OTHER and item.control == "file":
        return (P, BB, M, P, BB, BB, response(calibration["R.file-dialog"]))
    return _typed_ops(item, calibration)


def _typed_ops(item: FieldInput, calibration: Calibration) -> Ops:
    """Text, numbers, email and url: click into the box, type, back to the mouse."""
    kind = item.field_type
    if kind in (FieldType.NUMBER, FieldType.CURRENCY, FieldType.PERCENT):
        chars = _chars(item, f"chars.{kind.value}", calibration)
        # An amount is retrieved or computed first: one more M (A.3 Currency row).
        extra: Ops = (M,) if kind is FieldType.CURRENCY else ()
        return (*CLICK, H, keys(chars), H, *extra)
    if kind in (FieldType.EMAIL, FieldType.URL):
        chars = _chars(item, f"chars.{kind.value}", calibration)
        return (*CLICK, H, keys(chars), H, *((M,) if kind is FieldType.EMAIL else ()))
    composed = calibration.is_composed(item.field_id, kind)
    default = {FieldType.TEXTAREA: "chars.textarea", FieldType.LONGTEXT: "chars.longtext"}.get(
        kind, "chars.text-composed" if composed else "chars.text")
    chars = _chars(item, default, calibration)
    if composed:
        return (*CLICK, H, M, keys(chars, "Kc"), H)
    return (*CLICK, H, keys(chars), H)


def _chars(item: FieldInput, default: str, calibration: Calibration) -> float:
    return item.chars if item.chars is not None else calibration[default]


def _picklist_ops(item: FieldInput, calibration: Calibration) -> Ops:
    if item.control == "radio":
        return (*CLICK, M)
    ops: Ops = (*CLICK, *CLICK)  # open the list, choose a value
    size = item.picklist_size or 0
    extra = max(0, size - int(calibration["picklist.free-values"]))
    if extra:
        ops += (Op("search", seconds=round(extra * calibration["picklist.per-extra-value"], 6)),)
    if size > calibration["picklist.visible-values"]:
        ops += (Op("scroll", seconds=calibration["nav.viewport"]),)
    return ops


def _multipicklist_ops(item: FieldInput, calibration: Calibration) -> Ops:
    picks = calibration["picks.multipicklist"]
    if item.control == "checkboxes":
        return (M, Op("", picks, group=CLICK))
    # Dual list box: select a value, click the arrow that moves it across.
    return (*CLICK, Op("", picks, group=(*CLICK, P, BB)))


def _date_ops(calibration: Calibration) -> Ops:
    """A.3's 6.5 s: the mean of the calendar (5.7 s) and typing (7.3 s), weighted by share."""
    share = calibration["date.picker-share"]
    picker: Ops = (*CLICK, *CLICK, Op("", calibration["date.month-nav"], group=(P, BB)))
    typed: Ops = (*CLICK, H, keys(calibration["chars.date"]), H, M)
    parts = [Op("", share, group=picker), Op("", 1 - share, group=typed)]
    return tuple(part for part in parts if part.count > 0)


# --- estimates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldCost:
    """One field of a task, priced."""

    field_id: str
    operators: str  # "M P BB H 30Kc H"
    seconds: float  # c_f: the operators' time
    nav_seconds: float  # nav_f: scrolling and expanding to reach it
    source: str  # where the requirement comes from (cfglint.tasks REQUIREMENT_SOURCES)
    asterisk: bool
    on_view: bool
    field_type: str = ""
    #: φ_f: the chance it is already filled (usage fill rate, stage moves only).
    fill_rate: float = 0.0
    #: p_f: the chance it is missed before the first save.
    miss_probability: float = 0.0
    rule_id: str | None = None
    #: Words of the validation rule's error message (read when the save fails).
    message_words: int = 0

    @property
    def expected_seconds(self) -> float:
        """(1 − φ_f) · (c_f + nav_f): what it adds to the task."""
        return (1 - self.fill_rate) * (self.seconds + self.nav_seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field_id, "type": self.field_type, "operators": self.operators,
            "seconds": _round(self.seconds), "nav-seconds": _round(self.nav_seconds),
            "fill-rate": self.fill_rate, "expected-seconds": _round(self.expected_seconds),
            "source": self.source, "asterisk": self.asterisk, "on-view": self.on_view,
            "miss-probability": self.miss_probability, "rule": self.rule_id,
        }


@dataclass(frozen=True)
class Overhead:
    name: str  # open, stage, edit, save
    operators: str
    seconds: float


@dataclass(frozen=True)
class ErrorCost:
    """E[T_err]: the chance the first save fails times one more read-fix-save cycle."""

    probability: float
    words: int  # of the longest message the failed save can show
    read_seconds: float  # T_read = M + per-word · words
    save_seconds: float  # T_save
    seconds: float


@dataclass(frozen=True)
class Suggestion:
    """The fewest largest fields whose requirement, removed, brings the task under budget."""

    fields: tuple[str, ...]
    total: float
    reaches_budget: bool


@dataclass(frozen=True)
class Estimate:
    role_id: str
    object_name: str
    task: str  # create, log-call, stage-move:Proposal
    kind: str
    stage: str | None
    view_id: str | None
    fields: tuple[FieldCost, ...]
    overheads: tuple[Overhead, ...]
    error: ErrorCost
    total: float
    band: tuple[float, float]
    budget: float
    verdict: str  # within, at-risk, over
    suggestion: Suggestion | None = None
    pipeline_id: str | None = None
    #: How the fields were found, when a report reader should know (no view assigned, ...).
    note: str | None = None

    @property
    def fields_seconds(self) -> float:
        return sum(cost.expected_seconds for cost in self.fields)

    @property
    def overhead_seconds(self) -> float:
        return sum(overhead.seconds for overhead in self.overheads)

    def costliest(self, count: int = 2) -> list[FieldCost]:
        """The fields that add the most, largest first (ties by id)."""
        return sorted(self.fields, key=lambda cost: (-cost.expected_seconds, cost.field_id))[
            :count]

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role_id, "object": self.object_name, "task": self.task,
            "kind": self.kind, "stage": self.stage, "pipeline": self.pipeline_id,
            "view": self.view_id, "note": self.note,
            "seconds": _round(self.total),
            "band": [_round(self.band[0]), _round(self.band[1])],
            "budget": self.budget, "verdict": self.verdict,
            "fields-seconds": _round(self.fields_seconds),
            "overheads": {item.name: {"operators": item.operators, "seconds": _round(item.seconds)}
                          for item in self.overheads},
            "failed-save": {
                "probability": round(self.error.probability, 6), "words": self.error.words,
                "read-seconds": _round(self.error.read_seconds),
                "save-seconds": _round(self.error.save_seconds),
                "seconds": _round(self.error.seconds),
            },
            "fields": [cost.as_dict() for cost in self.costliest(len(self.fields))],
            "suggestion": None if self.suggestion is None else {
                "remove": list(self.suggestion.fields), "seconds": _round(self.suggestion.total),
                "reaches-budget": self.suggestion.reaches_budget,
            },
        }


WITHIN, AT_RISK, OVER = "within", "at-risk", "over"
VERDICTS = (WITHIN, AT_RISK, OVER)


def _round(value: float) -> float:
    return round(value, 2)


@dataclass(frozen=True)
class FieldUsage:
    fill_rate: float | None = None
    median_length: float | None = None


def field_usage(usage: Any, field_id: str) -> FieldUsage:
    """A field's fill rate and median length from usage data: a loaded
    :class:`~cfglint.readers.usage.Usage` (ids matched ignoring case) or the raw ``usage.json``
    mapping."""
    if usage is None:
        return FieldUsage()
    if hasattr(usage, "field_usage"):
        entry = usage.field_usage(field_id)
    else:
        fields = usage.get("fields") if isinstance(usage, Mapping) else None
        entry = fields.get(field_id) if isinstance(fields, Mapping) else None
    if entry is None:
        return FieldUsage()

    def number(name: str) -> float | None:
        value = entry.get(name) if isinstance(entry, Mapping) else getattr(entry, name, None)
        return float(value) if isinstance(value, (int, float)) and not isinstance(
            value, bool) else None

    return FieldUsage(number("fill_rate"), number("median_length"))


def estimate(
    task: Task,
    calibration: Calibration = DEFAULT_CALIBRATION,
    *,
    usage: Any = None,
    org: Org | None = None,
    budget: float | None = None,
) -> Estimate:
    """Price ``task`` by the A.2 formula; ``org`` refines controls (HubSpot radio, file)."""
    return _estimate(task, _Prices(calibration, org), usage, budget)


def _estimate(task: Task, prices: _Prices, usage: Any, budget: float | None) -> Estimate:
    calibration = prices.calibration
    costs = tuple(_field_costs(task, prices, usage))
    overheads = prices.overheads(task.kind)
    limit = calibration.budget_for(task.kind) if budget is None else budget
    result = _assemble(task, costs, overheads, calibration, limit)
    return replace(result, suggestion=suggest(result, calibration))


#: Types whose operators never depend on the field's name (composed or known text), so that
#: one price serves every field of the type with the same facts.
_PRICED_BY_TYPE = frozenset({
    FieldType.FORMULA, FieldType.AUTONUMBER, FieldType.CHECKBOX, FieldType.PICKLIST,
    FieldType.MULTIPICKLIST, FieldType.DATE, FieldType.DATETIME, FieldType.LOOKUP,
    FieldType.PHONE, FieldType.NUMBER, FieldType.CURRENCY, FieldType.PERCENT, FieldType.EMAIL,
    FieldType.URL,
})


class _Prices:
    """What one calibration (and org) makes of fields, remembered across the tasks of a run.

    Rendering and timing operator sequences was most of an estimate's time, yet an org's
    thousands of task fields come down to a few hundred distinct inputs: the same type, length,
    picklist size and control (and, for text, composed or known) price the same."""

    def __init__(self, calibration: Calibration, org: Org | None) -> None:
        self.calibration = calibration
        self.org = org
        self._composed: dict[tuple[str, FieldType], bool] = {}
        self._controls: dict[tuple[str, FieldType], str | None] = {}
        self._priced: dict[tuple[object, ...], tuple[str, float]] = {}
        self._overheads: dict[str, tuple[Overhead, ...]] = {}

    def is_composed(self, field_id: str, field_type: FieldType) -> bool:
        key = (field_id, field_type)
        composed = self._composed.get(key)
        if composed is None:
            composed = self._composed[key] = self.calibration.is_composed(field_id, field_type)
        return composed

    def control(self, item: TaskField) -> str | None:
        key = (item.field_id, item.field_type)
        if key not in self._controls:
            self._controls[key] = _control(item, self.org)
        return self._controls[key]

    def operators(self, item: FieldInput) -> tuple[str, float]:
        """The field's operators as methods.md writes them, and their seconds."""
        kind = item.field_type
        composed = None if kind in _PRICED_BY_TYPE else self.is_composed(item.field_id, kind)
        key = (kind, item.chars, item.picklist_size, item.control, composed)
        priced = self._priced.get(key)
        if priced is None:
            ops = field_ops(item, self.calibration)
            priced = self._priced[key] = (render(ops), seconds_of(ops, self.calibration))
        return priced

    def overheads(self, kind: str) -> tuple[Overhead, ...]:
        if kind not in self._overheads:
            self._overheads[kind] = _overheads_of(kind, self.calibration)
        return self._overheads[kind]


def _overheads_of(kind: str, calibration: Calibration) -> tuple[Overhead, ...]:
    names = ["open", "stage", "edit", "save"] if kind == STAGE_MOVE else ["open", "edit", "save"]
    ops = overhead_ops(calibration)
    return tuple(Overhead(name, render(ops[name]), seconds_of(ops[name], calibration))
                 for name in names)


def _assemble(
    task: Task, costs: tuple[FieldCost, ...], overheads: tuple[Overhead, ...],
    calibration: Calibration, limit: float,
) -> Estimate:
    error, total = _total(costs, overheads, calibration)
    band = calibration["band"]
    return Estimate(
        role_id=task.role_id, object_name=task.object_name, task=task.name, kind=task.kind,
        stage=task.stage, view_id=task.view_id, fields=costs, overheads=overheads, error=error,
        total=total, band=((1 - band) * total, (1 + band) * total), budget=limit,
        verdict=verdict_of(total, (1 + band) * total, limit), pipeline_id=task.pipeline_id,
        note=task.note,
    )


def verdict_of(total: float, high: float, limit: float) -> str:
    """over: T > budget; at-risk: the band's top (1.21 T) is; within otherwise."""
    return OVER if total > limit else AT_RISK if high > limit else WITHIN


def _total(
    costs: Sequence[FieldCost], overheads: Sequence[Overhead], calibration: Calibration
) -> tuple[ErrorCost, float]:
    """The A.2 sum: overheads + Σ (1 − φ_f)(c_f + nav_f) + E[T_err]."""
    error = error_cost(costs, overheads, calibration)
    total = (sum(overhead.seconds for overhead in overheads)
             + sum(cost.expected_seconds for cost in costs) + error.seconds)
    return error, total


def replace_budget(
    result: Estimate, limit: float, calibration: Calibration = DEFAULT_CALIBRATION
) -> Estimate:
    """The same estimate judged against another budget (a rule's ``budget-seconds``)."""
    judged = replace(result, budget=limit, verdict=verdict_of(result.total, result.band[1], limit),
                     suggestion=None)
    return replace(judged, suggestion=suggest(judged, calibration))


def error_cost(
    costs: Sequence[FieldCost], overheads: Sequence[Overhead], calibration: Calibration
) -> ErrorCost:
    """E[T_err] = (1 − Π(1 − (1 − φ_f) p_f)) · (T_read + T_save).

    T_read reads the longest message the failed save can show: the error message of a
    validation rule the task involves, or the platform's own "required fields" message when a
    marked field is involved, whichever is longer."""
    saved = 1.0
    for cost in costs:
        saved *= 1 - (1 - cost.fill_rate) * cost.miss_probability
    probability = 1 - saved
    words = _message_words(costs, calibration)
    read = calibration["M"] + calibration["read.per-word"] * words
    save = next((item.seconds for item in overheads if item.name == "save"), 0.0)
    return ErrorCost(probability, words, read, save, probability * (read + save))


def _message_words(costs: Sequence[FieldCost], calibration: Calibration) -> int:
    counts = [cost.message_words for cost in costs if cost.source == VALIDATION_RULE]
    if any(cost.miss_probability > 0 and cost.source != VALIDATION_RULE for cost in costs):
        counts.append(int(calibration["read.required-message-words"]))
    return max(counts, default=0)


def _field_costs(task: Task, prices: _Prices, usage: Any) -> list[FieldCost]:
    calibration = prices.calibration
    navigation = _navigation(task.fields, calibration)
    view_known = bool(task.view_id)
    stage_move = task.kind == STAGE_MOVE
    costs = []
    for item in task.fields:
        known = field_usage(usage, item.field_id)
        operators, seconds = prices.operators(_field_input(item, known, prices))
        # A new record (create, log a call) starts blank: fill rates only discount stage moves.
        fill = min(max(known.fill_rate or 0.0, 0.0), 1.0) if stage_move else 0.0
        costs.append(FieldCost(
            field_id=item.field_id, operators=operators, seconds=seconds,
            nav_seconds=navigation.get(item.field_id, 0.0), source=item.source,
            asterisk=item.asterisk, on_view=item.on_view, field_type=item.field_type.value,
            fill_rate=fill,
            miss_probability=miss_probability(item, calibration, view_known=view_known),
            rule_id=item.rule_id, message_words=len((item.error_message or "").split()),
        ))
    return costs


def miss_probability(
    item: TaskField, calibration: Calibration, *, view_known: bool = True
) -> float:
    """p_f: the chance the rep leaves the field blank at the first save (A.2 priors). Without a
    known view (none assigned, or not in the project) the platform's own form is assumed to
    show what it requires."""
    if view_known and not item.on_view:
        return calibration["p.hidden"]
    if item.source == DYNAMIC_FORMS:
        return calibration["p.dynamic-forms"]
    if item.source == VALIDATION_RULE:
        return calibration["p.validation-rule"]
    return calibration["p.asterisk"] if item.asterisk else 0.0


def _field_input(item: TaskField, known: FieldUsage, prices: _Prices) -> FieldInput:
    chars: float | None = known.median_length
    if chars is None and item.length:
        chars = _capped_default(item, prices)
    return FieldInput(item.field_id, item.field_type, chars, item.picklist_size,
                      prices.control(item))


def _capped_default(item: TaskField, prices: _Prices) -> float | None:
    """A short maximum length caps the default character count (a Text(10) code)."""
    if item.field_type is not FieldType.TEXT or item.length is None:
        return None
    composed = prices.is_composed(item.field_id, item.field_type)
    default = prices.calibration["chars.text-composed" if composed else "chars.text"]
    if item.length >= default:
        return None
    return float(item.length)


def _control(item: TaskField, org: Org | None) -> str | None:
    definition = org.field(item.field_id) if org is not None else None
    source_type = (definition.source_type or "").casefold() if definition else ""
    if source_type.endswith("radio"):
        return "radio"
    if source_type.endswith("checkbox") and item.field_type is FieldType.MULTIPICKLIST:
        return "checkboxes"
    if source_type.endswith("file"):
        return "file"
    return None


def _navigation(fields: Iterable[TaskField], calibration: Calibration) -> dict[str, float]:
    """nav_f: viewports scrolled since the previous field to fill (in display order), plus a
    section to expand when the field opens a run of fields in collapsed sections."""
    per_viewport = max(1, int(calibration["nav.fields-per-viewport"]))
    placed = sorted((item for item in fields if item.position is not None and item.on_view),
                    key=lambda item: (item.position or 0, item.field_id))
    seconds: dict[str, float] = {}
    viewport, collapsed = 0, False
    for item in placed:
        reached = (item.position or 0) // per_viewport
        nav = calibration["nav.viewport"] * max(0, reached - viewport)
        if item.collapsed_section and not collapsed:
            nav += calibration["nav.collapsed-section"]
        seconds[item.field_id] = nav
        viewport, collapsed = max(viewport, reached), item.collapsed_section
    return seconds


# --- what would bring a task under budget --------------------------------------------------------


def suggest(result: Estimate, calibration: Calibration = DEFAULT_CALIBRATION) -> Suggestion | None:
    """The fewest largest fields whose requirement, dropped (made optional or required at a
    later stage), brings the estimate within budget; None when it already is. Fields go largest
    first by their own seconds; each also takes its share of the failed-save cost with it."""
    if result.total <= result.budget:
        return None
    ranked = result.costliest(len(result.fields))
    removed: dict[str, None] = {}  # in the order dropped; a dict for cheap membership tests
    total = result.total
    for cost in ranked:
        if total <= result.budget:
            break
        removed[cost.field_id] = None
        kept = [item for item in result.fields if item.field_id not in removed]
        total = _total(kept, result.overheads, calibration)[1]
    return Suggestion(tuple(removed), total, total <= result.budget)


def sort_estimates(estimates: Iterable[Estimate]) -> list[Estimate]:
    """Report order: object, role, then create, stage moves in pipeline order, log a call."""
    order = {"create": 0, STAGE_MOVE: 1, LOG_CALL: 2}
    indexed = list(enumerate(estimates))
    indexed.sort(key=lambda pair: (pair[1].object_name, pair[1].role_id,
                                   order.get(pair[1].kind, 3), pair[0]))
    return [result for _, result in indexed]



# --- a whole org ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgBudget:
    """Every role × task of an org, estimated."""

    estimates: tuple[Estimate, ...]
    roles: Mapping[str, Role]
    inferred: bool
    calibration: Calibration


def org_budget(
    org: Org,
    roles_input: Any = None,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    usage: Any = None,
    kinds: Iterable[str] | None = None,
) -> OrgBudget:
    """Estimate every task of every role: the roles file's (a loaded one or a path), else the
    org's own, else inferred (:func:`cfglint.roles.effective_roles`)."""
    roles, inferred = effective_roles(org, roles_input)
    return tasks_budget(org, tasks_for(org, roles), roles, inferred, calibration=calibration,
                        usage=usage, kinds=kinds)


def tasks_budget(
    org: Org,
    tasks: Iterable[Task],
    roles: Mapping[str, Role],
    inferred: bool,
    *,
    calibration: Calibration = DEFAULT_CALIBRATION,
    usage: Any = None,
    kinds: Iterable[str] | None = None,
) -> OrgBudget:
    """Estimate tasks already planned for ``roles`` (of ``kinds``, or all)."""
    wanted = set(kinds) if kinds is not None else None
    prices = _Prices(calibration, org)
    estimates = [
        _estimate(task, prices, usage, None)
        for task in tasks if wanted is None or task.kind in wanted
    ]
    return OrgBudget(tuple(sort_estimates(estimates)), roles, inferred, calibration)
