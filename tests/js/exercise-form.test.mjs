// The web form writes answers in the plain words that the Python grader reads;
// tests/data/answer-words.json holds both sides to the same examples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { toWords, completeness } from "../../src/facilitator_course/static/exercise-form.js";

const vectors = JSON.parse(readFileSync(new URL("../data/answer-words.json", import.meta.url)));

for (const v of vectors) {
  test(`toWords writes a ${v.kind} answer as the grader reads it`, () => {
    assert.equal(toWords(v.kind, v.value), v.words);
  });
}

test("completeness says what is missing, never what is right", () => {
  const ordering = { kind: "ordering", steps: [["a", ""], ["b", ""], ["c", ""]] };
  assert.equal(completeness(ordering, ["a", "b", "c"]), null);
  assert.match(completeness(ordering, ["a", "a", "c"]), /one position only/);
  assert.match(completeness(ordering, ["a", ""]), /every step/);
  const pairs = { kind: "classification", statements: [["a", ""], ["b", ""]] };
  assert.match(completeness(pairs, { a: "x" }), /for b/);
  assert.equal(completeness({ kind: "reflection" }, "  "), "Write your answer in the box.");
  assert.equal(completeness({ kind: "single" }, "c"), null);
});
