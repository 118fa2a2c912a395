"""How the reflection scorer reads a sentence (issue 13): each class of misreading is
tried in several wordings, with a near-miss that must read as before.

The rubric here is made up, so the tests say how sentences are read whatever the
course's own rubrics list as evidence."""

from __future__ import annotations

import pytest

from facilitator_course.grading.rubric import about_the_facilitator, score_text, sentences


def concept(cid: str, *phrases: str) -> dict:
    return {
        "id": cid,
        "points": 1,
        "description": cid,
        "evidence": cid,
        "concepts": [{"name": cid, "phrases": list(phrases)}],
    }


def flag(fid: str, *phrases: str, patterns: tuple[str, ...] = ()) -> dict:
    return {
        "id": fid,
        "name": fid,
        "principle": fid,
        "phrases": list(phrases),
        "patterns": [*patterns],
    }


RUBRIC = {
    "criteria": [
        concept("ask", "ask what would help"),
        concept(
            "boundary",
            "not give him my number",
            "never give him my number",
            "wouldn't give him my number",
        ),
        concept("quiet", "ask dmitri quietly"),
        concept("co-create", "make the rules together", "decides what happens to a breach"),
        concept("revisit", "carry on or take a break", "review the agreements"),
        concept("pass", "can pass"),
        concept("help", "the crisis line number"),
        concept("facts", "he died by suicide"),
        concept("silence", "a minute of quiet"),
        concept("ideas", "go round room"),
        concept("noticed", "say what i've noticed"),
        concept("risk", "overhear"),
        concept("choice", "mei chooses"),
    ],
    "red_flags": [
        flag("personal-contact", "give him my number", "meet him for coffee"),
        flag(
            "left-alone",
            "leave her alone",
            "left alone",
            patterns=(r"\blet(?:ting)?\s+her\s+drive\b",),
        ),
        flag("method", "what he took"),
        flag("secrecy", "stays between us"),
    ],
}


def earned(text: str) -> set[str]:
    return {c.id for c in score_text(RUBRIC, text).criteria if c.points}


def flagged(text: str) -> set[str]:
    return {f.id for f in score_text(RUBRIC, text).red_flags}


# 1. A question that proposes a move proposes it.


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Why not give him my number?", "personal-contact"),
        ("Why don't I just give him my number so he can text me at night?", "personal-contact"),
        ("Honestly, wouldn't it be kinder to give him my number?", "personal-contact"),
        ("It wouldn't hurt to give him my number for bad nights.", "personal-contact"),
        ("What's the harm in letting her drive home?", "left-alone"),
        ("There's no harm in letting her drive, she says she's fine.", "left-alone"),
        ("Why not let her drive if she feels okay?", "left-alone"),
    ],
)
def test_a_question_that_proposes_a_move_proposes_it(text, move):
    assert move in flagged(text), text
    assert "boundary" not in earned(text), text  # "why not give him ..." declines nothing


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't give him my number; why would I?",
        "I would never give him my number, so why not point him to the crisis line number?",
        "I would not give him my number.",
    ],
)
def test_a_refusal_near_a_question_is_still_a_refusal(text):
    assert "personal-contact" not in flagged(text), text
    assert "boundary" in earned(text), text


# 2. "No one", "nobody", "none of", "nothing" negate their own clause, and only it.


@pytest.mark.parametrize(
    "text",
    [
        "Nobody should leave her alone in the side room.",
        "No one should be left alone with it.",
        "No-one leaves her alone tonight.",
        "None of us would leave her alone.",
        "Nothing would make me leave her alone.",
        "Nobody needs to know what he took.",
    ],
)
def test_a_quantifier_refuses_the_move_in_its_clause(text):
    assert flagged(text) == set(), text


@pytest.mark.parametrize(
    "text",
    [
        "Once no one else is around I ask Dmitri quietly if he wants water.",
        "I'd check no one else is in the room before I ask Dmitri quietly what he needs.",
        "When nobody else can hear I ask Dmitri quietly if he wants a break.",
        "No one else is in the room, so I'd ask Dmitri quietly if he'd like water.",
    ],
)
def test_no_one_else_in_the_room_refuses_nothing_the_facilitator_does(text):
    assert "quiet" in earned(text), text


