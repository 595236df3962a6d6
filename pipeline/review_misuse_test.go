package pipeline_test

// Adversarial review after issue 8: bad use and user code that misbehaves
// (a Clock, an Observer, the caller's iter.Seq). Crashes are observed in a
// child process running this test binary.

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// crashEnv names the case a child process runs (see TestReviewCrashChild).
const crashEnv = "GOFLOW_REVIEW_CRASH"

// crashCases are run in a child process; each may crash it.
var crashCases = map[string]func(){
	// A Clock whose AfterFunc returns a nil stop function.
	"nil-stop": func() {
		p := pipeline.New(1, square, pipeline.Options{Clock: nilStopClock{}})
		jobs, results := p.Start(context.Background())
		jobs <- pipeline.Job[int]{ID: "j", Payload: 2, Timeout: time.Second}
		close(jobs)
		collect(results)
	},
	// The caller's iter.Seq panics: Map ranges over it on a goroutine of
	// its own. The panic should reach the caller's loop, where it can be
	// recovered, as a panic in a plain range-over-func loop would.
	"seq-panic": func() {
		defer func() {
			if r := recover(); r != nil {
				os.Stdout.WriteString("recovered in the caller: " + r.(string) + "\n")
				os.Exit(0)
			}
		}()
		seq := func(yield func(int) bool) {
			yield(1)
			panic("input broke")
		}
		for range pipeline.Map(context.Background(), 2, seq, square, pipeline.Options{}) {
		}
	},
}

// nilStopClock is a Clock that breaks its contract: its stop is nil.
type nilStopClock struct{}

func (nilStopClock) AfterFunc(time.Duration, func()) func() bool { return nil }

// TestReviewCrashChild is the child process's entry point; in the parent
// it does nothing.
func TestReviewCrashChild(t *testing.T) {
	name := os.Getenv(crashEnv)
	if name == "" {
		return
	}
	crashCases[name]()
	os.Exit(0)
}

// runCrash runs case name in a child process and returns its output and
// whether it exited with status 0.
func runCrash(t *testing.T, name string) (string, bool) {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no child processes on " + runtime.GOOS)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReviewCrashChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+name)
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// A Clock that returns a nil stop crashes the whole program from a worker
// goroutine with a nil-function dereference that does not say what was
// wrong. A programmer error should panic with a "pipeline:" message naming
// the culprit (as New does for a nil Handler), ideally when AfterFunc
// returns, not later when the handler returns.
func TestReviewClockNilStop(t *testing.T) {
	out, ok := runCrash(t, "nil-stop")
	if ok {
		t.Fatalf("the child exited normally; want a panic")
	}
	if !strings.Contains(out, "panic: pipeline:") {
		t.Errorf("got crash output\n%s\nwant a panic message starting with %q", firstLines(out, 6), "pipeline:")
	}
}

// A panic in the caller's iter.Seq crashes the program from Map's producer
// goroutine: the caller cannot recover it, and nothing is cleaned up. It
// should be carried over to the goroutine ranging over Map and re-panicked
// there once the pipeline has stopped (as errgroup and conc do for panics
// in tasks).
func TestReviewMapSeqPanic(t *testing.T) {
	out, ok := runCrash(t, "seq-panic")
	if !ok || !strings.Contains(out, "recovered in the caller: input broke") {
		t.Errorf("got output\n%s\nwant the Seq's panic recovered by the caller of Map", firstLines(out, 8))
	}
}

// firstLines returns the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// Map with a nil context panics only when the loop starts, with the
// context package's message ("cannot create context from nil parent"),
// not at the call with a "pipeline:" message as for a nil Handler or a nil
// iter.Seq, and as Start does for a nil context.
func TestReviewMapNilContext(t *testing.T) {
	var nilCtx context.Context
	msg := panicMessage(t, func() {
		pipeline.Map(nilCtx, 2, slices.Values([]int{1}), square, pipeline.Options{})
	})
	if !strings.Contains(msg, "Context") {
		t.Errorf("got panic %q; want it to name the nil Context", msg)
	}
}

// The other bad uses are refused clearly, at the call.
func TestReviewBadUse(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"workers 0", func() { pipeline.New(0, square, pipeline.Options{}) }, "workers = 0"},
		{"workers -1", func() { pipeline.New(-1, square, pipeline.Options{}) }, "workers = -1"},
		{"workers huge", func() { pipeline.New(pipeline.MaxWorkers+1, square, pipeline.Options{}) }, "workers = 65537"},
		{"JobBuffer huge", func() { pipeline.New(1, square, pipeline.Options{JobBuffer: 1 << 40}) }, "JobBuffer"},
		{"ResultBuffer -1", func() { pipeline.New(1, square, pipeline.Options{ResultBuffer: -1}) }, "ResultBuffer"},
		{"nil handler", func() { pipeline.New[int, int](1, nil, pipeline.Options{}) }, "nil Handler"},
		{"Map workers 0", func() { pipeline.Map(context.Background(), 0, slices.Values([]int{1}), square, pipeline.Options{}) }, "workers = 0"},
		{"Map nil seq", func() { pipeline.Map[int, int](context.Background(), 1, nil, square, pipeline.Options{}) }, "iter.Seq"},
		{"Done before Start", func() { pipeline.New(1, square, pipeline.Options{}).Done() }, "before Start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(t, tt.f); !strings.Contains(msg, tt.want) {
				t.Errorf("got panic %q; want it to contain %q", msg, tt.want)
			}
		})
	}
}

// Start twice with FailFast panics, and the first run is not disturbed:
// the second call's context (made for FailFast) is released, and the
// first pipeline still drains.
func TestReviewStartTwiceFailFast(t *testing.T) {
	p := pipeline.New(2, square, pipeline.Options{FailFast: true})
	jobs, results := p.Start(context.Background())
	panicMessage(t, func() { p.Start(context.Background()) })
	sent := produce(context.Background(), jobs, makeJobs(10))
	rs := collect(results)
	<-sent
	checkOneResultEach(t, rs, makeJobs(10))
	if err := p.Err(); err != nil {
		t.Errorf("got Err() = %v; want nil after a drain", err)
	}
}
