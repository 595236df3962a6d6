// @ts-check
// The control bar of <goflow-playground> (embed.js), drawn from a snapshot:
// which buttons may be pressed in each phase, and the two toggles.

import { setText } from "./dom.js";

/**
 * drawButtons enables the buttons that mean something in s's phase and
 * labels the pause toggles. ui holds the buttons by id.
 * @param {Record<string, HTMLElement>} ui
 * @param {import("./api").Snapshot & {paused: boolean}} s
 */
export function drawButtons(ui, s) {
  const running = s.phase === "running";
  const live = running || s.phase === "closing";
  /** @param {string} id @param {boolean} on */
  const enable = (id, on) => { /** @type {HTMLButtonElement} */ (ui[id]).disabled = !on; };
  enable("btn-submit", running);
  enable("btn-close", running);
  enable("btn-cancel", live);
  enable("btn-pause", live || s.phase === "canceled");
  enable("btn-consumer", live);
  setText(ui["btn-pause"], s.paused ? "Resume" : "Pause");
  ui["btn-pause"].setAttribute("aria-pressed", String(!!s.paused));
  ui["btn-consumer"].setAttribute("aria-pressed", String(s.consumer.paused));
}
