package pipeline_test

import (
	"flag"
	"math/rand/v2"
	"testing"
	"time"
)

var stressSeed = flag.Uint64("stress.seed", 0, "seed for TestStress; 0 picks one from the clock")

// TestStress runs random scenarios on real goroutines (run it with -race):
// random pool and buffer sizes, outcomes, and a random cancel point.
func TestStress(t *testing.T) {
	iterations := 200
	if testing.Short() {
		iterations = 20
	}
	seed := *stressSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -stress.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	for it := range iterations {
		n := rng.IntN(65)
		sc := &scenario{
			workers:      1 + rng.IntN(16),
			jobBuffer:    rng.IntN(9),
			resultBuffer: rng.IntN(9),
			jobs:         make([]jobSpec, n),
			cancelAfter:  rng.IntN(n+2) - 1, // -1 (never) to n
		}
		for i := range sc.jobs {
			sc.jobs[i].does = behaviour(rng.IntN(int(behaviours)))
		}
		sc.run(t)
		if t.Failed() {
			t.Fatalf("iteration %d failed: workers %d, JobBuffer %d, ResultBuffer %d, %d jobs %v, cancel after %d (seed %d)",
				it, sc.workers, sc.jobBuffer, sc.resultBuffer, n, sc.jobs, sc.cancelAfter, seed)
		}
	}
}
