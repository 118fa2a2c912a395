"""The Python engine: walks a compiled graph exactly as the JavaScript player does."""

from __future__ import annotations

import copy

from .conditions import all_hold, route

MASK = 0xFFFFFFFF


def _hash(text: str) -> int:
    """FNV-1a, 32 bits, over the UTF-16 code units of `text` (as JavaScript sees a string)."""
    h = 0x811C9DC5
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & MASK
    return h


def _mulberry32(state: int):
    def next_float() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & MASK)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return next_float


def shuffled(items: list, seed: int, node_id: str) -> list:
    """`items` in the order shown at `node_id` in the play with `seed` (the JavaScript
    player's `shuffled` gives the same order)."""
    rand = _mulberry32(_hash(f"{seed}:{node_id}"))
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(rand() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


class Engine:
    """One play-through: current node, flags, scores, the choices made, and undo; the
    options of each decision in an order shuffled by `seed`, and the first choice made at
    each decision (undo and restart never change it)."""

    def __init__(self, graph: dict, seed: int = 0):
        self.graph = graph
        self.seed = seed
        self.first: dict[str, int] = {}
        self.restart()

    def shown_options(self) -> list[int]:
        """The visible options of the current decision, in the order the player shows them."""
        return shuffled(self.visible_options(), self.seed, self.node_id)

    @property
    def first_scores(self) -> dict[str, int]:
        """Scores from the first choice made at each decision."""
        total: dict[str, int] = {}
        for nid, index in self.first.items():
            for cid, value in self.graph["nodes"][nid]["options"][index]["scores"].items():
                total[cid] = total.get(cid, 0) + value
        return total

    def restart(self) -> None:
        self.node_id = self.graph["start"]
        self.flags: set[str] = set()
        self.scores: dict[str, int] = {}
        self.path: list[dict] = []  # {node, option, feedback, scores}
        self._undo: list[tuple] = []

    @property
    def node(self) -> dict:
        return self.graph["nodes"][self.node_id]

    @property
    def finished(self) -> bool:
        return self.node["type"] == "ending"

    def visible_options(self) -> list[int]:
        """Indexes of the options shown at the current decision."""
        if self.node["type"] != "decision":
            return []
        return [
            i
            for i, o in enumerate(self.node["options"])
            if all_hold(o["when"], self.flags, self.scores)
        ]

    def advance(self) -> str:
        """Leave a narrative node along the first route that applies."""
        if self.node["type"] != "narrative":
            raise ValueError(f"{self.node_id} is a {self.node['type']}, not a narrative")
        self.node_id = route(self.node["next"], self.flags, self.scores)
        return self.node_id

    def choose(self, index: int) -> dict:
        """Take option `index` (its position in the node's full list); returns its feedback."""
        if index not in self.visible_options():
            raise ValueError(f"option {index} is not available at {self.node_id}")
        self.first.setdefault(self.node_id, index)
        self._undo.append((self.node_id, set(self.flags), dict(self.scores), len(self.path)))
        option = self.node["options"][index]
        for cid, value in option["scores"].items():
            self.scores[cid] = self.scores.get(cid, 0) + value
        self.flags.update(option["sets"])
        self.path.append(
            {
                "node": self.node_id,
                "option": index,
                "feedback": copy.deepcopy(option["feedback"]),
                "scores": dict(option["scores"]),
            }
        )
        self.node_id = option["next"]
        return option["feedback"]

    def back(self) -> bool:
        """Return to the previous decision, undoing its choice."""
        if not self._undo:
            return False
        self.node_id, self.flags, self.scores, keep = self._undo.pop()
        del self.path[keep:]
        return True

    def play(self, choices: list[int]) -> Engine:
        """Follow `choices` (one option index per decision), advancing through narrative."""
        choices = list(choices)
        while not self.finished:
            if self.node["type"] == "narrative":
                self.advance()
            elif not choices:
                break
            else:
                self.choose(choices.pop(0))
        return self
