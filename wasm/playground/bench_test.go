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
