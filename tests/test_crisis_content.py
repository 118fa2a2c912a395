"""The crisis content says one thing everywhere (CONTENT.md, "Accuracy, safety and honesty").

These tests read the course's own files with their own small readers, independent of the
package's checker (facilitator_course.safety), so a bug in one does not hide in the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {p.stem: yaml.safe_load(p.read_text()) for p in sorted(ROOT.glob("scenarios/*.yaml"))}
ITEMS = {p.stem: yaml.safe_load(p.read_text()) for p in sorted(ROOT.glob("exercises/items/*.yaml"))}
RUBRICS = {p.stem: yaml.safe_load(p.read_text()) for p in ROOT.glob("exercises/rubrics/*.yaml")}
MODULES = {p.parent.name: json.loads(p.read_text()) for p in ROOT.glob("modules/*/*.ipynb")}

DIRECT = [
    "are you thinking about suicide",
    "are you thinking of suicide",
    "are you having thoughts of suicide",
    "are you thinking about killing yourself",
]
SHORT_LIMITS = "{confidentiality_limits}"


def asks_directly(text: str) -> bool:
    text = text.lower().replace("’", "'")
    return any(q in text for q in DIRECT)


def holds(cond: dict, flags: set, scores: dict) -> bool:
    if "flag" in cond:
        return cond["flag"] in flags
    if "not_flag" in cond:
        return cond["not_flag"] not in flags
    have = scores.get(cond["score"], 0)
    return have >= cond["at_least"] if "at_least" in cond else have < cond["below"]


def all_hold(conds: list[dict], flags: set, scores: dict) -> bool:
    return all(holds(c, flags, scores) for c in conds)


def moments(scenario: dict):
    """Every (node id, options shown) met on any play-through, walked path by path."""
    nodes, met = scenario["nodes"], []
    stack = [(scenario["start"], frozenset(), (), 0)]
    seen = set()
    while stack:
        nid, flags, scored, depth = stack.pop()
        if (nid, flags, scored) in seen or depth > 300:
            continue
        seen.add((nid, flags, scored))
        node, scores = nodes[nid], dict(scored)
        if node["type"] == "narrative":
            nxt = node["next"]
            if not isinstance(nxt, str):
                nxt = next(
                    r["goto"]
                    for r in nxt
                    if all(holds(c, flags, scores) for c in r.get("when", []))
                )
            stack.append((nxt, flags, scored, depth + 1))
        elif node["type"] == "decision":
            shown = [
                o
                for o in node["options"]
                if all(holds(c, flags, scores) for c in o.get("when", []))
            ]
            met.append((nid, shown))
            for o in shown:
                new = dict(scores)
                for k, v in o.get("scores", {}).items():
                    new[k] = new.get(k, 0) + v
                stack.append(
                    (
                        o["next"],
                        flags | set(o.get("sets", [])),
                        tuple(sorted(new.items())),
                        depth + 1,
                    )
                )
    return met


def recommended(options: list[dict]) -> list[dict]:
    totals = [sum(o.get("scores", {}).values()) for o in options]
    return [o for o, t in zip(options, totals, strict=True) if t == max(totals)]


# --- suicide risk: ask directly --------------------------------------------------------


def test_every_suicide_risk_moment_recommends_the_direct_question():
    checked, failures = set(), []
    for sid, scenario in SCENARIOS.items():
        for nid, shown in moments(scenario):
            if scenario["nodes"][nid].get("moment") != "suicide-risk":
                continue
            checked.add((sid, nid))
            for option in recommended(shown):
                if not asks_directly(option["text"] + " " + option["feedback"]["model"]):
                    failures.append((sid, nid, option["text"][:60]))
    assert failures == []
    scenarios_checked = {sid for sid, _ in checked}
    # The review's known places, and every crisis scenario, have such moments.
    for sid in (
        "cri-asking-about-suicide",
        "cri-online-member-crisis",
        "capstone-whole-session",
        "fnd-self-disclosure",
        "fnd-medication-myth",
        "dee-intoxicated-member",
    ):
        assert sid in scenarios_checked, sid
    assert ("fnd-self-disclosure", "late-reply") in checked


WARNING_SPEECH = re.compile(
    r"better off without me|won't be (?:a problem|around|here) for much longer|"
    r"(?:kill|end) (?:myself|my life|it all)|want(?:ed)? to die|no (?:way out|point (?:in|going))|"
    r"wouldn't wake up|not (?:be )?(?:around|here) much longer|can't (?:go on|do this any more)|"
    r"giving (?:my|his|her) (?:things|stuff) away|this is goodbye",
    re.IGNORECASE,
)


def _speech(node: dict) -> str:
    return " ".join([node.get("text", "")] + [ln["text"] for ln in node.get("lines", [])])


def test_decisions_after_warning_signs_are_marked_as_suicide_risk():
    """A decision that follows a member's words of suicide risk is a suicide-risk moment."""
    unmarked = []
    for sid, scenario in SCENARIOS.items():
        nodes = scenario["nodes"]
        before = {nid: [] for nid in nodes}
        for nid, node in nodes.items():
            nxt = node.get("next")
            targets = [nxt] if isinstance(nxt, str) else [r["goto"] for r in nxt or []]
            for t in targets:
                before[t].append(nid)
        for nid, node in nodes.items():
            if node["type"] != "decision":
                continue
            said = _speech(node) + " ".join(_speech(nodes[b]) for b in before[nid])
            if WARNING_SPEECH.search(said) and node.get("moment") != "suicide-risk":
                unmarked.append((sid, nid))
    assert unmarked == []


