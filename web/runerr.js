// @ts-check
// The pipeline's Err(), shown once the results channel has closed: with
// failFast, the error of the first failed job, which stopped the run; after
// a cancel, the context's cause. Nothing is shown while the pipeline runs,
// nor after a drain (Err() is nil).

import { setData, setText } from "./dom.js";

/** @typedef {import("./api").Snapshot} Snapshot */

/**
 * errSentence says what Err() returned for s, or "" when there is nothing
 * to show.
 * @param {Snapshot} s
 */
export function errSentence(s) {
  const err = typeof s.err === "string" ? s.err : "";
  if (!err) return "";
  if (s.config && s.config.failFast && s.ended !== "cancel") {
    return `Stopped at the first failure (failFast): p.Err() = ${err}`;
  }
  return `p.Err() = ${err}`;
}

/**
 * drawErr shows s's Err() in el (hidden when there is none); el's
 * data-kind is "failFast" for a fail-fast stop, "cancel" otherwise.
 * @param {HTMLElement} el
 * @param {Snapshot} s
 */
export function drawErr(el, s) {
  const text = errSentence(s);
  if (el.hidden !== (text === "")) el.hidden = text === "";
  setText(el, text);
  setData(el, "kind", text.startsWith("Stopped") ? "failFast" : text ? "cancel" : "");
}
