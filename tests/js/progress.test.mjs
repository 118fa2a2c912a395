// My progress (static/progress.js) and resuming a scenario (Engine.resume): run with
// node --test tests/js/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { compact, empty, grid, parse, record, summary, SUSPEND_LIMIT } from "../../src/facilitator_course/static/progress.js";
import { Engine } from "../../src/facilitator_course/static/scenario-player.js";

const MAP = {
  modules: [
    { slug: "01-a", title: "A", competencies: ["A-1", "A-2"] },
    { slug: "02-b", title: "B", competencies: ["B-1"] },
  ],
  competencies: { "A-1": { name: "one", module: "01-a" }, "A-2": { name: "two", module: "01-a" }, "B-1": { name: "three", module: "02-b" } },
  scenarios: [
    { id: "a-s", title: "S", page: "01-a", competencies: ["A-1", "A-2"] },
    { id: "b-s", title: "T", page: "02-b", competencies: ["B-1"] },
  ],
  practice: { "01-a": [{ id: "p1", competencies: ["A-1"] }, { id: "p2", competencies: ["A-2"] }] },
  exercises: [{ assignment: "01-a", title: "Ex A", page: "01-a", items: [{ id: "a-1", competencies: ["A-1"] }] }],
};

const ending = (kind, first_scores = {}) => ({ kind: "scenario", id: "a-s", ending: `end-${kind}`, ending_kind: kind, ending_title: kind, first_scores, scores: first_scores });

test("the first ending is kept; a later, better play changes only the latest", () => {
  let s = record(empty(), ending("harm", { "A-1": -2 }), 0);
  s = record(s, ending("strong", { "A-1": 3 }), 1000);
  assert.equal(s.scenarios["a-s"].first.kind, "harm");
  assert.deepEqual(s.scenarios["a-s"].first.scores, { "A-1": -2 });
  assert.equal(s.scenarios["a-s"].last.kind, "strong");
});

test("a scenario started but not finished has no first attempt", () => {
  const s = record(empty(), { kind: "scenario", id: "a-s", ending: "" }, 0);
  assert.ok(s.scenarios["a-s"].started);
  assert.equal(s.scenarios["a-s"].first, undefined);
});

test("record never changes the state it is given", () => {
  const before = empty();
  record(before, { kind: "module", module: "01-a", done: true }, 0);
  assert.deepEqual(before, empty());
});

test("summary: completed only when every module, scenario and exercise is done", () => {
  let s = empty();
  s = record(s, { kind: "module", module: "01-a", done: true }, 0);
  s = record(s, ending("strong"), 0);
  s = record(s, { ...ending("recoverable"), id: "b-s" }, 0);
  s = record(s, { kind: "exercise", assignment: "01-a", answered: 1, total: 1, downloaded: true }, 0);
  assert.equal(summary(s, MAP).status, "incomplete"); // module 02-b not finished
  assert.equal(summary(s, MAP).score, 75); // (100 + 50) / 2
  s = record(s, { kind: "module", module: "02-b", done: true }, 0);
  assert.deepEqual(summary(s, MAP), { modulesDone: 2, played: 2, downloaded: 1, status: "completed", score: 75 });
  s = record(s, { kind: "module", module: "02-b", done: false }, 0);
  assert.equal(summary(s, MAP).status, "incomplete");
});

test("an unplayed scenario counts 0 and a harmful first attempt counts 0", () => {
  const s = record(empty(), ending("harm"), 0);
  assert.equal(summary(s, MAP).score, 0);
  assert.equal(summary(record(empty(), ending("escalate"), 0), MAP).score, 50);
});

