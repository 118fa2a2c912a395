"""Answer cues: can a scenario or an exercise be passed without reading it?

Measures, over the course: how often the best option of a decision is listed first or
is the longest; how often an exercise key is the longest option, and how the keys
spread over the letters; and which scenarios a player who always picks the longest (or
the first) option finishes on a strong ending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_SHARE = 0.40  # CONTENT.md: no cue above 40%


@dataclass
class Cues:
    decisions: int = 0  # decisions with one best option
    best_first: int = 0
    best_longest: int = 0
    keys: int = 0  # single and judgement items with one key
    key_longest: int = 0
    key_letters: Counter = field(default_factory=Counter)
    strong_by_longest: list[str] = field(default_factory=list)
    strong_by_first: list[str] = field(default_factory=list)
    worst_endings: dict[str, str] = field(default_factory=dict)  # scenario -> ending kind
    scenarios: int = 0

    def shares(self) -> dict[str, float]:
        most = max(self.key_letters.values(), default=0)
        return {
            "best option listed first": self.best_first / max(self.decisions, 1),
            "best option the longest": self.best_longest / max(self.decisions, 1),
            "exercise key the longest": self.key_longest / max(self.keys, 1),
            "most common key letter": most / max(self.keys, 1),
        }


def _total(option: dict) -> int:
    return sum(option.get("scores", {}).values())


def _longest(texts: list[str], index: int) -> bool:
    lengths = [len(" ".join(t.split())) for t in texts]
    return lengths[index] == max(lengths)


def decision_cues(data: dict, cues: Cues) -> None:
    for node in data["nodes"].values():
        if node["type"] != "decision":
            continue
        totals = [_total(o) for o in node["options"]]
        if totals.count(max(totals)) != 1:
            continue
        best = totals.index(max(totals))
        cues.decisions += 1
        cues.best_first += best == 0
        cues.best_longest += _longest([o["text"] for o in node["options"]], best)


def item_cues(item: dict, cues: Cues) -> None:
    from .grading.kinds import KINDS

    key = KINDS[item["kind"]].key(item)
    if key is None:
        return
    letters = sorted(item["options"])
    cues.keys += 1
    cues.key_letters[key] += 1
    cues.key_longest += _longest([item["options"][k] for k in letters], letters.index(key))


def naive_ending(graph: dict, pick) -> str:
    """The kind of ending a player reaches who always picks `pick(options)` (an index)."""
    from .scenarios.engine import Engine

    engine = Engine(graph)
    for _ in range(500):
        if engine.finished:
            return engine.node["kind"]
        if engine.node["type"] == "narrative":
            engine.advance()
            continue
        shown = engine.visible_options()
        engine.choose(pick(engine.node["options"], shown))
    return "none"


def _by_length(options: list[dict], shown: list[int]) -> int:
    return max(shown, key=lambda i: len(" ".join(options[i]["html"].split())))


def _first(options: list[dict], shown: list[int]) -> int:
    return shown[0]


def _worst(options: list[dict], shown: list[int]) -> int:
    return min(shown, key=lambda i: sum(options[i]["scores"].values()))


def course_cues() -> Cues:
    from .grading.items import all_items
    from .scenarios.check import load_checked, scenario_files
    from .scenarios.compile import compile_scenario

    cues = Cues()
    for path in scenario_files():
        data = load_checked(path).data
        decision_cues(data, cues)
        graph = compile_scenario(data["id"])
        cues.scenarios += 1
        if naive_ending(graph, _by_length) == "strong":
            cues.strong_by_longest.append(data["id"])
        if naive_ending(graph, _first) == "strong":
            cues.strong_by_first.append(data["id"])
        cues.worst_endings[data["id"]] = naive_ending(graph, _worst)
    for item in all_items().values():
        item_cues(item, cues)
    return cues


def format_cues(cues: Cues) -> str:
    lines = ["Answer cues (no share above 40%)"]
    for name, share in cues.shares().items():
        flag = "" if share <= MAX_SHARE else "  <- above 40%"
        lines.append(f"{name}: {share:.0%}{flag}")
    letters = ", ".join(f"{k} {v}" for k, v in sorted(cues.key_letters.items()))
    lines.append(f"key letters ({cues.keys} keys): {letters}")
    lines.append(
        f"decisions with one best option: {cues.decisions}; "
        f"best first {cues.best_first}, best longest {cues.best_longest}"
    )
    lines.append(
        f"always-longest player ends strong in {len(cues.strong_by_longest)} of "
        f"{cues.scenarios} scenarios: {', '.join(cues.strong_by_longest) or 'none'}"
    )
    lines.append(
        f"always-first player ends strong in {len(cues.strong_by_first)} of "
        f"{cues.scenarios} scenarios: {', '.join(cues.strong_by_first) or 'none'}"
    )
    worst = Counter(cues.worst_endings.values())
    lines.append(
        "always-worst player ends: "
        + ", ".join(f"{k} {v}" for k, v in sorted(worst.items()))
        + " (never strong or escalate)"
    )
    return "\n".join(lines)


def cue_problems(root) -> list:
    """A problem for each cue share above 40% (CONTENT.md, "Assessment without cues")."""
    from .errors import Problem

    cues = course_cues()
    return [
        Problem(
            root / "scenarios" if "option" in name else root / "exercises" / "items",
            0,
            f"{name}: {share:.0%} across the course; the standard allows at most 40%.",
            "reorder options and even out their lengths; `course validate --report` lists "
            "the shares.",
        )
        for name, share in cues.shares().items()
        if share > MAX_SHARE
    ]
