"""The Python engine: walks a compiled graph exactly as the JavaScript player does."""

from __future__ import annotations

import copy

from .conditions import all_hold, route


class Engine:
    """One play-through: current node, flags, scores, the choices made, and undo."""

    def __init__(self, graph: dict):
        self.graph = graph
        self.restart()

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
