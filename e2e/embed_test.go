package e2e_test

// The tests of issue 13: <goflow-playground> on a host page of another
// origin, many per page over one runtime, loaded when seen.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/goflow-dev/goflow/web"
)

// snippetBase is the address the snippets under docs/embed load embed.js
// from; the tests put their own server's there.
const snippetBase = "https://goflow.example/"

// hostileCSS styles button and div globally, as a host page might.
const hostileCSS = `button { background: rgb(255, 0, 255) !important; font-size: 40px !important; }
div { border: 7px solid rgb(255, 0, 0) !important; padding: 33px !important; }
.gap { height: 300vh; border: 0 !important; }`

// siteServer serves the staged site, counting the requests for main.wasm.
func siteServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	var n atomic.Int32
	h := web.Handler(siteDir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/main.wasm") {
			n.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", &n
}

// hostPage returns docs/embed/plain.html loading embed.js from base, with
// hostile.css linked and a gap of three screens after each element.
func hostPage(t *testing.T, base string) string {
	t.Helper()
	b, err := os.ReadFile("../docs/embed/plain.html")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.ReplaceAll(string(b), snippetBase, base)
	page = strings.Replace(page, "</head>", `<link rel="stylesheet" href="/hostile.css"></head>`, 1)
	return strings.ReplaceAll(page, "</goflow-playground>", `</goflow-playground><div class="gap"></div>`)
}

