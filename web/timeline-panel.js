// @ts-check
// The timeline panel: the timeline (timeline.js) and the explanations
// (why.js) below the diagram. It keeps no view position of its own: the
// moment on view is the transport bar's store.cursor (null = live, the
// head of the recording), so the bar, the diagram and the timeline always
// draw the same moment. A click, a drag or a key on the timeline seeks
// through the bar (transport.view: the run pauses, as with the scrubber);
// End on the timeline, like the bar's Live, returns to live.

import { find } from "./dom.js";
import { createTimeline } from "./timeline.js";
import { createWhy } from "./why.js";

/** @typedef {import("./client.js").Client} Client */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./transport.js").Transport} Transport */
/** @typedef {import("./api").Snapshot} Snapshot */

/**
 * @typedef {object} PanelStats what the browser tests read (goflowPage.timeline)
 * @property {number[]} seekMs each seek's cost: the handler plus the next frame's drawing, snapshotAt included
 * @property {number[]} drawMs the panel's own drawing in each frame (the last 1000)
 * @property {number} calls goflow.timeline() calls so far
 * @property {number} callMs their time
 * @property {() => {settled: number, cols: number, kind: string}} cached the columns cached
 */

/** @typedef {ReturnType<typeof createTimelinePanel>} TimelinePanel */

/**
 * createTimelinePanel wires the timeline panel under root.
 * @param {ParentNode} root
 * @param {Store} store read for cursor and snap
 * @param {Client} client
 * @param {Transport} transport the bar that owns the moment on view
 */
export function createTimelinePanel(root, store, client, transport) {
  const H = HTMLElement;
  /** @type {number | null} performance.now() when a seek began; its frame is still to come */
  let seekStart = null;
  let seekHandlerMs = 0;
  let ended = false; // the run had ended when last drawn live
  let run = ""; // the run drawn (its seed and workers): another one resets the lanes
  const tl = createTimeline({
    canvas: find(root, "timeline", HTMLCanvasElement), summary: find(root, "timeline-summary", H),
    zoomIn: find(root, "tl-zoom-in", HTMLButtonElement), zoomOut: find(root, "tl-zoom-out", HTMLButtonElement),
    fit: find(root, "tl-fit", HTMLButtonElement),
  }, {
    timeline(fromMs, toMs, buckets, seq) {
      const c0 = performance.now();
      const r = client.call("timeline", fromMs, toMs, buckets, seq);
      stats.calls++;
      stats.callMs += performance.now() - c0;
      return r.ok ? r.value : null;
    },
  }, { seek, live: transport.goLive });
  const why = createWhy({
    stage: find(root, "stage", H), workers: find(root, "workers", H), text: find(root, "why-text", H),
    line: find(root, "why-line", H), code: find(root, "code", H),
  }, {
    why(seq, part) {
      const r = client.call("why", seq, part);
      return r.ok ? r.value : null;
    },
  });
  /** @type {PanelStats} */
  const stats = { seekMs: [], drawMs: [], calls: 0, callMs: 0, cached: tl.cached };

  /**
   * seek shows the moment after event seq, as the transport's scrubber
   * does (the run pauses).
   * @param {number} seq
   */
  function seek(seq) {
    const t0 = performance.now();
    transport.view(seq);
    seekHandlerMs = performance.now() - t0;
    seekStart = t0;
  }

  /**
   * draw draws the panel at the moment the frame drew (s); call it after
   * the diagram, in the same frame.
   * @param {Snapshot} s the snapshot drawn: at store.cursor, or live
   * @param {number} frameStart performance.now() when the frame began
   */
  function draw(s, frameStart) {
    const following = store.cursor === null;
    const seq = following ? s.seq : store.cursor || 0;
    const t0 = performance.now();
    const h = transport.bounds();
    if (following) ended = s.phase === "done" || s.phase === "canceled";
    const r = s.config ? `${s.config.seed}:${s.config.workers}` : "";
    if (r !== run) {
      run = r;
      tl.reset();
    }
    tl.draw(seq, h ? h.last : 0, following, ended);
    why.update(seq, following && !s.paused); // playing: renewals are not read out
    stats.drawMs.push(performance.now() - t0);
    if (stats.drawMs.length > 1000) stats.drawMs.shift();
    if (seekStart !== null && frameStart >= seekStart) { // the first frame at the moment sought
      stats.seekMs.push(seekHandlerMs + performance.now() - frameStart);
      if (stats.seekMs.length > 1000) stats.seekMs.shift();
      seekStart = null;
    }
  }

  // A new run (Start, a scenario) draws its lanes from scratch.
  /** @type {Node} */ (root).addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest("#btn-start, #btn-run-scenario, [data-scenario]")) tl.reset();
  }, true);

  /** reset forgets the lanes drawn and the zoom (a loaded recording). */
  function reset() {
    tl.reset();
  }

  return { draw, reset, seek, stats, recolor: tl.recolor };
}
