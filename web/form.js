// @ts-check
// The config form: reading and setting its fields, checking them through
// goflow.validate (the rules live only in Go), the limits on its inputs,
// and the note that changes apply at the next Start.

import { CONFIG_KEYS } from "./store.js";
import { setText } from "./dom.js";

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").ConfigInput} ConfigInput */
/** @typedef {import("./api").ConfigKey} ConfigKey */
/** @typedef {import("./api").Limits} Limits */

/**
 * createForm returns the form's operations.
 * @param {{inputs: Record<ConfigKey, HTMLInputElement>, configNote: HTMLElement, speed: HTMLInputElement}} ui
 * @param {import("./store.js").Store} store it sets formConfig and inputError, reads snap
 * @param {import("./client.js").Client} client
 */
export function createForm(ui, store, client) {
  /**
   * rawValue is what the field for key holds, trimmed.
   * @param {ConfigKey} key
   */
  function rawValue(key) {
    const input = ui.inputs[key];
    if (input.type === "checkbox") return input.checked ? "true" : "false";
    return input.value.trim();
  }

  /**
   * values reads the form; a value that is not a number is passed on as
   * the string typed, so that Go's message names it.
   * @returns {ConfigInput}
   */
  function values() {
    /** @type {ConfigInput} */
    const cfg = {};
    for (const k of CONFIG_KEYS) {
      if (ui.inputs[k].type === "checkbox") {
        cfg[k] = ui.inputs[k].checked; // ordered, failFast: booleans
        continue;
      }
      const raw = rawValue(k);
      const n = Number(raw);
      cfg[k] = raw !== "" && Number.isFinite(n) ? n : raw;
    }
    return cfg;
  }

  /**
   * set fills the fields cfg names, leaving the others.
   * @param {Partial<Record<ConfigKey, number | boolean>>} cfg
   */
  function set(cfg) {
    for (const k of CONFIG_KEYS) {
      if (cfg[k] === undefined) continue;
      if (ui.inputs[k].type === "checkbox") ui.inputs[k].checked = cfg[k] === true;
      else ui.inputs[k].value = String(cfg[k]);
    }
  }

  /**
   * validate checks each field alone (to mark the right inputs) and the
   * whole config, and returns the first problem, or "".
   */
  function validate() {
    const vals = values();
    let first = "";
    for (const k of CONFIG_KEYS) {
      const r = client.call("validate", { [k]: vals[k] });
      const input = ui.inputs[k];
      if (r.ok) {
        input.removeAttribute("aria-invalid");
      } else {
        input.setAttribute("aria-invalid", "true");
        if (!first) first = r.error;
      }
    }
    const all = client.call("validate", vals);
    if (!all.ok && !first) first = all.error;
    store.formConfig = all.ok ? all.value : null;
    store.inputError = first;
    return first;
  }

  /** updateNote says when the form differs from the running pipeline's config. */
  function updateNote() {
    const s = store.snap;
    let note = "";
    if (s && (s.phase === "running" || s.phase === "closing" || s.phase === "canceled") && store.formConfig && s.config) {
      const fc = store.formConfig;
      // A seed of 0 asks Start to pick one, so it matches any picked seed.
      const differs = CONFIG_KEYS.some((k) => s.config[k] !== fc[k] && !(k === "seed" && fc[k] === 0));
      if (differs) note = "(changes apply at the next Start)";
    }
    setText(ui.configNote, note);
  }

  /**
   * applyLimits sets each input's min, max and step, and the speed slider's.
   * @param {Limits} lim
   */
  function applyLimits(lim) {
    for (const k of CONFIG_KEYS) {
      const l = lim[k];
      if (!l || l.boolean) continue; // a checkbox has no range
      const input = ui.inputs[k];
      input.min = String(l.min);
      input.max = String(l.max);
      input.step = l.integer ? "1" : "0.01";
    }
    if (lim.speed) {
      ui.speed.min = String(lim.speed.min);
      ui.speed.max = String(lim.speed.max);
      ui.speed.step = String(Math.min(0.05, lim.speed.min));
    }
  }

  return { rawValue, values, set, validate, updateNote, applyLimits };
}

/** @typedef {ReturnType<typeof createForm>} Form */
