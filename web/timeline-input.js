// @ts-check
// The timeline's input (timeline.js draws it): a click or a drag on the
// canvas seeks to the moment under the pointer; with the canvas focused
// (a slider), the arrows move the moment by one event (Shift: 10), PageUp
// and PageDown by 100, Home goes to the first event and End back to live;
// + - 0 [ ] and the buttons zoom and pan, as do Ctrl+wheel and
// Shift+wheel (a plain wheel scrolls the page).

import { LABEL_W } from "./lanes.js";

/** @typedef {import("./api").Timeline} Timeline */
/** @typedef {{fromMs: number, toMs: number}} Range */

/**
 * @typedef {object} TimelineControl what the input reads and moves
 * @property {(clientX: number) => number} seqAtX the event under the pointer, 0 for none
 * @property {() => number} moment the moment on view
 * @property {() => Timeline | null} head the last cursor call: the recording's bounds
 * @property {() => Range | null} zoom the range zoomed to, null for all
 * @property {(z: Range | null) => void} setZoom
 * @property {(d: boolean) => void} setDragging
 * @property {(seq: number) => void} seek
 * @property {() => void} live
 */

/**
 * wireTimelineInput connects the canvas, the keys and the zoom buttons to tl.
 * @param {{canvas: HTMLCanvasElement, zoomIn: HTMLButtonElement, zoomOut: HTMLButtonElement, fit: HTMLButtonElement}} els
 * @param {TimelineControl} tl
 */
export function wireTimelineInput(els, tl) {
  const { canvas } = els;
  let dragging = false;

  /** @param {PointerEvent} e */
  function pointerSeek(e) {
    const seq = tl.seqAtX(e.clientX);
    if (seq > 0 && seq !== tl.moment()) tl.seek(seq);
  }

  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    dragging = true;
    tl.setDragging(true);
    if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    canvas.focus();
    pointerSeek(e);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (dragging) pointerSeek(e);
  });
  const stop = () => {
    dragging = false;
    tl.setDragging(false);
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  /** @returns {Range | null} the range on screen when not zoomed: the run */
  function whole() {
    const h = tl.head();
    return h ? { fromMs: h.firstMs, toMs: Math.max(h.firstMs + 1, h.lastMs) } : null;
  }

  /**
   * zoomBy scales the range by f around the time at fraction frac (0..1).
   * @param {number} f below 1 zooms in
   * @param {number} frac
   */
  function zoomBy(f, frac) {
    const all = whole();
    if (!all) return;
    const r = tl.zoom() || all;
    const len = Math.max(1, (r.toMs - r.fromMs) * f);
    if (len >= all.toMs - all.fromMs) {
      tl.setZoom(null);
      return;
    }
    const mid = r.fromMs + (r.toMs - r.fromMs) * frac;
    const from = Math.max(all.fromMs, Math.min(mid - len * frac, all.toMs - len));
    tl.setZoom({ fromMs: from, toMs: from + len });
  }

  /** @param {number} frac pans by this fraction of the range */
  function pan(frac) {
    const all = whole();
    const z = tl.zoom();
    if (!all || !z) return;
    const len = z.toMs - z.fromMs;
    const from = Math.max(all.fromMs, Math.min(z.fromMs + len * frac, all.toMs - len));
    tl.setZoom({ fromMs: from, toMs: from + len });
  }

  /** the cursor's fraction of the range, to zoom around it */
  function cursorAt() {
    const h = tl.head();
    const r = tl.zoom() || whole();
    if (!h || !r || typeof h.cursorMs !== "number") return 0.5;
    return Math.max(0, Math.min(1, (h.cursorMs - r.fromMs) / (r.toMs - r.fromMs)));
  }

  canvas.addEventListener("wheel", (e) => {
    if (!(e.ctrlKey || e.metaKey || e.shiftKey)) return;
    e.preventDefault();
    if (e.shiftKey) {
      pan((e.deltaY || e.deltaX) > 0 ? 0.1 : -0.1);
      return;
    }
    const r = canvas.getBoundingClientRect();
    const frac = Math.max(0, Math.min(1, (e.clientX - r.left - LABEL_W) / Math.max(1, r.width - LABEL_W)));
    zoomBy(e.deltaY > 0 ? 1.25 : 0.8, frac);
  }, { passive: false });

  canvas.addEventListener("keydown", (e) => {
    const h = tl.head();
    if (!h || e.altKey || e.ctrlKey || e.metaKey) return;
    const at = tl.moment();
    const step = e.shiftKey ? 10 : 1;
    /** @type {number | null} */
    let to = null;
    switch (e.key) {
      case "ArrowLeft": case "ArrowDown": to = at - step; break;
      case "ArrowRight": case "ArrowUp": to = at + step; break;
      case "PageUp": to = at - 100; break;
      case "PageDown": to = at + 100; break;
      case "Home": to = h.first; break;
      case "End": tl.live(); break;
      case "+": case "=": zoomBy(0.5, cursorAt()); break;
      case "-": zoomBy(2, cursorAt()); break;
      case "0": tl.setZoom(null); break;
      case "[": pan(-0.25); break;
      case "]": pan(0.25); break;
      default: return;
    }
    e.preventDefault();
    if (to !== null) {
      to = Math.max(h.first, Math.min(h.last, to));
      if (to !== at) tl.seek(to);
    }
  });
  els.zoomIn.addEventListener("click", () => zoomBy(0.5, cursorAt()));
  els.zoomOut.addEventListener("click", () => zoomBy(2, cursorAt()));
  els.fit.addEventListener("click", () => tl.setZoom(null));
}
