"""The trainer's workflow on nbgrader: release, collect, grade, set-grade, feedback.

Every step reports what it did per trainee and never stops at one bad
submission. Submissions are read, never written; what the trainer stores is
readable by the trainer only.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import CourseError, Problem
from .inbox import read_inbox, shown
from .items import assignment, exercises_dir, item_files
from .nbgrader_api import api, gradebook_url, private
from .notebook import source_path, write_source_notebooks

FORBIDDEN_IN_RELEASE = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass
class Outcome:
    student: str
    ok: bool
    message: str
    score: float = 0.0
    max_score: float = 0.0


def _progress(say: Callable[[str], None], done: int, total: int, text: str) -> None:
    say(f"[{done}/{total}] {text}")


# ---- release -------------------------------------------------------------------------


def release(slug: str, say: Callable[[str], None] = print) -> Path:
    """Student notebooks for `slug` in exercises/release/, checked free of solutions."""
    assignment(slug)  # validates the items
    write_source_notebooks()
    nbapi = api()
    with nbapi.gradebook as gb:
        gb.update_or_create_assignment(slug)
    result = nbapi.generate_assignment(slug, force=True)
    if not result["success"]:
        raise CourseError(
            Problem(
                source_path(slug),
                0,
                "nbgrader could not generate the "
                f"student version: {result.get('error', '').strip()[-300:]}",
                "run `course validate` and fix what it reports.",
            )
        )
    out = exercises_dir() / "release" / slug
    leaks = [
        p
        for p in out.rglob("*.ipynb")
        if any(word in p.read_text() for word in FORBIDDEN_IN_RELEASE)
    ]
    if leaks:
        shutil.rmtree(out)
        raise CourseError(
            Problem(
                leaks[0],
                0,
                "the student version still contains a solution or hidden test; it was deleted.",
                "check the solution markers in the source notebook.",
            )
        )
    say(f"Released {slug}: {out / (slug + '.ipynb')} (no solutions, no hidden tests).")
    return out


# ---- collect -------------------------------------------------------------------------


def read_roster(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """students.csv (columns id, plus any of name, email, lms_id): id -> the word
    sequences a submission's file or folder name may carry for that trainee."""
    if not path.is_file():
        raise CourseError(
            Problem(
                path,
                0,
                "no roster of trainees.",
                "create it with a header line 'id,name,email,lms_id'.",
            )
        )
    rows = list(csv.DictReader(_roster_text(path).splitlines()))
    if rows and "id" not in (rows[0].keys() if rows else ()):
        raise CourseError(
            Problem(
                path,
                1,
                "the first line has no 'id' column.",
                "make the first line 'id,name,email,lms_id'.",
            )
        )
    roster = {}
    for n, row in enumerate(rows, start=2):
        sid = (row.get("id") or "").strip()
        if not STUDENT_ID.match(sid):
            raise CourseError(
                Problem(
                    path,
                    n,
                    f"student id {shown(sid)!r} is empty or has spaces or symbols.",
                    "use letters, digits, '.', '_' or '-'.",
                )
            )
        roster[sid] = _keys(sid, row)
    return roster


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text.lower())))


def _keys(sid: str, row: dict) -> list[tuple[str, ...]]:
    """The word sequences that name a trainee in LMS downloads: the id, the LMS id, the
    e-mail (and its local part), and the name in either order or run together
    (Moodle "Chloe Martin_123_assignsubmission_file_", Canvas "martinchloe_123_456_...",
    "02-... (Chloe Martin).ipynb", Teams and Classroom folders named for the trainee)."""
    keys = [_words(sid)]
    for column in ("lms_id", "email"):
        value = (row.get(column) or "").strip()
        if value:
            keys.append(_words(value))
            if column == "email" and "@" in value:
                keys.append(_words(value.split("@")[0]))
    name = _words((row.get("name") or "").strip())
    if name:
        keys.append(name)
        if len(name) > 1:
            keys += [(name[-1], *name[:-1]), ("".join(name),), (name[-1] + "".join(name[:-1]),)]
    return [k for k in keys if k and len("".join(k)) >= 2]


def _contains(words: tuple[str, ...], key: tuple[str, ...]) -> bool:
    n = len(key)
    return any(words[i : i + n] == key for i in range(len(words) - n + 1))


