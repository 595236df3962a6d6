package pipeline_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/goflow-dev/goflow/pipeline"
)

// jitter is a handler that does a little random work, so that on real
// goroutines the workers finish out of order, and fails with errBoom on
// payload fail (-1: never).
func jitter(fail int) pipeline.Handler[int, int] {
	return func(_ context.Context, n int) (int, error) {
		for range rand.IntN(200) {
			_ = rand.Int()
		}
		if n == fail {
			return 0, errBoom
		}
		return n, nil
	}
}

// On real goroutines (run with -race and -count), Ordered emits every
// result in the order the single producer sent the jobs, whichever worker
// emits it (its own or, once due, one passed on by the worker before it),
// and the stats balance: every result was emitted exactly once.
func TestOrderedStress(t *testing.T) {
	for it := range 50 {
		workers, buffer := 1+it%8, it%3
		p := pipeline.New(workers, jitter(-1), pipeline.Options{Ordered: true, JobBuffer: buffer, ResultBuffer: buffer})
		jobs, results := p.Start(context.Background())
		const n = 500
		go func() {
			for i := range n {
				jobs <- pipeline.Job[int]{Payload: i}
			}
			close(jobs)
		}()
		want := 0
		for r := range results {
			if r.Value != want {
				t.Fatalf("workers %d, buffer %d: got result %d; want %d (the order sent)", workers, buffer, r.Value, want)
			}
			want++
		}
		if want != n {
			t.Fatalf("got %d results; want %d", want, n)
		}
		if s := p.Stats(); s.Emitted != n || s.Succeeded != n || s.Received != n {
			t.Errorf("got Emitted %d, Succeeded %d, Received %d; want %d each", s.Emitted, s.Succeeded, s.Received, n)
		}
	}
}

// On real goroutines, Ordered with FailFast emits exactly the results
// before the failure, in order, then the failure, and nothing after it;
// Err returns the failure; the stats balance.
func TestOrderedFailFastStress(t *testing.T) {
	for it := range 50 {
		workers, fail := 1+it%8, 7*it%300
		p := pipeline.New(workers, jitter(fail), pipeline.Options{Ordered: true, FailFast: true, ResultBuffer: it % 3})
		jobs, results := p.Start(context.Background())
		go func() {
			defer close(jobs)
			for i := range 1000 {
				select {
				case jobs <- pipeline.Job[int]{Payload: i}:
				case <-p.Done():
					return
				}
			}
		}()
		want := 0
		for r := range results {
			if want > fail {
				t.Fatalf("workers %d: got result %d (%v) after the failure of %d", workers, r.Value, r.Err, fail)
			}
			if want == fail {
				if !errors.Is(r.Err, errBoom) {
					t.Fatalf("got %v for %d; want %v", r.Err, fail, errBoom)
				}
			} else if r.Err != nil || r.Value != want {
				t.Fatalf("workers %d: got result %d (%v); want %d", workers, r.Value, r.Err, want)
			}
			want++
		}
		if want != fail+1 {
			t.Errorf("workers %d: got %d results; want %d (up to the failure)", workers, want, fail+1)
		}
		if err := p.Err(); !errors.Is(err, errBoom) {
			t.Errorf("got Err %v; want %v", err, errBoom)
		}
		s := p.Stats()
		if s.Emitted != uint64(fail+1) || s.Received != s.Succeeded+s.Failed+s.Canceled {
			t.Errorf("got %+v; want Emitted %d, and every job received succeeded, failed or canceled", s, fail+1)
		}
	}
}
