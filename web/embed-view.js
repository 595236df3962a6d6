// @ts-check
// The view of one <goflow-playground> (embed.js), under its shadow root:
// the page's drawing modules (view.js), the transport bar (transport.js),
// the control buttons and, once the timeline attribute first shows it,
// issue 12's timeline panel (timeline-panel.js: the lanes, their cursor,
// click and drag to seek, the explanations), all on the element's own
// store, client and instance. The timeline's modules are fetched only
// then, all at once (the attribute is off by default: a page without it
// does not download them). One frame draws them all at the moment on
// view (store.cursor: null = live).

import { find, setText } from "./dom.js";
import { createView } from "./view.js";
import { createClient } from "./client.js";
import { createTransport } from "./transport.js";
import { drawButtons } from "./embed-controls.js";
import { AXIS_H, lanesHeight } from "./lanes.js";
import { messageOf } from "./goflow.js";

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").GoflowInstance} GoflowInstance */
/** @typedef {import("./api").Snapshot} Snapshot */
/** @typedef {import("./store.js").Store} Store */

/** Jobs Submit sends, and a run with no scenario. */
export const DEFAULT_SUBMIT = 10;

/**
 * loadTimeline fetches the timeline panel's modules, all at once (no
 * round trip per level of imports), once for every element of the page.
 * @returns {Promise<typeof import("./timeline-panel.js")>}
 */
function loadTimeline() {
  return Promise.all([import("./timeline-panel.js"), import("./timeline.js"), import("./timeline-input.js"),
    import("./why.js"), import("./where.js")]).then(([panel]) => panel);
}

/** The ids the element reads, besides the view's and the bar's. */
const IDS = ["status", "narration", "attr-errors", "error", "full-link", "btn-run", "btn-submit", "btn-close", "btn-cancel", "btn-consumer"];

/**
 * @typedef {object} FrameStats what the browser tests read (element.frameStats)
 * @property {number[]} drawMs each frame's drawing, the timeline's included (the last 1000)
 * @property {import("./timeline-panel.js").PanelStats | null} timeline the timeline panel's, once shown
 */

/**
 * createElementView wires the element's view under root to store (the
 * transport bar's state) and the buttons to on.
 * @param {ShadowRoot} root
 * @param {Store} store
 * @param {{run: () => void, full: (e: Event) => void}} on Run, and the full link's click
 */
export function createElementView(root, store, on) {
  /** @type {Record<string, HTMLElement>} */
  const ui = {};
  for (const id of IDS) ui[id] = find(root, id, HTMLElement);
  ui.gf = /** @type {HTMLElement} */ (root.querySelector(".gf"));
  const view = createView(root, matchMedia("(prefers-reduced-motion: reduce)"));
  view.observeLayout();
  const client = createClient(store, ui.error);
  const transport = createTransport(root, store, client, { keys: root, start: "btn-run" });
  transport.wire();
  const lanesCanvas = find(root, "timeline", HTMLCanvasElement);
  /** @type {import("./timeline-panel.js").TimelinePanel | null} made when the timeline is first shown */
  let panel = null;
  let fetching = false; // the timeline's modules are on their way
  let timelineOn = false;
  let phase = "";
  /** @type {FrameStats} */
  const stats = { drawMs: [], timeline: null };

  ui["btn-run"].addEventListener("click", on.run);
  ui["full-link"].addEventListener("click", on.full);
  ui["btn-submit"].addEventListener("click", () => client.action("submit", DEFAULT_SUBMIT));
  ui["btn-close"].addEventListener("click", () => client.action("close"));
  ui["btn-cancel"].addEventListener("click", () => client.action("cancel"));
  ui["btn-consumer"].addEventListener("click", () => {
    const r = client.call("snapshot");
    client.action("pauseConsumer", !(r.ok && r.value.consumer.paused));
  });

  /**
   * showTimeline shows or hides the timeline panel (the first time, makes
   * it: the diagram's parts become focusable then, to be explained).
   * @param {boolean} on
   */
  function showTimeline(on) {
    timelineOn = on;
    if (!on || panel || fetching) return;
    fetching = true;
    loadTimeline().then((m) => {
      panel = m.createTimelinePanel(root, store, client, transport);
      stats.timeline = panel.stats;
    }, (err) => {
      fetching = false; // the next time the attribute shows it tries again
      setText(ui.error, `The timeline could not load: ${messageOf(err)}`);
    });
  }

  /** recolor reads the canvases' colours again (the theme, the custom properties or the stylesheets changed). */
  function recolor() {
    view.recolor();
    if (panel) panel.recolor();
  }

  /** newRun forgets the lanes drawn and the zoom: the next run draws its own. */
  function newRun() {
    if (panel) panel.reset();
  }

  /**
   * draw draws one frame of inst at the moment on view, and returns the
   * live snapshot (the buttons follow it), or null when it could not draw
   * (the error shown).
   * @param {GoflowInstance} inst
   * @param {number} now the frame's time, by performance.now()
   * @param {Config} preview the config drawn before the first Start
   * @returns {Snapshot | null}
   */
  function draw(inst, now, preview) {
    const t0 = performance.now();
    let s, live;
    try {
      const r = transport.read(); // the moment on view: live, or a past one
      if (!r.ok) throw new Error(r.error);
      s = store.snap = r.value;
      live = store.cursor === null ? s : inst.snapshot();
      const p = s.phase || "idle";
      const phaseChanged = p !== phase;
      phase = p;
      view.watchPace(now);
      view.draw(s, now, { phaseChanged, preview });
    } catch (err) {
      setText(ui.error, `render: ${messageOf(err)}`);
      return null;
    }
    transport.draw(s);
    if (panel && timelineOn) panel.draw(s, now);
    drawButtons(ui, live);
    stats.drawMs.push(performance.now() - t0);
    if (stats.drawMs.length > 1000) stats.drawMs.shift();
    return live;
  }

  /**
   * drawPreview draws the diagram at rest for config, and gives the lanes
   * the height they will have (its workers, the producer and the consumer),
   * so that nothing below moves when they are first drawn.
   * @param {Config} config
   */
  function drawPreview(config) {
    view.drawPreview(config);
    lanesCanvas.style.height = `${lanesHeight(config.workers + 2) + AXIS_H}px`; // element.style from JS passes a strict CSP
  }

  return { ui, client, transport, showTimeline, recolor, newRun, draw, stats, drawPreview };
}
