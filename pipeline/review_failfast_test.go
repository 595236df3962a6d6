package pipeline_test

// Adversarial review after issue 8: FailFast, Err and Done, with real
// goroutines (and synctest where waiting is involved).

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// errEarly and errLate are the errors of two failing jobs: the early job
// (taken first) fails later in time than the late job.
var (
	errEarly = errors.New("early job failed")
	errLate  = errors.New("late job failed")
)

// orderedFailFastHandler fails both jobs: job 1 at once, job 0 only after
// job 1 has failed (its handler has returned), so that in time job 1's
// failure is the first, while in the order of the results job 0's is.
func orderedFailFastHandler(lateFailed <-chan struct{}) pipeline.Handler[int, int] {
	return func(ctx context.Context, n int) (int, error) {
		if n == 1 {
			return 0, errLate
		}
		<-lateFailed
		return 0, errEarly
	}
}

// With Ordered and FailFast, the consumer sees results in the order the
// jobs were taken, so the first failure it sees is the earliest job's. The
// pipeline must stop there, and Err must be that error: the consumer
// cannot have seen anything else first. Today the stop belongs to the
// failure first in time (job 1), so job 0's error is emitted without
// stopping, job 1's error follows it, and Err reports job 1's error,
// which the consumer saw second.
func TestReviewOrderedFailFastStopsAtFirstErrorSeen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lateFailed := make(chan struct{})
		var once sync.Once
		p := pipeline.New(2, orderedFailFastHandler(lateFailed), pipeline.Options{
			Ordered:  true,
			FailFast: true,
			Observer: func(e pipeline.Event) {
				if e.Kind == pipeline.HandlerFinished && e.JobID == jobID(1) {
					once.Do(func() { close(lateFailed) })
				}
			},
		})
		jobs, results := p.Start(context.Background())
		sent := produceUntil(p.Done(), jobs, makeJobs(4))
		var errs []error
		for r := range results {
			if r.Err != nil {
				errs = append(errs, r.Err)
			}
		}
		<-sent
		if len(errs) != 1 || !errors.Is(errs[0], errEarly) {
			t.Errorf("got errors %v; want exactly [%v]: the pipeline stops at the first failure emitted", errs, errEarly)
		}
		if err := p.Err(); !errors.Is(err, errEarly) {
			t.Errorf("got Err() = %v; want %v, the first failure the consumer saw", err, errEarly)
		}
	})
}

// The same through Map: "with FailFast it stops after the first error".
func TestReviewMapOrderedFailFastStopsAtFirstError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lateFailed := make(chan struct{})
		var once sync.Once
		opts := pipeline.Options{
			Ordered:  true,
			FailFast: true,
			Observer: func(e pipeline.Event) {
				if e.Kind == pipeline.HandlerFinished && e.Err != nil && errors.Is(e.Err, errLate) {
					once.Do(func() { close(lateFailed) })
				}
			},
		}
		var errs []error
		for _, err := range pipeline.Map(context.Background(), 2, slices.Values([]int{0, 1, 2, 3}), orderedFailFastHandler(lateFailed), opts) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) != 1 || !errors.Is(errs[0], errEarly) {
			t.Errorf("got errors %v; want exactly [%v]", errs, errEarly)
		}
	})
}

// A producer blocked on jobs <- j when a fail-fast stop happens is
// released through Done, with real goroutines, and nothing is left
// running: the workers, the producer and the consumer all return.
// Run with -race -count=N, GOMAXPROCS=1 and 2.
func TestReviewFailFastReleasesProducer(t *testing.T) {
	base := restingGoroutines()
	for it := range 500 {
		workers := 1 + it%4
		failAt := it % 7
		h := func(_ context.Context, n int) (int, error) {
			if n == failAt {
				return 0, errBoom
			}
			return n, nil
		}
		p := pipeline.New(workers, h, pipeline.Options{FailFast: true, JobBuffer: it % 2})
		jobs, results := p.Start(context.Background())
		js := makeJobs(1000)
		sent := produceUntil(p.Done(), jobs, js)
		var errs int
		read := 0
		for r := range results {
			read++
			if r.Err != nil {
				errs++
			}
		}
		<-sent // the producer returned (a stop that came late lets it send them all; see TestReviewFailFastBoundAfterFailure)
		if !errors.Is(p.Err(), errBoom) {
			t.Fatalf("iteration %d: got Err() = %v; want %v", it, p.Err(), errBoom)
		}
		if errs != 1 {
			t.Fatalf("iteration %d: got %d failed results; want 1 (only one job fails)", it, errs)
		}
		checkFinal(t, p.Stats(), read)
	}
	checkGoroutines(t, "after 500 fail-fast runs", base)
}

