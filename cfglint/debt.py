"""The customization-debt model: remediation hours, build cost, debt ratio, grade and score.

It follows methods.md B.4, a SQALE/Sonar-style model with a CISQ-style exposure adjustment:

- every lint finding is an *issue* with a base remediation effort ``r_base`` in hours, from a
  remediation function (constant, or linear with an offset) chosen by the finding's rule id;
- each issue is weighted by the exposure of the element it is about:
  ``r_base · (1 + w · log2(1 + BR))`` where ``BR`` is the element's blast radius (how many
  elements depend on it) and ``w`` the exposure weight, 0.25;
- the debt ``D`` is the sum of the weighted hours; the *build cost* is the sum of per-component
  build priors (a field 0.5 h, a flow 1 h + 0.2 h per element, ...);
- the debt ratio ``TDR = D / build cost`` gives a letter on Sonar's grid (A ≤ 5 %, B ≤ 10 %,
  C ≤ 20 %, D ≤ 50 %, E above) and a 0–100 score, linear between the grid's corners
  (0 → 100, 5 % → 80, 10 % → 60, 20 % → 40, 50 % → 20, 100 % and above → 0).

Propagation cost, the size of the largest cyclic core and the automation cycles are measured too,
and reported *beside* the score rather than folded into it, so nothing is counted twice.

Every number is a prior: :data:`REMEDIATION` and :data:`BUILD_COST` hold them in one table each,
and the ``debt:`` section of ``.cfglint.yaml`` overrides any of them (see ``docs/debt.md``).
The model is monotonic: adding an element that produces a finding, or an edge that makes
something depend on an element, never lowers ``D``, because hours are never negative and blast
radii only grow.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from cfglint.config import ConfigError, find_config, read_config_file
from cfglint.formulas import formula_complexity
from cfglint.graph import DependencyGraph, NodeKind, counting_kind
from cfglint.model import Automation, AutomationKind, Field, FieldType, Org, ViewKind
from cfglint.rules import FAMILIES
from cfglint.rules.base import Finding, family_of

# --- remediation functions and the constants table -----------------------------------------------


@dataclass(frozen=True)
class Linear:
    """A remediation or build function: ``base + per · quantity`` hours (quantity ≥ 0)."""

    base: float
    per: float = 0.0

    def hours(self, quantity: float = 0.0) -> float:
        return self.base + self.per * max(0.0, quantity)


@dataclass(frozen=True)
class Prior:
    """One row of a constants table: the function, what ``per`` counts, and where it comes from."""

    cost: Linear
    counts: str = ""
    source: str = "prior"


B4 = "B.4"

#: Remediation priors by rule id, or ``ID:variant`` where one rule covers different repairs.
#: ``counts`` says what the quantity is; ``source`` is ``B.4`` when methods.md gives the value.
REMEDIATION: dict[str, Prior] = {
    "CFG001": Prior(Linear(0.0), source="not debt: cfglint could not read a file"),
    "CFG002": Prior(Linear(0.0), source="not debt: a stale cfglint comment"),
    "DEBT001": Prior(Linear(0.1), source=B4),
    "DEBT002:workflow": Prior(Linear(1.0, 0.25), "action of the rule", B4),
    "DEBT002:process-builder": Prior(Linear(2.0, 0.25), "criteria node", B4),
    "DEBT003:kinds": Prior(Linear(0.0, 4.0), "automation kind over the maximum",
                           "after B.4: 4 h per extra trigger"),
    "DEBT003:order": Prior(Linear(0.0, 0.25), "flow without a trigger order"),
    "DEBT004": Prior(Linear(0.25), source=B4),
    "DEBT005": Prior(Linear(0.0, 0.5), "hard-coded id", B4),
    "DEBT006": Prior(Linear(0.0, 1.0), "duplicate field to merge"),
    "DEBT007": Prior(Linear(1.0, 0.1), "custom field over the reporting level",
                     "after B.4: 0.1 h per field over 350"),
    "DEBT008": Prior(Linear(4.0, 2.0), "automation caught in the loop (2 per extra loop)", B4),
    "DEBT009": Prior(Linear(1.0)),
    "DEBT010": Prior(Linear(0.5, 0.25), "formula level over the maximum"),
    "DEBT011": Prior(Linear(0.5), source=B4),
    "DEBT012": Prior(Linear(1.0, 0.25), "unit of complexity over the threshold", B4),
    "REQ001": Prior(Linear(0.0, 0.25), "required field over the maximum"),
    "REQ002": Prior(Linear(0.0, 0.5), "required field missing from the form", B4),
    "REQ003": Prior(Linear(0.5)),
    "REQ004": Prior(Linear(0.5)),
    "VIEW001": Prior(Linear(0.0, 1.0), "object without a view of its own"),
    "VIEW002": Prior(Linear(1.0)),
    "VIEW003": Prior(Linear(0.5, 0.02), "editable field over the maximum",
                     "after B.4: layout over 100 fields"),
    "VIEW004": Prior(Linear(0.5, 0.02), "field no role needs"),
    "VIEW005": Prior(Linear(0.0, 0.1), "needed field missing"),
    "PIPE001": Prior(Linear(2.0)),
    "PIPE002": Prior(Linear(1.0, 0.25), "stage outside the range"),
    "PIPE003": Prior(Linear(0.25)),
    "PIPE004": Prior(Linear(1.0, 0.25), "required field over the maximum"),
    "DATA001": Prior(Linear(1.0)),
    "DATA002": Prior(Linear(0.25)),
    "DATA003": Prior(Linear(0.5, 0.02), "value over the maximum"),
    "DATA004": Prior(Linear(1.0)),
    "INTG001": Prior(Linear(2.0)),
    "INTG002": Prior(Linear(0.0), source="not debt: a question, not a defect"),
    "TIME": Prior(Linear(0.0, 1.0), "(role, stage) pair over budget", B4),
    "default": Prior(Linear(0.5), source="prior for rules without a row (custom rules)"),
}

#: Build-cost priors per component kind (methods.md B.4 "Build cost" where it has one).
BUILD_COST: dict[str, Prior] = {
    "custom-object": Prior(Linear(1.0)),
    "field": Prior(Linear(0.5), source=B4),
    "picklist": Prior(Linear(0.5, 0.02), "value", B4),
    "formula": Prior(Linear(0.5, 0.1), "unit of formula complexity", B4),
    "validation-rule": Prior(Linear(0.75, 0.1), "unit of formula complexity", B4),
    "record-type": Prior(Linear(0.5), source=B4),
    "layout": Prior(Linear(1.0, 0.02), "field", B4),
    "flexipage": Prior(Linear(1.0, 0.02), "field"),
    "compact-layout": Prior(Linear(0.25, 0.02), "field"),
    "record-view": Prior(Linear(1.0, 0.02), "field"),
    "flow": Prior(Linear(1.0, 0.2), "element", B4),
    "workflow": Prior(Linear(0.5, 0.25), "action", B4),
    "process-builder": Prior(Linear(1.0, 0.5), "criteria node", B4),
    "trigger": Prior(Linear(5.0), source="after B.4: 0.5 h per line of Apex, 10 lines"),
    "approval": Prior(Linear(1.0, 0.25), "step or action"),
    "hubspot-workflow": Prior(Linear(1.0, 0.2), "action"),
    "report": Prior(Linear(0.5), source=B4),
    "integration": Prior(Linear(8.0), source=B4),
    "profile": Prior(Linear(0.5)),
    "permission-set": Prior(Linear(0.5)),
    "list-view": Prior(Linear(0.25)),
    "field-set": Prior(Linear(0.25)),
    "quick-action": Prior(Linear(0.25, 0.02), "field"),
    "duplicate-rule": Prior(Linear(0.5)),
    "matching-rule": Prior(Linear(0.5)),
    "pipeline": Prior(Linear(0.5, 0.1), "stage"),
    "value-set": Prior(Linear(0.25, 0.02), "value"),
}

#: ``w`` in the exposure factor ``1 + w · log2(1 + BR)``.
EXPOSURE_WEIGHT = 0.25

#: Sonar's rating grid: the largest debt ratio of each grade; anything above the last is E.
GRADE_GRID: tuple[tuple[str, float], ...] = (("A", 0.05), ("B", 0.10), ("C", 0.20), ("D", 0.50))

#: The score at each corner of the grid, then 0 at a ratio of 100 %.
SCORE_AT_CORNERS = (100.0, 80.0, 60.0, 40.0, 20.0, 0.0)

#: The object breakdown files org-wide components (profiles, reports, flows on no object) here.
ORG_WIDE = "(org-wide)"


@dataclass(frozen=True)
class DebtConstants:
    """The effective constants of one run: the tables above with configuration overrides."""

    remediation: Mapping[str, Prior] = field(default_factory=lambda: dict(REMEDIATION))
    build_cost: Mapping[str, Prior] = field(default_factory=lambda: dict(BUILD_COST))
    exposure_weight: float = EXPOSURE_WEIGHT
    grade_grid: tuple[tuple[str, float], ...] = GRADE_GRID

    def row_for(self, key: str) -> str:
        """The row that prices ``ID:variant``: itself, else ``ID``, else the rule's family,
        else ``default``."""
        rule_id = key.partition(":")[0]
        for candidate in (key, rule_id, family_of(rule_id)):
            if candidate in self.remediation:
                return candidate
        return "default"

    def remediation_for(self, key: str) -> Linear:
        """The remediation function of the row that prices ``key``."""
        prior = self.remediation.get(self.row_for(key)) or REMEDIATION["default"]
        return prior.cost

    def build(self, kind: str, quantity: float = 0.0) -> float:
        return self.build_cost[kind].cost.hours(quantity)

    def as_dict(self) -> dict[str, Any]:
        """The constants as the JSON report lists them."""
        return {
            "exposure-weight": self.exposure_weight,
            "grades": dict(self.grade_grid),
            "remediation": {key: _prior_dict(prior) for key, prior in self.remediation.items()},
            "build-cost": {key: _prior_dict(prior) for key, prior in self.build_cost.items()},
        }


def _prior_dict(prior: Prior) -> dict[str, Any]:
    return {"base": prior.cost.base, "per": prior.cost.per, "counts": prior.counts,
            "source": prior.source}


# --- configuration -------------------------------------------------------------------------------


def load_constants(start: Path, config: Path | None = None) -> DebtConstants:
    """The constants with the ``debt:`` section of the project configuration applied.

    The configuration file is found as ``cfglint lint`` finds it (``--config``, then
    ``CFGLINT_CONFIG``, then discovery from ``start``)."""
    path = config or _env_config() or find_config(start)
    if path is None:
        return DebtConstants()
    section = read_config_file(path).get("debt") or {}
    return constants_from_config(section, path.as_posix())


def _env_config() -> Path | None:
    value = os.environ.get("CFGLINT_CONFIG")
    return Path(value) if value else None


def constants_from_config(section: Mapping[str, Any], where: str = "debt") -> DebtConstants:
    """Apply a ``debt:`` mapping: ``remediation`` and ``build-cost`` entries (a number is a
    constant, ``{base, per}`` a linear function), ``exposure-weight`` and ``grades``."""
    constants = DebtConstants()
    remediation = _override_remediation(section.get("remediation") or {}, where)
    build_cost = _override_build_cost(section.get("build-cost") or {}, where)
    weight = _hours(section.get("exposure-weight", constants.exposure_weight),
                    f"{where}: debt.exposure-weight")
    grid = _grid(section.get("grades"), where) if "grades" in section else constants.grade_grid
    return replace(constants, remediation=remediation, build_cost=build_cost,
                   exposure_weight=weight, grade_grid=grid)


def _override_remediation(overrides: Mapping[str, Any], where: str) -> dict[str, Prior]:
    table = dict(REMEDIATION)
    for key, value in overrides.items():
        counts = {table[key].counts} if key in table else set()
        if ":" not in key:
            # Overriding DEBT002 replaces DEBT002:workflow and DEBT002:process-builder too.
            for variant in [name for name in table if name.startswith(key + ":")]:
                counts.add(table.pop(variant).counts)
        table[key] = Prior(_linear(value, f"{where}: debt.remediation.{key}"),
                           " / ".join(sorted(counts - {""})), "configured")
    return table


def _override_build_cost(overrides: Mapping[str, Any], where: str) -> dict[str, Prior]:
    table = dict(BUILD_COST)
    for key, value in overrides.items():
        if key not in table:
            known = ", ".join(sorted(table))
            raise ConfigError(f"{where}: debt.build-cost: unknown component kind {key!r} "
                              f"(known: {known})")
        table[key] = Prior(_linear(value, f"{where}: debt.build-cost.{key}"), table[key].counts,
                           "configured")
    return table


def _linear(value: Any, where: str) -> Linear:
    """A configured function; hours are never negative, which keeps the model monotonic."""
    if isinstance(value, Mapping) and set(value) <= {"base", "per"}:
        return Linear(_hours(value.get("base", 0.0), where), _hours(value.get("per", 0.0), where))
    if not isinstance(value, Mapping):
        return Linear(_hours(value, where))
    raise ConfigError(f"{where}: expected hours or {{base: H, per: H}}, got {value!r}")


def _hours(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: expected a number of hours (0 or more), got {value!r}")
    return float(value)


def _grid(value: Any, where: str) -> tuple[tuple[str, float], ...]:
    limits = [float(value[grade]) for grade in "ABCD"] if isinstance(value, Mapping) and all(
        grade in value for grade in "ABCD") else None
    if limits is None or limits != sorted(limits) or limits[0] <= 0 or limits[-1] >= 1:
        raise ConfigError(f"{where}: debt.grades needs increasing ratios 0 < A < B < C < D < 1")
    return tuple(zip("ABCD", limits, strict=True))


# --- grade and score -----------------------------------------------------------------------------


def grade(ratio: float, grid: tuple[tuple[str, float], ...] = GRADE_GRID) -> str:
    """The letter for a debt ratio on Sonar's grid (a limit is inclusive)."""
    for letter, limit in grid:
        if ratio <= limit:
            return letter
    return "E"


