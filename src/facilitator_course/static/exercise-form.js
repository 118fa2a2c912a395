// Exercises on the website: one accessible form per assignment, answered in plain words.
// The page carries the items compiled by Python (facilitator_course/grading/web.py): no
// answer keys, no model answers. Answers stay in this browser (localStorage) until the
// trainee downloads the submission notebook, which `course collect` and `course grade` take.

const STUB = "YOUR ANSWER HERE";

// An answer in the plain words the grader reads (facilitator_course/grading/plain_words.py);
// tests/data/answer-words.json holds both sides to the same examples.
export function toWords(kind, value) {
  if (value == null) return "";
  if (kind === "single" || kind === "judgement") return String(value);
  if (kind === "multiple") return [...value].sort().join(", ");
  if (kind === "ordering") return value.join(" ");
  if (kind === "classification")
    return Object.keys(value)
      .sort()
      .map((k) => `${k}: ${value[k]}`)
      .join(", ");
  return String(value).trim();
}

// Whether an answer is complete; never whether it is right.
export function completeness(item, value) {
  const kind = item.kind;
  if (kind === "single" || kind === "judgement")
    return value ? null : "Choose one option.";
  if (kind === "multiple") return value && value.length ? null : "Choose at least one option.";
  if (kind === "ordering") {
    const letters = item.steps.map(([k]) => k);
    const got = (value || []).filter(Boolean);
    if (got.length < letters.length) return "Put every step in a position.";
    if (new Set(got).size !== got.length) return "Each step can go in one position only.";
    return null;
  }
  if (kind === "classification") {
    const missing = item.statements.filter(([k]) => !(value && value[k]));
    return missing.length ? `Choose a category for ${missing.map(([k]) => k).join(", ")}.` : null;
  }
  return value && String(value).trim() ? null : "Write your answer in the box.";
}

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "html") node.innerHTML = v; // compiled and sanitized by Python
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function storage() {
  try {
    const probe = "fc-probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null; // private browsing or storage turned off: the form still works
  }
}

const STYLE = `
.fc-exercise{max-width:48rem}
.fc-exercise fieldset{border:1px solid #767676;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.fc-exercise legend{font-weight:700;padding:0 .25rem}
.fc-exercise .fc-choice{display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}
.fc-exercise .fc-choice input{margin-top:.3rem;flex:none}
.fc-exercise .fc-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.35rem 0}
.fc-exercise select,.fc-exercise textarea{font:inherit;max-width:100%}
.fc-exercise textarea{width:100%;min-height:8rem}
.fc-exercise .fc-how{font-size:.95em}
.fc-exercise .fc-bar{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}
.fc-exercise button{font:inherit;padding:.35rem .8rem;border:2px solid currentColor;border-radius:4px;background:#fff;color:#1a1a1a;cursor:pointer}
.fc-exercise .fc-status p{margin:.2rem 0}
`;

// The controls of one item: radios, checkboxes, selects or a text box.
function controls(box, item, id, value, set_) {
  if (item.kind === "single" || item.kind === "judgement" || item.kind === "multiple") {
    const type = item.kind === "multiple" ? "checkbox" : "radio";
    for (const [letter, html] of item.options) {
      const input = el("input", { type, name: id, value: letter, id: `${id}-${letter}` });
      if (type === "radio") input.checked = value === letter;
      else input.checked = (value || []).includes(letter);
      input.addEventListener("change", () => {
        if (type === "radio") set_(letter);
        else {
          const picked = [...box.querySelectorAll("input:checked")].map((i) => i.value);
          set_(picked);
        }
      });
      const label = el("label", { for: input.id });
      label.append(el("strong", { text: `${letter}. ` }), el("span", { html }));
      box.append(el("div", { class: "fc-choice" }, [input, label]));
    }
  } else if (item.kind === "ordering") {
    const order = value || [];
    item.steps.forEach((_, pos) => {
      const select = el("select", { id: `${id}-pos${pos}` });
      select.append(el("option", { value: "", text: "Choose a step" }));
      for (const [letter, html] of item.steps) {
        const text = el("span", { html }).textContent;
        const option = el("option", { value: letter, text: `${letter}. ${text}` });
        option.selected = order[pos] === letter;
        select.append(option);
      }
      select.addEventListener("change", () => {
        const now = item.steps.map((__, p) => box.querySelector(`#${id}-pos${p}`).value);
        set_(now);
      });
      const label = el("label", { for: select.id, text: `Step ${pos + 1}` });
      box.append(el("div", { class: "fc-row" }, [label, select]));
    });
  } else if (item.kind === "classification") {
    for (const [letter, html] of item.statements) {
      const select = el("select", { id: `${id}-${letter}` });
      select.append(el("option", { value: "", text: "Choose a category" }));
      for (const category of item.categories) {
        const option = el("option", { value: category, text: category });
        option.selected = (value || {})[letter] === category;
        select.append(option);
      }
      select.addEventListener("change", () => {
        const now = {};
        for (const [l] of item.statements) {
          const v = box.querySelector(`#${id}-${l}`).value;
          if (v) now[l] = v;
        }
        set_(now);
      });
      const label = el("label", { for: select.id });
      label.append(el("strong", { text: `${letter}. ` }), el("span", { html }));
      box.append(el("div", { class: "fc-row" }, [label, select]));
    }
  } else {
    const area = el("textarea", { id: `${id}-text`, "aria-describedby": `${id}-prompt` });
    area.value = value || "";
    area.addEventListener("input", () => set_(area.value));
    box.append(el("label", { for: area.id, text: "Your answer" }), area);
  }
}

