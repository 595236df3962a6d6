package e2e_test

// <goflow-playground> against a host page that does its worst: attributes
// changed after connect, the element moved, removed and added again, ten
// per page, create()/dispose() misused, global CSS, narrow and wide
// containers, layout shift, reduced motion.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestEmbedAttributesLater: attributes set after the element is connected
// and loaded take effect, bad ones are named, and fixing one clears it.
func TestEmbedAttributesLater(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground controls="minimal"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	errs := func() string { return eval[string](tb, shadowEl(0, "attr-errors")+`.textContent`) }
	for _, c := range []struct{ attr, value, want string }{
		{"workers", "many", `workers="many": want a number; using the default 4`},
		{"workers", "1e9", `workers="1e9": got 1000000000; want an integer from 1 to 64; using the default 4`},
		{"jobbuffer", "-3", `jobbuffer="-3"`},
		{"seed", "1.5", `seed="1.5"`},
		{"speed", "0", `speed="0": want a number from 0.05 to 1; using 1`},
		{"theme", "neon", `theme="neon": want auto, light, dark; using auto`},
		{"controls", "", `controls="": want full, minimal, none; using full`},
		{"scenario", "<img src=x onerror=alert(1)>", `scenario="<img src=x onerror=alert(1)>"`},
	} {
		tb.exec(fmt.Sprintf(`%s.setAttribute(%q, %q)`, el(0), c.attr, c.value))
		if got := errs(); !strings.Contains(got, "goflow-playground: "+c.want) {
			t.Errorf("%s=%q set later: the element says %q; want it to name %s", c.attr, c.value, got, c.want)
		}
		tb.exec(fmt.Sprintf(`%s.removeAttribute(%q)`, el(0), c.attr))
		if got := errs(); got != "" {
			t.Errorf("%s removed: the element still says %q", c.attr, got)
		}
	}
	if n := eval[int](tb, el(0)+`.shadowRoot.querySelectorAll("img").length`); n != 0 {
		t.Errorf("an attribute's markup reached the shadow root: %d img", n)
	}
	// Good values set later are what the next run uses.
	tb.exec(el(0) + `.setAttribute("workers", "3"); ` + el(0) + `.setAttribute("jobBuffer", "5"); ` + el(0) + `.setAttribute("controls", "none")`)
	if eval[bool](tb, shadowEl(0, "tm-scrub")+`.checkVisibility()`) {
		t.Errorf("controls=none set later: the transport bar is still shown")
	}
	tb.exec(el(0) + `.setAttribute("controls", "minimal")`)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the run", el(0)+`.instance.snapshot().phase === "running"`, quick)
	if got := eval[string](tb, `(() => { const s = `+el(0)+`.instance.snapshot(); return s.workers.length + " " + s.jobs.cap; })()`); got != "3 5" {
		t.Errorf("workers, jobs cap after setting them later = %s; want 3 5", got)
	}
	if href := eval[string](tb, shadowEl(0, "full-link")+`.href`); !strings.Contains(href, "workers=3") || !strings.Contains(href, "jobBuffer=5") {
		t.Errorf("the full link after setting attributes later is %s; want workers=3 and jobBuffer=5", href)
	}
}

// TestEmbedMoveRemoveReadd: moving an element in the DOM, removing it and
// adding it again dispose its instance and make a new one; doing so many
// times over never runs into create()'s bound of 64 live instances.
func TestEmbedMoveRemoveReadd(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<div id="a"><goflow-playground workers="2"></goflow-playground></div><div id="b"></div>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the run", el(0)+`.instance.snapshot().phase === "running"`, quick)
	tb.exec(`window.first = ` + el(0) + `.instance; document.getElementById("b").append(` + el(0) + `)`)
	tb.waitElement(0)
	if got := eval[string](tb, `(() => { try { first.snapshot(); return "no throw"; } catch (e) { return e.message; } })()`); got != "snapshot: instance disposed" {
		t.Errorf("the instance before the move: %q; want snapshot: instance disposed", got)
	}
	if eval[bool](tb, `first === `+el(0)+`.instance`) {
		t.Errorf("the moved element kept its disposed instance")
	}
	// 100 moves and 100 removals with re-adds, some before the element is ready.
	tb.exec(`(async () => { const e = ` + el(0) + `;
		for (let i = 0; i < 100; i++) { document.getElementById(i % 2 ? "a" : "b").append(e); }
		for (let i = 0; i < 100; i++) { e.remove(); document.body.append(e); if (i % 10 === 0) await new Promise((r) => setTimeout(r, 15)); }
		window.moved = true; })()`)
	pollFor[bool](tb, "the moves", `window.moved === true`, loadTime)
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "a run after the moves", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
	// Only this element's instance is alive: 63 more may be created.
	got := eval[string](tb, `(() => { const made = []; try { for (let i = 0; i < 70; i++) made.push(goflow.create()); return "no throw"; }
		catch (e) { return made.length + " " + e.message; } finally { for (const m of made) m.dispose(); } })()`)
	if want := "63 create: 64 instances are alive, the most there may be; dispose one first"; got != want {
		t.Errorf("creating 70 instances beside the element: %q; want %q", got, want)
	}
}