def score(ratio: float, grid: tuple[tuple[str, float], ...] = GRADE_GRID) -> float:
    """0–100, linear between the grid's corners: 0 → 100, A's limit → 80, ..., 100 % → 0."""
    corners = [0.0, *(limit for _, limit in grid), 1.0]
    if ratio >= corners[-1]:
        return 0.0
    for index in range(1, len(corners)):
        low, high = corners[index - 1], corners[index]
        if ratio <= high:
            top, bottom = SCORE_AT_CORNERS[index - 1], SCORE_AT_CORNERS[index]
            return top - (top - bottom) * (max(ratio, 0.0) - low) / (high - low)
    return 0.0


def debt_ratio(debt_hours: float, build_hours: float) -> float:
    """``D / build cost``; debt with nothing built is an infinite ratio (grade E, score 0)."""
    if debt_hours <= 0:
        return 0.0
    return debt_hours / build_hours if build_hours > 0 else math.inf


def exposure(blast_radius: int, weight: float = EXPOSURE_WEIGHT) -> float:
    """The CISQ-style weight of an issue on an element that ``blast_radius`` elements need."""
    return 1.0 + weight * math.log2(1 + blast_radius)


# --- issues --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """A finding priced: base hours from its remediation function, weighted by exposure."""

    finding: Finding
    key: str  # the REMEDIATION row used
    quantity: float
    base_hours: float
    blast_radius: int
    exposure: float
    object_name: str

    @property
    def hours(self) -> float:
        return self.base_hours * self.exposure

    @property
    def family(self) -> str:
        return self.finding.family


