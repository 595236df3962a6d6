package jetstream_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/jetstream"
	"github.com/goflow-dev/goflow/pipeline"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Both sides of the throughput benchmark run the same work per message: decode
// the payload, hash it (SHA-256, hex), publish the result with a Nats-Msg-Id,
// wait for the results stream's acknowledgement, acknowledge the job. Each
// "process" is a connection of its own to the in-process server, with
// benchWorkers goroutines and at most benchInHand messages in hand.
const (
	benchWorkers = 4
	benchInHand  = 2 * benchWorkers // workers + JobBuffer (default: workers)
	// plainAsyncInFlight is the most messages runPlainAsync holds
	// unacknowledged: its prefetch, one per goroutine, its acks queue.
	plainAsyncInFlight = benchInHand + benchWorkers + benchInHand
)

func work(payload []byte) string {
	sum := sha256.Sum256(payload)
	return hex.EncodeToString(sum[:])
}

// BenchmarkThroughput measures messages per second through one and three
// processes, with GoFlow's Consume (impl=goflow) and with a plain JetStream
// consumer loop doing the same work (impl=plain): benchWorkers goroutines
// sharing one Messages iterator that prefetches benchInHand messages, each
// publishing synchronously and then acknowledging. impl=plain-async is the
// plain loop tuned as Consume is: it publishes asynchronously and one
// goroutine acknowledges each job once its result is stored. It holds up to
// plainAsyncInFlight messages unacknowledged (its prefetch, one per goroutine,
// and its acknowledger's queue); impl=goflow-20 is Consume allowed as many
// (Options.JobBuffer = 16, so InHand = 20), impl=goflow Consume with its
// defaults (InHand = 8).
func BenchmarkThroughput(b *testing.B) {
	for _, procs := range []int{1, 3} {
		for _, impl := range []string{"plain", "plain-async", "goflow", "goflow-20"} {
			b.Run(fmt.Sprintf("procs=%d/impl=%s", procs, impl), func(b *testing.B) {
				benchThroughput(b, impl, procs)
			})
		}
	}
}

func benchThroughput(b *testing.B, impl string, procs int) {
	s := startServer(b)
	nc, js := connect(b, s)
	// The broker allows 1000 unacknowledged (its default), more than either
	// side holds: GoFlow holds procs × benchInHand; the plain loop holds its
	// prefetch plus what its goroutines run. A MaxAckPending equal to the
	// plain loop's prefetch stalls it until its pull requests expire.
	setup(b, js, natsjs.ConsumerConfig{MaxAckPending: 1000})
	pad := strings.Repeat("x", 56)
	publishJobs(b, js, b.N, func(i int) string { return fmt.Sprintf("%08d", i) + pad })

	var count atomic.Int64
	all := make(chan struct{})
	sub, err := nc.Subscribe(resultsSubject, func(*nats.Msg) {
		if count.Add(1) == int64(b.N) {
			close(all)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Unsubscribe()
	if err := nc.Flush(); err != nil {
		b.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range procs {
		_, pjs := connect(b, s)
		pcons, err := pjs.Consumer(ctx, jobsStream, durable)
		if err != nil {
			b.Fatal(err)
		}
		switch impl {
		case "goflow":
			wg.Go(func() { runGoFlow(ctx, b, pjs, pcons, 0) })
		case "goflow-20":
			wg.Go(func() { runGoFlow(ctx, b, pjs, pcons, plainAsyncInFlight-benchWorkers) })
		case "plain":
			wg.Go(func() { runPlain(ctx, b, pjs, pcons) })
		case "plain-async":
			wg.Go(func() { runPlainAsync(ctx, b, pjs, pcons) })
		}
	}
	select {
	case <-all:
	case <-time.After(2 * time.Minute):
		b.Fatalf("%d of %d results after 2 minutes", count.Load(), b.N)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	wg.Wait()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

func runGoFlow(ctx context.Context, b *testing.B, js natsjs.JetStream, cons natsjs.Consumer, jobBuffer int) {
	p := pipeline.New(benchWorkers, func(_ context.Context, payload []byte) (string, error) {
		return work(payload), nil
	}, pipeline.Options{})
	_, err := jetstream.Consume(ctx, js, cons, p, jetstream.Options[[]byte, string]{
		Decode:        func(data []byte) ([]byte, error) { return data, nil },
		Encode:        func(s string) ([]byte, error) { return []byte(s), nil },
		ResultSubject: resultsSubject,
		FetchWait:     100 * time.Millisecond,
		JobBuffer:     jobBuffer,
	})
	if err != nil {
		b.Error(err)
	}
}

// plainResult does the plain loops' work on one message: its result
// message, with the headers and the Nats-Msg-Id that Consume sets.
func plainResult(msg natsjs.Msg) (*nats.Msg, natsjs.PublishOpt, error) {
	meta, err := msg.Metadata()
	if err != nil {
		return nil, nil, err
	}
	res := &nats.Msg{Subject: resultsSubject, Data: []byte(work(msg.Data())), Header: nats.Header{}}
	res.Header.Set(jetstream.HeaderStream, meta.Stream)
	res.Header.Set(jetstream.HeaderJob, strconv.FormatUint(meta.Sequence.Stream, 10))
	return res, natsjs.WithMsgID(jetstream.ResultID(meta.Stream, meta.Sequence.Stream)), nil
}

// plainLoop is the plain consumer loop: benchWorkers goroutines share one
// Messages iterator that prefetches benchInHand messages, and hand each
// message with its result to settle, until ctx is done.
func plainLoop(ctx context.Context, b *testing.B, cons natsjs.Consumer, settle func(msg natsjs.Msg, res *nats.Msg, id natsjs.PublishOpt)) {
	it, err := cons.Messages(natsjs.PullMaxMessages(benchInHand))
	if err != nil {
		b.Error(err)
		return
	}
	context.AfterFunc(ctx, it.Stop)
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Go(func() {
			for {
				msg, err := it.Next()
				if err != nil {
					return // stopped
				}
				res, id, err := plainResult(msg)
				if err != nil {
					_ = msg.Term()
					continue
				}
				settle(msg, res, id)
			}
		})
	}
	wg.Wait()
}

// runPlain publishes each result synchronously, then acknowledges.
func runPlain(ctx context.Context, b *testing.B, js natsjs.JetStream, cons natsjs.Consumer) {
	plainLoop(ctx, b, cons, func(msg natsjs.Msg, res *nats.Msg, id natsjs.PublishOpt) {
		if _, err := js.PublishMsg(ctx, res, id); err != nil {
			_ = msg.Nak()
			return
		}
		_ = msg.Ack()
	})
}

// runPlainAsync publishes each result asynchronously; one goroutine
// acknowledges each job once its result is stored.
func runPlainAsync(ctx context.Context, b *testing.B, js natsjs.JetStream, cons natsjs.Consumer) {
	type pending struct {
		msg natsjs.Msg
		fut natsjs.PubAckFuture
	}
	acks := make(chan pending, benchInHand) // closed once the loop is done
	var acker sync.WaitGroup
	acker.Go(func() {
		for a := range acks {
			select {
			case <-a.fut.Ok():
				_ = a.msg.Ack()
			case <-a.fut.Err():
				_ = a.msg.Nak()
			}
		}
	})
	plainLoop(ctx, b, cons, func(msg natsjs.Msg, res *nats.Msg, id natsjs.PublishOpt) {
		fut, err := js.PublishMsgAsync(res, id)
		if err != nil {
			_ = msg.Nak()
			return
		}
		acks <- pending{msg, fut}
	})
	close(acks)
	acker.Wait()
}
