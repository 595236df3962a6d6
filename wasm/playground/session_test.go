package playground_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// bubble runs f in a synctest bubble with a new Playground. It first lets
// the bubble's start-up goroutines settle: runtime.NumGoroutine counts the
// whole process, and the playground's goroutine baseline must not include a
// goroutine on its way out.
func bubble(t *testing.T, f func(*testing.T, *playground.Playground)) {
	t.Helper()
	for i := 0; i < 10000 && runtime.NumGoroutine() > 2; i++ {
		runtime.Gosched()
	}
	synctest.Test(t, func(t *testing.T) {
		synctest.Wait()
		f(t, playground.New())
	})
}

// start starts pg with cfg, failing the test on error.
func start(t *testing.T, pg *playground.Playground, cfg playground.Config) {
	t.Helper()
	if _, err := pg.Start(cfg); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

func submit(t *testing.T, pg *playground.Playground, n int) int {
	t.Helper()
	backlog, err := pg.Submit(n)
	if err != nil {
		t.Fatalf("Submit(%d): %v", n, err)
	}
	return backlog
}

// settle lets simulated time pass (inside a synctest bubble) and waits until
// every goroutine of the bubble is blocked.
func settle(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

// waitDone advances simulated time until the session is done, and fails the
// test if it is not done within limit.
func waitDone(t *testing.T, pg *playground.Playground, limit time.Duration) playground.Snapshot {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		synctest.Wait()
		snap := pg.Snapshot()
		if snap.Phase == playground.PhaseDone {
			return snap
		}
		if time.Now().After(deadline) {
			t.Fatalf("phase %q after %v; want done", snap.Phase, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runToEnd starts a session with cfg, submits n jobs, closes it and
// returns its snapshot once it is done, checked by checkEnded.
func runToEnd(t *testing.T, pg *playground.Playground, cfg playground.Config, n int) playground.Snapshot {
	t.Helper()
	start(t, pg, cfg)
	submit(t, pg, n)
	if err := pg.Close(); err != nil {
		t.Fatal(err)
	}
	snap := waitDone(t, pg, time.Minute)
	checkEnded(t, snap)
	return snap
}

// checkEnded checks the invariants of a done session.
func checkEnded(t *testing.T, snap playground.Snapshot) {
	t.Helper()
	c := snap.Counters
	if c.Received != c.Succeeded+c.Failed+c.Canceled {
		t.Errorf("received %d != succeeded %d + failed %d + canceled %d", c.Received, c.Succeeded, c.Failed, c.Canceled)
	}
	if got := uint64(snap.Consumer.Consumed); got != c.Emitted {
		t.Errorf("consumed = %d; want emitted = %d", got, c.Emitted)
	}
	if !snap.Producer.Closed || !snap.Results.Closed {
		t.Errorf("jobs closed = %v, results closed = %v; want both", snap.Producer.Closed, snap.Results.Closed)
	}
	for _, w := range snap.Workers {
		if w.State != "exited" || w.Job != "" {
			t.Errorf("worker %d: state %q job %q; want exited with no job", w.ID, w.State, w.Job)
		}
	}
	if len(snap.Results.IDs) != 0 || snap.Results.Len != 0 {
		t.Errorf("results channel holds %v (len %d); want empty", snap.Results.IDs, snap.Results.Len)
	}
	synctest.Wait()
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	if strings.Contains(stacks, "goflow/pipeline.") || strings.Contains(stacks, "playground.(*") {
		t.Errorf("a pipeline or playground goroutine is still running:\n%s", stacks)
	}
	if snap.Goroutines != 0 || snap.BaselineGoroutines != 0 {
		t.Errorf("goroutines = %d, baseline %d; want 0 and 0", snap.Goroutines, snap.BaselineGoroutines)
	}
}

func TestSessionRunsEveryJob(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 3, WorkMs: 100, JitterMs: 50, ResultBuffer: 2, ConsumerDelayMs: 10})
		if got := submit(t, pg, 10); got != 10 {
			t.Errorf("Submit(10) = %d; want backlog 10", got)
		}
		submit(t, pg, 5)
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		snap := waitDone(t, pg, time.Minute)
		checkEnded(t, snap)
		want := playground.Counters{Received: 15, Succeeded: 15, Emitted: 15}
		if snap.Counters != want {
			t.Errorf("counters = %+v; want %+v", snap.Counters, want)
		}
		if snap.Consumer.Consumed != 15 || snap.Producer.Sent != 15 || snap.Producer.Backlog != 0 {
			t.Errorf("consumed %d, sent %d, backlog %d; want 15, 15, 0", snap.Consumer.Consumed, snap.Producer.Sent, snap.Producer.Backlog)
		}
		if snap.Ended != playground.EndedClose {
			t.Errorf("ended = %q; want close", snap.Ended)
		}
		last := snap.Log[len(snap.Log)-1]
		if last.Kind != "done" {
			t.Errorf("last log entry = %+v; want kind done", last)
		}
		for i, e := range snap.Log[1:] {
			if e.Seq != snap.Log[i].Seq+1 || e.Ms < snap.Log[i].Ms {
				t.Fatalf("log entries %+v then %+v; want consecutive seq and growing ms", snap.Log[i], e)
			}
		}
	})
}

// TestBackpressure: with an unbuffered jobs channel and every worker busy,
// the producer is blocked in its send and the jobs channel holds nothing.
func TestBackpressure(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 2, WorkMs: 1000})
		submit(t, pg, 5)
		settle(100 * time.Millisecond)
		snap := pg.Snapshot()
		if !snap.Producer.Blocked || snap.Producer.Backlog != 3 || snap.Producer.Sent != 2 {
			t.Errorf("producer = %+v; want blocked, backlog 3, sent 2", snap.Producer)
		}
		if want := []string{"job-3", "job-4", "job-5"}; !slices.Equal(snap.Producer.Waiting, want) {
			t.Errorf("waiting = %q; want %q", snap.Producer.Waiting, want)
		}
		if snap.Jobs.Len != 0 || snap.Jobs.Cap != 0 || len(snap.Jobs.IDs) != 0 {
			t.Errorf("jobs channel = %+v; want empty, cap 0", snap.Jobs)
		}
		jobs := []string{snap.Workers[0].Job, snap.Workers[1].Job}
		if slices.Sort(jobs); !slices.Equal(jobs, []string{"job-1", "job-2"}) {
			t.Errorf("workers hold %q; want job-1 and job-2", jobs)
		}
		for i, w := range snap.Workers {
			if w.State != "busy" {
				t.Errorf("worker %d = %+v; want busy", i, w)
			}
			if w.Progress < 0.09 || w.Progress > 0.11 {
				t.Errorf("worker %d progress = %v; want 0.1", i, w.Progress)
			}
		}
		if snap.Gauges.Busy != 2 || snap.Counters.Received != 2 {
			t.Errorf("gauges %+v counters %+v; want 2 busy, 2 received", snap.Gauges, snap.Counters)
		}
		if err := pg.Cancel(); err != nil {
			t.Fatal(err)
		}
		snap = waitDone(t, pg, time.Second)
		checkEnded(t, snap)
		if snap.Counters.Canceled != 2 || snap.Producer.Sent != 2 {
			t.Errorf("counters %+v, sent %d; want 2 canceled, 2 sent", snap.Counters, snap.Producer.Sent)
		}
	})
}

