// Package pipeline runs jobs through a fixed pool of workers, connected by a
// jobs channel and a results channel; it is the worker-pool pattern from the Go
// blog with the hard parts (cancellation, timeouts, panics, closing) done once.
//
// # Roles
//
// A producer sends [Job] values on the jobs channel and owns closing it. The
// pipeline starts exactly N worker goroutines; each takes a job, runs the
// [Handler] and sends a [Result] on the results channel. A consumer reads the
// results channel until it is closed. The pipeline owns the results channel and
// closes it exactly once, after every worker has exited.
//
//	producer --jobs channel--> N workers --results channel--> consumer
//
// # Promises
//
//   - Bounded concurrency: exactly N worker goroutines, started by [Pipeline.Start]
//     or [Pipeline.Run]; nothing is started per job, and no goroutine closes
//     the results channel: the last worker to exit does. Without
//     [Options.FailFast] the pipeline starts no other goroutine and
//     registers nothing on its context. With it, the pipeline derives one
//     child context of the caller's (context.WithCancelCause), released
//     when the results channel closes: for the standard library's contexts
//     the child is registered on the parent; for a Context of the caller's
//     own type, the context package watches it from one goroutine of its
//     own until then.
//   - Backpressure by default: both channels are unbuffered unless
//     [Options.JobBuffer] or [Options.ResultBuffer] say otherwise, and buffers are
//     bounded by [MaxBuffer]. A producer's send blocks while every worker is busy
//     and the buffer is full; a worker holding a result blocks until the consumer
//     takes it. There is no other queue.
//   - Close versus cancel: closing the jobs channel drains (every job sent is
//     handled and its result emitted, then the results channel closes).
//     Cancelling the context stops now: the handlers' contexts are cancelled,
//     results not yet taken by the consumer are abandoned, every worker exits
//     and the results channel closes.
//   - Cancellation is a barrier for intake: once cancel() has returned, no
//     job is taken, and no send on the jobs channel pairs with a worker. A
//     producer that selects on its send and on ctx.Done() always sees Done.
//     This holds with [Options.FailFast] and a Context of the caller's own
//     type too: the workers wait on the caller's Done as well as on the
//     pipeline's own.
//     A buffered jobs channel may still accept a send into its buffer; that
//     job is never taken. (A job a worker receives just as cancel runs is
//     either taken, and counted received and canceled, or, if the worker
//     sees the context done right after the receive, not taken: it counts
//     in [Stats.Dropped], like a job left in the buffer.)
//   - Results after cancel: a channel cannot make this strict. After
//     cancel() has returned, the consumer may still receive at most one
//     result per worker (a worker that checked the context just before
//     cancel and is handing its result over), plus the results already in
//     the results channel's buffer ([Options.ResultBuffer]). A consumer
//     that must ignore them checks ctx.Err() itself.
//   - Per-job timeouts: a job with [Job.Timeout] > 0 runs under a child context
//     with that deadline, whose timer is released as soon as the handler
//     returns, panics or calls runtime.Goexit. A handler that overruns its
//     deadline fails, whatever it returned. [Options.Clock] measures timeouts
//     on a clock of the caller's (one that can be paused) instead of real time.
//   - Panics: a panic in a handler is recovered; it becomes that job's
//     [Result.Err] (matching [ErrPanic], carrying the value and stack), and the
//     worker goes on; this holds for panic(nil) too, even under
//     GODEBUG=panicnil=1, where recover returns nil. A handler that calls
//     [runtime.Goexit] fails the same
//     way ([ErrGoexit]), and a new goroutine takes its worker's place. There
//     are no retries.
//   - Stats: [Pipeline.Stats] copies out per-worker lock-free counters.
//
// # Outcomes
//
// Every job a worker takes ends in exactly one outcome, decided when its
// handler returns (see [Outcome]):
//
//   - failed: the handler panicked (always, even during cancellation: a panic
//     is a bug and is never hidden), or, while the context was not done, it
//     overran its own [Job.Timeout] (the error is a [*TimeoutError], which
//     matches [context.DeadlineExceeded]) or returned a non-nil error.
//   - canceled: the pipeline's context was done when the handler returned,
//     whatever it returned (or the job was taken as the context was
//     cancelled and never ran); no result is emitted for it.
//   - succeeded: the handler returned a nil error within its deadline.
//
// # Ordering
//
// By default results are emitted in the order the handlers finish, which is
// not the order the jobs were sent: a fast job overtakes a slow one. With
// [Options.Ordered] they are emitted in the order the workers took the jobs
// (for one producer, the order it sent them); a worker whose result is not
// yet due waits for its turn, blocked, holding it, so a slow job holds up
// every result behind it (head-of-line blocking) while memory stays bounded
// by the pool. The worker that passes the turn emits the waiting results
// itself, so in-order results go out without waiting for their workers to
// be scheduled: on 4 workers with a trivial handler, Ordered measured 1.06×
// the default unbuffered and 0.90× with buffers of 64 (medians of an
// interleaved A/B on a loaded 2-core machine; the command is in the
// README).
//
// # Stopping on the first failure
//
// A handler (or an Observer) that cancels the pipeline's context and
// returns its error falls into a trap: its job is then canceled, no result
// is emitted, and the error is lost; [Pipeline.Err] reports only
// context.Canceled. Use [Options.FailFast] instead: the first failing job's
// result is emitted, the pipeline stops, and [Pipeline.Err] returns that
// job's error. The stop comes before that result is emitted, so once the
// consumer has it, the bound of a cancel holds: at most one more result per
// worker, plus the results buffer. With [Options.Ordered] the first failure
// is the first the consumer sees (decided in its turn), and nothing after
// it is emitted. A fail-fast stop does not cancel the producer's context, so a
// producer that may block selects on [Pipeline.Done].
//
// # Iterators
//
// [Map] is the pipeline with its producer and consumer hidden: it ranges
// over an [iter.Seq] and yields each result; breaking out of the loop stops
// it and every goroutine it started. A panic in the iter.Seq reaches the
// caller, from the loop, once every goroutine Map started has exited.
//
// # Ownership rules
//
// The producer closes the jobs channel, never the pipeline. The consumer must
// read the results channel until it is closed, or cancel the context; a
// consumer that simply stops reading leaves workers blocked (that is
// backpressure, not a leak: cancelling releases them). A producer that may
// block should select on [Pipeline.Done] (or on the same context) so that
// it, too, stops on cancel.
package pipeline
