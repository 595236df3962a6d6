package e2e_test

// Issue 13's timeline attribute: <goflow-playground timeline> shows issue
// 12's timeline panel (the lanes, the cursor, click and drag to seek, the
// explanations) drawn from the element's own instance, store and transport
// bar; absent or "false" shows none.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// laneRowJS returns the distinct colours (r,g,b) of element i's timeline
// canvas along the middle of lane l (0: producer, 1: worker 0, ...) over
// its plot (right of the lane names), in the order they first appear.
func laneRowJS(i, l int) string {
	return fmt.Sprintf(`((c) => { const dpr = c.width / c.clientWidth, x0 = Math.ceil(72 * dpr);
	const d = c.getContext("2d").getImageData(x0, Math.floor((14 + %d * 16 + 8) * dpr), c.width - x0, 1).data, out = [];
	for (let k = 0; k < d.length; k += 4) { const p = d[k] + "," + d[k + 1] + "," + d[k + 2]; if (d[k + 3] && !out.includes(p)) out.push(p); }
	return out; })(%s)`, l, shadowEl(i, "timeline"))
}

// resolvedJS returns the CSS custom property name as element i's timeline
// canvas sees it, resolved to "r,g,b" through a probe.
func resolvedJS(i int, name string) string {
	return fmt.Sprintf(`((c) => { const p = document.createElement("span"); p.style.color = "var(%s)"; c.after(p);
	const v = getComputedStyle(p).color.replace(/^rgba?\(|\)$/g, "").split(", ").slice(0, 3).join(","); p.remove(); return v; })(%s)`, name, shadowEl(i, "timeline"))
}

// openEmbed opens a host page of another origin than the site's, holding
// body, in a window of width x height px, and waits until its first n
// elements are ready.
func openEmbed(t *testing.T, body string, width, height int64, n int) *tab {
	t.Helper()
	site, _ := siteServer(t)
	tb := newTab(t)
	tb.do("sizing the window", quick, chromedp.EmulateViewport(width, height))
	tb.goTo(hostServer(t, embedPage(site, "", body), "", nil))
	for i := range n {
		tb.waitElement(i)
	}
	return tb
}

