package playground_test

import (
	"encoding/json"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// timelineView is the JSON of goflow.timeline.
type timelineView struct {
	FromMs, ToMs, FirstMs, LastMs float64
	CursorMs                      *float64
	Buckets                       int
	First, Last                   uint64
	States                        []string
	Lanes                         []struct {
		Name   string
		States string
		Jobs   []float64
		At     []int
	}
	Jobs, Results struct {
		Cap  int
		Fill []int
	}
	Seqs []uint64
}

func callTimeline(t *testing.T, pg *playground.Playground, args ...any) timelineView {
	t.Helper()
	out, err := pg.Call(nil, "timeline", args)
	if err != nil {
		t.Fatalf("timeline%v: %v", args, err)
	}
	var v timelineView
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("timeline%v: %v in %s", args, err, out)
	}
	return v
}

// bars writes a lane's buckets as runs of one state, "state job from-to"
// in ms, the job from the lane's jobs list.
func bars(v timelineView, lane int) string {
	l := v.Lanes[lane]
	width := (v.ToMs - v.FromMs) / float64(v.Buckets)
	jobs := map[int]float64{}
	for i := 0; i+2 < len(l.Jobs); i += 3 {
		jobs[int(l.Jobs[i+1])] = l.Jobs[i]
	}
	var b strings.Builder
	for j := 0; j < len(l.States); {
		k := j
		for k < len(l.States) && l.States[k] == l.States[j] && (k == j || jobs[k] == 0) {
			k++
		}
		if j > 0 {
			b.WriteString(" ")
		}
		if l.States[j] == '.' {
			b.WriteString("none")
		} else {
			b.WriteString(v.States[l.States[j]-'0'])
		}
		if jobs[j] != 0 {
			b.WriteString(" job-" + jsonNum(jobs[j]))
		}
		b.WriteString(" " + jsonNum(v.FromMs+float64(j)*width) + "-" + jsonNum(v.FromMs+float64(k)*width))
		j = k
	}
	return b.String()
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }

