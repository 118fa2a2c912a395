"""Every validator error has a broken fixture; each message names file, line and problem."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator_course.scenarios.check import check_scenario, scenario_files

ROOT = Path(__file__).resolve().parents[1]
DATA_BROKEN = ROOT / "tests" / "data" / "broken-scenarios"
BROKEN = sorted(DATA_BROKEN.glob("*.yaml"))
EXPECT = re.compile(r"# expect: line (\d+): (.+)")


def expectation(path: Path) -> tuple[int, str]:
    line, says = EXPECT.match(path.read_text().splitlines()[0]).groups()
    return int(line), says


# Each kind of error, and what the validator must say about its fixture.
KINDS = {
    "yaml-syntax": "YAML syntax error",
    "schema-violation": "should be a whole number",
    "duplicate-id": "duplicate key",
    "next-points-nowhere": "which does not exist",
    "unreachable-node": "cannot be reached from start",
    "dead-end": "is a dead end",
    "loop-without-exit": "in a loop with no way out",
    "ending-unreachable-by-conditions": "can never be reached",
    "option-without-feedback": "'feedback' is missing",
    "unknown-competency": "is not in competencies.yml",
    "missing-content-note": "need a content note",
    "unknown-placeholder": "unknown placeholder",
    "suicide-risk-without-direct-question": "does not ask directly about suicide",
    "medical-moment-left-alone": "stay with the person",
    "secrecy-promise": "promises secrecy",
    "confidentiality-without-limits": "without its limits",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_fixtures_cover_every_kind_of_error(kind):
    """Each kind has a fixture whose problem, as the validator reports it, is that kind."""
    path = DATA_BROKEN / f"{kind}.yaml"
    assert path in BROKEN
    line, _ = expectation(path)
    problems = check_scenario(path)[0]
    assert any(KINDS[kind] in p.message and p.line == line for p in problems), [
        str(p) for p in problems
    ]


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


def _mutations(data, depth: int = 2):
    """`data` and broken variants of it: keys removed or given a wrong type, at the top
    level and inside the first entry of each list."""
    yield data
    if not isinstance(data, dict) or not depth:
        return
    for key in list(data)[:6]:
        yield {k: v for k, v in data.items() if k != key}
        for wrong in (None, 7, "text", [1], {"x": 1}):
            yield {**data, key: wrong}
        value = data[key]
        if isinstance(value, list) and value:
            for inner in list(_mutations(value[0], depth - 1))[1:]:
                yield {**data, key: [inner, *value[1:]]}


@pytest.mark.parametrize(
    ("schema_name", "pattern"),
    [
        ("profile.schema.json", "course.yml tests/data/profiles/*.yml"),
        ("competencies.schema.json", "competencies.yml"),
        ("items.schema.json", "exercises/items/*.yaml"),
        ("rubric.schema.json", "exercises/rubrics/*.yaml"),
    ],
)
def test_fast_and_full_validators_agree_on_every_package_schema(schema_name, pattern):
    """Schemas declared as draft 2020-12 are compiled as draft-07 for the yes/no fast path:
    on shipped files and on broken variants of them, both validators give the same answer."""
    from facilitator_course.grading.items import items_schema
    from facilitator_course.schema_check import load_schema
    from facilitator_course.yaml_source import YamlSource

    schema = items_schema() if schema_name == "items.schema.json" else load_schema(schema_name)
    files = [p for part in pattern.split() for p in sorted(ROOT.glob(part))]
    assert files
    checked = invalid = 0
    for path in files:
        try:
            data = YamlSource(path).data
        except Exception:  # noqa: BLE001 - a profile fixture that does not parse has no data
            continue
        for variant in _mutations(data):
            fast = schema.valid(variant)
            assert fast == schema.full.is_valid(variant), (path.name, variant)
            checked += 1
            invalid += not fast
    assert checked > 20 and invalid > 5


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
