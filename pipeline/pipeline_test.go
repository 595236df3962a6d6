package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// squareSlowly squares n after n%3 milliseconds of (fake) work, so that
// workers finish out of order.
func squareSlowly(_ context.Context, n int) (int, error) {
	time.Sleep(time.Duration(n%3) * time.Millisecond)
	return n * n, nil
}

// Closing the jobs channel drains: every job sent is handled and emitted
// once, then the results channel closes.
func TestSynctestCloseDrains(t *testing.T) {
	tests := []struct {
		name                    string
		workers, jobBuf, resBuf int
		jobs                    int
		cancelable              bool // a context that can be done, else one that never is
	}{
		{"no jobs", 3, 0, 0, 0, true},
		{"one worker one job", 1, 0, 0, 1, true},
		{"one worker unbuffered", 1, 0, 0, 20, false},
		{"unbuffered", 4, 0, 0, 50, true},
		{"job buffer", 3, 5, 0, 50, false},
		{"result buffer", 3, 0, 7, 50, true},
		{"both buffers", 8, 64, 64, 50, true},
		{"more workers than jobs", 16, 0, 0, 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := context.Background()
				if tt.cancelable {
					var cancel context.CancelFunc
					ctx, cancel = context.WithCancel(ctx)
					defer cancel()
				}
				p := pipeline.New(tt.workers, squareSlowly, pipeline.Options{JobBuffer: tt.jobBuf, ResultBuffer: tt.resBuf})
				js := makeJobs(tt.jobs)
				jobs, results := p.Start(ctx)
				sent := produce(ctx, jobs, js)
				rs := collect(results)

				if got := <-sent; got != tt.jobs {
					t.Errorf("producer sent %d jobs; want %d", got, tt.jobs)
				}
				checkOneResultEach(t, rs, js)
				for _, r := range rs {
					var i int
					for i = range js {
						if js[i].ID == r.JobID {
							break
						}
					}
					if r.Err != nil || r.Value != i*i {
						t.Errorf("got %s; want Value %d, Err nil", describe(r), i*i)
					}
				}
				synctest.Wait()
				s := p.Stats()
				checkFinal(t, s, len(rs))
				n := uint64(tt.jobs)
				if s.Received != n || s.Succeeded != n || s.Failed != 0 || s.Canceled != 0 {
					t.Errorf("got %+v; want Received = Succeeded = %d, Failed = Canceled = 0", s, n)
				}
			})
		})
	}
}

// Run uses the caller's jobs channel, whatever Options.JobBuffer says.
func TestSynctestRunUsesCallersChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		gate := make(chan struct{})
		p := pipeline.New(1, gatedSquare(gate), pipeline.Options{JobBuffer: 10})
		jobs := make(chan pipeline.Job[int]) // unbuffered, unlike JobBuffer
		results := p.Run(context.Background(), jobs)
		jobs <- pipeline.Job[int]{ID: "a", Payload: 2}
		sent := sendAsync(context.Background(), jobs, pipeline.Job[int]{ID: "b", Payload: 3})
		synctest.Wait()
		if isClosed(sent) {
			t.Errorf("got a second send completed with the one worker busy; want it blocked (Run must not buffer)")
		}
		close(gate)
		got := <-results
		<-sent
		close(jobs)
		rs := append([]pipeline.Result[int]{got}, collect(results)...)
		if len(rs) != 2 || rs[0].JobID != "a" || rs[0].Value != 4 || rs[1].JobID != "b" || rs[1].Value != 9 {
			t.Errorf("got %v; want a=4 then b=9", rs)
		}
	})
}

// A failed job's Result carries the handler's error and, as Result.Value
// documents, the zero value.
func TestSynctestErrorResult(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pipeline.New(1, func(_ context.Context, n int) (int, error) {
			return n, errBoom // a value alongside the error
		}, pipeline.Options{})
		jobs, results := p.Start(context.Background())
		produce(context.Background(), jobs, []pipeline.Job[int]{{ID: "seven", Payload: 7}})
		rs := collect(results)
		if len(rs) != 1 {
			t.Fatalf("got %d results; want 1", len(rs))
		}
		if !errors.Is(rs[0].Err, errBoom) {
			t.Errorf("got Err %v; want %v", rs[0].Err, errBoom)
		}
		if rs[0].Value != 0 {
			t.Errorf("got Value %d with a non-nil Err; want 0 (Result.Value: \"the zero value when Err is not nil\")", rs[0].Value)
		}
		if s := p.Stats(); s.Failed != 1 || s.Succeeded != 0 {
			t.Errorf("got Failed %d, Succeeded %d; want 1, 0", s.Failed, s.Succeeded)
		}
	})
}

