package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// A scenario is one randomised pipeline run, shared by the stress test (in
// real time, without delays or timeouts) and the fuzz target (in a synctest
// bubble, in fake time).
type scenario struct {
	workers, jobBuffer, resultBuffer int
	jobs                             []jobSpec
	// cancelAfter is how many results the consumer reads before it cancels
	// the context; negative: it never does.
	cancelAfter int
}

// jobSpec says what the handler does for one job.
type jobSpec struct {
	does    behaviour
	delay   time.Duration // how long the handler takes; keep it 0 outside a bubble
	timeout time.Duration // the job's Timeout; keep it 0 outside a bubble
}

type behaviour uint8

const (
	succeed    behaviour = iota // returns the payload squared after delay
	fail                        // returns errBoom after delay
	panics                      // panics after delay
	waits                       // returns the payload squared after delay, or ctx.Err() once ctx is done
	behaviours                  // how many there are
)

func (s jobSpec) String() string {
	return fmt.Sprintf("{does %d, delay %v, timeout %v}", s.does, s.delay, s.timeout)
}

// handle is the scenario's handler; the payload is the job's index.
func (sc *scenario) handle(ctx context.Context, i int) (int, error) {
	s := sc.jobs[i]
	if s.does == waits {
		if s.delay == 0 {
			runtime.Gosched()
			return i * i, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(s.delay):
			return i * i, nil
		}
	}
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	switch s.does {
	case fail:
		return 0, errBoom
	case panics:
		panic(i)
	}
	return i * i, nil
}

// outcome is the outcome job i has unless the context is done first. The
// fuzz target keeps delays odd and timeouts even (in milliseconds), so a
// handler never ends exactly at its deadline.
func (sc *scenario) outcome(i int) pipeline.Outcome {
	s := sc.jobs[i]
	if s.does == panics || s.does == fail || s.timeout > 0 && s.delay > s.timeout {
		return pipeline.Failed
	}
	return pipeline.Succeeded
}

// checkResult describes what is wrong with an emitted result for job i, or
// returns "".
func (sc *scenario) checkResult(r pipeline.Result[int], i int) string {
	s := sc.jobs[i]
	var te *pipeline.TimeoutError
	switch {
	case s.does == panics:
		var pe *pipeline.PanicError
		if !errors.Is(r.Err, pipeline.ErrPanic) || !errors.As(r.Err, &pe) || pe.Value != i || r.Value != 0 {
			return fmt.Sprintf("got %s; want a *PanicError with Value %d", describe(r), i)
		}
	case s.timeout > 0 && s.delay > s.timeout:
		if !errors.As(r.Err, &te) || !errors.Is(r.Err, context.DeadlineExceeded) || te.Timeout != s.timeout || r.Value != 0 {
			return fmt.Sprintf("got %s; want a *TimeoutError", describe(r))
		}
	case s.does == fail:
		if !errors.Is(r.Err, errBoom) {
			return fmt.Sprintf("got %s; want Err %v", describe(r), errBoom)
		}
	default:
		if r.Err != nil || r.Value != i*i {
			return fmt.Sprintf("got %s; want Value %d, Err nil", describe(r), i*i)
		}
	}
	return ""
}

// run runs the scenario and checks what the consumer read, the counters and
// the observer's events.
func (sc *scenario) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newRecorder()
	p := pipeline.New(sc.workers, sc.handle, pipeline.Options{
		JobBuffer: sc.jobBuffer, ResultBuffer: sc.resultBuffer, Observer: rec.observe,
	})
	js := make([]pipeline.Job[int], len(sc.jobs))
	index := make(map[string]int, len(js))
	for i, s := range sc.jobs {
		js[i] = pipeline.Job[int]{ID: jobID(i), Payload: i, Timeout: s.timeout}
		index[js[i].ID] = i
	}

	jobs, results := p.Start(ctx)
	sentc := produce(ctx, jobs, js)
	if sc.cancelAfter == 0 {
		cancel()
	}
	read := 0
	seen := make(map[string]bool, len(js))
	for r := range results {
		read++
		if read == sc.cancelAfter {
			cancel()
		}
		i, ok := index[r.JobID]
		if !ok || seen[r.JobID] {
			t.Errorf("got a result for %q (sent: %v, seen before: %v); want each job sent emitted at most once", r.JobID, ok, seen[r.JobID])
			continue
		}
		seen[r.JobID] = true
		if msg := sc.checkResult(r, i); msg != "" {
			t.Errorf("job %s %v: %s", r.JobID, sc.jobs[i], msg)
		}
	}
	sent := <-sentc
	<-rec.closed // the last worker reports ResultsClosed after closing results

	s := p.Stats()
	checkFinal(t, s, read)
	if s.Received+s.Dropped > uint64(sent) || uint64(s.Queued) != uint64(sent)-s.Received-s.Dropped {
		t.Errorf("got Received %d, Dropped %d, Queued %d; want Received + Dropped + Queued = %d jobs sent", s.Received, s.Dropped, s.Queued, sent)
	}
	tally := checkEvents(t, rec.events(), sc.workers)
	if tally.emitted != read || uint64(len(tally.outcomes)) != s.Received {
		t.Errorf("got %d ResultEmitted events, %d jobs taken; want %d, Received = %d", tally.emitted, len(tally.outcomes), read, s.Received)
	}
	for o, n := range map[pipeline.Outcome]uint64{pipeline.Succeeded: s.Succeeded, pipeline.Failed: s.Failed, pipeline.Canceled: s.Canceled} {
		if uint64(tally.counts[o]) != n {
			t.Errorf("got %d %v HandlerFinished events; want %d as Stats counts", tally.counts[o], o, n)
		}
	}
	for id, o := range tally.outcomes {
		if want := sc.outcome(index[id]); o != pipeline.Canceled && o != want {
			t.Errorf("job %s %v: got outcome %v; want %v", id, sc.jobs[index[id]], o, want)
		}
	}

	if sc.cancelAfter >= 0 && sc.cancelAfter < len(js) {
		return // canceled before the end: the checks above are all there is
	}
	var want [4]uint64
	for i := range js {
		want[sc.outcome(i)]++
	}
	n := uint64(len(js))
	if sent != len(js) || s.Received != n || s.Succeeded != want[pipeline.Succeeded] || s.Failed != want[pipeline.Failed] || s.Canceled != 0 {
		t.Errorf("without cancel: sent %d, got %+v; want %d sent and received, %d succeeded, %d failed, none canceled",
			sent, s, n, want[pipeline.Succeeded], want[pipeline.Failed])
	}
}
