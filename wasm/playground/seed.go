package playground

import (
	"math"
	"time"
)

// MaxSeed is the largest seed: 2^53-1, the largest integer a JavaScript
// number holds exactly.
const MaxSeed = 1<<53 - 1

// plan is what the simulated handler does with one job: how long it works
// and whether it fails or panics.
type plan struct {
	work   time.Duration // simulated handler time (workMs plus jitter)
	fails  bool          // the handler returns an error
	panics bool          // the handler panics
}

// planFor decides job n's plan from the seed and the job's number alone,
// with a stateless hash (SplitMix64 seeded per job), so that the same seed
// and config give every job the same plan whatever order the jobs are made
// in. It is a pure function: snapshotAt recomputes work times from it
// rather than storing them.
func planFor(cfg *Config, n int) plan {
	h := uint64(cfg.Seed)*0x9e3779b97f4a7c15 ^ uint64(n)
	jitter, fail, panics := unit(&h), unit(&h), unit(&h)
	p := plan{work: ms(cfg.WorkMs)}
	if cfg.JitterMs > 0 {
		p.work += ms(jitter * cfg.JitterMs)
	}
	p.panics = cfg.PanicRate > 0 && panics < cfg.PanicRate
	p.fails = !p.panics && cfg.FailRate > 0 && fail < cfg.FailRate
	return p
}

// unit advances the SplitMix64 state h and returns a number in [0, 1).
func unit(h *uint64) float64 {
	*h += 0x9e3779b97f4a7c15
	z := *h
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// pickSeed returns a seed from 1 to MaxSeed, for a start without one: the
// clock's nanoseconds mixed by SplitMix64 (a seed needs to differ between
// runs, not to be secret; math/rand/v2 would add its code to main.wasm).
func pickSeed() float64 {
	h := uint64(time.Now().UnixNano())
	return 1 + math.Floor(unit(&h)*MaxSeed)
}