// TestEmbedTimeline: timeline="true" shows the lanes of the element's own
// run (its workers), and a click on them moves that element's transport
// bar (the run pauses) and no other; the why explanations come in the
// element's polite live region; timeline absent or "false" shows none.
func TestEmbedTimeline(t *testing.T) {
	// A window that holds all four (far out of view, one would stop drawing).
	tb := openEmbed(t, `<goflow-playground timeline="true" controls="minimal" workers="2" work-ms="100" jitter-ms="0" seed="7"></goflow-playground>
<goflow-playground controls="minimal" workers="2"></goflow-playground>
<goflow-playground timeline="false" controls="minimal" workers="2"></goflow-playground>
<goflow-playground timeline controls="minimal" workers="3" work-ms="100" seed="9"></goflow-playground>`, 1280, 3400, 4)
	for i, want := range []bool{true, false, false, true} {
		if got := eval[bool](tb, shadowEl(i, "timeline")+`.checkVisibility()`); got != want {
			t.Errorf("element %d: the timeline's lanes shown = %v; want %v", i, got, want)
		}
		if want {
			pollFor[bool](tb, fmt.Sprintf("element %d's timeline panel", i), el(i)+`.frameStats.timeline !== null`, quick)
		} else if eval[bool](tb, el(i)+`.frameStats.timeline !== null`) {
			t.Errorf("element %d: a timeline panel made without the attribute", i)
		}
	}
	tb.press(0, "btn-run")
	tb.press(3, "btn-run")
	pollFor[bool](tb, "both runs to record", el(0)+`.instance.history().last > 40 && `+el(3)+`.instance.history().last > 40`, loadTime)
	// The lanes: each element's own workers, drawn at its own head.
	for i, c := range []struct{ lanes, not string }{{"worker 1", "worker 2"}, {}, {}, {"worker 2", "worker 3"}} {
		if c.lanes == "" {
			continue
		}
		sum := pollFor[string](tb, fmt.Sprintf("element %d's lanes", i), shadowEl(i, "timeline-summary")+`.textContent`, quick)
		if !strings.Contains(sum, c.lanes) || strings.Contains(sum, c.not) || !strings.Contains(sum, "producer") {
			t.Errorf("element %d's lanes say %q; want the producer and %s, not %s", i, sum, c.lanes, c.not)
		}
	}
	if n := eval[int](tb, el(1)+`.frameStats.drawMs.length`); n == 0 {
		t.Errorf("element 1 (no timeline) drew no frame")
	}

	// A click on element 0's lanes, a quarter into the plot: its bar moves there, its run pauses.
	tb.exec(shadowEl(0, "timeline") + `.scrollIntoView({block: "center"})`)
	pollFor[bool](tb, "settled columns to click on", el(0)+`.frameStats.timeline.cached().settled > 20`, loadTime)
	xy := eval[[]float64](tb, `(r => [r.left + 72 + (r.width - 72) / 4, r.top + r.height / 2])(`+shadowEl(0, "timeline")+`.getBoundingClientRect())`)
	tb.do("clicking element 0's timeline", quick, chromedp.MouseClickXY(xy[0], xy[1]))
	pollFor[bool](tb, "element 0's bar to leave live", `!`+shadowEl(0, "tm-pos")+`.textContent.includes("(live)")`, quick)
	at, last, _ := tb.position(0)
	if at >= last || at <= 0 {
		t.Errorf("after the click element 0's bar shows event %d of %d; want a past one", at, last)
	}
	agree := fmt.Sprintf(`%s.value === "%d" && %s.getAttribute("aria-valuenow") === "%d"`, shadowEl(0, "tm-scrub"), at, shadowEl(0, "timeline"), at)
	pollFor[bool](tb, "the scrubber and the lanes' cursor at the same moment", agree, quick)
	if !eval[bool](tb, el(0)+`.instance.snapshot().paused`) {
		t.Errorf("a seek on element 0's timeline did not pause its run")
	}
	if eval[bool](tb, el(3)+`.instance.snapshot().paused`) {
		t.Errorf("a seek on element 0's timeline paused element 3's run")
	}
	if _, _, live := tb.position(3); !live {
		t.Errorf("a seek on element 0's timeline moved element 3's bar off live")
	}
	// A step back on the bar moves the lanes' cursor.
	tb.press(0, "tm-back")
	pollFor[bool](tb, "the lanes' cursor to follow the bar", fmt.Sprintf(`%s.getAttribute("aria-valuenow") === "%d"`, shadowEl(0, "timeline"), at-1), quick)

	// Why: a click on element 0's producer explains it in element 0's polite live region only.
	tb.exec(shadowEl(0, "producer") + `.click()`)
	why := pollFor[string](tb, "element 0's producer explained", `(w => w.dataset.part === "producer" && w.getAttribute("aria-live") === "polite" && w.textContent)(`+shadowEl(0, "why-text")+`)`, quick)
	if !strings.HasPrefix(why, "The producer") {
		t.Errorf("element 0's why says %q; want the producer explained", why)
	}
	if got := eval[string](tb, shadowEl(3, "why-text")+`.textContent`); got != "" {
		t.Errorf("element 3's why says %q after a click in element 0; want nothing", got)
	}

	// The keys, with the lanes focused: Home shows the first event, End goes live; element 3 stays live.
	tb.exec(shadowEl(0, "timeline") + `.focus()`)
	tb.do("pressing Home on the lanes", quick, chromedp.KeyEvent(kb.Home))
	first := eval[int](tb, el(0)+`.instance.history().first`)
	pollFor[bool](tb, "Home on the lanes to move the bar to the first event", fmt.Sprintf(`%s.textContent.startsWith("event %d of")`, shadowEl(0, "tm-pos"), first), quick)
	tb.do("pressing End on the lanes", quick, chromedp.KeyEvent(kb.End))
	pollFor[bool](tb, "End on the lanes to go live", shadowEl(0, "tm-pos")+`.textContent.includes("(live)") && !`+el(0)+`.instance.snapshot().paused`, quick)
	if _, _, live := tb.position(3); !live {
		t.Errorf("keys on element 0's lanes moved element 3's bar off live")
	}

	// The attribute toggled fast, then "false": the lanes hide, nothing breaks.
	tb.exec(`for (let k = 0; k < 50; k++) ` + el(0) + `.setAttribute("timeline", k % 2 ? "false" : "")`)
	tb.exec(el(0) + `.setAttribute("timeline", "false")`)
	pollFor[bool](tb, `timeline="false" to hide the lanes`, `!`+shadowEl(0, "timeline")+`.checkVisibility()`, quick)
	tb.exec(el(0) + `.setAttribute("timeline", "on")`)
	pollFor[bool](tb, `timeline="on" to show them again`, shadowEl(0, "timeline")+`.checkVisibility() && `+shadowEl(0, "timeline-summary")+`.textContent !== ""`, quick)
}

