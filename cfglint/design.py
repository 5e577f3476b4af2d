"""The minimum viable configuration for launch (PRODUCT.md §9, methods.md part C).

INTERFACE NOTE (lead engineer): the dataclasses below are the contract between the designer
(this module: what the launch configuration is) and the writers that turn a :class:`Design`
into files (cfglint YAML, the plan, and the Salesforce deployable patch in
``cfglint/writers/salesforce_patch.py``). Add attributes with defaults if you must; do not
rename or remove.

How :func:`design` decides (docs/design.md says the same for users):

1. **Must-haves** M0 (C.1 constraint 1): every role's needed fields, the platform-required fields
   of every object a role works on (Name, StageName, CloseDate, ...: :data:`PLATFORM_REQUIRED`
   and Salesforce standard fields required on every save), the roles' record types, and every
   in-scope report or forecast (the roles file's reports and the forecasts).
2. **Closure** (constraint 2, problem P1 of C.2): S* = M0 ∪ descendants(M0) in the dependency
   graph (formula inputs, controlling picklists, lookup targets, value sets, record types'
   processes). Greedy closure is exact here: every closed superset of M0 contains S*.
3. **Requirements**: required at create only what some role knows at create *and* the input
   already required at create; required from the stage where the roles say it becomes known
   (never earlier than the input asked) as a :class:`StageGate`; nothing nobody asked for.
4. **Views**: one :class:`LaunchView` per role and object, its must-haves in the order of the
   role's current view, platform-required fields marked required, the stage-gated fields of
   its stage moves, and nothing else; assigned to the role's profiles for their record types.
5. **Nice-to-haves** (P3, a precedence-constrained knapsack): with usage data, fields the
   roles' current views show that are filled at least :data:`NICE_FILL_RATE` of the time,
   added while each role's create task stays within budget and its view within the clutter
   limit: exact with ``scipy.optimize.milp`` when scipy is installed, greedy otherwise.
6. **Phase 2**: every other element, with a C.4 reason code and MoSCoW label.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeVar

from cfglint.budget import DEFAULT_CALIBRATION, Calibration, FieldInput, field_ops, seconds_of
from cfglint.formulas import stage_gates
from cfglint.graph import DependencyGraph, NodeKind, build_graph
from cfglint.model import (
    AutomationKind,
    Behavior,
    CrmObject,
    Field,
    FieldType,
    ObjectPermission,
    Org,
    Pipeline,
    Profile,
    Role,
    ValidationRule,
    View,
    ViewAssignment,
    ViewItem,
    ViewKind,
    ViewSection,
)
from cfglint.rules._req_common import DEFAULT_STAGE_FIELDS, FORM_KINDS, RequirementIndex
from cfglint.tasks import STANDARD_FIELD_TYPES, role_view, tasks_for

if TYPE_CHECKING:
    from cfglint.readers.roles import RolesFile

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


# --- constants ----------------------------------------------------------------------------------

#: Fields the platform itself demands on a new record, by platform and object. Salesforce also
#: demands every standard field its project marks required (see :func:`platform_required`).
PLATFORM_REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "salesforce": {
        "Opportunity": ("Name", "StageName", "CloseDate"),
        "Account": ("Name",),
        # Layouts show the compound Name of a person (first and last name together).
        "Contact": ("Name",),
        "Lead": ("Name", "Company"),
        "Campaign": ("Name",),
        "Task": ("Subject",),
        "Event": ("Subject",),
    },
    "hubspot": {
        "deals": ("dealname", "dealstage"),
        "tickets": ("subject", "hs_pipeline_stage"),
    },
}

#: A field the roles' current views show is a nice-to-have when filled at least this often.
NICE_FILL_RATE = 0.5
#: Below these fill rates a deferred field is a "could" (C.4) and a "won't".
COULD_FILL_RATE = 0.2
WONT_FILL_RATE = 0.05
#: The clutter limit launch views keep to (VIEW004's default): share of editable fields that no
#: role of the view needs.
MAX_CLUTTER = 0.5
#: Most fields required at create per object (REQ001's default).
MAX_REQUIRED_AT_CREATE = 7
#: REQ003's default name patterns: a field named so is never kept required at create.
LATE_NAME_PATTERNS = (
    "loss_reason", "lost_reason", "contract_signed", "signed_date", "po_number",
    "payment_terms", "implementation", "renewal", "churn",
)
#: The tie-breaking build weight of one more element in the launch set (C.1's objective, w = 1,
#: scaled so that value always wins over it).
ELEMENT_WEIGHT = 1e-3

_T = TypeVar("_T")

SOLVERS = ("auto", "greedy", "milp")
CLOSURE, GREEDY, MILP = "closure", "greedy", "scipy-milp"

_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")


# --- the nice-to-have selection (methods.md C.2 P3) -----------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A precedence-constrained knapsack: choose a set of nodes closed under ``needs`` that
    maximises Σ value − Σ weight with, for every constraint, Σ cost ≤ capacity."""

    values: Mapping[str, float]
    weights: Mapping[str, float]
    needs: Mapping[str, tuple[str, ...]]
    costs: Mapping[str, Mapping[str, float]]
    capacities: Mapping[str, float]

    @property
    def nodes(self) -> list[str]:
        names = set(self.values) | set(self.weights) | set(self.needs)
        names.update(target for targets in self.needs.values() for target in targets)
        return sorted(names)

    def objective(self, chosen: Iterable[str]) -> float:
        picked = set(chosen)
        return sum(self.values.get(node, 0.0) - self.weights.get(node, 0.0) for node in picked)

    def feasible(self, chosen: Iterable[str]) -> bool:
        picked = set(chosen)
        if any(target not in picked for node in picked for target in self.needs.get(node, ())):
            return False
        return all(
            sum(costs.get(node, 0.0) for node in picked) <= self.capacities[name] + 1e-9
            for name, costs in self.costs.items()
        )

    def closure(self, node: str) -> set[str]:
        seen, stack = {node}, [node]
        while stack:
            for target in self.needs.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen


def milp_available() -> bool:
    try:
        from scipy.optimize import milp  # noqa: F401
    except ImportError:
        return False
    return True


def choose_solver(requested: str) -> str:
    """The solver that runs: ``milp`` needs scipy; ``auto`` takes it when it is there."""
    if requested not in SOLVERS:
        raise ValueError(f"unknown solver {requested!r} (one of {', '.join(SOLVERS)})")
    if requested == "greedy" or (requested == "auto" and not milp_available()):
        return GREEDY
    if not milp_available():
        raise ValueError("the milp solver needs scipy: pip install 'cfglint[solver]'")
    return MILP


def select(problem: Selection, solver: str) -> frozenset[str]:
    """Solve ``problem`` with ``solver`` (:data:`GREEDY` or :data:`MILP`)."""
    if not any(value > 0 for value in problem.values.values()):
        return frozenset()
    return select_milp(problem) if solver == MILP else select_greedy(problem)


