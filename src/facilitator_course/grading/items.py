"""Exercise items (exercises/items/<slug>.yaml) and rubrics, loaded and checked."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..curriculum import competency_ids
from ..errors import CourseError, Problem
from ..paths import project_root
from ..safety import text_safety_problems
from ..schema_check import Schema, checked_data, load_schema, parse_checked
from .pattern_lint import pattern_problems


@cache
def items_schema() -> Schema:
    """The items schema, with the kinds and what each requires from the kind registry."""
    from .kinds import item_schema_parts

    schema = json.loads(json.dumps(load_schema("items.schema.json").schema))
    names, parts = item_schema_parts()
    item = schema["$defs"]["item"]
    item["properties"]["kind"] = {"enum": names}
    item["allOf"] = parts
    return Schema(schema)


def exercises_dir() -> Path:
    return project_root() / "exercises"


def item_files() -> list[Path]:
    return sorted((exercises_dir() / "items").glob("*.yaml"))


def variable(item_id: str) -> str:
    """The answer variable of an item: tic-1 -> tic_1."""
    return item_id.replace("-", "_")


def check_items(path: Path) -> list[Problem]:
    """Every problem in one items file, including its rubrics."""
    source, problems = parse_checked(path, items_schema())
    if problems:
        return problems
    data = source.data

    def add(where, message, fix):
        problems.append(Problem(path, source.line(where), message, fix))

    if data["assignment"] != path.stem:
        add(
            ["assignment"],
            f"assignment {data['assignment']!r} differs from the file name.",
            f"set assignment: {path.stem}.",
        )
    known = competency_ids()
    prefix = _assignment_prefix(path.stem)
    seen: set[str] = set()
    kinds = set()
    for i, item in enumerate(data["items"]):
        at = ["items", i]
        kinds.add(item["kind"])
        if prefix and not item["id"].lower().startswith(prefix.lower() + "-"):
            add(
                [*at, "id"],
                f"item id {item['id']!r} does not start with this module's prefix "
                f"{prefix.lower()}-, so grading would look for it in another module.",
                f"rename it {prefix.lower()}-N (a number not used yet).",
            )
        if item["id"] in seen:
            add([*at, "id"], f"item id {item['id']} is used twice.", "give each item its own id.")
        seen.add(item["id"])
        for cid in item["competencies"]:
            if cid not in known:
                add(
                    [*at, "competencies"],
                    f"{cid} is not in competencies.yml.",
                    "use an id from competencies.yml.",
                )
        problems.extend(Problem(path, source.line(at), m, f) for m, f in _item_logic(item))
        for field, text in _endorsed_texts(item):
            for message, fix in text_safety_problems(text):
                add([*at, *field], f"{item['id']}: {message}", fix)
    from .kinds import KINDS

    auto = {k for k in kinds if KINDS[k].auto}
    if len(auto) < 3:
        others = ", ".join(k for k in KINDS if KINDS[k].auto)
        add(
            ["items"],
            f"only {len(auto)} kinds of auto-graded item; the standard asks for 3.",
            f"add items of other kinds ({others}).",
        )
    return problems


def _endorsed_texts(item: dict):
    """The texts an item presents as good practice: its model answer, principle and the
    options that earn credit, as (YAML path, text)."""
    for key in ("model", "principle"):
        if key in item:
            yield [key], item[key]
    answer = item.get("answer", [])
    lettered = "options" in item and "credit" not in item  # the key names options
    keyed = set([answer] if isinstance(answer, str) else answer) if lettered else set()
    keyed |= {letter for letter, credit in item.get("credit", {}).items() if credit > 0}
    for letter in sorted(keyed & set(item.get("options", {}))):
        yield ["options", letter], item["options"][letter]


def _item_logic(item: dict):
    """The kind's own checks beyond the schema (kinds.py)."""
    from .kinds import KINDS

    yield from KINDS[item["kind"]].checks(item)


def _assignment_prefix(slug: str) -> str | None:
    """The competency prefix of the module an assignment belongs to (FND, TIC, ...)."""
    from ..curriculum import modules

    return next((m.prefix for m in modules() if m.slug == slug), None)


def assignment(slug: str) -> dict:
    path = exercises_dir() / "items" / f"{slug}.yaml"
    if not path.is_file():
        raise CourseError(
            Problem(
                path,
                0,
                f"no exercise items for {slug!r}.",
                "create the items file, or check the assignment name.",
            )
        )
    return checked_data(path, check_items)


def all_items() -> dict[str, dict]:
    """Every item of every assignment, by id, with its assignment slug."""
    found = {}
    for path in item_files():
        for item in assignment(path.stem)["items"]:
            found[item["id"]] = {**item, "assignment": path.stem}
    return found


def item(item_id: str) -> dict:
    """One item, read from its own assignment only (found by the id's module prefix)."""
    from ..curriculum import modules

    prefix = item_id.split("-")[0].upper()
    slugs = [m.slug for m in modules() if m.prefix == prefix]
    items = (
        {i["id"]: {**i, "assignment": slugs[0]} for i in assignment(slugs[0])["items"]}
        if slugs
        else {}
    )
    if item_id not in items:
        raise CourseError(
            Problem(
                exercises_dir() / "items",
                0,
                f"no item {item_id!r}.",
                "check the id in the test cell.",
            )
        )
    return items[item_id]


