package playground

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// scripted is a short run of 2 workers, ordered, in one legitimate order:
// worker 1 finishes job 2 first and waits for its turn; job 3 fails.
var scripted = []Event{
	{Kind: KindStart, Worker: -1, Arg: speedArg(1)},
	{Kind: KindWorkerStarted, Worker: 0},
	{Kind: KindWorkerStarted, Worker: 1},
	{Kind: KindSubmit, Worker: -1, Arg: 3},
	{Kind: KindSent, Worker: -1, Job: 1},
	{Kind: KindTaken, Worker: 0, Job: 1},
	{Kind: KindSent, Worker: -1, Job: 2},
	{Kind: KindTaken, Worker: 1, Job: 2},
	{Kind: KindSent, Worker: -1, Job: 3},
	{Kind: KindFinished, Worker: 1, Job: 2, Arg: int64(pipeline.Succeeded)},
	{Kind: KindTurnAwaited, Worker: 1, Job: 2},
	{Kind: KindFinished, Worker: 0, Job: 1, Arg: int64(pipeline.Succeeded)},
	{Kind: KindEmitted, Worker: 0, Job: 1},
	{Kind: KindConsumed, Worker: -1, Job: 1},
	{Kind: KindEmitted, Worker: 1, Job: 2},
	{Kind: KindConsumed, Worker: -1, Job: 2},
	{Kind: KindClose, Worker: -1},
	{Kind: KindTaken, Worker: 0, Job: 3},
	{Kind: KindJobsClosed, Worker: -1},
	{Kind: KindFinished, Worker: 0, Job: 3, Arg: int64(pipeline.Failed) | reasonError<<8},
	{Kind: KindEmitted, Worker: 0, Job: 3},
	{Kind: KindWorkerExited, Worker: 1},
	{Kind: KindConsumed, Worker: -1, Job: 3, Arg: 1},
	{Kind: KindWorkerExited, Worker: 0},
	{Kind: KindResultsClosed, Worker: -1},
	{Kind: KindConsumerExited, Worker: -1},
}

// stateJSON is s in a recording's encoding: equal states encode equally.
func stateJSON(s *state) string {
	e := encoder{}
	s.encode(&e)
	return string(e.b)
}

// FuzzEventOrder permutes the scripted run by the swaps in data (pairs of
// indexes; a pair whose first byte is >= 0xf0 inserts an arbitrary event
// made of the next bytes instead) and checks the state model on the
// result: every event either applies, and the invariants hold after it,
// or is refused with an error naming it and leaves the state as it was;
// and a recorder fed the same events never panics: the first refusal
// stops it with the snapshot's err.
func FuzzEventOrder(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{12, 10}) // the result emitted before the turn was awaited
	f.Add([]byte{13, 12}) // the consumer's take recorded before the emit
	f.Add([]byte{5, 4})   // taken before sent
	f.Add([]byte{8, 7})   // two workers' takes swapped
	f.Add([]byte{24, 8})  // a send recorded after the results closed
	f.Add([]byte{0, 25})  // start last: everything refused
	f.Add([]byte{0xf0, byte(KindTaken), 1, 9, 0xf1, byte(KindConsumed), 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		events := slices.Clone(scripted)
		for i := 0; i+1 < len(data); i += 2 {
			a, b := int(data[i]), int(data[i+1])
			if a >= 0xf0 && i+3 < len(data) {
				e := Event{Kind: Kind(data[i+1] % byte(kindEnd+1)), Worker: int16(data[i+2]%4) - 1, Job: int32(data[i+3] % 6), Arg: int64(a - 0xf0)}
				at := int(data[i+2]) % (len(events) + 1)
				events = slices.Insert(events, at, e)
				i += 2
				continue
			}
			a, b = a%len(events), b%len(events)
			events[a], events[b] = events[b], events[a]
		}
		cfg := DefaultConfig()
		cfg.Workers, cfg.JobBuffer, cfg.ResultBuffer, cfg.Seed = 2, 1, 1, 1
		s := newState(cfg.Workers)
		r := newRecorder(cfg, nil)
		refused := false
		for i, e := range events {
			e.Seq, e.At = s.seq+1, time.Duration(i)*time.Millisecond
			before := stateJSON(&s)
			if err := s.apply(e); err != nil {
				if !strings.HasPrefix(err.Error(), "event ") {
					t.Fatalf("refusal %q does not name the event", err)
				}
				if after := stateJSON(&s); after != before {
					t.Fatalf("%v: the state changed:\n%s\nwant\n%s", err, after, before)
				}
			} else if why := invariants(&s, &cfg); why != "" {
				t.Fatalf("after %s: %s", e.Text(), why)
			}
			if !refused {
				r.head.at = e.At
				r.recordNow(e)
				refused = r.fault != nil
			}
		}
		var sc snapshotScratch
		r.snapshot(&sc)
		if refused != (sc.snap.Err != "" && strings.HasPrefix(sc.snap.Err, "the run was stopped")) {
			t.Fatalf("fault %v, snapshot err %q", r.fault, sc.snap.Err)
		}
	})
}

