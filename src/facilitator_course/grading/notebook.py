"""Generate each assignment's nbgrader source notebook from its items file."""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..curriculum import module
from .items import STUBS, assignment, exercises_dir, item_files, variable

TEST_CELL = (
    "from importlib import import_module, reload\n\n"
    'reload(import_module("facilitator_course.grading.checks")).grade("{id}", {var})'
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
    kind = item["kind"]
    if kind in ("single", "judgement"):
        parts.append(_letters("Options:", item["options"]))
        parts.append(
            f"Set `{variable(item['id'])}` to the letter of your choice, then run the "
            "check cell below it to see feedback."
        )
    elif kind == "multiple":
        parts.append(_letters("Options (choose every one that applies):", item["options"]))
        parts.append(f"Set `{variable(item['id'])}` to a list of letters. Wrong picks cost points.")
    elif kind == "ordering":
        parts.append(_letters("Steps:", item["steps"]))
        parts.append(f"Set `{variable(item['id'])}` to every letter, first step first.")
    elif kind == "classification":
        parts.append(_letters("Statements:", item["statements"]))
        cats = ", ".join(f'"{c}"' for c in item["categories"])
        parts.append(
            f"Categories: {cats}. Set `{variable(item['id'])}` to a mapping from each "
            "letter to its category."
        )
    elif kind == "reflection":
        parts.append(
            "Write in full sentences about what you would do and why; lists of "
            "keywords earn nothing. Run the check cell for feedback on each part "
            "of the rubric."
        )
    else:
        parts.append(
            "Write your answer in the cell below. Your trainer grades it by hand. "
            "Share only what you are comfortable sharing."
        )
    return head + "\n\n".join(p.strip() for p in parts if p)


def _solution(item: dict) -> str:
    kind, var = item["kind"], variable(item["id"])
    if kind == "reflection":
        value = '"""\n' + item["model"].strip() + '\n"""'
    elif kind in ("single", "judgement"):
        best = item["answer"] if kind == "single" else max(item["credit"], key=item["credit"].get)
        value = repr(best)
    else:
        value = repr(item["answer"])
    return f"{var} = {STUBS[kind]}\n### BEGIN SOLUTION\n{var} = {value}\n### END SOLUTION"


def source_notebook(slug: str) -> nbformat.NotebookNode:
    data = assignment(slug)
    m = module(slug)
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell(
            f"# {data['title']}\n\nModule {m.number}: {m.title}.\n\n{data['intro'].strip()}\n\n"
            "Your answers stay in this notebook on your machine until you hand it in.",
            metadata=_meta(f"{slug}-intro"),
        )
    ]
    for item in data["items"]:
        iid = item["id"]
        cells.append(v4.new_markdown_cell(_prompt(item), metadata=_meta(f"{iid}-prompt")))
        if item["kind"] == "manual":
            cells.append(
                v4.new_markdown_cell(
                    "YOUR ANSWER HERE",
                    metadata=_meta(
                        iid, grade=True, solution=True, locked=False, points=item["points"]
                    ),
                )
            )
            continue
        cells.append(
            v4.new_code_cell(
                _solution(item), metadata=_meta(f"{iid}-answer", solution=True, locked=False)
            )
        )
        cells.append(
            v4.new_code_cell(
                TEST_CELL.format(id=iid, var=variable(iid)),
                metadata=_meta(iid, grade=True, points=item["points"]),
            )
        )
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
