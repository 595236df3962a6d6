// @ts-check
// Living in an iframe: when framed, the page tells its parent its height so
// that the parent can size the frame; only to a known origin (the origin
// parameter, else the referrer's), else not at all.

import { originFromParam } from "./url.js";

/**
 * parentOrigin is the origin the page may post to, or "".
 * @param {URLSearchParams} query
 */
function parentOrigin(query) {
  if (query.has("origin")) return originFromParam(query);
  if (!document.referrer) return "";
  try {
    const o = new URL(document.referrer).origin;
    return o && o !== "null" ? o : "";
  } catch {
    return "";
  }
}

/**
 * postHeight posts app's height to the framing parent whenever it changes,
 * and on the parent's request.
 * @param {HTMLElement} app the element whose height is the page's
 * @param {URLSearchParams} query the page's address parameters
 */
export function postHeight(app, query) {
  let framed = false;
  try {
    framed = window.parent !== window;
  } catch {
    framed = true;
  }
  const target = parentOrigin(query);
  if (!framed || !target || typeof ResizeObserver !== "function") return;
  // Where the browser tells us who framed us, post only if that is the target.
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length && ancestors[0] !== target) return;
  let last = -1;
  /** @param {boolean} force */
  const post = (force) => {
    const height = Math.ceil(app.getBoundingClientRect().height);
    if (height === last && !force) return;
    last = height;
    try {
      window.parent.postMessage({ type: "goflow:resize", height }, target);
    } catch (err) {
      console.warn("goflow: resize message not sent:", err);
    }
  };
  new ResizeObserver(() => post(false)).observe(app);
  window.addEventListener("message", (e) => {
    if (e.origin !== target || e.source !== window.parent) return; // not our parent: ignore
    if (e.data && e.data.type === "goflow:resize-request") post(true);
  });
}
