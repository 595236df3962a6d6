package playground_test

import (
	"encoding/json"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// event is an event as events() returns it.
type event struct {
	Seq    uint64  `json:"seq"`
	Ms     float64 `json:"ms"`
	Kind   string  `json:"kind"`
	Worker int     `json:"worker"`
	Job    int     `json:"job"`
	Arg    int64   `json:"arg"`
	Text   string  `json:"text"`
}

// allEvents returns the whole kept log of pg.
func allEvents(t *testing.T, pg *playground.Playground) []event {
	t.Helper()
	var out []event
	first, last := pg.History()
	for from := first; from <= last && from > 0; from += playground.MaxEvents {
		to := min(from+playground.MaxEvents-1, last)
		var evs []event
		if err := json.Unmarshal([]byte(mustCall(t, pg, "events", float64(from), float64(to))), &evs); err != nil {
			t.Fatal(err)
		}
		out = append(out, evs...)
	}
	return out
}

func pause(t *testing.T, pg *playground.Playground) {
	t.Helper()
	mustCall(t, pg, "pause")
}

// TestPauseStopsTheWorld: while paused, nothing is received, finished,
// emitted, failed or timed out, for any length of time; resume goes on.
func TestPauseStopsTheWorld(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 3, WorkMs: 100, JitterMs: 50, ResultBuffer: 1,
			ConsumerDelayMs: 20, TimeoutMs: 130, FailRate: 0.2, Seed: 7})
		submit(t, pg, 20)
		settle(120 * time.Millisecond)
		pause(t, pg)
		synctest.Wait()
		before := pg.Snapshot()
		if !before.Paused {
			t.Fatalf("snapshot after pause: paused = false; want true")
		}
		for _, d := range []time.Duration{time.Millisecond, time.Second, time.Hour, 24 * time.Hour} {
			settle(d)
			if after := pg.Snapshot(); !reflect.DeepEqual(after, before) {
				t.Fatalf("after %v paused the snapshot changed:\n got %+v\nwant %+v", d, after, before)
			}
		}
		if before.Counters.Received == 0 || before.Counters.Received == 20 {
			t.Fatalf("paused with %d jobs received; want a run under way", before.Counters.Received)
		}
		mustCall(t, pg, "resume")
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		snap := waitDone(t, pg, time.Minute)
		checkEnded(t, snap)
		if snap.Counters.Received != 20 || snap.Paused {
			t.Errorf("after resume: received %d, paused %v; want 20 and false", snap.Counters.Received, snap.Paused)
		}
	})
}

// TestTimeoutDoesNotRunWhilePaused: a job with timeoutMs < workMs does not
// time out during a pause; it does once the rest of its timeout has passed
// after resume, at the right simulated time.
func TestTimeoutDoesNotRunWhilePaused(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, WorkMs: 1000, TimeoutMs: 100})
		submit(t, pg, 1)
		settle(60 * time.Millisecond)
		pause(t, pg)
		settle(10 * time.Minute)
		if snap := pg.Snapshot(); snap.Counters.Failed != 0 || snap.Workers[0].State != "busy" {
			t.Fatalf("after 10 minutes paused: failed %d, worker %q; want 0 and busy", snap.Counters.Failed, snap.Workers[0].State)
		}
		mustCall(t, pg, "resume")
		settle(30 * time.Millisecond) // 90 ms of the 100 have passed
		if snap := pg.Snapshot(); snap.Counters.Failed != 0 {
			t.Fatalf("90 simulated ms into a 100 ms timeout: failed %d; want 0", snap.Counters.Failed)
		}
		settle(20 * time.Millisecond)
		snap := pg.Snapshot()
		if snap.Counters.Failed != 1 || !logHas(snap, "failed (timeout)") {
			t.Fatalf("110 simulated ms into a 100 ms timeout: failed %d; want 1 timeout\n%s", snap.Counters.Failed, logText(snap))
		}
		var taken, finished float64
		for _, e := range allEvents(t, pg) {
			switch e.Kind {
			case "job taken":
				taken = e.Ms
			case "handler finished":
				finished = e.Ms
			}
		}
		if got := finished - taken; got < 100 || got > 101 {
			t.Errorf("the job ran %v simulated ms before its timeout; want 100", got)
		}
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Minute))
	})
}

