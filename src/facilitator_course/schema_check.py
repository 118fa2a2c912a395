"""JSON Schema validation that reports file:line problems with a fix."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import fastjsonschema

from .errors import CourseError, Problem
from .yaml_source import YamlSource


class Schema:
    """A schema with two validators: a compiled one that only says yes or no (fast),
    and jsonschema's, which explains every error (imported and built only when there
    are errors: importing jsonschema costs seconds)."""

    def __init__(self, schema: dict):
        self.schema = schema
        self._fast = fastjsonschema.compile({**schema, "$schema": DRAFT7})

    @functools.cached_property
    def full(self):
        """jsonschema's validator for the schema's own draft, which explains errors."""
        from jsonschema.validators import validator_for

        return validator_for(self.schema)(self.schema)

    def valid(self, data) -> bool:
        try:
            self._fast(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True


DRAFT7 = "http://json-schema.org/draft-07/schema#"


@cache
def load_schema(name: str, path: Path | None = None) -> Schema:
    """The validator for a schema in the package's schemas/ folder (or at `path`)."""
    text = (
        path.read_text()
        if path
        else resources.files(__package__).joinpath("schemas", name).read_text()
    )
    return Schema(_whole_string_patterns(json.loads(text)))


END = r"(?![\s\S])"  # the end of the string, in ECMA-262 and in Python alike


def _whole_string_patterns(node):
    """Schema patterns ending in `$` end the string: in Python, `$` also matches before
    a final newline, which let an id such as "agr-1\\n" through. `(?![\\s\\S])` means the
    same end in ECMA-262 and in Python, so both validators agree."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                if value.endswith("$") and not value.endswith("\\$"):
                    value = value[:-1] + END
                out[key] = value
            else:
                out[key] = _whole_string_patterns(value)
        return out
    if isinstance(node, list):
        return [_whole_string_patterns(v) for v in node]
    return node


MAX_PROBLEMS = 50  # schema problems listed per file: a hostile file can have thousands


def schema_problems(source: YamlSource, schema: Schema) -> list[Problem]:
    """Schema violations in `source`, one Problem each, in file order: the first
    MAX_PROBLEMS, then a note that there are more."""
    if schema.valid(source.data):
        return []
    problems, more = [], []
    for n, error in enumerate(schema.full.iter_errors(source.data)):
        if n == MAX_PROBLEMS:
            more = [
                Problem(
                    source.path,
                    0,
                    f"more problems against the schema; the first {MAX_PROBLEMS} are listed.",
                    "correct these and validate again.",
                )
            ]
            break
        error = _deepest(error)
        where = list(error.absolute_path)
        message, fix = _explain(error, where)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            where = [*where, extra[0]] if extra else where
        problems.append(Problem(source.path, source.line(where), message, fix))
    problems.sort(key=lambda p: p.line)
    return problems + more


def parse_checked(path: Path, schema: Schema) -> tuple[YamlSource | None, list[Problem]]:
    """Parse `path` and check it against `schema`: its source (None if it does not parse)
    and the problems found so far."""
    try:
        source = YamlSource(path)
    except CourseError as exc:
        return None, exc.problems
    return source, schema_problems(source, schema)


def _deepest(error):
    """For oneOf/anyOf, the sub-error that got furthest into the data."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
    return error


def _explain(error, where: list) -> tuple[str, str]:
    at = ".".join(str(p) for p in where) or "the top level"
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return (f"'{missing}' is missing at {at}.", f"add '{missing}:' with a value here.")
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return (
            f"unknown key {', '.join(repr(e) for e in extra)} at {at}.",
            f"remove it or correct its spelling; allowed keys: {allowed}.",
        )
    if kind == "type":
        want = error.schema["type"]
        got = type(error.instance).__name__
        return (
            f"{at} should be {_article(want)}, not {got} ({error.instance!r}).",
            f"write {at} as {_article(want)}.",
        )
    if kind == "enum":
        choices = ", ".join(repr(c) for c in error.schema["enum"])
        return (f"{at} is {error.instance!r}, which is not allowed.", f"use one of {choices}.")
    if kind == "pattern":
        return (
            f"{at} is {error.instance!r}, which does not have the expected form.",
            f"match the pattern {error.schema['pattern'].replace(END, '$')}"
            + (
                " (with nothing after it, not even a line break)."
                if "\n" in str(error.instance)
                else "."
            ),
        )
    return (f"{at}: {error.message}.", "correct the value as the schema describes.")


def _article(kind: str | list) -> str:
    if isinstance(kind, list):
        return " or ".join(_article(k) for k in kind)
    names = {
        "object": "a mapping",
        "array": "a list",
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "null": "empty",
    }
    return names.get(kind, kind)


@cache
def _checked(path: Path, mtime: float, check: Callable[[Path], list[Problem]]) -> object:
    problems = check(path)
    if problems:
        raise CourseError(problems)
    return YamlSource(path).data


def checked_data(path: Path, check: Callable[[Path], list[Problem]]):
    """The data of a YAML file that `check` finds no problem in (cached until it changes);
    otherwise CourseError with every problem."""
    return _checked(path, path.stat().st_mtime, check)
