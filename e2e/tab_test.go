package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Step timeouts. Every wait in the tests is bounded by one of these; none
// sleeps for a fixed time.
const (
	quick    = 5 * time.Second  // one command, or a state the page reaches at once
	loadTime = 15 * time.Second // loading the page and its wasm module
)

// tab is one browser tab showing the playground, opened for one test. Its
// helpers fail the test (t.Fatal) when a step fails or times out. When the test
// ends, the tab fails it if the console showed an error, and on failure saves
// a screenshot and the console log under artifacts/.
type tab struct {
	t      *testing.T
	ctx    context.Context // the tab's chromedp context; step timeouts derive from it
	opened time.Time

	mu       sync.Mutex    // guards console and expected
	console  []consoleLine // every console message, in order of arrival
	expected []string      // console lines holding one of these do not fail the test
}

// expect says that console lines holding text are what the test provokes,
// so that they do not fail it.
func (tb *tab) expect(text string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.expected = append(tb.expected, text)
}

// expectedLine reports whether l holds an expected text; tb.mu is held.
func (tb *tab) expectedLine(l consoleLine) bool {
	for _, e := range tb.expected {
		if strings.Contains(l.text, e) {
			return true
		}
	}
	return false
}

// consoleLine is one console message, uncaught exception or browser log entry.
type consoleLine struct {
	at   time.Duration // since the tab opened
	kind string        // console API type ("log", "error", ...), "exception" or "browser <level>"
	text string
	bad  string // why this line fails the test; "" when it does not
}

// openPage opens a tab on the playground with the URL query (for example
// "?workers=5", or "") and waits until the module is ready.
func openPage(t *testing.T, query string) *tab {
	t.Helper()
	tb := newTab(t)
	tb.navigate(query)
	ms := tb.waitReady()
	t.Logf("%s ready %.0f ms after navigation", siteURL+query, ms)
	return tb
}

// newTab opens a blank tab on the shared browser.
func newTab(t *testing.T) *tab {
	t.Helper()
	if setupErr != nil {
		t.Fatalf("e2e setup failed: %v", setupErr)
	}
	tb := &tab{t: t, opened: time.Now()}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(tb.listen))
	tb.ctx = ctx
	t.Cleanup(cancel) // runs last: closes the tab
	// The first Do opens the tab and binds it to ctx, so it takes no timeout.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cdplog.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	t.Cleanup(tb.finish) // runs first, while the tab is open
	return tb
}

// navigate loads the playground with the URL query and waits for the load
// event (not for the module: see waitReady).
func (tb *tab) navigate(query string) {
	tb.t.Helper()
	tb.do("loading the page", loadTime, chromedp.Navigate(siteURL+query))
}

// waitReady waits until the page says the module is ready and returns the
// page's own clock at that frame: milliseconds since navigation started.
func (tb *tab) waitReady() float64 {
	tb.t.Helper()
	return pollFor[float64](tb, "the module to become ready (body[data-ready=true])",
		`document.body.dataset.ready === "true" && performance.now()`, loadTime)
}

// listen records console messages. It runs on chromedp's event loop, so it
// only appends.
func (tb *tab) listen(ev any) {
	var kind, text string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		kind, text = string(ev.Type), argsText(ev.Args)
	case *runtime.EventExceptionThrown:
		kind, text = "exception", exceptionText(ev.ExceptionDetails)
	case *cdplog.EventEntryAdded:
		kind, text = "browser "+string(ev.Entry.Level), strings.TrimSpace(ev.Entry.Text+" "+ev.Entry.URL)
	default:
		return
	}
	line := consoleLine{at: time.Since(tb.opened), kind: kind, text: text, bad: badLine(kind, text)}
	tb.mu.Lock()
	tb.console = append(tb.console, line)
	tb.mu.Unlock()
}

// goRuntimeMarks are what the Go runtime writes (through wasm_exec.js, to
// console.log or console.warn) when the module panics, dies or exits.
var goRuntimeMarks = []string{"panic:", "fatal error:", "exit code", "Go program has already exited"}

// badLine says why a console line fails the test, or "" if it does not.
func badLine(kind, text string) string {
	switch kind {
	case "exception":
		return "uncaught exception"
	case "error":
		return "console.error"
	}
	for _, m := range goRuntimeMarks {
		if strings.Contains(text, m) {
			return fmt.Sprintf("Go runtime output (%q)", m)
		}
	}
	return ""
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && len(a.Value) > 0 && json.Unmarshal(a.Value, &s) == nil:
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		default:
			s = a.Description
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d:%d)", s, d.URL, d.LineNumber+1, d.ColumnNumber+1)
}