// After the consumer has received the failing result of a fail-fast stop,
// it may receive what workers were handing over at that moment: at most one
// result per worker plus the results buffer (Options.FailFast's doc). Today
// the worker emits the failure first and stops the pipeline only after, so
// if it is descheduled between the two, the other workers go on taking and
// emitting jobs: up to all 999 other results arrived after the failure
// (about 3 runs in 10,000 with -race on 2 cores). Real goroutines only; in a
// synctest bubble it cannot fail.
func TestReviewFailFastBoundAfterFailure(t *testing.T) {
	worst := 0
	for it := range 5000 {
		workers, resultBuffer := 1+it%4, it%2
		p := pipeline.New(workers, func(_ context.Context, n int) (int, error) {
			if n == 5 {
				return 0, errBoom
			}
			return n, nil
		}, pipeline.Options{FailFast: true, ResultBuffer: resultBuffer})
		jobs, results := p.Start(context.Background())
		produceUntil(p.Done(), jobs, makeJobs(1000))
		late, seen := 0, false
		for r := range results {
			if seen {
				late++
			}
			seen = seen || r.Err != nil
		}
		worst = max(worst, late)
		if bound := workers + resultBuffer; late > bound {
			t.Fatalf("iteration %d: got %d results after the failure; want at most %d (one per worker, %d, plus the buffer, %d)", it, late, bound, workers, resultBuffer)
		}
	}
	t.Logf("most results after the failure in one run: %d", worst)
}

// A cancel racing a fail-fast stop: Err is one of the two causes, never
// nil, and the accounting holds. Real goroutines.
func TestReviewCancelRacingFailFast(t *testing.T) {
	for it := range 1000 {
		ctx, cancel := context.WithCancelCause(context.Background())
		errCancel := errors.New("caller cancelled")
		start := make(chan struct{})
		h := func(_ context.Context, n int) (int, error) {
			if n == 0 {
				<-start
				return 0, errBoom
			}
			return n, nil
		}
		p := pipeline.New(2, h, pipeline.Options{FailFast: true, ResultBuffer: it % 2})
		jobs, results := p.Start(ctx)
		produceUntil(p.Done(), jobs, makeJobs(50))
		go func() {
			close(start)
			if it%2 == 0 {
				runtime.Gosched()
			}
			cancel(errCancel)
		}()
		read := len(collect(results))
		err := p.Err()
		if !errors.Is(err, errBoom) && !errors.Is(err, errCancel) {
			t.Fatalf("iteration %d: got Err() = %v; want %v or %v", it, err, errBoom, errCancel)
		}
		checkFinal(t, p.Stats(), read)
		cancel(nil)
	}
}

// Each kind of failure as the first: an error, a panic, panic(nil), a
// runtime.Goexit and an overrun Timeout. Err matches it, and the result
// carrying it was emitted.
func TestReviewFailFastEachKindOfFailure(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		fail    func(ctx context.Context) (int, error)
		want    error
	}{
		{"error", 0, func(context.Context) (int, error) { return 0, errBoom }, errBoom},
		{"panic", 0, func(context.Context) (int, error) { panic("bad") }, pipeline.ErrPanic},
		{"panic(nil)", 0, func(context.Context) (int, error) { panic(nil) }, pipeline.ErrPanic},
		{"Goexit", 0, func(context.Context) (int, error) { runtime.Goexit(); return 0, nil }, pipeline.ErrGoexit},
		{"timeout", time.Second, func(ctx context.Context) (int, error) { <-ctx.Done(); return 1, nil }, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := func(ctx context.Context, n int) (int, error) {
					if n == 2 {
						return tt.fail(ctx)
					}
					return n, nil
				}
				p := pipeline.New(3, h, pipeline.Options{FailFast: true})
				jobs, results := p.Start(context.Background())
				js := makeJobs(100)
				for i := range js {
					js[i].Timeout = tt.timeout
				}
				produceUntil(p.Done(), jobs, js)
				var failed []pipeline.Result[int]
				read := 0
				for r := range results {
					read++
					if r.Err != nil {
						failed = append(failed, r)
					}
				}
				if len(failed) != 1 || failed[0].JobID != jobID(2) || !errors.Is(failed[0].Err, tt.want) {
					t.Errorf("got failed results %v; want one for %s matching %v", failed, jobID(2), tt.want)
				}
				if err := p.Err(); !errors.Is(err, tt.want) {
					t.Errorf("got Err() = %v; want it to match %v", err, tt.want)
				}
				checkFinal(t, p.Stats(), read)
			})
		})
	}
}