def select_greedy(problem: Selection) -> frozenset[str]:
    """Greedy by value per unit of the budgets its whole closure uses (C.2's fallback)."""
    chosen: set[str] = set()

    def load(nodes: set[str]) -> float:
        return sum(
            costs.get(node, 0.0) / max(problem.capacities[name], 1e-9)
            for name, costs in problem.costs.items() for node in nodes
        )

    def rank(node: str) -> tuple[float, str]:
        closure = problem.closure(node)
        gain = problem.objective(closure)
        return (-gain / (load(closure) + 1e-6), node)

    for node in sorted((n for n, v in problem.values.items() if v > 0), key=rank):
        added = problem.closure(node) - chosen
        if problem.objective(added) > 0 and problem.feasible(chosen | added):
            chosen |= added
    return frozenset(chosen)


def select_milp(problem: Selection) -> frozenset[str]:
    """The exact optimum by HiGHS through ``scipy.optimize.milp``."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    nodes = problem.nodes
    position = {node: index for index, node in enumerate(nodes)}
    objective = np.array([
        -(problem.values.get(node, 0.0) - problem.weights.get(node, 0.0)) for node in nodes
    ])
    rows, lower, upper = [], [], []
    for node, targets in sorted(problem.needs.items()):
        for target in targets:  # x_node - x_target <= 0: a node needs what it depends on
            row = np.zeros(len(nodes))
            row[position[node]], row[position[target]] = 1.0, -1.0
            rows.append(row)
            lower.append(-np.inf)
            upper.append(0.0)
    for name, costs in sorted(problem.costs.items()):
        row = np.array([costs.get(node, 0.0) for node in nodes])
        rows.append(row)
        lower.append(-np.inf)
        upper.append(problem.capacities[name] + 1e-9)
    constraints = [LinearConstraint(np.array(rows), lower, upper)] if rows else []
    result = milp(objective, integrality=np.ones(len(nodes)), bounds=Bounds(0, 1),
                  constraints=constraints)
    if result.x is None:
        return frozenset()
    return frozenset(node for node in nodes if result.x[position[node]] > 0.5)


def brute_force(problem: Selection) -> float:
    """The best objective by enumeration (tests compare the solvers against it)."""
    nodes = problem.nodes
    best = 0.0
    for mask in range(1 << len(nodes)):
        chosen = [node for index, node in enumerate(nodes) if mask >> index & 1]
        if problem.feasible(chosen):
            best = max(best, problem.objective(chosen))
    return best


# --- public API ---------------------------------------------------------------------------------


def design(
    org: Org,
    roles: RolesFile | Mapping[str, Role],
    *,
    usage: Any = None,
    budget_seconds: float | None = None,
    calibration: Calibration | None = None,
    solver: str = "auto",
) -> Design:
    """The launch configuration of ``org`` for ``roles`` (a roles file or roles by id).

    ``org`` is not changed: a roles file's reports are applied to a copy. ``budget_seconds``
    replaces the create and stage-move budgets (the log-call budget stays the calibration's).
    """
    source = _with_roles(org, roles)
    scope = None if isinstance(roles, Mapping) else in_scope_reports(source, roles)
    calibration = with_budget(calibration or DEFAULT_CALIBRATION, budget_seconds)
    return _Designer(source, calibration, usage, choose_solver(solver), scope).run()


def _with_roles(org: Org, roles: RolesFile | Mapping[str, Role]) -> Org:
    source = copy.deepcopy(org)
    if isinstance(roles, Mapping):
        source.roles = {role_id: copy.deepcopy(role) for role_id, role in roles.items()}
        return source
    from cfglint.readers.roles import apply_roles

    apply_roles(source, roles)
    source.roles = copy.deepcopy(source.roles)
    return source


def with_budget(calibration: Calibration, budget_seconds: float | None) -> Calibration:
    """The calibration with the create and stage-move budgets replaced (``--budget``)."""
    if budget_seconds is None:
        return calibration
    constants = dict(calibration.constants)
    for name in ("budget.create", "budget.stage-move"):
        constants[name] = replace(constants[name], value=float(budget_seconds),
                                  source="--budget")
    return replace(calibration, constants=constants)


def platform_required(org: Org, object_name: str) -> list[str]:
    """The fields the platform demands on a new record of the object (see the table)."""
    names = list(PLATFORM_REQUIRED.get(org.platform, {}).get(object_name, ()))
    crm_object = org.objects.get(object_name)
    if org.platform == "salesforce" and crm_object is not None:
        index = RequirementIndex(org)
        names += [name for name in index.field_level_required(crm_object)
                  if not crm_object.fields[name].custom]
    return list(dict.fromkeys(names))


def in_scope_reports(org: Org, roles_file: RolesFile | None = None) -> list[str]:
    """Report ids the launch must serve: forecasts, and the reports a roles file names."""
    named = set(roles_file.reports) if roles_file is not None else set()
    return sorted(report_id for report_id, report in org.reports.items()
                  if report.is_forecast or report_id in named)


# --- the designer -------------------------------------------------------------------------------


@dataclass
class _Requirement:
    """What the launch demands of one field."""

    #: Roles whose launch view marks it required at create.
    at_create: set[str] = field(default_factory=set)
    from_stage: str | None = None
    platform: bool = False


@dataclass
class _Plan:
    """The decisions, before they become a launch :class:`Org`."""

    kept: set[str]
    requirements: dict[str, _Requirement]
    views: list[LaunchView] = field(default_factory=list)
    assignments: list[AssignmentChange] = field(default_factory=list)
    gates: list[StageGate] = field(default_factory=list)
    kept_rules: set[str] = field(default_factory=set)
    deactivations: list[RuleDeactivation] = field(default_factory=list)
    #: Nice-to-have candidates the budget left out: field id -> role ids.
    left_out: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _Designer:
    """One run of :func:`design` over a copy of the input with the roles applied."""

    def __init__(
        self, source: Org, calibration: Calibration, usage: Any, solver: str,
        scope: Iterable[str] | None = None,
    ) -> None:
        self.source = source
        self.calibration = calibration
        self.usage = usage
        self.solver = solver
        self.graph: DependencyGraph = build_graph(source)
        self.index = RequirementIndex(source)
        self.roles = [source.roles[role_id] for role_id in sorted(source.roles)]
        self.scope = sorted(scope) if scope is not None else in_scope_reports(source)
        self.spelling = {model_field.id.casefold(): model_field.id
                         for model_field in source.fields()}
        self.worked = {role.id: self._worked_objects(role) for role in self.roles}
        self._descendants: dict[str, set[str]] = {}

    # -- the run ---------------------------------------------------------------------------------

    def run(self) -> Design:
        must = self._must_haves()
        kept = self._close(must)
        plan = _Plan(kept=kept, requirements=self._requirements(kept))
        self._rules(plan)
        self._gates(plan)
        self._views(plan)
        launch = self._launch(plan)
        solver = CLOSURE
        if self.usage is not None:
            solver = self._nice_to_haves(plan, launch)
            launch = self._launch(plan)
        plan.notes.extend(self._budget_notes(launch))
        return Design(
            source=self.source, launch=launch, solver=solver,
            kept=sorted(plan.kept | self._kept_optional(plan)),
            required_changes=self._required_changes(plan),
            views=plan.views, assignments=plan.assignments, stage_gates=plan.gates,
            rule_deactivations=plan.deactivations, deferred=self._deferrals(plan, launch),
            notes=plan.notes,
        )

    # -- must-haves and closure (C.1, C.2 P1) ---------------------------------------------------

    def _worked_objects(self, role: Role) -> list[str]:
        from cfglint.rules._req_common import is_created_by_people

        names = [*role.objects, *(need.field.partition(".")[0] for need in role.needs)]
        return sorted(
            name for name in dict.fromkeys(names)
            if is_created_by_people(self.source.objects.get(name) or CrmObject(name=name))
        )

    def _field_id(self, field_id: str) -> str:
        return self.spelling.get(field_id.casefold(), field_id)

    def _must_haves(self) -> dict[str, str]:
        """M0: element id -> why it is a must-have, in a stable order."""
        must: dict[str, str] = {}
        for role in self.roles:
            for need in role.needs:
                must.setdefault(self._field_id(need.field), f"{role.id} needs it")
            for fields in role.must_update.values():
                for field_id in fields:
                    must.setdefault(self._field_id(field_id), f"{role.id} updates it")
            for object_name in self.worked[role.id]:
                for name in platform_required(self.source, object_name):
                    must.setdefault(f"{object_name}.{name}", "the platform requires it")
                for pipeline in self._pipelines(object_name):
                    must.setdefault(pipeline.id, f"{role.id} moves {object_name} through it")
            for record_type in self._role_record_types(role):
                must.setdefault(record_type, f"{role.id} creates records with it")
        for report_id in self.scope:
            must.setdefault(report_id, "an in-scope report or forecast")
        return must

    def _role_record_types(self, role: Role) -> list[str]:
        found = [*role.record_types.values()]
        for profile_id in role.profiles:
            profile = self.source.profiles.get(profile_id)
            if profile is None:
                continue
            found += [record_type for record_type in profile.record_types
                      if record_type.removeprefix("recordtype:").partition(".")[0]
                      in self.worked[role.id]]
        known = {record_type.id for record_type in self.source.record_types()}
        return [record_type for record_type in dict.fromkeys(found) if record_type in known]

    def _pipelines(self, object_name: str) -> list[Pipeline]:
        return list(self.index.pipelines.get(object_name, ()))

    def descendants(self, element_id: str) -> set[str]:
        cached = self._descendants.get(element_id)
        if cached is None:
            import networkx as nx

            graph = self.graph.graph
            cached = set(nx.descendants(graph, element_id)) if element_id in graph else set()
            self._descendants[element_id] = cached
        return cached

    def _close(self, elements: Iterable[str]) -> set[str]:
        """S* = M0 ∪ descendants(M0)."""
        kept = set(elements)
        for element_id in list(kept):
            kept |= self.descendants(element_id)
        return kept

    def declared(self, element_id: str) -> bool:
        graph = self.graph.graph
        return element_id in graph and bool(graph.nodes[element_id].get("declared"))

    def closed_in(self, element_id: str, kept: set[str]) -> bool:
        """Whether everything the element needs that the project defines is kept."""
        return all(self._present(node, kept) for node in self.descendants(element_id)
                   if self.declared(node))

    def _present(self, node: str, kept: set[str]) -> bool:
        """Kept, or a picklist value of a kept field (values come with their field)."""
        if node in kept:
            return True
        kind = self.graph.graph.nodes[node].get("kind")
        return kind == NodeKind.PICKLIST_VALUE.value and node.partition("=")[0] in kept

    # -- requirements -----------------------------------------------------------------------------

    def _requirements(self, kept: set[str]) -> dict[str, _Requirement]:
        """field id -> its launch requirement, for fields that are required at launch."""
        knows_at_create: dict[str, set[str]] = {}
        knows_from: dict[str, list[str]] = {}
        for role in self.roles:
            for need in role.needs:
                field_id = self._field_id(need.field)
                if need.from_stage is None or self._is_first_stage(field_id, need.from_stage):
                    knows_at_create.setdefault(field_id, set()).add(role.id)
                else:
                    knows_from.setdefault(field_id, []).append(need.from_stage)
        result: dict[str, _Requirement] = {}
        for object_name in sorted({self._object_of(node) for node in kept
                                   if self.graph.graph.nodes.get(node, {}).get("kind")
                                   == NodeKind.FIELD.value}):
            crm_object = self.source.objects.get(object_name) or CrmObject(name=object_name)
            result.update(self._object_requirements(crm_object, kept, knows_at_create,
                                                    knows_from))
        return result

    @staticmethod
    def _object_of(element_id: str) -> str:
        return element_id.partition(".")[0]

    def _object_requirements(
        self, crm_object: CrmObject, kept: set[str], knows_at_create: dict[str, set[str]],
        knows_from: dict[str, list[str]],
    ) -> dict[str, _Requirement]:
        name_of = crm_object.name
        at_create = self.index.required_at_create(crm_object)
        gates = self._input_gates(crm_object)
        platform = set(platform_required(self.source, name_of))
        working = {role.id for role in self.roles if name_of in self.worked[role.id]}
        result: dict[str, _Requirement] = {}
        names = sorted({*at_create, *gates, *platform,
                        *(f.partition(".")[2] for f in [*knows_at_create, *knows_from]
                          if f.startswith(name_of + "."))})
        for name in names:
            field_id = f"{name_of}.{name}"
            if field_id not in kept or not self.index.typed_by_person(crm_object, name):
                continue
            if name in platform:
                result[field_id] = _Requirement(set(working), None, platform=True)
                continue
            requirement = self._field_requirement(
                crm_object, name, name in at_create, gates.get(name),
                knows_at_create.get(field_id, set()), knows_from.get(field_id, []),
            )
            if requirement is not None:
                result[field_id] = requirement
        self._cap_required(crm_object, result)
        return result

    def _field_requirement(
        self, crm_object: CrmObject, name: str, required_at_create: bool,
        input_stage: str | None, create_roles: set[str], stages: list[str],
    ) -> _Requirement | None:
        if not required_at_create and input_stage is None:
            return None  # nobody asked for a requirement: never add one
        if create_roles:
            if required_at_create and not _late_name(name):
                return _Requirement(set(create_roles))
            return _Requirement(from_stage=input_stage) if input_stage else None
        if not stages:
            return None  # no role needs it: optional at launch
        order = self._stage_order(crm_object.name)
        stage = min(stages, key=lambda item: (order.get(item.casefold(), len(order)), item))
        if input_stage is not None and (
            order.get(input_stage.casefold(), len(order)) > order.get(stage.casefold(), -1)
        ):
            stage = input_stage  # never require it earlier than the input did
        if not self._gateable(crm_object, name):
            return None
        return _Requirement(from_stage=stage)

    def _gateable(self, crm_object: CrmObject, name: str) -> bool:
        """A Salesforce checkbox is never blank, so no rule can require it."""
        model_field = crm_object.fields.get(name)
        return not (self.source.platform == "salesforce" and model_field is not None
                    and model_field.type is FieldType.CHECKBOX)

    def _cap_required(self, crm_object: CrmObject, result: dict[str, _Requirement]) -> None:
        """Keep each role's required-at-create fields within REQ001's limit: the platform's
        first, then the role's needs in the order written."""
        platform = sum(1 for item in result.values() if item.platform)
        for role in self.roles:
            own = [field_id for field_id, item in result.items()
                   if not item.platform and role.id in item.at_create]
            room = max(0, MAX_REQUIRED_AT_CREATE - platform)
            for field_id in own[room:]:
                result[field_id].at_create.discard(role.id)

    def _input_gates(self, crm_object: CrmObject) -> dict[str, str]:
        """Field name -> the earliest stage the input requires it from."""
        order = self._stage_order(crm_object.name)
        found: dict[str, str] = {}
        pairs = [(gate.field, gate.stage) for gate in self.index.gates(crm_object)]
        stage_field = self._stage_field(crm_object.name)
        for rule in crm_object.validation_rules.values():
            if rule.active and stage_field:
                pairs += [(field_id.partition(".")[2], stage) for stage, field_id in
                          stage_gates(rule.formula, crm_object.name, stage_field)]
        for name, stage in pairs:
            if stage is None:
                continue
            known = found.get(name)
            if known is None or order.get(stage.casefold(), len(order)) < order.get(
                known.casefold(), len(order)
            ):
                found[name] = stage
        return found

    def _pipeline(self, object_name: str) -> Pipeline | None:
        pipelines = self._pipelines(object_name)
        defaults = [pipeline for pipeline in pipelines if pipeline.is_default]
        chosen = defaults or pipelines
        return chosen[0] if chosen else None

    def _is_first_stage(self, field_id: str, stage: str) -> bool:
        """Records start in their pipeline's first stage, so a field known from there is known
        at create; gating it there would require it at create of every role."""
        return self._stage_order(self._object_of(field_id)).get(stage.casefold()) == 0

    def _stage_order(self, object_name: str) -> dict[str, int]:
        pipeline = self._pipeline(object_name)
        stages = pipeline.stages if pipeline else []
        return {stage.name.casefold(): index for index, stage in enumerate(stages)}

    def _stage_field(self, object_name: str) -> str | None:
        pipeline = self._pipeline(object_name)
        if pipeline is not None and pipeline.stage_field:
            return pipeline.stage_field
        return DEFAULT_STAGE_FIELDS.get(object_name)

    # -- validation rules and stage gates ------------------------------------------------------

    def _rules(self, plan: _Plan) -> None:
        """Keep the rules the launch can keep; switch off requirements it defers."""
        for crm_object in self._kept_objects(plan):
            stage_field = self._stage_field(crm_object.name) or ""
            for key in sorted(crm_object.validation_rules):
                rule = crm_object.validation_rules[key]
                if not rule.active:
                    continue
                gated = stage_gates(rule.formula, crm_object.name, stage_field) \
                    if stage_field else []
                requirement = bool(gated) or bool(_BLANK_TEST.search(rule.formula))
                closed = self.closed_in(rule.id, plan.kept)
                if closed and (not requirement or self._reproduces(plan, crm_object, gated)):
                    plan.kept_rules.add(rule.id)
                elif requirement:
                    why = ("it reads fields deferred to phase 2" if not closed else
                           "the launch requires its fields at other stages, or not at all")
                    plan.deactivations.append(RuleDeactivation(rule.id, why))

    def _reproduces(self, plan: _Plan, crm_object: CrmObject,
                    gated: list[tuple[str, str]]) -> bool:
        """Whether a stage-gate rule demands exactly what the launch requires: each field it
        checks is required from the first stage it names."""
        if not gated:
            return False
        order = self._stage_order(crm_object.name)
        first: dict[str, str] = {}
        for stage, field_id in gated:
            known = first.get(field_id)
            if known is None or order.get(stage.casefold(), len(order)) < order.get(
                known.casefold(), len(order)
            ):
                first[field_id] = stage
        for field_id, stage in first.items():
            requirement = plan.requirements.get(self._field_id(field_id))
            if requirement is None or requirement.from_stage is None or (
                requirement.from_stage.casefold() != stage.casefold()
            ):
                return False
        return True

    def _rule_gated(self, plan: _Plan) -> set[str]:
        """Field ids a kept rule already requires at their launch stage."""
        covered: set[str] = set()
        for rule_id in plan.kept_rules:
            object_name = rule_id.removeprefix("validation:").partition(".")[0]
            rule = self.source.objects[object_name].validation_rules[
                rule_id.removeprefix(f"validation:{object_name}.")]
            stage_field = self._stage_field(object_name) or ""
            if stage_field:
                covered.update(self._field_id(field_id) for _, field_id in
                               stage_gates(rule.formula, object_name, stage_field))
        return covered

    def _gates(self, plan: _Plan) -> None:
        covered = self._rule_gated(plan)
        as_rules = self.source.platform == "salesforce" and (
            self.source.source_format != "cfglint-yaml")
        taken: set[str] = {rule.casefold() for crm_object in self.source.objects.values()
                           for rule in crm_object.validation_rules}
        for field_id in sorted(plan.requirements):
            requirement = plan.requirements[field_id]
            if requirement.from_stage is None or field_id in covered:
                continue
            gate = self._gate(field_id, requirement.from_stage, as_rules, taken)
            if gate is not None:
                plan.gates.append(gate)

    def _gate(self, field_id: str, stage: str, as_rule: bool, taken: set[str]) -> StageGate | None:
        object_name, _, name = field_id.partition(".")
        pipeline = self._pipeline(object_name)
        stage_field = self._stage_field(object_name)
        if pipeline is None or stage_field is None:
            return None
        stages = _gated_stages(pipeline, stage)
        model_field = self.source.field(field_id)
        label = (model_field.label if model_field else None) or name
        message = f"{label} is required from the {stage} stage on."
        if not as_rule:
            return StageGate("", object_name, field_id, stage_field, stages, "", message)
        rule_name = _rule_name(name, stage, taken)
        formula = _gate_formula(stage_field, stages, name, model_field)
        return StageGate(rule_name, object_name, field_id, stage_field, stages, formula, message)

    # -- views -------------------------------------------------------------------------------------

    def _views(self, plan: _Plan) -> None:
        holders: set[tuple[str, str]] = set()
        names: set[str] = set()
        for role in self.roles:
            for object_name in self.worked[role.id]:
                view = self._launch_view(plan, role, object_name, names)
                plan.views.append(view)
                plan.assignments.extend(self._assign(role, object_name, view, holders))

    def _wanted(self, plan: _Plan, role: Role, object_name: str) -> list[str]:
        """Field names for the role's view: needs, must-updates, the platform's, the stage
        gates of its stage moves."""
        prefix = object_name + "."
        ids = [self._field_id(need.field) for need in role.needs]
        ids += [self._field_id(f) for fields in role.must_update.values() for f in fields]
        ids += [f"{object_name}.{name}" for name in platform_required(self.source, object_name)]
        if _moves_stages(role) and self._pipeline(object_name) is not None:
            ids += sorted(field_id for field_id, item in plan.requirements.items()
                          if item.from_stage is not None)
        return [field_id[len(prefix):] for field_id in dict.fromkeys(ids)
                if field_id.startswith(prefix) and field_id in plan.kept]

    def _launch_view(self, plan: _Plan, role: Role, object_name: str,
                     names: set[str]) -> LaunchView:
        current = role_view(self.source, role, object_name)
        wanted = self._wanted(plan, role, object_name)
        kind = ViewKind.LAYOUT if self.source.platform == "salesforce" else ViewKind.RECORD_VIEW
        label = _NOT_NAME.sub(" ", role.label or role.name).strip() or role.name
        name = _launch_view_name(kind, object_name, label, names)
        items = {field_name: LaunchViewItem(field_name, self._behavior(plan, role, object_name,
                                                                       field_name))
                 for field_name in wanted}
        return LaunchView(f"{kind.value}:{name}", name, object_name, role.id,
                          current.id if current else None, _sections(current, items))

    def _behavior(self, plan: _Plan, role: Role, object_name: str, name: str) -> Behavior:
        requirement = plan.requirements.get(f"{object_name}.{name}")
        if requirement is not None and (requirement.platform or role.id in requirement.at_create):
            return Behavior.REQUIRED
        model_field = self.source.field(f"{object_name}.{name}")
        if model_field is not None and (model_field.system or model_field.type in (
                FieldType.FORMULA, FieldType.AUTONUMBER)):
            return Behavior.READONLY
        return Behavior.EDIT

    def _assign(self, role: Role, object_name: str, view: LaunchView,
                holders: set[tuple[str, str]]) -> list[AssignmentChange]:
        changes = []
        for profile_id in role.profiles:
            if profile_id.partition(":")[0] not in ("profile", "team") or (
                    (profile_id, object_name) in holders):
                continue
            holders.add((profile_id, object_name))
            previous = self._current_assignments(profile_id, object_name)
            record_types = sorted(previous, key=lambda item: item or "") or [None]
            wanted = role.record_types.get(object_name)
            if wanted and wanted not in record_types:
                record_types.append(wanted)
            changes += [AssignmentChange(profile_id, record_type, view.view_id,
                                         previous.get(record_type))
                        for record_type in record_types]
        return changes

    def _current_assignments(self, profile_id: str, object_name: str) -> dict[str | None, str]:
        from cfglint.rules._view_common import view_object

        found: dict[str | None, str] = {}
        for assignment in sorted(self.source.view_assignments, key=_assignment_key):
            if assignment.profile_id == profile_id and view_object(
                    self.source, assignment.view_id) == object_name:
                view = self.source.views.get(assignment.view_id)
                if view is None or view.kind in FORM_KINDS:
                    found.setdefault(assignment.record_type, assignment.view_id)
        return found

    # -- the launch org ------------------------------------------------------------------------

    def _kept_objects(self, plan: _Plan) -> list[CrmObject]:
        return [self.source.objects[name] for name in sorted(self.source.objects)
                if name in plan.kept]

    def _keeps(self, plan: _Plan, element_id: str) -> bool:
        return self.closed_in(element_id, plan.kept)

    def _kept_optional(self, plan: _Plan) -> set[str]:
        """Ids of the input's elements kept besides S*: rules, automations, reports, ..."""
        source = self.source
        kept = set(plan.kept_rules)
        kept |= {automation_id for automation_id, automation in source.automations.items()
                 if self._keeps_automation(plan, automation_id, automation)}
        kept |= {report_id for report_id in source.reports if self._keeps(plan, report_id)}
        for crm_object in self._kept_objects(plan):
            ids = [*(item.id for item in crm_object.list_views.values()),
                   *(item.id for item in crm_object.field_sets.values())]
            kept |= {element_id for element_id in ids if self._keeps(plan, element_id)}
        kept |= {rule_id for rule_id in chain(source.matching_rules, source.duplicate_rules)
                 if self._object_of(rule_id.partition(":")[2]) in plan.kept
                 and self._keeps(plan, rule_id)}
        kept |= {action_id for action_id, action in source.quick_actions.items()
                 if (action.object_name is None or action.object_name in plan.kept)
                 and self._keeps(plan, action_id)}
        kept |= {view_id for view_id, view in source.views.items()
                 if view.kind is ViewKind.COMPACT_LAYOUT and view.object_name in plan.kept
                 and self._keeps(plan, view_id)}
        kept |= {profile_id for role in self.roles for profile_id in role.profiles
                 if profile_id in source.profiles}
        kept |= set(source.integrations)
        return kept

    def _keeps_automation(self, plan: _Plan, automation_id: str, automation: Any) -> bool:
        if not automation.active or automation.kind in LEGACY_KINDS:
            return False
        if automation.object_name is not None and automation.object_name not in plan.kept:
            return False
        return self._keeps(plan, automation_id)

    def _launch(self, plan: _Plan) -> Org:
        source = self.source
        kept = self._kept_optional(plan)
        launch = Org(platform=source.platform, source_format="cfglint-yaml",
                     root=source.root, name=source.name)
        gates = {gate.field_id: gate for gate in plan.gates}
        for crm_object in self._kept_objects(plan):
            launch.objects[crm_object.name] = self._launch_object(plan, crm_object, kept, gates)
        for view in plan.views:
            launch.views[view.view_id] = _model_view(view)
        for view_id in sorted(kept):
            if view_id in source.views:
                launch.views[view_id] = copy.deepcopy(source.views[view_id])
        launch.view_assignments = sorted(
            (ViewAssignment(change.view_id, change.profile_id, change.record_type)
             for change in plan.assignments), key=_assignment_key)
        for pipeline_id in sorted(plan.kept):
            if pipeline_id in source.pipelines:
                launch.pipelines[pipeline_id] = self._launch_pipeline(
                    source.pipelines[pipeline_id], plan, gates)
        for value_set_id, value_set in sorted(source.value_sets.items()):
            if value_set_id in plan.kept:
                launch.value_sets[value_set_id] = copy.deepcopy(value_set)
        launch.automations = _copied(source.automations, kept)
        launch.reports = _copied(source.reports, kept)
        launch.matching_rules = _copied(source.matching_rules, kept)
        launch.duplicate_rules = _copied(source.duplicate_rules, kept)
        launch.quick_actions = _copied(source.quick_actions, kept)
        launch.integrations = _copied(source.integrations, kept)
        for profile_id in sorted(kept):
            if profile_id in source.profiles:
                launch.profiles[profile_id] = self._launch_profile(
                    source.profiles[profile_id], plan, launch)
        launch.roles = {role.id: copy.deepcopy(role) for role in self.roles}
        return launch

    def _launch_object(self, plan: _Plan, crm_object: CrmObject, kept: set[str],
                       gates: dict[str, StageGate]) -> CrmObject:
        copied = CrmObject(
            name=crm_object.name, label=crm_object.label, plural_label=crm_object.plural_label,
            custom=crm_object.custom, description=crm_object.description,
            declared=crm_object.declared,
        )
        for name, model_field in crm_object.fields.items():
            if model_field.id in plan.kept:
                copied.fields[name] = self._launch_field(plan, model_field, gates)
        for name, record_type in crm_object.record_types.items():
            if record_type.id in plan.kept:
                copied.record_types[name] = copy.deepcopy(record_type)
        for name, rule in crm_object.validation_rules.items():
            if rule.id in kept:
                copied.validation_rules[name] = copy.deepcopy(rule)
        for gate in gates.values():
            if gate.object_name == crm_object.name and gate.rule_name:
                copied.validation_rules[gate.rule_name] = _gate_rule(gate)
        for name, list_view in crm_object.list_views.items():
            if list_view.id in kept:
                copied.list_views[name] = copy.deepcopy(list_view)
        for name, field_set in crm_object.field_sets.items():
            if field_set.id in kept:
                copied.field_sets[name] = copy.deepcopy(field_set)
        return copied

    def _launch_field(self, plan: _Plan, model_field: Field,
                      gates: dict[str, StageGate]) -> Field:
        copied = copy.deepcopy(model_field)
        requirement = plan.requirements.get(model_field.id)
        # Only the platform's own fields stay required on every save; the rest is required on
        # the views of the roles that know it at create (a layout requirement).
        copied.required = model_field.required and requirement is not None and (
            requirement.platform)
        gate = gates.get(model_field.id)
        copied.required_at_stage = gate.stages[0] if gate is not None and not gate.rule_name \
            else None
        return copied

    def _launch_pipeline(self, pipeline: Pipeline, plan: _Plan,
                         gates: dict[str, StageGate]) -> Pipeline:
        copied = copy.deepcopy(pipeline)
        for stage in copied.stages:
            stage.required_fields = [
                gate.field_id.partition(".")[2] for field_id, gate in sorted(gates.items())
                if not gate.rule_name and gate.object_name == pipeline.object_name
                and gate.stages[0] == stage.name
            ]
        return copied

    def _launch_profile(self, profile: Profile, plan: _Plan, launch: Org) -> Profile:
        """The profile with permissions on the launch's objects and fields only; create and
        edit only on the objects its roles work on (so that each such object has its view)."""
        copied = copy.deepcopy(profile)
        worked = {name for role in self.roles if profile.id in role.profiles
                  for name in self.worked[role.id]}
        copied.object_permissions = [
            permission if permission.object_name in worked else ObjectPermission(
                permission.object_name, read=permission.read)
            for permission in profile.object_permissions if permission.object_name in plan.kept
        ]
        copied.field_permissions = [
            replace(permission, editable=permission.editable
                    and self._object_of(permission.field) in worked)
            for permission in profile.field_permissions if permission.field in plan.kept
        ]
        record_types = {record_type.id for record_type in launch.record_types()}
        copied.record_types = [item for item in profile.record_types if item in record_types]
        copied.members = [member for member in profile.members if member in self.source.profiles
                          and any(member in role.profiles for role in self.roles)]
        return copied

    # -- nice-to-haves (C.2 P3) ----------------------------------------------------------------

    def _nice_to_haves(self, plan: _Plan, launch: Org) -> str:
        """Add the well-filled fields of the roles' current views while budgets allow."""
        problem, slots = self._selection(plan, launch)
        if not slots:
            return CLOSURE
        chosen = select(problem, self.solver)
        by_view = {view.view_id: view for view in plan.views}
        for slot in sorted(slots):
            view_id, field_id = slots[slot]
            if slot not in chosen:
                plan.left_out.setdefault(field_id, set()).add(by_view[view_id].role_id)
                continue
            view = by_view[view_id]
            name = field_id.partition(".")[2]
            extra = ("Nice to have", (LaunchViewItem(name, Behavior.EDIT),))
            by_view[view_id] = replace(view, sections=(*view.sections, extra)) if not any(
                label == "Nice to have" for label, _ in view.sections) else replace(
                view, sections=tuple(
                    (label, (*items, LaunchViewItem(name, Behavior.EDIT)))
                    if label == "Nice to have" else (label, items)
                    for label, items in view.sections))
            plan.kept |= self._close([field_id])
        plan.views = [by_view[view.view_id] for view in plan.views]
        return self.solver

    def _selection(self, plan: _Plan, launch: Org) -> tuple[Selection, dict[str, tuple[str, str]]]:
        values: dict[str, float] = {}
        weights: dict[str, float] = {}
        needs: dict[str, tuple[str, ...]] = {}
        costs: dict[str, dict[str, float]] = {}
        capacities: dict[str, float] = {}
        slots: dict[str, tuple[str, str]] = {}
        create = self._create_seconds(launch)
        for view in plan.views:
            role = self.source.roles[view.role_id]
            candidates = self._candidates(view, role)
            if not candidates:
                continue
            clutter, time = f"clutter:{view.view_id}", f"time:{view.view_id}"
            capacities[clutter] = self._clutter_room(view, role)
            costs[clutter] = {}
            if (view.role_id, view.object_name) in create:
                capacities[time] = self.calibration.budget_for("create") - create[
                    (view.role_id, view.object_name)]
                costs[time] = {}
            for field_id, fill in candidates:
                slot = f"slot:{view.view_id}:{field_id}"
                slots[slot] = (view.view_id, field_id)
                values[slot] = fill
                costs[clutter][slot] = 1.0
                if time in costs:
                    costs[time][slot] = fill * self._field_seconds(field_id)
                pool = {field_id, *self.descendants(field_id)} - plan.kept
                needs[slot] = tuple(sorted(pool & {field_id})) or ()
                for node in pool:
                    weights[node] = ELEMENT_WEIGHT
                    needs[node] = tuple(sorted(self.descendants(node) - plan.kept))
        return Selection(values, weights, needs, costs, capacities), slots

    def _candidates(self, view: LaunchView, role: Role) -> list[tuple[str, float]]:
        current = self.source.views.get(view.based_on or "")
        if current is None:
            return []
        shown = {item.field for _, items in view.sections for item in items}
        crm_object = self.source.objects.get(view.object_name) or CrmObject(view.object_name)
        found: list[tuple[str, float]] = []
        for item in current.items():
            field_id = self._field_id(f"{view.object_name}.{item.field}")
            if item.field in shown or "." in item.field or not self.index.typed_by_person(
                    crm_object, item.field):
                continue
            fill = _fill_rate(self.usage, field_id)
            if fill is not None and fill >= NICE_FILL_RATE:
                found.append((field_id, fill))
        return list(dict.fromkeys(found))

    def _clutter_room(self, view: LaunchView, role: Role) -> float:
        needed = {need.field.casefold() for need in role.needs}
        editable = [item.field for _, items in view.sections for item in items
                    if item.behavior is not Behavior.READONLY]
        unneeded = sum(1 for name in editable
                       if f"{view.object_name}.{name}".casefold() not in needed)
        room = (MAX_CLUTTER * len(editable) - unneeded) / (1 - MAX_CLUTTER)
        return float(max(0, int(room + 1e-9)))

    def _create_seconds(self, launch: Org) -> dict[tuple[str, str], float]:
        from cfglint.budget import estimate

        return {
            (task.role_id, task.object_name): estimate(task, self.calibration, org=launch).total
            for task in tasks_for(launch, launch.roles) if task.kind == "create"
        }

    def _field_seconds(self, field_id: str) -> float:
        model_field = self.source.field(field_id)
        name = field_id.partition(".")[2]
        field_type = model_field.type if model_field is not None and (
            model_field.type is not FieldType.OTHER) else STANDARD_FIELD_TYPES.get(
                name, FieldType.TEXT)
        size = len(model_field.picklist_values) if model_field is not None else None
        median = _median_length(self.usage, field_id)
        item = FieldInput(field_id, field_type, median, size or None)
        return seconds_of(field_ops(item, self.calibration), self.calibration)

    # -- budget check (C.2: must-haves over budget are reported, not changed) -------------------

    def _budget_notes(self, launch: Org) -> list[str]:
        from cfglint.budget import org_budget

        budget = org_budget(launch, None, calibration=self.calibration, usage=self.usage)
        notes = []
        for result in budget.estimates:
            if result.total <= result.budget:
                continue
            fields = ", ".join(f"{cost.field_id} {cost.expected_seconds:.1f} s"
                               for cost in result.costliest(len(result.fields)))
            notes.append(
                f"{result.role_id} {result.task} on {result.object_name} needs "
                f"{result.total:.0f} s with its must-haves alone (budget {result.budget:g} s): "
                f"{fields or 'no fields'}; move a requirement to a later stage, use a cheaper "
                "type (a picklist rather than text) or automate a field"
            )
        return notes

    # -- what changes, and phase 2 ---------------------------------------------------------------

    def _required_changes(self, plan: _Plan) -> list[RequiredChange]:
        changes = []
        for crm_object in sorted(self.source.objects.values(), key=lambda item: item.name):
            at_create = self.index.required_at_create(crm_object)
            gates = self._input_gates(crm_object)
            for name in sorted({*at_create, *gates}):
                field_id = f"{crm_object.name}.{name}"
                before = name in at_create
                requirement = plan.requirements.get(field_id)
                now = bool(requirement and (requirement.platform or requirement.at_create))
                stage = requirement.from_stage if requirement else None
                if (before, gates.get(name)) == (now, stage) and before == now:
                    continue
                changes.append(RequiredChange(field_id, before, now, stage,
                                              self._change_reason(plan, field_id, requirement)))
        return changes

    def _change_reason(self, plan: _Plan, field_id: str,
                       requirement: _Requirement | None) -> str:
        if field_id not in plan.kept:
            return "deferred to phase 2: no role needs it at launch"
        if requirement is None:
            return "no role needs it at create or from a stage: optional at launch"
        if requirement.from_stage is not None:
            return f"known from stage {requirement.from_stage}: required from there on"
        roles = ", ".join(sorted(requirement.at_create))
        return f"required on the launch views of the roles that know it at create ({roles})"

    def _deferrals(self, plan: _Plan, launch: Org) -> list[Deferral]:
        kept = plan.kept | self._kept_optional(plan)
        duplicates = self._duplicates()
        deferred: list[Deferral] = []
        source = self.source
        for name in sorted(source.objects):
            if name not in kept and source.objects[name].declared:
                deferred.append(Deferral(name, "object", NOT_REQUIRED_BY_ROLE,
                                         "no role works on it and nothing kept needs it",
                                         "could"))
        for model_field in sorted(source.fields(), key=lambda item: item.id):
            if model_field.custom and model_field.id not in kept:
                deferred.append(self._field_deferral(plan, model_field, duplicates))
        for view_id in sorted(source.views):
            if view_id not in launch.views:
                deferred.append(self._view_deferral(view_id))
        deactivated = {item.rule_id: item.reason for item in plan.deactivations}
        for rule in sorted(source.validation_rules(), key=lambda item: item.id):
            if rule.id not in kept:
                deferred.append(_rule_deferral(rule, deactivated.get(rule.id)))
        for automation_id in sorted(source.automations):
            if automation_id not in kept:
                deferred.append(_automation_deferral(source.automations[automation_id]))
        others = [
            ("report", sorted(source.reports)),
            ("record type", sorted(item.id for item in source.record_types())),
            ("list view", sorted(item.id for item in source.list_views())),
            ("field set", sorted(fs.id for o in source.objects.values()
                                 for fs in o.field_sets.values())),
            ("quick action", sorted(source.quick_actions)),
            ("duplicate rule", sorted(source.duplicate_rules)),
            ("matching rule", sorted(source.matching_rules)),
            ("pipeline", sorted(source.pipelines)),
            ("value set", sorted(source.value_sets)),
        ]
        for kind, ids in others:
            for element_id in ids:
                if element_id not in kept:
                    deferred.append(self._other_deferral(kind, element_id, kept))
        return deferred

    def _duplicates(self) -> dict[str, str]:
        """Field id -> the field DEBT006 says it nearly duplicates."""
        from cfglint.rules import debt_near_duplicate_field as rule

        options = {"noise-words": rule.OPTIONS["noise-words"]["default"]}
        found: dict[str, str] = {}
        for problem in rule.check(self.source, self.graph, options):
            original = problem.data["original"]
            for field_id in problem.data["duplicates"]:
                found[field_id] = original
        return found

    def _field_deferral(self, plan: _Plan, model_field: Field,
                        duplicates: dict[str, str]) -> Deferral:
        field_id = model_field.id
        fill = _fill_rate(self.usage, field_id)
        if field_id in duplicates:
            return Deferral(field_id, "field", DUPLICATE,
                            f"near duplicate of {duplicates[field_id]} (DEBT006)", "wont")
        if fill is not None and fill < COULD_FILL_RATE:
            moscow = "wont" if fill < WONT_FILL_RATE else "could"
            return Deferral(field_id, "field", LOW_FILL, f"fill rate {fill:.0%}", moscow)
        if field_id in plan.left_out:
            roles = ", ".join(sorted(plan.left_out[field_id]))
            return Deferral(field_id, "field", BUDGET,
                            f"nice to have for {roles}, left out to keep within budget",
                            "should")
        dependents = [node for node in self.graph.graph.predecessors(field_id)
                      if self.graph.graph.nodes[node].get("kind") not in _PASSIVE_KINDS]
        reports = [node for node in dependents if node.startswith("report:")]
        if reports and len(reports) == len(dependents):
            return Deferral(field_id, "field", NOT_IN_REPORT_CLOSURE,
                            f"only feeds reports outside the launch: {', '.join(reports)}",
                            "could")
        if not dependents:
            return Deferral(field_id, "field", DEAD,
                            "no role needs it and nothing reads it", "wont")
        if model_field.type is FieldType.FORMULA or any(
                node.partition(":")[0] in ("flow", "workflow", "process-builder", "trigger")
                for node in dependents if field_id in self._writes(node)):
            return Deferral(field_id, "field", AUTOMATABLE,
                            "set by a formula or an automation, not typed", "could")
        return Deferral(field_id, "field", NOT_REQUIRED_BY_ROLE,
                        "no role needs it and no in-scope report reads it", "could")

    def _writes(self, automation_id: str) -> list[str]:
        automation = self.source.automations.get(automation_id)
        return list(automation.writes) if automation is not None else []

    def _view_deferral(self, view_id: str) -> Deferral:
        assigned = self.source.assignments_for_view(view_id)
        if not assigned:
            return Deferral(view_id, "view", DEAD, "assigned to no one", "wont")
        return Deferral(view_id, "view", NOT_REQUIRED_BY_ROLE,
                        "replaced by the roles' launch views", "wont")

    def _other_deferral(self, kind: str, element_id: str, kept: set[str]) -> Deferral:
        missing = sorted(node for node in self.descendants(element_id)
                         if self.declared(node) and not self._present(node, kept))
        if missing:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more"
                                               if len(missing) > 3 else "")
            return Deferral(element_id, kind, DEPENDS_ON_DEFERRED,
                            f"needs deferred elements: {shown}", "could")
        return Deferral(element_id, kind, NOT_REQUIRED_BY_ROLE,
                        "no role or in-scope report needs it", "could")


