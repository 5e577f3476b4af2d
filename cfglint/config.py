"""Project configuration: ``.cfglint.yaml`` or ``[tool.cfglint]`` in ``pyproject.toml``.

Discovery walks up from the linted path to the repository root (the first folder with ``.git``)
and takes the first ``.cfglint.yaml`` / ``.cfglint.yml``, else the first ``pyproject.toml`` with a
``[tool.cfglint]`` table; ``--config FILE`` (or ``CFGLINT_CONFIG``) skips discovery.

Precedence, strongest first: command-line flags > ``.cfglint.yaml`` > ``[tool.cfglint]`` >
ruleset > rule defaults. (Only one project file is used: a ``.cfglint.yaml`` found first hides
``pyproject.toml``.)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfglint.config_files import CONFIG_NAMES as CONFIG_NAMES
from cfglint.config_files import FAIL_ON_CHOICES as FAIL_ON_CHOICES
from cfglint.config_files import CommandLineOverrides as CommandLineOverrides
from cfglint.config_files import find_config as find_config
from cfglint.errors import ConfigError as ConfigError
from cfglint.rules import RuleSpec
from cfglint.rules.base import Severity
from cfglint.rulesets import (
    Ruleset,
    apply_selection,
    apply_setting,
    check_selectors,
    load_ruleset,
    schema,
)
from cfglint.yamlio import YamlProblem, line_of_path, load_yaml_file, to_plain, validate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DEFAULT_RULESET = "default"


@dataclass
class EnabledRule:
    spec: RuleSpec
    severity: Severity
    options: dict[str, Any]


@dataclass
class Settings:
    """The effective configuration of one run."""

    ruleset: Ruleset
    enabled: dict[str, EnabledRule]
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    element_ignores: list[dict[str, str]] = field(default_factory=list)
    fail_on: str = "error"
    roles: Path | None = None
    usage: Path | None = None
    baseline: Path | None = None
    config_file: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """What ``cfglint config show`` prints."""
        return {
            "config-file": self.config_file,
            "ruleset": self.ruleset.name,
            "ruleset-files": self.ruleset.sources,
            "fail-on": self.fail_on,
            "roles": self.roles.as_posix() if self.roles else None,
            "usage": self.usage.as_posix() if self.usage else None,
            "baseline": self.baseline.as_posix() if self.baseline else None,
            "per-path-ignores": self.per_path_ignores,
            "ignores": self.element_ignores,
            "rules": {
                rule_id: {
                    "name": rule.spec.name,
                    "severity": rule.severity.value,
                    "options": rule.options,
                }
                for rule_id, rule in sorted(self.enabled.items())
            },
        }


def read_config_file(path: Path) -> dict[str, Any]:
    """The configuration mapping from a YAML file or a pyproject table, validated."""
    if path.name == "pyproject.toml":
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: malformed TOML: {error}") from None
        table: dict[str, Any] = dict(document.get("tool", {}).get("cfglint", {}))
        problems = validate(table, schema("config.schema.json"), f"{path} [tool.cfglint]")
        if problems:
            raise ConfigError(str(problems[0]))
        return table
    try:
        loaded = load_yaml_file(path)
    except YamlProblem as problem:
        raise ConfigError(str(problem)) from None
    problems = validate(loaded if loaded is not None else {}, schema("config.schema.json"),
                        path.as_posix())
    if problems:
        raise ConfigError(str(problems[0]))
    data: dict[str, Any] = to_plain(loaded or {})
    # Where each rule key stands, so an unknown one can be reported with its line.
    data["_rule_lines"] = {
        key: line_of_path(loaded, ["rules", key]) for key in data.get("rules", {})
    }
    return data


def load_settings(start: Path, overrides: CommandLineOverrides | None = None) -> Settings:
    """Discover and combine configuration for a run over ``start``."""
    overrides = overrides or CommandLineOverrides()
    config_path = overrides.config or _env_config() or find_config(start)
    data = read_config_file(config_path) if config_path else {}
    base = config_path.parent if config_path else Path.cwd()
    ruleset = load_ruleset(overrides.ruleset or data.get("ruleset", DEFAULT_RULESET), base)
    where = config_path.as_posix() if config_path else "command line"
    if data.get("select"):
        ruleset.selected = set()
    apply_selection(
        ruleset, data.get("select", []) + data.get("extend-select", []),
        data.get("ignore", []), where,
    )
    for key, setting in data.get("rules", {}).items():
        line = data.get("_rule_lines", {}).get(key)
        apply_setting(ruleset, key, setting, f"{where}:{line}" if line else where)
    _apply_command_line(ruleset, overrides)
    for selectors in data.get("per-path-ignores", {}).values():
        check_selectors(selectors, ruleset, where)
    for entry in data.get("ignores", []):
        check_selectors([entry["rule"]], ruleset, where)
    return Settings(
        ruleset=ruleset,
        enabled=_enabled(ruleset, ruleset.selected),
        per_path_ignores=dict(data.get("per-path-ignores", {})),
        element_ignores=list(data.get("ignores", [])),
        fail_on=overrides.fail_on or data.get("fail-on", "error"),
        roles=_relative(base, data.get("roles")),
        usage=_relative(base, data.get("usage")),
        baseline=_relative(base, data.get("baseline")),
        config_file=config_path.as_posix() if config_path else None,
    )


def _env_config() -> Path | None:
    value = os.environ.get("CFGLINT_CONFIG")
    return Path(value) if value else None


def _apply_command_line(ruleset: Ruleset, overrides: CommandLineOverrides) -> None:
    if overrides.select:
        ruleset.selected = set()
    apply_selection(
        ruleset, [*overrides.select, *overrides.extend_select], overrides.ignore, "command line"
    )


def _enabled(ruleset: Ruleset, selected: set[str]) -> dict[str, EnabledRule]:
    from cfglint.rules import all_rules

    specs = {**all_rules(), **ruleset.custom_rules}
    enabled = {}
    for rule_id in sorted(selected):
        spec = specs[rule_id]
        setting = ruleset.settings.get(rule_id)
        severity = setting.severity if setting and setting.severity else spec.severity
        options = {**spec.defaults, **(setting.options if setting else {})}
        enabled[rule_id] = EnabledRule(spec, severity, options)
    return enabled


def _relative(base: Path, value: str | None) -> Path | None:
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else base / path
