package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"
)

// Helpers that drive one pipeline run through the page, as a visitor would.

// config is a playground configuration, as the form's fields: config key to
// value.
type config map[string]string

// fillForm sets #cfg-<key> for each key, in key order.
func (tb *tab) fillForm(cfg config) {
	tb.t.Helper()
	for _, k := range slices.Sorted(maps.Keys(cfg)) {
		tb.setField("cfg-"+k, cfg[k])
	}
}

// startForm fills the form with the defaults plus overrides, clicks Start and
// waits for the phase "running".
func (tb *tab) startForm(overrides config) {
	tb.t.Helper()
	tb.fillForm(tb.withDefaults(overrides))
	tb.click("btn-start")
	tb.waitPhase(quick, "running")
}

// waitPhase waits until the snapshot's phase is one of phases.
func (tb *tab) waitPhase(timeout time.Duration, phases ...string) {
	tb.t.Helper()
	want, _ := json.Marshal(phases)
	tb.waitFor(fmt.Sprintf("phase %v", phases),
		fmt.Sprintf(`%s.includes(goflow.snapshot().phase)`, want), timeout)
}

// snap returns goflow.snapshot().
func (tb *tab) snap() snapshot {
	tb.t.Helper()
	return eval[snapshot](tb, `goflow.snapshot()`)
}

// withDefaults returns goflow.defaults() with the overrides applied, as form
// values, so a test sets every field and does not depend on what the form
// held before.
func (tb *tab) withDefaults(overrides config) config {
	tb.t.Helper()
	cfg := config{}
	for k, v := range eval[map[string]any](tb, `goflow.defaults()`) {
		switch v := v.(type) {
		case float64:
			cfg[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case bool: // ordered, failFast: checkboxes
			cfg[k] = strconv.FormatBool(v)
		}
	}
	maps.Copy(cfg, overrides)
	return cfg
}

// submit makes the producer send n more jobs with the page's buttons (Submit 10
// and Submit 1).
func (tb *tab) submit(n int) {
	tb.t.Helper()
	for range n / 10 {
		tb.click("btn-submit10")
	}
	for range n % 10 {
		tb.click("btn-submit1")
	}
}

// runJobs runs n jobs with the config (defaults plus overrides) the way a
// visitor would: fill the form, Start, submit with the buttons, wait for the
// consumer to read n results, Close. It returns the final snapshot, checked
// as closeAndWait checks it.
func (tb *tab) runJobs(overrides config, n int) snapshot {
	tb.t.Helper()
	tb.startForm(overrides)
	tb.submit(n)
	tb.waitFor(fmt.Sprintf("the consumer to read %d results", n),
		fmt.Sprintf(`goflow.snapshot().consumer.consumed === %d`, n), 10*time.Second)
	return tb.closeAndWait(quick)
}

// closeAndWait clicks Close, waits until the run is done and returns the
// final snapshot, after checking what must hold at the end of every run: the
// counters add up, the consumer read every emitted result, and the page shows
// the snapshot's counters.
func (tb *tab) closeAndWait(timeout time.Duration) snapshot {
	tb.t.Helper()
	tb.click("btn-close")
	return tb.waitDone(timeout)
}

// waitDone waits for the phase "done" and checks the end-of-run invariants.
func (tb *tab) waitDone(timeout time.Duration) snapshot {
	tb.t.Helper()
	tb.waitPhase(timeout, "done")
	s := tb.snap()
	c := s.Counters
	if c.Received != c.Succeeded+c.Failed+c.Canceled {
		tb.t.Errorf("counters %+v: received %d; want succeeded+failed+canceled = %d",
			c, c.Received, c.Succeeded+c.Failed+c.Canceled)
	}
	if s.Consumer.Consumed != c.Emitted {
		tb.t.Errorf("consumer.consumed = %d; want counters.emitted = %d", s.Consumer.Consumed, c.Emitted)
	}
	tb.waitCountersShown(c)
	return s
}

var counterNames = []string{"received", "succeeded", "failed", "canceled", "emitted"}

// countersShown reads #count-<name>, failing if one is not a number.
func (tb *tab) countersShown() counters {
	tb.t.Helper()
	texts := eval[map[string]string](tb, `Object.fromEntries(["received", "succeeded", "failed", "canceled", "emitted"]
		.map(k => [k, document.getElementById("count-" + k).textContent.trim()]))`)
	n := map[string]int{}
	for _, k := range counterNames {
		v, err := strconv.Atoi(texts[k])
		if err != nil {
			tb.t.Fatalf("#count-%s = %q; want an integer", k, texts[k])
		}
		n[k] = v
	}
	return counters{n["received"], n["succeeded"], n["failed"], n["canceled"], n["emitted"]}
}

// waitCountersShown waits until the page shows want in #count-*: the page
// renders once a frame, so it may be a frame behind the snapshot.
func (tb *tab) waitCountersShown(want counters) {
	tb.t.Helper()
	js, _ := json.Marshal(map[string]int{"received": want.Received, "succeeded": want.Succeeded,
		"failed": want.Failed, "canceled": want.Canceled, "emitted": want.Emitted})
	tb.waitFor(fmt.Sprintf("the page to show the counters %+v", want),
		fmt.Sprintf(`Object.entries(%s).every(([k, v]) => document.getElementById("count-" + k).textContent.trim() === String(v))`, js),
		quick)
	if got := tb.countersShown(); got != want {
		tb.t.Errorf("#count-* show %+v; want %+v", got, want)
	}
}

// wantCounters checks the final counters.
func wantCounters(t *testing.T, s snapshot, want counters) {
	t.Helper()
	if s.Counters != want {
		t.Errorf("counters = %+v; want %+v", s.Counters, want)
	}
}
