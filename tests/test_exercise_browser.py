"""A trainee does every exercise on the website with the keyboard only, reloads, downloads
the submission; the trainer collects and grades those files and gets the expected scores.
axe-core finds no violation in any state of the form."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from facilitator_course.grading.items import all_items, item_files

from .conftest import ROOT, course_cli, inject_axe
from .test_site_browser import WCAG

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUGS = [p.stem for p in item_files()]


def key_answer(spec: dict):
    """What a trainee who knows the answer picks, as the form's values."""
    kind = spec["kind"]
    if kind == "single":
        return spec["answer"]
    if kind == "judgement":
        return max(spec["credit"], key=spec["credit"].get)
    if kind in ("multiple", "ordering", "classification"):
        return spec["answer"]
    if kind == "reflection":
        return " ".join(spec["model"].split())
    return "I would talk it through with my co-facilitator."


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str) -> None:
    """Press Tab until `element_id` has focus (at most 60 presses)."""
    for _ in range(60):
        if focused_id(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def choose_in_select(page, element_id: str, index: int) -> None:
    tab_to(page, element_id)
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def answer_with_keyboard(page, slug: str, spec: dict, value) -> None:
    base = f"fce-{slug}-{spec['id']}"
    kind = spec["kind"]
    if kind in ("single", "judgement"):
        letters = sorted(spec["options"])
        tab_to(page, f"{base}-{letters[0]}")
        page.keyboard.press("Space")
        for _ in range(letters.index(value)):
            page.keyboard.press("ArrowDown")
    elif kind == "multiple":
        for letter in sorted(spec["options"]):
            tab_to(page, f"{base}-{letter}")
            if letter in value:
                page.keyboard.press("Space")
    elif kind == "ordering":
        letters = sorted(spec["steps"])
        for pos, letter in enumerate(value):
            choose_in_select(page, f"{base}-pos{pos}", letters.index(letter) + 1)
    elif kind == "classification":
        for letter in sorted(spec["statements"]):
            choose_in_select(page, f"{base}-{letter}", spec["categories"].index(value[letter]) + 1)
    else:
        tab_to(page, f"{base}-text")
        page.keyboard.insert_text(value)


def axe_violations(page, within: str = "[data-exercise]") -> list[str]:
    """axe's violations in the exercise form (the whole page is checked by the crawl in
    test_site_browser.py; here the form is checked in each state it goes through)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        inject_axe(page)
    result = page.evaluate(
        "([within, tags]) => axe.run(within, {runOnly: {type: 'tag', values: tags}})",
        [within, WCAG],
    )
    return [f"{v['id']} ({len(v['nodes'])})" for v in result["violations"]]


def trainer_course(tmp: Path) -> Path:
    course = tmp / "course"
    (course / "exercises").mkdir(parents=True)
    shutil.copytree(ROOT / "exercises" / "items", course / "exercises" / "items")
    shutil.copytree(ROOT / "exercises" / "rubrics", course / "exercises" / "rubrics")
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", course / "exercises")
    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, course / name)
    (course / "book").mkdir()
    shutil.copy(ROOT / "book" / "logo.svg", course / "book")
    return course


def course_cmd(course: Path, *args: str) -> subprocess.CompletedProcess:
    return course_cli(course, *args)


def test_keyboard_only_exercises_survive_a_reload_and_grade_as_answered(
    sites, served_site, browser, tmp_path
):
    from nbgrader.api import Gradebook

    items = all_items()
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    inbox = tmp_path / "inbox" / "trainee1"
    inbox.mkdir(parents=True)
    violations = {}
    for slug in SLUGS:
        specs = [i for i in items.values() if i["assignment"] == slug]
        page.goto(served_site + f"{slug}.html", wait_until="load")
        form = page.locator(f'[data-exercise="{slug}"]')
        assert form.count() == 1
        violations[f"{slug} empty"] = axe_violations(page)
        # the trainee tabs to the form's first control
        form.locator("input, select, textarea").first.focus()
        for spec in specs:
            answer_with_keyboard(page, slug, spec, key_answer(spec))
        violations[f"{slug} answered"] = axe_violations(page)

        page.reload(wait_until="load")
        for spec in specs:
            base = f"fce-{slug}-{spec['id']}"
            if spec["kind"] in ("single", "judgement"):
                assert page.is_checked(f"#{base}-{key_answer(spec)}"), spec["id"]
            elif spec["kind"] in ("reflection", "manual"):
                assert page.input_value(f"#{base}-text") == key_answer(spec), spec["id"]
        page.get_by_role("button", name="Check my answers are complete").focus()
        page.keyboard.press("Enter")
        status = page.locator(f'[data-exercise="{slug}"] [role="status"]').inner_text()
        assert f"{len(specs)} of {len(specs)} answers are complete" in status, status
        violations[f"{slug} checked"] = axe_violations(page)

        page.get_by_role("button", name="Download my answers").focus()
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        download.value.save_as(inbox / f"{slug}.ipynb")
    context.close()
    assert {k: v for k, v in violations.items() if v} == {}

    # The trainer's side: collect and grade the downloaded files.
    course = trainer_course(tmp_path)
    (course / "exercises" / "students.csv").write_text("id,name,email,lms_id\ntrainee1,,,\n")
    url = "sqlite:///" + str(course / "exercises" / "gradebook.db")
    for slug in SLUGS:
        course_cmd(course, "release", slug)
        course_cmd(course, "collect", str(tmp_path / "inbox"), slug)
        out = course_cmd(course, "grade", slug).stdout
        assert "NOT GRADED" not in out, out
        with Gradebook(url) as gb:
            sub = gb.find_submission(slug, "trainee1")
            got = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
        for spec in items.values():
            if spec["assignment"] != slug:
                continue
            expected = 0.0 if spec["kind"] == "manual" else float(spec["points"])
            assert got[spec["id"]] == pytest.approx(expected), (slug, spec["id"], got)
    notebook = json.loads((inbox / f"{SLUGS[0]}.ipynb").read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_practice_questions_give_instant_feedback(sites, served_site, browser):
    import yaml

    practice = yaml.safe_load(
        (ROOT / "modules" / "05-crisis-response" / "practice.yaml").read_text()
    )
    first = next(q for q in practice["questions"] if q["kind"] == "single")
    wrong = next(k for k in sorted(first["options"]) if k != first["answer"])
    page = browser.new_page()
    page.goto(served_site + "05-crisis-response.html", wait_until="load")
    box = page.locator(f'[data-practice="05-crisis-response"] fieldset[data-item="{first["id"]}"]')
    base = f"fcp-05-crisis-response-{first['id']}"
    for pick, verdict in ((wrong, "Not quite."), (first["answer"], "Right.")):
        page.focus(f"#{base}-{pick}")
        page.keyboard.press("Space")
        box.get_by_role("button", name="Check this answer").focus()
        page.keyboard.press("Enter")
        result = box.locator('[role="status"]').inner_text()
        assert result.startswith(verdict) and "Principle:" in result, result
    assert axe_violations(page, "[data-practice]") == []
    page.close()
