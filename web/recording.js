// @ts-check
// recording.js reads goflow.load's argument for the Go program (through
// goflow.js's readArg): a recording as JSON text, bounded before anything is
// converted, so that a hostile recording is refused within milliseconds.

/** A recording as JSON text may have at most this many UTF-16 code units (the playground's 16 MiB). */
export const MAX_RECORDING = 16 << 20;

/** A recording object may have at most this many events (the playground's ring). */
export const MAX_RECORDING_EVENTS = 392 * 256;

/** A recording object may hold at most this many values besides its events (its base holds a few hundred). */
const MAX_RECORDING_VALUES = 16 * 1024;

/**
 * recordingText is how readArg reads goflow.load's recording: JSON text of
 * at most MAX_RECORDING code units as it is, or a plain object turned into
 * JSON text here, bounded before and while it is stringified (events must be
 * an Array of at most MAX_RECORDING_EVENTS, by its length, of arrays of 6
 * numbers, each copied as it is read; the rest, of at most maxKeys keys, is
 * stringified by a replacer that stops past MAX_RECORDING_VALUES values), so
 * that a hostile recording is refused within milliseconds. A non-plain
 * object is {other: ...}, a problem {error: ...}, and anything that is
 * neither a string nor an object undefined (readArg describes it).
 * @param {unknown} v
 * @param {number} maxKeys the most own keys an object argument may have
 * @returns {unknown}
 */
export function recordingText(v, maxKeys) {
  if (typeof v === "string") {
    if (v.length > MAX_RECORDING) return { error: `got a string of ${v.length} characters; want JSON text of at most ${MAX_RECORDING}` };
    return v;
  }
  if (typeof v !== "object" || v === null) return undefined;
  if (Array.isArray(v)) return { other: "an array" };
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return { other: "an object that is not a plain object" };
  const events = /** @type {any} */ (v).events;
  if (!Array.isArray(events)) return { error: "events: want an array" };
  if (events.length > MAX_RECORDING_EVENTS) return { error: `events: got ${events.length} events; want at most ${MAX_RECORDING_EVENTS}` };
  // Copy each event (read once, so a getter cannot change it afterwards).
  const copy = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (!Array.isArray(ev) || ev.length !== 6) return { error: `events[${i}]: want an array of 6 numbers [seq, atNs, kind, worker, job, arg]` };
    const c = [ev[0], ev[1], ev[2], ev[3], ev[4], ev[5]];
    if (!c.every((x) => typeof x === "number")) return { error: `events[${i}]: want an array of 6 numbers [seq, atNs, kind, worker, job, arg]` };
    copy[i] = c;
  }
  /** @type {Record<string, unknown>} everything but events, of at most MAX_KEYS keys */
  const rest = Object.create(null);
  let keys = 0;
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (++keys > maxKeys) return { error: `got an object of more than ${maxKeys} keys; want a recording` };
    if (k === "toJSON") return { error: "toJSON: not a key of a recording" };
    if (k !== "events") rest[k] = /** @type {any} */ (v)[k];
  }
  let n = 0;
  const head = JSON.stringify(rest, (_k, x) => {
    if (++n > MAX_RECORDING_VALUES) throw new Error(`got more than ${MAX_RECORDING_VALUES} values besides events; want a recording`);
    if (typeof x === "string" && x.length > 1024) throw new Error(`got a string of ${x.length} characters in a recording; want at most 1024`);
    return x;
  });
  const text = `${head.slice(0, -1)}${head === "{}" ? "" : ","}"events":${JSON.stringify(copy)}}`;
  if (text.length > MAX_RECORDING) return { error: `got ${text.length} characters of JSON; want at most ${MAX_RECORDING}` };
  return text;
}

