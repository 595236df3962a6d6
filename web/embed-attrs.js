// @ts-check
// The attributes of <goflow-playground> (embed.js), read into one options
// object with a message for each bad one. Pure: no DOM, no goflow.

import { CONFIG_KEYS, README_DEFAULTS } from "./store.js";
import { scenarioNamed, SCENARIOS } from "./scenarios.js";
import { setText } from "./dom.js";

/** @typedef {import("./api").ConfigKey} ConfigKey */

/** The choices of the enumerated attributes; the first is the default. */
export const CONTROLS = /** @type {const} */ (["full", "minimal", "none"]);
export const THEMES = /** @type {const} */ (["auto", "light", "dark"]);

/**
 * kebab turns a camelCase config key into its kebab-case attribute name,
 * the canonical one: jobBuffer → job-buffer, consumerDelayMs → consumer-delay-ms.
 * @param {string} key
 */
export function kebab(key) {
  return key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

/** Every attribute the element reads: each config key in both spellings, and the rest. */
export const ATTRIBUTES = [
  ...new Set([...CONFIG_KEYS.map(kebab), ...CONFIG_KEYS.map((k) => k.toLowerCase()),
    "scenario", "speed", "controls", "autoplay", "theme", "timeline"]),
];

/**
 * @typedef {object} EmbedOptions
 * @property {Partial<import("./api").Config>} given the config keys the attributes set (seed included)
 * @property {string} scenario a scenario's name, or ""
 * @property {number} speed 0.05 to 1
 * @property {"full" | "minimal" | "none"} controls
 * @property {boolean} autoplay runs the scenario, and loops it, while visible
 * @property {"auto" | "light" | "dark"} theme
 * @property {boolean} timeline shows the timeline panel (lanes, cursor, seek, why: embed-view.js), the throughput plot and the event log
 * @property {string[]} errors one message per bad attribute, naming it
 */

/**
 * boolAttr reads a boolean attribute: present means true, except "false"
 * and "off" (so that timeline="false" hides), absent means def.
 * @param {string | null} v
 * @param {boolean} def
 */
function boolAttr(v, def) {
  if (v === null) return def;
  return !/^(false|off|no|0|hide)$/i.test(v.trim());
}

/**
 * readAttributes reads the options from get(name), which returns an
 * attribute's value or null. A config key may be written in kebab-case
 * (canonical: job-buffer) or camelCase (jobBuffer; HTML lower-cases it to
 * jobbuffer, which is read too); when both are given, kebab-case wins.
 * A bad value is named in errors and its default used. Ranges are checked
 * by Go (goflow.validate) once loaded; here only the kind.
 * @param {(name: string) => string | null} get
 * @returns {EmbedOptions}
 */
export function readAttributes(get) {
  /** @type {string[]} */
  const errors = [];
  /** @type {Partial<import("./api").Config>} */
  const given = {};
  for (const k of CONFIG_KEYS) {
    const name = get(kebab(k)) !== null ? kebab(k) : k.toLowerCase();
    const raw = get(name);
    if (raw === null) continue;
    if (k === "ordered" || k === "failFast") { // boolean attributes: ordered, fail-fast
      given[k] = boolAttr(raw, false);
      continue;
    }
    const n = raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isFinite(n)) {
      errors.push(`${name}="${raw}": want a number; using the default ${README_DEFAULTS[k]}`);
      continue;
    }
    given[k] = n;
  }
  /**
   * @template {string} T
   * @param {string} name
   * @param {readonly T[]} choices
   * @returns {T}
   */
  const choice = (name, choices) => {
    const raw = get(name);
    if (raw === null) return choices[0];
    const v = raw.trim().toLowerCase();
    const found = choices.find((c) => c === v);
    if (found !== undefined) return found;
    errors.push(`${name}="${raw}": want ${choices.join(", ")}; using ${choices[0]}`);
    return choices[0];
  };
  const controls = choice("controls", CONTROLS);
  const theme = choice("theme", THEMES);
  let scenario = (get("scenario") || "").trim();
  if (scenario && !scenarioNamed(scenario)) {
    errors.push(`scenario="${scenario}": want ${Object.keys(SCENARIOS).join(", ")}; using none`);
    scenario = "";
  }
  let speed = 1;
  const rawSpeed = get("speed");
  if (rawSpeed !== null) {
    const n = Number(rawSpeed);
    if (rawSpeed.trim() === "" || !(n >= 0.05 && n <= 1)) errors.push(`speed="${rawSpeed}": want a number from 0.05 to 1; using 1`);
    else speed = n;
  }
  return {
    given, scenario, speed, controls, theme, errors,
    autoplay: controls === "none" || boolAttr(get("autoplay"), false),
    timeline: boolAttr(get("timeline"), false),
  };
}

/**
 * configFor returns the config an element runs: the defaults, then its
 * scenario's config, then the keys its attributes set.
 * @param {EmbedOptions} o
 * @param {import("./api").Config} defaults
 * @returns {import("./api").Config}
 */
export function configFor(o, defaults) {
  const sc = scenarioNamed(o.scenario);
  return { ...defaults, ...(sc ? sc.config : {}), ...o.given };
}

/**
 * fullURL is the address of the full playground at the same state: base
 * (the folder of embed.js) with the scenario, the config and the speed.
 * @param {URL} base
 * @param {EmbedOptions} o
 * @param {import("./api").Config} config
 */
export function fullURL(base, o, config) {
  const u = new URL(base.href);
  if (o.scenario) u.searchParams.set("scenario", o.scenario);
  for (const k of CONFIG_KEYS) u.searchParams.set(k, String(config[k]));
  if (o.speed !== 1) u.searchParams.set("speed", String(o.speed));
  return u.href;
}

/**
 * validateConfig checks the element's config with Go (goflow.validate: the
 * ranges). Each bad key is named, by the attribute the page wrote, and
 * takes its default. It returns the config to run and every message.
 * @param {import("./api").GoflowInstance} inst
 * @param {EmbedOptions} o
 * @param {(name: string) => string | null} get the element's getAttribute
 * @returns {{config: import("./api").Config, errors: string[]}}
 */
export function validateConfig(inst, o, get) {
  const defaults = inst.defaults();
  let config = configFor(o, defaults);
  const errors = [...o.errors];
  for (let i = 0; i <= CONFIG_KEYS.length; i++) {
    try {
      return { config: inst.validate(config), errors };
    } catch (err) {
      const m = /^validate: (\w+): (.*)$/.exec(err instanceof Error ? err.message : "");
      const key = m ? CONFIG_KEYS.find((k) => k === m[1]) : undefined;
      if (!m || !key) throw err;
      const attr = get(kebab(key)) !== null ? kebab(key) : key.toLowerCase();
      errors.push(`${attr}="${get(attr)}": ${m[2]}; using the default ${defaults[key]}`);
      config = { ...config, [key]: defaults[key] };
    }
  }
  return { config, errors };
}

/**
 * showAttrErrors writes one line per bad attribute in box, each starting
 * with the element's name, and hides box when there is none.
 * @param {HTMLElement} box
 * @param {string[]} errors
 */
export function showAttrErrors(box, errors) {
  box.hidden = errors.length === 0;
  setText(box, errors.map((e) => `goflow-playground: ${e}`).join("\n"));
}
