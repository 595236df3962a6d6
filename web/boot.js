// @ts-check
// boot.js is a classic script, loaded before the page's module (app.js):
// classic scripts load even where modules cannot, so it can say why the
// page did not start. In a frame sandboxed without allow-same-origin the
// page has an opaque origin, its module scripts and main.wasm are
// cross-origin requests, and the browser refuses them.
"use strict";
(function () {
  /** @param {string} text */
  function show(text) {
    function put() {
      const box = document.getElementById("load-error");
      const status = document.getElementById("status");
      if (status) status.textContent = "Failed to load";
      if (!box) return;
      box.hidden = false;
      box.textContent = text;
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", put, { once: true });
    else put();
  }
  // A module script that fails to load fires "error" at its element; that
  // event does not bubble, so listen in the capture phase.
  addEventListener("error", function (e) {
    const el = e.target;
    if (!(el instanceof HTMLScriptElement) || el.type !== "module") return;
    if (self.origin === "null") {
      show("The playground could not start: it runs in a sandboxed frame without allow-same-origin, " +
        "so the browser refuses to load its scripts and main.wasm. The host page must allow both " +
        "(sandbox=\"allow-scripts allow-same-origin\") or leave the sandbox attribute out.");
    } else {
      show("The playground could not start: the browser could not load " + el.src + ".");
    }
  }, true);
})();
