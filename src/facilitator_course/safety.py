"""The course's safety rules for text, as checks (CONTENT.md, "Accuracy, safety and honesty").

- At a moment of suicide risk the recommended move asks directly about suicide.
- Nothing presented as good practice promises secrecy.
- Text that states what confidentiality covers names its three limits.
- At a medical moment the recommended move gets urgent help and stays with the person.

`course validate` applies them to scenarios, exercise items and module prose;
each finding is a sentence, so an author sees exactly what to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .scenarios.conditions import States, all_hold, route
from .wording import CONFIDENTIALITY_SHORT

DIRECT_QUESTION = re.compile(
    r"\bare you (?:thinking (?:about|of)|having (?:any )?thoughts (?:of|about)) "
    r"(?:suicide|killing yourself|ending your (?:own )?life)\b",
    re.IGNORECASE,
)

_SECRECY = [
    r"\b(?:total|complete|completely|absolute|absolutely|full|fully|strict|strictly|100%)\s+"
    r"(?:secrecy|secret|confidential(?:ity)?)\b",
    r"\b(?:i|we)\s+(?:promise|swear|guarantee)\b[^.;:!?]{0,40}?\b(?:won't|will not|never|not to)\s+"
    r"(?:tell|say|share|pass|repeat)\b",
    r"\b(?:i|we)\s+(?:won't|will not|will never|would never|wouldn't)\s+(?:tell|say a word to)\s+"
    r"(?:anyone|anybody|a soul|a single person)\b",
    r"\b(?:stays?|kept|keep (?:it|this|that))\s+(?:just\s+)?between\s+"
    r"(?:us|you and me|the two of us|ourselves)\b",
    r"\b(?:keep|keeping)\s+(?:it|this|that|everything|what you (?:said|told me))\s+"
    r"(?:a secret|secret|to myself|to ourselves)\b",
    r"\bnothing\s+(?:you say\s+|said\s+|shared\s+)?(?:here\s+)?(?:ever\s+)?leaves\s+(?:this|the)\s+"
    r"(?:room|group|circle)\b",
    r"\bwhat(?:'s|’s| is| gets| we| you| members)?\s+(?:said|shared|share|say)\s+"
    r"(?:here|in (?:this|the) (?:room|group|circle))\s*,?\s+stays\s+"
    r"(?:here|in (?:this|the) (?:room|group|circle))\b",
]
SECRECY = re.compile("|".join(f"(?:{p})" for p in _SECRECY), re.IGNORECASE)

# A sentence that states a limit alongside the phrase is not a promise of total secrecy.
_QUALIFIED = re.compile(r"\b(?:except|unless|limits?|but not if|apart from)\b", re.IGNORECASE)
# A sentence that owns up to a promise it should not have made ("I shouldn't have promised").
_RETRACTED = re.compile(
    r"\b(?:shouldn't|should not|should never|shouldn’t) have\b|\bwas wrong to\b|\bmy mistake\b",
    re.IGNORECASE,
)
# Negation attached to the act of promising: "never promise total secrecy",
# "I can't keep this between us", "instead of saying ...", "no facilitator can promise".
_NEGATED = re.compile(
    r"(?:\b(?:never|not|don't|do not|doesn't|does not|can't|cannot|can not|won't|wouldn't|"
    r"shouldn't|avoid|instead of|rather than|without|no one can|nobody can|no facilitator can|"
    r"neither)\b|\bno\b)\s+(?:\w+\s+){0,3}?(?:promis\w*|guarantee\w*|keep(?:ing|s)?|say(?:ing|s)?|"
    r"offer\w*|tell(?:ing)? (?:them|members|her|him|people|anyone)|swear\w*|use|using)\b",
    re.IGNORECASE,
)

CONFIDENTIALITY_TOPIC = re.compile(
    r"\bconfidentiality\b|\bwhat(?:'s|’s| is| members)?\s+(?:said|shared)\b[^.]{0,40}\bstays?\b",
    re.IGNORECASE,
)
LIMITS = {
    "someone's life or safety at risk": re.compile(
        r"\b(?:life|lives)\b[^.;]{0,30}\b(?:safety|safe)\b|\b(?:safety|safe)\b[^.;]{0,30}"
        r"\b(?:life|lives)\b",
        re.IGNORECASE,
    ),
    "a child or an adult at risk": re.compile(
        r"\bchild(?:ren)?\b[^.;]{0,40}\badults?\s+at\s+risk\b", re.IGNORECASE
    ),
    "threats to harm others": re.compile(
        r"\b(?:threat\w*|harm\w*|hurt\w*)\b[^.;]{0,40}\b(?:others|someone else|another person|"
        r"other people|anyone else)\b",
        re.IGNORECASE,
    ),
}

URGENT_HELP = re.compile(
    r"\{emergency_number\}|\bemergency\b|\bambulance\b|\bparamedics?\b|\burgent medical\b|"
    r"\bmedical help\b|\b911\b|\b999\b|\b112\b",
    re.IGNORECASE,
)
STAYS_WITH = re.compile(
    r"\bstay(?:s|ing)?\s+(?:right\s+)?(?:with|beside|by)\b|\bnot\s+(?:be\s+)?(?:left\s+)?alone\b|"
    r"\bnever\s+(?:leave|left)\b|\bsits?\s+with\b|\bkeeps?\s+(?:him|her|them)\s+company\b|"
    r"\bwith (?:him|her|them) (?:until|till)\b",
    re.IGNORECASE,
)

_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9{])")


def sentences(text: str) -> list[str]:
    """The sentences of a text, split on end punctuation (quotes kept with their sentence)."""
    text = re.sub(r"\s+", " ", text).strip()
    return [s for s in _SENTENCE.split(text) if s]


def secrecy_promises(text: str) -> list[str]:
    """Sentences of `text` that promise secrecy, neither negated nor qualified by a limit."""
    found = []
    for sentence in sentences(text):
        for m in SECRECY.finditer(sentence):
            if any(n.start() < m.start() for n in _NEGATED.finditer(sentence)):
                continue
            if _QUALIFIED.search(sentence) or _RETRACTED.search(sentence):
                continue
            found.append(sentence)
            break
    return found


def missing_limits(text: str) -> list[str]:
    """The limits of confidentiality that `text` leaves out, if it states what confidentiality
    covers; empty when it names all three or does not state it."""
    if not CONFIDENTIALITY_TOPIC.search(text):
        return []
    return [name for name, pattern in LIMITS.items() if not pattern.search(text)]


def text_safety_problems(text: str) -> list[tuple[str, str]]:
    """(message, fix) for each secrecy promise in a text presented as good practice, and for
    a statement of confidentiality that leaves out a limit."""
    found = [(f"promises secrecy: {s!r}.", SECRECY_FIX) for s in secrecy_promises(text)]
    if gaps := missing_limits(text):
        found.append(
            (f"states confidentiality without its limits ({', '.join(gaps)}).", CONFIDENTIALITY_FIX)
        )
    return found


def asks_directly(text: str) -> bool:
    return bool(DIRECT_QUESTION.search(text))


# --- scenarios ------------------------------------------------------------------------

MAX_STATES = 200_000


def decision_states(nodes: dict, start: str) -> Iterator[tuple[str, list[int]]]:
    """Every (decision id, visible option indexes) a play can meet, each state once.

    Walks without recursion; a state is the node with what conditions read of the
    flags and scores so far (`States`).
    """
    states = States(nodes)
    seen: set[tuple] = set()
    stack = [(start, frozenset(), {})]
    while stack:
        nid, flags, scores = stack.pop()
        key = states.key(nid, flags, scores)
        if key in seen or len(seen) > MAX_STATES:
            continue
        seen.add(key)
        node = nodes[nid]
        if node["type"] == "narrative":
            target = route(node["next"], flags, scores)
            if target is not None:
                stack.append((target, flags, scores))
        elif node["type"] == "decision":
            shown = [
                i for i, o in enumerate(node["options"]) if all_hold(o.get("when"), flags, scores)
            ]
            yield nid, shown
            stack += [
                (node["options"][i]["next"], *states.after(flags, scores, node["options"][i]))
                for i in shown
            ]


def best_options(node: dict, shown: list[int]) -> list[int]:
    """The recommended options among those shown: the highest total score."""
    totals = {i: sum(node["options"][i].get("scores", {}).values()) for i in shown}
    top = max(totals.values(), default=0)
    return [i for i, total in totals.items() if total == top]


def _expand(text: str) -> str:
    """Scenario text with the course's own wordings in place of their placeholders."""
    return text.replace("{confidentiality_limits}", CONFIDENTIALITY_SHORT)