// TestTimelineView: a scripted run (2 workers, a jobs buffer of 2, a
// paused consumer, then close) drawn at 1 ms buckets is the run's exact
// lanes; at one bucket each lane is one bar of the state that took most of
// the time; the channels' fill and the seek table follow the events.
func TestTimelineView(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 2, WorkMs: 100, JobBuffer: 2, ResultBuffer: 1, Seed: 1})
		pg.PauseConsumer(true)
		settle(10 * time.Millisecond)
		submit(t, pg, 6)
		settle(400 * time.Millisecond)
		pg.PauseConsumer(false)
		pg.Close()
		waitDone(t, pg, time.Minute)
		first, last := pg.History()
		end := pg.Snapshot().Log
		endMs := float64(end[len(end)-1].Ms)
		v := callTimeline(t, pg, 0.0, 1000.0, 610, float64(last)) // 1 ms buckets
		if v.FromMs != 0 || v.ToMs != 610 {
			t.Errorf("range %g-%g; want 0-610, cut to the recording", v.FromMs, v.ToMs)
		}
		if v.First != first || v.Last != last || v.Buckets != 610 || v.CursorMs == nil || *v.CursorMs != v.LastMs || v.LastMs < endMs {
			t.Errorf("first %d last %d buckets %d cursor %v lastMs %g; want %d %d 610 %g", v.First, v.Last, v.Buckets, v.CursorMs, v.LastMs, first, last, v.LastMs)
		}
		names := []string{"producer", "worker 0", "worker 1", "consumer"}
		for i, l := range v.Lanes { // at the last event, each lane's exact state
			if len(l.At) != 2 || v.States[l.At[0]] != "exited" || l.At[1] != 0 {
				t.Errorf("lane %d at the last event: %v; want exited, no job", i, l.At)
			}
		}
		for i, l := range v.Lanes {
			if l.Name != names[i] {
				t.Errorf("lane %d: %q; want %q", i, l.Name, names[i])
			}
		}
		// Workers take job-1 and job-2 at 10 ms; job-3 and job-4 fill
		// the jobs channel; the producer blocks on job-5. At 110 ms one
		// worker's result fills the results channel (cap 1) and it takes
		// job-3; the other blocks holding its result, as does the first at
		// 210 ms, until the consumer resumes at 410 ms. Which worker does
		// what is the scheduler's choice, so the two are compared as a set.
		got := map[string]string{"producer": bars(v, 0), "consumer": bars(v, 3)}
		want := map[string]string{
			"producer": "idle 0-10 blocked 10-410 exited 410-610",
			"consumer": "paused 0-410 idle 410-610",
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s: %s\nwant: %s", k, got[k], want[k])
			}
		}
		// Up to 410 ms one worker ran job-1 or job-2 and blocked; the
		// other ran the other and job-3. From 410 ms, job-4 to job-6 go
		// to either: the spans after 410 are compared as a set.
		var pre, post []string
		for _, lane := range []string{bars(v, 1), bars(v, 2)} {
			cut := strings.Index(lane, " 410-") // the first span from 410 on
			cut = strings.LastIndex(lane[:cut], " ")
			cut = strings.LastIndex(lane[:cut], " busy")
			pre = append(pre, lane[:cut])
			for _, sp := range strings.SplitAfter(lane[cut+1:], "0 ") {
				post = append(post, strings.TrimSpace(sp))
			}
		}
		slices.Sort(pre)
		slices.Sort(post)
		wantPre := []string{
			"idle 0-10 busy job-1 10-110 blocked job-1 110-410",
			"idle 0-10 busy job-2 10-110 busy job-3 110-210 blocked job-3 210-410",
		}
		if !strings.Contains(strings.Join(pre, "|"), "busy job-1 10-110 blocked") {
			wantPre = []string{
				"idle 0-10 busy job-1 10-110 busy job-3 110-210 blocked job-3 210-410",
				"idle 0-10 busy job-2 10-110 blocked job-2 110-410",
			}
		}
		wantPost := []string{"busy job-4 410-510", "busy job-5 410-510", "busy job-6 510-610", "exited 510-610"}
		if !slices.Equal(pre, wantPre) || !slices.Equal(post, wantPost) {
			t.Errorf("worker lanes:\n%s\n%s\nwant up to 410 ms %q, then %q", bars(v, 1), bars(v, 2), wantPre, wantPost)
		}
		if v.Jobs.Cap != 2 || v.Results.Cap != 1 || v.Jobs.Fill[50] != 2 || v.Results.Fill[200] != 1 || v.Jobs.Fill[5] != 0 || v.Results.Fill[450] != 0 {
			t.Errorf("fill: jobs cap %d [5]=%d [50]=%d, results cap %d [200]=%d [450]=%d; want 2 0 2, 1 1 0",
				v.Jobs.Cap, v.Jobs.Fill[5], v.Jobs.Fill[50], v.Results.Cap, v.Results.Fill[200], v.Results.Fill[450])
		}
		for i := 1; i < len(v.Seqs); i++ {
			if v.Seqs[i] < v.Seqs[i-1] {
				t.Fatalf("seqs[%d] = %d < seqs[%d] = %d", i, v.Seqs[i], i-1, v.Seqs[i-1])
			}
		}
		if v.Seqs[609] != last || v.Seqs[0] < first {
			t.Errorf("seqs: %d..%d; want from %d to %d", v.Seqs[0], v.Seqs[609], first, last)
		}
		// One bucket: the state that took most of each lane's time, then
		// the state at the head.
		one := callTimeline(t, pg, 0.0, 1000.0, 1)
		for i, want := range []string{"blocked 0-610", "", "", "paused 0-610"} {
			if want == "" {
				continue // blocked or busy: the scheduler's choice
			}
			if got := bars(one, i); got != want {
				t.Errorf("one bucket, %s: %s; want %s", names[i], got, want)
			}
		}
		one = callTimeline(t, pg, 0.0, 400.0, 1)
		if got := bars(one, 0); got != "blocked 0-400" { // the producer exits at 410
			t.Errorf("one bucket to 400 ms, producer: %s; want blocked 0-400", got)
		}
		if one.CursorMs != nil {
			t.Errorf("cursorMs without a seq: %v", *one.CursorMs)
		}
	})
}

