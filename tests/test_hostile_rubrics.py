"""Rubrics and items that would validate but break grading are refused by `course validate`
with file, line and fix; a hostile pattern never reaches a trainee's answer."""

from __future__ import annotations

import pytest
import yaml

from facilitator_course.grading.items import check_items, check_rubric
from facilitator_course.grading.pattern_lint import pattern_problems

from .conftest import ROOT

RUBRIC = ROOT / "exercises" / "rubrics" / "tic-reflection.yaml"
GOOD_PATTERN = r"\b(ask|asking)\s+(everyone|everybody|the\s+(whole\s+)?(group|room))\s+to\b"


def rubric_with(tmp_path, old: str, new: str):
    text = RUBRIC.read_text()
    assert old in text, old
    path = tmp_path / "tic-reflection.yaml"
    path.write_text(text.replace(old, new, 1))
    first = new.strip().splitlines()[-1]
    return path, next(i for i, line in enumerate(path.read_text().splitlines(), 1) if first in line)


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(unclosed", "does not compile"),
        ("[a-", "does not compile"),
        ("(?i)ask everyone", "flag such as (?i)"),
        ("ask (?i)everyone", "does not compile"),
        ("x*", "can match empty text"),
        (r"\b(ask)?", "can match empty text"),
        ("ask|", "can match empty text"),
        ("(a+)+$", "repeats a repeat"),
        (r"(\w+\s?)*done", "repeats a repeat"),
        (r"(?:x|(\s*\w+)*)y", "repeats a repeat"),
        ("(a|aa)+$", "alternatives can start with the same character"),
        (r"(?:\w+|\d)*!", "alternatives can start with the same character"),
        ("(?:a|ab|b)+c", "alternatives can start with the same character"),
        ("(?:ha|hah|h)+!", "alternatives can start with the same character"),
    ],
)
def test_a_broken_or_dangerous_pattern_is_refused_with_its_line(tmp_path, pattern, says):
    quoted = "'" + pattern.replace("'", "''") + "'"
    path, line = rubric_with(tmp_path, f"'{GOOD_PATTERN}'", quoted)
    problems = check_rubric(path)
    assert problems, pattern
    assert problems[0].line == line and says in problems[0].message, problems[0]
    assert problems[0].fix


@pytest.mark.parametrize(
    "pattern",
    [
        GOOD_PATTERN,
        r"\b(\w+\s+){0,6}?(ask)\b",  # a bounded repeat of a repeat is fine
        r"(?:off\s+|away\s+)*home\b",  # each round starts with a required word
        r"\bsafe\s+(?:way|ride|lift)\s+home\b",
        r"\blike\s+(?:(?:a|an|some|real)\s+)*(?:worry|fear)\b",  # "a" or "an", then a space
        r"\bmy\s+(?:(?:personal|private|own)\s+)*number\b",  # distinct words
        r"(?:ab|a)+c",  # one way only to split "abab"
        r"\b(?:go|going)+\b",  # "going" is never "go" and "ing"
        r"(?:(?:ask|asking)\s*)+\.",
    ],
)
def test_a_sound_pattern_passes(pattern):
    assert pattern_problems(pattern) == []


