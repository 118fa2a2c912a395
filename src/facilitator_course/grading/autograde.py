"""nbgrader's autograde steps for this course: answers are read as data and scored in
this process. No kernel starts and nothing a trainee wrote is ever run.

Each item has one answer cell: a Markdown cell that nbgrader knows as a written
answer (grade and solution), with the item id as its grade_id. In
exercises/nbgrader_config.py:

- `UpgradeOldAnswers` (first sanitize step) turns a submission from the first
  release, where an answer was a Python assignment in a code cell, into that form,
  reading the assignment with `ast.literal_eval`;
- `ScoreAnswers` takes the place of nbgrader's `Execute`: it reads and scores every
  answer;
- `SaveAnswerScores` takes the place of `SaveAutoGrades`: it records those scores as
  nbgrader's automatic scores with the feedback as the automatic comment, so the
  formgrader shows each answer with its score, and a trainer's manual score still
  overrides it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades

from . import plain_words
from .items import assignment
from .kinds import KINDS, Scored, score_answer

SCORES = "facilitator_course_scores"


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


# What nbgrader puts before an answer cell it adds back to a submission.
_ADDED_BACK = re.compile(r"^This cell \(id:[^)]*\) was missing from the submission\..*?\n\n", re.S)


def _text(cell) -> str:
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return _ADDED_BACK.sub("", text)


def feedback_text(spec: dict, scored: Scored) -> str:
    """What the trainee reads under an item: points, what was read, and teaching feedback."""
    lines = [f"{spec['id']}: {scored.points:g} of {scored.max_points:g} points"]
    if scored.problem:
        lines.append(f"Your answer could not be read: {scored.problem}")
    lines += scored.lines
    lines.append(f"Principle: {spec['principle']}")
    if spec.get("model"):
        lines.append(f"Model answer: {spec['model']}")
    return "\n".join(lines)


def answers_by_item(notebook: Path) -> dict[str, str]:
    """Each graded cell's text in an (autograded) notebook file, by item id."""
    cells = json.loads(Path(notebook).read_text()).get("cells", [])
    found: dict[str, str] = {}
    for cell in cells:
        meta = _nbgrader(cell)
        if meta.get("grade") and meta.get("grade_id") and meta["grade_id"] not in found:
            found[meta["grade_id"]] = _text(cell)
    return found


class UpgradeOldAnswers(NbGraderPreprocessor):
    """A first-release submission (answer = `tic_3 = [...]` in a code cell "tic-3-answer",
    scored by a code cell "tic-3") becomes one Markdown answer cell "tic-3" holding the
    answer's plain words."""

    def preprocess(self, nb, resources):
        old = {}
        for cell in nb.cells:
            gid = _nbgrader(cell).get("grade_id", "")
            if gid.endswith("-answer") and cell.get("cell_type") == "code":
                words = plain_words.old_style(_text(cell))
                old[gid[: -len("-answer")]] = words if words is not None else _text(cell)
        if not old:
            return nb, resources
        cells = []
        for cell in nb.cells:
            meta = _nbgrader(cell)
            gid = meta.get("grade_id", "")
            if gid.endswith("-answer") and gid[: -len("-answer")] in old:
                continue
            if gid in old and meta.get("grade"):
                answer = new_markdown_cell(old[gid] or plain_words.STUB)
                answer.metadata["nbgrader"] = {
                    **meta,
                    "grade": True,
                    "solution": True,
                    "locked": False,
                }
                cell = answer
            cells.append(cell)
        nb.cells = cells
        return nb, resources


class ScoreAnswers(NbGraderPreprocessor):
    """Score every auto-graded item of a submission from its answer cell."""

    def preprocess(self, nb, resources):
        slug = resources["nbgrader"]["assignment"]
        items = {i["id"]: i for i in assignment(slug)["items"]}
        scores: dict[str, tuple[Scored, str]] = {}
        for cell in nb.cells:
            meta = _nbgrader(cell)
            spec = items.get(meta.get("grade_id"))
            if not meta.get("grade") or spec is None or not KINDS[spec["kind"]].auto:
                continue
            if spec["id"] in scores:
                continue  # a duplicated cell: the first one counts
            scored = score_answer(spec, _text(cell))
            scored.points = min(max(scored.points, 0.0), float(meta.get("points", 0) or 0))
            scores[spec["id"]] = (scored, feedback_text(spec, scored))
        resources[SCORES] = scores
        return nb, resources


class SaveAnswerScores(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, with the scores of ScoreAnswers for the answer cells."""

    def _ids(self, cell) -> tuple:
        return (
            cell.metadata["nbgrader"]["grade_id"],
            self.notebook_id,
            self.assignment_id,
            self.student_id,
        )

    def _add_score(self, cell, resources) -> None:
        scored = resources.get(SCORES, {}).get(cell.metadata["nbgrader"]["grade_id"])
        if scored is None:
            super()._add_score(cell, resources)
            return
        grade = self.gradebook.find_grade(*self._ids(cell))
        grade.auto_score = float(scored[0].points)
        # a red flag sends the answer to a trainer; so does an earlier manual score
        grade.needs_manual_grade = grade.manual_score is not None or scored[0].review
        self.gradebook.db.commit()

    def _add_comment(self, cell, resources) -> None:
        scored = resources.get(SCORES, {}).get(cell.metadata["nbgrader"]["grade_id"])
        if scored is None:
            super()._add_comment(cell, resources)
            return
        self.gradebook.find_comment(*self._ids(cell)).auto_comment = scored[1]
        self.gradebook.db.commit()