def match_trainee(name: str, roster: dict[str, list[tuple[str, ...]]]) -> tuple[str | None, str]:
    """The trainee a submitted file's path names, and why not when none is found: the
    trainee whose longest key appears in the path, if no one else's is as long."""
    words = _words(name)
    best: dict[str, int] = {}
    for sid, keys in roster.items():
        lengths = [len("".join(k)) for k in keys if _contains(words, k)]
        if lengths:
            best[sid] = max(lengths)
    if not best:
        return None, "no trainee in students.csv is named in it"
    top = max(best.values())
    winners = sorted(sid for sid, length in best.items() if length == top)
    if len(winners) > 1:
        return None, f"it names more than one trainee ({', '.join(winners)})"
    return winners[0], ""


def collect(
    source: Path, slug: str, roster_file: Path | None = None, say: Callable[[str], None] = print
) -> dict[str, list]:
    """Copy submissions from a folder or zip into submitted/<student>/<slug>/: the newest
    file per trainee; links, unsafe zip entries and oversized files are refused by name."""
    assignment(slug)
    roster = read_roster(roster_file or exercises_dir() / "students.csv")
    inbox = read_inbox(Path(source))
    result: dict[str, list] = {
        "collected": [],
        "unmatched": [],
        "ignored": list(inbox.ignored),
        "duplicates": [],
        "refused": list(inbox.refused),
    }
    others = {p.stem for p in item_files()} - {slug}
    chosen: dict[str, list] = {}
    for sub in inbox.notebooks:
        base = PurePosixPath(sub.name).name
        if slug not in base and any(other in base for other in others):
            result["ignored"].append(sub.name)  # another assignment's notebook
            continue
        sid, why = match_trainee(sub.name, roster)
        if sid is None:
            result["unmatched"].append((sub.name, why))
            continue
        chosen.setdefault(sid, []).append(sub)
    submitted = exercises_dir() / "submitted"
    nbapi = api()
    for n, (sid, subs) in enumerate(sorted(chosen.items()), 1):
        subs.sort(key=lambda s: (s.modified, s.name))
        kept = subs[-1]
        result["duplicates"] += [(s.name, sid, kept.name) for s in subs[:-1]]
        dest = submitted / sid / slug
        if dest.is_symlink() or (submitted / sid).is_symlink():
            result["refused"].append((kept.name, f"{submitted / sid} is a link"))
            continue
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / f"{slug}.ipynb"
        target.unlink(missing_ok=True)
        target.write_bytes(kept.data)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(kept.modified or None))
        (dest / "timestamp.txt").write_text(stamp)
        private(submitted / sid)
        with nbapi.gradebook as gb:
            gb.update_or_create_student(sid)
        result["collected"].append(sid)
        _progress(say, n, len(chosen), f"{shown(kept.name)} -> {sid}")
    if submitted.is_dir():
        private(submitted)
    say(
        f"Collected {len(result['collected'])} submission(s) for {slug}; "
        f"{len(result['unmatched'])} unmatched, {len(result['duplicates'])} older duplicate(s) "
        f"dropped, {len(result['refused'])} refused, {len(result['ignored'])} ignored "
        "(not notebooks of this assignment)."
    )
    for name, why in result["unmatched"]:
        say(f"  unmatched: {shown(name)}: {why} (add the trainee to students.csv)")
    for name, sid, kept in result["duplicates"]:
        say(f"  dropped: {shown(name)} (an older file from {sid}; kept {shown(kept)})")
    for name, why in result["refused"]:
        say(f"  refused: {shown(name)}: {why}")
    return result


# ---- grade ---------------------------------------------------------------------------


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _grade_students(slug: str, students: list[str], root: str) -> list[Outcome]:
    """Worker: autograde some trainees in one process. Answers are read as data
    (grading/autograde.py): no kernel starts and no trainee text runs."""
    os.environ["COURSE_ROOT"] = root
    nbapi = api()
    outcomes = []
    for sid in students:
        try:
            result = nbapi.autograde(slug, sid, force=True)
        except Exception as exc:  # noqa: BLE001 - one trainee never stops the batch
            result = {"success": False, "error": f"{type(exc).__name__}: {exc}"}
        if result["success"]:
            outcomes.append(Outcome(sid, True, "graded"))
        else:
            outcomes.append(Outcome(sid, False, explain_failure(slug, result)))
    return outcomes


