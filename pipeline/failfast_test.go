package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// produceUntilStopped is the producer FailFast asks for: it sends js in
// order, stops when the pipeline stops (p.Done()), closes jobs, and reports
// how many jobs it sent.
func produceUntilStopped(p *pipeline.Pipeline[int, int], jobs chan<- pipeline.Job[int], js []pipeline.Job[int]) <-chan int {
	sent := make(chan int, 1)
	go func() {
		defer close(jobs)
		n := 0
		defer func() { sent <- n }()
		for _, j := range js {
			select {
			case jobs <- j:
				n++
			case <-p.Done():
				return
			}
		}
	}()
	return sent
}

// With FailFast, the first job that fails (error, panic or timeout) has its
// result emitted, then the pipeline stops as if cancelled: the job still
// running is canceled, the producer, blocked sending, stops through Done,
// and Err returns the failure. Nothing is left behind.
func TestSynctestFailFast(t *testing.T) {
	tests := []struct {
		name    string
		fail    func(ctx context.Context) (int, error)
		timeout time.Duration // job 1's
		is      error         // what the failure's Err and Err() match
	}{
		{"error", func(context.Context) (int, error) { return 0, errBoom }, 0, errBoom},
		{"panic", func(context.Context) (int, error) { panic(errBoom) }, 0, pipeline.ErrPanic},
		{"timeout", func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, nil }, 2 * time.Second, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Job 0 runs until cancelled; job 1 fails after a second;
				// jobs 2.. would succeed, but the producer is blocked on
				// job 2 (both workers busy) when the failure comes.
				p := pipeline.New(2, func(ctx context.Context, n int) (int, error) {
					switch n {
					case 0:
						return untilDone(ctx, n)
					case 1:
						time.Sleep(time.Second)
						return tt.fail(ctx)
					}
					return n, nil
				}, pipeline.Options{FailFast: true})
				base := restingGoroutines()
				jobs, results := p.Start(context.Background())
				js := makeJobs(10)
				js[1].Timeout = tt.timeout
				sent := produceUntilStopped(p, jobs, js)
				rs := collect(results)
				if len(rs) != 1 || rs[0].JobID != jobID(1) || !errors.Is(rs[0].Err, tt.is) {
					t.Fatalf("got results %v; want only job-1's failure, matching %v", rs, tt.is)
				}
				if err := p.Err(); !errors.Is(err, tt.is) {
					t.Errorf("got Err() %v; want the failure, matching %v", err, tt.is)
				}
				if n := <-sent; n != 2 {
					t.Errorf("producer sent %d jobs; want 2 (it stopped, blocked on the third, at the fail-fast stop)", n)
				}
				synctest.Wait()
				s := p.Stats()
				checkFinal(t, s, 1)
				if s.Failed != 1 || s.Canceled != 1 || s.Succeeded != 0 {
					t.Errorf("got Failed %d, Canceled %d, Succeeded %d; want 1, 1, 0", s.Failed, s.Canceled, s.Succeeded)
				}
				checkGoroutines(t, "after the fail-fast stop (nothing left behind)", base)
			})
		})
	}
}

// Without FailFast a failure stops nothing: every job runs.
func TestSynctestFailFastOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pipeline.New(2, func(_ context.Context, n int) (int, error) {
			if n == 1 {
				return 0, errBoom
			}
			return n, nil
		}, pipeline.Options{})
		jobs, results := p.Start(context.Background())
		js := makeJobs(10)
		produceUntilStopped(p, jobs, js)
		rs := collect(results)
		checkOneResultEach(t, rs, js)
		if err := p.Err(); err != nil {
			t.Errorf("got Err() %v; want nil after a drain, even with a failed job", err)
		}
	})
}

// Err is nil after a drain, the context's cause after a cancel, and the
// first failure after a fail-fast stop; nil before the results channel is
// closed.
func TestSynctestErr(t *testing.T) {
	errWhy := errors.New("why")
	synctest.Test(t, func(t *testing.T) {
		p := pipeline.New(2, square, pipeline.Options{})
		jobs, results := p.Start(context.Background())
		if err := p.Err(); err != nil {
			t.Errorf("running: got Err() %v; want nil", err)
		}
		produce(context.Background(), jobs, makeJobs(5))
		collect(results)
		if err := p.Err(); err != nil {
			t.Errorf("drained: got Err() %v; want nil", err)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		p := pipeline.New(2, untilDone, pipeline.Options{FailFast: true})
		jobs, results := p.Start(ctx)
		jobs <- pipeline.Job[int]{ID: "running"}
		synctest.Wait()
		cancel(errWhy)
		collect(results)
		if err := p.Err(); err != errWhy {
			t.Errorf("cancelled: got Err() %v; want the cause %v", err, errWhy)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(2, square, pipeline.Options{})
		_, results := p.Start(ctx)
		cancel()
		collect(results)
		if err := p.Err(); err != context.Canceled {
			t.Errorf("cancelled without cause: got Err() %v; want %v", err, context.Canceled)
		}
	})
}

// The trap FailFast answers: without it, a handler that cancels the
// pipeline and returns its error loses that error; the job is canceled
// and Err reports only the cancellation.
func TestSynctestCancelFromHandlerLosesError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(1, func(context.Context, int) (int, error) {
			cancel()
			return 0, errBoom
		}, pipeline.Options{})
		jobs, results := p.Start(ctx)
		jobs <- pipeline.Job[int]{ID: "stopper"}
		if rs := collect(results); len(rs) != 0 {
			t.Errorf("got %v; want no result: the job is canceled", rs)
		}
		if err := p.Err(); err != context.Canceled {
			t.Errorf("got Err() %v; want %v (the handler's error is lost)", err, context.Canceled)
		}
	})
}

// Done panics before Start: a producer selecting on a nil channel would
// never stop.
func TestDonePanicsBeforeStart(t *testing.T) {
	p := pipeline.New(1, square, pipeline.Options{})
	panicMessage(t, func() { p.Done() })
}