func TestJobBufferHoldsJobs(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, JobBuffer: 4, WorkMs: 1000})
		submit(t, pg, 10)
		settle(0)
		snap := pg.Snapshot()
		if want := []string{"job-2", "job-3", "job-4", "job-5"}; snap.Jobs.Len != 4 || snap.Jobs.Cap != 4 || !slices.Equal(snap.Jobs.IDs, want) {
			t.Errorf("jobs channel = %+v; want len 4, cap 4, ids %q", snap.Jobs, want)
		}
		if !snap.Producer.Blocked || snap.Producer.Backlog != 5 || snap.Producer.Waiting[0] != "job-6" {
			t.Errorf("producer = %+v; want blocked on job-6 with backlog 5", snap.Producer)
		}
		if snap.Workers[0].Job != "job-1" {
			t.Errorf("worker 0 = %+v; want busy with job-1", snap.Workers[0])
		}
		pg.Cancel()
		snap = waitDone(t, pg, time.Second)
		checkEnded(t, snap)
		// The four jobs left in the jobs channel are abandoned there.
		if snap.Jobs.Len != 4 || len(snap.Jobs.IDs) != 4 {
			t.Errorf("jobs channel after cancel = %+v; want the 4 abandoned jobs", snap.Jobs)
		}
	})
}

