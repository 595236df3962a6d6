// @ts-check
// The markup of one <goflow-playground> (embed.js): the page's diagram,
// counters, gauges, goroutine count, throughput plot and log, with the same
// ids, so that the page's drawing modules (view.js) draw it under a shadow
// root, and a smaller control bar. No inline style, no script: it passes a
// strict Content-Security-Policy.

/** The shadow root's markup, after the stylesheets. */
const MARKUP = `<div class="gf" part="playground">
<p class="gf-head"><span class="gf-title">GoFlow</span> <span class="phase-wrap">phase <strong id="phase" data-phase="idle">idle</strong></span>
<span id="status" class="gf-status" role="status">Not loaded</span>
<a id="full-link" class="gf-full" href="./" target="_blank" rel="noopener">Open in the full playground</a></p>
<div class="btn-row gf-controls" id="controls" role="group" aria-label="Run the pipeline">
<button type="button" id="btn-run" class="primary">Run</button>
<button type="button" id="btn-submit" data-controls="full minimal" disabled>Submit 10</button>
<button type="button" id="btn-close" data-controls="full minimal" disabled title="The producer closes the jobs channel after its backlog: every job sent finishes (graceful drain)">Close</button>
<button type="button" id="btn-cancel" data-controls="full minimal" class="danger" disabled title="Cancel the pipeline's context: stop now">Cancel</button>
<button type="button" id="btn-consumer" data-controls="full" aria-pressed="false" disabled title="Stop or resume the consumer">Pause consumer</button>
</div>
<div class="gf-transport" id="transport" role="group" aria-label="Time machine: pause, step and scrub the recorded run">
<div class="btn-row tm-row">
<button type="button" id="tm-pause" aria-pressed="false" aria-keyshortcuts="Space" disabled title="Pause or resume the whole run: simulated time stops (Space)">Pause</button>
<button type="button" id="tm-back" aria-keyshortcuts="ArrowLeft" disabled title="Show the event before (Left arrow)">◀ Step back</button>
<button type="button" id="tm-forward" aria-keyshortcuts="ArrowRight" disabled title="Show the next event; from the last one, let the run record one more (Right arrow)">Step forward ▶</button>
<button type="button" id="tm-live" aria-pressed="true" aria-keyshortcuts="End" disabled title="Show the run live and let it go on (End)">Live</button>
<span id="tm-seed" class="muted tm-seed">seed: picked at start</span>
</div>
<div class="tm-scrub-row">
<label for="tm-scrub">Moment</label>
<input type="range" id="tm-scrub" min="0" max="0" step="1" value="0" disabled aria-valuetext="no recording yet" aria-keyshortcuts="Home End ArrowLeft ArrowRight" aria-describedby="tm-hint">
<output id="tm-pos" for="tm-scrub" class="tm-pos">no recording yet</output>
</div>
<p id="tm-hint" class="sr-only"></p>
</div>
<p id="attr-errors" class="gf-errors" role="alert" hidden></p>
<p id="error" class="error gf-error" role="alert"></p>
<p id="narration" class="narration">Press Run to load the playground.</p>
<p id="run-err" class="run-err" role="status" hidden></p>
<div class="diagram-scroll" tabindex="0" role="group" aria-label="pipeline diagram">
<div id="stage" class="stage">
  <div class="col col-producer">
    <div class="col-title">producer</div>
    <div id="producer" class="node producer" data-blocked="false" data-backlog="0" data-closed="false">
      <div class="node-state" id="producer-state">not started</div>
      <div class="spots" aria-hidden="true"><span class="spot" data-spot="p0"></span><span class="spot" data-spot="p1"></span><span class="spot" data-spot="p2"></span></div>
      <dl class="kv">
        <div><dt>backlog</dt><dd id="producer-backlog">0</dd></div>
        <div><dt>sent</dt><dd id="producer-sent">0</dd></div>
      </dl>
    </div>
  </div>
  <div class="arrow" aria-hidden="true"></div>
  <div class="col col-channel">
    <div class="col-title">jobs channel</div>
    <div id="jobs-channel" class="channel" data-len="0" data-cap="0" data-closed="false">
      <div class="slots" id="jobs-slots"></div>
      <div class="rendezvous" title="Unbuffered: a send waits until a receiver takes the value (a rendezvous)"><span>unbuffered</span></div>
      <div class="chan-caption"><span id="jobs-caption">cap 0</span><span class="closed-tag">closed</span></div>
    </div>
  </div>
  <div class="arrow" aria-hidden="true"></div>
  <div class="col col-workers">
    <div class="col-title">workers <span id="workers-count" class="muted"></span></div>
    <ol id="workers" class="workers" aria-label="workers"></ol>
  </div>
  <div class="arrow" aria-hidden="true"></div>
  <div class="col col-channel">
    <div class="col-title">results channel</div>
    <div id="results-channel" class="channel" data-len="0" data-cap="0" data-closed="false">
      <div class="slots" id="results-slots"></div>
      <div class="rendezvous" title="Unbuffered: a send waits until a receiver takes the value (a rendezvous)"><span>unbuffered</span></div>
      <div class="chan-caption"><span id="results-caption">cap 0</span><span class="closed-tag">closed</span></div>
    </div>
  </div>
  <div class="arrow" aria-hidden="true"></div>
  <div class="col col-consumer">
    <div class="col-title">consumer</div>
    <div id="consumer" class="node consumer" data-paused="false">
      <div class="node-state" id="consumer-state">not started</div>
      <div class="spots" aria-hidden="true"><span class="spot" data-spot="c"></span></div>
      <dl class="kv">
        <div><dt>consumed</dt><dd id="consumer-consumed">0</dd></div>
        <div><dt>last</dt><dd id="consumer-last">–</dd></div>
      </dl>
    </div>
  </div>
  <div id="tokens" class="tokens" aria-hidden="true"></div>
</div>
</div>
<div class="gf-numbers">
<dl id="counters" class="counters">
  <div data-counter="received"><dt>received</dt><dd id="count-received">0</dd></div>
  <div data-counter="succeeded"><dt>succeeded</dt><dd id="count-succeeded">0</dd></div>
  <div data-counter="failed"><dt>failed</dt><dd id="count-failed">0</dd></div>
  <div data-counter="canceled"><dt>canceled</dt><dd id="count-canceled">0</dd></div>
  <div data-counter="emitted"><dt>emitted</dt><dd id="count-emitted">0</dd></div>
  <div data-counter="dropped"><dt>dropped</dt><dd id="count-dropped">0</dd></div>
</dl>
<p id="counters-live" class="sr-only" aria-live="polite" aria-atomic="true"></p>
<div class="outcome-bar" aria-hidden="true"><i data-o="succeeded"></i><i data-o="failed"></i><i data-o="canceled"></i></div>
<div class="gauges">
  <div class="gauge" data-gauge="busy"><span class="g-name">busy</span><span class="g-bar" aria-hidden="true"><i id="gauge-busy-bar"></i></span><span class="g-val"><span id="gauge-busy">0</span> <span class="muted" id="gauge-busy-max">/ 0</span></span></div>
  <div class="gauge" data-gauge="queued"><span class="g-name">queued</span><span class="g-bar" aria-hidden="true"><i id="gauge-queued-bar"></i></span><span class="g-val"><span id="gauge-queued">0</span> <span class="muted" id="gauge-queued-max">/ 0</span></span></div>
  <div class="gauge" data-gauge="pending"><span class="g-name">pending</span><span class="g-bar" aria-hidden="true"><i id="gauge-pending-bar"></i></span><span class="g-val"><span id="gauge-pending">0</span> <span class="muted" id="gauge-pending-max">/ 0</span></span></div>
</div>
<div class="goroutines" id="goroutines-box" data-leak="false">
  <div class="gr-nums"><span class="gr-label">goroutines</span> <strong id="goroutines">0</strong> <span class="muted">baseline</span> <strong id="goroutines-baseline">0</strong></div>
  <div id="goroutines-note" class="gr-note">before the first Start</div>
</div>
</div>
<div class="gf-timeline">
<div class="gf-lanes timeline-panel" role="group" aria-label="Timeline">
<div class="tl-head"><span class="gf-lanes-title">Timeline</span>
<span class="btn-group" role="group" aria-label="Zoom the timeline"><button type="button" id="tl-zoom-in" aria-label="Zoom in">+</button><button type="button" id="tl-zoom-out" aria-label="Zoom out">−</button><button type="button" id="tl-fit">All</button></span></div>
<canvas id="timeline" class="timeline" tabindex="0" role="slider" aria-label="Timeline: the moment on view" aria-describedby="timeline-help timeline-summary" aria-valuemin="0" aria-valuemax="0" aria-valuenow="0" height="60"></canvas>
<p id="timeline-help" class="sr-only">Click or drag to see a past moment (the run pauses; Live returns). Keys: arrows one event, Home first, End live, + and − zoom, [ and ] pan, 0 all.</p>
<p id="timeline-summary" class="sr-only"></p>
<div class="why"><p class="small muted">Why? Click or focus the producer, a channel, a worker or the consumer.</p><p id="why-text" class="why-text" aria-live="polite" aria-atomic="true"></p><p id="why-line" class="why-line small" hidden></p><pre hidden><code id="code"></code></pre></div>
</div>
<div class="throughput-panel"><canvas id="throughput" width="320" height="120" role="img" aria-label="Throughput plot: no results yet"></canvas>
<p class="tp-now"><span id="tp-now">0</span> results/s now · peak <span id="tp-peak">0</span></p></div>
<div class="log-panel"><ol id="log" class="log" tabindex="0" aria-label="event log, newest first"></ol></div>
</div>
</div>`;

/**
 * buildShadow gives host an open shadow root holding style.css and
 * embed.css, linked from base (no inline style: a strict CSP passes), and
 * the markup. The host stays invisible until both stylesheets have loaded
 * (or failed), and takes no room (its unstyled markup is tall: the page
 * below would move twice), so that it never shows unstyled; then it calls
 * styled.
 * @param {HTMLElement} host
 * @param {URL} base
 * @param {() => void} styled
 */
export function buildShadow(host, base, styled) {
  const root = host.attachShadow({ mode: "open" });
  const hold = { display: "block", visibility: "hidden", height: "0px", overflow: "hidden" }; // element.style from JS passes the CSP
  Object.assign(host.style, hold);
  let pending = 2;
  const shown = () => {
    if (--pending > 0) return;
    for (const k of Object.keys(hold)) host.style.removeProperty(k);
    styled();
  };
  for (const name of ["style.css", "embed.css"]) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(name, base).href;
    link.addEventListener("load", shown);
    link.addEventListener("error", shown);
    root.append(link);
  }
  const t = document.createElement("template");
  t.innerHTML = MARKUP;
  root.append(t.content);
  return root;
}
