package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// A Pipeline is a fixed pool of workers that runs a Handler on each job from a
// jobs channel and sends each result on a results channel. Make one with New;
// the zero Pipeline is not usable. A Pipeline runs once: Start or Run may be
// called once, and a second call panics. Stats may be called at any time, from
// any goroutine.
type Pipeline[T, R any] struct {
	handler      Handler[T, R]
	workers      int
	jobBuffer    int
	resultBuffer int
	observer     Observer // nil: no events
	clock        Clock    // nil: Job.Timeout on real time
	failFast     bool
	ordered      bool

	// shards holds one workerStats per worker; worker i alone writes
	// shards[i], Stats reads them all.
	shards []workerStats
	// chans is nil until the one Start or Run call sets it (by
	// compare-and-swap, which is also what refuses a second start); Stats
	// reads it for the channel gauges.
	chans atomic.Pointer[channels[T, R]]
	// live counts workers that have not exited. The worker that brings it to
	// zero closes the results channel: there is no extra closing goroutine.
	live atomic.Int64
	// running counts the worker goroutines (and their Goexit replacements)
	// that have not returned, for Map, which returns only after they have.
	running sync.WaitGroup
	// stop cancels the pipeline's own context, a child of the caller's,
	// with the first failure as its cause (Options.FailFast); nil without
	// FailFast. Set by start before the workers start, then only called.
	stop context.CancelCauseFunc
	// failed is set by whoever delivers the first failing result
	// (Options.FailFast; with Ordered, the first failure in its turn), who
	// alone then calls stop and emits it (see deliver).
	failed atomic.Bool
	// halt is what ends a worker's wait to take or emit: the pipeline's
	// context and, with FailFast, the caller's. callerHalt is the caller's
	// alone, for the fail-fast failure's own result. Both are set by start
	// before the workers start, then only read.
	halt, callerHalt halt
	// err is what Err returns, if not nil: stored by the last worker to
	// exit just before it closes the results channel.
	err atomic.Pointer[error]
	// turn orders the results (Options.Ordered); nil otherwise.
	turn *turns[R]
}

// halt is what stops a worker waiting to take a job or to emit a result.
type halt struct {
	ctx  context.Context // the pipeline's context
	done <-chan struct{} // ctx.Done(); nil for a context that is never done
	// caller is the caller's context when ctx is a child of it (FailFast),
	// else nil; callerDone is its Done, also waited on, since a child of
	// a caller's own Context type is cancelled only later, from a goroutine
	// of the context package, after the caller's cancel() has returned.
	caller     context.Context
	callerDone <-chan struct{}
}

// stopped reports whether the pipeline's context, or the caller's, is done.
func (h *halt) stopped() bool {
	return h.ctx.Err() != nil || (h.caller != nil && h.caller.Err() != nil)
}

// channels are the two channels of a started pipeline.
type channels[T, R any] struct {
	jobs    <-chan Job[T]   // sent on and closed by the producer
	results chan Result[R]  // sent on by workers, closed by the last worker to exit
	done    <-chan struct{} // the pipeline's context's Done: closed by cancel or a fail-fast stop
}

// New returns a Pipeline of workers goroutines that run h, configured by opts.
// Nothing runs until Start or Run. New panics, with a message that starts with
// "pipeline:" and names the value, if h is nil or if Validate(workers, opts)
// reports an error; check untrusted configuration with Validate first.
func New[T, R any](workers int, h Handler[T, R], opts Options) *Pipeline[T, R] {
	if err := Validate(workers, opts); err != nil {
		panic(err.Error())
	}
	if h == nil {
		panic("pipeline: New called with a nil Handler")
	}
	return &Pipeline[T, R]{
		handler:      h,
		workers:      workers,
		jobBuffer:    opts.JobBuffer,
		resultBuffer: opts.ResultBuffer,
		observer:     opts.Observer,
		clock:        opts.Clock,
		failFast:     opts.FailFast,
		ordered:      opts.Ordered,
		shards:       make([]workerStats, workers),
	}
}