// TestEmbedTenElements: ten elements on one screen fetch main.wasm once and
// run independently; misusing create() and dispose() from JavaScript gets
// clear errors, and an element that finds 64 instances alive says so.
func TestEmbedTenElements(t *testing.T) {
	site, wasm := siteServer(t)
	page := embedPage(site, `<style>goflow-playground { height: 40px; overflow: hidden; }</style>`, strings.Repeat(`<goflow-playground controls="minimal" workers="1"></goflow-playground>`, 10))
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	for i := range 10 {
		tb.waitElement(i)
	}
	if n := wasm.Load(); n != 1 {
		t.Errorf("ten elements fetched main.wasm %d times; want 1", n)
	}
	for i := range 10 {
		tb.exec(el(i) + `.instance.start({workers: 1 + ` + fmt.Sprint(i) + `, workMs: 60000}); ` + el(i) + `.instance.submit(1)`)
	}
	tb.exec(el(4) + `.instance.cancel()`)
	got := eval[string](tb, `[...document.querySelectorAll("goflow-playground")].map((e) => e.instance.snapshot().phase[0] + e.instance.snapshot().workers.length).join(" ")`)
	if want := "r1 r2 r3 r4 c5 r6 r7 r8 r9 r10"; got != want && got != strings.Replace(want, "c5", "d5", 1) {
		t.Errorf("phases and workers of the ten: %s; want %s (only the fifth canceled)", got, want)
	}

	for _, c := range []struct{ code, want string }{
		{`const i = goflow.create(); i.dispose(); i.dispose();`, "dispose: instance disposed"},
		{`const i = goflow.create(); i.dispose(); i.start({});`, "start: instance disposed"},
		{`const i = goflow.create(); try { i.dispose(1); } finally { i.dispose(); }`, "dispose: got 1 arguments; want none"},
		{`goflow.create(1);`, "create: got 1 arguments; want none"},
		{`const i = goflow.create(); try { i.start({workers: "4"}); } finally { i.dispose(); }`, `start: workers: got "4"; want an integer from 1 to 64`},
	} {
		if got := tb.thrownBy(c.code); got != c.want {
			t.Errorf("%s threw %q; want %q", c.code, got, c.want)
		}
	}
	// With 64 alive, a new element fails to start and says why.
	tb.exec(`window.made = []; for (let i = 0; i < 54; i++) made.push(goflow.create());`)
	tb.exec(`document.body.prepend(document.createElement("goflow-playground"))`)
	pollFor[bool](tb, "the 65th element to fail", el(0)+`.state === "failed"`, loadTime)
	if got := eval[string](tb, shadowEl(0, "error")+`.textContent`); !strings.Contains(got, "create: 64 instances are alive") {
		t.Errorf("the 65th element says %q; want it to name create's bound", got)
	}
	tb.exec(`for (const m of made) m.dispose();`)
}

// thrownBy runs code (statements) and returns the message of the Error it
// throws, or "no throw".
func (tb *tab) thrownBy(code string) string {
	tb.t.Helper()
	return eval[string](tb, `(() => { try { `+code+` return "no throw"; } catch (e) { return e instanceof Error ? e.message : "not an Error: " + String(e); } })()`)
}

// hostileAll is host CSS that tries to reach into the element from every side.
const hostileAll = `<style>
html { font-size: 40px; color-scheme: dark; background: #000; color: #fff; }
* { box-sizing: content-box !important; line-height: 3 !important; letter-spacing: 3px !important; }
goflow-playground { all: unset; font: 40px/3 serif; color: red; }
button { background: rgb(255, 0, 255) !important; font-size: 40px !important; }
div { border: 7px solid rgb(255, 0, 0) !important; padding: 33px !important; }
</style>`

// TestEmbedHostCSS: a host page's global rules (all: unset on the element,
// *, button, div, a huge font-size, a dark page) leave the element as it is on a plain
// page: the same height, the same fonts and colours inside.
func TestEmbedHostCSS(t *testing.T) {
	site, _ := siteServer(t)
	body := `<div style="width: 700px"><goflow-playground controls="minimal"></goflow-playground></div>`
	measure := func(head string) string {
		tb := newTab(t)
		tb.goTo(hostServer(t, embedPage(site, head, body), "", nil))
		tb.waitElement(0)
		return eval[string](tb, `(() => { const e = `+el(0)+`, r = e.shadowRoot, cs = (s) => getComputedStyle(r.querySelector(s));
			return [Math.round(e.getBoundingClientRect().height), Math.round(r.querySelector(".gf").getBoundingClientRect().width),
				cs(".gf").fontSize, cs(".gf").fontFamily, cs(".gf").letterSpacing, cs("#btn-run").fontSize, cs("#btn-run").backgroundColor,
				cs(".node").borderTopWidth, cs(".gf").color].join(" | "); })()`)
	}
	plain, hostile := measure(""), measure(hostileAll)
	if plain != hostile {
		t.Errorf("on a hostile host page the element is\n%s\nwant as on a plain page\n%s", hostile, plain)
	}
}

