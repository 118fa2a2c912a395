// The scenario player: one ES module for JupyterLab (anywidget) and the static site.
// It walks the compiled graph made by Python; `Engine` is the same walk as
// facilitator_course/scenarios/engine.py, and the shared test vectors hold both to it.

function holds(c, flags, scores) {
  if ("flag" in c) return flags.has(c.flag);
  if ("not_flag" in c) return !flags.has(c.not_flag);
  const v = scores[c.score] || 0;
  return "at_least" in c ? v >= c.at_least : v < c.below;
}
const allHold = (cs, flags, scores) => (cs || []).every((c) => holds(c, flags, scores));

function route(next, flags, scores) {
  if (typeof next === "string") return next;
  const r = next.find((r) => allHold(r.when, flags, scores));
  return r ? r.goto : null;
}

// A seeded shuffle of each decision's options, the same in Python
// (facilitator_course/scenarios/engine.py `shuffled`): FNV-1a of "seed:node", mulberry32.
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
    t = (t ^ ((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0)) >>> 0;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(items, seed, nodeId) {
  const rand = mulberry32(hash(`${seed}:${nodeId}`));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export class Engine {
  constructor(graph, seed = 0) {
    this.graph = graph;
    this.seed = seed;
    this.first = {}; // the first choice made at each decision; undo and restart keep it
    this.restart();
  }
  shownOptions() {
    return shuffled(this.visibleOptions(), this.seed, this.nodeId);
  }
  get firstScores() {
    const total = {};
    for (const [nid, index] of Object.entries(this.first))
      for (const [c, v] of Object.entries(this.graph.nodes[nid].options[index].scores))
        total[c] = (total[c] || 0) + v;
    return total;
  }
  restart() {
    this.nodeId = this.graph.start;
    this.flags = new Set();
    this.scores = {};
    this.path = [];
    this.undo = [];
  }
  get node() {
    return this.graph.nodes[this.nodeId];
  }
  get finished() {
    return this.node.type === "ending";
  }
  visibleOptions() {
    if (this.node.type !== "decision") return [];
    return this.node.options
      .map((o, i) => (allHold(o.when, this.flags, this.scores) ? i : -1))
      .filter((i) => i >= 0);
  }
  advance() {
    if (this.node.type !== "narrative") throw new Error(`${this.nodeId} is not a narrative`);
    this.nodeId = route(this.node.next, this.flags, this.scores);
    return this.nodeId;
  }
  choose(index) {
    if (!this.visibleOptions().includes(index))
      throw new Error(`option ${index} is not available at ${this.nodeId}`);
    if (!(this.nodeId in this.first)) this.first[this.nodeId] = index;
    this.undo.push([this.nodeId, new Set(this.flags), { ...this.scores }, this.path.length]);
    const o = this.node.options[index];
    for (const [c, v] of Object.entries(o.scores)) this.scores[c] = (this.scores[c] || 0) + v;
    for (const f of o.sets) this.flags.add(f);
    this.path.push({ node: this.nodeId, option: index, feedback: o.feedback, scores: { ...o.scores } });
    this.nodeId = o.next;
    return o.feedback;
  }
  back() {
    if (!this.undo.length) return false;
    let keep;
    [this.nodeId, this.flags, this.scores, keep] = this.undo.pop();
    this.path.length = keep;
    return true;
  }
  /** Replay saved choices and come back to `nodeId`; false if the scenario has changed. */
  resume(choices, nodeId) {
    this.restart();
    for (const index of choices) {
      while (this.node.type === "narrative") this.advance();
      if (!this.visibleOptions().includes(index)) return false;
      this.choose(index);
    }
    while (this.nodeId !== nodeId && this.node.type === "narrative") this.advance();
    return this.nodeId === nodeId;
  }
  play(choices) {
    const todo = [...choices];
    while (!this.finished) {
      if (this.node.type === "narrative") this.advance();
      else if (!todo.length) break;
      else this.choose(todo.shift());
    }
    return this;
  }
}

const KIND = {
  strong: "Ending: this went well",
  recoverable: "Ending: recoverable",
  escalate: "Ending: the right move was to bring in more help",
  harm: "Ending: someone was put at risk",
};

const CSS = `
.fcs{--fcs-ink:#1a1a1a;--fcs-bg:#fff;--fcs-accent:var(--fc-primary,currentColor);color:var(--fcs-ink);background:var(--fcs-bg);border:2px solid var(--fcs-accent);border-radius:8px;padding:1rem;margin:1rem 0;max-width:48rem;font-size:1rem;line-height:1.5;overflow-wrap:anywhere}
.fcs h3,.fcs h4{margin:.2rem 0 .6rem;font-size:1.15rem;line-height:1.3}
.fcs h3:focus,.fcs h4:focus{outline:none}
.fcs .fcs-meta{font-size:.95rem;margin:0 0 .5rem}
.fcs button{font:inherit;min-height:44px;min-width:44px;padding:.5rem .9rem;margin:.25rem .5rem .25rem 0;border:2px solid var(--fcs-accent);border-radius:6px;background:#fff;color:#1a1a1a;cursor:pointer;text-align:left}
.fcs button.fcs-primary{background:var(--fcs-accent);color:#fff}
.fcs button:hover{text-decoration:underline}
.fcs button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.fcs ul.fcs-options{list-style:none;padding:0;margin:.5rem 0}
.fcs ul.fcs-options li{margin:.4rem 0}
.fcs ul.fcs-options button{width:100%}
.fcs .fcs-line{margin:.4rem 0;padding-left:.75rem;border-left:4px solid #595959}
.fcs .fcs-feedback,.fcs .fcs-review li{border-left:4px solid var(--fcs-accent);padding:.25rem .75rem;margin:.5rem 0}
.fcs table{border-collapse:collapse;margin:.5rem 0}
.fcs th,.fcs td{border:1px solid #595959;padding:.25rem .6rem;text-align:left}
.fcs .fcs-controls{border-top:1px solid #767676;margin-top:1rem;padding-top:.5rem}
.fcs .fcs-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "html") el.innerHTML = v; // compiled by Python: Markdown rendered and sanitized
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

let counter = 0;

// A play part-way through, kept in this browser so a reload can resume it; the first choice
// at each decision is kept too, so reloading never raises the first attempt.
function storage() {
  try {
    const probe = "fc-probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null;
  }
}

function readPlay(store, key) {
  try {
    const saved = JSON.parse((store && store.getItem(key)) || "null");
    return saved && saved.version === 1 && Array.isArray(saved.path) ? saved : null;
  } catch {
    return null;
  }
}

function randomSeed() {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] % 2147483646) + 1;
}

/** Render a scenario into `el`; `model` is anywidget's model or the static page's stand-in. */
export function mount({ model, el }) {
  const graph = model.get("graph");
  const given = model.get("seed");
  const store = storage();
  const playKey = `fc-play:${graph.id}`;
  const saved = readPlay(store, playKey);
  const fixed = Number.isInteger(given) && given > 0;
  const seed = fixed ? given : saved && Number.isInteger(saved.seed) ? saved.seed : randomSeed();
  const engine = new Engine(graph, seed);
  if (saved && saved.first && typeof saved.first === "object")
    for (const [nid, index] of Object.entries(saved.first))
      if (graph.nodes[nid] && graph.nodes[nid].options && graph.nodes[nid].options[index]) engine.first[nid] = index;
  const uid = `fcs-${++counter}`;
  let feedback = null; // feedback of the choice just made, shown before moving on
  const partWay = saved && !saved.finished && (saved.path.length || saved.node !== graph.start);
  const opening = graph.content_note ? "note" : "play";
  let screen = partWay && (!fixed || saved.seed === seed) ? "resume" : opening;
  let announced = "";

  if (!document.getElementById("fcs-style")) {
    document.head.append(h("style", { id: "fcs-style", text: CSS }));
  }
  const live = h("p", { class: "fcs-sr", "aria-live": "polite", role: "status" });
  const body = h("div");
  const root = h("section", { class: "fcs", "aria-labelledby": `${uid}-title` },
    h("h3", { id: `${uid}-title`, text: `Scenario: ${graph.title}` }),
    h("p", { class: "fcs-meta", text: `About ${graph.minutes} minutes. Your choices stay on this device.` }),
    body, live);
  el.replaceChildren(root);

  function sync() {
    model.set("seed", seed);
    model.set("path", engine.path.map((p) => ({ node: p.node, option: p.option })));
    model.set("first", { ...engine.first });
    model.set("first_scores", engine.firstScores);
    model.set("scores", { ...engine.scores });
    model.set("ending", engine.finished ? engine.nodeId : "");
    model.save_changes();
    keep();
  }

  function keep() {
    if (store)
      store.setItem(playKey, JSON.stringify({ version: 1, seed, path: engine.path.map((p) => p.option),
        node: engine.nodeId, first: engine.first, finished: engine.finished }));
    const ending = engine.finished ? engine.nodeId : "";
    const said = `${ending}:${engine.path.length}`;
    if (said === announced) return;
    announced = said;
    const node = engine.node;
    // My progress (progress.js) keeps this; it is ignored where nothing listens
    root.dispatchEvent(new CustomEvent("fc-progress", { bubbles: true, detail: {
      kind: "scenario", id: graph.id, ending, ending_kind: ending ? node.kind : "",
      ending_title: ending ? node.title : "", first_scores: engine.firstScores, scores: { ...engine.scores } } }));
  }

  function controls() {
    const box = h("div", { class: "fcs-controls" });
    if (engine.undo.length)
      box.append(h("button", { type: "button", onclick: () => { feedback = null; engine.back(); show(); } },
        "Back to the previous decision"));
    if (engine.path.length || engine.nodeId !== graph.start)
      box.append(h("button", { type: "button", onclick: () => { feedback = null; engine.restart(); screen = "play"; show(); } },
        "Restart"));
    return box.childElementCount ? box : null;
  }

  function heading(text) {
    return h("h4", { tabindex: "-1", text });
  }

  function lines(node) {
    return (node.lines || []).map((l) =>
      h("p", { class: "fcs-line" }, h("strong", { text: `${l.speaker}: ` }), h("span", { html: l.html })));
  }

  function scoresTable(scores) {
    const ids = graph.competencies;
    const names = graph.competency_names || {};
    const first = engine.firstScores;
    return h("div", {},
      h("table", {},
        h("caption", { text: "Points per competency" }),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Competency" }),
          h("th", { scope: "col", text: "First attempt" }), h("th", { scope: "col", text: "This path" }))),
        h("tbody", {}, ...ids.map((c) => h("tr", {},
          h("th", { scope: "row", text: names[c] ? `${c}: ${names[c]}` : c }),
          h("td", { text: String(first[c] || 0) }), h("td", { text: String(scores[c] || 0) }))))),
      h("p", { class: "fcs-meta", text: "Each choice adds from -2 to +3 points to a competency. The first attempt counts your first choice at each decision; going back or restarting never changes it." }));
  }

  function feedbackBlock(fb, title) {
    return h("div", { class: "fcs-feedback" },
      title ? h("p", {}, h("strong", { text: title })) : null,
      fb.verdict ? h("p", {}, h("strong", { text: fb.verdict })) : null,
      h("p", {}, h("strong", { text: "What happened: " }), h("span", { html: fb.result })),
      h("p", {}, h("strong", { text: `Principle (${fb.competency}): ` }), h("span", { html: fb.principle })),
      h("p", {}, h("strong", { text: "A model response: " }), h("span", { html: fb.model })));
  }

  function view() {
    const node = engine.node;
    if (screen === "note")
      return [heading("Content note"), h("div", { html: graph.content_note }),
        h("p", { text: "You can pause or leave at any point." }),
        h("button", { type: "button", class: "fcs-primary", onclick: () => { screen = "play"; show(); } }, "Continue to the scenario"),
        h("button", { type: "button", onclick: () => { screen = "summary"; show(); } }, "Skip to the summary")];
    if (screen === "resume")
      return [heading("Welcome back"),
        h("p", { text: `You were part-way through this scenario (${saved.path.length} decision${saved.path.length === 1 ? "" : "s"} made). Your choices were kept on this device.` }),
        h("button", { type: "button", class: "fcs-primary", onclick: () => {
          if (!engine.resume(saved.path, saved.node)) engine.restart();
          screen = "play"; show(); } }, "Resume where I left off"),
        h("button", { type: "button", onclick: () => { engine.restart(); screen = opening; show(); } }, "Start again")];
    if (screen === "summary")
      return [heading("Summary"), h("div", { html: graph.summary }),
        h("p", { text: `It practises ${graph.competencies.join(", ")}.` }),
        h("button", { type: "button", onclick: () => { screen = "play"; show(); } }, "Play the scenario after all")];
    if (feedback)
      return [heading("Feedback on your choice"), feedbackBlock(feedback),
        h("button", { type: "button", class: "fcs-primary", onclick: () => { feedback = null; show(); } }, "Continue")];
    if (node.type === "narrative")
      return [heading("What is happening"), h("div", { html: node.html }), ...lines(node),
        h("button", { type: "button", class: "fcs-primary", onclick: () => { engine.advance(); show(); } }, "Continue")];
    if (node.type === "decision") {
      const opts = engine.shownOptions().map((i) =>
        h("li", {}, h("button", { type: "button", html: node.options[i].html,
          onclick: () => { feedback = engine.choose(i); show(); } })));
      return [heading("Your decision"), node.html ? h("div", { html: node.html }) : null, ...lines(node),
        h("p", { id: `${uid}-prompt` }, h("strong", { html: node.prompt })),
        h("ul", { class: "fcs-options", "aria-labelledby": `${uid}-prompt` }, ...opts)];
    }
    const review = h("ol", { class: "fcs-review" }, ...engine.path.map((p, n) => {
      const o = graph.nodes[p.node].options[p.option];
      return h("li", {}, h("p", {}, h("strong", { text: `Choice ${n + 1}: ` }), h("span", { html: o.html })),
        feedbackBlock(p.feedback));
    }));
    return [heading(`${KIND[node.kind]}: ${node.title}`), node.html ? h("div", { html: node.html }) : null,
      h("div", { html: node.debrief }), h("p", {}, h("strong", { text: "Your path" })), review,
      scoresTable(engine.scores)];
  }

  function show(focus = true) {
    if (focus) sync();
    body.replaceChildren(...view().filter(Boolean));
    const c = controls();
    if (c) body.append(c);
    const head = body.querySelector("h4");
    live.textContent = head ? head.textContent : "";
    if (focus && head) head.focus();
  }

  show(false);
  return () => el.replaceChildren();
}

export default { render: mount };

/** The static site: every `<div data-fc-scenario>` with its graph in a JSON script tag. */
export function mountAll(doc = document) {
  for (const el of doc.querySelectorAll("[data-fc-scenario]:not([data-fc-mounted])")) {
    const data = JSON.parse(doc.getElementById(el.dataset.fcScenario).textContent);
    // a fixed seed replays a play with the same order of options (?fcs-seed=123)
    const fixed = Number.parseInt(new URLSearchParams(doc.location ? doc.location.search : "").get("fcs-seed"), 10);
    const state = { graph: data, seed: Number.isInteger(fixed) ? fixed : undefined };
    const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; }, save_changes() {} };
    el.dataset.fcMounted = "1";
    mount({ model, el });
  }
}
