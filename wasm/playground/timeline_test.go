package playground_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestTimeline: the lanes of a scripted run (one worker, two jobs, a paused
// consumer, a cancel) are exactly these, span by span, in simulated ms.
// Spans of no length (several events at one moment) are left out, but for
// the last.
func TestTimeline(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		if _, err := pg.Timeline(); err == nil || err.Error() != "timeline: no recording; call start or load first" {
			t.Errorf("Timeline before start: %v", err)
		}
		start(t, pg, playground.Config{Workers: 2, WorkMs: 100, JitterMs: 40, Seed: 1})
		settle(10 * time.Millisecond)
		submit(t, pg, 1) // one job for two workers: one of them takes it
		settle(100 * time.Millisecond)
		submit(t, pg, 2)
		settle(50 * time.Millisecond)
		pg.PauseConsumer(true)
		settle(100 * time.Millisecond)
		pg.Cancel()
		waitDone(t, pg, time.Minute)
		lanes, err := pg.Timeline()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, l := range lanes {
			fmt.Fprintf(&b, "%s:", l.Name)
			var kept []playground.Span
			for i, s := range l.Spans {
				switch n := len(kept); {
				case s.ToMs == s.FromMs && i < len(l.Spans)-1: // no length
				case n > 0 && kept[n-1].State == s.State && kept[n-1].Job == s.Job:
					kept[n-1].ToMs = s.ToMs // the same state on both sides of a span left out
				default:
					kept = append(kept, s)
				}
			}
			for _, s := range kept {
				fmt.Fprintf(&b, " %s", strings.TrimSpace(s.State+" "+s.Job))
				fmt.Fprintf(&b, " %g-%g", s.FromMs, s.ToMs)
			}
			b.WriteString("\n")
		}
		got := b.String()
		// Which worker takes which job is the scheduler's choice; the
		// lanes are compared with the worker that took job-1 first.
		// The jitter comes from the seed: job-1 works 136.503888 ms, job-2
		// 129.965987 ms. Which of the two idle workers takes job-1 is the
		// scheduler's choice, so the lanes call the one that does worker A.
		want := `producer: idle 0-110 blocked 110-146.503888 idle 146.503888-260 exited 260-260
worker A: idle 0-10 busy job-1 10-146.503888 busy job-3 146.503888-260 exited 260-260
worker B: idle 0-110 busy job-2 110-239.965987 idle 239.965987-260 exited 260-260
consumer: idle 0-160 paused 160-260 exited 260-260
`
		lines := strings.Split(got, "\n")
		if !strings.Contains(lines[1], "busy job-1") { // worker 1 took job-1
			lines[1], lines[2] = lines[2], lines[1]
		}
		lines[1] = strings.Replace(lines[1], "worker 0:", "worker A:", 1)
		lines[1] = strings.Replace(lines[1], "worker 1:", "worker A:", 1)
		lines[2] = strings.Replace(lines[2], "worker 0:", "worker B:", 1)
		lines[2] = strings.Replace(lines[2], "worker 1:", "worker B:", 1)
		got = strings.Join(lines, "\n")
		if got != want {
			t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
		}
	})
}
