// @ts-check
// The transport bar: pause/resume, step back, step forward, a scrubber over
// the whole recording (goflow.history().first..last) and a Live button, with
// the keys Space, Left/Right, Home/End. It owns the moment the page shows:
// store.cursor, a sequence number, or null for live (the head of the log).
// read() is what the frame loop draws, goflow.snapshot() when live and
// goflow.snapshotAt(cursor) when not, so the view never knows which.
// Viewing the past pauses the run; stepping forward from the last event
// lets the run record exactly one more (goflow.step()).

import { find, setText } from "./dom.js";

/** @typedef {import("./api").Snapshot} Snapshot */
/** @typedef {import("./api").History} History */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./client.js").Client} Client */

/** The keys the bar answers, shown in its hint. */
export const TRANSPORT_KEYS = "Space pause/resume · ← → step · Home first · End live";

/**
 * createTransport returns the transport bar drawn in the elements under root:
 * the page's document, or a <goflow-playground>'s shadow root (embed.js)
 * with opts.keys that root (its keys stay inside it) and opts.start its Run
 * button's id.
 * @param {Document | ShadowRoot} root
 * @param {Store} store read for ready and dead; owns store.cursor
 * @param {Client} client
 * @param {{keys?: Document | ShadowRoot, start?: string}} [opts] where keys are heard (document), the start button's id (btn-start)
 */
