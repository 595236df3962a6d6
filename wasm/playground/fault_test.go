package playground

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// faultConfig is a small run for the fault tests.
func faultConfig(workers int, workMs float64, seed float64) Config {
	cfg := DefaultConfig()
	cfg.Workers, cfg.WorkMs, cfg.JobBuffer, cfg.Seed = workers, workMs, 2, seed
	return cfg
}

// wantFault checks that pg's snapshot is done with the err of event seq
// refused for why.
func wantFault(t *testing.T, pg *Playground, seq uint64, why string) {
	t.Helper()
	snap := pg.Snapshot()
	want := "the run was stopped: the state model refused event " + strconv.FormatUint(seq, 10) + why
	if snap.Phase != PhaseDone || snap.Err != want {
		t.Errorf("after a refused event: phase %q, err %q; want done, %q", snap.Phase, snap.Err, want)
	}
	out, err := pg.Call(nil, "snapshot", nil)
	if err != nil || !strings.Contains(string(out), `"err":"the run was stopped: the state model refused event `) {
		t.Errorf("snapshot JSON %.200s, %v; want its err", out, err)
	}
}

// TestRefusedEventStopsOnlyItsRun injects an event the state model
// refuses, as an observer of the pipeline would report it: the instance
// does not panic, its snapshot is done with an err naming the event and
// why, every goroutine of its run returns, and another playground in the
// same runtime keeps running; the instance starts a new run afterwards.
func TestRefusedEventStopsOnlyItsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		other := New()
		if _, err := other.Start(faultConfig(2, 100, 2)); err != nil {
			t.Fatal(err)
		}
		other.PauseConsumer(true)
		other.Submit(10)
		time.Sleep(time.Second)
		synctest.Wait()
		base := runtime.NumGoroutine()

		pg := New()
		if _, err := pg.Start(faultConfig(3, 500, 1)); err != nil {
			t.Fatal(err)
		}
		pg.Submit(10)
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		_, last := pg.History()
		pg.session().observe(pipeline.Event{Kind: pipeline.ResultEmitted, Worker: 0, JobID: "job-999", Outcome: pipeline.Succeeded})
		wantFault(t, pg, last+1, " (result emitted): worker does not hold job 999's result")
		synctest.Wait()
		if got := runtime.NumGoroutine(); got != base {
			t.Errorf("goroutines %d after the fault; want %d, as before the run", got, base)
		}
		if _, err := pg.Submit(1); err == nil || err.Error() != "submit: the pipeline is done; start a new pipeline" {
			t.Errorf("submit after the fault: %v; want the pipeline done", err)
		}
		if _, f := pg.History(); f != last {
			t.Errorf("history ends at %d after the fault; want %d: nothing more recorded", f, last)
		}

		if snap := other.Snapshot(); snap.Phase != PhaseRunning || snap.Err != "" {
			t.Errorf("the other playground: phase %q, err %q; want running", snap.Phase, snap.Err)
		}
		other.PauseConsumer(false)
		other.Close()
		if _, err := pg.Start(faultConfig(3, 10, 3)); err != nil {
			t.Fatalf("start after the fault: %v", err)
		}
		pg.Submit(5)
		pg.Close()
		for _, p := range []*Playground{other, pg} {
			for p.Snapshot().Phase != PhaseDone {
				time.Sleep(10 * time.Millisecond)
			}
			if snap := p.Snapshot(); snap.Err != "" || snap.Counters.Emitted != uint64(snap.Consumer.Consumed) {
				t.Errorf("after the fault, a run ends with err %q, counters %+v", snap.Err, snap.Counters)
			}
		}
	})
}

// waitGoroutines waits in real time until the process runs at most n
// goroutines.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines; want at most %d", runtime.NumGoroutine(), n)
		}
		runtime.Gosched()
	}
}

// pausedRun starts a run of workers workers on a new playground and
// pauses the world.
func pausedRun(t *testing.T, workers int) *Playground {
	t.Helper()
	pg := New()
	if _, err := pg.Start(faultConfig(workers, 1, 1)); err != nil {
		t.Fatal(err)
	}
	pg.Pause()
	return pg
}

// TestFaultReleasesTheGate: with real goroutines, a refused event while
// the world is paused lets every record waiting at the gate go (they
// record nothing more), rejects a step under way (its channel closes
// without an event), and the run's goroutines return.
func TestFaultReleasesTheGate(t *testing.T) {
	bad := Event{Kind: KindConsumed, Worker: -1, Job: 999}
	t.Run("waiting records", func(t *testing.T) {
		base := runtime.NumGoroutine()
		pg := pausedRun(t, 4)
		pg.Submit(50)
		r := pg.recording()
		deadline := time.Now().Add(10 * time.Second)
		for {
			r.mu.Lock()
			n := len(r.pending)
			r.mu.Unlock()
			if n > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no record came to wait at the gate")
			}
			runtime.Gosched()
		}
		_, last := pg.History()
		r.recordNow(bad)
		wantFault(t, pg, last+1, " (result consumed): job 999's result is not in the results channel")
		waitGoroutines(t, base)
	})
	t.Run("step under way", func(t *testing.T) {
		base := runtime.NumGoroutine()
		pg := pausedRun(t, 2)
		for {
			_, next, err := pg.Step()
			if err != nil {
				t.Fatal(err)
			}
			if next == nil {
				continue // a worker's start was waiting
			}
			_, last := pg.History()
			pg.recording().recordNow(bad)
			select {
			case e, ok := <-next:
				if ok {
					t.Errorf("the step received %s; want its channel closed", e.Text())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the step's channel neither received nor closed")
			}
			wantFault(t, pg, last+1, " (result consumed): job 999's result is not in the results channel")
			break
		}
		if _, _, err := pg.Step(); err == nil {
			t.Error("step after the fault: no error; want the pipeline done")
		}
		waitGoroutines(t, base)
	})
}
