package playground

import (
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Lane is one row of a timeline: the producer, a worker or the consumer,
// and the spans of simulated time it spent in each state, in order. The
// spans of a lane follow each other without gaps from the first kept event
// to the last.
type Lane struct {
	Name  string `json:"name"` // "producer", "worker 0", ..., "consumer"
	Spans []Span `json:"spans"`
}

// Span is one stretch of a lane in one state.
type Span struct {
	State string `json:"state"` // see Timeline
	Job   string `json:"job"`   // the job a worker runs or holds; "" otherwise
	From  uint64 `json:"from"`  // the event that began it
	To    uint64 `json:"to"`    // the event that ended it; the last event for the last span
	// FromMs and ToMs are the simulated times of From and To, in ms.
	FromMs float64 `json:"fromMs"`
	ToMs   float64 `json:"toMs"`
}

// Timeline derives the lanes of the current recording from its events alone
// (for issue 12's timeline): the producer is "idle" (no backlog), "blocked"
// (sending, or about to send, its next job) or "exited"; each worker "idle",
// "busy", "blocked" or "exited", as in the snapshot; the consumer "idle"
// (waiting for a result: the results channel is empty), "reading" (results
// are waiting in the results channel for it to take them), "paused" or
// "exited".
func (pg *Playground) Timeline() ([]Lane, error) {
	r := pg.recording()
	if r == nil {
		return nil, prefix("timeline", errNoRecording)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var st state
	st.copyFrom(&r.keys[0])
	lanes := make([]Lane, 2+len(st.workers))
	lanes[0].Name = "producer"
	for i := range st.workers {
		lanes[1+i].Name = "worker " + strconv.Itoa(i)
	}
	lanes[len(lanes)-1].Name = "consumer"
	for seq := r.first; seq <= r.head.seq && seq > 0; seq++ {
		e := r.event(seq)
		if err := st.apply(e); err != nil {
			panic("playground: replaying the log: " + err.Error())
		}
		for i := range lanes {
			state, n := st.lane(i)
			job := ""
			if n != 0 {
				job = jobID(int(n))
			}
			l := &lanes[i]
			if n := len(l.Spans); n > 0 && l.Spans[n-1].State == state && l.Spans[n-1].Job == job {
				continue
			}
			if n := len(l.Spans); n > 0 {
				l.Spans[n-1].To, l.Spans[n-1].ToMs = seq, msOf(e.At)
			}
			l.Spans = append(l.Spans, Span{State: state, Job: job, From: seq, FromMs: msOf(e.At)})
		}
	}
	for i := range lanes {
		if n := len(lanes[i].Spans); n > 0 {
			lanes[i].Spans[n-1].To, lanes[i].Spans[n-1].ToMs = r.head.seq, msOf(r.head.at)
		}
	}
	return lanes, nil
}

// lane returns lane i's state and job number (0 for none) in s: 0 is the
// producer, 1..N the workers, N+1 the consumer.
func (s *state) lane(i int) (string, int32) {
	switch {
	case i == 0:
		switch {
		case s.jobsClosed:
			return "exited", 0
		case s.submitted > s.sent && !s.canceled:
			return "blocked", 0
		}
		return "idle", 0
	case i <= len(s.workers):
		w := s.workers[i-1]
		if w.job != 0 && (w.state == pipeline.Busy || w.state == pipeline.Blocked) {
			return w.state.String(), w.job
		}
		return w.state.String(), 0
	}
	switch {
	case s.consumerExited:
		return "exited", 0
	case s.consumerPaused && !s.canceled:
		return "paused", 0
	case len(s.inResults) > 0:
		return "reading", 0
	}
	return "idle", 0
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
