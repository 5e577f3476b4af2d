"""Read time against the floor, per corpus.

For each Salesforce corpus under ``../shared/corpora/sfdc/`` this prints the number of files and
bytes, the floor (reading and parsing every metadata XML file once with lxml, in this process),
cfglint's full read time (walk, parse, build the model), and their ratio. Each figure is the
fastest of ``--repeat`` runs, taken alternately so that both see the same machine state.

    python benchmarks/read.py [--corpora DIR] [--repeat N] [--json FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from corpus_table import Column, run
from lxml import etree

from cfglint.readers import read
from cfglint.readers.metadata_types import classify
from cfglint.readers.walk import walk_files


def metadata_files(root: Path) -> list[Path]:
    return [
        Path(absolute) for relative, absolute in walk_files(root) if classify(relative) is not None
    ]


def floor_seconds(files: list[Path]) -> float:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    start = time.perf_counter()
    for path in files:
        etree.fromstring(path.read_bytes(), parser)
    return time.perf_counter() - start


def read_seconds(root: Path) -> float:
    start = time.perf_counter()
    read(root)
    return time.perf_counter() - start


def measure(root: Path, repeat: int) -> dict[str, float | int | str]:
    files = metadata_files(root)
    floors, reads = [], []
    for _ in range(repeat):
        floors.append(floor_seconds(files))
        reads.append(read_seconds(root))
    floor, cfglint = min(floors), min(reads)
    return {
        "corpus": root.name,
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "floor_s": round(floor, 4),
        "read_s": round(cfglint, 4),
        "ratio": round(cfglint / floor, 2) if floor else 0.0,
    }


COLUMNS: list[Column] = [
    ("corpus", "corpus", "<50"),
    ("files", "files", ">7"),
    ("bytes", "bytes", ">12,"),
    ("floor_s", "floor s", ">10.4f"),
    ("read_s", "read s", ">10.4f"),
    ("ratio", "ratio", ">7.2f"),
]


def main() -> int:
    return run(__doc__.split("\n\n")[0], measure, COLUMNS, default_repeat=5)


if __name__ == "__main__":
    sys.exit(main())
