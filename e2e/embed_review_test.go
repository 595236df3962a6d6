package e2e_test

// A hostile review of issue 13's element: the places a docs site puts it
// (a closed <details>, a display:none panel, another shadow root, added by
// script after load), scrolled far away while autoplaying and back, and
// removed while its runtime is still loading.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/goflow-dev/goflow/web"
)

// hiddenPlaces holds an element in a closed <details> and one in a
// display:none panel; the tests add one inside another element's shadow
// root and one at the end of the body after load, all four alike.
const hiddenPlaces = `<details id="d"><summary>Example</summary><goflow-playground workers="2"></goflow-playground></details>
<div id="panel" style="display: none"><goflow-playground workers="2"></goflow-playground></div>
<div id="host"></div>`

// inPlace is the JavaScript of the element at place: "details", "panel",
// "shadow" or "added".
func inPlace(place string) string {
	switch place {
	case "details":
		return `document.querySelector("#d goflow-playground")`
	case "panel":
		return `document.querySelector("#panel goflow-playground")`
	case "shadow":
		return `document.getElementById("host").shadowRoot.querySelector("goflow-playground")`
	}
	return `document.querySelector("body > goflow-playground")`
}

// TestEmbedHiddenPlaces: elements that are not rendered (closed <details>,
// display:none) fetch nothing until shown, then load and draw at their
// size; elements inside another shadow root or added by script after load
// load when seen and run.
func TestEmbedHiddenPlaces(t *testing.T) {
	site, wasm := siteServer(t)
	tb := newTab(t)
	tb.goTo(hostServer(t, embedPage(site, "", hiddenPlaces), "", nil))
	tb.waitFor("the element to be defined", `customElements.get("goflow-playground") !== undefined`, loadTime)
	// Nothing visible: nothing fetched.
	for _, p := range []string{"details", "panel"} {
		if got := eval[string](tb, inPlace(p)+`.state`); got != "placeholder" {
			t.Errorf("the element in the %s is %q before it is shown; want placeholder", p, got)
		}
	}
	if n := wasm.Load(); n != 0 {
		t.Errorf("main.wasm fetched %d times with no element shown; want 0", n)
	}
	tb.exec(`document.getElementById("host").attachShadow({mode: "open"}).innerHTML = '<goflow-playground workers="2"></goflow-playground>'`)
	tb.exec(`document.body.insertAdjacentHTML("beforeend", '<goflow-playground workers="2"></goflow-playground>')`)
	for _, p := range []string{"shadow", "added"} {
		pollFor[bool](tb, "the element "+p+" to be ready", inPlace(p)+`.state === "ready"`, loadTime)
	}
	for _, c := range []struct{ place, show string }{
		{"details", `document.getElementById("d").open = true`},
		{"panel", `document.getElementById("panel").style.display = "block"`},
	} {
		if got := eval[string](tb, inPlace(c.place)+`.state`); got != "placeholder" {
			t.Errorf("the element in the %s is %q while hidden; want placeholder", c.place, got)
		}
		tb.exec(c.show)
		pollFor[bool](tb, "the element in the "+c.place+" to be ready", inPlace(c.place)+`.state === "ready"`, loadTime)
	}
	if n := wasm.Load(); n != 1 {
		t.Errorf("main.wasm fetched %d times for four elements; want 1", n)
	}
	for _, p := range []string{"details", "panel", "shadow", "added"} {
		e := inPlace(p)
		// Laid out at its size once shown: the same height as the one
		// added in view (all four have the same attributes).
		pollFor[bool](tb, "the element "+p+" to be laid out as the others",
			fmt.Sprintf(`%s.offsetHeight > 200 && %s.offsetHeight === %s.offsetHeight`, e, e, inPlace("added")), quick)
		tb.exec(e + `.scrollIntoView()`)
		tb.exec(e + `.shadowRoot.getElementById("btn-run").click()`)
		pollFor[bool](tb, "the element "+p+" to run", e+`.instance.snapshot().counters.received > 0`, loadTime)
	}
}

