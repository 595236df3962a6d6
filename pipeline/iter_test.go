package pipeline_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// countTo is an iter.Seq of 0..n-1 that records, in ended, that its loop
// has returned, and in pulled how many values it yielded.
func countTo(n int, pulled *atomic.Int64, ended *atomic.Bool) iter.Seq[int] {
	return func(yield func(int) bool) {
		defer ended.Store(true)
		for i := range n {
			pulled.Add(1)
			if !yield(i) {
				return
			}
		}
	}
}

// Breaking out of a Map loop cancels the pipeline and returns only after
// every goroutine Map started has exited: at once after the loop, the input
// loop has returned and no handler is running; once the runtime has let go
// of them, the goroutine count is back to the baseline. In synctest, and on
// real goroutines below.
func TestSynctestMapBreak(t *testing.T) {
	synctest.Test(t, func(t *testing.T) { checkMapBreak(t) })
}

func TestMapBreak(t *testing.T) {
	for range 50 {
		checkMapBreak(t)
	}
}

func checkMapBreak(t *testing.T) {
	t.Helper()
	var pulled, running atomic.Int64
	var ended atomic.Bool
	h := func(ctx context.Context, n int) (int, error) {
		running.Add(1)
		defer running.Add(-1)
		return n * n, nil
	}
	base := restingGoroutines()
	got := 0
	for v, err := range pipeline.Map(context.Background(), 4, countTo(1_000_000, &pulled, &ended), h, pipeline.Options{}) {
		if err != nil {
			t.Fatalf("got error %v", err)
		}
		_ = v
		if got++; got == 3 {
			break
		}
	}
	if !ended.Load() {
		t.Errorf("the input loop still runs after Map returned")
	}
	if n := running.Load(); n != 0 {
		t.Errorf("%d handlers still running after Map returned", n)
	}
	// Bounded: the jobs buffer (4), the results buffer (4), the workers (4)
	// and one in the producer's hand, beyond the 3 read.
	if n := pulled.Load(); n > 3+4+4+4+1 {
		t.Errorf("input pulled %d values for 3 results; want at most 16 (bounded by the pool and buffers)", n)
	}
	checkGoroutines(t, "after breaking out of Map", base)
}

// Map yields every result; with Ordered, in input order; errors are
// yielded with their value's result, without stopping the loop.
func TestSynctestMap(t *testing.T) {
	in := slices.Values([]int{5, 4, 3, 2, 1, 0})
	h := func(_ context.Context, n int) (int, error) {
		time.Sleep(time.Duration(n) * time.Second) // later values finish first
		if n == 2 {
			return 0, errBoom
		}
		return n * 10, nil
	}
	for _, ordered := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			var vals []int
			errs := 0
			for v, err := range pipeline.Map(context.Background(), 3, in, h, pipeline.Options{Ordered: ordered}) {
				if err != nil {
					if !errors.Is(err, errBoom) {
						t.Errorf("got error %v; want %v", err, errBoom)
					}
					errs++
					continue
				}
				vals = append(vals, v)
			}
			if errs != 1 || len(vals) != 5 {
				t.Fatalf("got %d errors, values %v; want 1 error and 5 values", errs, vals)
			}
			want := []int{50, 40, 30, 10, 0}
			if ordered && !slices.Equal(vals, want) {
				t.Errorf("Ordered: got %v; want %v (input order)", vals, want)
			}
			if !ordered && slices.Equal(vals, want) {
				t.Errorf("not Ordered: got %v, input order; want the order they finished", vals)
			}
		})
	}
}

// With FailFast, Map stops after the first error: that error is yielded,
// then the loop ends, and nothing is left running.
func TestSynctestMapFailFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var pulled atomic.Int64
		var ended atomic.Bool
		h := func(_ context.Context, n int) (int, error) {
			time.Sleep(time.Second)
			if n == 10 {
				return 0, errBoom
			}
			return n, nil
		}
		base := restingGoroutines()
		var errs []error
		n := 0
		for _, err := range pipeline.Map(context.Background(), 2, countTo(1000, &pulled, &ended), h, pipeline.Options{FailFast: true, Ordered: true}) {
			n++
			if err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) != 1 || !errors.Is(errs[0], errBoom) || n != 11 {
			t.Errorf("got %d yields, errors %v; want 11 (0..9, then the failure of 10), one error %v", n, errs, errBoom)
		}
		if !ended.Load() {
			t.Errorf("the input loop still runs after Map returned")
		}
		checkGoroutines(t, "after a fail-fast Map", base)
	})
}

// When the caller's context is cancelled, Map ends with one last yield of
// the context's cause.
func TestSynctestMapCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var pulled atomic.Int64
		var ended atomic.Bool
		var last error
		for v, err := range pipeline.Map(ctx, 2, countTo(1000, &pulled, &ended), square, pipeline.Options{Ordered: true}) {
			if v == 25 {
				cancel()
			}
			last = err
		}
		if last != context.Canceled {
			t.Errorf("got last error %v; want %v", last, context.Canceled)
		}
	})
}

// Two Map calls chained are a two-stage pipeline with backpressure end to
// end: the outer loop reads 3 values and breaks, and each stage has pulled
// only what its pool and buffers hold.
func TestSynctestMapChain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var pulled atomic.Int64
		var ended atomic.Bool
		base := restingGoroutines()
		first := pipeline.Map(context.Background(), 2, countTo(1_000_000, &pulled, &ended), square, pipeline.Options{Ordered: true})
		values := func(yield func(int) bool) {
			for v, err := range first {
				if err != nil || !yield(v) {
					return
				}
			}
		}
		addOne := func(_ context.Context, n int) (int, error) { return n + 1, nil }
		var got []int
		for v := range pipeline.Map(context.Background(), 2, values, addOne, pipeline.Options{Ordered: true}) {
			got = append(got, v)
			if len(got) == 3 {
				synctest.Wait() // let both stages fill up: backpressure stops them
				break
			}
		}
		if want := []int{1, 2, 5}; !slices.Equal(got, want) {
			t.Errorf("got %v; want %v", got, want)
		}
		// Each stage: 2 jobs buffered, 2 workers, 2 results buffered, one in
		// the producer's hand; the second stage's input is the first's output.
		if n := pulled.Load(); n > 3+2*7 {
			t.Errorf("the first stage pulled %d values; want at most %d (bounded)", n, 3+2*7)
		}
		if !ended.Load() {
			t.Errorf("the input loop still runs after the chain returned")
		}
		checkGoroutines(t, "after breaking out of the chain", base)
	})
}

// Map panics on a bad pool size, as New does.
func TestMapPanicsOnBadConfig(t *testing.T) {
	panicMessage(t, func() { pipeline.Map(context.Background(), 0, slices.Values([]int{1}), square, pipeline.Options{}) })
}