// TestPausedConsumer: a paused consumer blocks the workers (they hold
// results); cancel releases everything and every goroutine exits.
func TestPausedConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		pg.PauseConsumer(true)
		start(t, pg, playground.Config{Workers: 2, ResultBuffer: 1, WorkMs: 10})
		submit(t, pg, 6)
		settle(time.Second)
		snap := pg.Snapshot()
		if !snap.Consumer.Paused || snap.Consumer.Consumed != 0 {
			t.Errorf("consumer = %+v; want paused, nothing consumed", snap.Consumer)
		}
		for _, w := range snap.Workers {
			if w.State != "blocked" || w.Progress != 1 {
				t.Errorf("worker %d = %+v; want blocked at progress 1", w.ID, w)
			}
		}
		if snap.Results.Len != 1 || !slices.Equal(snap.Results.IDs, []string{"job-1"}) && !slices.Equal(snap.Results.IDs, []string{"job-2"}) {
			t.Errorf("results channel = %+v; want job-1 or job-2 in its one slot", snap.Results)
		}
		if snap.Gauges.Pending != 1 || snap.Counters.Emitted != 1 || !snap.Producer.Blocked {
			t.Errorf("gauges %+v, counters %+v, producer %+v; want 1 pending, 1 emitted, producer blocked", snap.Gauges, snap.Counters, snap.Producer)
		}

		if err := pg.Cancel(); err != nil {
			t.Fatal(err)
		}
		snap = waitDone(t, pg, time.Second)
		checkEnded(t, snap)
		if snap.Consumer.Consumed != 1 || snap.Counters.Succeeded != 3 {
			t.Errorf("consumed %d, counters %+v; want the 1 buffered result consumed, 3 succeeded", snap.Consumer.Consumed, snap.Counters)
		}
		if !snap.Consumer.Paused {
			t.Errorf("consumer.paused = false; want the setting kept")
		}
	})
}

// TestResumeConsumer: resuming lets the session drain.
func TestResumeConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		pg.PauseConsumer(true)
		start(t, pg, playground.Config{Workers: 2, WorkMs: 10})
		submit(t, pg, 4)
		pg.Close()
		settle(time.Second)
		if snap := pg.Snapshot(); snap.Phase != playground.PhaseClosing || snap.Consumer.Consumed != 0 {
			t.Fatalf("phase %q consumed %d; want closing with nothing consumed", snap.Phase, snap.Consumer.Consumed)
		}
		pg.PauseConsumer(false)
		snap := waitDone(t, pg, time.Second)
		checkEnded(t, snap)
		if snap.Counters.Succeeded != 4 || snap.Consumer.Consumed != 4 {
			t.Errorf("counters %+v consumed %d; want 4 and 4", snap.Counters, snap.Consumer.Consumed)
		}
	})
}

func TestTimeoutsFail(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		snap := runToEnd(t, pg, playground.Config{Workers: 2, WorkMs: 100, TimeoutMs: 50}, 3)
		if want := (playground.Counters{Received: 3, Failed: 3, Emitted: 3}); snap.Counters != want {
			t.Errorf("counters = %+v; want %+v", snap.Counters, want)
		}
		if !logHas(snap, "failed (timeout)") {
			t.Errorf("log has no timeout:\n%s", logText(snap))
		}
	})
}

func TestPanicsFailAndNextStartWorks(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		snap := runToEnd(t, pg, playground.Config{Workers: 2, WorkMs: 10, PanicRate: 1}, 3)
		if want := (playground.Counters{Received: 3, Failed: 3, Emitted: 3}); snap.Counters != want {
			t.Errorf("counters = %+v; want %+v", snap.Counters, want)
		}
		if !logHas(snap, "failed (panic)") {
			t.Errorf("log has no panic:\n%s", logText(snap))
		}

		snap = runToEnd(t, pg, playground.Config{Workers: 1, WorkMs: 10, FailRate: 1}, 2)
		if want := (playground.Counters{Received: 2, Failed: 2, Emitted: 2}); snap.Counters != want {
			t.Errorf("second session counters = %+v; want %+v", snap.Counters, want)
		}
		if snap.Log[0].Seq != 1 {
			t.Errorf("second session's log starts at %d; want 1", snap.Log[0].Seq)
		}
	})
}

