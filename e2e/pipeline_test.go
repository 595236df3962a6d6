package e2e_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"
)

// The playground's pipeline behaviour, seen through the page.

// TestBoundedConcurrency: with 3 workers and 20 short jobs, no frame ever shows
// more than 3 workers busy, every result reaches the consumer, and the page's
// counters match the snapshot and add up.
func TestBoundedConcurrency(t *testing.T) {
	tb := openPage(t, "")
	tb.startSampler()
	s := tb.runJobs(config{"workers": "3", "workMs": "50"}, 20)

	wantCounters(t, s, counters{Received: 20, Succeeded: 20, Emitted: 20})
	// Screen readers hear the totals through the counters' live region.
	tb.waitFor("the live region to announce the totals",
		`(e => e.getAttribute("aria-live") === "polite" && e.textContent.includes("received 20, succeeded 20, failed 0, canceled 0, emitted 20"))(document.getElementById("counters-live"))`, quick)
	got := tb.samples()
	if got.MaxWorkers != 3 {
		t.Errorf("a snapshot had %d workers; want 3", got.MaxWorkers)
	}
	for _, c := range []struct {
		name string
		max  int
	}{
		{"workers in state busy (snapshot)", got.MaxBusy},
		{"gauges.busy (snapshot)", got.MaxBusyGauge},
		{`.worker[data-state="busy"] (page)`, got.MaxBusyShown},
	} {
		if c.max > 3 {
			t.Errorf("a frame had %d %s; want at most 3", c.max, c.name)
		}
	}
	t.Logf("page render cost per frame (goflowPage.renderMs, includes goflow.snapshot()): %s",
		eval[string](tb, `JSON.stringify(window.goflowPage.renderMs)`))
	// The bound is worth checking only if the work overlapped.
	if got.MaxBusy < 3 {
		t.Errorf("no frame had all 3 workers busy (max %d); the jobs did not run concurrently", got.MaxBusy)
	}
}

// TestBackpressure: with an unbuffered jobs channel and slow workers a burst
// leaves the producer blocked and no job ever sits in the channel; with a
// buffer of 4 the channel fills to 4 and never holds more.
func TestBackpressure(t *testing.T) {
	for _, buffer := range []int{0, 4} {
		t.Run("jobBuffer="+itoa(buffer), func(t *testing.T) {
			tb := openPage(t, "")
			tb.startSampler()
			tb.startForm(config{"workers": "2", "workMs": "1000", "jobBuffer": itoa(buffer)})
			tb.click("btn-burst")
			tb.waitFor("the page to show the producer blocked",
				`document.getElementById("producer").dataset.blocked === "true" && goflow.snapshot().producer.blocked`, quick)
			if buffer > 0 {
				tb.waitFor("the jobs channel to fill", `goflow.snapshot().jobs.len === `+itoa(buffer)+
					` && document.getElementById("jobs-channel").dataset.len === "`+itoa(buffer)+`"`, quick)
			}
			// Let the workers take jobs from the channel twice, so the
			// samples cover jobs moving through it, not only a full channel.
			tb.waitFor("workers to take 4 jobs", `goflow.snapshot().counters.received >= 4`, 10*time.Second)
			got := tb.samples()
			if got.MaxJobsLen != buffer || got.MaxJobsLenShown != buffer {
				t.Errorf("the jobs channel held at most %d jobs (snapshot) and %d (page, data-len); want %d and %d",
					got.MaxJobsLen, got.MaxJobsLenShown, buffer, buffer)
			}
			if !got.ProducerBlocked || !got.ProducerBlockedShown {
				t.Errorf("producer blocked in some frame: snapshot %v, page %v; want both", got.ProducerBlocked, got.ProducerBlockedShown)
			}
			if c := eval[string](tb, `document.getElementById("jobs-channel").dataset.cap`); c != itoa(buffer) {
				t.Errorf("#jobs-channel data-cap = %q; want %q", c, itoa(buffer))
			}
			if got.MaxBusy > 2 {
				t.Errorf("a frame had %d workers busy; want at most 2", got.MaxBusy)
			}
			tb.click("btn-cancel")
			tb.waitDone(quick)
		})
	}
}

