package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// This file holds what the specs share: job makers, handlers, a producer, a
// consumer and the checks on a finished pipeline.

// errBoom is the error the failing handlers return.
var errBoom = errors.New("boom")

// jobID names job i the way every spec does.
func jobID(i int) string { return "job-" + strconv.Itoa(i) }

// makeJobs returns n jobs, job i with ID jobID(i) and payload i.
func makeJobs(n int) []pipeline.Job[int] {
	js := make([]pipeline.Job[int], n)
	for i := range js {
		js[i] = pipeline.Job[int]{ID: jobID(i), Payload: i}
	}
	return js
}

// checkOneResultEach fails the test unless rs holds exactly one result for
// each job of js, and none for anything else.
func checkOneResultEach[R any](t *testing.T, rs []pipeline.Result[R], js []pipeline.Job[int]) {
	t.Helper()
	count := make(map[string]int, len(rs))
	for _, r := range rs {
		count[r.JobID]++
	}
	for _, j := range js {
		if count[j.ID] != 1 {
			t.Errorf("got %d results for %s; want 1", count[j.ID], j.ID)
		}
		delete(count, j.ID)
	}
	for id, n := range count {
		t.Errorf("got %d results for %q; want none, no such job was sent", n, id)
	}
}

// produce is a well-behaved producer: it sends js in order, stops early if
// ctx is done, closes jobs, and reports on the returned channel how many jobs
// it sent.
func produce(ctx context.Context, jobs chan<- pipeline.Job[int], js []pipeline.Job[int]) <-chan int {
	return produceUntil(ctx.Done(), jobs, js)
}

// produceUntil is produce stopping when stop is closed, such as a
// pipeline's Done channel.
func produceUntil(stop <-chan struct{}, jobs chan<- pipeline.Job[int], js []pipeline.Job[int]) <-chan int {
	sent := make(chan int, 1)
	go func() {
		defer close(jobs)
		n := 0
		defer func() { sent <- n }()
		for _, j := range js {
			select {
			case jobs <- j:
				n++
			case <-stop:
				return
			}
		}
	}()
	return sent
}

// collect is the consumer: it reads results until the pipeline closes the
// channel.
func collect[R any](results <-chan pipeline.Result[R]) []pipeline.Result[R] {
	var rs []pipeline.Result[R]
	for r := range results {
		rs = append(rs, r)
	}
	return rs
}

// collectAsync runs collect in a goroutine and delivers what it read.
func collectAsync[R any](results <-chan pipeline.Result[R]) <-chan []pipeline.Result[R] {
	out := make(chan []pipeline.Result[R], 1)
	go func() { out <- collect(results) }()
	return out
}

// sendAsync sends j on jobs from a new goroutine, giving up when ctx is done;
// the returned channel is closed once the send has happened.
func sendAsync(ctx context.Context, jobs chan<- pipeline.Job[int], j pipeline.Job[int]) <-chan struct{} {
	sent := make(chan struct{})
	go func() {
		select {
		case jobs <- j:
			close(sent)
		case <-ctx.Done():
		}
	}()
	return sent
}

// trySend sends j on jobs if that can be done without blocking.
func trySend(jobs chan<- pipeline.Job[int], j pipeline.Job[int]) bool {
	select {
	case jobs <- j:
		return true
	default:
		return false
	}
}

// isClosed reports, without blocking, whether c is closed.
func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// gatedSquare returns a handler that waits until gate is closed (or its
// context is done) and then squares its payload.
func gatedSquare(gate <-chan struct{}) pipeline.Handler[int, int] {
	return func(ctx context.Context, n int) (int, error) {
		select {
		case <-gate:
			return n * n, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// untilDone is a handler that waits for its context and returns its error.
func untilDone(ctx context.Context, _ int) (int, error) {
	<-ctx.Done()
	return 0, ctx.Err()
}

// panicMessage calls f and returns the string it panicked with; it fails
// the test if f does not panic or panics with something else.
func panicMessage(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Errorf("got no panic; want a panic")
			return
		}
		s, ok := r.(string)
		if !ok {
			t.Errorf("got panic value %#v (%T); want a string", r, r)
			return
		}
		if !strings.HasPrefix(s, "pipeline:") {
			t.Errorf("got panic %q; want a message starting with %q", s, "pipeline:")
		}
		msg = s
	}()
	f()
	return ""
}

// checkStats fails the test unless got equals want.
func checkStats(t *testing.T, what string, got, want pipeline.Stats) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got Stats %+v; want %+v", what, got, want)
	}
}

// checkFinal checks the counters of a pipeline whose results channel has
// closed and whose consumer read read results: every job taken has one
// outcome, every worker has exited, nothing waits in the results channel.
func checkFinal(t *testing.T, s pipeline.Stats, read int) {
	t.Helper()
	if got := s.Succeeded + s.Failed + s.Canceled; got != s.Received {
		t.Errorf("got Succeeded+Failed+Canceled = %d; want Received = %d (%+v)", got, s.Received, s)
	}
	if s.Emitted != uint64(read) {
		t.Errorf("got Emitted = %d; want %d, the number of results read (%+v)", s.Emitted, read, s)
	}
	if s.Exited != s.Workers || s.Idle != 0 || s.Busy != 0 || s.Blocked != 0 {
		t.Errorf("got Idle %d, Busy %d, Blocked %d, Exited %d; want Exited = Workers = %d, the others 0",
			s.Idle, s.Busy, s.Blocked, s.Exited, s.Workers)
	}
	if s.Pending != 0 {
		t.Errorf("got Pending = %d; want 0 once results is drained", s.Pending)
	}
}

// checkElapsed fails the test unless exactly want of fake time has passed
// since start.
func checkElapsed(t *testing.T, start time.Time, want time.Duration) {
	t.Helper()
	if got := time.Since(start); got != want {
		t.Errorf("got %v of fake time; want %v", got, want)
	}
}

// describe formats a result for failure messages.
func describe[R any](r pipeline.Result[R]) string {
	return fmt.Sprintf("{JobID %q, Value %v, Err %v}", r.JobID, r.Value, r.Err)
}
