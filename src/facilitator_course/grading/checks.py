"""Score one answer by item id, for scripts and tests: `grade("tic-3", "d b a c")`.

Grading a cohort goes through nbgrader (`course grade`, grading/autograde.py); both
use the item kinds' readers and scorers (grading/kinds.py), so a score here is the
score a trainee gets.
"""

from __future__ import annotations

from ..errors import CourseError
from .autograde import feedback_text
from .items import item as load_item
from .kinds import score_answer
from .plain_words import value_words


def to_words(answer) -> str:
    """An answer given as a Python value (old exercises, scripts) in plain words."""
    return "" if answer is None else value_words(answer)


def grade(item_id: str, answer=None) -> float:
    """Score an answer to `item_id` (plain words, or a Python value), print the feedback,
    return the points as a plain float in [0, points]; never raises for a bad answer."""
    try:
        spec = load_item(item_id)
    except CourseError as exc:
        print(f"This check could not run: {exc}")
        return 0.0
    scored = score_answer(spec, to_words(answer))
    print(feedback_text(spec, scored), end="")
    return scored.points
