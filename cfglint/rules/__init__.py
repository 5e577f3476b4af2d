"""The rule registry: every module in this package named ``<family>_<topic>.py`` is a rule.

A rule module declares:

- ``ID``: family prefix and number, e.g. ``REQ001``; stable forever.
- ``NAME``: dotted name, e.g. ``required.too-many-fields``; accepted wherever an id is.
- ``SEVERITY``: the default :class:`~cfglint.rules.base.Severity`.
- ``OPTIONS``: a JSON Schema fragment (the ``properties`` of an object) with a ``default`` for
  every option.
- ``check(org, graph, options)``: a generator of :class:`~cfglint.rules.base.Problem`.
- its docstring: the rule's documentation (summary line, why it matters, failing and passing
  examples, how to fix), printed by ``cfglint rules ID`` and gathered into ``docs/rules.md``.

Optional: ``NEEDS`` (a tuple of side inputs the rule needs, e.g. ``("usage",)``; without them the
rule is skipped and says so) and ``RECOMMENDED`` (in the default ruleset; default ``True``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from cfglint.rules.base import CheckFunction, Severity, family_of

FAMILIES = {
    "CFG": "cfglint itself: parse errors, suppressions",
    "REQ": "required-field burden",
    "VIEW": "role-view coverage",
    "TIME": "update budget",
    "PIPE": "pipeline design",
    "DEBT": "customization debt",
    "DATA": "data-quality safeguards",
    "INTG": "integration readiness",
}


@dataclass(frozen=True)
class RuleSpec:
    id: str
    name: str
    severity: Severity
    options_schema: dict[str, Any]
    check: CheckFunction
    doc: str
    needs: tuple[str, ...] = ()
    recommended: bool = True
    module: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return family_of(self.id)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].rstrip(".") if self.doc.strip() else self.name


def _spec(module: ModuleType) -> RuleSpec:
    options_schema: dict[str, Any] = dict(getattr(module, "OPTIONS", {}))
    return RuleSpec(
        id=module.ID,
        name=module.NAME,
        severity=Severity(module.SEVERITY),
        options_schema=options_schema,
        check=module.check,
        doc=inspect.cleandoc(module.__doc__ or ""),
        needs=tuple(getattr(module, "NEEDS", ())),
        recommended=bool(getattr(module, "RECOMMENDED", True)),
        module=module.__name__,
        defaults={name: schema.get("default") for name, schema in options_schema.items()},
    )


@cache
def all_rules() -> dict[str, RuleSpec]:
    """Every built-in rule by id, in id order."""
    import cfglint.rules as package

    specs: list[RuleSpec] = []
    for module_info in pkgutil.iter_modules(package.__path__):
        prefix = module_info.name.split("_", 1)[0].upper()
        if prefix not in FAMILIES:
            continue
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        specs.append(_spec(module))
    return {spec.id: spec for spec in sorted(specs, key=lambda spec: spec.id)}


def resolve_rule(key: str, extra: Mapping[str, RuleSpec] | None = None) -> RuleSpec | None:
    """A rule by id or dotted name (case-insensitive id); ``extra`` adds custom rules."""
    rules = {**all_rules(), **(extra or {})}
    if key.upper() in rules:
        return rules[key.upper()]
    for spec in rules.values():
        if spec.name == key:
            return spec
    return None


def matching_ids(
    selector: str, extra: Mapping[str, RuleSpec] | None = None, *, recommended_only: bool = True
) -> list[str]:
    """Rule ids a selector names: an id, a dotted name, an id prefix (``REQ``, ``REQ0``), or
    ``ALL``. A prefix or ``ALL`` names only recommended rules unless ``recommended_only`` is
    false (ignoring by prefix removes opt-in rules too)."""
    spec = resolve_rule(selector, extra)
    if spec is not None:
        return [spec.id]
    rules = {**all_rules(), **(extra or {})}
    prefix = "" if selector.upper() == "ALL" else selector.upper()
    return sorted(
        rule_id for rule_id, spec in rules.items()
        if rule_id.startswith(prefix) and (spec.recommended or not recommended_only)
    )
