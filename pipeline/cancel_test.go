package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Cancelling with every worker idle, or before Start, closes the results
// channel without any job, even though the producer never closed jobs.
func TestSynctestCancelIdle(t *testing.T) {
	for _, before := range []bool{true, false} {
		name := "while idle"
		if before {
			name = "before start"
		}
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const workers = 3
				ctx, cancel := context.WithCancel(context.Background())
				if before {
					cancel()
				}
				p := pipeline.New(workers, square, pipeline.Options{JobBuffer: 2})
				_, results := p.Start(ctx)
				synctest.Wait()
				cancel()
				if rs := collect(results); len(rs) != 0 {
					t.Errorf("got %d results; want none", len(rs))
				}
				checkStats(t, "after cancel", p.Stats(), pipeline.Stats{Workers: workers, Exited: workers})
			})
		})
	}
}

// Cancelling stops every handler's context; a job whose handler returns
// after the cancel is Canceled and never emitted, whatever it returned.
func TestSynctestCancelInFlight(t *testing.T) {
	const workers = 4
	const cancelAt = 5 * time.Second
	tests := []struct {
		name    string
		handler pipeline.Handler[int, int]
		ends    time.Duration // when the last handler returns
	}{
		{"handler honours ctx", untilDone, cancelAt},
		{"handler ignores ctx and succeeds", func(context.Context, int) (int, error) {
			time.Sleep(2 * cancelAt)
			return 1, nil
		}, 2 * cancelAt},
		{"handler ignores ctx and fails", func(context.Context, int) (int, error) {
			time.Sleep(2 * cancelAt)
			return 0, errBoom
		}, 2 * cancelAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				rec := newRecorder()
				p := pipeline.New(workers, tt.handler, pipeline.Options{Observer: rec.observe})
				start := time.Now()
				jobs, results := p.Start(ctx)
				produce(ctx, jobs, makeJobs(workers)) // one job each, then close
				synctest.Wait()
				if s := p.Stats(); s.Busy != workers {
					t.Fatalf("got Busy %d; want %d", s.Busy, workers)
				}
				time.Sleep(cancelAt)
				cancel()
				if rs := collect(results); len(rs) != 0 {
					t.Errorf("got %d results; want none: canceled jobs are not emitted", len(rs))
				}
				checkElapsed(t, start, tt.ends)
				synctest.Wait()
				s := p.Stats()
				checkFinal(t, s, 0)
				if s.Received != workers || s.Canceled != workers {
					t.Errorf("got Received %d, Canceled %d; want %d, %d", s.Received, s.Canceled, workers, workers)
				}
				for _, e := range rec.events() {
					if e.Kind == pipeline.HandlerFinished && (e.Outcome != pipeline.Canceled || e.Err == nil) {
						t.Errorf("got %s for %s with Outcome %v, Err %v; want Outcome canceled with an error", e.Kind, e.JobID, e.Outcome, e.Err)
					}
				}
			})
		})
	}
}

// A handler's context is the pipeline's: cancelling makes its Err
// context.Canceled.
func TestSynctestCancelHandlerContextErr(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		errs := make(chan error, 2)
		p := pipeline.New(2, func(ctx context.Context, _ int) (int, error) {
			<-ctx.Done()
			errs <- ctx.Err()
			return 0, nil
		}, pipeline.Options{})
		jobs, results := p.Start(ctx)
		produce(ctx, jobs, makeJobs(2))
		synctest.Wait()
		cancel()
		collect(results)
		for range 2 {
			if err := <-errs; !errors.Is(err, context.Canceled) {
				t.Errorf("got handler ctx.Err() %v; want %v", err, context.Canceled)
			}
		}
	})
}

// A worker blocked sending a result to a consumer that stopped reading is
// released by cancel; its result is abandoned, results already in the
// buffer can still be read, and the results channel closes. The consumer
// reads either once every worker has exited, or at once after cancel: then
// too it gets only the buffered results, since the cancel itself releases
// the workers, not the consumer making room (twenty rounds, as a release
// that lagged behind the cancel would lose that race only sometimes).
func TestSynctestCancelReleasesBlockedWorkers(t *testing.T) {
	for _, wait := range []bool{true, false} {
		t.Run(fmt.Sprint("wait=", wait), func(t *testing.T) {
			for range 20 {
				synctest.Test(t, func(t *testing.T) { cancelBlockedWorkers(t, wait) })
			}
		})
	}
}

func cancelBlockedWorkers(t *testing.T, wait bool) {
	const workers, buffer = 3, 1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := pipeline.New(workers, square, pipeline.Options{ResultBuffer: buffer})
	jobs, results := p.Start(ctx)
	<-produce(ctx, jobs, makeJobs(workers+buffer))
	synctest.Wait()
	n := uint64(workers + buffer)
	checkStats(t, "consumer not reading", p.Stats(), pipeline.Stats{
		Received: n, Succeeded: n, Emitted: buffer, Workers: workers, Blocked: workers, Pending: buffer,
	})
	cancel()
	if wait {
		synctest.Wait() // every worker exits without the consumer's help
	}
	rs := collect(results)
	if len(rs) != buffer {
		t.Errorf("got %d results; want the %d already in the buffer", len(rs), buffer)
	}
	s := p.Stats()
	checkFinal(t, s, len(rs))
	if s.Succeeded != n || s.Canceled != 0 {
		t.Errorf("got Succeeded %d, Canceled %d; want %d, 0: the outcome is decided when the handler returns", s.Succeeded, s.Canceled, n)
	}
}

// Cancelling stops intake: with every worker busy, jobs left in the jobs
// channel's buffer are not taken. The scenario runs several rounds because a
// worker that chose between a ready job and a done context at random would
// pass a single round by luck.
func TestSynctestCancelStopsIntake(t *testing.T) {
	const workers, buffer, rounds = 3, 6, 20
	for round := range rounds {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := pipeline.New(workers, untilDone, pipeline.Options{JobBuffer: buffer})
			jobs, results := p.Start(ctx)
			js := makeJobs(workers + buffer)
			for _, j := range js[:workers] {
				jobs <- j
			}
			synctest.Wait()
			for _, j := range js[workers:] {
				if !trySend(jobs, j) {
					t.Fatalf("send of %s blocked; want room in the buffer", j.ID)
				}
			}
			cancel()
			collect(results)
			s := p.Stats()
			if s.Received != workers || s.Queued != buffer {
				t.Errorf("round %d: got Received %d, Queued %d; want %d, %d: no job taken after cancel",
					round, s.Received, s.Queued, workers, buffer)
			}
			checkFinal(t, s, 0)
		})
		if t.Failed() {
			return
		}
	}
}

// A pipeline that has ended lets go of its context: cancelling the parent
// afterwards starts nothing (the pipeline registers nothing on its
// context), so a long-lived parent context does not keep a finished
// pipeline's goroutine or memory around.
func TestSynctestEndedPipelineLetsGoOfContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := pipeline.New(4, square, pipeline.Options{})
		jobs, results := p.Start(ctx)
		close(jobs)
		collect(results)
		synctest.Wait()
		before := bubbleGoroutines()
		cancel()
		if after := bubbleGoroutines(); after != before {
			t.Errorf("got %d goroutines right after cancelling the parent of an ended pipeline; want %d", after, before)
		}
	})
}
