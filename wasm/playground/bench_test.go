package playground_test

import (
	"runtime"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// busyPlayground returns a playground whose 64 workers are all busy, with
// both channels full, 20 jobs waiting and a full event log: the largest
// snapshot the page can ask for.
func busyPlayground(b *testing.B) *playground.Playground {
	b.Helper()
	pg := playground.New()
	pg.PauseConsumer(true)
	cfg := playground.Config{Workers: 64, JobBuffer: 64, ResultBuffer: 64, WorkMs: 60000}
	if _, err := pg.Start(cfg); err != nil {
		b.Fatal(err)
	}
	if _, err := pg.Submit(1000); err != nil {
		b.Fatal(err)
	}
	for {
		snap := pg.Snapshot()
		if snap.Gauges.Busy == 64 && snap.Jobs.Len == 64 && len(snap.Log) == 200 {
			break
		}
		runtime.Gosched()
	}
	b.Cleanup(func() { pg.Cancel() })
	return pg
}

// BenchmarkSnapshot measures what goflow.snapshot() costs in Go on each
// animation frame: copying the state out and encoding it as JSON.
func BenchmarkSnapshot(b *testing.B) {
	pg := busyPlayground(b)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = pg.Call(buf[:0], "snapshot", nil)
	}
	b.ReportMetric(float64(len(buf)), "bytes/snapshot")
}

// BenchmarkSnapshotCopy measures the copy alone, without encoding.
func BenchmarkSnapshotCopy(b *testing.B) {
	pg := busyPlayground(b)
	b.ReportAllocs()
	for b.Loop() {
		pg.Snapshot()
	}
}

// recorded64 returns a playground holding the recording of a finished run
// of 10,000 jobs at 64 workers (with failures and a consumer delay of 0),
// and how many events it has.
func recorded64(b *testing.B) (*playground.Playground, uint64) {
	b.Helper()
	pg := playground.New()
	cfg := playground.Config{Workers: 64, JobBuffer: 64, ResultBuffer: 64, WorkMs: 0, FailRate: 0.1, Seed: 1}
	if _, err := pg.Start(cfg); err != nil {
		b.Fatal(err)
	}
	for sent := 0; sent < 10000; {
		if _, err := pg.Submit(1000); err != nil {
			runtime.Gosched() // the backlog is full: let the producer catch up
			continue
		}
		sent += 1000
	}
	if err := pg.Close(); err != nil {
		b.Fatal(err)
	}
	for pg.Snapshot().Phase != playground.PhaseDone {
		runtime.Gosched()
	}
	if c := pg.Snapshot().Counters; c.Received != 10000 {
		b.Fatalf("received %d; want 10000", c.Received)
	}
	first, last := pg.History()
	return pg, last - first + 1
}

// BenchmarkSnapshotAt measures goflow.snapshotAt(seq) at moments spread over
// a recording of 10,000 jobs at 64 workers: a keyframe copy, at most 255
// events replayed, and the JSON encoding.
func BenchmarkSnapshotAt(b *testing.B) {
	pg, events := recorded64(b)
	first, last := pg.History()
	var buf []byte
	var err error
	seq := first
	b.ReportAllocs()
	for b.Loop() {
		seq = first + (seq-first+7919)%events // a prime stride: every part of the log
		buf, err = pg.AppendSnapshotAtJSON(buf[:0], seq)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(last-first+1), "events")
}

// BenchmarkRecordingBytes measures the Go heap a recording of 10,000 jobs at
// 64 workers holds, per event.
func BenchmarkRecordingBytes(b *testing.B) {
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		pg, events := recorded64(b)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(events), "bytes/event")
		b.ReportMetric(float64(events), "events")
		runtime.KeepAlive(pg)
	}
}
