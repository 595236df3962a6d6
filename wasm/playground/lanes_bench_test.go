package playground_test

import (
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// BenchmarkTimeline64x10000: goflow.timeline over a recording of 64
// workers and 10,000 jobs (about 50,000 events), the whole run at 1200
// buckets, against goflow.snapshotAt at the same recording as the
// baseline (what a seek already costs); and "replay", the lanes derived
// from all the events at once (Playground.Timeline: what the page's first
// goflow.timeline call costs, and per event what each later call costs).
func BenchmarkTimeline64x10000(b *testing.B) {
	pg := playground.Recorded64x10000(b)
	_, last := pg.History()
	var buf []byte
	b.Run("snapshotAt", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			var err error
			buf, err = pg.Call(buf[:0], "snapshotAt", []any{float64(1 + uint64(i*7919)%last)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("timeline", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			var err error
			buf, err = pg.Call(buf[:0], "timeline", []any{0.0, 1e12, 1200.0, float64(1 + uint64(i*7919)%last)})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(buf)), "bytes/json")
	})
	b.Run("replay", func(b *testing.B) {
		for b.Loop() {
			if _, err := pg.Timeline(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(last), "ns/event")
	})
}
