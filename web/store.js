// @ts-check
// The page's shared state: what more than one module reads or changes lives
// here, in one object that the entry module (app.js) creates and passes to
// each module that needs it. Nothing else is shared between modules.

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").ConfigKey} ConfigKey */
/** @typedef {import("./api").Limits} Limits */
/** @typedef {import("./api").Snapshot} Snapshot */

/** The config keys, in the order of the form, the URL and the code panel. */
export const CONFIG_KEYS = /** @type {const} */ ([
  "workers", "jobBuffer", "resultBuffer", "workMs", "jitterMs",
  "failRate", "panicRate", "timeoutMs", "consumerDelayMs", "seed",
  "ordered", "failFast",
]);

/** The defaults the README documents, used until goflow.defaults() answers. */
export const README_DEFAULTS = Object.freeze({
  workers: 4, jobBuffer: 0, resultBuffer: 0, workMs: 800, jitterMs: 0,
  failRate: 0, panicRate: 0, timeoutMs: 0, consumerDelayMs: 0, seed: 0,
  ordered: false, failFast: false,
});

/**
 * @typedef {object} Store
 * @property {URLSearchParams} query the page's address parameters, read once
 * @property {boolean} embed the compact layout (embed=1)
 * @property {boolean} ready goflow is ready and the page wired
 * @property {boolean} dead the Go program exited: no more calls
 * @property {Limits | null} limits goflow.limits(), once loaded
 * @property {Config} defaults goflow.defaults(), or README_DEFAULTS before
 * @property {Snapshot | null} snap the last snapshot drawn
 * @property {string} phase the phase as last drawn
 * @property {string} scenario the chosen scenario's name, or ""
 * @property {number} speed the speed factor as last set or drawn
 * @property {string} inputError the form's first problem, or ""
 * @property {Config | null} formConfig the form's config as validate returned it, or null when invalid
 * @property {string} snapshotError the last goflow.snapshot() failure shown
 * @property {string | null} pending a running scenario step, so that clicks do not pile up
 * @property {boolean | undefined} paused the consumer's pause as last drawn
 * @property {string} renderError the last drawing failure shown
 * @property {number | null} cursor the moment shown (a sequence number), or null for live (transport.js)
 */

/**
 * createStore returns the page's state before anything has loaded.
 * @param {string} search the page's location.search
 * @returns {Store}
 */
export function createStore(search) {
  const query = new URLSearchParams(search);
  return {
    query,
    embed: query.get("embed") === "1",
    ready: false,
    dead: false,
    limits: null,
    defaults: { ...README_DEFAULTS },
    snap: null,
    phase: "",
    scenario: "",
    speed: 1,
    inputError: "",
    formConfig: null,
    snapshotError: "",
    pending: null,
    paused: undefined,
    renderError: "",
    cursor: null,
  };
}
