// @ts-check
// The view: everything drawn from a snapshot (the phase, the diagram and its
// tokens, the counters, the plot, the log, the narration), under one root.
// Drawing reads the snapshot and never changes it, nor any shared state.

import { find, setText } from "./dom.js";
import { createDiagram } from "./diagram.js";
import { createPace, createTokens } from "./tokens.js";
import { createCounters } from "./counters.js";
import { createPlot } from "./plot.js";
import { createLog } from "./log.js";
import { narrate } from "./narration.js";
import { drawErr } from "./runerr.js";

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").Snapshot} Snapshot */

/**
 * createView returns the view drawn in the elements under root.
 * @param {ParentNode} root
 * @param {MediaQueryList} reducedMotion prefers-reduced-motion: tokens jump
 */
export function createView(root, reducedMotion) {
  const H = HTMLElement;
  const diagram = createDiagram(root);
  const tokens = createTokens(find(root, "tokens", H), diagram.stage);
  const pace = createPace(diagram.stage);
  const counters = createCounters(root);
  const plotCanvas = find(root, "throughput", HTMLCanvasElement);
  const plot = createPlot(plotCanvas, find(root, "tp-now", H), find(root, "tp-peak", H));
  const log = createLog(find(root, "log", H));
  const phaseEl = find(root, "phase", H);
  const narration = find(root, "narration", H);
  const runErr = find(root, "run-err", H);

  /**
   * draw draws s. Before the first Start (no workers, phase idle) the
   * diagram previews the config preview: its workers and buffers, empty.
   * @param {Snapshot} s
   * @param {number} now the frame's time, by performance.now()
   * @param {{phaseChanged: boolean, preview: Config}} opts
   */
  function draw(s, now, { phaseChanged, preview }) {
    const phase = s.phase || "idle";
    if (phaseChanged) {
      setText(phaseEl, phase);
      phaseEl.dataset.phase = phase;
    }
    const ws = s.workers || [];
    const ghost = ws.length === 0 && phase === "idle";
    const nWorkers = ghost ? preview.workers : ws.length;
    const jobsCap = (ghost ? preview.jobBuffer : s.jobs && s.jobs.cap) || 0;
    const resultsCap = (ghost ? preview.resultBuffer : s.results && s.results.cap) || 0;
    diagram.ensureShape(nWorkers, jobsCap, resultsCap, ghost);
    if (diagram.measure()) tokens.remeasured();
    diagram.draw(s, phase, { ghost, jobsCap, resultsCap });
    tokens.place(s, diagram.spots, now, !reducedMotion.matches && !pace.lite());
    counters.drawCounters(s, now, phaseChanged);
    counters.drawGauges(s, { busy: nWorkers, queued: jobsCap, pending: resultsCap });
    counters.drawGoroutines(s, phase);
    plot.sample(s, now);
    log.draw(s.log, now);
    setText(narration, narrate(s, phase));
    drawErr(runErr, s);
  }

  /**
   * drawPreview draws config's workers and buffers, before Go is ready.
   * @param {Config} config
   */
  function drawPreview(config) {
    diagram.ensureShape(config.workers, config.jobBuffer, config.resultBuffer, true);
    diagram.drawWorkers([], true);
  }

  /**
   * watchPace takes each frame's time stamp: slow frames with many tokens
   * make tokens jump rather than glide.
   * @param {number} now
   */
  function watchPace(now) {
    pace.watch(now, tokens.count());
  }

  /** motion is how tokens move: "full", "lite" or "reduced". */
  function motion() {
    return reducedMotion.matches ? "reduced" : pace.lite() ? "lite" : "full";
  }

  /** observeLayout measures again when the layout, the fonts or the color scheme change. */
  function observeLayout() {
    if (typeof ResizeObserver === "function") {
      const ro = new ResizeObserver(() => diagram.invalidate());
      for (const el of diagram.observed()) ro.observe(el);
      new ResizeObserver((entries) => {
        const box = entries[entries.length - 1].contentRect;
        plot.resize(box.width, box.height);
      }).observe(plotCanvas);
    }
    window.addEventListener("resize", () => diagram.invalidate());
    const dark = matchMedia("(prefers-color-scheme: dark)");
    if (dark.addEventListener) dark.addEventListener("change", () => plot.recolor());
    const doc = plotCanvas.ownerDocument;
    if (doc.fonts && doc.fonts.ready) doc.fonts.ready.then(() => diagram.invalidate());
  }

  return { draw, drawPreview, watchPace, motion, observeLayout, recolor: plot.recolor };
}
