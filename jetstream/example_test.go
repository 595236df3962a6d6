package jetstream_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/jetstream"
	"github.com/goflow-dev/goflow/pipeline"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Squares numbers published to a work queue with a pipeline of 2 workers, and
// reads the results back from the results stream. The server runs in this
// process only to keep the example self-contained.
func ExampleConsume() {
	dir, _ := os.MkdirTemp("", "goflow-example")
	defer os.RemoveAll(dir)
	srv, _ := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	srv.Start()
	defer srv.Shutdown()
	srv.ReadyForConnections(10 * time.Second)

	nc, _ := nats.Connect(srv.ClientURL())
	defer nc.Close()
	js, _ := natsjs.New(nc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The jobs: a work queue and a durable consumer shared by every process.
	js.CreateStream(ctx, natsjs.StreamConfig{Name: "NUMBERS", Subjects: []string{"numbers"}, Retention: natsjs.WorkQueuePolicy})
	cons, _ := js.CreateOrUpdateConsumer(ctx, "NUMBERS", natsjs.ConsumerConfig{
		Durable:       "squarers",
		AckPolicy:     natsjs.AckExplicitPolicy,
		MaxAckPending: jetstream.MaxAckPending(1, 2+2), // 1 process, 2 workers + 2 jobs channel slots
	})
	// The results: a stream whose Duplicates window drops a repeated result.
	js.CreateStream(ctx, natsjs.StreamConfig{Name: "SQUARES", Subjects: []string{"squares"}, Duplicates: time.Minute})
	for _, n := range []string{"3", "4", "5"} {
		js.Publish(ctx, "numbers", []byte(n))
	}

	p := pipeline.New(2, func(_ context.Context, n int) (int, error) { return n * n, nil }, pipeline.Options{})
	done := make(chan jetstream.Stats)
	go func() {
		st, _ := jetstream.Consume(ctx, js, cons, p, jetstream.Options[int, int]{
			Decode:        func(data []byte) (int, error) { return strconv.Atoi(string(data)) },
			Encode:        func(sq int) ([]byte, error) { return strconv.AppendInt(nil, int64(sq), 10), nil },
			ResultSubject: "squares",
		})
		done <- st
	}()

	// Read the three results, then stop the worker.
	oc, _ := js.OrderedConsumer(ctx, "SQUARES", natsjs.OrderedConsumerConfig{})
	var lines []string
	for len(lines) < 3 {
		msg, err := oc.Next(natsjs.FetchMaxWait(10 * time.Second))
		if err != nil {
			fmt.Println(err)
			return
		}
		lines = append(lines, fmt.Sprintf("job %s: %s", msg.Headers().Get(jetstream.HeaderJob), msg.Data()))
	}
	cancel()
	st := <-done
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Printf("pulled %d, acked %d\n", st.Pulled, st.Acked)
	// Output:
	// job 1: 9
	// job 2: 16
	// job 3: 25
	// pulled 3, acked 3
}
