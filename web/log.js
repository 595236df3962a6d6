// @ts-check
// The event log: the snapshot's newest entries go on top of a list that
// keeps at most LOG_MAX of them, reusing the oldest elements.

/** @typedef {import("./api").LogEntry} LogEntry */

const LOG_MAX = 200;      // event log entries kept in the DOM
const LOG_FLOOD_MS = 200; // many new log entries go in at most this often

/**
 * createLog returns the event log drawn in list.
 * @param {HTMLElement} list
 */
export function createLog(list) {
  const doc = list.ownerDocument;
  let logSeq = -Infinity; // the newest entry shown
  let logAt = -Infinity;  // when entries last went in

  /**
   * draw adds the entries of log newer than those shown.
   * @param {readonly LogEntry[]} log
   * @param {number} now
   */
  function draw(log, now) {
    if (!Array.isArray(log) || !log.length || !log[log.length - 1]) return;
    const newest = log[log.length - 1].seq;
    if (typeof newest !== "number") return;
    if (newest < logSeq) logSeq = -Infinity; // the Go side restarted its numbering
    if (newest <= logSeq) return;
    let i = log.length;
    while (i > 0 && log[i - 1] && log[i - 1].seq > logSeq) i--;
    const fresh = log.length - i;
    // A few entries go in at once; a flood (fast jobs) at most five times a
    // second: nobody reads faster, and the log keeps only the newest anyway.
    if (fresh > 4 && now - logAt < LOG_FLOOD_MS) return;
    logAt = now;
    logSeq = newest;
    // Reuse the oldest entries (at the bottom) for the new ones.
    /** @type {HTMLElement[]} */
    const spare = [];
    let excess = list.childElementCount + fresh - LOG_MAX;
    while (excess-- > 0 && list.lastElementChild) spare.push(/** @type {HTMLElement} */ (list.removeChild(list.lastElementChild)));
    const frag = doc.createDocumentFragment();
    for (let k = log.length - 1; k >= i; k--) {
      const e = log[k];
      let li = spare.pop();
      if (!li) {
        li = doc.createElement("li");
        const t = doc.createElement("span");
        t.className = "t";
        li.append(t, doc.createTextNode(""));
      }
      /** @type {HTMLElement} */ (li.firstChild).textContent = typeof e.ms === "number" ? `${(e.ms / 1000).toFixed(2)}s` : "";
      /** @type {Text} */ (li.lastChild).data = e.text || "";
      li.dataset.kind = e.kind || "";
      frag.append(li);
    }
    list.prepend(frag);
  }

  return { draw };
}
