"""YAML files loaded with the line of every key and item, for error messages.

Parsing uses libyaml through PyYAML's C loader (about 20 times faster than a
pure-Python parser on a scenario); lines come from the composed node tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CourseError, Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        loader = Loader(text)
        try:
            self._tree = loader.get_single_node()
            _check_duplicates(self.path, self._tree)
            self.data = loader.construct_document(self._tree) if self._tree else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            raise CourseError(
                Problem(
                    path,
                    line,
                    f"YAML syntax error: {problem}.",
                    "check indentation, colons and quotes on this line or the one above "
                    "(quote text that contains ': ' or starts with a special character).",
                )
            ) from None
        finally:
            loader.dispose()

    def line(self, path: tuple | list = ()) -> int:
        """1-based line of the key or item at `path` (the nearest known parent if absent)."""
        node, best = self._tree, 1
        for key in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if k.value == str(key)]
                if not match:
                    break
                best = match[0][0].start_mark.line + 1
                node = match[0][1]
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(key, int)
                and key < len(node.value)
            ):
                node = node.value[key]
                best = node.start_mark.line + 1
            else:
                break
        return best


def _check_duplicates(path: Path, node: Any) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                raise CourseError(
                    Problem(
                        path,
                        key.start_mark.line + 1,
                        f'duplicate key "{key.value}": an id or key appears twice.',
                        "give each node (and each key in a mapping) its own name; rename one.",
                    )
                )
            seen.add(key.value)
            _check_duplicates(path, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(path, item)


def load_data(path: Path) -> Any:
    """The plain data of a YAML file that is already known to be valid (libyaml's speed)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
