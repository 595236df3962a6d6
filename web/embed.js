// @ts-check
// embed.js defines <goflow-playground>, the playground as a custom element
// for documentation pages (docs/embedding.md): one script tag, and any
// number of elements per page. Each renders in its own shadow root
// (the page's drawing modules, view.js, under that root; style.css and
// embed.css linked from next to this file), runs an instance of its own
// (goflow.create()), and shares with the others one download and compile of
// main.wasm and one Go runtime (goflow.js's load, from next to this file, so
// that a page of another origin works). Until it comes within one screen of
// the viewport, or is clicked, it shows the diagram at rest and a Run button
// and fetches nothing; far out of view it stops drawing and its autoplay
// loop. docs/embedding.md documents the attributes and theming.

import { load, messageOf } from "./goflow.js";
import { createView } from "./view.js";
import { find, setText } from "./dom.js";
import { README_DEFAULTS } from "./store.js";
import { scenarioNamed } from "./scenarios.js";
import { buildShadow } from "./embed-markup.js";
import { ATTRIBUTES, configFor, fullURL, readAttributes, validateConfig } from "./embed-attrs.js";
import { drawButtons } from "./embed-controls.js";
import "./args.js"; import "./recording.js"; import "./counters.js"; import "./diagram.js"; import "./log.js"; import "./narration.js"; import "./plot.js"; import "./runerr.js"; import "./tokens.js"; // flat: web/preload_test.go

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").GoflowInstance} GoflowInstance */
/** @typedef {import("./api").GoflowRoot} GoflowRoot */
/** @typedef {import("./embed-attrs.js").EmbedOptions} EmbedOptions */

/** The folder of this file: the site, with style.css, main.wasm and index.html. */
const BASE = new URL("./", import.meta.url);
/** How long a finished autoplay run stays on screen before it runs again. */
const LOOP_PAUSE_MS = 1500;
/** Jobs a run submits when no scenario says how many. */
const DEFAULT_SUBMIT = 10;

/** @type {WebAssembly.Memory | null} the runtime's memory, once loaded */
let memory = null;

/** A phase in which the session's goroutines may still run. */
const LIVE = new Set(["running", "closing", "canceled"]);

/**
 * GoflowPlayground is <goflow-playground>. Its state is "placeholder"
 * (nothing fetched), "loading", "ready" or "failed"; instance is its goflow
 * instance once ready (null before and after it is removed from the page).
 */
