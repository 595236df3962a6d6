//go:build js && wasm

package main

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall/js"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
	"github.com/hack-pad/safejs"
)

// try calls goflow[name](...args) from JavaScript and returns its result
// or the message of the Error it threw.
var try js.Value

// bridge is web/goflow.js's bridge(globalThis), as the page's Go program
// gets it: the tests go through the real readArg and wrapper.
var bridge safejs.Value

func TestMain(m *testing.M) {
	var err error
	if bridge, err = importBridge(); err != nil {
		panic(err)
	}
	if err := register(playground.New(), bridge); err != nil {
		panic(err)
	}
	try = js.Global().Get("Function").New("name", "...args", `
		try { return {ok: goflow[name](...args)}; }
		catch (e) { return {threw: e instanceof Error, message: String(e.message)}; }`)
	m.Run()
}

// importBridge imports ../web/goflow.js (an ES module: the root
// package.json says "type": "module") and returns its bridge(globalThis).
func importBridge() (safejs.Value, error) {
	wd, err := os.Getwd()
	if err != nil {
		return safejs.Value{}, err
	}
	url := "file://" + filepath.ToSlash(filepath.Join(wd, "..", "web", "goflow.js"))
	imp := js.Global().Get("Function").New("url", "return import(url)") // Node.js has no CSP
	type result struct {
		mod js.Value
		err string
	}
	done := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- result{mod: a[0]}; return nil })
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any { done <- result{err: a[0].Call("toString").String()}; return nil })
	defer then.Release()
	defer catch.Release()
	imp.Invoke(url).Call("then", then, catch)
	r := <-done
	if r.err != "" {
		return safejs.Value{}, errors.New("import " + url + ": " + r.err)
	}
	return safejs.Safe(r.mod.Call("bridge", js.Global())), nil
}

func callJS(t *testing.T, name string, args ...any) js.Value {
	t.Helper()
	r := try.Invoke(append([]any{name}, args...)...)
	if !r.Get("threw").IsUndefined() {
		t.Fatalf("goflow.%s threw %q", name, r.Get("message").String())
	}
	return r.Get("ok")
}

func wantThrow(t *testing.T, want, name string, args ...any) {
	t.Helper()
	r := try.Invoke(append([]any{name}, args...)...)
	if r.Get("threw").IsUndefined() {
		t.Errorf("goflow.%s returned; want it to throw %q", name, want)
		return
	}
	if !r.Get("threw").Bool() || r.Get("message").String() != want {
		t.Errorf("goflow.%s threw %v %q; want an Error %q", name, r.Get("threw"), r.Get("message").String(), want)
	}
}

func TestRegistered(t *testing.T) {
	goflow := js.Global().Get("goflow")
	for _, name := range playground.Functions {
		if fn := goflow.Get(name); fn.Type() != js.TypeFunction || fn.Get("name").String() != name {
			t.Errorf("goflow.%s is %v; want a function named %s", name, fn.Type(), name)
		}
	}
	if ready := goflow.Get("ready"); !ready.InstanceOf(js.Global().Get("Promise")) {
		t.Errorf("goflow.ready is %v; want a Promise", ready.Type())
	}
}

// fresh registers goflow again over a new Playground, so that each test
// (and each -count run) starts with no pipeline.
func fresh(t *testing.T) {
	t.Helper()
	if err := register(playground.New(), bridge); err != nil {
		t.Fatal(err)
	}
}

func TestThrows(t *testing.T) {
	fresh(t)
	nan := js.Global().Get("NaN")
	obj := func(kv ...any) js.Value {
		o := js.Global().Get("Object").New()
		for i := 0; i < len(kv); i += 2 {
			o.Set(kv[i].(string), kv[i+1])
		}
		return o
	}
	wantThrow(t, "submit: no pipeline; call start first", "submit", 1)
	wantThrow(t, "start: workers: got 0; want an integer from 1 to 64", "start", obj("workers", 0))
	wantThrow(t, "start: workMs: got NaN; want a number from 0 to 60000", "start", obj("workMs", nan))
	wantThrow(t, `start: unknown key "wrokers"; known keys: `+strings.Join(playground.Keys(), ", "), "start", obj("wrokers", 4))
	wantThrow(t, "start: workers: got an object; want an integer from 1 to 64", "start", obj("workers", obj()))
	wantThrow(t, "start: workers: got a function; want an integer from 1 to 64", "start", obj("workers", js.Global().Get("Object")))
	wantThrow(t, "start: config: got an array; want an object", "start", js.Global().Get("Array").New())
	wantThrow(t, `pauseConsumer: got "yes"; want a boolean`, "pauseConsumer", "yes")
	wantThrow(t, "submit: n: got undefined; want an integer from 1 to 1000", "submit")
	wantThrow(t, "parseQuery: search: got null; want a string", "parseQuery", nil)
	wantThrow(t, "close: got 1 argument; want none", "close", 1)
}

