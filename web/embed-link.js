// @ts-check
// The link of a <goflow-playground> (embed.js) to the full playground at
// the same state: the config and the seed the run picked in the query, as
// the page's address has them, and the recording and the moment on view in
// the fragment, as the page's "Copy link to this moment" (share.js) writes
// them. A recording too large for a link (share.js's MAX_FRAGMENT) leaves
// the config and the seed, which replay the same run.

import { MAX_FRAGMENT, deflate, toBase64url } from "./share.js";
import { fullURL } from "./embed-attrs.js";

/**
 * linkHere returns the full playground's address at inst's state, showing
 * the moment at (a sequence number).
 * @param {URL} base the site's folder
 * @param {import("./embed-attrs.js").EmbedOptions} o
 * @param {import("./api").Config} config
 * @param {import("./api").GoflowInstance} inst
 * @param {number} at
 */
export async function linkHere(base, o, config, inst, at) {
  const s = inst.snapshot();
  const seed = s.config && s.config.seed ? s.config.seed : config.seed;
  const u = new URL(fullURL(base, o, { ...config, seed }));
  if (inst.history().last === 0) return u.href;
  const fragment = `rec=${toBase64url(await deflate(JSON.stringify(inst.recording())))}&at=${at}`;
  if (fragment.length <= MAX_FRAGMENT) u.hash = fragment;
  return u.href;
}