@dataclass(frozen=True)
class Context:
    """What remediation quantities may look up besides the finding itself."""

    org: Org
    #: Automation id -> the cycle of the cascade graph it is on (B.4 prices a cycle by its
    #: strongly connected component, not by the one loop through it a finding names).
    cycles: Mapping[str, CycleSize] = field(default_factory=dict)


class CycleSize(NamedTuple):
    """A strongly connected component of the automation cascade graph."""

    #: ``k``: automations in it.
    automations: int
    #: Independent loops through them (edges - automations + 1; a simple loop is 1).
    loops: int

    @property
    def quantity(self) -> float:
        """What ``4 + 2 · quantity`` prices: ``k``, plus 2 for each loop beyond the first, so
        that joining two cycles into one never costs less than the two did (4 + 2k is not
        additive: two self-loops cost 6 + 6, one component of both and a third automation
        4 + 2 · 3 before this correction)."""
        return float(self.automations + 2 * (self.loops - 1))


Quantity = Callable[[Finding, Context], float]


def _count(key: str) -> Quantity:
    """The length of a list (or the size of a mapping) in the finding's data."""
    def quantity(finding: Finding, context: Context) -> float:
        value = finding.data.get(key)
        return float(len(value)) if isinstance(value, (list, tuple, dict)) else 0.0
    return quantity


