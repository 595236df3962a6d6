package bench_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestRunners checks each peer's runner the way the benchmarks use it: every
// result comes back once, and a cancelled run stops and leaves no goroutine.
func TestRunners(t *testing.T) {
	for _, p := range append(peers[:len(peers):len(peers)], orderedPeers[1:]...) {
		for _, c := range []struct{ workers, n int }{{1, 0}, {1, 1}, {4, 1000}, {64, 100}} {
			t.Run(fmt.Sprintf("%s/workers=%d/jobs=%d", p.name, c.workers, c.n), func(t *testing.T) {
				var count int
				var sum uint64
				err := p.run(context.Background(), c.workers, c.n, trivial, func(v uint64) { count++; sum += v })
				if err != nil {
					t.Fatalf("run: %v", err)
				}
				if want := checksum(c.n, mix); count != c.n || sum != want {
					t.Errorf("got %d results summing to %#x; want %d summing to %#x", count, sum, c.n, want)
				}
			})
		}
		t.Run(p.name+"/cancel", func(t *testing.T) {
			before := runtime.NumGoroutine()
			if d := cancelLatency(t, p.run, 8, 64); d <= 0 {
				t.Errorf("got cancel latency %v; want more than 0", d)
			}
			// A library may still be returning from its last goroutines.
			deadline := time.Now().Add(time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if got := runtime.NumGoroutine(); got > before {
				t.Errorf("got %d goroutines after the run; want at most %d, as before it", got, before)
			}
		})
	}
}

// TestOrderedRunners checks that the ordered peers hand results over in
// input order.
func TestOrderedRunners(t *testing.T) {
	for _, p := range orderedPeers[1:] {
		t.Run(p.name, func(t *testing.T) {
			const n = 2000
			i, wrong := 0, -1 // collect may run on the library's goroutine: no t.Fatal there
			err := p.run(context.Background(), 4, n, trivial, func(v uint64) {
				if v != mix(i) && wrong < 0 {
					wrong = i
				}
				i++
			})
			if wrong >= 0 {
				t.Errorf("result %d: got another job's value; want job %d's (input order)", wrong, wrong)
			}
			if err != nil || i != n {
				t.Errorf("got %d results, error %v; want %d, nil", i, err, n)
			}
		})
	}
}
