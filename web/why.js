// @ts-check
// "Why, and where in the code": click or focus the producer, a channel, a
// worker or the consumer in the diagram, and this module shows, in a polite
// live region, goflow.why()'s one or two sentences on why that part is in
// its state at the moment on view, and highlights the line of the code
// panel where its goroutine is now.

import { setText } from "./dom.js";
import { lineOf } from "./where.js";

/** @typedef {import("./api").Why} Why */

/**
 * @typedef {object} WhyElements
 * @property {HTMLElement} stage the diagram, whose parts can be picked
 * @property {HTMLElement} workers the list of worker boxes
 * @property {HTMLElement} text the live region for the explanation
 * @property {HTMLElement} line where the code line is named in words
 * @property {HTMLElement} code the code panel's <code>
 */

/** Parts picked by id; workers are the list's items. */
const PART_IDS = { producer: "producer", "jobs-channel": "jobs channel", "results-channel": "results channel", consumer: "consumer" };

/** How often (ms) a live run's moving moment renews the explanation. */
const LIVE_EVERY = 400;

/**
 * createWhy returns the explanations for the parts under els.stage.
 * @param {WhyElements} els
 * @param {{why: (seq: number, part: string) => Why | null}} source
 */
export function createWhy(els, source) {
  let part = "";
  let shown = ""; // seq|part last explained
  let at = 0; // when, by performance.now()
  let workersTagged = -1;
  const pre = /** @type {HTMLElement} */ (els.code.parentElement || els.code);

  for (const [id] of Object.entries(PART_IDS)) {
    const el = els.stage.querySelector("#" + id);
    if (el instanceof HTMLElement) tag(el, id === "producer" || id === "consumer" ? id : id.replace("-", " "));
  }

  /**
   * tag makes el focusable and says what focusing it does.
   * @param {HTMLElement} el
   * @param {string} name
   */
  function tag(el, name) {
    el.tabIndex = 0;
    el.setAttribute("aria-describedby", els.text.id);
    if (!el.title) el.title = `Why is the ${name} in its state? Click or focus to read it below the timeline`;
  }

  /**
   * partOf names the part at target, or "".
   * @param {EventTarget | null} target
   */
  function partOf(target) {
    if (!(target instanceof Element)) return "";
    const w = target.closest(".wbox");
    if (w && w.parentElement === els.workers) return `worker ${[...els.workers.children].indexOf(w)}`;
    for (const [id, name] of Object.entries(PART_IDS)) if (target.closest("#" + id)) return name;
    return "";
  }

  /** @param {Event} e */
  function pick(e) {
    const p = partOf(e.target);
    if (p && p !== part) {
      part = p;
      shown = "";
    }
  }
  els.stage.addEventListener("click", pick);
  els.stage.addEventListener("focusin", pick);

  /**
   * update explains the picked part at seq (call it on every frame).
   * @param {number} seq the moment on view
   * @param {boolean} live the view follows the head: renew at most every LIVE_EVERY ms
   */
  function update(seq, live) {
    if (workersTagged !== els.workers.childElementCount) {
      workersTagged = els.workers.childElementCount;
      for (const li of els.workers.children) if (li instanceof HTMLElement && li.tabIndex !== 0) tag(li, "worker");
    }
    if (!part || seq === 0) return;
    const k = `${seq}|${part}`;
    const now = performance.now();
    if (k === shown || (live && shown.endsWith("|" + part) && now - at < LIVE_EVERY)) return;
    const w = source.why(seq, part);
    if (!w) {
      part = ""; // e.g. a worker that this run does not have: its old explanation goes too
      setText(els.text, "");
      delete els.text.dataset.part;
      delete els.text.dataset.state;
      highlight("");
      return;
    }
    // A screen reader hears a part's explanation when it is picked and at a
    // moment the reader chose (paused, seeked, stepped); while a run plays
    // live the text goes on renewing on screen without being read out.
    els.text.setAttribute("aria-live", live && shown.endsWith("|" + part) ? "off" : "polite");
    shown = k;
    at = now;
    setText(els.text, w.text.charAt(0).toUpperCase() + w.text.slice(1));
    els.text.dataset.part = w.part;
    els.text.dataset.state = w.state;
    highlight(w.where);
  }

  /**
   * highlight marks the code line of place (or none).
   * @param {string} place
   */
  function highlight(place) {
    const code = els.code.textContent || "";
    const i = lineOf(code, place);
    pre.dataset.where = place;
    if (i < 0) {
      delete pre.dataset.line;
      pre.style.removeProperty("--hl-line");
      setText(els.line, "");
      return;
    }
    pre.dataset.line = String(i + 1);
    pre.style.setProperty("--hl-line", String(i));
    setText(els.line, `In the code: line ${i + 1}, ${code.split("\n")[i].trim()}`);
  }

  /** picked is the part explained, or "". */
  function picked() {
    return part;
  }

  return { update, picked };
}
