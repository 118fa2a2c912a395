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


MAX_BYTES = 2 * 1024 * 1024  # a scenario or profile is tens of kilobytes
MAX_NODES = 200_000  # keys, values and list items in one file
MAX_DIGITS = 30  # a number in a course file is small
MAX_DEPTH = 50  # lists and mappings inside each other (course files nest 8 deep)


def _problem(path: Path, line: int, message: str, fix: str) -> CourseError:
    return CourseError(Problem(path, line, message, fix))


def _decoded(path: Path, raw: bytes) -> str:
    """The text of a file that must be UTF-8, or a problem saying what it is instead."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 1:
        kind = "UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary or UTF-16"
        raise _problem(
            path,
            1,
            f"the file is {kind}, not UTF-8 text.",
            "save it as UTF-8 (in most editors: Save as, Encoding: UTF-8).",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _problem(
            path,
            line,
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the file may be Latin-1 or Windows-1252).",
            "save the file as UTF-8 (in most editors: Save as, Encoding: UTF-8).",
        ) from None


def _explained(problem: str) -> tuple[str, str]:
    """The message and fix for a problem libyaml or PyYAML reports."""
    if "nesting depth" in problem:
        return (
            f"lists or mappings nest more than {MAX_DEPTH} deep; course files nest a few levels.",
            "flatten the structure, or check for unclosed [ or { brackets.",
        )
    if "constructor for the tag" in problem:
        return (
            f"a YAML tag (!name) is not allowed in course files: {problem}.",
            "remove the tag (the word starting with !), or quote the value if it is text.",
        )
    return (
        f"YAML syntax error: {problem}.",
        "check indentation, colons and quotes on this line or the one above "
        "(quote text that contains ': ' or starts with a special character).",
    )


class YamlSource:
    """A parsed YAML file: plain data plus the line where each path starts. Files that are
    not UTF-8, too large, use aliases (`*name`, which can multiply a file a billionfold),
    or hold keys that are not text are refused with file, line and fix."""

    def __init__(self, path: Path, text: str | None = None):
        self.path = Path(path)
        if text is None:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raise _problem(
                    path, 0, "file not found.", "create it, or pass the right path."
                ) from None
            except IsADirectoryError:
                raise _problem(
                    path, 0, "a folder, not a file.", "pass the YAML file itself."
                ) from None
            if len(raw) > MAX_BYTES:
                raise _problem(
                    path,
                    0,
                    f"the file is {len(raw) / 1024 / 1024:.1f} MB; a course file is at most "
                    f"{MAX_BYTES // 1024 // 1024} MB.",
                    "split it, or check that this is the right file.",
                )
            text = _decoded(self.path, raw)
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            raise _problem(
                path, line, "the file holds a NUL character.", "delete it; save as UTF-8 text."
            )
        loader = Loader(text)
        try:
            self._tree = loader.get_single_node()
            _check_tree(self.path, self._tree)
            self.data = loader.construct_document(self._tree) if self._tree else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            raise _problem(path, line, *_explained(problem)) from None
        except yaml.YAMLError as exc:  # a character YAML does not allow, and the like
            where = getattr(exc, "position", None)
            line = text[:where].count("\n") + 1 if isinstance(where, int) else 0
            raise _problem(
                path,
                line,
                f"the file cannot be read as YAML: {' '.join(str(exc).split())[:200]}.",
                "remove control characters and save the file as UTF-8 text.",
            ) from None
        except RecursionError:
            raise _problem(
                path, 0, "the file nests too deeply to read.", "flatten the structure."
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


def _check_tree(path: Path, root: Any) -> None:
    """Walk the node tree once, without recursion: refuse aliases, keys that are not
    text, duplicate keys, numbers too long to be real, and trees too large or too deep
    to be a course file."""
    stack = [(root, 1)] if root is not None else []
    seen: set[int] = set()
    count = 0
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:  # the same node twice: an alias (*name)
            raise _problem(
                path,
                node.start_mark.line + 1,
                "an alias (*name) repeats an anchored value (&name); aliases are not allowed "
                "in course files.",
                "write the value out where it is used.",
            )
        seen.add(id(node))
        count += 1
        if count > MAX_NODES:
            raise _problem(
                path,
                node.start_mark.line + 1,
                f"the file has more than {MAX_NODES} values; a course file has far fewer.",
                "split it, or check that this is the right file.",
            )
        if depth > MAX_DEPTH:
            raise _problem(path, node.start_mark.line + 1, *_explained("nesting depth"))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    raise _problem(
                        path,
                        key.start_mark.line + 1,
                        "a key is a list or a mapping; keys must be plain text.",
                        "write the key as text followed by a colon.",
                    )
                if key.value in keys:
                    raise _problem(
                        path,
                        key.start_mark.line + 1,
                        f'duplicate key "{key.value}": an id or key appears twice.',
                        "give each node (and each key in a mapping) its own name; rename one.",
                    )
                keys.add(key.value)
                stack += [(value, depth + 1), (key, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]
        elif node.tag.endswith((":int", ":float")) and len(node.value) > MAX_DIGITS:
            raise _problem(
                path,
                node.start_mark.line + 1,
                f"a number with {len(node.value)} digits; numbers in course files are small.",
                "correct the number, or quote it if it is meant as text.",
            )


def load_data(path: Path) -> Any:
    """The plain data of a YAML file that is already known to be valid (libyaml's speed)."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
