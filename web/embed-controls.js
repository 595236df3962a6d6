// @ts-check
// The control bar of <goflow-playground> (embed.js), drawn from a snapshot:
// which buttons may be pressed in each phase, and the consumer's toggle.

/**
 * drawButtons enables the buttons that mean something in s's phase (the
 * live one's: they act on the live run) and marks the consumer's pause
 * toggle; the transport bar (transport.js) has the run's. ui holds the
 * buttons by id.
 * @param {Record<string, HTMLElement>} ui
 * @param {import("./api").Snapshot} s
 */
export function drawButtons(ui, s) {
  const running = s.phase === "running";
  const live = running || s.phase === "closing";
  /** @param {string} id @param {boolean} on */
  const enable = (id, on) => { /** @type {HTMLButtonElement} */ (ui[id]).disabled = !on; };
  enable("btn-submit", running);
  enable("btn-close", running);
  enable("btn-cancel", live);
  enable("btn-consumer", live);
  ui["btn-consumer"].setAttribute("aria-pressed", String(s.consumer.paused));
}
