"""Rulesets: which rules run, at which severity, with which options.

A ruleset is a YAML file (built-ins ship in ``cfglint/builtin_rulesets/``, linked at the top of
the repository as ``rulesets/``)::

    name: go-live
    description: Strict checks before launch.
    extends: default          # or a list; a built-in name or a path relative to this file
    select: [TIME, VIEW004]   # added to what the parent selects
    ignore: [DEBT009]         # removed from it
    rules:
      REQ001: {severity: error, options: {max-required: 5}}
      DATA004: off
    custom-rules:
      - id: ACME001
        target: field
        where: {properties: {object_name: {const: Opportunity}, type: {const: currency}}}
        assert: {required: [description]}
        message: "Currency field {id} has no description"

Selectors are rule ids, dotted names, id prefixes (``REQ``) or ``ALL``; a prefix or ``ALL``
selects only recommended rules, an exact id or name selects any rule.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cfglint.errors import RulesetError as RulesetError
from cfglint.rules import RuleSpec, all_rules, matching_ids, resolve_rule
from cfglint.rules.base import Severity
from cfglint.yamlio import YamlProblem, load_yaml_file, package_schema, to_plain, validate

BUILTIN_PACKAGE = "cfglint.builtin_rulesets"


@dataclass
class RuleSetting:
    severity: Severity | None = None  # None: the rule's default
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Ruleset:
    name: str
    description: str = ""
    selected: set[str] = field(default_factory=set)
    settings: dict[str, RuleSetting] = field(default_factory=dict)
    custom_rules: dict[str, RuleSpec] = field(default_factory=dict)
    #: Files the ruleset was assembled from, base first.
    sources: list[str] = field(default_factory=list)


def builtin_names() -> list[str]:
    directory = resources.files(BUILTIN_PACKAGE)
    return sorted(
        entry.name.removesuffix(".yaml") for entry in directory.iterdir()
        if entry.name.endswith(".yaml")
    )


def schema(name: str) -> dict[str, Any]:
    return package_schema(name)


def load_ruleset(reference: str, relative_to: Path | None = None) -> Ruleset:
    """A built-in ruleset by name, or a ruleset file by path, with its ``extends`` resolved."""
    return _load(reference, relative_to, chain=())


def _locate(reference: str, relative_to: Path | None) -> Path:
    candidate = Path(reference)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if reference.endswith((".yaml", ".yml")) or "/" in reference:
        if candidate.is_file():
            return candidate
        raise RulesetError(f"ruleset file not found: {candidate}")
    builtin = resources.files(BUILTIN_PACKAGE).joinpath(f"{reference}.yaml")
    if builtin.is_file():
        return Path(str(builtin))
    suggestion = difflib.get_close_matches(reference, builtin_names(), n=1)
    hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
    raise RulesetError(
        f"unknown ruleset {reference!r}{hint} (built-in: {', '.join(builtin_names())})"
    )


def _load(reference: str, relative_to: Path | None, chain: tuple[Path, ...]) -> Ruleset:
    path = _locate(reference, relative_to).resolve()
    if path in chain:
        cycle = " -> ".join(p.name for p in (*chain, path))
        raise RulesetError(f"ruleset extends itself: {cycle}")
    try:
        document = load_yaml_file(path)
    except YamlProblem as problem:
        raise RulesetError(str(problem)) from None
    # Built-in rulesets are package data the tests check against the schema.
    problems = [] if _is_builtin(path) else validate(
        document if document is not None else {}, schema("ruleset.schema.json"), path.as_posix())
    if problems:
        raise RulesetError(str(problems[0]))
    data = to_plain(document or {})
    parents = data.get("extends") or []
    if isinstance(parents, str):
        parents = [parents]
    ruleset = Ruleset(name=data.get("name", path.stem), description=data.get("description", ""))
    for parent in parents:
        _merge(ruleset, _load(parent, path.parent, (*chain, path)))
    ruleset.sources.append(_display(path))
    for custom in data.get("custom-rules", []):
        from cfglint.rules.custom import custom_rule_spec

        spec = custom_rule_spec(custom)
        if spec.id in all_rules():
            raise RulesetError(f"{path}: custom rule id {spec.id} is a built-in rule id")
        ruleset.custom_rules[spec.id] = spec
        ruleset.selected.add(spec.id)
    apply_selection(ruleset, data.get("select", []), data.get("ignore", []), path)
    for key, setting in data.get("rules", {}).items():
        apply_setting(ruleset, key, setting, path)
    return ruleset


def _is_builtin(path: Path) -> bool:
    """Whether ``path`` is one of the rulesets shipped in the package."""
    return path.parent == Path(str(resources.files(BUILTIN_PACKAGE))).resolve()


def _display(path: Path) -> str:
    """``builtin:NAME`` for shipped rulesets, so output does not depend on the install path."""
    return f"builtin:{path.stem}" if _is_builtin(path) else path.as_posix()


def _merge(child: Ruleset, parent: Ruleset) -> None:
    child.selected |= parent.selected
    for rule_id, setting in parent.settings.items():
        mine = child.settings.setdefault(rule_id, RuleSetting())
        mine.severity = setting.severity or mine.severity
        mine.options = {**mine.options, **setting.options}
    child.custom_rules.update(parent.custom_rules)
    child.sources = [*parent.sources, *child.sources]


def check_selectors(selectors: list[str], ruleset: Ruleset, where: Path | str) -> None:
    """Every selector must name at least one rule; otherwise say what was probably meant."""
    for selector in selectors:
        if not matching_ids(selector, ruleset.custom_rules, recommended_only=False):
            raise RulesetError(f"{where}: unknown rule {selector!r}{did_you_mean(selector)}")


def did_you_mean(key: str) -> str:
    rules = all_rules()
    candidates = [*rules, *(spec.name for spec in rules.values())]
    suggestion = difflib.get_close_matches(key, candidates, n=1, cutoff=0.5)
    if not suggestion:
        suggestion = difflib.get_close_matches(key.upper(), list(rules), n=1, cutoff=0.5)
    return f"; did you mean {suggestion[0]!r}?" if suggestion else ""


def apply_selection(
    ruleset: Ruleset, select: list[str], ignore: list[str], where: Path | str
) -> None:
    """Add what ``select`` names to the ruleset's selection, then remove what ``ignore`` names
    (by prefix, opt-in rules too)."""
    check_selectors([*select, *ignore], ruleset, where)
    for selector in select:
        ruleset.selected.update(matching_ids(selector, ruleset.custom_rules))
    for selector in ignore:
        ruleset.selected.difference_update(
            matching_ids(selector, ruleset.custom_rules, recommended_only=False)
        )


def apply_setting(ruleset: Ruleset, key: str, setting: Any, where: Path | str) -> None:
    spec = resolve_rule(key, ruleset.custom_rules)
    if spec is None:
        raise RulesetError(f"{where}: unknown rule {key!r}{did_you_mean(key)}")
    if isinstance(setting, str):
        setting = {"severity": setting}
    mine = ruleset.settings.setdefault(spec.id, RuleSetting())
    severity = setting.get("severity")
    if severity == "off":
        ruleset.selected.discard(spec.id)
    elif severity is not None:
        mine.severity = Severity(severity)
        ruleset.selected.add(spec.id)
    options = setting.get("options", {})
    check_options(spec, options, where)
    mine.options = {**mine.options, **options}


def check_options(spec: RuleSpec, options: dict[str, Any], where: Path | str) -> None:
    for name, value in options.items():
        if name not in spec.options_schema:
            known = list(spec.options_schema)
            suggestion = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
            listing = ", ".join(known) if known else "none"
            raise RulesetError(
                f"{where}: rule {spec.id} has no option {name!r}{hint} (options: {listing})"
            )
        import jsonschema  # here: most runs set no option

        try:
            jsonschema.validate(value, spec.options_schema[name])
        except jsonschema.ValidationError as error:
            raise RulesetError(
                f"{where}: rule {spec.id} option {name!r}: {error.message}"
            ) from None
