package e2e_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The transport bar and sharing a moment (web/transport.js, web/share.js).

// frames waits until the page has drawn n more animation frames: time passes
// on the page's own clock, with no sleep.
func (tb *tab) frames(n int) {
	tb.t.Helper()
	at := eval[int](tb, `window.goflowPage.frames`)
	tb.waitFor(fmt.Sprintf("%d more frames", n), fmt.Sprintf(`window.goflowPage.frames >= %d`, at+n), 10*time.Second)
}

// shown returns the JSON of the snapshot the page drew last.
func (tb *tab) shown() string {
	tb.t.Helper()
	return eval[string](tb, `JSON.stringify(window.goflowPage.snapshot)`)
}

// waitShownAt waits until the page draws the moment right after event seq.
func (tb *tab) waitShownAt(seq int) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf("the page to show event %d", seq),
		fmt.Sprintf(`window.goflowPage.snapshot && window.goflowPage.snapshot.seq === %d`, seq), quick)
}

// lastSeq returns goflow.history().last.
func (tb *tab) lastSeq() int {
	tb.t.Helper()
	return eval[int](tb, `goflow.history().last`)
}

// seededRun runs n jobs with a fixed seed and some failures, and waits until
// the run is done.
func (tb *tab) seededRun(n int) {
	tb.t.Helper()
	tb.runJobs(config{"workers": "3", "workMs": "20", "jitterMs": "30", "failRate": "0.2", "seed": "42"}, n)
}

// TestPause: Pause stops the world: over many frames nothing moves, in the
// snapshot or on the page; Resume goes on from there.
func TestPause(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "2", "workMs": "300", "consumerDelayMs": "50"})
	tb.submit(20)
	tb.waitFor("a job finished", `goflow.snapshot().counters.succeeded >= 1`, quick)
	tb.click("tm-pause")
	tb.waitFor("the run paused", `goflow.snapshot().paused && window.goflowPage.snapshot.paused`, quick)
	if got := tb.text("tm-pause"); got != "Resume" {
		t.Errorf("#tm-pause reads %q while paused; want Resume", got)
	}
	tb.frames(2)
	before, shownBefore := eval[string](tb, `JSON.stringify(goflow.snapshot())`), tb.shown()
	tb.frames(60)
	after, shownAfter := eval[string](tb, `JSON.stringify(goflow.snapshot())`), tb.shown()
	if before != after {
		t.Errorf("paused, the snapshot changed over 60 frames:\nbefore %s\nafter  %s", before, after)
	}
	if shownBefore != shownAfter {
		t.Errorf("paused, the page drew a different moment over 60 frames")
	}
	seq := eval[int](tb, `goflow.snapshot().seq`)
	tb.click("tm-pause")
	tb.waitFor("the run to go on", fmt.Sprintf(`!goflow.snapshot().paused && goflow.snapshot().seq > %d`, seq), quick)

	// The seed field was 0: the bar shows the seed the run picked, and a link carries it.
	picked := eval[int64](tb, `goflow.snapshot().config.seed`)
	if picked == 0 || tb.text("tm-seed") != fmt.Sprintf("seed %d", picked) {
		t.Errorf("the bar shows %q; want the picked seed %d", tb.text("tm-seed"), picked)
	}
	tb.click("tm-link")
	link := pollFor[string](tb, "the link", `!document.getElementById("tm-link-out").hidden && document.getElementById("tm-link-out").href`, quick)
	if !strings.Contains(link, fmt.Sprintf("seed=%d&", picked)) && !strings.Contains(link, fmt.Sprintf("seed=%d#", picked)) {
		t.Errorf("the link %.200s does not carry the picked seed %d", link, picked)
	}
}

