package playground_test

import (
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// baseRecording is a recording whose first kept event is 5 (a submit),
// after base, the state right after event 4, as JSON.
func baseRecording(base string) string {
	return `{"version":1,"config":{"workers":2},"first":5,"base":` + base + `,"events":[[5,10,2,-1,0,1]]}`
}

// TestImpossibleBaseRefused: a recording's base that no log can reach
// (more received than sent, more finished than received, a job in two
// places at once, a busy worker without a job) is refused with a message
// naming the field, and the playground keeps what it had.
func TestImpossibleBaseRefused(t *testing.T) {
	pg := playground.New()
	good := baseRecording(`[4,0,1000000,1,2,2,0,0,2,2,0,0,0,0,[[0,1,0,1,0],[0,2,0,1,0]],[],[],0,0]`)
	mustCall(t, pg, "load", good)
	before := mustCall(t, pg, "snapshot")
	cases := []struct{ name, base, want string }{
		{"received > sent", `[4,0,1000000,1,2,2,0,0,2,99,0,0,0,0,[[0,0,0,0,0],[0,0,0,0,0]],[],[],0,0]`, "recording.base: received: more jobs than were sent"},
		{"finished > received", `[4,0,1000000,1,2,2,0,0,2,1,5,0,0,0,[[0,0,0,0,0],[0,0,0,0,0]],[],[],0,0]`, "more jobs finished than were received"},
		{"emitted > received", `[4,0,1000000,1,2,2,0,0,2,1,1,0,0,2,[[0,0,0,0,0],[0,0,0,0,0]],[],[],0,0]`, "emitted: more results than jobs received"},
		{"consumed > emitted", `[4,0,1000000,1,2,2,2,2,2,2,2,0,0,0,[[0,0,0,0,0],[0,0,0,0,0]],[],[],0,0]`, "consumed: more results than were emitted"},
		{"two workers, one job", `[4,0,1000000,1,2,2,0,0,2,2,0,0,0,0,[[0,1,0,1,0],[0,1,0,1,0]],[],[],0,0]`, "workers[1]: job 1 is in two places at once"},
		{"worker and channel", `[4,0,1000000,1,2,2,0,0,2,1,0,0,0,0,[[0,1,0,1,0],[0,0,0,0,0]],[1],[],0,0]`, "inJobs: job 1 is in two places at once"},
		{"twice in a channel", `[4,0,1000000,1,2,2,0,0,2,2,2,0,0,2,[[0,0,0,0,0],[0,0,0,0,0]],[],[2,2],0,0]`, "inResults: job 2 is in two places at once"},
		{"busy without a job", `[4,0,1000000,1,2,2,0,0,2,0,0,0,0,0,[[0,0,0,1,0],[0,0,0,0,0]],[],[],0,0]`, "workers[0]: state and job do not agree"},
		{"exited with a job", `[4,0,1000000,1,2,2,0,0,2,1,0,0,0,0,[[0,1,0,3,0],[0,0,0,0,0]],[],[],0,0]`, "workers[0]: state and job do not agree"},
	}
	for _, c := range cases {
		_, err := pg.Call(nil, "load", []any{baseRecording(c.base)})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "load: recording.base: ") {
			t.Errorf("%s: load error = %v; want it to start load: recording.base: and contain %q", c.name, err, c.want)
		}
		if after := mustCall(t, pg, "snapshot"); after != before {
			t.Errorf("%s: the snapshot changed after a refused load", c.name)
		}
	}
}

// TestHugeArrayRefusedEarly: JSON text with an array longer than any
// recording has (16 MiB of "0,") is refused where the array grows too long,
// not after all of it is parsed into memory.
func TestHugeArrayRefusedEarly(t *testing.T) {
	text := `{"version":1,"config":{},"first":1,"events":[` + strings.Repeat("0,", 8<<20-40) + `0]}`
	_, err := playground.New().Call(nil, "load", []any{text})
	const want = "load: recording: invalid JSON at byte 200750: more than 100352 items in an array"
	if err == nil || err.Error() != want {
		t.Errorf("load error = %v; want %q", err, want)
	}
	var keys strings.Builder
	keys.WriteString(`{"k0":0`)
	for i := 1; i <= 100352; i++ {
		keys.WriteString(`,"k` + strconv.Itoa(i) + `":0`)
	}
	keys.WriteString("}")
	_, err = playground.New().Call(nil, "load", []any{keys.String()})
	if err == nil || !strings.Contains(err.Error(), "more than 100352 keys in an object") {
		t.Errorf("load of an object with 100,353 keys: %v; want more than 100352 keys in an object", err)
	}
}

// TestStepEndsAtAPICall: while a step waits for the run, an API call that
// records an event (cancel, close, submit, setSpeed, pauseConsumer) is the
// one more event: the step returns it and the world is paused again, so
// that a step never records more than one event.
func TestStepEndsAtAPICall(t *testing.T) {
	calls := map[string]func(*playground.Playground){
		"cancel": func(pg *playground.Playground) { _ = pg.Cancel() },
		"close":  func(pg *playground.Playground) { _ = pg.Close() },
		"submit": func(pg *playground.Playground) { _, _ = pg.Submit(1) },
		"setSpeed": func(pg *playground.Playground) {
			if err := pg.SetSpeed(0.5); err != nil {
				panic(err)
			}
		},
		"pauseConsumer": func(pg *playground.Playground) { pg.PauseConsumer(true) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			bubble(t, func(t *testing.T, pg *playground.Playground) {
				start(t, pg, playground.Config{Workers: 1, WorkMs: 60000, TimeoutMs: 0, Seed: 1})
				submit(t, pg, 2)
				settle(time.Millisecond)
				pause(t, pg)
				var next <-chan playground.Event
				for range 10 { // let the waiting records in, until the step must wait for the run
					_, ch, err := pg.Step()
					if err != nil {
						t.Fatal(err)
					}
					if next = ch; next != nil {
						break
					}
				}
				if next == nil {
					t.Fatal("no step had to wait for a 60 s job")
				}
				settle(time.Second)
				before := pg.Snapshot().Seq
				call(pg)
				synctest.Wait()
				var ev playground.Event
				select {
				case ev = <-next:
				default:
					t.Errorf("the step still waits after %s recorded event %d", name, before+1)
				}
				settle(time.Hour)
				snap := pg.Snapshot()
				if ev.Seq == 0 {
					// reported above
				} else if ev.Seq != before+1 || snap.Seq != before+1 || !snap.Paused {
					t.Errorf("step gave event %d; log at %d, paused %v; want event %d, the log still at %d an hour later, paused",
						ev.Seq, snap.Seq, snap.Paused, before+1, before+1)
				}
				mustCall(t, pg, "resume")
				_ = pg.Cancel()
				waitDone(t, pg, time.Hour)
			})
		})
	}
}
