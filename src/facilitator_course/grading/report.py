"""`course report`: per-item and per-competency scores as CSV, and a cohort report
as HTML with plots. Free text appears only when the trainer asks for it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import mean

from ..errors import CourseError, Problem
from . import plain_words
from .items import assignment, exercises_dir
from .kinds import KINDS, free_text
from .nbgrader_api import gradebook_url, private


def cohort(slug: str, include_text: bool = False) -> list[dict]:
    """One row per graded trainee: item scores, competency shares, total, text if asked."""
    from nbgrader.api import Gradebook, MissingEntry

    items = assignment(slug)["items"]
    rows = []
    book = exercises_dir() / "gradebook.db"
    never = Problem(
        book, 0, f"{slug} has not been graded yet.", f"run `course grade {slug}` first."
    )
    if not book.is_file():
        raise CourseError(never)  # and opening it would create an empty gradebook
    with Gradebook(gradebook_url()) as gb:
        try:
            gb.find_assignment(slug)
            subs = gb.assignment_submissions(slug)
        except MissingEntry:
            raise CourseError(never) from None
        for sub in sorted(subs, key=lambda s: s.student_id):
            grades = {g.name: (g.score, g.max_score) for nb in sub.notebooks for g in nb.grades}
            if not grades:
                continue
            by_hand = {i["id"] for i in items if not KINDS[i["kind"]].auto}
            unmarked = {  # no trainer's mark on an item only a trainer marks, or no score
                g.name
                for nb in sub.notebooks
                for g in nb.grades
                if g.manual_score is None and (g.name in by_hand or g.auto_score is None)
            }
            row = {
                "student": sub.student_id,
                "total": sub.score,
                "max": sub.max_score,
                # an item a trainer has not marked yet is None, never a 0
                "items": {
                    i["id"]: None
                    if i["id"] in unmarked
                    else grades.get(i["id"], (0.0, float(i["points"])))
                    for i in items
                },
            }
            comp: dict[str, list[float]] = {}
            for i in items:
                if row["items"][i["id"]] is None:
                    continue
                got, top = row["items"][i["id"]]
                for cid in i["competencies"]:
                    comp.setdefault(cid, [0.0, 0.0])
                    comp[cid][0] += got
                    comp[cid][1] += top
            row["competencies"] = {c: v[0] / v[1] for c, v in comp.items() if v[1]}
            row["unmarked"] = sorted(unmarked & set(row["items"]))
            if include_text:
                row["text"] = _free_text(slug, sub.student_id, items)
            rows.append(row)
    if not rows:
        raise CourseError(never)
    return rows


def _free_text(slug: str, student: str, items: list[dict]) -> dict[str, str]:
    path = exercises_dir() / "autograded" / student / slug / f"{slug}.ipynb"
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text()).get("cells", [])
    by_id = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in cells}
    texts = {}
    for i in items:
        if not free_text(i):
            continue
        cell = by_id.get(i["id"])
        if cell:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            old = plain_words.old_style(source)
            source = old if old is not None else source
            texts[i["id"]] = "" if plain_words.blank(source) else source.strip()
    return texts


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula (`=`, `+`,
    `-`, `@`, a tab or a line break) gets a leading apostrophe, so `=HYPERLINK(...)` in
    a trainee's answer is never a live formula."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


UNMARKED = "unmarked"


def _item_cell(score: tuple[float, float] | None) -> str:
    return UNMARKED if score is None else f"{score[0]:g}"


def _share_cell(share: float | None) -> str:
    return UNMARKED if share is None else f"{share:.2f}"


def write_csv(rows: list[dict], slug: str, out: Path, include_text: bool) -> Path:
    items = assignment(slug)["items"]
    comps = sorted({c for i in items for c in i["competencies"]})
    header = ["student", "total", "max", *(i["id"] for i in items), *comps]
    texts = [i["id"] for i in items if free_text(i)]
    if include_text:
        header += [f"{t} text" for t in texts]
    path = out / f"{slug}-scores.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            line = [
                r["student"],
                f"{r['total']:g}",
                f"{r['max']:g}",
                *(_item_cell(r["items"][i["id"]]) for i in items),
                *(_share_cell(r["competencies"].get(c)) for c in comps),
            ]
            if include_text:
                line += [r.get("text", {}).get(t, "") for t in texts]
            w.writerow([spreadsheet_safe(v) for v in line])
    private(path)
    return path


def _bars(
    title: str, labels: list[str], values: list[float], unit: str, width=560, top=None
) -> dict:
    """A horizontal bar chart for the template (an accessible SVG with its numbers as a
    table). Bars are drawn against `top` (100 for percentages), not the largest value."""
    row, left = 26, 150
    top = top or max(values + [1e-9])
    return {
        "title": title,
        "width": width,
        "height": row * len(labels) + 20,
        "left": left,
        "bars": [
            {
                "y": 10 + n * row,
                "label": label,
                "width": (width - left - 60) * value / top if top else 0,
                "text": f"{value:g}{unit}",
            }
            for n, (label, value) in enumerate(zip(labels, values, strict=True))
        ],
    }


def write_html(rows: list[dict], slug: str, out: Path) -> Path:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from ..curriculum import competency_ids
    from ..paths import package_dir

    data = assignment(slug)
    items = data["items"]
    bins = [0] * 10
    for r in rows:
        share = r["total"] / r["max"] if r["max"] else 0
        bins[min(int(share * 10), 9)] += 1
    labels = [f"{n * 10}-{n * 10 + 9 if n < 9 else 100}%" for n in range(10)]
    comps = sorted({c for i in items for c in i["competencies"]})
    names = {cid: module.competencies[cid] for cid, module in competency_ids().items()}
    mastery = {}
    for c in comps:
        shares = [r["competencies"][c] for r in rows if c in r["competencies"]]
        if shares:
            mastery[c] = round(100 * mean(shares))
    item_share = {}
    for i in items:
        marked = [r["items"][i["id"]] for r in rows if r["items"][i["id"]] is not None]
        if marked:
            item_share[i["id"]] = round(100 * mean(got / top for got, top in marked if top))
    missed = sorted(item_share, key=item_share.get)[:5]
    charts = [
        _bars("How many trainees scored in each range", labels, [float(b) for b in bins], ""),
        _bars(
            "Mastery per competency (average share of points, of 100%)",
            list(mastery),
            [float(m) for m in mastery.values()],
            "%",
            top=100,
        ),
        _bars(
            "Items most trainees missed (average share of points, of 100%)",
            missed,
            [float(item_share[i]) for i in missed],
            "%",
            top=100,
        ),
    ]
    env = Environment(
        loader=FileSystemLoader(package_dir() / "templates" / "report"),
        autoescape=select_autoescape(["html"]),
    )
    page = env.get_template("report.html").render(
        title=data["title"],
        charts=charts,
        unmarked=sum(len(r["unmarked"]) for r in rows),
        competencies=[
            {
                "id": c,
                "name": names.get(c, ""),
                "share": f"{mastery[c]}%" if c in mastery else UNMARKED,
            }
            for c in comps
        ],
        trainees=[
            {
                "student": r["student"],
                "score": f"{r['total']:g} of {r['max']:g}",
                "share": f"{round(100 * r['total'] / r['max']) if r['max'] else 0}%",
                "unmarked": ", ".join(r["unmarked"]),
            }
            for r in rows
        ],
    )
    path = out / f"{slug}-report.html"
    path.write_text(page)
    private(path)
    return path


def report(
    slug: str, out: Path | None = None, include_text: bool = False, say=print
) -> tuple[Path, Path]:
    out = Path(out or exercises_dir() / "reports")
    if not out.exists():
        out.mkdir(mode=0o700, parents=True)  # a folder of its own: the trainer's only
    # in a folder that already existed, only the files written here become private
    rows = cohort(slug, include_text)
    paths = write_csv(rows, slug, out, include_text), write_html(rows, slug, out)
    say(
        f"Report for {len(rows)} trainee(s): {paths[0]} and {paths[1]}"
        + (" (free text included, as asked)" if include_text else "")
    )
    return paths