// TestStep: Step forward at the last event records exactly one more and
// shows it; Step back shows the moment before, exactly as snapshotAt has it.
func TestStep(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "2", "workMs": "200"})
	tb.submit(5)
	tb.click("tm-pause")
	tb.waitFor("the run paused", `goflow.snapshot().paused`, quick)
	last := tb.lastSeq()
	tb.click("tm-forward")
	tb.waitFor("one more event", fmt.Sprintf(`goflow.history().last === %d`, last+1), quick)
	tb.frames(10)
	if got := tb.lastSeq(); got != last+1 {
		t.Errorf("after one step, history().last = %d; want %d (exactly one event)", got, last+1)
	}
	tb.waitShownAt(last + 1)
	if !eval[bool](tb, `goflow.snapshot().paused`) {
		t.Errorf("after a step the run is not paused")
	}
	tb.click("tm-back")
	tb.waitShownAt(last)
	if got, want := tb.shown(), eval[string](tb, fmt.Sprintf(`JSON.stringify(goflow.snapshotAt(%d))`, last)); got != want {
		t.Errorf("stepped back, the page shows\n%s\nwant snapshotAt(%d)\n%s", got, last, want)
	}
	// The API: step() gives the event, at once or as a Promise.
	ev := eval[map[string]any](tb, `Promise.resolve(goflow.step())`, chromedp.EvalAwaitPromise)
	if got, want := ev["seq"], float64(last+2); got != want {
		t.Errorf("goflow.step() gave the event %v; want seq %v", ev, want)
	}
}

// TestScrub: moving the scrubber shows that moment (pausing the run): the
// page's counters are snapshotAt's, the slider names the event; Live goes on.
func TestScrub(t *testing.T) {
	tb := openPage(t, "")
	tb.seededRun(20)
	last := tb.lastSeq()
	mid := last / 2
	tb.setField("tm-scrub", fmt.Sprint(mid))
	tb.waitShownAt(mid)
	want := eval[counters](tb, fmt.Sprintf(`goflow.snapshotAt(%d).counters`, mid))
	tb.waitCountersShown(want)
	vt := eval[string](tb, `document.getElementById("tm-scrub").getAttribute("aria-valuetext")`)
	if !strings.HasPrefix(vt, fmt.Sprintf("event %d of %d: ", mid, last)) {
		t.Errorf("the scrubber's aria-valuetext is %q; want it to name event %d of %d", vt, mid, last)
	}
	if role := eval[string](tb, `document.getElementById("tm-scrub").type`); role != "range" {
		t.Errorf("the scrubber is an input of type %q; want range (a slider)", role)
	}
	tb.click("tm-live")
	tb.waitShownAt(last)
}

// TestTransportKeys: Space pauses and resumes, Left/Right step, Home goes to
// the first event and End to live; the hint lists them.
func TestTransportKeys(t *testing.T) {
	tb := openPage(t, "")
	for _, k := range []string{"Space", "←", "→", "Home", "End"} {
		if !strings.Contains(tb.text("tm-hint"), k) {
			t.Errorf("the hint %q does not show the key %s", tb.text("tm-hint"), k)
		}
	}
	tb.startForm(config{"workers": "2", "workMs": "100"})
	tb.submit(4)
	tb.exec(`document.activeElement.blur()`)
	tb.do("pressing Space", quick, chromedp.KeyEvent(" "))
	tb.waitFor("Space to pause", `goflow.snapshot().paused`, quick)
	last := tb.lastSeq()
	tb.do("pressing Left", quick, chromedp.KeyEvent(kb.ArrowLeft))
	tb.waitShownAt(last - 1)
	tb.do("pressing Right", quick, chromedp.KeyEvent(kb.ArrowRight))
	tb.waitShownAt(last)
	tb.do("pressing Home", quick, chromedp.KeyEvent(kb.Home))
	tb.waitShownAt(eval[int](tb, `goflow.history().first`))
	tb.do("pressing End", quick, chromedp.KeyEvent(kb.End))
	tb.waitFor("End to go live and resume", `!goflow.snapshot().paused`, quick)
	tb.do("pressing Space", quick, chromedp.KeyEvent(" "))
	tb.waitFor("Space to pause again", `goflow.snapshot().paused`, quick)
	tb.do("pressing Space", quick, chromedp.KeyEvent(" "))
	tb.waitFor("Space to resume", `!goflow.snapshot().paused`, quick)
}

