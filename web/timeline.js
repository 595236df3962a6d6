// @ts-check
// The timeline: one lane per goroutine (producer, each worker, consumer)
// over simulated time, coloured by state, with job numbers on bars that
// have room, the channels' fill as two thin bands on top and a cursor at
// the moment on view. It draws goflow.timeline() (lanes derived in Go from
// the recording, aggregated to one bucket per pixel column) and never
// changes the model: a click, a drag or a key reports the moment to show
// through onSeek(seq). Zoom and pan: the buttons, Ctrl+wheel, Shift+wheel,
// and the keys + - 0 [ ]. A text alternative lists each lane's state at the
// cursor.

/** @typedef {import("./api").Timeline} Timeline */

/**
 * @typedef {object} TimelineSource
 * @property {(fromMs: number, toMs: number, buckets: number, seq: number) => Timeline | null} timeline
 */

/**
 * @typedef {object} TimelineElements
 * @property {HTMLCanvasElement} canvas focusable; role slider
 * @property {HTMLElement} summary the text alternative: each lane at the cursor
 * @property {HTMLButtonElement} zoomIn
 * @property {HTMLButtonElement} zoomOut
 * @property {HTMLButtonElement} fit
 */

import { AXIS_H, COLORS, LABEL_W, describeTimeline, lanesHeight, paintTimeline } from "./lanes.js";

/** How often (ms) a live run's growing recording is drawn again. */
const LIVE_EVERY = 150;

/**
 * createTimeline returns the timeline drawn in els from source.
 * @param {TimelineElements} els
 * @param {TimelineSource} source
 * @param {(seq: number) => void} onSeek reports the moment the user picked
 */
