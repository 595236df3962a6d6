package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// readyTarget is how soon after navigation the page should be usable, by its
// own clock; readyLimit is where the test fails, with room for a loaded
// machine.
const (
	readyTarget = 1500 * time.Millisecond
	readyLimit  = 2 * readyTarget
)

// TestLoad: the page loads, the module becomes ready within the target time,
// the controls enable and nothing is logged as an error.
func TestLoad(t *testing.T) {
	tb := newTab(t)
	began := time.Now()
	tb.navigate("")
	pageMs := tb.waitReady()
	wall := time.Since(began)
	ready := time.Duration(pageMs * float64(time.Millisecond))
	t.Logf("navigation to ready: %v by the page's clock (performance.now() at the first ready frame); %v around Navigate and the wait; target %v",
		ready.Round(time.Millisecond), wall.Round(time.Millisecond), readyTarget)
	if ready > readyLimit {
		t.Errorf("navigation to ready took %v; want under %v (target %v)", ready, readyLimit, readyTarget)
	}

	if got := tb.text("status"); got != "Ready" {
		t.Errorf("#status = %q; want %q", got, "Ready")
	}
	if got := tb.text("phase"); got != "idle" {
		t.Errorf("#phase = %q; want %q", got, "idle")
	}
	if got := tb.text("error"); got != "" {
		t.Errorf("#error = %q; want it empty", got)
	}
	if !eval[bool](tb, `(() => {
		const el = document.getElementById("load-error");
		return !el || el.hidden || getComputedStyle(el).display === "none" || el.textContent.trim() === "";
	})()`) {
		t.Errorf("#load-error is shown: %q", tb.text("load-error"))
	}

	// Every config input, the speed, Start and the scenario buttons are enabled.
	disabled := eval[[]string](tb, `(() => {
		const ids = Object.keys(goflow.defaults()).map(k => "cfg-" + k).concat(["speed", "btn-start"]);
		const els = ids.map(id => document.getElementById(id) || {id: id + " (missing)", disabled: true});
		els.push(...document.querySelectorAll("button[data-scenario]"));
		return els.filter(el => el.disabled).map(el => el.id || el.outerHTML);
	})()`)
	if len(disabled) > 0 {
		t.Errorf("controls disabled or missing once ready: %s", strings.Join(disabled, ", "))
	}

	// The module came over the fast path: served as application/wasm, so
	// instantiateStreaming worked and the page did not warn and fall back.
	if ct := eval[string](tb, `fetch("main.wasm", {method: "HEAD"}).then(r => r.headers.get("Content-Type") ?? "")`, chromedp.EvalAwaitPromise); ct != "application/wasm" {
		t.Errorf("main.wasm served as %q; want application/wasm", ct)
	}
	for _, l := range tb.lines("warning") {
		t.Errorf("console.warn while loading: %s", l.text)
	}

	// The page draws every frame and publishes what it drew for tests.
	tb.waitFor("window.goflowPage to count frames and hold the last snapshot",
		`window.goflowPage.frames > 2 && window.goflowPage.snapshot.phase === "idle"`, quick)

	missing := eval[[]string](tb, `["start", "submit", "close", "cancel", "pauseConsumer", "setSpeed",
		"snapshot", "parseQuery", "validate", "defaults", "limits"].filter(f => typeof goflow[f] !== "function")`)
	if len(missing) > 0 {
		t.Errorf("goflow lacks functions: %s", strings.Join(missing, ", "))
	}
}