// TestSpeedChangeReachesTimeouts: a speed change applies at once to a
// timeout already running.
func TestSpeedChangeReachesTimeouts(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, WorkMs: 1000, TimeoutMs: 100})
		submit(t, pg, 1)
		settle(50 * time.Millisecond) // 50 of the 100 simulated ms
		mustCall(t, pg, "setSpeed", 0.5)
		settle(90 * time.Millisecond) // 45 more simulated ms
		if snap := pg.Snapshot(); snap.Counters.Failed != 0 {
			t.Fatalf("95 simulated ms into a 100 ms timeout: failed %d; want 0 (the timeout did not slow down)", snap.Counters.Failed)
		}
		settle(20 * time.Millisecond) // 10 more
		if snap := pg.Snapshot(); snap.Counters.Failed != 1 {
			t.Fatalf("105 simulated ms into a 100 ms timeout: failed %d; want 1", snap.Counters.Failed)
		}
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Minute))
	})
}

// TestStepRecordsOneEvent: each step records exactly one event and pauses
// again, whether a goroutine was already waiting to record or the run had
// to move; a whole run can be stepped through to the end.
func TestStepRecordsOneEvent(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 2, WorkMs: 100, JitterMs: 100, ConsumerDelayMs: 10, Seed: 3})
		submit(t, pg, 4)
		pg.Close()
		pause(t, pg)
		synctest.Wait()
		moved, waited := 0, 0
		for steps := 0; ; steps++ {
			if steps > 200 {
				t.Fatal("not done after 200 steps")
			}
			_, before := pg.History()
			e, next, err := pg.Step()
			if err != nil {
				if pg.Snapshot().Phase == playground.PhaseDone {
					break
				}
				t.Fatal(err)
			}
			if next != nil {
				moved++
				var ok bool
				if e, ok = <-next; !ok {
					t.Fatal("step channel closed without an event")
				}
			} else {
				waited++
			}
			settle(time.Hour) // the world stays paused after a step
			_, after := pg.History()
			snap := pg.Snapshot()
			want := before + 1
			if e.Kind.String() != "done" && snap.Phase == playground.PhaseDone {
				want++ // the last exit brings its done event
			}
			if e.Seq != before+1 || after != want || !snap.Paused {
				t.Fatalf("step %d: event %d, history.last %d → %d, paused %v; want event %d, last %d, paused",
					steps, e.Seq, before, after, snap.Paused, before+1, want)
			}
		}
		if moved == 0 || waited == 0 {
			t.Errorf("steps that moved the run: %d, that took a waiting record: %d; want both", moved, waited)
		}
		checkEnded(t, pg.Snapshot())
		if c := pg.Snapshot().Counters; c.Received != 4 || c.Emitted != 4 {
			t.Errorf("counters %+v; want 4 received and emitted", c)
		}
	})
}

