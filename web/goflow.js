// @ts-check
// goflow.js loads the GoFlow WebAssembly runtime and installs its API,
// globalThis.goflow. It is the one way in to the runtime: the page (app.js)
// and anything else that needs goflow import load() from this file, which
// loads Go's wasm_exec.js and main.wasm once, whoever asks first.
//
// The Go program (wasm/main.go) registers raw functions that return a JSON
// string, undefined or {error: message}, because a syscall/js callback cannot
// throw. wrap turns them into functions that return the parsed value or throw
// an Error. The Go program reads its arguments only through readArg, which
// checks each argument's kind before it reads anything and reads a config
// object's known keys by name, inside try, so that a getter or a Proxy trap
// that throws never unwinds through Go.
//
// Nothing here uses eval or the Function constructor: the page runs under
// Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.

import { recordingText } from "./recording.js";

export { MAX_RECORDING } from "./recording.js";

/** An object argument may have at most this many own enumerable keys. */
export const MAX_KEYS = 64;

/** A string argument may have at most this many UTF-16 code units. */
export const MAX_STRING = 2 * 1024 * 1024; // a URL as long as Chromium takes

/**
 * A message, a class name or an unknown key that comes from the caller is
 * cut to at most this many UTF-16 code units (and "…"), so that a hostile
 * caller's huge string never crosses into Go or into an Error.
 */
export const MAX_TEXT = 200;

/** The hint a page shows when a Content-Security-Policy blocks WebAssembly. */
export const CSP_HINT = "the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src";

/** The name of the global through which the Go program finds the bridge. */
const BRIDGE = "goflowBridge";

/**
 * clip cuts s to at most max UTF-16 code units, without splitting a
 * surrogate pair, and marks the cut with "…".
 * @param {string} s
 * @param {number} max
 * @returns {string}
 */
export function clip(s, max = MAX_TEXT) {
  if (s.length <= max) return s;
  const hi = s.charCodeAt(max - 1);
  return s.slice(0, hi >= 0xd800 && hi <= 0xdbff ? max - 1 : max) + "…";
}

/**
 * messageOf reads an exception's message, cut to MAX_TEXT code units,
 * without letting a hostile exception (a throwing getter, a revoked Proxy,
 * a huge message) throw again or cost more than a moment.
 * @param {unknown} e
 * @returns {string}
 */
export function messageOf(e) {
  try {
    return clip(String(e instanceof Error ? e.message : e));
  } catch {
    return "JavaScript error";
  }
}

/**
 * record makes an object with no prototype, so that a property added to
 * Object.prototype (a polluted page) cannot show through when the Go
 * program reads error, other, config or unknown from what readArg returns.
 * @param {Record<string, unknown>} fields
 * @returns {any}
 */
function record(fields) {
  return Object.assign(Object.create(null), fields);
}

/**
 * article puts "a" or "an" before a word.
 * @param {string} word
 */
function article(word) { // "a Uint8Array", "an Int8Array"
  return (/^[aeio]/i.test(word) ? "an " : "a ") + word;
}

/**
 * scalar describes a value that Go can take as it is (undefined, null, a
 * boolean, a number, a string of at most MAX_STRING code units), and names
 * anything else as {other: "a symbol"}, {other: "an object"} and so on,
 * without reading any of its properties.
 * @param {unknown} v
 * @returns {unknown}
 */
function scalar(v) {
  switch (typeof v) {
    case "undefined": case "boolean": case "number":
      return v;
    case "string":
      if (v.length > MAX_STRING) return record({ error: `got a string of ${v.length} characters; want at most ${MAX_STRING}` });
      return v;
    case "bigint": return record({ other: "a BigInt" });
    case "symbol": return record({ other: "a symbol" });
    case "function": return record({ other: "a function" });
  }
  if (v === null) return null;
  return record({ other: Array.isArray(v) ? "an array" : "an object" });
}

