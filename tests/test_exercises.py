"""Exercise items, checks and generated notebooks."""

from __future__ import annotations

import pytest

from facilitator_course.grading import checks
from facilitator_course.grading.items import all_items, check_items, item_files
from facilitator_course.grading.notebook import (
    render,
    source_notebook,
    source_path,
    student_notebook,
)

FILES = item_files()


def test_core_modules_have_exercises():
    slugs = {p.stem for p in FILES}
    assert {"02-trauma-informed-care", "03-group-agreements", "04-de-escalation"} <= slugs


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_items_meet_the_exercise_standard(path):
    assert [str(p) for p in check_items(path)] == []
    items = [i for i in all_items().values() if i["assignment"] == path.stem]
    auto = [i for i in items if i["kind"] != "manual"]
    assert len(auto) >= 4 and len({i["kind"] for i in auto}) >= 3
    assert any(i["kind"] == "reflection" for i in auto)
    assert any(i["kind"] == "manual" for i in items)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_source_notebook_is_current(path):
    assert source_path(path.stem).read_text() == render(source_notebook(path.stem)), (
        "run: course exercises"
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_student_version_has_no_solutions(path):
    text = student_notebook(path.stem)
    assert "BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    for item in all_items().values():
        if item["assignment"] == path.stem and item["kind"] == "reflection":
            assert item["model"].strip()[:60] not in text


def test_checks_give_partial_credit_and_never_raise(capsys):
    some = next(i for i in all_items().values() if i["kind"] == "multiple")
    right = checks.grade(some["id"], list(some["answer"]))
    assert right == float(some["points"])
    one = list(some["answer"])[:1]
    half = checks.grade(some["id"], one)
    # right picks minus wrong picks, over the number right, of the item's points
    assert half == pytest.approx(round(some["points"] * len(one) / len(some["answer"]), 2))
    assert 0 < half < right
    for bad in (None, 3, {"x": 1}, "zzz"):
        assert checks.grade(some["id"], bad) == 0.0
    out = capsys.readouterr()
    assert "Principle:" in out.out and out.err == ""


def _run_self_check(notebook: dict, folder, capsys) -> str:
    """Run a notebook's self-check cell as JupyterLab would, beside the saved notebook."""
    import json
    import os

    check = next(c for c in notebook["cells"] if "def self_check" in "".join(c["source"]))
    path = folder / "02-trauma-informed-care.ipynb"
    path.write_text(json.dumps(notebook))
    here = os.getcwd()
    os.chdir(folder)
    try:
        exec("".join(check["source"]), {"__name__": "__main__"})
    finally:
        os.chdir(here)
    return capsys.readouterr().out


def test_self_check_says_what_is_complete_and_readable_never_what_is_right(tmp_path, capsys):
    import json

    slug = "02-trauma-informed-care"
    released = json.loads(student_notebook(slug))
    items = [i for i in all_items().values() if i["assignment"] == slug]
    out = _run_self_check(released, tmp_path, capsys)
    assert f"0 of {len(items)} answers are complete and readable" in out
    answers = {"tic-1": "B", "tic-2": "a,c", "tic-3": "zzz"}
    for cell in released["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    out = _run_self_check(released, tmp_path, capsys)
    assert "tic-1: ready." in out and "tic-2: ready." in out
    assert 'tic-3: not ready. I could not read "zzz"' in out
    for item in items:
        assert item.get("model", "@@")[:40] not in out
    assert "Right" not in out and "points" not in out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_solution_scores_full_points(path, capsys):
    for spec in all_items().values():
        if spec["assignment"] != path.stem or spec["kind"] == "manual":
            continue
        if spec["kind"] == "reflection":
            best = spec["model"]
        elif spec["kind"] == "judgement":
            best = max(spec["credit"], key=spec["credit"].get)
        else:
            best = spec["answer"]
        assert checks.grade(spec["id"], best) == float(spec["points"]), (
            spec["id"],
            capsys.readouterr().out,
        )


def test_keyword_lists_earn_nothing():
    from facilitator_course.grading.rubric import sentences

    assert sentences("choice, pass, grounding, safety, eyes open") == []
    assert (
        sentences(
            "I will co-create, revisit, safeguarding, a child, with no guarantee for the group."
        )
        == []
    )
    assert sentences("I would ask the group what they need, and then I would listen.") != []


def test_wrapping_lines_does_not_change_a_reflection_score():
    import textwrap

    from facilitator_course.grading.items import load_rubric
    from facilitator_course.grading.rubric import score_text

    for spec in all_items().values():
        if spec["kind"] != "reflection":
            continue
        rubric = load_rubric(spec["rubric"])
        flat = " ".join(spec["model"].split())
        wrapped = textwrap.fill(flat, 60)
        assert (
            score_text(rubric, wrapped, spec["prompt"]).points
            == score_text(rubric, flat, spec["prompt"]).points
        ), spec["id"]


def test_negated_concepts_earn_nothing():
    from facilitator_course.grading.rubric import score_text

    rubric = {
        "criteria": [
            {
                "id": "ask",
                "points": 1,
                "description": "d",
                "evidence": "e",
                "concepts": [{"name": "ask", "phrases": ["ask about suicide"]}],
            }
        ]
    }
    yes = "I would ask about suicide directly and calmly with the person."
    no = "I would not ask about suicide because it might upset the person."
    also_no = "I haven't ever wanted to ask about suicide with anyone in the group."
    assert score_text(rubric, yes).points == 1
    assert score_text(rubric, no).points == 0
    assert score_text(rubric, also_no).points == 0


def test_plain_words_from_the_web_form_read_back_to_the_same_answer():
    """tests/data/answer-words.json: the words the web form writes (tests/js) read back."""
    import json
    from pathlib import Path

    from facilitator_course.grading import plain_words as w

    vectors = json.loads((Path(__file__).parent / "data" / "answer-words.json").read_text())
    readers = {
        "single": lambda v: w.read_letter(v["words"], v["letters"]),
        "judgement": lambda v: w.read_letter(v["words"], v["letters"]),
        "multiple": lambda v: w.read_letters(v["words"], v["letters"]),
        "ordering": lambda v: w.read_order(v["words"], v["letters"]),
        "classification": lambda v: w.read_pairs(v["words"], v["letters"], v["categories"]),
        "reflection": lambda v: w.read_prose(v["words"]),
    }
    for v in vectors:
        value, problem = readers[v["kind"]](v)
        expected = v["value"]
        if v["kind"] == "multiple":
            expected = sorted(expected)
        if v["kind"] == "reflection":
            expected = expected.strip()
        assert problem is None and value == expected, v


@pytest.mark.parametrize(
    "words, letters, expect",
    [
        ("B", "abcd", "b"),
        ("b)", "abcd", "b"),
        ("(c)", "abcd", "c"),
        ("option d", "abcd", "d"),
        ("I think a", "abcd", "a"),
    ],
)
def test_one_letter_is_read_however_people_write_it(words, letters, expect):
    from facilitator_course.grading.plain_words import read_letter

    assert read_letter(words, list(letters)) == (expect, None)


@pytest.mark.parametrize(
    "words, says",
    [
        ("", "No answer yet"),
        ("YOUR ANSWER HERE", "No answer yet"),
        ("a and c", "Choose one letter only"),
        ("maybe", 'I could not read "maybe"'),
        ("z", 'I could not read "z"'),
    ],
)
def test_an_unreadable_letter_gets_a_reason(words, says):
    from facilitator_course.grading.plain_words import read_letter

    value, problem = read_letter(words, list("abcd"))
    assert value is None and problem.startswith(says)


def test_several_letters_orders_and_pairs_are_read_as_people_write_them():
    from facilitator_course.grading.plain_words import read_letters, read_order, read_pairs

    for words in ("a, c", "a,c", "a and c", "A & C", "c a"):
        assert read_letters(words, list("abcde")) == (["a", "c"], None), words
    for words in ("d b a c", "d, b, a, c", "d > b > a > c", "D-B-A-C"):
        assert read_order(words, list("abcd")) == (["d", "b", "a", "c"], None), words
    assert read_order("d b a", list("abcd"))[1] == "Write every letter once, in order (c missing)."
    cats = ["fight", "flight", "freeze"]
    for words in ("a: fight, b: flight", "a fight\nb flight", "a) Fight; b - flight"):
        assert read_pairs(words, ["a", "b"], cats) == ({"a": "fight", "b": "flight"}, None), words
    assert "not one of the categories" in read_pairs("a: run, b: fight", ["a", "b"], cats)[1]


def test_old_python_answers_are_read_as_data_and_never_run():
    from facilitator_course.grading.plain_words import old_style

    assert old_style('tic_3 = ["a", "c"]') == "a, c"
    assert old_style('tic_4 = {"a": "fight", "b": "flight"}') == "a: fight, b: flight"
    assert old_style('tic_1 = """Some words."""') == "Some words."
    assert old_style('x = __import__("os").system("touch /tmp/pwned")') == ""
    assert old_style("b") is None


@pytest.mark.slow
def test_nbgrader_validate_accepts_every_source_notebook_and_a_plain_word_submission(tmp_path):
    """nbgrader's own validator (it runs the notebook in a kernel, as `nbgrader validate`)."""
    import json

    from nbgrader.validator import Validator

    from facilitator_course.grading.kinds import KINDS

    validator = Validator()
    for path in FILES:
        assert validator.validate(str(source_path(path.stem))) == {}, path.stem
    slug = "02-trauma-informed-care"
    released = json.loads(student_notebook(slug))
    specs = {i["id"]: i for i in all_items().values() if i["assignment"] == slug}
    plain = {"single": "B", "judgement": "a and c", "multiple": "a,c"}
    for cell in released["cells"]:
        spec = specs.get(cell["metadata"].get("nbgrader", {}).get("grade_id"))
        if spec:
            cell["source"] = plain.get(spec["kind"]) or KINDS[spec["kind"]].example(spec)
    answered = tmp_path / f"{slug}.ipynb"
    answered.write_text(json.dumps(released))
    assert validator.validate(str(answered)) == {}


def test_every_module_has_valid_practice_questions_and_a_broken_one_is_named(tmp_path):
    import yaml

    from facilitator_course.practice import check_practice, practice_files

    files = practice_files()
    assert len(files) == 8
    for path in files:
        assert [str(p) for p in check_practice(path)] == [], path
    data = yaml.safe_load(files[0].read_text())
    data["questions"][0]["answer"] = "z"
    folder = tmp_path / files[0].parent.name
    folder.mkdir()
    broken = folder / "practice.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check_practice(broken)
    assert problems and problems[0].line > 1 and problems[0].fix


RUBRIC = {
    "criteria": [
        {
            "id": "ask",
            "points": 4,
            "description": "d",
            "evidence": "e",
            "concepts": [{"name": "ask", "phrases": ["ask about suicide"], "weight": 4}],
        }
    ],
    "red_flags": [
        {
            "id": "secrecy",
            "name": "promising secrecy",
            "principle": "Never promise secrecy.",
            "phrases": ["stays between us", "won't tell anyone"],
            "examples": {"trips": "x", "near_miss": "y"},
        }
    ],
}


def test_a_red_flag_caps_the_score_names_the_sentence_and_spares_near_misses():
    from facilitator_course.grading.rubric import score_text

    good = "I would ask about suicide directly and calmly with the person."
    assert score_text(RUBRIC, good).points == 4
    flagged = score_text(RUBRIC, good + " It stays between us.")
    assert flagged.points == 1 and flagged.uncapped == 4
    assert [f.sentence for f in flagged.red_flags] == ["it stays between us."]
    near = score_text(RUBRIC, good + " I would never say it stays between us.")
    assert near.points == 4 and near.red_flags == []
    short = score_text(RUBRIC, good + "\n- won't tell anyone")  # a short line is read too
    assert short.red_flags and short.points == 1


def test_avoid_rather_than_and_without_negate_and_short_lines_are_read():
    from facilitator_course.grading.rubric import score_text

    rubric = {
        "criteria": [
            {
                "id": "ask",
                "points": 1,
                "description": "d",
                "evidence": "e",
                "concepts": [{"name": "ask", "phrases": ["ask her privately"]}],
            }
        ]
    }
    for negated in (
        "I would avoid having to ask her privately about any of it.",
        "I would wait rather than ask her privately about it tonight.",
        "I would carry on without stopping to ask her privately at all.",
    ):
        assert score_text(rubric, negated).points == 0, negated
    assert score_text(rubric, "- ask her privately").points == 1  # a terse note counts
    assert score_text(rubric, "privately").points == 0


def test_real_sentences_are_read_however_they_are_built():
    from facilitator_course.grading.rubric import sentences

    listing = (
        "I'd say grief looks different for everyone, laughing, crying, going numb, "
        "and all of it is allowed here."
    )
    assert sentences(listing) != []  # a list inside a sentence is not a keyword list
    assert sentences("No method.") == ["no method."]  # a two-word note is read
    prompt = "Kofi, a member of the group, died by suicide and his family said we may tell them."
    assert sentences("I'd say he died by suicide, as his family allowed.", prompt) != []
    assert sentences(prompt, prompt) == []  # a copied prompt is not an answer
    assert sentences("safety") == []
    notes = sentences("Do not close the window\nOffer everyone a pause")
    assert notes == ["do not close the window", "offer everyone a pause"]  # two notes
    assert len(sentences("- short grounding, eyes open, look around")) == 1  # a bullet note
    assert sentences("- thanks, glad group helps") != []


def test_an_option_offered_to_a_member_is_the_facilitators_move():
    from facilitator_course.grading.rubric import about_the_facilitator

    assert about_the_facilitator("he could call samaritans any time of night")
    assert about_the_facilitator("she can sit with me in the foyer")
    assert not about_the_facilitator("he was angry about the rules")
    assert about_the_facilitator("the host would ask everyone online where they are")
    assert about_the_facilitator("everyone needs to know that a risk to life is shared")
    assert not about_the_facilitator("everyone in the room agrees that water is optional")


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("i would never argue or ", True),  # "... or shame her": the negation reaches
        ("i would not argue, lecture or ", True),  # a list of short items
        ("i wouldn't get into how much she drank, it would only ", False),  # a new clause
        ("i can't give my number out and ", False),  # "... and give him the line's number"
        ("instead of talking to him about it i'd just ", False),  # a new first-person verb
        ("i would not ask because it might upset her, so i would ", False),
        ("it is not my job to ", True),
        ("i'd stay with her and ", False),
        ("i wouldn't ask if ", True),  # "... if she has taken anything": what is asked
        ("i'd never put my arm across the door or ", True),  # "never X or Y" negates Y
        ("i don't think i'd ", True),  # a negation raised to "think"
        ("there's no pressure and ", False),  # "... passing is fine": "no" has its noun
        ("i'd never say, \"you should ", True),  # what is never said, quoted
        ('i would never say: "', True),
        ("i don't think it matters much, i'd ", False),
    ],
)
def test_a_negation_reaches_to_the_end_of_its_clause(before, expected):
    from facilitator_course.grading.rubric import negated

    assert negated(before) is expected