// TestBadInput feeds every function values of the wrong kind, written in
// JavaScript: each must throw, within 50 ms (best of three tries), an Error
// that names the function, the field and the rule, and the Go program must go
// on answering.
func TestBadInput(t *testing.T) {
	fresh(t)
	tests := []struct{ call, want string }{
		{"submit(5n)", "submit: n: got a BigInt; want an integer from 1 to 1000"},
		{"start({workers: 4n})", "start: workers: got a BigInt; want an integer from 1 to 64"},
		{"start(new Array(2**32 - 1))", "start: config: got an array; want an object"},
		{"submit(new Array(1e9))", "submit: n: got an array; want an integer from 1 to 1000"},
		{"start({workers: [4]})", "start: workers: got an array; want an integer from 1 to 64"},
		{"start([{workers: 4}])", "start: config: got an array; want an object"},
		{"start(null)", "start: config: got null; want an object"},
		{`start("workers=4")`, `start: config: got "workers=4"; want an object`},
		{"start({workers: 4, extra: 1})", `start: unknown key "extra"; known keys: ` + strings.Join(playground.Keys(), ", ")},
		{`start({workers: "4"})`, `start: workers: got "4"; want an integer from 1 to 64`},
		{"start({workers: Infinity})", "start: workers: got Infinity; want an integer from 1 to 64"},
		{"start({jobBuffer: -Infinity})", "start: jobBuffer: got -Infinity; want an integer from 0 to 64"},
		{"start({workers: 1e300})", "start: workers: got 1e+300; want an integer from 1 to 64"},
		{"start({workers: -1})", "start: workers: got -1; want an integer from 1 to 64"},
		{"start({workers: 2.5})", "start: workers: got 2.5; want an integer from 1 to 64"},
		{"start({workers: null})", "start: workers: got null; want an integer from 1 to 64"},
		{"start({workers: Symbol()})", "start: workers: got a symbol; want an integer from 1 to 64"},
		{"start({workers: {valueOf() { return 4; }}})", "start: workers: got an object; want an integer from 1 to 64"},
		{"start({get workers() { throw new Error('boom'); }})", "start: argument 1: JavaScript error: boom"},
		{"start({get workers() { throw null; }})", "start: argument 1: JavaScript error: null"},
		{"start({get workers() { throw {get message() { throw 1; }}; }})", "start: argument 1: JavaScript error: [object Object]"},
		{"start(new Proxy({}, {ownKeys() { throw new Error('trap'); }}))", "start: argument 1: JavaScript error: trap"},
		// Text that comes from the caller (big: 1e7 characters, made before
		// the clock starts) is cut short before it reaches Go.
		{`validate({get workers() { throw big; }})`, "validate: argument 1: JavaScript error: " + strings.Repeat("x", 200) + "…"},
		{`validate({get workers() { throw new Error(big); }})`, "validate: argument 1: JavaScript error: " + strings.Repeat("x", 200) + "…"},
		{`start(new (class extends Map { get [Symbol.toStringTag]() { return big; } }))`, "start: config: got a " + strings.Repeat("x", 40) + "…; want an object"},
		{`validate({get workers() { throw "a" + "😀".repeat(150); }})`, "validate: argument 1: JavaScript error: a" + strings.Repeat("😀", 99) + "…"},
		{"validate({failRate: NaN})", "validate: failRate: got NaN; want a number from 0 to 1"},
		{"submit(NaN)", "submit: n: got NaN; want an integer from 1 to 1000"},
		{"submit(-1)", "submit: n: got -1; want an integer from 1 to 1000"},
		{"submit(Infinity)", "submit: n: got Infinity; want an integer from 1 to 1000"},
		{"submit({n: 1})", "submit: n: got an object; want an integer from 1 to 1000"},
		{"setSpeed(NaN)", "setSpeed: factor: got NaN; want a number from 0.05 to 1"},
		{"setSpeed(-Infinity)", "setSpeed: factor: got -Infinity; want a number from 0.05 to 1"},
		{`setSpeed("1")`, `setSpeed: factor: got "1"; want a number from 0.05 to 1`},
		{"pauseConsumer(1)", "pauseConsumer: got 1; want a boolean"},
		{"pauseConsumer(null)", "pauseConsumer: got null; want a boolean"},
		{"parseQuery(undefined)", "parseQuery: search: got undefined; want a string"},
		{"parseQuery(['?workers=2'])", "parseQuery: search: got an array; want a string"},
		{"snapshot(undefined, 1)", "snapshot: got 2 arguments; want none"},
		{"defaults({})", "defaults: got 1 argument; want none"},
		{"cancel()", "cancel: no pipeline; call start first"},
		{"close()", "close: no pipeline; call start first"},
	}
	for _, tt := range tests {
		r := js.Global().Get("Function").New(`const big = globalThis.goflowTestBig ??= "x".repeat(1e7);
			big.charCodeAt(5e6); // flat before the clock starts
			let out = {}, best = Infinity; // best of three, so that a garbage collection does not count
			for (let k = 0; k < 3; k++) {
				const t0 = performance.now();
				try { goflow.` + tt.call + `; return {}; }
				catch (e) { const m = String(e && e.message); best = Math.min(best, performance.now() - t0); out = {threw: e instanceof Error, message: m.slice(0, 1000), length: m.length}; }
			}
			return {...out, ms: best};`).Invoke()
		if n := r.Get("length"); n.Truthy() && n.Int() > 1000 {
			t.Errorf("goflow.%s threw a message of %d characters; want at most 1000", tt.call, n.Int())
		} else if !r.Get("threw").Truthy() || r.Get("message").String() != tt.want {
			t.Errorf("goflow.%s threw %v %q; want an Error %q", tt.call, r.Get("threw"), r.Get("message"), tt.want)
		} else if ms := r.Get("ms").Float(); ms > 50 {
			t.Errorf("goflow.%s took %.1f ms; want at most 50", tt.call, ms)
		}
	}
	if got := callJS(t, "defaults").Get("workers").Int(); got != 4 {
		t.Errorf("after the bad calls, defaults().workers = %d; want 4", got)
	}
}

