// @ts-check
// The throughput plot: results emitted per second, sampled once a second,
// over the last minute, drawn on a canvas.

import { cssColors, setText } from "./dom.js";

/** @typedef {import("./api").Snapshot} Snapshot */

const PLOT_STEP_MS = 1000;  // one throughput sample per step
const PLOT_SPAN_MS = 60000; // the plot shows this much history

/**
 * formatRate writes a rate with as many digits as it needs.
 * @param {number} r
 */
function formatRate(r) {
  return r >= 100 ? String(Math.round(r)) : r >= 10 ? r.toFixed(1) : r.toFixed(2).replace(/\.?0+$/, "") || "0";
}

/** @param {number} v */
function niceMax(v) {
  if (v <= 1) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * e) return m * e;
  return 10 * e;
}

/**
 * plotColors returns the plot's colours as el sees them, resolved (cssColors).
 * @param {Element} el
 */
function plotColors(el) {
  const c = cssColors(el, ["--busy", "--busy-soft", "--border", "--muted"]);
  return { line: c["--busy"], fill: c["--busy-soft"], grid: c["--border"], text: c["--muted"] };
}

/**
 * createPlot returns the plot drawn on cv, with the current and peak rates
 * written in nowEl and peakEl.
 * @param {HTMLCanvasElement} cv
 * @param {HTMLElement} nowEl
 * @param {HTMLElement} peakEl
 */
export function createPlot(cv, nowEl, peakEl) {
  /** @type {{samples: {t: number, rate: number}[], lastAt: number, lastEmitted: number, peak: number, colors: ReturnType<typeof plotColors> | null, label: string, font: number, width: number, height: number}} */
  const plot = { samples: [], lastAt: -Infinity, lastEmitted: 0, peak: 0, colors: null, label: "", font: -1, width: 0, height: 0 };

  /**
   * sample takes one sample a second from s's emitted counter.
   * @param {Snapshot} s
   * @param {number} now
   */
  function sample(s, now) {
    const emitted = (s.counters && s.counters.emitted) || 0;
    if (plot.lastAt === -Infinity) {
      plot.lastAt = now;
      plot.lastEmitted = emitted;
      draw();
      return;
    }
    const dt = now - plot.lastAt;
    if (dt < PLOT_STEP_MS) return;
    // A new pipeline restarts the counters: count from zero again.
    const delta = emitted >= plot.lastEmitted ? emitted - plot.lastEmitted : emitted;
    const rate = (delta * 1000) / dt;
    plot.lastAt = now;
    plot.lastEmitted = emitted;
    plot.samples.push({ t: now, rate });
    while (plot.samples.length && plot.samples[0].t < now - PLOT_SPAN_MS) plot.samples.shift();
    plot.peak = plot.samples.reduce((m, x) => Math.max(m, x.rate), 0);
    setText(nowEl, formatRate(rate));
    setText(peakEl, formatRate(plot.peak));
    draw(now);
  }

  /**
   * resize sets the plot's size in CSS pixels (from a ResizeObserver:
   * reading clientWidth while drawing would force a layout mid-frame) and
   * redraws it.
   * @param {number} width
   * @param {number} height
   */
  function resize(width, height) {
    plot.width = Math.round(width);
    plot.height = Math.round(height);
    draw();
  }

  /** recolor reads the colors again (the color scheme or the theme changed) and redraws. */
  function recolor() {
    plot.colors = null;
    draw();
  }

  /** @param {number} [now] */
  function draw(now = performance.now()) {
    const dpr = window.devicePixelRatio || 1;
    const w = plot.width || 300;
    const h = plot.height || 120;
    if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
      cv.width = Math.round(w * dpr);
      cv.height = Math.round(h * dpr);
    }
    if (!plot.colors) plot.colors = plotColors(cv); // the canvas inherits the colours, in a shadow root too
    const col = plot.colors;
    const ctx = cv.getContext("2d");
    if (!ctx) return;
    if (plot.font !== cv.width * 65536 + cv.height) {
      // Setting the font can make the browser resolve styles, so do it only
      // when the canvas was resized (which resets the context's state).
      plot.font = cv.width * 65536 + cv.height;
      ctx.font = "10px system-ui, sans-serif";
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const left = 34;
    const top = 6;
    const bottom = h - 16;
    const right = w - 4;
    const ymax = niceMax(plot.peak);
    ctx.fillStyle = col.text;
    ctx.strokeStyle = col.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const f of [0, 0.5, 1]) {
      const y = Math.round(bottom - f * (bottom - top)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(right, y);
      ctx.stroke();
      ctx.fillText(formatRate(f * ymax), left - 4, y);
    }
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillText("−60 s", left, h - 3);
    ctx.textAlign = "right";
    ctx.fillText("now", right, h - 3);
    /** @param {number} t */
    const xs = (t) => right - ((now - t) / PLOT_SPAN_MS) * (right - left);
    /** @param {number} r */
    const ys = (r) => bottom - (r / ymax) * (bottom - top);
    const pts = plot.samples;
    if (pts.length > 1) {
      ctx.beginPath();
      ctx.moveTo(xs(pts[0].t), bottom);
      for (const p of pts) ctx.lineTo(xs(p.t), ys(p.rate));
      ctx.lineTo(xs(pts[pts.length - 1].t), bottom);
      ctx.closePath();
      ctx.fillStyle = col.fill;
      ctx.fill();
      ctx.beginPath();
      pts.forEach((p, i) => (i ? ctx.lineTo(xs(p.t), ys(p.rate)) : ctx.moveTo(xs(p.t), ys(p.rate))));
      ctx.strokeStyle = col.line;
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    const last = pts.length ? pts[pts.length - 1].rate : 0;
    const label = pts.some((p) => p.rate > 0)
      ? `Throughput plot: ${formatRate(last)} results/s now, peak ${formatRate(plot.peak)} in the last 60 s`
      : "Throughput plot: no results in the last 60 s";
    if (label !== plot.label) {
      plot.label = label;
      cv.setAttribute("aria-label", label);
    }
  }

  return { sample, resize, recolor };
}