// TestLinkToMoment: "Copy link to this moment" opened in a fresh tab replays
// the recording and shows exactly that moment, with the picked seed.
func TestLinkToMoment(t *testing.T) {
	tb := openPage(t, "")
	tb.seededRun(15)
	at := tb.lastSeq() * 2 / 3
	tb.setField("tm-scrub", fmt.Sprint(at))
	tb.waitShownAt(at)
	tb.click("tm-link")
	link := pollFor[string](tb, "the link", `!document.getElementById("tm-link-out").hidden && document.getElementById("tm-link-out").href`, quick)
	if !strings.HasPrefix(link, siteURL) || !strings.Contains(link, "seed=42") || !strings.Contains(link, "#rec=") {
		t.Fatalf("the link is %q; want one on %s with seed=42 and #rec=", link, siteURL)
	}
	want := eval[string](tb, fmt.Sprintf(`JSON.stringify(goflow.snapshotAt(%d))`, at))
	rec := eval[string](tb, `JSON.stringify(goflow.recording())`)
	t.Logf("a link to event %d of %d: %d characters of fragment", at, tb.lastSeq(), len(link)-strings.Index(link, "#"))

	fresh := openPage(t, strings.TrimPrefix(link, siteURL))
	fresh.waitShownAt(at)
	if got := fresh.shown(); got != want {
		t.Errorf("the link opens at\n%s\nwant the moment it was made at\n%s", got, want)
	}
	if got := eval[string](fresh, `JSON.stringify(goflow.recording())`); got != rec {
		t.Errorf("the link's recording differs from the original's")
	}
	if got := eval[string](fresh, `document.getElementById("cfg-seed").value`); got != "42" {
		t.Errorf("the link's page shows seed %q; want 42", got)
	}
}

// openFile gives the "Open recording" file input a file holding text, as the
// file picker does.
func (tb *tab) openFile(name, text string) {
	tb.t.Helper()
	tb.exec(fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%q], %q, {type: "application/json"}));
		const input = document.getElementById("tm-file");
		input.files = dt.files;
		input.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, text, name))
}

