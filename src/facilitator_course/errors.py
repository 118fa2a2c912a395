"""Errors a user can cause: each names the file, the line and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One problem in one file, at one line (1-based; 0 when the whole file is at fault)."""

    file: Path | str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        text = f"{where}: {self.message}"
        return printable(f"{text} Fix: {self.fix}" if self.fix else text)


def printable(text: str) -> str:
    """`text` with control and other invisible characters (escape sequences, line
    breaks, right-to-left overrides) written as escapes such as \\x1b, so that a file
    name or value can neither drive the terminal nor split or disguise a line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


class CourseError(Exception):
    """One or more problems a user can fix; the CLI prints them and exits 2."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))
