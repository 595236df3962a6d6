// @ts-check
// The diagram: producer, jobs channel, workers, results channel and
// consumer, drawn from a snapshot. It keeps only its elements (reused across
// frames) and where each token spot sits on the stage.

import { find, setData, setText } from "./dom.js";

/** @typedef {import("./api").Snapshot} Snapshot */
/** @typedef {import("./api").Channel} Channel */
/** @typedef {import("./api").Worker} Worker */

/** What a worker blocked waiting for its result's turn (ordered) shows. */
export const TURN_TEXT = "waiting for its turn";

/**
 * @typedef {object} WorkerView one drawn worker box
 * @property {HTMLElement} el
 * @property {HTMLElement} stateEl
 * @property {HTMLElement} jobEl
 * @property {HTMLElement} fill
 * @property {string | null} state as drawn
 * @property {string | null} job as drawn
 * @property {number} p progress as drawn
 * @property {boolean | null} ghost a preview box, not a worker
 */

/** @param {number} x */
function clamp01(x) {
  return x > 1 ? 1 : x > 0 ? x : 0;
}

/**
 * @param {Document} doc
 * @param {number} i
 * @returns {WorkerView}
 */
function makeWorkerView(doc, i) {
  const el = doc.createElement("li");
  el.className = "wbox";
  const name = doc.createElement("span");
  name.className = "w-name";
  name.textContent = `worker ${i}`;
  const st = doc.createElement("span");
  st.className = "w-state";
  const job = doc.createElement("span");
  job.className = "sr-only";
  const spot = doc.createElement("span");
  spot.className = "spot";
  spot.dataset.spot = "w" + i;
  const bar = doc.createElement("span");
  bar.className = "w-bar";
  const fill = doc.createElement("i");
  bar.append(fill);
  el.append(name, st, job, spot, bar);
  return { el, stateEl: st, jobEl: job, fill, state: null, job: null, p: -1, ghost: null };
}

/**
 * fillSlots gives container cap token spots named prefix0, prefix1, ...
 * @param {HTMLElement} container
 * @param {number} cap
 * @param {string} prefix
 */
function fillSlots(container, cap, prefix) {
  if (container.childElementCount !== cap) {
    container.textContent = "";
    for (let i = 0; i < cap; i++) {
      const s = container.ownerDocument.createElement("span");
      s.className = "spot";
      s.dataset.spot = prefix + i;
      container.append(s);
    }
  }
  container.style.setProperty("--cols", String(cap > 16 ? 4 : cap > 8 ? 2 : 1));
}

/**
 * createDiagram returns the diagram drawn in the elements under root.
 * @param {ParentNode} root
 */