// problems returns the console lines that fail the test, one a line.
func (tb *tab) problems() string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var b strings.Builder
	for _, l := range tb.console {
		if l.bad != "" && !tb.expectedLine(l) {
			fmt.Fprintf(&b, "\n\t%s: %s", l.bad, l.text)
		}
	}
	return b.String()
}

// lines returns the console lines of the kind.
func (tb *tab) lines(kind string) []consoleLine {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []consoleLine
	for _, l := range tb.console {
		if l.kind == kind {
			out = append(out, l)
		}
	}
	return out
}

// finish fails the test on a bad console line and, if the test failed, saves
// its artifacts.
func (tb *tab) finish() {
	// Events are delivered in order with replies, so once this round trip
	// returns, every message the page sent before it has been recorded.
	flush, cancel := context.WithTimeout(tb.ctx, quick)
	_, _ = chromedp.Run(flush, chromedp.Evaluate[int](`0`))
	cancel()
	if p := tb.problems(); p != "" {
		tb.t.Errorf("the page's console showed errors:%s", p)
	}
	if tb.t.Failed() {
		tb.saveArtifacts()
	}
}

// saveArtifacts writes artifacts/<TestName>.png (full page) and .log (the
// console and the page's state) and names them in the test output.
func (tb *tab) saveArtifacts() {
	dir, err := filepath.Abs("artifacts")
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		tb.t.Logf("cannot save artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(tb.t.Name()))

	var log strings.Builder
	fmt.Fprintf(&log, "%s: %s\n\n", tb.t.Name(), tb.url())
	tb.mu.Lock()
	for _, l := range tb.console {
		mark := ""
		if l.bad != "" {
			mark = "  <-- " + l.bad
		}
		fmt.Fprintf(&log, "%8.3fs %-9s %s%s\n", l.at.Seconds(), l.kind, l.text, mark)
	}
	tb.mu.Unlock()
	fmt.Fprintf(&log, "\npage state: %s\n", tb.state())
	if err := os.WriteFile(base+".log", []byte(log.String()), 0o644); err != nil {
		tb.t.Logf("cannot save the console log: %v", err)
	} else {
		tb.t.Logf("console log: %s.log", base)
	}

	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(base+".png", png, 0o644)
	}
	if err != nil {
		tb.t.Logf("cannot save a screenshot: %v", err)
		return
	}
	tb.t.Logf("screenshot: %s.png", base)
}

func (tb *tab) url() string {
	ctx, cancel := context.WithTimeout(tb.ctx, quick)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(no URL: %v)", err)
	}
	return u
}

// stateJS summarizes the page for failure messages, without throwing.
const stateJS = `(() => {
	const text = sel => { const el = document.querySelector(sel); return el ? el.textContent.trim() : null; };
	let snap = null;
	try { snap = window.goflow && goflow.snapshot(); } catch (e) { snap = {thrown: String(e)}; }
	return JSON.stringify({
		ready: document.body && document.body.dataset.ready, status: text("#status"),
		error: text("#error"), loadError: text("#load-error"), phase: snap && snap.phase,
		counters: snap && snap.counters, consumed: snap && snap.consumer && snap.consumer.consumed,
		producer: snap && snap.producer && {backlog: snap.producer.backlog, blocked: snap.producer.blocked},
		jobs: snap && snap.jobs && snap.jobs.len, results: snap && snap.results && snap.results.len,
		workers: snap && snap.workers && snap.workers.map(w => w.state),
		goroutines: snap && [snap.goroutines, snap.baselineGoroutines], thrown: snap && snap.thrown,
	});
})()`

// state returns stateJS's summary, or why it could not be read.
func (tb *tab) state() string {
	ctx, cancel := context.WithTimeout(tb.ctx, quick)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](stateJS))
	if err != nil {
		return fmt.Sprintf("(unavailable: %v)", err)
	}
	return s
}

// do runs the steps within timeout; what names them in the failure.
func (tb *tab) do(what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	runFor(tb, what, timeout, chromedp.Steps(steps...))
}

// runFor runs one action within timeout and returns its value.
func runFor[T any](tb *tab, what string, timeout time.Duration, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v\npage state: %s%s", what, err, tb.state(), tb.problems())
	}
	return v
}

