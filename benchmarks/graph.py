"""Dependency-graph build time against read time, per corpus.

The graph is built on every lint, so it must cost a fraction of reading the project. For each
Salesforce corpus under ``../shared/corpora/sfdc/`` this prints the graph's size, cfglint's read
time, the graph build time and their ratio, plus the time of the queries rules run on every
lint (every blast radius, the automation cycles). Each time is the fastest of ``--repeat`` runs.

    python benchmarks/graph.py [--corpora DIR] [--repeat N] [--json FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from corpus_table import Column, run

from cfglint.graph import build_graph
from cfglint.readers import read


def measure(root: Path, repeat: int) -> dict[str, float | int | str]:
    reads, builds, queries = [], [], []
    nodes = edges = cycles = 0
    for _ in range(repeat):
        start = time.perf_counter()
        org = read(root)
        reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        graph = build_graph(org)
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        graph.blast_radii()
        cycles = len(graph.automation_cycles())
        queries.append(time.perf_counter() - start)
        nodes, edges = graph.graph.number_of_nodes(), graph.graph.number_of_edges()
    read_s, graph_s = min(reads), min(builds)
    return {
        "corpus": root.name,
        "nodes": nodes,
        "edges": edges,
        "cycles": cycles,
        "read_s": round(read_s, 4),
        "graph_s": round(graph_s, 4),
        "query_s": round(min(queries), 4),
        "ratio": round(graph_s / read_s, 3) if read_s else 0.0,
    }


COLUMNS: list[Column] = [
    ("corpus", "corpus", "<50"),
    ("nodes", "nodes", ">7"),
    ("edges", "edges", ">7"),
    ("cycles", "cycles", ">7"),
    ("read_s", "read s", ">9.4f"),
    ("graph_s", "graph s", ">9.4f"),
    ("query_s", "query s", ">9.4f"),
    ("ratio", "ratio", ">7.3f"),
]


def main() -> int:
    return run(__doc__.split("\n\n")[0], measure, COLUMNS, default_repeat=5)


if __name__ == "__main__":
    sys.exit(main())
