package playground_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestTimelineAgreesWithSnapshotAt: at every event of runs that end every
// way (fail-fast, cancel with a paused consumer, timeouts and panics in an
// ordered pipeline, a slow consumer behind a buffer), each lane's state
// and job at the cursor (goflow.timeline's "at") is what snapshotAt says:
// the workers' state, job and turn, the producer's send and exit, the
// consumer's pause.
func TestTimelineAgreesWithSnapshotAt(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  playground.Config
		run  func(*testing.T, *playground.Playground)
	}{
		{"failFast", playground.Config{Workers: 3, WorkMs: 100, FailRate: 0.3, FailFast: true, Seed: 7}, nil},
		{"cancel", playground.Config{Workers: 3, WorkMs: 100, JobBuffer: 2, Seed: 3}, func(t *testing.T, pg *playground.Playground) {
			pg.PauseConsumer(true)
			settle(500 * time.Millisecond)
			if err := pg.Cancel(); err != nil {
				t.Fatal(err)
			}
		}},
		{"orderedTimeoutsPanics", playground.Config{Workers: 4, WorkMs: 100, JitterMs: 300, TimeoutMs: 250, PanicRate: 0.2, Ordered: true, Seed: 5}, nil},
		{"slowConsumer", playground.Config{Workers: 3, WorkMs: 50, ResultBuffer: 2, ConsumerDelayMs: 200, Seed: 9}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			bubble(t, func(t *testing.T, pg *playground.Playground) {
				start(t, pg, c.cfg)
				submit(t, pg, 12)
				if c.run != nil {
					c.run(t, pg)
				} else {
					settle(200 * time.Millisecond)
					if pg.Snapshot().Phase != playground.PhaseRunning {
						// fail-fast stopped the run
					} else if err := pg.Close(); err != nil {
						t.Fatal(err)
					}
				}
				waitDone(t, pg, time.Minute)
				agreeEveryEvent(t, pg)
			})
		})
	}
}

// agreeEveryEvent compares the lanes' "at" with snapshotAt at every kept
// event of pg's recording.
func agreeEveryEvent(t *testing.T, pg *playground.Playground) {
	t.Helper()
	first, last := pg.History()
	for seq := first; seq <= last; seq++ {
		out, err := pg.Call(nil, "snapshotAt", []any{float64(seq)})
		if err != nil {
			t.Fatal(err)
		}
		var s playground.Snapshot
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatal(err)
		}
		v := callTimeline(t, pg, 0.0, 1e12, 1.0, float64(seq))
		lane := func(i int) (string, string) {
			at := v.Lanes[i].At
			job := ""
			if at[1] != 0 {
				job = "job-" + strconv.Itoa(at[1])
			}
			return v.States[at[0]], job
		}
		for i, w := range s.Workers {
			want := w.State
			if w.Turn {
				want = "waiting for its turn"
			}
			if got, job := lane(1 + i); got != want || job != w.Job {
				t.Fatalf("seq %d: worker %d's lane: %s %q; snapshotAt: %s %q", seq, i, got, job, want, w.Job)
			}
		}
		if got, _ := lane(0); (got == "exited") != s.Producer.Closed {
			t.Fatalf("seq %d: the producer's lane: %s; snapshotAt: closed %v", seq, got, s.Producer.Closed)
		}
		if got, _ := lane(len(v.Lanes) - 1); (got == "paused") != (s.Consumer.Paused && s.Phase != playground.PhaseDone && s.Phase != playground.PhaseCanceled) {
			t.Errorf("seq %d: the consumer's lane: %s; snapshotAt: paused %v, phase %s", seq, got, s.Consumer.Paused, s.Phase)
		}
	}
}

// TestTimelineNewRunAndLoad: the timeline follows the recording on view: a
// new run after a done one (fewer workers), then load() of the first run's
// recording, each agree with snapshotAt at every event.
func TestTimelineNewRunAndLoad(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		run := func(workers int) {
			start(t, pg, playground.Config{Workers: workers, WorkMs: 50, ConsumerDelayMs: 100, Seed: 4})
			submit(t, pg, 8)
			settle(100 * time.Millisecond)
			if err := pg.Close(); err != nil {
				t.Fatal(err)
			}
			waitDone(t, pg, time.Minute)
			agreeEveryEvent(t, pg)
		}
		run(3)
		out, err := pg.Call(nil, "recording", nil)
		if err != nil {
			t.Fatal(err)
		}
		var rec any
		if err := json.Unmarshal(out, &rec); err != nil {
			t.Fatal(err)
		}
		run(2)
		_, last := pg.History()
		if v := callTimeline(t, pg, 0.0, 1e12, 10.0, float64(last)); len(v.Lanes) != 2+2 {
			t.Fatalf("the new run's timeline has %d lanes; want 4", len(v.Lanes))
		}
		if err := pg.Load(rec); err != nil {
			t.Fatal(err)
		}
		_, last = pg.History()
		if v := callTimeline(t, pg, 0.0, 1e12, 10.0, float64(last)); len(v.Lanes) != 3+2 {
			t.Fatalf("the loaded run's timeline has %d lanes; want 5", len(v.Lanes))
		}
		agreeEveryEvent(t, pg)
	})
}