// An Observer that cancels the pipeline on the first failure it sees: the
// trap of the package doc. The failing job is still reported as failed
// (the observer runs after the outcome is decided), its result is
// abandoned, and Err is context.Canceled: the error is lost, as documented.
func TestReviewObserverThatCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := pipeline.New(2, func(_ context.Context, n int) (int, error) {
			if n == 3 {
				return 0, errBoom
			}
			return n, nil
		}, pipeline.Options{Observer: func(e pipeline.Event) {
			if e.Kind == pipeline.HandlerFinished && e.Outcome == pipeline.Failed {
				cancel()
			}
		}})
		jobs, results := p.Start(ctx)
		produceUntil(p.Done(), jobs, makeJobs(10))
		for r := range results {
			if r.Err != nil {
				t.Errorf("got a failed result %v; want none: the observer cancelled before it was emitted", describe(r))
			}
		}
		if err := p.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("got Err() = %v; want context.Canceled (the trap: the job's error is lost)", err)
		}
		if s := p.Stats(); s.Failed != 1 {
			t.Errorf("got Failed = %d; want 1", s.Failed)
		}
	})
}

// Err before the results channel is closed returns nil, even after a
// fail-fast stop has happened; read it after close.
func TestReviewErrBeforeClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := make(chan struct{})
		p := pipeline.New(2, func(ctx context.Context, n int) (int, error) {
			if n == 0 {
				return 0, errBoom
			}
			<-gate // holds its worker, so results cannot close
			return n, nil
		}, pipeline.Options{FailFast: true})
		jobs, results := p.Start(context.Background())
		jobs <- pipeline.Job[int]{ID: jobID(1), Payload: 1}
		jobs <- pipeline.Job[int]{ID: jobID(0), Payload: 0}
		if r := <-results; !errors.Is(r.Err, errBoom) {
			t.Fatalf("got %v; want the failure", describe(r))
		}
		synctest.Wait()
		if !isClosed(p.Done()) {
			t.Errorf("Done is not closed after the fail-fast stop")
		}
		if err := p.Err(); err != nil {
			t.Errorf("got Err() = %v before results closed; want nil", err)
		}
		close(gate)
		close(jobs)
		collect(results)
		if err := p.Err(); !errors.Is(err, errBoom) {
			t.Errorf("got Err() = %v after close; want %v", err, errBoom)
		}
	})
}

// Map with a handler that panics, calls runtime.Goexit or returns an
// error on some values: without FailFast each yields its error (ErrPanic,
// ErrGoexit) and the loop goes on to the end; with FailFast and Ordered the
// loop yields every value before the first failure, then that failure, and
// ends. Real goroutines.
func TestReviewMapHandlerPanics(t *testing.T) {
	const n = 60
	h := func(_ context.Context, v int) (int, error) {
		switch v % 20 {
		case 9:
			panic("nine")
		case 14:
			runtime.Goexit()
		}
		return v, nil
	}
	for it := range 100 {
		var got []int
		var errs []error
		for v, err := range pipeline.Map(context.Background(), 1+it%4, countTo(n, new(atomic.Int64), new(atomic.Bool)), h, pipeline.Options{Ordered: true}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, v)
		}
		if len(got) != n-6 || len(errs) != 6 {
			t.Fatalf("iteration %d: got %d values and %d errors; want %d and 6", it, len(got), len(errs), n-6)
		}
		for i, err := range errs {
			want := []error{pipeline.ErrPanic, pipeline.ErrGoexit}[i%2]
			if !errors.Is(err, want) {
				t.Fatalf("iteration %d: error %d is %v; want %v", it, i, err, want)
			}
		}
		got, errs = got[:0], errs[:0]
		for v, err := range pipeline.Map(context.Background(), 1+it%4, countTo(n, new(atomic.Int64), new(atomic.Bool)), h, pipeline.Options{Ordered: true, FailFast: true}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, v)
		}
		if !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}) || len(errs) != 1 || !errors.Is(errs[0], pipeline.ErrPanic) {
			t.Fatalf("iteration %d: with FailFast got values %v and errors %v; want 0..8 then the panic of 9", it, got, errs)
		}
	}
}