// TestEmbedTimelineTheme: the lanes are painted in the element's theme:
// a worker's lane of the same run (same seed) differs between theme light
// and dark, each holds its theme's --busy resolved (light-dark() in a
// canvas would paint nothing right), and theme set later repaints them.
func TestEmbedTimelineTheme(t *testing.T) {
	const attrs = `timeline controls="minimal" workers="2" work-ms="100" jitter-ms="0" seed="7"`
	tb := openEmbed(t, `<goflow-playground theme="light" `+attrs+`></goflow-playground>
<goflow-playground theme="dark" `+attrs+`></goflow-playground>`, 1280, 2000, 2)
	for i := range 2 {
		pollFor[bool](tb, "the stylesheets", el(i)+`.style.visibility === ""`, loadTime)
		tb.press(i, "btn-run")
	}
	for i := range 2 {
		pollFor[bool](tb, "settled columns", el(i)+`.frameStats.timeline.cached().settled > 20`, loadTime)
	}
	busy := []string{eval[string](tb, resolvedJS(0, "--busy")), eval[string](tb, resolvedJS(1, "--busy"))}
	if busy[0] == busy[1] {
		t.Fatalf("--busy resolves to %s in both themes; the test needs them apart", busy[0])
	}
	row := func(i int) []string {
		return pollFor[[]string](tb, fmt.Sprintf("element %d's worker 0 lane busy", i),
			fmt.Sprintf(`(r => r.includes(%q) && r)(%s)`, busy[i], laneRowJS(i, 1)), quick)
	}
	light, dark := row(0), row(1)
	if slices.Equal(light, dark) {
		t.Errorf("worker 0's lane has the same colours in light and dark: %v", light)
	}
	if slices.Contains(light, busy[1]) || slices.Contains(dark, busy[0]) {
		t.Errorf("a lane holds the other theme's --busy: light %v, dark %v", light, dark)
	}
	tb.exec(el(0) + `.setAttribute("theme", "dark")`)
	pollFor[bool](tb, "theme=dark set later to repaint the lanes", fmt.Sprintf(`%s.includes(%q)`, laneRowJS(0, 1), busy[1]), quick)
}

// TestEmbedTimelineLoopAndFar: an autoplay loop's next run draws its own
// lanes (the last run's zoom and columns are forgotten, even with the same
// seed), and an element far out of view stops drawing, its timeline too.
func TestEmbedTimelineLoopAndFar(t *testing.T) {
	tb := openEmbed(t, `<goflow-playground timeline controls="none" workers="2" work-ms="20" jitter-ms="0" seed="7"></goflow-playground>
<div style="height: 600vh"></div><p id="end">end</p>`, 1280, 900, 1)
	cached := el(0) + `.frameStats.timeline.cached()`
	pollFor[bool](tb, "the first run to end, its lanes fitted", cached+`.kind === "fit"`, loadTime)
	tb.exec(shadowEl(0, "tl-zoom-in") + `.click()`)
	pollFor[bool](tb, "the lanes zoomed in", cached+`.kind === "zoom"`, quick)
	pollFor[bool](tb, "the next run to draw its own lanes, unzoomed", cached+`.kind === "grow" && `+el(0)+`.instance.snapshot().phase !== "done"`, loadTime)

	tb.exec(`document.getElementById("end").scrollIntoView()`)
	tb.exec(`window.__frames = 0; (function f() { window.__frames++; requestAnimationFrame(f); })()`)
	pollFor[bool](tb, "a few frames after scrolling away", `window.__frames > 10`, quick)
	n := eval[int](tb, el(0)+`.frameStats.drawMs.length + `+el(0)+`.frameStats.timeline.drawMs.length`)
	tb.exec(`window.__frames = 0`)
	pollFor[bool](tb, "60 more frames", `window.__frames > 60`, quick)
	if m := eval[int](tb, el(0)+`.frameStats.drawMs.length + `+el(0)+`.frameStats.timeline.drawMs.length`); m != n {
		t.Errorf("far out of view, the element drew %d more frames; want none", m-n)
	}
}