// TestEmbedScrollAwayAndBack: an autoplaying element scrolled far away
// stops its animation frames and pauses its run; scrolled back, it
// resumes and draws again.
func TestEmbedScrollAwayAndBack(t *testing.T) {
	site, _ := siteServer(t)
	// Count the animation frames the page asks for, from before embed.js.
	count := `<script>window.frames_ = 0; const raf = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (f) => { window.frames_++; return raf(f); };</script>`
	body := `<goflow-playground controls="none" autoplay work-ms="300" workers="2"></goflow-playground><div style="height: 500vh"></div><p id="far">far</p>`
	tb := newTab(t)
	tb.goTo(hostServer(t, embedPage(site, count, body), "", nil))
	tb.waitElement(0)
	pollFor[bool](tb, "the autoplay run to receive", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
	tb.exec(`document.getElementById("far").scrollIntoView()`)
	pollFor[bool](tb, "the run to pause far away", el(0)+`.instance.snapshot().paused`, quick)
	// No frames asked for while far away: count them across 20 frames
	// (the test's own, through the original requestAnimationFrame).
	tb.exec(`window.framesAway = new Promise((done) => { let n = 0; const before = window.frames_; const tick = () => { if (++n < 20) raf(tick); else done(window.frames_ - before); }; raf(tick); })`)
	if n := eval[int](tb, `window.framesAway`, chromedp.EvalAwaitPromise); n > 0 {
		t.Errorf("far out of view, the element asked for %d animation frames in 20; want none", n)
	}
	received := eval[int](tb, el(0)+`.instance.snapshot().counters.received`)
	tb.exec(`scrollTo(0, 0)`)
	pollFor[bool](tb, "the run to resume in view", `!`+el(0)+`.instance.snapshot().paused`, quick)
	pollFor[bool](tb, "the run to go on", fmt.Sprintf(`%s.instance.snapshot().counters.received > %d || %s.instance.snapshot().phase === "done"`, el(0), received, el(0)), loadTime)
}

// TestEmbedRemovedWhileLoading: an element removed while the runtime
// loads leaves no instance alive: afterwards goflow.create() can make all
// 64, and an element added again loads and runs.
func TestEmbedRemovedWhileLoading(t *testing.T) {
	site, _ := siteServer(t)
	tb := newTab(t)
	tb.goTo(hostServer(t, embedPage(site, "", `<div id="box"></div>`), "", nil))
	tb.waitFor("the element to be defined", `customElements.get("goflow-playground") !== undefined`, loadTime)
	tb.exec(`window.e = document.createElement("goflow-playground"); document.getElementById("box").append(e)`)
	pollFor[bool](tb, "the element to load", `e.state === "loading"`, quick)
	tb.exec(`e.remove()`)
	tb.waitFor("the runtime to load", `typeof goflow === "object" && typeof goflow.create === "function"`, loadTime)
	// The element's #activate runs on after load's promise: let it finish.
	tb.waitFor("the element to settle", `e.state === "placeholder" && e.instance === null`, quick)
	if got := tb.thrownBy(`const made = []; try { for (let i = 0; i < 64; i++) made.push(goflow.create()); } finally { for (const m of made) m.dispose(); }`); got != "no throw" {
		t.Errorf("64 create()s after the element was removed while loading: %s; want all made (none leaked)", got)
	}
	tb.exec(`document.getElementById("box").append(e)`)
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the element added again to run", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
}

// TestEmbedSiteUnderSubPath: the folder `make site` writes (web.WriteSite),
// hosted under a sub-path (/docs/goflow/) of the docs site with its strict
// CSP, runs an element, and the element's link to the full playground
// opens a playground that loads there, at the element's config.
func TestEmbedSiteUnderSubPath(t *testing.T) {
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := web.WriteSite(dir, siteDir); err != nil {
		t.Fatal(err)
	}
	const policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
	host := hostServer(t, embedPage("/docs/goflow/", "", `<goflow-playground workers="3" job-buffer="2"></goflow-playground>`),
		policy, http.StripPrefix("/docs/goflow", web.Handler(dir)))
	tb := newTab(t)
	tb.recordCSPViolations()
	tb.goTo(host)
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the element to run", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
	link := eval[string](tb, shadowEl(0, "full-link")+`.href`)
	if !strings.HasPrefix(link, host+"docs/goflow/") {
		t.Fatalf("the full link %q; want it under %sdocs/goflow/", link, host)
	}
	tb.goTo(link)
	tb.waitReady()
	if got := eval[string](tb, `document.getElementById("cfg-workers").value + " " + document.getElementById("cfg-jobBuffer").value`); got != "3 2" {
		t.Errorf("the full playground opened with workers and job buffer %q; want 3 2", got)
	}
	if v := eval[[]string](tb, `window.cspViolations || []`); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}

// TestDisposeMidStep: an instance disposed while a step waits for its next
// event, while paused, and after a load settles its step's promise (with
// the cancel event or an error) instead of leaving it pending, and every
// later call says "instance disposed"; the default instance runs on.
func TestDisposeMidStep(t *testing.T) {
	site, _ := siteServer(t)
	tb := newTab(t)
	tb.goTo(hostServer(t, embedPage(site, "", `<goflow-playground></goflow-playground>`), "", nil))
	tb.waitElement(0)
	got := eval[string](tb, `(async () => {
		const out = [];
		goflow.start({workers: 2, workMs: 60000}); goflow.submit(2);
		// A step that waits: every worker busy for a minute, the producer done.
		const a = goflow.create();
		a.start({workers: 2, workMs: 60000}); a.submit(2);
		await new Promise((r) => setTimeout(r, 50));
		a.pause();
		while (true) { const e = a.step(); if (e instanceof Promise) { var waiting = e; break; } }
		a.dispose();
		const settled = await Promise.race([waiting.then((e) => "event " + e.kind, (err) => "error " + err.message),
			new Promise((r) => setTimeout(() => r("pending"), 3000))]);
		out.push("step: " + settled);
		try { a.snapshot(); out.push("snapshot after dispose: no throw"); } catch (e) { out.push(e.message); }
		// Paused, with a loaded recording.
		const b = goflow.create();
		b.start({workers: 1, workMs: 1}); b.submit(3); b.close();
		await new Promise((r) => setTimeout(r, 200));
		const rec = b.recording();
		b.load(rec); b.pause(); b.dispose();
		try { b.load(rec); out.push("load after dispose: no throw"); } catch (e) { out.push(e.message); }
		out.push("default " + goflow.snapshot().phase);
		goflow.cancel();
		return out.join("; ");
	})()`, chromedp.EvalAwaitPromise)
	t.Log(got)
	if strings.Contains(got, "pending") || strings.Contains(got, "no throw") || !strings.Contains(got, "snapshot: instance disposed") ||
		!strings.Contains(got, "load: instance disposed") || !strings.HasSuffix(got, "default running") {
		t.Errorf("dispose mid-step, paused and loaded: %s; want the step settled, later calls refused, the default running", got)
	}
}

// TestEmbedRetryAfterFailedLoad: when main.wasm fails to download (a
// flaky network), the element says so, and a click on it loads it again
// and runs; the failure's message goes.
func TestEmbedRetryAfterFailedLoad(t *testing.T) {
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	var fetched atomic.Int32
	h := web.Handler(siteDir)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The loader's two tries of the first load (streaming, then
		// arrayBuffer) fail; later ones succeed.
		if strings.HasSuffix(r.URL.Path, "/main.wasm") && fetched.Add(1) <= 2 {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(site.Close)
	tb := newTab(t)
	tb.expect("503") // the failed download's console line
	tb.goTo(hostServer(t, embedPage(site.URL+"/", "", `<goflow-playground></goflow-playground>`), "", nil))
	pollFor[bool](tb, "the element to fail", el(0)+`.state === "failed"`, loadTime)
	if got := eval[string](tb, shadowEl(0, "error")+`.textContent`); !strings.Contains(got, "could not start") {
		t.Errorf("the failed element says %q; want why it could not start", got)
	}
	tb.exec(el(0) + `.click()`)
	tb.waitElement(0)
	if got := eval[string](tb, shadowEl(0, "error")+`.textContent`); got != "" {
		t.Errorf("after the retry the element still says %q; want no error", got)
	}
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the element to run after the retry", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
}
