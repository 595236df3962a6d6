package e2e_test

import "strings"

// snapshot is goflow.snapshot(), as README.md "JavaScript API" describes it.
// JSON field names match case-insensitively.
type snapshot struct {
	Phase    string
	Config   map[string]any // numbers, and the booleans ordered and failFast
	Speed    float64
	Producer struct {
		Backlog int
		Blocked bool
		Sent    int
		Closed  bool
		Waiting []string
	}
	Jobs struct {
		Len, Cap int
		IDs      []string
	}
	Workers []struct {
		ID       int
		State    string // "idle", "busy", "blocked" or "exited"
		Job      string
		Progress float64
		Turn     bool // blocked waiting for its result's turn (ordered)
	}
	Results struct {
		Len, Cap int
		IDs      []string
		Closed   bool
	}
	Consumer struct {
		Paused   bool
		Consumed int
		Last     string
	}
	Counters           counters
	Err                string // the pipeline's Err() once results closed
	Gauges             struct{ Busy, Queued, Pending int }
	Goroutines         int
	BaselineGoroutines int
	Log                []logEntry
}

// logEntry is one entry of the snapshot's event log.
type logEntry struct {
	Seq  int
	Ms   float64
	Text string
	Kind string
}

// counters are the snapshot's counters, which the page shows as #count-<name>.
type counters struct {
	Received, Succeeded, Failed, Canceled, Emitted int
}

// workerStates returns each worker's state, in order.
func (s snapshot) workerStates() []string {
	states := make([]string, len(s.Workers))
	for i, w := range s.Workers {
		states[i] = w.State
	}
	return states
}

// loggedAny reports whether some log entry's text contains word, ignoring case.
func (s snapshot) loggedAny(word string) bool {
	for _, e := range s.Log {
		if strings.Contains(strings.ToLower(e.Text), strings.ToLower(word)) {
			return true
		}
	}
	return false
}
