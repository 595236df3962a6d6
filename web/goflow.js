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

/** An object argument may have at most this many own enumerable keys. */
export const MAX_KEYS = 64;

/** A string argument may have at most this many UTF-16 code units. */
export const MAX_STRING = 2 * 1024 * 1024; // a URL as long as Chromium takes

/** The hint a page shows when a Content-Security-Policy blocks WebAssembly. */
export const CSP_HINT = "the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src";

/** The name of the global through which the Go program finds the bridge. */
const BRIDGE = "goflowBridge";

/**
 * messageOf reads an exception's message without letting a hostile
 * exception (a throwing getter, a revoked Proxy) throw again.
 * @param {unknown} e
 * @returns {string}
 */
export function messageOf(e) {
  try {
    return String(e instanceof Error ? e.message : e);
  } catch {
    return "JavaScript error";
  }
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
      if (v.length > MAX_STRING) return { error: `got a string of ${v.length} characters; want at most ${MAX_STRING}` };
      return v;
    case "bigint": return { other: "a BigInt" };
    case "symbol": return { other: "a symbol" };
    case "function": return { other: "a function" };
  }
  if (v === null) return null;
  return { other: Array.isArray(v) ? "an array" : "an object" };
}

/**
 * readArg is how the Go program reads one argument v. With keys null it
 * returns what scalar returns. With keys (the config keys), a plain object
 * (its prototype Object.prototype or null) of at most MAX_KEYS own enumerable
 * keys becomes {config: {key: scalar value}, unknown: [other keys]}: only the
 * known keys are read, each by name. Any other value is described as by
 * scalar, a non-plain object by its class, as in {other: "a Map"}. Anything
 * that throws, or is too large, gives {error: message}.
 * @param {unknown} v
 * @param {string[] | null} keys
 * @returns {unknown}
 */
export function readArg(v, keys) {
  try {
    if (keys === null || typeof v !== "object" || v === null || Array.isArray(v)) return scalar(v);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      return { other: tag === "Object" ? "an object that is not a plain object" : article(tag) };
    }
    // for...in stops at the bound (though V8 collects a huge object's keys
    // first: about 0.4 µs a key); the own check skips keys that a polluted
    // Object.prototype would add.
    const unknown = [];
    let n = 0;
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (++n > MAX_KEYS) return { error: `got an object of more than ${MAX_KEYS} keys; want a config of at most ${keys.length}` };
      if (!keys.includes(k)) unknown.push(k);
    }
    /** @type {Record<string, unknown>} */
    const config = Object.create(null);
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const s = scalar(/** @type {any} */ (v)[k]);
      if (s !== null && typeof s === "object" && "error" in s) return { error: `${k}: ${s.error}` };
      config[k] = s;
    }
    return { config, unknown };
  } catch (e) {
    return { error: `JavaScript error: ${messageOf(e)}` };
  }
}

/**
 * wrap turns the Go program's raw functions into the goflow API: each
 * returns the parsed JSON result, or undefined, or throws new Error(message).
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
