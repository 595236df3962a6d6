package playground_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestLaneStatesOfWorkers: a worker's lane state is its
// pipeline.WorkerState's index in LaneStates, in the same word.
func TestLaneStatesOfWorkers(t *testing.T) {
	for _, s := range []pipeline.WorkerState{pipeline.Idle, pipeline.Busy, pipeline.Blocked, pipeline.Exited} {
		if got := playground.LaneStates[s]; got != s.String() {
			t.Errorf("LaneStates[%d] = %q; want %q", s, got, s.String())
		}
	}
}

// TestTimelineWaitingForTurn: in the ordered scenario (jobs 2 and 3 finish
// while job-1 runs), the workers that hold their results are "waiting for
// its turn" in their lanes, at every event exactly while snapshotAt has
// their turn set, and goflow.why names that cause.
func TestTimelineWaitingForTurn(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, orderedScenario)
		submit(t, pg, 5)
		settle(1 * time.Second)
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		waitDone(t, pg, time.Minute)
		lanes, err := pg.Timeline()
		if err != nil {
			t.Fatal(err)
		}
		turn := map[string]bool{}
		for _, l := range lanes {
			for _, s := range l.Spans {
				if s.State == "waiting for its turn" {
					if !strings.HasPrefix(l.Name, "worker ") || s.ToMs <= s.FromMs {
						t.Errorf("%s: %+v; want a worker's span with a length", l.Name, s)
					}
					turn[s.Job] = true
				}
			}
		}
		if !turn["job-2"] || !turn["job-3"] {
			t.Errorf("jobs waiting for their turn in the lanes: %v; want job-2 and job-3", turn)
		}
		_, last := pg.History()
		for seq := uint64(1); seq <= last; seq++ {
			out, err := pg.Call(nil, "snapshotAt", []any{float64(seq)})
			if err != nil {
				t.Fatal(err)
			}
			var s struct {
				Workers []struct {
					State string
					Turn  bool
				}
			}
			if err := json.Unmarshal(out, &s); err != nil {
				t.Fatal(err)
			}
			v := callTimeline(t, pg, 0.0, 1.0, 1.0, float64(seq))
			for i, w := range s.Workers {
				want := w.State
				if w.Turn {
					want = "waiting for its turn"
				}
				if got := v.States[v.Lanes[1+i].At[0]]; got != want {
					t.Errorf("seq %d, worker %d: the lane says %q; snapshotAt %q (turn %v)", seq, i, got, w.State, w.Turn)
				}
				if w.Turn {
					why, err := pg.Why(seq, "worker "+string(rune('0'+i)))
					if err != nil {
						t.Fatal(err)
					}
					if why.State != "waiting for its turn" || !strings.Contains(why.Text, "the pipeline is ordered: an earlier job's result is not emitted yet, so it waits for its turn") {
						t.Errorf("seq %d: why: %+v", seq, why)
					}
				}
			}
		}
	})
}

// TestWhyBlockedWithRoom: at every event of a slow-consumer run with a
// results buffer, a blocked worker's explanation says the results channel
// is full when it is, and that the send goes through at once when the
// consumer has just made room (the worker's send is recorded at a later
// event): never "full (0 of 1)".
func TestWhyBlockedWithRoom(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 4, WorkMs: 300, JitterMs: 200, JobBuffer: 2, ResultBuffer: 1, ConsumerDelayMs: 250, Seed: 7})
		submit(t, pg, 20)
		settle(time.Second)
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		waitDone(t, pg, time.Minute)
		_, last := pg.History()
		full, room := 0, 0
		for seq := uint64(1); seq <= last; seq++ {
			s, err := pg.SnapshotAt(seq)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range s.Workers {
				if w.State != "blocked" {
					continue
				}
				why, err := pg.Why(seq, "worker "+string(rune('0'+i)))
				if err != nil {
					t.Fatal(err)
				}
				want := "the results channel is full (1 of 1), so its send waits until the consumer takes a result."
				if s.Results.Len < 1 {
					want = "the results channel has room now (0 of 1), so its send goes through at once."
					room++
				} else {
					full++
				}
				if !strings.Contains(why.Text, want) {
					t.Errorf("seq %d, worker %d (results len %d): %q; want it to say %q", seq, i, s.Results.Len, why.Text, want)
				}
			}
		}
		if full == 0 || room == 0 {
			t.Errorf("blocked workers with the results channel full: %d, with room: %d; want both", full, room)
		}
	})
}
