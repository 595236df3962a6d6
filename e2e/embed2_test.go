package e2e_test

// The rest of issue 13's element: its transport bar (controls="minimal" and
// "full"), its link to the full playground at the same state, goroutines
// released by dispose, theme colours on the canvas, and a host page that
// tries its best to break it.

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// embedPage is a host page that loads embed.js from site and holds body.
func embedPage(site, head, body string) string {
	return `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>embed</title>
<script type="module" src="` + site + `embed.js"></script>` + head + `<body>` + body + `</body>`
}

// shadowEl is the JavaScript of the element #id in element i's shadow root.
func shadowEl(i int, id string) string {
	return el(i) + `.shadowRoot.getElementById("` + id + `")`
}

// position reads element i's transport bar: "event at of last".
var positionRE = regexp.MustCompile(`^event (\d+) of (\d+)( \(live\))?`)

// position returns the moment element i shows, the recording's last event
// and whether it is live, as its transport bar says.
func (tb *tab) position(i int) (at, last int, live bool) {
	tb.t.Helper()
	text := eval[string](tb, shadowEl(i, "tm-pos")+`.textContent`)
	m := positionRE.FindStringSubmatch(text)
	if m == nil {
		tb.t.Fatalf("element %d's transport bar says %q; want event N of M", i, text)
	}
	at, _ = strconv.Atoi(m[1])
	last, _ = strconv.Atoi(m[2])
	return at, last, m[3] != ""
}

// TestEmbedTransportBar: controls="minimal" and "full" have the transport
// bar (pause/resume, step back/forward, scrubber, Live) beside Submit,
// Close and Cancel; "none" has none. Stepping back shows a past moment and
// pauses that element's run only; its keys stay in it; Live goes on.
func TestEmbedTransportBar(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground controls="minimal" workers="2" work-ms="200" seed="7"></goflow-playground>
<goflow-playground controls="full" workers="2" work-ms="200"></goflow-playground>
<goflow-playground controls="none"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	for i := range 3 {
		tb.waitElement(i)
	}
	shown := func(i int, id string) bool {
		return eval[bool](tb, shadowEl(i, id)+`.checkVisibility()`)
	}
	for i, want := range []bool{true, true, false} {
		for _, id := range []string{"tm-pause", "tm-back", "tm-forward", "tm-live", "tm-scrub", "btn-submit", "btn-close", "btn-cancel"} {
			if got := shown(i, id); got != want {
				t.Errorf("element %d (%s): #%s shown = %v; want %v", i, []string{"minimal", "full", "none"}[i], id, got, want)
			}
		}
	}
	if shown(0, "btn-consumer") || !shown(1, "btn-consumer") {
		t.Errorf("Pause consumer: want it in controls=full only")
	}

	tb.press(0, "btn-run")
	tb.press(1, "btn-run")
	pollFor[bool](tb, "element 0 to record", el(0)+`.instance.history().last > 12`, loadTime)
	tb.press(0, "tm-back")
	pollFor[bool](tb, "element 0 to show the past", `!`+shadowEl(0, "tm-pos")+`.textContent.includes("(live)")`, quick)
	at, last, _ := tb.position(0)
	if at >= last { // the pause is an event of its own
		t.Errorf("after one step back element 0 shows event %d of %d; want an earlier one", at, last)
	}
	if !eval[bool](tb, el(0)+`.instance.snapshot().paused`) {
		t.Errorf("stepping back did not pause element 0's run")
	}
	if eval[bool](tb, el(1)+`.instance.snapshot().paused`) {
		t.Errorf("stepping back in element 0 paused element 1's run")
	}
	// What the element draws is snapshotAt(at): its received counter.
	want := eval[int](tb, fmt.Sprintf(`%s.instance.snapshotAt(%d).counters.received`, el(0), at))
	pollFor[bool](tb, "element 0 to draw the past moment's counters", fmt.Sprintf(`%s.textContent === "%d"`, shadowEl(0, "count-received"), want), quick)

	// The keys work on the element's own buttons (and scrubber), and only there.
	tb.exec(shadowEl(0, "tm-back") + `.focus()`)
	tb.do("pressing ←", quick, chromedp.KeyEvent(kb.ArrowLeft))
	pollFor[bool](tb, "← to step back", fmt.Sprintf(`%s.textContent.startsWith("event %d of")`, shadowEl(0, "tm-pos"), at-1), quick)
	if _, _, live := tb.position(1); !live {
		t.Errorf("a key in element 0 moved element 1 off live")
	}
	tb.do("pressing Home", quick, chromedp.KeyEvent(kb.Home))
	first := eval[int](tb, el(0)+`.instance.history().first`)
	pollFor[bool](tb, "Home to show the first event", fmt.Sprintf(`%s.textContent.startsWith("event %d of")`, shadowEl(0, "tm-pos"), first), quick)

	// Step forward from the last event lets the run record one more.
	tb.press(0, "tm-live")
	pollFor[bool](tb, "Live to resume", `!`+el(0)+`.instance.snapshot().paused`, quick)
	tb.press(0, "tm-pause")
	pollFor[bool](tb, "Pause", el(0)+`.instance.snapshot().paused`, quick)
	before := eval[int](tb, el(0)+`.instance.history().last`)
	tb.press(0, "tm-forward")
	pollFor[bool](tb, "a step to record one event", fmt.Sprintf(`%s.instance.history().last === %d`, el(0), before+1), loadTime)
	if !eval[bool](tb, el(0)+`.instance.snapshot().paused`) {
		t.Errorf("after a step element 0's run is not paused")
	}

	// Run again shows the new run live.
	tb.press(0, "tm-back")
	tb.press(0, "btn-run")
	pollFor[bool](tb, "a new run, live", shadowEl(0, "tm-pos")+`.textContent.includes("(live)") && !`+el(0)+`.instance.snapshot().paused`, loadTime)
}

