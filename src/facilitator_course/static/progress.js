// The trainee's progress: kept in this browser only (localStorage, key "fc-progress"), no
// cookies, nothing sent anywhere; inside an LMS the LMS also gets completion and a score
// (scorm.js). The scenario player, the exercise forms and the practice questions announce
// what happened with an "fc-progress" event; this module, loaded on every page, keeps it,
// offers "I have finished this module" on module pages and draws the My progress page.

import { lms } from "./scorm.js";

export const KEY = "fc-progress";
export const SUSPEND_LIMIT = 4000; // SCORM 1.2 keeps at most 4096 characters

export function empty() {
  return { version: 1, updated: 0, modules: {}, scenarios: {}, practice: {}, exercises: {} };
}

function valid(state) {
  return state && state.version === 1 && typeof state.modules === "object";
}

export function parse(text) {
  try {
    const state = JSON.parse(text || "null");
    return valid(state) ? expand({ ...empty(), ...state }) : empty();
  } catch {
    return empty();
  }
}

const day = (now) => new Date(now).toISOString().slice(0, 10);

/** The state after one event (pure: returns a new object). */
export function record(state, detail, now = Date.now()) {
  const s = structuredClone(state);
  s.updated = now;
  if (detail.kind === "visit" || detail.kind === "module") {
    const m = (s.modules[detail.module] ||= { visited: day(now) });
    if (detail.kind === "module") {
      if (detail.done) m.done = day(now);
      else delete m.done;
    }
  } else if (detail.kind === "scenario") {
    const sc = (s.scenarios[detail.id] ||= { started: day(now) });
    if (detail.ending) {
      const ending = { ending: detail.ending, kind: detail.ending_kind, title: detail.ending_title };
      if (!sc.first) sc.first = { ...ending, scores: detail.first_scores || {}, date: day(now) };
      sc.last = { ...ending, scores: detail.scores || {}, date: day(now) };
    }
  } else if (detail.kind === "practice") {
    const p = ((s.practice[detail.module] ||= {})[detail.item] ||= { tries: 0 });
    p.tries += 1;
    if (p.first === undefined) p.first = Boolean(detail.right);
    p.right = p.right || Boolean(detail.right);
  } else if (detail.kind === "exercise") {
    const e = (s.exercises[detail.assignment] ||= {});
    if (detail.answered !== undefined) {
      e.answered = detail.answered;
      e.total = detail.total;
    }
    if (detail.downloaded) e.downloaded = day(now);
  }
  return s;
}

// Scenario endings, as a share of a good first attempt (for the LMS score).
const ENDING_VALUE = { strong: 100, escalate: 100, recoverable: 50, harm: 0 };

/** What the LMS is told: completed when every module is marked finished, every scenario
 * played to an ending and every exercise downloaded; the score is the mean over the
 * course's scenarios of the first attempt's ending (a scenario not played counts 0). */
export function summary(state, map) {
  const modulesDone = map.modules.filter((m) => state.modules[m.slug]?.done).length;
  const played = map.scenarios.filter((sc) => state.scenarios[sc.id]?.first);
  const downloaded = map.exercises.filter((e) => state.exercises[e.assignment]?.downloaded).length;
  const total = map.scenarios.reduce(
    (sum, sc) => sum + (ENDING_VALUE[state.scenarios[sc.id]?.first?.kind] ?? 0),
    0,
  );
  const complete =
    modulesDone === map.modules.length &&
    played.length === map.scenarios.length &&
    downloaded === map.exercises.length;
  return {
    modulesDone,
    played: played.length,
    downloaded,
    status: complete ? "completed" : "incomplete",
    score: map.scenarios.length ? Math.round(total / map.scenarios.length) : 0,
  };
}

/** One row per competency: what practised it so far. */
export function grid(state, map) {
  const rows = Object.entries(map.competencies).map(([id, c]) => ({
    id,
    name: c.name,
    module: c.module,
    scenarios: [],
    practice: { tried: 0, right: 0, of: 0 },
    exercise: { answered: false, of: 0 },
  }));
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  for (const sc of map.scenarios) {
    const first = state.scenarios[sc.id]?.first;
    for (const cid of sc.competencies)
      if (by[cid]) by[cid].scenarios.push({ title: sc.title, played: Boolean(first), points: first?.scores?.[cid] ?? 0 });
  }
  for (const [slug, questions] of Object.entries(map.practice))
    for (const q of questions)
      for (const cid of q.competencies) {
        if (!by[cid]) continue;
        const got = state.practice[slug]?.[q.id];
        by[cid].practice.of += 1;
        if (got) by[cid].practice.tried += 1;
        if (got?.right) by[cid].practice.right += 1;
      }
  for (const e of map.exercises) {
    const answered = (state.exercises[e.assignment]?.answered || 0) > 0;
    for (const item of e.items)
      for (const cid of item.competencies)
        if (by[cid]) {
          by[cid].exercise.of += 1;
          by[cid].exercise.answered ||= answered;
        }
  }
  return rows;
}

