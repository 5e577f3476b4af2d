"""What rules are made of: severities, the problems they yield, the findings the engine makes.

A rule is a module (see :mod:`cfglint.rules`) with ``ID``, ``NAME``, ``SEVERITY``, ``OPTIONS`` and
``check(org, graph, options)``. ``check`` yields :class:`Problem` objects — what is wrong, with
which element, where — and the engine turns each into a :class:`Finding` by adding the rule's id,
name and configured severity. Rules never open files; they read the model and the graph.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from cfglint.model import Org, SourceLocation


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Problem:
    """What a rule yields: a message about one element, at the element's location."""

    element_id: str
    message: str
    location: SourceLocation | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    element_id: str
    location: SourceLocation | None = None
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> str:
        return self.location.path if self.location else ""

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def family(self) -> str:
        return family_of(self.rule_id)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Output order: path, line, rule id, element id (then message for ties)."""
        return (self.path, self.line or 0, self.rule_id, self.element_id, self.message)


def family_of(rule_id: str) -> str:
    return rule_id.rstrip("0123456789")


Options = Mapping[str, Any]

T = TypeVar("T")


def run_memo(options: Options, key: str, build: Callable[[], T]) -> T:
    """What ``build`` makes, made once per lint run: kept under ``key`` in the run's memo (the
    side inputs' ``memo``) for every rule that asks; made afresh outside a lint run."""
    memo: dict[str, Any] | None = getattr(options.get("_inputs"), "memo", None)
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    made: T = memo[key]
    return made


class CheckFunction(Protocol):
    def __call__(self, org: Org, graph: Any, options: Options) -> Iterator[Problem]: ...