// TestStepCall: goflow.step() answers with the event, or {"pending":true}
// when the run must move; step after the end is an error.
func TestStepCall(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		wantError(t, pg, "step: no pipeline; call start first", "step")
		start(t, pg, playground.Config{Workers: 1, WorkMs: 100})
		synctest.Wait()
		pause(t, pg)
		if got := mustCall(t, pg, "step"); got != `{"pending":true}` {
			t.Errorf("step() with nothing waiting = %s; want {\"pending\":true}", got)
		}
		wantError(t, pg, "step: a step is already under way; wait for its event", "step")
		submit(t, pg, 1)
		synctest.Wait()
		// The submit was the pending step's one more event; the producer's
		// send and the worker's take wait at the gate: step them in.
		var e event
		for i := 0; e.Kind != "job taken"; i++ {
			if err := json.Unmarshal([]byte(mustCall(t, pg, "step")), &e); err != nil || e.Seq == 0 || i == 3 {
				t.Fatalf("step() = %+v, %v; want an event, the worker taking job 1 within 3 steps", e, err)
			}
		}
		// CallStep, what the binding uses: a channel when the run must move.
		if out, wait, err := pg.CallStep(nil); err != nil || wait == nil || len(out) != 0 {
			t.Fatalf("CallStep with nothing waiting = %q, %v, %v; want a channel", out, wait, err)
		} else if err := json.Unmarshal(<-wait, &e); err != nil || e.Kind != "handler finished" {
			t.Errorf("CallStep's event = %+v, %v; want the handler finishing", e, err)
		}
		mustCall(t, pg, "resume")
		pg.Close()
		waitDone(t, pg, time.Minute)
		wantError(t, pg, "step: the pipeline is done; nothing more will happen; start a new pipeline", "step")
	})
}

type jobFate struct {
	outcome string
	work    float64
}

// fates runs cfg with n jobs and returns each job's outcome and work time
// (from taken to finished, in simulated ms).
func fates(t *testing.T, cfg playground.Config, n int) map[int]jobFate {
	t.Helper()
	out := make(map[int]jobFate)
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		runToEnd(t, pg, cfg, n)
		taken := make(map[int]float64)
		for _, e := range allEvents(t, pg) {
			switch e.Kind {
			case "job taken":
				taken[e.Job] = e.Ms
			case "handler finished":
				work := math.Round((e.Ms-taken[e.Job])*1e6) / 1e6 // to the nanosecond
				out[e.Job] = jobFate{e.Text[strings.Index(e.Text, ": ")+2:], work}
			}
		}
	})
	if len(out) != n {
		t.Fatalf("%d jobs finished; want %d", len(out), n)
	}
	return out
}

// TestSeedDecidesEachJob: the same seed and config give every job the same
// outcome (failure, panic) and work time, whatever the order the workers
// take the jobs in (4 workers versus 1); another seed does not.
func TestSeedDecidesEachJob(t *testing.T) {
	cfg := playground.Config{Workers: 4, WorkMs: 20, JitterMs: 80, FailRate: 0.3, PanicRate: 0.2, ResultBuffer: 4, Seed: 12345}
	a := fates(t, cfg, 40)
	one := cfg
	one.Workers = 1
	if b := fates(t, one, 40); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, two runs: jobs differ:\n%v\n%v", a, b)
	}
	kinds := make(map[string]int)
	for _, f := range a {
		kinds[f.outcome]++
	}
	if kinds["failed (error)"] == 0 || kinds["failed (panic)"] == 0 || kinds["succeeded"] == 0 {
		t.Errorf("outcomes %v; want some of each", kinds)
	}
	other := cfg
	other.Seed = 54321
	if c := fates(t, other, 40); reflect.DeepEqual(a, c) {
		t.Errorf("seeds 12345 and 54321 gave the same jobs")
	}
}

// TestStartPicksASeed: without a seed, start picks one and the snapshot
// reports it.
func TestStartPicksASeed(t *testing.T) {
	pg := playground.New()
	cfg, err := pg.Start(playground.Config{Workers: 1, WorkMs: 0})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seed < 1 || cfg.Seed > playground.MaxSeed || pg.Snapshot().Config.Seed != cfg.Seed {
		t.Errorf("seed %v, snapshot's %v; want the same, from 1 to 2^53-1", cfg.Seed, pg.Snapshot().Config.Seed)
	}
	pg.Cancel()
}