def _over(key: str, limit_key: str) -> Quantity:
    """How far a number in the finding's data is over the limit the finding also carries."""
    def quantity(finding: Finding, context: Context) -> float:
        return max(0.0, _number(finding.data, key) - _number(finding.data, limit_key))
    return quantity


def _number(data: Mapping[str, Any], *keys: str) -> float:
    for key in keys:
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return 0.0


def _automation_measure(measure: Callable[[Automation], int]) -> Quantity:
    def quantity(finding: Finding, context: Context) -> float:
        automation = context.org.automations.get(finding.element_id)
        return float(measure(automation)) if automation is not None else 0.0
    return quantity


def _kinds_over(finding: Finding, context: Context) -> float:
    return max(0.0, len(finding.data.get("kinds") or {}) - _number(finding.data, "max_kinds"))


def _fields_over_level(finding: Finding, context: Context) -> float:
    level = _number(finding.data, "limit") * _number(finding.data, "threshold")
    return max(0.0, _number(finding.data, "custom_fields") - level)


def _cycle_size(finding: Finding, context: Context) -> float:
    """``k`` (see :class:`CycleSize`) of the finding's cycle component, else the length of the
    loop it names."""
    cycle = context.cycles.get(finding.element_id)
    if cycle is not None:
        return cycle.quantity
    for key in ("cycle", "automations", "members"):
        members = finding.data.get(key)
        if isinstance(members, (list, tuple)) and members:
            return float(len(members))
    return max(1.0, _number(finding.data, "size", "length"))


def _stages_outside(finding: Finding, context: Context) -> float:
    count = _number(finding.data, "open_stages")
    high, low = _number(finding.data, "max"), _number(finding.data, "min")
    return max(0.0, count - high, low - count)


def _flow_complexity_over(finding: Finding, context: Context) -> float:
    value = _number(finding.data, "complexity", "cc", "cyclomatic_complexity")
    limit = _number(finding.data, "threshold", "max") or 25.0
    return max(0.0, value - limit)


def _depth_over(finding: Finding, context: Context) -> float:
    return max(0.0, _number(finding.data, "depth") - _number(finding.data, "max", "max_depth"))


def _no_quantity(finding: Finding, context: Context) -> float:
    return 0.0


def _one(finding: Finding, context: Context) -> float:
    """One unit per finding: each TIME finding is one (role, task) pair over budget."""
    return 1.0


#: What each remediation row's ``per`` multiplies.
QUANTITIES: dict[str, Quantity] = {
    "DEBT002:workflow": _automation_measure(lambda automation: automation.elements),
    "DEBT002:process-builder": _automation_measure(lambda automation: automation.decisions),
    "DEBT003:kinds": _kinds_over,
    "DEBT003:order": _count("without_trigger_order"),
    "DEBT005": _count("ids"),
    "DEBT006": _count("duplicates"),
    "DEBT007": _fields_over_level,
    "DEBT008": _cycle_size,
    "DEBT010": _depth_over,
    "DEBT012": _flow_complexity_over,
    "REQ001": _over("count", "max"),
    "REQ002": _count("fields"),
    "VIEW001": _count("objects"),
    "VIEW003": _over("count", "max"),
    "VIEW004": _count("unneeded"),
    "VIEW005": _count("missing"),
    "PIPE002": _stages_outside,
    "PIPE004": _over("count", "max"),
    "DATA003": _over("count", "max"),
    "TIME001": _one,
    "TIME002": _one,
    "TIME003": _one,
    "TIME004": _one,
}

