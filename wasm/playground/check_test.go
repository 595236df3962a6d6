package playground

import (
	"testing"
	"testing/synctest"
	"time"
)

// TestRealStatesPassCheck: every state along real runs' logs (failures,
// panics, timeouts, ordered, failFast, cancel, a paused consumer) passes
// state.check, the test a recording's base must pass, so that load never
// refuses a base that recording() wrote.
func TestRealStatesPassCheck(t *testing.T) {
	configs := []Config{
		{Workers: 8, WorkMs: 10, JitterMs: 20, JobBuffer: 3, ResultBuffer: 2, FailRate: 0.3, PanicRate: 0.1, TimeoutMs: 15, Seed: 3},
		{Workers: 6, WorkMs: 10, JitterMs: 30, JobBuffer: 2, ResultBuffer: 1, Ordered: true, ConsumerDelayMs: 5, Seed: 4},
		{Workers: 4, WorkMs: 10, JitterMs: 10, FailRate: 0.2, FailFast: true, Seed: 5},
		{Workers: 5, WorkMs: 10, JitterMs: 10, JobBuffer: 4, ResultBuffer: 4, ConsumerDelayMs: 3, Seed: 6},
	}
	for i, cfg := range configs {
		synctest.Test(t, func(t *testing.T) {
			pg := New()
			if _, err := pg.Start(cfg); err != nil {
				t.Fatal(err)
			}
			if _, err := pg.Submit(60); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			if i == 3 {
				pg.PauseConsumer(true)
				time.Sleep(100 * time.Millisecond)
				pg.PauseConsumer(false)
				_ = pg.Cancel()
			} else {
				_ = pg.Close()
			}
			time.Sleep(time.Minute)
			synctest.Wait()
			r := pg.recording()
			first, last := r.history()
			if first != 1 || last < 40 {
				t.Fatalf("config %d: history %d..%d; want a full log of 40 events or more", i, first, last)
			}
			s := newState(cfg.Workers)
			for seq := first; seq <= last; seq++ {
				if err := s.apply(r.event(seq)); err != nil {
					t.Fatalf("config %d: event %d: %v", i, seq, err)
				}
				if err := s.check(); err != nil {
					t.Fatalf("config %d: the state after event %d (%v) fails check: %v", i, seq, r.event(seq).Kind, err)
				}
			}
		})
	}
}
