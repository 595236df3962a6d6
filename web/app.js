// GoFlow playground page.
//
// It loads the Go program through goflow.js (wasm_exec.js, then main.wasm), and then on every animation frame reads goflow.snapshot() and
// draws it. The snapshot is the truth: this file keeps only what it animates
// (where each job token sits on screen), the throughput history it plots and
// the log entries it has shown. Every goflow.* call is wrapped so that a thrown
// Error lands in #error and the page goes on.

import { load as loadRuntime, messageOf } from "./goflow.js";

const CONFIG_KEYS = [
  "workers", "jobBuffer", "resultBuffer", "workMs", "jitterMs",
  "failRate", "panicRate", "timeoutMs", "consumerDelayMs",
];
const ERRORS_SHOWN = 5;       // problems listed in #error before "…and N more"
const LOG_MAX = 200;          // event log entries kept in the DOM
const LOG_FLOOD_MS = 200;     // many new log entries go in at most this often
const LIVE_MS = 1000;         // the counters' live region changes at most this often
const PLOT_STEP_MS = 1000;    // one throughput sample per step
const PLOT_SPAN_MS = 60000;   // the plot shows this much history
const PRODUCER_SPOTS = 3;     // jobs drawn in the producer's hand

// The guided scenarios, one per promise. Each sets the whole config (keys not
// named take the defaults) and, when run, starts and submits `submit` jobs.
const SCENARIOS = {
  backpressure: {
    label: "Backpressure",
    config: { workers: 2, jobBuffer: 0, resultBuffer: 0, workMs: 1500 },
    submit: 100,
    text: "Two workers, an unbuffered jobs channel and slow jobs; “Run scenario” submits a burst of 100. " +
      "Watch the producer turn blocked with a backlog while both workers are busy: its send waits until a worker is idle. " +
      "That wait is backpressure: the pipeline holds no more jobs than it has workers and buffer slots; the rest stay in the producer’s backlog.",
  },
  buffer: {
    label: "Buffer",
    config: { workers: 2, jobBuffer: 8, resultBuffer: 0, workMs: 1500 },
    submit: 10,
    text: "The same two slow workers, now with a jobs channel buffer of 8; “Run scenario” submits 10. " +
      "The buffer absorbs the burst: the producer sends all ten without blocking and the jobs wait in the channel’s slots (queued). " +
      "A buffer smooths bursts but adds no workers; submit more and, once it is full, the producer blocks again.",
  },
  "slow-consumer": {
    label: "Slow consumer",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 2, workMs: 300, consumerDelayMs: 1500 },
    submit: 30,
    text: "Fast workers, but the consumer spends 1.5 s on each result. " +
      "Watch the results channel fill, then workers turn blocked, each holding a result the consumer has not taken, then the jobs channel fills and the producer blocks. " +
      "A slow consumer slows the whole pipeline, all the way back to the producer; try “Pause consumer” to stop it completely.",
  },
  cancel: {
    label: "Cancel",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 4000, jitterMs: 2000 },
    submit: 20,
    hint: "btn-cancel",
    text: "Long jobs in flight: “Run scenario” starts and submits 20, then press Cancel (highlighted) while workers are busy. " +
      "The busy handlers’ contexts are canceled, so they return at once and their jobs count as canceled (a canceled job emits no result); results not yet taken are abandoned, every worker exits, and the goroutine count returns to its baseline: no leaks. " +
      "Compare Close, which lets every job sent finish.",
  },
  timeouts: {
    label: "Timeouts",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 800, jitterMs: 800, timeoutMs: 1000 },
    submit: 30,
    text: "Each job gets Job.Timeout = 1000 ms, but the work takes 800 to 1600 ms. " +
      "A job that overruns counts as failed, not canceled: its result carries a *pipeline.TimeoutError (it matches context.DeadlineExceeded), and its worker moves on to the next job. " +
      "Watch failed grow beside succeeded: a deadline bounds how long one slow job can hold a worker.",
  },
  failures: {
    label: "Failures",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 400, jitterMs: 200, failRate: 0.2, panicRate: 0.1 },
    submit: 40,
    text: "One job in ten panics, and one in five of the others returns an error. " +
      "A panic in a handler is recovered and becomes that job’s failed result (it matches pipeline.ErrPanic, with the stack), even during cancel; the worker goes on and nothing is retried. " +
      "Watch failed grow while every worker keeps working.",
  },
};

const README_DEFAULTS = {
  workers: 4, jobBuffer: 0, resultBuffer: 0, workMs: 800, jitterMs: 0,
  failRate: 0, panicRate: 0, timeoutMs: 0, consumerDelayMs: 0,
};

const $ = (id) => document.getElementById(id);
const ui = {
  app: $("app"), status: $("status"), phase: $("phase"), loadError: $("load-error"), error: $("error"),
  narration: $("narration"), stage: $("stage"), tokens: $("tokens"),
  producer: $("producer"), producerState: $("producer-state"), producerBacklog: $("producer-backlog"), producerSent: $("producer-sent"),
  jobs: $("jobs-channel"), jobsSlots: $("jobs-slots"), jobsCaption: $("jobs-caption"),
  workers: $("workers"), workersCount: $("workers-count"),
  results: $("results-channel"), resultsSlots: $("results-slots"), resultsCaption: $("results-caption"),
  consumer: $("consumer"), consumerState: $("consumer-state"), consumerConsumed: $("consumer-consumed"), consumerLast: $("consumer-last"),
  countersLive: $("counters-live"),
  counters: Object.fromEntries(["received", "succeeded", "failed", "canceled", "emitted"].map((k) => [k, $("count-" + k)])),
  outcome: Object.fromEntries(["succeeded", "failed", "canceled"].map((k) => [k, document.querySelector(`.outcome-bar [data-o="${k}"]`)])),
  gauges: Object.fromEntries(["busy", "queued", "pending"].map((k) => [k, { val: $("gauge-" + k), max: $(`gauge-${k}-max`), bar: $(`gauge-${k}-bar`) }])),
  goroutinesBox: $("goroutines-box"), goroutines: $("goroutines"), baseline: $("goroutines-baseline"), goroutinesNote: $("goroutines-note"),
  plot: $("throughput"), tpNow: $("tp-now"), tpPeak: $("tp-peak"),
  log: $("log"),
  form: $("config"), configNote: $("config-note"),
  inputs: Object.fromEntries(CONFIG_KEYS.map((k) => [k, $("cfg-" + k)])),
  speed: $("speed"), speedOut: $("speed-out"),
  btn: {
    start: $("btn-start"), submit1: $("btn-submit1"), submit10: $("btn-submit10"), burst: $("btn-burst"),
    close: $("btn-close"), cancel: $("btn-cancel"), pause: $("btn-pause"),
  },
  scenarioButtons: [...document.querySelectorAll("button[data-scenario]")],
  scenarioText: $("scenario-text"), runScenario: $("btn-run-scenario"),
  code: $("code"), copy: $("btn-copy"), copyStatus: $("copy-status"), fullLink: $("full-link"),
};

