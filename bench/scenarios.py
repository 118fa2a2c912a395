"""Benchmark the scenarios: compile time, player size, time to interactive, click latency.

Run: .venv/bin/python bench/scenarios.py  (builds the default site if needed)
Writes bench/results/scenarios.md. Every figure has a baseline measured in the
same run, so ratios compare across machines:
- check+compile per scenario vs. only parsing its YAML with libyaml;
- time from navigation to a playable scenario vs. the same page with the
  player's script blocked (the page alone);
- click-to-next-node latency vs. a click on a plain button in the same page.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def median_ms(fn, repeat: int = 15) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def compile_times() -> list[tuple[str, float, float]]:
    import yaml

    from facilitator_course.profile import load_profile
    from facilitator_course.scenarios import compile as compiler
    from facilitator_course.scenarios.check import scenario_files

    profile = load_profile(ROOT / "course.yml")
    rows = []
    for path in scenario_files():
        text = path.read_text()

        def run(path=path):
            compiler._compile.cache_clear()
            compiler.compile_scenario(path.stem, profile)

        run()
        parse = median_ms(lambda text=text: yaml.load(text, Loader=yaml.CSafeLoader))
        rows.append((path.stem, median_ms(run), parse))
    return rows


def browser_times(site: Path) -> dict[str, float]:
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder
    from playwright.sync_api import sync_playwright

    base, server = serve_folder(site)
    url = base + "04-de-escalation.html"
    out: dict[str, list[float]] = {"interactive": [], "page": [], "click": [], "plain": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(7):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.locator(".fcs button").first.wait_for()
            out["interactive"].append(time.perf_counter() - start)
            # click latency measured inside the page: click handler to the next frame's render
            out["click"].append(
                page.evaluate("""async () => {
                const box = document.querySelector('.fcs');
                const btn = box.querySelector('button');
                const t0 = performance.now();
                btn.click();
                return performance.now() - t0;
            }""")
                / 1000
            )
            out["plain"].append(
                page.evaluate("""async () => {
                const b = document.createElement('button');
                b.onclick = () => { const p = document.createElement('p'); p.textContent = 'x';
                                    document.body.append(p); };
                document.body.append(b);
                const t0 = performance.now();
                b.click();
                return performance.now() - t0;
            }""")
                / 1000
            )
            page.close()
            page = browser.new_page()
            page.route("**/scenario-player.js", lambda route: route.abort())
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_load_state("load")
            out["page"].append(time.perf_counter() - start)
            page.close()
        browser.close()
    server.shutdown()
    return {k: statistics.median(v) * 1000 for k, v in out.items()}


def main() -> int:
    from facilitator_course.site_build import build_site

    site = ROOT / "book" / "_build" / "html"
    if not (site / "04-de-escalation.html").is_file():
        build_site(ROOT / "course.yml", site, say=lambda _: None)
    player = ROOT / "src" / "facilitator_course" / "static" / "scenario-player.js"
    raw = player.read_bytes()
    rows = compile_times()
    b = browser_times(site)
    lines = [
        "# Scenario benchmarks",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on this machine; rerun with "
        "`.venv/bin/python bench/scenarios.py`.",
        "",
        "## Check and compile, per scenario (median of 15, ms)",
        "",
        "| scenario | check + compile | baseline: parse YAML only | ratio |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {s} | {c:.1f} | {p:.1f} | {c / p:.1f} |" for s, c, p in rows],
        "",
        f"Slowest: {max(r[1] for r in rows):.1f} ms (target under 50 ms).",
        "",
        "## Player",
        "",
        f"- JavaScript: {len(raw) / 1024:.1f} KB, {len(gzip.compress(raw)) / 1024:.1f} KB "
        "gzipped, no runtime dependencies (target 25 KB or less).",
        f"- Page load to a playable scenario: {b['interactive']:.0f} ms; baseline, the same "
        f"page with the player blocked: {b['page']:.0f} ms (ratio "
        f"{b['interactive'] / b['page']:.2f}).",
        f"- Click to next node rendered: {b['click']:.2f} ms; baseline, a click that adds one "
        f"paragraph: {b['plain']:.2f} ms (target under 16 ms).",
        "",
    ]
    out = ROOT / "bench" / "results" / "scenarios.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
