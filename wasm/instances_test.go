//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// runJS runs code, the body of a JavaScript function that may use goflow,
// and returns {value} or {threw, message}.
func runJS(code string) js.Value {
	return js.Global().Get("Function").New(`try { return {value: (() => {` + code + `})()}; }
		catch (e) { return {threw: e instanceof Error, message: String(e && e.message)}; }`).Invoke()
}

// wantJS checks that code returns the string want.
func wantJS(t *testing.T, want, code string) {
	t.Helper()
	r := runJS(code)
	if r.Get("threw").Truthy() || r.Get("value").Type() != js.TypeString || r.Get("value").String() != want {
		t.Errorf("%s\n  = %v %q; want %q", code, r.Get("value"), r.Get("message"), want)
	}
}

// wantJSThrow checks that code throws an Error with the message want.
func wantJSThrow(t *testing.T, want, code string) {
	t.Helper()
	r := runJS(code)
	if !r.Get("threw").Truthy() || r.Get("message").String() != want {
		t.Errorf("%s\n  threw %v %q; want an Error %q", code, r.Get("threw"), r.Get("message"), want)
	}
}

// TestCreate: goflow.create() returns an instance with every function of
// goflow and dispose, whose pipeline is its own.
func TestCreate(t *testing.T) {
	fresh(t)
	inst := runJS(`return goflow.create();`).Get("value")
	for _, name := range append([]string{"dispose"}, playground.Functions...) {
		if fn := inst.Get(name); fn.Type() != js.TypeFunction || fn.Get("name").String() != name {
			t.Errorf("instance.%s is %v; want a function named %s", name, fn.Type(), name)
		}
	}
	js.Global().Set("inst", inst)
	defer js.Global().Delete("inst")
	wantJS(t, "running idle 6 4", `inst.start({workers: 6, workMs: 60000}); inst.submit(3);
		return [inst.snapshot().phase, goflow.snapshot().phase, inst.snapshot().workers.length, goflow.defaults().workers].join(" ");`)
	wantJS(t, "running running 1", `goflow.start({workers: 1, workMs: 60000}); goflow.pauseConsumer(true); inst.setSpeed(0.5);
		return [inst.snapshot().phase, goflow.snapshot().phase, goflow.snapshot().speed].join(" ");`)
	wantJS(t, "cancel running", `inst.cancel(); return inst.snapshot().ended + " " + goflow.snapshot().phase;`)
	wantJSThrow(t, "submit: the pipeline was canceled; start a new pipeline", `inst.submit(1);`)
	wantJS(t, "1", `goflow.submit(1); return String(goflow.snapshot().counters.received);`)
	wantJS(t, "undefined", `return String(inst.dispose());`)
	for _, call := range []string{"snapshot()", "start({})", "submit(1)", "cancel()", "limits()", "dispose()", "pause()"} {
		name, _, _ := strings.Cut(call, "(")
		wantJSThrow(t, name+": instance disposed", `inst.`+call+`;`)
	}
	wantJS(t, "running", `return goflow.snapshot().phase;`)
	runJS(`goflow.cancel();`)
}

// TestCreateBound: at most MaxInstances instances are alive; disposing one
// makes room for another. Hostile calls throw clear Errors.
func TestCreateBound(t *testing.T) {
	fresh(t)
	max := strconv.Itoa(MaxInstances)
	wantJS(t, max, `globalThis.insts = []; for (let i = 0; i < `+max+`; i++) insts.push(goflow.create()); return String(insts.length);`)
	defer runJS(`for (const i of insts) { try { i.dispose(); } catch {} } delete globalThis.insts;`)
	wantJSThrow(t, "create: "+max+" instances are alive, the most there may be; dispose one first", `goflow.create();`)
	wantJS(t, "idle", `insts[0].dispose(); insts[0] = goflow.create(); return insts[0].snapshot().phase;`)
	wantJSThrow(t, "create: got 1 arguments; want none", `insts[1].dispose(); goflow.create({workers: 2});`)
	wantJSThrow(t, "dispose: got 1 arguments; want none", `insts[2].dispose(true);`)
	wantJS(t, "idle", `return insts[2].snapshot().phase;`)
	wantJSThrow(t, "start: argument 1: JavaScript error: boom", `insts[2].start({get workers() { throw new Error("boom"); }});`)
	wantJSThrow(t, "start: workers: got 0; want an integer from 1 to 64", `insts[2].start({workers: 0});`)
	// An instance's getter that calls another instance: each answers.
	wantJS(t, "3", `const a = insts[3], b = insts[4];
		a.start({get workers() { b.start({workers: 2}); return 3; }});
		const n = a.snapshot().workers.length; a.cancel(); b.cancel(); return String(n);`)
	// Every instance's functions are released on dispose: creating and
	// disposing many times over does not run into the bound.
	wantJS(t, "ok", `for (let i = 0; i < 500; i++) { const x = goflow.create(); x.start({}); x.submit(5); x.dispose(); } return "ok";`)
}
