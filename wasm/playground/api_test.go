package playground_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// call runs pg.Call and returns its JSON result and error text.
func call(pg *playground.Playground, name string, args ...any) (string, string) {
	out, err := pg.Call(nil, name, args)
	if err != nil {
		return string(out), err.Error()
	}
	return string(out), ""
}

// mustCall runs pg.Call and fails the test on error.
func mustCall(t *testing.T, pg *playground.Playground, name string, args ...any) string {
	t.Helper()
	out, msg := call(pg, name, args...)
	if msg != "" {
		t.Fatalf("%s%v: %s", name, args, msg)
	}
	return out
}

// wantError checks that Call(name, args...) fails with the message want.
func wantError(t *testing.T, pg *playground.Playground, want, name string, args ...any) {
	t.Helper()
	out, msg := call(pg, name, args...)
	if msg != want {
		t.Errorf("%s%v error = %q; want %q", name, args, msg, want)
	}
	if msg != "" && out != "" {
		t.Errorf("%s%v wrote %q with its error; want nothing", name, args, out)
	}
}

// TestCallErrors checks every error message of the JavaScript API.
func TestCallErrors(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		// Before start.
		wantError(t, pg, "submit: no pipeline; call start first", "submit", 1.0)
		wantError(t, pg, "close: no pipeline; call start first", "close")
		wantError(t, pg, "cancel: no pipeline; call start first", "cancel")

		// Arguments.
		wantError(t, pg, "start: workers: got 0; want an integer from 1 to 64", "start", map[string]any{"workers": 0.0})
		wantError(t, pg, `start: unknown key "wrokers"; known keys: `+knownKeys, "start", map[string]any{"wrokers": 4.0})
		wantError(t, pg, "start: workMs: got NaN; want a number from 0 to 60000", "start", map[string]any{"workMs": math.NaN()})
		wantError(t, pg, "start: config: got null; want an object", "start", nil)
		wantError(t, pg, `start: config: got "x"; want an object`, "start", "x")
		wantError(t, pg, "start: config: got an array; want an object", "start", []any{})
		wantError(t, pg, "start: got 2 arguments; want 1 (config)", "start", map[string]any{}, 1.0)
		wantError(t, pg, "validate: jobBuffer: got 65; want an integer from 0 to 64", "validate", map[string]any{"jobBuffer": 65.0})
		wantError(t, pg, "submit: n: got 5000; want an integer from 1 to 1000", "submit", 5000.0)
		wantError(t, pg, "submit: n: got 0; want an integer from 1 to 1000", "submit", 0.0)
		wantError(t, pg, "submit: n: got 1.5; want an integer from 1 to 1000", "submit", 1.5)
		wantError(t, pg, `submit: n: got "5"; want an integer from 1 to 1000`, "submit", "5")
		wantError(t, pg, "submit: n: got undefined; want an integer from 1 to 1000", "submit")
		wantError(t, pg, "submit: got 2 arguments; want 1 (n)", "submit", 1.0, 2.0)
		wantError(t, pg, `pauseConsumer: got "yes"; want a boolean`, "pauseConsumer", "yes")
		wantError(t, pg, "pauseConsumer: got undefined; want a boolean", "pauseConsumer")
		wantError(t, pg, "setSpeed: factor: got 2; want a number from 0.05 to 1", "setSpeed", 2.0)
		wantError(t, pg, "setSpeed: factor: got 0; want a number from 0.05 to 1", "setSpeed", 0.0)
		wantError(t, pg, "parseQuery: search: got 5; want a string", "parseQuery", 5.0)
		wantError(t, pg, "close: got 1 argument; want none", "close", 1.0)
		wantError(t, pg, "snapshot: got 1 argument; want none", "snapshot", playground.Other("a function"))
		wantError(t, pg, `goflow: no function "nope"; functions: start, submit, close, cancel, pauseConsumer, setSpeed, snapshot, parseQuery, validate, defaults, limits, pause, resume, step, history, snapshotAt, events, recording, load, timeline, why`, "nope")

		// While running.
		mustCall(t, pg, "start", map[string]any{"workMs": 1000.0})
		wantError(t, pg, "start: a pipeline is running; cancel or close it first", "start", map[string]any{})
		mustCall(t, pg, "submit", 1.0)
		mustCall(t, pg, "close")
		wantError(t, pg, "start: a pipeline is closing; wait until it is done, or cancel it", "start", playground.Undefined{})
		wantError(t, pg, "close: already closed", "close")
		wantError(t, pg, "submit: the jobs channel is closed; start a new pipeline", "submit", 1.0)
		mustCall(t, pg, "cancel")
		wantError(t, pg, "cancel: already canceled", "cancel")
		wantError(t, pg, "close: the pipeline was canceled; start a new pipeline", "close")
		wantError(t, pg, "submit: the pipeline was canceled; start a new pipeline", "submit", 1.0)
		waitDone(t, pg, time.Second)
		wantError(t, pg, "cancel: already canceled", "cancel")

		// A session ended by close cannot be canceled.
		mustCall(t, pg, "start", playground.Undefined{})
		mustCall(t, pg, "close")
		waitDone(t, pg, time.Second)
		wantError(t, pg, "cancel: the pipeline is done; start a new pipeline", "cancel")
		wantError(t, pg, "close: already closed", "close")
	})
}

