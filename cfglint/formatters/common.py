"""What every formatter shares: fingerprints, shown paths, counts, and rule documentation parts.

Kept apart from :mod:`cfglint.formatters` so the format modules can import it while the package
``__init__`` imports them to build its registry.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cfglint.lint import LintResult
from cfglint.rules import FAMILIES, RuleSpec
from cfglint.rules.base import Finding, Severity, family_of

TOOL_NAME = "cfglint"
INFORMATION_URI = "https://github.com/cfglint/cfglint"

#: Severities from most to least severe: the column order of every summary.
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

#: Section titles a rule docstring may use; they become Markdown headings in SARIF help.
DOC_SECTIONS = frozenset(
    {
        "what it does",
        "why it matters",
        "failing example",
        "passing example",
        "bad example",
        "good example",
        "example",
        "examples",
        "how to fix",
        "fix safety",
        "options",
        "references",
        "see also",
    }
)


def fingerprint(finding: Finding) -> str:
    """A stable, line-independent identity: rule id + project-relative path + element id.

    Lines move when a file is edited; the rule, the file and the element do not, so baselines
    and code-scanning alerts keyed on this survive unrelated edits. The message is left out on
    purpose too: rewording a message must not make an old finding look new.
    """
    # The unit separator cannot occur in ids or paths, so the parts cannot run together.
    key = "\x1f".join((finding.rule_id, finding.path, finding.element_id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def shown_path(root: str, path: str) -> str:
    """A finding's path as reports show it.

    Finding paths are relative to the project root. When the root was given as a relative path
    (the usual case: ``cfglint lint .`` or ``cfglint lint force-app`` from a repository's top),
    the root is put in front so the path is relative to the directory cfglint ran in — which is
    what editors, GitHub annotations and code scanning resolve against. An absolute root is not
    put in front, so reports carry no machine-specific prefix.
    """
    if not path:
        return ""
    if not root or posixpath.isabs(root):
        return path
    return posixpath.normpath(posixpath.join(root, path))


def root_label(root: str) -> str:
    """What stands in for the path of a finding that has no location: the project root."""
    return root or "."


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def family_counts(findings: Iterable[Finding]) -> dict[str, dict[Severity, int]]:
    """Findings per family and severity, families in :data:`~cfglint.rules.FAMILIES` order
    (unknown families, e.g. from plugins, after them alphabetically); empty families left out."""
    per_family: dict[str, list[Finding]] = {}
    for finding in findings:
        per_family.setdefault(finding.family, []).append(finding)
    return {family: severity_counts(per_family[family]) for family in ordered_families(per_family)}


def ordered_families(families: Iterable[str]) -> list[str]:
    known = list(FAMILIES)
    return sorted(
        set(families),
        key=lambda family: (known.index(family) if family in known else len(known), family),
    )


def severity_breakdown(findings: Iterable[Finding]) -> str:
    """``2 errors, 1 warning, 0 infos``: every severity, most severe first."""
    counts = severity_counts(findings)
    return ", ".join(plural(counts[severity], severity.value) for severity in SEVERITIES)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class RuleInfo:
    """What reports say about a rule, whether or not a :class:`RuleSpec` describes it."""

    id: str
    name: str
    default_severity: Severity
    summary: str
    doc: str

    @property
    def family(self) -> str:
        return family_of(self.id)


def rule_infos(result: LintResult) -> list[RuleInfo]:
    """Every rule that ran, plus any rule a finding names that the result does not describe
    (findings the engine makes itself, such as parse errors), in id order."""
    infos = {rule_id: _info_from_spec(spec) for rule_id, spec in result.rules.items()}
    suppressed = (finding for finding, _ in result.suppressed)
    for finding in (*result.findings, *suppressed):
        if finding.rule_id not in infos:
            infos[finding.rule_id] = RuleInfo(
                id=finding.rule_id,
                name=finding.rule_name,
                default_severity=finding.severity,
                summary=finding.rule_name,
                doc="",
            )
    return [infos[rule_id] for rule_id in sorted(infos)]


def _info_from_spec(spec: RuleSpec) -> RuleInfo:
    return RuleInfo(
        id=spec.id, name=spec.name, default_severity=spec.severity, summary=spec.summary,
        doc=spec.doc.strip(),
    )


def first_paragraph(doc: str) -> str:
    """The doc's opening paragraph on one line: the summary and whatever directly follows it."""
    lines: list[str] = []
    for line in doc.strip().splitlines():
        if not line.strip() or is_section_title(line):
            break
        lines.append(line.strip())
    return " ".join(lines)


_HEADING_MARKS = re.compile(r"^#+\s*")
_UNDERLINE = re.compile(r"^\s*(-+|=+)\s*$")


def is_section_title(line: str) -> bool:
    return _section_title(line) is not None


def _section_title(line: str) -> str | None:
    """The title of a section heading line (``Why it matters``, ``## How to fix:``), else None."""
    if line[:1].isspace():
        return None
    title = _HEADING_MARKS.sub("", line.strip()).rstrip(":").strip()
    return title if title.lower() in DOC_SECTIONS else None


def doc_markdown(doc: str) -> str:
    """A rule docstring as Markdown: section title lines become ``###`` headings (whatever form
    the docstring used); everything else is already Markdown-compatible and is kept."""
    lines: list[str] = []
    after_title = in_fence = False
    for line in doc.strip().splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        title = None if in_fence else _section_title(line)
        if title is None:
            # A setext underline under a title we already turned into a heading would
            # otherwise render as a horizontal rule.
            if not (after_title and _UNDERLINE.match(line)):
                lines.append(line)
            after_title = False
            continue
        after_title = True
        if lines and lines[-1].strip():
            lines.append("")
        lines.append(f"### {title}")
    return "\n".join(lines)
