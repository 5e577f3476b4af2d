"""Output formats for ``cfglint lint``: each turns a :class:`~cfglint.lint.LintResult` into text.

=========  ================================  =================================================
name       module                            for
=========  ================================  =================================================
text       :mod:`~.text`                     people at a terminal; ``grep``; editors' jump-to
json       :mod:`~.json_format`              scripts; validated by
                                             ``cfglint/schemas/lint-result.schema.json``
sarif      :mod:`~.sarif`                    GitHub code scanning and other SARIF 2.1.0 viewers
junit      :mod:`~.junit`                    CI test-report dashboards
github     :mod:`~.github`                   annotations in a GitHub Actions run
markdown   :mod:`~.markdown`                 pull-request comments, reports for people
=========  ================================  =================================================

Every formatter is a pure function of the result: no clock, no environment, no file system, so
the same result gives the same bytes. Findings keep the order the engine gave them (path, line,
rule id, element id); where order carries no meaning (rules, skipped rules, ``data`` keys) it is
sorted. Finding paths are relative to the project root; how each format shows them is described
in :func:`~cfglint.formatters.common.shown_path`.

:func:`fingerprint` — rule id + path + element id, never the line — is the identity baselines and
SARIF partial fingerprints use.
"""

from __future__ import annotations

from collections.abc import Callable

from cfglint.formatters.common import fingerprint
from cfglint.formatters.github import format_github
from cfglint.formatters.json_format import format_json
from cfglint.formatters.junit import format_junit
from cfglint.formatters.markdown import format_markdown
from cfglint.formatters.sarif import format_sarif
from cfglint.formatters.text import format_text
from cfglint.lint import LintResult

Formatter = Callable[[LintResult], str]

#: Formatters by the name ``--format`` takes.
FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "junit": format_junit,
    "github": format_github,
    "markdown": format_markdown,
}


def format_result(result: LintResult, name: str) -> str:
    """``result`` in the format called ``name``; :class:`ValueError` for an unknown name."""
    try:
        formatter = FORMATTERS[name]
    except KeyError:
        known = ", ".join(FORMATTERS)
        raise ValueError(f"unknown output format {name!r} (known: {known})") from None
    return formatter(result)


__all__ = ["FORMATTERS", "Formatter", "fingerprint", "format_result"]
