package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// recorder is an Observer that keeps every event, in the order the workers
// reported them.
type recorder struct {
	mu  sync.Mutex
	evs []pipeline.Event // guarded by mu
	// closed is closed on ResultsClosed; a second ResultsClosed panics.
	closed chan struct{}
}

func newRecorder() *recorder { return &recorder{closed: make(chan struct{})} }

func (r *recorder) observe(e pipeline.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, e)
	if e.Kind == pipeline.ResultsClosed {
		close(r.closed)
	}
}

func (r *recorder) events() []pipeline.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]pipeline.Event(nil), r.evs...)
}

// eventTally is what checkEvents counts in a finished pipeline's events.
type eventTally struct {
	outcomes  map[string]pipeline.Outcome // by JobID, from HandlerFinished
	counts    map[pipeline.Outcome]int    // HandlerFinished events by outcome
	emitted   int                         // ResultEmitted events
	abandoned int                         // ResultAbandoned events
	awaited   int                         // TurnAwaited events
}

// checkEvents checks the events of a pipeline whose results channel has
// closed against the Observer's documented order: per worker WorkerStarted,
// then per job JobTaken, HandlerFinished, ResultEmitted or ResultAbandoned
// (always abandoned when canceled) with the same JobID and Outcome, then
// WorkerExited; ResultsClosed once, last. Job IDs must be unique.
func checkEvents(t *testing.T, evs []pipeline.Event, workers int) eventTally {
	t.Helper()
	const (
		notStarted = iota
		idle
		taken
		finished
		exited
	)
	state := make([]int, workers)
	current := make([]pipeline.Event, workers) // the last JobTaken or HandlerFinished
	tally := eventTally{outcomes: map[string]pipeline.Outcome{}, counts: map[pipeline.Outcome]int{}}
	closedAt := -1
	for i, e := range evs {
		if e.Kind == pipeline.ResultsClosed {
			if closedAt >= 0 || e.Worker != -1 {
				t.Errorf("event %d: got %+v after ResultsClosed at %d; want one ResultsClosed with Worker -1", i, e, closedAt)
			}
			closedAt = i
			continue
		}
		if e.Worker < 0 || e.Worker >= workers {
			t.Errorf("event %d: got %+v; want Worker in 0..%d", i, e, workers-1)
			continue
		}
		w := e.Worker
		bad := func(want string) {
			t.Helper()
			t.Errorf("event %d: got %v (job %q, outcome %v) for worker %d; want %s", i, e.Kind, e.JobID, e.Outcome, w, want)
		}
		switch e.Kind {
		case pipeline.WorkerStarted:
			if state[w] != notStarted {
				bad("WorkerStarted only first")
			}
			state[w] = idle
		case pipeline.JobTaken:
			if state[w] != idle {
				bad("JobTaken only when idle")
			}
			if _, dup := tally.outcomes[e.JobID]; dup {
				bad("each job taken once")
			}
			tally.outcomes[e.JobID] = 0
			state[w], current[w] = taken, e
		case pipeline.HandlerFinished:
			if state[w] != taken || e.JobID != current[w].JobID {
				bad(fmt.Sprintf("HandlerFinished right after JobTaken of %q", current[w].JobID))
			}
			if (e.Err == nil) != (e.Outcome == pipeline.Succeeded) {
				bad("an Err exactly when the outcome is not succeeded")
			}
			tally.outcomes[e.JobID] = e.Outcome
			tally.counts[e.Outcome]++
			state[w], current[w] = finished, e
		case pipeline.TurnAwaited:
			if state[w] != finished || e.JobID != current[w].JobID || e.Outcome != current[w].Outcome || e.Outcome == pipeline.Canceled {
				bad(fmt.Sprintf("it right after HandlerFinished of %q, not canceled", current[w].JobID))
			}
			tally.awaited++
		case pipeline.ResultEmitted, pipeline.ResultAbandoned:
			if state[w] != finished || e.JobID != current[w].JobID || e.Outcome != current[w].Outcome {
				bad(fmt.Sprintf("it right after HandlerFinished of %q with outcome %v", current[w].JobID, current[w].Outcome))
			}
			if e.Kind == pipeline.ResultEmitted {
				if e.Outcome == pipeline.Canceled {
					bad("a canceled job's result abandoned")
				}
				tally.emitted++
			} else {
				tally.abandoned++
			}
			state[w] = idle
		case pipeline.WorkerExited:
			if state[w] != idle {
				bad("WorkerExited only when idle")
			}
			state[w] = exited
		default:
			bad("a known EventKind")
		}
	}
	for w, s := range state {
		if s != exited {
			t.Errorf("worker %d: got no WorkerExited as its last event; want one", w)
		}
	}
	if closedAt != len(evs)-1 {
		t.Errorf("got ResultsClosed at event %d of %d; want it once, last", closedAt, len(evs))
	}
	return tally
}

