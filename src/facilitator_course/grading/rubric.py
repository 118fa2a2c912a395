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
    r"refuse|refuses|refusing|avoid|avoids|avoiding|instead of|rather than|without)\b"
)
_FUNCTION_WORDS = (
    "a an the i you we they he she it them him her my your our their to of in on at for "
    "with and or but if so that this would will can could should is are was be been "
    "do does did have has had as by from about what how when who me us i'd i'll i'm "
    "we'd we'll you'd they'd it's that's there then also not all each every some any "
    "let after before until into onto than up out off over under once per while because "
    "since again"
)
FUNCTION_WORDS = set(_FUNCTION_WORDS.split())
CLAUSE_BREAK = re.compile(r"[,;:()]|\bbut\b")  # the part of a sentence an actor owns
# Where a negation's reach ends: punctuation, a new clause or a new first-person verb.
NEGATION_BREAK = re.compile(
    r"[;()]|:(?!\s*[\"“'‘])|,(?!\s*\w+(?:\s+\w+)?\s*(?:,|\bor\b|\band\b))(?!\s*[\"“'‘])|"
    r"\b(?:but|because|since|so|then|while|until|unless|though|although|whereas)\b|"
    r"(?=\b(?:i|we)(?:'d|'ll|\s+would|\s+will|\s+can|\s+could)\b)"
)
NEGATION_RAISED = re.compile(
    r"\b(?:don't|do not|didn't|did not)\s+(?:think|believe|reckon|feel)\s+(?:that\s+)?"
    r"((?:i|we)(?:'d|'ll|\s+would|\s+will|\s+should))\b"
)
COORDINATION = re.compile(r"\band\b")  # "never X or Y" negates Y; "can't X and Y" may not
NEGATION_REACH = 3  # words from a negation to an "and" it reaches across
MIN_WORDS = 6
NOTE_WORDS = 8  # up to here a line is read as a terse note; longer, it must read as prose
SHORT_WORDS = 2  # a terse note is read ("no method", "ask her privately"); one word is not
PROMPT_OVERLAP = 0.8
COPY_WORDS = 10  # a shorter sentence that reuses the prompt's words is an answer, not a copy


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
class RedFlag:
    id: str
    name: str
    principle: str
    sentence: str  # where it was found


RED_FLAG_CAP = 1.0  # the most an answer with a red flag can earn


@dataclass
class RubricScore:
    criteria: list[CriterionScore]
    red_flags: list[RedFlag] = field(default_factory=list)

    @property
    def uncapped(self) -> float:
        return sum(c.points for c in self.criteria)

    sentences: int = 0  # real sentences read
    lines: int = 0  # lines and sentences in the answer, however short

    @property
    def points(self) -> float:
        """The score: the criteria's points, capped at 1 when the answer has a red flag."""
        return min(self.uncapped, RED_FLAG_CAP) if self.red_flags else self.uncapped

    @property
    def doubts(self) -> list[str]:
        """Why a trainer should confirm this score."""
        doubts = [f"red flag: {f.name}" for f in self.red_flags]
        if self.sentences < 2:
            doubts.append("a short answer")
        if self.lines > self.sentences:
            doubts.append("some lines were too short to read as sentences")
        partial = [c.id for c in self.criteria if 0 < c.points < c.max_points]
        if partial:
            doubts.append(f"partly met: {', '.join(partial)}")
        met = [c.points >= c.max_points for c in self.criteria]
        if any(met) and not all(met) and self.uncapped <= self.max_points / 2:
            doubts.append("criteria disagree: some fully met, most not")
        return doubts

    @property
    def confidence(self) -> float:
        """From 0 to 1: how far the machine's score can be trusted without a trainer."""
        weights = {"red flag": 0.6, "a short answer": 0.35, "some lines": 0.2, "partly": 0.15}
        penalty = sum(
            next((w for k, w in weights.items() if d.startswith(k)), 0.15) for d in self.doubts
        )
        return round(max(0.0, 1.0 - penalty), 2)

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)


NOTE_LINE = 45  # a line shorter than this, then a capitalised line: two separate notes


def split_sentences(text: str) -> list[str]:
    """`text` in sentences and notes, lower-cased: split at end punctuation, blank lines,
    bullets, semicolons, and between short note lines ("Do not close the window" /
    "Offer everyone a pause"), never inside a wrapped sentence."""
    lines = text.split("\n")
    joined = lines[0] if lines else ""
    for before, line in zip(lines, lines[1:], strict=False):
        note = len(before.strip()) < NOTE_LINE and line.strip()[:1].isupper()
        joined += ("\n\n" if note else "\n") + line
    return SENTENCE_END.split(joined.lower())