// TestEmbedSizes: in containers from 240 px to 2560 px wide nothing of the
// element sticks out of it (the diagram scrolls inside its own box), and
// at every width its height is the same before and after it loads.
func TestEmbedSizes(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<div id="box"><goflow-playground controls="minimal" timeline></goflow-playground></div>`)
	host := hostServer(t, page, "", nil)
	tb := newTab(t)
	tb.do("sizing the window", quick, chromedp.EmulateViewport(2600, 900))
	tb.goTo(host)
	tb.waitElement(0)
	for _, w := range []int{240, 320, 768, 2560} {
		tb.exec(fmt.Sprintf(`document.getElementById("box").style.width = "%dpx"`, w))
		out := pollFor[string](tb, "layout", `(() => { const e = `+el(0)+`, gf = e.shadowRoot.querySelector(".gf"), box = gf.getBoundingClientRect();
			const out = [];
			if (e.getBoundingClientRect().width > `+fmt.Sprint(w)+` + 0.5) out.push("the element is " + e.getBoundingClientRect().width + " px wide");
			for (const x of gf.querySelectorAll("button, a, input, output, canvas, .gf-numbers, .diagram-scroll")) {
				if (!x.checkVisibility()) continue;
				const r = x.getBoundingClientRect();
				if (r.right > box.right + 0.5 || r.left < box.left - 0.5) out.push((x.id || x.className) + " spans " + r.left + ".." + r.right);
			}
			return out.join("; ") || "ok"; })()`, quick)
		if out != "ok" {
			t.Errorf("at %d px: %s (the element spans its container's width)", w, out)
		}
	}
}

// TestEmbedLayoutShift: once the element is styled (its placeholder, of its
// final size), the page's layout shift (a PerformanceObserver of
// 'layout-shift') stays 0 while it loads, becomes ready and runs. The
// element's arrival itself (taking its room once styled) is logged.
func TestEmbedLayoutShift(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, `<script>window.cls = 0; window.shifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) { if (!e.hadRecentInput) { cls += e.value; shifts.push({t: e.startTime, v: e.value, s: e.sources.map((x) => (x.node ? (x.node.id || x.node.className || x.node.nodeName) : (() => { const r = x.currentRect, n = document.querySelector("goflow-playground").shadowRoot.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return n ? "~" + (n.id || n.className || n.nodeName) + ":" + n.textContent.slice(0, 20) : "?"; })()) + " " + JSON.stringify([x.previousRect.y, x.previousRect.height, x.currentRect.y, x.currentRect.height, x.previousRect.x, x.currentRect.x]))}); } } })
	.observe({type: "layout-shift", buffered: true});</script>`,
		`<h1>A docs page</h1><p>before</p><goflow-playground scenario="backpressure" controls="minimal"></goflow-playground><p id="after">after</p>`)
	for _, w := range []int64{320, 1280} {
		tb := newTab(t)
		tb.do("sizing the window", quick, chromedp.EmulateViewport(w, 900))
		tb.goTo(hostServer(t, page, "", nil))
		tb.waitElement(0)
		// A person's click: the shifts it causes within 500 ms are theirs (hadRecentInput).
		xy := pollFor[[]float64](tb, "the Run button", `(() => { const r = `+shadowEl(0, "btn-run")+`.getBoundingClientRect(); return r.width > 0 && [r.x + r.width / 2, r.y + r.height / 2]; })()`, quick)
		tb.do("clicking Run", quick, chromedp.MouseClickXY(xy[0], xy[1]))
		pollFor[bool](tb, "the run", el(0)+`.instance.snapshot().counters.received > 2`, loadTime)
		styled := eval[float64](tb, el(0)+`.timing.styledMs`)
		if after := eval[float64](tb, fmt.Sprintf(`shifts.filter((s) => s.t > %f).reduce((a, s) => a + s.v, 0)`, styled)); after > 0 {
			t.Errorf("width %d: layout shift %.4f after the element was styled (placeholder, loading, ready, running); want 0", w, after)
		}
		if testing.Verbose() {
			t.Logf("%v", eval[string](tb, `JSON.stringify([`+el(0)+`.timing, shifts])`))
		}
		t.Logf("width %d: cumulative layout shift %.4f in all, from %d shifts (the element's arrival: defined, then styled)", w, eval[float64](tb, `cls`), eval[int](tb, `shifts.length`))
	}
}

// TestEmbedReducedMotion: under prefers-reduced-motion: reduce the
// element's tokens jump instead of sliding, as the page's do.
func TestEmbedReducedMotion(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground workers="2" work-ms="400"></goflow-playground>`)
	for _, c := range []struct{ reduce, want string }{{"reduce", "none"}, {"no-preference", "transform"}} {
		tb := newTab(t)
		cdpCall(tb, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: c.reduce}}})
		tb.goTo(hostServer(t, page, "", nil))
		tb.waitElement(0)
		tb.press(0, "btn-run")
		got := pollFor[string](tb, "a token in place", `(() => { const r = `+el(0)+`.shadowRoot, tok = r.querySelector(".token:not([data-fresh])");
			return tok && (r.getElementById("stage").classList.contains("lite") ? "lite" : getComputedStyle(tok).transitionProperty); })()`, loadTime)
		if got == "lite" && c.reduce != "reduce" {
			t.Logf("prefers-reduced-motion: %s: the machine is slow, tokens jump (lite): not checked", c.reduce)
		} else if !strings.Contains(got, c.want) {
			t.Errorf("prefers-reduced-motion: %s: a token's transition-property is %q; want %s", c.reduce, got, c.want)
		}
	}
}

