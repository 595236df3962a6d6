package jetstream_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Hostile tests of goflow-worker as real OS processes, beside the fault test.

// workerArgs are the flags that point a worker at the test's broker.
func workerArgs(url string, more ...string) []string {
	return append([]string{"-server", url, "-stream", jobsStream, "-consumer", durable, "-results", resultsSubject}, more...)
}

func TestWorkersSurviveBrokerRestart(t *testing.T) {
	bin := buildWorker(t)
	dir := t.TempDir()
	s := startServerAt(t, -1, dir)
	port := s.Addr().(*net.TCPAddr).Port
	_, js := connect(t, s)
	const n = 3000
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: 2 * time.Second})
	payload := func(i int) string { return "job-" + strconv.Itoa(i) }
	publishJobs(t, js, n, payload)
	var ws []*worker
	for range 2 {
		ws = append(ws, startWorker(t, bin, workerArgs(s.ClientURL(), "-workers", "4", "-work", "1ms")...))
	}
	waitFor(t, 30*time.Second, func() error {
		if got, err := resultCount(js); err != nil || got < n/5 {
			return fmt.Errorf("results: got %d (%v); want at least %d", got, err, n/5)
		}
		return nil
	})
	// The broker goes away mid-run and comes back on the same port and store.
	s.Shutdown()
	s.WaitForShutdown()
	startServerAt(t, port, dir)

	waitFor(t, 60*time.Second, allDone(js, cons, n))
	for _, w := range ws {
		select {
		case <-w.exited:
			t.Fatalf("a worker exited with %v during the broker's restart; its stderr:\n%s", w.err, w.stderr)
		default:
		}
		w.terminate(t)
	}
	checkResults(t, js, n, payload)
}

func TestWorkerSIGTERMTwiceGivesJobsBackAtOnce(t *testing.T) {
	bin := buildWorker(t)
	s := startServer(t)
	_, js := connect(t, s)
	// A minute of AckWait: only a nak lets another process take the jobs soon.
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: time.Minute})
	const n = 20
	payload := func(i int) string { return "job-" + strconv.Itoa(i) }
	publishJobs(t, js, n, payload)
	slow := startWorker(t, bin, workerArgs(s.ClientURL(), "-workers", "2", "-work", "1h", "-drain", "200ms")...)
	waitFor(t, 10*time.Second, func() error {
		info, err := cons.Info(context.Background())
		if err != nil || info.NumAckPending < 4 {
			return fmt.Errorf("consumer: %v waiting for an acknowledgement (%v); want 4 in the slow worker's hand", info, err)
		}
		return nil
	})
	slow.signal(t, syscall.SIGTERM) // the second signal of terminate changes nothing
	slow.terminate(t)
	fast := startWorker(t, bin, workerArgs(s.ClientURL(), "-workers", "2")...)
	waitFor(t, 20*time.Second, allDone(js, cons, n)) // well before the minute of AckWait
	fast.terminate(t)
	checkResults(t, js, n, payload)
}

func TestWorkerSIGTERMDuringStartupExitsZero(t *testing.T) {
	bin := buildWorker(t)
	// A "broker" that accepts the connection and never answers: the worker
	// is stuck connecting when SIGTERM comes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	w := startWorker(t, bin, "-server", "nats://"+ln.Addr().String())
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not connect within 10s")
	}
	w.terminate(t)
}

func TestRepeatedSIGKILLLosesNothing(t *testing.T) {
	bin := buildWorker(t)
	s := startServer(t)
	_, js := connect(t, s)
	const n = 4000
	cons := setup(t, js, natsjs.ConsumerConfig{AckWait: time.Second})
	payload := func(i int) string { return "job-" + strconv.Itoa(i) }
	publishJobs(t, js, n, payload)
	args := workerArgs(s.ClientURL(), "-workers", "4", "-work", "1ms")
	ws := []*worker{startWorker(t, bin, args...), startWorker(t, bin, args...), startWorker(t, bin, args...)}
	kill := func(w *worker) {
		t.Helper()
		w.signal(t, syscall.SIGKILL)
		w.wait(t, 10*time.Second)
	}
	// Kill at a new moment each round (a result published or not, its job
	// acknowledged or not): one process, then two in a row, then all but one.
	for round, k := range []int{1, 1, 2, 2} {
		want := uint64(n * (round + 1) / 6)
		waitFor(t, 30*time.Second, func() error {
			if got, err := resultCount(js); err != nil || got < want {
				return fmt.Errorf("results: got %d (%v); want at least %d", got, err, want)
			}
			return nil
		})
		for i := range k {
			kill(ws[i])
		}
		for i := range k {
			ws[i] = startWorker(t, bin, args...)
		}
	}
	waitFor(t, 60*time.Second, allDone(js, cons, n))
	for _, w := range ws {
		w.terminate(t)
	}
	checkResults(t, js, n, payload)
}

func TestBackpressureAcrossShapes(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		workers, jobBuffer, inHnd int // the options (inHnd: Options.InHand)
		inHand                    int // what Consume makes of them
		maxAckPending             int // the broker's bound
		bound                     int // what NumAckPending must never exceed
	}{
		{"one slot: batches of one", 1, 0, 1, 1, 1000, 1},
		{"InHand below the pool", 4, 0, 2, 2, 1000, 2},
		{"MaxAckPending below InHand", 4, 4, 0, 8, 3, 3},
		{"MaxAckPending above InHand", 3, 1, 0, 4, 1000, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t)
			_, js := connect(t, s)
			cons := setup(t, js, natsjs.ConsumerConfig{MaxAckPending: tc.maxAckPending})
			const n = 100
			publishJobs(t, js, n, strconv.Itoa)
			p := pipeline.New(tc.workers, func(ctx context.Context, s string) (string, error) {
				select {
				case <-time.After(time.Millisecond):
					return s, nil
				case <-ctx.Done():
					return "", ctx.Err()
				}
			}, pipeline.Options{})
			opts := textOptions()
			opts.JobBuffer, opts.InHand = tc.jobBuffer, tc.inHnd
			stop := consume(t, js, cons, p, opts)
			peak := 0
			waitFor(t, 30*time.Second, func() error {
				info, err := cons.Info(context.Background())
				if err != nil {
					return err
				}
				peak = max(peak, info.NumAckPending)
				if info.NumAckPending > tc.bound {
					t.Fatalf("consumer: %d waiting for an acknowledgement; want at most %d", info.NumAckPending, tc.bound)
				}
				return allDone(js, cons, n)()
			})
			st, err := stop()
			if err != nil {
				t.Fatalf("Consume: %v", err)
			}
			if st.PeakInHand > tc.inHand {
				t.Errorf("PeakInHand %d; want at most InHand, %d", st.PeakInHand, tc.inHand)
			}
			t.Logf("peak NumAckPending %d, PeakInHand %d", peak, st.PeakInHand)
		})
	}
}
