package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/goflow-dev/goflow/pipeline"
)

// badConfigs are configurations New refuses, with what the message must say.
var badConfigs = []struct {
	workers int
	opts    pipeline.Options
	want    string
}{
	{0, pipeline.Options{}, "workers = 0"},
	{-1, pipeline.Options{}, "workers = -1"},
	{pipeline.MaxWorkers + 1, pipeline.Options{}, fmt.Sprintf("workers = %d", pipeline.MaxWorkers+1)},
	{1, pipeline.Options{JobBuffer: -1}, "Options.JobBuffer = -1"},
	{1, pipeline.Options{JobBuffer: pipeline.MaxBuffer + 1}, fmt.Sprintf("Options.JobBuffer = %d", pipeline.MaxBuffer+1)},
	{1, pipeline.Options{ResultBuffer: -1}, "Options.ResultBuffer = -1"},
	{1, pipeline.Options{ResultBuffer: pipeline.MaxBuffer + 1}, fmt.Sprintf("Options.ResultBuffer = %d", pipeline.MaxBuffer+1)},
	{0, pipeline.Options{JobBuffer: -1}, "workers = 0"}, // the first bad value
}

func TestValidate(t *testing.T) {
	for _, tt := range badConfigs {
		err := pipeline.Validate(tt.workers, tt.opts)
		if err == nil || !strings.HasPrefix(err.Error(), "pipeline:") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%d, %+v) = %v; want an error starting \"pipeline:\" containing %q", tt.workers, tt.opts, err, tt.want)
		}
	}
	good := []struct {
		workers int
		opts    pipeline.Options
	}{
		{1, pipeline.Options{}},
		{pipeline.MaxWorkers, pipeline.Options{JobBuffer: pipeline.MaxBuffer, ResultBuffer: pipeline.MaxBuffer}},
		{4, pipeline.Options{JobBuffer: 1, ResultBuffer: 0}},
	}
	for _, tt := range good {
		if err := pipeline.Validate(tt.workers, tt.opts); err != nil {
			t.Errorf("Validate(%d, %+v) = %v; want nil", tt.workers, tt.opts, err)
		}
	}
}

// New panics with the very text Validate returns.
func TestNewPanicsOnBadConfig(t *testing.T) {
	for _, tt := range badConfigs {
		msg := panicMessage(t, func() { pipeline.New(tt.workers, square, tt.opts) })
		if want := pipeline.Validate(tt.workers, tt.opts).Error(); msg != want {
			t.Errorf("New(%d, square, %+v) panicked with %q; want %q", tt.workers, tt.opts, msg, want)
		}
	}
}

func TestNewPanicsOnNilHandler(t *testing.T) {
	msg := panicMessage(t, func() { pipeline.New[int, int](1, nil, pipeline.Options{}) })
	if !strings.Contains(msg, "nil Handler") {
		t.Errorf("got panic %q; want it to name the nil Handler", msg)
	}
}

func TestRunPanicsOnNilChannel(t *testing.T) {
	p := pipeline.New(1, square, pipeline.Options{})
	msg := panicMessage(t, func() { p.Run(context.Background(), nil) })
	if !strings.Contains(msg, "nil jobs channel") {
		t.Errorf("got panic %q; want it to name the nil jobs channel", msg)
	}
}

func TestStartPanicsOnNilContext(t *testing.T) {
	var nilCtx context.Context
	starts := map[string]func(p *pipeline.Pipeline[int, int]){
		"Start": func(p *pipeline.Pipeline[int, int]) { p.Start(nilCtx) },
		"Run":   func(p *pipeline.Pipeline[int, int]) { p.Run(nilCtx, make(chan pipeline.Job[int])) },
	}
	for name, start := range starts {
		p := pipeline.New(1, square, pipeline.Options{})
		msg := panicMessage(t, func() { start(p) })
		if !strings.Contains(msg, "nil Context") {
			t.Errorf("%s(nil): got panic %q; want it to name the nil Context", name, msg)
		}
	}
}

// A Pipeline runs once: any second Start or Run panics, and the first run is
// unaffected.
func TestSynctestStartTwicePanics(t *testing.T) {
	type starter func(ctx context.Context, p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int])
	start := func(ctx context.Context, p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int]) {
		return p.Start(ctx)
	}
	run := func(ctx context.Context, p *pipeline.Pipeline[int, int]) (chan<- pipeline.Job[int], <-chan pipeline.Result[int]) {
		jobs := make(chan pipeline.Job[int])
		return jobs, p.Run(ctx, jobs)
	}
	tests := []struct {
		name          string
		first, second starter
	}{
		{"Start then Start", start, start},
		{"Start then Run", start, run},
		{"Run then Start", run, start},
		{"Run then Run", run, run},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := context.Background()
				p := pipeline.New(2, square, pipeline.Options{})
				jobs, results := tt.first(ctx, p)
				msg := panicMessage(t, func() { tt.second(ctx, p) })
				if !strings.Contains(msg, "started twice") {
					t.Errorf("got panic %q; want it to say the Pipeline was started twice", msg)
				}
				produce(ctx, jobs, makeJobs(3))
				if rs := collect(results); len(rs) != 3 {
					t.Errorf("first run: got %d results; want 3", len(rs))
				}
			})
		})
	}
}
