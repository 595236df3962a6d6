//go:build js && wasm

package main

import (
	"runtime"
	"testing"
)

// goroutinesUntil yields (js/wasm does not preempt, and nothing here waits
// on a clock) until ok(goflow.goroutines()) or 20,000 yields have passed,
// and returns the last count.
func goroutinesUntil(ok func(n int) bool) int {
	n := 0
	for range 20000 {
		if n = runJS(`return goflow.goroutines();`).Get("value").Int(); ok(n) {
			break
		}
		runtime.Gosched()
	}
	return n
}

// TestGoroutinesDispose: goflow.goroutines() is the process's count. Two
// instances' runs add their producers, consumers and workers; dispose
// releases one's while the other runs on, and cancel the other's, back to
// the count before either started.
func TestGoroutinesDispose(t *testing.T) {
	fresh(t)
	if got, want := runJS(`return goflow.goroutines();`).Get("value").Int(), runtime.NumGoroutine(); got != want {
		t.Fatalf("goflow.goroutines() = %d; want runtime.NumGoroutine() %d", got, want)
	}
	base := runtime.NumGoroutine()
	wantJS(t, "8 5", `globalThis.a = goflow.create(); globalThis.b = goflow.create();
		a.start({workers: 6, workMs: 60000}); a.submit(3);
		b.start({workers: 3, workMs: 60000}); b.submit(2);
		return a.snapshot().goroutines + " " + b.snapshot().goroutines;`)
	defer runJS(`for (const i of [a, b]) { try { i.dispose(); } catch {} } delete globalThis.a; delete globalThis.b;`)
	if n := goroutinesUntil(func(n int) bool { return n >= base+13 }); n < base+13 {
		t.Fatalf("goroutines during the two runs = %d; want at least %d (%d before, 8 of a's, 5 of b's)", n, base+13, base)
	}
	runJS(`a.dispose();`)
	if n := goroutinesUntil(func(n int) bool { return n <= base+6 }); n <= base || n > base+6 {
		t.Errorf("goroutines after a.dispose(), b running: %d; want b's alone: %d + 5 (+1 for its pipeline's closer)", n, base)
	}
	wantJS(t, "running 5", `return b.snapshot().phase + " " + b.snapshot().goroutines;`)
	runJS(`b.cancel();`)
	if n := goroutinesUntil(func(n int) bool { return n == base }); n != base {
		t.Errorf("goroutines after b.cancel(): %d; want %d, as before either started", n, base)
	}
	wantJS(t, "0 0", `return b.snapshot().goroutines + " " + b.snapshot().baselineGoroutines;`)
}