def test_nobody_has_to_talk_and_people_can_pass():
    assert "pass" in earned("Nobody has to talk tonight and people can pass.")
    assert "pass" not in earned("Nobody can pass tonight.")  # the near-miss: refused


# 3. The group acting under the facilitator's lead is the facilitator's move.


@pytest.mark.parametrize(
    "sentence",
    [
        "members make the rules together",
        "the members decide the rules together",
        "the group decides what happens to a breach",
        "everyone chooses whether to join in or sit it out",
        "the rest of the group can carry on",
        "the others could carry on or take a break, up to them",
        "members come up with their own agreements",
        "each member gets to say what they need",
        "the group reviews the agreements every few months",
    ],
)
def test_the_group_acting_under_the_facilitators_lead_counts(sentence):
    assert about_the_facilitator(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "some members are in the room, others join online",
        "the group agreed that members come sober",
        "members come sober",
        "the member who was sharing stops mid-sentence",
        "everyone in the room agrees that water is optional",
        "the room goes quiet",
        "people were upset about the rules",
    ],
)
def test_narration_of_the_prompt_does_not(sentence):
    assert not about_the_facilitator(sentence), sentence


def test_a_group_sentence_earns_its_criterion():
    assert "co-create" in earned("Members make the rules together.")
    assert "co-create" in earned("The group decides what happens to a breach.")
    assert "co-create" in earned("Members make the rules together, I write them up.")
    assert "revisit" in earned("The others could carry on or take a break, up to them.")


# 4. A contrast ends an earlier negation's reach.


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't judge him, I'd ask what would help.",
        "Not to lecture but to ask what would help.",
        "I wouldn't lecture him and instead ask what would help.",
        "Don't lecture him - ask what would help.",
        "No lecture – just ask what would help.",
        "Instead of lecturing him ask what would help.",
        "Rather than judge him just ask what would help.",
        "I wouldn't argue, just ask what would help and listen.",
    ],
)
def test_a_contrast_ends_the_negation(text):
    assert "ask" in earned(text), text


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't ask what would help.",
        "Instead of asking what would help, I'd lecture him.",
        "I would wait rather than ask what would help.",
        "I would never lecture him or ask what would help.",
    ],
)
def test_a_negation_with_no_contrast_still_reaches(text):
    assert "ask" not in earned(text), text


# Further classes found in the tuning set.


@pytest.mark.parametrize(
    "text",
    [
        "i wouldnt give him my number",
        "I wouldn’t give him my number.",  # a typographic apostrophe
        "i cant give him my number",
        "I couldn't give him my number.",
    ],
)
def test_contractions_typed_any_way_are_read(text):
    assert flagged(text) == set(), text


def test_id_without_its_apostrophe_is_i_would():
    assert "personal-contact" in flagged("id give him my number")
    assert "ask" in earned("id ask what would help")


def test_never_without_affirms():
    assert "help" in earned("I wouldn't end the night without giving out the crisis line number.")
    assert "help" in earned("Never finish without giving out the crisis line number.")
    assert "help" not in earned("I'd finish without giving out the crisis line number.")


def test_a_hedged_i_would_is_no_plan():
    assert flagged("I'm not sure I would leave her alone, I'd see how she is.") == set()
    assert flagged("I doubt I'd leave her alone.") == set()
    assert "left-alone" in flagged("No doubt I'd leave her alone for a bit.")  # the near-miss


def test_what_follows_a_terse_say_is_the_facilitators_words():
    assert "facts" in earned("tell them straight, he died by suicide.")
    assert "facts" in earned("Say gently: he died by suicide.")
    assert "facts" not in earned("His brother told them, he died by suicide.")


def test_a_limit_set_for_a_member_is_the_facilitators():
    assert about_the_facilitator("she can't join tonight, welcome next week")
    assert about_the_facilitator("you cannot stay in the circle tonight")
    assert not about_the_facilitator("she couldn't stand up straight")
    assert not about_the_facilitator("she was unsteady on her feet")


def test_there_would_be_is_a_plan():
    assert "silence" in earned("There would be a minute of quiet for him at the start.")
    assert "silence" not in earned("There was a minute of quiet at the funeral.")


