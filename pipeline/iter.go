package pipeline

import (
	"context"
	"iter"
	"sync"
)

// Map runs h on every value of in through a pipeline of workers goroutines
// configured by opts, and yields each result's Value and Err. It is a
// pipeline whose producer and consumer are hidden, as errgroup, conc and
// pond hide theirs.
//
//   - Results come as handlers finish; with opts.Ordered, in input order.
//   - With opts.FailFast it stops after the first error: the failing
//     value's error is yielded, then the loop ends. With Ordered nothing
//     after it is yielded; without, results that workers were handing over
//     as the failure stopped the pipeline may still come (at most one per
//     worker plus the results buffer, as after a cancel).
//   - If ctx is done first, the loop ends with one last yield of the zero
//     R and context.Cause(ctx), so that the caller learns it stopped early.
//   - Breaking out of the loop cancels the pipeline and returns only after
//     every goroutine Map started has exited (the producer, which ranges
//     over in, and the workers).
//
// Map owns both channels, so it picks their buffers: unless opts sets them,
// JobBuffer and ResultBuffer are workers each. That keeps memory bounded by
// the pool (at most workers values waiting to be taken, workers results
// waiting to be yielded) while letting the producer and the workers hand
// over several values per wake-up instead of one, which makes each handoff
// cheaper; and it keeps backpressure end to end: when the loop body is
// slow, the workers block, then the producer, then in is not advanced.
// So chaining two Map calls (the second ranging over the first) is a
// two-stage pipeline with bounded memory.
//
// in is ranged over on a goroutine of Map's, and must stop when its yield
// returns false. If in panics, Map recovers the panic on that goroutine,
// stops the pipeline, waits for every goroutine it started to exit, and
// panics again with the same value in the caller's goroutine, from the
// range loop (nothing more is yielded). Map panics at once, as New
// does, on a nil ctx, a bad workers or opts, or a nil h or in.
func Map[T, R any](ctx context.Context, workers int, in iter.Seq[T], h Handler[T, R], opts Options) iter.Seq2[R, error] {
	if ctx == nil {
		panic("pipeline: Map called with a nil Context")
	}
	if err := Validate(workers, opts); err != nil {
		panic(err.Error())
	}
	if h == nil {
		panic("pipeline: Map called with a nil Handler")
	}
	if opts.JobBuffer == 0 {
		opts.JobBuffer = workers
	}
	if opts.ResultBuffer == 0 {
		opts.ResultBuffer = workers
	}
	if in == nil {
		panic("pipeline: Map called with a nil iter.Seq")
	}
	return func(yield func(R, error) bool) {
		p := New(workers, h, opts)
		ctx, cancel := context.WithCancel(ctx)
		jobs, results := p.Start(ctx)
		var wg sync.WaitGroup
		// inPanicked and inPanic record a panic in in: written by the
		// producer before it exits, read after wg.Wait.
		var inPanicked bool
		var inPanic any
		defer func() {
			cancel()
			for range results { // abandoned by the workers; drained in case some were emitted
			}
			p.running.Wait()
			wg.Wait()
			if inPanicked {
				panic(inPanic) // in the caller's goroutine, once nothing of Map's runs
			}
		}()
		stopped := p.Done()
		wg.Go(func() {
			defer close(jobs)
			returned := false
			defer func() {
				// Not recover() != nil: with GODEBUG=panicnil=1,
				// panic(nil) recovers as nil (see call).
				if !returned {
					inPanic = recover()
					inPanicked = true
					cancel()
				}
			}()
			for v := range in {
				if !send(jobs, stopped, Job[T]{Payload: v}) {
					break // in may still panic as it returns: returned is set after the loop
				}
			}
			returned = true
		})
		yieldedErr := false
		for r := range results {
			yieldedErr = yieldedErr || r.Err != nil
			if !yield(r.Value, r.Err) {
				return
			}
		}
		wg.Wait() // the producer has exited: jobs was closed or the pipeline stopped
		if inPanicked {
			return // the deferred function re-panics
		}
		if p.failed.Load() && yieldedErr {
			return // the failing value's error was yielded
		}
		if err := p.Err(); err != nil {
			var zero R
			yield(zero, err)
		}
	}
}

// send is Map's producer's send: it sends j on jobs unless stopped is
// closed first, and reports whether it sent. The two fast paths (stopped
// not closed, which reads no lock; then room in the buffer) spare the
// select over two channels, which locks both, on most values.
func send[T any](jobs chan<- Job[T], stopped <-chan struct{}, j Job[T]) bool {
	select {
	case <-stopped:
		return false
	default:
	}
	select {
	case jobs <- j:
		return true
	default:
	}
	select {
	case jobs <- j:
		return true
	case <-stopped:
		return false
	}
}
