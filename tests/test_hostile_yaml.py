"""Hostile YAML: encodings, control characters, aliases, complex keys, huge numbers, huge
and deep scenarios. `course validate` answers each with file, line and fix, never a
traceback, within a few seconds."""

from __future__ import annotations

import copy
import time

import pytest
import yaml

from .conftest import ROOT, course_cli

BASE = (ROOT / "scenarios" / "fnd-medication-myth.yaml").read_text()
PROFILE = (ROOT / "course.yml").read_text()


class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


def at_key(base: str, insert: str) -> str:
    """`base` with `insert` put at the start of its top-level `title:` or `name:` value."""
    key = "\ntitle: " if "\ntitle: " in base else "\nname: "
    return base.replace(key, key + insert, 1)


HOSTILE = {
    "utf-16": (lambda base: base.encode("utf-16"), "UTF-16"),
    "latin-1": (lambda base: at_key(base, "Café ").encode("latin-1"), "0xe9"),
    "binary": (lambda base: bytes(range(256)) * 8, "not UTF-8"),
    "control-character": (lambda base: at_key(base, "ring\x07 ").encode(), "control"),
    "nul": (lambda base: at_key(base, "a\x00b ").encode(), "NUL"),
    "list-as-key": (lambda base: (base + "\n? [a, b]\n: c\n").encode(), "keys must be plain text"),
    "5000-digit-number": (
        lambda base: (base + "\nsize: " + "9" * 5000 + "\n").encode(),
        "5000 digits",
    ),
    "alias-bomb": (lambda base: bomb().encode(), "aliases are not allowed"),
    "too-large": (lambda base: (base + "#" + "x" * 3_000_000 + "\n").encode(), "at most 2 MB"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("kind", ["scenario", "profile"])
def test_hostile_yaml_is_a_clear_problem(tmp_path, case, kind):
    make, says = HOSTILE[case]
    path = tmp_path / ("hostile.yaml" if kind == "scenario" else "course.yml")
    path.write_bytes(make(BASE if kind == "scenario" else PROFILE))
    flag = "--scenario" if kind == "scenario" else "--profile"
    start = time.process_time()
    out = course_cli(ROOT, "validate", flag, path, check=False)
    assert time.process_time() - start < 10  # a limit, not a benchmark
    assert out.returncode == 2, out.stdout
    first = next(line for line in out.stderr.splitlines() if not line.startswith("warning:"))
    assert first.startswith(f"{path}:") and says in first and "Fix: " in first, first


def chain(length: int, name: str) -> dict:
    """A valid scenario whose main path is `length` decisions long."""
    data = yaml.safe_load(BASE)
    option = next(v for v in data["nodes"].values() if v["type"] == "decision")["options"][0]
    option = {k: copy.deepcopy(v) for k, v in option.items() if k not in ("sets", "when")}
    option["feedback"]["competency"] = "FND-1"
    option["scores"] = {"FND-1": 0}
    ending = next(v for v in data["nodes"].values() if v["type"] == "ending")
    nodes = {}
    for i in range(length):
        go = {**copy.deepcopy(option), "text": "Ask.", "scores": {"FND-1": 1}, "next": f"n{i + 1}"}
        stop = {**copy.deepcopy(option), "text": "Wait.", "scores": {"FND-1": -1}, "next": "rec"}
        nodes[f"n{i}"] = {"type": "decision", "prompt": "Now?", "options": [go, stop]}
    nodes["n0"]["options"].append({**copy.deepcopy(option), "text": "Call.", "next": "esc"})
    nodes[f"n{length}"] = {**ending, "kind": "strong"}
    nodes["rec"] = {**ending, "kind": "recoverable"}
    nodes["esc"] = {**ending, "kind": "escalate"}
    return {**data, "id": name, "start": "n0", "competencies": ["FND-1"], "nodes": nodes}


@pytest.mark.parametrize(("length", "valid"), [(290, True), (400, False)])
def test_long_chains_are_checked_or_refused_never_a_recursion_error(tmp_path, length, valid):
    path = tmp_path / f"chain-{length}.yaml"
    path.write_text(yaml.dump(chain(length, path.stem), Dumper=NoAliases, sort_keys=False))
    start = time.process_time()
    out = course_cli(ROOT, "validate", "--scenario", path, check=False)
    assert time.process_time() - start < 10
    if valid:
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode == 2 and "a scenario has at most 300" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_the_explorer_says_when_it_hits_its_limit(tmp_path, monkeypatch):
    from facilitator_course.scenarios import check

    monkeypatch.setattr(check, "MAX_STATES", 5)
    monkeypatch.setattr(check, "_CHECKED", {})
    problems, _ = check.check_scenario(ROOT / "scenarios" / "capstone-whole-session.yaml")
    messages = [p.message for p in problems]
    assert any("not every path could be followed" in m for m in messages), messages
    assert not any("can never be reached" in m for m in messages)  # no false certainty


def test_walk_scenario_names_the_file(monkeypatch):
    from facilitator_course.errors import CourseError
    from facilitator_course.scenarios import check

    path = ROOT / "scenarios" / "capstone-whole-session.yaml"
    data = yaml.safe_load(path.read_text())
    monkeypatch.setattr(check, "MAX_STATES", 5)
    with pytest.raises(CourseError) as raised:
        check.walk_scenario(data["nodes"], data["start"], path)
    assert str(raised.value.problems[0]).startswith(f"{path}:")


def test_a_yml_file_in_scenarios_is_named_not_ignored(tmp_path):
    import shutil

    course = tmp_path / "course"
    for name in ("scenarios", "modules", "exercises", "book"):
        shutil.copytree(ROOT / name, course / name, symlinks=True)
    for name in ("competencies.yml", "course.yml"):
        shutil.copy(ROOT / name, course / name)
    (course / "scenarios" / "extra.yml").write_text(BASE)
    out = course_cli(course, "validate", check=False)
    assert out.returncode == 2
    assert f"{course / 'scenarios' / 'extra.yml'}: this file is ignored" in out.stderr


GROUNDING = (ROOT / "scenarios" / "tic-grounding-choice.yaml").read_text()


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "- flag: put-on-spot",
            "- flag: put-on-spott",
            "names flag 'put-on-spott', which no option",
        ),
        (
            "- flag: put-on-spot",
            "- {score: TIC-3, at_least: 99}",
            "can never be shown: its conditions hold on no path",
        ),
        (
            "- when: [{flag: grounded-with-choice}, {flag: checked-privately}]",
            "- when: [{score: TIC-4, at_least: 99}]",
            "is never taken",
        ),
    ],
    ids=["unknown-flag", "unreachable-threshold", "route-never-taken"],
)
def test_conditions_that_can_never_matter_are_named(tmp_path, old, new, says):
    assert old in GROUNDING
    path = tmp_path / "tic-grounding-choice.yaml"
    path.write_text(GROUNDING.replace(old, new, 1))
    out = course_cli(ROOT, "validate", "--scenario", path, check=False)
    assert out.returncode == 2
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if new.strip() in text)
    hits = [x for x in out.stderr.splitlines() if says in x]
    assert hits and "Fix: " in hits[0], out.stderr
    assert abs(int(hits[0].split(":")[1]) - line) <= 3, (hits[0], line)