test("the grid shows, per competency, first-attempt points, practice and exercises", () => {
  let s = record(empty(), ending("strong", { "A-1": 3, "A-2": 1 }), 0);
  s = record(s, { kind: "practice", module: "01-a", item: "p1", right: false }, 0);
  s = record(s, { kind: "practice", module: "01-a", item: "p1", right: true }, 0);
  s = record(s, { kind: "exercise", assignment: "01-a", answered: 1, total: 1 }, 0);
  const rows = Object.fromEntries(grid(s, MAP).map((r) => [r.id, r]));
  assert.deepEqual(rows["A-1"].scenarios, [{ title: "S", played: true, points: 3 }]);
  assert.deepEqual(rows["A-1"].practice, { tried: 1, right: 1, of: 1 });
  assert.deepEqual(rows["A-2"].practice, { tried: 0, right: 0, of: 1 });
  assert.deepEqual(rows["A-1"].exercise, { answered: true, of: 1 });
  assert.deepEqual(rows["B-1"].scenarios, [{ title: "T", played: false, points: 0 }]);
  assert.equal(s.practice["01-a"].p1.first, false);
  assert.equal(s.practice["01-a"].p1.tries, 2);
});

test("parse refuses what is not a progress record", () => {
  for (const text of ["", "not json", "[]", '{"version": 2}', "null"]) assert.deepEqual(parse(text), empty());
});

test("compact fits the LMS's 4096 characters and keeps the scenarios", () => {
  let s = empty();
  for (let m = 0; m < 8; m++)
    for (let q = 0; q < 40; q++) s = record(s, { kind: "practice", module: `0${m}-module-name`, item: `question-${q}`, right: true }, 0);
  for (let n = 0; n < 17; n++)
    s = record(s, { ...ending("strong", { "AAA-1": 3, "AAA-2": 2, "AAA-3": 1 }), id: `scenario-number-${n}` }, 0);
  const text = compact(s);
  assert.ok(text.length > 0 && text.length <= SUSPEND_LIMIT, String(text.length));
  assert.equal(Object.keys(parse(text).scenarios).length, 17);
});

// ---- resuming a scenario: the saved choices replay to the same place --------------------

const dir = new URL("../data/vectors/", import.meta.url);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const data = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  test(`${data.scenario}: a part-played path resumes where it stopped`, () => {
    const v = data.vectors[0];
    const half = v.choices.slice(0, Math.max(1, Math.floor(v.choices.length / 2)));
    const a = new Engine(data.graph, 7);
    for (const c of half) {
      while (a.node.type === "narrative") a.advance();
      a.choose(c);
    }
    const b = new Engine(data.graph, 7);
    assert.ok(b.resume(a.path.map((p) => p.option), a.nodeId));
    assert.equal(b.nodeId, a.nodeId);
    assert.deepEqual(b.scores, a.scores);
    assert.deepEqual(b.path.map((p) => p.node), a.path.map((p) => p.node));
    assert.ok(b.back(), "undo works after resuming");
  });
  test(`${data.scenario}: a saved path that no longer fits the scenario is refused`, () => {
    const e = new Engine(data.graph, 7);
    assert.equal(e.resume([99], data.graph.start), false);
  });
}

test("a compacted record reads back and can be added to", () => {
  let s = record(empty(), { kind: "practice", module: "01-a", item: "p1", right: true }, 0);
  s = record(s, ending("strong", { "A-1": 3 }), 0);
  s = record(s, { kind: "module", module: "01-a", done: true }, 0);
  const level2 = JSON.parse(compact(s));
  assert.ok(level2.scenarios["a-s"].first.scores, "small records are kept whole");
  // force the second level by padding the record past the limit
  const big = structuredClone(s);
  for (let q = 0; q < 400; q++) big.practice["01-a"][`q${q}`] = { tries: 1, right: false, first: false };
  const back = parse(compact(big));
  assert.equal(back.practice["01-a"].p1.right, true);
  assert.ok(back.modules["01-a"].done);
  const again = record(back, { kind: "practice", module: "01-a", item: "p1", right: false }, 0);
  assert.equal(again.practice["01-a"].p1.tries, 2);
  assert.equal(summary(back, MAP).played, 1);
});
