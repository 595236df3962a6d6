// @ts-check
// GoFlow playground page: the entry module. It creates the page's state
// (store.js), finds the elements, wires the modules together, loads the Go
// program (goflow.js), and then on every animation frame reads
// goflow.snapshot() and draws it (view.js). The snapshot is the truth: the
// page keeps only what it animates (where each job token sits), the
// throughput history it plots and the log entries it has shown. Every
// goflow.* call goes through the client (client.js), so that a thrown Error
// lands in #error and the page goes on.

import { README_DEFAULTS, createStore } from "./store.js";
import { findElements, setText } from "./dom.js";
import { createClient, messageOf } from "./client.js";
import { load } from "./goflow.js";
import { createForm } from "./form.js";
import { createControls } from "./controls.js";
import { createURLState } from "./url.js";
import { wireCopy } from "./code.js";
import { postHeight } from "./iframe.js";
import { createView } from "./view.js";
import { createTransport } from "./transport.js";
import { createShare } from "./share.js";
import { createTimelinePanel } from "./timeline-panel.js";

/** @typedef {import("./api").PageStats} PageStats */

// window.goflowPage is read by the browser tests: the last snapshot drawn,
// the frame count and the cost of snapshot + render in milliseconds.
// snapshotMs is the goflow.snapshot() call alone, to tell the Go side's cost
// from the drawing's.
/** @type {PageStats} */
const gp = {
  snapshot: null, frames: 0,
  renderMs: { avg: 0, max: 0, last: 0 },
  snapshotMs: { avg: 0, max: 0, last: 0 },
  // When loading reached each step, by performance.now() (ms since navigation).
  loadMs: { script: Math.round(performance.now()), instantiated: 0, ready: 0 },
  wasmMemoryBytes: 0, // the size of the Go program's linear memory, once it runs
};
window.goflowPage = gp;

const store = createStore(location.search);
if (store.embed) document.body.classList.add("embed");
const ui = findElements(document);
const client = createClient(store, ui.error);
const form = createForm(ui, store, client);
const controls = createControls(ui, store, client, form, { scheduleURL: () => url.schedule() });
const url = createURLState(ui, store, client, form, controls);
const view = createView(document, matchMedia("(prefers-reduced-motion: reduce)"));
const transport = createTransport(document, store, client);
const share = createShare(document, store, client, {
  transport, shareParams: () => url.shareParams(),
  loaded: () => { const s = client.call("snapshot"); if (s.ok) { form.set(s.value.config); form.validate(); controls.renderCode(); } panel.reset(); },
});
const panel = createTimelinePanel(document, store, client, transport); // issue 12: the timeline and why
gp.timeline = panel.stats; // for the browser tests: seek costs, calls
gp.seek = panel.seek; // for the browser tests: a seek as a click on the timeline does

const LOAD_MS = 20000; // loading the Go program fails after this long (as harden's app.js did)

const stats = { sum: 0, n: 0, snapSum: 0 }; // behind gp.renderMs and gp.snapshotMs

/** @param {number} stampMs */
function frame(stampMs) {
  requestAnimationFrame(frame);
  view.watchPace(stampMs || performance.now());
  const t0 = performance.now();
  const r = transport.read(); // the moment under the cursor, or live
  const snapMs = performance.now() - t0;
  if (!r.ok || !r.value) {
    const msg = r.ok ? "snapshot: got nothing" : r.error;
    if (msg !== store.snapshotError) {
      store.snapshotError = msg;
      client.showError(msg);
    }
    return;
  }
  store.snapshotError = "";
  const s = r.value;
  store.snap = s;
  try {
    render(s, t0);
  } catch (err) {
    // A drawing bug must not stop the animation or the controls.
    const msg = `render: ${messageOf(err)}`;
    if (msg !== store.renderError) {
      store.renderError = msg;
      console.error("goflow: render failed:", err);
      client.showError(msg);
    }
  }
  const ms = performance.now() - t0;
  stats.sum += ms;
  stats.n++;
  gp.snapshot = s;
  gp.frames = stats.n;
  gp.motion = view.motion();
  gp.renderMs.last = ms;
  gp.renderMs.avg = stats.sum / stats.n;
  if (ms > gp.renderMs.max) gp.renderMs.max = ms;
  stats.snapSum += snapMs;
  gp.snapshotMs.last = snapMs;
  gp.snapshotMs.avg = stats.snapSum / stats.n;
  if (snapMs > gp.snapshotMs.max) gp.snapshotMs.max = snapMs;
}

