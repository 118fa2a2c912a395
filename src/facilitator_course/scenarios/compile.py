"""Compile a checked scenario to the JSON graph the players walk: Markdown to safe HTML,
placeholders filled from the organization profile."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from ..errors import CourseError, Problem
from ..paths import project_root
from ..profile import Profile, load_profile
from .check import load_checked
from .placeholders import fill

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "blockquote", "br", "code", "a"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})


def _clean(html: str) -> str:
    """Sanitized HTML: only the tags and link schemes a scenario needs."""
    return nh3.clean(
        html.strip(),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"https", "tel", "sms", "mailto"},
    )


def _block(text: str, values: dict) -> str:
    return _clean(_md.render(fill(text, values)))


def _inline(text: str, values: dict) -> str:
    return _clean(_md.renderInline(fill(text, values)))


VERDICTS = {
    "strong": "A strong move.",
    "gap": "A reasonable move, with a gap.",
    "risk": "A move that puts someone at risk.",
    "miss": "A move that misses what matters here.",
}


def verdict(total: int, best: int, at_risk: bool) -> str:
    """The plain verdict that opens a choice's feedback, from its total score."""
    if total == best and total > 0:
        return VERDICTS["strong"]
    if total > 0:
        return VERDICTS["gap"]
    return VERDICTS["risk"] if at_risk or total < 0 else VERDICTS["miss"]


def competency_text(cid: str) -> str:
    from ..curriculum import modules

    for m in modules():
        if cid in m.competencies:
            return m.competencies[cid]
    return cid


def scenario_path(scenario_id: str) -> Path:
    path = project_root() / "scenarios" / f"{scenario_id}.yaml"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(path.parent.glob("*.yaml")))
        raise CourseError(
            Problem(path, 0, f"no scenario {scenario_id!r}.", f"use one of: {known}.")
        )
    return path


def compile_scenario(scenario_id: str, profile: Profile | None = None) -> dict:
    """The compiled graph of a scenario for a profile (default: the active one)."""
    profile = profile or load_profile()
    path = scenario_path(scenario_id)
    return _compile(path, path.stat().st_mtime, profile)


@cache
def _compile(path: Path, mtime: float, profile: Profile) -> dict:
    data = load_checked(path).data
    v = profile.placeholders()
    nodes = {}
    for nid, node in data["nodes"].items():
        out: dict = {"type": node["type"]}
        if "text" in node:
            out["html"] = _block(node["text"], v)
        if "lines" in node:
            out["lines"] = [
                {"speaker": fill(ln["speaker"], v), "html": _inline(ln["text"], v)}
                for ln in node["lines"]
            ]
        if node["type"] == "narrative":
            out["next"] = node["next"]
        elif node["type"] == "decision":
            totals = [sum(o.get("scores", {}).values()) for o in node["options"]]
            out["prompt"] = _inline(node["prompt"], v)
            if "moment" in node:
                out["moment"] = node["moment"]
            out["options"] = [
                {
                    "html": _inline(o["text"], v),
                    "next": o["next"],
                    "scores": o.get("scores", {}),
                    "sets": o.get("sets", []),
                    "when": o.get("when", []),
                    "feedback": {
                        "verdict": verdict(total, max(totals), "moment" in node),
                        "result": _inline(o["feedback"]["result"], v),
                        "principle": _inline(o["feedback"]["principle"], v),
                        "competency": o["feedback"]["competency"],
                        "model": _inline(o["feedback"]["model"], v),
                    },
                }
                for o, total in zip(node["options"], totals, strict=True)
            ]
        else:
            out.update(
                kind=node["kind"], title=fill(node["title"], v), debrief=_block(node["debrief"], v)
            )
        nodes[nid] = out
    return {
        "id": data["id"],
        "title": fill(data["title"], v),
        "module": data["module"],
        "competencies": data["competencies"],
        "competency_names": {c: competency_text(c) for c in data["competencies"]},
        "minutes": data["minutes"],
        "summary": _block(data["summary"], v),
        "content_note": _block(data["content_note"], v) if "content_note" in data else None,
        "start": data["start"],
        "nodes": nodes,
    }
