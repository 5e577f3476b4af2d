"""Inline suppressions, configured element ignores, and baselines.

Inline, in an XML ``<!-- -->`` or YAML ``#`` comment::

    <!-- cfglint: ignore[REQ001, DEBT001] kept until the Q3 clean-up -->
    # cfglint: ignore[DATA002] the list is owned by finance

suppresses those rules for findings on the comment's line and on the line after it;
``cfglint: file-ignore[ID, ...]`` anywhere in a file suppresses them for the whole file. Rule ids
are required (there is no blanket ignore); prefixes (``REQ``) and dotted names work as in
``select``. A suppression that suppressed nothing is itself reported (``CFG002``).

A baseline records today's findings so that only new ones fail: entries are matched on rule id,
repository-relative path and element id, never on line numbers, so edits that move lines keep
their matches.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from cfglint.model import InlineSuppression, SourceLocation
from cfglint.rules.base import Finding

_DIRECTIVE = re.compile(
    r"cfglint:\s*(?P<scope>ignore|file-ignore)\[(?P<rules>[^\]]*)\]\s*(?P<reason>[^\n]*)"
)
_COMMENT_END = re.compile(r"\s*(-->)?\s*$")

BASELINE_VERSION = 1


def covers(suppression: InlineSuppression, finding: Finding, rule_ids: set[str]) -> bool:
    """Whether a suppression (whose selectors name ``rule_ids``) applies to a finding."""
    if finding.path != suppression.location.path or finding.rule_id not in rule_ids:
        return False
    if suppression.whole_file:
        return True
    line = suppression.location.line or 0
    return finding.line in (line, line + 1)


def scan_suppressions(path: str, text: str) -> list[InlineSuppression]:
    """Every ``cfglint:`` directive in a file's text (callers check ``"cfglint:" in text``)."""
    suppressions = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if "cfglint:" not in line:
            continue
        for match in _DIRECTIVE.finditer(line):
            selectors = tuple(
                selector.strip() for selector in match.group("rules").split(",")
                if selector.strip()
            )
            reason = _COMMENT_END.sub("", match.group("reason")).strip()
            suppressions.append(
                InlineSuppression(
                    location=SourceLocation(path, line_number, match.start() + 1),
                    selectors=selectors,
                    whole_file=match.group("scope") == "file-ignore",
                    reason=reason,
                )
            )
    return suppressions


# --- baselines ---------------------------------------------------------------------------------


def baseline_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule_id, finding.path, finding.element_id)


def write_baseline(findings: Iterable[Finding], destination: Path) -> int:
    """Record findings; returns how many entries were written."""
    counts = Counter(baseline_key(finding) for finding in findings)
    entries = [
        {"rule": rule_id, "path": path, "element": element, "count": count}
        for (rule_id, path, element), count in sorted(counts.items())
    ]
    document = {"version": BASELINE_VERSION, "tool": "cfglint", "findings": entries}
    from cfglint.output import write_text

    write_text(json.dumps(document, indent=2) + "\n", destination)
    return len(entries)


class BaselineError(ValueError):
    pass


def read_baseline(source: Path) -> Counter[tuple[str, str, str]]:
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{source}: cannot read baseline: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        where = f"{source}:{line}" if line else str(source)
        raise BaselineError(f"{where}: not a cfglint baseline (malformed JSON)") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{source}: not a cfglint baseline (no 'findings' list)")
    counts: Counter[tuple[str, str, str]] = Counter()
    for entry in document["findings"]:
        try:
            key = (str(entry["rule"]), str(entry["path"]), str(entry["element"]))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{source}: malformed baseline entry {entry!r}") from None
    return counts


def split_by_baseline(
    findings: list[Finding], baseline: Counter[tuple[str, str, str]]
) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings the baseline already knows). Counts are honoured: a baseline
    entry with count 2 absorbs two findings on that element, a third is new."""
    remaining = Counter(baseline)
    new, known = [], []
    for finding in findings:
        key = baseline_key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            known.append(finding)
        else:
            new.append(finding)
    return new, known
