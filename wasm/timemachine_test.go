//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"testing"
)

// await waits for the JavaScript Promise p (or value) and returns what it
// resolved with, or the message it was rejected with.
func await(p js.Value) (v js.Value, rejected string) {
	type result struct {
		v   js.Value
		err string
	}
	done := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- result{v: a[0]}; return nil })
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		done <- result{err: js.Global().Get("String").Invoke(a[0].Get("message")).String()}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	js.Global().Get("Promise").Call("resolve", p).Call("then", then, catch)
	r := <-done
	return r.v, r.err
}

// TestStepRecordsOne: goflow.step() returns the event, or a Promise of it
// when the run must move; either way exactly one event is recorded, and it
// is the one returned.
func TestStepRecordsOne(t *testing.T) {
	callJS(t, "start", js.ValueOf(map[string]any{"workers": 2, "workMs": 20, "seed": 5}))
	defer try.Invoke("cancel")
	defer callJS(t, "resume")
	callJS(t, "submit", 4)
	callJS(t, "pause")
	promises := 0
	for i := range 12 {
		before := callJS(t, "history").Get("last").Int()
		r := callJS(t, "step")
		if r.InstanceOf(js.Global().Get("Promise")) {
			promises++
		}
		ev, rejected := await(r)
		if rejected != "" {
			t.Fatalf("step %d: rejected: %s", i, rejected)
		}
		after := callJS(t, "history").Get("last").Int()
		if after != before+1 || ev.Get("seq").Int() != after {
			t.Fatalf("step %d: history().last went from %d to %d, step gave seq %d; want one event, %d", i, before, after, ev.Get("seq").Int(), before+1)
		}
		if !callJS(t, "snapshot").Get("paused").Bool() {
			t.Fatalf("step %d: the world is not paused after the step", i)
		}
	}
	if promises == 0 {
		t.Errorf("no step returned a Promise; want the run to move for some (20 ms jobs)")
	}
}

// TestStepRejectedWhenReplaced: a step waiting for the run is rejected with
// a message when load replaces the session.
func TestStepRejectedWhenReplaced(t *testing.T) {
	callJS(t, "start", js.ValueOf(map[string]any{"workers": 1, "workMs": 60000}))
	defer try.Invoke("cancel")
	defer callJS(t, "resume")
	callJS(t, "submit", 1)
	callJS(t, "pause")
	var p js.Value
	for range 10 {
		if p = callJS(t, "step"); p.InstanceOf(js.Global().Get("Promise")) {
			break
		}
	}
	if !p.InstanceOf(js.Global().Get("Promise")) {
		t.Fatal("step never had to wait for a 60 s job")
	}
	rec := callJS(t, "recording")
	callJS(t, "load", rec)
	if _, rejected := await(p); !strings.HasPrefix(rejected, "step: ") {
		t.Errorf("the waiting step ended with %q; want a rejection starting with step:", rejected)
	}
}

// TestLoadBinding: goflow.load takes the recording object or its JSON
// text, to equal snapshots; hostile objects are refused naming the field.
func TestLoadBinding(t *testing.T) {
	callJS(t, "start", js.ValueOf(map[string]any{"workers": 2, "workMs": 0, "seed": 9}))
	callJS(t, "submit", 20)
	callJS(t, "close")
	for callJS(t, "snapshot").Get("phase").String() != "done" {
		await(js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, a []js.Value) any {
			js.Global().Call("setTimeout", a[0], 1)
			return nil
		})))
	}
	last := callJS(t, "history").Get("last").Int()
	stringify := js.Global().Get("JSON").Get("stringify")
	want := stringify.Invoke(callJS(t, "snapshotAt", last)).String()
	rec := callJS(t, "recording")
	for _, arg := range []js.Value{rec, stringify.Invoke(rec)} {
		callJS(t, "load", arg)
		if got := stringify.Invoke(callJS(t, "snapshotAt", last)).String(); got != want {
			t.Errorf("after load(%s), snapshotAt(%d) = %s; want %s", arg.Type(), last, got, want)
		}
	}
	for _, c := range []struct{ js, want string }{
		{`({version: 1, events: {length: 1e9}})`, "load: argument 1: events: want an array"},
		{`({version: 1, events: new Array(1e6)})`, "load: argument 1: events: got 1000000 events; want at most 100352"},
		{`({version: 1, events: [[1, 2, 3]]})`, "load: argument 1: events[0]: want an array of 6 numbers"},
		{`({version: 1, events: [[1, 2, 3, 4, 5, "6"]]})`, "load: argument 1: events[0]: want an array of 6 numbers"},
		{`({version: 2, config: {}, first: 1, base: null, events: [[1, 0, 0, 0, 0, 0]]})`, "load: recording.version: got 2; want 1"},
		{`[1, 2]`, "load: recording: got an array"},
	} {
		v := js.Global().Get("Function").New("return " + c.js).Invoke()
		r := try.Invoke("load", v)
		if msg := r.Get("message"); msg.IsUndefined() || !strings.HasPrefix(msg.String(), c.want) {
			t.Errorf("goflow.load(%s) gave %v; want an Error starting %q", c.js, msg, c.want)
		}
	}
}
