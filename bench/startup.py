"""How fast `course` starts and how long `make test` takes on a fresh clone: this
checkout against a baseline commit, measured in the same run on this machine.

Run: .venv/bin/python bench/startup.py [--baseline 217c714] [--make-test]
Start-up: the median wall time of 7 runs of `course --help` and `course validate --help`
(each a new interpreter, imports included), and `python -X importtime`'s total for
`import facilitator_course.cli` plus what it pulls in for those commands. Both commits run
with this checkout's .venv, their own source first on the path.
With --make-test it also clones both commits afresh and times `make test` in each (CI's
command; minutes each). Writes bench/results/startup.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"


def wall(cmd: list[str], env: dict, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(env: dict, args: list[str]) -> float:
    """Seconds of imports for `course ARGS`, summed from -X importtime's top-level lines."""
    code = f"import sys; sys.argv = ['course', *{args!r}]; from facilitator_course import cli\n"
    code += "try:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    out = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-c", code], env=env, capture_output=True, text=True
    ).stderr
    total = 0
    for line in out.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|", 2)
            top_level = name.startswith(" ") and not name.startswith("  ")
            if top_level and cumulative.strip().isdigit():  # includes its children's time
                total += int(cumulative)
    return total / 1e6


def checkout(ref: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), ref],
                   check=True, capture_output=True)  # fmt: skip
    return where


def startup(src: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src / "src"), COURSE_ROOT=str(src))
    course = [str(PYTHON), "-m", "facilitator_course"]
    return {
        "help": wall([*course, "--help"], env),
        "validate_help": wall([*course, "validate", "--help"], env),
        "imports": import_seconds(env, ["--help"]),
    }


def make_test(ref: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "clone", "-q", str(ROOT), tmp], check=True)
        subprocess.run(["git", "-C", tmp, "checkout", "-q", ref], check=True)
        start = time.perf_counter()
        subprocess.run(["bash", ".ci/run"], cwd=tmp, env=dict(os.environ, CI="true"), check=False)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="217c714", help="commit to compare with")
    parser.add_argument("--make-test", action="store_true", help="also time make test")
    args = parser.parse_args()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        base_tree = checkout(args.baseline, Path(tmp) / "baseline")
        try:
            before, after = startup(base_tree), startup(ROOT)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(base_tree)], check=False)  # fmt: skip
    rows = [
        ("`course --help`, median wall time", "help", "s"),
        ("`course validate --help`, median wall time", "validate_help", "s"),
        ("imports for `course --help` (-X importtime)", "imports", "s"),
    ]
    lines = [
        "# Start-up and test time",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores; rerun: "
        "`.venv/bin/python bench/startup.py [--make-test]`. Baseline "
        f"{args.baseline}, now {head}, in the same run.",
        "",
        f"| measure | {args.baseline} | {head} | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, key, unit in rows:
        ratio = before[key] / after[key] if after[key] else float("inf")
        lines.append(f"| {label} | {before[key]:.3f} {unit} | {after[key]:.3f} {unit} | "
                     f"{ratio:.1f}x faster |")  # fmt: skip
    if args.make_test:
        old, new = make_test(args.baseline), make_test("HEAD")
        lines.append(f"| `make test` on a fresh clone (CI=true) | {old / 60:.1f} min | "
                     f"{new / 60:.1f} min | {old / new:.2f}x |")  # fmt: skip
    text = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "startup.md"
    out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
