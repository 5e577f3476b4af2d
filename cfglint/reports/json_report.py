"""The debt report as JSON, for other tools (schema: ``cfglint/schemas/debt-report.schema.json``).

Hours and ratios are rounded (hours to 0.01, ratios to 0.0001) so the bytes do not depend on
floating-point noise; an infinite ratio (debt with nothing built) is ``null``. Keys keep a fixed
order; lists are sorted as the other formats show them.
"""

from __future__ import annotations

import json
import math
from typing import Any

from cfglint import __version__
from cfglint.debt import (
    AutomationEntry,
    Breakdown,
    DebtAssessment,
    GraphMeasures,
    HotSpot,
    Issue,
    Risk,
)
from cfglint.reports import costliest, issues_of, risk_headline, risk_sentence

REPORT_VERSION = 1


def format_json(assessment: DebtAssessment) -> str:
    return json.dumps(report_data(assessment), indent=2, ensure_ascii=False) + "\n"


def report_data(assessment: DebtAssessment) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "cfglint", "version": __version__},
        "root": assessment.root,
        "platform": assessment.platform,
        "summary": _summary(assessment),
        "graph": _graph(assessment.measures),
        "risks": [_risk(risk) for risk in assessment.risks],
        "by_object": [_breakdown(row) for row in assessment.by_object],
        "by_family": [_breakdown(row) for row in assessment.by_family],
        "hot_spots": [_hot_spot(spot) for spot in assessment.hot_spots],
        "automations": [_automation(entry) for entry in assessment.automations],
        "undocumented": [issue.finding.element_id for issue in issues_of(assessment, "DEBT001")],
        "orphans": [issue.finding.element_id for issue in issues_of(assessment, "DEBT011")],
        "issues": [_issue(issue) for issue in costliest(assessment.issues)],
        "constants": assessment.constants.as_dict(),
    }


def _hours(value: float) -> float:
    return round(value, 2)


def _ratio(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 4)


def _summary(assessment: DebtAssessment) -> dict[str, Any]:
    return {
        "score": round(assessment.score, 1),
        "grade": assessment.grade,
        "debt_hours": _hours(assessment.debt_hours),
        "build_hours": _hours(assessment.build_hours),
        "debt_ratio": _ratio(assessment.ratio),
        "issues": len(assessment.issues),
        "components": len(assessment.components),
        "suppressed": assessment.suppressed,
    }


def _graph(measures: GraphMeasures) -> dict[str, Any]:
    return {
        "nodes": measures.nodes,
        "edges": measures.edges,
        "propagation_cost": round(measures.propagation_cost, 4),
        "core_size": measures.core_size,
        "cycles": measures.cycles,
    }


def _risk(risk: Risk) -> dict[str, Any]:
    return {
        "rule": risk.rule_id,
        "title": risk_headline(risk),
        "text": risk_sentence(risk),
        "count": risk.count,
        "hours": _hours(risk.hours),
        "worst": risk.worst.finding.element_id,
    }


def _breakdown(row: Breakdown) -> dict[str, Any]:
    return {
        "name": row.name,
        "debt_hours": _hours(row.debt_hours),
        "build_hours": _hours(row.build_hours),
        "debt_ratio": _ratio(row.ratio),
        "grade": row.grade,
        "score": round(row.score, 1),
        "issues": row.issues,
        "components": row.components,
        "by_family": {family: _hours(value) for family, value in row.by_family.items()},
    }


def _hot_spot(spot: HotSpot) -> dict[str, Any]:
    return {
        "element": spot.element_id,
        "kind": spot.kind,
        "object": spot.object_name,
        "blast_radius": spot.blast_radius,
        "dependents_by_kind": spot.by_kind,
        "debt_hours": _hours(spot.debt_hours),
        "neighbourhood": [
            {"element": item.element_id, "kind": item.kind, "distance": item.distance,
             "via": item.via}
            for item in spot.neighbourhood
        ],
    }


def _automation(entry: AutomationEntry) -> dict[str, Any]:
    return {
        "element": entry.element_id,
        "kind": entry.kind,
        "name": entry.name,
        "object": entry.object_name,
        "when": entry.when,
        "active": entry.active,
        "writes": entry.writes,
        "touches": list(entry.touches),
        "in_cycle": entry.in_cycle,
    }


def _issue(issue: Issue) -> dict[str, Any]:
    finding = issue.finding
    return {
        "rule": finding.rule_id,
        "family": issue.family,
        "severity": finding.severity.value,
        "element": finding.element_id,
        "object": issue.object_name,
        "message": finding.message,
        "path": finding.path or None,
        "line": finding.line,
        "remediation": issue.key,
        "quantity": round(issue.quantity, 4),
        "base_hours": _hours(issue.base_hours),
        "blast_radius": issue.blast_radius,
        "exposure": round(issue.exposure, 4),
        "hours": _hours(issue.hours),
    }