// hostServer serves page at / and hostileCSS at /hostile.css, with the
// policy as its Content-Security-Policy when not "", and other paths from
// more (nil: 404).
func hostServer(t *testing.T, page, policy string, more http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			if policy != "" {
				w.Header().Set("Content-Security-Policy", policy)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		case "/hostile.css":
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, hostileCSS)
		default:
			if more == nil {
				http.NotFound(w, r)
				return
			}
			more.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// el is the JavaScript of the i-th <goflow-playground> of the page.
func el(i int) string {
	return fmt.Sprintf(`document.querySelectorAll("goflow-playground")[%d]`, i)
}

// waitElement waits until element i is ready.
func (tb *tab) waitElement(i int) {
	tb.t.Helper()
	pollFor[bool](tb, fmt.Sprintf("element %d to be ready", i), el(i)+`.state === "ready"`, loadTime)
}

// press clicks the button #id in element i's shadow root, once enabled.
func (tb *tab) press(i int, id string) {
	tb.t.Helper()
	btn := el(i) + `.shadowRoot.getElementById("` + id + `")`
	pollFor[bool](tb, fmt.Sprintf("element %d's %s to be enabled", i, id), `!`+btn+`.disabled`, quick)
	tb.exec(btn + `.click()`)
}

// TestEmbedHostPage: docs/embed/plain.html served from another origin than
// the playground's files, three elements three screens apart.
func TestEmbedHostPage(t *testing.T) {
	site, wasm := siteServer(t)
	host := hostServer(t, hostPage(t, site), "", nil)
	tb := newTab(t)
	tb.goTo(host)
	tb.waitElement(0)
	if got := eval[[]string](tb, `[...document.querySelectorAll("goflow-playground")].map(e => e.state)`); strings.Join(got, " ") != "ready placeholder placeholder" {
		t.Errorf("before scrolling the states are %v; want only the first ready", got)
	}
	if n := wasm.Load(); n != 1 {
		t.Errorf("main.wasm fetched %d times before scrolling; want 1", n)
	}
	for i := 1; i < 3; i++ {
		tb.exec(el(i) + `.scrollIntoView()`)
		tb.waitElement(i)
	}
	if n := wasm.Load(); n != 1 {
		t.Errorf("main.wasm fetched %d times for three elements; want 1", n)
	}

	// controls="none" autoplay runs by itself.
	pollFor[bool](tb, "the autoplay element to run", el(2)+`.instance.snapshot().counters.received > 0`, loadTime)

	// Cancel in one, the others keep running.
	tb.exec(`scrollTo(0, 0)`)
	tb.press(0, "btn-run")
	tb.exec(el(1) + `.scrollIntoView()`)
	tb.press(1, "btn-run")
	tb.exec(`scrollTo(0, 0)`)
	pollFor[bool](tb, "element 0 to run", el(0)+`.instance.snapshot().goroutines > 2`, quick)
	base := eval[int](tb, el(0)+`.instance.snapshot().baselineGoroutines`)
	before := eval[int](tb, el(1)+`.instance.snapshot().counters.received`)
	tb.press(0, "btn-cancel")
	pollFor[bool](tb, "element 0 to be done", el(0)+`.instance.snapshot().phase === "done"`, loadTime)
	if got := eval[int](tb, el(0)+`.instance.snapshot().goroutines`); got != base {
		t.Errorf("element 0: %d goroutines after cancel; want its baseline %d", got, base)
	}
	if ph := eval[string](tb, el(1)+`.instance.snapshot().phase`); ph != "running" {
		t.Errorf("element 1 is %q after element 0's cancel; want running", ph)
	}
	pollFor[bool](tb, "element 1 to go on receiving", fmt.Sprintf(`%s.instance.snapshot().counters.received > %d`, el(1), before), loadTime)

	// Far out of view, the autoplay element stands still.
	pollFor[bool](tb, "the autoplay element to pause far out of view", el(2)+`.instance.snapshot().paused || `+el(2)+`.instance.snapshot().phase === "done"`, quick)

	// theme applies; the host's CSS does not reach in.
	style := func(i int, sel, prop string) string {
		return eval[string](tb, fmt.Sprintf(`getComputedStyle(%s.shadowRoot.querySelector(%q)).%s`, el(i), sel, prop))
	}
	if light, dark := style(0, ".gf", "backgroundColor"), style(1, ".gf", "backgroundColor"); light == dark {
		t.Errorf("theme: light and dark elements both have background %s", light)
	}
	if bg, fs := style(0, "#btn-run", "backgroundColor"), style(0, "#btn-run", "fontSize"); bg == "rgb(255, 0, 255)" || fs == "40px" {
		t.Errorf("host CSS reached the Run button: background %s, font-size %s", bg, fs)
	}
	if bw, pad := style(0, ".gf", "borderTopWidth"), style(0, ".gf", "paddingTop"); bw == "7px" || pad == "33px" {
		t.Errorf("host CSS reached the element's div: border %s, padding %s", bw, pad)
	}
}

// TestEmbedStrictCSP: a host page that serves the site folder under
// /goflow/ and says default-src 'self'; script-src 'self' 'wasm-unsafe-eval'.
func TestEmbedStrictCSP(t *testing.T) {
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	const policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
	host := hostServer(t, hostPage(t, "/goflow/"), policy, http.StripPrefix("/goflow", web.Handler(siteDir)))
	tb := newTab(t)
	tb.recordCSPViolations()
	tb.goTo(host)
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "element 0 to run", el(0)+`.instance.snapshot().counters.received > 0`, loadTime)
	if v := eval[[]string](tb, `window.cspViolations`); len(v) > 0 {
		t.Errorf("CSP violations: %v", v)
	}
}

