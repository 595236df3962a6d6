// @ts-check
// embed.js defines <goflow-playground>, the playground as a custom element
// for documentation pages (docs/embedding.md): one script tag, and any
// number of elements per page. Each renders in its own shadow root
// (the page's drawing modules, transport bar and timeline panel under that
// root: embed-view.js; style.css and embed.css linked from next to this
// file), runs an instance of its own
// (goflow.create()), and shares with the others one download and compile of
// main.wasm and one Go runtime (goflow.js's load, from next to this file, so
// that a page of another origin works). Until it comes within one screen of
// the viewport, or is clicked, it shows the diagram at rest and a Run button
// and fetches nothing; far out of view it stops drawing and its autoplay
// loop. docs/embedding.md documents the attributes and theming.

import { load, messageOf } from "./goflow.js";
import { setText } from "./dom.js";
import { README_DEFAULTS, createStore } from "./store.js";
import { scenarioNamed } from "./scenarios.js";
import { buildShadow } from "./embed-markup.js";
import { ATTRIBUTES, configFor, fullURL, readAttributes, showAttrErrors, validateConfig } from "./embed-attrs.js";
import { DEFAULT_SUBMIT, createElementView } from "./embed-view.js";
import { LIVE, endRun } from "./embed-run.js"; import { linkHere } from "./embed-link.js";
import "./view.js"; import "./client.js"; import "./transport.js"; import "./embed-controls.js"; import "./lanes.js"; // the timeline's other modules: embed-view.js imports them when the attribute shows it
import "./args.js"; import "./recording.js"; import "./counters.js"; import "./diagram.js"; import "./log.js"; import "./narration.js"; import "./plot.js"; import "./runerr.js"; import "./tokens.js"; import "./share.js"; // flat: web/preload_test.go

/** @typedef {import("./api").Config} Config */
/** @typedef {import("./api").GoflowInstance} GoflowInstance */
/** @typedef {import("./api").GoflowRoot} GoflowRoot */
/** @typedef {import("./embed-attrs.js").EmbedOptions} EmbedOptions */

/** The folder of this file: the site, with style.css, main.wasm and index.html. */
const BASE = new URL("./", import.meta.url);
/** How long a finished autoplay run stays on screen before it runs again. */
const LOOP_PAUSE_MS = 1500;

/** @type {WebAssembly.Memory | null} the runtime's memory, once loaded */
let memory = null;

/**
 * GoflowPlayground is <goflow-playground>. Its state is "placeholder"
 * (nothing fetched), "loading", "ready" or "failed"; instance is its goflow
 * instance once ready (null before and after it is removed from the page).
 */
