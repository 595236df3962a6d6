package playground_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestWhy: in a scripted slow-consumer run (2 workers, unbuffered
// channels, a consumer that spends 500 ms on each result), each part's
// explanation names its cause and its place in the code.
func TestWhy(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		if _, err := pg.Why(1, "producer"); err == nil || err.Error() != "why: no recording; call start or load first" {
			t.Errorf("Why before start: %v", err)
		}
		start(t, pg, playground.Config{Workers: 2, WorkMs: 100, ConsumerDelayMs: 500, Seed: 1})
		settle(10 * time.Millisecond)
		at := func() uint64 { _, last := pg.History(); return last }
		idle := at()
		submit(t, pg, 6)
		settle(50 * time.Millisecond)
		busy := at()
		settle(200 * time.Millisecond) // both results taken or held: the consumer sleeps on the first
		held := at()
		cases := []struct {
			seq         uint64
			part        string
			state, text string
			where       string
		}{
			{idle, "worker 0", "idle", "worker 0 is idle: the jobs channel is empty, so its receive waits until the producer sends a job.", playground.WhereWorkerTake},
			{idle, "producer", "idle", "the producer is idle: its backlog is empty, so it has nothing to send until you submit jobs.", playground.WhereProducerLoop},
			{idle, "consumer", "idle", "the consumer is idle: the results channel is empty, so its range waits until a worker sends a result.", playground.WhereConsumerRange},
			{busy, "producer", "blocked", "the producer is blocked: it is sending job-3 and the jobs channel is unbuffered, so its send waits until an idle worker takes it.", playground.WhereProducerSend},
			{busy, "jobs channel", "", "the jobs channel holds nothing (unbuffered). It is unbuffered: a send waits until a receiver takes the value, hand to hand.", playground.WhereChannels},
			{held, "consumer", "reading", "the consumer is reading job-1's result: it spends 500 ms on each result (consumerDelayMs), and takes no other result meanwhile.", playground.WhereConsumerRange},
		}
		for _, c := range cases {
			w, err := pg.Why(c.seq, c.part)
			if err != nil {
				t.Fatalf("Why(%d, %q): %v", c.seq, c.part, err)
			}
			if c.state == "reading" && w.Job == "job-2" { // job-1 and job-2 finish together: either is first
				c.text = strings.Replace(c.text, "job-1", "job-2", 1)
			}
			if w.State != c.state || w.Text != c.text || w.Where != c.where || w.Seq != c.seq || w.Part != c.part {
				t.Errorf("Why(%d, %q) = %+v\nwant state %q, text %q, where %q", c.seq, c.part, w, c.state, c.text, c.where)
			}
		}
		// Each worker at held: one busy, or blocked holding a result the
		// sleeping consumer does not take.
		blocked := 0
		for _, part := range []string{"worker 0", "worker 1"} {
			w, _ := pg.Why(held, part)
			switch w.State {
			case "blocked":
				blocked++
				want := part + " is blocked: it holds " + w.Job + "'s result and the results channel is unbuffered, so its send waits until the consumer takes it. The consumer is slow: it spends 500 ms on each result (consumerDelayMs)."
				if w.Text != want || w.Where != playground.WhereWorkerSend {
					t.Errorf("Why(held, %q) = %q at %q\nwant %q at %q", part, w.Text, w.Where, want, playground.WhereWorkerSend)
				}
			case "busy":
				if w.Where != playground.WhereWorkerHandler {
					t.Errorf("Why(held, %q): busy at %q; want %q", part, w.Where, playground.WhereWorkerHandler)
				}
			default:
				t.Errorf("Why(held, %q): state %q; want blocked or busy", part, w.State)
			}
		}
		if blocked == 0 {
			t.Error("no worker is blocked behind the slow consumer")
		}
		pg.Cancel()
		waitDone(t, pg, time.Minute)
		end := at()
		for part, want := range map[string]string{
			"producer": "the producer has exited: the context was canceled, so it stopped sending and closed the jobs channel.",
			"worker 1": "worker 1 has exited: the context was canceled, so it stopped taking jobs.",
			"consumer": "the consumer has exited: the pipeline closed the results channel after the last worker exited, so its range loop ended.",
		} {
			if w, _ := pg.Why(end, part); w.Text != want || w.State != "exited" {
				t.Errorf("Why(end, %q) = %q (%s); want %q", part, w.Text, w.State, want)
			}
		}
		for _, c := range []struct {
			seq  uint64
			part any
			want string
		}{
			{1, "worker 2", `why: part: got "worker 2"; want "producer", "jobs channel", "worker 0" to "worker 1", "results channel" or "consumer"`},
			{1, "worker 01", `why: part: got "worker 01"; want "producer", "jobs channel", "worker 0" to "worker 1", "results channel" or "consumer"`},
			{1, 3.0, `why: part: got 3; want a string such as "worker 0"`},
			{end + 1, "producer", "why: seq: got " + itoa(end+1) + "; want an integer from 1 to " + itoa(end)},
		} {
			if _, err := pg.Why(c.seq, c.part); err == nil || err.Error() != c.want {
				t.Errorf("Why(%d, %v): %v; want %s", c.seq, c.part, err, c.want)
			}
		}
	})
}
