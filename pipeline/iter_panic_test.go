package pipeline_test

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// errInput is the value panickingInput panics with.
var errInput = errors.New("input broke")

// panickingInput yields 0..n-1, then panics with errInput.
func panickingInput(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
		panic(errInput)
	}
}

// catchPanic runs f and returns what it panicked with, if it panicked.
// It does not use recover() != nil, so that panic(nil) counts too.
func catchPanic(f func()) (v any, panicked bool) {
	returned := false
	defer func() {
		if !returned {
			v, panicked = recover(), true
		}
	}()
	f()
	returned = true
	return nil, false
}

// A panic in the iter.Seq given to Map reaches the caller, in its own
// goroutine, from the range loop, with the original value, once every
// goroutine Map started has exited and no handler runs; it does not crash
// the program from Map's producer goroutine. Results before the panic
// are yielded as usual. In synctest, and on real goroutines below.
func TestSynctestMapInputPanic(t *testing.T) {
	for _, opts := range mapPanicOptions {
		synctest.Test(t, func(t *testing.T) { checkMapInputPanic(t, 10, opts) })
	}
}

func TestMapInputPanic(t *testing.T) {
	for range 50 {
		for _, opts := range mapPanicOptions {
			for _, n := range []int{0, 1, 100} {
				checkMapInputPanic(t, n, opts)
			}
		}
	}
}

var mapPanicOptions = []pipeline.Options{{}, {Ordered: true}, {FailFast: true}, {JobBuffer: 64, ResultBuffer: 64}}

func checkMapInputPanic(t *testing.T, n int, opts pipeline.Options) {
	t.Helper()
	var running atomic.Int64
	h := func(_ context.Context, v int) (int, error) {
		running.Add(1)
		defer running.Add(-1)
		return v * v, nil
	}
	base := restingGoroutines()
	got := 0
	v, panicked := catchPanic(func() {
		for _, err := range pipeline.Map(context.Background(), 4, panickingInput(n), h, opts) {
			if err != nil {
				t.Errorf("got error %v; want only values before the panic", err)
			}
			got++
		}
	})
	if !panicked || v != errInput {
		t.Fatalf("%+v: got panic %v (%v); want the input's panic %v in the caller", opts, v, panicked, errInput)
	}
	if r := running.Load(); r != 0 {
		t.Errorf("%+v: %d handlers still running when the panic reached the caller", opts, r)
	}
	if got > n {
		t.Errorf("%+v: got %d results for %d values", opts, got, n)
	}
	checkGoroutines(t, "after a panic in Map's input", base)
}

// Breaking out of the loop and then panicking in the input (an iter.Seq
// that ignores yield's false) still reaches the caller.
func TestSynctestMapInputPanicAfterBreak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := func(yield func(int) bool) {
			for i := 0; ; i++ {
				if !yield(i) {
					panic(errInput)
				}
			}
		}
		base := restingGoroutines()
		v, panicked := catchPanic(func() {
			for range pipeline.Map(context.Background(), 2, in, square, pipeline.Options{}) {
				break
			}
		})
		if !panicked || v != errInput {
			t.Fatalf("got panic %v (%v); want %v", v, panicked, errInput)
		}
		checkGoroutines(t, "after a panic in Map's input", base)
	})
}
