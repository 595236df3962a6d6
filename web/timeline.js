// @ts-check
// The timeline: one lane per goroutine (producer, each worker, consumer)
// over simulated time, coloured by state, with job numbers on bars that
// have room, the channels' fill as two thin bands on top and a cursor at
// the moment on view (the transport bar's: timeline-panel.js passes it).
// It draws goflow.timeline() (lanes derived in Go from the recording, one
// bucket per pixel column) and never changes the model: a click, a drag or
// a key reports the moment to show through onSeek(seq).
//
// It refreshes incrementally. The x scale is fixed while the run grows
// (twice the run so far; it doubles when the run reaches the right edge,
// and fits the run exactly once it has ended), so a column, once the
// recording's head is past its end, can no longer change: it is painted
// once into an offscreen canvas and never fetched again. A refresh asks Go
// only for the new columns (fromMs..toMs of the tail) and for each lane's
// state at the cursor (one bucket), then copies the offscreen canvas and
// draws the cursor. While live it refreshes at most every LIVE_EVERY ms;
// the other frames leave the canvas as it is. A seek costs the cursor's
// call and a copy. Zoom and pan: the buttons, Ctrl+wheel, Shift+wheel,
// and the keys + - 0 [ ] (a new scale: one fetch of its columns). A text
// alternative lists each lane's state at the cursor.

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

/**
 * @typedef {object} Scale the offscreen canvas's x scale
 * @property {number} fromMs the time at the plot's left edge
 * @property {number} w ms per column (one CSS px)
 * @property {number} cols the plot's columns
 * @property {number} first the recording's first kept event when made
 * @property {string} kind "zoom", "grow" (the run goes on) or "fit" (it has ended)
 * @property {number} dpr the devicePixelRatio it was painted at
 */

import { AXIS_H, COLORS, LABEL_W, describeTimeline, lanesHeight, paintColumns, paintFrame } from "./lanes.js";
import { wireTimelineInput } from "./timeline-input.js";
import { cssColors } from "./dom.js";

/** How often (ms) a live run's growing recording is drawn again. */
export const LIVE_EVERY = 150;

/**
 * createTimeline returns the timeline drawn in els from source.
 * @param {TimelineElements} els
 * @param {TimelineSource} source
 * @param {{seek: (seq: number) => void, live: () => void}} on the user picked a moment, or live
 */
