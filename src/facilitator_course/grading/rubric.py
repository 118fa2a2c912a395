"""Score free text against a rubric: concepts found in real, non-negated sentences.

Guards against gaming: a concept counts once however often it is repeated; it
counts only inside a real sentence (six words or more, with ordinary function
words, so a list of keywords earns nothing); not when negated nearby ("I would
not ask ..."); and not in a sentence that mostly copies the prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

WORD = re.compile(r"[a-z0-9']+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*(?=[-*•]|\d+[.)])|;\s+")
NEGATION = re.compile(
    r"\b(not|never|no|don't|dont|doesn't|won't|wouldn't|shouldn't|can't|cannot|isn't|"
    r"aren't|didn't|hasn't|haven't|hadn't|wasn't|weren't|mustn't|needn't|nor|neither|"
    r"refuse|instead of)\b"
)
_FUNCTION_WORDS = (
    "a an the i you we they he she it them him her my your our their to of in on at for "
    "with and or but if so that this would will can could should is are was be been "
    "do does did have has had as by from about what how when who me us i'd i'll i'm "
    "we'd we'll you'd they'd it's that's there then also not all each every some any "
    "let"
)
FUNCTION_WORDS = set(_FUNCTION_WORDS.split())
CLAUSE_BREAK = re.compile(r"[,;:()]|\bbut\b")
MIN_WORDS = 6
NEGATION_WINDOW = 5  # words before a match that can negate it
PROMPT_OVERLAP = 0.8


@dataclass
class CriterionScore:
    id: str
    description: str
    points: float
    max_points: int
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    evidence: str = ""


@dataclass
class RubricScore:
    criteria: list[CriterionScore]

    @property
    def points(self) -> float:
        return sum(c.points for c in self.criteria)

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)


def sentences(text: str, prompt: str = "") -> list[str]:
    """The real sentences of `text`: long enough, not keyword lists, not the prompt, unique."""
    prompt_words = set(WORD.findall(prompt.lower()))
    seen, kept = set(), []
    for raw in SENTENCE_END.split(text.lower()):
        words = WORD.findall(raw)
        if len(words) < MIN_WORDS:
            continue
        if sum(w in FUNCTION_WORDS for w in words) < max(2, len(words) // 6):
            continue  # a list of keywords, not a sentence
        fragments = [WORD.findall(f) for f in raw.split(",")]
        if len(fragments) >= 3 and sum(len(f) <= 2 for f in fragments) * 2 >= len(fragments):
            continue  # keywords strung together with commas
        if prompt_words and sum(w in prompt_words for w in words) / len(words) >= PROMPT_OVERLAP:
            continue  # copies the prompt
        key = " ".join(words)
        if key not in seen:
            seen.add(key)
            kept.append(" ".join(raw.split()))
    return kept


@cache
def _compiled(phrases: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern:
    parts = [r"\b" + re.escape(p.lower()).replace(r"\ ", r"\s+") + r"\b" for p in phrases]
    parts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.I)


def _found(concept: dict, text_sentences: list[str]) -> str | None:
    """The sentence where `concept` is affirmed, or None."""
    regex = _compiled(tuple(concept.get("phrases", [])), tuple(concept.get("patterns", [])))
    for sentence in text_sentences:
        for match in regex.finditer(sentence):
            clause = CLAUSE_BREAK.split(sentence[: match.start()])[-1]
            before = WORD.findall(clause)[-NEGATION_WINDOW:]
            if not NEGATION.search(" ".join(before)):
                return sentence
    return None


def score_text(rubric: dict, text: str, prompt: str = "") -> RubricScore:
    """Per-criterion points for `text` under `rubric`."""
    text_sentences = sentences(text if isinstance(text, str) else "", prompt)
    results = []
    for criterion in rubric["criteria"]:
        earned, found, missing, evidence = 0.0, [], [], ""
        for concept in criterion["concepts"]:
            sentence = _found(concept, text_sentences)
            if sentence:
                earned += concept.get("weight", 1)
                found.append(concept["name"])
                evidence = evidence or sentence
            else:
                missing.append(concept["name"])
        results.append(
            CriterionScore(
                criterion["id"],
                criterion["description"],
                float(min(earned, criterion["points"])),
                criterion["points"],
                found,
                missing,
                evidence,
            )
        )
    return RubricScore(results)
