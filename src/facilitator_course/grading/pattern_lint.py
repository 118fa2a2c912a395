"""Lint a rubric's regular expressions before any trainee's answer meets them.

A pattern that does not compile makes every reflection check fail; one that can match
empty text gives every sentence the point; a repeat inside an unbounded repeat (such as
`(a+)+`) can take seconds or hours on one sentence. Each is refused with a fix.
"""

from __future__ import annotations

import re

try:  # Python 3.11 moved the parser; it is the one `re` itself uses
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

PROBES = ("", "a", "I would ask her quietly how she is getting home.")
MAX_LENGTH = 2000  # characters in one pattern


def pattern_problems(pattern: str) -> list[tuple[str, str]]:
    """(message, fix) for each problem of one rubric pattern, as the scorer uses it."""
    if not isinstance(pattern, str) or not pattern.strip():
        return [("an empty pattern matches everything.", "remove it or write what to match.")]
    if len(pattern) > MAX_LENGTH:
        return [
            (
                f"the pattern is {len(pattern)} characters long (at most {MAX_LENGTH}).",
                "split it into several shorter patterns.",
            )
        ]
    try:
        parsed = sre_parse.parse(pattern, re.I)
        re.compile(pattern, re.I)
    except (re.error, RecursionError, OverflowError) as exc:
        where = f" at character {exc.pos + 1}" if getattr(exc, "pos", None) is not None else ""
        msg = getattr(exc, "msg", str(exc))
        return [(f"the pattern {pattern!r} does not compile: {msg}{where}.", "correct it.")]
    try:
        compiled = re.compile(f"(?:{pattern})", re.I)  # as the scorer joins patterns
    except re.error:
        return [
            (
                f"the pattern {pattern!r} sets a flag such as (?i) for the whole expression, "
                "which breaks when the scorer joins it with the other patterns.",
                "remove the flag: matching already ignores case.",
            )
        ]
    problems = []
    if _nested_repeat(parsed):
        problems.append(
            (
                f"the pattern {pattern!r} repeats a repeat without limit (like `(a+)+`): "
                "on some sentences it would take minutes to run.",
                "give the outer repeat a limit such as {0,6}, or remove the inner + or *.",
            )
        )
    elif any(m.end() == m.start() for probe in PROBES for m in compiled.finditer(probe)):
        problems.append(
            (
                f"the pattern {pattern!r} can match empty text, so every sentence would earn it.",
                "make at least one part required: use + instead of *, or drop a trailing ?.",
            )
        )
    return problems


def _nested_repeat(parsed) -> bool:
    """Whether an unbounded repeat holds, before anything it must match first, another
    repeat of variable length: `(a+)+`, `(\\s*\\w+)*`. A body that starts with a required
    literal (`(?:off\\s+|away\\s+)*`) cannot match one text in many ways, so is fine."""
    for op, av in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = av
            if high is sre.MAXREPEAT and _starts_with_repeat(body):
                return True
        if any(_nested_repeat(child) for child in _children(op, av)):
            return True
    return False


def _children(op, av) -> list:
    """The sub-expressions of one parsed element."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return [av[2]]
    if op is sre.SUBPATTERN:
        return [av[-1]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op is sre.GROUPREF_EXISTS:
        return [b for b in av[1:] if b is not None]
    return []


_FIXED = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY}


def _starts_with_repeat(parsed) -> bool:
    """Whether a variable-length repeat can come before the first required character."""
    for op, av in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, body = av
            if high != low:
                return True
            if low and _starts_with_repeat(body):
                return True
            if low:
                return False
        elif op is sre.SUBPATTERN:
            return _starts_with_repeat(av[-1])
        elif op is sre.BRANCH:
            return any(_starts_with_repeat(b) for b in av[1])
        elif op in _FIXED:
            return False
        # anchors, look-arounds and group references match no text: look further
    return False