def explain_failure(slug: str, result: dict) -> str:
    """One line saying why nbgrader could not grade a submission, and what to do."""
    log = (result.get("log") or "") + (result.get("error") or "")
    if "NotJSONError" in log or "not appear to be JSON" in log or "JSONDecodeError" in log:
        return (
            "the notebook file is corrupt (not valid JSON); ask the trainee to download "
            "it again from JupyterLab and resubmit."
        )
    if "No notebooks found" in log:
        found = re.findall(r"Skipping unknown notebook: .*/([^/\n]+)", log)
        extra = f" (found {', '.join(found)})" if found else ""
        return (
            f"no {slug}.ipynb in the submission{extra}; ask the trainee to submit the "
            "notebook under its original name."
        )
    if "ValidationError" in log or "NotebookValidationError" in log:
        return "the notebook is not a valid notebook; ask the trainee to resubmit it."
    errors = [
        line.split("]", 1)[1].strip()
        for line in log.splitlines()
        if line.startswith("[ERROR]")
        and "Please see the" not in line
        and "There was an error processing" not in line
    ]
    return errors[-1] if errors else "nbgrader failed; see `nbgrader autograde` for details."


def grade(
    slug: str, workers: int | None = None, say: Callable[[str], None] = print
) -> list[Outcome]:
    """Autograde every submission of `slug` in parallel; report each trainee."""
    assignment(slug)
    submitted = exercises_dir() / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{slug}") if p.is_dir())
    if not students:
        raise CourseError(
            Problem(submitted, 0, f"no submissions for {slug}.", "run `course collect` first.")
        )
    before = _checksums(submitted)
    with api().gradebook as gb:
        gb.update_or_create_assignment(slug)
        for sid in students:
            gb.update_or_create_student(sid)
    workers = max(1, min(workers or os.cpu_count() or 1, len(students)))
    chunks = [students[i::workers] for i in range(workers)]
    outcomes: list[Outcome] = []
    say(f"Grading {len(students)} submission(s) of {slug} with {workers} worker(s)...")
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        futures = [
            pool.submit(_grade_students, slug, chunk, str(exercises_dir().parent))
            for chunk in chunks
            if chunk
        ]
        for future in as_completed(futures):
            try:
                done = future.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker is reported
                done = [Outcome("?", False, f"worker crashed: {exc}")]
            for o in done:
                outcomes.append(o)
                _progress(say, len(outcomes), len(students), f"{o.student}: {o.message}")
    _add_scores(slug, outcomes)
    for o in sorted(outcomes, key=lambda o: o.student):
        if o.ok and any(w in o.message for w in ("deleted", "blank", "UNTOUCHED", "not read")):
            say(f"  CHECK {o.student}: {o.message}")
    if _checksums(submitted) != before:
        raise CourseError(
            Problem(
                submitted,
                0,
                "a submission changed during grading.",
                "report this as a bug; the autograded copies are in exercises/autograded/.",
            )
        )
    private(exercises_dir() / "autograded")
    ok = [o for o in outcomes if o.ok]
    say(f"Graded {len(ok)} of {len(students)} in {time.perf_counter() - start:.1f} s.")
    for o in sorted(outcomes, key=lambda o: o.student):
        if not o.ok:
            say(f"  NOT GRADED {o.student}: {o.message}")
    return sorted(outcomes, key=lambda o: o.student)


