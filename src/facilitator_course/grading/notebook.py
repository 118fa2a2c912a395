"""Generate each assignment's nbgrader source notebook from its items file."""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..curriculum import module
from .items import assignment, exercises_dir, item_files
from .kinds import KINDS

HOW_TO_ANSWER = (
    "**How to answer.** Under each item is a box that says YOUR ANSWER HERE. Double-click it "
    "and write your answer in plain words, as you would on paper: a letter (b), letters "
    "(a, c), an order (d b a c), pairs (a: fight, b: flight) or sentences. Press Shift+Enter "
    "to finish. There is no code to write. At the end, a self-check tells you whether every "
    "answer is complete and readable."
)
SELF_CHECK_TITLE = (
    "## Before you hand it in\n\n"
    "Save the notebook (Ctrl+S, or Cmd+S on a Mac), then run the cell below. It tells you "
    "whether every answer is complete and written in a form your trainer's grading can read. "
    "Whether your answers are right comes with your trainer's feedback."
)
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _meta(grade_id: str, *, grade=False, solution=False, locked=True, points=None) -> dict:
    meta = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _letters(title: str, letters: dict) -> str:
    return f"{title}\n\n" + "\n".join(f"- **{k}**: {v}" for k, v in sorted(letters.items()))


def _prompt(item: dict) -> str:
    head = (
        f"## Item {item['id']} ({item['points']:g} point{'s' * (item['points'] != 1)}; "
        f"{', '.join(item['competencies'])})\n\n"
    )
    parts = [item.get("vignette", ""), item["prompt"]]
    kind = KINDS[item["kind"]]
    if kind.listing:
        key, title = kind.listing
        parts.append(_letters(title, item[key]))
    if "categories" in item:
        parts.append(f"Categories: {', '.join(item['categories'])}.")
    how = kind.how(item) + kind.advice
    parts.append(
        f"**Your answer** goes in the box below: double-click it and replace YOUR ANSWER HERE. "
        f"{how}."
    )
    return head + "\n\n".join(p.strip() for p in parts if p)


def _self_check_source(slug: str, items: list[dict]) -> str:
    """The self-check cell: plain_words.py and a driver, with each item's form (no keys)."""
    from importlib import resources

    here = resources.files(__package__)
    spec = []
    for item in items:
        kind = KINDS[item["kind"]]
        letters = item[kind.listing[0]] if kind.listing else {}
        spec.append(
            {
                "id": item["id"],
                "form": kind.form,
                "optional": not kind.auto,
                "answer_cell": item["id"],
                "letters": sorted(letters),
                "categories": item.get("categories", []),
            }
        )
    return (
        "# Self-check: is every answer complete and readable? (It does not say if it is right.)\n"
        + here.joinpath("plain_words.py").read_text()
        + f"\n\nASSIGNMENT = {slug!r}\nITEMS = {spec!r}\n\n"
        + here.joinpath("selfcheck_driver.py").read_text()
    )


def source_notebook(slug: str) -> nbformat.NotebookNode:
    data = assignment(slug)
    m = module(slug)
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell(
            f"# {data['title']}\n\nModule {m.number}: {m.title}.\n\n{data['intro'].strip()}\n\n"
            f"{HOW_TO_ANSWER}\n\nYour answers stay in this notebook on your machine until you "
            "hand it in.",
            metadata=_meta(f"{slug}-intro"),
        )
    ]
    for item in data["items"]:
        iid = item["id"]
        cells.append(v4.new_markdown_cell(_prompt(item), metadata=_meta(f"{iid}-prompt")))
        answer = (
            KINDS[item["kind"]].example(item) if KINDS[item["kind"]].auto else "YOUR ANSWER HERE"
        )
        cells.append(
            v4.new_markdown_cell(
                answer,
                metadata=_meta(iid, grade=True, solution=True, locked=False, points=item["points"]),
            )
        )
    cells.append(v4.new_markdown_cell(SELF_CHECK_TITLE, metadata=_meta(f"{slug}-check-title")))
    check = v4.new_code_cell(
        _self_check_source(slug, data["items"]), metadata=_meta(f"{slug}-self-check")
    )
    check.metadata["jupyter"] = {"source_hidden": True}
    cells.append(check)
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"{slug[:2]}-{n:02d}"
    return nb


def source_path(slug: str) -> Path:
    return exercises_dir() / "source" / slug / f"{slug}.ipynb"


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def write_source_notebooks() -> list[Path]:
    """(Re)write every assignment's source notebook; returns the paths written."""
    written = []
    for path in item_files():
        target = source_path(path.stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = render(source_notebook(path.stem))
        if not target.is_file() or target.read_text() != text:
            target.write_text(text)
            written.append(target)
    return written


def student_notebook(slug: str) -> str:
    """The trainee's version of an assignment, as nbgrader's release makes it (no database)."""
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = source_notebook(slug)
    steps = [
        LockCells(),
        ClearSolutions(code_stub={"python": ""}, text_stub="YOUR ANSWER HERE"),
        ClearOutput(),
        ClearHiddenTests(),
        ClearMarkScheme(),
        ComputeChecksums(),
    ]
    for step in steps:
        nb, _ = step.preprocess(nb, {})
    text = render(nb)
    if any(marker in text for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")):
        raise RuntimeError(f"the student version of {slug} still has a solution")
    return text