// TestEmbedFullLink: "Open in the full playground" carries the config, the
// seed the run picked and the moment on view; the page it opens shows that
// moment of the same recording.
func TestEmbedFullLink(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground controls="minimal" workers="3" work-ms="20" fail-rate="0.2" job-buffer="2"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	before := eval[string](tb, shadowEl(0, "full-link")+`.href`)
	if !strings.HasPrefix(before, site) || !strings.Contains(before, "workers=3") || !strings.Contains(before, "jobBuffer=2") {
		t.Errorf("the link before a run is %q; want the site with workers=3 and jobBuffer=2", before)
	}
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the run to end", el(0)+`.instance.snapshot().phase === "done" || `+el(0)+`.instance.history().last > 40`, loadTime)
	tb.press(0, "tm-pause")
	last := eval[int](tb, el(0)+`.instance.history().last`)
	at := last * 2 / 3
	tb.exec(fmt.Sprintf(`(() => { const s = %s; s.value = "%d"; s.dispatchEvent(new Event("input")); })()`, shadowEl(0, "tm-scrub"), at))
	pollFor[bool](tb, "the element to show the moment", fmt.Sprintf(`%s.textContent.startsWith("event %d of")`, shadowEl(0, "tm-pos"), at), quick)

	// The click opens the link made then (window.open, caught here).
	tb.exec(`window.opened = []; window.open = (u, target, features) => { opened.push([u, target, features].join(" ")); return null; }`)
	tb.exec(shadowEl(0, "full-link") + `.click()`)
	opened := pollFor[string](tb, "the click to open the link", `window.opened.length === 1 && window.opened[0]`, quick)
	link, target, _ := strings.Cut(opened, " ")
	if target != "_blank noopener" {
		t.Errorf("window.open's target and features: %q; want _blank noopener", target)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	seed := eval[int](tb, el(0)+`.instance.snapshot().config.seed`)
	q := u.Query()
	if q.Get("seed") != strconv.Itoa(seed) || seed == 0 || q.Get("workers") != "3" || q.Get("failRate") != "0.2" {
		t.Errorf("the link's query %q; want seed=%d (the one picked), workers=3, failRate=0.2", u.RawQuery, seed)
	}
	if !strings.HasPrefix(u.Fragment, "rec=") || !strings.HasSuffix(u.Fragment, fmt.Sprintf("&at=%d", at)) {
		t.Errorf("the link's fragment %.40q…; want rec=…&at=%d", u.Fragment, at)
	}
	want := eval[string](tb, fmt.Sprintf(`JSON.stringify(%s.instance.snapshotAt(%d))`, el(0), at))

	full := openPage(t, strings.TrimPrefix(link, site))
	full.waitShownAt(at)
	if got := full.shown(); got != want {
		t.Errorf("the full playground opens at\n%s\nwant the element's moment\n%s", got, want)
	}
}

// TestEmbedDisposeGoroutines: the process's goroutine count
// (goflow.goroutines()) returns to where it was after an element's
// instance is disposed (the element removed) and after goflow.create()'s
// instance is disposed mid-run; each instance's own count returns to its
// baseline after cancel.
func TestEmbedDisposeGoroutines(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground workers="6" work-ms="60000"></goflow-playground>
<goflow-playground workers="3" work-ms="60000"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	tb.waitElement(1)
	base := eval[int](tb, `goflow.goroutines()`)
	t.Logf("goroutines before any run: %d", base)

	tb.exec(`window.extra = goflow.create(); extra.start({workers: 5, workMs: 60000}); extra.submit(3);`)
	pollFor[bool](tb, "extra's goroutines", fmt.Sprintf(`goflow.goroutines() >= %d`, base+7), quick)
	tb.exec(`extra.dispose()`)
	pollFor[bool](tb, "dispose to release extra's goroutines", fmt.Sprintf(`goflow.goroutines() === %d`, base), quick)

	tb.press(0, "btn-run")
	tb.press(1, "btn-run")
	pollFor[bool](tb, "both runs' goroutines", fmt.Sprintf(`goflow.goroutines() >= %d`, base+8+5), loadTime)
	during := eval[int](tb, `goflow.goroutines()`)
	tb.press(1, "btn-cancel")
	pollFor[bool](tb, "element 1 to be done", el(1)+`.instance.snapshot().phase === "done"`, loadTime)
	if got := eval[string](tb, `(() => { const s = `+el(1)+`.instance.snapshot(); return s.goroutines + " " + s.baselineGoroutines; })()`); got != "0 0" {
		t.Errorf("element 1 after cancel: goroutines and baseline %s; want 0 0", got)
	}
	left := pollFor[int](tb, "cancel to release element 1's goroutines", fmt.Sprintf(`goflow.goroutines() <= %d && goflow.goroutines()`, during-5), quick)
	if left <= base {
		t.Errorf("after element 1's cancel: %d goroutines; want element 0's still running, more than %d", left, base)
	}
	tb.exec(el(0) + `.remove()`)
	pollFor[bool](tb, "removing element 0 to release its goroutines", fmt.Sprintf(`goflow.goroutines() === %d`, base), quick)
	t.Logf("goroutines: %d before, %d during two runs, %d after one's cancel, %d after the other's removal", base, during, left, base)
}

// pixelJS is a JavaScript function of an element that returns its
// throughput plot's colour halfway along the top grid line (y = 6.5 CSS
// px), as "r,g,b".
const pixelJS = `((e) => { const c = e.shadowRoot.getElementById("throughput"), d = devicePixelRatio || 1;
	return [...c.getContext("2d").getImageData(Math.floor(c.width / 2), Math.floor(6.5 * d), 1, 1).data].slice(0, 3).join(","); })`

// canvasPixel is the JavaScript of element i's plot's grid colour.
func canvasPixel(i int) string {
	return pixelJS + "(" + el(i) + ")"
}

// TestEmbedThemeColors: the plot's canvas draws in the theme's colours
// (resolved from light-dark(), which a canvas cannot take), theme="auto"
// follows the host's prefers-color-scheme as it changes, and the host's
// custom properties reach the buttons, the surface, the font and the plot.
func TestEmbedThemeColors(t *testing.T) {
	site, _ := siteServer(t)
	custom := `style="--goflow-accent: rgb(1, 2, 3); --goflow-surface: rgb(4, 5, 6); --goflow-border: rgb(7, 8, 9); --goflow-font: Georgia, serif"`
	page := embedPage(site, "", `<goflow-playground theme="light" timeline></goflow-playground>
<goflow-playground theme="dark" timeline></goflow-playground>
<goflow-playground theme="auto" timeline></goflow-playground>
<div `+custom+`><goflow-playground theme="light" timeline></goflow-playground></div>`)
	tb := newTab(t)
	media := func(scheme string) {
		cdpCall(tb, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
	}
	media("light")
	tb.goTo(hostServer(t, page, "", nil))
	for i := range 4 {
		pollFor[bool](tb, "the stylesheets", el(i)+`.style.visibility === ""`, loadTime)
	}
	const light, dark = "211,217,224", "46,54,66" // --border: #d3d9e0, #2e3642
	pixels := func() []string {
		return pollFor[[]string](tb, "the plots drawn", `(() => { const p = [...document.querySelectorAll("goflow-playground")].map(`+pixelJS+`);
			return !p.includes("0,0,0") && p; })()`, quick)
	}
	// The elements' canvases: the grid line is drawn in --border, resolved.
	if got := pixels(); got[0] != light || got[1] != dark || got[2] != light || got[3] != "7,8,9" {
		t.Errorf("grid colours light, dark, auto (light host), custom = %v; want %s, %s, %s, 7,8,9", got, light, dark, light)
	}
	media("dark")
	pollFor[bool](tb, "auto to turn dark", canvasPixel(2)+` === "`+dark+`"`, quick)
	if got := pixels(); got[0] != light || got[1] != dark {
		t.Errorf("after the host turned dark, light and dark plots are %v; want them unchanged", got[:2])
	}
	style := func(i int, sel, prop string) string {
		return eval[string](tb, fmt.Sprintf(`getComputedStyle(%s.shadowRoot.querySelector(%q)).%s`, el(i), sel, prop))
	}
	if a, d := style(2, ".gf", "backgroundColor"), style(1, ".gf", "backgroundColor"); a != d {
		t.Errorf("theme=auto on a dark host has background %s; want dark's %s", a, d)
	}
	if l, d := style(0, ".gf", "color"), style(1, ".gf", "color"); l == d {
		t.Errorf("light and dark text colours are both %s", l)
	}
	media("light")
	pollFor[bool](tb, "auto to turn light again", canvasPixel(2)+` === "`+light+`"`, quick)

	// Changing theme after connect repaints the plot.
	tb.exec(el(0) + `.setAttribute("theme", "dark")`)
	pollFor[bool](tb, "theme=dark set later to repaint", canvasPixel(0)+` === "`+dark+`"`, quick)

	// Custom properties changed later reach the plot when any attribute is set again.
	tb.exec(el(3) + `.parentElement.style.setProperty("--goflow-border", "rgb(10, 11, 12)"); ` + el(3) + `.setAttribute("theme", "light")`)
	pollFor[bool](tb, "a new --goflow-border to repaint the plot", canvasPixel(3)+` === "10,11,12"`, quick)

	for _, c := range []struct{ sel, prop, want string }{
		{"#btn-run", "backgroundColor", "rgb(1, 2, 3)"},
		{".kv", "fontFamily", "Georgia, serif"},
		{".gf", "fontFamily", "Georgia, serif"},
	} {
		if got := style(3, c.sel, c.prop); got != c.want {
			t.Errorf("custom properties: %s's %s is %s; want %s", c.sel, c.prop, got, c.want)
		}
	}
	if got := eval[string](tb, `getComputedStyle(`+el(3)+`.shadowRoot.querySelector(".node")).backgroundColor`); got != "rgb(4, 5, 6)" {
		t.Errorf("--goflow-surface: a node's background is %s; want rgb(4, 5, 6)", got)
	}
}
