"""``cfglint lint`` on every shared corpus: exit 0 or 1, never 2, never a traceback; SARIF
output valid; the same bytes twice."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from cfglint.cli import cli
from tests.conftest import corpus_path, shared_path
from tests.test_corpora_inventory import corpus_names


@pytest.mark.parametrize("corpus", corpus_names())
def test_lint_runs_on_corpus(corpus: str) -> None:
    path = corpus_path("sfdc", corpus)
    first = CliRunner().invoke(cli, ["lint", "--format", "sarif", str(path)])
    assert first.exit_code in (0, 1), first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(json.loads(first.stdout), schema)
    second = CliRunner().invoke(cli, ["lint", "--format", "sarif", str(path)])
    assert second.stdout == first.stdout
