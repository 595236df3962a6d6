package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// panicky panics on odd payloads, with io.ErrUnexpectedEOF for 3 and a
// string otherwise, and counts its calls per payload.
type panicky struct{ calls [6]atomic.Int32 }

func (p *panicky) handle(_ context.Context, n int) (int, error) {
	p.calls[n].Add(1)
	return panicOnOdd(n)
}

func panicOnOdd(n int) (int, error) {
	switch {
	case n == 3:
		panic(io.ErrUnexpectedEOF)
	case n%2 == 1:
		panic("odd " + jobID(n))
	}
	return n * n, nil
}

// A panic becomes the job's error, with its value and stack; the worker goes
// on with the next job, and nothing is retried.
func TestSynctestPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := &panicky{}
		p := pipeline.New(1, h.handle, pipeline.Options{}) // one worker: it must survive
		jobs, results := p.Start(context.Background())
		produce(context.Background(), jobs, makeJobs(len(h.calls)))
		rs := collect(results)
		synctest.Wait()
		if len(rs) != len(h.calls) {
			t.Fatalf("got %d results; want %d: the worker must survive a panic", len(rs), len(h.calls))
		}
		for i, r := range rs { // one worker, unbuffered: in order
			if r.JobID != jobID(i) {
				t.Fatalf("got result %d for %s; want %s", i, r.JobID, jobID(i))
			}
			if i%2 == 0 {
				if r.Err != nil || r.Value != i*i {
					t.Errorf("got %s; want Value %d, Err nil", describe(r), i*i)
				}
				continue
			}
			if !errors.Is(r.Err, pipeline.ErrPanic) {
				t.Errorf("got errors.Is(%v, ErrPanic) false; want true", r.Err)
			}
			var pe *pipeline.PanicError
			if !errors.As(r.Err, &pe) {
				t.Fatalf("got Err %#v; want a *pipeline.PanicError", r.Err)
			}
			if !bytes.Contains(pe.Stack, []byte("pipeline_test.panicOnOdd")) {
				t.Errorf("got Stack\n%s\nwant it to name the panicking function pipeline_test.panicOnOdd", pe.Stack)
			}
			if r.Value != 0 {
				t.Errorf("got Value %d; want 0", r.Value)
			}
			if i == 3 {
				if pe.Value != io.ErrUnexpectedEOF || !errors.Is(r.Err, io.ErrUnexpectedEOF) {
					t.Errorf("got Value %v, errors.Is(err, io.ErrUnexpectedEOF) %v; want the error, true", pe.Value, errors.Is(r.Err, io.ErrUnexpectedEOF))
				}
				continue
			}
			want := "odd " + jobID(i)
			if pe.Value != want || !strings.Contains(r.Err.Error(), want) {
				t.Errorf("got Value %#v, message %q; want %q in both", pe.Value, r.Err.Error(), want)
			}
			if pe.Unwrap() != nil {
				t.Errorf("got Unwrap() %v for a string panic; want nil", pe.Unwrap())
			}
		}
		for i := range h.calls {
			if got := h.calls[i].Load(); got != 1 {
				t.Errorf("handler called %d times for %s; want 1 (no retries)", got, jobID(i))
			}
		}
		s := p.Stats()
		checkFinal(t, s, len(rs))
		if s.Failed != 3 || s.Succeeded != 3 {
			t.Errorf("got Failed %d, Succeeded %d; want 3, 3", s.Failed, s.Succeeded)
		}
	})
}

// A handler that panics after the pipeline's context is done still fails: a
// panic is never hidden as a cancellation. Its result is abandoned like any
// other after cancel.
func TestSynctestPanicAfterCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p := pipeline.New(1, func(ctx context.Context, _ int) (int, error) {
			<-ctx.Done()
			panic("shutting down")
		}, pipeline.Options{})
		jobs, results := p.Start(ctx)
		produce(ctx, jobs, makeJobs(1))
		synctest.Wait()
		cancel()
		if rs := collect(results); len(rs) != 0 {
			t.Errorf("got %d results; want none after cancel", len(rs))
		}
		s := p.Stats()
		checkFinal(t, s, 0)
		if s.Canceled != 0 || s.Failed != 1 {
			t.Errorf("got Canceled %d, Failed %d; want 0, 1 (a panic always fails)", s.Canceled, s.Failed)
		}
	})
}

// A handler that calls runtime.Goexit (as t.FailNow does) fails its job
// with a PanicError wrapping ErrGoexit; a new goroutine takes the worker's
// place, so the pool keeps its size and later jobs still run.
func TestSynctestHandlerGoexit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := pipeline.New(1, func(_ context.Context, n int) (int, error) {
			if n == 0 {
				runtime.Goexit()
			}
			return n, nil
		}, pipeline.Options{})
		base := restingGoroutines()
		jobs, results := p.Start(context.Background())
		go func() {
			defer close(jobs)
			jobs <- pipeline.Job[int]{ID: "goexit", Payload: 0}
			jobs <- pipeline.Job[int]{ID: "after", Payload: 1}
		}()
		first := <-results
		if !errors.Is(first.Err, pipeline.ErrPanic) || !errors.Is(first.Err, pipeline.ErrGoexit) {
			t.Errorf("got Err %v; want a PanicError wrapping ErrGoexit", first.Err)
		}
		synctest.Wait()
		checkGoroutines(t, "after the Goexit (the worker replaced)", base+1)
		rest := collect(results)
		if len(rest) != 1 || rest[0].JobID != "after" || rest[0].Err != nil || rest[0].Value != 1 {
			t.Errorf("got %+v after the Goexit; want one result for job \"after\" with Value 1", rest)
		}
		synctest.Wait()
		s := p.Stats()
		checkFinal(t, s, 2)
		if s.Failed != 1 || s.Succeeded != 1 {
			t.Errorf("got Failed %d, Succeeded %d; want 1, 1", s.Failed, s.Succeeded)
		}
	})
}