func TestCallStartingStates(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		mustCall(t, pg, "start", map[string]any{"workMs": 1000.0})
		mustCall(t, pg, "submit", 1.0)
		mustCall(t, pg, "cancel")
		// The phase is "canceled" only until the goroutines have exited,
		// which they do at once: start may find either phase.
		switch _, msg := call(pg, "start"); msg {
		case "": // the session was done already; this is a new one
			mustCall(t, pg, "cancel")
		case "start: a pipeline is being canceled; wait until it is done":
		default:
			t.Errorf("start after cancel: %q; want success or the canceling error", msg)
		}
		waitDone(t, pg, time.Second)
		mustCall(t, pg, "start")
		mustCall(t, pg, "cancel")
		waitDone(t, pg, time.Second)
	})
}

func TestCallResults(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		defaults := `{"workers":4,"jobBuffer":0,"resultBuffer":0,"workMs":800,"jitterMs":0,"failRate":0,"panicRate":0,"timeoutMs":0,"consumerDelayMs":0,"seed":0,"ordered":false,"failFast":false}`
		if got := mustCall(t, pg, "defaults"); got != defaults {
			t.Errorf("defaults() = %s; want %s", got, defaults)
		}
		if got := mustCall(t, pg, "validate"); got != defaults {
			t.Errorf("validate() = %s; want %s", got, defaults)
		}
		want := strings.Replace(defaults, `"workers":4`, `"workers":2`, 1)
		if got := mustCall(t, pg, "validate", map[string]any{"workers": 2.0, "jobBuffer": playground.Undefined{}}); got != want {
			t.Errorf("validate({workers: 2}) = %s; want %s", got, want)
		}
		if got := mustCall(t, pg, "parseQuery", "?workers=x"); got != `{"config":`+defaults+`,"errors":["workers: got \"x\"; want an integer from 1 to 64"]}` {
			t.Errorf("parseQuery = %s", got)
		}

		var limits map[string]any
		if err := json.Unmarshal([]byte(mustCall(t, pg, "limits")), &limits); err != nil {
			t.Fatal(err)
		}
		if w := limits["workers"]; w == nil || w.(map[string]any)["max"] != 64.0 || w.(map[string]any)["integer"] != true {
			t.Errorf("limits().workers = %v; want max 64, integer", w)
		}
		if limits["maxBacklog"] != 10000.0 || limits["maxSubmit"] != 1000.0 || limits["speed"].(map[string]any)["min"] != 0.05 {
			t.Errorf("limits() = %v", limits)
		}
		if len(limits) != len(playground.Keys())+3 {
			t.Errorf("limits() has %d keys; want %d", len(limits), len(playground.Keys())+3)
		}

		if out := mustCall(t, pg, "setSpeed", 0.5); out != "" {
			t.Errorf("setSpeed wrote %q; want nothing (undefined)", out)
		}
		if got := mustCall(t, pg, "start", map[string]any{"workers": 1.0, "workMs": 100.0, "seed": 42.0}); got != strings.NewReplacer(`"workers":4`, `"workers":1`, `"workMs":800`, `"workMs":100`, `"seed":0`, `"seed":42`).Replace(defaults) {
			t.Errorf("start = %s", got)
		}
		if got := mustCall(t, pg, "submit", 3.0); got != "3" {
			t.Errorf("submit(3) = %s; want 3", got)
		}
		mustCall(t, pg, "pauseConsumer", true)
		mustCall(t, pg, "close")
		var snap playground.Snapshot
		if err := json.Unmarshal([]byte(mustCall(t, pg, "snapshot")), &snap); err != nil {
			t.Fatal(err)
		}
		if snap.Phase != "closing" || snap.Speed != 0.5 || !snap.Consumer.Paused || snap.Config.Workers != 1 {
			t.Errorf("snapshot = %+v; want closing at speed 0.5, paused, 1 worker", snap)
		}
		mustCall(t, pg, "pauseConsumer", false)
		checkEnded(t, waitDone(t, pg, 10*time.Second))
	})
}

// TestCheckArity: a binding can check a call's arity, before it converts
// any argument, exactly as Call does.
func TestCheckArity(t *testing.T) {
	pg := playground.New()
	for _, name := range playground.Functions {
		n := len(playground.Parameters(name))
		if err := playground.CheckArity(name, n); err != nil {
			t.Errorf("CheckArity(%q, %d) = %v; want nil", name, n, err)
		}
		err := playground.CheckArity(name, n+1)
		if err == nil {
			t.Errorf("CheckArity(%q, %d) = nil; want an error", name, n+1)
			continue
		}
		args := make([]any, n+1)
		for i := range args {
			args[i] = playground.Undefined{}
		}
		if _, msg := call(pg, name, args...); msg != err.Error() {
			t.Errorf("Call(%q) with %d arguments: %q; CheckArity: %q; want the same", name, n+1, msg, err)
		}
	}
	if got := playground.Parameters("start"); len(got) != 1 || got[0] != "config" {
		t.Errorf(`Parameters("start") = %q; want ["config"]`, got)
	}
	if err := playground.CheckArity("eval", 0); err == nil || !strings.HasPrefix(err.Error(), `goflow: no function "eval"`) {
		t.Errorf(`CheckArity("eval", 0) = %v; want "goflow: no function \"eval\"..."`, err)
	}
}
