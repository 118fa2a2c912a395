"""YAML files loaded with the line of every key and item, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .errors import CourseError, Problem


class YamlSource:
    """A parsed YAML file: plain data plus the line where each path starts."""

    def __init__(self, path: Path, text: str | None = None):
        self.path = Path(path)
        try:
            text = self.path.read_text(encoding="utf-8") if text is None else text
        except FileNotFoundError:
            raise CourseError(
                Problem(path, 0, "file not found.", "create it, or pass the right path.")
            ) from None
        yaml = YAML(typ="rt", pure=True)
        try:
            self._tree = yaml.load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            if "duplicate key" in problem:
                raise CourseError(
                    Problem(
                        path,
                        line,
                        f"{problem.replace('found ', '')}: an id or key appears twice.",
                        "give each node (and each key in a mapping) its own name; rename one.",
                    )
                ) from None
            raise CourseError(
                Problem(
                    path,
                    line,
                    f"YAML syntax error: {problem}.",
                    "check indentation, colons and quotes on this line or the one above "
                    "(quote text that contains ': ' or starts with a special character).",
                )
            ) from None
        self.data = _plain(self._tree)

    def line(self, path: tuple | list = ()) -> int:
        """1-based line of the key or item at `path` (the nearest known parent if absent)."""
        node, best = self._tree, 1
        for key in path:
            if isinstance(node, CommentedMap) and key in node:
                best = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                best = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        return best


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
