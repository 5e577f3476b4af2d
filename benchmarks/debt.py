"""The debt report per corpus: what it finds and what each step costs.

For each Salesforce corpus under ``../shared/corpora/sfdc/`` this prints the graph's size, the
automation cycles, the score, grade, debt and build hours, the top hot spot, and the time of the
whole pipeline (read, graph, lint, price) and of rendering the four formats. Each time is the
fastest of ``--repeat`` runs.

    python benchmarks/debt.py [--corpora DIR] [--repeat N] [--json FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from corpus_table import Column, run

from cfglint.commands.debt_command import debt_assessment
from cfglint.debt import DebtAssessment
from cfglint.reports import FORMATS, render


def fastest(repeat: int, work: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(root: Path, repeat: int) -> dict[str, Any]:
    assess_s, assessment = fastest(repeat, lambda: debt_assessment(root))
    render_s, _ = fastest(repeat, lambda: [render(assessment, name) for name in FORMATS])
    return {**summary(root.name, assessment), "assess_s": round(assess_s, 3),
            "render_s": round(render_s, 3)}


def summary(name: str, assessment: DebtAssessment) -> dict[str, Any]:
    measures = assessment.measures
    top = assessment.hot_spots[0] if assessment.hot_spots else None
    return {
        "corpus": name,
        "nodes": measures.nodes,
        "edges": measures.edges,
        "cycles": len(measures.cycles),
        "score": round(assessment.score),
        "grade": assessment.grade,
        "debt_h": round(assessment.debt_hours, 1),
        "build_h": round(assessment.build_hours, 1),
        "issues": len(assessment.issues),
        "top_hot_spot": f"{top.element_id} ({top.blast_radius})" if top else "-",
    }


COLUMNS: list[Column] = [
    ("corpus", "corpus", "<48"),
    ("nodes", "nodes", ">7"),
    ("edges", "edges", ">7"),
    ("cycles", "cycles", ">7"),
    ("score", "score", ">6"),
    ("grade", "grade", "^7"),
    ("debt_h", "debt h", ">9"),
    ("build_h", "build h", ">9"),
    ("issues", "issues", ">7"),
    ("assess_s", "run s", ">7"),
    ("render_s", "render s", ">9"),
    ("top_hot_spot", "top hot spot", "<"),
]


def main() -> int:
    return run(__doc__.split("\n\n")[0], measure, COLUMNS, default_repeat=3)


if __name__ == "__main__":
    sys.exit(main())