const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
const query = new URLSearchParams(location.search);
const embed = query.get("embed") === "1";
if (embed) document.body.classList.add("embed");

const page = {
  ready: false,
  dead: false,          // the Go program exited: no more calls
  limits: null,
  defaults: { ...README_DEFAULTS },
  snap: null,
  phase: "",
  scenario: "",
  speed: 1,
  inputError: "",
  formConfig: null,     // the form's config as validate returned it, or null when invalid
  snapshotError: "",
  pending: null,        // a running scenario step, so clicks do not pile up
  paused: undefined,    // the consumer's pause as last drawn
  renderError: "",
};

// window.goflowPage is read by the browser tests: the last snapshot drawn,
// the frame count and the cost of snapshot + render in milliseconds.
// snapshotMs is the goflow.snapshot() call alone, to tell the Go side's cost
// from the drawing's.
const stats = { sum: 0, n: 0, snapSum: 0 };
window.goflowPage = {
  snapshot: null, frames: 0,
  renderMs: { avg: 0, max: 0, last: 0 },
  snapshotMs: { avg: 0, max: 0, last: 0 },
  // When loading reached each step, by performance.now() (ms since navigation).
  loadMs: { script: Math.round(performance.now()), instantiated: 0, ready: 0 },
  wasmMemoryBytes: 0, // the size of the Go program's linear memory, once it runs
};

// ---------------------------------------------------------------- helpers

function setText(el, text) {
  if (el._text !== text) {
    el._text = text;
    el.textContent = text;
  }
}