// TestReadArgClipsKeys: readArg hands Go at most 41 code units of an
// unknown key (the playground quotes 40 bytes) and "…", however long the key.
func TestReadArgClipsKeys(t *testing.T) {
	readArg, err := bridge.Get("readArg")
	if err != nil {
		t.Fatal(err)
	}
	js.Global().Set("goflowTestReadArg", safejs.Unsafe(readArg))
	defer js.Global().Delete("goflowTestReadArg")
	r := js.Global().Get("Function").New("readArg", "keys", `
		const o = {}; o["k".repeat(1e7)] = 1; o["\u{1F600}".repeat(30)] = 2;
		return readArg(o, keys).unknown.map(k => k.length);`).Invoke(js.Global().Get("goflowTestReadArg"), js.ValueOf([]any{"workers"}))
	if r.Length() != 2 || r.Index(0).Int() != 42 || r.Index(1).Int() != 41 {
		t.Errorf("readArg's unknown keys have lengths %v, %v; want 42 and 41", r.Index(0), r.Index(1))
	}
}

// TestPollutedPrototype: properties a page adds to Object.prototype (error,
// other, config, unknown) must not change what goflow makes of an argument.
func TestPollutedPrototype(t *testing.T) {
	fresh(t)
	r := js.Global().Get("Function").New(`
		const out = [];
		for (const k of ["error", "other", "config", "unknown"]) {
			Object.prototype[k] = "polluted";
			try { out.push(goflow.validate({workers: 3}).workers); } catch (e) { out.push(k + ": " + e.message); }
			try { goflow.start(new Map()); } catch (e) { out.push(e.message); }
			delete Object.prototype[k];
		}
		return out.join("|");`).Invoke()
	want := strings.Repeat("3|start: config: got a Map; want an object|", 4)
	if got := r.String(); got+"|" != want {
		t.Errorf("with Object.prototype polluted: %s\nwant %s", got, want)
	}
}

