"""`course review`: the trainer's queue of reflections the machine scored, red flags and
lowest confidence first, with the evidence it found; the trainer confirms or changes each
score, which is stored as a manual grade in nbgrader's gradebook (so the formgrader,
`course feedback` and `course report` agree)."""

from __future__ import annotations

import re
from pathlib import Path

from .autograde import answers_by_item
from .items import assignment, exercises_dir, load_rubric
from .kinds import KINDS
from .nbgrader_api import gradebook_url, private
from .rubric import score_text


def queue(slug: str) -> list[dict]:
    """Every machine-scored reflection of `slug`: red flags first, then lowest confidence."""
    from nbgrader.api import Gradebook

    specs = [i for i in assignment(slug)["items"] if KINDS[i["kind"]].scored_by_rubric]
    rows = []
    with Gradebook(gradebook_url()) as gb:
        try:
            submissions = gb.assignment_submissions(slug)
        except Exception:  # noqa: BLE001 - an assignment never graded
            submissions = []
        for sub in submissions:
            notebook = exercises_dir() / "autograded" / sub.student_id / slug / f"{slug}.ipynb"
            if not notebook.is_file():
                continue
            answers = answers_by_item(notebook)
            grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
            for spec in specs:
                grade = grades.get(spec["id"])
                if grade is None:
                    continue
                text = answers.get(spec["id"], "")
                result = score_text(load_rubric(spec["rubric"]), text, spec["prompt"])
                status = ""
                if grade.manual_score is not None:
                    same = grade.manual_score == grade.auto_score
                    status = "confirmed" if same else f"changed to {grade.manual_score:g}"
                rows.append(
                    {
                        "student": sub.student_id,
                        "item": spec["id"],
                        "rubric": spec["rubric"],
                        "auto": f"{(grade.auto_score or 0):g}",
                        "auto_score": grade.auto_score or 0.0,
                        "manual_score": grade.manual_score,
                        "max": f"{grade.max_score:g}",
                        "confidence": f"{result.confidence:.2f}",
                        "doubts": [d for d in result.doubts if not d.startswith("red flag")],
                        "red_flags": result.red_flags,
                        "criteria": [
                            {
                                "id": c.id,
                                "points": f"{c.points:g}",
                                "max": c.max_points,
                                "evidence": c.evidence,
                            }
                            for c in result.criteria
                        ],  # fmt: skip
                        "marked": _marked(text, result),
                        "status": status,
                    }
                )
    rows.sort(key=lambda r: (not r["red_flags"], float(r["confidence"]), r["student"], r["item"]))
    return rows


def _marked(text: str, result) -> list[tuple[str, str]]:
    """The answer in parts: red-flag sentences, evidence sentences, and the rest."""
    spans = [(f.sentence, "red") for f in result.red_flags]
    spans += [(c.evidence, "evidence") for c in result.criteria if c.evidence]
    parts: list[tuple[str, str]] = [(text, "")]
    for sentence, kind in spans:
        words = [re.escape(w) for w in sentence.split()]
        if not words:
            continue
        pattern = re.compile(r"\s+".join(words), re.IGNORECASE)
        split: list[tuple[str, str]] = []
        for part, k in parts:
            if k:
                split.append((part, k))
                continue
            last = 0
            for m in pattern.finditer(part):
                split += [(part[last : m.start()], ""), (m.group(0), kind)]
                last = m.end()
            split.append((part[last:], ""))
        parts = [(p, k) for p, k in split if p]
    return parts


def write_page(slug: str, rows: list[dict]) -> Path:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from ..paths import package_dir

    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "review"),
        autoescape=select_autoescape(["html"]),
    )
    out = exercises_dir() / "reports" / f"{slug}-review.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    pending = sum(r["manual_score"] is None for r in rows)
    out.write_text(env.get_template("review.html").render(slug=slug, rows=rows, pending=pending))
    private(out)
    return out


def changes(rows: list[dict]) -> list[str]:
    """How many automatic scores trainers changed, and by how much, per rubric."""
    by_rubric: dict[str, list[float]] = {}
    reviewed: dict[str, int] = {}
    for r in rows:
        if r["manual_score"] is None:
            continue
        reviewed[r["rubric"]] = reviewed.get(r["rubric"], 0) + 1
        delta = r["manual_score"] - r["auto_score"]
        if delta:
            by_rubric.setdefault(r["rubric"], []).append(delta)
    lines = []
    for rubric, n in sorted(reviewed.items()):
        deltas = by_rubric.get(rubric, [])
        mean = sum(deltas) / len(deltas) if deltas else 0.0
        lines.append(
            f"{rubric}: {len(deltas)} of {n} reviewed scores changed"
            + (f", by {mean:+.2f} points on average" if deltas else "")
        )
    return lines


def confirm(slug: str, student: str, item_id: str) -> str:
    """Keep the machine's score as the trainer's own."""
    from nbgrader.api import Gradebook

    from .trainer import find_grade

    with Gradebook(gradebook_url()) as gb:
        grade = find_grade(gb, slug, student, item_id)
        grade.manual_score = grade.auto_score or 0.0
        grade.needs_manual_grade = False
        gb.db.commit()
        return f"{student} {item_id}: {grade.score:g} of {grade.max_score:g} (confirmed)"


def summary(slug: str, rows: list[dict]) -> str:
    lines = [
        f"Review queue for {slug}: {len(rows)} answer(s), red flags and lowest confidence first"
    ]
    for r in rows:
        flags = "; ".join(f"RED FLAG {f.name}" for f in r["red_flags"])
        lines.append(
            f"  {r['student']} {r['item']}: {r['auto']}/{r['max']}, confidence {r['confidence']}"
            + (f", {flags}" if flags else "")
            + (f" [{r['status']}]" if r["status"] else "")
        )
    return "\n".join(lines + changes(rows))
