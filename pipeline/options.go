package pipeline

import "fmt"

// Limits on configuration. They keep a typo or an untrusted value from asking
// for a billion goroutines or a gigabyte of buffer.
const (
	// MaxWorkers is the largest pool New accepts.
	MaxWorkers = 1 << 16
	// MaxBuffer is the largest JobBuffer or ResultBuffer New accepts.
	MaxBuffer = 1 << 20
)

// Options configures a Pipeline. The zero value is the default: unbuffered
// channels (strict backpressure) and no observer. Options are read by New and
// not retained, except for the Observer.
type Options struct {
	// JobBuffer is the capacity of the jobs channel that Start makes; 0 (the
	// default) makes it unbuffered, so a send blocks until a worker takes the
	// job. Run uses the caller's channel and ignores JobBuffer.
	JobBuffer int
	// ResultBuffer is the capacity of the results channel; 0 (the default)
	// makes it unbuffered, so a worker holding a result waits for the
	// consumer.
	ResultBuffer int
	// Observer, if not nil, is called synchronously by the workers at each
	// step of their lifecycle; see Observer. Nil (the default) costs nothing.
	Observer Observer
	// Clock is the clock Job.Timeout is measured on; nil (the default) is
	// real time (context.WithTimeout), and costs nothing more. With a Clock,
	// a handler that overruns its Timeout still sees ctx.Err() ==
	// context.DeadlineExceeded and its job fails with a *TimeoutError, but
	// ctx.Deadline() reports only the pipeline context's deadline, since a
	// Clock has no Now to compute one from. See Clock.
	Clock Clock
	// FailFast, if true, stops the pipeline at the first job that fails
	// (its handler returned an error, panicked or overran its Timeout): the
	// pipeline stops as if its context were cancelled, that job's result is
	// then emitted (unless the caller's context is done first), and
	// Pipeline.Err returns the job's error. "First" is the first in time;
	// with Ordered, the first in the order of the results, that is the
	// first failure the consumer sees, and no result after it is emitted.
	// Without Ordered, results other workers were handing over as the stop
	// came may still follow it (the bound of a cancel: at most one per
	// worker, plus the results buffer). A producer
	// must then stop too: it selects on Pipeline.Done. False (the default)
	// costs nothing.
	FailFast bool
	// Ordered, if true, emits the results in the order the workers took the
	// jobs (for one producer, the order it sent them). A worker whose result
	// is not yet due waits, blocked, holding it: no result waits anywhere
	// else, so memory stays bounded by the pool, but one slow job holds up
	// every result after it (head-of-line blocking) and, once every other
	// worker is waiting for its turn, the whole pool. False (the default)
	// emits each result as soon as its handler returns.
	//
	// In a testing/synctest bubble, an Ordered pipeline's idle workers keep
	// the bubble's clock still and synctest.Wait from returning: workers
	// take jobs one at a time under a sync.Mutex, and a goroutine waiting
	// for a mutex is not durably blocked. A channel there instead made
	// each job 1.5 to 3 times as costly with buffered jobs, so the mutex
	// stays; test Ordered pipelines with real goroutines (or one worker).
	Ordered bool
}

// Validate reports whether New would accept workers and opts, without
// panicking: it returns nil, or an error that names the first value that is
// out of range. Use it on configuration from users, files or the network.
func Validate(workers int, opts Options) error {
	switch {
	case workers < 1:
		return fmt.Errorf("pipeline: workers = %d; want at least 1", workers)
	case workers > MaxWorkers:
		return fmt.Errorf("pipeline: workers = %d; want at most %d", workers, MaxWorkers)
	}
	if err := validateBuffer("JobBuffer", opts.JobBuffer); err != nil {
		return err
	}
	return validateBuffer("ResultBuffer", opts.ResultBuffer)
}

func validateBuffer(name string, n int) error {
	switch {
	case n < 0:
		return fmt.Errorf("pipeline: Options.%s = %d; want 0 or more", name, n)
	case n > MaxBuffer:
		return fmt.Errorf("pipeline: Options.%s = %d; want at most %d", name, n, MaxBuffer)
	}
	return nil
}
