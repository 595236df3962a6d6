package playground

import (
	"math/rand/v2"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// The state model takes the events of real goroutines in whatever order
// they are recorded. The pipeline's Observer contract (pipeline/observer.go)
// fixes the order per worker only: WorkerStarted, then per job JobTaken,
// HandlerFinished, TurnAwaited (ordered), ResultEmitted or ResultAbandoned,
// and last WorkerExited; ResultsClosed after every WorkerExited. Across
// goroutines a record lags the channel operation it reports, so:
//   - a worker may record taking job n before the producer records sending
//     it, and several workers' takes come in any order;
//   - the producer may send past the jobs channel's cap while workers that
//     took the oldest jobs have not recorded it yet (on one thread, as in
//     the browser, a send hands jobs to every parked worker before any of
//     them runs: "len 36 / cap 16" with 20 workers);
//   - the consumer may record taking a result before its worker records
//     emitting it (TurnAwaited: after the hand-over, even), and workers may
//     emit past the results channel's cap while the consumer has not yet
//     recorded its take;
//   - a job dropped after cancel may be recorded sent after the results
//     channel closed.
// The tests below drive many real runs and check every recorded moment.

// invariants returns what is wrong with s, a state some log reached, or "".
func invariants(s *state, cfg *Config) string {
	if err := s.check(); err != nil {
		return err.Error()
	}
	c := s.counters
	var busy uint64
	for _, w := range s.workers {
		if w.state == 1 { // pipeline.Busy
			busy++
		}
	}
	var snap Snapshot
	s.fill(&snap, cfg, s.at, nil, nil)
	switch {
	case snap.Jobs.Len > snap.Jobs.Cap:
		return "jobs channel: len " + strconv.Itoa(snap.Jobs.Len) + " > cap " + strconv.Itoa(snap.Jobs.Cap)
	case snap.Results.Len > snap.Results.Cap:
		return "results channel: len " + strconv.Itoa(snap.Results.Len) + " > cap " + strconv.Itoa(snap.Results.Cap)
	case snap.Jobs.Len != len(snap.Jobs.IDs) || snap.Results.Len != len(snap.Results.IDs):
		return "a channel's len is not its number of IDs"
	case snap.Gauges.Queued != snap.Jobs.Len || snap.Gauges.Pending != snap.Results.Len:
		return "queued or pending is not the channel's len"
	case uint64(s.sent) != c.Received+uint64(len(s.inJobs)):
		return "sent != received + jobs not yet recorded taken"
	case c.Emitted != uint64(s.consumed)+uint64(len(s.inResults)):
		return "emitted != consumed + results not yet recorded consumed"
	case c.Received < c.Succeeded+c.Failed+c.Canceled+busy:
		return "received < finished + busy"
	case s.sent > s.submitted:
		return "sent > submitted"
	case snap.Goroutines < 0:
		return "negative goroutines"
	}
	return ""
}

// checkRecording replays r's whole kept log from its earliest keyframe
// and checks, at every seq: the event applies, the invariants hold, and
// snapshotAt(seq) is the state the live head had at that seq.
func checkRecording(t *testing.T, r *recorder) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var live state // from the earliest keyframe: the start, or the state before the first kept event
	live.copyFrom(&r.keys[0])
	var sc snapshotScratch
	var want Snapshot
	for seq := r.first; seq <= r.head.seq; seq++ {
		e := r.event(seq)
		if err := live.apply(e); err != nil {
			t.Fatalf("replay: %v", err)
		}
		if why := invariants(&live, &r.cfg); why != "" {
			t.Fatalf("after event %d (%s): %s\nlog:\n%s", seq, e.Text(), why, logText(r, seq))
		}
		if r.head.seq-r.first > 10000 && seq%37 != 0 { // a long log: a sample of every offset from a keyframe
			continue
		}
		r.stateAt(&sc.st, seq)
		sc.st.fill(&sc.snap, &r.cfg, sc.st.at, nil, nil)
		live.fill(&want, &r.cfg, live.at, nil, nil)
		if !reflect.DeepEqual(sc.snap, want) {
			t.Fatalf("snapshotAt(%d) = %+v\nwant the live state at %d: %+v", seq, sc.snap, seq, want)
		}
	}
}