def _option_text(option: dict) -> str:
    return _expand(f"{option['text']} {option['feedback']['model']}")


def moment_problems(nodes: dict, start: str) -> list[tuple[list, str, str]]:
    """Breaches of the moment rules: (YAML path, message, fix) per breach, once per option."""
    found: dict[tuple, tuple[list, str, str]] = {}
    for nid, shown in decision_states(nodes, start):
        node = nodes[nid]
        moment = node.get("moment")
        for i in best_options(node, shown) if moment else []:
            option = node["options"][i]
            where = ["nodes", nid, "options", i]
            text = _option_text(option)
            if moment == "suicide-risk" and not asks_directly(text):
                found[(nid, i, moment)] = (
                    where,
                    f"the recommended option at {nid!r}, a moment of suicide risk, does not ask "
                    "directly about suicide.",
                    'ask "Are you thinking about suicide?" in the option or its model answer.',
                )
            if moment == "medical" and not (URGENT_HELP.search(text) and STAYS_WITH.search(text)):
                found[(nid, i, moment)] = (
                    where,
                    f"the recommended option at {nid!r}, a medical moment, does not both get "
                    "urgent medical help and stay with the person.",
                    "call {emergency_number} (or urgent medical help) and say who stays with them.",
                )
    return list(found.values())


def scenario_secrecy_problems(data: dict) -> list[tuple[list, str, str]]:
    """Secrecy promises in options that score above zero and in every model answer."""
    found = []
    for nid, node in data["nodes"].items():
        for i, option in enumerate(node.get("options", [])):
            places = [("model", _expand(option["feedback"]["model"]))]
            if sum(option.get("scores", {}).values()) > 0:
                places.append(("text", _expand(option["text"])))
            for field, text in places:
                where = ["nodes", nid, "options", i] + (
                    ["feedback", "model"] if field == "model" else ["text"]
                )
                for sentence in secrecy_promises(text):
                    found.append((where, f"promises secrecy: {sentence!r}.", SECRECY_FIX))
                if field == "model" and (gaps := missing_limits(text)):
                    found.append(
                        (
                            where,
                            f"states confidentiality without its limits ({', '.join(gaps)}).",
                            CONFIDENTIALITY_FIX,
                        )
                    )
    return found


SECRECY_FIX = (
    "never present a promise of secrecy as good practice: name the limits of confidentiality "
    "({confidentiality_limits} in scenarios), or make the sentence a clear 'don't' example."
)
CONFIDENTIALITY_FIX = (
    "use the course's one wording of confidentiality and its three limits "
    "({confidentiality_limits} in scenarios; wording.py has it)."
)
