// @ts-check
// goflow.js loads the GoFlow WebAssembly runtime and installs its API,
// globalThis.goflow. It is the one way in to the runtime: the page (app.js)
// and anything else that needs goflow import load() from this file, which
// loads Go's wasm_exec.js and main.wasm once, whoever asks first.
//
// The Go program (wasm/main.go) registers raw functions that return a JSON
// string, undefined or {error: message}, because a syscall/js callback cannot
// throw. wrap turns them into functions that return the parsed value or throw
// an Error. The Go program reads its arguments only through readArg (args.js), which
// checks each argument's kind before it reads anything and reads a config
// object's known keys by name, inside try, so that a getter or a Proxy trap
// that throws never unwinds through Go.
//
// Nothing here uses eval or the Function constructor: the page runs under
// Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'.

import { messageOf, readArg } from "./args.js";

export { MAX_KEYS, MAX_STRING, MAX_TEXT, clip, messageOf, readArg } from "./args.js";
export { MAX_RECORDING } from "./recording.js";

/** The hint a page shows when a Content-Security-Policy blocks WebAssembly. */
export const CSP_HINT = "the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src";

/** The name of the global through which the Go program finds the bridge. */
const BRIDGE = "goflowBridge";

/**
 * wrap turns the Go program's raw functions into the goflow API: each
 * returns the parsed JSON result, or undefined, or throws new Error(message);
 * a raw Promise (step) becomes a Promise of the parsed result.
 * With state (an instance from goflow.create()), a successful dispose sets
 * state.disposed, and from then on every function throws
 * "<name>: instance disposed" without reaching Go, whose functions for the
 * instance are released. A raw create becomes create(), which wraps the
 * instance it returns the same way.
 * @param {Record<string, (...args: unknown[]) => unknown>} raw
 * @param {{disposed: boolean}} [state]
 * @returns {Record<string, (...args: unknown[]) => any>}
 */
export function wrap(raw, state) {
  /** @type {Record<string, (...args: unknown[]) => any>} */
  const api = {};
  for (const name of Object.keys(raw)) {
    const fn = raw[name];
    // The computed name gives each function its own .name.
    api[name] = { [name](/** @type {unknown[]} */ ...args) {
      if (state && state.disposed) throw new Error(`${name}: instance disposed`);
      const r = fn(...args);
      if (typeof r === "string") return JSON.parse(r);
      // goflow.step() when the run must move: a Promise of the event's JSON.
      if (r instanceof Promise) return r.then((t) => JSON.parse(t), (m) => { throw new Error(String(m)); });
      if (r == null) {
        if (state && name === "dispose") state.disposed = true;
        return undefined;
      }
      const obj = /** @type {Record<string, unknown>} */ (r);
      if (name === "create" && typeof obj.error !== "string") {
        return wrap(/** @type {Record<string, (...args: unknown[]) => unknown>} */ (obj), { disposed: false });
      }
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
 * Error that names the directive to allow. early is a fetch of url already
 * under way, which the streaming compile takes first.
 * @param {URL} url
 * @param {any} go
 * @param {Promise<Response>} [early]
 */
async function instantiate(url, go, early) {
  try {
    if (WebAssembly.instantiateStreaming) {
      try {
        return await WebAssembly.instantiateStreaming(early || fetch(url), go.importObject);
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
 * Every call returns the same Promise: one runtime per page; after a
 * failure, the next call tries again.
 * @returns {Promise<Runtime>}
 */
export function load() {
  loading ??= start().catch((err) => {
    loading = null; // a failed load (the network, say) is tried again by the next call
    throw err;
  });
  return loading;
}

/**
 * mark sets a performance mark "goflow:<name>" (the browser tests read
 * them to break the load down), where the browser has marks.
 * @param {string} name
 */
function mark(name) {
  if (typeof performance === "object" && typeof performance.mark === "function") performance.mark(`goflow:${name}`);
}

async function start() {
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly support");
  mark("load");
  const g = /** @type {any} */ (globalThis);
  // main.wasm downloads while wasm_exec.js loads: one round trip less.
  const wasmURL = new URL("main.wasm", import.meta.url);
  const early = typeof WebAssembly.instantiateStreaming === "function" ? fetch(wasmURL) : undefined;
  if (early) early.catch(() => {}); // instantiate reports the failure
  if (typeof g.Go !== "function") await loadScript(new URL("wasm_exec.js", import.meta.url));
  const go = new g.Go();
  let exitCode = 0;
  const goExit = go.exit;
  go.exit = (/** @type {number} */ code) => {
    exitCode = code;
    if (goExit) goExit.call(go, code);
  };
  const { instance } = await instantiate(wasmURL, go, early);
  const instantiatedMs = performance.now();
  mark("instantiated");
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
  mark("ready");
  const memory = /** @type {WebAssembly.Memory} */ (instance.exports.mem);
  return { goflow: g.goflow, exited, instantiatedMs, memory };
}