/**
 * render draws s and brings the page's own state in step with it: the
 * phase, the speed (the session's; followed unless the slider is in use)
 * and the controls.
 * @param {import("./api").Snapshot} s
 * @param {number} now
 */
function render(s, now) {
  const phase = s.phase || "idle";
  const phaseChanged = phase !== store.phase;
  if (phaseChanged) {
    store.phase = phase;
    document.body.dataset.phase = phase;
    if (phase === "done" || phase === "canceled") controls.hint("");
  }
  view.draw(s, now, { phaseChanged, preview: store.formConfig || store.defaults });
  transport.draw(s);
  panel.draw(s, now);
  share.update();
  if (typeof s.speed === "number" && s.speed !== store.speed && document.activeElement !== ui.speed) {
    store.speed = s.speed;
    controls.renderSpeed();
    url.schedule();
  }
  const pausedNow = !!(s.consumer && s.consumer.paused);
  if (phaseChanged || pausedNow !== store.paused) {
    store.paused = pausedNow;
    controls.update();
    form.updateNote();
  }
}

/** @param {unknown} err */
function failLoad(err) {
  const reason = messageOf(err);
  ui.status.textContent = "Failed to load";
  ui.loadError.hidden = false;
  ui.loadError.textContent = `The playground could not start: ${reason}.`.replace(/\.\.$/, ".");
  setText(ui.narration, "The Go program is not running, so there is nothing to show.");
  console.error("goflow: load failed:", err, err instanceof Error && err.cause ? err.cause : "");
}

/**
 * within rejects when promise has not settled within ms, so that a Go
 * program that never registers goflow gives a message, not "Loading…"
 * forever.
 * @template T
 * @param {number} ms
 * @param {Promise<T>} promise
 * @param {string} what named in the error
 * @returns {Promise<T>}
 */
function within(ms, promise, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** @param {number | null} code */
function exited(code) {
  if (!store.ready) return;
  store.dead = true;
  ui.status.textContent = "Stopped";
  client.showError(`The Go program exited${code ? ` with code ${code}` : ""}; reload the page to start again.`);
  controls.update();
}

async function main() {
  controls.wire();
  transport.wire();
  share.wire();
  wireCopy(ui.copy, ui.code, ui.copyStatus);
  view.observeLayout();
  controls.renderSpeed();
  // Before Go is ready, draw the preview from the form's default values.
  store.formConfig = { ...README_DEFAULTS };
  controls.renderCode();
  view.drawPreview(store.formConfig);
  let runtime;
  try {
    runtime = await within(LOAD_MS, load(), "loading the Go program");
  } catch (err) {
    failLoad(err);
    return;
  }
  gp.loadMs.instantiated = Math.round(runtime.instantiatedMs);
  const memory = runtime.memory;
  Object.defineProperty(gp, "wasmMemoryBytes", { get: () => memory.buffer.byteLength });
  client.attach(runtime.goflow);
  runtime.exited.then(exited);
  const lim = client.call("limits");
  if (lim.ok && lim.value) {
    store.limits = lim.value;
    form.applyLimits(lim.value);
  }
  const d = client.call("defaults");
  if (d.ok && d.value) store.defaults = { ...README_DEFAULTS, ...d.value };
  form.set(store.defaults);
  store.ready = true;
  url.apply();
  postHeight(ui.app, store.query);
  ui.status.textContent = "Ready";
  document.body.dataset.ready = "true";
  gp.loadMs.ready = Math.round(performance.now());
  controls.update();
  share.update();
  await share.openFragment();
  url.sync();
  requestAnimationFrame(frame);
}

main();
