package pipeline

import "strconv"

// An Observer sees each worker's lifecycle. It is called synchronously on the
// worker's goroutine (on the last worker's for ResultsClosed), from N
// goroutines at once, so it must be safe for concurrent use, and it should
// return quickly: while it runs, its worker does no work. It must not send to
// or receive from the pipeline's channels.
//
// A panic in an Observer is not recovered: unlike a handler's, it is not a
// job's failure but a bug in the caller's instrumentation, raised on a
// worker goroutine, so it crashes the program, as a panic in any goroutine
// does. An Observer that may panic recovers itself.
//
// For one worker, events come in this order: WorkerStarted, then per job
// JobTaken, HandlerFinished, TurnAwaited if the result is not yet due
// (Options.Ordered only), and ResultEmitted or ResultAbandoned (a canceled
// job is always abandoned), and last WorkerExited. ResultsClosed comes once,
// after every WorkerExited. After TurnAwaited, the worker passing the turn
// sends the waiting result itself, then wakes the waiting worker, which
// reports ResultEmitted (or ResultAbandoned): so that event may come a
// moment after the consumer received the result.
type Observer func(Event)

// Event is one step in a worker's lifecycle, passed to an Observer by value.
type Event struct {
	// Kind says what happened.
	Kind EventKind
	// Worker is the worker's index, from 0 to workers-1; -1 for ResultsClosed.
	Worker int
	// JobID is the job's ID for JobTaken, HandlerFinished, TurnAwaited,
	// ResultEmitted and ResultAbandoned; empty otherwise.
	JobID string
	// Outcome is the job's outcome for HandlerFinished, TurnAwaited,
	// ResultEmitted and ResultAbandoned.
	Outcome Outcome
	// Err is, for HandlerFinished, the job's Result.Err; for a canceled job,
	// the handler's error or else the context's.
	Err error
}

// EventKind says what an Event reports.
type EventKind uint8

// The kinds of Event, in the order a worker goes through them.
const (
	WorkerStarted   EventKind = iota + 1 // the worker is running and idle
	JobTaken                             // the worker took a job; it is busy
	HandlerFinished                      // the handler returned; the worker holds the result (blocked until emitted)
	TurnAwaited                          // the worker holds a result that is not yet due (Options.Ordered): blocked, waiting for its turn
	ResultEmitted                        // the consumer's side took the result; the worker is idle
	ResultAbandoned                      // the result was dropped because the context was done
	WorkerExited                         // the worker returned; it will take no more jobs
	ResultsClosed                        // the last worker closed the results channel
)

var eventKindNames = [...]string{
	WorkerStarted:   "worker started",
	JobTaken:        "job taken",
	HandlerFinished: "handler finished",
	TurnAwaited:     "turn awaited",
	ResultEmitted:   "result emitted",
	ResultAbandoned: "result abandoned",
	WorkerExited:    "worker exited",
	ResultsClosed:   "results closed",
}

// String returns the kind in words, such as "job taken".
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) && eventKindNames[k] != "" {
		return eventKindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Outcome is how a job ended; see the package doc for the rules.
type Outcome uint8

// The outcomes of a job.
const (
	Succeeded Outcome = iota + 1 // the handler returned a nil error within its deadline
	Failed                       // the handler returned an error, panicked or overran its Timeout
	Canceled                     // the pipeline's context was done
)

var outcomeNames = [...]string{Succeeded: "succeeded", Failed: "failed", Canceled: "canceled"}

// String returns "succeeded", "failed" or "canceled".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) && outcomeNames[o] != "" {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// WorkerState is what a worker is doing, as Stats counts it.
type WorkerState uint32

// The states of a worker.
const (
	Idle    WorkerState = iota // waiting for a job
	Busy                       // running the handler
	Blocked                    // holding a result the consumer has not taken
	Exited                     // returned; takes no more jobs
)

var workerStateNames = [...]string{Idle: "idle", Busy: "busy", Blocked: "blocked", Exited: "exited"}

// String returns "idle", "busy", "blocked" or "exited".
func (s WorkerState) String() string {
	if int(s) < len(workerStateNames) {
		return workerStateNames[s]
	}
	return "WorkerState(" + strconv.Itoa(int(s)) + ")"
}