#: Data keys that name further elements a finding is about (its exposure is the largest).
RELATED_ELEMENTS: dict[str, tuple[str, ...]] = {
    "DEBT006": ("original", "duplicates"),
    "DEBT008": ("cycle", "automations", "members"),
}


def remediation_key(finding: Finding, org: Org) -> str:
    """The REMEDIATION row for a finding: its rule id, or ``ID:variant``."""
    rule_id = finding.rule_id
    if rule_id == "DEBT002":
        automation = org.automations.get(finding.element_id)
        kind = automation.kind if automation is not None else AutomationKind.WORKFLOW_RULE
        is_process = kind is AutomationKind.PROCESS_BUILDER
        return "DEBT002:process-builder" if is_process else "DEBT002:workflow"
    if rule_id == "DEBT003":
        return "DEBT003:kinds" if "kinds" in finding.data else "DEBT003:order"
    return rule_id


def base_hours(
    finding: Finding, context: Context, constants: DebtConstants
) -> tuple[str, float, float]:
    """(the remediation row used, quantity, r_base) of one finding."""
    key = remediation_key(finding, context.org)
    measure = QUANTITIES.get(key, QUANTITIES.get(finding.rule_id, _no_quantity))
    quantity = measure(finding, context)
    return constants.row_for(key), quantity, constants.remediation_for(key).hours(quantity)


def related_elements(finding: Finding) -> list[str]:
    """The finding's element and the others it names (a duplicate's original, a cycle)."""
    elements = [finding.element_id]
    for key in RELATED_ELEMENTS.get(finding.rule_id, ()):
        value = finding.data.get(key)
        if isinstance(value, str):
            elements.append(value)
        elif isinstance(value, (list, tuple)):
            elements.extend(item for item in value if isinstance(item, str))
    return elements


# --- graph measures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphMeasures:
    """Org-level coupling, reported beside the score (methods.md B.3)."""

    nodes: int
    edges: int
    #: ``(Σ_v |descendants(v)| + n) / n²``: the density of the transitive closure.
    propagation_cost: float
    #: Size of the largest strongly connected component (1 when there is no cycle).
    core_size: int
    #: Automation cycles, each a list of automation ids.
    cycles: list[list[str]]


def cyclic_automations(graph: DependencyGraph) -> dict[str, CycleSize]:
    """Automation id -> its strongly connected component in the cascade graph, for every
    automation on a cycle (a component of two or more, or one that re-triggers itself)."""
    import networkx as nx

    cascade = graph.automation_cascade()
    found: dict[str, CycleSize] = {}
    for component in nx.strongly_connected_components(cascade):
        edges = cascade.subgraph(component).number_of_edges()
        if len(component) > 1 or edges:
            size = CycleSize(len(component), edges - len(component) + 1)
            found.update(dict.fromkeys(component, size))
    return found


def measure_graph(graph: DependencyGraph) -> GraphMeasures:
    return GraphMeasures(
        nodes=graph.graph.number_of_nodes(),
        edges=graph.graph.number_of_edges(),
        propagation_cost=graph.propagation_cost(),
        core_size=graph.largest_core(),
        cycles=[list(cycle) for cycle in graph.automation_cycles()],
    )


# --- components and their build cost -------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """Something someone built, with the hours it took by the build priors."""

    element_id: str
    kind: str  # a BUILD_COST key
    object_name: str
    hours: float


def components(org: Org, constants: DebtConstants) -> list[Component]:
    """Every built component with its build hours, in element id order."""
    built = [*_object_components(org, constants), *_other_components(org, constants)]
    return sorted(built, key=lambda component: component.element_id)


def _object_components(org: Org, constants: DebtConstants) -> Iterator[Component]:
    for name, crm_object in org.objects.items():
        if crm_object.custom:
            yield Component(name, "custom-object", name, constants.build("custom-object"))
        for model_field in crm_object.fields.values():
            built = _field_component(model_field, constants)
            if built is not None:
                yield built
        for rule in crm_object.validation_rules.values():
            yield Component(rule.id, "validation-rule", name, constants.build(
                "validation-rule", formula_complexity(rule.formula)))
        for record_type in crm_object.record_types.values():
            yield Component(record_type.id, "record-type", name, constants.build("record-type"))
        for list_view in crm_object.list_views.values():
            yield Component(list_view.id, "list-view", name, constants.build("list-view"))
        for field_set in crm_object.field_sets.values():
            yield Component(field_set.id, "field-set", name, constants.build("field-set"))


def _field_component(model_field: Field, constants: DebtConstants) -> Component | None:
    # Standard fields are the vendor's; their customized values count as value sets.
    if not model_field.custom:
        return None
    values = len(model_field.picklist_values)
    if model_field.formula:
        kind, quantity = "formula", float(formula_complexity(model_field.formula))
    elif model_field.type in (FieldType.PICKLIST, FieldType.MULTIPICKLIST):
        kind, quantity = "picklist", float(values)
    else:
        kind, quantity = "field", 0.0
    hours = constants.build(kind, quantity)
    return Component(model_field.id, kind, model_field.object_name, hours)