# --- helpers ------------------------------------------------------------------------------------

LEGACY_KINDS = (AutomationKind.WORKFLOW_RULE, AutomationKind.PROCESS_BUILDER)
#: Node kinds whose reference to a field does not make the field live: showing a field on a
#: view, granting access to it, or a role listing it.
_PASSIVE_KINDS = frozenset({NodeKind.VIEW.value, NodeKind.PROFILE.value, NodeKind.ROLE.value,
                            NodeKind.LIST_VIEW.value, NodeKind.OBJECT.value})
_BLANK_TEST = re.compile(r"\b(?:ISBLANK|ISNULL)\s*\(", re.IGNORECASE)


def _copied(elements: Mapping[str, _T], kept: set[str]) -> dict[str, _T]:
    """Copies of the kept elements, by id in sorted order."""
    return {key: copy.deepcopy(elements[key]) for key in sorted(elements) if key in kept}


def _assignment_key(assignment: ViewAssignment) -> tuple[str, str, str]:
    return (assignment.view_id, assignment.profile_id, assignment.record_type or "")


def _late_name(name: str) -> bool:
    folded = name.casefold()
    return any(pattern in folded for pattern in LATE_NAME_PATTERNS)


def _moves_stages(role: Role) -> bool:
    return not role.tasks or "stage-move" in role.tasks