// eval evaluates a JavaScript expression and decodes its value into T.
func eval[T any](tb *tab, expr string, opts ...chromedp.EvaluateOption) T {
	tb.t.Helper()
	return runFor(tb, "evaluating "+expr, quick, chromedp.Evaluate[T](expr, opts...))
}

// exec evaluates a JavaScript statement or expression for its effect.
func (tb *tab) exec(js string) {
	tb.t.Helper()
	eval[chromedp.Void](tb, js)
}

// pollFor waits, checking every animation frame, until the JavaScript
// expression is truthy and returns its value. An expression that throws counts
// as false; on timeout the failure shows what it threw, the page's state and
// the console errors.
func pollFor[T any](tb *tab, what, expr string, timeout time.Duration) T {
	tb.t.Helper()
	guarded := fmt.Sprintf(`(() => { try { return (%s); } catch (e) { return false; } })()`, expr)
	ctx, cancel := context.WithTimeout(tb.ctx, timeout+quick)
	defer cancel()
	deadline := time.Now().Add(timeout)
	v, err := chromedp.Run(ctx, chromedp.Poll[T](guarded, chromedp.WithPollingTimeout(timeout)))
	// A navigation can replace the page's execution context under a poll
	// started just before it ("Cannot find context with specified id"): poll
	// the new document for the time that is left.
	for err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") && time.Until(deadline) > 0 {
		v, err = chromedp.Run(ctx, chromedp.Poll[T](guarded, chromedp.WithPollingTimeout(time.Until(deadline))))
	}
	if err == nil {
		return v
	}
	if errors.Is(err, chromedp.ErrPollingTimeout) {
		err = fmt.Errorf("timed out after %v", timeout)
	}
	last := "(unavailable)"
	ectx, ecancel := context.WithTimeout(tb.ctx, quick)
	defer ecancel()
	if raw, eerr := chromedp.Run(ectx, chromedp.Evaluate[[]byte](expr)); eerr != nil {
		last = "threw: " + eerr.Error()
	} else {
		last = string(raw)
	}
	tb.t.Fatalf("waiting for %s: %v\n\texpression: %s\n\tlast value: %s\n\tpage state: %s%s",
		what, err, expr, last, tb.state(), tb.problems())
	var zero T
	return zero
}

// waitFor waits until the JavaScript expression is truthy.
func (tb *tab) waitFor(what, expr string, timeout time.Duration) {
	tb.t.Helper()
	pollFor[chromedp.Void](tb, what, expr, timeout)
}

// click clicks the element with the id with the mouse, once it is enabled.
func (tb *tab) click(id string) {
	tb.t.Helper()
	tb.do("clicking #"+id, quick, chromedp.WaitEnabled(chromedp.ID(id)), chromedp.Click(chromedp.ID(id)))
}

// clickCSS clicks the first element the CSS selector matches, once it is
// enabled.
func (tb *tab) clickCSS(sel string) {
	tb.t.Helper()
	tb.do("clicking "+sel, quick, chromedp.WaitEnabled(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// text returns the trimmed text of the element with the id.
func (tb *tab) text(id string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`document.getElementById(%q).textContent.trim()`, id))
}

// setField sets a form input's value as typing would: the value, then input
// and change events.
func (tb *tab) setField(id, value string) {
	tb.t.Helper()
	tb.exec(fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		if (!el) throw new Error("no #" + %[1]q);
		if (el.type === "checkbox") el.checked = %[2]q === "true";
		else el.value = %[2]q;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, id, value))
}

// thrown calls JavaScript that should throw and returns the Error's message.
// It fails the test if the call returns, or throws something that is not an
// Error. The try/catch is in the page, so the throw is never uncaught.
func (tb *tab) thrown(call string) string {
	tb.t.Helper()
	type outcome struct {
		Threw, IsError bool
		Message, Value string
	}
	o := eval[outcome](tb, fmt.Sprintf(`(() => {
		try {
			const v = (%s);
			return {threw: false, value: JSON.stringify(v) ?? String(v)};
		} catch (e) {
			return {threw: true, isError: e instanceof Error, message: e instanceof Error ? e.message : String(e)};
		}
	})()`, call))
	switch {
	case !o.Threw:
		tb.t.Errorf("%s returned %s; want it to throw an Error", call, o.Value)
	case !o.IsError:
		tb.t.Errorf("%s threw %q, not an Error", call, o.Message)
	}
	return o.Message
}
