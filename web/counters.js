// @ts-check
// The numbers beside the diagram: the five counters and the outcome bar,
// the three gauges, and the goroutine count against its baseline.

import { find, setData, setText } from "./dom.js";
import { plural } from "./narration.js";

/** @typedef {import("./api").Snapshot} Snapshot */

const LIVE_MS = 1000; // the counters' live region changes at most this often
const COUNTERS = /** @type {const} */ (["received", "succeeded", "failed", "canceled", "emitted", "dropped"]);
const OUTCOMES = /** @type {const} */ (["succeeded", "failed", "canceled"]);
const GAUGES = /** @type {const} */ (["busy", "queued", "pending"]);

/**
 * createCounters returns the counters, gauges and goroutine count drawn in
 * the elements under root.
 * @param {ParentNode} root
 */
export function createCounters(root) {
  const H = HTMLElement;
  /** @param {string} id */
  const $ = (id) => find(root, id, H);
  const counters = COUNTERS.map((k) => ({ key: k, el: $("count-" + k) }));
  const outcome = OUTCOMES.map((k) => {
    const el = root.querySelector(`.outcome-bar [data-o="${k}"]`);
    if (!(el instanceof H)) throw new Error(`goflow: the page has no outcome bar for ${k}`);
    return { key: k, el };
  });
  const gauges = GAUGES.map((k) => ({ key: k, val: $("gauge-" + k), max: $(`gauge-${k}-max`), bar: $(`gauge-${k}-bar`), frac: -1 }));
  const live = $("counters-live");
  const goroutinesBox = $("goroutines-box");
  const goroutines = $("goroutines");
  const baseline = $("goroutines-baseline");
  const goroutinesNote = $("goroutines-note");
  let shownAt = -Infinity; // when the live region last changed
  let liveKey = "";        // the counters the live region says
  let outcomeKey = "";     // the counters the outcome bar shows

  /**
   * drawCounters draws the counters every frame. Screen readers hear them
   * through #counters-live, a polite live region whose one sentence changes
   * at most once a second while the pipeline runs, and at once when the
   * phase changes or the run is over, so that they are not flooded.
   * @param {Snapshot} s
   * @param {number} now
   * @param {boolean} phaseChanged
   */
  function drawCounters(s, now, phaseChanged) {
    const c = s.counters || /** @type {Partial<import("./api").Counters>} */ ({});
    const key = `${c.received}|${c.succeeded}|${c.failed}|${c.canceled}|${c.emitted}`;
    if (key !== outcomeKey) {
      outcomeKey = key;
      const total = (c.succeeded || 0) + (c.failed || 0) + (c.canceled || 0);
      for (const o of outcome) o.el.style.width = total ? `${(100 * (c[o.key] || 0)) / total}%` : "0";
    }
    for (const k of counters) setText(k.el, String(c[k.key] || 0));
    const settled = s.phase === "done" || s.phase === "idle";
    if (key !== liveKey && (phaseChanged || settled || now - shownAt >= LIVE_MS)) {
      liveKey = key;
      shownAt = now;
      setText(live, counters.map((k) => `${k.key} ${c[k.key] || 0}`).join(", "));
    }
  }

  /**
   * drawGauges draws busy, queued and pending against their capacities.
   * @param {Snapshot} s
   * @param {{busy: number, queued: number, pending: number}} caps
   */
  function drawGauges(s, caps) {
    const g = s.gauges || /** @type {Partial<import("./api").Gauges>} */ ({});
    for (const view of gauges) {
      const v = g[view.key] || 0;
      const cap = caps[view.key];
      const max = Math.max(cap, v);
      setText(view.val, String(v));
      setText(view.max, `/ ${cap}`);
      const frac = max ? v / max : 0;
      if (view.frac !== frac) {
        view.frac = frac;
        view.bar.style.transform = `scaleX(${frac.toFixed(3)})`;
      }
    }
  }

  /**
   * drawGoroutines draws the goroutine count against its baseline.
   * @param {Snapshot} s
   * @param {string} phase
   */
  function drawGoroutines(s, phase) {
    const g = s.goroutines || 0;
    const b = s.baselineGoroutines || 0;
    setText(goroutines, String(g));
    setText(baseline, String(b));
    let note;
    let leak = "false";
    if (phase === "idle") note = "no pipeline yet: this is the baseline";
    else if (phase === "done" && g <= b) {
      note = "back to baseline: no leaks";
      leak = "ok";
    } else if (phase === "done") note = `${g - b} above baseline, still exiting…`;
    else if (phase === "canceled") note = `canceled: ${plural(Math.max(g - b, 0), "goroutine", "goroutines")} still exiting…`;
    else note = `+${Math.max(g - b, 0)} while the pipeline runs (workers, producer, consumer)`;
    setText(goroutinesNote, note);
    setData(goroutinesBox, "leak", leak);
  }

  return { drawCounters, drawGauges, drawGoroutines };
}