def _add_scores(slug: str, outcomes: list[Outcome]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(gradebook_url()) as gb:
        for o in outcomes:
            if not o.ok:
                continue
            try:
                sub = gb.find_submission(slug, o.student)
            except MissingEntry:
                o.ok, o.message = False, "no grades were recorded"
                continue
            o.score, o.max_score = sub.score, sub.max_score
            missing = sorted(
                g.name
                for nb in sub.notebooks
                for g in nb.grades
                if g.auto_score is None and g.manual_score is None and not g.needs_manual_grade
            )
            o.message = f"graded, {o.score:g} of {o.max_score:g}"
            if missing:
                o.message += (
                    f"; answer cell(s) {', '.join(missing)} were deleted, so those items score 0"
                )
            o.message += _answer_notes(slug, o.student, set(missing))


def _answer_notes(slug: str, student: str, deleted: set[str]) -> str:
    """What a trainer should know about a graded submission's answers: the items left
    blank (or all of them: untouched) and those that could not be read, and why."""
    from . import plain_words
    from .autograde import answers_by_item
    from .kinds import KINDS, score_answer

    notebook = exercises_dir() / "autograded" / student / slug / f"{slug}.ipynb"
    try:
        answers = answers_by_item(notebook)
    except (OSError, ValueError):
        return ""
    items = [i for i in assignment(slug)["items"] if i["id"] not in deleted]
    by_id = {i["id"]: i for i in items}
    blank = [i["id"] for i in items if plain_words.blank(answers.get(i["id"], ""))]
    auto_blank = [
        iid for iid in blank if KINDS[by_id[iid]["kind"]].auto
    ]  # manual: the trainer reads it
    unread = [
        (i["id"], problem)
        for i in items
        if i["id"] not in blank
        and KINDS[i["kind"]].auto
        and (problem := score_answer(i, answers.get(i["id"], "")).problem)
    ]
    notes = ""
    if items and len(blank) == len(items):
        notes += f"; UNTOUCHED: none of the {len(items)} items answered"
    elif auto_blank:
        notes += f"; blank: {', '.join(auto_blank)}"
    if unread:
        notes += "; could not read " + "; ".join(f"{iid} ({why})" for iid, why in unread)
    return notes


# ---- manual grades, feedback -------------------------------------------------------


def find_grade(gb, slug: str, student: str, item_id: str):
    """One trainee's grade for one item, or a clear error saying which of the three
    (trainee, assignment, item) the gradebook does not know."""
    from nbgrader.api import MissingEntry

    book = exercises_dir() / "gradebook.db"
    try:
        return gb.find_grade(item_id, slug, slug, student)
    except MissingEntry:
        pass
    known = {s.id for s in gb.students}
    if student not in known:
        close = ", ".join(sorted(known)[:8]) or "none yet"
        raise CourseError(
            Problem(
                book,
                0,
                f"no trainee {student!r} in the gradebook (trainees: {close}).",
                "check the id in students.csv, or collect the trainee's submission first.",
            )
        )
    try:
        gb.find_submission(slug, student)
    except MissingEntry:
        raise CourseError(
            Problem(
                book,
                0,
                f"{student} has no graded submission of {slug}.",
                f"collect it and run `course grade {slug}` first.",
            )
        ) from None
    items = [i["id"] for i in assignment(slug)["items"]]
    raise CourseError(
        Problem(
            book,
            0,
            f"{slug} has no item {item_id!r}.",
            f"use one of {', '.join(items)}.",
        )
    )


def set_grade(
    slug: str, student: str, item_id: str, points: float | None, comment: str | None = None
) -> str:
    """Set a manual score and/or comment for one item of one trainee."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(gradebook_url()) as gb:
        g = find_grade(gb, slug, student, item_id)
        if points is not None:
            if not 0 <= points <= g.max_score:
                raise CourseError(
                    Problem(
                        exercises_dir() / "gradebook.db",
                        0,
                        f"{points} is outside 0 to {g.max_score:g} for {item_id}.",
                        "give a score in that range.",
                    )
                )
            g.manual_score = float(points)
            g.needs_manual_grade = False  # marked: as nbgrader's formgrader does
        if comment is not None:
            try:
                c = gb.find_comment(item_id, slug, slug, student)
            except MissingEntry:
                raise CourseError(
                    Problem(
                        exercises_dir() / "gradebook.db",
                        0,
                        f"{item_id} of {student} has no place for a comment in the gradebook "
                        "(a submission from before answers were written in plain words).",
                        f"grade it again with `course grade {slug}`, then add the comment.",
                    )
                ) from None
            c.manual_comment = comment
        gb.db.commit()
        return f"{student} {item_id}: {g.score:g} of {g.max_score:g}"


def feedback(slug: str, say: Callable[[str], None] = print) -> list[Path]:
    """Feedback a trainee can read, one page per trainee in exercises/feedback/<student>/<slug>/:
    per item the question, their answer, points, the teaching feedback, the principle, the
    model answer and the trainer's comment; the organization's name and colour; no code."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from nbgrader.api import Gradebook, MissingEntry

    from ..paths import package_dir
    from ..profile import load_profile
    from . import plain_words
    from .autograde import answers_by_item
    from .kinds import KINDS, score_answer

    data = assignment(slug)
    profile = load_profile()
    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "feedback"),
        autoescape=select_autoescape(["html"]),
    )
    template = env.get_template("feedback.html")
    students = sorted(p.parent.name for p in (exercises_dir() / "autograded").glob(f"*/{slug}"))
    made = []
    with Gradebook(gradebook_url()) as gb:
        for n, sid in enumerate(students, 1):
            notebook = exercises_dir() / "autograded" / sid / slug / f"{slug}.ipynb"
            try:
                sub = gb.find_submission(slug, sid)
                answers = answers_by_item(notebook)
            except (MissingEntry, OSError, ValueError) as exc:
                _progress(say, n, len(students), f"{sid}: NO FEEDBACK ({exc})")
                continue
            grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
            comments = {c.name: c for nb in sub.notebooks for c in nb.comments}
            items = []
            for spec in data["items"]:
                grade = grades.get(spec["id"])
                text = answers.get(spec["id"], "")
                scored = score_answer(spec, text)
                comment = comments.get(spec["id"])
                choices = spec.get("options") or spec.get("steps") or spec.get("statements")
                items.append(
                    {
                        "id": spec["id"],
                        "vignette": spec.get("vignette", "").strip(),
                        "prompt": spec["prompt"].strip(),
                        "choices": sorted(choices.items()) if choices else [],
                        "answer": "" if plain_words.blank(text) else scored.words.strip(),
                        "problem": scored.problem if KINDS[spec["kind"]].auto else None,
                        "lines": scored.lines if KINDS[spec["kind"]].auto else [],
                        "points": f"{grade.score:g}" if grade else "0",
                        "max_points": f"{float(spec['points']):g}",
                        "comment": comment.manual_comment if comment else None,
                        "principle": spec.get("principle", "").strip(),
                        "model": spec.get("model", "").strip(),
                    }
                )
            out = exercises_dir() / "feedback" / sid / slug / f"{slug}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(
                template.render(
                    title=data["title"],
                    org_name=profile.name,
                    colour=profile.colour,
                    student=sid,
                    total=f"{sub.score:g}",
                    max_total=f"{sub.max_score:g}",
                    items=items,
                )
            )
            made.append(out)
            _progress(say, n, len(students), f"{sid}: feedback written")
    private(exercises_dir() / "feedback")
    say(f"Feedback for {len(made)} trainee(s) in {exercises_dir() / 'feedback'}.")
    return made


