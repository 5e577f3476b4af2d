"""GitHub Actions workflow commands: findings become annotations on the pull request's files.

One command per finding::

    ::error file=objects/Account.object,line=12,col=5,title=cfglint REQ001::message

``error`` for errors, ``warning`` for warnings, ``notice`` for infos. ``line`` and ``col`` are left
out when unknown (``col`` too when the line is), and ``file`` for a project-wide finding, which
then shows on the workflow run instead of a file. Paths are as
:func:`~cfglint.formatters.common.shown_path` describes: relative to the directory cfglint ran
in, which in a workflow is the repository checkout GitHub resolves ``file`` against.

Commands are grouped per file with ``::group::``/``::endgroup::`` so the log folds. Values are
escaped as the runner expects: in the message ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in
properties also ``:`` → ``%3A`` and ``,`` → ``%2C``. GitHub shows at most 10 annotations of each
level per step; when a level has more, a final notice says how many there were.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from cfglint.formatters.common import severity_breakdown, severity_counts, shown_path
from cfglint.lint import LintResult
from cfglint.rules.base import Finding, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

#: Annotations GitHub shows per level and step; the rest appear only in the log.
ANNOTATIONS_SHOWN_PER_LEVEL = 10


def format_github(result: LintResult) -> str:
    lines = list(_grouped_commands(result))
    lines.extend(_overflow_notice(result))
    return "".join(line + "\n" for line in lines)


def _grouped_commands(result: LintResult) -> Iterator[str]:
    for path, findings in groupby(result.findings, key=lambda found: found.path):
        shown = shown_path(result.root, path)
        yield f"::group::{escape_data(shown or 'project-wide findings')}"
        for finding in findings:
            yield annotation(finding, result.root)
        yield "::endgroup::"


def annotation(finding: Finding, root: str) -> str:
    properties: list[tuple[str, str]] = []
    path = shown_path(root, finding.path)
    if path:
        properties.append(("file", path))
        location = finding.location
        if location is not None and location.line is not None:
            properties.append(("line", str(location.line)))
            if location.column is not None:
                properties.append(("col", str(location.column)))
    properties.append(("title", f"cfglint {finding.rule_id}"))
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(finding.message)}"


def _overflow_notice(result: LintResult) -> list[str]:
    counts = severity_counts(result.findings)
    if max(counts.values(), default=0) <= ANNOTATIONS_SHOWN_PER_LEVEL:
        return []
    found = severity_breakdown(result.findings)
    message = (
        f"cfglint found {found}; GitHub shows at most {ANNOTATIONS_SHOWN_PER_LEVEL} annotations "
        "of each level per step, so see the log above (or upload SARIF) for all of them."
    )
    return [f"::notice title=cfglint::{escape_data(message)}"]


def escape_data(value: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=…``, ``title=…``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
