package playground

import (
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// stage is where a job is on its way from the producer to the consumer. A
// job's token only ever moves forward: producer, observer and consumer
// report their steps from different goroutines, and a late report of an
// earlier step (say, the producer's "sent" after a worker already took the
// job) must not move it back.
type stage uint8

const (
	stageSending stage = iota // the producer is sending it
	stageJobs                 // in the jobs channel
	stageWorker               // taken by a worker
	stageResults              // its result is in the results channel
)

// A token follows one job through the pipeline, for the page to draw. It is
// made by the producer before it sends the job, and dropped from the model
// once the job is consumed, canceled or abandoned.
type token struct {
	// Set by the producer before the job is sent, then read-only.
	n      int           // the job's number: its ID is "job-<n>"
	id     string        // "job-<n>"
	work   time.Duration // simulated handler time (workMs plus jitter)
	fails  bool          // the handler returns an error
	panics bool          // the handler panics

	// Guarded by the session's mu.
	stage   stage
	seq     uint64        // for stageResults: order of emission
	started time.Duration // simulated time the handler started; -1 before
}

// workerModel is one worker as the observer last saw it.
type workerModel struct {
	state pipeline.WorkerState
	job   *token // the job it holds while busy or blocked; nil otherwise
}

// logSize is how many entries the event log keeps.
const logSize = 200

// LogEntry is one line of the event log.
type LogEntry struct {
	Seq  uint64 `json:"seq"`  // 1, 2, ... per session
	Ms   int64  `json:"ms"`   // real milliseconds since the session started
	Kind string `json:"kind"` // a pipeline.EventKind's words, or a playground step (below)
	Text string `json:"text"` // as in "worker 2 took job-7"

	json string // the entry as JSON, encoded once when it is logged
}

// Kinds of log entries besides the pipeline's EventKind words ("worker
// started", "job taken", "handler finished", "result emitted", "result
// abandoned", "worker exited", "results closed").
const (
	kindStart    = "start"           // the session started
	kindSubmit   = "submit"          // jobs were added to the producer's backlog
	kindSent     = "job sent"        // the producer sent a job on the jobs channel
	kindDropped  = "job dropped"     // the producer gave up a send on cancel
	kindClose    = "close"           // close was called
	kindClosed   = "jobs closed"     // the producer closed the jobs channel
	kindCancel   = "cancel"          // cancel was called
	kindConsumed = "result consumed" // the consumer took a result
	kindPause    = "pause"           // the consumer was paused
	kindResume   = "resume"          // the consumer was resumed
	kindDone     = "done"            // the producer and consumer exited
)

// logRing keeps the last logSize entries.
type logRing struct {
	entries [logSize]LogEntry
	next    uint64 // seq of the next entry, from 1; entries[(seq-1)%logSize]
}

func (r *logRing) add(ms int64, kind, text string) {
	if r.next == 0 {
		r.next = 1
	}
	l := LogEntry{Seq: r.next, Ms: ms, Kind: kind, Text: text}
	e := encoder{b: make([]byte, 0, 32+len(kind)+len(text))}
	l.encode(&e)
	l.json = string(e.b)
	r.entries[(r.next-1)%logSize] = l
	r.next++
}

// appendTo appends the entries, oldest first.
func (r *logRing) appendTo(dst []LogEntry) []LogEntry {
	if r.next == 0 {
		return dst
	}
	first := uint64(1)
	if r.next > logSize {
		first = r.next - logSize
	}
	for seq := first; seq < r.next; seq++ {
		dst = append(dst, r.entries[(seq-1)%logSize])
	}
	return dst
}

// jobID returns "job-<n>".
func jobID(n int) string { return "job-" + strconv.Itoa(n) }

// eventText is the log line for a pipeline event.
func eventText(e pipeline.Event) string {
	w := "worker " + strconv.Itoa(e.Worker)
	switch e.Kind {
	case pipeline.WorkerStarted:
		return w + " started"
	case pipeline.JobTaken:
		return w + " took " + e.JobID
	case pipeline.HandlerFinished:
		text := w + " finished " + e.JobID + ": " + e.Outcome.String()
		if e.Outcome == pipeline.Failed && e.Err != nil {
			text += " (" + e.Err.Error() + ")"
		}
		return text
	case pipeline.ResultEmitted:
		return w + " emitted " + e.JobID
	case pipeline.ResultAbandoned:
		return w + " abandoned " + e.JobID
	case pipeline.WorkerExited:
		return w + " exited"
	case pipeline.ResultsClosed:
		return "the last worker closed the results channel"
	}
	return w + ": " + e.Kind.String()
}
