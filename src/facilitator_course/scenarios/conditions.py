"""The small declarative condition language of scenarios (nothing is evaluated as code)."""

from __future__ import annotations

from .graph import reachable


def holds(condition: dict, flags: set[str] | frozenset[str], scores: dict[str, int]) -> bool:
    """Whether one condition holds for the given flags and running scores."""
    if "flag" in condition:
        return condition["flag"] in flags
    if "not_flag" in condition:
        return condition["not_flag"] not in flags
    value = scores.get(condition["score"], 0)
    if "at_least" in condition:
        return value >= condition["at_least"]
    return value < condition["below"]


def all_hold(conditions: list[dict] | None, flags, scores) -> bool:
    return all(holds(c, flags, scores) for c in conditions or [])


def route(next_: str | list[dict], flags, scores) -> str | None:
    """The node a `next` leads to: a plain id, or the first route whose conditions hold."""
    if isinstance(next_, str):
        return next_
    for r in next_:
        if all_hold(r.get("when"), flags, scores):
            return r["goto"]
    return None


def _conditions(nodes: dict):
    """Every condition in `nodes`, on options and on routes."""
    for node in nodes.values():
        for option in node.get("options", []):
            yield from option.get("when", [])
        if isinstance(node.get("next"), list):
            for r in node["next"]:
                yield from r.get("when", [])


def condition_inputs(nodes: dict) -> tuple[frozenset, tuple]:
    """The flags and competencies that any condition in `nodes` reads."""
    conditions = list(_conditions(nodes))
    flags = frozenset(c.get("flag") or c.get("not_flag") for c in conditions) - {None}
    return flags, tuple(sorted({c["score"] for c in conditions if "score" in c}))


class States:
    """The state of a play reduced to what conditions read: the flags they name and the
    scores they compare. A score stops mattering once it is so high that no fall still to
    come can bring it below the highest threshold it is compared with (or so low that no
    rise can lift it), so it is held there: a loop that adds points has finitely many
    states, and so has one that adds while the points taken away come from options a play
    passes at most once (options on no loop). Only a score that both rises and falls in
    loops is kept in full."""

    def __init__(self, nodes: dict):
        self.flags, self.scores = condition_inputs(nodes)
        limits: dict[str, list] = {c: [] for c in self.scores}
        for c in _conditions(nodes):
            if "score" in c:
                limits[c["score"]].append(c.get("at_least", c.get("below")))
        once = {c: [0, 0] for c in self.scores}  # most a play can add / take away, once
        looped = {c: [False, False] for c in self.scores}  # rises / falls inside a loop
        for nid, node in nodes.items():
            for option in node.get("options", []):
                in_loop = nid in reachable(nodes, option["next"])  # back to where it was
                for cid, value in option.get("scores", {}).items():
                    if cid not in once or not value:
                        continue
                    if in_loop:
                        looped[cid][value < 0] = True
                    else:
                        once[cid][value < 0] += abs(value)
        self.high = {c: max(limits[c]) + once[c][1] for c in self.scores if not looped[c][1]}
        self.low = {c: min(limits[c]) - 1 - once[c][0] for c in self.scores if not looped[c][0]}

    def after(self, flags: frozenset, scores: dict, option: dict) -> tuple[frozenset, dict]:
        """The reduced flags and scores after choosing `option`."""
        sets = frozenset(option.get("sets", [])) & self.flags
        adds = {c: v for c, v in option.get("scores", {}).items() if c in self.scores and v}
        if not adds:
            return flags | sets, scores
        new = dict(scores)
        for cid, value in adds.items():
            new[cid] = self._held(cid, new.get(cid, 0) + value)
        return flags | sets, new

    def key(self, nid: str, flags: frozenset, scores: dict) -> tuple:
        """What of a state conditions can ever tell apart (from full or reduced values)."""
        read = tuple(self._held(c, scores.get(c, 0)) for c in self.scores)
        return nid, flags & self.flags, read

    def _held(self, cid: str, value: int) -> int:
        value = min(value, self.high.get(cid, value))
        return max(value, self.low.get(cid, value))