export function mountExercise(host, data) {
  if (!document.getElementById("fce-style")) {
    document.head.append(el("style", { id: "fce-style", text: STYLE }));
  }
  const store = storage();
  const key = `fc-exercise:${data.assignment}`;
  let answers = {};
  try {
    answers = (store && JSON.parse(store.getItem(key) || "{}").answers) || {};
  } catch {
    answers = {};
  }
  const save = () => {
    if (store) store.setItem(key, JSON.stringify({ version: 1, answers }));
  };
  // My progress (progress.js) keeps how many answers are complete and when it was downloaded
  // (only when the count changes or on download, not on every keystroke)
  const required = data.items.filter((i) => !i.optional);
  let told = -1;
  const tell = (extra = {}) => {
    const answered = required.filter((i) => !completeness(i, answers[i.id])).length;
    if (answered === told && !extra.downloaded) return;
    told = answered;
    host.dispatchEvent(new CustomEvent("fc-progress", { bubbles: true, detail: {
      kind: "exercise", assignment: data.assignment, answered, total: required.length, ...extra } }));
  };
  const set = (id, value) => {
    answers[id] = value;
    save();
    tell();
  };

  host.replaceChildren();
  host.append(
    el("p", {
      class: "fc-saved",
      text: store
        ? "Your answers are saved in this browser only, on this device. Nothing is sent anywhere."
        : "This browser is not keeping answers: download them before you leave the page.",
    }),
  );
  const form = el("form", { "aria-label": `${data.title}` });
  form.addEventListener("submit", (e) => e.preventDefault());

  for (const item of data.items) {
    const id = `fce-${data.assignment}-${item.id}`;
    const set_ = (v) => set(item.id, v);
    const value = answers[item.id];
    const legend = el("legend", {
      text: `Item ${item.id} (${item.points} point${item.points === 1 ? "" : "s"})${item.optional ? ", optional" : ""}`,
    });
    const box = el("fieldset", { "data-item": item.id }, [legend]);
    if (item.vignette) box.append(el("div", { html: item.vignette }));
    box.append(el("div", { html: item.prompt, id: `${id}-prompt` }));
    controls(box, item, id, value, set_);
    if (item.how) box.append(el("p", { class: "fc-how", text: `${item.how}.` }));
    form.append(box);
  }

  const status = el("div", { class: "fc-status", role: "status", "aria-live": "polite" });
  const check = el("button", { type: "button", text: "Check my answers are complete" });
  const download = el("button", { type: "button", text: "Download my answers" });
  const clear = el("button", { type: "button", text: "Clear my answers" });
  check.addEventListener("click", () => {
    status.replaceChildren();
    let ready = 0;
    for (const item of data.items) {
      const problem = completeness(item, answers[item.id]);
      if (!problem) ready += 1;
      const said = problem ? `not complete. ${problem}` : "complete.";
      status.append(el("p", { text: `${item.id}${item.optional ? " (optional)" : ""}: ${said}` }));
    }
    status.prepend(
      el("p", {
        text: `${ready} of ${data.items.length} answers are complete. Whether they are right comes with your trainer's feedback.`,
      }),
    );
  });
  download.addEventListener("click", async () => {
    try {
      const notebook = await submission(data, answers);
      const blob = new Blob([JSON.stringify(notebook, null, 1)], { type: "application/x-ipynb+json" });
      const link = el("a", { href: URL.createObjectURL(blob), download: `${data.assignment}.ipynb` });
      document.body.append(link);
      link.click();
      link.remove();
      status.replaceChildren(
        el("p", { text: `Downloaded ${data.assignment}.ipynb. Hand it in as your trainer asks.` }),
      );
      tell({ downloaded: true });
    } catch (err) {
      status.replaceChildren(el("p", { text: `The download did not work: ${err.message}` }));
    }
  });
  clear.addEventListener("click", () => {
    if (!window.confirm("Clear every answer of this exercise from this browser?")) return;
    answers = {};
    if (store) store.removeItem(key);
    mountExercise(host, data);
  });
  form.append(el("div", { class: "fc-bar" }, [check, download, clear]), status);
  host.append(form);
}

