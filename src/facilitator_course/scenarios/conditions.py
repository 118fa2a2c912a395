"""The small declarative condition language of scenarios (nothing is evaluated as code)."""

from __future__ import annotations


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
