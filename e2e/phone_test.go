package e2e_test

// What a reader on a phone waits (issue 13): DevTools' Slow 4G network and
// 4x CPU slowdown, until the first <goflow-playground> of a docs page and
// the full playground page are usable, over plain HTTP (Chromium then
// accepts only gzip) and over HTTPS (where it also accepts brotli, and the
// server sends main.wasm.br; Chromium asks 127.0.0.1 for brotli over HTTP
// too, so the HTTP server takes br out of Accept-Encoding, as Chromium
// leaves it out for any other http:// origin). Each load is broken down by when each step
// ended. The figures are logged, not asserted: the machine's load makes
// them noisy. The test fails only when a page never becomes usable.
//
//	cd e2e && GOFLOW_PHONE_LOADS=5 go test -count=1 -run TestPhoneFigures -v .

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/security"
	"github.com/chromedp/chromedp"
	"github.com/goflow-dev/goflow/web"
)

// slow4G is DevTools' "Slow 4G" preset: 1.6 Mbit/s down and 750 kbit/s up
// at 90 %, 150 ms × 3.75 of latency (Chrome's and Puppeteer's numbers).
var slow4G = network.Conditions{Latency: 150 * 3.75, DownloadThroughput: 1.6e6 / 8 * 0.9, UploadThroughput: 750e3 / 8 * 0.9}

// phoneTime bounds one load on Slow 4G: today's is about 10 s.
const phoneTime = 60 * time.Second

// phoneLoad is one load, broken down: when each step ended, in ms since
// navigation started (0: the step did not happen or was not visible).
type phoneLoad struct {
	HTML         float64 `json:"html"`         // the HTML document received
	Modules      float64 `json:"modules"`      // the last ES module received (wasm_exec.js aside)
	WasmStart    float64 `json:"wasmStart"`    // the main.wasm request started
	WasmEnd      float64 `json:"wasmEnd"`      // its last byte received
	Instantiated float64 `json:"instantiated"` // compiled and instantiated (mark goflow:instantiated)
	GoReady      float64 `json:"goReady"`      // the Go program registered goflow (mark goflow:ready)
	Usable       float64 `json:"usable"`       // the element, or the page, usable
}

// breakdownJS returns the phoneLoad of the document on view, with usable
// the JavaScript of the time it became usable.
func breakdownJS(usable string) string {
	return `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const res = performance.getEntriesByType("resource");
	const path = (r) => new URL(r.name).pathname;
	const js = res.filter((r) => path(r).endsWith(".js") && !path(r).endsWith("/wasm_exec.js"));
	const wasm = res.find((r) => path(r).endsWith("/main.wasm"));
	const mark = (n) => { const e = performance.getEntriesByName("goflow:" + n)[0]; return e ? e.startTime : 0; };
	return {
		html: nav.responseEnd,
		modules: js.length ? Math.max(...js.map((r) => r.responseEnd)) : 0,
		wasmStart: wasm ? wasm.startTime : 0,
		wasmEnd: wasm ? wasm.responseEnd : 0,
		instantiated: mark("instantiated"),
		goReady: mark("ready"),
		usable: (` + usable + `),
	};
})()`
}

// wasmWire records how main.wasm was last sent: its Content-Encoding and
// the bytes of its body.
type wasmWire struct {
	mu       sync.Mutex // guards encoding and bytes
	encoding string
	bytes    int64
}

func (ww *wasmWire) get() (string, int64) {
	ww.mu.Lock()
	defer ww.mu.Unlock()
	return ww.encoding, ww.bytes
}

// wireWriter counts one main.wasm response's body into its wasmWire.
type wireWriter struct {
	http.ResponseWriter
	ww *wasmWire
}

func (w *wireWriter) Write(b []byte) (int, error) {
	w.ww.mu.Lock()
	w.ww.encoding = w.Header().Get("Content-Encoding")
	w.ww.bytes += int64(len(b))
	w.ww.mu.Unlock()
	return w.ResponseWriter.Write(b)
}

// phoneServer serves h over HTTPS (HTTP/2, as real hosts do, with the test
// server's self-signed certificate) when secure, else over plain HTTP.
func phoneServer(t *testing.T, h http.Handler, secure bool) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	// Chromium's first handshakes, before it takes the certificate, are
	// refused: not worth a log line each.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if secure {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// phoneSite serves the staged site, recording how main.wasm goes out.
func phoneSite(t *testing.T, secure bool) (string, *wasmWire) {
	t.Helper()
	ww := &wasmWire{}
	h := web.Handler(siteDir)
	url := phoneServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !secure {
			// Chromium asks 127.0.0.1 for brotli even over HTTP (a
			// potentially trustworthy origin), but any other http:// origin
			// for gzip only: ask as it would there.
			r.Header.Set("Accept-Encoding", dropBrotli(r.Header.Get("Accept-Encoding")))
		}
		if strings.HasSuffix(r.URL.Path, "/main.wasm") {
			ww.mu.Lock()
			ww.encoding, ww.bytes = "", 0
			ww.mu.Unlock()
			w = &wireWriter{ResponseWriter: w, ww: ww}
		}
		h.ServeHTTP(w, r)
	}), secure)
	return url, ww
}