// Start makes the jobs channel (with Options.JobBuffer slots) and the results
// channel, starts the workers, and returns both channels. The caller is the
// producer: it sends jobs and must close jobs when it has no more. The results
// channel is closed once every worker has exited, after jobs is closed and
// drained or after ctx is done.
//
// Start panics if the Pipeline was already started.
func (p *Pipeline[T, R]) Start(ctx context.Context) (chan<- Job[T], <-chan Result[R]) {
	jobs := make(chan Job[T], p.jobBuffer)
	return jobs, p.start(ctx, jobs)
}

// Run is Start for a jobs channel the caller already has (Options.JobBuffer is
// not used): it starts the workers on jobs and returns the results channel.
// The producer of jobs still owns closing it.
//
// Run panics if jobs is nil or the Pipeline was already started.
func (p *Pipeline[T, R]) Run(ctx context.Context, jobs <-chan Job[T]) <-chan Result[R] {
	if jobs == nil {
		panic("pipeline: Run called with a nil jobs channel")
	}
	return p.start(ctx, jobs)
}

// Stats returns a snapshot of the counters and gauges; see Stats.
func (p *Pipeline[T, R]) Stats() Stats {
	s := snapshot(p.shards)
	if c := p.chans.Load(); c != nil {
		s.Queued = len(c.jobs)
		s.Pending = len(c.results)
	}
	return s
}

func (p *Pipeline[T, R]) start(ctx context.Context, jobs <-chan Job[T]) <-chan Result[R] {
	if ctx == nil {
		panic("pipeline: Start or Run called with a nil Context")
	}
	var stop context.CancelCauseFunc
	caller := ctx
	if p.failFast {
		ctx, stop = context.WithCancelCause(ctx)
	}
	c := &channels[T, R]{jobs: jobs, results: make(chan Result[R], p.resultBuffer), done: ctx.Done()}
	if !p.chans.CompareAndSwap(nil, c) {
		if stop != nil {
			stop(nil)
		}
		panic(fmt.Sprintf("pipeline: Pipeline started twice (%d workers); a Pipeline runs once, make another with New", p.workers))
	}
	p.stop = stop
	p.halt = halt{ctx: ctx, done: ctx.Done()}
	if p.failFast {
		p.halt.caller, p.halt.callerDone = caller, caller.Done()
		p.callerHalt = halt{ctx: caller, done: caller.Done()}
	}
	if p.ordered {
		p.turn = newTurns[R](p.workers)
		results := c.results
		p.turn.deliver = func(res Result[R], failed bool) bool {
			return p.deliver(&p.halt, results, res, failed)
		}
	}
	p.live.Store(int64(p.workers))
	p.running.Add(p.workers)
	for i := range p.workers {
		go p.work(ctx, i, c.jobs, c.results)
	}
	return c.results
}

// Done returns a channel that is closed when the pipeline stops early: when
// the context given to Start or Run is done, or on a fail-fast stop
// (Options.FailFast). It is nil (never closed) for a context that is never
// done and no FailFast. A producer that may block sends with
//
//	select {
//	case jobs <- j:
//	case <-p.Done():
//	    return
//	}
//
// so that a fail-fast stop, which does not cancel the producer's own
// context, releases it too. Done panics if the pipeline was not started.
func (p *Pipeline[T, R]) Done() <-chan struct{} {
	c := p.chans.Load()
	if c == nil {
		panic("pipeline: Done called before Start or Run")
	}
	return c.done
}

// Err reports why the pipeline ended, in the manner of sql.Rows.Err and
// bufio.Scanner.Err; read it after the results channel is closed. It is
// nil after a drain (the jobs channel was closed and every job handled);
// after a fail-fast stop (Options.FailFast) it is the first failing job's
// Result.Err; after the context was done it is the context's cause
// (context.Cause). Before the results channel is closed it returns nil.
//
// A cancel that lands after the jobs channel was closed and every job
// handled, but before the last worker has exited, still counts: Err is
// then the context's cause (context.Canceled for a plain cancel) although
// nothing was lost. The results tell what was handled; Err tells only
// whether the pipeline saw its context done before it ended.
func (p *Pipeline[T, R]) Err() error {
	if e := p.err.Load(); e != nil {
		return *e
	}
	return nil
}