// runScripted runs a session with failures, a paused consumer and a
// cancel partway, and returns pg at its end.
func runScripted(t *testing.T, pg *playground.Playground) {
	t.Helper()
	start(t, pg, playground.Config{Workers: 4, WorkMs: 50, JitterMs: 50, FailRate: 0.3, PanicRate: 0.1,
		TimeoutMs: 90, JobBuffer: 2, ResultBuffer: 2, ConsumerDelayMs: 5, Seed: 99})
	submit(t, pg, 30)
	settle(200 * time.Millisecond)
	pg.PauseConsumer(true)
	mustCall(t, pg, "setSpeed", 0.5)
	settle(100 * time.Millisecond)
	pg.PauseConsumer(false)
	pause(t, pg)
	settle(time.Second)
	mustCall(t, pg, "resume")
	settle(100 * time.Millisecond)
	if err := pg.Cancel(); err != nil {
		t.Fatal(err)
	}
	checkEnded(t, waitDone(t, pg, time.Minute))
}

// TestSnapshotAtLastIsLive: at the end of a run, snapshotAt(last) is the
// live snapshot; along the log no counter ever decreases.
func TestSnapshotAtLastIsLive(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		runScripted(t, pg)
		first, last := pg.History()
		at, err := pg.SnapshotAt(last)
		if err != nil {
			t.Fatal(err)
		}
		if live := pg.Snapshot(); !reflect.DeepEqual(at, live) {
			t.Errorf("snapshotAt(%d) != snapshot():\n got %+v\nwant %+v", last, at, live)
		}
		var prev playground.Snapshot
		for seq := first; seq <= last; seq++ {
			s, err := pg.SnapshotAt(seq)
			if err != nil {
				t.Fatal(err)
			}
			if s.Seq != seq {
				t.Fatalf("snapshotAt(%d).seq = %d", seq, s.Seq)
			}
			c, p := s.Counters, prev.Counters
			if c.Received < p.Received || c.Succeeded < p.Succeeded || c.Failed < p.Failed || c.Canceled < p.Canceled ||
				c.Emitted < p.Emitted || s.Consumer.Consumed < prev.Consumer.Consumed || s.Producer.Sent < prev.Producer.Sent {
				t.Fatalf("seq %d: counters went down: %+v after %+v", seq, s.Counters, prev.Counters)
			}
			if c.Received != c.Succeeded+c.Failed+c.Canceled+uint64(s.Gauges.Busy) {
				t.Fatalf("seq %d: received %d != outcomes + busy (%+v, busy %d)", seq, c.Received, c, s.Gauges.Busy)
			}
			prev = s
		}
		if prev.Counters.Canceled == 0 && prev.Counters.Failed == 0 {
			t.Errorf("final counters %+v; want failures and cancellations in the script", prev.Counters)
		}
	})
}

// TestRecordingRoundTrip: recording() then load() (as an object and as JSON
// text) gives equal snapshots at every event, and the same live snapshot.
func TestRecordingRoundTrip(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		runScripted(t, pg)
		text := mustCall(t, pg, "recording")
		var obj map[string]any
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			t.Fatal(err)
		}
		if obj["version"] != 1.0 || obj["config"].(map[string]any)["seed"] != 99.0 {
			t.Errorf("recording version %v, seed %v; want 1 and 99", obj["version"], obj["config"].(map[string]any)["seed"])
		}
		first, last := pg.History()
		for _, arg := range []any{obj, text} {
			other := playground.New()
			if _, err := other.Call(nil, "load", []any{arg}); err != nil {
				t.Fatalf("load(%T): %v", arg, err)
			}
			if f, l := other.History(); f != first || l != last {
				t.Errorf("history after load = %d..%d; want %d..%d", f, l, first, last)
			}
			if got, want := other.Snapshot(), pg.Snapshot(); !reflect.DeepEqual(got, want) {
				t.Errorf("snapshot after load:\n got %+v\nwant %+v", got, want)
			}
			for seq := first; seq <= last; seq++ {
				a, _ := pg.SnapshotAt(seq)
				b, err := other.SnapshotAt(seq)
				if err != nil || !reflect.DeepEqual(a, b) {
					t.Fatalf("snapshotAt(%d) after load differs (%v):\n got %+v\nwant %+v", seq, err, b, a)
				}
			}
			if again := mustCall(t, other, "recording"); again != text {
				t.Errorf("recording after load differs from the one loaded")
			}
		}
	})
}