VIEW_BUILD_KINDS = {
    ViewKind.LAYOUT: "layout",
    ViewKind.FLEXIPAGE: "flexipage",
    ViewKind.COMPACT_LAYOUT: "compact-layout",
    ViewKind.RECORD_VIEW: "record-view",
    ViewKind.FORM: "record-view",
}


def _other_components(org: Org, constants: DebtConstants) -> Iterator[Component]:
    for view in org.views.values():
        kind = VIEW_BUILD_KINDS[view.kind]
        yield Component(view.id, kind, view.object_name or ORG_WIDE,
                        constants.build(kind, len(view.field_names())))
    for automation in org.automations.values():
        yield _automation_component(automation, constants)
    yield from _simple(org.reports.values(), "report", constants)
    yield from _simple(org.integrations.values(), "integration", constants)
    yield from _simple(org.duplicate_rules.values(), "duplicate-rule", constants)
    yield from _simple(org.matching_rules.values(), "matching-rule", constants)
    for profile in org.profiles.values():
        kind = "profile" if profile.kind.value == "profile" else "permission-set"
        yield Component(profile.id, kind, ORG_WIDE, constants.build(kind))
    for action in org.quick_actions.values():
        yield Component(action.id, "quick-action", action.object_name or ORG_WIDE,
                        constants.build("quick-action", len(action.fields)))
    for pipeline in org.pipelines.values():
        yield Component(pipeline.id, "pipeline", pipeline.object_name,
                        constants.build("pipeline", len(pipeline.stages)))
    for value_set in org.value_sets.values():
        yield Component(value_set.id, "value-set", ORG_WIDE,
                        constants.build("value-set", len(value_set.values or value_set.stages)))


def _simple(elements: Iterable[Any], kind: str, constants: DebtConstants) -> Iterator[Component]:
    for element in elements:
        object_name = getattr(element, "object_name", None) or ORG_WIDE
        yield Component(element.id, kind, object_name, constants.build(kind))


def _automation_component(automation: Automation, constants: DebtConstants) -> Component:
    kind = automation.kind.value
    if automation.kind is AutomationKind.PROCESS_BUILDER:
        quantity = automation.decisions
    else:
        quantity = automation.elements
    return Component(automation.id, kind, automation.object_name or ORG_WIDE,
                     constants.build(kind, quantity))


# --- where each element belongs ------------------------------------------------------------------


def element_objects(org: Org) -> dict[str, str]:
    """Element id -> the object it belongs to, for every element the model has."""
    owners: dict[str, str] = {}
    for name, crm_object in org.objects.items():
        owners[name] = name
        children: Iterable[Mapping[str, Any]] = (
            crm_object.fields, crm_object.record_types, crm_object.validation_rules,
            crm_object.list_views, crm_object.field_sets,
        )
        for group in children:
            owners.update((child.id, name) for child in group.values())
    collections: Iterable[Mapping[str, Any]] = (
        org.views, org.automations, org.pipelines, org.duplicate_rules, org.matching_rules,
        org.quick_actions,
    )
    for collection in collections:
        owners.update((element_id, element.object_name) for element_id, element
                      in collection.items() if element.object_name)
    for pipeline in org.pipelines.values():
        for stage in pipeline.stages:
            owners[pipeline.stage_id(stage)] = pipeline.object_name
    return owners


def object_of(element_id: str, owners: Mapping[str, str]) -> str:
    """The object an element belongs to; ids the model does not know are read by shape
    (``Opportunity.StageName=Won`` -> Opportunity)."""
    if element_id in owners:
        return owners[element_id]
    head = element_id.split("=", 1)[0]
    if ":" not in head and "." in head:
        return owners.get(head.split(".", 1)[0], ORG_WIDE)
    return ORG_WIDE


# --- the assessment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    """Debt and build hours of one object or one rule family."""

    name: str
    debt_hours: float
    build_hours: float
    issues: int
    components: int
    ratio: float
    grade: str
    score: float
    by_family: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Neighbour:
    """An element near a hot spot: it depends on ``via``, which is one step closer."""

    element_id: str
    kind: str
    distance: int
    via: str


@dataclass(frozen=True)
class HotSpot:
    """An element many others depend on."""

    element_id: str
    kind: str
    object_name: str
    blast_radius: int
    by_kind: dict[str, int]
    debt_hours: float
    #: Dependents up to two steps away (for the first few hot spots only, for the pictures).
    neighbourhood: tuple[Neighbour, ...] = ()


@dataclass(frozen=True)
class AutomationEntry:
    """One automation on the automation map."""

    element_id: str
    kind: str
    name: str
    object_name: str
    when: str
    active: bool
    writes: int
    #: Other objects whose records it creates, changes or reads.
    touches: tuple[str, ...]
    in_cycle: bool


@dataclass(frozen=True)
class Risk:
    """One kind of problem, summed over its findings, for the executive summary."""

    rule_id: str
    title: str
    count: int
    hours: float
    worst: Issue


