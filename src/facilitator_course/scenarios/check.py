"""`course validate` for scenarios: schema, graph, competencies, placeholders, content notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..curriculum import competency_ids, modules
from ..errors import CourseError, Problem
from ..paths import project_root
from ..safety import moment_problems, scenario_secrecy_problems
from ..schema_check import load_schema, schema_problems
from ..yaml_source import YamlSource
from .conditions import States, all_hold, route
from .placeholders import describe, unknown_placeholders

NEEDS_CONTENT_NOTE = {
    "suicide",
    "self-harm",
    "abuse",
    "violence",
    "trauma",
    "panic",
    "intoxication",
    "death",
    "discrimination",
    "eating-disorders",
    "psychosis",
}
MIN_NODES = 8
MIN_DECISIONS = 4
ENDING_KINDS = ("strong", "recoverable", "escalate")
MAX_STATES = 200_000
MAX_LISTED = 2_000_000  # choices in all the paths listed (the capstone's: 568,824)
MAX_NODES = 300  # nodes in one scenario (the capstone has 44): checks stay within seconds


@dataclass
class Walk:
    """Every complete play-through of a scenario, found by walking its states."""

    paths: list[dict] = field(default_factory=list)  # {choices, ending, scores}
    reached: set[str] = field(default_factory=set)
    stuck: dict[str, str] = field(default_factory=dict)  # node -> why
    longest: int = 0  # the most decisions on any path
    limited: bool = False  # the state limit was hit: not every path was followed
    shown: set = field(default_factory=set)  # (node, option) shown in some state
    taken: set = field(default_factory=set)  # (node, route index) taken in some state


def scenario_files() -> list[Path]:
    return sorted((project_root() / "scenarios").glob("*.yaml"))


def load_checked(path: Path) -> YamlSource:
    """The scenario at `path`, or CourseError listing every problem in it."""
    problems, source = check_scenario(path)
    if problems:
        raise CourseError(problems)
    return source


def check_scenario(path: Path) -> tuple[list[Problem], YamlSource | None]:
    """Every problem in one scenario file, and its parsed source when it parsed (checked
    once per version of the file, of competencies.yml and of the schema)."""
    path = Path(path).resolve()
    root = project_root()
    try:
        key = (
            path,
            *(_stamp(f) for f in (path, root / "competencies.yml", root / SCHEMA_PATH)),
        )
    except OSError:  # a missing file: let the check say so
        return _check_scenario(path)
    if key not in _CHECKED:
        _CHECKED[key] = _check_scenario(path)
    problems, source = _CHECKED[key]
    return list(problems), source


SCHEMA_PATH = Path("scenarios") / "scenario.schema.json"
_CHECKED: dict[tuple, tuple[list[Problem], YamlSource | None]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _check_scenario(path: Path) -> tuple[list[Problem], YamlSource | None]:
    schema = load_schema("scenario", project_root() / SCHEMA_PATH)
    try:
        source = YamlSource(path)
    except CourseError as exc:
        return exc.problems, None
    problems = _too_many_nodes(path, source) or schema_problems(source, schema)
    return problems or _check_rules(path, source), source


def _too_many_nodes(path: Path, source: YamlSource) -> list[Problem]:
    """A scenario too large to check in seconds (counted before the schema check, which
    would otherwise explain every node)."""
    nodes = source.data.get("nodes") if isinstance(source.data, dict) else None
    if not isinstance(nodes, dict) or len(nodes) <= MAX_NODES:
        return []
    return [
        Problem(
            path,
            source.line(["nodes"]),
            f"{len(nodes)} nodes; a scenario has at most {MAX_NODES} (the capstone has 44).",
            "split it into several scenarios.",
        )
    ]


def _check_rules(path: Path, source: YamlSource) -> list[Problem]:
    problems: list[Problem] = []
    data, nodes = source.data, source.data["nodes"]

    def add(where: list, message: str, fix: str) -> None:
        problems.append(Problem(path, source.line(where), message, fix))

    if data["id"] != path.stem:
        add(
            ["id"],
            f"id {data['id']!r} differs from the file name {path.stem!r}.",
            f"rename the file to {data['id']}.yaml or set id: {path.stem}.",
        )
    slugs = [m.slug for m in modules()]
    if data["module"] not in slugs:
        add(
            ["module"],
            f"module {data['module']!r} is not in competencies.yml.",
            f"use one of {', '.join(slugs)}.",
        )
    known = competency_ids()
    for i, cid in enumerate(data["competencies"]):
        if cid not in known:
            add(
                ["competencies", i],
                f"competency {cid} is not in competencies.yml.",
                "use an id from competencies.yml, or add the competency there first.",
            )
    listed = set(data["competencies"])
    scored: set[str] = set()
    if data["start"] not in nodes:
        add(
            ["start"],
            f"start names node {data['start']!r}, which does not exist.",
            f"set start to one of the node ids ({', '.join(list(nodes)[:5])}, ...).",
        )

    for nid, node in nodes.items():
        at = ["nodes", nid]
        for target, where in _targets(node):
            if target not in nodes:
                add(
                    [*at, *where],
                    f"node {nid!r} leads to {target!r}, which does not exist.",
                    "point it at an existing node id, or add that node.",
                )
        if isinstance(node.get("next"), list) and "when" in node["next"][-1]:
            add(
                [*at, "next", len(node["next"]) - 1],
                f"the last route of node {nid!r} has conditions, so it can lead nowhere.",
                "remove `when` from the last route so that one route always applies.",
            )
        for i, option in enumerate(node.get("options", [])):
            fb = option["feedback"]["competency"]
            for cid in [*option.get("scores", {}), fb]:
                if cid not in listed:
                    add(
                        [*at, "options", i],
                        f"option {i + 1} of {nid!r} uses {cid}, which is "
                        "not in the scenario's competencies list.",
                        f"add {cid} to `competencies`, or use a listed one.",
                    )
            scored.update(c for c, v in option.get("scores", {}).items() if v)
    for i, cid in enumerate(data["competencies"]):
        if cid not in scored:
            add(
                ["competencies", i],
                f"no option scores {cid}, so the scenario does not practise it.",
                f"score {cid} in at least one option, or remove it.",
            )
    topics = set(data["topics"]) & NEEDS_CONTENT_NOTE
    if topics and "content_note" not in data:
        add(
            ["topics"],
            f"the topics {', '.join(sorted(topics))} need a content note.",
            "add `content_note:` saying what the scenario depicts, so trainees can choose.",
        )
    for where, text in _strings(data):
        for token in unknown_placeholders(text):
            add(
                where,
                f"unknown placeholder {token}.",
                f"use {describe()}; write a literal brace as {{{{ or }}}}.",
            )
    if problems:
        return problems

    for where, message, fix in _unknown_flags(nodes):
        add(where, message, fix)
    if problems:
        return problems
    reachable = _reachable(nodes, data["start"])
    for nid in nodes:
        if nid not in reachable:
            add(
                ["nodes", nid],
                f"node {nid!r} cannot be reached from start.",
                "lead to it from another node, or remove it.",
            )
    finishing = _can_finish(nodes)
    for nid in reachable - finishing:
        if nodes[nid]["type"] != "ending":
            looped = nid in _reachable_from_targets(nodes, nid)
            what = "is in a loop with no way out" if looped else "is a dead end"
            add(
                ["nodes", nid],
                f"node {nid!r} {what}: no ending can be reached from it.",
                "give it (or a node in its loop) an option or route that leads towards an ending.",
            )
    if problems:
        return problems

    walk = explore(nodes, data["start"])
    if walk.limited:
        add(
            ["nodes"],
            f"more than {MAX_STATES} combinations of flags and scores: not every path could "
            "be followed, so whether each ending can be reached is not known.",
            "use fewer flags or score conditions, or split the scenario.",
        )
        return problems
    for where, message, fix in _never_used(nodes, reachable, walk):
        add(where, message, fix)
    for nid, why in walk.stuck.items():
        add(
            ["nodes", nid],
            f"node {nid!r} can get stuck: {why}.",
            "add an option or route without conditions.",
        )
    for nid, node in nodes.items():
        if node["type"] == "ending" and nid in reachable and nid not in walk.reached:
            add(
                ["nodes", nid],
                f"ending {nid!r} can never be reached: the conditions on the way to it never hold.",
                "loosen the `when` conditions that lead to it.",
            )
    kinds = {nodes[e]["type"] == "ending" and nodes[e]["kind"] for e in walk.reached}
    for kind in ENDING_KINDS:
        if kind not in kinds:
            add(
                ["nodes"],
                f"no reachable ending of kind {kind!r}.",
                "every scenario needs a strong, a recoverable and an escalate ending.",
            )
    if len(nodes) < MIN_NODES:
        add(
            ["nodes"],
            f"{len(nodes)} nodes; the content standard asks for at least {MIN_NODES}.",
            "add narrative, decision or ending nodes.",
        )
    longest = walk.longest
    if longest < MIN_DECISIONS:
        add(
            ["nodes"],
            f"the longest path has {longest} decisions; the standard asks for at "
            f"least {MIN_DECISIONS}.",
            "add decisions along the main path.",
        )
    for where, message, fix in moment_problems(nodes, data["start"]) + scenario_secrecy_problems(
        data
    ):
        add(where, message, fix)
    return problems


def _route_index(routes: list, flags, scores) -> int:
    return next(n for n, r in enumerate(routes) if all_hold(r.get("when"), flags, scores))


def _never_used(nodes: dict, reachable: set, walk: Walk):
    """Options that no path can show and routes that no path can take: their conditions
    name a flag nothing sets, or a score no path reaches."""
    for nid in sorted(reachable):
        node = nodes[nid]
        for i, option in enumerate(node.get("options", [])):
            if option.get("when") and (nid, i) not in walk.shown:
                yield (
                    ["nodes", nid, "options", i, "when"],
                    f"option {i + 1} of {nid!r} can never be shown: its conditions hold on "
                    "no path (a flag nothing sets, or a score no path reaches).",
                    "loosen its `when`, or remove the option.",
                )
        routes = node.get("next") if isinstance(node.get("next"), list) else []
        for n, r in enumerate(routes):
            if (nid, n) not in walk.taken:
                yield (
                    ["nodes", nid, "next", n],
                    f"route {n + 1} of {nid!r} (to {r['goto']!r}) is never taken: no path "
                    "meets its conditions before an earlier route's.",
                    "loosen its `when`, reorder the routes, or remove it.",
                )


def _unknown_flags(nodes: dict):
    """Conditions on a flag that no option sets: they can never hold (or always hold)."""
    set_anywhere = {
        f for n in nodes.values() for o in n.get("options", []) for f in o.get("sets", [])
    }
    for nid, node in nodes.items():
        places = [
            (["options", i, "when"], o.get("when")) for i, o in enumerate(node.get("options", []))
        ]
        if isinstance(node.get("next"), list):
            places += [(["next", n, "when"], r.get("when")) for n, r in enumerate(node["next"])]
        for where, conditions in places:
            for c in conditions or []:
                flag = c.get("flag") or c.get("not_flag")
                if flag and flag not in set_anywhere:
                    yield (
                        ["nodes", nid, *where],
                        f"a condition in {nid!r} names flag {flag!r}, which no option sets.",
                        f"set it in an option (`sets: [{flag}]`), or correct the name.",
                    )


def _targets(node: dict):
    nxt = node.get("next")
    if isinstance(nxt, str):
        yield nxt, ["next"]
    elif isinstance(nxt, list):
        for i, r in enumerate(nxt):
            yield r["goto"], ["next", i, "goto"]
    for i, option in enumerate(node.get("options", [])):
        yield option["next"], ["options", i, "next"]


def _reachable(nodes: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in nodes:
            continue
        seen.add(nid)
        todo.extend(t for t, _ in _targets(nodes[nid]))
    return seen


def _reachable_from_targets(nodes: dict, nid: str) -> set[str]:
    found: set[str] = set()
    for target, _ in _targets(nodes[nid]):
        found |= _reachable(nodes, target)
    return found


def _can_finish(nodes: dict) -> set[str]:
    done = {n for n, node in nodes.items() if node["type"] == "ending"}
    changed = True
    while changed:
        changed = False
        for nid, node in nodes.items():
            if nid not in done and any(t in done for t, _ in _targets(node)):
                done.add(nid)
                changed = True
    return done


def explore(nodes: dict, start: str) -> Walk:
    """Endings reachable under the conditions, stuck nodes, and the most decisions on a
    path, walking each distinct state once and without recursion. A state keeps only
    what conditions read (`States`), so paths that differ in nothing else are walked
    together."""
    walk, states = Walk(), States(nodes)
    memo: dict[tuple, int] = {}  # state -> most decisions from it to an ending (-1: none)
    active: set[tuple] = set()  # states on the current path: meeting one again is a loop

    def enter(nid: str, flags: frozenset, scores: dict) -> tuple[int, list | None]:
        """A state's value when already known, or a frame to walk its next states."""
        key = states.key(nid, flags, scores)
        if key in memo:
            return memo[key], None
        if len(memo) > MAX_STATES:
            walk.limited = True  # said, never taken for a loop or an unreachable ending
            return -1, None
        if key in active:
            return -1, None  # a loop; leaving it is checked by _can_finish
        if nodes[nid]["type"] == "ending":
            walk.reached.add(nid)
            memo[key] = 0
            return 0, None
        active.add(key)
        return -1, [key, list(_next_states(walk, states, nodes, nid, flags, scores)), 0, -1]

    best, frame = enter(start, frozenset(), {})
    stack = [frame] if frame else []
    while stack:
        frame = stack[-1]  # [state, next states as (step, nid, flags, scores), index, best]
        if frame[2] < len(frame[1]):
            step, *state = frame[1][frame[2]]
            frame[2] += 1
            value, child = enter(*state)
            if child:
                stack.append(child)
                continue
        else:
            stack.pop()
            active.discard(frame[0])
            memo[frame[0]] = value = frame[3]
            if not stack:
                best = value
                break
            frame = stack[-1]
            step = frame[1][frame[2] - 1][0]
        if value >= 0:
            frame[3] = max(frame[3], value + step)
    walk.longest = max(best, 0)
    return walk