// TestEmbedBadAttributes: each bad attribute is named in the element, and
// its default is used.
func TestEmbedBadAttributes(t *testing.T) {
	site, _ := siteServer(t)
	page := `<!doctype html><title>bad</title><script type="module" src="` + site + `embed.js"></script>
<goflow-playground workers="0" job-buffer="lots" theme="purple" controls="some" scenario="nope" speed="9" resultBuffer="2"></goflow-playground>`
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	errs := eval[string](tb, el(0)+`.shadowRoot.getElementById("attr-errors").textContent`)
	for _, want := range []string{`workers="0": got 0; want an integer from 1 to 64; using the default 4`, `job-buffer="lots"`, `theme="purple"`, `controls="some"`, `scenario="nope"`, `speed="9"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("the element's errors %q do not name %s", errs, want)
		}
	}
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the run to start", el(0)+`.instance.snapshot().phase === "running"`, quick)
	if got := eval[string](tb, `(() => { const s = `+el(0)+`.instance.snapshot(); return s.workers.length + " " + s.jobs.cap + " " + s.results.cap; })()`); got != "4 0 2" {
		t.Errorf("workers, jobs cap, results cap = %s; want 4 0 2 (the defaults, and resultBuffer=2 in camelCase)", got)
	}
}

// TestEmbedDispose: removing an element disposes its instance: every later
// call throws "<fn>: instance disposed"; goflow.create() instances too.
func TestEmbedDispose(t *testing.T) {
	site, _ := siteServer(t)
	page := `<!doctype html><title>dispose</title><script type="module" src="` + site + `embed.js"></script>
<goflow-playground scenario="cancel"></goflow-playground>`
	tb := newTab(t)
	tb.goTo(hostServer(t, page, "", nil))
	tb.waitElement(0)
	tb.press(0, "btn-run")
	pollFor[bool](tb, "the run to start", el(0)+`.instance.snapshot().goroutines > 2`, quick)
	got := eval[string](tb, `(() => { const e = `+el(0)+`, i = e.instance; e.remove();
		try { i.snapshot(); return "no throw"; } catch (err) { return err.message + " / " + e.instance; } })()`)
	if got != "snapshot: instance disposed / null" {
		t.Errorf("after remove: %q; want %q", got, "snapshot: instance disposed / null")
	}
}

// TestEmbedSnippets: every snippet under docs/embed writes the element as
// plain.html's first one does, and loads embed.js from the site.
func TestEmbedSnippets(t *testing.T) {
	const element = `<goflow-playground scenario="backpressure" controls="minimal"></goflow-playground>`
	for _, name := range []string{"plain.html", "mkdocs.md", "docusaurus.mdx", "mdbook.md"} {
		b, err := os.ReadFile("../docs/embed/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); !strings.Contains(s, element) || !strings.Contains(s, snippetBase+"embed.js") {
			t.Errorf("docs/embed/%s does not hold %s and %sembed.js", name, element, snippetBase)
		}
	}
	b, err := os.ReadFile("../docs/embed/goflow.html")
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `<goflow-playground{{ range $k, $v := .Params }} {{ $k }}="{{ $v }}"{{ end }}></goflow-playground>`) ||
		!strings.Contains(s, `embed.js"></script>`) {
		t.Errorf("docs/embed/goflow.html (the Hugo shortcode) does not write the element and the script")
	}
}

// TestEmbedNoLayoutShift: the placeholder has the element's final size: its
// height is the same before it loads, once ready and while it runs, at
// widths from a phone's to a wide screen's.
func TestEmbedNoLayoutShift(t *testing.T) {
	site, _ := siteServer(t)
	page := `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>shift</title>
<script type="module" src="` + site + `embed.js"></script>
<p>before</p><goflow-playground scenario="backpressure" controls="minimal"></goflow-playground><p>after</p>`
	host := hostServer(t, page, "", nil)
	tb := newTab(t)
	height := func() float64 { return eval[float64](tb, el(0)+`.getBoundingClientRect().height`) }
	for _, w := range []int64{320, 1000, 2560} {
		tb.do("sizing the window", quick, chromedp.EmulateViewport(w, 900))
		tb.goTo(host)
		pollFor[bool](tb, "the stylesheets", el(0)+`.style.visibility === ""`, loadTime)
		h0 := height()
		tb.waitElement(0)
		h1 := height()
		tb.press(0, "btn-run")
		pollFor[bool](tb, "the run", el(0)+`.instance.snapshot().counters.received > 1`, loadTime)
		if h2 := height(); h0 != h1 || h1 != h2 {
			t.Errorf("width %d: height %v as a placeholder, %v ready, %v running; want one height", w, h0, h1, h2)
		}
	}
}
