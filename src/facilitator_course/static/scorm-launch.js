// The SCORM launch page (scorm.html, the package's one SCO): opens the LMS session once
// (lms() finds the API and calls LMSInitialize; it calls LMSFinish when this page is left)
// and shows the course in a full-window frame whose pages report through that session.
// With no LMS the course opens as it does on the website.

import { lms } from "./_static/scorm.js";

const START = "index.html";

function launch() {
  if (!lms()) {
    window.location.replace(START);
    return;
  }
  const frame = document.createElement("iframe");
  frame.className = "fc-course-frame";
  frame.title = "Course pages";
  frame.src = START;
  frame.setAttribute("allowfullscreen", "");
  frame.addEventListener("load", () => {
    document.body.classList.add("fc-launched");
    // the course's own page title, for the window and screen readers
    try {
      const title = frame.contentDocument && frame.contentDocument.title;
      if (title) document.title = title;
    } catch {
      // not readable: keep the launch page's title
    }
  });
  document.querySelector("main").append(frame);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", launch);
else launch();
