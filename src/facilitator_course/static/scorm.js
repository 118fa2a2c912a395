// Inside an LMS: the SCORM 1.2 run-time. Outside an LMS `lms()` is null and nothing changes.
export function lms() {
  return null;
}
