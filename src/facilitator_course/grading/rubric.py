"""Score free text against a rubric: concepts found in real, non-negated sentences.

Guards against gaming: a concept counts once however often it is repeated; it
counts only inside a real sentence (six words or more, with ordinary function
words, so a list of keywords earns nothing); not when negated in its clause ("I would
not ask ...", "nobody should ..."); and not in a sentence that mostly copies the prompt.

How a sentence is read (tests/test_scorer_reading.py): a question that proposes a move
proposes it ("why not give him my number?"); a contrast ends a negation ("not to lecture
but to ask", "don't argue - take her aside"); "no one" and "nobody" negate their own
clause only; the group acting under the facilitator's lead ("members make the rules
together") is the facilitator's move; contractions count however they are typed; a note
under a short label ("grounding: feet on floor, look around") is read, keywords under one
are not; a quoted script, a plan in the passive ("the session would be opened with ...")
and the items of an instruction's list ("explain that ..., a child is at risk, ...") are
the facilitator's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

WORD = re.compile(r"[a-z0-9']+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*(?=[-*•]|\d+[.)])|;\s+")
NEGATION = re.compile(
    r"\b(no\s+one|no-one|nobody|nothing|none|not|never|no|"
    r"(?:do|does|wo|would|should|ca|could|is|are|did|has|have|had|was|were|must|need)n'?t|"
    r"cannot|nor|neither|refuse|refuses|refusing|avoid|avoids|avoiding|instead\s+of|"
    r"rather\s+than|without)\b"
)
# A quantifier is the subject (or object) of its own clause: "no one should be left alone
# with it" refuses "left alone", but in "once no one else is around I ask him" its clause
# ends before "I ask".
QUANTIFIERS = ("no one", "no-one", "nobody", "nothing", "none")
QUANTIFIER_END = re.compile(
    r"\b(?:before|after|when|whenever|once|if|as\s+soon\s+as|where|wherever|till)\b"
)
# ... unless the "I" is inside the quantifier's own clause: "nothing I say", "nobody else
# I know", "nobody should tell her I ..."
_NOT_A_NEW_CLAUSE = {"that", "say", "says", "tell", "tells", "think", "thinks", "know", "knows"}
_FIRST_PERSON_SUBJECT = {"i", "i'd", "i'll", "i'm", "we", "we'd", "we'll"}
_FUNCTION_WORDS = (
    "a an the i you we they he she it them him her my your our their to of in on at for "
    "with and or but if so that this would will can could should is are was be been "
    "do does did have has had as by from about what how when who me us i'd i'll i'm "
    "we'd we'll you'd they'd it's that's there then also not all each every some any "
    "let after before until into onto than up out off over under once per while because "
    "since again no"
)
FUNCTION_WORDS = set(_FUNCTION_WORDS.split())
CLAUSE_BREAK = re.compile(r"[,;:()]|\bbut\b")  # the part of a sentence an actor owns
# Where a negation's reach ends: punctuation, a new clause or a new first-person verb.
NEGATION_BREAK = re.compile(
    r"[;()]|:(?!\s*[\"“'‘])|,(?!\s*\w+(?:\s+\w+)?\s*(?:,|\bor\b|\band\b))(?!\s*[\"“'‘])|"
    r"\b(?:but|because|since|so|then|while|until|unless|though|although|whereas)\b|"
    r"(?=\b(?:i|we)(?:'d|'ll|\s+would|\s+will|\s+can|\s+could)\b)|"
    # a contrast ends it: "don't argue - take her aside", "not X, just Y", "and instead Y"
    r"\s[-–—]+\s|[–—]|,(?=\s*(?:just|simply|instead|rather)\b)|"
    r"\binstead\b(?!\s+of)|\brather\b(?!\s+than)|"
    # a new clause with its own subject: "I won't argue and everyone can pass"
    r"\band\s+(?=(?:i|we|everyone|everybody|people|members|the\s+group)\b)|"
    # what a refused promise is about is a risk named: "nobody can promise what someone
    # at home might overhear" names overhearing
    r"\b(?:promise|guarantee|control|prevent|police)\s+(?:\w+\s+){0,2}?"
    r"(?=(?:what|whatever|who|whoever)\s+(?:someone|somebody|anyone|anybody|others|"
    r"other\s+\w+|people|members|everyone|everybody)\b)"
)
NEGATION_RAISED = re.compile(
    r"\b(?:(?:don't|do not|didn't|did not)\s+(?:think|believe|reckon|feel|expect)|"
    r"(?:i'm|i\s+am)\s+not\s+(?:sure|certain|convinced)|(?<!\bno\s)(?<!\ba\s)doubt|"
    r"(?:don't|do\s+not)\s+know)\s+(?:that\s+|if\s+|whether\s+)?"
    r"((?:i|we)(?:'d|'ll|\s+would|\s+will|\s+should))\b"
)
# A question or a litotes that proposes a move is no refusal of it: "why not give him my
# number?", "why don't I just let her drive?", "wouldn't it be kinder to ...?", "there's
# no harm in ...", "it wouldn't hurt to ...".
PROPOSAL = re.compile(
    r"\bwhy\s+(?:not|(?:do|would|should|ca|could|wo)n'?t|do\s+not)\b|"
    r"(?:^|(?<=[,;:.?!\"])|\b(?:and|but|so|or|then|surely|honestly)\b)\s*"
    r"(?:(?:would|is|are|should|could|wo|do|does|ca|might)n'?t)(?=\s+(?:it|that|this|there|i|we|you|"
    r"he|she|they)\b)|"
    r"\b(?:no|little|not\s+much)\s+(?:harm|problem|issue)\s+(?:in|with)\b|"
    r"\bnothing\s+(?:wrong|bad)\s+(?:in|with|about)\b|"
    r"\b(?:(?:would|wo|ca|does|could)n'?t|cannot|would\s+not|will\s+not|does\s+not)\s+"
    r"(?:\w+\s+)?hurt\s+to\b|"
    r"\b(?:don't|do\s+not|can't|cannot)\s+see\s+(?:the\s+|any\s+)?(?:harm|problem|issue)\s+"
    r"(?:in|with)\b|\bno\s+reason\s+not\s+to\b"
)
# Where a clause that opens with "instead of ..." or "rather than ..." gives way to what is
# done instead when no comma marks it: "instead of blaming him ask him how he is".
OPENING = re.compile(r"^\s*(?:(?:and|but|so|then|just)\s+)?$")
_INSTEAD_VERBS = {
    "ask", "tell", "say", "offer", "invite", "check", "take", "give", "let", "keep", "stay",
    "sit", "thank", "name", "pause", "call", "ring", "explain", "acknowledge", "listen",
    "suggest", "bring", "move", "walk", "talk", "speak", "remind", "welcome", "point", "go",
    "stop", "wait", "just", "simply", "calmly", "gently", "quietly",
}  # fmt: skip
_NOT_A_MAIN_VERB = {"to", "and", "or", "not", "never"}  # "rather than tell her to go and sit"
_CAUSATIVE = {"make", "making", "let", "letting", "have", "having", "help", "helping"}
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
    return SENTENCE_END.split(normalise(joined))


# Contractions typed without their apostrophe ("i wouldnt", "id ask", "dont argue"), and
# typographic apostrophes ("wouldn’t"), are read as the contractions they are.
_BARE_CONTRACTION = re.compile(
    r"\b(?:((?:would|should|could|do|does|did|is|are|was|were|has|have|had|must|need|ca|wo)n)"
    r"(t)|(i)(d|m|ve)|(that|there|what|he|she)(s)|(you|they)(re|ve|d))\b"
)


def normalise(text: str) -> str:
    """`text` lower-cased, with its apostrophes and contractions in one spelling."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    return _BARE_CONTRACTION.sub(lambda m: "'".join(g for g in m.groups() if g), text)