def test_item_model_answers_about_suicide_risk_ask_directly():
    """Items whose prompt shows a member at risk of suicide model the direct question."""
    missing = []
    for data in ITEMS.values():
        for item in data["items"]:
            asks_about = f"{item.get('vignette', '')} {item['prompt']}"
            if item["kind"] == "single" and "CRI-2" in item["competencies"]:
                keyed = item["options"][item["answer"]]
                if not asks_directly(keyed + item.get("model", "")):
                    missing.append(item["id"])
            elif (
                WARNING_SPEECH.search(asks_about)
                and item["kind"] not in ("reflection", "manual")
                and not asks_directly(item.get("model", ""))
            ):
                missing.append(item["id"])
    assert missing == []


# --- no promise of total secrecy -------------------------------------------------------

PROMISE = re.compile(
    r"what(?:'s| is)? (?:said|shared) here,? stays here|stays? (?:just )?between (?:us|you and me)"
    r"|won't tell (?:anyone|anybody)|(?:total|complete|absolute|full) (?:secrecy|confidentiality)"
    r"|completely confidential|keep (?:it|this) (?:to myself|a secret|secret)"
    r"|nothing (?:you say )?(?:here )?leaves (?:this|the) room|promise (?:not to|I won't) tell",
    re.IGNORECASE,
)
NEGATED = re.compile(
    r"\b(?:never|not|no one|nobody|no facilitator|avoid|instead of|rather than|without)\b|n't\b",
    re.IGNORECASE,
)
LIMITED = re.compile(r"\b(?:except|limits?|unless|shouldn't have|should not have)\b", re.IGNORECASE)


def promises(text: str) -> list[str]:
    """Sentences that promise secrecy: not negated before the promise, and naming no limit."""
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        match = PROMISE.search(sentence)
        if not match or LIMITED.search(sentence):
            continue
        before = sentence[: match.start()].replace("Don't worry", "")
        if not NEGATED.search(before):
            found.append(sentence)
    return found


def _good_practice_texts():
    for sid, scenario in SCENARIOS.items():
        for nid, node in scenario["nodes"].items():
            for i, option in enumerate(node.get("options", [])):
                yield f"{sid}:{nid}:{i}:model", option["feedback"]["model"]
                if sum(option.get("scores", {}).values()) > 0:
                    yield f"{sid}:{nid}:{i}:text", option["text"]
    for data in ITEMS.values():
        for item in data["items"]:
            for key in ("model", "principle"):
                if key in item:
                    yield f"{item['id']}:{key}", item[key]
            answer = item.get("answer")
            keyed = [answer] if isinstance(answer, str) else []
            if item["kind"] == "multiple":
                keyed = answer
            keyed += [k for k, v in item.get("credit", {}).items() if v > 0]
            for letter in keyed:
                yield f"{item['id']}:{letter}", item["options"][letter]
    for slug, nb in MODULES.items():
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{slug}:cell {i}", "".join(cell["source"])
    for rid, rubric in RUBRICS.items():
        for c in rubric["criteria"]:
            yield f"{rid}:{c['id']}", f"{c['description']} {c.get('evidence', '')}"


