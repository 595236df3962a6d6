package pipeline_test

// Adversarial review after issue 8: the cancellation barrier, the results
// bound, the Stats invariants, Ordered and Map, on real goroutines, under
// GC pressure. Run with -race -count=N, and GOMAXPROCS=1 and 2, GOGC=1.

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// gcPressure runs runtime.GC in a loop until the returned stop is called.
func gcPressure() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for !isClosed(done) {
			runtime.GC()
		}
	})
	return func() { close(done); wg.Wait() }
}

// checkInvariants fails the test if a snapshot taken mid-run breaks the
// documented order Emitted <= Succeeded+Failed+Canceled <= Received, or
// counts workers wrongly.
func checkInvariants(t *testing.T, s pipeline.Stats) {
	t.Helper()
	done := s.Succeeded + s.Failed + s.Canceled
	if s.Emitted > done || done > s.Received {
		t.Errorf("got Emitted %d, outcomes %d, Received %d; want Emitted <= outcomes <= Received (%+v)", s.Emitted, done, s.Received, s)
	}
	if s.Idle+s.Busy+s.Blocked+s.Exited != s.Workers {
		t.Errorf("got Idle+Busy+Blocked+Exited = %d; want Workers = %d", s.Idle+s.Busy+s.Blocked+s.Exited, s.Workers)
	}
}

// pollInvariants checks p's Stats with checkInvariants, from a goroutine
// of its own, until the returned stop is called.
func pollInvariants(t *testing.T, p *pipeline.Pipeline[int, int]) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for !isClosed(done) {
			checkInvariants(t, p.Stats())
			runtime.Gosched()
		}
	})
	return func() { close(done); wg.Wait() }
}

// The README's producer (select on the send and on ctx.Done()), with the
// results read, cancel from a third goroutine at a random moment, Stats
// polled all along, and the garbage collector running in a loop. After
// cancel() returns, no send pairs with a worker: a send seen completing
// after it only fills the buffer. At most one result per worker plus
// the results buffer is received after cancel returned.
// Every job the producer sent is Received, Dropped or Queued; the results
// channel closes once (collect returns); the accounting is exact after.
func TestReviewBarrierUnderLoad(t *testing.T) {
	defer gcPressure()()
	iterations := 1000
	if runtime.GOOS == "js" || runtime.GOMAXPROCS(0) == 1 || testing.Short() {
		iterations = 100 // one thread shared with the GC loop: 1000 take a minute
	}
	for it := range iterations {
		workers, jobBuffer, resultBuffer := 1+it%5, it%3, (it/3)%2
		ff := it%4 == 0
		ctx, cancel := context.WithCancel(context.Background())
		h := func(_ context.Context, n int) (int, error) {
			if n%17 == 16 && !ff {
				return 0, errBoom
			}
			return n, nil
		}
		p := pipeline.New(workers, h, pipeline.Options{JobBuffer: jobBuffer, ResultBuffer: resultBuffer, FailFast: ff, Ordered: it%3 == 0})
		jobs, results := p.Start(ctx)
		var sent atomic.Int64
		var cancelled atomic.Bool
		var afterCancel atomic.Int64 // sends that completed after cancel returned
		var wg sync.WaitGroup
		wg.Go(func() {
			defer close(jobs)
			for i := 0; ; i++ {
				was := cancelled.Load()
				select {
				case jobs <- pipeline.Job[int]{ID: jobID(i), Payload: i}:
					sent.Add(1)
					if was {
						afterCancel.Add(1)
					}
				case <-ctx.Done():
					return
				}
			}
		})
		stopPoll := pollInvariants(t, p)
		read := 0
		var receivedAtCancel uint64
		wg.Go(func() {
			for range rand.IntN(200) {
				runtime.Gosched()
			}
			cancel()
			receivedAtCancel = p.Stats().Received
			cancelled.Store(true)
		})
		late := 0 // results received after cancel returned
		for {
			after := cancelled.Load() // before the receive
			if _, ok := <-results; !ok {
				break
			}
			read++
			if after {
				late++
			}
		}
		stopPoll()
		wg.Wait()
		s := p.Stats()
		// Received may still grow by at most one per worker after cancel
		// returned: a worker that received a job before cancel (and saw the
		// context not done) counts it a moment later.
		if s.Received > receivedAtCancel+uint64(workers) {
			t.Fatalf("iteration %d: got Received %d at the end; want at most %d, as just after cancel returned plus one per worker", it, s.Received, receivedAtCancel)
		}
		if bound := workers + resultBuffer; late > bound {
			t.Fatalf("iteration %d: got %d results after cancel returned; want at most %d (one per worker plus the buffer)", it, late, bound)
		}
		if n := afterCancel.Load(); n > int64(jobBuffer) {
			t.Fatalf("iteration %d: %d sends completed after cancel returned; want at most the buffer, %d", it, n, jobBuffer)
		}
		if got := s.Received + s.Dropped + uint64(s.Queued); got != uint64(sent.Load()) {
			t.Fatalf("iteration %d: got Received %d + Dropped %d + Queued %d = %d; want the %d jobs sent", it, s.Received, s.Dropped, s.Queued, got, sent.Load())
		}
		checkFinal(t, s, read)
		if t.Failed() {
			t.FailNow()
		}
	}
}

