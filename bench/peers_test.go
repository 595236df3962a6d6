package bench_test

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alitto/pond/v2"
	"github.com/gammazero/workerpool"
	"github.com/goflow-dev/goflow/pipeline"
	"github.com/panjf2000/ants/v2"
	"github.com/sourcegraph/conc/pool"
	"github.com/sourcegraph/conc/stream"
	"golang.org/x/sync/errgroup"
)

// A runner runs jobs 0..n-1 on at most workers goroutines of one library,
// calling work for each job, and hands every result to collect on the calling
// goroutine. It returns once the library has stopped: every job has run, or
// ctx was cancelled and the library has stopped taking jobs; either way every
// goroutine it started has exited. Its error is the first job's error or the
// library's.
type runner func(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error

// peers are the libraries compared, bare first: every ratio is to it.
var peers = []struct {
	name string
	run  runner
}{
	{"bare", runBare},
	{"goflow", goflow(pipeline.Options{})}, // the default: unbuffered channels
	{"goflow-buf64", goflow(pipeline.Options{JobBuffer: 64, ResultBuffer: 64})},
	{"goflow-map", goflowMap(pipeline.Options{})}, // Map: producer and consumer hidden, like the peers below
	{"errgroup", runErrgroup},
	{"conc", runConc},
	{"pond", runPond},
	{"ants", runAnts},
	{"workerpool", runWorkerpool},
}

// orderedPeers are the libraries that hand results over in input order,
// bare first. conc's stream calls each task's callback in submission order;
// pond's result group (in peers) returns its results in submission order
// too, but only once every task is done, in one slice.
var orderedPeers = []struct {
	name string
	run  runner
}{
	{"bare", runBare},
	{"goflow-ordered", goflow(pipeline.Options{Ordered: true})},
	{"goflow-map-ordered", goflowMap(pipeline.Options{Ordered: true})},
	{"conc-stream", runConcStream},
}

// runBare is the baseline: a copy of barePool in pipeline/bench_test.go
// (test code cannot be imported), with unbuffered jobs and results channels,
// workers goroutines, a WaitGroup and one goroutine that closes results.
func runBare(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	jobs := make(chan pipeline.Job[int])
	results := make(chan pipeline.Result[uint64])
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case job, ok := <-jobs:
					if !ok {
						return
					}
					v, err := work(ctx, job.Payload)
					select {
					case results <- pipeline.Result[uint64]{JobID: job.ID, Value: v, Err: err}:
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
	return exchange(ctx, n, jobs, results, collect)
}

// goflow returns the runner for GoFlow configured by opts.
func goflow(opts pipeline.Options) runner {
	return func(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
		jobs, results := pipeline.New(workers, work, opts).Start(ctx)
		return exchange(ctx, n, jobs, results, collect)
	}
}

// goflowMap returns the runner for pipeline.Map configured by opts: Map
// hides the producer and the consumer (and picks buffers of workers each).
func goflowMap(opts pipeline.Options) runner {
	return func(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
		var first firstError
		in := func(yield func(int) bool) {
			for i := range n {
				if !yield(i) {
					return
				}
			}
		}
		for v, err := range pipeline.Map(ctx, workers, in, work, opts) {
			first.set(err)
			if err == nil {
				collect(v)
			}
		}
		return first.err
	}
}

// runConcStream is conc's ordered stream with WithMaxGoroutines: each task
// returns a callback, and the stream calls the callbacks in submission
// order on a goroutine of its own (so collect runs there, one call at a
// time, and Wait orders it before the caller goes on). It has no context:
// the producer stops submitting once ctx is done.
func runConcStream(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	s := stream.New().WithMaxGoroutines(workers)
	var first firstError
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		s.Go(func() stream.Callback {
			v, err := work(ctx, i)
			first.set(err)
			return func() { collect(v) }
		})
	}
	s.Wait()
	return first.err
}

// exchange is the producer and the consumer of a channel pool: a goroutine
// sends jobs 0..n-1, stopping if ctx is done, and closes jobs; the caller
// collects results until the pool closes them, then waits for the producer.
func exchange(ctx context.Context, n int, jobs chan<- pipeline.Job[int], results <-chan pipeline.Result[uint64], collect func(uint64)) error {
	sent := make(chan struct{}) // closed by the producer when it returns
	go func() {
		defer close(sent)
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- pipeline.Job[int]{ID: "job", Payload: i}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var first firstError
	for r := range results {
		first.set(r.Err)
		collect(r.Value)
	}
	<-sent
	return first.err
}

// runErrgroup is errgroup.WithContext with SetLimit: one goroutine per job,
// at most workers at once; results go into a slice by index.
func runErrgroup(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	res := make([]uint64, n)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			v, err := work(gctx, i)
			res[i] = v
			return err
		})
	}
	err := g.Wait()
	collectAll(res, collect)
	return err
}

