"""The shared vectors: up to date with the YAML, and the Python engine agrees with them.
(tests/js/engine.test.mjs holds the JavaScript engine to the same files.)"""

from __future__ import annotations

import json

import pytest

from facilitator_course.scenarios.engine import Engine

from .make_vectors import OUT, ROOT, build, render

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def test_every_scenario_has_a_vector_file():
    assert {p.stem for p in SCENARIOS} == {p.stem for p in OUT.glob("*.json")}
    assert len(SCENARIOS) >= 3


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_vector_file_is_current(scenario):
    committed = (OUT / f"{scenario.stem}.json").read_text()
    assert committed == render(build(scenario)), "run: python tests/make_vectors.py"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_python_engine_follows_every_vector(scenario):
    data = json.loads((OUT / f"{scenario.stem}.json").read_text())
    kinds = set()
    for vector in data["vectors"]:
        engine = Engine(data["graph"]).play(vector["choices"])
        assert engine.finished, vector["name"]
        assert engine.node_id == vector["ending"], vector["name"]
        assert engine.node["kind"] == vector["kind"]
        assert {k: v for k, v in engine.scores.items() if v} == vector["scores"], vector["name"]
        assert [p["feedback"]["competency"] for p in engine.path] == vector["feedback"]
        assert all(p["feedback"]["model"] and p["feedback"]["principle"] for p in engine.path)
        kinds.add(vector["kind"])
    assert (
        {"strong", "recoverable", "escalate"}
        <= kinds
        <= {"strong", "recoverable", "escalate", "harm"}
    )


def test_back_undoes_exactly_one_choice_and_restart_clears_all():
    data = json.loads(next(OUT.glob("*.json")).read_text())
    best = data["vectors"][0]["choices"]
    engine = Engine(data["graph"]).play(best[:2])
    node, scores, path = engine.node_id, dict(engine.scores), list(engine.path)
    engine.play(best[2:3])
    assert engine.back()
    assert (engine.node_id, engine.scores, engine.path) == (node, scores, path)
    engine.restart()
    assert (engine.node_id, engine.scores, engine.path) == (data["graph"]["start"], {}, [])
    assert not engine.back()


def test_hidden_option_cannot_be_chosen():
    graph = {
        "start": "d",
        "nodes": {
            "d": {
                "type": "decision",
                "options": [
                    {
                        "next": "e",
                        "scores": {},
                        "sets": [],
                        "when": [{"flag": "x"}],
                        "feedback": {},
                    },
                    {"next": "e", "scores": {}, "sets": [], "when": [], "feedback": {}},
                ],
            },
            "e": {"type": "ending", "kind": "strong"},
        },
    }
    engine = Engine(graph)
    assert engine.visible_options() == [1]
    with pytest.raises(ValueError, match="not available"):
        engine.choose(0)


def test_shuffle_matches_the_shared_vectors_and_differs_by_seed():
    from facilitator_course.scenarios.engine import shuffled

    cases = json.loads((ROOT / "tests" / "data" / "shuffle-vectors.json").read_text())
    for case in cases:
        order = shuffled(case["items"], case["seed"], case["node"])
        assert order == case["order"] and sorted(order) == case["items"]
    orders = {tuple(shuffled(list(range(4)), seed, "ask")) for seed in range(1, 40)}
    assert len(orders) > 10  # seeds really change the order


def test_first_attempts_survive_back_and_restart():
    for path in sorted(OUT.glob("*.json")):
        data = json.loads(path.read_text())
        best, worst = data["vectors"][0]["choices"], data["vectors"][1]["choices"]
        engine = Engine(data["graph"], seed=3).play(worst)
        first = dict(engine.first)
        first_scores = engine.first_scores
        assert len(first) == len(worst)
        while engine.back():
            pass
        engine.restart()
        engine.play(best)
        assert {n: engine.first[n] for n in first} == first, path.stem
        if set(engine.first) == set(first):
            assert engine.first_scores == first_scores