// TestLoadStopsTheLiveRun: load replaces a live (even paused) session; no
// live run until the next start.
func TestLoadStopsTheLiveRun(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, WorkMs: 100, Seed: 5})
		submit(t, pg, 2)
		settle(50 * time.Millisecond)
		rec := mustCall(t, pg, "recording")
		pause(t, pg)
		mustCall(t, pg, "load", rec)
		synctest.Wait()
		if _, err := pg.Submit(1); err == nil || !strings.Contains(err.Error(), "no pipeline") {
			t.Errorf("submit after load: %v; want no pipeline", err)
		}
		mustCall(t, pg, "resume")
		start(t, pg, playground.Config{Workers: 1, WorkMs: 10})
		submit(t, pg, 1)
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Minute))
	})
}

// TestBadRecordingsRefused: malformed, other-version and hostile
// recordings are refused with a message naming the problem, and the
// playground keeps what it had.
func TestBadRecordingsRefused(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 2, WorkMs: 10, Seed: 8})
		submit(t, pg, 3)
		pg.Close()
		waitDone(t, pg, time.Minute)
		good := mustCall(t, pg, "recording")
		before := pg.Snapshot()
		edit := func(old, new string) string { return strings.Replace(good, old, new, 1) }
		cases := []struct {
			name string
			arg  any
			want string
		}{
			{"number", 5.0, "load: recording: got 5; want an object"},
			{"not JSON", "{", "load: recording: invalid JSON at byte 1"},
			{"too deep", strings.Repeat("[", 100), "nested too deep"},
			{"version", edit(`"version":1`, `"version":2`), "load: recording.version: got 2; want 1"},
			{"no version", edit(`"version":1,`, ``), "load: recording.version: got undefined; want 1"},
			{"unknown key", edit(`"version":1`, `"version":1,"extra":0`), `load: recording: unknown key "extra"`},
			{"bad config", edit(`"workers":2`, `"workers":1000`), "load: recording.config: workers: got 1000; want an integer from 1 to 64"},
			{"events type", edit(`"events":[`, `"events":"x","e":[`), "load: recording"},
			{"no events", edit(`"events":[`, `"events":[],"x":[`), "load: recording"},
			{"wrong type", edit(`[1,`, `["1",`), `load: recording.events[0]: [0]: got "1"; want an integer`},
			{"short event", edit(`[1,`, `[1,2],[1,`), "load: recording.events[0]: got an array of length 2; want an array of 6 integers"},
			{"out of order", edit(`[2,`, `[3,`), "sequence number 3 after 1; want 2"},
			{"huge count", edit(`,2,-1,0,3]`, `,2,-1,0,1000000000]`), "(submit): submit count out of range"},
			{"worker out of range", edit(`,8,0,0,0]`, `,8,1000,0,0]`), "worker: got 1000"},
			{"first without base", edit(`"first":1`, `"first":5`), "load: recording.base: got null; want an array of 19 items"},
			{"absurd size", strings.Repeat(" ", 17<<20), "load: recording: got 17825792 bytes of JSON; want at most 16777216"},
		}
		for _, c := range cases {
			_, err := pg.Call(nil, "load", []any{c.arg})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: load error = %v; want it to contain %q", c.name, err, c.want)
			}
			if after := pg.Snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("%s: the snapshot changed after a refused load", c.name)
			}
		}
		mustCall(t, pg, "load", good)
		start(t, pg, playground.Config{Workers: 1, WorkMs: 10})
		pg.Close()
		checkEnded(t, waitDone(t, pg, time.Minute))
	})
}

// TestLongRecording: past ringEvents events the oldest are dropped a
// keyframe's worth at a time; at least 100,000 stay, and the state at the
// first kept event is exact.
func TestLongRecording(t *testing.T) {
	first, last, got, want := playground.LongRecording(150000)
	if last != 150001 || last-first+1 < 100000 || first == 1 {
		t.Errorf("history %d..%d; want the last 100,000 events or more of 150,001, not all", first, last)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshotAt(first):\n got %+v\nwant %+v", got, want)
	}
}

