"""The `course` command line: its commands, and what `course lab` starts."""

from __future__ import annotations

import subprocess
import sys

from facilitator_course.lab import lab_command

COMMANDS = [
    "validate",
    "exercises",
    "build",
    "package",
    "serve",
    "lab",
    "release",
    "collect",
    "grade",
    "set-grade",
    "feedback",
    "report",
    "signoff",
    "completion",
    "certificates",
    "verify",
]


def test_every_command_has_help():
    out = subprocess.run(
        [sys.executable, "-m", "facilitator_course", "--help"], capture_output=True, text=True
    ).stdout
    assert all(f"    {c}" in out for c in COMMANDS), out


def test_lab_contacts_no_outside_host():
    """JupyterLab's news feed and update check (its two calls to the internet) are off."""
    cmd = lab_command(port=9999, open_browser=False)
    assert "--LabApp.news_url=None" in cmd
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in cmd
    assert any(a.startswith("--ServerApp.default_url=/lab/tree/modules") for a in cmd)


def test_set_grade_without_points_or_comment_is_a_clear_error():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "facilitator_course",
            "set-grade",
            "02-trauma-informed-care",
            "alice",
            "tic-8",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "nothing to set" in result.stderr and "Traceback" not in result.stderr


def test_validate_report_prints_every_table():
    from facilitator_course.curriculum import competency_ids
    from facilitator_course.scenarios.check import scenario_files

    from .conftest import ROOT, course_cli

    out = course_cli(ROOT, "validate", "--report").stdout
    lines = out.splitlines()
    sections = ["Scenarios", "Modules", "Coverage (taught / practised / assessed)", "Answer cues"]
    heads = [next(n for n, line in enumerate(lines) if line.startswith(s)) for s in sections]
    assert heads == sorted(heads)
    starts = [len("\n".join(lines[:n])) for n in heads]
    scenarios = out[: starts[1]].splitlines()
    for path in scenario_files():
        assert sum(line.startswith(f"{path.stem} | ") for line in scenarios) == 1, path.stem
    coverage = out[starts[2] : starts[3]].splitlines()
    for cid in competency_ids():
        row = next(line for line in coverage if line.startswith(f"{cid} | "))
        assert " |  | " not in row + " ", row  # taught, practised and assessed somewhere
    letters = next(line for line in out.splitlines() if line.startswith("key letters"))
    keys = int(letters.split("(")[1].split()[0])
    counts = letters.split(":")[1].replace(",", " ").split()[1::2]
    assert sum(int(n) for n in counts) == keys
    assert out.rstrip().endswith("Everything is valid.")
