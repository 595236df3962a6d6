// @ts-check
// Sharing a run: "Copy link to this moment" puts the config and seed (in the
// query, as the page's address does) and the recording, compressed with
// deflate-raw and base64url-encoded, plus the moment, in the URL fragment:
// ?workers=4&…&seed=7#rec=<recording>&at=<seq>. Opening such a link replays
// the recording (goflow.load) and shows that moment. A recording whose
// fragment would pass MAX_FRAGMENT is too large for a link: the page says so
// and offers "Download recording" (the JSON of goflow.recording(), with its
// version field) and "Open recording" (a file picker, or a file dropped on
// the page). Whatever is refused is named in the error box; the page goes on.

import { find, setText } from "./dom.js";
import { MAX_RECORDING, messageOf } from "./goflow.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./client.js").Client} Client */
/** @typedef {import("./transport.js").Transport} Transport */

/** A link's fragment may have at most this many characters (32 KiB): links stay usable in chat and mail. */
export const MAX_FRAGMENT = 32 * 1024;

/**
 * toBase64url encodes bytes as base64url without padding.
 * @param {Uint8Array} bytes
 */
export function toBase64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * fromBase64url decodes base64url text, or throws an Error naming the problem.
 * @param {string} text
 */
export function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("rec: want base64url text (A–Z, a–z, 0–9, - and _)");
  let bin;
  try {
    bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw new Error("rec: not valid base64url");
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * deflate compresses text (UTF-8) with deflate-raw.
 * @param {string} text
 * @returns {Promise<Uint8Array>}
 */
export async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * inflate decompresses deflate-raw bytes to UTF-8 text of at most max
 * bytes, stopping as soon as it passes max (a small hostile fragment may
 * inflate to gigabytes), or throws an Error naming the problem.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {number} max
 */
export async function inflate(bytes, max) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) {
        reader.cancel().catch(() => {});
        throw new Error(`rec: inflates to more than ${max} bytes`);
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("rec:")) throw err;
    throw new Error("rec: not deflate-raw data (a link cut short?)");
  }
  const all = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    throw new Error("rec: not UTF-8 text");
  }
}

/**
 * parseFragment reads a link's fragment, "#rec=…&at=…", into its parts, or
 * returns null when it has no rec, or throws an Error naming the problem.
 * @param {string} hash location.hash
 * @returns {{rec: string, at: number | null} | null}
 */
export function parseFragment(hash) {
  if (hash.length > MAX_FRAGMENT + 64) throw new Error(`got a fragment of ${hash.length} characters; want at most ${MAX_FRAGMENT}`);
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const rec = p.get("rec");
  if (rec === null) return null;
  const at = p.get("at");
  if (at !== null && !/^[1-9][0-9]{0,15}$/.test(at)) throw new Error(`at: got ${JSON.stringify(at.slice(0, 40))}; want an event's sequence number, an integer from 1`);
  return { rec, at: at === null ? null : Number(at) };
}

/**
 * createShare returns the link, download and open actions, drawn in the
 * elements under root.
 * @param {ParentNode} root
 * @param {Store} store
 * @param {Client} client
 * @param {{transport: Transport, shareParams: () => URLSearchParams, loaded: () => void}} deps
 *   loaded is called after a recording is loaded (to show its config)
 */
