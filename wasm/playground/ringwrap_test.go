package playground_test

import (
	"bytes"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// ringEvents is the recorder's ring: past it, the oldest keyframe's events
// are dropped, 256 at a time.
const ringEvents = 392 * 256

// TestTimelineRingWrap: once the ring is full, a long run drops its oldest
// 256 events every 256 events. The timeline keeps what it derived (it does
// not replay the whole ring each time, which cost a frame of ~100,000
// events every 256), and still draws exactly what a replay of the kept
// recording draws; a cache that fell behind by more than the ring replays.
func TestTimelineRingWrap(t *testing.T) {
	pg := playground.LongPlayground(ringEvents + 10)
	call := func() []byte {
		t.Helper()
		_, last := pg.History()
		out, err := pg.Call(nil, "timeline", []any{0.0, 1e12, 50.0, float64(last)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	replayed := func() []byte {
		t.Helper()
		playground.ResetLaneCache(pg)
		return call()
	}
	call()
	for round := range 3 {
		playground.RecordSubmits(pg, 3*256+round)
		got := call()
		first, _ := pg.History()
		if from := playground.LaneCacheFrom(pg); from >= first-1 {
			t.Errorf("round %d: the producer's lane begins at event %d, the earliest keyframe (%d): the cache was replayed", round, from, first-1)
		}
		if want := replayed(); !bytes.Equal(got, want) {
			t.Errorf("round %d: kept cache draws\n%s\nreplay draws\n%s", round, got, want)
		}
	}
	call()
	playground.RecordSubmits(pg, ringEvents+300)
	if got, want := call(), replayed(); !bytes.Equal(got, want) {
		t.Errorf("after a whole ring: kept cache draws\n%s\nreplay draws\n%s", got, want)
	}
}

// BenchmarkTimelineRingWrap: goflow.timeline on a recording past the ring,
// with no new events (the baseline: the cache is up to date) and after
// each 256 more (each drops a keyframe). The two should cost about the
// same; replaying the ring on each drop cost about 10 times the baseline.
func BenchmarkTimelineRingWrap(b *testing.B) {
	for _, more := range []int{0, 256} {
		b.Run(map[int]string{0: "baseline", 256: "wrapping"}[more], func(b *testing.B) {
			pg := playground.LongPlayground(ringEvents + 10)
			var buf []byte
			for b.Loop() {
				playground.RecordSubmits(pg, more)
				_, last := pg.History()
				var err error
				if buf, err = pg.Call(buf[:0], "timeline", []any{0.0, 1e12, 1200.0, float64(last)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
