"""`course score-text`: a rubric author tries a rubric on answers from a file."""

from __future__ import annotations

import json

from facilitator_course.cli import main
from facilitator_course.grading.items import item

MODEL = " ".join(item("cri-7")["model"].split())


def test_blocks_score_with_evidence_and_confidence(tmp_path, capsys):
    answers = tmp_path / "answers.txt"
    answers.write_text(f"{MODEL}\n---\nI would tell them.\n")
    assert main(["score-text", "cri-7", str(answers)]) == 0
    out = capsys.readouterr().out
    assert "answer 1: 4 of 4 points, confidence 1.00" in out
    assert "answer 2: 0 of 4 points" in out and "low confidence: a short answer" in out
    assert '  safe-language: 1/1 - "' in out  # the evidence sentence


def test_json_lines_in_and_out(tmp_path, capsys):
    answers = tmp_path / "answers.jsonl"
    rows = [{"id": "kofi-model", "text": MODEL}, {"id": "terse", "text": "Share the crisis line."}]
    answers.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main(["score-text", "cri-7", str(answers), "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in out] == ["kofi-model", "terse"]
    assert out[0]["points"] == 4 and out[0]["max"] == 4 and out[0]["red_flags"] == []
    assert {c["id"] for c in out[0]["criteria"]} >= {"safe-language", "hope-help"}
    assert out[1]["confidence"] < 0.6


def test_bad_input_gets_file_line_and_fix(tmp_path, capsys):
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"id": 1, "text": "fine"}\n{"id": 2, "text": \n')
    assert main(["score-text", "cri-7", str(answers)]) == 2
    err = capsys.readouterr().err
    assert f"{answers}:2: not a JSON line" in err and "Fix:" in err and "Traceback" not in err
    assert main(["score-text", "cri-1", str(answers)]) == 2
    assert "not a reflection" in capsys.readouterr().err
    assert main(["score-text", "cri-7", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
