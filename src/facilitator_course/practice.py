"""Practice questions on module pages: data in modules/<slug>/practice.yaml, answered in
the page with instant feedback, as often as the trainee likes. Not graded, so keys and
feedback may be in the page (unlike exercises, grading/web.py)."""

from __future__ import annotations

import json
import os
from functools import cache
from html import escape
from pathlib import Path

from .curriculum import competency_ids, module
from .errors import Problem
from .paths import project_root
from .schema_check import Schema, checked_data, parse_checked


def practice_path(slug: str) -> Path:
    return project_root() / "modules" / slug / "practice.yaml"


@cache
def _schema() -> Schema:
    """The exercise items' schema, with a question needing no points or rubric."""
    from .grading.items import items_schema
    from .grading.kinds import KINDS

    items = items_schema().schema
    defs = json.loads(json.dumps(items["$defs"]))
    defs["item"]["required"] = [r for r in defs["item"]["required"] if r != "points"]
    defs["item"]["properties"]["id"]["pattern"] = "^p[0-9]+-[0-9]+$"
    defs["item"]["properties"]["kind"]["enum"] = [k for k, v in KINDS.items() if v.practice]
    return Schema(
        {
            "$schema": items["$schema"],
            "type": "object",
            "additionalProperties": False,
            "required": ["module", "questions"],
            "properties": {
                "module": {"type": "string"},
                "questions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
            },
            "$defs": defs,
        }
    )


def check_practice(path: Path) -> list[Problem]:
    """Every problem in one practice file: schema, keys that exist, known competencies."""
    from .grading.items import _item_logic
    from .safety import text_safety_problems

    source, problems = parse_checked(path, _schema())
    if problems:
        return problems
    known = competency_ids()
    for i, q in enumerate(source.data["questions"]):
        at = source.line(["questions", i])
        for message, fix in _item_logic(q):
            problems.append(Problem(path, at, message, fix))
        for cid in q["competencies"]:
            if cid not in known:
                problems.append(Problem(path, at, f"{cid} is not in competencies.yml.", "fix it."))
        for text in (q["principle"], q.get("model", "")):
            for message, fix in text_safety_problems(text):
                problems.append(Problem(path, at, f"{q['id']}: {message}", fix))
    if source.data["module"] != path.parent.name:
        problems.append(
            Problem(path, 1, "module differs from the folder.", f"set module: {path.parent.name}.")
        )
    return problems


def practice_files() -> list[Path]:
    return sorted((project_root() / "modules").glob("*/practice.yaml"))


def load_practice(slug: str) -> dict:
    return checked_data(practice_path(slug), check_practice)


def _static(data: dict) -> str:
    """Questions with reveal-only answers, where the interactive form cannot load."""
    parts = []
    for n, q in enumerate(data["questions"], 1):
        choices = q.get("options") or q.get("steps") or q.get("statements") or {}
        listed = "".join(
            f"<li><strong>{k}.</strong> {escape(v)}</li>" for k, v in sorted(choices.items())
        )
        answer = q["answer"]
        if isinstance(answer, dict):
            answer = ", ".join(f"{k}: {v}" for k, v in answer.items())
        elif isinstance(answer, list):
            answer = ", ".join(answer)
        parts.append(
            f"<p><strong>{n}. {escape(q['prompt'])}</strong></p><ul>{listed}</ul>"
            f"<details><summary>Answer</summary><p>{escape(str(answer))}. "
            f"{escape(q.get('model', q['principle']))}</p></details>"
        )
    return "".join(parts)


def show_practice(slug: str):
    """The module's practice questions: a form with instant feedback on the website."""
    from .display import Html
    from .grading.web import practice_html
    from .scenarios.player import SITE_BUILD_ENV

    data = load_practice(slug)
    title = f"Practice questions: {module(slug).title}"
    if os.environ.get(SITE_BUILD_ENV):
        return Html(practice_html(data), title)
    return Html(_static(data), title)