export function createTransport(root, store, client, opts = {}) {
  const H = HTMLElement;
  const B = HTMLButtonElement;
  const pauseBtn = find(root, "tm-pause", B);
  const back = find(root, "tm-back", B);
  const forward = find(root, "tm-forward", B);
  const live = find(root, "tm-live", B);
  const scrub = find(root, "tm-scrub", HTMLInputElement);
  const pos = find(root, "tm-pos", H);
  const seed = find(root, "tm-seed", H);
  setText(find(root, "tm-hint", H), `Keys: ${TRANSPORT_KEYS}`);

  /** @type {History | null} the recording's bounds as of the last frame */
  let hist = null;
  /** @type {{key: string, snap: Snapshot} | null} snapshotAt's last answer */
  let past = null;
  /** a step() that waits for the run to move: no other step until it ends */
  let stepping = false;
  // paused is the world's pause: as the live snapshot last had it, or as
  // this bar set it (a past moment's snapshot tells how it was then).
  let paused = false;

  /** history reads goflow.history(), or null before any recording. */
  function history() {
    const r = client.call("history");
    hist = r.ok && r.value ? r.value : null;
    return hist;
  }

  /**
   * read returns the moment to draw: the live snapshot, or the snapshot
   * right after event store.cursor (kept while the recording's bounds stay).
   * @returns {import("./client.js").Outcome<Snapshot>}
   */
  function read() {
    const h = history();
    if (store.cursor === null || !h || h.last === 0) {
      store.cursor = null;
      return client.call("snapshot");
    }
    if (store.cursor > h.last) store.cursor = h.last;
    if (store.cursor < h.first) store.cursor = h.first;
    const key = `${store.cursor}:${h.first}:${h.last}`;
    if (past && past.key === key) return { ok: true, value: past.snap };
    const r = client.call("snapshotAt", store.cursor);
    if (r.ok) past = { key, snap: r.value };
    return r;
  }

  /**
   * draw brings the bar in step with s, the moment drawn.
   * @param {Snapshot} s
   */
  function draw(s) {
    if (store.cursor === null) paused = !!s.paused;
    const h = hist;
    const usable = store.ready && !store.dead && hasRecording();
    for (const b of [pauseBtn, back, forward, live, scrub]) b.disabled = !usable;
    setText(pauseBtn, paused ? "Resume" : "Pause");
    pauseBtn.setAttribute("aria-pressed", String(paused));
    live.setAttribute("aria-pressed", String(store.cursor === null));
    setText(seed, s.config && s.config.seed ? `seed ${s.config.seed}` : "seed: picked at start");
    if (!h || !hasRecording()) {
      setText(pos, "no recording yet");
      scrub.setAttribute("aria-valuetext", "no recording yet");
      return;
    }
    const at = store.cursor === null ? s.seq : store.cursor;
    if (scrub.min !== String(h.first)) scrub.min = String(h.first);
    if (scrub.max !== String(h.last)) scrub.max = String(h.last);
    if (root.activeElement !== scrub || scrub.value !== String(at)) scrub.value = String(at);
    const last = s.log && s.log.length ? s.log[s.log.length - 1] : null;
    const what = last && last.seq === s.seq ? `: ${last.text}` : "";
    const text = `event ${at} of ${h.last}${store.cursor === null ? " (live)" : ""}${what}`;
    if (scrub.getAttribute("aria-valuetext") !== text) scrub.setAttribute("aria-valuetext", text);
    setText(pos, text);
  }

  /** pauseRun pauses the world unless it is paused already. */
  function pauseRun() {
    if (!paused) {
      const r = client.action("pause");
      if (r.ok) paused = true;
    }
  }

  /**
   * view shows the moment seq (clamped to the recording), pausing the run.
   * @param {number} seq
   */
  function view(seq) {
    const h = history();
    if (!h || h.last === 0) return;
    pauseRun();
    store.cursor = Math.min(h.last, Math.max(h.first, Math.round(seq)));
  }

  /** toggle pauses the run, or resumes it live. */
  function toggle() {
    if (paused) {
      const r = client.action("resume");
      if (r.ok) {
        paused = false;
        store.cursor = null;
      }
    } else {
      pauseRun();
    }
  }

  /** goLive shows the head of the log and lets the run go on. */
  function goLive() {
    store.cursor = null;
    if (paused) toggle();
  }

  /** stepBack shows the event before the one shown. */
  function stepBack() {
    const h = history();
    if (!h) return;
    const at = store.cursor === null ? h.last : store.cursor;
    view(at - 1);
  }

  /**
   * stepForward shows the next event; from the last one it lets the run
   * record exactly one more and shows it, paused.
   */
  async function stepForward() {
    const h = history();
    if (!h || stepping) return;
    if (store.cursor !== null && store.cursor < h.last) {
      view(store.cursor + 1);
      return;
    }
    pauseRun();
    store.cursor = null;
    const r = client.action("step");
    if (!r.ok || !(r.value instanceof Promise)) return;
    stepping = true;
    try {
      await r.value;
    } catch (err) {
      client.showError(err instanceof Error ? err.message : String(err));
    } finally {
      stepping = false;
    }
  }

  /**
   * onKey answers the transport keys when the focus is on the page itself,
   * on a button (Space stays the button's click) or on the scrubber; not in
   * a field, where keys type, nor in a region that scrolls with the arrows.
   * @param {KeyboardEvent} e
   */
  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || scrub.disabled) return;
    const t = e.target;
    const onButton = t instanceof HTMLButtonElement;
    if (t !== scrub && !onButton && t !== document.body && t !== document.documentElement && t !== document) return;
    switch (e.key) {
      case " ":
        if (onButton) return;
        toggle();
        break;
      case "ArrowLeft": stepBack(); break;
      case "ArrowRight": stepForward(); break;
      case "Home": { const h = history(); if (h) view(h.first); break; }
      case "End": goLive(); break;
      default: return;
    }
    e.preventDefault();
  }

  /** wire connects the buttons, the scrubber and the keys. */
  function wire() {
    pauseBtn.addEventListener("click", toggle);
    back.addEventListener("click", stepBack);
    forward.addEventListener("click", () => { stepForward(); });
    live.addEventListener("click", goLive);
    scrub.addEventListener("input", () => view(Number(scrub.value)));
    (opts.keys || document).addEventListener("keydown", (e) => onKey(/** @type {KeyboardEvent} */ (e)));
    // A new run is shown live (paused still, if it was: pause carries over).
    find(root, opts.start || "btn-start", B).addEventListener("click", () => { store.cursor = null; });
  }

  /** moment is the sequence number of the moment shown. */
  function moment() {
    return store.cursor === null ? (store.snap ? store.snap.seq : 0) : store.cursor;
  }

  /** forget drops the cached past moment (after a load). */
  function forget() {
    past = null;
  }

  /** hasRecording tells whether there is a recording to show or share. */
  function hasRecording() {
    return hist !== null && hist.last > 0;
  }

  return { read, draw, wire, view, moment, forget, hasRecording, goLive, bounds: () => hist };
}

/** @typedef {ReturnType<typeof createTransport>} Transport */