// Events come in the documented order with the right JobIDs and outcomes,
// and agree with Stats.
func TestSynctestObserverOrder(t *testing.T) {
	const workers, n = 3, 30
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		p := pipeline.New(workers, func(_ context.Context, n int) (int, error) {
			switch n % 3 {
			case 1:
				return 0, errBoom
			case 2:
				panic("odd job")
			}
			return n, nil
		}, pipeline.Options{ResultBuffer: 2, Observer: rec.observe})
		jobs, results := p.Start(context.Background())
		produce(context.Background(), jobs, makeJobs(n))
		rs := collect(results)
		synctest.Wait()
		tally := checkEvents(t, rec.events(), workers)
		for i := range n {
			want := []pipeline.Outcome{pipeline.Succeeded, pipeline.Failed, pipeline.Failed}[i%3]
			if got := tally.outcomes[jobID(i)]; got != want {
				t.Errorf("job %s: got outcome %v; want %v", jobID(i), got, want)
			}
		}
		s := p.Stats()
		checkFinal(t, s, len(rs))
		if tally.emitted != len(rs) || tally.abandoned != 0 {
			t.Errorf("got %d ResultEmitted, %d ResultAbandoned; want %d, 0", tally.emitted, tally.abandoned, len(rs))
		}
		if got := uint64(tally.counts[pipeline.Succeeded]); got != s.Succeeded {
			t.Errorf("got %d succeeded HandlerFinished events; want Stats.Succeeded = %d", got, s.Succeeded)
		}
		if got := uint64(tally.counts[pipeline.Failed]); got != s.Failed {
			t.Errorf("got %d failed HandlerFinished events; want Stats.Failed = %d", got, s.Failed)
		}
	})
}

// A canceled job is reported as canceled, with the context's error, and its
// result abandoned; so is a finished result nobody took.
func TestSynctestObserverCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rec := newRecorder()
		p := pipeline.New(2, func(ctx context.Context, n int) (int, error) {
			if n == 0 {
				return untilDone(ctx, n)
			}
			return n, nil // job-1 finishes; nobody takes its result
		}, pipeline.Options{Observer: rec.observe})
		jobs, results := p.Start(ctx)
		<-produce(ctx, jobs, makeJobs(2))
		synctest.Wait()
		cancel()
		synctest.Wait()
		collect(results)
		tally := checkEvents(t, rec.events(), 2)
		if tally.outcomes["job-0"] != pipeline.Canceled || tally.outcomes["job-1"] != pipeline.Succeeded || tally.abandoned != 2 {
			t.Errorf("got outcomes %v, %d abandoned; want job-0 canceled, job-1 succeeded, 2 abandoned", tally.outcomes, tally.abandoned)
		}
		for _, e := range rec.events() {
			if e.Kind == pipeline.HandlerFinished && e.JobID == "job-0" && !errors.Is(e.Err, context.Canceled) {
				t.Errorf("got HandlerFinished Err %v for the canceled job; want %v", e.Err, context.Canceled)
			}
		}
	})
}

// The String methods of EventKind, Outcome and WorkerState.
func TestStrings(t *testing.T) {
	tests := []struct {
		v    fmt.Stringer
		want string
	}{
		{pipeline.WorkerStarted, "worker started"},
		{pipeline.JobTaken, "job taken"},
		{pipeline.HandlerFinished, "handler finished"},
		{pipeline.ResultEmitted, "result emitted"},
		{pipeline.ResultAbandoned, "result abandoned"},
		{pipeline.WorkerExited, "worker exited"},
		{pipeline.ResultsClosed, "results closed"},
		{pipeline.EventKind(0), "EventKind(0)"},
		{pipeline.EventKind(99), "EventKind(99)"},

		{pipeline.Succeeded, "succeeded"},
		{pipeline.Failed, "failed"},
		{pipeline.Canceled, "canceled"},
		{pipeline.Outcome(0), "Outcome(0)"},
		{pipeline.Outcome(7), "Outcome(7)"},

		{pipeline.Idle, "idle"},
		{pipeline.Busy, "busy"},
		{pipeline.Blocked, "blocked"},
		{pipeline.Exited, "exited"},
		{pipeline.WorkerState(4), "WorkerState(4)"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%T(%d).String() = %q; want %q", tt.v, tt.v, got, tt.want)
		}
	}
}
