"""Benchmark grading a cohort: `course grade` (answers read as data, no kernel) against
the first release's kernel path (serial `nbgrader autograde`, one kernel per submission,
running a check cell per item).

Run: .venv/bin/python bench/grading.py [--students 1000] [--kernel-students 40]
Both grade submissions of the fixture assignment (tests/data/fixture-course) in fresh
copies of the course, on this machine, in the same run. Peak memory is the largest total
resident memory of the command's whole process tree, sampled every 50 ms. Writes
bench/results/grading.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "02-trauma-informed-care"
REFLECTION = (
    "I would explain what we will do first. Anyone can pass and keep their eyes open. "
    "I would check in with the group afterwards."
)
# Plain words, as trainees write them; and the same answers as the first release's Python.
ANSWERS = [
    {"tic-1": "a", "tic-2": "a, c, d", "tic-5": "a", "tic-6": REFLECTION},
    {"tic-1": "B", "tic-3": "a c b", "tic-4": "a: fight, b: freeze, c: flight", "tic-5": "c"},
    {"tic-2": "a and c", "tic-3": "a, b, c", "tic-6": "I would not make anyone join in."},
]
OLD = {
    "tic-1": 'tic_1 = "a"',
    "tic-2": 'tic_2 = ["a", "c", "d"]',
    "tic-3": 'tic_3 = ["a", "c", "b"]',
    "tic-4": 'tic_4 = {"a": "fight", "b": "flight", "c": "freeze"}',
    "tic-5": 'tic_5 = "a"',
    "tic-6": f'tic_6 = """{REFLECTION}"""',
}
# The first release's check cell: it imported the package in the trainee's kernel.
OLD_CHECK = (
    "from importlib import import_module, reload\n\n"
    'reload(import_module("facilitator_course.grading.checks")).grade("{id}", {var})'
)


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of `pid` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            rss[int(entry)] = int(stat.rsplit(")", 1)[1].split()[21]) * os.sysconf("SC_PAGESIZE")
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def measure(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.05)
    return time.perf_counter() - start, peak, proc.returncode


def first_release_source(nb: dict) -> dict:
    """The source notebook as the first release wrote it: per item, a code cell with the
    answer as a Python assignment and a graded code cell that runs a check."""
    cells = []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if "def self_check" in "".join(cell["source"]):
            continue
        if gid in OLD:
            var = gid.replace("-", "_")
            answer = {
                "grade": False,
                "solution": True,
                "locked": False,
                "grade_id": f"{gid}-answer",
            }
            check = {**meta, "solution": False, "locked": True}
            solution = f"{var} = None\n### BEGIN SOLUTION\n{OLD[gid]}\n### END SOLUTION"
            cells += [_code(solution, answer), _code(OLD_CHECK.format(id=gid, var=var), check)]
        else:
            cells.append(cell)
    return {**nb, "cells": cells}


def _code(source: str, meta: dict) -> dict:
    meta = {**meta, "schema_version": 3}
    return {"cell_type": "code", "execution_count": None, "metadata": {"nbgrader": meta},
            "outputs": [], "source": source}  # fmt: skip


def make_course(tmp: Path, students: int, kernel: bool) -> Path:
    course = tmp / "course"
    shutil.copytree(ROOT / "tests" / "data" / "fixture-course" / "exercises", course / "exercises")
    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, course / name)
    (course / "book").mkdir()
    shutil.copy(ROOT / "book" / "logo.svg", course / "book" / "logo.svg")
    config = (ROOT / "exercises" / "nbgrader_config.py").read_text()
    bindir = Path(sys.executable).parent
    env = dict(
        os.environ, COURSE_ROOT=str(course), PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}"
    )
    course_cmd = [sys.executable, "-m", "facilitator_course"]
    if kernel:
        # nbgrader's own autograde steps (Execute), as the first release used them
        config = config.split("# Answers are data")[0] + "c.ExecutePreprocessor.timeout = 30\n"
        (course / "exercises" / "nbgrader_config.py").write_text(config)
        from facilitator_course.grading.notebook import render, source_notebook  # noqa: PLC0415

        os.environ["COURSE_ROOT"] = str(course)
        source = json.loads(render(source_notebook(SLUG)))
        folder = course / "exercises" / "source" / SLUG
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{SLUG}.ipynb").write_text(json.dumps(first_release_source(source)))
        made = subprocess.run(
            [str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", SLUG, "--force"],
            cwd=course / "exercises",
            env=env,
            capture_output=True,
            text=True,
        )
        if made.returncode:
            raise SystemExit(f"nbgrader generate_assignment failed:\n{made.stderr[-6000:]}")
    (course / "exercises" / "nbgrader_config.py").write_text(config)
    if not kernel:
        subprocess.run(
            [*course_cmd, "release", SLUG], cwd=course, env=env, check=True, capture_output=True
        )
    release = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())
    inbox = course / "inbox"
    roster = ["id,name,email,lms_id"]
    for n in range(students):
        nb = json.loads(json.dumps(release))
        answers = OLD if kernel else ANSWERS[n % len(ANSWERS)]
        for cell in nb["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            item = gid[: -len("-answer")] if kernel and gid.endswith("-answer") else gid
            if item in answers and (kernel == gid.endswith("-answer")):
                cell["source"] = answers[item]
        sid = f"trainee{n:04d}"
        (inbox / sid).mkdir(parents=True)
        (inbox / sid / f"{SLUG}.ipynb").write_text(json.dumps(nb))
        roster.append(f"{sid},,,")
    (course / "exercises" / "students.csv").write_text("\n".join(roster) + "\n")
    subprocess.run(
        [*course_cmd, "collect", str(inbox), SLUG],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    return course


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--kernel-students", type=int, default=40)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    runs = {
        "kernel path: nbgrader autograde, serial (first release)": (args.kernel_students, True),
        "course grade, answers as data": (args.students, False),
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, (students, kernel)) in enumerate(runs.items()):
            course = make_course(Path(tmp) / str(n), students, kernel)
            run_env = dict(env, COURSE_ROOT=str(course))
            if kernel:
                cmd = [str(bindir / "nbgrader"), "autograde", SLUG, "--force"]
                cwd = course / "exercises"
            else:
                cmd = [sys.executable, "-m", "facilitator_course", "grade", SLUG]
                cwd = course
            print(f"{name}: grading {students} submissions...", flush=True)
            seconds, peak, code = measure(cmd, cwd, run_env)
            results[name] = (students, seconds, peak, code)
            print(f"  {seconds:.1f} s, peak {peak / 2**20:.0f} MiB, exit {code}", flush=True)
    (kn, ks, _, _), (on, os_, _, _) = results.values()
    per_kernel, per_ours = ks / kn, os_ / on
    lines = [
        "# Grading benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores; rerun with "
        "`.venv/bin/python bench/grading.py`.",
        "Submissions of the fixture assignment (7 items: five with set answers, one free-text "
        "reflection scored by rubric, one manual).",
        "",
        "| command | submissions | seconds | seconds per submission | peak memory (MiB) | exit |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {k} | {n} | {s:.1f} | {s / n:.3f} | {m / 2**20:.0f} | {c} |"
            for k, (n, s, m, c) in results.items()
        ],
        "",
        f"Per submission, `course grade` is {per_kernel / per_ours:.1f}x faster than the kernel "
        "path (target: at least 10x); "
        f"{on} submissions took {os_ / 60:.1f} minutes (target: 6 minutes or less for 1,000).",
        "",
    ]
    out = ROOT / "bench" / "results" / "grading.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
