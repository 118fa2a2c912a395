"""Hostile inboxes, rosters and answers on the trainer's side: each is refused by name or
handled safely, never followed, never run, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from facilitator_course.grading.nbgrader_api import private

from .conftest import course_cli
from .test_grading import RIGHT, SLUG, answer_cell, fixture_course, with_answers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A fixture course with the assignment released, and the released notebook."""
    course = fixture_course(tmp_path_factory.mktemp("hostile") / "course")
    course_cli(course, "release", SLUG)
    nb = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())
    return course, nb


def fresh(tmp_path: Path, released, roster: str = "id,name,email,lms_id\nalice,,,\nbob,,,\n"):
    """A new copy of the released course, with `roster` as students.csv."""
    import shutil

    course = tmp_path / "course"
    shutil.copytree(released[0], course, symlinks=True)
    (course / "exercises" / "students.csv").write_text(roster)
    return course, released[1]


def notebook_bytes(nb: dict, answers: dict | None = None) -> bytes:
    return json.dumps(with_answers(nb, answers or RIGHT)).encode()


def collected(course: Path) -> set[str]:
    root = course / "exercises" / "submitted"
    return {p.name for p in root.iterdir()} if root.is_dir() else set()


# ---- files from outside ---------------------------------------------------------------


def test_links_in_an_inbox_are_refused_by_name_and_never_followed(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "solutions.ipynb"
    secret.write_bytes(notebook_bytes(nb))
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"{SLUG}.ipynb").symlink_to(secret)
    (inbox / "bob").symlink_to(outside, target_is_directory=True)
    out = course_cli(course, "collect", inbox, SLUG, check=False)
    assert out.returncode == 2 and collected(course) == set()
    assert f"refused: alice/{SLUG}.ipynb: a link" in out.stdout
    assert "refused: bob: a link to a folder" in out.stdout


def make_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)
    return path


