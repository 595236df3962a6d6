package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Job is one unit of work sent by the producer on the jobs channel.
type Job[T any] struct {
	// ID names the job in its Result and in observer events. The pipeline
	// does not require it to be unique.
	ID string
	// Payload is passed to the handler.
	Payload T
	// Timeout, if positive, bounds the handler's run: the handler's context
	// gets this deadline, and a handler still running at it fails with an
	// error wrapping context.DeadlineExceeded. Zero means no per-job limit.
	Timeout time.Duration
}

// Result is what a worker sends on the results channel for one job.
type Result[R any] struct {
	// JobID is the ID of the job this result is for.
	JobID string
	// Value is what the handler returned; it is the zero value when Err is
	// not nil, whatever the handler returned alongside its error.
	Value R
	// Err is nil when the job succeeded. Otherwise it is the handler's
	// error, a *PanicError matching ErrPanic, or, for a job that overran its
	// Timeout, an error wrapping context.DeadlineExceeded.
	Err error
}

// Handler does the work of one job. It should return promptly once ctx is
// done; ctx carries the pipeline's cancellation and the job's Timeout.
// A Handler is called from N goroutines at once and must be safe for that.
type Handler[T, R any] func(ctx context.Context, payload T) (R, error)

// ErrPanic is matched (with errors.Is) by the error of a job whose handler
// panicked. The error itself is a *PanicError.
var ErrPanic = errors.New("pipeline: handler panicked")

// ErrGoexit is the PanicError.Value of a job whose handler called
// runtime.Goexit (as testing.T.FailNow does) instead of returning. Such a job
// fails like a panicking one, and a new goroutine takes its worker's place.
var ErrGoexit = errors.New("pipeline: handler called runtime.Goexit")

// PanicError is the Result.Err of a job whose handler panicked.
type PanicError struct {
	// Value is what the handler passed to panic.
	Value any
	// Stack is the panicking goroutine's stack, as runtime/debug.Stack gives it.
	Stack []byte
}

// Error reports the panic value; the stack is in the Stack field.
func (e *PanicError) Error() string {
	return fmt.Sprintf("pipeline: handler panicked: %v", e.Value)
}

// Is reports whether target is ErrPanic.
func (e *PanicError) Is(target error) bool { return target == ErrPanic }

// Unwrap returns the panic value if it is an error, so that errors.Is and
// errors.As see through the panic to it.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// TimeoutError is the Result.Err of a job that overran its Job.Timeout.
// It matches context.DeadlineExceeded with errors.Is.
type TimeoutError struct {
	// JobID is the job that overran.
	JobID string
	// Timeout is the job's Timeout.
	Timeout time.Duration
}

// Error names the job and its timeout.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("pipeline: job %q exceeded its timeout of %v", e.JobID, e.Timeout)
}

// Unwrap returns context.DeadlineExceeded.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }
