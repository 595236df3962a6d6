package pipeline_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// Before Start every worker counts as idle and nothing else is counted.
func TestStatsBeforeStart(t *testing.T) {
	for _, n := range []int{1, 4, 64} {
		p := pipeline.New(n, square, pipeline.Options{JobBuffer: 3, ResultBuffer: 3})
		checkStats(t, "before Start", p.Stats(), pipeline.Stats{Workers: n, Idle: n})
	}
}

// The gauges follow the workers and channels step by step.
func TestSynctestStatsGauges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const workers = 3
		gate := make(chan struct{})
		p := pipeline.New(workers, gatedSquare(gate), pipeline.Options{JobBuffer: 3, ResultBuffer: 1})
		jobs, results := p.Start(context.Background())
		synctest.Wait()
		checkStats(t, "started", p.Stats(), pipeline.Stats{Workers: workers, Idle: workers})

		js := makeJobs(7)
		jobs <- js[0]
		jobs <- js[1]
		synctest.Wait()
		checkStats(t, "two busy", p.Stats(), pipeline.Stats{Received: 2, Workers: workers, Busy: 2, Idle: 1})

		for _, j := range js[2:6] {
			jobs <- j
		}
		synctest.Wait()
		checkStats(t, "all busy, three queued", p.Stats(), pipeline.Stats{Received: 3, Workers: workers, Busy: 3, Queued: 3})

		close(gate) // nobody reads: one result fits the buffer, then workers block
		synctest.Wait()
		checkStats(t, "consumer not reading", p.Stats(), pipeline.Stats{
			Received: 4, Succeeded: 4, Emitted: 1, Workers: workers, Blocked: 3, Queued: 2, Pending: 1,
		})

		jobs <- js[6]
		close(jobs)
		rs := collect(results)
		synctest.Wait()
		checkStats(t, "drained", p.Stats(), pipeline.Stats{
			Received: 7, Succeeded: 7, Emitted: 7, Workers: workers, Exited: workers,
		})
		if len(rs) != len(js) {
			t.Errorf("got %d results; want %d", len(rs), len(js))
		}
	})
}

// After close the counters add up, whatever the mix of outcomes.
func TestSynctestStatsCounters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 40
		p := pipeline.New(5, func(_ context.Context, n int) (int, error) {
			switch n % 4 {
			case 1:
				return 0, errBoom
			case 2:
				panic(n)
			}
			return n, nil
		}, pipeline.Options{JobBuffer: 4, ResultBuffer: 4})
		jobs, results := p.Start(context.Background())
		produce(context.Background(), jobs, makeJobs(n))
		rs := collect(results)
		synctest.Wait()
		checkStats(t, "drained", p.Stats(), pipeline.Stats{
			Received: n, Succeeded: n / 2, Failed: n / 2, Emitted: n, Workers: 5, Exited: 5,
		})
		if len(rs) != n {
			t.Errorf("got %d results; want %d", len(rs), n)
		}
	})
}