export function createTimeline(els, source, on) {
  const { canvas } = els;
  const ctx = canvas.getContext("2d");
  /** @type {{fromMs: number, toMs: number} | null} null: the whole recording */
  let zoom = null;
  /** @type {Scale | null} */
  let scale = null;
  let settled = 0; // the columns painted into lanes (the head is past their end)
  /** @type {number[]} the last event at or before each settled column's end */
  let seqs = [];
  /** @type {Timeline | null} the cursor's call: each lane's state at seqOnView, the head */
  let at = null;
  let seqOnView = 0;
  let drawn = ""; // what the canvas shows: seq|last|scale, to skip the same
  let refreshedAt = -Infinity;
  let dragging = false;
  let lastEnded = false; // draw's ended, for a redraw between frames
  /** @type {Record<string, string>} */
  let colors = {};

  function readColors() {
    // Resolved (cssColors): under a <goflow-playground> they hold light-dark() or var().
    const c = cssColors(canvas, [...new Set([...Object.values(COLORS).flat(), "--accent"])]);
    colors = {};
    for (const [state, [fill, ink]] of Object.entries(COLORS)) {
      colors[state] = c[fill] || "#888";
      colors[state + "-ink"] = c[ink] || "#000";
    }
    colors.text = getComputedStyle(canvas).color || "#000";
    colors.cursor = c["--accent"] || "#c00";
    scale = null; // repaint in the new colours
    drawn = "";
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

  /** @returns {number} the plot's columns (CSS px) */
  function plotCols() {
    return Math.max(1, Math.min(4096, Math.floor(cssWidth - LABEL_W)));
  }

  /** @type {HTMLCanvasElement} the settled columns, painted once each */
  const lanes = canvas.ownerDocument.createElement("canvas");

  /**
   * draw draws the timeline with the cursor at seq (the moment on view).
   * @param {number} seq
   * @param {number} last the head of the recording (goflow.history().last)
   * @param {boolean} following the view follows the head (live)
   * @param {boolean} ended the run has ended: the recording will not grow
   */
  function draw(seq, last, following, ended) {
    seqOnView = seq;
    lastEnded = ended;
    if (!ctx || cssWidth <= LABEL_W || last === 0 || seq === 0) return;
    const now = performance.now();
    const layout = `${plotCols()}|${window.devicePixelRatio || 1}|${ended}|${zoom ? zoom.fromMs + ":" + zoom.toMs : ""}|`;
    const key = `${layout}${seq}|${last}`;
    if (key === drawn) return;
    // While live, the lanes, the cursor and the text follow at most every LIVE_EVERY ms.
    if (following && !ended && drawn.startsWith(layout) && now - refreshedAt < LIVE_EVERY) return;
    const c = source.timeline(0, 1, 1, seq);
    if (!c) return;
    if (at && (c.first !== at.first || c.last < at.last || c.firstMs !== at.firstMs)) scale = null; // another recording
    at = c;
    refreshedAt = now;
    rescale(c, ended);
    catchUp(c);
    paintCursor(typeof c.cursorMs === "number" ? c.cursorMs : c.lastMs);
    describeTimeline(canvas, els.summary, range(), c, seq);
    canvas.dataset.seq = String(seq);
    drawn = key;
  }

  /**
   * rescale makes a new scale (and blank lanes) when the zoom, the width or
   * the recording changed, when the run reached the right edge, or when it
   * ended (fit it exactly), never during a drag.
   * @param {Timeline} c
   * @param {boolean} ended
   */
  function rescale(c, ended) {
    const cols = plotCols();
    const runMs = Math.max(1, c.lastMs - c.firstMs);
    const dpr = window.devicePixelRatio || 1; // a new one (zoom, another screen) repaints
    if (scale && scale.cols === cols && scale.first === c.first && scale.dpr === dpr) {
      if (zoom) {
        if (scale.kind === "zoom" && scale.fromMs === zoom.fromMs && scale.w === (zoom.toMs - zoom.fromMs) / cols) return;
      } else if (c.lastMs <= scale.fromMs + scale.w * cols + 1e-6 &&
        (dragging || scale.kind === (ended ? "fit" : "grow"))) {
        return;
      }
    }
    const kind = zoom ? "zoom" : ended ? "fit" : "grow";
    const fromMs = zoom ? zoom.fromMs : c.firstMs;
    const spanMs = zoom ? zoom.toMs - zoom.fromMs : ended ? runMs : Math.max(1000, 2 * runMs);
    scale = { fromMs, w: spanMs / cols, cols, first: c.first, kind, dpr };
    settled = 0;
    seqs = [];
    const cssH = lanesHeight(c.lanes.length) + AXIS_H;
    for (const cv of [canvas, lanes]) {
      if (cv.height !== Math.round(cssH * dpr) || cv.width !== Math.round(cssWidth * dpr)) {
        cv.width = Math.round(cssWidth * dpr);
        cv.height = Math.round(cssH * dpr);
      }
    }
    if (canvas.style.height !== cssH + "px") canvas.style.height = cssH + "px";
    const g = lanes.getContext("2d");
    if (g) paintFrame(g, c.lanes.map((l) => l.name), colors, cssWidth, dpr, fromMs, fromMs + spanMs);
  }

  /**
   * catchUp fetches and paints the columns that settled since the last
   * refresh: those whose end the recording's head has passed.
   * @param {Timeline} c the head
   */
  function catchUp(c) {
    if (!scale) return;
    const { fromMs, w, cols } = scale;
    const done = Math.max(0, Math.min(cols, Math.floor((c.lastMs - fromMs) / w + 1e-6)));
    if (done <= settled) return;
    const t = source.timeline(fromMs + settled * w, fromMs + done * w, done - settled, 0);
    if (!t) return;
    const g = lanes.getContext("2d");
    if (g) paintColumns(g, t, settled, colors, window.devicePixelRatio || 1);
    for (const s of t.seqs) seqs.push(s);
    settled = done;
  }

  /**
   * paintCursor copies the lanes and draws the cursor at ms.
   * @param {number} ms
   */
  function paintCursor(ms) {
    if (!ctx || !scale) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(lanes, 0, 0);
    const x = LABEL_W + (ms - scale.fromMs) / scale.w;
    if (x < LABEL_W - 1 || x > LABEL_W + scale.cols + 1) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.cursor;
    ctx.fillRect(Math.min(x, LABEL_W + scale.cols - 2) - 1, 0, 2, lanesHeight(at ? at.lanes.length : 0));
  }

  /**
   * seqAtX is the event to show for a pointer at clientX: the last one at
   * or before the end of its column (the head past the settled columns).
   * @param {number} clientX
   */
  function seqAtX(clientX) {
    if (!scale || !at) return 0;
    const col = Math.floor(clientX - canvas.getBoundingClientRect().left - LABEL_W);
    if (col >= settled) return at.last;
    return seqs[Math.max(0, col)] || at.first;
  }

  /** @returns {{fromMs: number, toMs: number}} the range on screen */
  function range() {
    if (scale) return { fromMs: scale.fromMs, toMs: scale.fromMs + scale.w * scale.cols };
    return { fromMs: 0, toMs: 1 };
  }

  /** redraw draws the moment on view again, now (after a zoom or a pan). */
  function redraw() {
    drawn = "";
    if (at) draw(seqOnView, at.last, false, lastEnded);
  }

  wireTimelineInput(els, {
    seqAtX,
    moment: () => seqOnView,
    head: () => at,
    zoom: () => zoom,
    setZoom(z) { zoom = z; redraw(); },
    setDragging(d) { dragging = d; },
    seek(seq) { seqOnView = seq; on.seek(seq); }, // the next key moves on from seq, even before the frame is drawn
    live: on.live,
  });

  /** reset forgets the zoom and the lanes drawn (a new run, a loaded recording). */
  function reset() {
    zoom = null;
    scale = null;
    at = null;
    drawn = "";
    settled = 0;
    seqs = [];
  }

  /** cached tells the browser tests what is cached: the columns settled of the scale's. */
  function cached() {
    return { settled, cols: scale ? scale.cols : 0, kind: scale ? scale.kind : "" };
  }

  return { draw, reset, cached, recolor: readColors };
}
