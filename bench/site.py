"""Benchmark the website: full build, rebuild after a one-module edit, page weights.

Run: .venv/bin/python bench/site.py
Builds a copy of the course in a temporary folder (so nothing here changes):
a cold full build, a rebuild with nothing changed (the baseline), and a rebuild
after editing one module's text. Then every page is opened in chromium and the
bytes it loads are summed, as served and as gzip would send them (level 6).
Writes bench/results/site.md.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
COPY = [
    "modules",
    "scenarios",
    "exercises/items",
    "exercises/rubrics",
    "book",
    "competencies.yml",
    "course.yml",
]
EDITED = "modules/04-de-escalation/04-de-escalation.ipynb"


def build(course: Path, out: Path) -> float:
    import subprocess

    env = dict(os.environ, COURSE_ROOT=str(course))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "facilitator_course", "build", "--out", str(out)],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def weigh(site: Path) -> list[tuple[str, int, int]]:
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder
    from playwright.sync_api import sync_playwright

    base, server = serve_folder(site)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in sorted(site.glob("*.html")):
            page = browser.new_page()
            bodies: dict[str, bytes] = {}

            def keep(response, bodies=bodies):
                # a redirect or an aborted response has no body
                with contextlib.suppress(Exception):
                    bodies[response.url] = response.body()

            page.on("response", keep)
            page.goto(base + path.name, wait_until="networkidle")
            page.close()
            raw = sum(len(b) for b in bodies.values())
            zipped = sum(
                len(gzip.compress(b, 6)) if not u.split("?")[0].endswith(".woff2") else len(b)
                for u, b in bodies.items()
            )
            rows.append((path.name, raw, zipped))
        browser.close()
    server.shutdown()
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        for name in COPY:
            src, dst = ROOT / name, course / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("_build"))
            else:
                shutil.copy(src, dst)
        out = Path(tmp) / "site"
        full = build(course, out)
        unchanged = build(course, out)
        nb = json.loads((course / EDITED).read_text())
        cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
        cell["source"] = "".join(cell["source"]) + "\n\n(Edited for the benchmark.)"
        (course / EDITED).write_text(json.dumps(nb))
        edited = build(course, out)
        rows = weigh(out)
    modules_rows = [r for r in rows if r[0][:2].isdigit()]
    lines = [
        "# Site benchmarks",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores; rerun with "
        "`.venv/bin/python bench/site.py`.",
        "",
        "## Build times",
        "",
        "| build | seconds | ratio to the unchanged rebuild |",
        "| --- | ---: | ---: |",
        f"| full build from nothing (executes every notebook) | {full:.1f} | "
        f"{full / unchanged:.1f} |",
        f"| rebuild after editing one module | {edited:.1f} | {edited / unchanged:.1f} |",
        f"| baseline: rebuild with nothing changed | {unchanged:.1f} | 1.0 |",
        "",
        "Targets: full build under 2 minutes, one-module rebuild under 20 seconds.",
        "",
        "## Page weight: every page with everything it loads (KB)",
        "",
        "| page | as served | gzip (woff2 as is) |",
        "| --- | ---: | ---: |",
        *[f"| {n} | {r / 1024:.0f} | {z / 1024:.0f} |" for n, r, z in rows],
        "",
        f"Heaviest module page: {max(z for _, _, z in modules_rows) / 1024:.0f} KB gzipped "
        f"({max(r for _, r, _ in modules_rows) / 1024:.0f} KB as served); target 500 KB.",
        "",
    ]
    (ROOT / "bench" / "results" / "site.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
