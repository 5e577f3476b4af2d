"""The lint cache: an unchanged project is answered from the last run, and only then."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cfglint.cache import CACHE_DIRECTORY, ENTRY_VERSION, cache_root, clean
from cfglint.cli import cli
from tests.conftest import FIXTURES

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
FIELD = "force-app/main/default/objects/Opportunity/fields/Legacy_Score__c.field-meta.xml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(FIXTURES / "acme-sfdx", copy)
    return copy


def lint(project: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["lint", str(project), "--exit-zero", *options])
    assert result.exit_code == 0, result.output
    return result.output


def entries() -> list[Path]:
    return sorted((cache_root(Path(".")) / "lint").glob("*.json"))


def later(path: Path) -> None:
    """Move the modification time on, as an edit a second later would."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_cached_answer_is_the_cold_answer_byte_for_byte(project: Path,
                                                          output_format: str) -> None:
    cold = lint(project, "--format", output_format, "--no-cache")
    assert entries() == []  # --no-cache neither reads nor writes
    first = lint(project, "--format", output_format)
    assert len(entries()) == 1
    cached = lint(project, "--format", output_format)
    assert cold == first == cached


def test_the_cached_answer_is_the_stored_one(project: Path) -> None:
    lint(project)
    # Prove the second run reads the entry: change the stored report and see it come back.
    store("output", "from the cache\n")
    assert lint(project) == "from the cache\n"


def store(name: str, value: object) -> None:
    """Overwrite one field of the only cache entry."""
    entry = json.loads(entries()[0].read_text())
    entry[name] = value
    entries()[0].write_text(json.dumps(entry))


def test_touching_a_file_without_changing_it_is_still_answered(project: Path) -> None:
    lint(project)
    store("output", "from the cache\n")
    later(project / FIELD)  # as git checkout or a fresh clone leaves files
    assert lint(project) == "from the cache\n"


def test_a_fresh_copy_of_the_project_is_answered_from_its_own_manifest(project: Path) -> None:
    lint(project)
    manifests = sorted((cache_root(Path(".")) / "files").glob("*.json"))
    assert len(manifests) == 1
    recorded = json.loads(manifests[0].read_text())["files"]
    assert len(recorded) == sum(1 for path in project.rglob("*") if path.is_file())
    # A manifest that is garbage is ignored: every file is hashed again, the answer stands.
    store("output", "from the cache\n")
    manifests[0].write_text("{broken")
    assert lint(project) == "from the cache\n"
    assert json.loads(manifests[0].read_text())["files"] == recorded


def test_editing_a_file_changes_the_findings_as_a_cold_run_would(project: Path) -> None:
    before = lint(project, "--format", "json")
    field = project / FIELD
    text = field.read_text()
    assert "<description>" not in text  # DEBT001 reports it undocumented
    field.write_text(text.replace(
        "<fullName>Legacy_Score__c</fullName>",
        "<fullName>Legacy_Score__c</fullName>\n    <description>Old score.</description>"))
    later(field)
    after = lint(project, "--format", "json")
    assert after == lint(project, "--format", "json", "--no-cache")
    gone = {(f["rule"], f["element"]) for f in json.loads(before)["findings"]} - {
        (f["rule"], f["element"]) for f in json.loads(after)["findings"]}
    assert gone == {("DEBT001", "Opportunity.Legacy_Score__c")}


def test_a_new_file_is_seen(project: Path) -> None:
    lint(project)
    broken = project / "force-app/main/default/objects/Account/fields/Broken__c.field-meta.xml"
    broken.write_text("<CustomField><fullName>Broken__c</")
    output = lint(project)
    assert "CFG001" in output
    assert output == lint(project, "--no-cache")


def test_a_corrupt_entry_is_ignored_and_rewritten(project: Path) -> None:
    cold = lint(project, "--format", "json", "--no-cache")
    lint(project, "--format", "json")
    for garbage in ("{not json", '{"version": 1, "stamp": "x"}', "[]", ""):
        entries()[0].write_text(garbage)
        assert lint(project, "--format", "json") == cold
        assert json.loads(entries()[0].read_text())["version"] == ENTRY_VERSION


