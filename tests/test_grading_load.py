"""Grading gives the same gradebook on an idle machine and with every core busy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_grading import CASES, SLUG, fixture_course, run, with_answers

pytestmark = pytest.mark.slow
HOG = "import time\nend = time.time() + 240\nwhile time.time() < end:\n    pass\n"


def graded_course(tmp: Path, students: int) -> dict:
    course = fixture_course(tmp / "course")
    run(course, "release", SLUG)
    release = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())
    answers = [a for a, _ in CASES.values()]
    inbox = course / "inbox"
    roster = ["id,name,email,lms_id"]
    for n in range(students):
        sid = f"t{n:02d}"
        (inbox / sid).mkdir(parents=True)
        nb = with_answers(release, answers[n % len(answers)])
        (inbox / sid / f"{SLUG}.ipynb").write_text(json.dumps(nb))
        roster.append(f"{sid},,,")
    (course / "exercises" / "students.csv").write_text("\n".join(roster) + "\n")
    run(course, "collect", str(inbox), SLUG)
    run(course, "grade", SLUG, "--workers", "2")
    from nbgrader.api import Gradebook

    book = {}
    with Gradebook("sqlite:///" + str(course / "exercises" / "gradebook.db")) as gb:
        for n in range(students):
            sub = gb.find_submission(SLUG, f"t{n:02d}")
            for nb in sub.notebooks:
                for g in nb.grades:
                    book[(sub.student_id, g.name, "score")] = g.score
                for c in nb.comments:
                    book[(sub.student_id, c.name, "comment")] = c.auto_comment
    return book


def test_same_gradebook_idle_and_with_every_core_busy(tmp_path):
    idle = graded_course(tmp_path / "idle", 40)
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(os.cpu_count() or 1)]
    try:
        busy = graded_course(tmp_path / "busy", 40)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert len(idle) > 40 * 7
    assert busy == idle
