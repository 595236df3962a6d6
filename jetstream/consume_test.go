package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/jetstream"
	"github.com/goflow-dev/goflow/pipeline"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// textOptions decode a payload as text and encode a result as text.
func textOptions() jetstream.Options[string, string] {
	return jetstream.Options[string, string]{
		Decode:        func(b []byte) (string, error) { return string(b), nil },
		Encode:        func(s string) ([]byte, error) { return []byte(s), nil },
		ResultSubject: resultsSubject,
	}
}

// finishElsewhere runs the jobs left through another Consume, whose handler
// always succeeds, and waits until all n results are stored.
func finishElsewhere(t *testing.T, js natsjs.JetStream, cons natsjs.Consumer, n uint64) {
	t.Helper()
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	consume(t, js, cons, p, textOptions())
	waitFor(t, 10*time.Second, allDone(js, cons, n))
}

// consume runs Consume in a goroutine; stop cancels its context and returns
// what Consume returned. Consume gets a handle of its own on the durable
// consumer: nats.go's Consumer.Info, which the tests call to sample the
// broker's counts, updates the handle's cached info without a lock, and
// Consume reads that cache.
func consume(t *testing.T, js natsjs.JetStream, _ natsjs.Consumer, p *pipeline.Pipeline[string, string], opts jetstream.Options[string, string]) (stop func() (jetstream.Stats, error)) {
	t.Helper()
	cons, err := js.Consumer(context.Background(), jobsStream, durable)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	type ret struct {
		st  jetstream.Stats
		err error
	}
	done := make(chan ret, 1)
	go func() {
		st, err := jetstream.Consume(ctx, js, cons, p, opts)
		done <- ret{st, err}
	}()
	stopped := false
	var last ret
	stop = func() (jetstream.Stats, error) {
		if !stopped {
			stopped = true
			cancel()
			select {
			case last = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Consume did not return 30s after its context was canceled")
			}
		}
		return last.st, last.err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestConsumePublishesEveryResultAndAcks(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	const n = 500
	publishJobs(t, js, n, strconv.Itoa)

	p := pipeline.New(4, func(_ context.Context, s string) (string, error) {
		return "done " + s, nil
	}, pipeline.Options{})
	stop := consume(t, js, cons, p, textOptions())
	waitFor(t, 20*time.Second, allDone(js, cons, n))
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if st.Pulled != n || st.Acked != n || st.Naked != 0 || st.Termed != 0 {
		t.Errorf("stats: got %+v; want %d pulled and acked, none naked or termed", st, n)
	}
	res := results(t, js)
	for seq := 1; seq <= n; seq++ { // the job ID is the stream sequence, payload seq-1
		if got, want := res[strconv.Itoa(seq)], "done "+strconv.Itoa(seq-1); got != want {
			t.Fatalf("result of job %d: got %q; want %q", seq, got, want)
		}
	}
}

func TestPoisonPayloadIsTermedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		poison func() (string, error) // what Decode does with the poison
	}{
		{"rejected", func() (string, error) { return "", errors.New("not a number") }},
		// A decoder bug must not take the process, and every job in hand, down.
		{"panicked on", func() (string, error) { panic("a decoder bug") }},
	} {
		t.Run(tc.name, func(t *testing.T) { testPoisonPayload(t, tc.poison) })
	}
}

func testPoisonPayload(t *testing.T, poison func() (string, error)) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	publishJobs(t, js, 10, func(i int) string {
		if i == 3 {
			return "poison"
		}
		return strconv.Itoa(i)
	})
	var handled atomic.Int64
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) {
		handled.Add(1)
		return s, nil
	}, pipeline.Options{})
	opts := textOptions()
	opts.Decode = func(b []byte) (string, error) {
		if string(b) == "poison" {
			return poison()
		}
		return string(b), nil
	}
	stop := consume(t, js, cons, p, opts)
	waitFor(t, 10*time.Second, func() error { return settled(cons) })
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got := handled.Load(); got != 9 {
		t.Errorf("handler calls: got %d; want 9 (the poison never reaches it)", got)
	}
	if st.Pulled != 10 || st.Termed != 1 || st.Acked != 9 {
		t.Errorf("stats: got %+v; want 10 pulled, 1 termed, 9 acked", st)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.NumRedelivered != 0 {
		t.Errorf("consumer: %d redelivered; want 0 (a rejected payload is termed on its first delivery)", info.NumRedelivered)
	}
}

func TestFailingJobIsTermedAfterMaxDeliver(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	publishJobs(t, js, 5, func(i int) string {
		if i == 2 {
			return "always fails"
		}
		return strconv.Itoa(i)
	})
	var calls atomic.Int64
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) {
		if s == "always fails" {
			calls.Add(1)
			return "", errors.New("boom")
		}
		return s, nil
	}, pipeline.Options{})
	opts := textOptions()
	opts.MaxDeliver = 3
	opts.NakDelay = 20 * time.Millisecond
	stop := consume(t, js, cons, p, opts)
	waitFor(t, 10*time.Second, func() error { return settled(cons) })
	// Settled means termed: a nak'ed job would still wait for its acknowledgement.
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("calls of the failing job: got %d; want 3 (MaxDeliver)", got)
	}
	if st.Termed != 1 || st.Naked != 2 || st.Acked != 4 {
		t.Errorf("stats: got %+v; want 1 termed, 2 naked, 4 acked", st)
	}
	if got, err := resultCount(js); err != nil || got != 4 {
		t.Errorf("results: got %d (%v); want 4", got, err)
	}
}

