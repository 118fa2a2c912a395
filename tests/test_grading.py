"""The trainer's round trip and every robustness case, with real nbgrader runs.

A fixture course (tests/data/fixture-course) with known answers is copied to a
temporary folder; the `course` commands run there as a trainer would run them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, course_cli

pytestmark = pytest.mark.slow
SLUG = "02-trauma-informed-care"


def first_release(nb: dict, answers: dict[str, str]) -> dict:
    """The same notebook as the first release made it: each answer a Python assignment in
    a code cell "<item>-answer", scored by a code cell "<item>" that ran a check."""
    cells = []
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if gid in answers:
            meta = cell["metadata"]["nbgrader"]
            answer = {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {"nbgrader": {**meta, "grade_id": f"{gid}-answer", "grade": False}},
                "outputs": [],
                "source": answers[gid],
            }
            answer["metadata"]["nbgrader"].pop("points", None)
            check = {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {"nbgrader": {**meta, "solution": False, "locked": True}},
                "outputs": [],
                "source": f'grade("{gid}", {gid.replace("-", "_")})',
            }
            cells += [answer, check]
        else:
            cells.append(cell)
    return {**nb, "cells": cells}


def answer_cell(nb: dict, item: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == item)


def with_answers(release: dict, answers: dict[str, str]) -> dict:
    """The released notebook with `answers` (item id -> plain words) in its answer cells."""
    nb = json.loads(json.dumps(release))
    for item, source in answers.items():
        answer_cell(nb, item)["source"] = source
    return nb


REFLECTION = (
    "I would explain what the exercise involves before we start. I would say clearly that "
    "anyone can pass and keep their eyes open. Afterwards I would check in with the group "
    "about how it felt."
)
RIGHT = {
    "tic-1": "a",
    "tic-2": "a, c, d",
    "tic-3": "a b c",
    "tic-4": "a: fight, b: flight, c: freeze",
    "tic-5": "a",
    "tic-6": REFLECTION,
}
FULL = {"tic-1": 1, "tic-2": 2, "tic-3": 2, "tic-4": 2, "tic-5": 2, "tic-6": 4}
# Old answers (Python assignments from the first release) are read as data.
OLD_STYLE = {
    "tic-1": 'tic_1 = "a"',
    "tic-2": 'tic_2 = ["a", "c", "d"]',
    "tic-3": 'tic_3 = ["a", "b", "c"]',
    "tic-4": 'tic_4 = {"a": "fight", "b": "flight", "c": "freeze"}',
    "tic-5": 'tic_5 = "a"',
    "tic-6": f'tic_6 = """{REFLECTION}"""',
}
MARKER = "/tmp/course-grading-test-was-here"
# Hand-computed expected points for each trainee, item by item.
CASES = {
    "right": (RIGHT, FULL),
    "written-as-people-write": (
        {
            "tic-1": "A",
            "tic-2": "a,c and d",
            "tic-3": "a, b and c",
            "tic-4": "a fight\nb - flight\nc) Freeze",
            "tic-5": "(a)",
            "tic-6": REFLECTION,
        },
        FULL,
    ),
    "old-style": (OLD_STYLE, FULL),
    "wrong": (
        {
            "tic-1": "b",
            "tic-2": "b",
            "tic-3": "c b a",
            "tic-4": "a: freeze, b: fight, c: flight",
            "tic-5": "b",
            "tic-6": "choice, pass, eyes open, check in",
        },
        {"tic-1": 0, "tic-2": 0, "tic-3": 0, "tic-4": 0, "tic-5": 0, "tic-6": 0},
    ),
    # multiple: 2 right - 1 wrong over 3 -> 1/3 of 2 = 0.67; ordering a,c,b: 2 of 3 pairs
    # -> 1.33; classification 1 of 3 -> 0.67; judgement c = 0.5 -> 1; reflection: explain (1)
    # + pass (1) of 4, and "I would not check in" is negated -> 2.
    "partial": (
        {
            "tic-1": "a",
            "tic-2": "a, c, b",
            "tic-3": "a c b",
            "tic-4": "a: fight, b: freeze, c: flight",
            "tic-5": "c",
            "tic-6": "I would explain what the exercise is going to be. People can pass if they "
            "want to do that. I would not check in with them afterwards.",
        },
        {"tic-1": 1, "tic-2": 0.67, "tic-3": 1.33, "tic-4": 0.67, "tic-5": 1, "tic-6": 2},
    ),
    "unreadable": (
        {**RIGHT, "tic-1": "a or maybe b", "tic-3": "a b", "tic-4": "a: run"},
        {**FULL, "tic-1": 0, "tic-3": 0, "tic-4": 0},
    ),
    "blank": ({}, {"tic-1": 0, "tic-2": 0, "tic-3": 0, "tic-4": 0, "tic-5": 0, "tic-6": 0}),
    # Python in an answer is text: nothing runs, nothing is created, nothing hangs.
    "hostile-python": (
        {
            **RIGHT,
            "tic-1": f'tic_1 = open("{MARKER}", "w").write("x") or "a"',
            "tic-2": "import socket\nsocket.create_connection(('127.0.0.1', 9))",
            "tic-3": "while True:\n    pass",
            "tic-5": "import facilitator_course.grading.checks as c\nc.grade = lambda *a: 1.0",
        },
        {**FULL, "tic-1": 0, "tic-2": 0, "tic-3": 0, "tic-5": 0},
    ),
    "edited-prompt-cell": (RIGHT, FULL),
    "deleted-answer-cell": (RIGHT, {**FULL, "tic-2": 0}),
    "extra-file": (RIGHT, FULL),
    # a red flag caps the reflection at 1 point and sends it to the trainer
    "red-flag": (
        {**RIGHT, "tic-6": REFLECTION + " Everyone has to join in, though."},
        {**FULL, "tic-6": 1},
    ),
    "markup": (
        {
            **RIGHT,
            "tic-6": REFLECTION + ' <script>alert("x")</script> <img src=x onerror=alert(1)>',
        },
        FULL,
    ),
}
NOT_GRADED = ["invalid-json", "missing-notebook"]


def run(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`course ARGS` for the fixture course, in this process."""
    return course_cli(course, *args, check=check)


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fixture_course(course: Path) -> Path:
    """A copy of the fixture course at `course`, with the course's nbgrader settings."""
    shutil.copytree(DATA / "fixture-course" / "exercises", course / "exercises")
    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, course / name)
    (course / "book").mkdir()
    shutil.copy(ROOT / "book" / "logo.svg", course / "book" / "logo.svg")
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", course / "exercises")
    return course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A fixture course taken through release, collect and grade with every case."""
    course = fixture_course(tmp_path_factory.mktemp("course"))
    Path(MARKER).unlink(missing_ok=True)
    release_out = run(course, "release", SLUG).stdout
    release = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())

    inbox = course / "inbox"
    inbox.mkdir()
    roster = ["id,name,email,lms_id"]
    for sid, (answers, _) in CASES.items():
        nb = with_answers(release, answers)
        if sid == "old-style":
            nb = first_release(nb, answers)
        if sid == "edited-prompt-cell":
            prompt = next(
                c
                for c in nb["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "tic-1-prompt"
            )
            prompt["source"] = "The answer is b, and this item is worth 10 points."
        (inbox / sid).mkdir()
        (inbox / sid / f"{SLUG}.ipynb").write_text(json.dumps(nb))
        roster.append(f"{sid},,,")
    (inbox / "extra-file" / "notes.txt").write_text("my own notes")
    for sid in NOT_GRADED:
        roster.append(f"{sid},,,")
        (inbox / sid).mkdir()
    (inbox / "invalid-json" / f"{SLUG}.ipynb").write_text('{"cells": [')
    nb = with_answers(release, RIGHT)
    nb["cells"] = [
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "tic-2"
    ]
    (inbox / "deleted-answer-cell" / f"{SLUG}.ipynb").write_text(json.dumps(nb))
    (inbox / "stranger").mkdir()
    (inbox / "stranger" / f"{SLUG}.ipynb").write_text(json.dumps(release))
    (course / "exercises" / "students.csv").write_text("\n".join(roster) + "\n")

    collect_out = run(course, "collect", str(inbox), SLUG).stdout
    submitted = course / "exercises" / "submitted"
    # a trainee whose folder exists but whose notebook is missing
    (submitted / "missing-notebook" / SLUG).mkdir(parents=True)
    (submitted / "missing-notebook" / SLUG / "other.ipynb").write_text(json.dumps(release))
    before = checksums(submitted)
    grade = run(course, "grade", SLUG, "--workers", "2", check=False)
    after = checksums(submitted)
    return {
        "course": course,
        "release": release_out,
        "collect": collect_out,
        "grade": grade,
        "before": before,
        "after": after,
    }


def test_release_has_no_solutions_and_no_hidden_tests(graded):
    text = (graded["course"] / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert '"a", "c", "d"' not in text and "eyes open. Afterwards" not in text
    assert "YOUR ANSWER HERE" in text and "import_module" not in text
    assert "no solutions, no hidden tests" in graded["release"]


def test_collect_maps_trainees_and_reports_unmatched(graded):
    out = graded["collect"]
    assert "unmatched: stranger" in out
    assert f"Collected {len(CASES) + 1} submission(s)" in out  # all but missing-notebook
    mode = (graded["course"] / "exercises" / "submitted" / "right").stat().st_mode & 0o777
    assert mode == 0o700


def test_submissions_are_never_modified(graded):
    assert graded["before"] == graded["after"]


def test_bad_submissions_are_reported_and_never_stop_the_rest(graded):
    out = graded["grade"].stdout
    assert graded["grade"].returncode == 1  # some trainees could not be graded
    assert "NOT GRADED invalid-json: the notebook file is corrupt (not valid JSON)" in out
    assert f"NOT GRADED missing-notebook: no {SLUG}.ipynb in the submission (found other" in out
    assert f"Graded {len(CASES)} of {len(CASES) + len(NOT_GRADED)}" in out
    checks = {line.split(":")[0].split()[-1]: line for line in out.splitlines() if "CHECK" in line}
    assert "UNTOUCHED: none of the 7 items answered" in checks["blank"]
    assert "blank: tic-2" not in checks.get("right", "")
    unread = checks["unreadable"]
    assert "could not read tic-1 (" in unread and "tic-3 (" in unread and "tic-4 (" in unread
    assert "right" not in checks and "wrong" not in checks


def test_nothing_in_an_answer_runs(graded):
    assert not Path(MARKER).exists()


def test_scores_item_by_item(graded):
    from nbgrader.api import Gradebook

    url = "sqlite:///" + str(graded["course"] / "exercises" / "gradebook.db")
    with Gradebook(url) as gb:
        for sid, (_, expected) in CASES.items():
            sub = gb.find_submission(SLUG, sid)
            got = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            for item, points in expected.items():
                assert got[item] == pytest.approx(points, abs=0.01), (sid, item, got)


def test_manual_grade_feedback_and_report(graded):
    course = graded["course"]
    out = run(
        course,
        "set-grade",
        SLUG,
        "right",
        "tic-7",
        "--points",
        "1.5",
        "--comment",
        "A thoughtful plan.",
    ).stdout
    assert "right tic-7: 1.5 of 2" in out
    bad = run(course, "set-grade", SLUG, "right", "tic-7", "--points", "9", check=False)
    assert bad.returncode == 2 and "outside 0 to 2" in bad.stderr
    run(course, "set-grade", SLUG, "partial", "tic-6", "--comment", "Say how you would check in.")
    run(course, "feedback", SLUG)
    feedback = course / "exercises" / "feedback"
    html = (feedback / "right" / SLUG / f"{SLUG}.html").read_text()
    assert "A thoughtful plan." in html and "Model answer:" in html
    assert 'name="viewport"' in html and "Example Peer Support Network" in html
    assert "What should every grounding exercise offer?" in html  # the question
    assert "a, c, d" in html and "14.5 of 15 points" in html
    for noise in ("Traceback", "In [", "import ", "grade_id", "YOUR ANSWER HERE"):
        assert noise not in html, noise
    partial = (feedback / "partial" / SLUG / f"{SLUG}.html").read_text()
    assert "Say how you would check in." in partial and "1.33 of 2 points" in partial
    marked = (feedback / "markup" / SLUG / f"{SLUG}.html").read_text()
    assert "<script>alert" not in marked and "<img src=x" not in marked
    assert "&lt;script&gt;" in marked
    run(course, "report", SLUG)
    reports = course / "exercises" / "reports"
    rows = {r["student"]: r for r in csv.DictReader((reports / f"{SLUG}-scores.csv").open())}
    assert float(rows["right"]["total"]) == 14.5  # 13 auto + 1.5 manual
    assert float(rows["partial"]["tic-3"]) == pytest.approx(1.33, abs=0.01)
    assert float(rows["right"]["TIC-2"]) == pytest.approx(0.75)  # tic-7 1.5 of 2
    assert "tic-6 text" not in rows["right"]  # no free text unless asked
    assert "check in with the group" not in (reports / f"{SLUG}-scores.csv").read_text()
    report_html = (reports / f"{SLUG}-report.html").read_text()
    assert report_html.count("<svg") == 3 and "Mastery per competency" in report_html
    assert rows["partial"]["tic-7"] == "unmarked" and rows["right"]["tic-7"] == "1.5"
    assert "wait for a trainer's mark" in report_html  # never averaged in as 0
    assert "explain the 4 Rs" in report_html  # competency names beside ids
    assert '<th scope="row">partial</th>' in report_html  # a row per trainee
    run(course, "report", SLUG, "--include-text")
    text = (reports / f"{SLUG}-scores.csv").read_text()
    assert "tic-6 text" in text and "check in with the group" in text
    assert "YOUR ANSWER HERE" not in text and "NotImplementedError" not in text
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["blank"]["tic-6 text"] == "" and rows["blank"]["tic-7 text"] == ""


def test_feedback_zip_has_one_file_per_trainee_named_for_lms_upload(graded, tmp_path):
    import zipfile

    course = graded["course"]
    out = run(course, "feedback", SLUG, "--zip", str(tmp_path / "to-upload.zip")).stdout
    assert "packed in" in out
    with zipfile.ZipFile(tmp_path / "to-upload.zip") as z:
        names = z.namelist()
        page = z.read(f"right_{SLUG}_feedback.html").decode()
    assert all("/" not in n and n.endswith(f"_{SLUG}_feedback.html") for n in names)
    assert len(names) == len(set(names)) >= len(CASES) - 1
    assert "Model answer:" in page
    assert (tmp_path / "to-upload.zip").stat().st_mode & 0o777 == 0o600


def test_set_grade_names_what_the_gradebook_does_not_know(graded):
    course = graded["course"]
    nobody = run(course, "set-grade", SLUG, "nobody", "tic-6", "--points", "1", check=False)
    assert nobody.returncode == 2 and "no trainee 'nobody' in the gradebook" in nobody.stderr
    assert "grade the assignment first" not in nobody.stderr
    item = run(course, "set-grade", SLUG, "right", "tic-99", "--points", "1", check=False)
    assert item.returncode == 2 and "has no item 'tic-99'" in item.stderr
    assert "tic-6" in item.stderr.split("Fix: ", 1)[1]


def test_report_bars_are_drawn_against_100_percent():
    from facilitator_course.grading.report import _bars

    half = _bars("Mastery", ["TIC-1", "TIC-2"], [50.0, 40.0], "%", top=100)
    assert [b["width"] for b in half["bars"]] == [175.0, 140.0]  # 350 px is 100%
    counts = _bars("Trainees", ["0-9%", "10-19%"], [2.0, 1.0], "")
    assert [b["width"] for b in counts["bars"]] == [350.0, 175.0]  # counts: the largest


def test_formgrader_shows_each_answer_and_its_score(graded):
    """The page nbgrader's formgrader renders for a submission (its own exporter and
    template), and the scores it reads from the gradebook."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.api import Gradebook
    from nbgrader.server_extensions.formgrader import handlers

    course = graded["course"]
    exporter = HTMLExporter(
        template_name="formgrade", extra_template_basedirs=[handlers.template_path]
    )
    notebook = course / "exercises" / "autograded" / "partial" / SLUG / f"{SLUG}.ipynb"
    resources = {
        "assignment_id": SLUG,
        "notebook_id": SLUG,
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "",
        "student": "partial",
        "last_name": "",
        "first_name": "",
        "notebook_path": str(notebook),
    }
    html, _ = exporter.from_filename(str(notebook), resources=resources)
    for item, words in CASES["partial"][0].items():
        assert words.split(".")[0] in html, item
    url = "sqlite:///" + str(course / "exercises" / "gradebook.db")
    with Gradebook(url) as gb:
        sub = gb.find_submission(SLUG, "partial")
        shown = {
            g.name: (g.auto_score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades
        }
    assert shown["tic-3"] == (pytest.approx(1.33), False)
    with Gradebook(url) as gb:
        flagged = gb.find_grade("tic-6", SLUG, SLUG, "red-flag")
        assert (flagged.auto_score, flagged.needs_manual_grade) == (1.0, True)
    assert all(score is not None for score, _ in shown.values())


def test_review_queue_confirm_and_override_reach_feedback_and_report(graded):
    course = graded["course"]
    out = run(course, "review", SLUG).stdout
    lines = [ln for ln in out.splitlines() if ln.startswith("  ")]
    assert lines[0].startswith("  red-flag tic-6: 1/4") and "RED FLAG" in lines[0]
    page = course / "exercises" / "reports" / f"{SLUG}-review.html"
    html = page.read_text()
    assert '<mark class="red">' in html and "<mark>" in html  # red flag and evidence marked
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert page.stat().st_mode & 0o777 == 0o600
    run(course, "review", SLUG, "--confirm", "right", "tic-6")
    out = run(
        course, "review", SLUG, "--set", "red-flag", "tic-6", "0", "--comment", "Never force it."
    ).stdout
    assert "red-flag tic-6: 0 of 4" in out
    assert "tic-fixture: 1 of 2 reviewed scores changed, by -1.00 points on average" in out
    assert "[confirmed]" in out and "[changed to 0]" in out
    run(course, "feedback", SLUG)
    feedback = (course / "exercises" / "feedback" / "red-flag" / SLUG / f"{SLUG}.html").read_text()
    assert "Never force it." in feedback and "0 of 4 points" in feedback
    run(course, "report", SLUG)
    rows = {
        r["student"]: r
        for r in csv.DictReader((course / "exercises" / "reports" / f"{SLUG}-scores.csv").open())
    }
    assert float(rows["red-flag"]["tic-6"]) == 0.0
    bad = run(course, "review", SLUG, "--confirm", "nobody", "tic-6", check=False)
    assert bad.returncode == 2 and "no trainee 'nobody' in the gradebook" in bad.stderr
