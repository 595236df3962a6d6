// @ts-check
// Loading the Go program: wasm_exec.js (a deferred <script> before the
// entry module) and main.wasm, then waiting until goflow.ready. This is
// the one module that knows how the module gets onto the page.

import { messageOf } from "./client.js";

/**
 * within rejects when promise has not settled within ms.
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
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @param {import("./api").GoRuntime} go
 * @returns {Promise<WebAssembly.WebAssemblyInstantiatedSource>}
 */
async function instantiate(go) {
  const url = "main.wasm";
  if (WebAssembly.instantiateStreaming) {
    try {
      return await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
    } catch (err) {
      // A server without the application/wasm type, or a failed fetch: try
      // again the slow way, which also gives a clearer reason.
      console.warn("instantiateStreaming failed, falling back to arrayBuffer:", err);
    }
  }
  let resp;
  try {
    resp = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch ${url}: ${messageOf(err)}`);
  }
  if (!resp.ok) throw new Error(`could not fetch ${url}: HTTP ${resp.status} ${resp.statusText} (run “make wasm”)`);
  const bytes = await resp.arrayBuffer();
  try {
    return await WebAssembly.instantiate(bytes, go.importObject);
  } catch (err) {
    throw new Error(`${url} is not a valid Go WebAssembly module: ${messageOf(err)}`);
  }
}

/**
 * @typedef {object} Runtime
 * @property {import("./api").GoflowAPI} goflow the API, also at globalThis.goflow
 * @property {Promise<number | null>} exited resolves with the exit code if the Go program ever exits
 * @property {number} instantiatedMs performance.now() when main.wasm was instantiated
 */

/**
 * load runs main.wasm and resolves once globalThis.goflow is ready; it
 * rejects with the reason when it cannot.
 * @returns {Promise<Runtime>}
 */
export async function load() {
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly support");
  // wasm_exec.js comes from a deferred <script> before the entry module, so
  // it loads while the page parses and has run by now.
  const Go = globalThis.Go;
  if (typeof Go !== "function") throw new Error("wasm_exec.js did not load (run “make wasm” to copy it next to index.html)");
  const go = new Go();
  /** @type {number | null} */
  let exitCode = null;
  const goExit = go.exit;
  go.exit = (code) => {
    exitCode = code;
    if (goExit) goExit.call(go, code);
  };
  const { instance } = await instantiate(go);
  const instantiatedMs = performance.now();
  let done = false;
  const exited = go.run(instance).then(() => {
    done = true;
    return exitCode;
  });
  if (!globalThis.goflow) {
    await within(10000, new Promise((resolve, reject) => {
      window.addEventListener("goflow:ready", resolve, { once: true });
      exited.then(() => reject(new Error(`the Go program exited${exitCode ? ` with code ${exitCode}` : ""} before it registered goflow`)));
    }), "goflow registration");
  }
  if (done) throw new Error("the Go program exited before it was ready");
  const goflow = globalThis.goflow;
  if (!goflow || !goflow.ready) throw new Error("main.wasm did not register goflow.ready");
  await within(10000, Promise.resolve(goflow.ready), "goflow.ready");
  return { goflow, exited, instantiatedMs };
}
