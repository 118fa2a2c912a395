"""Benchmark grading a cohort: `course grade` vs. plain serial `nbgrader autograde`.

Run: .venv/bin/python bench/grading.py [--students 40]
Both runs grade the same 40 submissions of the fixture assignment
(tests/data/fixture-course) in fresh copies of the course, on this machine, in
the same run. Peak memory is the largest total resident memory of the command's
whole process tree, sampled every 50 ms. Writes bench/results/grading.md.
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
ANSWERS = [
    {
        "tic-1": 'tic_1 = "a"',
        "tic-2": 'tic_2 = ["a", "c", "d"]',
        "tic-5": 'tic_5 = "a"',
        "tic-6": 'tic_6 = """I would explain what we will do first. Anyone can pass and keep '
        'their eyes open. I would check in with the group afterwards."""',
    },
    {"tic-1": 'tic_1 = "b"', "tic-3": 'tic_3 = ["a", "c", "b"]', "tic-5": 'tic_5 = "c"'},
]


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


def make_course(tmp: Path, students: int) -> Path:
    course = tmp / "course"
    shutil.copytree(ROOT / "tests" / "data" / "fixture-course" / "exercises", course / "exercises")
    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, course / name)
    (course / "book").mkdir()
    shutil.copy(ROOT / "book" / "logo.svg", course / "book" / "logo.svg")
    shutil.copy(ROOT / "exercises" / "nbgrader_config.py", course / "exercises")
    env = dict(os.environ, COURSE_ROOT=str(course))
    course_cmd = [sys.executable, "-m", "facilitator_course"]
    subprocess.run(
        [*course_cmd, "release", SLUG], cwd=course, env=env, check=True, capture_output=True
    )
    release = json.loads((course / "exercises" / "release" / SLUG / f"{SLUG}.ipynb").read_text())
    inbox = course / "inbox"
    roster = ["id,name,email,lms_id"]
    for n in range(students):
        nb = json.loads(json.dumps(release))
        for cell in nb["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            answers = ANSWERS[n % len(ANSWERS)]
            if gid.endswith("-answer") and gid[:-7] in answers:
                cell["source"] = answers[gid[:-7]]
        sid = f"trainee{n:03d}"
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
    parser.add_argument("--students", type=int, default=40)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("nbgrader autograde (serial)", "course grade"):
            work = Path(tmp) / name.split()[0]
            course = make_course(work, args.students)
            run_env = dict(env, COURSE_ROOT=str(course))
            if name.startswith("nbgrader"):
                cmd = [str(bindir / "nbgrader"), "autograde", SLUG, "--force"]
                cwd = course / "exercises"
            else:
                cmd = [sys.executable, "-m", "facilitator_course", "grade", SLUG]
                cwd = course
            print(f"{name}: grading {args.students} submissions...", flush=True)
            seconds, peak, code = measure(cmd, cwd, run_env)
            results[name] = (seconds, peak, code)
            print(f"  {seconds:.1f} s, peak {peak / 2**20:.0f} MiB, exit {code}", flush=True)
    base = results["nbgrader autograde (serial)"]
    ours = results["course grade"]
    lines = [
        "# Grading benchmark",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores; rerun with "
        "`.venv/bin/python bench/grading.py`.",
        f"{args.students} submissions of the fixture assignment (7 items, one free-text "
        "reflection).",
        "",
        "| command | seconds | seconds per submission | peak memory (MiB) | exit |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[
            f"| {k} | {s:.1f} | {s / args.students:.2f} | {m / 2**20:.0f} | {c} |"
            for k, (s, m, c) in results.items()
        ],
        "",
        f"Speed-up of `course grade` over serial `nbgrader autograde`: "
        f"{base[0] / ours[0]:.2f}x (target 1.8x or better on 2 cores).",
        "",
    ]
    out = ROOT / "bench" / "results" / "grading.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