def test_crisis_numbers_in_rubric_evidence_come_from_the_profile(tmp_path, monkeypatch):
    from pathlib import Path

    from facilitator_course.grading.rubric import score_text

    rubric = {
        "criteria": [
            {
                "id": "help",
                "points": 1,
                "description": "d",
                "evidence": "e",
                "concepts": [
                    {"name": "a line", "phrases": ["{crisis_numbers}", "{emergency_numbers}"]}
                ],
            }
        ]
    }
    us = "I would remind everyone that they can text 988 at any time of day."
    nz = "I would remind everyone that they can text 1737 at any time of day."
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("COURSE_PROFILE", str(root / "course.yml"))
    assert (score_text(rubric, us).points, score_text(rubric, nz).points) == (1, 0)
    profile = (
        (root / "course.yml")
        .read_text()
        .replace(
            "default_region: US",
            "default_region: NZ",
        )
        .replace(
            "crisis_resources:\n",
            "crisis_resources:\n  - region: NZ\n    label: Aotearoa New Zealand\n"
            '    emergency_number: "111"\n    services:\n      - name: Need to talk?\n'
            '        phone: "1737"\n        text: "1737"\n        hours: 24 hours a day\n',
            1,
        )
    )
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "logo.svg").write_text((root / "book" / "logo.svg").read_text())
    (tmp_path / "course.yml").write_text(profile)
    monkeypatch.setenv("COURSE_PROFILE", str(tmp_path / "course.yml"))
    assert score_text(rubric, nz).points == 1
    assert score_text(rubric, "I would make sure they know to call 111 right away.").points == 1


