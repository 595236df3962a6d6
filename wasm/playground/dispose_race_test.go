package playground_test

import (
	"sync"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestDisposeWhileStarting: Dispose racing Call("start") on real goroutines
// (the methods are safe for concurrent use) never leaves a session alive:
// a start that loses the race is refused, and every goroutine ends.
func TestDisposeWhileStarting(t *testing.T) {
	pg := playground.New()
	pg.Dispose()
	if _, err := pg.Start(playground.Config{Workers: 2, WorkMs: 1}); err == nil || err.Error() != "start: instance disposed" {
		t.Errorf("Start after Dispose: %v; want start: instance disposed", err)
	}
	if got := pg.Snapshot().Goroutines; got != 0 {
		t.Errorf("goroutines %d after a start on a disposed playground; want 0", got)
	}

	pgs := make([]*playground.Playground, 200)
	var wg sync.WaitGroup
	for i := range pgs {
		pgs[i] = playground.New()
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _ = call(pgs[i], "start", map[string]any{"workers": 3.0, "workMs": 60000.0})
		}()
		go func() {
			defer wg.Done()
			pgs[i].Dispose()
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for i, pg := range pgs {
		for pg.Snapshot().Goroutines != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("playground %d: %d goroutines left after Dispose raced start", i, pg.Snapshot().Goroutines)
			}
			time.Sleep(time.Millisecond) // real goroutines, no bubble: poll
		}
	}
}
