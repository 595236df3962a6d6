package pipeline_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// square is the trivial handler every benchmark runs.
func square(_ context.Context, n int) (int, error) { return n * n, nil }

// barePool is the baseline: the same two-channel worker pool, with the same
// Job and Result types and the same cancellation, written with bare channels
// and a WaitGroup, with no stats, timeouts, panics or observer.
func barePool(ctx context.Context, workers int, jobs <-chan pipeline.Job[int], resultBuffer int) <-chan pipeline.Result[int] {
	results := make(chan pipeline.Result[int], resultBuffer)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case job, ok := <-jobs:
					if !ok {
						return
					}
					v, err := square(ctx, job.Payload)
					select {
					case results <- pipeline.Result[int]{JobID: job.ID, Value: v, Err: err}:
					case <-ctx.Done():
						return
					}
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	return results
}

// benchConfigs are the pool shapes every benchmark runs: workers 1, 4, 64
// with buffers 0 and 64.
var benchConfigs = func() []struct{ workers, buffer int } {
	var cs []struct{ workers, buffer int }
	for _, w := range []int{1, 4, 64} {
		for _, b := range []int{0, 64} {
			cs = append(cs, struct{ workers, buffer int }{w, b})
		}
	}
	return cs
}()

// drive sends b.N jobs (each with the given Timeout) into jobs, reads every
// result from results, and reports ns/job (the default ns/op, since one op
// is one job).
func drive(b *testing.B, jobs chan<- pipeline.Job[int], results <-chan pipeline.Result[int], timeout time.Duration) {
	b.Helper()
	go func() {
		for i := range b.N {
			jobs <- pipeline.Job[int]{ID: "job", Payload: i, Timeout: timeout}
		}
		close(jobs)
	}()
	n := 0
	for range results {
		n++
	}
	if n != b.N {
		b.Fatalf("got %d results; want %d", n, b.N)
	}
}

// BenchmarkPool runs the trivial handler through the bare baseline and
// through GoFlow, side by side for each pool shape, so that a run gives the
// ratio: compare impl=goflow with impl=bare (for example with
// benchstat -col /impl). One op is one job.
func BenchmarkPool(b *testing.B) {
	for _, c := range benchConfigs {
		name := "workers=" + strconv.Itoa(c.workers) + "/buffer=" + strconv.Itoa(c.buffer)
		b.Run(name+"/impl=bare", func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			jobs := make(chan pipeline.Job[int], c.buffer)
			b.ReportAllocs()
			drive(b, jobs, barePool(ctx, c.workers, jobs, c.buffer), 0)
		})
		b.Run(name+"/impl=goflow", func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := pipeline.New(c.workers, square, pipeline.Options{JobBuffer: c.buffer, ResultBuffer: c.buffer})
			b.ReportAllocs()
			jobs, results := p.Start(ctx)
			drive(b, jobs, results, 0)
		})
	}
}

// BenchmarkFeatures shows what the optional features cost per job, beside
// the plain pipeline (4 workers, buffers of 64): a per-job Timeout (a timer
// and a context per job) and an Observer (five calls per job).
func BenchmarkFeatures(b *testing.B) {
	cases := []struct {
		name    string
		timeout time.Duration
		obs     pipeline.Observer
	}{
		{name: "plain"},
		{name: "timeout", timeout: time.Hour},
		{name: "observer", obs: func(pipeline.Event) {}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := pipeline.New(4, square, pipeline.Options{JobBuffer: 64, ResultBuffer: 64, Observer: c.obs})
			b.ReportAllocs()
			jobs, results := p.Start(ctx)
			drive(b, jobs, results, c.timeout)
		})
	}
}

// warmUp runs 20,000 trivial jobs through a pipeline of the given shape
// before a benchmark starts its timer. Without it, whichever case ran first
// in a group measured up to twice as slow as the same code run later (seen
// by reordering the cases), which made the ratios between cases wrong.
func warmUp(ctx context.Context, workers int, opts pipeline.Options) {
	p := pipeline.New(workers, square, opts)
	jobs, results := p.Start(ctx)
	go func() {
		for i := range 20_000 {
			jobs <- pipeline.Job[int]{Payload: i}
		}
		close(jobs)
	}()
	for range results {
	}
}

// BenchmarkOptions shows what Ordered and FailFast cost beside the default
// on the 4-worker trivial workload, with unbuffered channels and with
// buffers of 64, in one run: compare opts=ordered and opts=failfast with
// opts=default. One op is one job.
func BenchmarkOptions(b *testing.B) {
	cases := []struct {
		name string
		opts pipeline.Options
	}{
		{"default", pipeline.Options{}},
		{"ordered", pipeline.Options{Ordered: true}},
		{"failfast", pipeline.Options{FailFast: true}},
	}
	for _, buffer := range []int{0, 64} {
		for _, c := range cases {
			b.Run("buffer="+strconv.Itoa(buffer)+"/opts="+c.name, func(b *testing.B) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				opts := c.opts
				opts.JobBuffer, opts.ResultBuffer = buffer, buffer
				warmUp(ctx, 4, opts)
				p := pipeline.New(4, square, opts)
				b.ReportAllocs()
				b.ResetTimer()
				jobs, results := p.Start(ctx)
				drive(b, jobs, results, 0)
			})
		}
	}
}

// spin busy-waits for about d: a CPU-bound handler's work, which unlike a
// sleep does not depend on the timer's resolution.
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// BenchmarkHeadOfLine measures what a slow job costs the ordered pipeline:
// 4 workers, buffers of 64, every 64th job takes 50µs and the others are
// trivial. Unordered, the other three workers go on; ordered, they can run
// ahead by at most one job each, then wait for the slow job's turn. One op
// is one job.
func BenchmarkHeadOfLine(b *testing.B) {
	h := func(_ context.Context, n int) (int, error) {
		if n%64 == 0 {
			spin(50 * time.Microsecond)
		}
		return n, nil
	}
	for _, ordered := range []bool{false, true} {
		b.Run("ordered="+strconv.FormatBool(ordered), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := pipeline.New(4, h, pipeline.Options{JobBuffer: 64, ResultBuffer: 64, Ordered: ordered})
			jobs, results := p.Start(ctx)
			drive(b, jobs, results, 0)
		})
	}
}

// BenchmarkMap is Map beside the hand-driven pipeline on the 4-worker
// trivial workload (Map picks buffers of 4): what hiding the producer and
// the consumer costs. One op is one value.
func BenchmarkMap(b *testing.B) {
	b.Run("impl=start", func(b *testing.B) {
		p := pipeline.New(4, square, pipeline.Options{JobBuffer: 4, ResultBuffer: 4})
		b.ReportAllocs()
		jobs, results := p.Start(context.Background())
		drive(b, jobs, results, 0)
	})
	for _, ordered := range []bool{false, true} {
		b.Run("impl=map/ordered="+strconv.FormatBool(ordered), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for _, err := range pipeline.Map(context.Background(), 4, func(yield func(int) bool) {
				for i := range b.N {
					if !yield(i) {
						return
					}
				}
			}, square, pipeline.Options{Ordered: ordered}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != b.N {
				b.Fatalf("got %d results; want %d", n, b.N)
			}
		})
	}
}
