package bench_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// In BenchmarkOverhead, BenchmarkMixed and BenchmarkIO one op is one job: each
// sub-benchmark runs b.N jobs through one pool, from its creation to the exit
// of its last goroutine, so ns/op is ns/job and allocs/op is allocs/job.

// BenchmarkOverhead runs trivial jobs: what the pool itself costs per job.
func BenchmarkOverhead(b *testing.B) {
	for _, workers := range []int{4, 64} {
		eachPeer(b, workers, func(b *testing.B, run runner) {
			runJobs(b, run, workers, trivial, mix)
		})
	}
}

// BenchmarkOrdered runs trivial jobs through the libraries that keep input
// order, beside the (unordered) bare pool, on 4 workers.
func BenchmarkOrdered(b *testing.B) {
	const workers = 4
	for _, p := range orderedPeers {
		b.Run(fmt.Sprintf("workers=%d/%s", workers, p.name), func(b *testing.B) {
			runJobs(b, p.run, workers, trivial, mix)
		})
	}
}

// BenchmarkMixed runs jobs of about 5µs of CPU work on GOMAXPROCS workers.
func BenchmarkMixed(b *testing.B) {
	spinRounds() // calibrate before any timer runs
	workers := runtime.GOMAXPROCS(0)
	eachPeer(b, workers, func(b *testing.B, run runner) {
		runJobs(b, run, workers, cpuBound, cpuValue)
	})
}

// BenchmarkIO runs jobs that each sleep 1ms on 256 workers, and reports the
// most goroutines seen during the run beyond those before it
// (peak-goroutines). Run it with -benchtime 10000x for 10,000 jobs.
func BenchmarkIO(b *testing.B) {
	const workers = 256
	eachPeer(b, workers, func(b *testing.B, run runner) {
		var peak peakGauge
		before := runtime.NumGoroutine()
		runJobs(b, run, workers, ioBound(&peak), mix)
		b.ReportMetric(float64(peak.max.Load()-int64(before)), "peak-goroutines")
	})
}

// BenchmarkCancel measures cancellation latency. One op is one run of 256
// jobs on 64 workers: the first half are trivial; the rest block until their
// context is done. Once the first half are done, ctx is cancelled; cancel-ns
// is the time from cancel() until the run has stopped (see runner). ns/op is
// the whole run.
func BenchmarkCancel(b *testing.B) {
	const workers, jobs = 64, 256
	eachPeer(b, workers, func(b *testing.B, run runner) {
		b.ReportAllocs()
		var total time.Duration
		for range b.N {
			total += cancelLatency(b, run, workers, jobs)
		}
		b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "cancel-ns")
	})
}

// eachPeer runs bench as the sub-benchmark workers=N/<library> of b for every
// peer.
func eachPeer(b *testing.B, workers int, bench func(*testing.B, runner)) {
	for _, p := range peers {
		b.Run(fmt.Sprintf("workers=%d/%s", workers, p.name), func(b *testing.B) { bench(b, p.run) })
	}
}

// runJobs times b.N jobs through run and fails unless every result came back:
// the count, and the sum of the results, which value gives job by job.
func runJobs(b *testing.B, run runner, workers int, work pipeline.Handler[int, uint64], value func(int) uint64) {
	b.Helper()
	want := checksum(b.N, value)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var count int
	var sum uint64
	b.ReportAllocs()
	b.ResetTimer()
	err := run(ctx, workers, b.N, work, func(v uint64) { count++; sum += v })
	b.StopTimer()
	if err != nil {
		b.Fatalf("run: %v", err)
	}
	if count != b.N || sum != want {
		b.Fatalf("got %d results summing to %#x; want %d summing to %#x", count, sum, b.N, want)
	}
}

// checksum is the sum of value(i) for i in 0..n-1, computed without a pool.
func checksum(n int, value func(int) uint64) uint64 {
	var sum uint64
	for i := range n {
		sum += value(i)
	}
	return sum
}

// cancelLatency runs n halfThenBlock jobs through run, cancels once half are
// done, and returns the time from cancel() until run returned.
func cancelLatency(tb testing.TB, run runner, workers, n int) time.Duration {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	halfway := make(chan struct{})
	canceledAt := make(chan time.Time, 1)
	go func() {
		<-halfway
		t := time.Now()
		cancel()
		canceledAt <- t
	}()
	run(ctx, workers, n, halfThenBlock(n, halfway), func(uint64) {})
	stopped := time.Now()
	return stopped.Sub(<-canceledAt)
}
