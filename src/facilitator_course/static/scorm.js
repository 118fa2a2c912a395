// Inside an LMS: the SCORM 1.2 run-time. Outside an LMS `lms()` is null and nothing changes.
//
// One LMS session for the whole course. The SCORM package opens the launch page
// (scorm.html, which loads scorm-launch.js); that page finds the LMS's API object, calls
// LMSInitialize once, keeps the session on its own window and shows the course in a
// full-window frame. Every course page in that frame reaches the session through
// window.parent, so moving from page to page never ends it; the launch page ends it
// (LMSFinish) when the trainee leaves the course. A course page opened any other way,
// with no launch page above it, gets null: reporting needs the one session, and a page
// that initialized its own would end the trainee's session on the next page load.

const SESSION = "__facilitatorCourseScorm"; // the property of the launch page's window
const LAUNCH = "launch"; // <html data-fc-scorm="launch"> marks the launch page
const MAX_DEPTH = 10; // how far up a chain of frames or windows to look
const SUSPEND_MAX = 4096; // cmi.suspend_data is a CMIString4096

/** Frames from `win` up to its top, at most MAX_DEPTH, stopping at another origin. */
function* upFrom(win) {
  for (let depth = 0; win && depth < MAX_DEPTH; depth += 1) {
    yield win;
    let parent;
    try {
      parent = win.parent;
    } catch {
      return;
    }
    if (!parent || parent === win) return;
    win = parent;
  }
}

/** `pick(w)` for the first window that has it: the window.parent chain, then the chain
 * above window.opener (an LMS that opens its content in a new window), as SCORM 1.2
 * run-time guidance describes. Windows of another origin are skipped, never thrown on. */
function search(pick) {
  const chains = [window];
  try {
    if (window.top && window.top.opener) chains.push(window.top.opener);
  } catch {
    // the top window is another origin's: only the parent chain counts
  }
  for (const start of chains)
    for (const win of upFrom(start)) {
      try {
        const found = pick(win);
        if (found) return found;
      } catch {
        // another origin's window: look further up
      }
    }
  return null;
}

function findApi() {
  return search((win) => {
    const api = win.API;
    return api && typeof api.LMSInitialize === "function" && typeof api.LMSSetValue === "function"
      ? api
      : null;
  });
}

const isTrue = (value) => value === true || String(value) === "true";

/** CMITimespan, HHHH:MM:SS.SS. */
function timespan(ms) {
  const cs = Math.max(0, Math.round(ms / 10));
  const pad = (n, w) => String(n).padStart(w, "0");
  const hours = Math.min(9999, Math.floor(cs / 360000));
  return `${pad(hours, 4)}:${pad(Math.floor(cs / 6000) % 60, 2)}:${pad(Math.floor(cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`;
}

/** The session the launch page holds: LMSInitialize now, LMSFinish on `finish()`. */
function openSession(api) {
  let logged = false;
  let open = false;
  const started = Date.now();

  // An LMS error or refusal: logged to the console once per session, never thrown.
  const fail = (what, error) => {
    if (!logged) {
      logged = true;
      let detail = "";
      try {
        const code = api.LMSGetLastError();
        detail = ` (LMS error ${code}: ${api.LMSGetErrorString(code)}; ${api.LMSGetDiagnostic(code)})`;
      } catch {
        // an API that cannot even say what went wrong
      }
      console.warn(`Course progress could not be reported to the LMS: ${what}${detail}`, error || "");
    }
    return false;
  };
  const get = (name) => {
    try {
      return String(api.LMSGetValue(name) ?? "");
    } catch {
      return "";
    }
  };
  const set = (name, value) => isTrue(api.LMSSetValue(name, String(value)));

  try {
    open = isTrue(api.LMSInitialize(""));
  } catch (error) {
    fail("LMSInitialize failed", error);
    return null;
  }
  if (!open) {
    fail("LMSInitialize refused");
    return null;
  }
  // Completion the LMS already holds is kept: a later "incomplete" (progress cleared in one
  // browser) never takes it back.
  let completed = ["completed", "passed"].includes(get("cmi.core.lesson_status"));
  if (get("cmi.core.lesson_status") === "not attempted") set("cmi.core.lesson_status", "incomplete");

  const link = {
    restore() {
      return open ? get("cmi.suspend_data") : "";
    },
    report({ status, score, suspend } = {}) {
      if (!open) return false;
      try {
        if (status !== "incomplete" && status !== "completed")
          return fail(`status must be "incomplete" or "completed", not ${JSON.stringify(status)}`);
        const text = suspend === undefined || suspend === null ? "" : String(suspend);
        if (text.length > SUSPEND_MAX)
          return fail(`suspend data of ${text.length} characters (SCORM 1.2 keeps at most ${SUSPEND_MAX})`);
        const raw = Math.min(100, Math.max(0, Math.round(Number(score) || 0)));
        completed ||= status === "completed";
        const values = [
          ["cmi.core.lesson_status", completed ? "completed" : "incomplete"],
          ["cmi.core.score.min", "0"],
          ["cmi.core.score.max", "100"],
          ["cmi.core.score.raw", String(raw)],
          ["cmi.suspend_data", text],
        ];
        for (const [name, value] of values) if (!set(name, value)) return fail(`setting ${name}`);
        return isTrue(api.LMSCommit("")) || fail("LMSCommit");
      } catch (error) {
        return fail("the LMS's API threw", error);
      }
    },
  };
  const finish = () => {
    if (!open) return;
    open = false;
    try {
      // "suspend": the trainee may come back, and the LMS keeps cmi.suspend_data for them
      set("cmi.core.exit", "suspend");
      set("cmi.core.session_time", timespan(Date.now() - started));
      if (!isTrue(api.LMSFinish(""))) fail("LMSFinish");
    } catch (error) {
      fail("LMSFinish failed", error);
    }
  };
  return { link, finish };
}

let found = null;

/** The LMS, or null outside one: `{ restore(): string, report({status, score, suspend}):
 * boolean }`. On the launch page the first call finds the API and opens the session (and
 * ends it when the page is left); on a course page it is the launch page's session. */
export function lms() {
  if (found) return found;
  if (typeof window === "undefined") return null;
  const held = search((win) => win[SESSION]);
  if (held) return (found = held);
  if (document.documentElement.dataset.fcScorm !== LAUNCH) return null;
  const api = findApi();
  const session = api && openSession(api);
  if (!session) return null;
  window[SESSION] = session.link;
  window.addEventListener("pagehide", session.finish);
  return (found = session.link);
}