export function createDiagram(root) {
  const H = HTMLElement;
  /** @param {string} id */
  const $ = (id) => find(root, id, H);
  const ui = {
    stage: $("stage"),
    producer: $("producer"), producerState: $("producer-state"), producerBacklog: $("producer-backlog"), producerSent: $("producer-sent"),
    jobs: $("jobs-channel"), jobsSlots: $("jobs-slots"), jobsCaption: $("jobs-caption"),
    workers: $("workers"), workersCount: $("workers-count"),
    results: $("results-channel"), resultsSlots: $("results-slots"), resultsCaption: $("results-caption"),
    consumer: $("consumer"), consumerState: $("consumer-state"), consumerConsumed: $("consumer-consumed"), consumerLast: $("consumer-last"),
  };
  const doc = ui.stage.ownerDocument;
  /** @type {WorkerView[]} one per drawn worker box, reused across frames */
  const workerViews = [];
  /** @type {Map<string, [number, number]>} spot name ("p0", "j3", "w12", "r0", "c") -> [x, y] in the stage */
  const spots = new Map();
  let shape = ""; // workers|jobsCap|resultsCap|ghost, to rebuild only on change
  let measureNeeded = true;

  /**
   * ensureShape builds the boxes and slots for this many workers and these
   * capacities; ghost boxes preview the form's config before the first Start.
   * @param {number} nWorkers
   * @param {number} jobsCap
   * @param {number} resultsCap
   * @param {boolean} ghost
   */
  function ensureShape(nWorkers, jobsCap, resultsCap, ghost) {
    const key = `${nWorkers}|${jobsCap}|${resultsCap}|${ghost}`;
    if (key === shape) return;
    shape = key;
    while (workerViews.length < nWorkers) {
      const v = makeWorkerView(doc, workerViews.length);
      workerViews.push(v);
      ui.workers.append(v.el);
    }
    while (workerViews.length > nWorkers) workerViews.pop()?.el.remove();
    for (const v of workerViews) {
      if (v.ghost !== ghost) {
        v.ghost = ghost;
        // Before the first Start there are no worker goroutines: the boxes are
        // a preview of the form's config, not .worker elements.
        v.el.className = ghost ? "wbox ghost" : "wbox worker";
        v.state = null;
        v.job = null;
        v.p = -1;
      }
    }
    const compact = nWorkers > 16;
    ui.workers.classList.toggle("compact", compact);
    const cols = nWorkers <= 4 ? 1 : nWorkers <= 8 ? 2 : nWorkers <= 16 ? 4 : nWorkers <= 36 ? 6 : 8;
    ui.workers.style.setProperty("--wcols", String(cols));
    ui.stage.classList.toggle("small-tokens", compact || jobsCap > 16 || resultsCap > 16);
    fillSlots(ui.jobsSlots, jobsCap, "j");
    fillSlots(ui.resultsSlots, resultsCap, "r");
    setText(ui.workersCount, ghost ? `(${nWorkers}, not started)` : `(${nWorkers})`);
    measureNeeded = true;
  }

  /**
   * measure reads where each spot sits, when the layout changed since the
   * last time; it reports whether it did.
   */
  function measure() {
    if (!measureNeeded) return false;
    const base = ui.stage.getBoundingClientRect();
    spots.clear();
    for (const el of ui.stage.querySelectorAll("[data-spot]")) {
      const r = el.getBoundingClientRect();
      spots.set(/** @type {HTMLElement} */ (el).dataset.spot || "", [Math.round(r.left - base.left), Math.round(r.top - base.top)]);
    }
    measureNeeded = false;
    return true;
  }

  /** invalidate makes the next measure read the layout again. */
  function invalidate() {
    measureNeeded = true;
  }

  /**
   * @param {Snapshot} s
   * @param {string} phase
   */
  function drawProducer(s, phase) {
    const p = s.producer || {};
    const blocked = !!p.blocked;
    setData(ui.producer, "blocked", String(blocked));
    setData(ui.producer, "backlog", String(p.backlog || 0));
    setData(ui.producer, "closed", String(!!p.closed));
    setText(ui.producerBacklog, String(p.backlog || 0));
    setText(ui.producerSent, String(p.sent || 0));
    let word;
    if (phase === "idle") word = "not started";
    else if (blocked) word = "blocked";
    else if (p.closed) word = "closed";
    else if (phase === "canceled" || phase === "done") word = "stopped";
    else if (p.backlog > 0) word = "sending";
    else word = "ready";
    setText(ui.producerState, word);
  }

  /**
   * @param {HTMLElement} el
   * @param {HTMLElement} caption
   * @param {{len?: number, cap?: number} | undefined} ch
   * @param {boolean} closed
   */
  function drawChannel(el, caption, ch, closed) {
    ch = ch || { len: 0, cap: 0 };
    setData(el, "len", String(ch.len || 0));
    setData(el, "cap", String(ch.cap || 0));
    setData(el, "closed", String(closed));
    setText(caption, ch.cap ? `len ${ch.len || 0} / cap ${ch.cap}` : "cap 0");
  }

  /**
   * drawWorkers draws each worker's state, job and progress; ghost boxes
   * say "not started".
   * @param {readonly Worker[]} ws
   * @param {boolean} ghost
   */
  function drawWorkers(ws, ghost) {
    if (ghost) {
      for (const v of workerViews) {
        if (v.state !== "ghost") {
          v.state = "ghost";
          v.el.dataset.state = "idle";
          v.el.removeAttribute("data-job");
          v.stateEl.textContent = "not started";
          v.jobEl.textContent = "";
        }
      }
      return;
    }
    for (let i = 0; i < ws.length && i < workerViews.length; i++) {
      const w = ws[i] || {};
      const v = workerViews[i];
      const state = w.state || "idle";
      const turn = state === "blocked" && w.turn === true; // ordered: its result is not yet due
      if (v.state !== state + (turn ? "/turn" : "")) {
        v.state = state + (turn ? "/turn" : "");
        v.el.dataset.state = state;
        v.el.dataset.turn = String(turn);
        v.stateEl.textContent = turn ? TURN_TEXT : state;
      }
      const job = w.job || "";
      if (v.job !== job) {
        v.job = job;
        v.el.dataset.job = job;
        v.jobEl.textContent = job ? ` ${job}` : "";
      }
      const p = w.state === "busy" ? clamp01(w.progress || 0) : w.state === "blocked" ? 1 : 0;
      if (Math.abs(p - v.p) > 0.004 || (p === 0 && v.p !== 0)) {
        v.p = p;
        v.fill.style.transform = `scaleX(${p.toFixed(3)})`;
      }
    }
  }

  /**
   * @param {Snapshot} s
   * @param {string} phase
   */
  function drawConsumer(s, phase) {
    const c = s.consumer || {};
    setData(ui.consumer, "paused", String(!!c.paused));
    setText(ui.consumerConsumed, String(c.consumed || 0));
    setText(ui.consumerLast, c.last || "–");
    let word;
    if (phase === "idle") word = "not started";
    else if (phase === "done") word = "done";
    else if (c.paused) word = "paused";
    else word = "reading";
    setText(ui.consumerState, word);
  }

  /**
   * draw draws s; before the first Start (ghost) the channels preview the
   * form's buffers, empty.
   * @param {Snapshot} s
   * @param {string} phase
   * @param {{ghost: boolean, jobsCap: number, resultsCap: number}} shapeNow
   */
  function draw(s, phase, { ghost, jobsCap, resultsCap }) {
    drawProducer(s, phase);
    drawChannel(ui.jobs, ui.jobsCaption, ghost ? { len: 0, cap: jobsCap } : s.jobs, !!(s.producer && s.producer.closed));
    drawChannel(ui.results, ui.resultsCaption, ghost ? { len: 0, cap: resultsCap } : s.results, !!(s.results && s.results.closed));
    drawWorkers(s.workers || [], ghost);
    drawConsumer(s, phase);
  }

  /** observed are the elements whose size changes move the spots. */
  function observed() {
    return [ui.stage, ...ui.stage.querySelectorAll(".col, #workers, .slots")];
  }

  return { ensureShape, measure, invalidate, draw, drawWorkers, spots, stage: ui.stage, observed };
}

/** @typedef {ReturnType<typeof createDiagram>} Diagram */
