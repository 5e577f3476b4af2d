"""The lint engine: run the enabled rules over a model, then apply suppressions and baselines.

Order of work, once per run:

1. every enabled rule's ``check`` runs over the model and the graph; the problems it yields
   become findings with the rule's id and configured severity;
2. findings are dropped into ``suppressed`` when a per-path ignore, an element ignore from the
   configuration, or an inline ``cfglint: ignore[...]`` comment covers them; inline comments that
   covered nothing become ``CFG002`` findings;
3. with ``only_paths`` (pre-commit), findings outside those files are dropped — the whole project
   was still read, so rules that need all of it saw all of it;
4. with a baseline, findings it already records move to ``suppressed``.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from cfglint.allocation import bulk_allocation
from cfglint.config import EnabledRule, Settings
from cfglint.model import InlineSuppression, Org
from cfglint.rules import RuleSpec, matching_ids
from cfglint.rules.base import Finding, Severity
from cfglint.suppress import covers, split_by_baseline

UNUSED_SUPPRESSION_RULE = "CFG002"


@dataclass
class LintResult:
    """Everything a formatter needs, already sorted and filtered."""

    root: str  # the project path as given on the command line (POSIX)
    findings: list[Finding]
    #: Every rule that ran, by id (formatters describe these, e.g. SARIF tool.driver.rules).
    rules: dict[str, RuleSpec]
    #: Findings suppressed inline, by configuration or by the baseline (kept for SARIF), with
    #: the SARIF suppression kind: ``inSource`` or ``external``.
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    #: Rules that could not run and why (e.g. needs usage data that was not given).
    skipped_rules: dict[str, str] = field(default_factory=dict)
    files_read: int = 0

    def counts_by_severity(self) -> Counter[Severity]:
        return Counter(finding.severity for finding in self.findings)

    def counts_by_family(self) -> Counter[str]:
        return Counter(finding.family for finding in self.findings)

    def exit_code(self, fail_on: str) -> int:
        """1 when a finding is at or above ``fail_on`` (error / warning / info), else 0."""
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return int(any(finding.severity.rank >= threshold for finding in self.findings))


@dataclass
class SideInputs:
    """Optional inputs some rules need; a rule that needs a missing one is skipped."""

    roles: Any = None
    usage: Any = None
    #: The update-budget calibration (``budget:`` in the configuration); None for the defaults.
    calibration: Any = None
    #: What several rules of one run derive from the same model (the roles' tasks, say),
    #: computed by the first rule that needs it; a fresh run starts empty.
    memo: dict[str, Any] = field(default_factory=dict)

    def available(self) -> set[str]:
        return {name for name in ("roles", "usage") if getattr(self, name) is not None}


def run_rules(
    org: Org, enabled: dict[str, EnabledRule], graph: Any, side_inputs: SideInputs
) -> tuple[list[Finding], dict[str, str]]:
    """Findings from every enabled rule, and the rules skipped with the reason."""
    findings: list[Finding] = []
    skipped: dict[str, str] = {}
    available = side_inputs.available()
    side_inputs.memo.clear()  # what it holds was derived from the model of an earlier run
    for rule_id, rule in enabled.items():
        missing = [need for need in rule.spec.needs if need not in available]
        if missing:
            skipped[rule_id] = f"needs {' and '.join(missing)} data (--{missing[0]} FILE)"
            continue
        options = {**rule.options, "_inputs": side_inputs}
        findings.extend(
            Finding(
                rule_id=rule_id,
                rule_name=rule.spec.name,
                severity=rule.severity,
                message=problem.message,
                element_id=problem.element_id,
                location=problem.location,
                data=problem.data,
            )
            for problem in rule.spec.check(org, graph, options)
        )
    return findings, skipped


@bulk_allocation
def lint(
    org: Org,
    settings: Settings,
    *,
    root: str,
    graph: Any = None,
    side_inputs: SideInputs | None = None,
    only_paths: Collection[str] | None = None,
    baseline: Counter[tuple[str, str, str]] | None = None,
) -> LintResult:
    findings, skipped = run_rules(org, settings.enabled, graph, side_inputs or SideInputs())
    findings, suppressed = _apply_configured_ignores(findings, settings)
    findings, inline_suppressed, unused = _apply_inline(findings, org.suppressions, settings)
    suppressed += [(finding, "inSource") for finding in inline_suppressed]
    if UNUSED_SUPPRESSION_RULE in settings.enabled:
        findings += _unused_suppression_findings(unused, settings.enabled[UNUSED_SUPPRESSION_RULE])
    if only_paths is not None:
        wanted = set(only_paths)
        findings = [finding for finding in findings if finding.path in wanted]
    if baseline is not None:
        findings, known = split_by_baseline(sorted(findings, key=Finding.sort_key), baseline)
        suppressed += [(finding, "external") for finding in known]
    return LintResult(
        root=root,
        findings=sorted(findings, key=Finding.sort_key),
        rules={rule_id: rule.spec for rule_id, rule in settings.enabled.items()},
        suppressed=sorted(suppressed, key=lambda pair: pair[0].sort_key()),
        skipped_rules=skipped,
        files_read=len(org.files_read),
    )


def _rule_ids(selectors: list[str], settings: Settings) -> set[str]:
    custom = settings.ruleset.custom_rules
    return {
        rule_id for selector in selectors
        for rule_id in matching_ids(selector, custom, recommended_only=False)
    }


def _apply_configured_ignores(
    findings: list[Finding], settings: Settings
) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    per_path = [
        (pattern, _rule_ids(selectors, settings))
        for pattern, selectors in settings.per_path_ignores.items()
    ]
    element_ignores = {
        (rule_id, entry["element"])
        for entry in settings.element_ignores
        for rule_id in _rule_ids([entry["rule"]], settings)
    }
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, str]] = []
    for finding in findings:
        ignored_by_path = any(
            finding.rule_id in rule_ids and _path_matches(finding.path, pattern)
            for pattern, rule_ids in per_path
        )
        if ignored_by_path or (finding.rule_id, finding.element_id) in element_ignores:
            suppressed.append((finding, "external"))
        else:
            kept.append(finding)
    return kept, suppressed


def _path_matches(path: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    return (
        fnmatch.fnmatchcase(path, pattern)
        or fnmatch.fnmatchcase(path, pattern + "/*")
        or path.startswith(pattern + "/")
    )


def _apply_inline(
    findings: list[Finding], suppressions: list[InlineSuppression], settings: Settings
) -> tuple[list[Finding], list[Finding], list[InlineSuppression]]:
    if not suppressions:
        return findings, [], []
    rule_ids = [_rule_ids(list(suppression.selectors), settings) for suppression in suppressions]
    by_path: dict[str, list[int]] = {}
    for index, suppression in enumerate(suppressions):
        by_path.setdefault(suppression.location.path, []).append(index)
    used = [False] * len(suppressions)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        hit = False
        for index in by_path.get(finding.path, ()):
            if covers(suppressions[index], finding, rule_ids[index]):
                used[index] = hit = True
        (suppressed if hit else kept).append(finding)
    unused = [suppression for suppression, was_used in zip(suppressions, used, strict=True)
              if not was_used]
    return kept, suppressed, unused


def _unused_suppression_findings(
    unused: list[InlineSuppression], rule: EnabledRule
) -> list[Finding]:
    return [
        Finding(
            rule_id=rule.spec.id,
            rule_name=rule.spec.name,
            severity=rule.severity,
            message=(
                f"unused suppression: cfglint: {'file-ignore' if s.whole_file else 'ignore'}"
                f"[{', '.join(s.selectors)}] suppressed no finding"
            ),
            element_id=f"suppression:{s.location.path}:{s.location.line}",
            location=s.location,
        )
        for s in unused
    ]