// TestTimelineErrors: bad arguments name what is wrong.
func TestTimelineErrors(t *testing.T) {
	pg := playground.New()
	for _, c := range []struct {
		args []any
		want string
	}{
		{[]any{0.0, 10.0}, "timeline: no recording; call start or load first"},
		{[]any{"a", 10.0}, `timeline: fromMs: got "a"; want a number from 0 to 1000000000000`},
		{[]any{0.0}, "timeline: toMs: got undefined; want a number from 0 to 1000000000000"},
		{[]any{5.0, 5.0}, "timeline: toMs: got 5; want more than fromMs (5)"},
		{[]any{0.0, 10.0, 0.5}, "timeline: buckets: got 0.5; want an integer from 1 to 4096"},
		{[]any{0.0, 10.0, 5000.0}, "timeline: buckets: got 5000; want an integer from 1 to 4096"},
		{[]any{0.0, 10.0, 10.0, -1.0}, "timeline: seq: got -1; want an integer from 0 to 9007199254740991"},
		{[]any{0.0, 10.0, 10.0, 1.0, 2.0}, "timeline: got 5 arguments; want 4 (fromMs, toMs, buckets, seq)"},
	} {
		if _, err := pg.Call(nil, "timeline", c.args); err == nil || err.Error() != c.want {
			t.Errorf("timeline%v: %v; want %s", c.args, err, c.want)
		}
	}
	pg.Start(playground.Config{Workers: 1, Seed: 1})
	defer pg.Cancel()
	for {
		if _, last := pg.History(); last > 0 {
			break
		}
		runtime.Gosched()
	}
	if _, err := pg.Call(nil, "timeline", []any{0.0, 10.0, 10.0, 1e9}); err == nil || !strings.HasPrefix(err.Error(), "timeline: seq: got 1000000000; want an integer from 1 to ") {
		t.Errorf("timeline with a seq past the head: %v", err)
	}
}

// TestTimelineSlowConsumer: a consumer that spends 300 ms on each result
// is reading for 300 ms after taking one, though no event marks the end;
// the cursor's state at an event during that time is reading.
func TestTimelineSlowConsumer(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		start(t, pg, playground.Config{Workers: 1, WorkMs: 100, ConsumerDelayMs: 300, Seed: 1})
		submit(t, pg, 2)
		settle(150 * time.Millisecond) // job-1's result taken at 100 ms
		_, mid := pg.History()
		settle(100 * time.Millisecond) // the last event: job-2 done at 200 ms, its worker blocked
		_, late := pg.History()
		pg.Close()
		waitDone(t, pg, time.Minute)
		lanes, err := pg.Timeline()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range lanes[2].Spans {
			if s.ToMs > s.FromMs || s.State == "exited" {
				got = append(got, s.State+" "+jsonNum(s.FromMs)+"-"+jsonNum(s.ToMs))
			}
		}
		// job-2 is done at 200 ms; its worker blocks until the consumer
		// takes it at 400 ms, then reads until 700 ms.
		want := "idle 0-100 reading 100-700 exited 700-700"
		if g := strings.Join(got, " "); g != want {
			t.Errorf("consumer: %s\nwant: %s", g, want)
		}
		for _, seq := range []uint64{mid, late} {
			v := callTimeline(t, pg, 0.0, 1e12, 10, float64(seq))
			if at := v.Lanes[2].At; v.States[at[0]] != "reading" {
				t.Errorf("the consumer right after event %d (%g ms): %s; want reading", seq, *v.CursorMs, v.States[at[0]])
			}
		}
	})
}

// TestTimelineLive: with real goroutines (no bubble), timeline and why
// calls race a running session (go test -race checks them), and at the
// end the cursor's states agree with snapshotAt.
func TestTimelineLive(t *testing.T) {
	pg := playground.New()
	if _, err := pg.Start(playground.Config{Workers: 4, WorkMs: 1, JobBuffer: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	defer pg.Cancel() // on failure: no goroutine outlives the test
	if _, err := pg.Submit(200); err != nil {
		t.Fatal(err)
	}
	if err := pg.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for pg.Snapshot().Phase != playground.PhaseDone {
		if time.Now().After(deadline) {
			t.Fatal("the run did not end within a minute")
		}
		runtime.Gosched() // js/wasm does not preempt: let the run's goroutines go on
		_, last := pg.History()
		if last == 0 {
			continue
		}
		if _, err := pg.Call(nil, "timeline", []any{0.0, 1e12, 100.0, float64(last)}); err != nil {
			t.Fatal(err)
		}
		if _, err := pg.Why(last, "worker 1"); err != nil {
			t.Fatal(err)
		}
	}
	_, last := pg.History()
	v := callTimeline(t, pg, 0.0, 1e12, 100, float64(last))
	snap := pg.Snapshot()
	for i, w := range snap.Workers {
		if got := v.States[v.Lanes[1+i].At[0]]; got != w.State {
			t.Errorf("worker %d at the end: %s; snapshot: %s", i, got, w.State)
		}
	}
}
