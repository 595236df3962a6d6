package pipeline_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

func ExampleNew() {
	p := pipeline.New(4, func(_ context.Context, n int) (int, error) {
		return n * n, nil
	}, pipeline.Options{})

	jobs, results := p.Start(context.Background())
	go func() { // the producer sends and closes
		defer close(jobs)
		for i := 1; i <= 5; i++ {
			jobs <- pipeline.Job[int]{ID: strconv.Itoa(i), Payload: i}
		}
	}()
	var lines []string
	for r := range results { // the consumer reads until the pipeline closes results
		lines = append(lines, fmt.Sprintf("%s squared is %d", r.JobID, r.Value))
	}
	slices.Sort(lines) // four workers finish in any order
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// 1 squared is 1
	// 2 squared is 4
	// 3 squared is 9
	// 4 squared is 16
	// 5 squared is 25
}

func ExamplePipeline_Start() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := pipeline.New(2, func(_ context.Context, word string) (int, error) {
		if word == "" {
			return 0, errors.New("empty word")
		}
		return len(word), nil
	}, pipeline.Options{JobBuffer: 2, ResultBuffer: 2})

	jobs, results := p.Start(ctx)
	go func() {
		defer close(jobs)
		for i, w := range []string{"producer", "", "worker", "consumer"} {
			select { // a producer that may block selects on the context too
			case jobs <- pipeline.Job[string]{ID: fmt.Sprint("job-", i), Payload: w}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var rs []pipeline.Result[int]
	for r := range results {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b pipeline.Result[int]) int { return cmp.Compare(a.JobID, b.JobID) })
	for _, r := range rs {
		fmt.Println(r.JobID, r.Value, r.Err)
	}
	s := p.Stats()
	fmt.Printf("received %d, succeeded %d, failed %d, emitted %d\n", s.Received, s.Succeeded, s.Failed, s.Emitted)
	// Output:
	// job-0 8 <nil>
	// job-1 0 empty word
	// job-2 6 <nil>
	// job-3 8 <nil>
	// received 4, succeeded 3, failed 1, emitted 4
}

func ExamplePipeline_Run() {
	// The jobs channel already exists, filled and closed by someone else.
	jobs := make(chan pipeline.Job[string], 3)
	for i, s := range []string{"a", "bb", "ccc"} {
		jobs <- pipeline.Job[string]{ID: s, Payload: strconv.Itoa(i)}
	}
	close(jobs)

	p := pipeline.New(1, func(_ context.Context, s string) (string, error) {
		return "#" + s, nil
	}, pipeline.Options{})
	for r := range p.Run(context.Background(), jobs) { // one worker: in order
		fmt.Println(r.JobID, r.Value)
	}
	// Output:
	// a #0
	// bb #1
	// ccc #2
}

func ExampleJob_timeout() {
	p := pipeline.New(1, func(ctx context.Context, d time.Duration) (string, error) {
		select {
		case <-time.After(d):
			return "done", nil
		case <-ctx.Done(): // the job's Timeout (or the pipeline's cancel)
			return "", ctx.Err()
		}
	}, pipeline.Options{})

	jobs, results := p.Start(context.Background())
	go func() {
		defer close(jobs)
		jobs <- pipeline.Job[time.Duration]{ID: "quick", Payload: 0, Timeout: time.Hour}
		jobs <- pipeline.Job[time.Duration]{ID: "slow", Payload: time.Hour, Timeout: 10 * time.Millisecond}
	}()
	for r := range results {
		fmt.Printf("%s: %q, %v (deadline exceeded: %t)\n", r.JobID, r.Value, r.Err, errors.Is(r.Err, context.DeadlineExceeded))
	}
	// Output:
	// quick: "done", <nil> (deadline exceeded: false)
	// slow: "", pipeline: job "slow" exceeded its timeout of 10ms (deadline exceeded: true)
}

// Cancelling the context stops the pipeline now: the handler in flight sees
// its context done, its job counts as canceled and no result is emitted for
// it, and the results channel closes.
func ExamplePipeline_Start_cancel() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	p := pipeline.New(1, func(ctx context.Context, n int) (int, error) {
		if n == 3 { // job 3 never finishes on its own
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		}
		return n * n, nil
	}, pipeline.Options{})

	jobs, results := p.Start(ctx)
	go func() {
		defer close(jobs)
		for i := range 4 {
			select {
			case jobs <- pipeline.Job[int]{ID: strconv.Itoa(i), Payload: i}:
			case <-ctx.Done():
				return
			}
		}
	}()
	for r := range results {
		fmt.Println("job", r.JobID, "=", r.Value)
		if r.JobID == "2" {
			<-started // job 3 is running
			cancel()
		}
	}
	s := p.Stats()
	fmt.Printf("received %d, succeeded %d, canceled %d, emitted %d\n", s.Received, s.Succeeded, s.Canceled, s.Emitted)
	// Output:
	// job 0 = 0
	// job 1 = 1
	// job 2 = 4
	// received 4, succeeded 3, canceled 1, emitted 3
}

func ExampleValidate() {
	// Configuration from a user is checked before New, which would panic.
	if err := pipeline.Validate(0, pipeline.Options{JobBuffer: 8}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// pipeline: workers = 0; want at least 1
}

func ExamplePanicError() {
	p := pipeline.New(1, func(_ context.Context, s string) (int, error) {
		return strconv.Atoi(s[:1]) // panics on an empty string
	}, pipeline.Options{})
	jobs := make(chan pipeline.Job[string], 2)
	jobs <- pipeline.Job[string]{ID: "ok", Payload: "7"}
	jobs <- pipeline.Job[string]{ID: "empty", Payload: ""}
	close(jobs)
	for r := range p.Run(context.Background(), jobs) {
		var pe *pipeline.PanicError
		if errors.As(r.Err, &pe) {
			fmt.Println(r.JobID, "panicked:", errors.Is(r.Err, pipeline.ErrPanic), pe.Value)
			continue
		}
		fmt.Println(r.JobID, r.Value)
	}
	// Output:
	// ok 7
	// empty panicked: true runtime error: slice bounds out of range [:1] with length 0
}