export function createTimeline(els, source, onSeek) {
  const { canvas } = els;
  const ctx = canvas.getContext("2d");
  /** @type {{fromMs: number, toMs: number} | null} null: the whole recording */
  let zoom = null;
  /** @type {Timeline | null} */
  let data = null;
  let seqOnView = 0;
  let key = ""; // what the last drawing showed, to skip redrawing the same
  let dragging = false;
  /** @type {Record<string, string>} */
  let colors = {};

  function readColors() {
    const cs = getComputedStyle(canvas);
    colors = {};
    for (const [state, [fill, ink]] of Object.entries(COLORS)) {
      colors[state] = cs.getPropertyValue(fill).trim() || "#888";
      colors[state + "-ink"] = cs.getPropertyValue(ink).trim() || "#000";
    }
    colors.text = cs.color || "#000";
    colors.cursor = cs.getPropertyValue("--accent").trim() || "#c00";
    key = "";
  }
  readColors();
  const dark = matchMedia("(prefers-color-scheme: dark)");
  if (dark.addEventListener) dark.addEventListener("change", readColors);

  // The canvas's width in CSS px, kept by a ResizeObserver: reading
  // clientWidth on every frame would force a layout of the whole page
  // right after the diagram changed it.
  let cssWidth = canvas.clientWidth;
  if (typeof ResizeObserver === "function") {
    new ResizeObserver((entries) => {
      cssWidth = Math.round(entries[entries.length - 1].contentRect.width);
    }).observe(canvas);
  }

  /** @returns {number} the plot's width in CSS px */
  function plotWidth() {
    return Math.max(1, cssWidth - LABEL_W);
  }

  /** @type {HTMLCanvasElement} the lanes, drawn once per fetch */
  const lanesCanvas = canvas.ownerDocument.createElement("canvas");
  let dataKey = ""; // head|width|range of data
  let fetchedAt = 0; // performance.now() of the last fetch
  let at = /** @type {Timeline | null} the cursor's call: each lane's state at seqOnView */ (null);

  /**
   * draw draws the timeline with the cursor at seq (the moment on view).
   * The lanes are fetched again only when the range, the recording or the
   * width changed (while live, at most every LIVE_EVERY ms); a moved cursor
   * costs one small goflow.timeline call (one bucket at the head, for each
   * lane's exact state at seq) and a copy of the drawn lanes.
   * @param {number} seq
   * @param {number} lastSeq the head of the recording
   * @param {boolean} following the view follows the head
   */
  function draw(seq, lastSeq, following) {
    seqOnView = seq;
    const w = cssWidth;
    if (!ctx || w === 0 || lastSeq === 0) return;
    const now = performance.now();
    const nextData = `${lastSeq}|${w}|${zoom ? zoom.fromMs + ":" + zoom.toMs : "all"}`;
    const sameShape = dataKey.slice(dataKey.indexOf("|")) === nextData.slice(nextData.indexOf("|"));
    if (nextData !== dataKey && (!data || !following || !sameShape || now - fetchedAt >= LIVE_EVERY)) {
      // Not zoomed: all of the recording (Go cuts the range to it).
      const r = zoom || { fromMs: 0, toMs: 1e12 };
      const t = source.timeline(r.fromMs, r.toMs, Math.max(1, Math.min(4096, Math.floor(plotWidth()))), 0);
      if (!t) return;
      data = t;
      dataKey = nextData;
      fetchedAt = now;
      paintLanes(t);
      key = "";
    }
    if (!data) return;
    const nextKey = `${seq}|${dataKey}`;
    // While live, the cursor and the text follow the lanes' refresh (LIVE_EVERY).
    if (nextKey === key || (following && key !== "" && now - fetchedAt < LIVE_EVERY && key.endsWith("|" + dataKey))) return;
    key = nextKey;
    at = source.timeline(data.lastMs, data.lastMs + 1, 1, seq);
    paintCursor(data, at && typeof at.cursorMs === "number" ? at.cursorMs : data.lastMs);
    if (at) describeTimeline(canvas, els.summary, data, at, seqOnView);
  }

  /**
   * paintLanes draws t's lanes, bands and axis into lanesCanvas, both
   * canvases sized for them.
   * @param {Timeline} t
   */
  function paintLanes(t) {
    const cssH = lanesHeight(t.lanes.length) + AXIS_H;
    const dpr = window.devicePixelRatio || 1;
    for (const c of [canvas, lanesCanvas]) {
      if (c.height !== Math.round(cssH * dpr) || c.width !== Math.round(cssWidth * dpr)) {
        c.width = Math.round(cssWidth * dpr);
        c.height = Math.round(cssH * dpr);
      }
    }
    if (canvas.style.height !== cssH + "px") canvas.style.height = cssH + "px";
    const g = lanesCanvas.getContext("2d");
    if (g) paintTimeline(g, t, colors, cssWidth, dpr);
  }

  /**
   * paintCursor copies the lanes and draws the cursor at ms.
   * @param {Timeline} t
   * @param {number} ms
   */
  function paintCursor(t, ms) {
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(lanesCanvas, 0, 0);
    if (ms < t.fromMs || ms > t.toMs) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const pw = plotWidth();
    const x = LABEL_W + ((ms - t.fromMs) * pw) / (t.toMs - t.fromMs);
    ctx.fillStyle = colors.cursor;
    ctx.fillRect(Math.min(x, LABEL_W + pw - 2) - 1, 0, 2, lanesHeight(t.lanes.length));
  }

  /**
   * seqAtX is the event to show for a pointer at clientX.
   * @param {number} clientX
   */
  function seqAtX(clientX) {
    if (!data) return 0;
    const r = canvas.getBoundingClientRect();
    const px = clientX - r.left - LABEL_W;
    const i = Math.max(0, Math.min(data.seqs.length - 1, Math.floor((px / plotWidth()) * data.buckets)));
    return data.seqs[i];
  }

  /** @param {PointerEvent} e */
  function pointerSeek(e) {
    const seq = seqAtX(e.clientX);
    if (seq > 0 && seq !== seqOnView) {
      seqOnView = seq;
      onSeek(seq);
    }
  }

  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    dragging = true;
    if (canvas.setPointerCapture) canvas.setPointerCapture(e.pointerId);
    canvas.focus();
    pointerSeek(e);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (dragging) pointerSeek(e);
  });
  const stop = () => (dragging = false);
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  /** @returns {{fromMs: number, toMs: number}} the range on screen */
  function range() {
    if (zoom) return zoom;
    if (data) return { fromMs: data.firstMs, toMs: Math.max(data.firstMs + 1, data.lastMs) };
    return { fromMs: 0, toMs: 1 };
  }

  /**
   * zoomBy scales the range by f around the time at fraction at (0..1).
   * @param {number} f below 1 zooms in
   * @param {number} at
   */
  function zoomBy(f, at) {
    if (!data) return;
    const r = range();
    const len = Math.max(1, (r.toMs - r.fromMs) * f);
    const full = Math.max(1, data.lastMs - data.firstMs);
    if (len >= full) {
      zoom = null;
    } else {
      const mid = r.fromMs + (r.toMs - r.fromMs) * at;
      const from = Math.max(data.firstMs, Math.min(mid - len * at, data.lastMs - len));
      zoom = { fromMs: from, toMs: from + len };
    }
    key = "";
    draw(seqOnView, data.last, false);
  }

  /** @param {number} frac pans by this fraction of the range */
  function pan(frac) {
    if (!data || !zoom) return;
    const len = zoom.toMs - zoom.fromMs;
    const from = Math.max(data.firstMs, Math.min(zoom.fromMs + len * frac, data.lastMs - len));
    zoom = { fromMs: from, toMs: from + len };
    key = "";
    draw(seqOnView, data.last, false);
  }

  canvas.addEventListener("wheel", (e) => {
    if (!(e.ctrlKey || e.metaKey || e.shiftKey)) return; // plain wheel scrolls the page
    e.preventDefault();
    if (e.shiftKey) {
      pan((e.deltaY || e.deltaX) > 0 ? 0.1 : -0.1);
      return;
    }
    const r = canvas.getBoundingClientRect();
    const at = Math.max(0, Math.min(1, (e.clientX - r.left - LABEL_W) / plotWidth()));
    zoomBy(e.deltaY > 0 ? 1.25 : 0.8, at);
  }, { passive: false });

  /** the cursor's fraction of the range, to zoom around it */
  function cursorAt() {
    if (!data || !at || typeof at.cursorMs !== "number") return 0.5;
    return Math.max(0, Math.min(1, (at.cursorMs - data.fromMs) / (data.toMs - data.fromMs)));
  }

  canvas.addEventListener("keydown", (e) => {
    if (!data) return;
    const step = e.shiftKey ? 10 : 1;
    /** @type {number | null} */
    let to = null;
    switch (e.key) {
      case "ArrowLeft": case "ArrowDown": to = seqOnView - step; break;
      case "ArrowRight": case "ArrowUp": to = seqOnView + step; break;
      case "PageUp": to = seqOnView - 100; break;
      case "PageDown": to = seqOnView + 100; break;
      case "Home": to = data.first; break;
      case "End": to = data.last; break;
      case "+": case "=": zoomBy(0.5, cursorAt()); break;
      case "-": zoomBy(2, cursorAt()); break;
      case "0": zoom = null; key = ""; draw(seqOnView, data.last, false); break;
      case "[": pan(-0.25); break;
      case "]": pan(0.25); break;
      default: return;
    }
    e.preventDefault();
    if (to !== null) {
      to = Math.max(data.first, Math.min(data.last, to));
      if (to !== seqOnView) {
        seqOnView = to; // the next key moves on from here, even before the frame is drawn
        onSeek(to);
      }
    }
  });
  els.zoomIn.addEventListener("click", () => zoomBy(0.5, cursorAt()));
  els.zoomOut.addEventListener("click", () => zoomBy(2, cursorAt()));
  els.fit.addEventListener("click", () => {
    zoom = null;
    key = "";
    if (data) draw(seqOnView, data.last, false);
  });

  /** reset forgets the zoom and the last drawing (a new run). */
  function reset() {
    zoom = null;
    data = null;
    key = "";
    dataKey = "";
  }

  return { draw, reset, data: () => data };
}
