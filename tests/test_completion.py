"""Completion and certificates, as a trainer uses them: rules in course.yml, a graded
cohort, a sign-off, then `course completion`, `course certificates` and `course verify`."""

from __future__ import annotations

import csv
import json
import time

import pytest

from .conftest import course_cli
from .test_grading import CASES, SLUG, fixture_course, with_answers

pytestmark = pytest.mark.slow

RULES = """
completion:
  min_percent: 60
  reflections_confirmed: true
  sessions: 1
  paper: Letter
  trainer: Ana Ruiz
"""


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Three trainees graded: Zoë (all right), Sam (partly right), Kai (all wrong)."""
    course = fixture_course(tmp_path_factory.mktemp("completion") / "course")
    profile = (course / "course.yml").read_text()
    start = profile.index("completion:")
    end = profile.index("default_region:")
    (course / "course.yml").write_text(profile[:start] + RULES.lstrip() + profile[end:])
    course_cli(course, "release", SLUG)
    release = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())
    people = {"zoe": ("Zoë Ngata", "right"), "sam": ("Sam Lee", "partial"), "kai": ("Kai", "wrong")}
    inbox = course / "inbox"
    roster = ["id,name,email,lms_id"]
    for sid, (name, case) in people.items():
        (inbox / sid).mkdir(parents=True)
        (inbox / sid / f"{SLUG}.ipynb").write_text(
            json.dumps(with_answers(release, CASES[case][0]))
        )
        roster.append(f"{sid},{name},,")
    (course / "exercises" / "students.csv").write_text("\n".join(roster) + "\n")
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1")
    return course


def test_signoff_refuses_what_it_cannot_record(cohort):
    bad = [
        ("nobody", "--date", "2026-11-20", "--by", "Rua Tane"),
        ("zoe", "--date", "20/11/2026", "--by", "Rua Tane"),
        ("zoe", "--date", "2999-01-01", "--by", "Rua Tane"),
        ("zoe", "--date", "2026-11-20", "--by", "  "),
    ]
    for args in bad:
        out = course_cli(cohort, "signoff", *args, check=False)
        assert out.returncode == 2 and "Fix:" in out.stderr, (args, out.stderr)
    assert not (cohort / "exercises" / "signoffs.csv").exists()


def test_completion_certificates_and_verify(cohort, tmp_path):
    from pypdf import PdfReader

    before = course_cli(cohort, "completion").stdout
    assert "0 of 3 trainee(s) have completed the course." in before
    assert "zoe: reflections confirmed: waiting for `course review`: tic-6" in before
    assert "zoe: co-facilitated sessions: 0 of 1 signed off" in before

    course_cli(cohort, "review", SLUG, "--confirm", "zoe", "tic-6")
    course_cli(cohort, "review", SLUG, "--confirm", "sam", "tic-6")
    signed = course_cli(
        cohort,
        "signoff",
        "zoe",
        "--date",
        "2026-11-20",
        "--by",
        "Rua Tane",
        "--note",
        "Ran check-in",
    )
    assert "session 1 on 2026-11-20 by Rua Tane" in signed.stdout
    assert (cohort / "exercises" / "signoffs.csv").stat().st_mode & 0o777 == 0o600

    out = course_cli(cohort, "completion", "--csv", tmp_path / "completion.csv").stdout
    assert "1 of 3 trainee(s) have completed the course." in out
    rows = {r["trainee"]: r for r in csv.DictReader((tmp_path / "completion.csv").open())}
    assert rows["zoe"]["complete"] == "yes"
    assert rows["sam"]["complete"] == "no"
    assert rows["sam"][SLUG].startswith("missing: 44% of the points (needs 60%)")
    assert rows["sam"]["reflections confirmed"] == "met"
    assert rows["sam"]["co-facilitated sessions"] == "missing: 0 of 1 signed off"
    assert rows["kai"][SLUG].startswith("missing: 0%")

    start = time.perf_counter()
    made = course_cli(cohort, "certificates").stdout
    render = time.perf_counter() - start
    folder = cohort / "exercises" / "certificates"
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["zoe-certificate.pdf"], made
    reader = PdfReader(pdfs[0])
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Zoë Ngata" in text and "Ana Ruiz" in text and "TIC-" in text
    width_in = float(reader.pages[0].mediabox.width) / 72
    assert round(width_in, 1) == 8.5  # Letter, as course.yml asks
    html = (folder / "zoe-certificate.html").read_text()
    assert "Zoë Ngata" in html and "Example Peer Support Network" in html
    register = list(csv.DictReader((folder / "register.csv").open()))
    assert [r["trainee"] for r in register] == ["zoe"]
    code = register[0]["code"]
    assert code in text and code in html
    print(f"certificate render: {render:.2f} s")  # for the closing note

    again = course_cli(cohort, "certificates").stdout  # a second run keeps the code
    assert code in again
    assert [r["code"] for r in csv.DictReader((folder / "register.csv").open())] == [code]

    ok = course_cli(cohort, "verify", code.lower())
    assert ok.returncode == 0 and "valid. Zoë Ngata completed the course" in ok.stdout
    unknown = course_cli(cohort, "verify", "FC-AAAA-BBBB-CCCC", check=False)
    assert unknown.returncode == 1 and "not in this organization's register" in unknown.stdout


def test_validate_checks_the_rules_against_the_curriculum(tmp_path):
    from .conftest import ROOT

    profile = (ROOT / "course.yml").read_text()
    bad = profile.replace("capstone: capstone-whole-session", "capstone: no-such-scenario")
    bad = bad.replace("  min_percent: 70\n", "  min_percent: 70\n  assignments: [09-nothing]\n")
    path = tmp_path / "course.yml"
    path.write_text(bad)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "logo.svg").write_text((ROOT / "book" / "logo.svg").read_text())
    out = course_cli(ROOT, "validate", "--profile", path, check=False)
    assert out.returncode == 2
    assert "assignment '09-nothing', which the course does not have" in out.stderr
    assert "capstone scenario 'no-such-scenario', which does not exist" in out.stderr
