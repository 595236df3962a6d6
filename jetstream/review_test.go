package jetstream_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// The tests of this file came out of a hostile review of Consume: each one
// failed before the fix it names.

func TestResultsStreamFullLosesNothing(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	ctx := context.Background()
	// The operator caps the results stream and rejects what does not fit.
	rs, err := js.Stream(ctx, resultsStream)
	if err != nil {
		t.Fatal(err)
	}
	cfg := rs.CachedInfo().Config
	cfg.MaxMsgs, cfg.Discard = 5, natsjs.DiscardNew
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	const n = 20
	publishJobs(t, js, n, strconv.Itoa)
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	opts := textOptions()
	opts.MaxDeliver = 2 // a failing job would be termed at its second delivery
	opts.NakDelay = 10 * time.Millisecond
	stop := consume(t, js, cons, p, opts)
	// Jobs are given back again and again while the results stream is full.
	waitFor(t, 10*time.Second, func() error {
		info, err := cons.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumRedelivered < 3 {
			return errors.New("no job delivered a third time yet")
		}
		return nil
	})
	cfg.MaxMsgs = -1
	if _, err := js.UpdateStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, func() error {
		err := allDone(js, cons, n)()
		if err != nil {
			info, _ := cons.Info(ctx)
			if info.NumAckPending == 0 && info.NumPending == 0 {
				res := results(t, js)
				for i := 1; i <= n; i++ {
					if _, ok := res[strconv.Itoa(i)]; !ok {
						t.Logf("job %d has no result", i)
					}
				}
				st, _ := stop()
				t.Fatalf("%v; stats %+v", err, st)
			}
		}
		return err
	})
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if st.Termed != 0 || st.Naked == 0 {
		t.Errorf("stats: got %+v; want jobs given back while the results stream was full, none termed", st)
	}
}

func TestUnansweredPublishesTimeOutTogether(t *testing.T) {
	s := startServer(t)
	nc, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	// Something answers to the results subject but never acknowledges: no
	// "no responders" error, the publishes wait for their timeout.
	sub, err := nc.Subscribe("blackhole", func(*nats.Msg) {})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	const workers, inHand = 4, 8
	publishJobs(t, js, inHand, strconv.Itoa)
	var calls atomic.Int64
	p := pipeline.New(workers, func(_ context.Context, s string) (string, error) {
		calls.Add(1)
		return s, nil
	}, pipeline.Options{})
	opts := textOptions()
	opts.ResultSubject = "blackhole"
	opts.PublishTimeout = time.Second
	opts.NakDelay = time.Millisecond
	consume(t, js, cons, p, opts)
	// Every job is given back about PublishTimeout after its result was
	// published, and runs again: a second round of inHand calls. Waiting for
	// each publish in turn, PublishTimeout after the previous, takes inHand
	// seconds.
	waitFor(t, inHand/2*time.Second, func() error {
		if got := calls.Load(); got < 2*inHand {
			return errors.New("handler calls: got " + strconv.FormatInt(got, 10) + "; want " + strconv.Itoa(2*inHand))
		}
		return nil
	})
}

func TestConsumeLeavesNoGoroutines(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	publishJobs(t, js, 200, strconv.Itoa)
	p := pipeline.New(4, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	stop := consume(t, js, cons, p, textOptions())
	waitFor(t, 10*time.Second, allDone(js, cons, 200))
	if _, err := stop(); err != nil {
		t.Fatalf("Consume: %v", err)
	}
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, g := range strings.Split(stacks, "\n\n") {
		if strings.Contains(g, "goflow-dev/goflow/jetstream.") || strings.Contains(g, "goflow-dev/goflow/pipeline.") {
			if !strings.Contains(g, "_test.go") || strings.Contains(g, "jetstream.(*consumer") || strings.Contains(g, "pipeline.(*Pipeline") {
				t.Errorf("a goroutine of Consume or its pipeline is still running after Consume returned:\n%s", g)
			}
		}
	}
}

func TestPanicFailsTheJob(t *testing.T) {
	for _, where := range []string{"handler", "Encode"} {
		t.Run(where, func(t *testing.T) {
			s := startServer(t)
			_, js := connect(t, s)
			cons := setup(t, js, natsjs.ConsumerConfig{})
			publishJobs(t, js, 5, strconv.Itoa)
			var calls atomic.Int64
			bug := func(s string) {
				if s == "2" {
					calls.Add(1)
					panic("a bug in the " + where)
				}
			}
			p := pipeline.New(2, func(_ context.Context, s string) (string, error) {
				if where == "handler" {
					bug(s)
				}
				return s, nil
			}, pipeline.Options{})
			opts := textOptions()
			opts.MaxDeliver = 3
			opts.NakDelay = time.Millisecond
			opts.Encode = func(s string) ([]byte, error) {
				if where == "Encode" {
					bug(s)
				}
				return []byte(s), nil
			}
			stop := consume(t, js, cons, p, opts)
			waitFor(t, 10*time.Second, func() error { return settled(cons) })
			st, err := stop()
			if err != nil {
				t.Fatalf("Consume: %v", err)
			}
			if got := calls.Load(); got != 3 || st.Termed != 1 || st.Naked != 2 || st.Acked != 4 {
				t.Errorf("got %d panics of job 2, stats %+v; want 3 (MaxDeliver), 2 naked, 1 termed, 4 acked", got, st)
			}
		})
	}
}

func TestRedeliveredWhileRunningRunsOnce(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	const ackWait = time.Second
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: ackWait})
	publishJobs(t, js, 1, strconv.Itoa)
	var calls atomic.Int64
	p := pipeline.New(2, func(ctx context.Context, s string) (string, error) {
		calls.Add(1)
		select { // longer than AckWait, and no heartbeats: the broker redelivers it meanwhile
		case <-time.After(2*ackWait + ackWait/2):
			return s, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}, pipeline.Options{})
	opts := textOptions()
	opts.Heartbeat = -1
	stop := consume(t, js, cons, p, opts)
	waitFor(t, 15*time.Second, allDone(js, cons, 1))
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if calls.Load() != 1 || st.Pulled < 2 || st.Acked != 1 {
		t.Errorf("got %d handler calls, stats %+v; want 1 call (the redelivery of a job in hand is not run again), 2 or more pulled, 1 acked", calls.Load(), st)
	}
}