// TestPlaygroundsAreIndependent: two playgrounds side by side, with
// different configs: neither's counters, goroutines, pause or speed move
// the other's.
func TestPlaygroundsAreIndependent(t *testing.T) {
	bubble(t, func(t *testing.T, a *playground.Playground) {
		b := playground.New()
		start(t, a, playground.Config{Workers: 2, WorkMs: 100, Seed: 1})
		start(t, b, playground.Config{Workers: 5, WorkMs: 10, Seed: 2})
		submit(t, a, 3)
		submit(t, b, 20)
		mustCall(t, b, "setSpeed", 0.5)
		settle(50 * time.Millisecond)
		pause(t, a)
		settle(time.Second)
		sa, sb := a.Snapshot(), b.Snapshot()
		if sa.Goroutines != 2+2 || sb.Goroutines != 5+2 {
			t.Errorf("goroutines %d and %d; want 4 and 7", sa.Goroutines, sb.Goroutines)
		}
		if sa.Counters.Received != 2 || sa.Counters.Emitted != 0 || !sa.Paused || sa.Speed != 1 {
			t.Errorf("a: %+v, paused %v, speed %v; want 2 received, none emitted, paused at speed 1", sa.Counters, sa.Paused, sa.Speed)
		}
		if sb.Counters.Emitted != 20 || sb.Paused || sb.Speed != 0.5 {
			t.Errorf("b: %+v, paused %v, speed %v; want 20 emitted, running at 0.5", sb.Counters, sb.Paused, sb.Speed)
		}
		mustCall(t, a, "resume")
		a.Close()
		b.Close()
		checkEnded(t, waitDone(t, a, time.Minute))
		checkEnded(t, waitDone(t, b, time.Minute))
	})
}