func TestSession(t *testing.T) {
	fresh(t)
	cfg := callJS(t, "start", js.Global().Get("JSON").Call("parse", `{"workers": 64, "jobBuffer": 64, "resultBuffer": 64, "workMs": 60000}`))
	if cfg.Get("workers").Int() != 64 || cfg.Get("consumerDelayMs").Int() != 0 {
		t.Errorf("start returned workers %v consumerDelayMs %v; want 64 and the default 0", cfg.Get("workers"), cfg.Get("consumerDelayMs"))
	}
	if got := callJS(t, "submit", 1000).Int(); got != 1000 {
		t.Errorf("submit(1000) = %d; want 1000", got)
	}
	if got := callJS(t, "pauseConsumer", true); !got.IsUndefined() {
		t.Errorf("pauseConsumer returned %v; want undefined", got)
	}
	snap := callJS(t, "snapshot")
	if snap.Get("phase").String() != "running" || snap.Get("workers").Length() != 64 || !snap.Get("consumer").Get("paused").Bool() {
		t.Errorf("snapshot: phase %v, %d workers, paused %v", snap.Get("phase"), snap.Get("workers").Length(), snap.Get("consumer").Get("paused"))
	}
	q := callJS(t, "parseQuery", "?workers=abc&scenario=cancel")
	if q.Get("errors").Length() != 1 || q.Get("config").Get("workers").Int() != 4 {
		t.Errorf("parseQuery: %d errors, workers %v", q.Get("errors").Length(), q.Get("config").Get("workers"))
	}
	callJS(t, "cancel")
	wantThrow(t, "cancel: already canceled", "cancel")
}

// BenchmarkSnapshotJS measures goflow.snapshot() as the page calls it:
// from JavaScript, through the binding, JSON.parse included, with 64 busy
// workers, full channels and a full event log.
func BenchmarkSnapshotJS(b *testing.B) {
	pg := playground.New()
	register(pg, bridge)
	pg.PauseConsumer(true)
	if _, err := pg.Start(playground.Config{Workers: 64, JobBuffer: 64, ResultBuffer: 64, WorkMs: 60000}); err != nil {
		b.Fatal(err)
	}
	pg.Submit(1000)
	for s := pg.Snapshot(); s.Gauges.Busy < 64 || len(s.Log) < 200; s = pg.Snapshot() {
		runtime.Gosched() // let the workers run
	}
	loop := js.Global().Get("Function").New("n", `
		let s;
		for (let i = 0; i < n; i++) s = goflow.snapshot();
		return s.workers.length;`)
	b.ResetTimer()
	if got := loop.Invoke(b.N).Int(); got != 64 {
		b.Fatalf("snapshot has %d workers; want 64", got)
	}
	b.StopTimer()
	pg.Cancel()
}

func BenchmarkPartsJS(b *testing.B) {
	pg := playground.New()
	register(pg, bridge)
	pg.PauseConsumer(true)
	pg.Start(playground.Config{Workers: 64, JobBuffer: 64, ResultBuffer: 64, WorkMs: 60000})
	pg.Submit(1000)
	for s := pg.Snapshot(); s.Gauges.Busy < 64 || len(s.Log) < 200; s = pg.Snapshot() {
		runtime.Gosched()
	}
	s := string(pg.AppendSnapshotJSON(nil))
	for _, c := range []struct{ name, src string }{
		{"defaults", "for (let i = 0; i < n; i++) goflow.defaults();"},
		{"parse", "for (let i = 0; i < n; i++) JSON.parse(s);"},
		{"snapshot", "for (let i = 0; i < n; i++) goflow.snapshot();"},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := js.Global().Get("Function").New("n", "s", c.src)
			b.ResetTimer()
			f.Invoke(b.N, s)
		})
	}
	pg.Cancel()
}