def rubric_path(rubric_id: str) -> Path:
    return exercises_dir() / "rubrics" / f"{rubric_id}.yaml"


def check_rubric(path: Path) -> list[Problem]:
    source, problems = parse_checked(path, load_schema("rubric.schema.json"))
    if not problems and source.data["id"] != path.stem:
        problems.append(
            Problem(
                path, source.line(["id"]), "id differs from the file name.", f"set id: {path.stem}."
            )
        )
    if problems:
        return problems
    problems += _match_problems(path, source)
    if problems:
        return problems  # the examples cannot be tried with patterns that do not work
    problems += _flag_examples(path, source)
    for i, criterion in enumerate(source.data["criteria"]):
        reachable = sum(c.get("weight", 1) for c in criterion["concepts"])
        if reachable < criterion["points"]:
            problems.append(
                Problem(
                    path,
                    source.line(["criteria", i, "points"]),
                    f"{criterion['id']}: full marks ({criterion['points']}) cannot be reached: "
                    f"its concepts give at most {reachable:g}.",
                    "add concepts, raise their weight, or lower the criterion's points.",
                )
            )
        text = f"{criterion['description']} {criterion.get('evidence', '')}"
        for message, fix in text_safety_problems(text):
            problems.append(
                Problem(path, source.line(["criteria", i]), f"{criterion['id']}: {message}", fix)
            )
    return problems


def _match_problems(path: Path, source) -> list[Problem]:
    """Phrases and patterns that would match almost anything, break or hang."""
    problems = []
    for where, concept in _patterned(source.data):
        for n, phrase in enumerate(concept.get("phrases", [])):
            if not any(ch.isalnum() for ch in phrase):
                problems.append(
                    Problem(
                        path,
                        source.line([*where, "phrases", n]),
                        f"the phrase {phrase!r} has no letter or digit, so it would match "
                        "almost any sentence.",
                        "remove it or write the words to look for.",
                    )
                )
        for n, pattern in enumerate(concept.get("patterns", [])):
            for message, fix in pattern_problems(pattern):
                problems.append(Problem(path, source.line([*where, "patterns", n]), message, fix))
    return problems


def _flag_examples(path: Path, source) -> list[Problem]:
    """Every red flag trips on its example and passes its near miss."""
    from .rubric import red_flags

    problems = []
    for i, flag in enumerate(source.data.get("red_flags", [])):
        probe = {"red_flags": [flag]}
        where = source.line(["red_flags", i])
        if not red_flags(probe, flag["examples"]["trips"]):
            problems.append(
                Problem(
                    path,
                    where,
                    f"red flag {flag['id']}: its example does not trip it.",
                    "fix the phrases or patterns, or the example `trips`.",
                )
            )
        if red_flags(probe, flag["examples"]["near_miss"]):
            problems.append(
                Problem(
                    path,
                    where,
                    f"red flag {flag['id']}: its near miss trips it.",
                    "narrow the phrases or patterns so the near miss passes.",
                )
            )
    return problems


def common_flags_path() -> Path:
    return exercises_dir() / "red-flags.yaml"


@cache
def _common_schema() -> Schema:
    flags = load_schema("rubric.schema.json").schema["properties"]["red_flags"]
    return Schema(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "additionalProperties": False,
            "required": ["red_flags"],
            "properties": {"red_flags": flags},
        }
    )


def check_common_flags(path: Path) -> list[Problem]:
    """exercises/red-flags.yaml: the unsafe moves every reflection is read for."""
    source, problems = parse_checked(path, _common_schema())
    if problems:
        return problems
    problems += _match_problems(path, source)
    return problems or _flag_examples(path, source)


def common_flags() -> list[dict]:
    """The red flags every rubric has (exercises/red-flags.yaml), none if there is none."""
    path = common_flags_path()
    return checked_data(path, check_common_flags)["red_flags"] if path.is_file() else []


def _patterned(rubric: dict):
    """(YAML path, concept or red flag) for everything in a rubric that has patterns."""
    for i, criterion in enumerate(rubric.get("criteria", [])):
        for j, concept in enumerate(criterion["concepts"]):
            yield ["criteria", i, "concepts", j], concept
    for i, flag in enumerate(rubric.get("red_flags", [])):
        yield ["red_flags", i], flag


def load_rubric(rubric_id: str) -> dict:
    """A rubric with the course's common red flags added (a flag of the rubric's own
    with the same id takes their place)."""
    path = rubric_path(rubric_id)
    if not path.is_file():
        raise CourseError(Problem(path, 0, f"no rubric {rubric_id!r}.", "create the file."))
    rubric = checked_data(path, check_rubric)
    own = {f["id"] for f in rubric.get("red_flags", [])}
    extra = [f for f in common_flags() if f["id"] not in own]
    return {**rubric, "red_flags": [*rubric.get("red_flags", []), *extra]} if extra else rubric
