package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// runOne runs one job through a one-worker pipeline inside the caller's
// bubble and returns its result, checking that exactly one was emitted.
func runOne(t *testing.T, h pipeline.Handler[int, int], job pipeline.Job[int]) (pipeline.Result[int], pipeline.Stats) {
	t.Helper()
	p := pipeline.New(1, h, pipeline.Options{})
	jobs, results := p.Start(context.Background())
	produce(context.Background(), jobs, []pipeline.Job[int]{job})
	rs := collect(results)
	synctest.Wait()
	if len(rs) != 1 {
		t.Fatalf("got %d results; want 1", len(rs))
	}
	s := p.Stats()
	checkFinal(t, s, 1)
	return rs[0], s
}

// A job's Timeout is its handler's deadline; a handler still running then
// fails with a *TimeoutError, whatever it returns.
func TestSynctestTimeout(t *testing.T) {
	const timeout = 3 * time.Second
	tests := []struct {
		name    string
		work    func(ctx context.Context) (int, error)
		elapsed time.Duration // when the result is read
		timeout bool          // want a *TimeoutError, else Value 42
	}{
		{"honours ctx", func(ctx context.Context) (int, error) {
			<-ctx.Done()
			return 0, ctx.Err()
		}, timeout, true},
		{"honours ctx, returns a value", func(ctx context.Context) (int, error) {
			<-ctx.Done()
			return 42, nil
		}, timeout, true},
		{"ignores ctx, returns a value", func(context.Context) (int, error) {
			time.Sleep(2 * timeout)
			return 42, nil
		}, 2 * timeout, true},
		{"ignores ctx, returns an error", func(context.Context) (int, error) {
			time.Sleep(timeout + time.Nanosecond)
			return 42, errBoom
		}, timeout + time.Nanosecond, true},
		{"returns just before the deadline", func(context.Context) (int, error) {
			time.Sleep(timeout - time.Nanosecond)
			return 42, nil
		}, timeout - time.Nanosecond, false},
		{"returns at once", func(context.Context) (int, error) {
			return 42, nil
		}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var deadline time.Time
				var hasDeadline bool
				r, s := runOne(t, func(ctx context.Context, _ int) (int, error) {
					deadline, hasDeadline = ctx.Deadline()
					return tt.work(ctx)
				}, pipeline.Job[int]{ID: "slow", Timeout: timeout})
				checkElapsed(t, start, tt.elapsed)
				if !hasDeadline || !deadline.Equal(start.Add(timeout)) {
					t.Errorf("got handler deadline %v (set: %v); want start + %v = %v", deadline, hasDeadline, timeout, start.Add(timeout))
				}
				if !tt.timeout {
					if r.Err != nil || r.Value != 42 || s.Succeeded != 1 {
						t.Errorf("got %s, Succeeded %d; want Value 42, Err nil, Succeeded 1", describe(r), s.Succeeded)
					}
					return
				}
				var te *pipeline.TimeoutError
				if !errors.As(r.Err, &te) || te.JobID != "slow" || te.Timeout != timeout {
					t.Fatalf("got Err %#v; want a *pipeline.TimeoutError{JobID: \"slow\", Timeout: %v}", r.Err, timeout)
				}
				if !errors.Is(r.Err, context.DeadlineExceeded) {
					t.Errorf("got errors.Is(%v, context.DeadlineExceeded) false; want true", r.Err)
				}
				if errors.Is(r.Err, errBoom) {
					t.Errorf("got the handler's error inside %v; want only the timeout", r.Err)
				}
				if r.Value != 0 || s.Failed != 1 {
					t.Errorf("got Value %d, Failed %d; want 0, 1", r.Value, s.Failed)
				}
				if msg := r.Err.Error(); !strings.Contains(msg, `"slow"`) || !strings.Contains(msg, timeout.String()) {
					t.Errorf("got message %q; want it to name the job and %v", msg, timeout)
				}
			})
		})
	}
}

// The timeout's timer is released when the handler returns: its context is
// done at once, not at the deadline an hour away, and the fake clock never
// gets there.
func TestSynctestTimeoutTimerReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const work, timeout = time.Second, time.Hour
		start := time.Now()
		var hctx context.Context
		r, _ := runOne(t, func(ctx context.Context, n int) (int, error) {
			hctx = ctx
			time.Sleep(work)
			return n, nil
		}, pipeline.Job[int]{ID: "quick", Payload: 5, Timeout: timeout})
		if r.Err != nil || r.Value != 5 {
			t.Errorf("got %s; want Value 5, Err nil", describe(r))
		}
		<-hctx.Done() // would wait (in fake time) until the deadline if the timer were still set
		checkElapsed(t, start, work)
		if err := hctx.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("got handler ctx.Err() %v after it returned; want %v (released, not expired)", err, context.Canceled)
		}
	})
}

// Without a Timeout the handler's context has the pipeline context's
// deadline, here none.
func TestSynctestNoTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hasDeadline := true
		r, _ := runOne(t, func(ctx context.Context, n int) (int, error) {
			_, hasDeadline = ctx.Deadline()
			time.Sleep(24 * time.Hour)
			return n, nil
		}, pipeline.Job[int]{ID: "long", Payload: 1})
		if hasDeadline || r.Err != nil {
			t.Errorf("got deadline set %v, Err %v; want no deadline and no error", hasDeadline, r.Err)
		}
	})
}
