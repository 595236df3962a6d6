// @ts-check
// The page's elements, found once under a root (the document, or later a
// shadow root), and the two cheap writes every drawing module uses.

import { CONFIG_KEYS } from "./store.js";

/** @typedef {import("./api").ConfigKey} ConfigKey */

/**
 * setText sets el's text when it differs from what this function last set,
 * without reading the DOM.
 * @param {HTMLElement} el
 * @param {string} text
 */
export function setText(el, text) {
  const e = /** @type {HTMLElement & {_text?: string}} */ (el);
  if (e._text !== text) {
    e._text = text;
    e.textContent = text;
  }
}

/**
 * setData sets el.dataset[key] when it differs.
 * @param {HTMLElement} el
 * @param {string} key
 * @param {string} value
 */
export function setData(el, key, value) {
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

/**
 * find returns the element under root with the given id, of the given type.
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} id
 * @param {{new (): T, prototype: T}} type
 * @returns {T}
 */
export function find(root, id, type) {
  const el = root.querySelector("#" + id);
  if (!(el instanceof type)) throw new Error(`goflow: the page has no ${type.name} #${id}`);
  return el;
}

/**
 * cssColors returns each custom property of names as el sees it, resolved
 * to a colour a canvas takes: a property may hold light-dark(...) (a
 * <goflow-playground>'s theme) or var(...) (the host's --goflow-*), which a
 * canvas cannot take, so each is set as a hidden probe's color and read
 * back computed. An unset property reads as el's text colour.
 * @param {Element} el
 * @param {readonly string[]} names
 * @returns {Record<string, string>}
 */
export function cssColors(el, names) {
  const probe = el.ownerDocument.createElement("span");
  probe.hidden = true;
  (el.parentNode || el).appendChild(probe);
  /** @type {Record<string, string>} */
  const out = {};
  for (const name of names) {
    probe.style.color = `var(${name})`; // element.style from JS passes a strict CSP
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}

/**
 * @template {string} K
 * @template V
 * @param {readonly K[]} keys
 * @param {(key: K) => V} fn
 * @returns {Record<K, V>}
 */
function byKey(keys, fn) {
  return /** @type {Record<K, V>} */ (Object.fromEntries(keys.map((k) => [k, fn(k)])));
}

/**
 * findElements returns the elements of the controls, the form, the code
 * panel and the status line, found under root. (Each drawing module finds
 * its own.)
 * @param {ParentNode} root
 */
export function findElements(root) {
  const H = HTMLElement;
  /** @param {string} id */
  const $ = (id) => find(root, id, H);
  /** @param {string} id */
  const button = (id) => find(root, id, HTMLButtonElement);
  return {
    app: $("app"), status: $("status"), loadError: $("load-error"), error: $("error"), narration: $("narration"),
    form: find(root, "config", HTMLFormElement), configNote: $("config-note"),
    inputs: byKey(CONFIG_KEYS, (k) => find(root, "cfg-" + k, HTMLInputElement)),
    speed: find(root, "speed", HTMLInputElement), speedOut: $("speed-out"),
    btn: {
      start: button("btn-start"), submit1: button("btn-submit1"), submit10: button("btn-submit10"), burst: button("btn-burst"),
      close: button("btn-close"), cancel: button("btn-cancel"), pause: button("btn-pause"),
    },
    scenarioButtons: [...root.querySelectorAll("button[data-scenario]")].filter((b) => b instanceof HTMLButtonElement),
    scenarioText: $("scenario-text"), runScenario: button("btn-run-scenario"),
    code: $("code"), copy: button("btn-copy"), copyStatus: $("copy-status"), fullLink: find(root, "full-link", HTMLAnchorElement),
  };
}

/** @typedef {ReturnType<typeof findElements>} Elements */
/** @typedef {keyof Elements["btn"]} ButtonName */