// TestDownloadOpen: "Download recording" saves the recording's JSON (with
// its version); opening that file, or dropping it on the page, in a fresh
// tab replays it to equal snapshots.
func TestDownloadOpen(t *testing.T) {
	tb := openPage(t, "")
	tb.seededRun(10)
	// Catch the download's link instead of saving a file.
	// (The page's CSP forbids fetching blob: URLs, so keep the Blob too.)
	tb.exec(`window.saved = null; const blobURL = URL.createObjectURL;
		URL.createObjectURL = (b) => { window.savedBlob = b; return blobURL(b); };
		HTMLAnchorElement.prototype.click = function () { if (this.download) window.saved = {name: this.download, href: this.href}; }`)
	tb.click("tm-download")
	name := pollFor[string](tb, "the download", `window.saved && window.saved.name`, quick)
	text := eval[string](tb, `window.savedBlob.text()`, chromedp.EvalAwaitPromise)
	if !strings.HasSuffix(name, ".json") || !strings.Contains(text, `"version":1`) {
		t.Fatalf("downloaded %q: %.80s; want a .json file with a version field", name, text)
	}
	last := tb.lastSeq()
	want := eval[string](tb, fmt.Sprintf(`JSON.stringify(goflow.snapshotAt(%d))`, last))

	fresh := openPage(t, "")
	fresh.openFile(name, text)
	fresh.waitShownAt(last)
	if got := eval[string](fresh, fmt.Sprintf(`JSON.stringify(goflow.snapshotAt(%d))`, last)); got != want {
		t.Errorf("opened, snapshotAt(%d) is\n%s\nwant\n%s", last, got, want)
	}
	// Dropped on the page: the same.
	dropped := openPage(t, "")
	dropped.exec(fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%q], "dropped.json"));
		document.body.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`, text))
	dropped.waitShownAt(last)
	// goflow.load takes the object too.
	tb.exec(`goflow.load(goflow.recording())`)
	if got := eval[string](tb, fmt.Sprintf(`JSON.stringify(goflow.snapshotAt(%d))`, last)); got != want {
		t.Errorf("after load(recording()), snapshotAt(%d) is\n%s\nwant\n%s", last, got, want)
	}
}

// TestBadRecording: malformed, other-version and hostile recordings, from
// the file picker or the API, are refused with a clear message; the page
// keeps working.
func TestBadRecording(t *testing.T) {
	tb := openPage(t, "")
	for _, c := range []struct{ name, text, want string }{
		{"malformed.json", `{"version":1,`, "load: recording"},
		{"v2.json", `{"version":2,"config":{},"first":1,"base":null,"events":[]}`, "recording.version: got 2; want 1"},
		{"types.json", `{"version":1,"config":{"workers":"many"},"first":1,"base":null,"events":[[1,0,0,0,0,0]]}`, "recording.config"},
		{"order.json", `{"version":1,"config":{},"first":1,"base":null,"events":[[2,0,0,0,0,0]]}`, "recording.events[0]"},
		{"huge.json", `{"version":1,"config":{},"first":1e300,"base":null,"events":[[1,0,0,0,0,0]]}`, "recording.first"},
	} {
		tb.openFile(c.name, c.text)
		tb.waitFor("the refusal of "+c.name, fmt.Sprintf(`document.getElementById("error").textContent.includes(%q) && document.getElementById("error").textContent.includes(%q)`, c.name, c.want), quick)
	}
	// Hostile objects are refused at once, before Go reads them (the time is
	// logged, not asserted: timing belongs to benchmarks).
	for _, hostile := range []string{
		`({version: 1, events: {length: 1e9}})`,
		`({version: 1, events: new Array(1e6)})`,
		`({version: 1, events: Array.from({length: 100000}, () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])})`,
		`({version: 1, config: {}, first: 1, base: Array.from({length: 1e6}, () => 1), events: [[1, 0, 0, 0, 0, 0]]})`,
		`new Proxy({}, {get() { throw new Error("boo"); }})`,
		`42`,
	} {
		tb.exec(`window.hostile = ` + hostile)
		type refusal struct {
			Ms      float64
			Message string
		}
		r := eval[refusal](tb, `(() => { const t0 = performance.now();
			try { goflow.load(window.hostile); } catch (e) { return {ms: performance.now() - t0, message: e.message}; }
			return {ms: -1, message: "(returned)"}; })()`)
		if !strings.HasPrefix(r.Message, "load: ") {
			t.Errorf("goflow.load(%s) threw %q; want a message starting with load:", hostile, r.Message)
		}
		t.Logf("goflow.load(%.60s) refused in %.1f ms: %s", hostile, r.Ms, r.Message)
	}
	tb.startForm(config{"workers": "2", "workMs": "10"})
	tb.submit(3)
	tb.closeAndWait(quick)
}

// TestBadFragment: a link whose fragment is not a recording is refused with
// a message naming it, and the page works.
func TestBadFragment(t *testing.T) {
	for _, c := range []struct{ hash, want string }{
		{"#rec=!!!", "base64url"},
		{"#rec=AAAAAAAA", "rec:"},
		{"#rec=q1YqSy0qzszPU7IyNNBRSs7PS0nOTEksyczPA0oZGOgoJRYXJeYBAA&at=x", "at:"},
		{"#rec=" + strings.Repeat("A", 40000), "fragment"},
	} {
		tb := openPage(t, "?workers=2"+c.hash)
		tb.waitFor("the refusal of "+c.hash[:min(len(c.hash), 20)], fmt.Sprintf(`document.getElementById("error").textContent.includes("Link:") && document.getElementById("error").textContent.includes(%q)`, c.want), quick)
		tb.startForm(config{"workers": "2", "workMs": "10"})
		tb.submit(2)
		tb.closeAndWait(quick)
	}
}

// TestLinkTooLarge: a recording too large for a link says so and points to
// Download recording.
func TestLinkTooLarge(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "64", "workMs": "0", "jitterMs": "5", "jobBuffer": "64", "resultBuffer": "64"})
	tb.exec(`for (let i = 0; i < 5; i++) goflow.submit(1000)`)
	tb.waitFor("5000 results", `goflow.snapshot().consumer.consumed === 5000`, 30*time.Second)
	tb.click("tm-link")
	tb.waitFor("the page to say the link is too large", `document.getElementById("tm-status").textContent.includes("too large for a link")`, quick)
	t.Logf("%d events: %s", tb.lastSeq(), tb.text("tm-status"))
	if id := eval[string](tb, `document.activeElement.id`); id != "tm-download" {
		t.Errorf("focus is on #%s; want #tm-download", id)
	}
}

// TestSnapshotAtCost logs what goflow.snapshotAt costs anywhere in a
// recording of 10,000 jobs at 64 workers (README figure; not asserted:
// timing belongs to benchmarks).
func TestSnapshotAtCost(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "64", "workMs": "0", "jobBuffer": "64", "resultBuffer": "64"})
	tb.exec(`for (let i = 0; i < 10; i++) goflow.submit(1000)`)
	tb.waitFor("10000 results", `goflow.snapshot().consumer.consumed === 10000`, 60*time.Second)
	tb.closeAndWait(quick)
	type cost struct{ Events, N, First, P50, P99, Max float64 }
	c := eval[cost](tb, `(() => {
		const h = goflow.history(); const n = 1000; const ms = [];
		for (let i = 0; i < n; i++) {
			const seq = h.first + Math.floor(Math.random() * (h.last - h.first + 1));
			const t0 = performance.now(); goflow.snapshotAt(seq); ms.push(performance.now() - t0);
		}
		const first = ms[0]; ms.sort((a, b) => a - b);
		return {Events: h.last - h.first + 1, N: n, First: first, P50: ms[n / 2], P99: ms[Math.floor(n * 0.99)], Max: ms[n - 1]};
	})()`)
	t.Logf("snapshotAt at %d random moments of a %d-event recording (10000 jobs, 64 workers): first call %.2f ms, median %.3f ms, p99 %.3f ms, max %.2f ms",
		int(c.N), int(c.Events), c.First, c.P50, c.P99, c.Max)
}

// TestTransportFits: at 320 to 2560 px the transport bar fits the page (no
// control drawn outside it, no sideways scrolling), paused in the past. With
// GOFLOW_SCREENSHOT=path the 1280 px page is also saved there (the README's
// docs/playground.png).
func TestTransportFits(t *testing.T) {
	for _, width := range []int64{320, 768, 1280, 2560} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			tb := newTab(t)
			tb.do("sizing the window", quick, chromedp.EmulateViewport(width, 1000))
			tb.navigate("")
			tb.waitReady()
			tb.startForm(config{"workers": "4", "workMs": "400", "jitterMs": "400", "jobBuffer": "2", "resultBuffer": "1", "consumerDelayMs": "300", "failRate": "0.1", "seed": "7"})
			tb.submit(12)
			tb.waitFor("results", `goflow.snapshot().counters.emitted >= 3`, quick)
			tb.exec(`document.getElementById("tm-back").focus()`)
			tb.do("pressing Left", quick, chromedp.KeyEvent(kb.ArrowLeft))
			tb.waitFor("a past moment", `window.goflowPage.snapshot.seq < goflow.history().last`, quick)
			out := eval[[]string](tb, `(() => {
				const w = document.documentElement.clientWidth;
				return [...document.querySelectorAll("#transport button:not([hidden]), #transport input:not([hidden]), #transport output")]
					.filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > w + 0.5; })
					.map((el) => el.id);
			})()`)
			if len(out) > 0 {
				t.Errorf("at %d px, transport controls are drawn outside the page: %v", width, out)
			}
			if sw, cw := eval[int](tb, `document.documentElement.scrollWidth`), eval[int](tb, `document.documentElement.clientWidth`); sw > cw {
				t.Errorf("at %d px the page scrolls sideways: scrollWidth %d > clientWidth %d", width, sw, cw)
			}
			png := runFor(tb, "taking a screenshot", quick, chromedp.Screenshot(chromedp.ID("transport")))
			if err := os.MkdirAll("artifacts", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(fmt.Sprintf("artifacts/transport-%dpx.png", width), png, 0o644); err != nil {
				t.Fatal(err)
			}
			if path := os.Getenv("GOFLOW_SCREENSHOT"); path != "" && width == 1280 {
				tb.waitFor("the page's transitions to end", `document.getAnimations().every((a) => a.playState !== "running")`, quick)
				tb.do("showing the controls", quick, chromedp.EmulateViewport(width, 860))
				tb.exec(`document.querySelector(".layout").scrollIntoView()`)
				png := runFor(tb, "taking a screenshot", quick, chromedp.CaptureScreenshot())
				if err := os.WriteFile(path, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