// TestEmbedTimelineCost: five elements with the timeline on one page, all
// autoplaying in view: each frame's drawing per element, with the
// timeline against without it (the same page, timeline absent), measured
// in the same run. performance.now() has 0.1 ms steps here (no cross-
// origin isolation): means over 300 frames an element. A figure for the README (GOFLOW_EMBED_TIMELINE_COST=1),
// not a check.
func TestEmbedTimelineCost(t *testing.T) {
	if os.Getenv("GOFLOW_EMBED_TIMELINE_COST") == "" {
		t.Skip("a figure for the README: set GOFLOW_EMBED_TIMELINE_COST=1")
	}
	site, _ := siteServer(t)
	tb := newTab(t)
	tb.do("a window that holds all five", quick, chromedp.EmulateViewport(1280, 6000))
	for _, on := range []string{"timeline", "", "timeline", ""} {
		var body strings.Builder
		for range 5 {
			fmt.Fprintf(&body, `<goflow-playground %s controls="none" workers="4" work-ms="300"></goflow-playground>`, on)
		}
		tb.goTo(hostServer(t, embedPage(site, "", body.String()), "", nil))
		for i := range 5 {
			tb.waitElement(i)
		}
		tb.exec(`document.querySelectorAll("goflow-playground").forEach(e => { e.frameStats.drawMs.length = 0; if (e.frameStats.timeline) e.frameStats.timeline.drawMs.length = 0; })`)
		pollFor[bool](tb, "300 frames in each", `[...document.querySelectorAll("goflow-playground")].every(e => e.frameStats.drawMs.length >= 300)`, 30*quick)
		fig := eval[[]float64](tb, `(() => { const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
			const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length * 0.95)]; };
			const es = [...document.querySelectorAll("goflow-playground")], all = es.flatMap(e => e.frameStats.drawMs);
			const tl = es.flatMap(e => e.frameStats.timeline ? e.frameStats.timeline.drawMs : []);
			const mean = (a) => a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0;
			return [mean(all), med(all), p95(all), mean(tl), p95(tl) || 0]; })()`)
		t.Logf("5 elements, timeline %-8q: an element's frame mean %.3f ms (median %.1f, p95 %.1f), so %.2f ms per page frame; the timeline's part mean %.3f ms, p95 %.1f",
			on, fig[0], fig[1], fig[2], 5*fig[0], fig[3], fig[4])
	}
}

// TestEmbedTimelineLayoutShift: with the timeline on, the element at rest
// has the lanes' final height (its workers'), so the page below does not
// move when they are first drawn, nor as the explanation changes, at 320
// and 1280 px.
func TestEmbedTimelineLayoutShift(t *testing.T) {
	for _, w := range []int64{320, 1280} {
		tb := openEmbed(t, `<goflow-playground timeline controls="minimal" workers="6" work-ms="100"></goflow-playground><p id="after">after</p>`, w, 900, 1)
		pollFor[bool](tb, "the stylesheets", el(0)+`.style.visibility === ""`, loadTime)
		below := `document.getElementById("after").getBoundingClientRect().top + scrollY`
		before := pollFor[float64](tb, "the page laid out", below, quick)
		tb.press(0, "btn-run")
		tb.exec(shadowEl(0, "producer") + `.focus()`)
		pollFor[bool](tb, "the lanes drawn and the producer explained", shadowEl(0, "timeline")+`.dataset.seq > 10 && `+shadowEl(0, "why-text")+`.textContent !== ""`, loadTime)
		if after := eval[float64](tb, below); after != before {
			t.Errorf("width %d: the page below the element moved from %.0f to %.0f px when the lanes were drawn", w, before, after)
		}
	}
}

// TestEmbedTimelineFetchedWhenShown: a page whose elements have no
// timeline does not download the timeline's modules; setting the
// attribute later fetches them and draws the lanes.
func TestEmbedTimelineFetchedWhenShown(t *testing.T) {
	tb := openEmbed(t, `<goflow-playground controls="minimal" workers="2" work-ms="100"></goflow-playground>`, 1280, 900, 1)
	const fetched = `performance.getEntriesByType("resource").filter((e) => /\/(timeline|timeline-panel|timeline-input|why|where)\.js$/.test(e.name)).length`
	if n := eval[int](tb, fetched); n != 0 {
		t.Errorf("a page without the timeline fetched %d of its modules; want none", n)
	}
	tb.press(0, "btn-run")
	tb.exec(el(0) + `.setAttribute("timeline", "")`)
	pollFor[bool](tb, "the timeline's five modules fetched", fetched+` === 5`, loadTime)
	pollFor[bool](tb, "the lanes drawn", shadowEl(0, "timeline")+`.dataset.seq > 10 && `+shadowEl(0, "timeline")+`.checkVisibility()`, loadTime)
}
