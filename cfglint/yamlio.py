"""Reading cfglint's own YAML files (rulesets, configuration, roles) with line numbers.

ruamel.yaml's round-trip loader keeps the line and column of every mapping key and sequence
item; :func:`line_of_path` walks a JSON-Schema error's path through the loaded document to name
the line of the offending node.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML file that cannot be used: where and why."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def load_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text with the round-trip loader (line numbers kept)."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlProblem(path, line, f"malformed YAML: {error.problem or error.context}") from None
    except YAMLError as error:
        raise YamlProblem(path, None, f"malformed YAML: {error}") from None


def load_yaml_file(path: Path, display: str | None = None) -> Any:
    shown = display or path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise YamlProblem(shown, None, "not valid UTF-8") from None
    except OSError as error:
        raise YamlProblem(shown, None, f"cannot read: {error.strerror}") from None
    return load_yaml_text(text, shown)


def line_of_path(document: Any, path: Sequence[Any]) -> int | None:
    """1-based line of the node at a JSON path in a round-trip document (nearest known)."""
    node, line = document, _own_line(document)
    for key in path:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None and isinstance(key, str):
                line = lc.key(key)[0] + 1
            elif lc is not None and isinstance(key, int):
                line = lc.item(key)[0] + 1
            node = node[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def validate(document: Any, schema: dict[str, Any], path: str) -> list[YamlProblem]:
    """Schema violations, each with the line of the offending node, in document order."""
    import jsonschema  # here: a lint with no configuration file of its own validates nothing

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(document):
        location = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        problems.append(
            YamlProblem(path, line_of_path(document, list(error.absolute_path)),
                        f"{location}: {error.message}")
        )
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.message))


def to_plain(node: Any) -> Any:
    """Round-trip containers to plain dicts and lists (for JSON output and comparisons)."""
    if isinstance(node, dict):
        return {str(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    return node


@functools.cache
def package_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``cfglint/schemas/`` (e.g. ``roles.schema.json``), read once."""
    text = resources.files("cfglint.schemas").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def package_validator(name: str) -> Draft202012Validator:
    """A validator for the shipped schema ``name``, made once. jsonschema is imported here:
    only a run with a file to validate needs it."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(package_schema(name))