@dataclass
class DebtAssessment:
    """Everything the debt report shows."""

    root: str
    platform: str
    constants: DebtConstants
    issues: list[Issue]
    components: list[Component]
    measures: GraphMeasures
    debt_hours: float
    build_hours: float
    ratio: float
    grade: str
    score: float
    by_object: list[Breakdown]
    by_family: list[Breakdown]
    hot_spots: list[HotSpot]
    risks: list[Risk]
    automations: list[AutomationEntry] = field(default_factory=list)
    suppressed: int = 0
    rule_titles: dict[str, str] = field(default_factory=dict)


def price_issues(
    findings: Iterable[Finding], context: Context, blast_radius: Callable[[str], int],
    constants: DebtConstants,
) -> list[Issue]:
    """Every finding as an issue, in the findings' order."""
    owners = element_objects(context.org)
    issues: list[Issue] = []
    for finding in findings:
        key, quantity, hours = base_hours(finding, context, constants)
        radius = max(blast_radius(element) for element in related_elements(finding))
        issues.append(Issue(
            finding=finding, key=key, quantity=quantity, base_hours=hours, blast_radius=radius,
            exposure=exposure(radius, constants.exposure_weight),
            object_name=object_of(finding.element_id, owners),
        ))
    return issues


def debt_hours(issues: Iterable[Issue]) -> float:
    """``D``: the exposure-weighted remediation hours, summed in a fixed order."""
    return math.fsum(issue.hours for issue in issues)


def assess(
    org: Org, graph: DependencyGraph, findings: Iterable[Finding], *, root: str = ".",
    constants: DebtConstants | None = None, suppressed: int = 0,
    rule_titles: Mapping[str, str] | None = None, hot_spot_count: int = 10,
) -> DebtAssessment:
    """Price the findings and the components of ``org`` and break the debt down."""
    constants = constants or DebtConstants()
    radii = graph.blast_radii()
    cycles = cyclic_automations(graph)
    issues = price_issues(findings, Context(org, cycles),
                          lambda element: radii.get(element, 0), constants)
    built = components(org, constants)
    total, build = debt_hours(issues), math.fsum(component.hours for component in built)
    ratio = debt_ratio(total, build)
    measures = measure_graph(graph)
    return DebtAssessment(
        root=root, platform=org.platform, constants=constants, issues=issues, components=built,
        measures=measures, debt_hours=total, build_hours=build, ratio=ratio,
        grade=grade(ratio, constants.grade_grid), score=score(ratio, constants.grade_grid),
        by_object=breakdown_by_object(issues, built, constants),
        by_family=breakdown_by_family(issues, build, constants),
        hot_spots=hot_spots(graph, issues, org, hot_spot_count),
        risks=top_risks(issues, rule_titles or {}),
        automations=automation_map(org, cycles),
        suppressed=suppressed, rule_titles=dict(rule_titles or {}),
    )


def _breakdown(
    name: str, issues: list[Issue], build: float, count: int, constants: DebtConstants
) -> Breakdown:
    total = debt_hours(issues)
    ratio = debt_ratio(total, build)
    families: dict[str, float] = defaultdict(float)
    for issue in issues:
        families[issue.family] += issue.hours
    return Breakdown(
        name=name, debt_hours=total, build_hours=build, issues=len(issues), components=count,
        ratio=ratio, grade=grade(ratio, constants.grade_grid),
        score=score(ratio, constants.grade_grid), by_family=dict(sorted(families.items())),
    )


def breakdown_by_object(
    issues: list[Issue], built: list[Component], constants: DebtConstants
) -> list[Breakdown]:
    """One row per object with debt or components, most debt first (then by name)."""
    issues_of: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        issues_of[issue.object_name].append(issue)
    build_of: dict[str, list[float]] = defaultdict(list)
    for component in built:
        build_of[component.object_name].append(component.hours)
    rows = [
        _breakdown(name, issues_of.get(name, []), math.fsum(build_of.get(name, [])),
                   len(build_of.get(name, [])), constants)
        for name in set(issues_of) | set(build_of)
    ]
    return sorted(rows, key=lambda row: (-row.debt_hours, row.name))


def breakdown_by_family(
    issues: list[Issue], build_hours: float, constants: DebtConstants
) -> list[Breakdown]:
    """One row per rule family with issues, in the order of :data:`FAMILIES`; the ratio is the
    family's share of the whole debt ratio (its hours over the org's build hours)."""
    issues_of: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        issues_of[issue.family].append(issue)
    order = {family: position for position, family in enumerate(FAMILIES)}
    names = sorted(issues_of, key=lambda name: (order.get(name, len(order)), name))
    return [_breakdown(name, issues_of[name], build_hours, 0, constants) for name in names]