def feedback_zip(
    slug: str, pages: list[Path], out: Path, say: Callable[[str], None] = print
) -> Path:
    """One zip of the feedback pages, one file per trainee at its top level, named
    `<trainee id>_<assignment>_feedback.html` (with the trainee's name and LMS id from
    students.csv when known), the form LMS "upload feedback files" steps match on."""
    import zipfile

    people = _roster_rows(exercises_dir() / "students.csv")
    out = Path(out)
    if out.suffix.lower() != ".zip":
        out = out.with_suffix(".zip")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for page in pages:
            sid = page.parents[1].name
            row = people.get(sid, {})
            parts = [sid, *(_safe(row.get(k, "")) for k in ("name", "lms_id")), slug, "feedback"]
            z.write(page, "_".join(p for p in parts if p) + ".html")
    private(out)
    say(f"Feedback for {len(pages)} trainee(s) packed in {out} (readable by you only).")
    return out


def _roster_rows(path: Path) -> dict[str, dict]:
    """students.csv rows by id (empty when there is no roster)."""
    if not path.is_file():
        return {}
    return {(r.get("id") or "").strip(): r for r in csv.DictReader(_roster_text(path).splitlines())}


def _roster_text(path: Path) -> str:
    """students.csv as text: UTF-8 (a spreadsheet's byte-order mark is fine), else
    Windows-1252, which is what Excel's "CSV" is on Windows."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _safe(value: str) -> str:
    """A name part safe in a file name: letters, digits and single dashes."""
    return re.sub(r"[^A-Za-z0-9]+", "-", unicodedata.normalize("NFKD", value)).strip("-")
