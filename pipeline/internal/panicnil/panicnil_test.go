//go:debug panicnil=1

package panicnil_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// recoverNil reports what recover returns for panic(nil) in this binary.
func recoverNil() (r any, panicked bool) {
	returned := false
	defer func() {
		if !returned {
			r, panicked = recover(), true
		}
	}()
	panic(nil)
}

// Defect 3: with GODEBUG=panicnil=1, panic(nil) recovers as nil; the job
// must still fail with a *PanicError, never count as a success.
func TestSynctestPanicNilWithGODEBUG(t *testing.T) {
	if r, _ := recoverNil(); r != nil {
		t.Fatalf("got recover() = %v (%T) for panic(nil); want nil: the //go:debug panicnil=1 line is not in effect", r, r)
	}
	synctest.Test(t, func(t *testing.T) {
		p := pipeline.New(1, func(context.Context, int) (int, error) {
			panic(nil)
		}, pipeline.Options{})
		jobs, results := p.Start(context.Background())
		jobs <- pipeline.Job[int]{ID: "nil"}
		close(jobs)
		var rs []pipeline.Result[int]
		for r := range results {
			rs = append(rs, r)
		}
		synctest.Wait()
		var pe *pipeline.PanicError
		if len(rs) != 1 || !errors.As(rs[0].Err, &pe) || !errors.Is(rs[0].Err, pipeline.ErrPanic) || pe.Value != nil {
			t.Fatalf("got %+v; want one result whose Err is a *PanicError with Value nil", rs)
		}
		if s := p.Stats(); s.Failed != 1 || s.Succeeded != 0 {
			t.Errorf("got Failed %d, Succeeded %d; want 1, 0: a panic is never hidden", s.Failed, s.Succeeded)
		}
	})
}

// With GODEBUG=panicnil=1, a panic(nil) in the iter.Seq given to Map still
// reaches the caller as a panic (with the value nil), never as a normal end.
func TestSynctestMapInputPanicNilWithGODEBUG(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := func(yield func(int) bool) {
			yield(1)
			panic(nil)
		}
		square := func(_ context.Context, n int) (int, error) { return n * n, nil }
		r, panicked := catch(func() {
			for range pipeline.Map(context.Background(), 2, in, square, pipeline.Options{}) {
			}
		})
		if !panicked || r != nil {
			t.Fatalf("got panicked %v, value %v; want a panic with value nil", panicked, r)
		}
	})
}

// catch runs f and reports whether it panicked, and with what, without
// relying on recover() != nil.
func catch(f func()) (r any, panicked bool) {
	returned := false
	defer func() {
		if !returned {
			r, panicked = recover(), true
		}
	}()
	f()
	returned = true
	return nil, false
}
