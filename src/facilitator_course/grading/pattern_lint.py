"""Lint a rubric's regular expressions before any trainee's answer meets them.

A pattern that does not compile makes every reflection check fail; one that can match
empty text gives every sentence the point; a repeat inside an unbounded repeat (such as
`(a+)+`) can take seconds or hours on one sentence. Each is refused with a fix.
"""

from __future__ import annotations

import re
import string

try:  # Python 3.11 moved the parser; it is the one `re` itself uses
    import re._compiler as sre_compile
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_compile  # type: ignore[no-redef]
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
    if _overlapping_choice(parsed):
        problems.append(
            (
                f"the pattern {pattern!r} repeats a choice whose alternatives can start with "
                "the same character (like `(a|aa)+`): on some sentences it would take "
                "minutes to run.",
                "give the repeat a limit such as {0,6}, or make the alternatives start "
                "differently (`a{1,2}` for `a|aa`).",
            )
        )
    elif _nested_repeat(parsed):
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


ALPHABET = string.ascii_lowercase + string.digits + string.punctuation + " "


def _overlapping_choice(parsed) -> bool:
    """Whether an unbounded repeat can split one text into its iterations in many ways:
    its alternatives overlap (`(a|aa)+`, `(?:\\w+|\\d)*`) or its body ends with an optional
    part that can start like the body (`(?:ab|a)+` is `(?:a(?:b|))+`). Distinct words
    (`(?:personal|private)\\s+` ) and different starts (`(?:off|on)+`) are fine."""
    for op, av in parsed:
        unbounded = op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] is sre.MAXREPEAT
        if unbounded and _ambiguous_body(av[2]):
            return True
        if any(_overlapping_choice(child) for child in _children(op, av)):
            return True
    return False


def _ambiguous_body(body) -> bool:
    for branch, rest in _choices(body):
        chars, nullable = _first(rest)
        follow = chars | (_first_chars(body) if nullable else set())
        for i, a in enumerate(branch):
            for b in branch[i + 1 :]:
                if _alternatives_overlap(a, b, follow):
                    return True
    tail = _last(body)
    if tail is not None and tail[0] is sre.BRANCH and any(not alt for alt in tail[1][1]):
        return bool(_first_chars(sre_parse.SubPattern(body.state, [tail])) & _first_chars(body))
    if tail is not None and tail[0] in (sre.MAX_REPEAT, sre.MIN_REPEAT) and tail[1][0] == 0:
        return bool(_first_chars(tail[1][2]) & _first_chars(body))
    return False


def _choices(parsed, after=()):
    """Each choice in a body's sequence (through groups) with what follows it in the body."""
    items = list(parsed)
    for n, (op, av) in enumerate(items):
        rest = [*items[n + 1 :], *after]
        if op is sre.BRANCH:
            yield av[1], sre_parse.SubPattern(parsed.state, rest)
        elif op is sre.SUBPATTERN:
            yield from _choices(av[-1], rest)


def _first(parsed) -> tuple[set[str], bool]:
    """The characters a match can start with, and whether it can match empty text."""
    chars: set[str] = set()
    for op, av in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            inner, empty = _first(av[2])
            chars |= inner
            if av[0] and not empty:
                return chars, False
        elif op is sre.SUBPATTERN:
            inner, empty = _first(av[-1])
            chars |= inner
            if not empty:
                return chars, False
        elif op is sre.BRANCH:
            results = [_first(b) for b in av[1]]
            chars |= set().union(*(r[0] for r in results))
            if not any(r[1] for r in results):
                return chars, False
        elif op in _FIXED:
            return chars | _one_char(parsed, (op, av)), False
    return chars, True


def _alternatives_overlap(a, b, follow: set[str]) -> bool:
    """Whether two alternatives can match one text, or one the beginning of the other's
    when what follows the choice can go on like the longer one (`a|an` before `\\s+` is
    fine; `a|aa` repeated is not)."""
    words = [_literal(x) for x in (a, b)]
    if None not in words:
        short, long = sorted(words, key=len)
        return long == short or (long.startswith(short) and long[len(short)] in follow)
    if not _first_chars(a) & _first_chars(b):
        return False
    single = all(len(x) == 1 and x[0][0] in _FIXED for x in (a, b))  # `[a-z]|x`
    return single or _starts_with_repeat(a) or _starts_with_repeat(b)


def _literal(parsed) -> str | None:
    """The text of a run of plain characters, lower case; None if it is more than that."""
    if all(op is sre.LITERAL for op, _ in parsed):
        return "".join(chr(code) for _, code in parsed).lower()
    return None


def _last(parsed):
    """The last element of a body, through groups."""
    items = list(parsed)
    if not items:
        return None
    op, av = items[-1]
    if op is sre.SUBPATTERN:
        return _last(av[-1])
    return items[-1]


def _branches(parsed) -> list:
    """The choices that start a repeat's body, through groups."""
    for op, av in parsed:
        if op is sre.BRANCH:
            return [av[1]]
        if op is sre.SUBPATTERN:
            return _branches(av[-1])
        if op not in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return []
    return []


def _first_chars(parsed) -> set[str]:
    """The characters (of a plain alphabet, case ignored) a match of `parsed` can start with."""
    return _first(parsed)[0]


def _one_char(parsed, element) -> set[str]:
    """The characters one fixed element (a literal, a set, a class) matches."""
    compiled = sre_compile.compile(sre_parse.SubPattern(parsed.state, [element]), re.I)
    return {c for c in ALPHABET if compiled.fullmatch(c)}
