package pipeline_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// fakeClock is a pipeline.Clock that moves only when Advance is called, the
// way a paused playground's simulated clock does.
type fakeClock struct {
	mu     sync.Mutex // guards all fields
	now    time.Duration
	next   int
	timers map[int]fakeTimer // the calls not yet made nor stopped
	calls  int               // AfterFunc calls so far
}

type fakeTimer struct {
	at time.Duration
	f  func()
}

func newFakeClock() *fakeClock { return &fakeClock{timers: map[int]fakeTimer{}} }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.next
	c.next++
	c.calls++
	c.timers[id] = fakeTimer{at: c.now + d, f: f}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.timers[id]
		delete(c.timers, id)
		return ok
	}
}

// Advance moves the clock on by d and starts, each in its own goroutine,
// the calls that are then due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now += d
	var due []func()
	for id, tm := range c.timers {
		if tm.at <= c.now {
			due = append(due, tm.f)
			delete(c.timers, id)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		go f()
	}
}

// live reports how many calls are set and not yet made nor stopped, and
// how many AfterFunc calls there were.
func (c *fakeClock) live() (live, calls int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers), c.calls
}

// A job that overruns its Timeout on Options.Clock fails exactly as on real
// time: its handler's ctx.Err() is context.DeadlineExceeded and the result's
// Err a *TimeoutError. Real (here fake, synctest) time does not count: only
// the Clock's.
func TestSynctestClockTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := newFakeClock()
		seen := make(chan error, 1)
		p := pipeline.New(1, func(ctx context.Context, _ int) (int, error) {
			<-ctx.Done()
			seen <- ctx.Err()
			if !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
				t.Errorf("got context.Cause %v; want one matching context.DeadlineExceeded", context.Cause(ctx))
			}
			return 0, ctx.Err()
		}, pipeline.Options{Clock: clock})
		jobs, results := p.Start(context.Background())
		jobs <- pipeline.Job[int]{ID: "slow", Timeout: time.Second}
		close(jobs)
		time.Sleep(time.Hour) // real time passes; the clock is paused
		synctest.Wait()
		if live, calls := clock.live(); live != 1 || calls != 1 {
			t.Fatalf("got %d live timers of %d; want 1 of 1 while the handler runs", live, calls)
		}
		select {
		case err := <-seen:
			t.Fatalf("handler's context done (%v) while the clock was paused", err)
		default:
		}
		clock.Advance(time.Second - time.Nanosecond)
		synctest.Wait()
		if len(seen) != 0 {
			t.Fatalf("handler's context done before its Timeout on the clock")
		}
		clock.Advance(time.Nanosecond)
		if err := <-seen; err != context.DeadlineExceeded {
			t.Errorf("got handler ctx.Err() %v; want context.DeadlineExceeded", err)
		}
		rs := collect(results)
		var te *pipeline.TimeoutError
		if len(rs) != 1 || !errors.As(rs[0].Err, &te) || te.JobID != "slow" || te.Timeout != time.Second {
			t.Fatalf("got %v; want one result with a *TimeoutError for job \"slow\", 1s", rs)
		}
		synctest.Wait()
		if s := p.Stats(); s.Failed != 1 {
			t.Errorf("got Failed %d; want 1", s.Failed)
		}
	})
}

// When the pipeline's context is cancelled before the Clock's Timeout, the
// handler sees context.Canceled, not DeadlineExceeded, and the job is
// canceled.
func TestSynctestClockCancelFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := newFakeClock()
		seen := make(chan error, 1)
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(1, func(ctx context.Context, _ int) (int, error) {
			<-ctx.Done()
			clock.Advance(time.Hour) // the timer fires too late to matter
			seen <- ctx.Err()
			return 0, ctx.Err()
		}, pipeline.Options{Clock: clock})
		jobs, results := p.Start(ctx)
		jobs <- pipeline.Job[int]{ID: "slow", Timeout: time.Second}
		synctest.Wait()
		cancel()
		if err := <-seen; err != context.Canceled {
			t.Errorf("got handler ctx.Err() %v; want context.Canceled", err)
		}
		if rs := collect(results); len(rs) != 0 {
			t.Errorf("got %d results; want none after cancel", len(rs))
		}
		synctest.Wait()
		if s := p.Stats(); s.Canceled != 1 || s.Failed != 0 {
			t.Errorf("got Canceled %d, Failed %d; want 1, 0", s.Canceled, s.Failed)
		}
	})
}

// The Clock's call is stopped when the handler returns, panics or calls
// runtime.Goexit, and the handler's context is then done (released, not
// expired): nothing stays set until the deadline.
func TestSynctestClockReleased(t *testing.T) {
	tests := []struct {
		name string
		end  func()
	}{
		{"returns", func() {}},
		{"panics", func() { panic("boom") }},
		{"calls Goexit", runtime.Goexit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clock := newFakeClock()
				var hctx context.Context
				p := pipeline.New(1, func(ctx context.Context, n int) (int, error) {
					hctx = ctx
					tt.end()
					return n, nil
				}, pipeline.Options{Clock: clock})
				jobs, results := p.Start(context.Background())
				jobs <- pipeline.Job[int]{ID: "quick", Timeout: time.Hour}
				close(jobs)
				collect(results)
				synctest.Wait()
				if live, calls := clock.live(); live != 0 || calls != 1 {
					t.Errorf("got %d live timers of %d after the handler ended; want 0 of 1", live, calls)
				}
				if err := hctx.Err(); err != context.Canceled {
					t.Errorf("got handler ctx.Err() %v after it ended; want context.Canceled (released)", err)
				}
			})
		})
	}
}

// Defect 4: a handler that calls runtime.Goexit under a Job.Timeout (real
// time) has its timer and child context released at once, not at the
// deadline.
func TestSynctestTimeoutReleasedOnGoexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var hctx context.Context
		p := pipeline.New(1, func(ctx context.Context, n int) (int, error) {
			hctx = ctx
			runtime.Goexit()
			return n, nil
		}, pipeline.Options{})
		jobs, results := p.Start(context.Background())
		jobs <- pipeline.Job[int]{ID: "goexit", Timeout: time.Hour}
		close(jobs)
		start := time.Now()
		rs := collect(results)
		if len(rs) != 1 || !errors.Is(rs[0].Err, pipeline.ErrGoexit) {
			t.Fatalf("got %v; want one result matching ErrGoexit", rs)
		}
		synctest.Wait()
		if err := hctx.Err(); err != context.Canceled {
			t.Errorf("got handler ctx.Err() %v right after Goexit; want context.Canceled (released, not live until the deadline)", err)
		}
		checkElapsed(t, start, 0)
	})
}