def test_every_rubric_has_red_flags_that_trip_and_near_misses_that_do_not():
    import yaml

    from facilitator_course.grading.items import exercises_dir
    from facilitator_course.grading.rubric import red_flags

    paths = sorted((exercises_dir() / "rubrics").glob("*.yaml"))
    assert len(paths) == 8
    for path in paths:
        rubric = yaml.safe_load(path.read_text())
        flags = rubric.get("red_flags", [])
        assert len(flags) >= 3, path.stem
        for flag in flags:
            one = {"red_flags": [flag]}
            assert red_flags(one, flag["examples"]["trips"]), (path.stem, flag["id"])
            assert not red_flags(one, flag["examples"]["near_miss"]), (path.stem, flag["id"])


@pytest.mark.parametrize(
    "stuffed",
    [
        "Everyone in the room agrees that drinking water is optional on Tuesdays. They keep "
        "their eyes open when they read the notices. Anyone can pass the salt at lunch.",
        "The manager says the choice of biscuits is optional. People can pass on the quiz "
        "night. Most of them keep their eyes open during the film and check in at the hotel.",
    ],
)
def test_keywords_in_sentences_about_other_things_earn_little(stuffed):
    """Only what the facilitator does or says earns points (first person, a script, an
    instruction, or a rule such as "people can pass"); sentences about other things earn
    nothing. A permission sentence on another topic can still earn one point: reading for
    topic, not form, is left for the held-out calibration work."""
    from facilitator_course.grading.items import item, load_rubric
    from facilitator_course.grading.rubric import score_text

    spec = item("tic-7")
    assert score_text(load_rubric(spec["rubric"]), stuffed, spec["prompt"]).points <= 1


