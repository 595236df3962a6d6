// @ts-check
// The narration: one paragraph that says, in the project's words, what the
// snapshot shows and why.

/** @typedef {import("./api").Snapshot} Snapshot */

/**
 * plural writes n with the right noun, as in "1 worker is" or "2 workers are".
 * @param {number} n
 * @param {string} one
 * @param {string} many
 */
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * narrate says what s shows.
 * @param {Snapshot} s
 * @param {string} phase
 * @returns {string}
 */
export function narrate(s, phase) {
  const ws = s.workers || [];
  const p = s.producer || /** @type {Partial<import("./api").Producer>} */ ({});
  const c = s.consumer || /** @type {Partial<import("./api").Consumer>} */ ({});
  let busy = 0;
  let blocked = 0;
  for (const w of ws) {
    if (!w) continue;
    if (w.state === "busy") busy++;
    else if (w.state === "blocked") blocked++;
  }
  switch (phase) {
    case "idle":
      return "Press Start: the pipeline starts its workers, which wait (idle) on the jobs channel. Then submit jobs: the producer sends them.";
    case "canceled":
      return "Canceled: the context is done. Workers take no new job; busy handlers’ contexts are canceled and their jobs count as canceled, with no result (a panic still counts as failed); results not yet taken are abandoned; each worker exits.";
    case "done":
      if (s.err && s.config && s.config.failFast && s.ended !== "cancel") {
        return "Done, stopped at the first failure (failFast): that job’s result was emitted, then the pipeline stopped as if cancelled. Jobs still running were canceled, the producer stopped sending, and p.Err() returns the failure’s error.";
      }
      return s.ended === "cancel"
        ? "Done, by cancel: every worker exited and the pipeline closed the results channel. Canceled jobs emitted no result, results not taken were abandoned, jobs never taken were dropped; nothing is left running."
        : "Done, by close: every job sent was handled and its result emitted, then the pipeline closed the results channel. Start again to run a new pipeline.";
  }
  const parts = [];
  if (p.blocked) {
    const jobs = s.jobs || /** @type {Partial<import("./api").Channel>} */ ({});
    parts.push(jobs.cap
      ? `The producer is blocked: the jobs channel is full (${jobs.len}/${jobs.cap}) and no worker is idle, so its send waits. That is backpressure.`
      : "The producer is blocked: the jobs channel is unbuffered and no worker is idle to take the job, so its send waits. That is backpressure.");
  }
  const turns = ws.filter((w) => w && w.state === "blocked" && w.turn).length;
  if (turns) {
    parts.push(`${plural(turns, "worker is", "workers are")} waiting for ${turns === 1 ? "its" : "their"} turn (ordered): each holds a result that is not due until the jobs taken before it are emitted.`);
  }
  if (blocked > turns) {
    parts.push(`${plural(blocked - turns, "worker is", "workers are")} blocked holding a result the consumer has not taken${c.paused ? " (the consumer is paused)" : ""}.`);
  } else if (c.paused) {
    parts.push("The consumer is paused; results wait for it.");
  }
  if (phase === "closing") {
    parts.push(p.closed
      ? "Close: the jobs channel is closed. Workers finish every job sent, then the last one closes the results channel."
      : "Close: the producer sends its backlog, then closes the jobs channel.");
  }
  if (!parts.length) {
    if (busy && busy === ws.length) parts.push(busy === 1 ? "The worker is busy running the handler." : `All ${busy} workers are busy running the handler.`);
    else if (busy) parts.push(`${plural(busy, "worker is", "workers are")} busy running the handler; the rest are idle, waiting for a job.`);
    else if (p.backlog) parts.push("The producer is sending its backlog.");
    else parts.push("All workers are idle, waiting on the jobs channel. Submit jobs to give them work.");
  }
  return parts.join(" ");
}
