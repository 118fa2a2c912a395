"""Build one organization's website with Jupyter Book 1 from the course sources.

The sources are staged into a flat folder per organization profile (so every
page sits at the site's top level and relative links work under any sub-path),
with a generated _config.yml and _toc.yml. Each profile keeps its own execution
cache, wiped whenever the profile, scenarios, curriculum or package change.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from . import __file__ as package_init
from .crisis_card import CARD_PAGE, render_crisis_card
from .csp import protect_site
from .curriculum import modules
from .errors import CourseError, Problem
from .grading.items import item_files
from .grading.notebook import student_notebook
from .grading.web import FORM_JS, SITE_FORM_URL
from .html_safe import escape
from .module_check import all_references
from .paths import project_root
from .profile import Profile, load_profile
from .progress_map import CAPSTONE, course_map_js
from .scenarios.player import PLAYER_JS, SITE_BUILD_ENV, SITE_PLAYER_URL
from .sphinx_site import COURSE_MAP, SITE_MODULES

SITE_MARKER = ".course-site"
TEMPLATES = Path(package_init).parent / "templates"


def build_site(
    profile_path: Path | str | None = None,
    out: Path | str | None = None,
    say: Callable[[str], None] = print,
) -> Path:
    """Build the website for a profile into `out`; return the folder with index.html."""
    root = project_root()
    profile = load_profile(profile_path)
    out = Path(out).resolve() if out else root / "book" / "_build" / "html"
    _check_out(out)
    stage = root / ".cache" / "site" / hashlib.sha256(str(profile.path).encode()).hexdigest()[:12]
    with _one_build_at_a_time(stage, say):
        _build_in(stage, root, profile, out, say)
    refused = protect_site(out)  # a Content-Security-Policy the site passes, on every page
    if refused:
        say("Browsers will refuse to run this inline code, which the course did not write:")
        say("\n".join(f"  {line}" for line in refused[:20]))
    (out / SITE_MARKER).write_text(f"{profile.path}\n")
    say(f"Site built: {out / 'index.html'}\nPreview it with: course serve --dir {out}")
    return out


@contextmanager
def _one_build_at_a_time(stage: Path, say: Callable[[str], None]):
    """Hold the stage folder of one profile while building it: a second `course build`
    (or a second test process) waits, then finds the cache current."""
    stage.parent.mkdir(parents=True, exist_ok=True)
    with open(stage.parent / f"{stage.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("Another build of this site is running; waiting for it to finish...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_in(stage: Path, root: Path, profile: Profile, out: Path, say) -> None:
    """Stage the book, run Jupyter Book and copy the pages to `out`."""
    digest = _inputs_digest(root, profile)
    if _read(stage / "inputs.sha") != digest:
        shutil.rmtree(stage / "_build", ignore_errors=True)
    _stage(root, profile, stage)
    say(f"Building the site for {profile.name} (a few minutes the first time)...")
    env = dict(
        os.environ,
        COURSE_ROOT=str(root),
        COURSE_PROFILE=str(profile.path),
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        **{SITE_BUILD_ENV: "1"},
    )
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(stage), "--builder", "html", "-W", "-n", "--keep-going"]
    # Jupyter Book's own log (paths into .cache) is shown only when the build fails
    result = subprocess.run(cmd, env=env, cwd=stage, capture_output=True, text=True)
    if result.returncode != 0:
        log = (result.stdout + result.stderr).splitlines()
        print("\n".join(log[-80:]), file=sys.stderr)
        raise CourseError(
            Problem(
                stage / "_build" / "html" / "reports",
                0,
                "the website build failed with the warnings or errors above.",
                "fix each one at the file and line it names, then build again.",
            )
        )
    (stage / "inputs.sha").write_text(digest)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(
        stage / "_build" / "html", out, ignore=shutil.ignore_patterns(".buildinfo", "reports")
    )


def _check_out(out: Path) -> None:
    """Refuse to replace a folder that is not a site this command built."""
    if out.exists() and any(out.iterdir()) and not (out / SITE_MARKER).exists():
        raise CourseError(
            Problem(
                out,
                0,
                "the output folder exists and is not a course site; "
                "building would replace what is in it.",
                "choose an empty or new folder with --out.",
            )
        )


def _inputs_digest(root: Path, profile: Profile) -> str:
    """What every executed page depends on besides its own notebook."""
    h = hashlib.sha256(profile.digest.encode())
    package = Path(package_init).parent
    files = [
        root / "competencies.yml",
        *sorted((root / "scenarios").glob("*.yaml")),
        *sorted((root / "exercises" / "items").glob("*.yaml")),
        *sorted((root / "modules").glob("*/practice.yaml")),
        *sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts),
    ]
    for path in files:
        h.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _read(path: Path) -> str:
    return path.read_text() if path.is_file() else ""


def _write_if_changed(path: Path, data: bytes) -> None:
    """Keep mtimes of unchanged files so Sphinx rebuilds only what changed."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _stage(root: Path, profile: Profile, stage: Path) -> None:
    wanted: set[Path] = set()
    book = root / "book"

    def put(name: str, data: bytes) -> None:
        wanted.add(stage / name)
        _write_if_changed(stage / name, data)

    def page(name: str) -> list[dict]:
        """Stage book/<name>.md if it exists; its TOC entry, or none."""
        source = book / f"{name}.md"
        if not source.is_file():
            return []
        put(f"{name}.md", source.read_bytes())
        return [{"file": name}]

    page("index")
    chapters = []
    for m in modules():
        if m.notebook.is_file():
            put(f"{m.slug}.ipynb", m.notebook.read_bytes())
            chapters.append({"file": m.slug})
    if (root / "scenarios" / f"{CAPSTONE}.yaml").is_file():
        chapters += page("capstone")
    refs = "\n".join(f"- {entry}" for entry in all_references(root))
    put("references.md", f"# References\n\nEvery source the modules cite.\n\n{refs}\n".encode())
    reference = [
        *page("crisis-resources"),
        *page("quick-reference"),
        *page("glossary"),
        {"file": "references"},
        *page("licence"),
    ]
    put("progress.md", PROGRESS_PAGE.encode())
    parts = [{"caption": "Modules", "chapters": chapters}] if chapters else []
    parts.append({"caption": "Your progress", "chapters": [{"file": "progress"}]})
    parts.append({"caption": "Help and reference", "chapters": reference})
    put(
        "_toc.yml",
        json.dumps({"format": "jb-book", "root": "index", "parts": parts}, indent=1).encode(),
    )

    logo = None
    if profile.logo:
        logo = f"_static/logo{profile.logo.suffix}"
        put(logo, profile.logo.read_bytes())
    put("_static/org.css", _org_css(profile).encode())
    static = Path(package_init).parent / "static"
    put("_static/site.css", (static / "site.css").read_bytes())
    for name in SITE_MODULES:  # on every page (sphinx_site.py loads them as modules)
        put(f"_static/{name}", (static / name).read_bytes())
    put(f"_static/{COURSE_MAP}", course_map_js(profile).encode())
    put(f"extra/{SITE_PLAYER_URL}", PLAYER_JS.read_bytes())
    put(f"extra/{CARD_PAGE}", render_crisis_card(profile).encode())
    put(f"extra/{SITE_FORM_URL}", FORM_JS.read_bytes())
    for slug in (p.stem for p in item_files()):
        put(f"extra/exercises/{slug}.ipynb", student_notebook(slug).encode())
    put("_config.yml", json.dumps(_config(profile, logo), indent=1).encode())
    for path in stage.rglob("*"):
        if (
            path.is_file()
            and "_build" not in path.parts
            and path not in wanted
            and path.name != "inputs.sha"
        ):
            path.unlink()