@pytest.mark.parametrize(("name", "value"), [("exit", 7), ("output", None), ("inputs", [])])
def test_an_entry_with_the_right_stamp_but_broken_fields_is_not_trusted(
        project: Path, name: str, value: object) -> None:
    cold = lint(project, "--format", "json", "--no-cache")
    lint(project, "--format", "json")
    store(name, value)
    assert lint(project, "--format", "json") == cold


def test_other_settings_are_another_entry(project: Path) -> None:
    everything = lint(project)
    only_req = lint(project, "--select", "REQ")
    assert len(entries()) == 2
    assert only_req != everything
    assert lint(project) == everything


def test_a_changed_configuration_file_is_seen(project: Path) -> None:
    lint(project)
    (project / ".cfglint.yaml").write_text("ignore: [DEBT001]\n")
    output = lint(project)
    assert "DEBT001" not in output
    assert output == lint(project, "--no-cache")


def test_the_default_cache_is_tagged_ignored_and_cleaned(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CFGLINT_CACHE_DIR")
    lint(project)
    root = project / CACHE_DIRECTORY
    assert (root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f")
    assert (root / ".gitignore").read_text().splitlines()[-1] == "*"
    result = CliRunner().invoke(cli, ["clean", str(project)])
    assert result.exit_code == 0
    assert not root.exists()
    assert "no cfglint cache" in CliRunner().invoke(cli, ["clean", str(project)]).output


def test_clean_leaves_a_directory_cfglint_did_not_make(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CFGLINT_CACHE_DIR")
    foreign = tmp_path / CACHE_DIRECTORY
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert clean(tmp_path) is None
    assert (foreign / "notes.txt").read_text() == "mine"


def test_an_unwritable_cache_does_not_fail_the_run(project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(blocker / "cache"))
    assert lint(project) == lint(project, "--no-cache")


def test_changed_cfglint_code_is_another_entry(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import cfglint.cache

    lint(project)
    monkeypatch.setattr(cfglint.cache, "_code_stamp", lambda: "edited")
    lint(project)
    assert len(entries()) == 2


def test_an_edited_ruleset_file_named_by_the_configuration_is_seen(project: Path) -> None:
    rules = project / "my-rules.yaml"
    rules.write_text("extends: default\n")
    (project / ".cfglint.yaml").write_text("ruleset: my-rules.yaml\n")
    everything = lint(project)
    assert "DEBT001" in everything
    rules.write_text("extends: default\nrules:\n  DEBT001: {severity: off}\n")
    later(rules)
    edited = lint(project)
    assert "DEBT001" not in edited
    assert edited == lint(project, "--no-cache")


def test_an_answer_from_the_cache_imports_no_rules_readers_or_graph(project: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "cfglint", "lint", str(project),
               "--exit-zero"]
    cold = subprocess.run(command, capture_output=True, text=True, check=True)
    warm = subprocess.run(command, capture_output=True, text=True, check=True)
    assert warm.stdout == cold.stdout
    imported = {line.rpartition("|")[2].strip() for line in warm.stderr.splitlines()}
    assert "cfglint.cache" in imported
    heavy = {"cfglint.rules", "cfglint.model", "cfglint.readers.salesforce", "lxml", "networkx"}
    assert (heavy | {"jsonschema", "ruamel.yaml"}) & imported == set()
    assert heavy <= {line.rpartition("|")[2].strip() for line in cold.stderr.splitlines()}


def test_the_oldest_entries_are_pruned(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cfglint.cache

    monkeypatch.setattr(cfglint.cache, "MAX_ENTRIES", 2)
    for selection in ("REQ", "VIEW", "DEBT"):
        lint(project, "--select", selection)
    assert len(entries()) == 2
    for entry in entries():
        document = json.loads(entry.read_text())
        document["output"] = "from the cache\n"
        entry.write_text(json.dumps(document))
    assert lint(project, "--select", "DEBT") == "from the cache\n"
    assert lint(project, "--select", "VIEW") == "from the cache\n"
    assert lint(project, "--select", "REQ") != "from the cache\n"  # pruned: read again
