// @ts-check
// The timeline panel: the timeline (timeline.js), the explanations
// (why.js) and a minimal view position of their own: viewing is null while
// the page follows the run (live), or the seq of the moment on view. A
// seek (a click, a drag or a key on the timeline) sets it and pauses the
// run (goflow.pause()); "Live" resumes the run and follows it again.
// (Issue 11's transport bar keeps the page's view position on another
// branch; at merge, viewing and seek are to be connected to it.)

import { find } from "./dom.js";
import { createTimeline } from "./timeline.js";
import { createWhy } from "./why.js";

/** @typedef {import("./client.js").Client} Client */
/** @typedef {import("./api").Snapshot} Snapshot */
/** @typedef {import("./api").PageStats} PageStats */

/**
 * createTimelinePanel wires the timeline panel under root to client.
 * @param {ParentNode} root
 * @param {Client} client
 * @param {PageStats & {timelineMs?: {avg: number, max: number, last: number, n: number, call: number}, seekMs?: {max: number, last: number, n: number}}} gp
 *   where the panel's costs are written for the browser tests
 */
export function createTimelinePanel(root, client, gp) {
  const H = HTMLElement;
  /** @type {number | null} */
  let viewing = null;
  let seeking = false; // a seek happened since the last frame
  let callMs = 0; // this frame's goflow.timeline() calls
  const live = find(root, "tl-live", HTMLButtonElement);
  const tl = createTimeline({
    canvas: find(root, "timeline", HTMLCanvasElement), summary: find(root, "timeline-summary", H),
    zoomIn: find(root, "tl-zoom-in", HTMLButtonElement), zoomOut: find(root, "tl-zoom-out", HTMLButtonElement),
    fit: find(root, "tl-fit", HTMLButtonElement),
  }, {
    timeline(fromMs, toMs, buckets, seq) {
      const c0 = performance.now();
      const r = client.call("timeline", fromMs, toMs, buckets, seq);
      callMs += performance.now() - c0;
      if (!r.ok) client.showError(r.error);
      return r.ok ? r.value : null;
    },
  }, seek);
  const why = createWhy({
    stage: find(root, "stage", H), workers: find(root, "workers", H), text: find(root, "why-text", H),
    line: find(root, "why-line", H), code: find(root, "code", H),
  }, {
    why(seq, part) {
      const r = client.call("why", seq, part);
      return r.ok ? r.value : null;
    },
  });
  // timelineMs: the panel's drawing per frame; seekMs: a whole frame
  // (snapshotAt, the diagram, the panel) right after a seek; seek: for
  // the browser tests, as a click on the timeline.
  gp.timelineMs = { avg: 0, max: 0, last: 0, n: 0, call: 0 };
  gp.seekMs = { max: 0, last: 0, n: 0 };
  /** @type {any} */ (gp).seek = seek;

  /**
   * seek shows the moment after event seq, and pauses the run.
   * @param {number} seq
   */
  function seek(seq) {
    if (viewing === null) client.call("pause");
    viewing = seq;
    seeking = true;
    setLive(false);
  }

  /** @param {boolean} on */
  function setLive(on) {
    live.setAttribute("aria-pressed", String(on));
  }

  // A new run (Start, a scenario) follows the run from its start, unpaused.
  /** @type {Node} */ (root).addEventListener("click", (e) => {
    const t = e.target instanceof Element ? e.target.closest("#btn-start, #btn-run-scenario, [data-scenario]") : null;
    if (t && viewing !== null) {
      client.call("resume");
      reset();
    }
  }, true);

  live.addEventListener("click", () => {
    if (viewing !== null) client.call("resume");
    viewing = null;
    setLive(true);
  });

  /**
   * draw draws the panel for the snapshot drawn this frame.
   * @param {Snapshot} s the snapshot at the moment on view
   * @param {boolean} following the page follows the run: s is at the head
   * @param {number} frameStart performance.now() when the frame began
   */
  function draw(s, following, frameStart) {
    const seq = /** @type {{seq?: number}} */ (s).seq || 0;
    let head = seq;
    if (!following) { // the head of the recording, which API calls may still move
      const h = client.call("history");
      head = h.ok && h.value ? h.value.last : seq;
    }
    const t0 = performance.now();
    callMs = 0;
    tl.draw(seq, head, following);
    why.update(seq, following);
    const t1 = performance.now();
    const st = /** @type {NonNullable<typeof gp.timelineMs>} */ (gp.timelineMs);
    st.last = t1 - t0;
    st.call = callMs;
    st.n++;
    st.avg += (st.last - st.avg) / st.n;
    if (st.last > st.max) st.max = st.last;
    if (seeking) { // the cost of a seek: the first frame at the new moment, snapshotAt included
      const sk = /** @type {NonNullable<typeof gp.seekMs>} */ (gp.seekMs);
      sk.last = t1 - frameStart;
      sk.n++;
      if (sk.last > sk.max) sk.max = sk.last;
      seeking = false;
    }
  }

  /** reset forgets the view position and zoom (a new run, a loaded recording). */
  function reset() {
    viewing = null;
    setLive(true);
    tl.reset();
  }

  return { viewing: () => viewing, seek, draw, reset, picked: why.picked };
}
