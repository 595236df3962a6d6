package playground_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestAppendSnapshotAtJSONMatches checks the reused, allocation-free JSON of
// AppendSnapshotAtJSON (its log encoded from the events, its job IDs from
// the cache) against SnapshotAt(seq).AppendJSON at every moment of a run
// that has every kind of log text: failures, panics and timeouts, ordered
// turns, a speed change, a world pause, a paused consumer and a cancel.
// The seqs are visited out of order and twice, so that the cache is both
// hit and missed.
func TestAppendSnapshotAtJSONMatches(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 4, JobBuffer: 2, ResultBuffer: 2, WorkMs: 20,
			FailRate: 0.2, PanicRate: 0.1, TimeoutMs: 25, Ordered: true, Seed: 3})
		submit(t, pg, 40)
		time.Sleep(100 * time.Millisecond)
		if err := pg.SetSpeed(0.25); err != nil {
			t.Fatal(err)
		}
		pg.PauseConsumer(true)
		time.Sleep(100 * time.Millisecond)
		pg.Pause()
		pg.Resume()
		pg.PauseConsumer(false)
		time.Sleep(100 * time.Millisecond)
		if err := pg.Cancel(); err != nil {
			t.Fatal(err)
		}
		waitDone(t, pg, time.Minute)
		for _, k := range []string{"handler finished", "turn awaited", "speed", "pause", "resume",
			"consumer paused", "cancel", "results closed", "result consumed"} {
			if len(pg.Recorded(k)) == 0 {
				t.Errorf("no %q event; the run must show every kind of log text", k)
			}
		}
		checkSnapshotAtJSON(t, pg)
	})
}

func checkSnapshotAtJSON(t *testing.T, pg *playground.Playground) {
	t.Helper()
	first, last := pg.History()
	if last-first < 50 {
		t.Fatalf("history %d..%d; want a longer run", first, last)
	}
	var buf []byte
	n := last - first + 1
	for i := range 2 * n {
		seq := first + (i*37)%n // a stride prime to most lengths; every seq twice when prime to n
		var err error
		buf, err = pg.AppendSnapshotAtJSON(buf[:0], seq)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := pg.SnapshotAt(seq)
		if err != nil {
			t.Fatal(err)
		}
		if want := snap.AppendJSON(nil); !bytes.Equal(buf, want) {
			t.Fatalf("AppendSnapshotAtJSON(%d):\n got %s\nwant %s", seq, buf, want)
		}
	}
	live, want := pg.AppendSnapshotJSON(nil), pg.Snapshot()
	if w := want.AppendJSON(nil); !bytes.Equal(live, w) {
		t.Fatalf("AppendSnapshotJSON:\n got %s\nwant %s", live, w)
	}
}

// TestAppendSnapshotAtJSONAllocs: snapshotAt at moments all over a run, as
// the time machine's slider asks, allocates at most one string per call
// (the job IDs the cache misses), not one per log entry.
func TestAppendSnapshotAtJSONAllocs(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 64, JobBuffer: 64, ResultBuffer: 64, WorkMs: 5, FailRate: 0.1, Seed: 1})
		submit(t, pg, 1000)
		if err := pg.Close(); err != nil {
			t.Fatal(err)
		}
		waitDone(t, pg, time.Minute)
		first, last := pg.History()
		n := last - first + 1
		buf, _ := pg.AppendSnapshotAtJSON(nil, last) // grow the buffers once
		i := uint64(0)
		allocs := testing.AllocsPerRun(200, func() {
			i++
			var err error
			if buf, err = pg.AppendSnapshotAtJSON(buf[:0], first+(i*7919)%n); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 1 {
			t.Errorf("AppendSnapshotAtJSON: %.1f allocations per call; want at most 1", allocs)
		}
	})
}
