// @ts-check
// args.js is how the Go program reads an argument of a goflow function
// (through readArg, handed over by goflow.js's bridge): each argument's kind
// is checked before anything is read, a config object's known keys are read
// by name, and everything runs inside try, so that a getter or a Proxy trap
// that throws never unwinds through Go. Text from the caller is clipped.

import { recordingText } from "./recording.js";

/** An object argument may have at most this many own enumerable keys. */
export const MAX_KEYS = 64;

/** A string argument may have at most this many UTF-16 code units. */
export const MAX_STRING = 2 * 1024 * 1024; // a URL as long as Chromium takes

/**
 * A message, a class name or an unknown key that comes from the caller is
 * cut to at most this many UTF-16 code units (and "…"), so that a hostile
 * caller's huge string never crosses into Go or into an Error.
 */
export const MAX_TEXT = 200;

/**
 * clip cuts s to at most max UTF-16 code units, without splitting a
 * surrogate pair, and marks the cut with "…".
 * @param {string} s
 * @param {number} max
 * @returns {string}
 */
export function clip(s, max = MAX_TEXT) {
  if (s.length <= max) return s;
  const hi = s.charCodeAt(max - 1);
  return s.slice(0, hi >= 0xd800 && hi <= 0xdbff ? max - 1 : max) + "…";
}

/**
 * messageOf reads an exception's message, cut to MAX_TEXT code units,
 * without letting a hostile exception (a throwing getter, a revoked Proxy,
 * a huge message) throw again or cost more than a moment.
 * @param {unknown} e
 * @returns {string}
 */
export function messageOf(e) {
  try {
    return clip(String(e instanceof Error ? e.message : e));
  } catch {
    return "JavaScript error";
  }
}

/**
 * record makes an object with no prototype, so that a property added to
 * Object.prototype (a polluted page) cannot show through when the Go
 * program reads error, other, config or unknown from what readArg returns.
 * @param {Record<string, unknown>} fields
 * @returns {any}
 */
function record(fields) {
  return Object.assign(Object.create(null), fields);
}

/**
 * article puts "a" or "an" before a word.
 * @param {string} word
 */
function article(word) { // "a Uint8Array", "an Int8Array"
  return (/^[aeio]/i.test(word) ? "an " : "a ") + word;
}

/**
 * scalar describes a value that Go can take as it is (undefined, null, a
 * boolean, a number, a string of at most MAX_STRING code units), and names
 * anything else as {other: "a symbol"}, {other: "an object"} and so on,
 * without reading any of its properties.
 * @param {unknown} v
 * @returns {unknown}
 */
function scalar(v) {
  switch (typeof v) {
    case "undefined": case "boolean": case "number":
      return v;
    case "string":
      if (v.length > MAX_STRING) return record({ error: `got a string of ${v.length} characters; want at most ${MAX_STRING}` });
      return v;
    case "bigint": return record({ other: "a BigInt" });
    case "symbol": return record({ other: "a symbol" });
    case "function": return record({ other: "a function" });
  }
  if (v === null) return null;
  return record({ other: Array.isArray(v) ? "an array" : "an object" });
}

/**
 * readArg is how the Go program reads one argument v. With keys null it
 * returns what scalar returns. With keys (the config keys), a plain object
 * (its prototype null, or one whose prototype is null, as Object.prototype
 * of this realm or another) of at most MAX_KEYS own enumerable
 * keys becomes {config: {key: scalar value}, unknown: [other keys]}: only the
 * known keys are read, each by name. Any other value is described as by
 * scalar, a non-plain object by its class, as in {other: "a Map"}. Anything
 * that throws, or is too large, gives {error: message}. With keys
 * "recording" (goflow.load's parameter) it returns what recordingText does.
 * @param {unknown} v
 * @param {string[] | "recording" | null} keys
 * @returns {unknown}
 */
export function readArg(v, keys) {
  try {
    if (keys === "recording") return recordingText(v, MAX_KEYS) ?? scalar(v);
    if (keys === null || typeof v !== "object" || v === null || Array.isArray(v)) return scalar(v);
    // Plain: made by {} or JSON.parse here or in another realm (an
    // iframe's Object.prototype, whose own prototype is null), or with no
    // prototype at all.
    const proto = Object.getPrototypeOf(v);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      // A Symbol.toStringTag (a Map's, or a hostile getter's) is read once
      // and cut short before it is copied: Object.prototype.toString would
      // copy a huge one whole. Date, RegExp and the like have none.
      const own = /** @type {any} */ (v)[Symbol.toStringTag];
      const tag = clip(typeof own === "string" ? own : Object.prototype.toString.call(v).slice(8, -1), 40);
      return record({ other: tag === "Object" ? "an object that is not a plain object" : article(tag) });
    }
    // for...in stops at the bound (though V8 collects a huge object's keys
    // first: about 0.4 µs a key); the own check skips keys that a polluted
    // Object.prototype would add.
    const unknown = [];
    let n = 0;
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (++n > MAX_KEYS) return record({ error: `got an object of more than ${MAX_KEYS} keys; want a config of at most ${keys.length}` });
      // The Go program quotes at most 40 bytes of an unknown key.
      if (!keys.includes(k)) unknown.push(clip(k, 41));
    }
    /** @type {Record<string, unknown>} */
    const config = Object.create(null);
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const s = scalar(/** @type {any} */ (v)[k]);
      if (s !== null && typeof s === "object" && "error" in s) return record({ error: `${k}: ${s.error}` });
      config[k] = s;
    }
    return record({ config, unknown });
  } catch (e) {
    return record({ error: `JavaScript error: ${messageOf(e)}` });
  }
}
