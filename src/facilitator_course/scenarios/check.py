"""`course validate` for scenarios: schema, graph, competencies, placeholders, content notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..curriculum import competency_ids, modules
from ..errors import CourseError, Problem
from ..paths import project_root
from ..safety import moment_problems, scenario_secrecy_problems
from ..schema_check import load_schema, schema_problems
from ..yaml_source import YamlSource
from .conditions import States, all_hold, route
from .graph import reachable as _reachable
from .graph import reachable_from_targets as _reachable_from_targets
from .graph import targets as _targets
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
MAX_STATES = 200_000  # steps of walk_scenario, which lists every path for --report
MAX_EXPLORED = 50_000  # distinct states of explore (the capstone has about 10,000)
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
    """The problems found by the first stage of `RULES` that finds any (else none)."""
    scenario = Scenario(path, source)
    for stage in RULES:
        problems = [
            Problem(path, source.line(where), message, fix)
            for rule in stage
            for where, message, fix in rule(scenario)
        ]
        if problems:
            return problems
    return []


class Scenario:
    """What the rules read: a scenario file that passed its schema, with what is worked
    out from it once (the nodes reachable from start, the walk over its states)."""

    def __init__(self, path: Path, source: YamlSource):
        self.path, self.source = path, source
        self.data: dict = source.data
        self.nodes: dict = source.data["nodes"]

    @cached_property
    def reachable(self) -> set[str]:
        return _reachable(self.nodes, self.data["start"])

    @cached_property
    def walk(self) -> Walk:
        return explore(self.nodes, self.data["start"])


Found = tuple[list, str, str]  # where in the YAML, message, fix
Rule = Callable[[Scenario], Iterable[Found]]


def _id_is_the_file_name(s: Scenario) -> Iterable[Found]:
    """The id is the file's name without .yaml."""
    if s.data["id"] != s.path.stem:
        yield (
            ["id"],
            f"id {s.data['id']!r} differs from the file name {s.path.stem!r}.",
            f"rename the file to {s.data['id']}.yaml or set id: {s.path.stem}.",
        )


def _module_is_known(s: Scenario) -> Iterable[Found]:
    """The module is one of competencies.yml."""
    slugs = [m.slug for m in modules()]
    if s.data["module"] not in slugs:
        yield (
            ["module"],
            f"module {s.data['module']!r} is not in competencies.yml.",
            f"use one of {', '.join(slugs)}.",
        )


def _competencies_are_known(s: Scenario) -> Iterable[Found]:
    """Every competency listed is one of competencies.yml."""
    known = competency_ids()
    for i, cid in enumerate(s.data["competencies"]):
        if cid not in known:
            yield (
                ["competencies", i],
                f"competency {cid} is not in competencies.yml.",
                "use an id from competencies.yml, or add the competency there first.",
            )


def _start_exists(s: Scenario) -> Iterable[Found]:
    """`start` names a node."""
    if s.data["start"] not in s.nodes:
        yield (
            ["start"],
            f"start names node {s.data['start']!r}, which does not exist.",
            f"set start to one of the node ids ({', '.join(list(s.nodes)[:5])}, ...).",
        )


def _targets_exist(s: Scenario) -> Iterable[Found]:
    """Every `next` and `goto` names a node."""
    for nid, node in s.nodes.items():
        for target, where in _targets(node):
            if target not in s.nodes:
                yield (
                    ["nodes", nid, *where],
                    f"node {nid!r} leads to {target!r}, which does not exist.",
                    "point it at an existing node id, or add that node.",
                )


def _last_route_always_applies(s: Scenario) -> Iterable[Found]:
    """The last of a node's routes has no conditions, so some route always applies."""
    for nid, node in s.nodes.items():
        routes = node.get("next")
        if isinstance(routes, list) and "when" in routes[-1]:
            yield (
                ["nodes", nid, "next", len(routes) - 1],
                f"the last route of node {nid!r} has conditions, so it can lead nowhere.",
                "remove `when` from the last route so that one route always applies.",
            )


def _options_use_listed_competencies(s: Scenario) -> Iterable[Found]:
    """An option scores, and gives feedback on, only competencies the scenario lists."""
    listed = set(s.data["competencies"])
    for nid, node in s.nodes.items():
        for i, option in enumerate(node.get("options", [])):
            for cid in [*option.get("scores", {}), option["feedback"]["competency"]]:
                if cid not in listed:
                    yield (
                        ["nodes", nid, "options", i],
                        f"option {i + 1} of {nid!r} uses {cid}, which is "
                        "not in the scenario's competencies list.",
                        f"add {cid} to `competencies`, or use a listed one.",
                    )


