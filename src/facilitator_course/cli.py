"""The `course` command: parses arguments and calls the package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CourseError


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_course

    problems = validate_course(args.profile, args.scenario)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 2
    if args.report:
        from .scenarios.check import scenario_files
        from .scenarios.report import format_report, scenario_report

        print(format_report([scenario_report(p) for p in args.scenario or scenario_files()]))
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


def _serve(args: argparse.Namespace) -> int:
    from .paths import project_root
    from .serve import serve

    serve(args.dir or project_root() / "book" / "_build" / "html", args.port)
    return 0


def _lab(args: argparse.Namespace) -> int:
    from .lab import lab

    return lab(args.port, not args.no_browser)


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
    s = sub.add_parser("serve", help="preview the built website on 127.0.0.1")
    s.add_argument("--dir", type=Path, help="site folder (default: book/_build/html)")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(run=_serve)
    lab = sub.add_parser("lab", help="open the modules in JupyterLab")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.set_defaults(run=_lab)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
