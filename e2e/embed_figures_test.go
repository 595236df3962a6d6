package e2e_test

// The README's figures for <goflow-playground> (issue 13), measured and
// logged: go test -run TestEmbedFigures -v ./e2e (the phone figure:
// TestPhoneFigures, phone_test.go). They check only that the
// page works; the goals are compared in the README, not asserted, since the
// machine's load makes the times noisy.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/goflow-dev/goflow/web"
)

// cdpCall runs one DevTools command on the tab.
func cdpCall[P, R any](tb *tab, c cdp.Command[P, R], params P) R {
	tb.t.Helper()
	var r R
	tb.do(c.Method, loadTime, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var err error
		r, err = cdp.Call(ctx, t, c, params)
		return err
	}))
	return r
}

// fiveElements is a host page with five elements, one screen apart, that
// loads embed.js from base.
func fiveElements(base string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><title>five</title>
<link rel="stylesheet" href="/hostile.css"><script type="module" src="` + base + `embed.js"></script>`)
	for _, sc := range []string{"backpressure", "buffer", "slow-consumer", "cancel", "failures"} {
		fmt.Fprintf(&b, `<goflow-playground scenario=%q controls="minimal"></goflow-playground><div class="gap"></div>`, sc)
	}
	return b.String()
}

// countingSite serves the staged site and counts the body bytes it sends.
func countingSite(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	h := web.Handler(siteDir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&countingWriter{ResponseWriter: w, n: &n}, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/", &n
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.n.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestEmbedFigures(t *testing.T) {
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	site, sent := countingSite(t)
	host := hostServer(t, fiveElements(site), "", nil)
	tb := newTab(t)
	cdpCall(tb, network.Enable, network.EnableParams{})
	cdpCall(tb, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})

	// Visible to ready, 20 loads: the first element, then each further one
	// scrolled into view once the runtime runs.
	var first, further []float64
	for range 20 {
		tb.goTo(host)
		tb.waitElement(0)
		for i := 1; i < 5; i++ {
			tb.exec(el(i) + `.scrollIntoView()`)
			tb.waitElement(i)
		}
		ms := eval[[]float64](tb, `[...document.querySelectorAll("goflow-playground")].map(e => e.timing.readyMs - e.timing.visibleMs)`)
		first = append(first, ms[0])
		further = append(further, ms[1:]...)
	}
	t.Logf("visible to ready, median of 20 loads: first element %.0f ms (goal <= 1000), each further one %.1f ms (goal <= 50; median of %d)",
		median(first), median(further), len(further))

	// Bytes for the page with five elements, all loaded.
	sent.Store(0)
	tb.goTo(host)
	for i := range 5 {
		tb.exec(el(i) + `.scrollIntoView()`)
		tb.waitElement(i)
	}
	t.Logf("bytes the playground's server sent for a page with five elements: %d (%.0f KB)", sent.Load(), float64(sent.Load())/1000)

	// Heap per extra instance: 20 more elements, each run.
	tb.exec(`document.body.insertAdjacentHTML("afterbegin", '<div id="more"></div>')`)
	tb.exec(`scrollTo(0, 0)`)
	const extra = 20
	cdpCall(tb, heapprofiler.CollectGarbage, cdp.Empty{})
	js0 := cdpCall(tb, cdpruntime.GetHeapUsage, cdp.Empty{}).UsedSize
	go0 := eval[float64](tb, el(0)+`.goHeapBytes`)
	tb.exec(fmt.Sprintf(`for (let i = 0; i < %d; i++) {
		const e = document.createElement("goflow-playground");
		e.setAttribute("scenario", "buffer");
		document.getElementById("more").append(e);
		e.shadowRoot.getElementById("btn-run").click();
	}`, extra))
	pollFor[bool](tb, "the extra elements to run", `[...document.querySelectorAll("#more goflow-playground")].every(e => e.instance && e.instance.snapshot().counters.received > 0)`, loadTime)
	cdpCall(tb, heapprofiler.CollectGarbage, cdp.Empty{})
	js1 := cdpCall(tb, cdpruntime.GetHeapUsage, cdp.Empty{}).UsedSize
	go1 := eval[float64](tb, el(0)+`.goHeapBytes`)
	t.Logf("per extra running element (%d added): JS heap %.0f KiB, Go heap (wasm linear memory) %.0f KiB (goal <= 1024 each)",
		extra, (js1-js0)/extra/1024, (go1-go0)/extra/1024)

	// What a reader on a phone waits (Slow 4G and 4x CPU): TestPhoneFigures.
}
