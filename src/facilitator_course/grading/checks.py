"""Checks for exercise test cells and trainee self-checks.

Each check prints feedback that teaches (stdout only: nbgrader gives 0 for any
output on stderr) and returns the points as a plain float in [0, points], which
nbgrader records as partial credit. Test cells import this module afresh, so an
answer cell cannot replace a check. The model answer is shown when the trainer
grades (COURSE_GRADING=1) or when the answer is fully right; a self-check
before submission does not give away the answer.
"""

from __future__ import annotations

import inspect
import os
from itertools import combinations

from ..errors import CourseError
from .items import item as load_item
from .items import load_rubric, variable
from .rubric import score_text

GRADING_ENV = "COURSE_GRADING"


def grade(item_id: str, answer=None) -> float:
    """Score the trainee's answer to `item_id`, print feedback, return the points."""
    try:
        spec = load_item(item_id)
    except CourseError as exc:
        print(f"This check could not run: {exc}")
        return 0.0
    fraction, lines = KINDS[spec["kind"]](spec, answer)
    fraction = min(max(float(fraction), 0.0), 1.0)
    points = round(fraction * float(spec["points"]), 2)
    print(f"{item_id}: {points:g} of {spec['points']:g} points ({', '.join(spec['competencies'])})")
    for line in lines:
        print(line)
    print(f"Principle: {spec['principle']}")
    if spec.get("model") and (fraction == 1.0 or os.environ.get(GRADING_ENV)):
        print(f"Model answer: {spec['model']}")
    elif spec.get("model"):
        print("The model answer is shown when your exercise is graded.")
    return float(points)


def check(item_id: str) -> float:
    """Self-check: grade the answer variable of `item_id` from the calling notebook."""
    frame = inspect.currentframe().f_back
    answer = frame.f_globals.get(variable(item_id))
    return grade(item_id, answer)


def _letter(answer, spec) -> str | None:
    if isinstance(answer, str) and answer.strip().lower() in spec["options"]:
        return answer.strip().lower()
    return None


def _single(spec, answer):
    pick = _letter(answer, spec)
    if pick is None:
        return 0.0, [f"Write one letter from {', '.join(sorted(spec['options']))}, in quotes."]
    right = pick == spec["answer"]
    return (1.0 if right else 0.0), [
        ("Right. " if right else "Not quite. ") + spec["feedback"][pick]
    ]


def _multiple(spec, answer):
    if not isinstance(answer, (list, tuple, set)) or not all(isinstance(a, str) for a in answer):
        return 0.0, ['Write a list of letters, for example ["a", "c"].']
    picks = {a.strip().lower() for a in answer} & set(spec["options"])
    key = set(spec["answer"])
    lines = [
        ("Right: " if p in key else "Not this one: ") + spec["feedback"][p] for p in sorted(picks)
    ]
    missed = len(key - picks)
    if missed:
        lines.append(f"You missed {missed} right option{'s' * (missed > 1)}.")
    return (len(picks & key) - len(picks - key)) / len(key), lines


def _ordering(spec, answer):
    steps = set(spec["steps"])
    if (
        not isinstance(answer, (list, tuple))
        or {str(a).lower() for a in answer} != steps
        or len(answer) != len(steps)
    ):
        return 0.0, [f"List every letter once, in order: {', '.join(sorted(steps))}."]
    position = {s: i for i, s in enumerate(a.lower() for a in answer)}
    pairs = list(combinations(spec["answer"], 2))
    good = sum(position[a] < position[b] for a, b in pairs)
    lines = [f"{good} of {len(pairs)} pairs of steps are in the right order."]
    for a, b in pairs:
        if position[a] > position[b] and spec["answer"].index(b) == spec["answer"].index(a) + 1:
            lines.append(f'"{spec["steps"][a]}" comes before "{spec["steps"][b]}".')
    return good / len(pairs), lines


def _classification(spec, answer):
    if not isinstance(answer, dict):
        return 0.0, ['Write a mapping such as {"a": "category", ...}.']
    given = {str(k).lower(): str(v).strip().lower() for k, v in answer.items()}
    right = 0
    lines = []
    for letter, category in spec["answer"].items():
        if given.get(letter) == category.lower():
            right += 1
        else:
            lines.append(f'Look again at "{spec["statements"][letter]}".')
    lines.insert(0, f"{right} of {len(spec['answer'])} classified right.")
    return right / len(spec["answer"]), lines


def _judgement(spec, answer):
    pick = _letter(answer, spec)
    if pick is None:
        return 0.0, [f"Write one letter from {', '.join(sorted(spec['options']))}, in quotes."]
    return spec["credit"][pick], [spec["feedback"][pick]]


def _reflection(spec, answer):
    if not isinstance(answer, str) or not answer.strip():
        return 0.0, ["Write your reflection as text between the triple quotes."]
    result = score_text(load_rubric(spec["rubric"]), answer, spec["prompt"])
    lines = []
    for c in result.criteria:
        line = f"- {c.description} {c.points:g}/{c.max_points}"
        if c.found:
            line += f"; you covered: {', '.join(c.found)}"
        if c.points < c.max_points and c.missing:
            line += f"; think about: {', '.join(c.missing)}"
        lines.append(line)
    return result.points / result.max_points, lines


def _manual(spec, answer):
    return 0.0, ["Your trainer grades this answer by hand."]


KINDS = {
    "single": _single,
    "multiple": _multiple,
    "ordering": _ordering,
    "classification": _classification,
    "judgement": _judgement,
    "reflection": _reflection,
    "manual": _manual,
}