// Ordered under random work times, with panics and Goexit among the jobs:
// results come in the order of the jobs, each once, and the pipeline
// leaves nothing running. Real goroutines, GC pressure.
func TestReviewOrderedRandomWork(t *testing.T) {
	defer gcPressure()()
	base := restingGoroutines()
	for it := range 200 {
		workers := 1 + it%6
		h := func(_ context.Context, n int) (int, error) {
			for range rand.IntN(50) {
				runtime.Gosched()
			}
			switch n % 23 {
			case 7:
				panic("seven")
			case 11:
				runtime.Goexit()
			case 13:
				return 0, errBoom
			}
			return n, nil
		}
		p := pipeline.New(workers, h, pipeline.Options{Ordered: true, ResultBuffer: it % 3})
		jobs, results := p.Start(context.Background())
		js := makeJobs(300)
		sent := produce(context.Background(), jobs, js)
		stopPoll := pollInvariants(t, p)
		rs := collect(results)
		stopPoll()
		<-sent
		if len(rs) != len(js) {
			t.Fatalf("iteration %d: got %d results; want %d", it, len(rs), len(js))
		}
		for i, r := range rs {
			if r.JobID != jobID(i) {
				t.Fatalf("iteration %d: result %d is for %s; want %s (in the order sent)", it, i, r.JobID, jobID(i))
			}
			wantErr := map[int]error{7: pipeline.ErrPanic, 11: pipeline.ErrGoexit, 13: errBoom}[i%23]
			if (wantErr == nil) != (r.Err == nil) || wantErr != nil && !errors.Is(r.Err, wantErr) {
				t.Fatalf("iteration %d: %s got error %v; want %v", it, r.JobID, r.Err, wantErr)
			}
		}
		checkFinal(t, p.Stats(), len(rs))
	}
	checkGoroutines(t, "after 200 ordered runs", base)
}

// Ordered, cancelled at a random moment while workers wait for their
// turn: no result is emitted out of order, the results close, nothing is
// left running.
func TestReviewOrderedCancelRandom(t *testing.T) {
	base := restingGoroutines()
	for it := range 500 {
		ctx, cancel := context.WithCancel(context.Background())
		h := func(ctx context.Context, n int) (int, error) {
			if n%5 == 0 {
				for range rand.IntN(100) {
					runtime.Gosched()
				}
			}
			return n, nil
		}
		p := pipeline.New(1+it%4, h, pipeline.Options{Ordered: true, FailFast: it%2 == 0})
		jobs, results := p.Start(ctx)
		produce(ctx, jobs, makeJobs(1000))
		go func() {
			for range rand.IntN(300) {
				runtime.Gosched()
			}
			cancel()
		}()
		next := 0
		for r := range results {
			if r.JobID != jobID(next) {
				t.Fatalf("iteration %d: got %s; want %s", it, r.JobID, jobID(next))
			}
			next++
		}
		checkFinal(t, p.Stats(), next)
		cancel()
	}
	checkGoroutines(t, "after 500 cancelled ordered runs", base)
}

// Map: breaking out at the first, a middle and the last element, with and
// without Ordered and FailFast, leaves no goroutine behind, on real
// goroutines; so does a context cancelled before, or while, iterating.
func TestReviewMapBreakEverywhere(t *testing.T) {
	base := restingGoroutines()
	const n = 20
	for it := range 300 {
		opts := pipeline.Options{Ordered: it%2 == 0, FailFast: it%3 == 0}
		at := []int{0, n / 2, n - 1}[it%3]
		var ended atomic.Bool
		var pulled atomic.Int64
		got := 0
		for _, err := range pipeline.Map(context.Background(), 1+it%4, countTo(n, &pulled, &ended), square, opts) {
			if err != nil {
				t.Fatalf("iteration %d: got error %v", it, err)
			}
			if got == at {
				break
			}
			got++
		}
		if got != at {
			t.Fatalf("iteration %d: got %d values before the break; want %d", it, got, at)
		}
		if !ended.Load() {
			t.Fatalf("iteration %d: the input loop still runs after the break", it)
		}
	}
	checkGoroutines(t, "after breaking out of Map 300 times", base)
}

// Map under a context cancelled before the loop starts, or by the loop
// body: the loop ends with context.Canceled as the last error, and
// nothing is left running. Values the producer pulled from the input
// after the cancel are bounded by the jobs buffer and one in hand.
func TestReviewMapCancelled(t *testing.T) {
	base := restingGoroutines()
	for it := range 300 {
		ctx, cancel := context.WithCancel(context.Background())
		before := it%2 == 0
		if before {
			cancel()
		}
		workers := 1 + it%4
		var pulled atomic.Int64
		var ended atomic.Bool
		var last error
		values := 0
		for _, err := range pipeline.Map(ctx, workers, countTo(1_000_000, &pulled, &ended), square, pipeline.Options{Ordered: it%3 == 0}) {
			last = err
			if err == nil {
				values++
			}
			if values == 5 {
				cancel()
			}
		}
		if !errors.Is(last, context.Canceled) {
			t.Fatalf("iteration %d: got last error %v; want context.Canceled", it, last)
		}
		if before && pulled.Load() > int64(workers+1) {
			t.Errorf("iteration %d: input pulled %d values under a context cancelled before the loop; want at most %d", it, pulled.Load(), workers+1)
		}
		cancel()
	}
	checkGoroutines(t, "after 300 cancelled Map loops", base)
}

