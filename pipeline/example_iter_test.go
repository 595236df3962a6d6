package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/goflow-dev/goflow/pipeline"
)

// Map hides the producer and the consumer: range over the results.
// Ordered keeps input order.
func ExampleMap() {
	square := func(_ context.Context, n int) (int, error) { return n * n, nil }
	in := slices.Values([]int{1, 2, 3, 4, 5})
	for v, err := range pipeline.Map(context.Background(), 4, in, square, pipeline.Options{Ordered: true}) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(v)
	}
	// Output:
	// 1
	// 4
	// 9
	// 16
	// 25
}

// Two Map calls chained are a two-stage pipeline with backpressure end to
// end: the second stage ranges over the first, and breaking out of the
// outer loop stops both.
func ExampleMap_chain() {
	ctx := context.Background()
	parse := func(_ context.Context, s string) (int, error) { return strconv.Atoi(s) }
	double := func(_ context.Context, n int) (int, error) { return 2 * n, nil }

	numbers := pipeline.Map(ctx, 2, slices.Values([]string{"1", "2", "x", "4"}), parse, pipeline.Options{Ordered: true})
	var skipped []error                    // written by stage 2's producer, read after the loop
	parsed := func(yield func(int) bool) { // stage 1's values, skipping errors
		for n, err := range numbers {
			if err != nil {
				skipped = append(skipped, err)
				continue
			}
			if !yield(n) {
				return
			}
		}
	}
	for v, err := range pipeline.Map(ctx, 2, parsed, double, pipeline.Options{Ordered: true}) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println(v)
	}
	fmt.Println("skipped:", skipped)
	// Output:
	// 2
	// 4
	// 8
	// skipped: [strconv.Atoi: parsing "x": invalid syntax]
}

// With FailFast the first failure stops the pipeline, and Err tells the
// consumer why. The producer selects on p.Done(), not on its own context,
// which a fail-fast stop does not cancel.
func ExampleOptions_failFast() {
	errOdd := errors.New("odd")
	p := pipeline.New(1, func(_ context.Context, n int) (int, error) {
		if n%2 == 1 {
			return 0, fmt.Errorf("job %d: %w", n, errOdd)
		}
		return n, nil
	}, pipeline.Options{FailFast: true})
	jobs, results := p.Start(context.Background())
	go func() {
		defer close(jobs)
		for i := 0; ; i += 2 { // even numbers, then one odd one, then more
			if i == 6 {
				i = 7
			}
			select {
			case jobs <- pipeline.Job[int]{ID: strconv.Itoa(i), Payload: i}:
			case <-p.Done(): // the pipeline stopped: stop sending
				return
			}
		}
	}()
	for r := range results {
		fmt.Println(r.JobID, r.Value, r.Err)
	}
	fmt.Println("Err:", p.Err(), errors.Is(p.Err(), errOdd))
	// Output:
	// 0 0 <nil>
	// 2 2 <nil>
	// 4 4 <nil>
	// 7 0 job 7: odd
	// Err: job 7: odd true
}