// work is worker i: it takes jobs until jobs is closed or ctx is done.
//
// Per job it updates three counters of its own shard (received, the
// outcome, emitted) and nothing else; its state is derived from them.
func (p *Pipeline[T, R]) work(ctx context.Context, i int, jobs <-chan Job[T], results chan<- Result[R]) {
	defer p.running.Done()
	obs := p.observer
	if obs != nil {
		obs(Event{Kind: WorkerStarted, Worker: i})
	}
	p.loop(ctx, i, jobs, results)
}

// loop is the body of worker i, also run by the goroutine that replaces a
// worker whose handler called runtime.Goexit.
func (p *Pipeline[T, R]) loop(ctx context.Context, i int, jobs <-chan Job[T], results chan<- Result[R]) {
	var job Job[T]
	var ticket uint64  // the job's place in the order of taking (Options.Ordered)
	inHandler := false // true only while the handler runs
	defer func() {
		if inHandler {
			// call recovers the handler's panics, so a panic here is the
			// Clock's (Options.Clock: AfterFunc panicked or returned a nil
			// stop): a programmer error, which goes on to crash the
			// program rather than have the worker replaced. Otherwise
			// only runtime.Goexit leaves a handler without returning.
			if r := recover(); r != nil {
				panic(r)
			}
			p.replace(ctx, i, job, ticket, jobs, results)
			return
		}
		p.exit(ctx, i, results)
	}()
	w := &p.shards[i]
	obs := p.observer
	h := &p.halt
	for {
		var ok bool
		if p.turn != nil {
			job, ticket, ok = takeInTurn(p.turn, h, jobs, &w.dropped)
		} else {
			job, ok = take(h, jobs, &w.dropped)
		}
		if !ok {
			return
		}
		w.received.Add(1)
		if obs != nil {
			obs(Event{Kind: JobTaken, Worker: i, JobID: job.ID})
		}
		inHandler = true
		res, outcome := p.handle(ctx, job)
		inHandler = false
		p.finish(i, h, results, res, outcome, ticket)
	}
}

// finish records the outcome of worker i's job and emits its result (see
// deliver), unless the job was canceled or the pipeline stops first. With
// Options.Ordered it first waits for the job's turn (ticket), unless it is
// due, and passes the turn on after.
func (p *Pipeline[T, R]) finish(i int, h *halt, results chan<- Result[R], res Result[R], outcome Outcome, ticket uint64) {
	w := &p.shards[i]
	obs := p.observer
	w.count(outcome)
	if obs != nil {
		obs(Event{Kind: HandlerFinished, Worker: i, JobID: res.JobID, Outcome: outcome, Err: res.Err})
	}
	failed := outcome == Failed
	if p.turn == nil || outcome == Canceled { // a canceled job's ticket is never due: the pipeline is stopping
		p.account(i, res, outcome, outcome != Canceled && p.deliver(h, results, res, failed))
		return
	}
	if !p.turn.due(ticket) {
		emitted, passed := p.turn.await(i, ticket, failed, res, h, func() {
			if obs != nil {
				obs(Event{Kind: TurnAwaited, Worker: i, JobID: res.JobID, Outcome: outcome})
			}
		})
		if passed {
			// The worker before delivered the result (or abandoned it)
			// and passed the turn on; or the pipeline stopped while the
			// result waited.
			p.account(i, res, outcome, emitted)
			return
		}
	}
	p.account(i, res, outcome, p.deliver(h, results, res, failed))
	p.turn.pass(ticket)
}