// Two chained Map calls, broken out of early, and a panic in the loop body:
// the panic reaches the caller, and both stages stop.
func TestReviewMapChainBreakAndBodyPanic(t *testing.T) {
	base := restingGoroutines()
	for it := range 200 {
		var ended atomic.Bool
		var pulled atomic.Int64
		stage1 := pipeline.Map(context.Background(), 3, countTo(1000, &pulled, &ended), square, pipeline.Options{Ordered: it%2 == 0})
		values := func(yield func(int) bool) {
			for v, err := range stage1 {
				if err != nil || !yield(v) {
					return
				}
			}
		}
		stage2 := pipeline.Map(context.Background(), 2, iter.Seq[int](values), square, pipeline.Options{})
		func() {
			defer func() {
				if r := recover(); it%2 == 1 && r != "body" {
					t.Errorf("iteration %d: got recover() = %v; want the body's panic", it, r)
				}
			}()
			got := 0
			for range stage2 {
				if got++; got == 10 {
					if it%2 == 1 {
						panic("body")
					}
					break
				}
			}
		}()
		if !ended.Load() {
			t.Fatalf("iteration %d: the first stage's input still runs", it)
		}
	}
	checkGoroutines(t, "after 200 broken Map chains", base)
}

// The Clock misbehaving within its contract's letter: an AfterFunc that
// fires at once (synchronously, before it returns), twice, never, or
// whose stop lies (reports true and fires anyway). The job fails with a
// timeout when the clock fired, succeeds when it never did, and nothing
// crashes or hangs.
func TestReviewClockMisbehaves(t *testing.T) {
	tests := []struct {
		name    string
		clock   pipeline.Clock
		timeout bool
	}{
		{"fires at once", clockFunc(func(_ time.Duration, f func()) func() bool { f(); return func() bool { return false } }), true},
		{"fires twice", clockFunc(func(_ time.Duration, f func()) func() bool { f(); go f(); return func() bool { return false } }), true},
		{"never fires", clockFunc(func(time.Duration, func()) func() bool { return func() bool { return true } }), false},
		{"stop lies", clockFunc(func(_ time.Duration, f func()) func() bool {
			return func() bool { go f(); return true }
		}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := func(ctx context.Context, n int) (int, error) {
				if tt.timeout {
					<-ctx.Done()
				}
				return n, nil
			}
			p := pipeline.New(2, h, pipeline.Options{Clock: tt.clock})
			rs, js := runTimed(p, 50, time.Hour)
			checkOneResultEach(t, rs, js)
			for _, r := range rs {
				if got := errors.Is(r.Err, context.DeadlineExceeded); got != tt.timeout {
					t.Fatalf("%s: got error %v; want a timeout: %v", r.JobID, r.Err, tt.timeout)
				}
			}
			checkFinal(t, p.Stats(), len(rs))
		})
	}
}

// runTimed runs n jobs, each with the given Timeout, through p, and
// returns their results and the jobs.
func runTimed(p *pipeline.Pipeline[int, int], n int, timeout time.Duration) ([]pipeline.Result[int], []pipeline.Job[int]) {
	jobs, results := p.Start(context.Background())
	js := makeJobs(n)
	for i := range js {
		js[i].Timeout = timeout
	}
	produce(context.Background(), jobs, js)
	return collect(results), js
}

// clockFunc is a Clock made of a function.
type clockFunc func(time.Duration, func()) func() bool

func (c clockFunc) AfterFunc(d time.Duration, f func()) func() bool { return c(d, f) }

// Defect 4 on real time and real goroutines: a handler that calls
// runtime.Goexit under a Job.Timeout of an hour has its child context
// released (done, and not by its deadline) by the time its result is read.
func TestReviewGoexitReleasesTimeout(t *testing.T) {
	ctxs := make(chan context.Context, 10)
	h := func(ctx context.Context, n int) (int, error) {
		ctxs <- ctx
		runtime.Goexit()
		return n, nil
	}
	p := pipeline.New(3, h, pipeline.Options{})
	rs, js := runTimed(p, 10, time.Hour)
	checkOneResultEach(t, rs, js)
	close(ctxs)
	for ctx := range ctxs {
		if err := ctx.Err(); !errors.Is(err, context.Canceled) {
			t.Errorf("got handler ctx.Err() = %v after its result was read; want context.Canceled (released, not left to its deadline)", err)
		}
	}
	checkFinal(t, p.Stats(), len(rs))
}