def sentences(text: str, prompt: str = "") -> list[str]:
    """The real sentences of `text`: long enough, not keyword lists, not the prompt, unique."""
    prompt_words = set(WORD.findall(prompt.lower()))
    seen, kept = set(), []
    for raw in split_sentences(text):
        words = WORD.findall(raw)
        if len(words) < SHORT_WORDS:
            continue
        functional = sum(w in FUNCTION_WORDS for w in words)
        if len(words) < MIN_WORDS and not (functional or _verb_first(words, raw)):
            continue  # a short line counts when it says what to do ("check ride home")
        fragments = [WORD.findall(f) for f in raw.split(",")]
        bullet = raw.lstrip()[:1] in ("-", "*", "•")
        phrases = bullet and len(fragments) > 1 and all(len(f) >= 2 for f in fragments)
        if MIN_WORDS <= len(words) < NOTE_WORDS and not (functional or phrases):
            continue  # a longer note needs a word that joins it up ("check in w Dev 1:1")
        if len(words) >= NOTE_WORDS and functional < max(2, len(words) // 6) and not phrases:
            continue  # a list of keywords, not a sentence (a bullet of short phrases is a note)
        short = 1 if bullet else 2  # a bullet note of two-word phrases is a note
        if (
            len(fragments) >= 3
            and sum(len(f) <= short for f in fragments) * 2 >= len(fragments)
            and not any(_a_clause(f) for f in fragments)
        ):
            continue  # keywords strung together with commas, with no clause around them
        if (
            prompt_words
            and len(words) >= COPY_WORDS
            and sum(w in prompt_words for w in words) / len(words) >= PROMPT_OVERLAP
        ):
            continue  # copies the prompt
        key = " ".join(words)
        if key not in seen:
            seen.add(key)
            kept.append(" ".join(raw.split()))
    return kept


def _a_clause(words: list[str]) -> bool:
    """Six words or more with at least two function words, not a prepositional phrase:
    a clause ("i'd say grief looks different for everyone"), not a keyword list's tail
    ("with no guarantee for the group")."""
    return (
        len(words) >= 6
        and words[0] not in PREPOSITIONS
        and sum(w in FUNCTION_WORDS for w in words) >= 2
    )


PREPOSITIONS = {"with", "for", "to", "of", "in", "on", "at", "by", "from", "about", "without"}


def _verb_first(words: list[str], raw: str) -> bool:
    """A terse note in the imperative or first person: "ask her privately", "I'd call"."""
    first = words[0]
    if first in ("i", "i'd", "i'll", "we", "we'd", "we'll", "thanks") or first.endswith("ss"):
        return True  # "thanks, glad the group helps", "discuss it with my co-facilitator"
    return not first.endswith(("s", "ness", "tion", "ity"))


@cache
def _compiled(phrases: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern:
    parts = [r"\b" + re.escape(p.lower()).replace(r"\ ", r"\s+") + r"\b" for p in phrases]
    parts += [f"(?:{p})" for p in patterns]
    return re.compile("|".join(parts), re.I)


PROFILE_NUMBERS = {
    "{crisis_numbers}": "crisis",
    "{emergency_numbers}": "emergency",
}


def profile_numbers(kind: str) -> tuple[str, ...]:
    """The organization's crisis-line or emergency numbers, as a trainee may write them."""
    from ..profile import load_profile

    found = set()
    for region in load_profile().data["crisis_resources"]:
        if kind == "emergency":
            values = [region["emergency_number"]]
        else:
            values = [v for s in region["services"] for v in (s.get("phone"), s.get("text")) if v]
        for value in values:
            for number in re.findall(r"\d[\d\s-]*\d|\d", value):
                found.add(number.strip())
    return tuple(sorted(found))


def _phrases(concept: dict) -> tuple[str, ...]:
    """A concept's phrases, with {crisis_numbers} and {emergency_numbers} from the profile:
    "text 1737" earns the help-line point on a New Zealand organization's site."""
    out: list[str] = []
    for phrase in concept.get("phrases", []):
        kind = PROFILE_NUMBERS.get(phrase)
        out.extend(profile_numbers(kind) if kind else [phrase])
    return tuple(out)


# Sentences about someone else's doings earn nothing: evidence is what the facilitator
# does or says ("I would ...", "we ...", "ask her ...", a quoted script).
_NOT_AN_ACTION = {
    "everyone", "everybody", "anyone", "anybody", "they", "the", "a", "an", "it", "its",
    "people", "members", "this", "that", "there", "he", "she", "his", "her", "their",
    "some", "most", "many", "nobody", "someone", "somebody", "life", "things",
}  # fmt: skip
_GROUP = {"everyone", "everybody", "anyone", "anybody", "people", "members", "nobody"}
_PERMISSION = {"can", "may", "could", "don't", "doesn't", "needn't", "never", "will", "are", "is"}
_OFFERED_TO = {"he", "she", "they", "you"}
_ROLES = {
    "host", "co-facilitator", "cofacilitator", "co", "facilitator", "facilitators", "other",
    "organiser", "organizer", "coordinator", "agreement", "agreements", "rule", "rules",
    "only", "exceptions", "exception", "limits", "limit", "group's",
}  # fmt: skip
_MODAL = {"would", "will", "can", "could", "may", "must", "should", "needs", "need", "has", "have"}
_OPTION = {"can", "could", "may", "might"}
_FIRST_PERSON = {"i", "i'd", "i'll", "i'm", "i've", "me", "my", "we", "we'd", "we'll", "our", "us"}


def about_the_facilitator(sentence: str) -> bool:
    """Whether a sentence says what the facilitator does or says."""
    words = WORD.findall(sentence)
    if not words:
        return False
    if _FIRST_PERSON & set(words) or '"' in sentence or "“" in sentence:
        return True
    if words[0] in _GROUP and len(words) > 1 and words[1] in _PERMISSION:
        return True  # a rule the facilitator sets: "people can pass", "everyone may stay"
    if words[0] in _OFFERED_TO and len(words) > 1 and words[1] in _OPTION:
        return True  # an option the facilitator offers: "he could call Samaritans"
    if words[0] == "the" and len(words) > 1 and words[1] in _ROLES:
        return True  # the co-facilitator's part of the plan, or a rule: "the host would ask"
    if words[0] in _GROUP and _MODAL & set(words[1:5]):
        return True  # a rule the facilitator states: "everyone needs to know that ..."
    return words[0] not in _NOT_AN_ACTION


def negated(before: str) -> bool:
    """Whether the text before a match negates it: a negation in the same clause ("I
    would never argue or shame her"), reaching across "and"/"or" only from close by
    ("not argue and shame", but not "can't give my number out and give him ..."), and
    always across "or" ("never put my arm across the door or get between her and the exit")."""
    before = NEGATION_RAISED.sub(r"\1 not ", before)  # "i don't think i'd" = "i'd not"
    clause = NEGATION_BREAK.split(before)[-1]
    found = list(NEGATION.finditer(clause))
    if not found:
        return False
    last = found[-1]
    after = clause[last.end() :]
    joint = COORDINATION.search(after)
    if joint is not None and last.group(0) == "no":
        return False  # "no pressure and passing is fine": "no" belongs to its noun
    return joint is None or len(WORD.findall(after[: joint.start()])) <= NEGATION_REACH


def _found(concept: dict, text_sentences: list[str], actor: bool = False) -> str | None:
    """The sentence where `concept` is affirmed, or None. With `actor`, only in a clause
    about what the facilitator does or says."""
    regex = _compiled(_phrases(concept), tuple(concept.get("patterns", [])))
    for sentence in text_sentences:
        if REFUSED_AFTER.search(sentence):
            continue  # "calling it racist would only shame her, so I wouldn't"
        speaker = WORD.findall(sentence)[:1] in (["i"], ["i'd"], ["i'll"], ["we"], ["we'd"])
        for match in regex.finditer(sentence):
            if negated(sentence[: match.start()]):
                continue
            clause = CLAUSE_BREAK.split(sentence[: match.start()])[-1]
            whole = clause + CLAUSE_BREAK.split(sentence[match.start() :])[0]
            if actor and not (speaker or about_the_facilitator(whole)):
                continue  # a sentence the facilitator starts ("I'd tell Janet ...") is theirs
            return sentence
    return None


# A sentence that describes a move and then refuses it: "..., so I wouldn't",
# "..., which I would never do", "..., and I won't do that".
REFUSED_AFTER = re.compile(
    r"(?:,|\bso|\band|\bwhich|\bbut)\s+(?:i|we)\s+(?:wouldn't|would\s+not|won't|will\s+not|"
    r"would\s+never|will\s+never|never\s+would|don't|do\s+not|shouldn't|should\s+not)"
    r"(?:\s+(?:do|say|do\s+that|say\s+that|do\s+it|say\s+it|do\s+this))?\s*[.!]?\s*$"
)


def all_sentences(text: str) -> list[str]:
    """Every sentence and line of `text`, however short: red flags are looked for in all."""
    return [" ".join(s.split()) for s in split_sentences(text) if s.strip()]


def red_flags(rubric: dict, text: str) -> list[RedFlag]:
    """The unsafe moves of the rubric's `red_flags` that `text` affirms (not negated)."""
    found = []
    lines = all_sentences(text if isinstance(text, str) else "")
    for flag in rubric.get("red_flags", []):
        sentence = _found(flag, lines)
        if sentence:
            found.append(RedFlag(flag["id"], flag["name"], flag["principle"], sentence))
    return found


def score_text(rubric: dict, text: str, prompt: str = "") -> RubricScore:
    """Per-criterion points for `text` under `rubric`, and its red flags (which cap the
    score at 1 and send the answer to a trainer)."""
    # criteria are met only by what the facilitator does or says; red flags, anywhere
    text = text if isinstance(text, str) else ""
    flags = red_flags(rubric, text)  # they cap the total; the criteria are read as usual
    text_sentences = [s for s in sentences(text, prompt) if about_the_facilitator(s)]
    results = []
    for criterion in rubric["criteria"]:
        earned, found, missing, evidence = 0.0, [], [], ""
        for concept in criterion["concepts"]:
            sentence = _found(concept, text_sentences, actor=True)
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
    return RubricScore(results, flags, len(text_sentences), len(all_sentences(text)))
