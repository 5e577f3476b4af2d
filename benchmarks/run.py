"""Lint speed at scale: NPSP and the synthetic orgs, against the parse floor.

For each target (the NPSP corpus and every synthetic size asked for) a fresh child process
measures, in that one process:

- the **floor**: reading and parsing every metadata XML file once with lxml;
- a **cold lint** with the default ruleset, split into read / graph / rules / output (no cache);
- a **warm lint** with nothing changed, one **after touching one file** (new modification time,
  same content) and one **after editing one file** (a comment appended, so the project must be
  read and checked again), through the cache (``cfglint lint`` with its default cache under a
  temporary cache directory), on a copy of the project so that the corpus itself is never
  touched;
- the child's **peak memory** (maximum resident set size), and that of the largest worker
  process that read field files for it;
- the read once more with no worker processes (``CFGLINT_JOBS=1``), and the cold ratio that
  read would give (``ratio 1 job``): what a one-core machine sees;
- a **bound**: what a cold lint would cost if building the model were all but free. The
  ``bare read`` is the read with no worker processes and every metadata handler switched off
  (finding, ordering, reading, checking and parsing every file, and nothing made of them);
  ``texts`` is taking every text node out of every parsed document with one compiled XPath,
  in C, which is less than any model builder can do; graph, rules and output are added as
  measured. ``bound`` is that sum over the floor: the cold ratio this reader, graph and rules
  cannot go below, however fast the model were built.

Each time is the fastest of ``--repeat`` runs. The command-line rows (``cli cold`` / ``cli warm``)
time the real ``cfglint lint`` as a user runs it, process start-up included. Then the scaling
ratio time(XL)/time(L) is set against the size ratio (objects XL / objects L). Prints a table
and, with ``--json``, writes the rows.

    python benchmarks/run.py [--sizes S,M,L,XL] [--synth-dir DIR] [--repeat N] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest import mock

from corpus_table import column_heading
from lxml import etree
from read import floor_seconds as parse_seconds
from read import metadata_files
from synth import SIZES, write_org

from cfglint.config import CommandLineOverrides, load_settings
from cfglint.formatters import format_result
from cfglint.graph import build_graph
from cfglint.lint import lint
from cfglint.readers import read
from cfglint.readers.salesforce import read_bytes
from cfglint.readers.salesforce_xml import HANDLERS
from cfglint.readers.xml import XmlError, parse_xml_bytes

NPSP = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "sfdc" / (
    "SalesforceFoundation__NPSP")
CLI = [sys.executable, "-m", "cfglint"]


def fastest(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        # The previous run's result goes before the next is built: two models at once would
        # double the peak memory.
        result = None
        gc.collect()
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def floor_seconds(root: Path, repeat: int) -> tuple[float, int]:
    files = metadata_files(root)
    return min(parse_seconds(files) for _ in range(repeat)), len(files)


def cold_split(root: Path, repeat: int) -> dict[str, float]:
    settings = load_settings(root, CommandLineOverrides())
    splits: dict[str, list[float]] = {"read": [], "graph": [], "rules": [], "output": []}
    for _ in range(repeat):
        marks = [time.perf_counter()]
        org = read(root)
        marks.append(time.perf_counter())
        graph = build_graph(org)
        marks.append(time.perf_counter())
        result = lint(org, settings, root=root.as_posix(), graph=graph)
        marks.append(time.perf_counter())
        format_result(result, "text")
        marks.append(time.perf_counter())
        for key, (start, end) in zip(splits, pairwise(marks), strict=True):
            splits[key].append(end - start)
        # Let this run's model go before the next is built: two at once would double the peak.
        del org, graph, result
        gc.collect()
    row = {key: min(values) for key, values in splits.items()}
    row["cold"] = sum(row.values())
    return row


#: The environment of a read with no worker processes.
ONE_PROCESS = {"CFGLINT_JOBS": "1"}


def serial_read_seconds(root: Path, repeat: int) -> float:
    """The read with no worker processes, as on a one-core machine or with CFGLINT_JOBS=1."""
    with mock.patch.dict(os.environ, ONE_PROCESS):
        return fastest(repeat, lambda: read(root))[0]


def bare_read_seconds(root: Path, repeat: int) -> float:
    """The serial read with every metadata handler doing nothing: the reader's own cost of
    finding, ordering, reading, checking and parsing each file, with no model made."""
    def ignore(*_: object) -> None:
        return None

    with mock.patch.dict(HANDLERS, dict.fromkeys(HANDLERS, ignore)), \
            mock.patch.dict(os.environ, ONE_PROCESS):
        return fastest(repeat, lambda: read(root))[0]


_EVERY_TEXT = etree.XPath("//text()", smart_strings=False)


def texts_seconds(root: Path, repeat: int) -> float:
    """Taking every text node out of every document, in C, once each is parsed (parsing not
    counted): the least a model builder does, as it must look at each value at least once."""
    best = float("inf")
    for _ in range(repeat):
        total = 0.0
        for path in metadata_files(root):
            try:
                document = parse_xml_bytes(read_bytes(str(path)))
            except (OSError, XmlError):
                continue
            start = time.perf_counter()
            _EVERY_TEXT(document)
            total += time.perf_counter() - start
        best = min(best, total)
    return best


def cli_seconds(root: Path, repeat: int, *arguments: str, before: Callable[[], None] | None = None,
                environment: dict[str, str] | None = None) -> float:
    def run() -> None:
        if before:
            before()
        subprocess.run([*CLI, "lint", str(root), "--exit-zero", *arguments],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                       env=environment)

    return fastest(repeat, run)[0]


def supports_cache() -> bool:
    help_text = subprocess.run([*CLI, "lint", "--help"], capture_output=True, text=True).stdout
    return "--no-cache" in help_text


def touch_one(root: Path) -> Callable[[], None]:
    """A new modification time, same content (git checkout, a fresh clone)."""
    victim = metadata_files(root)[0]

    def touch() -> None:
        os.utime(victim, None)

    return touch


def edit_one(root: Path) -> Callable[[], None]:
    """New content in one file (a comment added each time), as an edit before a commit."""
    victim = metadata_files(root)[0]
    edits = iter(range(1_000_000))

    def edit() -> None:
        with victim.open("a", encoding="utf-8") as stream:
            stream.write(f"<!-- edit {next(edits)} -->\n")

    return edit


def measure(name: str, root: Path, repeat: int, queue: Any) -> None:
    """Runs in a child process so that its peak memory is this target's alone."""
    floor_seconds(root, 1)  # warm the page cache: every measured run then reads from memory
    floor, files = floor_seconds(root, repeat)
    row: dict[str, Any] = {"target": name, "files": files, "floor": floor,
                           **cold_split(root, repeat)}
    row["ratio"] = row["cold"] / floor
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The largest field-reading worker (none for a small project). Its resident pages include
    # those it still shares with this process, which forked it.
    row["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    row["read_1_job"] = serial_read_seconds(root, repeat)
    row["ratio_1_job"] = (row["cold"] - row["read"] + row["read_1_job"]) / floor
    row["bare_read"] = bare_read_seconds(root, repeat)
    row["texts"] = texts_seconds(root, repeat)
    row["bound"] = (row["bare_read"] + row["texts"] + row["graph"] + row["rules"]
                    + row["output"]) / floor
    with tempfile.TemporaryDirectory() as scratch:
        # The command-line runs work on a copy: touching a file must never change the corpus.
        copy = Path(scratch) / "project"
        shutil.copytree(root, copy)
        environment = {**os.environ, "CFGLINT_CACHE_DIR": str(Path(scratch) / "cache")}
        cached = supports_cache()
        cold_flags = ("--no-cache",) if cached else ()
        row["cli_cold"] = cli_seconds(copy, repeat, *cold_flags, environment=environment)
        cli_seconds(copy, 1, environment=environment)  # fill the cache
        row["cli_warm"] = cli_seconds(copy, repeat, environment=environment)
        row["cli_touched"] = cli_seconds(copy, repeat, before=touch_one(copy),
                                         environment=environment)
        row["cli_edited"] = cli_seconds(copy, repeat, before=edit_one(copy),
                                        environment=environment)
        row["cache"] = cached
    queue.put(row)


def run_target(name: str, root: Path, repeat: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=measure, args=(name, root, repeat, queue))
    child.start()
    row: dict[str, Any] = queue.get()
    child.join()
    return row


def synthetic_root(directory: Path, size: str) -> Path:
    root = directory / size
    marker = root / ".synth-complete"
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        write_org(root, SIZES[size], seed=20261122)
        marker.write_text("ok\n", encoding="utf-8")
    return root


COLUMNS = [("target", "target", "<8"), ("files", "files", ">8"), ("floor", "floor s", ">9.3f"),
           ("read", "read", ">8.3f"), ("graph", "graph", ">8.3f"), ("rules", "rules", ">8.3f"),
           ("output", "output", ">8.3f"), ("cold", "cold s", ">8.3f"), ("ratio", "ratio", ">7.2f"),
           ("read_1_job", "read 1 job", ">11.3f"), ("ratio_1_job", "ratio 1 job", ">12.2f"),
           ("bare_read", "bare read", ">10.3f"), ("texts", "texts", ">8.3f"),
           ("bound", "bound", ">7.2f"),
           ("cli_cold", "cli cold", ">9.3f"), ("cli_warm", "cli warm", ">9.3f"),
           ("cli_touched", "touched", ">9.3f"), ("cli_edited", "edited", ">9.3f"),
           ("peak_mb", "peak MB", ">9.0f"), ("worker_mb", "worker MB", ">10.0f")]


def print_table(rows: list[dict[str, Any]]) -> None:
    print(" ".join(column_heading(heading, spec) for _, heading, spec in COLUMNS))
    for row in rows:
        print(" ".join(format(row[key], spec) for key, _, spec in COLUMNS))
    by_target = {row["target"]: row for row in rows}
    if "XL" in by_target and "L" in by_target:
        time_ratio = by_target["XL"]["cold"] / by_target["L"]["cold"]
        size_ratio = SIZES["XL"] / SIZES["L"]
        print(f"scaling: time(XL)/time(L) = {time_ratio:.2f} for a size ratio of {size_ratio:.2f}"
              f" ({time_ratio / size_ratio:.2f} x the size ratio)")
    if not all(row["cache"] for row in rows):
        print("note: this cfglint has no cache yet (no --no-cache flag); warm rows are cold runs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L,XL", help="synthetic sizes, comma-separated")
    parser.add_argument(
        "--synth-dir", type=Path, default=Path(tempfile.gettempdir()) / "cfglint-synth",
        help="where synthetic orgs are written (kept and reused between runs)",
    )
    parser.add_argument("--no-npsp", action="store_true", help="skip the NPSP corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    arguments = parser.parse_args()
    targets: list[tuple[str, Path]] = []
    if not arguments.no_npsp:
        if not NPSP.is_dir():
            print(f"NPSP corpus not found at {NPSP}; use --no-npsp", file=sys.stderr)
            return 2
        targets.append(("NPSP", NPSP))
    for size in filter(None, arguments.sizes.split(",")):
        if size not in SIZES:
            print(f"unknown size {size!r}; choose from {', '.join(SIZES)}", file=sys.stderr)
            return 2
        targets.append((size, synthetic_root(arguments.synth_dir, size)))
    rows = []
    for name, root in targets:
        print(f"measuring {name} ...", file=sys.stderr)
        rows.append(run_target(name, root, arguments.repeat))
    print_table(rows)
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
