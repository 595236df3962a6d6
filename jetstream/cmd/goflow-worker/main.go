// Command goflow-worker is an example worker process: it consumes a durable
// JetStream consumer through a GoFlow pipeline, and publishes one result per
// job. Run as many as you like against the same consumer; each holds at most
// workers + job-buffer messages.
//
// Its handler stands in for real work: it waits -work, then returns the
// SHA-256 of the payload, in hex.
//
// On SIGTERM or SIGINT it stops pulling, drains the jobs in hand for up to
// -drain, gives the rest back to the broker, prints its counts and exits 0;
// a second signal changes nothing. A signal while it is still connecting
// makes it exit 0 too, once the connection attempt ends.
//
//	goflow-worker -server nats://127.0.0.1:4222 -stream JOBS -consumer workers -results results.done
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/goflow-dev/goflow/jetstream"
	"github.com/goflow-dev/goflow/pipeline"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "goflow-worker:", err)
		os.Exit(1)
	}
}

func run() error {
	server := flag.String("server", nats.DefaultURL, "NATS server URL")
	stream := flag.String("stream", "JOBS", "stream of the jobs")
	durable := flag.String("consumer", "workers", "durable pull consumer of that stream, shared by every worker process")
	results := flag.String("results", "results.done", "subject the results are published to (a stream with a Duplicates window must capture it)")
	workers := flag.Int("workers", 4, "worker goroutines in this process")
	jobBuffer := flag.Int("job-buffer", 0, "jobs channel capacity; 0 = as many as workers")
	work := flag.Duration("work", 0, "simulated work per job")
	drain := flag.Duration("drain", 10*time.Second, "on SIGTERM, how long the jobs in hand may take to finish")
	flag.Parse()
	if err := pipeline.Validate(*workers, pipeline.Options{}); err != nil {
		return fmt.Errorf("-workers: %w", err)
	}
	if *jobBuffer < 0 || *jobBuffer > pipeline.MaxBuffer {
		return fmt.Errorf("-job-buffer = %d; want 0 to %d", *jobBuffer, pipeline.MaxBuffer)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	// A signal during startup is a request to stop, not a failure: nothing
	// was pulled yet, so there is nothing to give back.
	stopped := func(err error) error {
		if ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "goflow-worker: stopped while starting:", err)
			return nil
		}
		return err
	}

	nc, err := nats.Connect(*server, nats.Name("goflow-worker"))
	if err != nil {
		return stopped(err)
	}
	defer nc.Close()
	js, err := natsjs.New(nc)
	if err != nil {
		return stopped(err)
	}
	cons, err := js.Consumer(ctx, *stream, *durable)
	if err != nil {
		return stopped(fmt.Errorf("consumer %q of stream %q: %w", *durable, *stream, err))
	}

	p := pipeline.New(*workers, func(ctx context.Context, payload []byte) (string, error) {
		if *work > 0 {
			t := time.NewTimer(*work)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return "", context.Cause(ctx)
			}
		}
		sum := sha256.Sum256(payload)
		return hex.EncodeToString(sum[:]), nil
	}, pipeline.Options{})

	st, err := jetstream.Consume(ctx, js, cons, p, jetstream.Options[[]byte, string]{
		Decode:        func(data []byte) ([]byte, error) { return data, nil },
		Encode:        func(s string) ([]byte, error) { return []byte(s), nil },
		ResultSubject: *results,
		JobBuffer:     *jobBuffer,
		DrainTimeout:  *drain,
	})
	// Make sure the last acknowledgements leave before the connection closes.
	if ferr := nc.Flush(); err == nil {
		err = ferr
	}
	fmt.Fprintf(os.Stderr, "goflow-worker: pulled=%d acked=%d naked=%d termed=%d duplicates=%d peak-in-hand=%d\n",
		st.Pulled, st.Acked, st.Naked, st.Termed, st.Duplicates, st.PeakInHand)
	return err
}
