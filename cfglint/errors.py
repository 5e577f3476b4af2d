"""The errors that end a command with exit code 2 and a message instead of a traceback.

They live apart from the readers and the configuration code that raise them so that the command
line can catch them without importing either: a lint answered from the cache imports neither.
"""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be read at all; the message says why and the hint what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class RulesetError(Exception):
    """A ruleset or configuration that cannot be used (exit code 2)."""


class ConfigError(RulesetError):
    """A configuration that cannot be used (exit code 2)."""