// runConc is conc's result pool with a context and WithMaxGoroutines; Wait
// returns the results.
func runConc(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	p := pool.NewWithResults[uint64]().WithContext(ctx).WithMaxGoroutines(workers)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		p.Go(func(ctx context.Context) (uint64, error) { return work(ctx, i) })
	}
	res, err := p.Wait()
	collectAll(res, collect)
	return err
}

// runPond is pond's result pool with a context and a task group, whose Wait
// returns the results; StopAndWait then waits for the pool's workers.
func runPond(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	p := pond.NewResultPool[uint64](workers, pond.WithContext(ctx))
	g := p.NewGroup()
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.SubmitErr(func() (uint64, error) { return work(ctx, i) })
	}
	res, err := g.Wait()
	p.StopAndWait()
	collectAll(res, collect)
	return err
}

// runAnts is ants' generic pool with a function: Invoke blocks while every
// worker is busy. ants has no context: the producer stops invoking once ctx
// is done, a WaitGroup waits for the jobs invoked, and ReleaseTimeout stops
// the pool and waits for its goroutines.
func runAnts(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	res := make([]uint64, n)
	var first firstError
	var wg sync.WaitGroup
	p, err := ants.NewPoolWithFuncGeneric(workers, func(i int) {
		defer wg.Done()
		v, err := work(ctx, i)
		res[i] = v
		first.set(err)
	})
	if err != nil {
		return err
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		if err := p.Invoke(i); err != nil {
			wg.Done()
			first.set(err)
			break
		}
	}
	wg.Wait()
	first.set(p.ReleaseTimeout(time.Minute))
	collectAll(res, collect)
	return first.err
}

// runWorkerpool is gammazero/workerpool: Submit never blocks (the queue is
// unbounded). It has no context: StopWait once every job has run, or, once
// ctx is done, Stop, which abandons queued jobs and waits for running ones.
func runWorkerpool(ctx context.Context, workers, n int, work pipeline.Handler[int, uint64], collect func(uint64)) error {
	wp := workerpool.New(workers)
	res := make([]uint64, n)
	var first firstError
	var left atomic.Int64 // jobs not yet run; the job that brings it to 0 closes finished
	left.Store(int64(n))
	finished := make(chan struct{})
	if n == 0 {
		close(finished)
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		wp.Submit(func() {
			v, err := work(ctx, i)
			res[i] = v
			first.set(err)
			if left.Add(-1) == 0 {
				close(finished)
			}
		})
	}
	select {
	case <-finished:
		wp.StopWait()
	case <-ctx.Done():
		wp.Stop()
	}
	collectAll(res, collect)
	return first.err
}

// collectAll hands each result in res to collect.
func collectAll(res []uint64, collect func(uint64)) {
	for _, v := range res {
		collect(v)
	}
}

// firstError keeps the first non-nil error set, from any goroutine; read err
// once every setter has returned.
type firstError struct {
	once sync.Once
	err  error // written once, by the first set with a non-nil error
}

func (f *firstError) set(err error) {
	if err != nil {
		f.once.Do(func() { f.err = err })
	}
}
