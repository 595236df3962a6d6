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