// The nbgrader submission: the released notebook with each answer in its answer cell.
export async function submission(data, answers) {
  const response = await fetch(data.notebook);
  if (!response.ok) throw new Error(`${data.notebook} could not be loaded`);
  const notebook = await response.json();
  const kinds = Object.fromEntries(data.items.map((i) => [i.id, i.kind]));
  for (const cell of notebook.cells) {
    const gid = cell.metadata && cell.metadata.nbgrader && cell.metadata.nbgrader.grade_id;
    if (gid in kinds) {
      const words = toWords(kinds[gid], answers[gid]);
      cell.source = words || STUB;
    }
  }
  return notebook;
}

// Whether a practice answer is right, and the feedback that teaches why.
export function practiceResult(item, value) {
  const missing = completeness(item, value);
  if (missing) return { right: false, lines: [missing], answered: false };
  const feedback = item.feedback || {};
  if (item.kind === "single") {
    return { right: value === item.answer, lines: [feedback[value]], answered: true };
  }
  if (item.kind === "multiple") {
    const key = new Set(item.answer);
    const picked = new Set(value);
    const right = key.size === picked.size && [...key].every((k) => picked.has(k));
    const lines = [...picked].sort().map((k) => `${k}: ${feedback[k]}`);
    const missed = [...key].filter((k) => !picked.has(k)).length;
    if (missed) lines.push(`You missed ${missed} right option${missed > 1 ? "s" : ""}.`);
    return { right, lines, answered: true };
  }
  if (item.kind === "ordering") {
    const right = item.answer.every((k, i) => value[i] === k);
    return { right, lines: [], answered: true };
  }
  const wrong = Object.keys(item.answer).filter((k) => value[k] !== item.answer[k]);
  return { right: wrong.length === 0, lines: wrong.length ? [`Look again at ${wrong.join(", ")}.`] : [], answered: true };
}

export function mountPractice(doc = document) {
  if (!doc.getElementById("fce-style")) doc.head.append(el("style", { id: "fce-style", text: STYLE }));
  for (const host of doc.querySelectorAll("[data-practice][data-fc-data]")) {
    if (host.dataset.mounted) continue;
    host.dataset.mounted = "1";
    const data = JSON.parse(doc.getElementById(host.dataset.fcData).textContent);
    host.replaceChildren(
      el("p", { text: "Practice questions: answer, then check. They are not graded; try as often as you like." }),
    );
    data.items.forEach((item, n) => {
      const id = `fcp-${data.module}-${item.id}`;
      let value;
      const box = el("fieldset", { "data-item": item.id }, [el("legend", { text: `Question ${n + 1}` })]);
      box.append(el("div", { html: item.prompt, id: `${id}-prompt` }));
      controls(box, item, id, value, (v) => {
        value = v;
      });
      const result = el("div", { role: "status", "aria-live": "polite" });
      const button = el("button", { type: "button", text: "Check this answer" });
      button.addEventListener("click", () => {
        const r = practiceResult(item, value);
        result.replaceChildren();
        if (!r.answered) {
          result.append(el("p", { text: r.lines[0] }));
          return;
        }
        host.dispatchEvent(new CustomEvent("fc-progress", { bubbles: true, detail: {
          kind: "practice", module: data.module, item: item.id, right: r.right } }));
        result.append(el("p", { html: `<strong>${r.right ? "Right." : "Not quite."}</strong>` }));
        for (const line of r.lines) if (line) result.append(el("p", { html: line }));
        result.append(el("p", { text: `Principle: ${item.principle}` }));
        if (item.model) result.append(el("p", { text: `Model answer: ${item.model}` }));
      });
      box.append(el("div", { class: "fc-bar" }, [button]), result);
      host.append(box);
    });
  }
}

export function mountExercises(doc = document) {
  for (const host of doc.querySelectorAll("[data-exercise][data-fc-data]")) {
    if (host.dataset.mounted) continue;
    host.dataset.mounted = "1";
    const data = JSON.parse(doc.getElementById(host.dataset.fcData).textContent);
    mountExercise(host, data);
  }
}
