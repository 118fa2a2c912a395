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
    "deep-nesting": (
        lambda base: at_key(base, "[" * 990 + "]" * 990 + "\nextra: ").encode(),
        "nest more than 50 deep",
    ),
    "yaml-tag": (
        lambda base: at_key(base, "!!python/object/apply:os.system ").encode(),
        "a YAML tag (!name) is not allowed",
    ),
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


def huge(kind: str) -> str:
    """A scenario of 20,000 nodes, or a profile of 60,000 regions, each node or region
    wrong in several ways."""
    if kind == "scenario":
        many = "".join(f"  x{i}: {{type: ending}}\n" for i in range(20_000))
        return BASE.replace("\nnodes:\n", "\nnodes:\n" + many, 1)
    many = "".join(f"  - {{region: {i}}}\n" for i in range(60_000))
    return PROFILE.replace("\ncrisis_resources:\n", "\ncrisis_resources:\n" + many, 1)


@pytest.mark.parametrize(
    ("kind", "says"),
    [("scenario", "a scenario has at most 300"), ("profile", "the first 50 are listed")],
)
def test_huge_files_are_refused_quickly(tmp_path, kind, says):
    path = tmp_path / ("huge.yaml" if kind == "scenario" else "course.yml")
    path.write_text(huge(kind))
    import jsonschema.validators  # noqa: F401 - imported once per process, in seconds

    start = time.process_time()
    out = course_cli(ROOT, "validate", f"--{kind}", path, check=False)
    assert time.process_time() - start < 10  # a limit, not a benchmark
    assert out.returncode == 2 and says in out.stderr, out.stderr[-2000:]
    first = next(line for line in out.stderr.splitlines() if not line.startswith("warning:"))
    assert first.startswith(f"{path}:") and "Fix: " in first, first
    assert len(out.stderr.splitlines()) < 60


def test_control_characters_in_names_and_values_are_shown_escaped(tmp_path):
    path = tmp_path / "ring\x07\x1b[2J\u202e.yaml"
    path.write_text(BASE.replace("\nnodes:\n", '\nnodes:\n  "x\\e[31m": {type: ending}\n', 1))
    out = course_cli(ROOT, "validate", "--scenario", path, check=False)
    assert out.returncode == 2
    assert not any(c in out.stderr for c in "\x07\x1b\u202e"), repr(out.stderr)
    assert "ring\\x07\\x1b[2J\\u202e.yaml:" in out.stderr, out.stderr
    assert "x\\x1b[31m" in out.stderr, out.stderr


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


def looped(threshold: int, falls: str = "") -> dict:
    """A valid chain whose second decision can be chosen again and again, each time adding
    a point of FND-2, which an option further on needs `threshold` of. `falls`: "once",
    a later option (passed at most once) takes a point away; "in a loop", a later
    decision can also be chosen again and again, taking a point away each time, so the
    points can rise and fall without end."""
    data = chain(6, "looped")
    again = copy.deepcopy(data["nodes"]["n1"]["options"][0])
    again.update(text="Try again.", next="n1", scores={"FND-2": 1})
    data["nodes"]["n1"]["options"].append(again)
    gated = copy.deepcopy(data["nodes"]["n4"]["options"][0])
    gated.update(text="Say so.", when=[{"score": "FND-2", "at_least": threshold}])
    data["nodes"]["n4"]["options"].append(gated)
    if falls:
        data["nodes"]["n3"]["options"][0]["scores"] = {"FND-1": 1, "FND-2": -1}
    if falls == "in a loop":
        back = copy.deepcopy(data["nodes"]["n3"]["options"][0])
        back.update(text="Go back.", next="n1", scores={"FND-2": -1})
        data["nodes"]["n3"]["options"].append(back)
    data["competencies"] = ["FND-1", "FND-2"]
    return data


@pytest.mark.parametrize(
    ("falls", "says"),
    [("", ""), ("once", ""), ("in a loop", "not every path could be")],
    ids=["rises", "rises-then-falls-once", "rises-and-falls-in-loops"],
)
def test_score_loops_are_checked_never_a_recursion_error(tmp_path, falls, says):
    path = tmp_path / "looped.yaml"
    path.write_text(yaml.dump(looped(5000, falls), Dumper=NoAliases, sort_keys=False))
    start = time.process_time()
    out = course_cli(ROOT, "validate", "--scenario", path, check=False)
    assert time.process_time() - start < 10
    assert out.returncode == (2 if says else 0), out.stderr
    assert says in out.stderr and "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize(("rise", "loop", "shown"), [(2, False, False), (2, True, True)])
def test_a_held_score_still_tells_apart_what_conditions_read(rise, loop, shown):
    """Points held at a threshold are exact for every condition still to come: +2 once,
    then -1, never reaches 2 (the gated option is never shown); +2 in a loop, then -1,
    does."""
    from facilitator_course.scenarios.check import explore

    data = looped(2, "once")
    options = data["nodes"]["n1"]["options"]
    if not loop:
        options.pop()  # no "Try again": the points come once
        options[0]["scores"] = {"FND-1": 1, "FND-2": rise}
    else:
        options[-1]["scores"] = {"FND-2": rise}
    walk = explore(data["nodes"], data["start"])
    gate = len(data["nodes"]["n4"]["options"]) - 1
    assert (("n4", gate) in walk.shown) is shown
    assert not walk.limited


def test_every_walk_over_a_scenario_is_without_recursion():
    """A chain of 1,500 decisions (over the limit a file may have) is walked by each
    walker without RecursionError."""
    from facilitator_course.safety import decision_states
    from facilitator_course.scenarios import check

    data = chain(1_500, "deep")
    nodes, start = data["nodes"], data["start"]
    assert check.explore(nodes, start).longest == 1_500
    assert len(check.walk_scenario(nodes, start).paths) == 1_500 + 2
    assert sum(1 for _ in decision_states(nodes, start)) == 1_500
    assert len(list(check._strings(data))) > 1_500 * 10


def test_the_explorer_says_when_it_hits_its_limit(tmp_path, monkeypatch):
    from facilitator_course.scenarios import check

    monkeypatch.setattr(check, "MAX_EXPLORED", 5)
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
