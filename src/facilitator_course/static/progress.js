// The trainee's progress, kept in this browser only (localStorage); see README "My progress".
import { lms } from "./scorm.js";

export const KEY = "fc-progress";
void lms;