// The pool is exactly workers goroutines: none per job, no closer goroutine,
// none left once the results channel has closed.
func TestSynctestGoroutines(t *testing.T) {
	const workers, n = 4, 100
	starts := []struct {
		name  string
		start func(p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int])
	}{
		{"Start", func(p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int]) {
			return p.Start(context.Background())
		}},
		{"Run", func(p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int]) {
			jobs := make(chan pipeline.Job[int], n)
			return jobs, p.Run(context.Background(), jobs)
		}},
	}
	for _, st := range starts {
		t.Run(st.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				gate := make(chan struct{})
				// JobBuffer only matters for Start: the test goroutine fills
				// the jobs channel without a producer goroutine.
				p := pipeline.New(workers, gatedSquare(gate), pipeline.Options{JobBuffer: n})
				base := restingGoroutines()
				jobs, results := st.start(p)
				checkGoroutines(t, "after start (baseline + workers)", base+workers)
				for _, j := range makeJobs(n) {
					jobs <- j
				}
				synctest.Wait()
				checkGoroutines(t, "with every job in flight (baseline + workers)", base+workers)
				if s := p.Stats(); s.Busy != workers || s.Queued != n-workers {
					t.Errorf("got Busy %d, Queued %d; want %d, %d", s.Busy, s.Queued, workers, n-workers)
				}
				close(gate)
				close(jobs)
				if got := len(collect(results)); got != n {
					t.Errorf("got %d results; want %d", got, n)
				}
				synctest.Wait()
				checkGoroutines(t, "after results closed (baseline)", base)
			})
		})
	}
}

// restingGoroutines returns the goroutine count at rest. The count taken at
// once can be one too high: the goroutine of the test that ran before may
// still be runnable, finishing, and a Gosched loop does not always let it
// run (the yielding goroutine goes to the global run queue, so no idle P
// steals the other one); a garbage collection's stop-the-world does. Then
// it takes the least count seen over a thousand yields, since the runtime's
// finalizer and cleanup goroutines count while they run.
func restingGoroutines() int {
	runtime.GC()
	least := runtime.NumGoroutine()
	for range 1000 {
		runtime.Gosched()
		least = min(least, runtime.NumGoroutine())
	}
	return least
}

// checkGoroutines fails the test unless the goroutine count is want. As the
// count can be off for a moment (see restingGoroutines; a goroutine that has
// just returned can still be counted after synctest.Wait), it yields, up to
// a million times, for the count to reach want before it fails.
func checkGoroutines(t *testing.T, when string, want int) {
	t.Helper()
	got := runtime.NumGoroutine()
	for i := 0; got != want && i < 1_000_000; i++ {
		runtime.Gosched()
		got = runtime.NumGoroutine()
	}
	if got != want {
		t.Errorf("%s: got %d goroutines; want %d", when, got, want)
	}
}

// With every worker busy, the jobs channel takes exactly JobBuffer more jobs
// and the next send blocks until a worker is free.
func TestSynctestJobBufferBackpressure(t *testing.T) {
	const workers = 2
	for _, k := range []int{0, 1, 3} {
		t.Run(fmt.Sprint("JobBuffer=", k), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				gate := make(chan struct{})
				p := pipeline.New(workers, gatedSquare(gate), pipeline.Options{JobBuffer: k})
				jobs, results := p.Start(ctx)
				js := makeJobs(workers + k + 1)
				for _, j := range js[:workers] {
					jobs <- j
				}
				synctest.Wait() // every worker has taken a job
				for _, j := range js[workers : workers+k] {
					if !trySend(jobs, j) {
						t.Fatalf("send of %s blocked with %d of %d buffer slots used; want it to succeed", j.ID, j.Payload-workers, k)
					}
				}
				sent := sendAsync(ctx, jobs, js[workers+k])
				synctest.Wait()
				if isClosed(sent) {
					t.Errorf("send beyond %d busy workers and %d buffer slots completed; want it blocked", workers, k)
				}
				checkStats(t, "all busy, buffer full", p.Stats(),
					pipeline.Stats{Received: workers, Workers: workers, Busy: workers, Queued: k})

				close(gate)
				out := collectAsync(results)
				synctest.Wait()
				if !isClosed(sent) {
					t.Fatalf("blocked send did not complete once the workers were free")
				}
				close(jobs)
				rs := <-out
				checkOneResultEach(t, rs, js)
			})
		})
	}
}

// A worker holding a result that nobody reads is blocked; the results
// channel holds ResultBuffer results first.
func TestSynctestResultBufferBackpressure(t *testing.T) {
	const workers = 2
	for _, k := range []int{0, 1, 3} {
		t.Run(fmt.Sprint("ResultBuffer=", k), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := pipeline.New(workers, square, pipeline.Options{ResultBuffer: k})
				jobs, results := p.Start(context.Background())
				js := makeJobs(workers + k)
				for _, j := range js {
					jobs <- j
				}
				synctest.Wait()
				n := uint64(len(js))
				checkStats(t, "nobody reading", p.Stats(), pipeline.Stats{
					Received: n, Succeeded: n, Emitted: uint64(k),
					Workers: workers, Blocked: workers, Pending: k,
				})
				sent := sendAsync(context.Background(), jobs, pipeline.Job[int]{ID: "extra"})
				synctest.Wait()
				if isClosed(sent) {
					t.Errorf("send completed with every worker blocked; want it blocked")
				}
				out := collectAsync(results)
				<-sent
				close(jobs)
				if got := len(<-out); got != len(js)+1 {
					t.Errorf("got %d results; want %d", got, len(js)+1)
				}
			})
		})
	}
}