export function createShare(root, store, client, { transport, shareParams, loaded }) {
  const B = HTMLButtonElement;
  const linkBtn = find(root, "tm-link", B);
  const downloadBtn = find(root, "tm-download", B);
  const openBtn = find(root, "tm-open", B);
  const file = find(root, "tm-file", HTMLInputElement);
  const out = find(root, "tm-link-out", HTMLAnchorElement);
  const status = find(root, "tm-status", HTMLElement);

  /** @param {string} msg */
  const say = (msg) => setText(status, msg);

  /** recordingText is goflow.recording() as JSON text, or null (the error shown). */
  function recordingText() {
    const r = client.action("recording");
    return r.ok ? JSON.stringify(r.value) : null;
  }

  /** copyLink makes the link to the moment shown and copies it. */
  async function copyLink() {
    const at = transport.moment();
    const text = recordingText();
    if (text === null) return;
    const rec = toBase64url(await deflate(text));
    const fragment = `rec=${rec}&at=${at}`;
    if (fragment.length > MAX_FRAGMENT) {
      out.hidden = true;
      say(`This recording is too large for a link (${Math.ceil(fragment.length / 1024)} KB compressed; a link holds at most ${MAX_FRAGMENT / 1024} KB): use Download recording, then Open recording.`);
      downloadBtn.focus();
      return;
    }
    const url = new URL(location.href);
    url.search = `?${shareParams()}`;
    url.hash = fragment;
    out.href = url.href;
    out.hidden = false;
    try {
      await navigator.clipboard.writeText(url.href);
      say(`Link to event ${at} copied.`);
    } catch {
      say(`Link to event ${at} ready: copy it from “link”.`);
    }
  }

  /** download saves goflow.recording() as a JSON file. */
  function download() {
    const text = recordingText();
    if (text === null) return;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const seed = store.snap && store.snap.config ? store.snap.config.seed : 0;
    a.download = `goflow-recording-seed-${seed}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    say(`Saved ${a.download}.`);
  }

  /**
   * loadText replays a recording's JSON text and shows the moment at (or
   * live when null). from names where it came from in messages.
   * @param {string} text
   * @param {number | null} at
   * @param {string} from
   */
  function loadText(text, at, from) {
    const r = client.call("load", text);
    if (!r.ok) {
      client.showError(`${from}: ${r.error}`);
      say("");
      return false;
    }
    transport.forget();
    store.cursor = null;
    loaded();
    const h = client.call("history");
    if (at !== null && h.ok && (at < h.value.first || at > h.value.last)) {
      client.showError(`${from}: at: got ${at}; want an event from ${h.value.first} to ${h.value.last}`);
    } else {
      client.showError("");
    }
    if (h.ok) transport.view(at === null ? h.value.last : at);
    say(`${from}: replaying the recording${at === null ? "" : `, at event ${transport.moment()}`}.`);
    return true;
  }

  /**
   * openFile reads a dropped or picked file and replays it.
   * @param {File} f
   */
  async function openFile(f) {
    if (f.size > MAX_RECORDING) {
      client.showError(`Open recording: ${f.name}: got ${f.size} bytes; want at most ${MAX_RECORDING}`);
      return;
    }
    let text;
    try {
      text = await f.text();
    } catch (err) {
      client.showError(`Open recording: ${f.name}: ${messageOf(err)}`);
      return;
    }
    loadText(text, null, `Open recording ${f.name}`);
  }

  /**
   * openFragment replays the recording in the page's fragment, if any.
   * @returns {Promise<boolean>} whether a recording was loaded
   */
  async function openFragment() {
    try {
      const f = parseFragment(location.hash);
      if (!f) return false;
      const text = await inflate(fromBase64url(f.rec), MAX_RECORDING);
      return loadText(text, f.at, "Link");
    } catch (err) {
      client.showError(`Link: the recording in this address is refused: ${messageOf(err)}`);
      return false;
    }
  }

  /** wire connects the buttons, the file picker and dropping a file on the page. */
  function wire() {
    linkBtn.addEventListener("click", () => { copyLink().catch((err) => client.showError(`Copy link: ${messageOf(err)}`)); });
    downloadBtn.addEventListener("click", download);
    openBtn.addEventListener("click", () => file.click());
    file.addEventListener("change", () => {
      const f = file.files && file.files[0];
      if (f) openFile(f);
      file.value = "";
    });
    // A new run is not the linked recording: the address drops its fragment.
    find(root, "btn-start", B).addEventListener("click", () => {
      if (!location.hash.startsWith("#rec=")) return;
      try {
        history.replaceState(history.state, "", location.pathname + location.search);
      } catch {
        // Some sandboxed frames forbid it.
      }
    });
    document.addEventListener("dragover", (e) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) e.preventDefault();
    });
    document.addEventListener("drop", (e) => {
      const f = e.dataTransfer && e.dataTransfer.files[0];
      if (!f) return;
      e.preventDefault();
      openFile(f);
    });
  }

  /** update enables the buttons once goflow is ready; link and download once there is a recording. */
  function update() {
    const off = !store.ready || store.dead;
    const none = off || !transport.hasRecording();
    if (openBtn.disabled !== off) openBtn.disabled = off;
    for (const b of [linkBtn, downloadBtn]) if (b.disabled !== none) b.disabled = none;
  }

  return { wire, update, openFragment, loadText };
}
