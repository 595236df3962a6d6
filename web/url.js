// @ts-check
// The URL state: the page's address holds the scenario, every config key,
// the speed and the embedding parameters, so that a state can be shared by
// copying it. applyQuery reads it once; syncURL keeps it in step.

import { CONFIG_KEYS } from "./store.js";
import { SCENARIOS, scenarioNamed } from "./scenarios.js";

/** @typedef {import("./api").Config} Config */

/**
 * originFromParam returns the origin parameter as an http(s) origin, or "".
 * @param {URLSearchParams} query
 */
export function originFromParam(query) {
  const o = query.get("origin");
  if (!o) return "";
  try {
    const u = new URL(o);
    if ((u.protocol === "http:" || u.protocol === "https:") && u.origin !== "null") return u.origin;
  } catch {
    // not a URL
  }
  return "";
}

/**
 * createURLState returns the operations on the page's address.
 * @param {import("./dom.js").Elements} ui
 * @param {import("./store.js").Store} store
 * @param {import("./client.js").Client} client
 * @param {import("./form.js").Form} form
 * @param {import("./controls.js").Controls} controls
 */
export function createURLState(ui, store, client, form, controls) {
  const query = store.query;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  /** schedule syncs the address soon, once for many changes. */
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(sync, 150);
  }

  /**
   * shareParams are the parameters of the current state.
   * @param {{withEmbed?: boolean}} [opts]
   */
  function shareParams({ withEmbed = true } = {}) {
    const p = new URLSearchParams();
    if (store.scenario) p.set("scenario", store.scenario);
    for (const k of CONFIG_KEYS) p.set(k, form.rawValue(k));
    // A seed of 0 means "pick one": links carry the one the run picked.
    const picked = store.snap && store.snap.config ? store.snap.config.seed : 0;
    if (p.get("seed") === "0" && picked) p.set("seed", String(picked));
    if (store.speed !== 1) p.set("speed", String(store.speed));
    if (withEmbed && store.embed) p.set("embed", "1");
    const origin = query.get("origin");
    if (withEmbed && origin !== null) p.set("origin", origin);
    return p;
  }

  /** sync writes the current state to the address and the full-page link. */
  function sync() {
    if (!store.ready) return;
    // Links are relative to the page ("?query"), so that they cannot leave
    // its origin whatever location.pathname holds.
    const url = `?${shareParams()}${location.hash}`;
    try {
      history.replaceState(history.state, "", url);
    } catch {
      // Some sandboxed frames forbid it; the page works without.
    }
    ui.fullLink.href = `?${shareParams({ withEmbed: false })}`;
  }

  /**
   * apply reads the address: config keys through goflow.parseQuery (Go owns
   * the rules), page keys here. Problems go to the error box, naming the
   * parameter.
   */
  function apply() {
    /** @type {string[]} */
    const errors = [];
    const r = client.call("parseQuery", location.search);
    let parsed = null;
    if (r.ok && r.value) {
      parsed = r.value;
      for (const e of parsed.errors || []) errors.push(`URL: ${e}`);
    } else if (!r.ok) {
      errors.push(r.error);
    }
    const scenario = query.get("scenario");
    if (scenario !== null && scenario !== "") {
      if (scenarioNamed(scenario)) controls.chooseScenario(scenario);
      else errors.push(`URL: scenario: got ${quote(scenario)}; want one of ${Object.keys(SCENARIOS).join(", ")}`);
    }
    if (parsed && parsed.config) {
      // Keys given in the address override a scenario's; a bad value keeps the form's.
      /** @type {Partial<Record<import("./api").ConfigKey, number | boolean>>} */
      const given = {};
      const bad = parsed.errors || [];
      for (const k of CONFIG_KEYS) {
        const isBad = bad.some((e) => e.startsWith(k + ":") || e.startsWith(`"${k}"`));
        if (query.has(k) && !isBad && parsed.config[k] !== undefined) given[k] = parsed.config[k];
      }
      form.set(given);
    }
    const speed = query.get("speed");
    if (speed !== null) {
      const lim = (store.limits && store.limits.speed) || { min: 0.05, max: 1 };
      const v = Number(speed);
      if (speed.trim() === "" || !Number.isFinite(v) || v < lim.min || v > lim.max) {
        errors.push(`URL: speed: got ${quote(speed)}; want a number from ${lim.min} to ${lim.max}`);
      } else {
        const sr = controls.setSpeed(v, { fromUser: false });
        if (!sr.ok) errors.push(`URL: speed: ${sr.error}`);
      }
    }
    const em = query.get("embed");
    if (em !== null && em !== "1" && em !== "0" && em !== "") {
      errors.push(`URL: embed: got ${quote(em)}; want 1`);
    }
    if (query.has("origin") && !originFromParam(query)) {
      errors.push(`URL: origin: got ${quote(query.get("origin") ?? "")}; want an origin such as https://example.com`);
    }
    form.validate();
    controls.renderCode();
    if (errors.length) client.showError(summarise(errors));
    else client.showError(store.inputError);
  }

  return { schedule, sync, apply, shareParams };
}

const ERRORS_SHOWN = 5; // problems listed in #error before "…and N more"

/**
 * summarise keeps the first few problems and counts the rest, so that an
 * address with thousands of bad parameters gives a box of a few lines.
 * @param {string[]} errors
 * @param {number} [max]
 * @returns {string}
 */
export function summarise(errors, max = ERRORS_SHOWN) {
  if (errors.length <= max) return errors.join("\n");
  const rest = errors.length - max;
  return [...errors.slice(0, max), `…and ${rest} more ${rest === 1 ? "problem" : "problems"}`].join("\n");
}

const QUOTE_MAX = 40; // characters of a bad parameter's value quoted in #error

/**
 * quote returns v as a JSON string for an error message, cut short (with
 * "…") past QUOTE_MAX characters, so that a huge parameter cannot make the
 * error box huge. It never splits a surrogate pair.
 * @param {string} v
 * @returns {string}
 */
export function quote(v) {
  if (v.length <= QUOTE_MAX) return JSON.stringify(v);
  return JSON.stringify(Array.from(v.slice(0, 2 * QUOTE_MAX)).slice(0, QUOTE_MAX).join("") + "…");
}