def test_nothing_presented_as_good_practice_promises_secrecy():
    found = {where: p for where, text in _good_practice_texts() if (p := promises(text))}
    assert found == {}


def test_the_secrecy_reader_catches_what_it_should():
    assert promises("Remind them: what's said here stays here.")
    assert promises("Don't worry, I won't tell anyone.")
    assert not promises("Never promise that what's said here stays here.")


# --- confidentiality has three limits, in one wording ----------------------------------

LIMIT_WORDS = [("life", "safety"), ("child", "adult at risk"), ("harm", "others")]


def names_all_limits(text: str) -> bool:
    text = text.lower()
    return SHORT_LIMITS in text or all(a in text and b in text for a, b in LIMIT_WORDS)


def test_modules_1_3_and_5_show_the_one_wording_of_confidentiality():
    for slug in ("01-foundations", "03-group-agreements", "05-crisis-response"):
        code = " ".join(
            "".join(c["source"]) for c in MODULES[slug]["cells"] if c["cell_type"] == "code"
        )
        assert "show_confidentiality_limits()" in code, slug


def test_capstone_opening_states_confidentiality_with_its_limits():
    capstone = SCENARIOS["capstone-whole-session"]
    opening_text = yaml.safe_dump(
        {k: v for k, v in list(capstone["nodes"].items())[:6]}, width=1000
    )
    assert SHORT_LIMITS in opening_text


def test_every_model_answer_and_rubric_on_confidentiality_names_its_limits():
    gaps = []
    for where, text in _good_practice_texts():
        about = re.search(r"\bconfidentiality\b", text, re.IGNORECASE) and ":cell " not in where
        if about and not names_all_limits(text):
            gaps.append(where)
    assert gaps == []


# --- lethal-means safety ---------------------------------------------------------------

METHODS = re.compile(
    r"\b(?:firearms?|guns?|rifles?|pistols?|ropes?|nooses?|"
    r"hang(?:ed|ing)? (?:him|her|them|my)sel\w+|"
    r"razors?|blades?|poison\w*|carbon monoxide|jump(?:ed|ing)? (?:off|from)|(?:off|from) a bridge|"
    r"railway line|train tracks|stockpil\w*|tablets? to end)\b",
    re.IGNORECASE,
)


def _all_course_text() -> dict[str, str]:
    texts = {f"scenario {k}": yaml.safe_dump(v, width=1000) for k, v in SCENARIOS.items()}
    texts |= {f"items {k}": yaml.safe_dump(v, width=1000) for k, v in ITEMS.items()}
    texts |= {
        f"module {k}": " ".join("".join(c["source"]) for c in nb["cells"])
        for k, nb in MODULES.items()
    }
    return texts


def test_no_text_names_a_method():
    named = {k: METHODS.findall(v) for k, v in _all_course_text().items()}
    assert {k: v for k, v in named.items() if v} == {}


def test_means_safety_is_taught_practised_and_assessed():
    module = " ".join("".join(c["source"]) for c in MODULES["05-crisis-response"]["cells"])
    assert "time and distance" in module and "access to what" in module
    for ref in ("Stanley, B., & Brown", "Yip, P. S. F.", "Barber, C. W., & Miller"):
        assert ref in module, ref
    for sid in ("cri-asking-about-suicide", "capstone-whole-session"):
        best = [
            o
            for nid, shown in moments(SCENARIOS[sid])
            for o in recommended(shown)
            if "access to what" in (o["text"] + o["feedback"]["model"]).lower()
        ]
        assert best, sid
    items = yaml.safe_dump(ITEMS["05-crisis-response"], width=1000).lower()
    assert "time and distance" in items


# --- the other moments -----------------------------------------------------------------