/** The state in at most SUSPEND_LIMIT characters, for the LMS. What matters most is kept
 * longest: first, dates, titles and latest endings go (practice answers become 1 right or
 * 0 tried), then scenario points, then practice answers; modules, scenario endings and
 * exercises always stay. */
export function compact(state) {
  const levels = [
    (s) => s,
    (s) => {
      for (const m of Object.values(s.modules)) {
        delete m.visited;
        if (m.done) m.done = 1;
      }
      for (const sc of Object.values(s.scenarios)) {
        delete sc.last;
        delete sc.started;
        if (sc.first) for (const k of ["title", "date"]) delete sc.first[k];
      }
      for (const [slug, items] of Object.entries(s.practice))
        s.practice[slug] = Object.fromEntries(Object.entries(items).map(([id, q]) => [id, q.right ? 1 : 0]));
      return s;
    },
    (s) => {
      for (const sc of Object.values(s.scenarios)) if (sc.first) delete sc.first.scores;
      return s;
    },
    (s) => ({ ...s, practice: {} }),
  ];
  let s = structuredClone(state);
  for (const level of levels) {
    s = level(s);
    const text = JSON.stringify(s);
    if (text.length <= SUSPEND_LIMIT) return text;
  }
  return "";
}

// A compacted record read back: a practice answer kept as 1 or 0 becomes an answer again.
function expand(state) {
  for (const items of Object.values(state.practice))
    for (const [id, q] of Object.entries(items))
      if (typeof q === "number") items[id] = { tries: 1, right: q === 1, first: q === 1 };
  for (const sc of Object.values(state.scenarios)) if (sc.first && !sc.first.scores) sc.first.scores = {};
  return state;
}

// ---- the browser: storage, events, LMS --------------------------------------------------

function browserStorage() {
  try {
    const probe = "fc-probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null; // storage turned off: progress lasts as long as the page
  }
}

let memory = empty();
let mapPromise = null;

function courseMap() {
  // JupyterLab hands the map over (progress_view.py); the site imports it
  if (globalThis.__fcCourseMap) return Promise.resolve(globalThis.__fcCourseMap);
  mapPromise ||= import("./course-map.js").then((m) => m.default);
  return mapPromise;
}

export function current() {
  const store = browserStorage();
  return store ? parse(store.getItem(KEY)) : memory;
}

function save(state) {
  const store = browserStorage();
  if (store) store.setItem(KEY, JSON.stringify(state));
  else memory = state;
  report(state);
}

async function report(state) {
  const link = lms();
  if (!link) return;
  const s = summary(state, await courseMap());
  link.report({ status: s.status, score: s.score, suspend: compact(state) });
}

/** Keep one event's detail. */
export function keep(detail) {
  const state = record(current(), detail);
  save(state);
  for (const host of document.querySelectorAll("[data-fc-progress]")) draw(host);
  return state;
}

/** Clear everything the course keeps in this browser: progress, scenarios part-played and
 * exercise answers (every key starting "fc-"). */
export function clearAll() {
  const store = browserStorage();
  if (store)
    for (const key of Object.keys(store)) if (key.startsWith("fc-")) store.removeItem(key);
  memory = empty();
}

// In an LMS on a new device, the progress the LMS kept comes back.
function restoreFromLms() {
  const link = lms();
  if (!link) return;
  const saved = parse(link.restore());
  if (saved.updated > current().updated) {
    const store = browserStorage();
    if (store) store.setItem(KEY, JSON.stringify(saved));
    else memory = saved;
  }
}

// ---- the page -----------------------------------------------------------------------------

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