def _next_states(walk: Walk, states: States, nodes: dict, nid: str, flags, scores):
    """(decisions taken, node, flags, scores) for each state that follows one, noting in
    `walk` the options shown, the routes taken and where a play gets stuck."""
    node = nodes[nid]
    if node["type"] == "narrative":
        target = route(node["next"], flags, scores)
        if target is None:
            walk.stuck[nid] = "no route's conditions hold"
            return
        if isinstance(node["next"], list):
            walk.taken.add((nid, _route_index(node["next"], flags, scores)))
        yield 0, target, flags, scores
        return
    shown = [i for i, o in enumerate(node["options"]) if all_hold(o.get("when"), flags, scores)]
    walk.shown.update((nid, i) for i in shown)
    if not shown:
        walk.stuck[nid] = "every option is hidden by its conditions"
    for i in shown:
        option = node["options"][i]
        yield 1, option["next"], *states.after(flags, scores, option)


def walk_scenario(nodes: dict, start: str, path: Path | str = "scenario") -> Walk:
    """Every play-through under the conditions, as choices (node, option index), walked
    without recursion; a path stops where it meets a state already on it (a loop, as
    `States` sees states). A scenario with too many paths to list is a problem named by
    its file `path`."""
    walk, states = Walk(), States(nodes)
    steps, listed, choices, on_path = 0, 0, [], set()
    stack: list[tuple] = [(start, frozenset(), {}, None)]
    while stack:
        item = stack.pop()
        if len(item) == 2:  # leaving a state (its key), reached by a choice or not
            on_path.discard(item[0])
            if item[1]:
                choices.pop()
            continue
        nid, flags, scores, choice = item
        if choice:
            choices.append(choice)
        node = nodes[nid]
        key = states.key(nid, flags, scores)
        steps += 1
        listed += len(choices) if node["type"] == "ending" else 0
        if steps > MAX_STATES or listed > MAX_LISTED:
            raise CourseError(
                Problem(
                    path,
                    0,
                    f"too many paths to list (more than {MAX_STATES} states or "
                    f"{MAX_LISTED} choices).",
                    "simplify the scenario's branching.",
                )
            )
        if node["type"] == "ending" or key in on_path:
            if node["type"] == "ending":
                walk.reached.add(nid)
                walk.paths.append({"choices": list(choices), "ending": nid, "scores": dict(scores)})
            if choice:
                choices.pop()
            continue  # at a loop, leaving it is checked by _can_finish
        on_path.add(key)
        stack.append((key, choice))
        if node["type"] == "narrative":
            target = route(node["next"], flags, scores)
            if target is None:
                walk.stuck[nid] = "no route's conditions hold"
            else:
                stack.append((target, flags, scores, None))
            continue
        shown = [i for i, o in enumerate(node["options"]) if all_hold(o.get("when"), flags, scores)]
        if not shown:
            walk.stuck[nid] = "every option is hidden by its conditions"
        for i in reversed(shown):
            option = node["options"][i]
            new_scores = dict(scores)
            for cid, value in option.get("scores", {}).items():
                new_scores[cid] = new_scores.get(cid, 0) + value
            sets = frozenset(option.get("sets", []))
            stack.append((option["next"], flags | sets, new_scores, [nid, i]))
    return walk


def _strings(data):
    """(YAML path, text) of every string in `data`, in file order, without recursion."""
    stack: list[tuple] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            yield list(where), value
        elif isinstance(value, dict):
            stack += reversed([((*where, k), v) for k, v in value.items()])
        elif isinstance(value, list):
            stack += reversed([((*where, i), v) for i, v in enumerate(value)])
