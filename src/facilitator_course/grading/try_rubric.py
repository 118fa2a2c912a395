"""`course score-text`: try a rubric on answers from a file, as a rubric author would."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import CourseError, Problem
from .items import item, load_rubric
from .kinds import KINDS
from .rubric import score_text

JSON_FIX = 'write one answer per line as {"id": "...", "text": "..."}.'


def read_answers(path: Path | None) -> list[dict]:
    """Answers from JSON lines ({"id": ..., "text": ...}) or blocks separated by a line `---`."""
    text = sys.stdin.read() if path is None else _read(path)
    name = "standard input" if path is None else str(path)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        answers = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CourseError(
                    Problem(
                        name, n, f"not a JSON line ({exc.msg}).", 'write {"id": ..., "text": ...}.'
                    )
                ) from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise CourseError(Problem(name, n, "a JSON line needs a text.", JSON_FIX))
            answers.append({"id": str(row.get("id", len(answers) + 1)), "text": row["text"]})
        return answers
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip() == "---":
            blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    blocks.append("\n".join(current))
    return [{"id": str(n), "text": b.strip()} for n, b in enumerate(blocks, 1) if b.strip()]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(
            Problem(path, 0, "no such file.", "give the path of your answers file.")
        ) from None
    except UnicodeDecodeError:
        raise CourseError(
            Problem(path, 0, "the file is not UTF-8 text.", "save it as UTF-8.")
        ) from None


def reflection(item_id: str) -> dict:
    """The reflection item `item_id`; a clear error for any other kind."""
    spec = item(item_id)
    if not KINDS[spec["kind"]].scored_by_rubric:
        raise CourseError(
            Problem(
                item_id,
                0,
                f"{item_id} is a {spec['kind']} item, not a reflection.",
                "give the id of a reflection item (its rubric scores free text).",
            )
        )
    return spec


def score_answers(item_id: str, answers: list[dict]) -> list[dict]:
    spec = reflection(item_id)
    rubric = load_rubric(spec["rubric"])
    rows = []
    for answer in answers:
        result = score_text(rubric, answer["text"], spec["prompt"])
        rows.append(
            {
                "id": answer["id"],
                "points": result.points,
                "max": result.max_points,
                "criteria": [
                    {"id": c.id, "points": c.points, "max": c.max_points, "evidence": c.evidence}
                    for c in result.criteria
                ],
                "red_flags": [
                    {"id": f.id, "name": f.name, "sentence": f.sentence} for f in result.red_flags
                ],
                "confidence": result.confidence,
                "low_confidence_because": result.doubts,
            }
        )
    return rows


def format_rows(rows: list[dict]) -> str:
    out = []
    for r in rows:
        out.append(
            f"answer {r['id']}: {r['points']:g} of {r['max']} points, "
            f"confidence {r['confidence']:.2f}"
        )
        for c in r["criteria"]:
            said = f' - "{c["evidence"]}"' if c["evidence"] else ""
            out.append(f"  {c['id']}: {c['points']:g}/{c['max']}{said}")
        for f in r["red_flags"]:
            out.append(f'  RED FLAG {f["id"]} ({f["name"]}): "{f["sentence"]}"')
        for d in r["low_confidence_because"]:
            out.append(f"  low confidence: {d}")
    return "\n".join(out)