const STYLE = `
.fc-progress table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:100%}
.fc-progress th,.fc-progress td{border:1px solid #595959;padding:.3rem .5rem;text-align:left;vertical-align:top}
.fc-progress thead th{background:#f2f2f2}
.fc-progress .fc-scroll{max-width:100%}
.fc-progress .fc-yes::before{content:"\\2713\\00a0";font-weight:700}
.fc-progress .fc-no{color:#4d4d4d}
.fc-progress .fc-bar{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
.fc-progress button,.fc-done button{font:inherit;min-height:44px;padding:.4rem .9rem;border:2px solid currentColor;border-radius:6px;background:#fff;color:#1a1a1a;cursor:pointer}
@media (max-width:40rem){
.fc-progress table,.fc-progress tbody,.fc-progress tr,.fc-progress th,.fc-progress td{display:block;width:auto;min-width:0}
.fc-progress thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.fc-progress tbody tr{border:1px solid #595959;border-radius:6px;margin:.5rem 0;padding:.35rem .6rem}
.fc-progress tbody th,.fc-progress tbody td{border:none;padding:.1rem 0}
.fc-progress td::before{content:attr(data-label) ": ";font-weight:700}
}
.fc-done{border-top:1px solid #767676;margin-top:2rem;padding-top:1rem}
.fc-done button[aria-pressed="true"]::before{content:"\\2713\\00a0"}
`;

function style() {
  if (!document.getElementById("fcp-style")) document.head.append(el("style", { id: "fcp-style", text: STYLE }));
}

const KIND_TEXT = {
  strong: "went well",
  escalate: "brought in more help",
  recoverable: "recoverable",
  harm: "someone was put at risk",
};

function yes(text) {
  return el("span", { class: "fc-yes", text });
}
function no(text) {
  return el("span", { class: "fc-no", text });
}

// On a phone each row becomes a card (CSS above); the roles keep it a table for screen
// readers whatever the display.
function table(caption, heads, rows) {
  for (const tr of rows)
    [...tr.querySelectorAll("td")].forEach((td, n) => td.setAttribute("data-label", heads[n + 1]));
  const t = el("table", { role: "table" }, [
    el("caption", { text: caption }),
    el("thead", { role: "rowgroup" }, [
      el("tr", { role: "row" }, heads.map((h) => el("th", { scope: "col", role: "columnheader", text: h }))),
    ]),
    el("tbody", { role: "rowgroup" }, rows),
  ]);
  return el("div", { class: "fc-scroll" }, [t]);
}

function row(head, cells) {
  return el("tr", { role: "row" }, [
    el("th", { scope: "row", role: "rowheader" }, [head]),
    ...cells.map((c) => el("td", { role: "cell" }, [c])),
  ]);
}

function link(href, text) {
  return globalThis.__fcLab ? el("span", { text }) : el("a", { href, text });
}

