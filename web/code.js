// @ts-check
// The code panel: the pipeline.New(...) program for a config, and its copy
// button.

import { setText } from "./dom.js";

/** @typedef {import("./api").Config} Config */

/**
 * goDuration writes ms as a Go time.Duration expression.
 * @param {number} ms
 */
function goDuration(ms) {
  if (ms === 0) return "time.Duration(0)";
  if (ms % 1000 === 0) return ms === 1000 ? "time.Second" : `${ms / 1000} * time.Second`;
  return `${ms} * time.Millisecond`;
}

/**
 * goCode returns a Go program that runs the pipeline c describes.
 * @param {Config} c
 */
export function goCode(c) {
  const useRand = c.jitterMs > 0 || c.failRate > 0 || c.panicRate > 0;
  const imports = ["context", ...(c.failRate > 0 ? ["errors"] : []), "fmt", ...(useRand ? ["math/rand/v2"] : []), "time"];
  const L = [];
  L.push("package main", "", "import (");
  for (const i of imports) L.push(`\t"${i}"`);
  L.push("", '\t"github.com/goflow-dev/goflow/pipeline"', ")", "");
  L.push("func main() {");
  L.push("\tctx, cancel := context.WithCancel(context.Background())");
  L.push("\tdefer cancel() // cancel: stop now", "");
  L.push("\t// The handler simulates work; it returns early when its context is done.");
  L.push("\thandler := func(ctx context.Context, n int) (int, error) {");
  L.push(`\t\twork := ${goDuration(c.workMs)} // workMs`);
  if (c.jitterMs > 0) L.push("\t\t// plus up to jitterMs, at random", `\t\twork += rand.N(${goDuration(c.jitterMs)})`);
  L.push("\t\tselect {", "\t\tcase <-time.After(work):", "\t\tcase <-ctx.Done():");
  L.push(`\t\t\treturn 0, ctx.Err() // canceled${c.timeoutMs > 0 ? ", or past Job.Timeout" : ""}`);
  L.push("\t\t}");
  if (c.panicRate > 0) L.push(`\t\tif rand.Float64() < ${c.panicRate} { // panicRate: becomes a failed result`, '\t\t\tpanic("simulated panic")', "\t\t}");
  if (c.failRate > 0) L.push(`\t\tif rand.Float64() < ${c.failRate} { // failRate`, '\t\t\treturn 0, errors.New("simulated failure")', "\t\t}");
  L.push("\t\treturn n * n, nil", "\t}", "");
  const bufNote = c.jobBuffer === 0 && c.resultBuffer === 0 ? " // unbuffered: backpressure by default" : "";
  const opts = `JobBuffer: ${c.jobBuffer}, ResultBuffer: ${c.resultBuffer}${c.ordered ? ", Ordered: true" : ""}${c.failFast ? ", FailFast: true" : ""}`;
  L.push(`\tp := pipeline.New(${c.workers}, handler, pipeline.Options{${opts}})${bufNote}`);
  if (c.ordered) L.push("\t// Ordered: results come in the order the jobs were taken; a worker whose result is not due waits for its turn");
  if (c.failFast) L.push("\t// FailFast: the first failed job's result is emitted, then the pipeline stops; p.Err() returns its error");
  L.push("\tjobs, results := p.Start(ctx)");
  L.push("\t// Inside Start, each worker runs:", "\t//   for job := range jobs {  // idle: waits to take a job");
  L.push("\t//     r := handler(ctx, job) // busy: runs the handler", "\t//     results <- r           // blocked: until the consumer takes r", "\t//   }", "");
  L.push("\tgo func() { // the producer sends, then closes the jobs channel");
  L.push("\t\tdefer close(jobs) // close: drain gracefully");
  L.push("\t\tfor i := 1; i <= 100; i++ {");
  const timeout = c.timeoutMs > 0 ? `, Timeout: ${goDuration(c.timeoutMs)}` : "";
  L.push(`\t\t\tjob := pipeline.Job[int]{ID: fmt.Sprintf("job-%d", i), Payload: i${timeout}}`);
  L.push("\t\t\tselect {");
  L.push("\t\t\tcase jobs <- job: // blocks while no worker is idle and the buffer is full");
  // p.Done() is closed by a cancel too, and by FailFast's stop, which leaves ctx alone.
  const stop = c.failFast ? "\t\t\tcase <-p.Done(): // cancel, or stopped at the first failure" : "\t\t\tcase <-ctx.Done():";
  L.push(stop, "\t\t\t\treturn", "\t\t\t}", "\t\t}", "\t}()", "");
  L.push("\tfor r := range results { // the consumer reads until the pipeline closes results");
  if (c.consumerDelayMs > 0) L.push(`\t\ttime.Sleep(${goDuration(c.consumerDelayMs)}) // consumerDelayMs`);
  L.push("\t\tfmt.Println(r.JobID, r.Value, r.Err)", "\t}");
  L.push('\tfmt.Printf("%+v\\n", p.Stats())');
  if (c.failFast) L.push("\tif err := p.Err(); err != nil { // read after results closed: the first failure's error", '\t\tfmt.Println("stopped:", err)', "\t}");
  L.push("}", "");
  return L.join("\n");
}

/**
 * drawCode shows the program for config in el, or why there is none.
 * @param {HTMLElement} el
 * @param {Config | null} config the form's config; null when it is not valid
 * @param {string} problem the form's first problem
 */
export function drawCode(el, config, problem) {
  const text = config
    ? goCode(config)
    : `// The configuration is not valid yet:\n// ${problem || "check the fields above"}`;
  setText(el, text);
}

/**
 * wireCopy makes button copy code's text, and status say how that went.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} code
 * @param {HTMLElement} status
 */
export function wireCopy(button, code, status) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  button.addEventListener("click", async () => {
    const text = code.textContent || "";
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) {
      const doc = button.ownerDocument;
      const ta = doc.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      doc.body.append(ta);
      ta.select();
      try {
        ok = doc.execCommand("copy");
      } catch {
        ok = false;
      }
      ta.remove();
      button.focus();
    }
    status.textContent = ok ? "Copied" : "Could not copy: select the code and copy it yourself";
    clearTimeout(timer);
    timer = setTimeout(() => (status.textContent = ""), 3000);
  });
}