// recordedRun returns the recording JSON of a real run with ordered
// results, failures and a cancel halfway. (Not in a synctest bubble: an
// ordered pipeline's idle workers wait for the take on a sync.Mutex, which
// a bubble does not count as durably blocked, so its time never moves on.)
func recordedRun(t *testing.T) map[string]any {
	pg := New()
	cfg := faultConfig(3, 1, 7)
	cfg.JitterMs, cfg.FailRate, cfg.Ordered, cfg.ResultBuffer = 2, 0.3, true, 1
	if _, err := pg.Start(cfg); err != nil {
		t.Fatal(err)
	}
	pg.Submit(40)
	deadline := time.Now().Add(10 * time.Second)
	for pg.Snapshot().Consumer.Consumed < 20 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	pg.Cancel()
	waitEnded(t, pg, 10*time.Second)
	b, err := pg.AppendRecordingJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseJSON(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

// permuted returns rec with its events in the order idx (seqs and times
// renumbered in the new order, so that only the order is wrong).
func permuted(rec map[string]any, idx []int) map[string]any {
	old := rec["events"].([]any)
	events := make([]any, len(old))
	for i, j := range idx {
		row := slices.Clone(old[j].([]any))
		row[0], row[1] = float64(i+1), old[i].([]any)[1]
		events[i] = row
	}
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		out[k] = v
	}
	out["events"] = events
	return out
}

// TestLoadRefusesPermutedEvents: load of a real recording whose events are
// permuted is refused with an error naming the first event out of order,
// or taken when the new order is one real goroutines could record; it
// never panics, and a refused load leaves the playground as it was.
func TestLoadRefusesPermutedEvents(t *testing.T) {
	rec := recordedRun(t)
	n := len(rec["events"].([]any))
	identity := make([]int, n)
	for i := range identity {
		identity[i] = i
	}
	pg := New()
	if err := pg.Load(permuted(rec, identity)); err != nil {
		t.Fatalf("load of the recording as it was: %v", err)
	}
	first, last := pg.History()

	// The first consumed result moved to right after the start.
	c := slices.IndexFunc(identity, func(i int) bool {
		return rec["events"].([]any)[i].([]any)[2] == float64(KindConsumed)
	})
	idx := slices.Insert(slices.Delete(slices.Clone(identity), c, c+1), 1, c)
	err := pg.Load(permuted(rec, idx))
	if err == nil || !strings.HasPrefix(err.Error(), "load: recording.events[1]: event 2 (result consumed): job ") ||
		!strings.HasSuffix(err.Error(), "'s result is not in the results channel") {
		t.Errorf("load with a result consumed before any job was sent: %v; want it refused, naming event 2", err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	refused := 0
	for range 500 {
		idx := slices.Clone(identity)
		for range 1 + rng.IntN(3) {
			a, b := 1+rng.IntN(n-1), 1+rng.IntN(n-1)
			idx[a], idx[b] = idx[b], idx[a]
		}
		err := pg.Load(permuted(rec, idx))
		if err == nil {
			first, last = pg.History()
			continue
		}
		refused++
		if !strings.HasPrefix(err.Error(), "load: recording.events[") || !strings.Contains(err.Error(), "]: event ") {
			t.Errorf("refusal %q does not name the event", err)
		}
		if f, l := pg.History(); f != first || l != last {
			t.Errorf("a refused load changed the history to %d..%d; want %d..%d", f, l, first, last)
		}
	}
	t.Logf("%d of 500 permuted recordings refused", refused)
	if refused < 250 {
		t.Errorf("%d of 500 permuted recordings refused; want most", refused)
	}
}
