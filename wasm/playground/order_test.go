package playground

import (
	"testing"

	"github.com/goflow-dev/goflow/pipeline"
)

// applyAll numbers events from 1 and applies them in order to a new state of workers workers and
// returns the first error.
func applyAll(workers int, events ...Event) error {
	s := newState(workers)
	for i, e := range events {
		e.Seq = uint64(i + 1)
		if err := s.apply(e); err != nil {
			return err
		}
	}
	return nil
}

// One worker ran job 1 and holds its result; the lines below are how real
// goroutines may record what happens next.
var heldJob1 = []Event{
	{Kind: KindStart, Worker: -1, Arg: speedArg(1)},
	{Kind: KindWorkerStarted, Worker: 0},
	{Kind: KindSubmit, Worker: -1, Arg: 3},
	{Kind: KindTaken, Worker: 0, Job: 1},
	{Kind: KindFinished, Worker: 0, Job: 1, Arg: int64(pipeline.Succeeded)},
}

// TestTurnAwaitedAfterHandOver: under Ordered the library reports a wait
// for the turn after the worker parks, so the worker before it may already
// have handed the result over: the model takes that order.
func TestTurnAwaitedAfterHandOver(t *testing.T) {
	events := append(append([]Event{}, heldJob1...),
		Event{Kind: KindEmitted, Worker: 0, Job: 1},
		Event{Kind: KindTurnAwaited, Worker: 0, Job: 1})
	if err := applyAll(1, events...); err != nil {
		t.Errorf("turn awaited after the result was emitted: %v; want it taken", err)
	}
	bad := append(append([]Event{}, heldJob1...), Event{Kind: KindTurnAwaited, Worker: 0, Job: 0})
	if err := applyAll(1, bad...); err == nil {
		t.Error("turn awaited for no job: taken; want an error")
	}
}

// TestResultsClosedCountsDroppedBeforeSent: a job dropped after cancel may
// have its send recorded after the results channel closed, so the dropped
// count is bounded by the jobs submitted, not those recorded sent.
func TestResultsClosedCountsDroppedBeforeSent(t *testing.T) {
	closed := func(dropped int64) []Event {
		return append(append([]Event{}, heldJob1...),
			Event{Kind: KindEmitted, Worker: 0, Job: 1},
			Event{Kind: KindWorkerExited, Worker: 0},
			Event{Kind: KindResultsClosed, Worker: -1, Arg: dropped << 8})
	}
	if err := applyAll(1, closed(2)...); err != nil {
		t.Errorf("results closed with 2 dropped, 1 recorded sent, 3 submitted: %v; want it taken", err)
	}
	if err := applyAll(1, closed(4)...); err == nil {
		t.Error("results closed with 4 dropped of 3 submitted: taken; want an error")
	}
}
