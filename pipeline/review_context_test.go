package pipeline_test

// Adversarial review after issue 8: the cancel barrier with a caller's
// own Context type.

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// ownCtx is a caller's own Context type (as some libraries have, for
// example to merge two contexts): its Done channel is its own, so
// context.WithCancel of it cannot hook into a parent cancelCtx and
// propagates its cancellation from a goroutine that watches Done, that
// is after its cancel has returned.
type ownCtx struct {
	context.Context // for Deadline and Value
	done            chan struct{}
}

func newOwnCtx() (ownCtx, context.CancelFunc) {
	c := ownCtx{Context: context.Background(), done: make(chan struct{})}
	return c, func() { close(c.done) }
}

func (c ownCtx) Done() <-chan struct{} { return c.done }

func (c ownCtx) Err() error {
	if isClosed(c.done) {
		return context.Canceled
	}
	return nil
}

// With FailFast the workers wait on a child context of the caller's (the
// one a fail-fast stop cancels). For a caller's Context like ownCtx,
// that child is cancelled only later, on another goroutine, so after the
// caller's cancel() has returned an idle worker still pairs with the
// README's producer about half the time: defect 1 again, with FailFast
// only (without it, the workers wait on the caller's own Done).
func TestReviewFailFastBarrierCustomContext(t *testing.T) {
	for _, ff := range []bool{false, true} {
		paired := 0
		for range 500 {
			ctx, cancel := newOwnCtx()
			p := pipeline.New(4, square, pipeline.Options{FailFast: ff})
			jobs, results := p.Start(ctx)
			cancel()
			select {
			case jobs <- pipeline.Job[int]{ID: "late"}:
				paired++
			case <-ctx.Done():
			}
			close(jobs)
			collect(results)
		}
		if paired > 0 {
			t.Errorf("FailFast %v: in %d of 500 runs a send paired with a worker after cancel returned; want none", ff, paired)
		}
	}
}

// The package doc promises that without FailFast the pipeline starts no
// goroutine but its workers and registers nothing on its context. With
// FailFast it derives a child context (context.WithCancelCause) of the
// caller's: for the standard library's contexts the child is registered
// on the parent, and no goroutine starts; for a caller's own Context type
// (ownCtx), the context package watches the parent from one goroutine of
// its own, until the pipeline ends. The doc says exactly that.
func TestReviewFailFastStartsNoOtherGoroutine(t *testing.T) {
	tests := []struct {
		name     string
		failFast bool
		own      bool
		extra    int // goroutines beyond the 2 workers while the pipeline runs
	}{
		{"no FailFast, own Context", false, true, 0},
		{"FailFast, standard Context", true, false, 0},
		{"FailFast, own Context", true, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var ctx context.Context
				var cancel context.CancelFunc
				if tt.own {
					ctx, cancel = newOwnCtx()
				} else {
					ctx, cancel = context.WithCancel(context.Background())
				}
				defer cancel()
				before := bubbleGoroutines()
				p := pipeline.New(2, square, pipeline.Options{FailFast: tt.failFast})
				jobs, results := p.Start(ctx)
				synctest.Wait()
				if got := bubbleGoroutines() - before; got != 2+tt.extra {
					t.Errorf("got %d goroutines started; want %d, the 2 workers and %d more", got, 2+tt.extra, tt.extra)
				}
				close(jobs)
				collect(results)
				synctest.Wait()
				if got := bubbleGoroutines() - before; got != 0 {
					t.Errorf("after the results channel closed: got %d goroutines left; want 0", got)
				}
			})
		})
	}
}
