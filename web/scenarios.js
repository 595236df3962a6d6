// @ts-check
// The guided scenarios, one per promise. Each sets the whole config (keys not
// named take the defaults) and, when run, starts and submits `submit` jobs.

/**
 * @typedef {object} Scenario
 * @property {string} label the button's and the run button's name
 * @property {Partial<import("./api").Config>} config
 * @property {number} submit jobs submitted when run
 * @property {string} [hint] the id of a button to highlight once it runs
 * @property {string} text what to watch
 */

/** @type {Readonly<Record<string, Scenario>>} */
export const SCENARIOS = Object.freeze({
  backpressure: {
    label: "Backpressure",
    config: { workers: 2, jobBuffer: 0, resultBuffer: 0, workMs: 1500 },
    submit: 100,
    text: "Two workers, an unbuffered jobs channel and slow jobs; “Run scenario” submits a burst of 100. " +
      "Watch the producer turn blocked with a backlog while both workers are busy: its send waits until a worker is idle. " +
      "That wait is backpressure: the pipeline holds no more jobs than it has workers and buffer slots; the rest stay in the producer’s backlog.",
  },
  buffer: {
    label: "Buffer",
    config: { workers: 2, jobBuffer: 8, resultBuffer: 0, workMs: 1500 },
    submit: 10,
    text: "The same two slow workers, now with a jobs channel buffer of 8; “Run scenario” submits 10. " +
      "The buffer absorbs the burst: the producer sends all ten without blocking and the jobs wait in the channel’s slots (queued). " +
      "A buffer smooths bursts but adds no workers; submit more and, once it is full, the producer blocks again.",
  },
  "slow-consumer": {
    label: "Slow consumer",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 2, workMs: 300, consumerDelayMs: 1500 },
    submit: 30,
    text: "Fast workers, but the consumer spends 1.5 s on each result. " +
      "Watch the results channel fill, then workers turn blocked, each holding a result the consumer has not taken, then the jobs channel fills and the producer blocks. " +
      "A slow consumer slows the whole pipeline, all the way back to the producer; try “Pause consumer” to stop it completely.",
  },
  cancel: {
    label: "Cancel",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 4000, jitterMs: 2000 },
    submit: 20,
    hint: "btn-cancel",
    text: "Long jobs in flight: “Run scenario” starts and submits 20, then press Cancel (highlighted) while workers are busy. " +
      "The busy handlers’ contexts are canceled, so they return at once and their jobs count as canceled (a canceled job emits no result); results not yet taken are abandoned, every worker exits, and the goroutine count returns to its baseline: no leaks. " +
      "Compare Close, which lets every job sent finish.",
  },
  timeouts: {
    label: "Timeouts",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 800, jitterMs: 800, timeoutMs: 1000 },
    submit: 30,
    text: "Each job gets Job.Timeout = 1000 ms, but the work takes 800 to 1600 ms. " +
      "A job that overruns counts as failed, not canceled: its result carries a *pipeline.TimeoutError (it matches context.DeadlineExceeded), and its worker moves on to the next job. " +
      "Watch failed grow beside succeeded: a deadline bounds how long one slow job can hold a worker.",
  },
  failures: {
    label: "Failures",
    config: { workers: 4, jobBuffer: 4, resultBuffer: 0, workMs: 400, jitterMs: 200, failRate: 0.2, panicRate: 0.1 },
    submit: 40,
    text: "One job in ten panics, and one in five of the others returns an error. " +
      "A panic in a handler is recovered and becomes that job’s failed result (it matches pipeline.ErrPanic, with the stack), even during cancel; the worker goes on and nothing is retried. " +
      "Watch failed grow while every worker keeps working.",
  },
  // Seed 624 makes job-1 take 2.75 s and jobs 2 to 5 at most 0.9 s, so the
  // line is held the same way every time (wasm/playground/options_test.go).
  ordered: {
    label: "Ordered",
    config: { workers: 3, workMs: 400, jitterMs: 2400, seed: 624, ordered: true },
    submit: 12,
    text: "Options.Ordered: results come out in the order the workers took the jobs. " +
      "Job-1 is slow (2.75 s); jobs 2 and 3 finish long before it, but their workers cannot emit yet: each holds its result, blocked, “waiting for its turn”. " +
      "One slow job holds the line (head-of-line blocking); once job-1 is emitted the others follow in order. No result waits anywhere but in a worker’s hand, so memory stays bounded by the pool.",
  },
  // Seed 7 makes job-2 the first to fail, at 0.67 s, while job-1 and job-3 still run.
  "fail-fast": {
    label: "Fail fast",
    config: { workers: 3, workMs: 600, jitterMs: 600, failRate: 0.3, seed: 7, failFast: true },
    submit: 20,
    text: "Options.FailFast: the first job that fails (error, panic or timeout) has its result emitted, then the pipeline stops as if cancelled. " +
      "Job-2 fails first: the jobs still running are canceled, the producer stops sending (it selects on p.Done()), and nobody had to press Cancel. " +
      "Once the results channel closes, p.Err() returns job-2’s error, shown above the diagram.",
  },
});

/**
 * scenarioNamed returns the scenario called name, or undefined: only the
 * scenarios' own names count (not "toString" or "__proto__").
 * @param {string} name
 * @returns {Scenario | undefined}
 */
export function scenarioNamed(name) {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}
