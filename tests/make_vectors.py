"""Shared test vectors for both scenario engines: `python tests/make_vectors.py`.

The expected results come from this file's own walk over the scenario YAML (an
oracle independent of the package's engines): for every scenario, the best and
worst path by total score and one path to each ending. Each vector file also
holds the graph compiled for the default profile, so Node can test the
JavaScript engine without Python. tests/test_scenario_vectors.py fails when a
file here is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "vectors"


def _ok(cond: dict, flags: set, scores: dict) -> bool:
    if "flag" in cond:
        return cond["flag"] in flags
    if "not_flag" in cond:
        return cond["not_flag"] not in flags
    have = scores.get(cond["score"], 0)
    return have >= cond["at_least"] if "at_least" in cond else have < cond["below"]


def every_path(scenario: dict) -> list[dict]:
    """All play-throughs: choices, ending, summed scores and feedback competencies."""
    nodes, found = scenario["nodes"], []

    def go(nid, flags, scores, choices, feedback, depth):
        node = nodes[nid]
        if depth > 200:
            return
        if node["type"] == "ending":
            found.append(
                {
                    "choices": choices,
                    "ending": nid,
                    "kind": node["kind"],
                    "scores": {k: v for k, v in sorted(scores.items()) if v},
                    "feedback": feedback,
                }
            )
        elif node["type"] == "narrative":
            nxt = node["next"]
            if not isinstance(nxt, str):
                nxt = next(
                    r["goto"] for r in nxt if all(_ok(c, flags, scores) for c in r.get("when", []))
                )
            go(nxt, flags, scores, choices, feedback, depth + 1)
        else:
            for i, opt in enumerate(node["options"]):
                if not all(_ok(c, flags, scores) for c in opt.get("when", [])):
                    continue
                new = dict(scores)
                for k, v in opt.get("scores", {}).items():
                    new[k] = new.get(k, 0) + v
                go(
                    opt["next"],
                    flags | set(opt.get("sets", [])),
                    new,
                    [*choices, i],
                    [*feedback, opt["feedback"]["competency"]],
                    depth + 1,
                )

    go(scenario["start"], set(), {}, [], [], 0)
    return found


def vectors(scenario: dict) -> list[dict]:
    paths = every_path(scenario)
    total = lambda p: sum(p["scores"].values())  # noqa: E731
    picked = [("best", max(paths, key=total)), ("worst", min(paths, key=total))]
    for ending in sorted({p["ending"] for p in paths}):
        reach = [p for p in paths if p["ending"] == ending]
        picked.append((f"to {ending}", min(reach, key=lambda p: len(p["choices"]))))
    return [{"name": name, **path} for name, path in picked]


def build(scenario_file: Path) -> dict:
    from facilitator_course.profile import load_profile
    from facilitator_course.scenarios.compile import compile_scenario

    scenario = yaml.safe_load(scenario_file.read_text())
    graph = compile_scenario(scenario["id"], load_profile(ROOT / "course.yml"))
    return {"scenario": scenario["id"], "vectors": vectors(scenario), "graph": graph}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    for old in OUT.glob("*.json"):
        if not (ROOT / "scenarios" / f"{old.stem}.yaml").exists():
            old.unlink()
    for f in files:
        (OUT / f"{f.stem}.json").write_text(render(build(f)))
    print(f"wrote {len(files)} vector files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
