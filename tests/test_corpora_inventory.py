"""Inventory counts on the shared Salesforce corpora equal the corpus MANIFEST's table.

The MANIFEST counts occurrences in files (an object file is one object, a layout copied into two
bundles is two layouts); ``cfglint inventory`` reports those as ``found`` and the de-duplicated
model as ``distinct``. The table is parsed from the MANIFEST itself, so the test follows it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from tests.conftest import CORPORA, corpus_path

#: MANIFEST column -> inventory element kind.
COLUMNS = {
    "objects": "objects",
    "fields (custom)": "fields",
    "layouts": "layouts",
    "flows": "flows",
    "workflow rules": "workflow_rules",
    "validation rules": "validation_rules",
    "record types": "record_types",
    "profiles": "profiles",
    "perm sets": "permission_sets",
    "reports": "reports",
}


def manifest_table() -> dict[str, dict[str, int]]:
    manifest = corpus_path("sfdc", "MANIFEST.md").read_text(encoding="utf-8")
    rows = [line for line in manifest.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[1:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) != len(header) or cells[0].startswith("**"):
            continue
        corpus = re.sub(r"\s*\*\(.*\)\*", "", cells[0])  # "... *(supplementary)*"
        values = dict(zip(header, cells, strict=True))
        table[corpus] = {
            kind: int(re.match(r"\d+", values[column]).group())  # type: ignore[union-attr]
            for column, kind in COLUMNS.items()
        }
    return table


def corpus_names() -> list[str]:
    directory = CORPORA / "sfdc"
    if not directory.is_dir():
        return ["(corpora missing)"]
    return sorted(path.name for path in directory.iterdir() if path.is_dir())


def inventory_json(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["inventory", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


@pytest.mark.parametrize("corpus", corpus_names())
def test_inventory_matches_manifest(corpus: str) -> None:
    path = corpus_path("sfdc", corpus)
    expected = manifest_table()[corpus]
    inventory = inventory_json(path)
    elements = inventory["elements"]
    assert isinstance(elements, dict)
    found = {kind: elements.get(kind, {"found": 0})["found"] for kind in expected}
    assert found == expected


@pytest.mark.parametrize("corpus", corpus_names())
def test_corpus_reads_without_problems(corpus: str) -> None:
    inventory = inventory_json(corpus_path("sfdc", corpus))
    assert inventory["problems"] == []


def test_manifest_lists_every_corpus() -> None:
    assert sorted(manifest_table()) == corpus_names()
