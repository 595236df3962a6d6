package jetstream_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"
)

// buildWorker builds cmd/goflow-worker into a temporary directory.
func buildWorker(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "goflow-worker")
	out, err := exec.Command("go", "build", "-o", bin, "./cmd/goflow-worker").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/goflow-worker: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer is a bytes.Buffer that a process writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// worker is one goflow-worker OS process.
type worker struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{} // closed once Wait has returned; err is set then
	err    error
}

// startWorker starts the binary with args; the process is killed when the
// test ends, if it is still running.
func startWorker(t *testing.T, bin string, args ...string) *worker {
	t.Helper()
	w := &worker{cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}, exited: make(chan struct{})}
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	go func() {
		w.err = w.cmd.Wait()
		close(w.exited)
	}()
	t.Cleanup(func() {
		_ = w.cmd.Process.Kill() // fails harmlessly once it has exited
		<-w.exited
	})
	return w
}

// wait waits up to limit for the process to exit and returns its error.
func (w *worker) wait(t *testing.T, limit time.Duration) error {
	t.Helper()
	select {
	case <-w.exited:
		return w.err
	case <-time.After(limit):
		t.Fatalf("worker %d still running %v later; its stderr:\n%s", w.cmd.Process.Pid, limit, w.stderr)
		return nil
	}
}

// signal sends sig to the process.
func (w *worker) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := w.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v to worker %d: %v", sig, w.cmd.Process.Pid, err)
	}
}

// terminate sends SIGTERM and fails unless the process exits 0 within 10s.
func (w *worker) terminate(t *testing.T) {
	t.Helper()
	w.signal(t, syscall.SIGTERM)
	if err := w.wait(t, 10*time.Second); err != nil {
		t.Fatalf("worker %d sent SIGTERM exited with %v; want 0. Its stderr:\n%s", w.cmd.Process.Pid, err, w.stderr)
	}
}

// checkResults fails unless the results stream holds exactly one correct
// result (the SHA-256 of its payload, as goflow-worker makes) for each of
// the n jobs.
func checkResults(t *testing.T, js natsjs.JetStream, n int, payload func(int) string) {
	t.Helper()
	res := results(t, js) // fails on a job with two results
	if len(res) != n {
		t.Fatalf("results: %d jobs; want %d", len(res), n)
	}
	for seq := 1; seq <= n; seq++ {
		sum := sha256.Sum256([]byte(payload(seq - 1)))
		if got, want := res[strconv.Itoa(seq)], hex.EncodeToString(sum[:]); got != want {
			t.Fatalf("result of job %d: got %q; want %q", seq, got, want)
		}
	}
}

func TestFaultThreeProcessesOneKilledOneTerminated(t *testing.T) {
	bin := buildWorker(t)
	s := startServer(t)
	_, js := connect(t, s)
	const (
		n         = 10_000
		processes = 3
		workers   = 4
		ackWait   = 2 * time.Second // how long the killed process's jobs wait for redelivery
	)
	cons := setup(t, js, natsjs.ConsumerConfig{
		AckWait:       ackWait,
		MaxAckPending: 2 * processes * 2 * workers, // room above processes × (workers + JobBuffer)
	})
	payload := func(i int) string { return "job-" + strconv.Itoa(i) }
	publishJobs(t, js, n, payload)

	args := []string{"-server", s.ClientURL(), "-stream", jobsStream, "-consumer", durable,
		"-results", resultsSubject, "-workers", strconv.Itoa(workers), "-work", "2ms", "-drain", "5s"}
	var ws []*worker
	for range processes {
		ws = append(ws, startWorker(t, bin, args...))
	}
	atLeast := func(k uint64) func() error {
		return func() error {
			got, err := resultCount(js)
			if err != nil || got < k {
				return fmt.Errorf("results: got %d (%v); want at least %d", got, err, k)
			}
			return nil
		}
	}

	waitFor(t, 30*time.Second, atLeast(n/5))
	killed, terminated, survivor := ws[0], ws[1], ws[2]
	if err := killed.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.wait(t, 10*time.Second)
	waitFor(t, 30*time.Second, atLeast(2*n/5))
	before, _ := resultCount(js)
	terminated.terminate(t)
	t.Logf("SIGKILL at %d results, SIGTERM at %d: %s", n/5, before, terminated.stderr)

	waitFor(t, 60*time.Second, allDone(js, cons, n))
	select {
	case <-survivor.exited:
		t.Fatalf("the survivor exited with %v before the end; its stderr:\n%s", survivor.err, survivor.stderr)
	default:
	}
	survivor.terminate(t)
	t.Logf("survivor: %s", survivor.stderr)

	checkResults(t, js, n, payload)
}

func TestWorkerRejectsBadFlags(t *testing.T) {
	bin := buildWorker(t)
	s := startServer(t)
	_, js := connect(t, s)
	setup(t, js, natsjs.ConsumerConfig{})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-workers", "0"}, "-workers"},
		{[]string{"-job-buffer", "-1"}, "-job-buffer"},
		{[]string{"-consumer", "nobody"}, `consumer "nobody"`},
		{[]string{"-server", "nats://127.0.0.1:1"}, "no servers available"},
	} {
		args := append([]string{"-server", s.ClientURL()}, tc.args...)
		out, err := exec.Command(bin, args...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), tc.want) {
			t.Errorf("goflow-worker %v: got %v, %q; want exit status 1 and a message naming %s", tc.args, err, out, tc.want)
		}
	}
}