// logText is the log up to seq, one event a line, for a failure message.
func logText(r *recorder, seq uint64) string {
	var b []byte
	for s := max(r.first, seq-min(seq, 40)); s <= seq && s > 0; s++ {
		e := r.event(s)
		b = strconv.AppendUint(b, e.Seq, 10)
		b = append(append(append(b, ' '), e.Text()...), '\n')
	}
	return string(b)
}

// waitEnded waits, in real time, until pg's run is done (or faulted), and
// fails the test after limit.
func waitEnded(t *testing.T, pg *Playground, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for pg.session().phase() != PhaseDone {
		if time.Now().After(deadline) {
			t.Fatalf("not done after %v: %+v", limit, pg.Snapshot())
		}
		runtime.Gosched()
	}
}

// drive starts pg with cfg and does nops things at random, as a page
// would: submit, pause and resume the consumer, change the speed, pause,
// step and resume the world, look back with snapshotAt, and at some moment
// cancel; then it closes (unless canceled) and waits for the end.
func drive(t *testing.T, pg *Playground, cfg Config, rng *rand.Rand, nops int) {
	t.Helper()
	if _, err := pg.Start(cfg); err != nil {
		t.Fatal(err)
	}
	canceled := false
	for range nops {
		switch rng.IntN(14) {
		case 0, 1, 2, 3:
			pg.Submit(1 + rng.IntN(12)) // refused once canceled or stopped
		case 4:
			pg.PauseConsumer(rng.IntN(2) == 0)
		case 5:
			pg.SetSpeed([...]float64{MinSpeed, 0.5, 1}[rng.IntN(3)])
		case 6:
			pg.Pause()
		case 7:
			if _, next, err := pg.Step(); err == nil && next != nil {
				select {
				case <-next:
				case <-time.After(50 * time.Millisecond): // nothing may be left to record
				}
			}
		case 8, 9:
			pg.Resume()
		case 10:
			if first, last := pg.History(); last > 0 {
				if _, err := pg.SnapshotAt(first + rng.Uint64N(last-first+1)); err != nil {
					t.Error(err)
				}
			}
		case 11:
			if rng.IntN(6) == 0 {
				canceled = pg.Cancel() == nil || canceled
			}
		default:
			for range rng.IntN(200) {
				runtime.Gosched()
			}
		}
	}
	pg.Resume()
	pg.PauseConsumer(false)
	if !canceled && rng.IntN(5) == 0 {
		pg.Cancel()
	} else {
		pg.Close() // an error if canceled or stopped by failFast
	}
	waitEnded(t, pg, 30*time.Second)
}

// TestEveryOrderingIsTaken drives many real-goroutine runs, with every mix
// of buffers (0, 1, N), Ordered and FailFast, timeouts, failures, panics,
// on one and two threads, and checks that the model took every event (no
// fault) and its invariants held at every recorded moment.
func TestEveryOrderingIsTaken(t *testing.T) {
	seeds := 3
	if testing.Short() || runtime.GOARCH == "wasm" { // on one thread, and slower: fewer runs per mix
		seeds = 1
	}
	for _, procs := range []int{1, 2} {
		for _, buf := range []int{0, 1, 16} {
			for _, flags := range []int{0, 1, 2, 3} {
				name := "procs" + strconv.Itoa(procs) + "/buf" + strconv.Itoa(buf) + "/ordered" + strconv.Itoa(flags&1) + "failFast" + strconv.Itoa(flags>>1)
				t.Run(name, func(t *testing.T) {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					for seed := range seeds {
						rng := rand.New(rand.NewPCG(uint64(procs*1000+buf*10+flags), uint64(seed)))
						cfg := DefaultConfig()
						cfg.Workers = 1 + rng.IntN(24)
						cfg.JobBuffer, cfg.ResultBuffer = buf, [...]int{0, 1, 16}[rng.IntN(3)]
						cfg.WorkMs, cfg.JitterMs = float64(rng.IntN(3)), float64(rng.IntN(3))
						cfg.FailRate, cfg.PanicRate = 0.05*float64(rng.IntN(3)), 0.05*float64(rng.IntN(2))
						cfg.TimeoutMs = float64(rng.IntN(3))
						cfg.ConsumerDelayMs = float64(rng.IntN(2))
						cfg.Ordered, cfg.FailFast = flags&1 != 0, flags&2 != 0
						cfg.Seed = float64(1 + rng.IntN(1000))
						pg := New()
						drive(t, pg, cfg, rng, 60)
						checkRecording(t, pg.recording())
					}
				})
			}
		}
	}
}

