package playground_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestDoneSnapshotIsFinal races snapshots against the end of many short
// sessions, ended by close and by cancel alike, and starts the next session
// right after each is done. A snapshot that says done must hold the final
// state: the results channel closed, every worker exited, and the counters
// adding up, with consumed equal to emitted. It runs on real goroutines, not
// in a synctest bubble, so that the snapshot can land between two steps of
// the session's end.
func TestDoneSnapshotIsFinal(t *testing.T) {
	pg := playground.New()
	cfg := playground.Config{Workers: 4, ResultBuffer: 1}
	for i := range 300 {
		start(t, pg, cfg)
		submit(t, pg, 8)
		var err error
		if i%2 == 0 {
			err = pg.Close()
		} else {
			err = pg.Cancel()
		}
		if err != nil {
			t.Fatal(err)
		}
		for {
			snap := pg.Snapshot()
			if snap.Phase != playground.PhaseDone {
				runtime.Gosched()
				continue
			}
			c := snap.Counters
			if c.Received != c.Succeeded+c.Failed+c.Canceled || uint64(snap.Consumer.Consumed) != c.Emitted {
				t.Fatalf("session %d: done with counters %+v, consumed %d; want received = succeeded + failed + canceled and consumed = emitted", i, c, snap.Consumer.Consumed)
			}
			if !snap.Results.Closed || !snap.Producer.Closed {
				t.Fatalf("session %d: done with results closed %v, jobs closed %v; want both closed", i, snap.Results.Closed, snap.Producer.Closed)
			}
			for _, w := range snap.Workers {
				if w.State != "exited" {
					t.Fatalf("session %d: done with worker %d %q; want exited", i, w.ID, w.State)
				}
			}
			break
		}
	}
	// Every session's goroutines exit: the workers, the producer and the
	// consumer. The last worker may still be returning from its
	// ResultsClosed event, so give it a moment, without sleeping.
	var stacks string
	for range 100000 {
		buf := make([]byte, 1<<20)
		stacks = string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "goflow/pipeline.") && !strings.Contains(stacks, "playground.(*session)") {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("a pipeline or session goroutine is still running:\n%s", stacks)
}
