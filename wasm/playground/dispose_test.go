package playground_test

import (
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestDisposeReleasesGoroutines: disposing a paused playground whose
// consumer is paused ends its session's goroutines, refuses every later
// call by name, and leaves a second playground running.
func TestDisposeReleasesGoroutines(t *testing.T) {
	bubble(t, func(t *testing.T, a *playground.Playground) {
		b := playground.New()
		start(t, a, playground.Config{Workers: 3, WorkMs: 500, Seed: 1})
		start(t, b, playground.Config{Workers: 2, WorkMs: 100, Seed: 2})
		submit(t, a, 10)
		submit(t, b, 10)
		mustCall(t, a, "pauseConsumer", true)
		settle(700 * time.Millisecond)
		pause(t, a)
		settle(time.Second)
		if got := a.Snapshot().Goroutines; got != 3+2 {
			t.Fatalf("a: goroutines %d before dispose; want 5", got)
		}
		a.Dispose()
		a.Dispose() // a second call does nothing
		synctest.Wait()
		if got := a.Snapshot().Goroutines; got != 0 {
			t.Errorf("a: goroutines %d after dispose; want 0", got)
		}
		for _, fn := range []string{"snapshot", "start", "submit", "cancel", "limits", "history"} {
			var args []any
			switch fn {
			case "start":
				args = []any{map[string]any{}}
			case "submit":
				args = []any{1.0}
			}
			wantError(t, a, fn+": instance disposed", fn, args...)
		}
		sb := b.Snapshot()
		if sb.Phase != playground.PhaseRunning || sb.Goroutines != 2+2 {
			t.Errorf("b: phase %q, goroutines %d; want running with 4", sb.Phase, sb.Goroutines)
		}
		b.Close()
		checkEnded(t, waitDone(t, b, time.Minute))
	})
}

// TestDisposeRealGoroutines disposes busy playgrounds in real time (no
// bubble), for the race detector: every goroutine of theirs returns.
func TestDisposeRealGoroutines(t *testing.T) {
	pgs := make([]*playground.Playground, 8)
	for i := range pgs {
		pgs[i] = playground.New()
		start(t, pgs[i], playground.Config{Workers: 4, WorkMs: 1, JitterMs: 2, JobBuffer: 2, Seed: float64(i + 1)})
		submit(t, pgs[i], 200)
		if i%2 == 0 {
			pgs[i].Pause()
		}
	}
	done := make(chan struct{})
	for _, pg := range pgs {
		go func() {
			pg.Dispose()
			done <- struct{}{}
		}()
	}
	for range pgs {
		<-done
	}
	deadline := time.Now().Add(30 * time.Second)
	for i, pg := range pgs {
		for pg.Snapshot().Goroutines != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("playground %d: %d goroutines left after dispose", i, pg.Snapshot().Goroutines)
			}
			runtime.Gosched()
		}
	}
}
