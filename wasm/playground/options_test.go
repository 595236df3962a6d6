package playground_test

import (
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// The guided scenarios' configs, as web/scenarios.js has them: with seed
// 624, job-1 works 2.75 s and jobs 2 to 5 at most 0.9 s; with seed 7, job-2
// fails first, at 0.67 s, while job-1 (0.75 s) and job-3 (1.1 s) still run.
var (
	orderedScenario  = playground.Config{Workers: 3, WorkMs: 400, JitterMs: 2400, Seed: 624, Ordered: true}
	failFastScenario = playground.Config{Workers: 3, WorkMs: 600, JitterMs: 600, FailRate: 0.3, Seed: 7, FailFast: true}
)

// turns returns, per worker, "state/job" with "/turn" while it waits for
// its turn, sorted (which worker takes which job is not decided).
func turns(snap playground.Snapshot) []string {
	var out []string
	for _, w := range snap.Workers {
		s := w.State + "/" + w.Job
		if w.Turn {
			s += "/turn"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// reloaded returns a new playground that loaded pg's recording, and the
// recording's JSON.
func reloaded(t *testing.T, pg *playground.Playground) (*playground.Playground, []byte) {
	t.Helper()
	rec, err := pg.AppendRecordingJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	other := playground.New()
	if err := other.Load(string(rec)); err != nil {
		t.Fatalf("load: %v", err)
	}
	return other, rec
}

func TestOrderedWaitsForTurn(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, orderedScenario)
		submit(t, pg, 5)
		settle(1 * time.Second) // jobs 2 and 3 are done; job-1 runs until 2.75 s
		snap := pg.Snapshot()
		want := []string{"blocked/job-2/turn", "blocked/job-3/turn", "busy/job-1"}
		if got := turns(snap); !slices.Equal(got, want) {
			t.Errorf("workers at 1 s = %q; want %q", got, want)
		}
		if snap.Counters.Emitted != 0 || snap.Err != "" {
			t.Errorf("emitted %d, err %q; want 0 and \"\" while job-1 holds the line", snap.Counters.Emitted, snap.Err)
		}
		// The time machine has the same state at the same event.
		at, err := pg.SnapshotAt(snap.Seq)
		if err != nil || !slices.Equal(turns(at), want) {
			t.Errorf("snapshotAt(%d) workers = %q, %v; want %q", snap.Seq, turns(at), err, want)
		}
		if got := pg.Recorded("turn awaited"); !slices.Equal(got, []int{2, 3}) && !slices.Equal(got, []int{3, 2}) {
			t.Errorf("turn awaited events for jobs %v; want 2 and 3", got)
		}
		other, _ := reloaded(t, pg)
		if got, err := other.SnapshotAt(snap.Seq); err != nil || !slices.Equal(turns(got), want) {
			t.Errorf("loaded snapshotAt(%d) workers = %q, %v; want %q", snap.Seq, turns(got), err, want)
		}
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		end := waitDone(t, pg, time.Minute)
		checkEnded(t, end)
		if got := pg.Recorded("result consumed"); !slices.Equal(got, []int{1, 2, 3, 4, 5}) {
			t.Errorf("consumed %v; want jobs 1 to 5 in order", got)
		}
		if end.Err != "" || pg.PipelineErr() != nil {
			t.Errorf("err after a drain = %q (pipeline: %v); want \"\"", end.Err, pg.PipelineErr())
		}
		// No worker keeps the flag once its result is emitted.
		for _, w := range end.Workers {
			if w.Turn {
				t.Errorf("worker %d still waits for its turn at the end", w.ID)
			}
		}
	})
}

func TestUnorderedNeverWaitsForTurn(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		cfg := orderedScenario
		cfg.Ordered = false
		start(t, pg, cfg)
		submit(t, pg, 5)
		settle(1 * time.Second)
		for _, w := range pg.Snapshot().Workers {
			if w.Turn {
				t.Errorf("worker %d waits for its turn; want no turns without ordered", w.ID)
			}
		}
		if got := pg.Recorded("turn awaited"); len(got) != 0 {
			t.Errorf("turn awaited for jobs %v; want none", got)
		}
		if err := pg.Cancel(); err != nil {
			t.Fatal(err)
		}
		waitDone(t, pg, time.Minute)
	})
}

