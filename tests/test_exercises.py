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


def _run_self_check(notebook: dict, folder, capsys) -> str:
    """Run a notebook's self-check cell as JupyterLab would, beside the saved notebook."""
    import json
    import os

    check = next(c for c in notebook["cells"] if "def self_check" in "".join(c["source"]))
    path = folder / "02-trauma-informed-care.ipynb"
    path.write_text(json.dumps(notebook))
    here = os.getcwd()
    os.chdir(folder)
    try:
        exec("".join(check["source"]), {"__name__": "__main__"})
    finally:
        os.chdir(here)
    return capsys.readouterr().out


def test_self_check_says_what_is_complete_and_readable_never_what_is_right(tmp_path, capsys):
    import json

    slug = "02-trauma-informed-care"
    released = json.loads(student_notebook(slug))
    items = [i for i in all_items().values() if i["assignment"] == slug]
    out = _run_self_check(released, tmp_path, capsys)
    assert f"0 of {len(items)} answers are complete and readable" in out
    answers = {"tic-1": "B", "tic-2": "a,c", "tic-3": "zzz"}
    for cell in released["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    out = _run_self_check(released, tmp_path, capsys)
    assert "tic-1: ready." in out and "tic-2: ready." in out
    assert 'tic-3: not ready. I could not read "zzz"' in out
    for item in items:
        assert item.get("model", "@@")[:40] not in out
    assert "Right" not in out and "points" not in out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_solution_scores_full_points(path, capsys):
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
