"""Every validator error has a broken fixture; each message names file, line and problem."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator_course.scenarios.check import check_scenario, scenario_files

ROOT = Path(__file__).resolve().parents[1]
BROKEN = sorted((ROOT / "tests" / "data" / "broken-scenarios").glob("*.yaml"))
EXPECT = re.compile(r"# expect: line (\d+): (.+)")


def expectation(path: Path) -> tuple[int, str]:
    line, says = EXPECT.match(path.read_text().splitlines()[0]).groups()
    return int(line), says


def test_fixtures_cover_every_kind_of_error():
    names = {p.stem for p in BROKEN}
    required = {
        "yaml-syntax",
        "schema-violation",
        "duplicate-id",
        "next-points-nowhere",
        "unreachable-node",
        "dead-end",
        "loop-without-exit",
        "ending-unreachable-by-conditions",
        "option-without-feedback",
        "unknown-competency",
        "missing-content-note",
        "unknown-placeholder",
        "suicide-risk-without-direct-question",
        "medical-moment-left-alone",
        "secrecy-promise",
        "confidentiality-without-limits",
    }
    assert required <= names


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_problem_names_file_line_and_fix(path):
    line, says = expectation(path)
    problems = check_scenario(path)[0]
    matching = [p for p in problems if says in p.message and p.line == line]
    assert matching, [str(p) for p in problems]
    assert Path(matching[0].file) == path
    assert matching[0].fix


def test_cli_exits_2_without_traceback_and_reports_every_fixture():
    args = [a for path in BROKEN for a in ("--scenario", str(path))]
    result = subprocess.run(
        [sys.executable, "-m", "facilitator_course", "validate", *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for path in BROKEN:
        line, says = expectation(path)
        assert any(
            x.startswith(f"{path}:{line}: ") and says in x and "Fix: " in x for x in lines
        ), path.stem


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_shipped_scenarios_are_valid(path):
    assert [str(p) for p in check_scenario(path)[0]] == []


def test_fast_and_full_schema_validators_agree():
    """The compiled validator decides 'valid'; jsonschema explains errors. They must agree."""
    from facilitator_course.schema_check import load_schema
    from facilitator_course.yaml_source import YamlSource

    schema = load_schema("scenario", ROOT / "scenarios" / "scenario.schema.json")
    checked = 0
    for path in [*BROKEN, *scenario_files()]:
        try:
            data = YamlSource(path).data
        except Exception:  # noqa: BLE001 - a YAML syntax fixture has no data to validate
            continue
        assert schema.valid(data) == schema.full.is_valid(data), path.stem
        checked += 1
    assert checked > 20