export async function draw(host) {
  style();
  const map = await courseMap();
  const state = current();
  const s = summary(state, map);
  const inLms = Boolean(lms());
  const parts = [];
  parts.push(
    el("p", { class: "fc-where" }, [
      el("strong", { text: "Where this is kept: " }),
      document.createTextNode(
        browserStorage()
          ? "in this browser only, on this device (its local storage). No cookies; nothing is sent anywhere."
          : "this browser is not keeping anything, so it lasts only while this page is open.",
      ),
      inLms ? document.createTextNode(" Your LMS also receives your completion and score.") : null,
    ]),
  );
  parts.push(
    el("p", {
      class: "fc-summary",
      role: "status",
      text:
        `${s.modulesDone} of ${map.modules.length} modules finished, ` +
        `${s.played} of ${map.scenarios.length} scenarios played, ` +
        `${s.downloaded} of ${map.exercises.length} exercises downloaded.`,
    }),
  );

  parts.push(el("h2", { text: "Modules" }));
  parts.push(
    table(
      "Modules",
      ["Module", "Finished", "Practice questions"],
      map.modules.map((m) => {
        const mod = state.modules[m.slug];
        const tried = Object.values(state.practice[m.slug] || {});
        const of = (map.practice[m.slug] || []).length;
        return row(link(`${m.slug}.html`, m.title), [
          mod?.done ? yes(`finished ${mod.done}`) : mod ? no("opened, not finished") : no("not yet"),
          tried.length
            ? yes(`${tried.length} of ${of} tried, ${tried.filter((p) => p.right).length} right`)
            : no(`0 of ${of} tried`),
        ]);
      }),
    ),
  );

  parts.push(el("h2", { text: "Scenarios" }));
  parts.push(
    table(
      "Scenarios",
      ["Scenario", "First attempt", "Latest"],
      map.scenarios.map((sc) => {
        const got = state.scenarios[sc.id];
        const ending = (e) => `${KIND_TEXT[e.kind] || e.kind}: ${e.title}`;
        return row(link(`${sc.page}.html`, sc.title), [
          got?.first ? yes(ending(got.first)) : got ? no("started, not finished") : no("not yet"),
          got?.last ? el("span", { text: ending(got.last) }) : no("-"),
        ]);
      }),
    ),
  );

  parts.push(el("h2", { text: "Exercises" }));
  parts.push(
    table(
      "Exercises",
      ["Exercise", "Answered", "Downloaded"],
      map.exercises.map((e) => {
        const got = state.exercises[e.assignment];
        return row(link(`${e.page}.html`, e.title), [
          got?.answered ? yes(`${got.answered} of ${got.total}`) : no("not yet"),
          got?.downloaded ? yes(got.downloaded) : no("not yet"),
        ]);
      }),
    ),
  );

  parts.push(el("h2", { text: "Competencies" }));
  parts.push(
    el("p", {
      text:
        "Each competency of the course and what has practised it. Scenario points are your first attempt (each choice adds -2 to +3).",
    }),
  );
  parts.push(
    table(
      "Competencies",
      ["Competency", "Scenarios (first attempt)", "Practice", "Exercise"],
      grid(state, map).map((r) => {
        const played = r.scenarios.filter((x) => x.played);
        return row(el("span", { text: `${r.id}: ${r.name}` }), [
          !r.scenarios.length
            ? no("none in the course")
            : played.length
              ? yes(played.map((x) => `${x.title} ${x.points >= 0 ? "+" : ""}${x.points}`).join("; "))
              : no(`${r.scenarios.length} to play`),
          !r.practice.of
            ? no("-")
            : r.practice.tried
              ? yes(`${r.practice.right} of ${r.practice.of} right`)
              : no(`${r.practice.of} to try`),
          !r.exercise.of ? no("-") : r.exercise.answered ? yes("answered") : no("not yet"),
        ]);
      }),
    ),
  );

  const status = el("p", { role: "status", "aria-live": "polite" });
  const download = el("button", { type: "button", text: "Download my progress" });
  download.addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(current(), null, 1)], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "my-progress.json" });
    document.body.append(a);
    a.click();
    a.remove();
    status.textContent = "Downloaded my-progress.json (your progress only, not your answers).";
  });
  const clear = el("button", { type: "button", text: "Clear everything this course kept in this browser" });
  clear.addEventListener("click", () => {
    if (!window.confirm("Clear your progress, scenarios part-played and exercise answers from this browser? This cannot be undone.")) return;
    clearAll();
    draw(host).then(() => {
      host.querySelector(".fc-status-after").textContent = "Cleared. Nothing from this course is kept in this browser now.";
    });
  });
  parts.push(el("div", { class: "fc-bar" }, [download, clear]), status);
  parts.push(el("p", { class: "fc-status-after", role: "status" }));
  host.replaceChildren(...parts);
}

async function moduleControls() {
  const map = await courseMap();
  const page = decodeURIComponent(location.pathname.split("/").pop() || "").replace(/\.html$/, "");
  const mod = map.modules.find((m) => m.slug === page);
  const article = document.querySelector("article.bd-article") || document.querySelector("main");
  if (!mod || !article || article.querySelector(".fc-done")) return;
  if (!current().modules[mod.slug]) keep({ kind: "visit", module: mod.slug });
  style();
  const button = el("button", { type: "button", "aria-pressed": "false" });
  const said = el("span", { role: "status" });
  const show = () => {
    const done = Boolean(current().modules[mod.slug]?.done);
    button.setAttribute("aria-pressed", String(done));
    button.textContent = done ? "I have finished this module" : "Mark this module as finished";
  };
  button.addEventListener("click", () => {
    const done = button.getAttribute("aria-pressed") !== "true";
    keep({ kind: "module", module: mod.slug, done });
    show();
    said.textContent = done ? " Marked as finished on My progress." : " No longer marked as finished.";
  });
  show();
  article.append(
    el("div", { class: "fc-done" }, [button, said, el("p", {}, [link("progress.html", "See My progress")])]),
  );
}

export function start({ pageControls = true } = {}) {
  restoreFromLms();
  document.addEventListener("fc-progress", (e) => keep(e.detail));
  for (const host of document.querySelectorAll("[data-fc-progress]")) draw(host);
  if (pageControls) moduleControls();
  report(current());
}

if (typeof document !== "undefined" && !globalThis.__fcLab && !globalThis.__fcProgressStarted) {
  globalThis.__fcProgressStarted = true;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
