"""Exercise items, checks and generated notebooks."""

from __future__ import annotations

import pytest

from facilitator_course.grading import checks
from facilitator_course.grading.items import all_items, check_items, item_files
from facilitator_course.grading.notebook import (
    render,
    source_notebook,
    source_path,
    student_notebook,
)

FILES = item_files()


def test_core_modules_have_exercises():
    slugs = {p.stem for p in FILES}
    assert {"02-trauma-informed-care", "03-group-agreements", "04-de-escalation"} <= slugs


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_items_meet_the_exercise_standard(path):
    assert [str(p) for p in check_items(path)] == []
    items = [i for i in all_items().values() if i["assignment"] == path.stem]
    auto = [i for i in items if i["kind"] != "manual"]
    assert len(auto) >= 4 and len({i["kind"] for i in auto}) >= 3
    assert any(i["kind"] == "reflection" for i in auto)
    assert any(i["kind"] == "manual" for i in items)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_source_notebook_is_current(path):
    assert source_path(path.stem).read_text() == render(source_notebook(path.stem)), (
        "run: course exercises"
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_student_version_has_no_solutions(path):
    text = student_notebook(path.stem)
    assert "BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    for item in all_items().values():
        if item["assignment"] == path.stem and item["kind"] == "reflection":
            assert item["model"].strip()[:60] not in text


def test_checks_give_partial_credit_and_never_raise(capsys):
    some = next(i for i in all_items().values() if i["kind"] == "multiple")
    right = checks.grade(some["id"], list(some["answer"]))
    assert right == float(some["points"])
    half = checks.grade(some["id"], list(some["answer"])[:1])
    assert 0 <= half <= right
    for bad in (None, 3, {"x": 1}, "zzz"):
        assert checks.grade(some["id"], bad) == 0.0
    out = capsys.readouterr()
    assert "Principle:" in out.out and out.err == ""


def test_self_check_reads_the_answer_variable_and_hides_the_model(capsys, monkeypatch):
    monkeypatch.delenv(checks.GRADING_ENV, raising=False)
    single = next(i for i in all_items().values() if i["kind"] == "single")
    wrong = next(k for k in single["options"] if k != single["answer"])
    globals()[single["id"].replace("-", "_")] = wrong
    try:
        assert checks.check(single["id"]) == 0.0
    finally:
        del globals()[single["id"].replace("-", "_")]
    out = capsys.readouterr().out
    assert "shown when your exercise is graded" in out and single["model"] not in out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_solution_scores_full_points(path, capsys, monkeypatch):
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    for spec in all_items().values():
        if spec["assignment"] != path.stem or spec["kind"] == "manual":
            continue
        if spec["kind"] == "reflection":
            best = spec["model"]
        elif spec["kind"] == "judgement":
            best = max(spec["credit"], key=spec["credit"].get)
        else:
            best = spec["answer"]
        assert checks.grade(spec["id"], best) == float(spec["points"]), (
            spec["id"],
            capsys.readouterr().out,
        )


def test_keyword_lists_earn_nothing():
    from facilitator_course.grading.rubric import sentences

    assert sentences("choice, pass, grounding, safety, eyes open") == []
    assert (
        sentences(
            "I will co-create, revisit, safeguarding, a child, with no guarantee for the group."
        )
        == []
    )
    assert sentences("I would ask the group what they need, and then I would listen.") != []


def test_wrapping_lines_does_not_change_a_reflection_score():
    import textwrap

    from facilitator_course.grading.items import load_rubric
    from facilitator_course.grading.rubric import score_text

    for spec in all_items().values():
        if spec["kind"] != "reflection":
            continue
        rubric = load_rubric(spec["rubric"])
        flat = " ".join(spec["model"].split())
        wrapped = textwrap.fill(flat, 60)
        assert (
            score_text(rubric, wrapped, spec["prompt"]).points
            == score_text(rubric, flat, spec["prompt"]).points
        ), spec["id"]


def test_negated_concepts_earn_nothing():
    from facilitator_course.grading.rubric import score_text

    rubric = {
        "criteria": [
            {
                "id": "ask",
                "points": 1,
                "description": "d",
                "evidence": "e",
                "concepts": [{"name": "ask", "phrases": ["ask about suicide"]}],
            }
        ]
    }
    yes = "I would ask about suicide directly and calmly with the person."
    no = "I would not ask about suicide because it might upset the person."
    also_no = "I haven't ever wanted to ask about suicide with anyone in the group."
    assert score_text(rubric, yes).points == 1
    assert score_text(rubric, no).points == 0
    assert score_text(rubric, also_no).points == 0