export class GoflowPlayground extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  /** @type {ShadowRoot | null} */ #root = null;
  /** @type {ReturnType<typeof createElementView> | null} */ #v = null; // its view, bar, buttons and timeline
  /** @type {Record<string, HTMLElement>} */ #ui = {};
  /** @type {EmbedOptions} */ #opts = readAttributes(() => null);
  /** @type {Config} */ #config = { ...README_DEFAULTS };
  /** @type {GoflowInstance | null} */ #inst = null;
  #state = "placeholder";
  #visible = false;
  #raf = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #loop = undefined;
  #hiddenPause = false; // the run was paused because it left the screen (autoplay)
  #starting = false;    // a run waits for the last one to end: clicks do not pile up
  /** @type {IntersectionObserver | null} */ #io = null;
  /** the transport bar's state: ready, and cursor (the moment on view, null = live) */
  #store = createStore("");
  /** performance.now() when it was first drawn styled, when it first came near the viewport, and when it was ready. */
  timing = { styledMs: 0, visibleMs: 0, readyMs: 0 };

  get state() { return this.#state; }
  get instance() { return this.#inst; }
  /** The size of the Go runtime's linear memory (one for every element), 0 before it loads. */
  get goHeapBytes() { return memory ? memory.buffer.byteLength : 0; }
  /** Each frame's drawing time and the timeline panel's figures (embed-view.js), null before it is built. */
  get frameStats() { return this.#v ? this.#v.stats : null; }

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
    try { if (this.#inst) this.#inst.dispose(); } catch { /* already disposed */ }
    this.#inst = null;
    Object.assign(this.#store, { ready: false, cursor: null, snap: null });
    if (this.#state === "ready") this.#setState("placeholder");
  }

  attributeChangedCallback() {
    if (this.#root) this.#readOptions();
  }

  #build() {
    const root = buildShadow(this, BASE, () => {
      requestAnimationFrame(() => requestAnimationFrame(() => { this.timing.styledMs = performance.now(); })); // drawn styled
      if (this.#v) this.#v.recolor(); // colours read before it was styled
    });
    this.#root = root;
    this.#v = createElementView(root, this.#store, { run: () => this.#run(), full: (e) => this.#openFull(e) });
    this.#ui = this.#v.ui;
    this.addEventListener("click", () => { if (this.#state === "placeholder" || this.#state === "failed") this.#activate(); }); // a click anywhere loads it (again)
  }

  /** #readOptions reads the attributes, names the bad ones, and draws the element at rest. */
  #readOptions() {
    this.#opts = readAttributes((name) => this.getAttribute(name));
    this.#config = configFor(this.#opts, README_DEFAULTS);
    const gf = this.#ui.gf;
    gf.dataset.theme = this.#opts.theme;
    gf.dataset.controls = this.#opts.controls;
    gf.dataset.timeline = String(this.#opts.timeline);
    if (this.#v) this.#v.showTimeline(this.#opts.timeline);
    if (this.#v) this.#v.recolor(); // the canvases take resolved colours: theme or custom properties may have changed
    if (this.#inst) this.#validate(); // the ranges too
    else showAttrErrors(this.#ui["attr-errors"], this.#opts.errors);
    /** @type {HTMLAnchorElement} */ (this.#ui["full-link"]).href = fullURL(BASE, this.#opts, this.#config);
    if (!this.#inst && this.#v) this.#v.drawPreview(this.#config);
    if (this.#state === "placeholder") setText(this.#ui.narration, this.#opts.autoplay
      ? "The playground loads and runs when it comes into view." : "Press Run to load the playground and run it.");
  }

  /** #validate checks the config with Go (the ranges): each bad key is named and takes its default. */
  #validate() {
    const r = validateConfig(/** @type {GoflowInstance} */ (this.#inst), this.#opts, (name) => this.getAttribute(name));
    this.#config = r.config;
    showAttrErrors(this.#ui["attr-errors"], r.errors);
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
    if (this.#state !== "placeholder" && this.#state !== "failed") return;
    this.#setState("loading"); setText(this.#ui.error, ""); // a retry clears the last failure
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
      const v = /** @type {ReturnType<typeof createElementView>} */ (this.#v);
      v.client.attach(/** @type {any} */ (inst));
      v.transport.forget(); // a past moment of the last instance
      v.newRun(); // nor its lanes
      this.#store.ready = true;
      this.#validate();
      inst.setSpeed(this.#opts.speed);
      /** @type {HTMLAnchorElement} */ (this.#ui["full-link"]).href = fullURL(BASE, this.#opts, this.#config);
      this.#setState("ready");
      this.timing.readyMs = performance.now();
      v.drawPreview(this.#config);
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

  /** fullLink returns the full playground's address at this element's state: config, seed, recording and the moment on view. */
  async fullLink() {
    const t = this.#v && this.#v.transport;
    if (!this.#inst || !t) return /** @type {HTMLAnchorElement} */ (this.#ui["full-link"]).href;
    return linkHere(BASE, this.#opts, this.#config, this.#inst, t.moment());
  }

  /** @param {Event} e the full link's click: once loaded, it opens the link made now (before, its href: the config) */
  #openFull(e) {
    if (!this.#inst) return;
    e.preventDefault();
    this.fullLink().then((url) => window.open(url, "_blank", "noopener"),
      (err) => setText(this.#ui.error, `Open in the full playground: ${messageOf(err)}`));
  }

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
    this.#store.cursor = null; // a new run is shown live
    if (this.#v) this.#v.newRun(); // and draws its own lanes (an autoplay loop's too)
    try {
      const inst = this.#inst;
      if (!await endRun(inst, () => this.#inst === inst)) return;
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
    const v = /** @type {ReturnType<typeof createElementView>} */ (this.#v);
    const live = v.draw(/** @type {GoflowInstance} */ (this.#inst), now, this.#config);
    if (live && this.#opts.autoplay && live.phase === "done" && this.#loop === undefined && !this.#starting) {
      this.#loop = setTimeout(() => this.#run(), LOOP_PAUSE_MS);
    }
  }
}

if (!customElements.get("goflow-playground")) customElements.define("goflow-playground", GoflowPlayground);
