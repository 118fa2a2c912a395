"""Every validator error has a broken fixture; each message names file, line and problem."""

from __future__ import annotations

import json
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


# The placeholders a scenario may use, written out here rather than read from the code.
PLACEHOLDER_NAMES = [
    "org_name",
    "org_short_name",
    "escalation_contact",
    "safeguarding_lead",
    "crisis_line",
    "emergency_number",
    "reporting_duties",
    "confidentiality_limits",
    "service:TOPIC",
]


def _placeholder_fix() -> str:
    path = DATA_BROKEN / "unknown-placeholder.yaml"
    (problem,) = [p for p in check_scenario(path)[0] if "unknown placeholder" in p.message]
    return problem.fix


def test_the_unknown_placeholder_fix_lists_exactly_the_placeholders():
    from facilitator_course.profile import load_profile, service_topics

    fix = _placeholder_fix()
    assert re.findall(r"(?<!\{)\{([a-z_:A-Z]+)\}", fix) == PLACEHOLDER_NAMES
    assert f"TOPIC one of {', '.join(service_topics())}" in fix
    values = load_profile(ROOT / "course.yml").placeholders()
    plain = [n for n in PLACEHOLDER_NAMES if ":" not in n]
    assert sorted(values) == sorted(plain + [f"service:{t}" for t in service_topics()])


def test_a_placeholder_added_to_the_list_is_all_a_scenario_needs(tmp_path, monkeypatch):
    """One entry in PLACEHOLDERS: the validator accepts it and names it in its fix, and
    the compiled scenario carries the profile's value."""
    import shutil

    from facilitator_course.profile import load_profile
    from facilitator_course.scenarios import check, placeholders
    from facilitator_course.scenarios.compile import compile_scenario

    course = tmp_path / "course"
    (course / "scenarios").mkdir(parents=True)
    for name in ("competencies.yml", "scenarios/scenario.schema.json"):
        shutil.copy(ROOT / name, course / name)
    scenario = course / "scenarios" / "agr-broken-agreement.yaml"
    text = (ROOT / "scenarios" / scenario.name).read_text()
    scenario.write_text(text.replace("run by {org_name}", "run by {org_name} in {group_room}"))
    monkeypatch.setenv("COURSE_ROOT", str(course))
    monkeypatch.setattr(check, "_CHECKED", {})
    before = [p.message for p in check_scenario(scenario)[0]]
    assert before == ["unknown placeholder {group_room}."]

    room = placeholders.Placeholder(
        "group_room", "`group_room`", "where the group meets", lambda p: "the blue room"
    )
    monkeypatch.setattr(placeholders, "PLACEHOLDERS", (*placeholders.PLACEHOLDERS, room))
    monkeypatch.setattr(check, "_CHECKED", {})
    assert [str(p) for p in check_scenario(scenario)[0]] == []
    graph = compile_scenario(scenario.stem, load_profile(ROOT / "course.yml"))
    assert "in the blue room" in json.dumps(graph)
    monkeypatch.setenv("COURSE_ROOT", str(ROOT))
    names = re.findall(r"(?<!\{)\{([a-z_:A-Z]+)\}", _placeholder_fix())
    assert names == [*PLACEHOLDER_NAMES[:-1], "group_room", "service:TOPIC"]


def test_the_readme_table_of_placeholders_is_built_from_the_list():
    from facilitator_course.scenarios.placeholders import markdown_table

    table = markdown_table()
    assert table in (ROOT / "scenarios" / "README.md").read_text(), (
        "paste markdown_table() from facilitator_course.scenarios.placeholders into "
        "scenarios/README.md:\n" + table
    )
    assert [f"`{{{n}}}`" in table for n in PLACEHOLDER_NAMES] == [True] * len(PLACEHOLDER_NAMES)