/**
 * readArg is how the Go program reads one argument v. With keys null it
 * returns what scalar returns. With keys (the config keys), a plain object
 * (its prototype null, or one whose prototype is null, as Object.prototype
 * of this realm or another) of at most MAX_KEYS own enumerable
 * keys becomes {config: {key: scalar value}, unknown: [other keys]}: only the
 * known keys are read, each by name. Any other value is described as by
 * scalar, a non-plain object by its class, as in {other: "a Map"}. Anything
 * that throws, or is too large, gives {error: message}. With keys
 * "recording" (goflow.load's parameter) it returns what recordingText does.
 * @param {unknown} v
 * @param {string[] | "recording" | null} keys
 * @returns {unknown}
 */
export function readArg(v, keys) {
  try {
    if (keys === "recording") return recordingText(v, MAX_KEYS) ?? scalar(v);
    if (keys === null || typeof v !== "object" || v === null || Array.isArray(v)) return scalar(v);
    // Plain: made by {} or JSON.parse here or in another realm (an
    // iframe's Object.prototype, whose own prototype is null), or with no
    // prototype at all.
    const proto = Object.getPrototypeOf(v);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      // A Symbol.toStringTag (a Map's, or a hostile getter's) is read once
      // and cut short before it is copied: Object.prototype.toString would
      // copy a huge one whole. Date, RegExp and the like have none.
      const own = /** @type {any} */ (v)[Symbol.toStringTag];
      const tag = clip(typeof own === "string" ? own : Object.prototype.toString.call(v).slice(8, -1), 40);
      return record({ other: tag === "Object" ? "an object that is not a plain object" : article(tag) });
    }
    // for...in stops at the bound (though V8 collects a huge object's keys
    // first: about 0.4 µs a key); the own check skips keys that a polluted
    // Object.prototype would add.
    const unknown = [];
    let n = 0;
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (++n > MAX_KEYS) return record({ error: `got an object of more than ${MAX_KEYS} keys; want a config of at most ${keys.length}` });
      // The Go program quotes at most 40 bytes of an unknown key.
      if (!keys.includes(k)) unknown.push(clip(k, 41));
    }
    /** @type {Record<string, unknown>} */
    const config = Object.create(null);
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const s = scalar(/** @type {any} */ (v)[k]);
      if (s !== null && typeof s === "object" && "error" in s) return record({ error: `${k}: ${s.error}` });
      config[k] = s;
    }
    return record({ config, unknown });
  } catch (e) {
    return record({ error: `JavaScript error: ${messageOf(e)}` });
  }
}

/**
 * wrap turns the Go program's raw functions into the goflow API: each
 * returns the parsed JSON result, or undefined, or throws new Error(message);
 * a raw Promise (step) becomes a Promise of the parsed result.
 * @param {Record<string, (...args: unknown[]) => unknown>} raw
 * @returns {Record<string, (...args: unknown[]) => any>}
 */
export function wrap(raw) {
  /** @type {Record<string, (...args: unknown[]) => any>} */
  const api = {};
  for (const name of Object.keys(raw)) {
    const fn = raw[name];
    // The computed name gives each function its own .name.
    api[name] = { [name](/** @type {unknown[]} */ ...args) {
      const r = fn(...args);
      if (typeof r === "string") return JSON.parse(r);
      if (r == null) return undefined;
      // goflow.step() when the run must move: a Promise of the event's JSON.
      if (r instanceof Promise) return r.then((t) => JSON.parse(t), (m) => { throw new Error(String(m)); });
      throw new Error(/** @type {{error: string}} */ (r).error);
    } }[name];
  }
  return api;
}

/**
 * bridge is what the Go program reads from globalThis.goflowBridge when it
 * starts: readArg, and install, which it calls with its raw functions.
 * install sets target.goflow to the wrapped API, then goflow.ready (a
 * resolved Promise) last, then dispatches a "goflow:ready" Event on target
 * where it is an EventTarget.
 * @param {any} target
 */
export function bridge(target = globalThis) {
  return {
    readArg,
    install(/** @type {Record<string, (...args: unknown[]) => unknown>} */ raw) {
      /** @type {Record<string, unknown>} */
      const api = wrap(raw);
      target.goflow = api;
      api.ready = Promise.resolve(); // set last
      if (typeof target.dispatchEvent === "function") target.dispatchEvent(new Event("goflow:ready"));
    },
  };
}