def _fill_rate(usage: Any, field_id: str) -> float | None:
    from cfglint.budget import field_usage

    return field_usage(usage, field_id).fill_rate


def _median_length(usage: Any, field_id: str) -> float | None:
    from cfglint.budget import field_usage

    return field_usage(usage, field_id).median_length


def _gated_stages(pipeline: Pipeline, stage: str) -> tuple[str, ...]:
    """The stage and the open stages after it; a closed stage alone."""
    names = [item.name for item in pipeline.stages]
    if stage not in names:
        return (stage,)
    start = names.index(stage)
    first = pipeline.stages[start]
    if first.closed:
        return (stage,)
    later = [item.name for item in pipeline.stages[start + 1:] if not item.closed and item.active]
    return (stage, *later)


def _rule_name(field_name: str, stage: str, taken: set[str]) -> str:
    """A validation rule API name: letters, digits and single underscores, at most 40."""
    base = re.sub(r"_+", "_", _NOT_NAME.sub("_", f"Require_{field_name.removesuffix('__c')}"
                                            f"_from_{stage}")).strip("_")[:40].rstrip("_")
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f"_{number}"
        name = base[:40 - len(suffix)].rstrip("_") + suffix
    taken.add(name.casefold())
    return name


def _blank_test(name: str, model_field: Field | None) -> str:
    if (model_field is not None and model_field.type is FieldType.PICKLIST) or (
            model_field is None and STANDARD_FIELD_TYPES.get(name) is FieldType.PICKLIST):
        return f"ISBLANK(TEXT({name}))"
    return f"ISBLANK({name})"


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _gate_formula(stage_field: str, stages: tuple[str, ...], name: str,
                  model_field: Field | None) -> str:
    tests = [f"ISPICKVAL({stage_field}, {_quoted(stage)})" for stage in stages]
    stage_test = tests[0] if len(tests) == 1 else "OR(\n        " + ",\n        ".join(
        tests) + "\n    )"
    return f"AND(\n    {stage_test},\n    {_blank_test(name, model_field)}\n)"


