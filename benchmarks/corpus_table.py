"""What every benchmark script shares: the command line, the run over each corpus, the table.

A benchmark supplies ``measure(corpus_root, repeat) -> row`` and the columns to print; this module
parses ``--corpora``, ``--repeat`` and ``--json``, measures every corpus directory in name order,
prints one aligned row each and optionally writes the rows as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "sfdc"

Row = Mapping[str, Any]
#: (row key, column heading, format spec such as ``>9.4f``); the first column is left-aligned.
Column = tuple[str, str, str]


def run(
    description: str,
    measure: Callable[[Path, int], Row],
    columns: Sequence[Column],
    default_repeat: int = 5,
) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--repeat", type=int, default=default_repeat)
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    arguments = parser.parse_args()
    if not arguments.corpora.is_dir():
        print(f"corpora not found at {arguments.corpora}", file=sys.stderr)
        return 2
    corpora = sorted(path for path in arguments.corpora.iterdir() if path.is_dir())
    rows = [measure(corpus, arguments.repeat) for corpus in corpora]
    print(" ".join(column_heading(heading, spec) for _, heading, spec in columns))
    for row in rows:
        print(" ".join(format(row[key], spec) for key, _, spec in columns))
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def column_heading(heading: str, spec: str) -> str:
    # Headings take the alignment and width of their column but none of its number format.
    width = "".join(ch for ch in spec.split(".")[0] if ch.isdigit())
    align = spec[0] if spec and spec[0] in "<>^" else "<"
    return format(heading, f"{align}{width}")
