// @ts-check
// Ending the run under way before a <goflow-playground> (embed.js) starts
// another: resume it if paused, cancel it, and wait for its goroutines.

/** A phase in which the session's goroutines may still run. */
export const LIVE = new Set(["running", "closing", "canceled"]);

/**
 * endRun resumes inst's run if paused and cancels it unless canceled
 * already, then waits, at most 5 s, for it to end. It returns false when
 * mine() turns false meanwhile (the element let go of inst).
 * @param {import("./api").GoflowInstance} inst
 * @param {() => boolean} mine
 */
export async function endRun(inst, mine) {
  let s = inst.snapshot();
  if (s.paused) inst.resume();
  if (LIVE.has(s.phase) && s.ended !== "cancel") inst.cancel();
  for (let i = 0; i < 250 && LIVE.has(s.phase); i++) {
    await new Promise((r) => setTimeout(r, 20));
    if (!mine()) return false;
    s = inst.snapshot();
  }
  return true;
}