PROGRESS_PAGE = """# My progress

What you have done in this course on this device: modules, scenarios, practice questions
and exercises, and the competencies they practise.

<div class="fc-progress" data-fc-progress="1">
<p>My progress needs JavaScript. It reads only what this browser has kept.</p>
</div>
"""


def _org_css(profile: Profile) -> str:
    """The organization's colour; the banner uses it behind white text (AA-checked)."""
    c = profile.colour
    return (
        f'html[data-theme="light"] {{\n  --pst-color-primary: {c};\n'
        f"  --pst-color-link: {c};\n  --fc-primary: {c};\n}}\n"
        f".bd-header-announcement {{ background-color: {c}; }}\n"
        ".bd-header-announcement::after { background-color: transparent; }\n"
        ".bd-header-announcement a.fc-help-link, .bd-header-announcement a.fc-help-link:hover "
        "{ color: #fff; font-weight: 700; }\n"
    )


def _config(profile: Profile, logo: str | None) -> dict:
    footer = profile.data.get("footer", "")
    return {
        "title": f"{profile.name}: Facilitator course",  # escaped by sphinx_site
        "author": profile.name,
        "copyright": profile.name,
        "logo": logo or "",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "extra", "**.ipynb_checkpoints"],
        "execute": {
            "execute_notebooks": "cache",
            "timeout": 120,
            "allow_errors": False,
            "stderr_output": "warn",
            "run_in_temp": False,
        },
        "parse": {"myst_enable_extensions": ["colon_fence", "substitution"]},
        "html": {
            "use_edit_page_button": False,
            "use_repository_button": False,
            "use_issues_button": False,
            "use_multitoc_numbering": False,
            "home_page_in_navbar": True,
            "extra_footer": f"<p>{escape(footer)}</p>" if footer else "",
            "announcement": '<a class="fc-help-link" href="crisis-resources.html">'
            "Need help now? Crisis lines and who to contact</a>",
            "comments": {"hypothesis": False, "utterances": False},
        },
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": "",
            "jupyterhub_url": "",
            "thebe": False,
            "colab_url": "",
            "deepnote_url": "",
        },
        "repository": {"url": "", "path_to_book": "", "branch": "main"},
        "sphinx": {
            "extra_extensions": ["facilitator_course.sphinx_site"],
            "config": {
                "templates_path": [str(TEMPLATES)],
                "html_context": {"default_mode": "light"},
                "html_static_path": ["_static"],
                "html_extra_path": ["extra"],
                "html_css_files": ["site.css", "org.css"],
                "nb_ipywidgets_js": {},
                "html_show_sphinx": False,
            },
        },
    }