def hot_spots(
    graph: DependencyGraph, issues: list[Issue], org: Org, count: int
) -> list[HotSpot]:
    """The ``count`` elements with the largest blast radius (objects left out: everything on an
    object depends on it, which the per-object table already shows)."""
    radii = graph.blast_radii()
    candidates = [
        (radius, node) for node, radius in radii.items()
        if radius > 0 and _kind(graph, node) != NodeKind.OBJECT.value
    ]
    chosen = sorted(candidates, key=lambda pair: (-pair[0], pair[1]))[:count]
    debt_on: dict[str, float] = defaultdict(float)
    for issue in issues:
        debt_on[issue.finding.element_id] += issue.hours
    owners = element_objects(org)
    return [
        HotSpot(
            element_id=node, kind=_kind(graph, node), object_name=object_of(node, owners),
            blast_radius=radius, by_kind=graph.dependent_counts(node),
            debt_hours=debt_on.get(node, 0.0),
            neighbourhood=neighbourhood(graph, node) if rank < NEIGHBOURHOODS else (),
        )
        for rank, (radius, node) in enumerate(chosen)
    ]


#: How many hot spots get a neighbourhood (and a picture).
NEIGHBOURHOODS = 3


def neighbourhood(graph: DependencyGraph, node: str, depth: int = 2) -> tuple[Neighbour, ...]:
    """Dependents of ``node`` up to ``depth`` steps, nearest first, then by id."""
    found = [
        Neighbour(
            element_id=dependent.element_id, kind=_kind_name(dependent.kind),
            distance=dependent.distance,
            via=dependent.path[0][2] if dependent.path else node,
        )
        for dependent in graph.dependents(node, depth)
    ]
    return tuple(sorted(found, key=lambda item: (item.distance, item.kind, item.element_id)))


def _kind_name(kind: Any) -> str:
    return str(kind.value if isinstance(kind, NodeKind) else kind)


def _kind(graph: DependencyGraph, node: str) -> str:
    """The node's kind as summaries count it (``field``, ``flow``, ``layout``, ...)."""
    return counting_kind(graph.node(node)) if node in graph.graph else ""


def top_risks(issues: list[Issue], titles: Mapping[str, str], count: int = 5) -> list[Risk]:
    """The ``count`` rules whose issues cost the most hours, each with its costliest issue."""
    by_rule: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.hours > 0:
            by_rule[issue.finding.rule_id].append(issue)
    risks = [
        Risk(
            rule_id=rule_id, title=titles.get(rule_id, rule_id), count=len(group),
            hours=debt_hours(group),
            worst=min(group, key=lambda issue: (-issue.hours, issue.finding.element_id)),
        )
        for rule_id, group in by_rule.items()
    ]
    return sorted(risks, key=lambda risk: (-risk.hours, risk.rule_id))[:count]


# --- the automation map --------------------------------------------------------------------------

TIMING_WORDS = {"before-save": "before save", "after-save": "after save",
                "before-delete": "before delete"}
TRIGGER_WORDS = {
    "create": "when a record is created", "update": "when a record is changed",
    "create-or-update": "when a record is created or changed",
    "delete": "when a record is deleted", "scheduled": "on a schedule",
    "platform-event": "on a platform event", "screen": "when someone runs it",
    "invoked": "when another automation calls it",
}


def when_words(automation: Automation) -> str:
    """When an automation runs, in words: ``after save, when a record is created``."""
    if automation.kind is AutomationKind.TRIGGER and automation.trigger:
        return automation.trigger  # Apex names its events itself: "before insert, after update"
    parts = []
    if automation.timing:
        parts.append(TIMING_WORDS.get(automation.timing, automation.timing))
    if automation.trigger:
        parts.append(TRIGGER_WORDS.get(automation.trigger, automation.trigger))
    return ", ".join(parts) or "not stated"


def automation_map(org: Org, cyclic: Collection[str]) -> list[AutomationEntry]:
    """Every automation with the object it fires on, by object then id; ``cyclic`` names the
    automations on a cycle."""
    entries = [
        AutomationEntry(
            element_id=automation.id, kind=automation.kind.value,
            name=automation.label or automation.name,
            object_name=automation.object_name or ORG_WIDE, when=when_words(automation),
            active=automation.active and automation.status in (None, "Active"),
            writes=len(automation.writes),
            touches=tuple(sorted(set(automation.touches_objects) - {automation.object_name})),
            in_cycle=automation.id in cyclic,
        )
        for automation in org.automations.values()
    ]
    return sorted(entries, key=lambda entry: (entry.object_name, entry.element_id))


# --- documentation -------------------------------------------------------------------------------


def _function_words(prior: Prior) -> str:
    cost = prior.cost
    if cost.per and cost.base:
        return f"{cost.base:g} + {cost.per:g} per {prior.counts}"
    if cost.per:
        return f"{cost.per:g} per {prior.counts}"
    return f"{cost.base:g}"


def priors_markdown() -> str:
    """The two tables of priors as ``docs/debt.md`` shows them (a test keeps them equal)."""
    lines = ["| row | hours to fix one | source |", "|---|---|---|"]
    lines += [f"| `{key}` | {_function_words(prior)} | {prior.source} |"
              for key, prior in REMEDIATION.items()]
    lines += ["", "| component kind | hours to build one | source |", "|---|---|---|"]
    lines += [f"| `{key}` | {_function_words(prior)} | {prior.source} |"
              for key, prior in BUILD_COST.items()]
    return "\n".join(lines) + "\n"
