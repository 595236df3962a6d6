package playground_test

import (
	"testing"

	"github.com/goflow-dev/goflow/pipeline"
	"github.com/goflow-dev/goflow/wasm/playground"
)

// TestEventText pins the log's sentence for every kind of event.
func TestEventText(t *testing.T) {
	ev := func(k playground.Kind, worker int16, job int32, arg int64) playground.Event {
		return playground.Event{Kind: k, Worker: worker, Job: job, Arg: arg}
	}
	tests := []struct {
		e    playground.Event
		want string
	}{
		{ev(playground.KindStart, -1, 0, 250000), "the session started at speed 0.25"},
		{ev(playground.KindSubmit, -1, 0, 1), "submitted 1 job"},
		{ev(playground.KindSubmit, -1, 0, 12), "submitted 12 jobs"},
		{ev(playground.KindSent, -1, 7, 0), "the producer sent job-7"},
		{ev(playground.KindDropped, -1, 8, 0), "the producer dropped job-8: the context is canceled"},
		{ev(playground.KindClose, -1, 0, 0), "close: the producer will close the jobs channel after its backlog"},
		{ev(playground.KindJobsClosed, -1, 0, 0), "the producer closed the jobs channel and exited"},
		{ev(playground.KindCancel, -1, 0, 0), "cancel: the pipeline's context is canceled"},
		{ev(playground.KindWorkerStarted, 2, 0, 0), "worker 2 started"},
		{ev(playground.KindTaken, 2, 7, 0), "worker 2 took job-7"},
		{ev(playground.KindFinished, 3, 10, int64(pipeline.Succeeded)), "worker 3 finished job-10: " + pipeline.Succeeded.String()},
		{ev(playground.KindFinished, 3, 10, int64(pipeline.Failed)|1<<8), "worker 3 finished job-10: " + pipeline.Failed.String() + " (error)"},
		{ev(playground.KindFinished, 3, 10, int64(pipeline.Failed)|3<<8), "worker 3 finished job-10: " + pipeline.Failed.String() + " (timeout)"},
		{ev(playground.KindEmitted, 0, 1, 0), "worker 0 emitted job-1"},
		{ev(playground.KindAbandoned, 63, 9999, 0), "worker 63 abandoned job-9999"},
		{ev(playground.KindWorkerExited, 5, 0, 0), "worker 5 exited"},
		{ev(playground.KindResultsClosed, -1, 0, 0), "the last worker closed the results channel"},
		{ev(playground.KindResultsClosed, -1, 0, 1<<8), "the last worker closed the results channel; 1 job dropped"},
		{ev(playground.KindResultsClosed, -1, 0, 3<<8), "the last worker closed the results channel; 3 jobs dropped"},
		{ev(playground.KindTurnAwaited, 1, 4, 0), "worker 1 holds job-4's result, waiting for its turn"},
		{ev(playground.KindConsumed, -1, 4, 0), "the consumer took job-4"},
		{ev(playground.KindConsumed, -1, 4, 1), "the consumer took job-4 (failed)"},
		{ev(playground.KindConsumerExited, -1, 0, 0), "the consumer exited"},
		{ev(playground.KindConsumerPaused, -1, 0, 0), "the consumer is paused"},
		{ev(playground.KindConsumerResumed, -1, 0, 0), "the consumer is resumed"},
		{ev(playground.KindPause, -1, 0, 0), "paused: simulated time stopped"},
		{ev(playground.KindResume, -1, 0, 0), "resumed: simulated time runs"},
		{ev(playground.KindSpeed, -1, 0, 1500000), "speed 1.5"},
		{ev(playground.KindDone, -1, 0, 0), "done: the producer, the workers and the consumer exited"},
		{ev(playground.Kind(200), -1, 0, 0), "kind 200"},
	}
	for _, tt := range tests {
		if got := tt.e.Text(); got != tt.want {
			t.Errorf("%v.Text() = %q; want %q", tt.e.Kind, got, tt.want)
		}
	}
}
