// @ts-check
// Painting the timeline's lanes (timeline.js): the channels' fill bands,
// one row per lane in runs of one state, job numbers where they fit, and
// the time axis; and its text alternative. Pure: goflow.timeline()'s
// answer in, pixels and text out.

/** @typedef {import("./api").Timeline} Timeline */

export const LABEL_W = 72; // px: the lane names' column
export const BAND_H = 5; // px: each channel's fill band
export const AXIS_H = 14; // px: the time axis under the lanes

/** @type {Record<string, [string, string]>} state -> [fill, ink] CSS variables */
export const COLORS = {
  idle: ["--idle", "--idle-ink"], busy: ["--busy", "--busy-soft"], blocked: ["--blocked", "--blocked-soft"],
  exited: ["--border", "--exited-ink"], paused: ["--blocked-soft", "--blocked"], reading: ["--busy-soft", "--busy"],
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
 * paintTimeline draws t into g, cssW px wide.
 * @param {CanvasRenderingContext2D} g
 * @param {Timeline} t
 * @param {Record<string, string>} colors by state, state + "-ink", text
 * @param {number} cssW
 * @param {number} dpr
 */
export function paintTimeline(g, t, colors, cssW, dpr) {
  const lanes = t.lanes.length;
  const laneH = laneHeight(lanes);
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cssW, lanesHeight(lanes) + AXIS_H);
  const pw = Math.max(1, cssW - LABEL_W);
  const bw = pw / t.buckets;
  g.font = `${Math.min(11, Math.max(laneH - 2, 8))}px system-ui, sans-serif`;
  g.textBaseline = "middle";
  // The channels' fill: one column per bucket, as tall as len/cap.
  for (const [row, ch] of [[0, t.jobs], [1, t.results]].map((r) => /** @type {[number, Timeline["jobs"]]} */ (r))) {
    const y0 = row * (BAND_H + 2);
    g.fillStyle = colors["idle"];
    g.fillRect(LABEL_W, y0, pw, BAND_H);
    if (ch.cap > 0) {
      g.fillStyle = colors[row === 0 ? "busy" : "blocked"];
      for (let i = 0; i < ch.fill.length; i++) {
        if (ch.fill[i] === 0) continue;
        const h = Math.max(1, (BAND_H * ch.fill[i]) / ch.cap);
        g.fillRect(LABEL_W + i * bw, y0 + BAND_H - h, Math.max(bw, 1), h);
      }
    }
  }
  g.fillStyle = colors.text;
  g.fillText("channels", 2, BAND_H + 1);
  const top = 2 * BAND_H + 4;
  for (let l = 0; l < lanes; l++) {
    const y = top + l * laneH;
    const lane = t.lanes[l];
    if (laneH >= 9 || l === 0 || l === lanes - 1 || l === 1) {
      g.fillStyle = colors.text;
      g.fillText(laneH >= 9 || l !== 1 ? lane.name : "workers", 2, y + laneH / 2);
    }
    // Runs of one state: one rectangle each.
    const row = lane.states;
    for (let i = 0; i < row.length;) {
      let k = i + 1;
      while (k < row.length && row.charCodeAt(k) === row.charCodeAt(i)) k++;
      const c = row.charCodeAt(i) - 48;
      if (c >= 0) {
        g.fillStyle = colors[t.states[c]] || "#888";
        g.fillRect(LABEL_W + i * bw, y + 1, (k - i) * bw, laneH - 2);
      }
      i = k;
    }
    if (laneH >= 10) {
      for (let i = 0; i + 2 < lane.jobs.length; i += 3) {
        const label = String(lane.jobs[i]);
        const x0 = LABEL_W + lane.jobs[i + 1] * bw;
        const wBar = (lane.jobs[i + 2] - lane.jobs[i + 1]) * bw;
        if (wBar >= g.measureText(label).width + 4) {
          const c = row.charCodeAt(Math.min(row.length - 1, lane.jobs[i + 1] + 1)) - 48;
          g.fillStyle = colors[(t.states[c] || "busy") + "-ink"];
          g.fillText(label, x0 + 2, y + laneH / 2);
        }
      }
    }
  }
  // The axis: its two ends.
  const yAxis = top + lanes * laneH + AXIS_H / 2;
  g.fillStyle = colors.text;
  g.fillText(formatMs(t.fromMs), LABEL_W, yAxis);
  const end = formatMs(t.toMs);
  g.fillText(end, LABEL_W + pw - g.measureText(end).width - 2, yAxis);
}

/**
 * describeTimeline writes the text alternative (each lane's exact state at
 * the cursor) into summary, and the slider's values onto canvas.
 * @param {HTMLCanvasElement} canvas
 * @param {HTMLElement} summary
 * @param {Timeline} t the lanes on screen
 * @param {Timeline} c the cursor's call: each lane's state right after seq
 * @param {number} seq the moment on view
 */
export function describeTimeline(canvas, summary, t, c, seq) {
  const ms = typeof c.cursorMs === "number" ? c.cursorMs : t.lastMs;
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