function setData(el, key, value) {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

// call runs goflow[name](...args) and never throws.
function call(name, ...args) {
  if (page.dead) return { ok: false, error: `${name}: the Go program has exited; reload the page` };
  try {
    return { ok: true, value: globalThis.goflow[name](...args) };
  } catch (err) {
    return { ok: false, error: messageOf(err) };
  }
}

// action is call for things the user asked for: a failure shows in #error,
// a success clears the last action's error.
function action(name, ...args) {
  const r = call(name, ...args);
  showError(r.ok ? page.inputError : r.error);
  return r;
}

// summarise keeps the first few problems and counts the rest, so that an
// address with thousands of bad parameters gives a box of a few lines.
function summarise(errors, max = ERRORS_SHOWN) {
  if (errors.length <= max) return errors.join("\n");
  const rest = errors.length - max;
  return [...errors.slice(0, max), `…and ${rest} more ${rest === 1 ? "problem" : "problems"}`].join("\n");
}

function showError(msg) {
  setText(ui.error, msg || "");
}

function clamp01(x) {
  return x > 1 ? 1 : x > 0 ? x : 0;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function shortID(id) {
  const m = /^job-(\d+)$/.exec(id);
  return m ? m[1] : id;
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

// ---------------------------------------------------------------- loading

// load starts the Go program through goflow.js (the one loader of the
// runtime) and watches for it to exit.
async function load() {
  const rt = await within(20000, loadRuntime(), "loading the Go program");
  window.goflowPage.loadMs.instantiated = Math.round(rt.instantiatedMs);
  Object.defineProperty(window.goflowPage, "wasmMemoryBytes", { get: () => rt.memory.buffer.byteLength });
  rt.exited.then((code) => {
    page.dead = true;
    ui.status.textContent = "Stopped";
    showError(`The Go program exited${code ? ` with code ${code}` : ""}; reload the page to start again.`);
    updateControls();
  });
}

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function failLoad(err) {
  const reason = messageOf(err);
  ui.status.textContent = "Failed to load";
  ui.loadError.hidden = false;
  ui.loadError.textContent = `The playground could not start: ${reason}.`.replace(/\.\.$/, ".");
  setText(ui.narration, "The Go program is not running, so there is nothing to show.");
  console.error("goflow: load failed:", err, err && err.cause ? err.cause : "");
}

// ---------------------------------------------------------------- form

function rawValue(key) {
  return ui.inputs[key].value.trim();
}

// formValues reads the form; a value that is not a number is passed on as
// the string typed, so that Go's message names it.
function formValues() {
  const cfg = {};
  for (const k of CONFIG_KEYS) {
    const raw = rawValue(k);
    const n = Number(raw);
    cfg[k] = raw !== "" && Number.isFinite(n) ? n : raw;
  }
  return cfg;
}

function setForm(cfg) {
  for (const k of CONFIG_KEYS) {
    if (cfg[k] !== undefined) ui.inputs[k].value = String(cfg[k]);
  }
}

// validateForm checks each field alone (to mark the right inputs) and the
// whole config, through goflow.validate, so the rules live only in Go.
function validateForm() {
  const values = formValues();
  let first = "";
  for (const k of CONFIG_KEYS) {
    const r = call("validate", { [k]: values[k] });
    const input = ui.inputs[k];
    if (r.ok) {
      input.removeAttribute("aria-invalid");
    } else {
      input.setAttribute("aria-invalid", "true");
      if (!first) first = r.error;
    }
  }
  const all = call("validate", values);
  if (!all.ok && !first) first = all.error;
  page.formConfig = all.ok ? all.value : null;
  page.inputError = first;
  return first;
}

function onFormInput() {
  const msg = validateForm();
  showError(msg);
  renderCode();
  updateConfigNote();
  scheduleURL();
}

function applyConfig(cfg) {
  setForm({ ...page.defaults, ...cfg });
  validateForm();
  renderCode();
  updateConfigNote();
}

function updateConfigNote() {
  const s = page.snap;
  let note = "";
  if (s && (s.phase === "running" || s.phase === "closing" || s.phase === "canceled") && page.formConfig && s.config) {
    const differs = CONFIG_KEYS.some((k) => s.config[k] !== page.formConfig[k]);
    if (differs) note = "(changes apply at the next Start)";
  }
  setText(ui.configNote, note);
}

// ---------------------------------------------------------------- actions

function start() {
  const r = action("start", formValues());
  if (r.ok) {
    page.formConfig = r.value;
    hint("");
  }
  return r.ok;
}

function submit(n) {
  return action("submit", n).ok;
}

async function runScenario() {
  const name = page.scenario;
  const sc = SCENARIOS[name];
  if (!sc || page.pending) return;
  page.pending = name;
  updateControls();
  try {
    let phase = page.snap ? page.snap.phase : "idle";
    if (phase === "running" || phase === "closing") {
      setText(ui.narration, "Canceling the current pipeline first…");
      if (!action("cancel").ok) return;
    }
    const t0 = performance.now();
    while (page.snap && page.snap.phase !== "idle" && page.snap.phase !== "done") {
      if (performance.now() - t0 > 15000) {
        showError("Run scenario: the previous pipeline did not finish within 15 s; try again");
        return;
      }
      await nextFrame();
    }
    if (!start()) return;
    if (!submit(sc.submit)) return;
    if (sc.hint) hint(sc.hint);
  } finally {
    page.pending = null;
    updateControls();
  }
}

function hint(buttonID) {
  for (const b of Object.values(ui.btn)) b.removeAttribute("data-hint");
  if (buttonID) $(buttonID).dataset.hint = "true";
}

function chooseScenario(name, { keepConfig = false } = {}) {
  const sc = SCENARIOS[name];
  if (!sc) return;
  page.scenario = name;
  for (const b of ui.scenarioButtons) b.setAttribute("aria-pressed", String(b.dataset.scenario === name));
  ui.scenarioText.textContent = sc.text;
  ui.runScenario.hidden = false;
  ui.runScenario.textContent = `Run scenario: ${sc.label}`;
  if (!keepConfig) applyConfig(sc.config);
  hint("");
  updateControls();
  scheduleURL();
}

function setSpeed(value, { fromUser = true } = {}) {
  const v = Number(value);
  const r = fromUser ? action("setSpeed", v) : call("setSpeed", v);
  if (r.ok) page.speed = v;
  renderSpeed();
  scheduleURL();
  return r;
}

function renderSpeed() {
  const v = page.speed;
  ui.speed.value = String(v);
  const slow = v < 1 ? `${+(1 / v).toFixed(1)}× slow motion` : "real time";
  const text = `${+v.toFixed(2)}× (${slow})`;
  ui.speedOut.textContent = text;
  ui.speed.setAttribute("aria-valuetext", text);
}

function wireControls() {
  ui.btn.start.addEventListener("click", () => start());
  ui.btn.submit1.addEventListener("click", () => submit(1));
  ui.btn.submit10.addEventListener("click", () => submit(10));
  ui.btn.burst.addEventListener("click", () => submit(100));
  ui.btn.close.addEventListener("click", () => action("close"));
  ui.btn.cancel.addEventListener("click", () => {
    if (action("cancel").ok) hint("");
  });
  ui.btn.pause.addEventListener("click", () => {
    const paused = !!(page.snap && page.snap.consumer && page.snap.consumer.paused);
    action("pauseConsumer", !paused);
  });
  ui.form.addEventListener("input", onFormInput);
  ui.form.addEventListener("submit", (e) => e.preventDefault());
  ui.speed.addEventListener("input", () => setSpeed(ui.speed.value));
  for (const b of ui.scenarioButtons) b.addEventListener("click", () => chooseScenario(b.dataset.scenario));
  ui.runScenario.addEventListener("click", () => runScenario());
  ui.copy.addEventListener("click", () => copyCode());
}

// updateControls enables what the phase allows; called when the phase, the
// consumer's pause or the page's own state changes.
function updateControls() {
  const s = page.snap;
  const p = s ? s.phase : "idle";
  const live = page.ready && !page.dead;
  const busy = !!page.pending;
  const can = {
    start: p === "idle" || p === "done",
    submit1: p === "running",
    submit10: p === "running",
    burst: p === "running",
    close: p === "running",
    cancel: p === "running" || p === "closing",
    pause: p === "running" || p === "closing",
  };
  const focused = document.activeElement;
  let lostFocus = false;
  for (const [k, b] of Object.entries(ui.btn)) {
    const disabled = !live || busy || !can[k];
    if (disabled && b === focused) lostFocus = true;
    b.disabled = disabled;
  }
  const paused = !!(s && s.consumer && s.consumer.paused);
  ui.btn.pause.setAttribute("aria-pressed", String(paused));
  for (const input of Object.values(ui.inputs)) input.disabled = !live;
  ui.speed.disabled = !live;
  for (const b of ui.scenarioButtons) b.disabled = !live;
  ui.runScenario.disabled = !live || busy || !page.scenario;
  if (lostFocus) {
    // Keep keyboard users in the action row when the button they used turns off.
    const next = ["submit1", "start", "cancel"].map((k) => ui.btn[k]).find((b) => !b.disabled);
    if (next) next.focus();
  }
}

// ---------------------------------------------------------------- diagram

const workerViews = [];   // one per drawn worker box, reused across frames
const slotPos = new Map(); // spot name ("p0", "j3", "w12", "r0", "c") -> [x, y] in the stage
let shape = "";           // workers|jobsCap|resultsCap|ghost, to rebuild only on change
let measureNeeded = true;

function makeWorkerView(i) {
  const el = document.createElement("li");
  el.className = "wbox";
  const name = document.createElement("span");
  name.className = "w-name";
  name.textContent = `worker ${i}`;
  const st = document.createElement("span");
  st.className = "w-state";
  const job = document.createElement("span");
  job.className = "sr-only";
  const spot = document.createElement("span");
  spot.className = "spot";
  spot.dataset.spot = "w" + i;
  const bar = document.createElement("span");
  bar.className = "w-bar";
  const fill = document.createElement("i");
  bar.append(fill);
  el.append(name, st, job, spot, bar);
  return { el, stateEl: st, jobEl: job, fill, state: null, job: null, p: -1, ghost: null };
}

function fillSlots(container, cap, prefix) {
  if (container.childElementCount !== cap) {
    container.textContent = "";
    for (let i = 0; i < cap; i++) {
      const s = document.createElement("span");
      s.className = "spot";
      s.dataset.spot = prefix + i;
      container.append(s);
    }
  }
  container.style.setProperty("--cols", cap > 16 ? 4 : cap > 8 ? 2 : 1);
}

function ensureShape(nWorkers, jobsCap, resultsCap, ghost) {
  const key = `${nWorkers}|${jobsCap}|${resultsCap}|${ghost}`;
  if (key === shape) return;
  shape = key;
  while (workerViews.length < nWorkers) {
    const v = makeWorkerView(workerViews.length);
    workerViews.push(v);
    ui.workers.append(v.el);
  }
  while (workerViews.length > nWorkers) workerViews.pop().el.remove();
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
  ui.workers.style.setProperty("--wcols", cols);
  ui.stage.classList.toggle("small-tokens", compact || jobsCap > 16 || resultsCap > 16);
  fillSlots(ui.jobsSlots, jobsCap, "j");
  fillSlots(ui.resultsSlots, resultsCap, "r");
  setText(ui.workersCount, ghost ? `(${nWorkers}, not started)` : `(${nWorkers})`);
  measureNeeded = true;
}

function measure() {
  const base = ui.stage.getBoundingClientRect();
  slotPos.clear();
  for (const el of ui.stage.querySelectorAll("[data-spot]")) {
    const r = el.getBoundingClientRect();
    slotPos.set(el.dataset.spot, [Math.round(r.left - base.left), Math.round(r.top - base.top)]);
  }
  measureNeeded = false;
  for (const t of tokens.values()) t.moved = true;
}

// ---------------------------------------------------------------- tokens

// One token per job ID, absolutely positioned over the stage and moved with
// transform, so a move costs no layout. Tokens are pooled, never re-created.
const tokens = new Map();
const tokenPool = [];
const leaving = [];
let stamp = 0;

function acquireToken(id) {
  let t = tokenPool.pop();
  if (!t) {
    const el = document.createElement("div");
    el.className = "token";
    ui.tokens.append(el);
    t = { el, id: "", slot: "", stage: "", stamp: 0, fresh: 0, moved: false, x: 0, y: 0 };
  } else {
    t.el.removeAttribute("data-idle");
    t.el.removeAttribute("data-leaving");
  }
  t.id = id;
  t.slot = "";
  t.stage = "";
  t.fresh = 2;
  t.el.dataset.fresh = "";
  t.el.textContent = shortID(id);
  t.el.title = id;
  tokens.set(id, t);
  return t;
}

function releaseToken(t) {
  t.el.dataset.idle = "";
  tokenPool.push(t);
}

function put(id, slot, stage) {
  if (!id) return;
  const t = tokens.get(id) || acquireToken(id);
  t.stamp = stamp;
  if (t.slot !== slot) {
    t.slot = slot;
    t.moved = true;
  }
  if (t.stage !== stage) {
    t.stage = stage;
    t.el.dataset.stage = stage;
  }
}

function moveToken(t, x, y) {
  if (t.x !== x || t.y !== y) {
    t.x = x;
    t.y = y;
    t.el.style.transform = `translate(${x}px,${y}px)`;
  }
}

function placeTokens(s, now) {
  stamp++;
  const waiting = (s.producer && s.producer.waiting) || [];
  for (let i = 0; i < waiting.length && i < PRODUCER_SPOTS; i++) put(waiting[i], "p" + i, "job");
  const jobIDs = (s.jobs && s.jobs.ids) || [];
  for (let i = 0; i < jobIDs.length; i++) put(jobIDs[i], "j" + i, "job");
  const ws = s.workers || [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w && w.job && (w.state === "busy" || w.state === "blocked")) put(w.job, "w" + i, w.state === "busy" ? "busy" : "result");
  }
  const resultIDs = (s.results && s.results.ids) || [];
  for (let i = 0; i < resultIDs.length; i++) put(resultIDs[i], "r" + i, "result");
  if (s.consumer && s.consumer.last) put(s.consumer.last, "c", "done");

  const motion = !reducedMotion.matches && !pace.lite;
  const stopped = s.phase === "canceled" || (s.phase === "done" && s.ended === "cancel");
  if (ui.stage.classList.contains("stopped") !== stopped) ui.stage.classList.toggle("stopped", stopped);
  const origin = slotPos.get("p0");
  for (const t of tokens.values()) {
    if (t.stamp !== stamp) {
      retireToken(t, now, motion, stopped && t.stage !== "done");
      continue;
    }
    const target = slotPos.get(t.slot);
    if (t.fresh === 2) {
      // First frame: appear (invisible, no transition) where the job comes
      // from; the next frame moves it to its place with a transition.
      const from = motion && origin && t.slot[0] !== "p" ? origin : target;
      if (from) moveToken(t, from[0], from[1]);
      t.fresh = motion ? 1 : 0;
      if (!motion) t.el.removeAttribute("data-fresh");
      else continue;
    } else if (t.fresh === 1) {
      t.fresh = 0;
      t.el.removeAttribute("data-fresh");
    }
    if (t.moved && target) {
      moveToken(t, target[0], target[1]);
      t.moved = false;
    }
  }
  // Return faded tokens to the pool.
  while (leaving.length && (leaving[0].until <= now || leaving.length > 160)) releaseToken(leaving.shift().t);
}

function retireToken(t, now, motion, dropped) {
  tokens.delete(t.id);
  if (!motion || t.fresh) {
    releaseToken(t);
    return;
  }
  t.el.dataset.leaving = dropped ? "dropped" : "out";
  if (t.stage === "done") moveToken(t, t.x + 24, t.y);
  leaving.push({ t, until: now + (dropped ? 700 : 320) });
}

// ---------------------------------------------------------------- render

let countersShownAt = -Infinity;
let countersKey = "";
let outcomeKey = "";

function render(s, now) {
  const phase = s.phase || "idle";
  const phaseChanged = phase !== page.phase;
  if (phaseChanged) {
    page.phase = phase;
    setText(ui.phase, phase);
    ui.phase.dataset.phase = phase;
    document.body.dataset.phase = phase;
    if (phase === "done" || phase === "canceled") hint("");
  }

  // Shape: the snapshot's pipeline, or before the first Start a preview of the form.
  const ws = s.workers || [];
  const ghost = ws.length === 0 && phase === "idle";
  const fc = page.formConfig || page.defaults;
  const nWorkers = ghost ? fc.workers : ws.length;
  const jobsCap = (ghost ? fc.jobBuffer : s.jobs && s.jobs.cap) || 0;
  const resultsCap = (ghost ? fc.resultBuffer : s.results && s.results.cap) || 0;
  ensureShape(nWorkers, jobsCap, resultsCap, ghost);
  if (measureNeeded) measure();

  renderProducer(s, phase);
  // Before the first Start the channels preview the form's buffers, empty.
  renderChannel(ui.jobs, ui.jobsCaption, ghost ? { len: 0, cap: jobsCap } : s.jobs, !!(s.producer && s.producer.closed));
  renderChannel(ui.results, ui.resultsCaption, ghost ? { len: 0, cap: resultsCap } : s.results, !!(s.results && s.results.closed));
  renderWorkers(ws, ghost);
  renderConsumer(s, phase);
  placeTokens(s, now);
  renderCounters(s, now, phaseChanged);
  renderGauges(s, nWorkers, jobsCap, resultsCap);
  renderGoroutines(s, phase);
  samplePlot(s, now);
  renderLog(s.log, now);
  setText(ui.narration, narrate(s, phase));
  // The speed is the session's: follow it unless the slider is in use.
  if (typeof s.speed === "number" && s.speed !== page.speed && document.activeElement !== ui.speed) {
    page.speed = s.speed;
    renderSpeed();
    scheduleURL();
  }
  const pausedNow = !!(s.consumer && s.consumer.paused);
  if (phaseChanged || pausedNow !== page.paused) {
    page.paused = pausedNow;
    updateControls();
    updateConfigNote();
  }
}

function renderProducer(s, phase) {
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

function renderChannel(el, caption, ch, closed) {
  ch = ch || { len: 0, cap: 0 };
  setData(el, "len", String(ch.len || 0));
  setData(el, "cap", String(ch.cap || 0));
  setData(el, "closed", String(closed));
  setText(caption, ch.cap ? `len ${ch.len || 0} / cap ${ch.cap}` : "cap 0");
}

function renderWorkers(ws, ghost) {
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
    if (v.state !== state) {
      v.state = state;
      v.el.dataset.state = state;
      v.stateEl.textContent = state;
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

function renderConsumer(s, phase) {
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

function renderCounters(s, now, phaseChanged) {
  const c = s.counters || {};
  const key = `${c.received}|${c.succeeded}|${c.failed}|${c.canceled}|${c.emitted}`;
  if (key !== outcomeKey) {
    outcomeKey = key;
    const total = (c.succeeded || 0) + (c.failed || 0) + (c.canceled || 0);
    for (const k of ["succeeded", "failed", "canceled"]) {
      ui.outcome[k].style.width = total ? `${(100 * (c[k] || 0)) / total}%` : "0";
    }
  }
  // The numbers follow every frame. Screen readers hear them through
  // #counters-live, a polite live region whose one sentence changes at most
  // once a second while the pipeline runs, and at once when the phase
  // changes or the run is over, so that they are not flooded.
  for (const k of Object.keys(ui.counters)) setText(ui.counters[k], String(c[k] || 0));
  const settled = s.phase === "done" || s.phase === "idle";
  if (key !== countersKey && (phaseChanged || settled || now - countersShownAt >= LIVE_MS)) {
    countersKey = key;
    countersShownAt = now;
    setText(ui.countersLive, Object.keys(ui.counters).map((k) => `${k} ${c[k] || 0}`).join(", "));
  }
}

function renderGauges(s, nWorkers, jobsCap, resultsCap) {
  const g = s.gauges || {};
  const caps = { busy: nWorkers, queued: jobsCap, pending: resultsCap };
  for (const k of ["busy", "queued", "pending"]) {
    const v = g[k] || 0;
    const view = ui.gauges[k];
    const max = Math.max(caps[k], v);
    setText(view.val, String(v));
    setText(view.max, `/ ${caps[k]}`);
    const frac = max ? v / max : 0;
    if (view.frac !== frac) {
      view.frac = frac;
      view.bar.style.transform = `scaleX(${frac.toFixed(3)})`;
    }
  }
}

function renderGoroutines(s, phase) {
  const g = s.goroutines || 0;
  const b = s.baselineGoroutines || 0;
  setText(ui.goroutines, String(g));
  setText(ui.baseline, String(b));
  let note;
  let leak = "false";
  if (phase === "idle") note = "no pipeline yet: this is the baseline";
  else if (phase === "done" && g <= b) {
    note = "back to baseline: no leaks";
    leak = "ok";
  } else if (phase === "done") note = `${g - b} above baseline, still exiting…`;
  else if (phase === "canceled") note = `canceled: ${plural(Math.max(g - b, 0), "goroutine", "goroutines")} still exiting…`;
  else note = `+${Math.max(g - b, 0)} while the pipeline runs (workers, producer, consumer)`;
  setText(ui.goroutinesNote, note);
  setData(ui.goroutinesBox, "leak", leak);
}

function narrate(s, phase) {
  const ws = s.workers || [];
  const p = s.producer || {};
  const c = s.consumer || {};
  let busy = 0;
  let blocked = 0;
  for (const w of ws) {
    if (!w) continue;
    if (w.state === "busy") busy++;
    else if (w.state === "blocked") blocked++;
  }
  switch (phase) {
    case "idle":
      return "Press Start: the pipeline starts its workers, which wait (idle) on the jobs channel. Then submit jobs: the producer sends them.";
    case "canceled":
      return "Canceled: the context is done. Workers take no new job; busy handlers’ contexts are canceled and their jobs count as canceled, with no result (a panic still counts as failed); results not yet taken are abandoned; each worker exits.";
    case "done":
      return s.ended === "cancel"
        ? "Done, by cancel: every worker exited and the pipeline closed the results channel. Canceled jobs emitted no result, results not taken were abandoned, jobs never taken were dropped; nothing is left running."
        : "Done, by close: every job sent was handled and its result emitted, then the pipeline closed the results channel. Start again to run a new pipeline.";
  }
  const parts = [];
  if (p.blocked) {
    const jobs = s.jobs || {};
    parts.push(jobs.cap
      ? `The producer is blocked: the jobs channel is full (${jobs.len}/${jobs.cap}) and no worker is idle, so its send waits. That is backpressure.`
      : "The producer is blocked: the jobs channel is unbuffered and no worker is idle to take the job, so its send waits. That is backpressure.");
  }
  if (blocked) {
    parts.push(`${plural(blocked, "worker is", "workers are")} blocked holding a result the consumer has not taken${c.paused ? " (the consumer is paused)" : ""}.`);
  } else if (c.paused) {
    parts.push("The consumer is paused; results wait for it.");
  }
  if (phase === "closing") {
    parts.push(p.closed
      ? "Close: the jobs channel is closed. Workers finish every job sent, then the last one closes the results channel."
      : "Close: the producer sends its backlog, then closes the jobs channel.");
  }
  if (!parts.length) {
    if (busy && busy === ws.length) parts.push(busy === 1 ? "The worker is busy running the handler." : `All ${busy} workers are busy running the handler.`);
    else if (busy) parts.push(`${plural(busy, "worker is", "workers are")} busy running the handler; the rest are idle, waiting for a job.`);
    else if (p.backlog) parts.push("The producer is sending its backlog.");
    else parts.push("All workers are idle, waiting on the jobs channel. Submit jobs to give them work.");
  }
  return parts.join(" ");
}

// ---------------------------------------------------------------- throughput

const plot = { samples: [], lastAt: -Infinity, lastEmitted: 0, peak: 0, colors: null, label: "", font: -1, width: 0, height: 0 };

function samplePlot(s, now) {
  const emitted = (s.counters && s.counters.emitted) || 0;
  if (plot.lastAt === -Infinity) {
    plot.lastAt = now;
    plot.lastEmitted = emitted;
    drawPlot();
    return;
  }
  const dt = now - plot.lastAt;
  if (dt < PLOT_STEP_MS) return;
  // A new pipeline restarts the counters: count from zero again.
  const delta = emitted >= plot.lastEmitted ? emitted - plot.lastEmitted : emitted;
  const rate = (delta * 1000) / dt;
  plot.lastAt = now;
  plot.lastEmitted = emitted;
  plot.samples.push({ t: now, rate });
  while (plot.samples.length && plot.samples[0].t < now - PLOT_SPAN_MS) plot.samples.shift();
  plot.peak = plot.samples.reduce((m, x) => Math.max(m, x.rate), 0);
  setText(ui.tpNow, formatRate(rate));
  setText(ui.tpPeak, formatRate(plot.peak));
  drawPlot(now);
}

function formatRate(r) {
  return r >= 100 ? String(Math.round(r)) : r >= 10 ? r.toFixed(1) : r.toFixed(2).replace(/\.?0+$/, "") || "0";
}

function niceMax(v) {
  if (v <= 1) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * e) return m * e;
  return 10 * e;
}

function plotColors() {
  const cs = getComputedStyle(document.documentElement);
  const get = (name) => cs.getPropertyValue(name).trim();
  return { line: get("--busy"), fill: get("--busy-soft"), grid: get("--border"), text: get("--muted") };
}

function drawPlot(now = performance.now()) {
  const cv = ui.plot;
  const dpr = window.devicePixelRatio || 1;
  // The size comes from a ResizeObserver: reading clientWidth here would
  // force a layout in the middle of a frame.
  const w = plot.width || 300;
  const h = plot.height || 120;
  if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
    cv.width = Math.round(w * dpr);
    cv.height = Math.round(h * dpr);
  }
  if (!plot.colors) plot.colors = plotColors();
  const col = plot.colors;
  const ctx = cv.getContext("2d");
  if (plot.font !== cv.width * 65536 + cv.height) {
    // Setting the font can make the browser resolve styles, so do it only
    // when the canvas was resized (which resets the context's state).
    plot.font = cv.width * 65536 + cv.height;
    ctx.font = "10px system-ui, sans-serif";
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const left = 34;
  const top = 6;
  const bottom = h - 16;
  const right = w - 4;
  const ymax = niceMax(plot.peak);
  ctx.fillStyle = col.text;
  ctx.strokeStyle = col.grid;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const f of [0, 0.5, 1]) {
    const y = Math.round(bottom - f * (bottom - top)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    ctx.fillText(formatRate(f * ymax), left - 4, y);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillText("−60 s", left, h - 3);
  ctx.textAlign = "right";
  ctx.fillText("now", right, h - 3);
  const xs = (t) => right - ((now - t) / PLOT_SPAN_MS) * (right - left);
  const ys = (r) => bottom - (r / ymax) * (bottom - top);
  const pts = plot.samples;
  if (pts.length > 1) {
    ctx.beginPath();
    ctx.moveTo(xs(pts[0].t), bottom);
    for (const p of pts) ctx.lineTo(xs(p.t), ys(p.rate));
    ctx.lineTo(xs(pts[pts.length - 1].t), bottom);
    ctx.closePath();
    ctx.fillStyle = col.fill;
    ctx.fill();
    ctx.beginPath();
    pts.forEach((p, i) => (i ? ctx.lineTo(xs(p.t), ys(p.rate)) : ctx.moveTo(xs(p.t), ys(p.rate))));
    ctx.strokeStyle = col.line;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  const last = pts.length ? pts[pts.length - 1].rate : 0;
  const label = pts.some((p) => p.rate > 0)
    ? `Throughput plot: ${formatRate(last)} results/s now, peak ${formatRate(plot.peak)} in the last 60 s`
    : "Throughput plot: no results in the last 60 s";
  if (label !== plot.label) {
    plot.label = label;
    cv.setAttribute("aria-label", label);
  }
}

// ---------------------------------------------------------------- event log

let logSeq = -Infinity;

let logAt = -Infinity;

function renderLog(log, now) {
  if (!Array.isArray(log) || !log.length || !log[log.length - 1]) return;
  const newest = log[log.length - 1].seq;
  if (typeof newest !== "number") return;
  if (newest < logSeq) logSeq = -Infinity; // the Go side restarted its numbering
  if (newest <= logSeq) return;
  let i = log.length;
  while (i > 0 && log[i - 1] && log[i - 1].seq > logSeq) i--;
  const fresh = log.length - i;
  // A few entries go in at once; a flood (fast jobs) at most five times a
  // second: nobody reads faster, and the log keeps only the newest anyway.
  if (fresh > 4 && now - logAt < LOG_FLOOD_MS) return;
  logAt = now;
  logSeq = newest;
  // Reuse the oldest entries (at the bottom) for the new ones.
  const spare = [];
  let excess = ui.log.childElementCount + fresh - LOG_MAX;
  while (excess-- > 0 && ui.log.lastElementChild) spare.push(ui.log.removeChild(ui.log.lastElementChild));
  const frag = document.createDocumentFragment();
  for (let k = log.length - 1; k >= i; k--) {
    const e = log[k];
    let li = spare.pop();
    if (!li) {
      li = document.createElement("li");
      const t = document.createElement("span");
      t.className = "t";
      li.append(t, document.createTextNode(""));
    }
    li.firstChild.textContent = typeof e.ms === "number" ? `${(e.ms / 1000).toFixed(2)}s` : "";
    li.lastChild.data = e.text || "";
    li.dataset.kind = e.kind || "";
    frag.append(li);
  }
  ui.log.prepend(frag);
}

// ---------------------------------------------------------------- Go code

function goDuration(ms) {
  if (ms === 0) return "time.Duration(0)";
  if (ms % 1000 === 0) return ms === 1000 ? "time.Second" : `${ms / 1000} * time.Second`;
  return `${ms} * time.Millisecond`;
}

function goCode(c) {
  const useRand = c.jitterMs > 0 || c.failRate > 0 || c.panicRate > 0;
  const imports = ["context", ...(c.failRate > 0 ? ["errors"] : []), "fmt", ...(useRand ? ["math/rand/v2"] : []), "time"];
  const L = [];
  L.push("package main", "", "import (");
  for (const i of imports) L.push(`\t"${i}"`);
  L.push("", '\t"github.com/goflow-dev/goflow/pipeline"', ")", "");
  L.push("func main() {");
  L.push("\tctx, cancel := context.WithCancel(context.Background())");
  L.push("\tdefer cancel() // cancel: stop now", "");
  L.push("\t// The handler simulates work; it returns early when its context is done.");
  L.push("\thandler := func(ctx context.Context, n int) (int, error) {");
  L.push(`\t\twork := ${goDuration(c.workMs)} // workMs`);
  if (c.jitterMs > 0) L.push("\t\t// plus up to jitterMs, at random", `\t\twork += rand.N(${goDuration(c.jitterMs)})`);
  L.push("\t\tselect {", "\t\tcase <-time.After(work):", "\t\tcase <-ctx.Done():");
  L.push(`\t\t\treturn 0, ctx.Err() // canceled${c.timeoutMs > 0 ? ", or past Job.Timeout" : ""}`);
  L.push("\t\t}");
  if (c.panicRate > 0) L.push(`\t\tif rand.Float64() < ${c.panicRate} { // panicRate: becomes a failed result`, '\t\t\tpanic("simulated panic")', "\t\t}");
  if (c.failRate > 0) L.push(`\t\tif rand.Float64() < ${c.failRate} { // failRate`, '\t\t\treturn 0, errors.New("simulated failure")', "\t\t}");
  L.push("\t\treturn n * n, nil", "\t}", "");
  const bufNote = c.jobBuffer === 0 && c.resultBuffer === 0 ? " // unbuffered: backpressure by default" : "";
  L.push(`\tp := pipeline.New(${c.workers}, handler, pipeline.Options{JobBuffer: ${c.jobBuffer}, ResultBuffer: ${c.resultBuffer}})${bufNote}`);
  L.push("\tjobs, results := p.Start(ctx)", "");
  L.push("\tgo func() { // the producer sends, then closes the jobs channel");
  L.push("\t\tdefer close(jobs) // close: drain gracefully");
  L.push("\t\tfor i := 1; i <= 100; i++ {");
  const timeout = c.timeoutMs > 0 ? `, Timeout: ${goDuration(c.timeoutMs)}` : "";
  L.push(`\t\t\tjob := pipeline.Job[int]{ID: fmt.Sprintf("job-%d", i), Payload: i${timeout}}`);
  L.push("\t\t\tselect {");
  L.push("\t\t\tcase jobs <- job: // blocks while no worker is idle and the buffer is full");
  L.push("\t\t\tcase <-ctx.Done():", "\t\t\t\treturn", "\t\t\t}", "\t\t}", "\t}()", "");
  L.push("\tfor r := range results { // the consumer reads until the pipeline closes results");
  if (c.consumerDelayMs > 0) L.push(`\t\ttime.Sleep(${goDuration(c.consumerDelayMs)}) // consumerDelayMs`);
  L.push("\t\tfmt.Println(r.JobID, r.Value, r.Err)", "\t}");
  L.push('\tfmt.Printf("%+v\\n", p.Stats())', "}", "");
  return L.join("\n");
}

function renderCode() {
  const c = page.formConfig;
  const text = c
    ? goCode(c)
    : `// The configuration is not valid yet:\n// ${page.inputError || "check the fields above"}`;
  setText(ui.code, text);
}

async function copyCode() {
  const text = ui.code.textContent;
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch {
    ok = false;
  }
  if (!ok) {
    const ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.append(ta);
    ta.select();
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    ui.copy.focus();
  }
  ui.copyStatus.textContent = ok ? "Copied" : "Could not copy: select the code and copy it yourself";
  clearTimeout(copyCode.timer);
  copyCode.timer = setTimeout(() => (ui.copyStatus.textContent = ""), 3000);
}

// ---------------------------------------------------------------- URL

let urlTimer = 0;

function scheduleURL() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(syncURL, 150);
}

function shareParams({ withEmbed = true } = {}) {
  const p = new URLSearchParams();
  if (page.scenario) p.set("scenario", page.scenario);
  for (const k of CONFIG_KEYS) p.set(k, rawValue(k));
  if (page.speed !== 1) p.set("speed", String(page.speed));
  if (withEmbed && embed) p.set("embed", "1");
  const origin = query.get("origin");
  if (withEmbed && origin !== null) p.set("origin", origin);
  return p;
}

function syncURL() {
  if (!page.ready) return;
  // Links are relative to the page ("?query"), so that they cannot leave
  // its origin whatever location.pathname holds.
  const url = `?${shareParams()}${location.hash}`;
  try {
    history.replaceState(history.state, "", url);
  } catch {
    // Some sandboxed frames forbid it; the page works without.
  }
  ui.fullLink.href = `?${shareParams({ withEmbed: false })}`;
}

// applyQuery reads the address: config keys through goflow.parseQuery (Go
// owns the rules), page keys here. Problems go to #error, naming the parameter.
function applyQuery() {
  const errors = [];
  const r = call("parseQuery", location.search);
  let parsed = null;
  if (r.ok && r.value) {
    parsed = r.value;
    for (const e of parsed.errors || []) errors.push(`URL: ${e}`);
  } else if (!r.ok) {
    errors.push(r.error);
  }
  const scenario = query.get("scenario");
  if (scenario !== null && scenario !== "") {
    if (Object.hasOwn(SCENARIOS, scenario)) chooseScenario(scenario);
    else errors.push(`URL: scenario: got ${JSON.stringify(scenario)}; want one of ${Object.keys(SCENARIOS).join(", ")}`);
  }
  if (parsed && parsed.config) {
    // Keys given in the address override a scenario's; a bad value keeps the form's.
    const given = {};
    for (const k of CONFIG_KEYS) {
      const bad = (parsed.errors || []).some((e) => e.startsWith(k + ":") || e.startsWith(`"${k}"`));
      if (query.has(k) && !bad && parsed.config[k] !== undefined) given[k] = parsed.config[k];
    }
    setForm(given);
  }
  const speed = query.get("speed");
  if (speed !== null) {
    const lim = (page.limits && page.limits.speed) || { min: 0.05, max: 1 };
    const v = Number(speed);
    if (speed.trim() === "" || !Number.isFinite(v) || v < lim.min || v > lim.max) {
      errors.push(`URL: speed: got ${JSON.stringify(speed)}; want a number from ${lim.min} to ${lim.max}`);
    } else {
      const sr = setSpeed(v, { fromUser: false });
      if (!sr.ok) errors.push(`URL: speed: ${sr.error}`);
    }
  }
  const em = query.get("embed");
  if (em !== null && em !== "1" && em !== "0" && em !== "") {
    errors.push(`URL: embed: got ${JSON.stringify(em)}; want 1`);
  }
  if (query.has("origin") && !originFromParam()) {
    errors.push(`URL: origin: got ${JSON.stringify(query.get("origin"))}; want an origin such as https://example.com`);
  }
  validateForm();
  renderCode();
  if (errors.length) showError(summarise(errors));
  else showError(page.inputError);
}

// ---------------------------------------------------------------- embedding

function originFromParam() {
  const o = query.get("origin");
  if (!o) return "";
  try {
    const u = new URL(o);
    if ((u.protocol === "http:" || u.protocol === "https:") && u.origin !== "null") return u.origin;
  } catch {
    // not a URL
  }
  return "";
}

function parentOrigin() {
  if (query.has("origin")) return originFromParam();
  if (!document.referrer) return "";
  try {
    const o = new URL(document.referrer).origin;
    return o && o !== "null" ? o : "";
  } catch {
    return "";
  }
}

// When framed, tell the parent our height so it can size the frame. Only to
// a known origin: the origin parameter, else the referrer's; else not at all.
function wireEmbedding() {
  let framed = false;
  try {
    framed = window.parent !== window;
  } catch {
    framed = true;
  }
  const target = parentOrigin();
  if (!framed || !target || typeof ResizeObserver !== "function") return;
  // Where the browser tells us who framed us, post only if that is the target.
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length && ancestors[0] !== target) return;
  let last = -1;
  const post = (force) => {
    const height = Math.ceil(ui.app.getBoundingClientRect().height);
    if (height === last && !force) return;
    last = height;
    try {
      window.parent.postMessage({ type: "goflow:resize", height }, target);
    } catch (err) {
      console.warn("goflow: resize message not sent:", err);
    }
  };
  new ResizeObserver(() => post(false)).observe(ui.app);
  window.addEventListener("message", (e) => {
    if (e.origin !== target || e.source !== window.parent) return; // not our parent: ignore
    if (e.data && e.data.type === "goflow:resize-request") post(true);
  });
}

// ---------------------------------------------------------------- frames

// pace watches the frame rate. When frames come slower than about 22 a
// second while many tokens move (a slow machine, or 0 ms jobs keeping the Go
// side busy), tokens stop gliding and jump, which costs the browser far less;
// gliding resumes once frames are quick again for a few seconds.
const pace = { last: 0, ema: 16.7, lite: false, since: 0 };

function watchPace(now) {
  if (pace.last) {
    const dt = Math.min(now - pace.last, 250);
    pace.ema += (dt - pace.ema) * 0.1;
  }
  pace.last = now;
  if (!pace.lite && pace.ema > 45 && tokens.size > 24) {
    pace.lite = true;
    pace.since = now;
  } else if (pace.lite && pace.ema < 25 && now - pace.since > 5000) {
    pace.lite = false;
  } else if (pace.lite && pace.ema >= 25) {
    pace.since = now;
  }
  if (ui.stage.classList.contains("lite") !== pace.lite) ui.stage.classList.toggle("lite", pace.lite);
}

function frame(stampMs) {
  requestAnimationFrame(frame);
  watchPace(stampMs || performance.now());
  const t0 = performance.now();
  const r = call("snapshot");
  const snapMs = performance.now() - t0;
  if (!r.ok || !r.value) {
    const msg = r.ok ? "snapshot: got nothing" : r.error;
    if (msg !== page.snapshotError) {
      page.snapshotError = msg;
      showError(msg);
    }
    return;
  }
  page.snapshotError = "";
  const s = r.value;
  page.snap = s;
  try {
    render(s, t0);
  } catch (err) {
    // A drawing bug must not stop the animation or the controls.
    const msg = `render: ${messageOf(err)}`;
    if (msg !== page.renderError) {
      page.renderError = msg;
      console.error("goflow: render failed:", err);
      showError(msg);
    }
  }
  const ms = performance.now() - t0;
  stats.sum += ms;
  stats.n++;
  const gp = window.goflowPage;
  gp.snapshot = s;
  gp.frames = stats.n;
  gp.motion = reducedMotion.matches ? "reduced" : pace.lite ? "lite" : "full";
  gp.renderMs.last = ms;
  gp.renderMs.avg = stats.sum / stats.n;
  if (ms > gp.renderMs.max) gp.renderMs.max = ms;
  stats.snapSum += snapMs;
  gp.snapshotMs.last = snapMs;
  gp.snapshotMs.avg = stats.snapSum / stats.n;
  if (snapMs > gp.snapshotMs.max) gp.snapshotMs.max = snapMs;
}

function watchLayout() {
  if (typeof ResizeObserver === "function") {
    const ro = new ResizeObserver(() => {
      measureNeeded = true;
    });
    ro.observe(ui.stage);
    for (const el of ui.stage.querySelectorAll(".col, #workers, .slots")) ro.observe(el);
    new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      plot.width = Math.round(box.width);
      plot.height = Math.round(box.height);
      drawPlot();
    }).observe(ui.plot);
  }
  window.addEventListener("resize", () => {
    measureNeeded = true;
  });
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const recolor = () => {
    plot.colors = null;
    drawPlot();
  };
  if (dark.addEventListener) dark.addEventListener("change", recolor);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => (measureNeeded = true));
}

function applyLimits() {
  const r = call("limits");
  if (!r.ok || !r.value) return;
  const lim = r.value;
  page.limits = lim;
  for (const k of CONFIG_KEYS) {
    const l = lim[k];
    if (!l) continue;
    const input = ui.inputs[k];
    input.min = String(l.min);
    input.max = String(l.max);
    input.step = l.integer ? "1" : "0.01";
  }
  if (lim.speed) {
    ui.speed.min = String(lim.speed.min);
    ui.speed.max = String(lim.speed.max);
    ui.speed.step = String(Math.min(0.05, lim.speed.min));
  }
}

async function main() {
  wireControls();
  watchLayout();
  renderSpeed();
  validateFormOffline();
  try {
    await load();
  } catch (err) {
    failLoad(err);
    return;
  }
  applyLimits();
  const d = call("defaults");
  if (d.ok && d.value) page.defaults = { ...README_DEFAULTS, ...d.value };
  setForm(page.defaults);
  page.ready = true;
  applyQuery();
  wireEmbedding();
  ui.status.textContent = "Ready";
  document.body.dataset.ready = "true";
  window.goflowPage.loadMs.ready = Math.round(performance.now());
  updateControls();
  syncURL();
  requestAnimationFrame(frame);
}

// Before Go is ready, draw the preview from the form's default values.
function validateFormOffline() {
  page.formConfig = { ...README_DEFAULTS };
  renderCode();
  ensureShape(page.formConfig.workers, page.formConfig.jobBuffer, page.formConfig.resultBuffer, true);
  renderWorkers([], true);
}

main();
