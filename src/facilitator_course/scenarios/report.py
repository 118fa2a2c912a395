"""`course validate --report` for scenarios: size, endings, path lengths, score ranges."""

from __future__ import annotations

from collections import Counter

from .check import load_checked, walk_scenario


def scenario_report(path) -> dict:
    """Nodes, decisions, endings by kind, shortest/longest path, best/worst per competency."""
    data = load_checked(path).data
    nodes = data["nodes"]
    walk = walk_scenario(nodes, data["start"], path)
    lengths = [len(p["choices"]) for p in walk.paths]
    scores = {c: [p["scores"].get(c, 0) for p in walk.paths] for c in data["competencies"]}
    return {
        "id": data["id"],
        "nodes": len(nodes),
        "decisions": sum(n["type"] == "decision" for n in nodes.values()),
        "endings": dict(Counter(n["kind"] for n in nodes.values() if n["type"] == "ending")),
        "paths": len(walk.paths),
        "shortest": min(lengths),
        "longest": max(lengths),
        "best": {c: max(v) for c, v in scores.items()},
        "worst": {c: min(v) for c, v in scores.items()},
    }


def format_report(rows: list[dict]) -> str:
    lines = [
        "Scenarios",
        "id | nodes | decisions | endings (strong/recoverable/escalate) | "
        "paths | decisions per path (shortest-longest) | score range per competency",
    ]
    for r in rows:
        e = r["endings"]
        ranges = ", ".join(f"{c} {r['worst'][c]}..{r['best'][c]}" for c in r["best"])
        lines.append(
            f"{r['id']} | {r['nodes']} | {r['decisions']} | {e.get('strong', 0)}/"
            f"{e.get('recoverable', 0)}/{e.get('escalate', 0)} | {r['paths']} | "
            f"{r['shortest']}-{r['longest']} | {ranges}"
        )
    return "\n".join(lines)
