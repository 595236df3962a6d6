package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Names shared by the tests: jobs are published to jobs.<n> and captured by
// the JOBS stream; results go to results.done, captured by RESULTS.
const (
	jobsStream     = "JOBS"
	jobsSubject    = "jobs.work"
	resultsStream  = "RESULTS"
	resultsSubject = "results.done"
	durable        = "workers"
)

// startServer runs a real nats-server with JetStream in this process, storing
// in a temporary directory and listening on a free port of 127.0.0.1; it
// stops when the test ends.
func startServer(t testing.TB) *server.Server {
	t.Helper()
	return startServerAt(t, -1, t.TempDir())
}

// startServerAt is startServer on a given port (-1: a free one) and store
// directory: a broker restarted on the port and directory of one that was
// shut down recovers its streams and consumers.
func startServerAt(t testing.TB, port int, dir string) *server.Server {
	t.Helper()
	s, err := server.NewServer(&server.Options{
		Host:      "127.0.0.1",
		Port:      port,
		JetStream: true,
		StoreDir:  dir,
		NoLog:     true,
		NoSigs:    true,
	})
	if err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	s.Start()
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server: not ready for connections after 10s")
	}
	return s
}

// connect opens a client connection, closed when the test ends.
func connect(t testing.TB, s *server.Server) (*nats.Conn, natsjs.JetStream) {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatalf("nats.Connect: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := natsjs.New(nc)
	if err != nil {
		t.Fatalf("jetstream.New: %v", err)
	}
	return nc, js
}

// setup makes the JOBS work queue with a durable pull consumer configured by
// cc (its name and filter are set here), and the RESULTS stream with a
// two-minute Duplicates window.
func setup(t testing.TB, js natsjs.JetStream, cc natsjs.ConsumerConfig) natsjs.Consumer {
	t.Helper()
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, natsjs.StreamConfig{
		Name:      jobsStream,
		Subjects:  []string{"jobs.>"},
		Retention: natsjs.WorkQueuePolicy,
		Storage:   natsjs.FileStorage,
	}); err != nil {
		t.Fatalf("creating %s: %v", jobsStream, err)
	}
	if _, err := js.CreateStream(ctx, natsjs.StreamConfig{
		Name:       resultsStream,
		Subjects:   []string{"results.>"},
		Storage:    natsjs.FileStorage,
		Duplicates: 2 * time.Minute,
	}); err != nil {
		t.Fatalf("creating %s: %v", resultsStream, err)
	}
	cc.Durable = durable
	cc.AckPolicy = natsjs.AckExplicitPolicy
	cons, err := js.CreateOrUpdateConsumer(ctx, jobsStream, cc)
	if err != nil {
		t.Fatalf("creating consumer: %v", err)
	}
	return cons
}

// publishJobs publishes payload(i) for i in [0, n) to the jobs subject and
// waits for every acknowledgement. It publishes in rounds of at most
// publishRound and waits for each round's acknowledgements: nats.go fails an
// asynchronous publish once 4,000 await theirs for 200ms (a loaded machine).
func publishJobs(t testing.TB, js natsjs.JetStream, n int, payload func(i int) string) {
	t.Helper()
	for i := range n {
		if _, err := js.PublishAsync(jobsSubject, []byte(payload(i))); err != nil {
			t.Fatalf("publishing job %d: %v", i, err)
		}
		if (i+1)%publishRound == 0 || i == n-1 {
			select {
			case <-js.PublishAsyncComplete():
			case <-time.After(30 * time.Second):
				t.Fatalf("publishing %d jobs: not acknowledged after 30s", i+1)
			}
		}
	}
}

// publishRound is how many jobs publishJobs publishes before it waits for
// their acknowledgements: well under nats.go's 4,000 outstanding.
const publishRound = 1000

// waitFor polls cond every 10ms until it returns nil, and fails the test with
// its last error after limit.
func waitFor(t testing.TB, limit time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %v", limit, err)
		}
		time.Sleep(10 * time.Millisecond) // polling the broker's state; there is nothing to synchronise on
	}
}

// resultCount is the number of messages in the RESULTS stream.
func resultCount(js natsjs.JetStream) (uint64, error) {
	st, err := js.Stream(context.Background(), resultsStream)
	if err != nil {
		return 0, err
	}
	info, err := st.Info(context.Background())
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// settled reports nil once the consumer has no message pending or waiting
// for an acknowledgement.
func settled(cons natsjs.Consumer) error {
	info, err := cons.Info(context.Background())
	if err != nil {
		return err
	}
	if info.NumPending != 0 || info.NumAckPending != 0 {
		return fmt.Errorf("consumer: %d pending, %d waiting for an acknowledgement; want 0 and 0", info.NumPending, info.NumAckPending)
	}
	return nil
}

// allDone reports nil once the RESULTS stream holds n results and the
// consumer has settled.
func allDone(js natsjs.JetStream, cons natsjs.Consumer, n uint64) func() error {
	return func() error {
		if got, err := resultCount(js); err != nil || got != n {
			return fmt.Errorf("results: got %d (%v); want %d", got, err, n)
		}
		return settled(cons)
	}
}

// results reads every message of the RESULTS stream, keyed by job ID
// (Goflow-Job header), and fails on a job with two results.
func results(t testing.TB, js natsjs.JetStream) map[string]string {
	t.Helper()
	ctx := context.Background()
	n, err := resultCount(js)
	if err != nil {
		t.Fatal(err)
	}
	oc, err := js.OrderedConsumer(ctx, resultsStream, natsjs.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, n)
	for uint64(len(out)) < n {
		batch, err := oc.Fetch(int(min(n-uint64(len(out)), 1000)), natsjs.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			id := m.Headers().Get("Goflow-Job")
			if _, dup := out[id]; dup {
				t.Fatalf("job %s has two results in %s", id, resultsStream)
			}
			out[id] = string(m.Data())
		}
		if err := batch.Error(); err != nil && !errors.Is(err, natsjs.ErrNoMessages) {
			t.Fatal(err)
		}
		if got == 0 {
			t.Fatalf("read %d of %d results, then nothing", len(out), n)
		}
	}
	return out
}
