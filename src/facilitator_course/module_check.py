"""The content standard for module notebooks, checked mechanically, and the coverage
of every competency: taught (module text), practised (scenario choices that score
it) and assessed (exercise items)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from .curriculum import Module, modules
from .errors import Problem
from .grading.kinds import KINDS
from .safety import text_safety_problems
from .scenarios.check import NEEDS_CONTENT_NOTE as SENSITIVE
from .yaml_source import load_data

MIN_WORDS = 2000
MAX_GRADE = 10.0
MIN_SCENARIOS = 2
OUTLINE = [
    "Overview",
    "Learning objectives",
    "Time to complete",
    "Self-check",
    "Exercise",
    "Key takeaways",
    "What's next",
    "References",
]
_MARKDOWN = MarkdownIt("commonmark")


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of every heading, as a Markdown parser sees them: a `#` line inside
    a code block or a fenced example is not a heading."""
    tokens = _MARKDOWN.parse(markdown)
    return [
        (int(t.tag[1:]), tokens[n + 1].content.strip())
        for n, t in enumerate(tokens)
        if t.type == "heading_open"
    ]


def calls(source: str) -> list[tuple[str, str]]:
    """(name, first argument) of every `show_...("...")` call in a code cell, read with
    Python's own parser (a call in a comment or a string is not a call). IPython magics
    and shell lines are skipped; a cell that is not Python has no calls."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        named = isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if named and node.func.id.startswith("show_"):
            first = node.args[0] if node.args else None
            arg = first.value if isinstance(first, ast.Constant) else ""
            found.append((node.func.id, arg if isinstance(arg, str) else ""))
    return found


@dataclass
class ModuleReport:
    module: Module
    words: int = 0
    grade: float = 0.0
    scenarios: list[str] = field(default_factory=list)
    exercise: bool = False
    problems: list[Problem] = field(default_factory=list)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def plain_text(markdown: str) -> str:
    """Markdown reduced to its words, for counting and readability.

    A paragraph's wrapped lines are one text; a heading, list item, table row or the
    end of a paragraph ends a sentence even without end punctuation.
    """
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"`+", "", text)
    units: list[str | None] = []
    previous = None  # the block marker of the line before: "", ">" or another marker
    for line in text.splitlines():
        if not line.strip():
            units.append(None)
            previous = None
            continue
        m = re.match(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.|\|)\s*", line)
        marker = m.group(1) if m else ""
        words = re.sub(r"[*_|]+", " ", line[m.end() :] if m else line).strip()
        if not words:
            continue
        joins = units and units[-1] is not None
        joins = joins and (
            (marker == "" and previous in ("", ">", "item")) or (marker == ">" and previous == ">")
        )
        if joins:
            units[-1] += " " + words
        else:
            units.append(words)
        previous = marker if marker in ("", ">", "|") or marker.startswith("#") else "item"
    return " ".join(u if u[-1] in ".!?:;" else u + "." for u in units if u)


def prose(cells: list[dict]) -> str:
    """The teaching prose: Markdown cells, without the References section."""
    parts, in_refs = [], False
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        src = _source(cell)
        for level, title in headings(src):
            if level <= 2:
                in_refs = title.lower() == "references"
        if not in_refs:
            parts.append(src)
    return "\n\n".join(parts)


def check_module(m: Module) -> ModuleReport:
    import textstat

    report = ModuleReport(m)
    path = m.notebook
    if not path.is_file():
        report.problems.append(
            Problem(
                path,
                0,
                f"module {m.slug} has no notebook.",
                "write it following modules/README.md.",
            )
        )
        return report
    cells = json.loads(path.read_text())["cells"]

    def add(message: str, fix: str) -> None:
        report.problems.append(Problem(path, 0, message, fix))

    text = plain_text(prose(cells))
    report.words = len(re.findall(r"[A-Za-z0-9][\w'’-]*", text))
    report.grade = round(textstat.flesch_kincaid_grade(text), 1)
    if report.words < MIN_WORDS:
        add(
            f"{report.words} words of teaching prose; the standard asks for {MIN_WORDS}.",
            "add worked examples and explanation.",
        )
    if report.grade > MAX_GRADE:
        add(
            f"Flesch-Kincaid grade {report.grade}; the standard asks for {MAX_GRADE} or lower.",
            "use shorter sentences and plainer words.",
        )
    sections = [
        title
        for c in cells
        if c["cell_type"] == "markdown"
        for level, title in headings(_source(c))
        if level == 2
    ]
    found = [h for h in sections if h in OUTLINE]
    missing = [h for h in OUTLINE if h not in sections]
    if missing:
        add(
            f"the outline lacks {', '.join(missing)}.", "add those ## sections (modules/README.md)."
        )
    elif found != OUTLINE:
        add("the outline's sections are out of order.", f"order them: {', '.join(OUTLINE)}.")
    made = [call for c in cells if c["cell_type"] == "code" for call in calls(_source(c))]
    report.scenarios = [arg for name, arg in made if name == "show_scenario"]
    report.exercise = ("show_exercise", m.slug) in made and (
        m.notebook.parents[2] / "exercises" / "items" / f"{m.slug}.yaml"
    ).is_file()
    if ("show_objectives", m.slug) not in made:
        add("no show_objectives call for this module.", f'add show_objectives("{m.slug}").')
    if len(report.scenarios) < MIN_SCENARIOS:
        add(
            f"{len(report.scenarios)} scenario(s); the standard asks for {MIN_SCENARIOS}.",
            'add show_scenario("<id>") cells.',
        )
    if not report.exercise:
        add(
            "no exercise for this module.",
            f'add exercises/items/{m.slug}.yaml and show_exercise("{m.slug}").',
        )
    topics = set()
    for sid in report.scenarios:
        scenario = path.parents[2] / "scenarios" / f"{sid}.yaml"
        if scenario.is_file():
            topics |= set(load_data(scenario).get("topics", [])) & SENSITIVE
    has_crisis = any(name == "show_crisis_resources" for name, _ in made)
    if topics and ("Content note" not in sections or not has_crisis):
        add(
            f"the module touches {', '.join(sorted(topics))} but has no content note with "
            "crisis resources.",
            "add ## Content note followed by show_crisis_resources().",
        )
    refs = _section(cells, "References")
    if not re.search(r"\((?:\d{4}[a-z]?|n\.d\.)\)", refs):
        add(
            "the References section lists no dated sources.",
            "list the sources the text cites, as Author (year). Title.",
        )
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for paragraph in re.split(r"\n\s*\n", _source(cell)):
            if paragraph.lstrip().startswith("#"):
                continue  # a heading names a topic; it states nothing
            for message, fix in text_safety_problems(plain_text(paragraph)):
                add(f"cell {index} ({_source(cell).splitlines()[0][:60]}): {message}", fix)
    full = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    named = set(COMPETENCY_ID.findall(full))
    for cid in m.competencies:
        if cid not in named:
            add(
                f"{cid} is not named where it is taught.",
                f"name ({cid}) in the section that teaches it.",
            )
    return report


def _section(cells: list[dict], title: str) -> str:
    """The Markdown under the level-1 or level-2 heading `title`, up to the next one."""
    out, inside = [], False
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        for block in _blocks(_source(cell)):
            if block[0] in (1, 2):
                inside = block[1] == title
            elif inside:
                out.append(block[1])
    return "\n".join(out)


def _blocks(markdown: str) -> list[tuple[int, str]]:
    """The top-level blocks of `markdown` in order: (heading level, title) for headings,
    (0, source lines) for anything else."""
    lines = markdown.splitlines()
    tokens = _MARKDOWN.parse(markdown)
    out = []
    for n, t in enumerate(tokens):
        if t.level != 0 or not t.map or t.nesting == -1:
            continue
        if t.type == "heading_open":
            out.append((int(t.tag[1:]), tokens[n + 1].content.strip()))
        else:
            out.append((0, "\n".join(lines[t.map[0] : t.map[1]])))
    return out


COMPETENCY_ID = re.compile(r"(?<![A-Za-z0-9-])[A-Z]{2,5}-\d+(?![0-9])")


def coverage(root: Path) -> dict[str, dict[str, list[str]]]:
    """For every competency: the modules teaching it, scenarios practising it, items
    assessing it."""

    table: dict[str, dict[str, list[str]]] = {
        cid: {"taught": [], "practised": [], "assessed": []}
        for m in modules()
        for cid in m.competencies
    }
    for m in modules():
        if m.notebook.is_file():
            named = set(COMPETENCY_ID.findall(m.notebook.read_text()))  # whole ids only
            for cid in m.competencies:
                if cid in named:  # FND-1 is not taught by a page that names only FND-10
                    table[cid]["taught"].append(m.slug)
    for path in sorted((root / "scenarios").glob("*.yaml")):
        data = load_data(path)
        for node in data.get("nodes", {}).values():
            for option in node.get("options", []) if isinstance(node, dict) else []:
                for cid, value in (option.get("scores") or {}).items():
                    if value and cid in table and path.stem not in table[cid]["practised"]:
                        table[cid]["practised"].append(path.stem)
    for path in sorted((root / "exercises" / "items").glob("*.yaml")):
        for item in load_data(path).get("items", []):
            kind = KINDS.get(item.get("kind"))
            if kind is None or not kind.auto:
                continue  # a trainer's own reading assesses nothing the course can count
            for cid in item.get("competencies", []):
                if cid in table and item["id"] not in table[cid]["assessed"]:
                    table[cid]["assessed"].append(item["id"])
    return table


def check_modules(root: Path) -> tuple[list[ModuleReport], dict, list[Problem]]:
    """Reports for every module, the coverage table, and every problem found."""
    table = coverage(root)
    reports = [check_module(m) for m in modules()]
    problems = [p for r in reports for p in r.problems]
    for cid, where in table.items():
        gaps = [k for k in ("taught", "practised", "assessed") if not where[k]]
        if gaps:
            problems.append(
                Problem(
                    root / "competencies.yml",
                    0,
                    f"{cid} is not {' or '.join(gaps)} anywhere.",
                    "cover it in its module, a scenario choice and an exercise item.",
                )
            )
    return reports, table, problems


def format_reports(reports: list[ModuleReport], table: dict) -> str:
    lines = ["Modules", "module | words | FK grade | scenarios | exercise"]
    for r in reports:
        lines.append(
            f"{r.module.slug} | {r.words} | {r.grade} | {', '.join(r.scenarios)} | "
            f"{'yes' if r.exercise else 'NO'}"
        )
    lines += [
        "",
        "Coverage (taught / practised / assessed)",
        "competency | taught in | practised in | assessed by",
    ]
    for cid, where in table.items():
        lines.append(
            f"{cid} | {', '.join(where['taught']) or 'GAP'} | "
            f"{', '.join(where['practised']) or 'GAP'} | "
            f"{', '.join(where['assessed']) or 'GAP'}"
        )
    return "\n".join(lines)


def reference_entries(cells: list[dict]) -> list[str]:
    """The entries of a notebook's References section, one string each."""
    text = _section(cells, "References")
    entries, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("- ", "* ")):
            if current:
                entries.append(" ".join(current))
            current = [stripped[2:].strip()] if stripped else []
        else:
            current.append(stripped)
    if current:
        entries.append(" ".join(current))
    return [e for e in entries if e]


def all_references(root: Path) -> list[str]:
    """Every module's references, each source once, in alphabetical order."""
    found: dict[str, str] = {}
    for m in modules():
        if not m.notebook.is_file():
            continue
        for entry in reference_entries(json.loads(m.notebook.read_text())["cells"]):
            title = re.split(r"\((?:\d{4}[a-z]?|n\.d\.)\)\.?", entry, maxsplit=1)[-1]
            key = re.sub(r"[^a-z0-9]", "", title.lower())[:50]
            found.setdefault(key, re.sub(r"\((\d{4})[a-z]\)", r"(\1)", entry))
    return sorted(found.values(), key=str.lower)
