package e2e_test

import (
	"fmt"
	"strings"
	"testing"
)

// Bad input, through the form and through goflow.*: each gets a message
// naming the field, and the page keeps working afterwards.

// TestBadFormInput: an invalid form field shows a message naming it in #error,
// marks the input aria-invalid, starts nothing; once fixed, a run completes.
func TestBadFormInput(t *testing.T) {
	tb := openPage(t, "")
	for _, c := range []struct{ field, value string }{
		{"workers", "0"},
		{"workers", "abc"}, // a number input holds "" for this
		{"workers", ""},
		{"workers", "65"},
		{"workers", "2.5"},
		{"jobBuffer", "-1"},
		{"workMs", "60001"},
		{"failRate", "1.5"},
	} {
		what := fmt.Sprintf("%s=%q", c.field, c.value)
		tb.fillForm(tb.withDefaults(config{c.field: c.value}))
		// The page may refuse the input at once (and disable Start) or when
		// Start is clicked; either way it must say why.
		if eval[bool](tb, `!document.getElementById("btn-start").disabled`) {
			tb.click("btn-start")
		}
		msg := pollFor[string](tb, what+": a message naming "+c.field+" in #error",
			fmt.Sprintf(`(t => t.includes(%q) && t)(document.getElementById("error").textContent)`, c.field), quick)
		t.Logf("%s: #error %q", what, msg)
		if got := eval[string](tb, fmt.Sprintf(`document.getElementById("cfg-%s").getAttribute("aria-invalid")`, c.field)); got != "true" {
			t.Errorf("%s: #cfg-%s aria-invalid = %q; want \"true\"", what, c.field, got)
		}
		if ph := tb.snap().Phase; ph != "idle" && ph != "done" {
			t.Errorf("%s: phase %q after a refused start; want nothing started", what, ph)
		}
		tb.runSmall()
		if got := tb.text("error"); got != "" {
			t.Errorf("%s: #error = %q after a good run; want it cleared", what, got)
		}
		if got := eval[string](tb, fmt.Sprintf(`document.getElementById("cfg-%s").getAttribute("aria-invalid") ?? ""`, c.field)); got == "true" {
			t.Errorf("%s: #cfg-%s still aria-invalid after a good value", what, c.field)
		}
	}
}

// runSmall runs 3 quick jobs through the form and the buttons, to show the
// page still works.
func (tb *tab) runSmall() {
	tb.t.Helper()
	s := tb.runJobs(config{"workers": "2", "workMs": "10"}, 3)
	wantCounters(tb.t, s, counters{Received: 3, Succeeded: 3, Emitted: 3})
}

// TestBadAPIInput: each wrong goflow.* call throws an Error whose message
// starts with the function's name and names the field (the messages of
// /tmp/goflow-contract.md); afterwards a normal run completes.
func TestBadAPIInput(t *testing.T) {
	const (
		running = `goflow.start({workers: 1, workMs: 10000})`
		fresh   = `goflow.start({workers: 2, workMs: 10}); goflow.submit(3); goflow.close()`
	)
	tb := openPage(t, "")
	for _, c := range []struct {
		name  string
		setup string // run before the call; "" for none
		call  string
		want  string // the message's start
	}{
		// First, while no pipeline was ever started.
		{"submit before start", "", `goflow.submit(1)`, "submit: no pipeline"},
		{"workers 0", "", `goflow.start({workers: 0})`, "start: workers: got 0; want an integer from 1 to 64"},
		{"workers 65", "", `goflow.start({workers: 65})`, "start: workers: got 65"},
		{"unknown key", "", `goflow.start({wrokers: 1})`, `start: unknown key "wrokers"`},
		{"workMs NaN", "", `goflow.start({workMs: NaN})`, "start: workMs: got NaN"},
		{"failRate 2", "", `goflow.start({failRate: 2})`, "start: failRate: "},
		{"config not an object", "", `goflow.start(42)`, "start: "},
		{"validate", "", `goflow.validate({jobBuffer: 65})`, "validate: jobBuffer: "},
		{"setSpeed 5", "", `goflow.setSpeed(5)`, "setSpeed: "},
		{"parseQuery number", "", `goflow.parseQuery(1)`, "parseQuery: "},
		{"start while running", running, `goflow.start({workers: 1})`, "start: a pipeline is running"},
		{"submit -1", running, `goflow.submit(-1)`, "submit: n: got -1"},
		{"submit x", running, `goflow.submit("x")`, "submit: n: "},
		{"submit 5000", running, `goflow.submit(5000)`, "submit: n: got 5000; want an integer from 1 to 1000"},
		{"submit past the backlog", running, `(() => { for (let i = 0; i < 11; i++) goflow.submit(1000); })()`, "submit: backlog would be "},
		{"pauseConsumer yes", running, `goflow.pauseConsumer("yes")`, `pauseConsumer: got "yes"; want a boolean`},
		{"cancel twice", running + `; goflow.cancel()`, `goflow.cancel()`, "cancel: already canceled"},
		{"close twice", running + `; goflow.close()`, `goflow.close()`, "close: already closed"},
		{"submit after close", running + `; goflow.close()`, `goflow.submit(1)`, "submit: the jobs channel is closed"},
	} {
		if c.setup != "" {
			tb.exec(c.setup)
		}
		msg := tb.thrown(c.call)
		t.Logf("%s: %s threw %q", c.name, c.call, msg)
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s: %s threw %q; want a message starting %q", c.name, c.call, msg, c.want)
		}
		// Recover: end whatever runs, then a normal run must complete.
		if ph := tb.snap().Phase; ph == "running" || ph == "closing" {
			tb.exec(`goflow.cancel()`)
		}
		tb.waitPhase(quick, "idle", "done")
		tb.exec(fresh)
		tb.waitPhase(quick, "done")
		if s := tb.snap(); s.Counters.Succeeded != 3 || s.Consumer.Consumed != 3 {
			t.Errorf("%s: the run after it: counters %+v, consumed %d; want 3 succeeded and consumed", c.name, s.Counters, s.Consumer.Consumed)
		}
	}
}
