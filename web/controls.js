// @ts-check
// The controls: the action buttons, the scenarios, the speed slider and the
// form's input, and which of them the phase allows.

import { CONFIG_KEYS } from "./store.js";
import { drawCode } from "./code.js";
import { setText } from "./dom.js";
import { scenarioNamed } from "./scenarios.js";

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./client.js").Outcome<void>} VoidOutcome */

/** nextFrame resolves on the next animation frame. */
function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/**
 * createControls returns the controls' operations; wire adds the listeners.
 * @param {import("./dom.js").Elements} ui
 * @param {import("./store.js").Store} store
 * @param {import("./client.js").Client} client
 * @param {import("./form.js").Form} form
 * @param {{scheduleURL: () => void}} hooks
 */
export function createControls(ui, store, client, form, hooks) {
  const { call, action, showError } = client;

  /** renderCode shows the form's program in the code panel. */
  function renderCode() {
    drawCode(ui.code, store.formConfig, store.inputError);
  }

  /**
   * hint highlights the button with the given id, or none.
   * @param {string} buttonID
   */
  function hint(buttonID) {
    for (const b of Object.values(ui.btn)) {
      if (buttonID && b.id === buttonID) b.dataset.hint = "true";
      else b.removeAttribute("data-hint");
    }
  }

  function start() {
    const r = action("start", form.values());
    if (r.ok) {
      store.formConfig = r.value;
      hint("");
    }
    return r.ok;
  }

  /** @param {number} n */
  function submit(n) {
    return action("submit", n).ok;
  }

  /**
   * applyConfig sets the form to cfg over the defaults.
   * @param {Partial<Config>} cfg
   */
  function applyConfig(cfg) {
    form.set({ ...store.defaults, ...cfg });
    form.validate();
    renderCode();
    form.updateNote();
  }

  function onFormInput() {
    const msg = form.validate();
    showError(msg);
    renderCode();
    form.updateNote();
    hooks.scheduleURL();
  }

  /** runScenario cancels a running pipeline, then starts the scenario's. */
  async function runScenario() {
    const name = store.scenario;
    const sc = scenarioNamed(name);
    if (!sc || store.pending) return;
    store.pending = name;
    update();
    try {
      const phase = store.snap ? store.snap.phase : "idle";
      if (phase === "running" || phase === "closing") {
        setText(ui.narration, "Canceling the current pipeline first…");
        if (!action("cancel").ok) return;
      }
      const t0 = performance.now();
      while (store.snap && store.snap.phase !== "idle" && store.snap.phase !== "done") {
        if (performance.now() - t0 > 15000) {
          showError("Run scenario: the previous pipeline did not finish within 15 s; try again");
          return;
        }
        await nextFrame();
      }
      if (!start()) return;
      if (!submit(sc.submit)) return;
      if (sc.hint) hint(sc.hint);
    } finally {
      store.pending = null;
      update();
    }
  }

  /**
   * chooseScenario selects the scenario name and, unless keepConfig, sets
   * the form to its config.
   * @param {string} name
   * @param {{keepConfig?: boolean}} [opts]
   */
  function chooseScenario(name, { keepConfig = false } = {}) {
    const sc = scenarioNamed(name);
    if (!sc) return;
    store.scenario = name;
    for (const b of ui.scenarioButtons) b.setAttribute("aria-pressed", String(b.dataset.scenario === name));
    ui.scenarioText.textContent = sc.text;
    ui.runScenario.hidden = false;
    ui.runScenario.textContent = `Run scenario: ${sc.label}`;
    if (!keepConfig) applyConfig(sc.config);
    hint("");
    update();
    hooks.scheduleURL();
  }

  /**
   * setSpeed sets the session's speed; fromUser shows a failure in the
   * error box.
   * @param {number | string} value
   * @param {{fromUser?: boolean}} [opts]
   * @returns {VoidOutcome}
   */
  function setSpeed(value, { fromUser = true } = {}) {
    const v = Number(value);
    const r = fromUser ? action("setSpeed", v) : call("setSpeed", v);
    if (r.ok) store.speed = v;
    renderSpeed();
    hooks.scheduleURL();
    return r;
  }

  /** renderSpeed shows store.speed on the slider. */
  function renderSpeed() {
    const v = store.speed;
    ui.speed.value = String(v);
    const slow = v < 1 ? `${+(1 / v).toFixed(1)}× slow motion` : "real time";
    const text = `${+v.toFixed(2)}× (${slow})`;
    ui.speedOut.textContent = text;
    ui.speed.setAttribute("aria-valuetext", text);
  }

  /** update enables what the phase allows; call it when the phase, the consumer's pause or the store changes. */
  function update() {
    const s = store.snap;
    const p = s ? s.phase : "idle";
    const live = store.ready && !store.dead;
    const busy = !!store.pending;
    const can = {
      start: p === "idle" || p === "done",
      submit1: p === "running",
      submit10: p === "running",
      burst: p === "running",
      close: p === "running",
      cancel: p === "running" || p === "closing",
      pause: p === "running" || p === "closing",
    };
    const focused = ui.app.ownerDocument.activeElement;
    let lostFocus = false;
    for (const [k, b] of Object.entries(ui.btn)) {
      const disabled = !live || busy || !can[/** @type {keyof typeof can} */ (k)];
      if (disabled && b === focused) lostFocus = true;
      b.disabled = disabled;
    }
    const paused = !!(s && s.consumer && s.consumer.paused);
    ui.btn.pause.setAttribute("aria-pressed", String(paused));
    for (const k of CONFIG_KEYS) ui.inputs[k].disabled = !live;
    ui.speed.disabled = !live;
    for (const b of ui.scenarioButtons) b.disabled = !live;
    ui.runScenario.disabled = !live || busy || !store.scenario;
    if (lostFocus) {
      // Keep keyboard users in the action row when the button they used turns off.
      const next = [ui.btn.submit1, ui.btn.start, ui.btn.cancel].find((b) => !b.disabled);
      if (next) next.focus();
    }
  }

  /** wire adds the controls' listeners. */
  function wire() {
    ui.btn.start.addEventListener("click", () => start());
    ui.btn.submit1.addEventListener("click", () => submit(1));
    ui.btn.submit10.addEventListener("click", () => submit(10));
    ui.btn.burst.addEventListener("click", () => submit(100));
    ui.btn.close.addEventListener("click", () => action("close"));
    ui.btn.cancel.addEventListener("click", () => {
      if (action("cancel").ok) hint("");
    });
    ui.btn.pause.addEventListener("click", () => {
      const paused = !!(store.snap && store.snap.consumer && store.snap.consumer.paused);
      action("pauseConsumer", !paused);
    });
    ui.form.addEventListener("input", onFormInput);
    ui.form.addEventListener("submit", (e) => e.preventDefault());
    ui.speed.addEventListener("input", () => setSpeed(ui.speed.value));
    for (const b of ui.scenarioButtons) b.addEventListener("click", () => chooseScenario(b.dataset.scenario || ""));
    ui.runScenario.addEventListener("click", () => runScenario());
  }

  return { wire, update, hint, chooseScenario, setSpeed, renderSpeed, renderCode };
}

/** @typedef {ReturnType<typeof createControls>} Controls */