// deliver emits res, the result of a job that failed or not, and reports
// whether it sent it. With Options.FailFast, the first failing result to
// get here (the first in time; with Ordered, the first in its turn, so the
// first failure the consumer sees) stops the pipeline before it is emitted,
// so that no job is taken after the consumer has seen it; that result is
// then emitted on a path that ignores the pipeline's own stop but not the
// caller's context.
func (p *Pipeline[T, R]) deliver(h *halt, results chan<- Result[R], res Result[R], failed bool) bool {
	if failed && p.failFast && !h.stopped() && p.failed.CompareAndSwap(false, true) {
		p.stop(res.Err)
		return emit(&p.callerHalt, results, res)
	}
	return emit(h, results, res)
}

// account records that worker i's result was emitted, or else abandoned.
func (p *Pipeline[T, R]) account(i int, res Result[R], outcome Outcome, emitted bool) {
	w := &p.shards[i]
	obs := p.observer
	if emitted {
		w.emitted.Add(1)
		if obs != nil {
			obs(Event{Kind: ResultEmitted, Worker: i, JobID: res.JobID, Outcome: outcome})
		}
		return
	}
	w.abandoned.Add(1)
	if obs != nil {
		obs(Event{Kind: ResultAbandoned, Worker: i, JobID: res.JobID, Outcome: outcome})
	}
}

// replace runs on worker i's goroutine as it exits because its handler
// called runtime.Goexit: the job fails with a *PanicError wrapping ErrGoexit,
// its result is emitted as usual, and a new goroutine takes worker i's place,
// so that the pool keeps exactly its size and the jobs still get taken.
func (p *Pipeline[T, R]) replace(ctx context.Context, i int, job Job[T], ticket uint64, jobs <-chan Job[T], results chan<- Result[R]) {
	res := Result[R]{JobID: job.ID, Err: &PanicError{Value: ErrGoexit, Stack: debug.Stack()}}
	p.finish(i, &p.halt, results, res, Failed, ticket)
	p.running.Add(1)
	go func() {
		defer p.running.Done()
		p.loop(ctx, i, jobs, results)
	}()
}

// take receives the next job. It reports false when jobs is closed and
// drained, or when h is stopped (the context is done).
//
// It is the barrier that cancellation promises: once cancel() has returned,
// no job is taken, and no send on jobs pairs with a worker.
//   - A worker that blocks waits on done in the same select as on jobs.
//     Closing done (which cancel does before it returns) claims every
//     worker parked there at once, atomically, so a producer's later send
//     can no longer pair with it, even before the worker has run again.
//   - A worker that does not block (a job or a parked sender is already
//     there, or the buffer holds one) checks ctx.Err() after the receive:
//     if the context is done by then, the job is not taken (it counts as
//     dropped, never as received), as if it had stayed in the buffer. A receive seen with ctx.Err() == nil
//     happened before cancel stored the context's error, that is before
//     cancel() returned.
func take[T any](h *halt, jobs <-chan Job[T], dropped *atomic.Uint64) (Job[T], bool) {
	if h.done == nil {
		job, ok := <-jobs
		return job, ok
	}
	if h.stopped() {
		return Job[T]{}, false
	}
	var job Job[T]
	var ok bool
	// Fast path: a job is waiting, so no need for a select over two
	// channels, which locks both.
	select {
	case job, ok = <-jobs:
	default:
		if h.callerDone == nil {
			select {
			case job, ok = <-jobs:
			case <-h.done:
				return Job[T]{}, false
			}
		} else { // FailFast: the caller's Done too, a third case only then
			select {
			case job, ok = <-jobs:
			case <-h.done:
				return Job[T]{}, false
			case <-h.callerDone:
				return Job[T]{}, false
			}
		}
	}
	if ok && h.stopped() {
		dropped.Add(1) // received as the context was cancelled: not taken
		return Job[T]{}, false
	}
	return job, ok
}

// emit sends res on results, unless h is stopped first; it reports whether
// it sent. Like take, it blocks on h's Done channels itself, so that closing
// one claims a worker waiting to emit at once.
func emit[R any](h *halt, results chan<- Result[R], res Result[R]) bool {
	if h.done == nil {
		results <- res
		return true
	}
	if h.stopped() {
		return false
	}
	// Fast path: the consumer is waiting or the buffer has room.
	select {
	case results <- res:
		return true
	default:
	}
	if h.callerDone == nil {
		select {
		case results <- res:
			return true
		case <-h.done:
			return false
		}
	}
	select { // FailFast: the caller's Done too, a third case only then
	case results <- res:
		return true
	case <-h.done:
		return false
	case <-h.callerDone:
		return false
	}
}