def _competencies_are_practised(s: Scenario) -> Iterable[Found]:
    """Some option scores each competency listed (a score other than 0)."""
    scored = {
        cid
        for node in s.nodes.values()
        for option in node.get("options", [])
        for cid, value in option.get("scores", {}).items()
        if value
    }
    for i, cid in enumerate(s.data["competencies"]):
        if cid not in scored:
            yield (
                ["competencies", i],
                f"no option scores {cid}, so the scenario does not practise it.",
                f"score {cid} in at least one option, or remove it.",
            )


def _content_note_where_needed(s: Scenario) -> Iterable[Found]:
    """Topics in NEEDS_CONTENT_NOTE need a content note."""
    topics = set(s.data["topics"]) & NEEDS_CONTENT_NOTE
    if topics and "content_note" not in s.data:
        yield (
            ["topics"],
            f"the topics {', '.join(sorted(topics))} need a content note.",
            "add `content_note:` saying what the scenario depicts, so trainees can choose.",
        )


def _placeholders_are_known(s: Scenario) -> Iterable[Found]:
    """Every {placeholder} in any text is one of placeholders.PLACEHOLDERS."""
    for where, text in _strings(s.data):
        for token in unknown_placeholders(text):
            yield (
                where,
                f"unknown placeholder {token}.",
                f"use {describe()}; write a literal brace as {{{{ or }}}}.",
            )


def _flags_are_set(s: Scenario) -> Iterable[Found]:
    """A condition names only flags that some option sets: other conditions could never
    hold (or always hold)."""
    set_anywhere = {
        f for n in s.nodes.values() for o in n.get("options", []) for f in o.get("sets", [])
    }
    for nid, where, condition in _conditions_in(s.nodes):
        flag = condition.get("flag") or condition.get("not_flag")
        if flag and flag not in set_anywhere:
            yield (
                ["nodes", nid, *where],
                f"a condition in {nid!r} names flag {flag!r}, which no option sets.",
                f"set it in an option (`sets: [{flag}]`), or correct the name.",
            )


def _nodes_are_reachable(s: Scenario) -> Iterable[Found]:
    """Every node can be reached from start (following links, conditions aside)."""
    for nid in s.nodes:
        if nid not in s.reachable:
            yield (
                ["nodes", nid],
                f"node {nid!r} cannot be reached from start.",
                "lead to it from another node, or remove it.",
            )


def _nodes_can_finish(s: Scenario) -> Iterable[Found]:
    """From every reachable node some ending can be reached: no dead end, no loop
    without a way out (conditions aside)."""
    finishing = _can_finish(s.nodes)
    for nid in s.reachable - finishing:
        if s.nodes[nid]["type"] != "ending":
            looped = nid in _reachable_from_targets(s.nodes, nid)
            what = "is in a loop with no way out" if looped else "is a dead end"
            yield (
                ["nodes", nid],
                f"node {nid!r} {what}: no ending can be reached from it.",
                "give it (or a node in its loop) an option or route that leads towards an ending.",
            )


def _every_path_followed(s: Scenario) -> Iterable[Found]:
    """The walk over the scenario's states stayed within MAX_EXPLORED, so what the later
    rules say about conditions is known, not guessed."""
    if s.walk.limited:
        yield (
            ["nodes"],
            f"more than {MAX_EXPLORED} combinations of flags and scores: not every path could "
            "be followed, so whether each ending can be reached is not known.",
            "use fewer flags or score conditions, or split the scenario.",
        )


def _options_and_routes_are_used(s: Scenario) -> Iterable[Found]:
    """Every option with conditions is shown on some path, and every route is taken on
    some path."""
    yield from _never_used(s.nodes, s.reachable, s.walk)


def _nodes_never_get_stuck(s: Scenario) -> Iterable[Found]:
    """No play reaches a node where every option is hidden, or no route applies."""
    for nid, why in s.walk.stuck.items():
        yield (
            ["nodes", nid],
            f"node {nid!r} can get stuck: {why}.",
            "add an option or route without conditions.",
        )


def _endings_are_reachable(s: Scenario) -> Iterable[Found]:
    """Every ending linked from start is reached on some path under the conditions."""
    for nid, node in s.nodes.items():
        if node["type"] == "ending" and nid in s.reachable and nid not in s.walk.reached:
            yield (
                ["nodes", nid],
                f"ending {nid!r} can never be reached: the conditions on the way to it never hold.",
                "loosen the `when` conditions that lead to it.",
            )


