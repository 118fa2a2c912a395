"""The scenario graph without its conditions: where each node leads, and what can be
reached from where."""

from __future__ import annotations


def targets(node: dict):
    """Each node a node leads to, with where in the node it is named."""
    nxt = node.get("next")
    if isinstance(nxt, str):
        yield nxt, ["next"]
    elif isinstance(nxt, list):
        for i, r in enumerate(nxt):
            yield r["goto"], ["next", i, "goto"]
    for i, option in enumerate(node.get("options", [])):
        yield option["next"], ["options", i, "next"]


def reachable(nodes: dict, start: str) -> set[str]:
    """`start` and every node reachable from it."""
    seen, todo = set(), [start]
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in nodes:
            continue
        seen.add(nid)
        todo.extend(t for t, _ in targets(nodes[nid]))
    return seen


def reachable_from_targets(nodes: dict, nid: str) -> set[str]:
    """Every node reachable from where `nid` leads (`nid` itself only through a loop)."""
    found: set[str] = set()
    for target, _ in targets(nodes[nid]):
        found |= reachable(nodes, target)
    return found