def _gate_rule(gate: StageGate) -> ValidationRule:
    name = gate.field_id.partition(".")[2]
    return ValidationRule(
        object_name=gate.object_name, name=gate.rule_name, formula=gate.formula,
        error_field=name, error_message=gate.error_message,
        description=f"cfglint design: {name} is known from {gate.stages[0]} on.",
    )


def _launch_view_name(kind: ViewKind, object_name: str, label: str, taken: set[str]) -> str:
    suffix = "Launch Layout" if kind is ViewKind.LAYOUT else "launch view"
    joiner = "-" if kind is ViewKind.LAYOUT else "."
    base = f"{object_name}{joiner}{label} {suffix}"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base} {number}"
    taken.add(name)
    return name


def _sections(
    current: View | None, items: dict[str, LaunchViewItem]
) -> tuple[tuple[str, tuple[LaunchViewItem, ...]], ...]:
    """The current view's sections with the kept items in its order, then what it lacked."""
    placed: set[str] = set()
    sections: list[tuple[str, tuple[LaunchViewItem, ...]]] = []
    for section in current.sections if current else []:
        kept = []
        for item in section.items:
            if item.field in items and item.field not in placed:
                placed.add(item.field)
                kept.append(items[item.field])
        if kept:
            sections.append((section.label or "Details", tuple(kept)))
    rest = tuple(item for name, item in items.items() if name not in placed)
    if rest:
        sections.append(("Added for launch" if sections else "Details", rest))
    return tuple(sections)