// TestSpeed: at speed 0.25 a job of 100 ms takes 400 ms, and a change of
// speed applies to a job already running.
func TestSpeed(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		if err := pg.SetSpeed(0.25); err != nil {
			t.Fatal(err)
		}
		start(t, pg, playground.Config{Workers: 1, WorkMs: 100, ConsumerDelayMs: 100})
		submit(t, pg, 1)
		settle(200 * time.Millisecond)
		snap := pg.Snapshot()
		if w := snap.Workers[0]; w.State != "busy" || w.Progress != 0.5 || snap.Speed != 0.25 {
			t.Errorf("after 200ms at 0.25: worker %+v speed %v; want busy at progress 0.5", w, snap.Speed)
		}
		pg.SetSpeed(1) // 50 ms of work left
		settle(49 * time.Millisecond)
		if w := pg.Snapshot().Workers[0]; w.State != "busy" {
			t.Errorf("after 49ms more at 1: worker %+v; want busy", w)
		}
		settle(time.Millisecond)
		if w := pg.Snapshot().Workers[0]; w.State != "idle" {
			t.Errorf("after 50ms more at 1: worker %+v; want idle", w)
		}
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Second))
	})
}

func TestBacklogBound(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, WorkMs: 1000})
		for range 10 {
			submit(t, pg, 1000)
			synctest.Wait() // job-1 is taken at once; the rest wait
		}
		// The producer holds 9999 jobs: job-1 went to the worker.
		_, err := pg.Submit(11)
		if want := "submit: backlog would be 10010 jobs; the producer holds at most 10000"; err == nil || err.Error() != want {
			t.Errorf("Submit(11) error = %v; want %q", err, want)
		}
		if got := submit(t, pg, 1); got != 10000 {
			t.Errorf("Submit(1) = %d; want backlog 10000", got)
		}
		snap := pg.Snapshot()
		if len(snap.Producer.Waiting) != 20 || snap.Producer.Waiting[19] != "job-21" {
			t.Errorf("waiting = %q; want job-2 to job-21", snap.Producer.Waiting)
		}
		pg.Cancel()
		snap = waitDone(t, pg, time.Second)
		checkEnded(t, snap)
		if snap.Producer.Backlog != 10000 {
			t.Errorf("backlog after cancel = %d; want the 10000 jobs never sent", snap.Producer.Backlog)
		}
	})
}

// TestGoroutinesBaseline: the snapshot counts the playground's own
// goroutines (runtime.NumGoroutine counts every playground's), from a
// baseline of 0.
func TestGoroutinesBaseline(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		if snap := pg.Snapshot(); snap.Phase != playground.PhaseIdle || snap.Goroutines != 0 || snap.BaselineGoroutines != 0 {
			t.Errorf("idle snapshot: phase %q, goroutines %d, baseline %d; want idle, 0 and 0", snap.Phase, snap.Goroutines, snap.BaselineGoroutines)
		}
		before := runtime.NumGoroutine()
		start(t, pg, playground.Config{Workers: 8, WorkMs: 10})
		synctest.Wait()
		snap := pg.Snapshot()
		if snap.Goroutines != 8+2 || snap.BaselineGoroutines != 0 {
			t.Errorf("goroutines %d, baseline %d; want 10 (8 workers, producer, consumer) and 0", snap.Goroutines, snap.BaselineGoroutines)
		}
		if got := runtime.NumGoroutine() - before; got != snap.Goroutines && !raceEnabled {
			t.Errorf("runtime.NumGoroutine() rose by %d; want the snapshot's %d", got, snap.Goroutines)
		}
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Second))
	})
}

func logHas(snap playground.Snapshot, s string) bool {
	return strings.Contains(logText(snap), s)
}

func logText(snap playground.Snapshot) string {
	var b strings.Builder
	for _, e := range snap.Log {
		b.WriteString(e.Kind + ": " + e.Text + "\n")
	}
	return b.String()
}

// TestPauseAfterDone: pausing or resuming once the session is done keeps the
// setting (for the snapshot and the next session) but adds nothing to the
// finished session's log, which ends with done.
func TestPauseAfterDone(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		runToEnd(t, pg, playground.Config{Workers: 1, WorkMs: 10}, 1)
		pg.PauseConsumer(true)
		snap := pg.Snapshot()
		if last := snap.Log[len(snap.Log)-1]; last.Kind != "done" || !snap.Consumer.Paused {
			t.Errorf("after pause: last log entry %+v, paused %v; want kind done, paused", last, snap.Consumer.Paused)
		}
		pg.PauseConsumer(false)
		if last := pg.Snapshot().Log; last[len(last)-1].Kind != "done" {
			t.Errorf("after resume: last log entry %+v; want kind done", last[len(last)-1])
		}
	})
}
