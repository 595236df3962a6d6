// @ts-check
// The goflow client: every goflow.* call goes through call, which never
// throws, or action, which also shows the outcome in the error box. The API
// it calls is the one the loader returns (attach); its types are in
// api.d.ts.

import { setText } from "./dom.js";
import { messageOf } from "./goflow.js";

/** @typedef {import("./api").GoflowAPI} GoflowAPI */
/** @typedef {import("./api").GoflowFunction} GoflowFunction */
/** @typedef {import("./store.js").Store} Store */

/**
 * @template T
 * @typedef {{ok: true, value: T} | {ok: false, error: string}} Outcome
 */

export { messageOf };

/**
 * createClient returns call and action for the goflow API (once attached),
 * and showError for the error box.
 * @param {Store} store read for dead (no calls once the Go program exited) and inputError
 * @param {HTMLElement} errorBox where action and showError write
 */
export function createClient(store, errorBox) {
  /** @type {GoflowAPI | null} the API once loaded */
  let api = null;

  /**
   * attach gives the client the loaded API.
   * @param {GoflowAPI} loaded
   */
  function attach(loaded) {
    api = loaded;
  }

  /**
   * call runs goflow[name](...args) and never throws.
   * @template {GoflowFunction} N
   * @param {N} name
   * @param {Parameters<GoflowAPI[N]>} args
   * @returns {Outcome<ReturnType<GoflowAPI[N]>>}
   */
  function call(name, ...args) {
    if (store.dead) return { ok: false, error: `${name}: the Go program has exited; reload the page` };
    if (!api) return { ok: false, error: `${name}: the Go program is not loaded yet` };
    try {
      const fn = /** @type {(...a: unknown[]) => ReturnType<GoflowAPI[N]>} */ (api[name]);
      return { ok: true, value: fn(...args) };
    } catch (err) {
      return { ok: false, error: messageOf(err) };
    }
  }

  /**
   * showError writes msg (or nothing) to the error box.
   * @param {string} msg
   */
  function showError(msg) {
    setText(errorBox, msg || "");
  }

  /**
   * action is call for things the user asked for: a failure shows in the
   * error box, a success clears the last action's error (leaving the form's).
   * @template {GoflowFunction} N
   * @param {N} name
   * @param {Parameters<GoflowAPI[N]>} args
   * @returns {Outcome<ReturnType<GoflowAPI[N]>>}
   */
  function action(name, ...args) {
    const r = call(name, ...args);
    showError(r.ok ? store.inputError : r.error);
    return r;
  }

  return { attach, call, action, showError };
}

/** @typedef {ReturnType<typeof createClient>} Client */
