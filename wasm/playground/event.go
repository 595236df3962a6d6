package playground

import (
	"math"
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Kind is what an Event reports.
type Kind uint8

// The kinds of Event. The words (Kind.String) are the kind in the JSON of
// events(), the snapshot's log and a recording's names.
const (
	KindStart           Kind = iota + 1 // the session started: Arg is the speed in millionths
	KindSubmit                          // Arg jobs were added to the producer's backlog
	KindSent                            // the producer sent job Job on the jobs channel
	KindDropped                         // the producer gave up sending job Job: the context is done
	KindClose                           // close was called
	KindJobsClosed                      // the producer closed the jobs channel and exited
	KindCancel                          // cancel was called
	KindWorkerStarted                   // worker Worker is running and idle
	KindTaken                           // worker Worker took job Job: it is busy
	KindFinished                        // worker Worker's handler returned: Arg is the outcome | reason<<8
	KindEmitted                         // worker Worker sent job Job's result on the results channel
	KindAbandoned                       // worker Worker dropped job Job's result: the context is done
	KindWorkerExited                    // worker Worker returned
	KindResultsClosed                   // the last worker closed the results channel: Arg is the Err code | Stats.Dropped<<8, Job the failed job (see endErr)
	KindConsumed                        // the consumer took job Job's result; Arg is 1 if it failed
	KindConsumerExited                  // the consumer saw the results channel closed and exited
	KindConsumerPaused                  // pauseConsumer(true)
	KindConsumerResumed                 // pauseConsumer(false)
	KindPause                           // pause(): simulated time stopped
	KindResume                          // resume(): simulated time runs again
	KindSpeed                           // setSpeed: Arg is the new speed in millionths
	KindDone                            // the producer and consumer exited and the results channel closed
	KindTurnAwaited                     // worker Worker holds job Job's result, not yet due (ordered): it waits, blocked, for its turn
	kindEnd                             // one past the last kind
)

var kindNames = [...]string{
	KindStart:           "start",
	KindSubmit:          "submit",
	KindSent:            "job sent",
	KindDropped:         "job dropped",
	KindClose:           "close",
	KindJobsClosed:      "jobs closed",
	KindCancel:          "cancel",
	KindWorkerStarted:   "worker started",
	KindTaken:           "job taken",
	KindFinished:        "handler finished",
	KindEmitted:         "result emitted",
	KindAbandoned:       "result abandoned",
	KindWorkerExited:    "worker exited",
	KindResultsClosed:   "results closed",
	KindConsumed:        "result consumed",
	KindConsumerExited:  "consumer exited",
	KindConsumerPaused:  "consumer paused",
	KindConsumerResumed: "consumer resumed",
	KindPause:           "pause",
	KindResume:          "resume",
	KindSpeed:           "speed",
	KindDone:            "done",
	KindTurnAwaited:     "turn awaited",
}

// String returns the kind in words, such as "job taken".
func (k Kind) String() string {
	if k > 0 && k < kindEnd {
		return kindNames[k]
	}
	return "kind " + strconv.Itoa(int(k))
}

// Why a handler failed, in the high bits of a KindFinished event's Arg.
const (
	reasonNone    = 0
	reasonError   = 1 // the handler returned an error
	reasonPanic   = 2 // the handler panicked
	reasonTimeout = 3 // the job overran its timeoutMs
)

// What the pipeline's Err() was when the results channel closed, in the low
// byte of a KindResultsClosed event's Arg: nil, the context's cause (the
// session's cancel), or a fail-fast stop by job Job's failure, whose error
// is then rebuilt from the job's number (see errText): errFailed+reason.
const (
	errNil      = 0
	errCanceled = 1
	errFailed   = 1 // plus reasonError, reasonPanic or reasonTimeout: 2, 3, 4
	errEnd      = errFailed + reasonTimeout + 1
)

var reasonWords = [...]string{reasonError: "error", reasonPanic: "panic", reasonTimeout: "timeout"}

// Event is one entry of a session's recording: one change of the state
// model. It is 32 bytes; jobs are numbers (job n has the ID "job-n") and
// workers indexes, so the log holds no strings.
type Event struct {
	Seq    uint64        // 1, 2, ... per session, without gaps
	At     time.Duration // simulated time since the playground's clock started
	Arg    int64         // what the kind says; 0 otherwise
	Job    int32         // the job's number; 0 when the kind has none
	Worker int16         // the worker's index; -1 when the kind has none
	Kind   Kind
}

// speed returns the speed a KindStart or KindSpeed event carries.
func (e Event) speed() float64 { return float64(e.Arg) / speedUnit }

// speedUnit is how finely events record a speed: in millionths, an integer
// that JSON carries exactly.
const speedUnit = 1e6

// speedArg is the Arg of a KindStart or KindSpeed event for speed.
func speedArg(speed float64) int64 { return int64(math.Round(speed * speedUnit)) }

// Text describes the event in a sentence, as in "worker 2 took job-7".
func (e Event) Text() string { return string(e.appendText(nil)) }

// appendText appends Text to b; it allocates only for a speed.
func (e Event) appendText(b []byte) []byte {
	w, id := e.appendWorker, e.appendJob
	switch e.Kind {
	case KindStart:
		return append(append(b, "the session started at speed "...), formatNumber(e.speed())...)
	case KindSubmit:
		return appendPlural(append(b, "submitted "...), int(e.Arg), "job")
	case KindSent:
		return id(append(b, "the producer sent "...))
	case KindDropped:
		return append(id(append(b, "the producer dropped "...)), ": the context is canceled"...)
	case KindClose:
		return append(b, "close: the producer will close the jobs channel after its backlog"...)
	case KindJobsClosed:
		return append(b, "the producer closed the jobs channel and exited"...)
	case KindCancel:
		return append(b, "cancel: the pipeline's context is canceled"...)
	case KindWorkerStarted:
		return append(w(b), " started"...)
	case KindTaken:
		return id(append(w(b), " took "...))
	case KindFinished:
		b = append(id(append(w(b), " finished "...)), ": "...)
		b = append(b, pipeline.Outcome(e.Arg&0xff).String()...)
		if r := e.Arg >> 8; r > 0 && r < int64(len(reasonWords)) {
			b = append(append(append(b, " ("...), reasonWords[r]...), ')')
		}
		return b
	case KindEmitted:
		return id(append(w(b), " emitted "...))
	case KindAbandoned:
		return id(append(w(b), " abandoned "...))
	case KindWorkerExited:
		return append(w(b), " exited"...)
	case KindResultsClosed:
		b = append(b, "the last worker closed the results channel"...)
		if d := e.Arg >> 8; d > 0 {
			b = append(appendPlural(append(b, "; "...), int(d), "job"), " dropped"...)
		}
		return b
	case KindTurnAwaited:
		return append(id(append(w(b), " holds "...)), "'s result, waiting for its turn"...)
	case KindConsumed:
		b = id(append(b, "the consumer took "...))
		if e.Arg == 1 {
			b = append(b, " (failed)"...)
		}
		return b
	case KindConsumerExited:
		return append(b, "the consumer exited"...)
	case KindConsumerPaused:
		return append(b, "the consumer is paused"...)
	case KindConsumerResumed:
		return append(b, "the consumer is resumed"...)
	case KindPause:
		return append(b, "paused: simulated time stopped"...)
	case KindResume:
		return append(b, "resumed: simulated time runs"...)
	case KindSpeed:
		return append(append(b, "speed "...), formatNumber(e.speed())...)
	case KindDone:
		return append(b, "done: the producer, the workers and the consumer exited"...)
	}
	return append(b, e.Kind.String()...)
}

// appendWorker appends "worker <e.Worker>" to b. It and appendJob stay out
// of line: inlined at each of their uses in appendText they made main.wasm
// about 1 KB (gzip) larger.
//
//go:noinline
func (e Event) appendWorker(b []byte) []byte {
	return strconv.AppendInt(append(b, "worker "...), int64(e.Worker), 10)
}

// appendJob appends e's job ID to b.
//
//go:noinline
func (e Event) appendJob(b []byte) []byte {
	return strconv.AppendInt(append(b, "job-"...), int64(e.Job), 10)
}

// encode writes the event as {seq, ms, kind, worker, job, arg, text}.
func (e Event) encode(enc *encoder) {
	enc.open('{')
	enc.uint("seq", e.Seq)
	enc.float("ms", float64(e.At)/float64(time.Millisecond))
	enc.str("kind", e.Kind.String())
	enc.int("worker", int(e.Worker))
	enc.int("job", int(e.Job))
	if e.Kind == KindStart || e.Kind == KindSpeed {
		enc.float("speed", e.speed())
	} else {
		enc.int("arg", int(e.Arg))
	}
	enc.str("text", e.Text())
	enc.end('}')
}
