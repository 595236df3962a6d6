package bench_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// mix is the trivial job: a few arithmetic operations on i. It is never 0,
// so a result that is missing changes the checksum.
func mix(i int) uint64 {
	x := uint64(i) * 0x9e3779b97f4a7c15
	return x ^ x>>29 | 1
}

// trivial is the Overhead workload's job.
func trivial(_ context.Context, i int) (uint64, error) { return mix(i), nil }

// spinTarget is how long one Mixed job computes.
const spinTarget = 5 * time.Microsecond

// spin runs rounds of xorshift from a seed made from i: CPU work whose result
// depends on every round. It is never 0.
func spin(i, rounds int) uint64 {
	x := mix(i)
	for range rounds {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// spinRounds is the number of spin rounds that take spinTarget on this
// machine, measured once: the median of 21 timed probes, since a shared
// machine's speed varies from one moment to the next.
var spinRounds = sync.OnceValue(func() int {
	const probe = 1 << 15
	times := make([]time.Duration, 21)
	for i := range times {
		start := time.Now()
		sink.Add(spin(i, probe))
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return max(1, int(probe*spinTarget/times[len(times)/2]))
})

// sink keeps the calibration's results alive.
var sink atomic.Uint64

// cpuBound is the Mixed workload's job: about spinTarget of CPU work.
func cpuBound(_ context.Context, i int) (uint64, error) { return spin(i, spinRounds()), nil }

// cpuValue is what cpuBound returns for job i, for the checksum.
func cpuValue(i int) uint64 { return spin(i, spinRounds()) }

// ioLatency is how long one I/O-like job blocks.
const ioLatency = time.Millisecond

// ioBound returns the I/O-like workload's job: it sleeps ioLatency, then
// records the number of goroutines in peak.
func ioBound(peak *peakGauge) func(context.Context, int) (uint64, error) {
	return func(_ context.Context, i int) (uint64, error) {
		time.Sleep(ioLatency)
		peak.sample()
		return mix(i), nil
	}
}

// peakGauge is the largest runtime.NumGoroutine seen by sample, from any
// goroutine.
type peakGauge struct{ max atomic.Int64 }

func (g *peakGauge) sample() {
	n := int64(runtime.NumGoroutine())
	for old := g.max.Load(); n > old && !g.max.CompareAndSwap(old, n); old = g.max.Load() {
	}
}

// halfThenBlock returns the Cancellation workload's job for n jobs: jobs
// 0..n/2-1 are trivial, and the one that brings their count to n/2 closes
// halfway; every later job blocks until its context is done.
func halfThenBlock(n int, halfway chan<- struct{}) func(context.Context, int) (uint64, error) {
	half := int64(n / 2)
	var done atomic.Int64
	return func(ctx context.Context, i int) (uint64, error) {
		if int64(i) < half {
			if done.Add(1) == half {
				close(halfway)
			}
			return mix(i), nil
		}
		<-ctx.Done()
		return 0, ctx.Err()
	}
}