def sentences(text: str, prompt: str = "") -> list[str]:
    """The real sentences of `text`: long enough, not keyword lists, not the prompt, unique."""
    prompt_words = set(WORD.findall(prompt.lower()))
    seen, kept = set(), []
    for raw in split_sentences(text):
        words = WORD.findall(raw)
        if len(words) < SHORT_WORDS:
            continue
        joining = sum(w in FUNCTION_WORDS for w in words)
        bullet = raw.lstrip()[:1] in ("-", "*", "•") or bool(NUMBERED.match(raw))
        parts = [WORD.findall(f) for f in LIST_SIGNS.split(raw)]
        if (
            not joining
            and SIGNS.search(raw)
            and len(parts) >= 3
            and all(len(f) <= (1 if bullet else 2) for f in parts)
        ):
            continue  # keywords joined with signs: "choice + pass + grounding + eyes open"
        functional = joining + len(NOTE_JOINS.findall(raw))  # "room + online", "w/ door"
        if len(words) < MIN_WORDS and not (functional or _verb_first(_label(raw) or words, raw)):
            continue  # a short line counts when it says what to do ("check ride home")
        fragments = [WORD.findall(f) for f in raw.split(",")]
        phrases = (bullet or _label(raw) is not None) and _mostly_phrases(fragments)
        if MIN_WORDS <= len(words) < NOTE_WORDS and not (functional or phrases):
            continue  # a longer note needs a word that joins it up ("check in w Dev 1:1")
        if len(words) >= NOTE_WORDS and functional < max(2, len(words) // 6) and not phrases:
            continue  # a list of keywords, not a sentence (a bullet of short phrases is a note)
        short = 1 if bullet or phrases else 2  # a note of two-word phrases is a note
        if (
            len(fragments) >= 3
            and sum(len(f) <= short for f in fragments) * 2 >= len(fragments)
            and not any(_a_clause(f) for f in fragments)
            and not _a_clause_heads(raw)
            and not SCRIPT.search(raw)
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


# A terse note joins its words with signs: "room + online", "w/ door open", "step out / rest".
NOTE_JOINS = re.compile(r"\s[+&/]\s|\bw/")
SCRIPT = re.compile(r"\b(?:say|says|said|tell|ask|explain)\b[^\"“]{0,20}[\"“]")  # say, "janet, ..."
NUMBERED = re.compile(r"\s*\d+[.)]\s")  # "1) ask members" is a bullet too
SIGNS = re.compile(r"[+&/]")
LIST_SIGNS = re.compile(r",|\s?[+&/]\s?")  # "choice + pass + safety" is a list all the same


def _label(raw: str) -> list[str] | None:
    """The words of a note after its short topic label ("agreements: ask group, write
    down"), or None when the line has no such label."""
    head, colon, rest = raw.partition(":")
    if colon and 0 < len(WORD.findall(head)) <= LABEL_WORDS:
        return WORD.findall(rest) or None
    return None


def _mostly_phrases(fragments: list[list[str]]) -> bool:
    """Whether two in three comma-separated parts or more are phrases of two words or more
    ("feet on floor, look around, eyes open, optional"), not keywords ("choice, pass")."""
    return len(fragments) > 1 and sum(len(f) >= 2 for f in fragments) * 3 >= len(fragments) * 2


LABEL_WORDS = 3  # "short grounding:", "limits:", "after the session:"


def _a_clause_heads(raw: str) -> bool:
    """Whether a list is what a clause before a colon says: "say what I've noticed: late,
    quiet, snapped" (a clause of three words or more, one of them a function word)."""
    head = WORD.findall(raw.split(":")[0]) if ":" in raw else []
    return len(head) >= 3 and _verb_first(head, raw) and any(w in FUNCTION_WORDS for w in head)


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
_GROUP = {
    "everyone", "everybody", "anyone", "anybody", "people", "members", "nobody", "someone",
    "somebody", "whoever",
}  # fmt: skip
_PERMISSION = {"can", "may", "could", "don't", "doesn't", "needn't", "never", "will", "are", "is"}
_OFFERED_TO = {"he", "she", "they", "you"}
_ROLES = {
    "host", "co-facilitator", "cofacilitator", "co", "facilitator", "facilitators", "other",
    "organiser", "organizer", "coordinator", "agreement", "agreements", "rule", "rules",
    "only", "exceptions", "exception", "limits", "limit", "group's", "list", "ground",
    "guidelines", "plan", "rota",
}  # fmt: skip
# The group acting under the facilitator's lead: "members make the rules together", "the
# group decides what happens to a breach", "the others could take a break". The verbs are
# the group's own say in how it runs, in the present, so that narration of the prompt
# ("two others glance at him", "the group agreed that members come sober") earns nothing.
_GROUP_LEAD = {"the", "all", "each", "every", "both", "whole", "rest", "of", "other"}
_GROUP_NOUNS = {
    "group", "members", "member", "everyone", "everybody", "people", "room", "circle",
    "participants", "others", "folks", "attendees",
}  # fmt: skip
_GROUP_ADVERBS = {"all", "together", "then", "also", "jointly", "first", "themselves", "each"}
_GROUP_ACTS = {
    "make", "makes", "decide", "decides", "choose", "chooses", "agree", "agrees", "write",
    "writes", "draft", "drafts", "suggest", "suggests", "propose", "proposes", "vote", "votes",
    "set", "sets", "shape", "shapes", "name", "names", "add",
    "adds", "review", "reviews", "revisit", "revisits", "change", "changes", "update",
    "updates", "build", "builds", "own", "owns", "take", "takes", "pass", "passes", "rotate",
    "rotates", "check", "checks",
}  # fmt: skip
_GROUP_PARTICLES = {  # "members come up with ...", not "members come sober"
    **dict.fromkeys(("come", "comes"), ("up",)),
    **dict.fromkeys(("go", "goes"), ("round", "around")),
    **dict.fromkeys(("get", "gets"), ("to", "a")),
    **dict.fromkeys(("put", "puts"), ("forward",)),
}
_MODAL = {"would", "will", "can", "could", "may", "must", "should", "needs", "need", "has", "have"}
_OPTION = {"can", "could", "may", "might"}
_LIMIT = {"can't", "cannot"}  # a limit the facilitator sets: "she can't join tonight"
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
    if words[0] in _OFFERED_TO and len(words) > 1 and words[1] in (*_OPTION, *_LIMIT):
        return True  # an option or a limit the facilitator sets: "he could call Samaritans"
    if words[0] == "the" and len(words) > 1 and words[1] in _ROLES:
        return True  # the co-facilitator's part of the plan, or a rule: "the host would ask"
    if words[0] in _GROUP and _MODAL & set(words[1:5]):
        return True  # a rule the facilitator states: "everyone needs to know that ..."
    if _group_acts(words):
        return True  # "members make the rules together", "the group decides"
    if words[0] in ("there'll", "there'd") or words[:2] in (["there", "will"], ["there", "would"]):
        return True  # the plan: "there would be a minute of quiet for him"
    if _passive_plan(words):
        return True  # "the session would be opened with a welcome"
    return words[0] not in _NOT_AN_ACTION


_PLAN_MODALS = {"would", "will", "could", "should", "must", "can"}
_IRREGULAR_PARTICIPLES = {
    "told", "given", "said", "sent", "read", "made", "kept", "set", "put", "shown", "held",
    "run", "done", "brought", "taken", "met", "heard", "written", "spoken", "led", "left",
    "begun", "sat", "paid", "found", "chosen", "known",
}  # fmt: skip


def _passive_plan(words: list[str]) -> bool:
    """Whether `words` open with a plan in the passive: "the session would be opened with a
    welcome", "each member will be asked where they are" (modal, "be", a participle)."""
    for i in range(1, min(len(words) - 2, 5)):
        if words[i] in _PLAN_MODALS and words[i + 1] == "be":
            verb = words[i + 2]
            return verb.endswith("ed") or verb in _IRREGULAR_PARTICIPLES
    return False


def _group_acts(words: list[str]) -> bool:
    """Whether `words` start with the group or its members having their say under the
    facilitator's lead: "members propose agreements", "the rest of the group can carry
    on", "everyone chooses whether to join in" (not "everyone agrees that ...")."""
    i = 0
    while i < len(words) and words[i] in _GROUP_LEAD:
        i += 1
    if i == len(words) or words[i] not in _GROUP_NOUNS:
        return False
    i += 1
    while i < len(words) and words[i] in _GROUP_ADVERBS:
        i += 1
    verb, after = (words[i], words[i + 1 : i + 2]) if i < len(words) else ("", [])
    if verb in _OPTION or verb in ("will", "would"):
        return True  # "the others could take a break"
    if verb in _GROUP_PARTICLES:
        return bool(after) and after[0] in _GROUP_PARTICLES[verb]  # "gets to decide"
    return verb in _GROUP_ACTS and after != ["that"]


def negated(before: str, following: str = "") -> bool:
    """Whether the text before a match negates it: a negation in the same clause ("I
    would never argue or shame her"), reaching across "and"/"or" only from close by
    ("not argue and shame", but not "can't give my number out and give him ..."), and
    always across "or" ("never put my arm across the door or get between her and the exit").
    A proposing question ("why not give him my number?") is no negation; a contrast ("not
    to lecture but to ask", "don't argue - take her aside") ends one; "no one", "nobody",
    "nothing" reach to the end of their own clause; "never ... without" affirms."""
    before = normalise(before)
    before = NEGATION_RAISED.sub(r"\1 not ", before)  # "i don't think i'd" = "i'd not"
    before = PROPOSAL.sub(" so ", before)  # "why not give" proposes: a clause of its own
    clause = NEGATION_BREAK.split(before)[-1]
    found = list(NEGATION.finditer(clause))
    if not found:
        return False
    last = found[-1]
    word = " ".join(last.group(0).split())
    after = clause[last.end() :]
    if word == "without" and len(found) > 1:
        return False  # "I wouldn't end the night without giving everyone the number"
    if word in ("instead of", "rather than") and OPENING.match(clause[: last.start()]):
        words = WORD.findall(after) + WORD.findall(following)[:1]
        if any(
            w in _INSTEAD_VERBS
            and words[i - 1] not in _NOT_A_MAIN_VERB
            and not (i > 1 and words[i - 2] in _CAUSATIVE)  # "instead of making her sit"
            for i, w in enumerate(words[1:], 1)
        ):
            return False  # "instead of blaming him ask him privately"
    if word in QUANTIFIERS:
        words = WORD.findall(after)
        if QUANTIFIER_END.search(after) or any(
            w in _FIRST_PERSON_SUBJECT and i > 0 and words[i - 1] not in _NOT_A_NEW_CLAUSE
            for i, w in enumerate(words)
        ):
            return False  # "once no one else is around I ask him"
    joint = COORDINATION.search(after)
    if joint is not None and (word == "no" or word in QUANTIFIERS):
        return False  # "no pressure and passing is fine": "no" belongs to its noun
    return joint is None or len(WORD.findall(after[: joint.start()])) <= NEGATION_REACH


def _found(concept: dict, text_sentences: list[str], actor: bool = False) -> str | None:
    """The sentence where `concept` is affirmed, or None. With `actor`, only in a clause
    about what the facilitator does or says."""
    found = _match(concept, text_sentences, actor)
    return found[0] if found else None


def _match(
    concept: dict,
    text_sentences: list[str],
    actor: bool = False,
    unsafe: dict[str, int] | None = None,
) -> tuple[str, int] | None:
    """The sentence where `concept` is affirmed and where in it, or None. `unsafe` maps a
    sentence to where an unsafe move starts in it: a move taken back after "but" in the
    same sentence ("I can't give my number, but he can DM me") is no evidence."""
    regex = _compiled(_phrases(concept), tuple(concept.get("patterns", [])))
    for sentence in text_sentences:
        if REFUSED_AFTER.search(sentence):
            continue  # "calling it racist would only shame her, so I wouldn't"
        speaker = _speaker(sentence)
        proposals = [m.span() for m in PROPOSAL.finditer(sentence)]
        for match in regex.finditer(sentence):
            if any(
                start < match.start() < end
                or (start == match.start() and NEGATION.match(sentence, start))
                for start, end in proposals
            ):
                continue  # "why not give him my number?" is no refusal to give it
            if negated(sentence[: match.start()], sentence[match.start() :]):
                continue
            if (
                unsafe
                and sentence in unsafe
                and TAKEN_BACK.search(sentence, match.end(), max(match.end(), unsafe[sentence]))
            ):
                continue  # "I wouldn't give my number out, but I'd meet him for coffee"
            before = sentence[: match.start()]
            clauses = CLAUSE_BREAK.split(before)
            whole = clauses[-1] + CLAUSE_BREAK.split(sentence[match.start() :])[0]
            # the facilitator's words: "tell them straight, he died ...", say, "janet, ..."
            said = (len(clauses) > 1 and _says(clauses[-2])) or _quoted(before)
            if actor and not (speaker or said or about_the_facilitator(whole)):
                continue  # a sentence the facilitator starts ("I'd tell Janet ...") is theirs
            return sentence, match.start()
    return None


TAKEN_BACK = re.compile(r"\bbut\b")


def _speaker(sentence: str) -> bool:
    """Whether the facilitator owns every clause of `sentence`: it starts with "I" or "we",
    or with an instruction ("explain that things stay here except when a life is at risk,
    a child is at risk, ...")."""
    words = WORD.findall(sentence)
    first = words[0] if words else ""
    return first in ("i", "i'd", "i'll", "we", "we'd") or first in _INSTRUCTIONS


def _quoted(before: str) -> bool:
    """Whether a quote is open at the end of `before`: what follows is a script, the
    facilitator's words."""
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


_SAYING = {"say", "tell", "explain", "announce", "share", "repeat", "remind"}
_INSTRUCTIONS = _SAYING | _INSTEAD_VERBS  # a sentence that starts with one is an instruction


def _says(clause: str) -> bool:
    """Whether `clause` is a terse instruction to say something, so the clause after it
    is the facilitator's words: "tell them straight", "say gently", "then explain"."""
    words = WORD.findall(clause)
    while words and words[0] in ("then", "first", "just", "and", "so"):
        words = words[1:]
    return 0 < len(words) <= 4 and words[0] in _SAYING


# A sentence that describes a move and then refuses it or takes it back: "..., so I
# wouldn't", "..., which I would never do", "..., and I shouldn't have promised that".
REFUSED_AFTER = re.compile(
    r"(?:,|\bso|\band|\bwhich|\bbut)\s+(?:i|we)\s+(?:wouldn't|would\s+not|won't|will\s+not|"
    r"would\s+never|will\s+never|never\s+would|don't|do\s+not|shouldn't|should\s+not)"
    r"(?:\s+have)?(?:\s+(?:do|done|say|said|promise|promised|offer|offered)"
    r"(?:\s+(?:that|it|this))?)?\s*[.!]?\s*$"
)


def all_sentences(text: str) -> list[str]:
    """Every sentence and line of `text`, however short: red flags are looked for in all."""
    return [" ".join(s.split()) for s in split_sentences(text) if s.strip()]


def red_flags(rubric: dict, text: str) -> list[RedFlag]:
    """The unsafe moves of the rubric's `red_flags` that `text` affirms (not negated)."""
    return [flag for flag, _ in _red_flags(rubric, text)]


def _red_flags(rubric: dict, text: str) -> list[tuple[RedFlag, int]]:
    found = []
    lines = all_sentences(text if isinstance(text, str) else "")
    for flag in rubric.get("red_flags", []):
        where = _match(flag, lines)
        if where:
            sentence, at = where
            found.append((RedFlag(flag["id"], flag["name"], flag["principle"], sentence), at))
    return found


def score_text(rubric: dict, text: str, prompt: str = "") -> RubricScore:
    """Per-criterion points for `text` under `rubric`, and its red flags (which cap the
    score at 1 and send the answer to a trainer)."""
    # criteria are met only by what the facilitator does or says; red flags, anywhere
    text = text if isinstance(text, str) else ""
    located = _red_flags(rubric, text)  # they cap the total; the criteria are read as usual
    flags = [flag for flag, _ in located]
    unsafe: dict[str, int] = {}
    for flag, at in located:
        unsafe[flag.sentence] = max(at, unsafe.get(flag.sentence, at))
    text_sentences = [s for s in sentences(text, prompt) if about_the_facilitator(s)]
    results = []
    for criterion in rubric["criteria"]:
        earned, found, missing, evidence = 0.0, [], [], ""
        for concept in criterion["concepts"]:
            where = _match(concept, text_sentences, actor=True, unsafe=unsafe)
            sentence = where[0] if where else None
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
