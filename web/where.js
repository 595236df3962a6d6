// @ts-check
// Where in the code: the line of the code panel's program (code.js) for
// each place goflow.why() names, such as "worker send". Pure functions.

/** @type {Record<string, string>} place -> a fragment of its line */
export const PLACES = {
  "producer loop": "for i := 1; i <= 100; i++ {",
  "producer send": "case jobs <- job:",
  "producer close": "defer close(jobs)",
  "channels": ":= pipeline.New(",
  "worker take": "for job := range jobs {",
  "worker handler": "r := handler(ctx, job)",
  "worker send": "results <- r",
  "worker exit": "jobs, results := p.Start(ctx)",
  "consumer range": "for r := range results {",
  "consumer done": "p.Stats()",
};

/**
 * lineOf returns the 0-based line of code where place is, or -1.
 * @param {string} code the program's text
 * @param {string} place
 */
export function lineOf(code, place) {
  const frag = PLACES[place];
  if (!frag) return -1;
  const lines = code.split("\n");
  return lines.findIndex((l) => l.includes(frag));
}