def _every_kind_of_ending(s: Scenario) -> Iterable[Found]:
    """Some path reaches an ending of each of ENDING_KINDS."""
    kinds = {s.nodes[e]["type"] == "ending" and s.nodes[e]["kind"] for e in s.walk.reached}
    for kind in ENDING_KINDS:
        if kind not in kinds:
            yield (
                ["nodes"],
                f"no reachable ending of kind {kind!r}.",
                "every scenario needs a strong, a recoverable and an escalate ending.",
            )


def _enough_nodes(s: Scenario) -> Iterable[Found]:
    """At least MIN_NODES nodes (the content standard)."""
    if len(s.nodes) < MIN_NODES:
        yield (
            ["nodes"],
            f"{len(s.nodes)} nodes; the content standard asks for at least {MIN_NODES}.",
            "add narrative, decision or ending nodes.",
        )


def _enough_decisions(s: Scenario) -> Iterable[Found]:
    """At least MIN_DECISIONS decisions on the longest path (the content standard)."""
    if s.walk.longest < MIN_DECISIONS:
        yield (
            ["nodes"],
            f"the longest path has {s.walk.longest} decisions; the standard asks for at "
            f"least {MIN_DECISIONS}.",
            "add decisions along the main path.",
        )


def _moments_are_handled_safely(s: Scenario) -> Iterable[Found]:
    """At a moment of risk the best option follows the course's safety rules (safety.py)."""
    return moment_problems(s.nodes, s.data["start"])


def _no_secrecy_promised(s: Scenario) -> Iterable[Found]:
    """No scored option or model answer promises secrecy (safety.py)."""
    return scenario_secrecy_problems(s.data)


# The rules, in stages: a stage runs only when every earlier one found nothing, since
# its rules rely on what those check (nodes that exist, flags that some option sets,
# a graph whose nodes are all reachable and can all finish, a walk that saw every
# state). A new rule is one function here.
RULES: tuple[tuple[Rule, ...], ...] = (
    (
        _id_is_the_file_name,
        _module_is_known,
        _competencies_are_known,
        _start_exists,
        _targets_exist,
        _last_route_always_applies,
        _options_use_listed_competencies,
        _competencies_are_practised,
        _content_note_where_needed,
        _placeholders_are_known,
    ),
    (_flags_are_set,),
    (_nodes_are_reachable, _nodes_can_finish),
    (_every_path_followed,),
    (
        _options_and_routes_are_used,
        _nodes_never_get_stuck,
        _endings_are_reachable,
        _every_kind_of_ending,
        _enough_nodes,
        _enough_decisions,
        _moments_are_handled_safely,
        _no_secrecy_promised,
    ),
)


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


def _conditions_in(nodes: dict):
    """(node id, where in the node, condition) for every condition on an option or route."""
    for nid, node in nodes.items():
        places = [
            (["options", i, "when"], o.get("when")) for i, o in enumerate(node.get("options", []))
        ]
        if isinstance(node.get("next"), list):
            places += [(["next", n, "when"], r.get("when")) for n, r in enumerate(node["next"])]
        for where, conditions in places:
            for condition in conditions or []:
                yield nid, where, condition


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
    """For `course validate`: endings reachable under the conditions, stuck nodes,
    options shown and routes taken, and the most decisions on a path, walking each
    distinct state once (a state keeps only what conditions read, `States`, so paths
    that differ in nothing else are walked together) and without recursion. Hitting
    MAX_EXPLORED sets `limited`, never taken for a loop or an unreachable ending.

    It cannot list the paths, which `walk_scenario` does for `validate --report`: that
    follows every path one by one, so its work grows with the number of paths (the
    capstone has over half a million choices in all), while this grows only with the
    number of distinct states."""
    return _Explorer(nodes).run(start)