// dropBrotli returns an Accept-Encoding header without br.
func dropBrotli(header string) string {
	var keep []string
	for _, part := range strings.Split(header, ",") {
		c, _, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(c), "br") {
			keep = append(keep, strings.TrimSpace(part))
		}
	}
	return strings.Join(keep, ", ")
}

// phoneLoads is how many loads each figure is the median of:
// GOFLOW_PHONE_LOADS, else 1 (the README's figures are medians of 5).
func phoneLoads(t *testing.T) int {
	if s := os.Getenv("GOFLOW_PHONE_LOADS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("GOFLOW_PHONE_LOADS=%q: want a count >= 1", s)
		}
		return n
	}
	return 1
}

// throttlePhone puts the tab on Slow 4G with 4x CPU slowdown and the cache
// off, and lets it accept the test servers' self-signed certificates.
func throttlePhone(tb *tab) {
	tb.t.Helper()
	cdpCall(tb, network.Enable, network.EnableParams{})
	cdpCall(tb, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
	cdpCall(tb, security.SetIgnoreCertificateErrors, security.SetIgnoreCertificateErrorsParams{Ignore: true})
	cdpCall(tb, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{&slow4G}})
	cdpCall(tb, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4})
}

// loadOnPhone loads url n times and returns each load's breakdown; ready is
// the JavaScript that is truthy once the page is usable, and usable the
// time it became so.
func loadOnPhone(tb *tab, url, ready, usable string, n int) []phoneLoad {
	tb.t.Helper()
	var loads []phoneLoad
	for range n {
		tb.do("loading "+url+" on Slow 4G", phoneTime, chromedp.Navigate(url))
		pollFor[bool](tb, "usable on Slow 4G: "+ready, "!!("+ready+")", phoneTime)
		loads = append(loads, eval[phoneLoad](tb, breakdownJS(usable)))
	}
	return loads
}

// summary is the median of each step over loads, in seconds.
func summary(loads []phoneLoad) string {
	col := func(f func(phoneLoad) float64) float64 {
		xs := make([]float64, len(loads))
		for i, l := range loads {
			xs[i] = f(l)
		}
		return median(xs) / 1000
	}
	var all []string
	for _, l := range loads {
		all = append(all, fmt.Sprintf("%.2f", l.Usable/1000))
	}
	return fmt.Sprintf("usable %.2f s (loads: %s); HTML %.2f, last module %.2f, main.wasm %.2f..%.2f, instantiated %.2f, Go ready %.2f",
		col(func(l phoneLoad) float64 { return l.Usable }), strings.Join(all, " "),
		col(func(l phoneLoad) float64 { return l.HTML }), col(func(l phoneLoad) float64 { return l.Modules }),
		col(func(l phoneLoad) float64 { return l.WasmStart }), col(func(l phoneLoad) float64 { return l.WasmEnd }),
		col(func(l phoneLoad) float64 { return l.Instantiated }), col(func(l phoneLoad) float64 { return l.GoReady }))
}

func TestPhoneFigures(t *testing.T) {
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	n := phoneLoads(t)
	tb := newTab(t)
	throttlePhone(tb)
	defer cdpCall(tb, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 1})
	for _, secure := range []bool{false, true} {
		site, wire := phoneSite(t, secure)
		// The docs page, and the same with the preload line docs/embedding.md
		// offers hosts whose first element is on the first screen.
		preload := `<link rel="preload" href="` + site + `main.wasm" as="fetch" crossorigin>`
		host := phoneServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			page := fiveElements(site)
			switch r.URL.Path {
			case "/hostile.css":
				w.Header().Set("Content-Type", "text/css")
				fmt.Fprint(w, hostileCSS)
				return
			case "/preload":
				page = strings.Replace(page, "<title>", preload+"<title>", 1)
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		}), secure)
		scheme := "http"
		if secure {
			scheme = "https"
		}

		first := loadOnPhone(tb, host, el(0)+`.state === "ready"`, el(0)+`.timing.readyMs`, n)
		enc, bytes := wire.get()
		t.Logf("%s, first element of five (main.wasm sent as %q, %d bytes): %s", scheme, enc, bytes, summary(first))

		if os.Getenv("GOFLOW_PHONE_LOADS") != "" { // a figure for the README, not a check: not in make test
			first = loadOnPhone(tb, host+"preload", el(0)+`.state === "ready"`, el(0)+`.timing.readyMs`, n)
			t.Logf("%s, first element of five, the host preloading main.wasm: %s", scheme, summary(first))
		}

		page := loadOnPhone(tb, site, `document.body.dataset.ready === "true" && goflowPage.loadMs.ready`, `goflowPage.loadMs.ready`, n)
		enc, bytes = wire.get()
		t.Logf("%s, the full playground page (main.wasm sent as %q, %d bytes): %s", scheme, enc, bytes, summary(page))
		want := "gzip"
		if _, err := os.Stat(filepath.Join(siteDir, "main.wasm.br")); err == nil && secure {
			want = "br" // Chromium asks for brotli over HTTPS only
		}
		if enc != want {
			t.Errorf("%s: main.wasm sent with Content-Encoding %q; want %q", scheme, enc, want)
		}
	}
}