func TestFailFastStopsWithErr(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, failFastScenario)
		submit(t, pg, 20)
		// No close: the first failure ends the run by itself.
		end := waitDone(t, pg, time.Minute)
		checkEnded(t, end)
		const want = "simulated failure in job-2"
		if end.Err != want {
			t.Errorf("err = %q; want %q", end.Err, want)
		}
		if got := pg.PipelineErr(); got == nil || got.Error() != end.Err {
			t.Errorf("pipeline.Err() = %v; want the snapshot's %q", got, end.Err)
		}
		if end.Counters.Failed != 1 || end.Consumer.Last == "" || end.Producer.Sent >= 20 {
			t.Errorf("failed %d, last %q, sent %d; want 1 failure consumed and the producer stopped early",
				end.Counters.Failed, end.Consumer.Last, end.Producer.Sent)
		}
		if slices.Index(pg.Recorded("result consumed"), 2) < 0 {
			t.Errorf("the failed job-2's result was not consumed: %v", pg.Recorded("result consumed"))
		}
		// The recording has the error too: err appears when the results
		// channel closes, not before.
		var closedAt uint64
		for s := end.Seq; s > 0; s-- {
			snap, err := pg.SnapshotAt(s)
			if err != nil {
				t.Fatal(err)
			}
			if !snap.Results.Closed {
				closedAt = s + 1
				if snap.Err != "" {
					t.Errorf("snapshotAt(%d) err = %q before the results channel closed; want \"\"", s, snap.Err)
				}
				break
			}
			if snap.Err != want {
				t.Errorf("snapshotAt(%d) err = %q; want %q", s, snap.Err, want)
			}
		}
		if closedAt == 0 {
			t.Error("no moment with the results channel open")
		}
		// A recording carries the error: loaded elsewhere, it shows the same.
		other, rec := reloaded(t, pg)
		if got, err := other.SnapshotAt(end.Seq); err != nil || got.Err != want || got.Counters != end.Counters {
			t.Errorf("loaded snapshotAt(%d) = err %q, counters %+v (%v); want %q, %+v", end.Seq, got.Err, got.Counters, err, want, end.Counters)
		}
		// A recording whose error names a job never sent, or an unknown
		// code, is refused.
		closed := regexp.MustCompile(`,14,-1,2,(\d+)\]`)
		if !closed.Match(rec) {
			t.Fatalf("no results closed event for job-2 in %s", rec)
		}
		for bad, wantErr := range map[string]string{
			`,14,-1,999,2]`: "job 999 was never sent",
			`,14,-1,2,9]`:   "err code or dropped count out of range",
			`,14,-1,0,2]`:   "job 0 was never sent",
		} {
			err := other.Load(closed.ReplaceAllString(string(rec), bad))
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Errorf("load with %s = %v; want an error containing %q", bad, err, wantErr)
			}
		}
		// Stats.Dropped rides on the same event: arg = code | dropped<<8.
		if err := other.Load(closed.ReplaceAllString(string(rec), `,14,-1,2,258]`)); err != nil {
			t.Fatalf("load with 1 dropped: %v", err)
		}
		if got, _ := other.SnapshotAt(end.Seq); got.Counters.Dropped != 1 || got.Err != want {
			t.Errorf("loaded with arg 2|1<<8: dropped %d, err %q; want 1 and %q", got.Counters.Dropped, got.Err, want)
		}
		if _, err := pg.Submit(1); err == nil || !strings.Contains(err.Error(), "failFast") {
			t.Errorf("Submit after a fail-fast stop = %v; want an error naming failFast", err)
		}
	})
}

func TestFailFastErrTexts(t *testing.T) {
	tests := []struct {
		name string
		cfg  playground.Config
		want string
	}{
		{"panic", playground.Config{Workers: 2, WorkMs: 100, PanicRate: 1, Seed: 1, FailFast: true},
			"pipeline: handler panicked: simulated panic in job-"},
		{"timeout", playground.Config{Workers: 2, WorkMs: 100, TimeoutMs: 50, Seed: 1, FailFast: true},
			`pipeline: job "job-`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bubble(t, func(t *testing.T, pg *playground.Playground) {
				start(t, pg, tt.cfg)
				submit(t, pg, 6)
				end := waitDone(t, pg, time.Minute)
				checkEnded(t, end)
				got := pg.PipelineErr()
				if got == nil || end.Err != got.Error() || !strings.HasPrefix(end.Err, tt.want) {
					t.Errorf("err = %q, pipeline.Err() = %v; want them equal, starting %q", end.Err, got, tt.want)
				}
			})
		})
	}
}

func TestErrAfterCancelAndWithoutFailFast(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 2, WorkMs: 500, Seed: 1})
		submit(t, pg, 4)
		settle(100 * time.Millisecond)
		if err := pg.Cancel(); err != nil {
			t.Fatal(err)
		}
		end := waitDone(t, pg, time.Minute)
		if end.Err != "context canceled" || end.Err != pg.PipelineErr().Error() {
			t.Errorf("err after cancel = %q; want %q", end.Err, "context canceled")
		}
		// Without failFast a failure is a result like any other.
		cfg := failFastScenario
		cfg.FailFast = false
		end = runToEnd(t, pg, cfg, 8)
		if end.Err != "" || end.Counters.Failed == 0 || end.Counters.Received != 8 {
			t.Errorf("without failFast: err %q, failed %d, received %d; want \"\", some, 8", end.Err, end.Counters.Failed, end.Counters.Received)
		}
	})
}

// TestOptionsRealGoroutines runs ordered and fail-fast sessions outside a
// bubble, where the workers really run at once.
func TestOptionsRealGoroutines(t *testing.T) {
	pg := playground.New()
	if err := pg.SetSpeed(playground.MaxSpeed); err != nil {
		t.Fatal(err)
	}
	wait := func() playground.Snapshot {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			if snap := pg.Snapshot(); snap.Phase == playground.PhaseDone {
				return snap
			}
			if time.Now().After(deadline) {
				t.Fatalf("not done after 30 s: %+v", pg.Snapshot())
			}
			runtime.Gosched()
		}
	}
	for i := range 20 {
		start(t, pg, playground.Config{Workers: 4, WorkMs: 0, JitterMs: 2, Seed: float64(i + 1), Ordered: true})
		submit(t, pg, 50)
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		end := wait()
		got := pg.Recorded("result consumed")
		if len(got) != 50 || !slices.IsSorted(got) || end.Err != "" {
			t.Fatalf("ordered run %d consumed %v, err %q; want jobs 1 to 50 in order", i, got, end.Err)
		}
		start(t, pg, playground.Config{Workers: 4, WorkMs: 0, JitterMs: 2, FailRate: 0.2, Seed: float64(i + 1), FailFast: true, Ordered: i%2 == 0})
		submit(t, pg, 200)
		end = wait()
		if perr := pg.PipelineErr(); perr == nil || end.Err != perr.Error() || !strings.HasPrefix(end.Err, "simulated failure in job-") {
			t.Fatalf("fail-fast run %d: err %q, pipeline.Err() %v; want the same failure", i, end.Err, perr)
		}
	}
}
