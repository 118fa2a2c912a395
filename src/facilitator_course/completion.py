"""Who has completed the course: the rules in course.yml (`completion:`), the gradebook,
and the sign-offs a trainer records (`course signoff`), per trainee, met or missing.

Sign-offs live beside the gradebook in exercises/signoffs.csv, readable by the trainer
only: one line per co-facilitated session (or capstone seen), with the date, the
experienced facilitator who signed it off, and an optional note.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import CourseError, Problem
from .profile import Profile, load_profile

SIGNOFF_FIELDS = ["trainee", "kind", "date", "by", "note"]
KINDS = ("session", "capstone")


@dataclass(frozen=True)
class Rules:
    min_percent: float = 70.0
    assignments: tuple[str, ...] = ()  # empty: every assignment of the course
    reflections_confirmed: bool = True
    capstone: str | None = None
    sessions: int = 0
    paper: str = "A4"
    trainer: str = ""


def rules(profile: Profile | None = None) -> Rules:
    """The completion rules of the profile in use (the defaults when it has none)."""
    from .grading.items import item_files

    data = (profile or load_profile()).data.get("completion", {})
    listed = tuple(data.get("assignments", ())) or tuple(p.stem for p in item_files())
    return Rules(
        min_percent=float(data.get("min_percent", 70)),
        assignments=listed,
        reflections_confirmed=bool(data.get("reflections_confirmed", True)),
        capstone=data.get("capstone"),
        sessions=int(data.get("sessions", 0)),
        paper=data.get("paper", "A4"),
        trainer=data.get("trainer", ""),
    )


def rule_problems(profile: Profile) -> list[Problem]:
    """The completion rules checked against the curriculum: every assignment and the
    capstone exist."""
    from .grading.items import item_files
    from .paths import project_root
    from .yaml_source import YamlSource

    data = profile.data.get("completion")
    if not data:
        return []
    source = YamlSource(profile.path)
    known = {p.stem for p in item_files()}
    problems = []
    for n, slug in enumerate(data.get("assignments", [])):
        if slug not in known:
            problems.append(
                Problem(
                    profile.path,
                    source.line(["completion", "assignments", n]),
                    f"completion names assignment {slug!r}, which the course does not have.",
                    f"use one of {', '.join(sorted(known))}.",
                )
            )
    capstone = data.get("capstone")
    if capstone and not (project_root() / "scenarios" / f"{capstone}.yaml").is_file():
        problems.append(
            Problem(
                profile.path,
                source.line(["completion", "capstone"]),
                f"completion names capstone scenario {capstone!r}, which does not exist.",
                "use the id of a scenario in scenarios/, such as capstone-whole-session.",
            )
        )
    return problems


# ---- sign-offs -----------------------------------------------------------------------


def signoffs_path() -> Path:
    from .grading.items import exercises_dir

    return exercises_dir() / "signoffs.csv"


def read_signoffs() -> list[dict]:
    path = signoffs_path()
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def add_signoff(trainee: str, when: str, by: str, note: str = "", kind: str = "session") -> str:
    """Record one co-facilitated session (or the capstone, seen) signed off by `by`."""
    from .grading.items import exercises_dir
    from .grading.nbgrader_api import private
    from .grading.trainer import read_roster

    roster = read_roster(exercises_dir() / "students.csv")
    if trainee not in roster:
        raise CourseError(
            Problem(
                exercises_dir() / "students.csv",
                0,
                f"no trainee {trainee!r} in students.csv.",
                "use an id from students.csv (its first column), or add the trainee there.",
            )
        )
    try:
        day = date.fromisoformat(when)
    except ValueError:
        raise CourseError(
            Problem("--date", 0, f"{when!r} is not a date.", "write it as YYYY-MM-DD.")
        ) from None
    if day > date.today():
        raise CourseError(
            Problem("--date", 0, f"{when} is in the future.", "give the day it happened.")
        )
    if not by.strip() or not re.search(r"[A-Za-z]", by):
        raise CourseError(
            Problem(
                "--by",
                0,
                "no name for who signed it off.",
                "give the experienced facilitator's name.",
            )
        )
    path = signoffs_path()
    new = not path.is_file()
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, SIGNOFF_FIELDS)
        if new:
            writer.writeheader()
        writer.writerow(
            {
                "trainee": trainee,
                "kind": kind,
                "date": day.isoformat(),
                "by": by.strip(),
                "note": note,
            }
        )
    private(path)
    count = sum(r["trainee"] == trainee and r["kind"] == kind for r in read_signoffs())
    what = "capstone" if kind == "capstone" else f"session {count}"
    return f"Signed off for {trainee}: {what} on {day.isoformat()} by {by.strip()}."


# ---- completion --------------------------------------------------------------------------


@dataclass
class Check:
    rule: str
    met: bool
    detail: str


@dataclass
class Status:
    trainee: str
    name: str
    checks: list[Check] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)  # assessed in what they passed

    @property
    def complete(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def missing(self) -> list[str]:
        return [f"{c.rule}: {c.detail}" for c in self.checks if not c.met]


def completion(rule: Rules | None = None) -> list[Status]:
    """For every trainee in students.csv: each rule, met or not, and why."""
    from nbgrader.api import Gradebook, MissingEntry

    from .grading.items import assignment, exercises_dir
    from .grading.kinds import KINDS
    from .grading.nbgrader_api import gradebook_url
    from .grading.trainer import _roster_rows

    rule = rule or rules()
    people = _roster_rows(exercises_dir() / "students.csv")
    if not people:
        raise CourseError(
            Problem(
                exercises_dir() / "students.csv", 0, "no trainees.", "list them in students.csv."
            )
        )
    signed = read_signoffs()
    book = exercises_dir() / "gradebook.db"
    statuses = []
    gb = Gradebook(gradebook_url()) if book.is_file() else None
    try:
        for sid, row in sorted(people.items()):
            status = Status(sid, (row.get("name") or "").strip() or sid)
            unconfirmed: list[str] = []
            for slug in rule.assignments:
                items = assignment(slug)["items"]
                by_rubric = {i["id"] for i in items if KINDS[i["kind"]].scored_by_rubric}
                try:
                    sub = gb.find_submission(slug, sid) if gb else None
                except MissingEntry:
                    sub = None
                if sub is None or not sub.max_score:
                    status.checks.append(Check(slug, False, "not graded yet"))
                    continue
                share = 100 * sub.score / sub.max_score
                ok = share >= rule.min_percent
                status.checks.append(
                    Check(slug, ok, f"{share:.0f}% of the points (needs {rule.min_percent:g}%)")
                )
                if ok:
                    status.competencies += [c for i in items for c in i["competencies"]]
                grades = [g for nb in sub.notebooks for g in nb.grades if g.name in by_rubric]
                unconfirmed += [f"{g.name}" for g in grades if g.manual_score is None]
            if rule.reflections_confirmed:
                status.checks.append(
                    Check(
                        "reflections confirmed",
                        not unconfirmed,
                        "all confirmed by a trainer"
                        if not unconfirmed
                        else f"waiting for `course review`: {', '.join(unconfirmed)}",
                    )
                )
            mine = [s for s in signed if s["trainee"] == sid]
            if rule.capstone:
                seen = [s for s in mine if s["kind"] == "capstone"]
                status.checks.append(
                    Check(
                        "capstone",
                        bool(seen),
                        f"signed off on {seen[-1]['date']} by {seen[-1]['by']}"
                        if seen
                        else f"{rule.capstone} not signed off (`course signoff {sid} --capstone`)",
                    )
                )
            if rule.sessions:
                done = sum(s["kind"] == "session" for s in mine)
                status.checks.append(
                    Check(
                        "co-facilitated sessions",
                        done >= rule.sessions,
                        f"{done} of {rule.sessions} signed off",
                    )
                )
            status.competencies = sorted(set(status.competencies), key=_competency_order)
            statuses.append(status)
    finally:
        if gb is not None:
            gb.close()
    return statuses


def _competency_order(cid: str) -> tuple:
    from .curriculum import modules

    order = {m.prefix: m.number for m in modules()}
    prefix, _, number = cid.partition("-")
    return order.get(prefix, 99), int(number) if number.isdigit() else 0


def table(statuses: list[Status], rule: Rules) -> str:
    """The terminal table: one line per trainee, then what each one is missing."""
    lines = [f"{'trainee':<16} {'complete':<9} missing"]
    for s in statuses:
        lines.append(f"{s.trainee:<16} {'yes' if s.complete else 'no':<9} {len(s.missing)}")
    for s in statuses:
        for m in s.missing:
            lines.append(f"  {s.trainee}: {m}")
    done = sum(s.complete for s in statuses)
    lines.append(f"{done} of {len(statuses)} trainee(s) have completed the course.")
    return "\n".join(lines)


def write_csv(statuses: list[Status], out: Path) -> Path:
    from .grading.nbgrader_api import private
    from .grading.report import spreadsheet_safe

    rules_seen = [c.rule for c in statuses[0].checks] if statuses else []
    with Path(out).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["trainee", "name", "complete", *rules_seen])
        for s in statuses:
            cells = {
                c.rule: ("met" if c.met else "missing: ") + ("" if c.met else c.detail)
                for c in s.checks
            }
            w.writerow(
                [spreadsheet_safe(v) for v in [s.trainee, s.name, "yes" if s.complete else "no"]]
                + [spreadsheet_safe(cells.get(r, "")) for r in rules_seen]
            )
    private(Path(out))
    return Path(out)