func TestLongJobSendsHeartbeats(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	const ackWait = time.Second
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: ackWait})
	publishJobs(t, js, 1, func(int) string { return "long" })
	var calls atomic.Int64
	p := pipeline.New(1, func(ctx context.Context, s string) (string, error) {
		calls.Add(1)
		select { // three AckWaits: redelivered twice without heartbeats
		case <-time.After(3*ackWait + ackWait/2):
			return s, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}, pipeline.Options{})
	stop := consume(t, js, cons, p, textOptions())
	waitFor(t, 15*time.Second, allDone(js, cons, 1))
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.NumRedelivered != 0 || st.Pulled != 1 || calls.Load() != 1 {
		t.Errorf("got %d redelivered, %d pulled, %d handler calls; want 0, 1, 1 (heartbeats keep a running job from redelivery)",
			info.NumRedelivered, st.Pulled, calls.Load())
	}
}

func TestBackpressureBoundsUnacknowledged(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	// The broker's own bound is far above the pipeline's: the glue must hold back.
	cons := setup(t, js, natsjs.ConsumerConfig{MaxAckPending: 10000})
	const n, workers, jobBuffer = 300, 2, 1
	const bound = workers + jobBuffer
	publishJobs(t, js, n, strconv.Itoa)
	p := pipeline.New(workers, func(ctx context.Context, s string) (string, error) {
		select {
		case <-time.After(2 * time.Millisecond):
			return s, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}, pipeline.Options{})
	opts := textOptions()
	opts.JobBuffer = jobBuffer
	stop := consume(t, js, cons, p, opts)

	peak, samples := 0, 0
	waitFor(t, 30*time.Second, func() error {
		info, err := cons.Info(context.Background())
		if err != nil {
			return err
		}
		samples++
		peak = max(peak, info.NumAckPending)
		if info.NumAckPending > bound {
			t.Fatalf("consumer: %d messages waiting for an acknowledgement; want at most %d (workers + JobBuffer)", info.NumAckPending, bound)
		}
		if got, err := resultCount(js); err != nil || got != n {
			return fmt.Errorf("results: got %d (%v); want %d", got, err, n)
		}
		return settled(cons)
	})
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	t.Logf("peak of %d unacknowledged over %d samples; PeakInHand %d", peak, samples, st.PeakInHand)
	if peak == 0 || st.PeakInHand != bound {
		t.Errorf("peak unacknowledged %d, PeakInHand %d; want the pipeline full at times (%d)", peak, st.PeakInHand, bound)
	}
}

func TestShutdownGivesJobsBackAtOnce(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: time.Minute})
	const n = 20
	publishJobs(t, js, n, strconv.Itoa)
	started := make(chan struct{}, n)
	// The first process's handler runs until it is canceled.
	p := pipeline.New(2, func(ctx context.Context, s string) (string, error) {
		started <- struct{}{}
		<-ctx.Done()
		return "", ctx.Err()
	}, pipeline.Options{})
	opts := textOptions()
	opts.DrainTimeout = 100 * time.Millisecond
	stop := consume(t, js, cons, p, opts)
	<-started
	<-started
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if st.Pulled == 0 || st.Naked != st.Pulled || st.Acked != 0 {
		t.Errorf("stats: got %+v; want every job pulled naked", st)
	}
	// Another process takes them well before the minute of AckWait.
	finishElsewhere(t, js, cons, n)
}

func TestShutdownDrainsJobsInHand(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	const n = 100
	publishJobs(t, js, n, strconv.Itoa)
	started := make(chan struct{}, n)
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) {
		started <- struct{}{}
		time.Sleep(50 * time.Millisecond) // ignores its context: only the drain lets it finish
		return s, nil
	}, pipeline.Options{})
	opts := textOptions()
	opts.DrainTimeout = 10 * time.Second
	stop := consume(t, js, cons, p, opts)
	<-started
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if st.Acked == 0 || st.Acked+st.Naked != st.Pulled {
		t.Errorf("stats: got %+v; want the jobs in hand acked (at least the one running), the rest naked", st)
	}
	if got, err := resultCount(js); err != nil || got != st.Acked {
		t.Errorf("results: got %d (%v); want %d (one per acked job)", got, err, st.Acked)
	}
}

