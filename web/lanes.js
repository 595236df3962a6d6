// @ts-check
// Painting the timeline's lanes (timeline.js): the frame (lane names, the
// channels' bands, the time axis), then columns of lanes as they settle:
// runs of one state, job numbers where they fit, the channels' fill; and
// the text alternative. Pure: goflow.timeline()'s answers in, pixels and
// text out.

/** @typedef {import("./api").Timeline} Timeline */

export const LABEL_W = 72; // px: the lane names' column
export const BAND_H = 5; // px: each channel's fill band
export const AXIS_H = 14; // px: the time axis under the lanes

/** @type {Record<string, [string, string]>} state -> [fill, ink] CSS variables */
export const COLORS = {
  idle: ["--idle", "--idle-ink"], busy: ["--busy", "--busy-soft"], blocked: ["--blocked", "--blocked-soft"],
  exited: ["--border", "--exited-ink"], paused: ["--blocked-soft", "--blocked"], reading: ["--ok", "--token-result-ink"],
  "waiting for its turn": ["--blocked-soft", "--blocked"],
};

/** @param {number} ms */
export function formatMs(ms) {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/**
 * laneHeight is a lane's height in px: 16, or less for many lanes (at
 * least 3), so that 66 lanes fit in about 400 px.
 * @param {number} lanes
 */
export function laneHeight(lanes) {
  return lanes > 24 ? Math.max(3, Math.floor(400 / lanes)) : 16;
}

/**
 * lanesHeight is the height in px of the bands and the lanes (the cursor's).
 * @param {number} lanes
 */
export function lanesHeight(lanes) {
  return 2 * BAND_H + 4 + lanes * laneHeight(lanes);
}

/**
 * paintFrame clears g and draws what does not depend on the lanes' data:
 * the bands' background, the lane names and the axis from fromMs to toMs.
 * @param {CanvasRenderingContext2D} g
 * @param {readonly string[]} names the lanes, top to bottom
 * @param {Record<string, string>} colors by state, state + "-ink", text
 * @param {number} cssW
 * @param {number} dpr
 * @param {number} fromMs
 * @param {number} toMs
 */
export function paintFrame(g, names, colors, cssW, dpr, fromMs, toMs) {
  const lanes = names.length;
  const laneH = laneHeight(lanes);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cssW, lanesHeight(lanes) + AXIS_H);
  const pw = Math.max(1, cssW - LABEL_W);
  g.font = `${Math.min(11, Math.max(laneH - 2, 8))}px system-ui, sans-serif`;
  g.textBaseline = "middle";
  g.fillStyle = colors["idle"];
  g.fillRect(LABEL_W, 0, pw, BAND_H);
  g.fillRect(LABEL_W, BAND_H + 2, pw, BAND_H);
  g.fillStyle = colors.text;
  g.fillText("channels", 2, BAND_H + 1);
  const top = 2 * BAND_H + 4;
  if (laneH >= 9) {
    for (let l = 0; l < lanes; l++) g.fillText(names[l], 2, top + l * laneH + laneH / 2);
  } else { // thin lanes: the producer, "workers" halfway down theirs, the consumer
    g.fillText(names[0], 2, top + laneH / 2);
    g.fillText("workers", 2, top + (lanes / 2) * laneH);
    g.fillText(names[lanes - 1], 2, top + (lanes - 1) * laneH + laneH / 2);
  }
  const yAxis = top + lanes * laneH + AXIS_H / 2;
  g.fillText(formatMs(fromMs), LABEL_W, yAxis);
  const end = formatMs(toMs);
  g.fillText(end, LABEL_W + pw - g.measureText(end).width - 2, yAxis);
}

/**
 * paintColumns draws t (one bucket per column, 1 CSS px each) into g from
 * column col0 on: the channels' fill, the runs of one state, the job
 * numbers that fit. The columns are blank before (paintFrame).
 * @param {CanvasRenderingContext2D} g
 * @param {Timeline} t
 * @param {number} col0
 * @param {Record<string, string>} colors
 * @param {number} dpr
 */
export function paintColumns(g, t, col0, colors, dpr) {
  const lanes = t.lanes.length;
  const laneH = laneHeight(lanes);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  const x0 = LABEL_W + col0;
  // The channels' fill: one column per bucket, as tall as len/cap.
  for (const [row, ch] of [[0, t.jobs], [1, t.results]].map((r) => /** @type {[number, Timeline["jobs"]]} */ (r))) {
    if (ch.cap === 0) continue;
    const y0 = row * (BAND_H + 2);
    g.fillStyle = colors[row === 0 ? "busy" : "blocked"];
    for (let i = 0; i < ch.fill.length; i++) {
      if (ch.fill[i] === 0) continue;
      const h = Math.max(1, (BAND_H * Math.min(ch.fill[i], ch.cap)) / ch.cap);
      g.fillRect(x0 + i, y0 + BAND_H - h, 1, h);
    }
  }
  const top = 2 * BAND_H + 4;
  for (let l = 0; l < lanes; l++) {
    const y = top + l * laneH;
    const lane = t.lanes[l];
    // Runs of one state: one rectangle each.
    const row = lane.states;
    for (let i = 0; i < row.length;) {
      let k = i + 1;
      while (k < row.length && row.charCodeAt(k) === row.charCodeAt(i)) k++;
      const c = row.charCodeAt(i) - 48;
      if (c >= 0) {
        g.fillStyle = colors[t.states[c]] || "#888";
        g.fillRect(x0 + i, y + 1, k - i, laneH - 2);
      }
      i = k;
    }
    if (laneH >= 10) {
      for (let i = 0; i + 2 < lane.jobs.length; i += 3) {
        const label = String(lane.jobs[i]);
        const wBar = lane.jobs[i + 2] - lane.jobs[i + 1];
        if (wBar >= g.measureText(label).width + 4) {
          const c = row.charCodeAt(Math.min(row.length - 1, lane.jobs[i + 1] + 1)) - 48;
          g.fillStyle = colors[(t.states[c] || "busy") + "-ink"];
          g.fillText(label, x0 + lane.jobs[i + 1] + 2, y + laneH / 2);
        }
      }
    }
  }
}

/**
 * describeTimeline writes the text alternative (each lane's exact state at
 * the cursor) into summary, and the slider's values onto canvas.
 * @param {HTMLCanvasElement} canvas
 * @param {HTMLElement} summary
 * @param {{fromMs: number, toMs: number}} t the range on screen
 * @param {Timeline} c the cursor's call: each lane's state right after seq
 * @param {number} seq the moment on view
 */
export function describeTimeline(canvas, summary, t, c, seq) {
  const ms = typeof c.cursorMs === "number" ? c.cursorMs : c.lastMs;
  const parts = [];
  for (const lane of c.lanes) {
    if (lane.at) parts.push(`${lane.name} ${c.states[lane.at[0]]}${lane.at[1] ? " job-" + lane.at[1] : ""}`);
  }
  const text = `At ${formatMs(ms)} (event ${seq} of ${c.last}): ${parts.join(", ")}.`;
  if (summary.textContent !== text) summary.textContent = text;
  canvas.setAttribute("aria-valuemin", String(c.first));
  canvas.setAttribute("aria-valuemax", String(c.last));
  canvas.setAttribute("aria-valuenow", String(seq));
  canvas.setAttribute("aria-valuetext", `event ${seq} of ${c.last}, at ${formatMs(ms)}`);
  canvas.dataset.fromMs = String(t.fromMs);
  canvas.dataset.toMs = String(t.toMs);
}