def mark_encrypted(path: Path, name: str) -> None:
    """Set the "encrypted" bit of entry `name` in its local and central headers (zipfile
    cannot write an encrypted entry itself)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            if data[at + name_at : at + name_at + len(encoded)] == encoded:
                data[at + flag_at] |= 0x1
            start = at + 4
    path.write_bytes(bytes(data))


def test_unsafe_zip_entries_are_refused_by_name_and_the_rest_collected(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    escaping = zipfile.ZipInfo(f"../../alice/{SLUG}.ipynb")
    absolute = zipfile.ZipInfo(f"/tmp/alice/{SLUG}.ipynb")
    link = zipfile.ZipInfo(f"alice-link/{SLUG}.ipynb")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    locked = f"locked-alice/{SLUG}.ipynb"
    good = notebook_bytes(nb)
    zipped = make_zip(
        tmp_path / "download.zip",
        [
            (escaping, good),
            (absolute, good),
            (link, b"/etc/passwd"),
            (locked, good),
            (f"bob/{SLUG}.ipynb", good),
        ],
    )
    mark_encrypted(zipped, locked)
    out = course_cli(course, "collect", zipped, SLUG)
    assert collected(course) == {"bob"}
    assert not (tmp_path / "alice").exists() and not Path("/tmp/alice").exists()
    text = out.stdout
    assert f"refused: ../../alice/{SLUG}.ipynb: its path leaves the folder" in text
    assert f"refused: /tmp/alice/{SLUG}.ipynb: its path leaves the folder" in text
    assert f"refused: alice-link/{SLUG}.ipynb: a link" in text
    assert f"refused: locked-alice/{SLUG}.ipynb: encrypted" in text


def test_a_huge_zip_member_is_refused_before_it_is_read(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    huge = b" " * (21 * 1024 * 1024)  # compresses to a few kilobytes
    zipped = make_zip(
        tmp_path / "bomb.zip",
        [(f"alice/{SLUG}.ipynb", huge), (f"bob/{SLUG}.ipynb", notebook_bytes(nb))],
    )
    assert zipped.stat().st_size < 200_000
    out = course_cli(course, "collect", zipped, SLUG)
    assert collected(course) == {"bob"}
    assert f"refused: alice/{SLUG}.ipynb: 21 MB, larger than a submission can be" in out.stdout


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 this is not really a zip", b"", b"\x00" * 100],
    ids=["truncated", "empty", "zeros"],
)
def test_a_corrupt_zip_is_a_clear_error(tmp_path, released, content):
    course, _ = fresh(tmp_path, released)
    bad = tmp_path / "download.zip"
    bad.write_bytes(content)
    out = course_cli(course, "collect", bad, SLUG, check=False)
    assert out.returncode == 2
    assert f"{bad}:" in out.stderr and "cannot be read" in out.stderr and "Fix:" in out.stderr


def test_a_corrupt_member_is_refused_and_the_rest_collected(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    zipped = make_zip(
        tmp_path / "d.zip",
        [(f"alice/{SLUG}.ipynb", notebook_bytes(nb)), (f"bob/{SLUG}.ipynb", notebook_bytes(nb))],
    )
    data = bytearray(zipped.read_bytes())
    first = data.index(b"alice/") + len(f"alice/{SLUG}.ipynb")
    data[first + 10 : first + 40] = b"\xff" * 30  # damage alice's compressed bytes
    zipped.write_bytes(bytes(data))
    out = course_cli(course, "collect", zipped, SLUG)
    assert collected(course) == {"bob"}
    assert f"refused: alice/{SLUG}.ipynb: corrupt in the zip" in out.stdout


def test_control_characters_in_file_names_never_reach_the_terminal_raw(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"\x1b[2J\x07{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    (inbox / "stranger\x1b]0;owned\x07").mkdir()
    (inbox / "stranger\x1b]0;owned\x07" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    out = course_cli(course, "collect", inbox, SLUG)
    assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout
    assert "\\x1b[2J\\x07" in out.stdout and "unmatched: stranger\\x1b]0;owned\\x07" in out.stdout


# ---- permissions ---------------------------------------------------------------------


def test_making_a_folder_private_never_follows_a_link(tmp_path):
    outside = tmp_path / "outside.sh"
    outside.write_text("#!/bin/sh\n")
    outside.chmod(0o755)
    folder = tmp_path / "graded"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "note.txt").write_text("x")
    (folder / "alice" / "planted").symlink_to(outside)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    elsewhere.chmod(0o755)
    (folder / "linked-dir").symlink_to(elsewhere, target_is_directory=True)
    private(folder)
    assert stat.S_IMODE(outside.stat().st_mode) == 0o755
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "alice" / "note.txt").stat().st_mode) == 0o600
    private(folder / "alice" / "planted")  # a link given directly is left alone too
    assert stat.S_IMODE(outside.stat().st_mode) == 0o755


def test_the_gradebook_and_everything_collected_are_readable_by_the_trainer_only(
    tmp_path, released
):
    course, nb = fresh(tmp_path, released)
    (course / "exercises" / "gradebook.db").unlink()
    course_cli(course, "release", SLUG)  # creates the gradebook anew
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1")
    book = course / "exercises" / "gradebook.db"
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
    for path in (course / "exercises" / "autograded").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


# ---- rosters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8-sig", "Zoë Ngata"), ("cp1252", "Zoë Ngata"), ("utf-8", "Zoë Ngata")],
    ids=["utf-8 with BOM", "latin-1 from Excel", "utf-8"],
)
def test_a_roster_with_a_bom_or_in_latin_1_is_read(tmp_path, released, encoding, name):
    course, nb = fresh(tmp_path, released)
    roster = f"id,name,email,lms_id\nzoe,{name},,\n".encode(encoding)
    (course / "exercises" / "students.csv").write_bytes(roster)
    inbox = tmp_path / "inbox"
    (inbox / "Zoë Ngata_4411_assignsubmission_file_").mkdir(parents=True)
    (inbox / "Zoë Ngata_4411_assignsubmission_file_" / f"{SLUG}.ipynb").write_bytes(
        notebook_bytes(nb)
    )
    course_cli(course, "collect", inbox, SLUG)
    assert collected(course) == {"zoe"}


def test_a_roster_without_an_id_column_is_a_clear_error(tmp_path, released):
    course, _ = fresh(tmp_path, released, roster="name,email\nAlice,a@example.org\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = course_cli(course, "collect", inbox, SLUG, check=False)
    assert out.returncode == 2 and "students.csv:1: " in out.stderr and "'id'" in out.stderr


# ---- LMS downloads ---------------------------------------------------------------------


def test_lms_file_names_are_matched_and_the_newest_file_is_kept(tmp_path, released):
    roster = (
        "id,name,email,lms_id\n"
        "chloe,Chloe Martin,chloe.martin@example.org,\n"
        "tane,Tane Walker,,88231\n"
        "amira,Amira Haddad,ahaddad@example.org,\n"
        "li,Li Wei,,\n"
    )
    course, nb = fresh(tmp_path, released, roster)
    draft = notebook_bytes(nb, {**RIGHT, "tic-1": "b"})
    final = notebook_bytes(nb)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = {
        f"{SLUG} (Chloe Martin).ipynb": final,  # the example
        f"walkertane_88231_1200345_{SLUG}.ipynb": final,  # Canvas
        f"Amira Haddad_3301_assignsubmission_file_/{SLUG}-draft.ipynb": draft,  # Moodle
        f"Amira Haddad_3301_assignsubmission_file_/{SLUG}-final.ipynb": final,
        f"Li Wei/Submitted files/{SLUG}.ipynb": final,  # Teams
    }
    for n, (name, data) in enumerate(files.items()):
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (1_700_000_000 + n * 60, 1_700_000_000 + n * 60))
    # the draft is newer by name order but older by time: make it clearly the older one
    os.utime(inbox / f"Amira Haddad_3301_assignsubmission_file_/{SLUG}-draft.ipynb", (1, 1))
    out = course_cli(course, "collect", inbox, SLUG)
    assert collected(course) == {"chloe", "tane", "amira", "li"}, out.stdout
    kept = (course / "exercises" / "submitted" / "amira" / SLUG / f"{SLUG}.ipynb").read_bytes()
    assert kept == final
    assert f"dropped: Amira Haddad_3301_assignsubmission_file_/{SLUG}-draft.ipynb" in out.stdout


def test_a_name_shared_by_two_trainees_is_reported_not_guessed(tmp_path, released):
    roster = "id,name,email,lms_id\nsam1,Sam Lee,,\nsam2,Sam Lee,,\n"
    course, nb = fresh(tmp_path, released, roster)
    inbox = tmp_path / "inbox"
    (inbox / "Sam Lee").mkdir(parents=True)
    (inbox / "Sam Lee" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    out = course_cli(course, "collect", inbox, SLUG, check=False)
    assert collected(course) == set()
    assert "names more than one trainee (sam1, sam2)" in out.stdout


# ---- answers and exports ---------------------------------------------------------------


def test_python_in_an_answer_is_text_and_a_str_subclass_earns_nothing(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    planted = tmp_path / "planted"
    sneaky = {
        "tic-1": f"open({str(planted)!r}, 'w').write('x')",
        "tic-2": "type('S', (str,), {'__eq__': lambda s, o: True})('a')",
        "tic-3": "__import__('os').system('touch " + str(planted) + "')",
        "tic-4": "tic_4 = {k: v for k, v in globals().items()}",
        "tic-5": "tic_5 = __import__('builtins').open('/etc/passwd').read()",
        "tic-6": "import socket; socket.create_connection(('127.0.0.1', 22))",
    }
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb, sneaky))
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1")
    assert not planted.exists()
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(course / "exercises" / "gradebook.db")) as gb:
        sub = gb.find_submission(SLUG, "alice")
        assert sub.score == 0, {g.name: g.score for nb in sub.notebooks for g in nb.grades}


def test_edited_cell_metadata_never_raises_a_score(tmp_path, released):
    """Raising an item's points, renaming an answer cell to another item, or turning it
    into a code cell gives the same score as the same answers in an untouched notebook."""
    course, nb = fresh(tmp_path, released)
    answers = {**RIGHT, "tic-1": "b", "tic-2": "", "tic-6": ""}
    plain = with_answers(nb, answers)
    edited = with_answers(nb, answers)
    answer_cell(edited, "tic-1")["metadata"]["nbgrader"]["points"] = 100
    answer_cell(edited, "tic-2")["metadata"]["nbgrader"]["grade_id"] = "tic-3"
    cell = answer_cell(edited, "tic-6")
    cell["cell_type"] = "code"
    cell["outputs"], cell["execution_count"] = [], None
    inbox = tmp_path / "inbox"
    for sid, book in (("alice", plain), ("bob", edited)):
        (inbox / sid).mkdir(parents=True)
        (inbox / sid / f"{SLUG}.ipynb").write_text(json.dumps(book))
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1", check=False)
    from nbgrader.api import Gradebook

    with Gradebook("sqlite:///" + str(course / "exercises" / "gradebook.db")) as gb:
        scores = {sid: gb.find_submission(SLUG, sid).score for sid in ("alice", "bob")}
    assert scores["bob"] <= scores["alice"], scores


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    formula = '=HYPERLINK("http://example.org/x","click")'
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb, {**RIGHT, "tic-6": formula}))
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1")
    course_cli(course, "report", SLUG, "--include-text")
    text = (course / "exercises" / "reports" / f"{SLUG}-scores.csv").read_text()
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + formula in cells and formula not in cells
    assert not any(c[:1] in ("=", "+", "-", "@") for c in cells)


def test_report_on_an_assignment_never_graded_is_a_clear_error(tmp_path, released):
    course, _ = fresh(tmp_path, released)
    (course / "exercises" / "gradebook.db").unlink(missing_ok=True)
    out = course_cli(course, "report", SLUG, check=False)
    assert out.returncode == 2 and "has not been graded yet" in out.stderr
    assert not (course / "exercises" / "gradebook.db").exists()


def test_report_out_changes_only_the_files_it_writes(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    course_cli(course, "collect", inbox, SLUG)
    course_cli(course, "grade", SLUG, "--workers", "1")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    script = shared / "tool.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    course_cli(course, "report", SLUG, "--out", shared)
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / f"{SLUG}-scores.csv").stat().st_mode) == 0o600


def snapshot(folder: Path, skip: tuple[str, ...]) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not str(p.relative_to(folder)).startswith(skip)
    }


def test_a_cohort_run_changes_nothing_else_and_scores_as_each_trainee_alone(tmp_path, released):
    """Hostile and ordinary trainees graded together: nothing outside their autograded
    folders and the gradebook changes, and each scores exactly as when graded alone."""
    from nbgrader.api import Gradebook

    from .test_grading import CASES, first_release

    cases = ["right", "hostile-python", "old-style", "markup", "wrong", "red-flag"]
    roster = "id,name,email,lms_id\n" + "".join(f"{c},,,\n" for c in cases)

    def make_inbox(where: Path, nb: dict, who: list[str]) -> Path:
        inbox = where / "inbox"
        for sid in who:
            answers = CASES[sid][0]
            book = with_answers(nb, answers)
            if sid == "old-style":
                book = first_release(book, answers)
            (inbox / sid).mkdir(parents=True)
            (inbox / sid / f"{SLUG}.ipynb").write_text(json.dumps(book))
        return inbox

    def scores(course: Path) -> dict:
        with Gradebook("sqlite:///" + str(course / "exercises" / "gradebook.db")) as gb:
            return {
                (sub.student_id, g.name): g.score
                for sub in gb.assignment_submissions(SLUG)
                for nb in sub.notebooks
                for g in nb.grades
            }

    course, nb = fresh(tmp_path / "cohort", released, roster)
    course_cli(course, "collect", make_inbox(tmp_path / "cohort", nb, cases), SLUG)
    skip = tuple(f"course/exercises/{p}" for p in ("autograded", "gradebook.db", "feedback"))
    before = snapshot(tmp_path / "cohort", skip)
    course_cli(course, "grade", SLUG, "--workers", "2")
    assert snapshot(tmp_path / "cohort", skip) == before
    together = scores(course)
    for sid in cases:
        alone, _ = fresh(tmp_path / f"alone-{sid}", released, f"id,name,email,lms_id\n{sid},,,\n")
        course_cli(alone, "collect", make_inbox(tmp_path / f"alone-{sid}", nb, [sid]), SLUG)
        course_cli(alone, "grade", SLUG, "--workers", "1")
        assert scores(alone) == {k: v for k, v in together.items() if k[0] == sid}, sid


ATTACKS = {
    "read-others": (
        "print(open('../../submitted/right/02-trauma-info"
        "rmed-care/02-trauma-informed-care.ipynb').read())"
    ),
    "read-roster-and-keys": (
        "import glob; print(open(glob.glob('**/students.csv', recursive=True)[0]).read())"
    ),
    "read-gradebook": (
        "import sqlite3; print(sqlite3.connect('gradebook"
        ".db').execute('select * from grade').fetchall())"
    ),
    "write-bashrc": "open(__import__('os').path.expanduser('~/.bashrc'), 'a').write('echo pwned')",
    "write-course-yml": "open('../../../course.yml', 'w').write('pwned: true')",
    "change-answer-key": "import facilitator_course.grading.kinds as k; k.KINDS.clear()",
    "zero-other-totals": (
        "import sqlite3; c = sqlite3.connect('gradebook.db'); c"
        ".execute('update grade set auto_score = 0'); c.commit()"
    ),
    "plant-startup-file": (
        "open(__import__('os').path.expanduser('~/.ipython"
        "/profile_default/startup/00.py'), 'w').write('1')"
    ),
    "local-socket": "import socket; socket.create_connection(('127.0.0.1', 22))",
    "leave-processes": "import subprocess; [subprocess.Popen(['sleep', '600']) for _ in range(20)]",
    "reserve-memory": "x = bytearray(16 * 1024 ** 3)",
    "ignore-interrupts": (
        "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass"
    ),
}


def test_every_kernel_era_attack_is_read_as_text_and_changes_nothing(tmp_path, released):
    """Each attack that worked when grading ran trainee code, as one trainee's answers:
    graded as words (0 for the item), nothing outside the trainee's own folders changes,
    and the other trainees' scores are the same as without the attackers."""
    import subprocess as sp

    from nbgrader.api import Gradebook

    home = Path(os.path.expanduser("~"))
    watched = [home / ".bashrc", home / ".ipython"]
    before_home = {str(p): p.read_bytes() if p.is_file() else None for p in watched}
    roster = "id,name,email,lms_id\nright,,,\n" + "".join(f"{a},,,\n" for a in ATTACKS)
    course, nb = fresh(tmp_path, released, roster)
    inbox = tmp_path / "inbox"
    for sid, code in [("right", None), *ATTACKS.items()]:
        answers = RIGHT if code is None else {**RIGHT, "tic-1": code, "tic-6": code}
        (inbox / sid).mkdir(parents=True)
        (inbox / sid / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb, answers))
    course_cli(course, "collect", inbox, SLUG)
    profile = (course / "course.yml").read_bytes()
    sleeping = sp.run(["pgrep", "-c", "sleep"], capture_output=True, text=True).stdout.strip()
    course_cli(course, "grade", SLUG, "--workers", "2")
    assert (course / "course.yml").read_bytes() == profile
    assert {str(p): p.read_bytes() if p.is_file() else None for p in watched} == before_home
    assert (
        sp.run(["pgrep", "-c", "sleep"], capture_output=True, text=True).stdout.strip() == sleeping
    )
    with Gradebook("sqlite:///" + str(course / "exercises" / "gradebook.db")) as gb:
        right = gb.find_submission(SLUG, "right")
        assert right.score == 13  # the auto-graded total of RIGHT, untouched
        for sid in ATTACKS:
            grades = {
                g.name: g.score for n in gb.find_submission(SLUG, sid).notebooks for g in n.grades
            }
            assert grades["tic-1"] == 0 and grades["tic-2"] == 2, (sid, grades)
    course_cli(course, "feedback", SLUG)
    mine = (course / "exercises" / "feedback" / "read-others" / SLUG / f"{SLUG}.html").read_text()
    assert "check in with the group about how it felt" not in mine  # nobody else's words


def test_a_huge_notebook_in_a_folder_is_refused_before_it_is_read(tmp_path, released):
    course, nb = fresh(tmp_path, released)
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "bob").mkdir(parents=True)
    huge = with_answers(nb, RIGHT)
    huge["cells"][0]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "x" * (25 * 1024 * 1024)}
    ]
    (inbox / "alice" / f"{SLUG}.ipynb").write_text(json.dumps(huge))
    (inbox / "bob" / f"{SLUG}.ipynb").write_bytes(notebook_bytes(nb))
    out = course_cli(course, "collect", inbox, SLUG)
    assert collected(course) == {"bob"}
    assert f"refused: alice/{SLUG}.ipynb: 25 MB, larger than a submission can be" in out.stdout