/**
 * loadScript adds a classic <script> for url and waits for it to run.
 * @param {URL} url
 */
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = url.href;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${url.pathname} (run “make wasm” to copy wasm_exec.js next to index.html)`));
    document.head.append(s);
  });
}

/**
 * blockedByCSP tells whether err is how a browser refuses to compile
 * WebAssembly under a Content-Security-Policy without 'wasm-unsafe-eval'.
 * @param {unknown} err
 */
export function blockedByCSP(err) {
  const m = messageOf(err);
  return (err instanceof WebAssembly.CompileError || (typeof EvalError === "function" && err instanceof EvalError)) &&
    /Content.Security.Policy|unsafe-eval|CSP/i.test(m);
}

/**
 * instantiate fetches and compiles main.wasm; a CSP refusal becomes an
 * Error that names the directive to allow.
 * @param {URL} url
 * @param {any} go
 */
async function instantiate(url, go) {
  try {
    if (WebAssembly.instantiateStreaming) {
      try {
        return await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
      } catch (err) {
        if (blockedByCSP(err)) throw err;
        // A server without the application/wasm type, or a failed fetch:
        // try again the slow way, which also gives a clearer reason.
        console.warn("instantiateStreaming failed, falling back to arrayBuffer:", err);
      }
    }
    let resp;
    try {
      resp = await fetch(url);
    } catch (err) {
      throw new Error(`could not fetch ${url.pathname}: ${messageOf(err)}`);
    }
    if (!resp.ok) throw new Error(`could not fetch ${url.pathname}: HTTP ${resp.status} ${resp.statusText} (run “make wasm”)`);
    const bytes = await resp.arrayBuffer();
    try {
      return await WebAssembly.instantiate(bytes, go.importObject);
    } catch (err) {
      if (blockedByCSP(err)) throw err;
      throw new Error(`${url.pathname} is not a valid Go WebAssembly module: ${messageOf(err)}`);
    }
  } catch (err) {
    // The browser's own words go to the console (failLoad logs err's cause).
    if (blockedByCSP(err)) throw new Error(`this page may not run WebAssembly: ${CSP_HINT}`, { cause: err });
    throw err;
  }
}

/**
 * @typedef {object} Runtime
 * @property {any} goflow the API, also at globalThis.goflow
 * @property {Promise<number>} exited resolves with the exit code if the Go program ever exits
 * @property {number} instantiatedMs performance.now() when main.wasm was compiled
 * @property {WebAssembly.Memory} memory the Go program's linear memory
 */

/** @type {Promise<Runtime> | null} */
let loading = null;

/**
 * load loads wasm_exec.js (unless globalThis.Go exists) and main.wasm from
 * next to this file, runs the Go program and resolves when goflow is ready.
 * Every call returns the same Promise: one runtime per page.
 * @returns {Promise<Runtime>}
 */
export function load() {
  loading ??= start();
  return loading;
}

async function start() {
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly support");
  const g = /** @type {any} */ (globalThis);
  if (typeof g.Go !== "function") await loadScript(new URL("wasm_exec.js", import.meta.url));
  const go = new g.Go();
  let exitCode = 0;
  const goExit = go.exit;
  go.exit = (/** @type {number} */ code) => {
    exitCode = code;
    if (goExit) goExit.call(go, code);
  };
  const { instance } = await instantiate(new URL("main.wasm", import.meta.url), go);
  const instantiatedMs = performance.now();
  g[BRIDGE] = bridge(g);
  let exited;
  try {
    // run returns once main has registered goflow and blocked, and its
    // Promise resolves when the program exits.
    exited = go.run(instance).then(() => exitCode);
  } finally {
    delete g[BRIDGE];
  }
  if (!g.goflow || !g.goflow.ready) {
    await exited;
    throw new Error(`the Go program exited${exitCode ? ` with code ${exitCode}` : ""} before it registered goflow`);
  }
  await g.goflow.ready;
  const memory = /** @type {WebAssembly.Memory} */ (instance.exports.mem);
  return { goflow: g.goflow, exited, instantiatedMs, memory };
}
