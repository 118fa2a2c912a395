"""Reading answers written in plain words: a letter, letters, an order, pairs, or prose.

This module uses only the standard library: its source is also embedded in each
released notebook as the self-check, so a trainee needs nothing installed. Reading
never runs what a trainee wrote; it only looks at the words.

Each reader returns (value, None) for an answer it can read, or (None, message)
saying what it expected, in words a trainee understands.
"""

from __future__ import annotations

import re

STUB = "YOUR ANSWER HERE"
# Words people put around their letters: "I think b", "option c", "a and c", "both a & d".
FILLER = {
    "i", "think", "choose", "chose", "pick", "picked", "would", "the", "answer", "answers",
    "is", "are", "my", "option", "options", "letter", "letters", "and", "or", "both", "then",
    "first", "next", "last", "finally", "order", "it", "its", "go", "goes", "with", "to",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")


# What a released notebook put where an answer goes (this release and the first one).
PLACEHOLDERS = (STUB, "YOUR CODE HERE", "raise NotImplementedError()", "NotImplementedError")


def blank(text: str | None) -> bool:
    """Whether an answer is empty or holds only a placeholder ("YOUR ANSWER HERE",
    "# YOUR CODE HERE", `raise NotImplementedError()`), whatever surrounds it."""
    if not text:
        return True
    rest = text
    for stub in PLACEHOLDERS:
        rest = rest.replace(stub, " ")
    return not re.search(r"[A-Za-z0-9]", rest)


def _letters(text: str, allowed: list[str]) -> tuple[list[str] | None, str | None]:
    """The option letters in `text`, in the order written."""
    found, unknown = [], []
    for word in _WORD.findall(text):
        w = word.lower()
        if len(w) == 1 and w in allowed:
            found.append(w)
        elif w in FILLER and not (len(w) == 1 and w not in allowed and w != "i"):
            continue
        else:
            unknown.append(word)
    if unknown:
        shown = ", ".join(f'"{u}"' for u in unknown[:3])
        return None, f"I could not read {shown}: write only letters from {_span(allowed)}."
    return found, None


def _span(allowed: list[str]) -> str:
    return f"{allowed[0]} to {allowed[-1]}" if len(allowed) > 2 else " or ".join(allowed)


def read_letter(text: str, allowed: list[str]) -> tuple[str | None, str | None]:
    """One option letter: "b", "B", "b)", "(b)", "option b"."""
    if blank(text):
        return None, f"No answer yet: write one letter from {_span(allowed)}."
    found, problem = _letters(text, allowed)
    if problem:
        return None, problem
    distinct = list(dict.fromkeys(found))
    if len(distinct) != 1:
        if not distinct:
            return None, f"Write one letter from {_span(allowed)}."
        return None, f"Choose one letter only; you wrote {', '.join(distinct)}."
    return distinct[0], None


def read_letters(text: str, allowed: list[str]) -> tuple[list[str] | None, str | None]:
    """One or more option letters: "a, c", "a,c", "a and c", "a c e"."""
    if blank(text):
        return (
            None,
            f"No answer yet: write the letters you choose, such as {allowed[0]}, {allowed[-1]}.",
        )
    found, problem = _letters(text, allowed)
    if problem:
        return None, problem
    if not found:
        return None, f"Write the letters you choose from {_span(allowed)}, such as a, c."
    return sorted(set(found)), None


def read_order(text: str, allowed: list[str]) -> tuple[list[str] | None, str | None]:
    """Every letter once, first step first: "d b e a c f", "d, b, e", "d > b > e"."""
    if blank(text):
        return None, f"No answer yet: write every letter ({', '.join(allowed)}) in order."
    found, problem = _letters(text, allowed)
    if problem:
        return None, problem
    twice = sorted({x for x in found if found.count(x) > 1})
    missing = [x for x in allowed if x not in found]
    if twice or missing:
        parts = []
        if missing:
            parts.append(f"{', '.join(missing)} missing")
        if twice:
            parts.append(f"{', '.join(twice)} written more than once")
        return None, f"Write every letter once, in order ({'; '.join(parts)})."
    return found, None


_PAIR = re.compile(r"^\W*([A-Za-z])\W*?(?:[:=\-–—>)]|\s)\s*(.+?)\W*$", re.S)


def read_pairs(
    text: str, letters: list[str], categories: list[str]
) -> tuple[dict[str, str] | None, str | None]:
    """A category for each letter: "a: fight, b: flight", one per line, or "a fight; b flight"."""
    if blank(text):
        return (
            None,
            f"No answer yet: write each letter with its category, such as a: {categories[0]}.",
        )
    pairs: dict[str, str] = {}
    known = {c.lower(): c for c in categories}
    for part in re.split(r"[,;\n]+", text):
        if not part.strip():
            continue
        m = _PAIR.match(part.strip())
        letter = m.group(1).lower() if m else None
        if not m or letter not in letters:
            return None, (
                f'I could not read "{part.strip()[:40]}": write a letter, a colon and one of '
                f"the categories ({', '.join(categories)})."
            )
        said = re.sub(r"\s+", " ", m.group(2)).strip().lstrip(":=-–—>) ").lower().strip("\"'“”.")
        matches = [c for low, c in known.items() if said == low]
        matches = matches or [c for low, c in known.items() if said.startswith(low)]
        if len(matches) != 1:
            return None, (
                f'"{m.group(2).strip()[:40]}" for {letter} is not one of the categories: '
                f"{', '.join(categories)}."
            )
        if letter in pairs and pairs[letter] != matches[0]:
            return None, f"{letter} has two categories; give it one."
        pairs[letter] = matches[0]
    missing = [x for x in letters if x not in pairs]
    if missing:
        return None, f"Give a category for every letter ({', '.join(missing)} missing)."
    return pairs, None


def read_prose(text: str) -> tuple[str | None, str | None]:
    """Prose: anything but a blank."""
    if blank(text):
        return None, "No answer yet: write your answer in full sentences."
    return text.strip(), None


def old_style(text: str) -> str | None:
    """The plain words inside an old answer such as `tic_3 = ["a", "c"]`, read as data with
    `ast.literal_eval` (nothing runs); None when `text` is not one."""
    import ast

    if not re.match(r"^\s*[A-Za-z_]\w*\s*=", text or ""):
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign):
            try:
                value = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                value = None
    return value_words(value)


def value_words(value) -> str:
    """A Python value (a string, a list of letters, letter-to-category pairs) in plain words;
    anything else is no answer."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return ""
