// The JavaScript engine against the shared vectors (run: node --test tests/js/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { Engine } from "../../src/facilitator_course/static/scenario-player.js";

const dir = new URL("../data/vectors/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

test("there are vector files", () => assert.ok(files.length >= 3));

for (const file of files) {
  const data = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  for (const v of data.vectors) {
    test(`${data.scenario}: ${v.name}`, () => {
      const e = new Engine(data.graph).play(v.choices);
      assert.ok(e.finished);
      assert.equal(e.nodeId, v.ending);
      assert.equal(e.node.kind, v.kind);
      const scores = Object.fromEntries(Object.entries(e.scores).filter(([, s]) => s).sort());
      assert.deepEqual(scores, v.scores);
      assert.deepEqual(e.path.map((p) => p.feedback.competency), v.feedback);
    });
  }
  test(`${data.scenario}: back undoes one choice, restart clears all`, () => {
    const best = data.vectors[0].choices;
    const e = new Engine(data.graph).play(best.slice(0, 2));
    const before = [e.nodeId, { ...e.scores }, e.path.length];
    e.play(best.slice(2, 3));
    assert.ok(e.back());
    assert.deepEqual([e.nodeId, e.scores, e.path.length], before);
    e.restart();
    assert.deepEqual([e.nodeId, e.scores, e.path.length], [data.graph.start, {}, 0]);
    assert.equal(e.back(), false);
  });
}

import { shuffled } from "../../src/facilitator_course/static/scenario-player.js";

const shuffles = JSON.parse(readFileSync(new URL("../data/shuffle-vectors.json", import.meta.url)));
for (const s of shuffles) {
  test(`shuffle of ${s.items.length} options at ${s.node} with seed ${s.seed} matches Python`, () => {
    assert.deepEqual(shuffled(s.items, s.seed, s.node), s.order);
  });
}

test("the first choice at a decision is kept through back and restart", () => {
  const data = JSON.parse(readFileSync(new URL(files[0], dir), "utf8"));
  const [best, worst] = [data.vectors[0].choices, data.vectors[1].choices];
  const e = new Engine(data.graph, 5).play(worst.slice(0, 1));
  const first = { ...e.first };
  e.back();
  e.play(best.slice(0, 1));
  e.restart();
  e.play(best);
  assert.deepEqual(Object.entries(first).slice(0, 1), Object.entries(e.first).slice(0, 1));
});
