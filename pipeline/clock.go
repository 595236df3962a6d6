package pipeline

import (
	"context"
	"fmt"
	"time"
)

// A Clock is a source of time for per-job timeouts (Job.Timeout).
//
// Set one in Options.Clock to measure timeouts on a simulated clock, for
// example one that a debugger or a playground can pause: while it is paused,
// no job times out. The pipeline calls AfterFunc once for each job with a
// positive Timeout, when its handler starts, and always calls the returned
// stop function when the handler returns, panics or calls runtime.Goexit, so
// that a Clock may keep one entry per live job and no more.
//
// AfterFunc runs on the worker's goroutine, outside the recovery of the
// handler's panics: a Clock that breaks its contract is a programmer error,
// not a failure of the job. If AfterFunc returns a nil stop function, the
// worker panics at once, as it returns, with "pipeline: Clock.AfterFunc
// returned a nil stop function"; that panic, like one raised inside
// AfterFunc, is not recovered and crashes the program.
type Clock interface {
	// AfterFunc calls f in its own goroutine once d has passed on this clock, and returns a
	// function that stops the call, reporting whether it stopped it (as time.Timer.Stop does).
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// errClockDeadline is the cancellation cause of a handler context whose
// Job.Timeout expired on an Options.Clock; it matches
// context.DeadlineExceeded, as the cause of context.WithTimeout does.
var errClockDeadline = fmt.Errorf("pipeline: job timeout on Options.Clock: %w", context.DeadlineExceeded)

// clockContext is the handler's context for a job with a Timeout measured
// on an Options.Clock. It is a cancel context of the pipeline's context
// that the clock cancels, with cause errClockDeadline, once the Timeout has
// passed; Err reports context.DeadlineExceeded in that case (and only that
// case: if the pipeline's context was done first, its error wins), as a
// context made by context.WithTimeout does.
//
// It has no Deadline of its own (a Clock has no Now to compute one from);
// Deadline reports the pipeline context's.
type clockContext struct {
	context.Context // made by context.WithCancelCause of the pipeline's context
}

// Err returns context.DeadlineExceeded once the job's Timeout has passed on
// the clock, and otherwise the error of the underlying cancel context.
func (c clockContext) Err() error {
	err := c.Context.Err()
	if err == context.Canceled && context.Cause(c.Context) == errClockDeadline {
		return context.DeadlineExceeded
	}
	return err
}

// withClockTimeout is context.WithTimeout on clock: the returned context is
// done once d has passed on clock (then its Err is
// context.DeadlineExceeded), or once parent is done, or once release is
// called. release stops the clock's call and cancels the context; it may be
// called more than once.
func withClockTimeout(parent context.Context, clock Clock, d time.Duration) (ctx context.Context, release func()) {
	inner, cancel := context.WithCancelCause(parent)
	stop := clock.AfterFunc(d, func() { cancel(errClockDeadline) })
	if stop == nil {
		cancel(nil)
		panic("pipeline: Clock.AfterFunc returned a nil stop function")
	}
	return clockContext{inner}, func() {
		stop()
		cancel(context.Canceled)
	}
}