// TestChannelLenNeverExceedsCap reproduces "len 36 / cap 16": on one
// thread, 20 idle workers park on the jobs channel; a submit of 36 lets the
// producer hand a job to each parked worker and fill the 16 slots before
// any worker runs to record its take. The log then shows 36 jobs sent and
// none taken; the snapshot at every moment shows at most cap of them in the
// channel.
func TestChannelLenNeverExceedsCap(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	cfg := DefaultConfig()
	cfg.Workers, cfg.JobBuffer, cfg.WorkMs, cfg.Seed = 20, 16, 1, 1
	pg := New()
	if _, err := pg.Start(cfg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for pg.Snapshot().Goroutines < 22 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	for range 100 { // let every worker park on its receive
		runtime.Gosched()
	}
	pg.Submit(36)
	pg.Close()
	waitEnded(t, pg, 10*time.Second)
	r := pg.recording()
	most := 0
	s := newState(cfg.Workers)
	for seq := uint64(1); seq <= r.head.seq; seq++ {
		s.apply(r.event(seq))
		most = max(most, len(s.inJobs))
	}
	t.Logf("at most %d jobs recorded sent and not yet recorded taken (cap %d)", most, cfg.JobBuffer)
	checkRecording(t, r)
}

// TestRingWrapRealRun: a real run of more events than the ring keeps
// (ringEvents) drops the oldest; every kept moment still keeps the
// invariants and snapshotAt is the live state at its seq; the same
// recording saved and loaded has the same snapshots.
func TestRingWrapRealRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Workers, cfg.JobBuffer, cfg.ResultBuffer, cfg.WorkMs, cfg.Seed = 64, 16, 16, 0, 1
	cfg.Ordered = true
	pg := New()
	if _, err := pg.Start(cfg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for sent := 0; sent < ringEvents/5+2000; {
		if _, err := pg.Submit(MaxSubmit); err != nil { // the backlog is full: let the producer catch up
			if time.Now().After(deadline) {
				t.Fatalf("%d jobs submitted in %v", sent, 2*time.Minute)
			}
			runtime.Gosched()
			continue
		}
		sent += MaxSubmit
	}
	pg.Close()
	waitEnded(t, pg, 2*time.Minute)
	r := pg.recording()
	if r.first == 1 {
		t.Fatalf("history %d..%d; want the ring wrapped", r.first, r.head.seq)
	}
	checkRecording(t, r)

	b, err := pg.AppendRecordingJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded := New()
	if err := loaded.Load(string(b)); err != nil {
		t.Fatal(err)
	}
	first, last := loaded.History()
	if first != r.first || last != r.head.seq {
		t.Fatalf("loaded history %d..%d; want %d..%d", first, last, r.first, r.head.seq)
	}
	for seq := first; seq <= last; seq += 997 {
		a, _ := pg.SnapshotAt(seq)
		b, err := loaded.SnapshotAt(seq)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("snapshotAt(%d) of the loaded recording differs (%v)", seq, err)
		}
	}
}