// TestEmbedRapidClicks: Run, the step buttons and Live pressed many times in
// a row leave one run, live and going on, and no error on the console.
func TestEmbedRapidClicks(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<goflow-playground controls="minimal" workers="2" work-ms="400"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	tb.exec(`(() => { const r = ` + el(0) + `.shadowRoot, b = (id) => r.getElementById(id);
		for (let i = 0; i < 20; i++) b("btn-run").click(); })()`)
	pollFor[bool](tb, "the run", el(0)+`.instance.history().last > 10`, loadTime)
	tb.exec(`(() => { const r = ` + el(0) + `.shadowRoot, b = (id) => r.getElementById(id);
		for (let i = 0; i < 30; i++) { b("tm-back").click(); b("tm-forward").click(); b("tm-back").click(); }
		for (let i = 0; i < 10; i++) { b("tm-forward").click(); b("tm-pause").click(); }
		b("tm-live").click(); })()`)
	pollFor[bool](tb, "live and running", shadowEl(0, "tm-pos")+`.textContent.includes("(live)") && !`+el(0)+`.instance.snapshot().paused`, loadTime)
	before := eval[int](tb, el(0)+`.instance.snapshot().counters.received`)
	pollFor[bool](tb, "the run to go on", fmt.Sprintf(`%s.instance.snapshot().counters.received > %d || %s.instance.snapshot().phase !== "running"`, el(0), before, el(0)), loadTime)
	if got := eval[string](tb, shadowEl(0, "error")+`.textContent`); got != "" {
		t.Errorf("after rapid clicks the element shows the error %q", got)
	}
}

// TestEmbedKeyboardOnly: with the keyboard alone a reader reaches Run and
// the transport bar, runs the pipeline and pauses it.
func TestEmbedKeyboardOnly(t *testing.T) {
	site, _ := siteServer(t)
	page := embedPage(site, "", `<p><a href="#x">a link before</a></p><goflow-playground controls="minimal" workers="2" work-ms="400"></goflow-playground>`)
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	focused := `(document.activeElement === ` + el(0) + ` && ` + el(0) + `.shadowRoot.activeElement ? ` + el(0) + `.shadowRoot.activeElement.id : "")`
	tabTo := func(id string) {
		t.Helper()
		for range 30 {
			if eval[string](tb, focused) == id {
				return
			}
			tb.do("pressing Tab", quick, chromedp.KeyEvent(kb.Tab))
		}
		t.Fatalf("30 Tabs did not reach #%s", id)
	}
	tabTo("btn-run")
	tb.do("pressing Enter", quick, chromedp.KeyEvent(kb.Enter))
	pollFor[bool](tb, "the run", el(0)+`.instance.history().last > 5`, loadTime)
	tabTo("tm-pause")
	tb.do("pressing Enter", quick, chromedp.KeyEvent(kb.Enter))
	pollFor[bool](tb, "the pause", el(0)+`.instance.snapshot().paused`, quick)
	tb.do("pressing ←", quick, chromedp.KeyEvent(kb.ArrowLeft))
	pollFor[bool](tb, "a step back", `!`+shadowEl(0, "tm-pos")+`.textContent.includes("(live)")`, quick)
	tb.do("pressing End", quick, chromedp.KeyEvent(kb.End))
	pollFor[bool](tb, "live again", shadowEl(0, "tm-pos")+`.textContent.includes("(live)") && !`+el(0)+`.instance.snapshot().paused`, quick)
}