// TestSlowConsumerCancel: a paused consumer leaves every worker blocked holding
// a result; Cancel releases them: every worker exits, the results channel
// closes and the goroutine count returns to where it was before Start.
func TestSlowConsumerCancel(t *testing.T) {
	tb := openPage(t, "")
	before := tb.snap().Goroutines
	tb.startForm(config{"workers": "3", "workMs": "50"})
	tb.click("btn-pause")
	tb.waitFor("the consumer to be shown paused",
		`goflow.snapshot().consumer.paused && document.getElementById("consumer").dataset.paused === "true"`+
			` && document.getElementById("btn-pause").getAttribute("aria-pressed") === "true"`, quick)
	tb.submit(10)
	tb.waitFor("every worker to be blocked", `goflow.snapshot().workers.every(w => w.state === "blocked")`+
		` && [...document.querySelectorAll(".worker")].map(w => w.dataset.state).join() === "blocked,blocked,blocked"`, 10*time.Second)

	tb.click("btn-cancel")
	s := tb.waitDone(quick)
	if got := s.workerStates(); !slices.Equal(got, []string{"exited", "exited", "exited"}) {
		t.Errorf("worker states after cancel = %v; want all exited", got)
	}
	tb.waitFor("the page to show every worker exited and the results channel closed",
		`[...document.querySelectorAll(".worker")].map(w => w.dataset.state).join() === "exited,exited,exited"`+
			` && document.getElementById("results-channel").dataset.closed === "true"`, quick)
	if !s.Results.Closed {
		t.Error("results.closed = false after done; want true")
	}
	if s.Goroutines != before || s.BaselineGoroutines != before {
		t.Errorf("goroutines after cancel = %d (baseline %d); want %d as before Start", s.Goroutines, s.BaselineGoroutines, before)
	}
}

// TestTimeouts: with timeoutMs below workMs every job fails (the library
// counts a timeout as failed) and the page says so.
func TestTimeouts(t *testing.T) {
	tb := openPage(t, "")
	s := tb.runJobs(config{"workers": "4", "workMs": "500", "timeoutMs": "100"}, 8)
	wantCounters(t, s, counters{Received: 8, Failed: 8, Emitted: 8})
}

// TestPanics: with panicRate 1 every job fails with a panic error, the module
// survives (no Go "panic:" line, no console error) and a later run works.
func TestPanics(t *testing.T) {
	tb := openPage(t, "")
	s := tb.runJobs(config{"workers": "4", "workMs": "20", "panicRate": "1"}, 10)
	wantCounters(t, s, counters{Received: 10, Failed: 10, Emitted: 10})
	if !s.loggedAny("panic") {
		t.Errorf("no log entry mentions the panic; log: %+v", s.Log)
	}

	s = tb.runJobs(config{"workers": "4", "workMs": "20"}, 10)
	wantCounters(t, s, counters{Received: 10, Succeeded: 10, Emitted: 10})
}

var itoa = strconv.Itoa

// TestAnimates64Workers: with 64 workers and 0 ms handlers, the largest and
// busiest pipeline the page allows, the page keeps drawing frames while a
// flood of jobs runs, every job reaches the consumer, and the counters add
// up. It logs the per-frame cost (goflow.snapshot() plus the render) over
// the flood; speed is reported, not asserted: timing belongs to benchmarks.
func TestAnimates64Workers(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "64", "workMs": "0", "jobBuffer": "64", "resultBuffer": "64"})
	before := eval[frameStats](tb, frameStatsJS)
	const n = 2000
	for range n / 100 {
		tb.click("btn-burst")
	}
	tb.waitFor(fmt.Sprintf("the consumer to read %d results", n),
		fmt.Sprintf(`goflow.snapshot().consumer.consumed === %d`, n), 30*time.Second)
	after := eval[frameStats](tb, frameStatsJS)
	s := tb.closeAndWait(quick)
	wantCounters(t, s, counters{Received: n, Succeeded: n, Emitted: n})
	if len(s.Workers) != 64 {
		t.Errorf("the snapshot has %d workers; want 64", len(s.Workers))
	}
	frames := after.Frames - before.Frames
	if frames < 10 {
		t.Errorf("the page drew %.0f frames during the flood; want it to keep animating (at least 10)", frames)
	}
	avg := func(a, b float64) float64 { return (b*after.Frames - a*before.Frames) / frames }
	t.Logf("64 workers, 0 ms jobs, %d jobs: %d frames in %.0f ms; per frame: snapshot+render %.2f ms avg (max since load %.1f), snapshot alone %.2f ms avg",
		n, int(frames), after.Now-before.Now, avg(before.Render, after.Render), after.RenderMax, avg(before.Snapshot, after.Snapshot))
}

// frameStats is what frameStatsJS reads from window.goflowPage: the frame
// count and the running averages of the per-frame costs since load.
type frameStats struct {
	Frames, Render, RenderMax, Snapshot, Now float64
}

const frameStatsJS = `(() => { const g = window.goflowPage; return {
	Frames: g.frames, Render: g.renderMs.avg, RenderMax: g.renderMs.max,
	Snapshot: g.snapshotMs.avg, Now: performance.now() }; })()`