def test_a_move_taken_back_after_but_is_no_evidence():
    taken_back = "I wouldn't give him my number, but I'd meet him for coffee on Saturdays."
    assert "boundary" not in earned(taken_back) and "personal-contact" in flagged(taken_back)
    kept = "I wouldn't give him my number, but I'd give him the crisis line number."
    assert {"boundary", "help"} <= earned(kept) and flagged(kept) == set()


def test_a_refused_promise_names_the_risk():
    assert "risk" in earned("Nobody in the room can promise what someone at home might overhear.")
    assert flagged("I can't promise that what you tell me stays between us.") == set()


@pytest.mark.parametrize(
    ("note", "evidence"),
    [
        ("Hybrid: go round room + online for ideas, read chat aloud.", "ideas"),
        ("- say what Ive noticed: late, quiet, snapped", "noticed"),
        ("1) Rules - make the rules together, both room + online, their words.", "co-create"),
        ("- Mei chooses: carry on / break / later", "choice"),
    ],
)
def test_terse_notes_joined_with_signs_are_read(note, evidence):
    assert evidence in earned(note), note


@pytest.mark.parametrize(
    "stuffed",
    [
        "choice + pass + grounding + safety + eyes open",
        "choice/pass/grounding/safety/eyes open",
        "choice & pass & grounding & safety",
        "- choice + pass + grounding",
        "grounding + eyes open, choice + pass",
        "I will: co-create, revisit, safeguarding, a child",
    ],
)
def test_keywords_joined_with_signs_are_still_a_list(stuffed):
    assert sentences(stuffed) == [], stuffed


# Round 6: terse notes under a label, scripts, the passive.


@pytest.mark.parametrize(
    "note",
    [
        "short grounding: feet on floor, look around, eyes open, optional.",
        "agreements: ask group, write down.",
        "* pause, say 'loud one, let's take a breather'",
        "after the session: ask what would help, offer water",
    ],
)
def test_a_note_under_a_short_label_is_read(note):
    assert sentences(note), note


@pytest.mark.parametrize(
    "stuffed",
    [
        "limits: life at risk, child, pass, grounding, choice, agreements, safety",
        "safety: grounding, choice, pass, crisis line, limits",
        "- choice, pass, agreements, location, emergency contact, no recording",
        "the group, safety, pass, choice, grounding",
    ],
)
def test_keywords_under_a_label_are_still_a_list(stuffed):
    assert sentences(stuffed) == [], stuffed


def test_a_script_that_opens_with_a_name_is_the_facilitators_words():
    assert "facts" in earned('I would say, "Everyone, he died by suicide, and it is a loss."')
    assert "facts" in earned('Say, "Janet, he died by suicide."')
    assert "facts" not in earned("His brother said, and it hurt, he died by suicide.")


def test_someone_can_pass_is_a_rule_the_facilitator_sets():
    assert "pass" in earned("Check-in is name and one word, somebody can pass, it is fine.")
    assert "pass" in earned("Someone can pass if they want to.")
    assert about_the_facilitator("someone may pass") and not about_the_facilitator("someone left")


@pytest.mark.parametrize(
    "sentence",
    [
        "the session would be opened with a welcome",
        "each member will be asked where they are",
        "the rules would be read out at the start",
    ],
)
def test_a_plan_in_the_passive_is_the_facilitators(sentence):
    assert about_the_facilitator(sentence), sentence


@pytest.mark.parametrize(
    "sentence", ["the alarm would be loud for everyone", "the room was booked by the council"]
)
def test_narration_in_the_passive_is_not(sentence):
    assert not about_the_facilitator(sentence), sentence


def test_an_instruction_owns_the_items_of_its_list():
    text = "Explain the plan, a chance to carry on or take a break for anyone."
    assert "revisit" in earned(text)
    assert "revisit" not in earned("The weather was odd, a chance to carry on or take a break.")


def test_a_move_taken_back_after_it_is_no_move():
    assert flagged("I told him it stays between us, and I shouldn't have promised that.") == set()
    assert flagged("I'd tell him it stays between us, but I won't do that.") == set()
    assert "secrecy" in flagged("I'd tell him it stays between us, and I'd mean it.")
