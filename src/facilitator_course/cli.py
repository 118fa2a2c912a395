"""The `course` command: parses arguments and calls the package."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import CourseError, Problem


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_course

    problems = validate_course(args.profile, args.scenario)
    if not args.scenario:
        from .paths import default_profile
        from .profile import profile_warnings

        for warning in profile_warnings(args.profile or default_profile()):
            print(f"warning: {warning}", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 2
    if args.report:
        from .scenarios.check import scenario_files
        from .scenarios.report import format_report, scenario_report

        print(format_report([scenario_report(p) for p in args.scenario or scenario_files()]))
        if not args.scenario:
            from .module_check import check_modules, format_reports
            from .paths import project_root

            reports, table, _ = check_modules(project_root())
            print()
            print(format_reports(reports, table))
            from .cues import course_cues, format_cues

            print()
            print(format_cues(course_cues()))
    print("Everything is valid.")
    return 0


def _exercises(args: argparse.Namespace) -> int:
    from .grading.notebook import write_source_notebooks

    written = write_source_notebooks()
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} source notebook(s) changed.")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .site_build import build_site

    build_site(args.profile, args.out)
    return 0


def _package(args: argparse.Namespace) -> int:
    from .scorm_package import package_scorm

    if not args.scorm:
        raise CourseError(
            Problem("command line", 0, "no package format given.", "add --scorm (SCORM 1.2).")
        )
    package_scorm(args.profile, args.out)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .paths import project_root
    from .serve import serve

    serve(args.dir or project_root() / "book" / "_build" / "html", args.port)
    return 0


def _lab(args: argparse.Namespace) -> int:
    from .lab import lab

    return lab(args.port, not args.no_browser)


def _review(args):
    from .grading.review import confirm, queue, summary, write_page

    if args.confirm:
        print(confirm(args.assignment, *args.confirm))
    elif args.set:
        from .grading.trainer import set_grade

        student, item, points = args.set
        try:
            value = float(points)
        except ValueError:
            raise CourseError(
                Problem("command line", 0, f"{points!r} is not a number.", "give points, e.g. 1.5.")
            ) from None
        print(set_grade(args.assignment, student, item, value, args.comment))
    rows = queue(args.assignment)
    print(summary(args.assignment, rows))
    print(
        f"Review page (trainees' own words; keep it on this machine): "
        f"{write_page(args.assignment, rows)}"
    )
    return 0


def _score_text(args):
    import json

    from .grading.try_rubric import format_rows, read_answers, reflection, score_answers

    reflection(args.item)  # a wrong item id is reported before the file is read
    rows = score_answers(args.item, read_answers(args.file))
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(format_rows(rows))
    return 0


def _release(args):
    from .grading.trainer import release

    release(args.assignment)
    return 0


def _collect(args):
    from .grading.trainer import collect

    result = collect(args.source, args.assignment, args.roster)
    return 0 if result["collected"] else 2


def _grade(args):
    from .grading.trainer import grade

    outcomes = grade(args.assignment, args.workers)
    return 0 if all(o.ok for o in outcomes) else 1


def _set_grade(args):
    from .grading.trainer import set_grade

    if args.points is None and args.comment is None:
        raise CourseError(
            Problem("command line", 0, "nothing to set.", "give --points, --comment or both.")
        )
    print(set_grade(args.assignment, args.student, args.item, args.points, args.comment))
    return 0


def _feedback(args):
    from .grading.trainer import feedback, feedback_zip

    made = feedback(args.assignment)
    if args.zip:
        feedback_zip(args.assignment, made, args.zip)
    return 0


def _report(args):
    from .grading.report import report

    report(args.assignment, args.out, args.include_text)
    return 0


def _trainer_commands(sub) -> None:
    """The commands that read and write trainees' work: every file they create is
    readable by the trainer only (umask 077), the gradebook included."""
    before = set(sub.choices)
    _add_trainer_commands(sub)
    _completion_commands(sub)
    for name in set(sub.choices) - before:
        sub.choices[name].set_defaults(private_files=True)


def _signoff(args):
    from .completion import add_signoff

    kind = "capstone" if args.capstone else "session"
    print(add_signoff(args.trainee, args.date, args.by, args.note or "", kind))
    return 0


def _completion(args):
    from .completion import completion, rules, table, write_csv

    rule = rules()
    statuses = completion(rule)
    print(table(statuses, rule))
    if args.csv:
        print(f"Written: {write_csv(statuses, args.csv)}")
    return 0


def _certificates(args):
    from .certificates import make_certificates

    make_certificates(args.trainer)
    return 0


def _verify(args):
    from .certificates import verify

    row = verify(args.code)
    if row is None:
        print(f"{args.code}: not in this organization's register of certificates.")
        return 1
    print(
        f"{row['code']}: valid. {row['name']} completed the course on {row['date']}, "
        f"signed by {row['trainer']} for {row['organization']}."
    )
    return 0


def _completion_commands(sub) -> None:
    so = sub.add_parser(
        "signoff", help="record a co-facilitated session (or the capstone) signed off"
    )
    so.add_argument("trainee", help="the trainee's id in students.csv")
    so.add_argument("--date", required=True, help="the day, as YYYY-MM-DD")
    so.add_argument("--by", required=True, help="the experienced facilitator who signs it off")
    so.add_argument("--note", help="what the trainee did (optional)")
    so.add_argument("--capstone", action="store_true", help="the capstone scenario, seen played")
    so.set_defaults(run=_signoff)
    co = sub.add_parser("completion", help="per trainee, which completion rules are met")
    co.add_argument("--csv", type=Path, help="also write the table as CSV to this file")
    co.set_defaults(run=_completion)
    ce = sub.add_parser("certificates", help="certificates (HTML and PDF) for who completed")
    ce.add_argument("--trainer", help="who signs them (default: completion.trainer)")
    ce.set_defaults(run=_certificates)
    ve = sub.add_parser("verify", help="check a certificate's code against the register")
    ve.add_argument("code")
    ve.set_defaults(run=_verify)


def _add_trainer_commands(sub) -> None:
    r = sub.add_parser("release", help="make the student version of an exercise")
    r.add_argument("assignment", help="the module slug, e.g. 02-trauma-informed-care")
    r.set_defaults(run=_release)
    c = sub.add_parser("collect", help="take submissions from a folder or an LMS zip")
    c.add_argument("source", type=Path, help="folder or zip of submitted notebooks")
    c.add_argument("assignment")
    c.add_argument(
        "--roster",
        type=Path,
        help="CSV of trainees: id,name,email,lms_id (default exercises/students.csv)",
    )
    c.set_defaults(run=_collect)
    g = sub.add_parser("grade", help="autograde every submission, in parallel")
    g.add_argument("assignment")
    g.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    g.set_defaults(run=_grade)
    s = sub.add_parser("set-grade", help="set a manual score or comment for one item")
    s.add_argument("assignment")
    s.add_argument("student")
    s.add_argument("item", help="item id, e.g. tic-7")
    s.add_argument("--points", type=float)
    s.add_argument("--comment")
    s.set_defaults(run=_set_grade)
    rv = sub.add_parser(
        "review",
        help="the queue of machine-scored reflections to confirm or change, doubtful first",
    )
    rv.add_argument("assignment")
    group = rv.add_mutually_exclusive_group()
    group.add_argument("--confirm", nargs=2, metavar=("STUDENT", "ITEM"), help="keep a score")
    group.add_argument(
        "--set", nargs=3, metavar=("STUDENT", "ITEM", "POINTS"), help="change a score"
    )
    rv.add_argument("--comment", help="a comment for the trainee, with --set")
    rv.set_defaults(run=_review)
    t = sub.add_parser(
        "score-text",
        help="try a rubric: score answers from a file (JSON lines, or blocks between --- lines)",
    )
    t.add_argument("item", help="a reflection item id, such as cri-7")
    t.add_argument("file", nargs="?", type=Path, help="answers file (default: standard input)")
    t.add_argument("--json", action="store_true", help="one JSON line per answer")
    t.set_defaults(run=_score_text)
    f = sub.add_parser("feedback", help="write feedback files for every graded trainee")
    f.add_argument("assignment")
    f.add_argument(
        "--zip",
        type=Path,
        metavar="FILE",
        help="also pack them in one zip, one file per trainee named for LMS upload",
    )
    f.set_defaults(run=_feedback)
    p = sub.add_parser("report", help="scores as CSV and a cohort report with plots")
    p.add_argument("assignment")
    p.add_argument("--out", type=Path, help="folder (default exercises/reports)")
    p.add_argument(
        "--include-text",
        action="store_true",
        help="also export trainees' free text (sensitive: only when needed)",
    )
    p.set_defaults(run=_report)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="course", description="Facilitator course: build, check and run the course."
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    v = sub.add_parser("validate", help="check the profile, curriculum, scenarios and modules")
    v.add_argument("--profile", type=Path, help="organization profile (default: course.yml)")
    v.add_argument(
        "--scenario", type=Path, action="append", help="check only this scenario file (repeatable)"
    )
    v.add_argument("--report", action="store_true", help="print what was checked, in tables")
    v.set_defaults(run=_validate)
    e = sub.add_parser("exercises", help="regenerate exercise source notebooks from the items")
    e.set_defaults(run=_exercises)
    b = sub.add_parser("build", help="build the website")
    b.add_argument("--profile", type=Path, help="organization profile (default: course.yml)")
    b.add_argument("--out", type=Path, help="output folder (default: book/_build/html)")
    b.set_defaults(run=_build)
    pk = sub.add_parser("package", help="the course as a SCORM 1.2 package for an LMS")
    pk.add_argument("--scorm", action="store_true", help="a SCORM 1.2 zip (one SCO)")
    pk.add_argument("--profile", type=Path, help="organization profile (default: course.yml)")
    pk.add_argument(
        "--out",
        type=Path,
        help="the zip to write (default: book/_build/facilitator-course-scorm.zip)",
    )
    pk.set_defaults(run=_package)
    s = sub.add_parser("serve", help="preview the built website on 127.0.0.1")
    s.add_argument("--dir", type=Path, help="site folder (default: book/_build/html)")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(run=_serve)
    lab = sub.add_parser("lab", help="open the modules in JupyterLab")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.set_defaults(run=_lab)
    _trainer_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    private_files = getattr(args, "private_files", False)
    umask = os.umask(0o077) if private_files else None
    try:
        return args.run(args)
    except CourseError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if umask is not None:
            os.umask(umask)


if __name__ == "__main__":
    sys.exit(main())
