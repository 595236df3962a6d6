package playground

import "time"

// logSize is how many events the snapshot's log shows: the last ones up to
// the snapshot's moment.
const logSize = 200

// LogEntry is one line of the snapshot's log: one event of the recording.
type LogEntry struct {
	Seq  uint64 `json:"seq"`  // the event's sequence number
	Ms   int64  `json:"ms"`   // its simulated time in milliseconds
	Kind string `json:"kind"` // the event's Kind, in words
	Text string `json:"text"` // as in "worker 2 took job-7"
}

// ms converts simulated milliseconds to a Duration.
func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