export class GoflowPlayground extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  /** @type {ShadowRoot | null} */ #root = null;
  /** @type {ReturnType<typeof createView> | null} */ #view = null;
  /** @type {Record<string, HTMLElement>} */ #ui = {};
  /** @type {EmbedOptions} */ #opts = readAttributes(() => null);
  /** @type {Config} */ #config = { ...README_DEFAULTS };
  /** @type {GoflowInstance | null} */ #inst = null;
  #state = "placeholder";
  #visible = false;
  #phase = "";
  #raf = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #loop = undefined;
  #hiddenPause = false; // the run was paused because it left the screen (autoplay)
  #starting = false;    // a run waits for the last one to end: clicks do not pile up
  /** @type {IntersectionObserver | null} */ #io = null;
  /** performance.now() when the element first came near the viewport, and when it was ready. */
  timing = { visibleMs: 0, readyMs: 0 };

  get state() { return this.#state; }
  get instance() { return this.#inst; }
  /** The size of the Go runtime's linear memory (one for every element), 0 before it loads. */
  get goHeapBytes() { return memory ? memory.buffer.byteLength : 0; }

  connectedCallback() {
    if (!this.#root) this.#build();
    this.#readOptions();
    this.#io = new IntersectionObserver((entries) => this.#setVisible(entries[entries.length - 1].isIntersecting),
      { rootMargin: "100% 0px" }); // one screen above and below
    this.#io.observe(this);
  }

  disconnectedCallback() {
    if (this.#io) this.#io.disconnect();
    this.#setVisible(false);
    if (this.#inst) {
      try { this.#inst.dispose(); } catch { /* already disposed */ }
    }
    this.#inst = null;
    if (this.#state === "ready") this.#setState("placeholder");
  }

  attributeChangedCallback() {
    if (this.#root) this.#readOptions();
  }

  #build() {
    const root = buildShadow(this, BASE);
    this.#root = root;
    const H = HTMLElement;
    for (const id of ["status", "narration", "attr-errors", "error", "full-link", "btn-run", "btn-submit", "btn-close", "btn-cancel", "btn-pause", "btn-consumer"]) {
      this.#ui[id] = find(root, id, H);
    }
    this.#ui.gf = /** @type {HTMLElement} */ (root.querySelector(".gf"));
    this.#view = createView(root, matchMedia("(prefers-reduced-motion: reduce)"));
    this.#view.observeLayout();
    this.#ui["btn-run"].addEventListener("click", () => this.#run());
    this.addEventListener("click", () => { if (this.#state === "placeholder") this.#activate(); }); // a click anywhere loads it
    this.#ui["btn-submit"].addEventListener("click", () => this.#act("submit", DEFAULT_SUBMIT));
    this.#ui["btn-close"].addEventListener("click", () => this.#act("close"));
    this.#ui["btn-cancel"].addEventListener("click", () => this.#act("cancel"));
    this.#ui["btn-pause"].addEventListener("click", () => this.#togglePause());
    this.#ui["btn-consumer"].addEventListener("click", () => {
      const s = this.#inst && this.#inst.snapshot();
      this.#act("pauseConsumer", !(s && s.consumer.paused));
    });
  }

  /** #readOptions reads the attributes, names the bad ones, and draws the element at rest. */
  #readOptions() {
    this.#opts = readAttributes((name) => this.getAttribute(name));
    this.#config = configFor(this.#opts, README_DEFAULTS);
    const gf = this.#ui.gf;
    gf.dataset.theme = this.#opts.theme;
    gf.dataset.controls = this.#opts.controls;
    gf.dataset.timeline = String(this.#opts.timeline);
    if (this.#inst) this.#validate();
    this.#showAttrErrors(this.#opts.errors);
    /** @type {HTMLAnchorElement} */ (this.#ui["full-link"]).href = fullURL(BASE, this.#opts, this.#config);
    if (!this.#inst && this.#view) this.#view.drawPreview(this.#config);
    if (this.#state === "placeholder") setText(this.#ui.narration, this.#opts.autoplay
      ? "The playground loads and runs when it comes into view." : "Press Run to load the playground and run it.");
  }

  /** @param {string[]} errors */
  #showAttrErrors(errors) {
    const box = this.#ui["attr-errors"];
    box.hidden = errors.length === 0;
    setText(box, errors.map((e) => `goflow-playground: ${e}`).join("\n"));
  }

  /** #validate checks the config with Go (the ranges): each bad key is named and takes its default. */
  #validate() {
    const r = validateConfig(/** @type {GoflowInstance} */ (this.#inst), this.#opts, (name) => this.getAttribute(name));
    this.#config = r.config;
    this.#showAttrErrors(r.errors);
  }

  /** @param {string} s */
  #setState(s) {
    this.#state = s;
    setText(this.#ui.status, { placeholder: "Not loaded", loading: "Loading…", ready: "Ready", failed: "Failed to load" }[s] || s);
  }

  /** @param {boolean} v */
  #setVisible(v) {
    this.#visible = v;
    if (v && !this.timing.visibleMs) this.timing.visibleMs = performance.now();
    if (v && this.#state === "placeholder") {
      this.#activate();
      return;
    }
    if (!this.#inst) return;
    if (v) {
      if (this.#hiddenPause) this.#inst.resume();
      this.#hiddenPause = false;
      this.#frames();
      return;
    }
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    clearTimeout(this.#loop);
    this.#loop = undefined;
    const s = this.#inst.snapshot();
    if (this.#opts.autoplay && LIVE.has(s.phase) && !s.paused) {
      this.#inst.pause(); // the autoplay run stands still while far away
      this.#hiddenPause = true;
    }
  }

  /** #activate loads the shared runtime and makes this element's instance. */
  async #activate() {
    if (this.#state !== "placeholder") return;
    this.#setState("loading");
    try {
      const rt = await load();
      memory = rt.memory;
      const inst = /** @type {GoflowRoot} */ (rt.goflow).create();
      if (!this.isConnected) {
        inst.dispose();
        this.#setState("placeholder");
        return;
      }
      this.#inst = inst;
      this.#validate();
      inst.setSpeed(this.#opts.speed);
      /** @type {HTMLAnchorElement} */ (this.#ui["full-link"]).href = fullURL(BASE, this.#opts, this.#config);
      this.#setState("ready");
      this.timing.readyMs = performance.now();
      this.#view && this.#view.drawPreview(this.#config);
      this.dispatchEvent(new Event("goflow:ready"));
      if (this.#opts.autoplay && this.#visible) this.#run();
      else if (this.#wantRun) this.#run();
      if (this.#visible) this.#frames();
    } catch (err) {
      this.#setState("failed");
      setText(this.#ui.error, `The playground could not start: ${messageOf(err)}`);
    }
  }

  #wantRun = false; // Run was pressed before the runtime was ready

  /** #run starts this element's scenario (after ending a run under way). */
  async #run() {
    if (!this.#inst) {
      this.#wantRun = true;
      if (this.#state === "placeholder") this.#activate();
      return;
    }
    if (this.#starting) return;
    this.#starting = true;
    clearTimeout(this.#loop);
    this.#loop = undefined;
    try {
      const inst = this.#inst;
      let s = inst.snapshot();
      if (s.paused) inst.resume();
      if (LIVE.has(s.phase) && s.ended !== "cancel") inst.cancel();
      for (let i = 0; i < 250 && LIVE.has(s.phase); i++) { // at most 5 s
        await new Promise((r) => setTimeout(r, 20));
        if (this.#inst !== inst) return;
        s = inst.snapshot();
      }
      inst.start(this.#config);
      const sc = scenarioNamed(this.#opts.scenario);
      inst.submit(sc ? sc.submit : DEFAULT_SUBMIT);
      if (this.#opts.autoplay) inst.close(); // it drains and ends, then runs again
      setText(this.#ui.error, "");
    } catch (err) {
      setText(this.#ui.error, messageOf(err));
    } finally {
      this.#starting = false;
      this.#wantRun = false;
    }
    if (this.#visible) this.#frames();
  }

  /**
   * @param {"submit" | "close" | "cancel" | "pauseConsumer"} name
   * @param {unknown[]} args
   */
  #act(name, ...args) {
    if (!this.#inst) return;
    try {
      /** @type {any} */ (this.#inst)[name](...args);
      setText(this.#ui.error, "");
    } catch (err) {
      setText(this.#ui.error, messageOf(err));
    }
  }

  #togglePause() {
    if (!this.#inst) return;
    const paused = this.#inst.snapshot().paused;
    if (paused) this.#inst.resume();
    else this.#inst.pause();
  }

  #frames() {
    if (this.#raf || !this.#visible || !this.#inst) return;
    const frame = (/** @type {number} */ now) => {
      this.#raf = 0;
      if (!this.#visible || !this.#inst) return;
      this.#raf = requestAnimationFrame(frame);
      this.#draw(now || performance.now());
    };
    this.#raf = requestAnimationFrame(frame);
  }

  /** @param {number} now */
  #draw(now) {
    const inst = /** @type {GoflowInstance} */ (this.#inst);
    let s;
    try {
      s = inst.snapshot();
      const phase = s.phase || "idle";
      const phaseChanged = phase !== this.#phase;
      this.#phase = phase;
      const view = /** @type {ReturnType<typeof createView>} */ (this.#view);
      view.watchPace(now);
      view.draw(s, now, { phaseChanged, preview: this.#config });
    } catch (err) {
      setText(this.#ui.error, `render: ${messageOf(err)}`);
      return;
    }
    drawButtons(this.#ui, s);
    if (this.#opts.autoplay && s.phase === "done" && this.#loop === undefined && !this.#starting) {
      this.#loop = setTimeout(() => this.#run(), LOOP_PAUSE_MS);
    }
  }
}

if (!customElements.get("goflow-playground")) customElements.define("goflow-playground", GoflowPlayground);
