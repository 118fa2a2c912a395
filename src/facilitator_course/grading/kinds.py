"""Item kinds: one registry entry each says what an item of the kind holds (its schema
part and the checks beyond it), how it is shown (the lettered list a notebook prints),
how an answer is written in plain words (its answer form, which the self-check and the
web form read), how it is read, and how it is scored (DESIGN.md decision 10).

Adding a kind means adding one `Kind` here and its tests: the items schema, `course
validate`, the notebook generator, the self-check, the web form, the grader, the
feedback page and the report all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from . import plain_words as words

# The forms an answer takes; the self-check (selfcheck_driver.py) and the web form
# (static/exercise-form.js) have one reader or control per form, never per kind.
FORMS = ("letter", "letters", "order", "pairs", "prose")


@dataclass(frozen=True)
class Kind:
    name: str
    auto: bool  # scored by the machine
    how: Callable[[dict], str]  # how to write the answer, for the notebook and the web form
    read: Callable[[dict, str], tuple[Any, str | None]]  # plain words -> value, or a message
    score: Callable[[dict, Any], tuple[float, list[str]]]  # value -> fraction in [0, 1], lines
    example: Callable[[dict], str]  # a well-formed answer in plain words (the key, for tests)
    form: str = "prose"  # one of FORMS
    schema: dict = field(default_factory=dict)  # what an item of this kind must hold
    checks: Callable[[dict], list[tuple[str, str]]] = lambda spec: []  # beyond the schema
    listing: tuple[str, str] | None = None  # (key, title) of the lettered list to show
    advice: str = ""  # said after `how` in the notebook
    practice: bool = False  # can be a practice question on a module page
    key: Callable[[dict], str | None] = lambda spec: None  # its one best letter, if any

    @property
    def scored_by_rubric(self) -> bool:
        return "rubric" in self.schema.get("required", [])


def _options(spec: dict) -> list[str]:
    return sorted(spec["options"])


# ---- single and judgement: one letter --------------------------------------------------


def _how_one(spec: dict) -> str:
    return f"Write one letter: {_or(_options(spec))}"


def _or(letters: list[str]) -> str:
    return ", ".join(letters[:-1]) + f" or {letters[-1]}"


def _read_one(spec: dict, text: str):
    return words.read_letter(text, _options(spec))


def _score_single(spec: dict, pick: str):
    right = pick == spec["answer"]
    return (1.0 if right else 0.0), [
        ("Right. " if right else "Not quite. ") + spec["feedback"][pick]
    ]


def _score_judgement(spec: dict, pick: str):
    return float(spec["credit"][pick]), [spec["feedback"][pick]]


# ---- multiple: letters -----------------------------------------------------------------


def _how_many(spec: dict) -> str:
    return f"Write every letter that applies ({_or(_options(spec))}), with commas between them"


def _read_many(spec: dict, text: str):
    return words.read_letters(text, _options(spec))


def _score_multiple(spec: dict, picks: list[str]):
    key = set(spec["answer"])
    lines = [("Right: " if p in key else "Not this one: ") + spec["feedback"][p] for p in picks]
    missed = len(key - set(picks))
    if missed:
        lines.append(f"You missed {missed} right option{'s' * (missed > 1)}.")
    return max(0.0, (len(key & set(picks)) - len(set(picks) - key)) / len(key)), lines


# ---- ordering: every letter once -------------------------------------------------------


def _how_order(spec: dict) -> str:
    return (
        f"Write every letter once ({', '.join(sorted(spec['steps']))}), first step first, "
        "with spaces or commas between them"
    )


def _read_order(spec: dict, text: str):
    return words.read_order(text, sorted(spec["steps"]))


def _score_order(spec: dict, order: list[str]):
    position = {s: i for i, s in enumerate(order)}
    pairs = list(combinations(spec["answer"], 2))
    good = sum(position[a] < position[b] for a, b in pairs)
    lines = [f"{good} of {len(pairs)} pairs of steps are in the right order."]
    for a, b in pairs:
        if position[a] > position[b] and spec["answer"].index(b) == spec["answer"].index(a) + 1:
            lines.append(f'"{spec["steps"][a]}" comes before "{spec["steps"][b]}".')
    return good / len(pairs), lines


# ---- classification: a category per letter ---------------------------------------------


def _how_pairs(spec: dict) -> str:
    cats = ", ".join(spec["categories"])
    return (
        f"Write each letter ({', '.join(sorted(spec['statements']))}) with its category "
        f"({cats}), like this: letter: category, with commas between the pairs"
    )


def _read_pairs(spec: dict, text: str):
    return words.read_pairs(text, sorted(spec["statements"]), spec["categories"])


def _score_pairs(spec: dict, given: dict[str, str]):
    right, lines = 0, []
    for letter, category in spec["answer"].items():
        if given.get(letter, "").lower() == category.lower():
            right += 1
        else:
            lines.append(f'Look again at "{spec["statements"][letter]}".')
    lines.insert(0, f"{right} of {len(spec['answer'])} classified right.")
    return right / len(spec["answer"]), lines


# ---- reflection and manual: prose ------------------------------------------------------


def _how_prose(spec: dict) -> str:
    return "Write your answer in full sentences, as you would say or do it"


def _read_prose(spec: dict, text: str):
    return words.read_prose(text)


def _score_reflection(spec: dict, text: str):
    from .items import load_rubric
    from .rubric import score_text

    result = score_text(load_rubric(spec["rubric"]), text, spec["prompt"])
    lines = []
    for c in result.criteria:
        line = f"- {c.description} {c.points:g}/{c.max_points}"
        if c.found:
            line += f"; you covered: {', '.join(c.found)}"
        if c.points < c.max_points and c.missing:
            line += f"; think about: {', '.join(c.missing)}"
        lines.append(line)
    for flag in result.red_flags:
        lines.insert(
            0,
            f'Red flag: {flag.name}, in "{flag.sentence}". {flag.principle} '
            "A red flag caps the score at 1 point, and your trainer reads this answer.",
        )
    return result.points / result.max_points, lines


def _score_manual(spec: dict, text: str):
    return 0.0, ["Your trainer grades this answer by hand."]


def _example_letters(spec: dict) -> str:
    return ", ".join(spec["answer"])


def _example_order(spec: dict) -> str:
    return " ".join(spec["answer"])


def _example_one(spec: dict) -> str:
    if "credit" in spec:
        return max(spec["credit"], key=spec["credit"].get)
    return spec["answer"]


# ---- what an item of each kind must hold, beyond the fields every item has -----------

_LETTER = {"type": "string", "pattern": "^[a-h]$"}


def _needs(*keys: str, answer: dict | None = None) -> dict:
    schema: dict = {"required": list(keys)}
    if answer is not None:
        schema["properties"] = {"answer": answer}
    return schema


def _check_letters(spec: dict) -> list[tuple[str, str]]:
    iid, letters = spec["id"], set(spec["options"])
    answer = spec.get("answer", [])
    picks = [answer] if isinstance(answer, str) else answer
    out = []
    if "credit" not in spec and not set(picks) <= letters:
        out.append((f"{iid}: the answer names an option that does not exist.", "fix `answer`."))
    if set(spec["feedback"]) != letters:
        out.append((f"{iid}: feedback must cover every option.", "give feedback for each letter."))
    return out


def _check_judgement(spec: dict) -> list[tuple[str, str]]:
    out = _check_letters(spec)
    if set(spec["credit"]) != set(spec["options"]) or max(spec["credit"].values()) != 1:
        out.append(
            (
                f"{spec['id']}: credit must give every option a value and the best one 1.",
                "fix `credit`.",
            )
        )
    return out


def _check_order(spec: dict) -> list[tuple[str, str]]:
    if sorted(spec["answer"]) != sorted(spec["steps"]):
        return [(f"{spec['id']}: the answer must list every step once.", "fix `answer`.")]
    return []


def _check_pairs(spec: dict) -> list[tuple[str, str]]:
    out = []
    if set(spec["answer"]) != set(spec["statements"]):
        out.append((f"{spec['id']}: the answer must classify every statement.", "fix `answer`."))
    if not set(spec["answer"].values()) <= set(spec["categories"]):
        out.append(
            (f"{spec['id']}: the answer uses a category that is not listed.", "fix `answer`.")
        )
    return out


def _check_rubric(spec: dict) -> list[tuple[str, str]]:
    from ..errors import CourseError
    from .items import load_rubric

    try:
        rubric = load_rubric(spec["rubric"])
    except CourseError as exc:
        return [
            (f"{spec['id']}: rubric {spec['rubric']!r} has problems: {exc}", "fix the rubric file.")
        ]
    total = sum(c["points"] for c in rubric["criteria"])
    if total != spec["points"]:
        return [
            (
                f"{spec['id']}: the item is worth {spec['points']} points but its rubric "
                f"{spec['rubric']!r} gives up to {total}.",
                f"set points: {total}, or change the rubric's criteria points.",
            )
        ]
    return []


def _best_credit(spec: dict) -> str | None:
    """The one option with the most credit, or None when several share it."""
    best = max(spec["credit"].values())
    keys = [k for k, v in spec["credit"].items() if v == best]
    return keys[0] if len(keys) == 1 else None


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "single",
            True,
            _how_one,
            _read_one,
            _score_single,
            _example_one,
            form="letter",
            schema=_needs("options", "answer", "feedback", "model", answer=_LETTER),
            checks=_check_letters,
            listing=("options", "Options:"),
            practice=True,
            key=lambda s: s["answer"],
        ),
        Kind(
            "multiple",
            True,
            _how_many,
            _read_many,
            _score_multiple,
            lambda s: ", ".join(s["answer"]),
            form="letters",
            schema=_needs(
                "options",
                "answer",
                "feedback",
                "model",
                answer={"type": "array", "minItems": 1, "uniqueItems": True, "items": _LETTER},
            ),
            checks=_check_letters,
            listing=("options", "Options (choose every one that applies):"),
            practice=True,
        ),
        Kind(
            "ordering",
            True,
            _how_order,
            _read_order,
            _score_order,
            lambda s: " ".join(s["answer"]),
            form="order",
            schema=_needs(
                "steps",
                "answer",
                "model",
                answer={"type": "array", "minItems": 3, "uniqueItems": True, "items": _LETTER},
            ),
            checks=_check_order,
            listing=("steps", "Steps:"),
            practice=True,
        ),
        Kind(
            "classification",
            True,
            _how_pairs,
            _read_pairs,
            _score_pairs,
            lambda s: ", ".join(f"{k}: {v}" for k, v in s["answer"].items()),
            form="pairs",
            schema=_needs(
                "statements",
                "categories",
                "answer",
                "model",
                answer={"type": "object", "additionalProperties": {"type": "string"}},
            ),
            checks=_check_pairs,
            listing=("statements", "Statements:"),
            practice=True,
        ),
        Kind(
            "judgement",
            True,
            _how_one,
            _read_one,
            _score_judgement,
            _example_one,
            form="letter",
            schema=_needs("vignette", "options", "credit", "feedback", "model"),
            checks=_check_judgement,
            listing=("options", "Options:"),
            key=_best_credit,
        ),
        Kind(
            "reflection",
            True,
            _how_prose,
            _read_prose,
            _score_reflection,
            lambda s: s["model"],
            schema=_needs("rubric", "model"),
            checks=_check_rubric,
            advice="; lists of keywords earn nothing",
        ),
        Kind(
            "manual",
            False,
            _how_prose,
            _read_prose,
            _score_manual,
            lambda s: "My own words.",
            advice=". Your trainer grades it by hand. Share only what you are comfortable sharing",
        ),
    )
}


def item_schema_parts() -> tuple[list[str], list[dict]]:
    """The kind names and, per kind, the `if kind: then ...` part of the items schema."""
    parts = [
        {"if": {"properties": {"kind": {"const": k.name}}}, "then": k.schema}
        for k in KINDS.values()
        if k.schema
    ]
    return list(KINDS), parts


def free_text(spec: dict) -> bool:
    """Whether the item's answer is the trainee's own prose (sensitive: never exported
    unless a trainer asks)."""
    return KINDS[spec["kind"]].form == "prose"


@dataclass
class Scored:
    """One answer, read and scored."""

    item: str
    points: float
    max_points: float
    words: str  # the answer as the trainee wrote it (old Python answers: their plain words)
    lines: list[str]  # feedback that teaches
    problem: str | None = None  # why the answer could not be read; None when it was
    review: bool = False  # a trainer should read it (a red flag)


def score_answer(spec: dict, text: str | None) -> Scored:
    """Read an answer written in plain words and score it; never raises, never runs it."""
    text = text or ""
    kind = KINDS[spec["kind"]]
    old = words.old_style(text)
    if old is not None:
        text = old
    max_points = float(spec["points"])
    value, problem = kind.read(spec, text)
    if problem:
        return Scored(spec["id"], 0.0, max_points, text, [], problem)
    fraction, lines = kind.score(spec, value)
    review = any(line.startswith("Red flag:") for line in lines)
    fraction = min(max(float(fraction), 0.0), 1.0)
    points = min(round(fraction * max_points, 2), max_points)
    return Scored(spec["id"], float(points), max_points, text, lines, review=review)
