"""Show a scenario: an anywidget in JupyterLab, a light static player on the website.

Both run the same ES module (static/scenario-player.js). On the website the page
carries the compiled graph and loads the module from the site itself, with no
widget manager and no kernel.
"""

from __future__ import annotations

import itertools
import json
import os
from importlib import resources
from pathlib import Path

import anywidget
import traitlets

from ..display import Html
from ..html_safe import escape, script_json
from ..progress_view import player_lab_js
from .compile import compile_scenario

PLAYER_JS = Path(
    str(resources.files("facilitator_course").joinpath("static", "scenario-player.js"))
)
SITE_BUILD_ENV = "COURSE_SITE_BUILD"
SITE_PLAYER_URL = "assets/scenario-player.js"
_ids = itertools.count(1)


class ScenarioPlayer(anywidget.AnyWidget):
    """A scenario in JupyterLab; `path`, `scores` and `ending` follow the trainee's play."""

    _esm = player_lab_js()  # the player, keeping My progress as it plays
    graph = traitlets.Dict().tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)  # the order of options shown; 0: a random one
    path = traitlets.List().tag(sync=True)
    first = traitlets.Dict().tag(sync=True)  # the first choice made at each decision
    first_scores = traitlets.Dict().tag(sync=True)
    scores = traitlets.Dict().tag(sync=True)
    ending = traitlets.Unicode("").tag(sync=True)

    def save(self, file: str | Path) -> Path:
        """Write this play-through to a local file (only when the trainee asks)."""
        file = Path(file)
        file.write_text(
            json.dumps(
                {
                    "scenario": self.graph["id"],
                    "seed": self.seed,
                    "path": self.path,
                    "first": self.first,
                    "first_scores": self.first_scores,
                    "scores": self.scores,
                    "ending": self.ending,
                },
                indent=2,
            )
        )
        return file


def static_html(graph: dict) -> str:
    """The website's form: the graph as JSON and a module script that plays it."""
    data_id = f"fcs-{graph['id']}-{next(_ids)}"
    payload = script_json(graph)
    return (
        f'<div data-fc-scenario="{data_id}" class="fc-scenario-host">'
        f"<p>Scenario: {escape(graph['title'])}. It needs JavaScript to play.</p></div>"
        f'<script type="application/json" id="{data_id}">{payload}</script>'
        f'<script type="module">import {{ mountAll }} from "./{SITE_PLAYER_URL}"; '
        "mountAll();</script>"
    )


def show_scenario(scenario_id: str, seed: int = 0):
    """Play a scenario in the notebook (widget) or on the website (static player). Options
    are shown in an order shuffled per play; a `seed` other than 0 fixes that order."""
    graph = compile_scenario(scenario_id)
    if os.environ.get(SITE_BUILD_ENV):
        return Html(static_html(graph), f"Scenario: {graph['title']}")
    return ScenarioPlayer(graph=graph, seed=seed)