// TestPauseStepResumeRealGoroutines drives pause, step and resume from
// several goroutines in real time (no bubble), for the race detector.
func TestPauseStepResumeRealGoroutines(t *testing.T) {
	pg := playground.New()
	start(t, pg, playground.Config{Workers: 8, WorkMs: 1, JitterMs: 2, JobBuffer: 4, ResultBuffer: 4, FailRate: 0.2, TimeoutMs: 2, Seed: 4})
	submit(t, pg, 300)
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			for i := range 100 {
				switch (g + i) % 4 {
				case 0:
					pg.Pause()
				case 1:
					if _, next, err := pg.Step(); err == nil && next != nil {
						select {
						case <-next:
						case <-time.After(time.Second): // another goroutine may resume first
						}
					}
				case 2:
					pg.Resume()
				case 3:
					first, last := pg.History()
					if _, err := pg.SnapshotAt(first + (last-first)/2); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	pg.Resume()
	pg.Close()
	deadline := time.Now().Add(30 * time.Second)
	for pg.Snapshot().Phase != playground.PhaseDone {
		if time.Now().After(deadline) {
			t.Fatalf("not done: %+v", pg.Snapshot())
		}
		runtime.Gosched()
	}
	_, last := pg.History()
	at, _ := pg.SnapshotAt(last)
	if live := pg.Snapshot(); !reflect.DeepEqual(at, live) {
		t.Errorf("snapshotAt(last) != snapshot() after a real run")
	}
	if c := pg.Snapshot().Counters; c.Received != 300 || c.Emitted != 300 {
		t.Errorf("counters %+v; want 300 received and emitted", c)
	}
}

// TestTimeMachineCallErrors: each new function checks its input and names
// the function and the field.
func TestTimeMachineCallErrors(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		wantError(t, pg, "snapshotAt: no recording; call start or load first", "snapshotAt", 1.0)
		wantError(t, pg, "events: no recording; call start or load first", "events", 1.0, 1.0)
		wantError(t, pg, "recording: no recording; call start or load first", "recording")
		if got := mustCall(t, pg, "history"); got != `{"first":0,"last":0}` {
			t.Errorf("history() before start = %s", got)
		}
		start(t, pg, playground.Config{Workers: 1, WorkMs: 0, Seed: 1})
		submit(t, pg, 20)
		pg.Close()
		waitDone(t, pg, time.Minute)
		_, last := pg.History()
		wantError(t, pg, `snapshotAt: seq: got "1"; want an integer from 0 to 9007199254740991`, "snapshotAt", "1")
		wantError(t, pg, `snapshotAt: seq: got 1.5; want an integer from 0 to 9007199254740991`, "snapshotAt", 1.5)
		wantError(t, pg, `snapshotAt: seq: got undefined; want an integer from 0 to 9007199254740991`, "snapshotAt")
		wantError(t, pg, "snapshotAt: seq: got 0; want an integer from 1 to "+itoa(last), "snapshotAt", 0.0)
		wantError(t, pg, "snapshotAt: seq: got "+itoa(last+1)+"; want an integer from 1 to "+itoa(last), "snapshotAt", float64(last+1))
		wantError(t, pg, "snapshotAt: got 2 arguments; want 1 (seq)", "snapshotAt", 1.0, 2.0)
		wantError(t, pg, "events: to: got 1; want an integer from 2 to "+itoa(last), "events", 2.0, 1.0)
		wantError(t, pg, "events: from: got null; want an integer from 0 to 9007199254740991", "events", nil, 1.0)
		wantError(t, pg, "pause: got 1 argument; want none", "pause", true)
		wantError(t, pg, "load: recording: got undefined; want an object", "load")
		var evs []event
		if err := json.Unmarshal([]byte(mustCall(t, pg, "events", 1.0, float64(last))), &evs); err != nil || len(evs) != int(last) {
			t.Errorf("events(1, %d): %d events, %v", last, len(evs), err)
		}
		if evs[0].Kind != "start" || evs[len(evs)-1].Kind != "done" {
			t.Errorf("events run from %q to %q; want start to done", evs[0].Kind, evs[len(evs)-1].Kind)
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// TestLongRecordingRoundTrip: a recording whose oldest events were dropped
// carries the state before its first event (its base), and loads back to
// equal snapshots; a base that does not fit is refused.
func TestLongRecordingRoundTrip(t *testing.T) {
	pg := playground.LongPlayground(120000)
	text := mustCall(t, pg, "recording")
	first, last := pg.History()
	if first == 1 || !strings.Contains(text, `"base":[`) {
		t.Fatalf("history %d..%d; want events dropped and a base", first, last)
	}
	other := playground.New()
	mustCall(t, other, "load", text)
	if f, l := other.History(); f != first || l != last {
		t.Fatalf("history after load %d..%d; want %d..%d", f, l, first, last)
	}
	for _, seq := range []uint64{first, first + 1, (first + last) / 2, last} {
		a, _ := pg.SnapshotAt(seq)
		b, err := other.SnapshotAt(seq)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("snapshotAt(%d) after load (%v):\n got %+v\nwant %+v", seq, err, b, a)
		}
	}
	if a, _ := pg.SnapshotAt(first); a.Speed != 0.5 || a.Ended != "cancel" || a.Goroutines != 3 || a.Workers[1].State != "idle" {
		t.Errorf("snapshotAt(first) = speed %v, ended %q, goroutines %d; want the base's 0.5, cancel, 3", a.Speed, a.Ended, a.Goroutines)
	}
	i := strings.Index(text, `"base":[`) + len(`"base":[`)
	bad := text[:i] + "1" + text[strings.Index(text[i:], ",")+i:] // the base's seq
	wantError(t, other, "load: recording.base: seq 1; want first-1 = "+itoa(first-1), "load", bad)
	bad = strings.Replace(text, `"base":[`, `"base":[0,`, 1)
	wantError(t, other, "load: recording.base: got an array of length 20; want an array of 19 items", "load", bad)
}