// exit records that worker i has exited; the last worker to exit closes the
// results channel.
func (p *Pipeline[T, R]) exit(ctx context.Context, i int, results chan<- Result[R]) {
	p.shards[i].exited.Store(true)
	obs := p.observer
	if obs != nil {
		obs(Event{Kind: WorkerExited, Worker: i})
	}
	if p.live.Add(-1) == 0 {
		if ctx.Err() != nil {
			err := context.Cause(ctx)
			p.err.Store(&err)
		} else if c := p.halt.caller; c != nil && c.Err() != nil {
			// A caller's own Context type: its cancel has not reached the
			// pipeline's child context yet.
			err := context.Cause(c)
			p.err.Store(&err)
		}
		if p.stop != nil {
			p.stop(context.Canceled) // release the pipeline's own context
		}
		close(results)
		if obs != nil {
			obs(Event{Kind: ResultsClosed, Worker: -1})
		}
	}
}

// handle runs the handler for one job and decides its outcome (see the
// package doc): a panic fails; a done context cancels; an overrun Timeout
// fails; an error fails; anything else succeeds.
func (p *Pipeline[T, R]) handle(ctx context.Context, job Job[T]) (Result[R], Outcome) {
	res := Result[R]{JobID: job.ID}
	if err := ctx.Err(); err != nil {
		res.Err = err
		return res, Canceled
	}
	var panicked, overran bool
	if job.Timeout > 0 {
		res.Value, res.Err, panicked, overran = p.callTimed(ctx, job)
	} else {
		res.Value, res.Err, panicked = p.call(ctx, job.Payload)
	}
	canceled := ctx.Err()
	switch {
	case panicked: // a panic is a bug: it fails the job even during cancellation
		return res, Failed
	case canceled != nil:
		if res.Err == nil {
			res.Err = canceled
		}
		return res, Canceled
	case overran:
		var zero R
		res.Value, res.Err = zero, &TimeoutError{JobID: job.ID, Timeout: job.Timeout}
		return res, Failed
	case res.Err != nil:
		var zero R
		res.Value = zero
		return res, Failed
	}
	return res, Succeeded
}

// callTimed is call under the job's Timeout, on p.clock or else on real
// time. It reports whether the handler overran. The timer and the child
// context are released as the handler returns, panics or calls
// runtime.Goexit (hence the defer), not at the deadline.
func (p *Pipeline[T, R]) callTimed(ctx context.Context, job Job[T]) (v R, err error, panicked, overran bool) {
	var hctx context.Context
	var release func()
	if p.clock != nil {
		hctx, release = withClockTimeout(ctx, p.clock, job.Timeout)
	} else {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, job.Timeout)
		release = cancel
	}
	defer release()
	v, err, panicked = p.call(hctx, job.Payload)
	return v, err, panicked, hctx.Err() == context.DeadlineExceeded
}

// call runs the handler, turning a panic into a *PanicError.
//
// A panic is detected by the handler not returning, not by recover() !=
// nil: with GODEBUG=panicnil=1 (an environment variable, a //go:debug line
// or the main module's go.mod), panic(nil) recovers as nil, and it must
// still fail the job. The deferred function also runs when the handler
// calls runtime.Goexit; recover() then returns nil and stops nothing, the
// goroutine goes on exiting, and loop's deferred function reports the job.
func (p *Pipeline[T, R]) call(ctx context.Context, payload T) (v R, err error, panicked bool) {
	returned := false
	defer func() {
		if !returned {
			r := recover()
			var zero R
			v, err, panicked = zero, &PanicError{Value: r, Stack: debug.Stack()}, true
		}
	}()
	v, err = p.handler(ctx, payload)
	returned = true
	return v, err, false
}
