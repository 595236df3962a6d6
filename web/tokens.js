// @ts-check
// The tokens: one per job ID, absolutely positioned over the stage and moved
// with transform, so that a move costs no layout. Tokens are pooled, never
// re-created. Also the pace: when frames come slow while many tokens move,
// tokens stop gliding and jump.

/** @typedef {import("./api").Snapshot} Snapshot */

const PRODUCER_SPOTS = 3; // jobs drawn in the producer's hand

/**
 * @typedef {object} Token
 * @property {HTMLElement} el
 * @property {string} id the job's ID
 * @property {string} slot the spot it is at or moving to
 * @property {string} stage "job", "busy", "result" or "done"
 * @property {number} stamp the last placing that saw it
 * @property {number} fresh 2 on its first frame, 1 on its second, then 0
 * @property {boolean} moved its spot or the layout changed
 * @property {number} x
 * @property {number} y
 */

/**
 * shortID is a job's number, as in "7" for "job-7".
 * @param {string} id
 */
function shortID(id) {
  const m = /^job-(\d+)$/.exec(id);
  return m ? m[1] : id;
}

/**
 * createTokens returns the tokens drawn in layer, over stage.
 * @param {HTMLElement} layer the element tokens are added to
 * @param {HTMLElement} stage the diagram, which the stopped class marks
 */
export function createTokens(layer, stage) {
  const doc = layer.ownerDocument;
  /** @type {Map<string, Token>} by job ID: the tokens on the stage */
  const tokens = new Map();
  /** @type {Token[]} */
  const pool = [];
  /** @type {{t: Token, until: number}[]} tokens fading out, oldest first */
  const leaving = [];
  let stamp = 0;

  /** @param {string} id */
  function acquire(id) {
    let t = pool.pop();
    if (!t) {
      const el = doc.createElement("div");
      el.className = "token";
      layer.append(el);
      t = { el, id: "", slot: "", stage: "", stamp: 0, fresh: 0, moved: false, x: 0, y: 0 };
    } else {
      t.el.removeAttribute("data-idle");
      t.el.removeAttribute("data-leaving");
    }
    t.id = id;
    t.slot = "";
    t.stage = "";
    t.fresh = 2;
    t.el.dataset.fresh = "";
    t.el.textContent = shortID(id);
    t.el.title = id;
    tokens.set(id, t);
    return t;
  }

  /** @param {Token} t */
  function release(t) {
    t.el.dataset.idle = "";
    pool.push(t);
  }

  /**
   * @param {string} id
   * @param {string} slot
   * @param {string} tokenStage
   */
  function put(id, slot, tokenStage) {
    if (!id) return;
    const t = tokens.get(id) || acquire(id);
    t.stamp = stamp;
    if (t.slot !== slot) {
      t.slot = slot;
      t.moved = true;
    }
    if (t.stage !== tokenStage) {
      t.stage = tokenStage;
      t.el.dataset.stage = tokenStage;
    }
  }

  /**
   * @param {Token} t
   * @param {number} x
   * @param {number} y
   */
  function move(t, x, y) {
    if (t.x !== x || t.y !== y) {
      t.x = x;
      t.y = y;
      t.el.style.transform = `translate(${x}px,${y}px)`;
    }
  }

  /**
   * @param {Token} t
   * @param {number} now
   * @param {boolean} motion
   * @param {boolean} dropped
   */
  function retire(t, now, motion, dropped) {
    tokens.delete(t.id);
    if (!motion || t.fresh) {
      release(t);
      return;
    }
    t.el.dataset.leaving = dropped ? "dropped" : "out";
    if (t.stage === "done") move(t, t.x + 24, t.y);
    leaving.push({ t, until: now + (dropped ? 700 : 320) });
  }

  /**
   * place puts a token on every job the snapshot shows, at the spots, and
   * fades out the others.
   * @param {Snapshot} s
   * @param {Map<string, [number, number]>} spots where each spot sits
   * @param {number} now
   * @param {boolean} motion tokens glide (else they jump)
   */
  function place(s, spots, now, motion) {
    stamp++;
    const waiting = (s.producer && s.producer.waiting) || [];
    for (let i = 0; i < waiting.length && i < PRODUCER_SPOTS; i++) put(waiting[i], "p" + i, "job");
    const jobIDs = (s.jobs && s.jobs.ids) || [];
    for (let i = 0; i < jobIDs.length; i++) put(jobIDs[i], "j" + i, "job");
    const ws = s.workers || [];
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (w && w.job && (w.state === "busy" || w.state === "blocked")) put(w.job, "w" + i, w.state === "busy" ? "busy" : "result");
    }
    const resultIDs = (s.results && s.results.ids) || [];
    for (let i = 0; i < resultIDs.length; i++) put(resultIDs[i], "r" + i, "result");
    if (s.consumer && s.consumer.last) put(s.consumer.last, "c", "done");

    const stopped = s.phase === "canceled" || (s.phase === "done" && s.ended === "cancel");
    if (stage.classList.contains("stopped") !== stopped) stage.classList.toggle("stopped", stopped);
    const origin = spots.get("p0");
    for (const t of tokens.values()) {
      if (t.stamp !== stamp) {
        retire(t, now, motion, stopped && t.stage !== "done");
        continue;
      }
      const target = spots.get(t.slot);
      if (t.fresh === 2) {
        // First frame: appear (invisible, no transition) where the job comes
        // from; the next frame moves it to its place with a transition.
        const from = motion && origin && t.slot[0] !== "p" ? origin : target;
        if (from) move(t, from[0], from[1]);
        t.fresh = motion ? 1 : 0;
        if (!motion) t.el.removeAttribute("data-fresh");
        else continue;
      } else if (t.fresh === 1) {
        t.fresh = 0;
        t.el.removeAttribute("data-fresh");
      }
      if (t.moved && target) {
        move(t, target[0], target[1]);
        t.moved = false;
      }
    }
    // Return faded tokens to the pool.
    while (leaving.length && (leaving[0].until <= now || leaving.length > 160)) {
      const gone = leaving.shift();
      if (gone) release(gone.t);
    }
  }

  /** remeasured moves every token to its spot's new place on the next place. */
  function remeasured() {
    for (const t of tokens.values()) t.moved = true;
  }

  return { place, remeasured, count: () => tokens.size };
}

/**
 * createPace watches the frame rate. When frames come slower than about 22
 * a second while many tokens move (a slow machine, or 0 ms jobs keeping the
 * Go side busy), tokens stop gliding and jump (lite), which costs the
 * browser far less; gliding resumes once frames are quick again for a few
 * seconds. The stage gets the class lite meanwhile.
 * @param {HTMLElement} stage
 */
export function createPace(stage) {
  const pace = { last: 0, ema: 16.7, lite: false, since: 0 };
  /**
   * watch takes one frame's time stamp and the number of tokens on the stage.
   * @param {number} now
   * @param {number} tokenCount
   */
  function watch(now, tokenCount) {
    if (pace.last) {
      const dt = Math.min(now - pace.last, 250);
      pace.ema += (dt - pace.ema) * 0.1;
    }
    pace.last = now;
    if (!pace.lite && pace.ema > 45 && tokenCount > 24) {
      pace.lite = true;
      pace.since = now;
    } else if (pace.lite && pace.ema < 25 && now - pace.since > 5000) {
      pace.lite = false;
    } else if (pace.lite && pace.ema >= 25) {
      pace.since = now;
    }
    if (stage.classList.contains("lite") !== pace.lite) stage.classList.toggle("lite", pace.lite);
  }
  return { watch, lite: () => pace.lite };
}
