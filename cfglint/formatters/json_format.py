"""JSON: the whole result, versioned, for scripts and other tools.

The document validates against ``cfglint/schemas/lint-result.schema.json``; ``version`` changes
only when a field changes meaning or goes away (new fields may appear within a version)::

    {
      "version": 1,
      "tool": {"name": "cfglint", "version": "0.1.0"},
      "root": "force-app",
      "summary": {"total": 3, "by_severity": {"error": 1, "warning": 2, "info": 0},
                  "by_family": {"REQ": {"error": 1, "warning": 2, "info": 0}},
                  "suppressed": {"inSource": 1, "external": 0},
                  "files_read": 120, "rules_run": 31},
      "findings": [{"rule": "REQ001", "name": "required.too-many-fields", "severity": "error",
                    "message": "...", "element": "Opportunity", "path": "objects/...",
                    "line": 12, "column": null, "fingerprint": "3f2a...", "data": {...}}],
      "suppressed": [{... same fields ..., "suppression": "inSource"}],
      "skipped_rules": {"TIME003": "needs usage data"}
    }

``path`` is relative to ``root`` (join them to open the file) and is ``null``, like ``line`` and
``column``, when unknown. ``fingerprint`` is :func:`cfglint.formatters.fingerprint`: line-
independent, what baselines match on. Findings keep the engine's order; keys inside ``data`` are
sorted. Values in ``data`` that JSON cannot hold are written as JSON can: enums as their value,
sets sorted, anything else as its string.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from typing import Any

from cfglint import __version__
from cfglint.formatters.common import (
    SEVERITIES,
    TOOL_NAME,
    family_counts,
    fingerprint,
    severity_counts,
)
from cfglint.lint import LintResult
from cfglint.rules.base import Finding

FORMAT_VERSION = 1


def format_json(result: LintResult) -> str:
    return json.dumps(result_document(result), indent=2, ensure_ascii=False) + "\n"


def result_document(result: LintResult) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "root": result.root,
        "summary": _summary(result),
        "findings": [finding_document(finding) for finding in result.findings],
        "suppressed": [
            {**finding_document(finding), "suppression": kind}
            for finding, kind in result.suppressed
        ],
        "skipped_rules": {
            rule_id: result.skipped_rules[rule_id] for rule_id in sorted(result.skipped_rules)
        },
    }


def finding_document(finding: Finding) -> dict[str, Any]:
    location = finding.location
    return {
        "rule": finding.rule_id,
        "name": finding.rule_name,
        "severity": finding.severity.value,
        "message": finding.message,
        "element": finding.element_id,
        "path": finding.path or None,
        "line": location.line if location else None,
        "column": location.column if location else None,
        "fingerprint": fingerprint(finding),
        "data": _jsonable(finding.data),
    }


def _summary(result: LintResult) -> dict[str, Any]:
    return {
        "total": len(result.findings),
        "by_severity": {
            severity.value: count for severity, count in severity_counts(result.findings).items()
        },
        "by_family": {
            family: {severity.value: counts[severity] for severity in SEVERITIES}
            for family, counts in family_counts(result.findings).items()
        },
        "suppressed": {
            kind: sum(1 for _, found in result.suppressed if found == kind)
            for kind in ("inSource", "external")
        },
        "files_read": result.files_read,
        "rules_run": len(result.rules),
    }


def _jsonable(value: Any) -> Any:
    """``value`` as plain, deterministic JSON data."""
    if isinstance(value, enum.Enum):  # first: str-based enums are str too
        return _jsonable(value.value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        # NaN and infinities are not JSON; strict parsers reject Python's spelling of them.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(key): _jsonable(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(item) for item in value), key=_sort_key)
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return str(value)


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)