def test_every_shipped_pattern_passes_the_lint():
    checked = 0
    for path in sorted((ROOT / "exercises" / "rubrics").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        things = [c for cr in data["criteria"] for c in cr["concepts"]] + data.get("red_flags", [])
        for thing in things:
            for pattern in thing.get("patterns", []):
                assert pattern_problems(pattern) == [], (path.name, pattern)
                checked += 1
    assert checked > 100


def test_a_phrase_without_letters_is_refused(tmp_path):
    path, line = rubric_with(tmp_path, '"pause the group"', '"  "')
    problems = check_rubric(path)
    assert [p.line for p in problems] == [line] and "no letter or digit" in problems[0].message


def test_full_marks_that_cannot_be_reached_are_refused(tmp_path):
    path, line = rubric_with(
        tmp_path, "  - id: whole-room\n    points: 1", "  - id: whole-room\n    points: 3"
    )
    problems = check_rubric(path)
    assert any("cannot be reached" in p.message for p in problems), problems
    assert all("Fix" in str(p) for p in problems)


def test_a_rubric_id_with_a_trailing_line_break_is_refused(tmp_path):
    path, _ = rubric_with(tmp_path, "id: tic-reflection\n", 'id: "tic-reflection\\n"\n')
    problems = check_rubric(path)
    assert problems and problems[0].line == 1 and "line break" in problems[0].fix, problems


def items_with(tmp_path, old: str, new: str):
    source = ROOT / "exercises" / "items" / "02-trauma-informed-care.yaml"
    text = source.read_text()
    assert old in text, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1))
    return path


def test_an_item_id_from_another_module_is_refused(tmp_path):
    path = items_with(tmp_path, "- id: tic-1\n", "- id: fnd-99\n")
    problems = check_items(path)
    assert len(problems) == 1 and "prefix tic-" in problems[0].message, problems
    assert "fnd-99" in problems[0].message and problems[0].line > 1


def test_a_reflection_worth_other_points_than_its_rubric_is_refused(tmp_path):
    text = (ROOT / "exercises" / "items" / "02-trauma-informed-care.yaml").read_text()
    at = text.index("rubric: tic-reflection")
    points_at = text.rindex("points: 4", 0, at)
    path = tmp_path / "02-trauma-informed-care.yaml"
    path.write_text(text[:points_at] + "points: 5" + text[points_at + len("points: 4") :])
    problems = check_items(path)
    assert len(problems) == 1 and "gives up to 4" in problems[0].message, problems


COMMON = """red_flags:
  - id: secrecy
    name: a common secrecy flag
    principle: Name the limits of confidentiality.
    phrases: ["between you and me forever"]
    examples:
      trips: It stays between you and me forever.
      near_miss: I would never say it stays between us.
  - id: cheering
    name: cheering a member on to stop treatment
    principle: Questions about treatment go to the prescriber.
    phrases: ["ditch your treatment"]
    examples:
      trips: I'd tell her to ditch your treatment, honestly.
      near_miss: I would never tell anyone to drop their treatment.
"""


@pytest.fixture
def course_with_common_flags(tmp_path, monkeypatch):
    import shutil

    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "exercises" / "rubrics").mkdir(parents=True)
    shutil.copy(RUBRIC, tmp_path / "exercises" / "rubrics" / RUBRIC.name)
    (tmp_path / "exercises" / "red-flags.yaml").write_text(COMMON)
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    return tmp_path


def test_common_red_flags_join_every_rubric_and_its_own_come_first(course_with_common_flags):
    from facilitator_course.grading.items import load_rubric
    from facilitator_course.grading.rubric import red_flags

    rubric = load_rubric("tic-reflection")
    ids = [f["id"] for f in rubric["red_flags"]]
    assert ids[-1] == "cheering" and ids.count("cheering") == 1
    own = yaml.safe_load(RUBRIC.read_text())["red_flags"]
    assert ids[: len(own)] == [f["id"] for f in own]
    assert [f.id for f in red_flags(rubric, "I'd tell her to ditch your treatment.")] == [
        "cheering"
    ]


def test_a_broken_common_flags_file_is_refused_with_its_line(course_with_common_flags):
    from facilitator_course.grading.items import check_common_flags

    path = course_with_common_flags / "exercises" / "red-flags.yaml"
    path.write_text(COMMON.replace('phrases: ["ditch your treatment"]', "patterns: ['x*']"))
    problems = check_common_flags(path)
    assert len(problems) == 1 and "can match empty text" in problems[0].message
    assert (
        problems[0].line == COMMON.splitlines().index('    phrases: ["ditch your treatment"]') + 1
    )