class _Explorer:
    """`explore`'s depth-first walk over states, with an explicit stack of frames
    [state, next states as (choice, node, flags, scores), index, best so far]."""

    def __init__(self, nodes: dict):
        self.nodes, self.walk, self.states = nodes, Walk(), States(nodes)
        self.memo: dict[tuple, int] = {}  # state -> most decisions from it to an ending (-1: none)
        self.active: set[tuple] = set()  # states on the current path: meeting one is a loop

    def enter(self, nid: str, flags: frozenset, scores: dict) -> tuple[int, list | None]:
        """A state's value when already known, or a frame to walk its next states."""
        key = self.states.key(nid, flags, scores)
        if key in self.memo:
            return self.memo[key], None
        if len(self.memo) > MAX_EXPLORED:
            self.walk.limited = True  # said, never taken for a loop or an unreachable ending
            return -1, None
        if key in self.active:
            return -1, None  # a loop; leaving it is checked by _can_finish
        if self.nodes[nid]["type"] == "ending":
            self.walk.reached.add(nid)
            self.memo[key] = 0
            return 0, None
        self.active.add(key)
        after = self.states.after
        return -1, [
            key,
            list(_next_states(self.walk, self.nodes, nid, flags, scores, after)),
            0,
            -1,
        ]

    def run(self, start: str) -> Walk:
        best, frame = self.enter(start, frozenset(), {})
        stack = [frame] if frame else []
        while stack:
            frame = stack[-1]
            if frame[2] < len(frame[1]):
                choice, *state = frame[1][frame[2]]
                frame[2] += 1
                value, child = self.enter(*state)
                if child:
                    stack.append(child)
                    continue
            else:
                stack.pop()
                self.active.discard(frame[0])
                self.memo[frame[0]] = value = frame[3]
                if not stack:
                    best = value
                    break
                frame = stack[-1]
                choice = frame[1][frame[2] - 1][0]
            if value >= 0:
                frame[3] = max(frame[3], value + (choice is not None))
        self.walk.longest = max(best, 0)
        return self.walk


def _next_states(walk: Walk, nodes: dict, nid: str, flags, scores, after):
    """(choice, node, flags, scores) for each state that follows one, `choice` being
    [node, option index] or None after a narrative node, and `after(flags, scores,
    option)` giving the flags and scores once an option is chosen. Notes in `walk` the
    options shown, the routes taken and where a play gets stuck."""
    node = nodes[nid]
    if node["type"] == "narrative":
        target = route(node["next"], flags, scores)
        if target is None:
            walk.stuck[nid] = "no route's conditions hold"
            return
        if isinstance(node["next"], list):
            walk.taken.add((nid, _route_index(node["next"], flags, scores)))
        yield None, target, flags, scores
        return
    shown = [i for i, o in enumerate(node["options"]) if all_hold(o.get("when"), flags, scores)]
    walk.shown.update((nid, i) for i in shown)
    if not shown:
        walk.stuck[nid] = "every option is hidden by its conditions"
    for i in shown:
        option = node["options"][i]
        yield [nid, i], option["next"], *after(flags, scores, option)


def _after_in_full(flags: frozenset, scores: dict, option: dict) -> tuple[frozenset, dict]:
    """Every flag set and every score's running total after choosing `option`."""
    totals = dict(scores)
    for cid, value in option.get("scores", {}).items():
        totals[cid] = totals.get(cid, 0) + value
    return flags | frozenset(option.get("sets", [])), totals


def walk_scenario(nodes: dict, start: str, path: Path | str = "scenario") -> Walk:
    """For `course validate --report`: every play-through under the conditions, as
    choices [node, option index], an ending and the full scores, walked without
    recursion; a path stops where it meets a state already on it (a loop, as `States`
    sees states). A scenario with too many paths to list is a problem named by its file
    `path`.

    `explore`, which `course validate` uses, walks each distinct state once instead of
    each path, so it stays fast where paths multiply, but it cannot list them."""
    walk, states = Walk(), States(nodes)
    steps, listed, choices, on_path = 0, 0, [], set()
    stack: list[tuple] = [(None, start, frozenset(), {})]
    while stack:
        item = stack.pop()
        if len(item) == 2:  # leaving a state (its key), reached by a choice or not
            on_path.discard(item[0])
            if item[1]:
                choices.pop()
            continue
        choice, nid, flags, scores = item
        choices += [choice] if choice else []
        key, ending = states.key(nid, flags, scores), nodes[nid]["type"] == "ending"
        steps += 1
        listed += len(choices) if ending else 0
        if steps > MAX_STATES or listed > MAX_LISTED:
            raise _too_many_paths(path)
        if ending:
            walk.reached.add(nid)
            walk.paths.append({"choices": list(choices), "ending": nid, "scores": dict(scores)})
        if ending or key in on_path:  # at a loop, leaving it is checked by _can_finish
            stack.append((None, choice))
            continue
        on_path.add(key)
        stack.append((key, choice))
        stack += reversed(list(_next_states(walk, nodes, nid, flags, scores, _after_in_full)))
    return walk


def _too_many_paths(path: Path | str) -> CourseError:
    return CourseError(
        Problem(
            path,
            0,
            f"too many paths to list (more than {MAX_STATES} states or {MAX_LISTED} choices).",
            "simplify the scenario's branching.",
        )
    )


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