@pytest.mark.parametrize(
    ("text", "is_blank"),
    [
        ("", True),
        ("YOUR ANSWER HERE", True),
        ("*YOUR ANSWER HERE*", True),
        ("# YOUR CODE HERE\nraise NotImplementedError()", True),
        ("b", False),
        ("YOUR ANSWER HERE\n\nI would ask her privately.", False),
    ],
)
def test_a_placeholder_is_never_an_answer(text, is_blank):
    from facilitator_course.grading.plain_words import blank

    assert blank(text) is is_blank


def test_a_new_item_kind_is_one_registry_entry(tmp_path, monkeypatch):
    """A kind added to KINDS alone is accepted by the schema and `course validate`, shown
    in the notebook, read by the self-check's form, offered by the web form and scored."""
    import dataclasses

    import yaml

    from facilitator_course.grading import items as items_module
    from facilitator_course.grading import kinds
    from facilitator_course.grading.notebook import _prompt, _self_check_source
    from facilitator_course.grading.web import public_item

    from .conftest import ROOT

    yes_no = dataclasses.replace(kinds.KINDS["single"], name="yes-no")
    monkeypatch.setitem(kinds.KINDS, "yes-no", yes_no)
    items_module.items_schema.cache_clear()
    try:
        source = ROOT / "exercises" / "items" / "02-trauma-informed-care.yaml"
        data = yaml.safe_load(source.read_text())
        item = {**next(i for i in data["items"] if i["kind"] == "single"), "kind": "yes-no"}
        item["id"] = "tic-99"
        data["items"].append(item)
        path = tmp_path / source.name
        dumper = type("NoAliases", (yaml.SafeDumper,), {"ignore_aliases": lambda *a: True})
        path.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False))
        assert items_module.check_items(path) == []
        assert "Options:" in _prompt(item)
        assert "'form': 'letter'" in _self_check_source("02-trauma-informed-care", [item])
        assert public_item(item)["form"] == "letter"
        assert kinds.score_answer(item, item["answer"]).points == item["points"]
        bad = {**item, "answer": ["a", "b"]}  # the kind's schema part applies
        data["items"][-1] = bad
        path.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False))
        assert items_module.check_items(path)
    finally:
        monkeypatch.undo()
        items_module.items_schema.cache_clear()


def test_a_move_described_then_refused_is_not_affirmed():
    from facilitator_course.grading.rubric import red_flags

    rubric = {
        "red_flags": [
            {
                "id": "accuse",
                "name": "public accusation",
                "principle": "p",
                "phrases": ["call her question racist"],
            }
        ]
    }
    assert red_flags(rubric, "I would call her question racist in front of everyone.")
    for refused in (
        "To call her question racist in front of the group would only shame her, so I wouldn't.",
        "Some would call her question racist there and then, which I would never do.",
    ):
        assert red_flags(rubric, refused) == [], refused


def test_reported_speech_the_facilitator_starts_is_theirs():
    from facilitator_course.grading.rubric import score_text

    rubric = {
        "criteria": [
            {
                "id": "name",
                "points": 1,
                "description": "d",
                "evidence": "e",
                "concepts": [{"name": "names the assumption", "phrases": ["assumed mei"]}],
            }
        ]
    }
    said = (
        "I'd tell Janet I know she meant it kindly, but the question assumed Mei isn't from here."
    )
    assert score_text(rubric, said).points == 1
    assert score_text(rubric, "Everyone knows the question assumed Mei was new here.").points == 0