def _model_view(view: LaunchView) -> View:
    kind = ViewKind(view.view_id.partition(":")[0])
    return View(
        kind=kind, name=view.name, object_name=view.object_name,
        label=view.name.partition("-" if kind is ViewKind.LAYOUT else ".")[2],
        sections=[ViewSection(label, [ViewItem(item.field, item.behavior) for item in items])
                  for label, items in view.sections],
        description=f"cfglint design: the launch view of {view.role_id}",
    )


def _rule_deferral(rule: ValidationRule, deactivation: str | None) -> Deferral:
    if not rule.active:
        return Deferral(rule.id, "validation rule", DEAD, "inactive", "wont")
    if deactivation is not None:
        return Deferral(rule.id, "validation rule", DEPENDS_ON_DEFERRED if "deferred" in
                        deactivation else NOT_REQUIRED_BY_ROLE,
                        f"switched off for launch: {deactivation}", "could")
    return Deferral(rule.id, "validation rule", DEPENDS_ON_DEFERRED,
                    "reads fields deferred to phase 2", "could")


def _automation_deferral(automation: Any) -> Deferral:
    if not automation.active:
        return Deferral(automation.id, "automation", DEAD, "inactive", "wont")
    if automation.kind in LEGACY_KINDS:
        return Deferral(automation.id, "automation", LEGACY_AUTOMATION,
                        f"a {automation.kind.value} rule: rebuild it as a flow in phase 2",
                        "could")
    return Deferral(automation.id, "automation", DEPENDS_ON_DEFERRED,
                    "reads or writes fields deferred to phase 2", "could")