func TestConsumeRejectsBadOptions(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	for _, tc := range []struct {
		field string
		edit  func(*jetstream.Options[string, string])
	}{
		{"Decode", func(o *jetstream.Options[string, string]) { o.Decode = nil }},
		{"Encode", func(o *jetstream.Options[string, string]) { o.Encode = nil }},
		{"ResultSubject", func(o *jetstream.Options[string, string]) { o.ResultSubject = "" }},
		{"JobBuffer", func(o *jetstream.Options[string, string]) { o.JobBuffer = -1 }},
		{"InHand", func(o *jetstream.Options[string, string]) { o.InHand = -1 }},
		{"MaxDeliver", func(o *jetstream.Options[string, string]) { o.MaxDeliver = -1 }},
		{"NakDelay", func(o *jetstream.Options[string, string]) { o.NakDelay = -time.Second }},
		{"FetchWait", func(o *jetstream.Options[string, string]) { o.FetchWait = -time.Second }},
		{"PublishTimeout", func(o *jetstream.Options[string, string]) { o.PublishTimeout = -time.Second }},
		// Huge values: a channel or a map of that size would panic or
		// exhaust memory rather than fail with an error.
		{"JobBuffer", func(o *jetstream.Options[string, string]) { o.JobBuffer = math.MaxInt }},
		{"InHand", func(o *jetstream.Options[string, string]) { o.InHand = math.MaxInt }},
		// A heartbeat as slow as the consumer's AckWait (30s) cannot keep a job from redelivery.
		{"Heartbeat", func(o *jetstream.Options[string, string]) { o.Heartbeat = time.Minute }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			opts := textOptions()
			tc.edit(&opts)
			p := pipeline.New(1, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
			_, err := jetstream.Consume(context.Background(), js, cons, p, opts)
			if err == nil || !strings.Contains(err.Error(), "Options."+tc.field) || !strings.HasPrefix(err.Error(), "jetstream: ") {
				t.Errorf("Consume: got error %v; want one naming Options.%s", err, tc.field)
			}
		})
	}
}

func TestConsumePanicsOnNil(t *testing.T) {
	p := pipeline.New(1, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "jetstream: ") {
			t.Errorf("recovered %v; want a panic starting with \"jetstream: \"", r)
		}
	}()
	jetstream.Consume(context.Background(), nil, nil, p, textOptions())
}

func TestFailFastPipelineStopsConsume(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	const n = 50
	publishJobs(t, js, n, strconv.Itoa)
	boom := errors.New("boom")
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) {
		if s == "10" {
			return "", boom
		}
		return s, nil
	}, pipeline.Options{FailFast: true})
	opts := textOptions()
	opts.NakDelay = time.Millisecond
	done := make(chan error, 1)
	go func() {
		_, err := jetstream.Consume(context.Background(), js, cons, p, opts)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, boom) {
			t.Fatalf("Consume: got %v; want an error wrapping the failing job's", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Consume still running 20s after the pipeline stopped (FailFast)")
	}
	// Nothing is lost: another process with a fixed handler does the rest.
	finishElsewhere(t, js, cons, n)
}

func TestRedeliveredJobKeepsOneResult(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	publishJobs(t, js, 3, strconv.Itoa)
	// An earlier process stored job 1's result, then died before it could
	// acknowledge the job: the broker delivers job 1 again.
	if _, err := js.Publish(context.Background(), resultsSubject, []byte("0"),
		natsjs.WithMsgID(jetstream.ResultID(jobsStream, 1))); err != nil {
		t.Fatal(err)
	}
	p := pipeline.New(2, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	stop := consume(t, js, cons, p, textOptions())
	waitFor(t, 10*time.Second, func() error { return settled(cons) })
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got, err := resultCount(js); err != nil || got != 3 || st.Duplicates != 1 || st.Acked != 3 {
		t.Errorf("got %d results (%v), %d duplicates, %d acked; want 3, 1, 3 (the results stream drops job 1's second result)", got, err, st.Duplicates, st.Acked)
	}
}

func TestResultNotStoredIsNotAcknowledged(t *testing.T) {
	s := startServer(t)
	_, js := connect(t, s)
	cons := setup(t, js, natsjs.ConsumerConfig{})
	publishJobs(t, js, 1, strconv.Itoa)
	p := pipeline.New(1, func(_ context.Context, s string) (string, error) { return s, nil }, pipeline.Options{})
	opts := textOptions()
	opts.ResultSubject = "nowhere.stored" // no stream captures it: every publish fails
	opts.MaxDeliver = 2
	opts.NakDelay = time.Millisecond
	opts.PublishTimeout = time.Second
	stop := consume(t, js, cons, p, opts)
	// The job is given back again and again, past MaxDeliver: the results
	// stream's trouble is not the job's failure, and terminating it would
	// lose it.
	waitFor(t, 10*time.Second, func() error {
		info, err := cons.Info(context.Background())
		if err != nil {
			return err
		}
		if info.Delivered.Consumer < 4 {
			return fmt.Errorf("consumer: %d deliveries; want 4", info.Delivered.Consumer)
		}
		return nil
	})
	st, err := stop()
	if err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if st.Acked != 0 || st.Naked < 3 || st.Termed != 0 {
		t.Errorf("stats: got %+v; want 0 acked, at least 3 naked, 0 termed (a result that is not stored is given back, never terminated)", st)
	}
}