def _moment_options(kind: str) -> list[tuple[str, str, dict]]:
    found = []
    for sid, scenario in SCENARIOS.items():
        for nid, shown in moments(scenario):
            if scenario["nodes"][nid].get("moment") == kind:
                found += [(sid, nid, o) for o in recommended(shown)]
    return found


def test_threats_to_others_go_to_the_safeguarding_lead_without_secrecy():
    best = _moment_options("harm-to-others")
    assert best
    texts = {}
    for sid, nid, o in best:
        text = o["text"] + " " + o["feedback"]["model"]
        assert not promises(text), (sid, nid)
        texts.setdefault(sid, []).append(text.lower())
    for sid, said in texts.items():
        assert any("safeguarding" in t for t in said), sid
        assert any("{emergency_number}" in t or "emergency" in t for t in said), sid


def test_medical_moments_get_urgent_help_and_nobody_is_left_alone():
    best = _moment_options("medical")
    assert {sid for sid, _, _ in best} >= {"dee-intoxicated-member"}
    for sid, nid, o in best:
        text = (o["text"] + " " + o["feedback"]["model"]).lower()
        assert re.search(r"emergency|ambulance|paramedic|medical help", text), (sid, nid)
        assert re.search(r"stay(?:s|ing)? with|not (?:be )?(?:left )?alone|never leave", text), (
            sid,
            nid,
        )


def test_domestic_abuse_moments_ask_how_it_is_safe_to_make_contact():
    best = _moment_options("domestic-abuse")
    assert best
    for sid, nid, o in best:
        text = (o["text"] + " " + o["feedback"]["model"]).lower()
        assert "safe" in text and ("contact" in text or "call" in text), (sid, nid)


def test_module_7_fainting_means_urgent_medical_help_now():
    cells = ["".join(c["source"]) for c in MODULES["07-inclusive-groups"]["cells"]]
    fainting = [c for c in cells if re.search(r"faint", c, re.IGNORECASE)]
    assert fainting
    for cell in fainting:
        for sentence in re.split(r"(?<=[.!?])\s+", cell):
            if "in the morning" in sentence.lower():
                assert re.search(r"\bnot\b|\bnever\b|n't\b", sentence), sentence
    assert any(re.search(r"emergency|urgent medical", c, re.IGNORECASE) for c in fainting)


def test_capstone_has_no_leftover_placeholder_character_ids():
    assert not [n for n in SCENARIOS["capstone-whole-session"]["nodes"] if n.startswith("femi-")]


# --- accuracy --------------------------------------------------------------------------


def test_warning_signs_list_is_complete():
    module = " ".join("".join(c["source"]) for c in MODULES["05-crisis-response"]["cells"])
    for sign in ("possessions", "goodbye", "ways to die", "burden", "hopeless", "sleeping"):
        assert sign in module, sign


def test_psychological_first_aid_and_typology_are_cited_exactly():
    pfa = (
        "World Health Organization, War Trauma Foundation, & World Vision International. (2011). "
        "*Psychological first aid: Guide for field workers*. WHO."
    )
    davidson = (
        "Davidson, L., Chinman, M., Kloos, B., Weingarten, R., Stayner, D., & Tebes, J. K. (1999)."
    )
    texts = {k: " ".join("".join(c["source"]) for c in nb["cells"]) for k, nb in MODULES.items()}
    for slug, text in texts.items():
        if re.search(r"psychological first aid", text, re.IGNORECASE):
            assert pfa in text, slug
        if re.search(r"action principles|\blook, listen", text, re.IGNORECASE):
            assert re.search(r"look, listen,? and link", text, re.IGNORECASE), slug
            assert re.search(r"prepar", text, re.IGNORECASE), slug
        if "Alternatives to Suicide" in text:
            assert "Wildflower Alliance" in text, slug
    assert davidson in texts["01-foundations"]


@pytest.mark.parametrize("slug", ["01-foundations", "08-facilitator-sustainability"])
def test_one_rule_on_private_contact_and_backup(slug):
    text = " ".join("".join(c["source"]) for c in MODULES[slug]["cells"]).lower()
    assert "no personal numbers" in text, slug
    assert "named backup" in text, slug
