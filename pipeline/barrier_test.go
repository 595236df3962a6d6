package pipeline_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// Defect 1: once cancel() has returned, no send on the jobs channel pairs
// with a worker, even with every worker idle and waiting: the README's
// producer (select on the send and on ctx.Done()) always sees Done, and with
// a buffer, what it puts there is never taken. Many rounds, because a
// producer whose send races Done at random would pass one round by luck.
func TestSynctestCancelBarrier(t *testing.T) {
	const workers, rounds = 8, 50
	for _, buffer := range []int{0, 4} {
		for round := range rounds {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				p := pipeline.New(workers, square, pipeline.Options{JobBuffer: buffer})
				jobs, results := p.Start(ctx)
				synctest.Wait() // every worker idle, parked
				cancel()
				sent := 0
				for i := range buffer + 1 {
					select {
					case jobs <- pipeline.Job[int]{ID: jobID(i)}:
						sent++
					case <-ctx.Done():
					}
				}
				if buffer == 0 && sent != 0 {
					t.Errorf("buffer 0, round %d: a send paired with a worker after cancel returned", round)
				}
				collect(results)
				if s := p.Stats(); s.Received != 0 {
					t.Errorf("buffer %d, round %d: got Received %d; want 0, no job taken after cancel returned", buffer, round, s.Received)
				}
			})
			if t.Failed() {
				return
			}
		}
	}
}

// The same barrier on real goroutines, where workers may be anywhere (not
// yet started, between jobs, parked) when cancel is called: after cancel()
// returns, a producer's send never pairs with a worker and no job it puts
// in the buffer is taken. Run with -race -count=N.
func TestCancelBarrierStress(t *testing.T) {
	iterations := 2000
	if testing.Short() {
		iterations = 200
	}
	for it := range iterations {
		workers, buffer := 1+it%8, it%3
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(workers, square, pipeline.Options{JobBuffer: buffer, ResultBuffer: 1})
		jobs, results := p.Start(ctx)
		before := it % 4 // jobs handed over, and their results read, before the cancel
		for i := range before {
			jobs <- pipeline.Job[int]{ID: jobID(i)}
			<-results
		}
		cancel()
		sent := 0
		for i := range buffer + 1 {
			select {
			case jobs <- pipeline.Job[int]{ID: jobID(before + i)}:
				sent++
				if buffer == 0 {
					t.Fatalf("iteration %d: a send paired with a worker after cancel returned", it)
				}
			case <-ctx.Done():
			}
		}
		collect(results)
		s := p.Stats()
		if s.Received != uint64(before) {
			t.Fatalf("iteration %d (workers %d, buffer %d): got Received %d; want %d, the jobs taken before cancel", it, workers, buffer, s.Received, before)
		}
		if got := s.Received + s.Dropped + uint64(s.Queued); got != uint64(before+sent) {
			t.Fatalf("iteration %d: got Received %d + Dropped %d + Queued %d = %d; want the %d jobs sent", it, s.Received, s.Dropped, s.Queued, got, before+sent)
		}
	}
}

// Defect 2, the documented bound: after cancel() returns, the consumer can
// still receive at most one result per worker (each may be handing one over
// as cancel happens) plus what the results buffer holds. Real goroutines,
// a fast handler and a busy consumer, so that results are in flight when
// cancel comes. Run with -race -count=N.
func TestResultsAfterCancelBound(t *testing.T) {
	iterations := 300
	if testing.Short() {
		iterations = 50
	}
	worst := 0
	for it := range iterations {
		workers, resultBuffer := 1+it%4, it%3
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(workers, square, pipeline.Options{JobBuffer: 256, ResultBuffer: resultBuffer})
		jobs, results := p.Start(ctx)
		for i := range cap(jobs) {
			jobs <- pipeline.Job[int]{ID: jobID(i), Payload: i}
		}
		close(jobs) // 256 jobs queued: only cancel keeps them from being handled
		var cancelled atomic.Bool
		var late, read int
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				after := cancelled.Load() // loaded before the receive: a result read now was surely handed over after cancel returned
				if _, ok := <-results; !ok {
					return
				}
				read++
				if after {
					late++
				}
			}
		})
		for p.Stats().Emitted < uint64(it%16) {
			runtime.Gosched() // let some results flow first; the consumer is reading
		}
		cancel()
		cancelled.Store(true)
		wg.Wait()
		if bound := workers + resultBuffer; late > bound {
			t.Fatalf("iteration %d: got %d results after cancel returned; want at most %d (one per worker, %d, plus the buffer, %d)",
				it, late, bound, workers, resultBuffer)
		}
		worst = max(worst, late)
		checkFinal(t, p.Stats(), read)
	}
	t.Logf("most results read after cancel returned in one run: %d", worst)
}