// TestHostile makes the calls of the audit (issue 9): huge and exotic
// arguments, a getter that calls goflow again, objects that are not plain.
// Each must throw a clear Error within 50 ms, timed inside JavaScript with
// performance.now() (the best of three tries, so that a garbage collection
// caused by the previous case does not count), and the module must still
// answer afterwards.
//
// The exception is an object of a million keys given as a config: finding
// its unknown keys means enumerating them, and V8 collects every key of such
// an object before for...in yields the first (about 0.5 µs a key), so it
// takes about half a second, against 6 to 8 s before issue 9.
func TestHostile(t *testing.T) {
	fresh(t)
	const maxMs, hugeMs = 50, 5000
	tests := []struct{ setup, call, want string }{
		{"", "snapshot(new Uint8Array(8e6))", "snapshot: got 1 argument; want none"},
		{"", "defaults(new Uint8Array(8e6), 1, 2)", "defaults: got 3 arguments; want none"},
		{"", "start(new Uint8Array(8e6))", "start: config: got a Uint8Array; want an object"},
		{"", "validate(new String('x'.repeat(1e7)))", "validate: config: got a String; want an object"},
		{"", "parseQuery(new String('x'.repeat(1e7)))", "parseQuery: search: got an object; want a string"},
		{"", "parseQuery('?' + 'x'.repeat(1e7))", "parseQuery: argument 1: got a string of 10000001 characters; want at most 2097152"},
		{"", "start({workers: 'x'.repeat(1e7)})", "start: argument 1: workers: got a string of 10000000 characters; want at most 2097152"},
		{"", "submit('x'.repeat(1e7))", "submit: argument 1: got a string of 10000000 characters; want at most 2097152"},
		{"", "submit(new Array(2**32 - 1))", "submit: n: got an array; want an integer from 1 to 1000"},
		{"const o = {}; for (let i = 0; i < 100; i++) o['k' + i] = i;", "start(o)", "start: argument 1: got an object of more than 64 keys; want a config of at most " + strconv.Itoa(len(playground.Keys()))},
		{"const o = {}; for (let i = 0; i < 1e6; i++) o['k' + i] = i;", "validate(o)", "validate: argument 1: got an object of more than 64 keys; want a config of at most " + strconv.Itoa(len(playground.Keys()))},
		{"const o = {workers: 4}; for (let i = 0; i < 1e6; i++) o['k' + i] = i;", "start(o)", "start: argument 1: got an object of more than 64 keys; want a config of at most " + strconv.Itoa(len(playground.Keys()))},
		{"", "validate(new Map([['workers', 4]]))", "validate: config: got a Map; want an object"},
		{"", "start(new Map([['workers', 4]]))", "start: config: got a Map; want an object"},
		{"", "start(new Date())", "start: config: got a Date; want an object"},
		{"", "start(/workers/)", "start: config: got a RegExp; want an object"},
		{"", "start(Promise.resolve({workers: 4}))", "start: config: got a Promise; want an object"},
		{"", "start(new (class Config { workers = 4 })())", "start: config: got an object that is not a plain object; want an object"},
		{"", "start(Object.create({workers: 4}))", "start: config: got an object that is not a plain object; want an object"},
		{"const o = {get workers() { return goflow.validate(o).workers; }};", "validate(o)",
			"validate: argument 1: JavaScript error: validate: called while another goflow call was reading its arguments (from a getter or a Proxy trap); goflow calls cannot nest"},
		{"const o = {get workers() { goflow.submit(1); return 4; }};", "start(o)",
			"start: argument 1: JavaScript error: submit: called while another goflow call was reading its arguments (from a getter or a Proxy trap); goflow calls cannot nest"},
		{"const p = Proxy.revocable({}, {}); p.revoke();", "start(p.proxy)", "start: argument 1: JavaScript error: Cannot perform 'IsArray' on a proxy that has been revoked"},
		{"", "start(new Proxy({}, {getPrototypeOf() { throw null; }}))", "start: argument 1: JavaScript error: null"},
	}
	for _, tt := range tests {
		f := js.Global().Get("Function").New(tt.setup + `
			const t0 = performance.now();
			try { goflow.` + tt.call + `; return {ms: performance.now() - t0}; }
			catch (e) { return {ms: performance.now() - t0, threw: e instanceof Error, message: String(e && e.message)}; }`)
		best := math.Inf(1)
		for range 3 {
			r := f.Invoke()
			if n := r.Get("length"); n.Truthy() && n.Int() > 1000 {
				t.Errorf("goflow.%s threw a message of %d characters; want at most 1000", tt.call, n.Int())
			} else if !r.Get("threw").Truthy() || r.Get("message").String() != tt.want {
				t.Errorf("goflow.%s threw %v %q; want an Error %q", tt.call, r.Get("threw"), r.Get("message"), tt.want)
				break
			}
			best = min(best, r.Get("ms").Float())
		}
		if math.IsInf(best, 1) {
			continue // failed above
		}
		limit := float64(maxMs)
		if strings.Contains(tt.setup, "1e6") {
			limit = hugeMs
		}
		if best > limit {
			t.Errorf("goflow.%s took %.1f ms; want at most %.0f", tt.call, best, limit)
		}
		if got := callJS(t, "defaults").Get("workers").Int(); got != 4 {
			t.Fatalf("after goflow.%s, defaults().workers = %d; want 4", tt.call, got)
		}
	}
}
