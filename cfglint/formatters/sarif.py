"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver`` describes every rule that ran (``result.rules``) plus any rule a finding
names that the result does not describe, in id order: ``id``, ``name``, short and full
description, ``help`` (the rule's documentation as text and Markdown — GitHub shows
``help.markdown``), ``defaultConfiguration.level`` and the family as a tag. Severities map
error → ``error``, warning → ``warning``, info → ``note``.

Each result has one location: a physical one (``artifactLocation.uri`` relative to
``%SRCROOT%``, percent-encoded, with a region when the line is known) and a logical one, the
element id, so a viewer can name what is wrong even without a line. A project-wide finding (no
path) is anchored at the project root directory (``./`` or ``force-app/``), because GitHub
rejects a whole upload when any result lacks a physical location.

``%SRCROOT%`` is the directory cfglint ran in when the project root was given as a relative path
(the root is then part of each uri, which makes the uris repository-relative when cfglint runs at
the repository's top, as in CI), or the project root itself when it was given as an absolute
path (then ``originalUriBaseIds`` records it as a ``file:`` URI).

``partialFingerprints``:

- ``primaryLocationLineHash`` — the key GitHub uses to follow an alert from one run to the next.
  Despite its name it is line-*independent* on purpose: it is the cfglint fingerprint (rule id,
  path, element id) plus ``:N``, N counting results that share it, as CodeQL does. Moving an
  element within its file, or editing lines above it, keeps the alert open instead of closing it
  and opening a new one.
- ``cfglint/v1`` — the plain fingerprint, what cfglint baselines match on.

Suppressed findings (inline comments, configuration, baseline) are included with
``suppressions: [{"kind": "inSource" | "external"}]`` so code scanning shows them as dismissed.
Rules that could not run are reported as tool configuration notifications of the invocation.
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections import Counter
from typing import Any
from urllib.parse import quote

from cfglint import __version__
from cfglint.formatters.common import (
    INFORMATION_URI,
    TOOL_NAME,
    RuleInfo,
    doc_markdown,
    fingerprint,
    first_paragraph,
    rule_infos,
    shown_path,
)
from cfglint.lint import LintResult
from cfglint.rules import FAMILIES
from cfglint.rules.base import Finding, Severity

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SUPPRESSION_KINDS = frozenset({"inSource", "external"})


def format_sarif(result: LintResult) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"


def sarif_log(result: LintResult) -> dict[str, Any]:
    rules = rule_infos(result)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    occurrences: Counter[str] = Counter()

    def convert(finding: Finding, suppression: str | None) -> dict[str, Any]:
        key = fingerprint(finding)
        occurrences[key] += 1
        fingerprints = {"primaryLocationLineHash": f"{key}:{occurrences[key]}", "cfglint/v1": key}
        return _result(finding, result.root, rule_index[finding.rule_id], fingerprints,
                       suppression)

    results = [convert(finding, None) for finding in result.findings]
    results.extend(convert(finding, kind) for finding, kind in result.suppressed)
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules)},
        "invocations": [_invocation(result)],
        "originalUriBaseIds": {SRCROOT: _srcroot(result.root)},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _driver(rules: list[RuleInfo]) -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule_descriptor(rule) for rule in rules],
    }


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    doc = rule.doc or rule.summary
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(doc) or rule.summary},
        "help": {"text": doc, "markdown": doc_markdown(doc)},
        "defaultConfiguration": {"level": LEVELS[rule.default_severity]},
        "properties": {"tags": _tags(rule)},
    }


def _tags(rule: RuleInfo) -> list[str]:
    tags = [rule.family]
    if rule.family in FAMILIES:
        tags.append(FAMILIES[rule.family])
    return tags


def _result(
    finding: Finding,
    root: str,
    rule_index: int,
    fingerprints: dict[str, str],
    suppression: str | None,
) -> dict[str, Any]:
    sarif_result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding, root)],
        "partialFingerprints": fingerprints,
    }
    if suppression is not None:
        kind = suppression if suppression in SUPPRESSION_KINDS else "external"
        sarif_result["suppressions"] = [{"kind": kind}]
    return sarif_result


def _location(finding: Finding, root: str) -> dict[str, Any]:
    return {
        "physicalLocation": _physical_location(finding, root),
        "logicalLocations": [{"fullyQualifiedName": finding.element_id, "kind": "element"}],
    }


def _physical_location(finding: Finding, root: str) -> dict[str, Any]:
    uri = _artifact_uri(root, finding.path)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}}
    source = finding.location
    if source is not None and source.line is not None:
        region = {"startLine": source.line}
        if source.column is not None:
            region["startColumn"] = source.column
        physical["region"] = region
    return physical


@functools.lru_cache(maxsize=4096)
def _artifact_uri(root: str, path: str) -> str:
    # Cached: findings cluster in few files, and quoting is the costliest step per result.
    return quote(shown_path(root, path)) if path else _root_directory_uri(root)


def _root_directory_uri(root: str) -> str:
    """Where a project-wide finding points: the project root directory.

    GitHub rejects a whole SARIF upload if any result lacks a physical location, so a finding
    about the project as a whole (e.g. "no email capture configured") is anchored at the project
    directory rather than left with only its logical location."""
    relative = "." if posixpath.isabs(root) else posixpath.normpath(root or ".")
    return "./" if relative == "." else quote(relative) + "/"


def _srcroot(root: str) -> dict[str, Any]:
    """What ``%SRCROOT%`` stood for. SARIF wants an absolute URI here or none, and the working
    directory is machine-specific, so a relative root is described in words only."""
    if posixpath.isabs(root):
        return {
            "uri": "file://" + quote(root.rstrip("/") + "/"),
            "description": {"text": "The project root."},
        }
    return {"description": {"text": "The directory cfglint ran in."}}


def _invocation(result: LintResult) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    notifications = [
        {
            "descriptor": {"id": rule_id},
            "level": "note",
            "message": {"text": f"Rule {rule_id} was skipped: {result.skipped_rules[rule_id]}"},
        }
        for rule_id in sorted(result.skipped_rules)
    ]
    if notifications:
        invocation["toolConfigurationNotifications"] = notifications
    return invocation
