package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// sleepy returns a handler that sleeps d[n] (fake time) on payload n, then
// fails with errBoom if n is in fail, else returns n.
func sleepy(d map[int]time.Duration, fail map[int]bool) pipeline.Handler[int, int] {
	return func(ctx context.Context, n int) (int, error) {
		select {
		case <-time.After(d[n]):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		if fail[n] {
			return 0, errBoom
		}
		return n, nil
	}
}

// With Ordered, results come in the order the jobs were taken, whatever
// order the handlers finish in; without it, in the order they finish.
func TestSynctestOrdered(t *testing.T) {
	const workers, n = 4, 12
	d := map[int]time.Duration{}
	for i := range n {
		d[i] = time.Duration(n-i) * time.Second // later jobs finish first
	}
	for _, ordered := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			rec := newRecorder()
			p := pipeline.New(workers, sleepy(d, nil), pipeline.Options{Ordered: ordered, Observer: rec.observe})
			jobs, results := p.Start(context.Background())
			js := makeJobs(n)
			produce(context.Background(), jobs, js)
			rs := collect(results)
			checkOneResultEach(t, rs, js)
			inOrder := true
			for i, r := range rs {
				inOrder = inOrder && r.JobID == jobID(i)
			}
			if inOrder != ordered {
				t.Errorf("Ordered %v: got results in job order %v; want %v (%v)", ordered, inOrder, ordered, rs)
			}
			<-rec.closed
			tally := checkEvents(t, rec.events(), workers)
			if ordered && tally.awaited == 0 || !ordered && tally.awaited != 0 {
				t.Errorf("Ordered %v: got %d TurnAwaited events", ordered, tally.awaited)
			}
		})
	}
}

// A slow job holds the line: the workers after it finish, then wait,
// blocked, holding their results (the observer sees TurnAwaited); none takes
// another job, so no result waits anywhere but in a worker's hand or the
// results buffer, and the producer is blocked. When the slow job ends, the
// results come out in order.
func TestSynctestOrderedHeadOfLine(t *testing.T) {
	const workers, resultBuffer = 4, 1
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		p := pipeline.New(workers, sleepy(map[int]time.Duration{0: time.Minute}, nil),
			pipeline.Options{Ordered: true, ResultBuffer: resultBuffer, Observer: rec.observe})
		jobs, results := p.Start(context.Background())
		js := makeJobs(20)
		sent := produce(context.Background(), jobs, js)
		synctest.Wait()
		s := p.Stats()
		want := pipeline.Stats{Received: workers, Succeeded: workers - 1, Workers: workers, Busy: 1, Blocked: workers - 1}
		checkStats(t, "while job-0 holds the line", s, want)
		start := time.Now()
		rs := collect(results)
		checkElapsed(t, start, time.Minute)
		checkOneResultEach(t, rs, js)
		for i, r := range rs {
			if r.JobID != jobID(i) {
				t.Fatalf("result %d: got %s; want %s", i, r.JobID, jobID(i))
			}
		}
		if got := <-sent; got != len(js) {
			t.Errorf("producer sent %d; want %d", got, len(js))
		}
	})
}

// Cancelling while workers wait for their turn abandons their results and
// ends the pipeline; nothing is emitted out of order.
func TestSynctestOrderedCancelWhileWaiting(t *testing.T) {
	const workers = 4
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := pipeline.New(workers, sleepy(map[int]time.Duration{0: time.Hour}, nil), pipeline.Options{Ordered: true})
		base := restingGoroutines()
		jobs, results := p.Start(ctx)
		produce(ctx, jobs, makeJobs(10))
		synctest.Wait()
		if s := p.Stats(); s.Blocked != workers-1 {
			t.Fatalf("got Blocked %d; want %d waiting for their turn", s.Blocked, workers-1)
		}
		cancel()
		if rs := collect(results); len(rs) != 0 {
			t.Errorf("got %v; want no result: the only due one was canceled", rs)
		}
		synctest.Wait()
		s := p.Stats()
		checkFinal(t, s, 0)
		if s.Canceled != 1 || s.Succeeded != workers-1 {
			t.Errorf("got Canceled %d, Succeeded %d; want 1, %d", s.Canceled, s.Succeeded, workers-1)
		}
		if err := p.Err(); err != context.Canceled {
			t.Errorf("got Err() %v; want %v", err, context.Canceled)
		}
		checkGoroutines(t, "after cancel (workers and producer gone)", base)
	})
}

// FailFast with Ordered: a failure waits for its turn like any result, is
// emitted in order, then stops the pipeline; the workers waiting behind it
// abandon their results.
func TestSynctestOrderedFailFastWhileWaiting(t *testing.T) {
	const workers = 4
	synctest.Test(t, func(t *testing.T) {
		// job-0 is slow, job-2 fails at once and waits for its turn, job-1
		// and job-3 succeed at once.
		p := pipeline.New(workers, sleepy(map[int]time.Duration{0: time.Minute}, map[int]bool{2: true}),
			pipeline.Options{Ordered: true, FailFast: true})
		jobs, results := p.Start(context.Background())
		sent := produceUntilStopped(p, jobs, makeJobs(10))
		rs := collect(results)
		if len(rs) != 3 || rs[0].JobID != jobID(0) || rs[1].JobID != jobID(1) || rs[2].JobID != jobID(2) || !errors.Is(rs[2].Err, errBoom) {
			t.Fatalf("got %v; want job-0, job-1, then job-2's failure, and nothing after it", rs)
		}
		if err := p.Err(); !errors.Is(err, errBoom) {
			t.Errorf("got Err() %v; want %v", err, errBoom)
		}
		// The workers freed by emitting job-0 and job-1 may each take one
		// more job before job-2's turn comes; then the producer stops.
		if n := <-sent; n < workers || n > workers+2 {
			t.Errorf("producer sent %d; want %d to %d (blocked until the stop)", n, workers, workers+2)
		}
		synctest.Wait()
		if s := p.Stats(); s.Emitted != 3 || s.Failed != 1 {
			t.Errorf("got Emitted %d, Failed %d; want 3, 1", s.Emitted, s.Failed)
		}
	})
}
