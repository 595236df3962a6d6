package playground

import (
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
// "busy", "blocked" or "exited", as in the snapshot, or "waiting for its
// turn" (blocked, and its snapshot's turn is set: ordered); the consumer "idle"
// (waiting for a result: the results channel is empty), "reading" (results
// wait in the results channel for it, or it spends consumerDelayMs on the
// last one it took: a span that ends between two events), "paused" or
// "exited". Lanes are derived from the kept events (and the keyframe
// before them), never sampled.
func (pg *Playground) Timeline() ([]Lane, error) {
	r := pg.recording()
	if r == nil {
		return nil, prefix("timeline", errNoRecording)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var c laneCache
	c.update(r)
	lanes := make([]Lane, len(c.lanes))
	for i, l := range c.lanes {
		lanes[i].Name = laneName(i, len(c.lanes))
		for k, sp := range l {
			to, toAt := r.head.seq, r.head.at
			if k+1 < len(l) {
				to, toAt = l[k+1].from, l[k+1].at
			}
			job := ""
			if sp.job != 0 {
				job = jobID(int(sp.job))
			}
			lanes[i].Spans = append(lanes[i].Spans, Span{State: LaneStates[sp.state], Job: job,
				From: sp.from, To: to, FromMs: msOf(sp.at), ToMs: msOf(toAt)})
		}
	}
	return lanes, nil
}

// lane returns lane i's state and job number (0 for none) in s: 0 is the
// producer, 1..N the workers, N+1 the consumer.
func (s *state) lane(i int) (string, int32) {
	st, job := s.laneState(i)
	return LaneStates[st], job
}

// laneState is lane, with the state as its index in LaneStates (the
// workers' pipeline.WorkerState, Idle to Exited, are the first four).
func (s *state) laneState(i int) (uint8, int32) {
	switch {
	case i == 0:
		switch {
		case s.jobsClosed:
			return laneExited, 0
		case s.submitted > s.sent && !s.canceled:
			return laneBlocked, 0
		}
		return laneIdle, 0
	case i <= len(s.workers):
		w := s.workers[i-1]
		if w.job != 0 && (w.state == pipeline.Busy || w.state == pipeline.Blocked) {
			if w.turn {
				return laneTurn, w.job
			}
			return uint8(w.state), w.job
		}
		return uint8(w.state), 0
	}
	switch {
	case s.consumerExited:
		return laneExited, 0
	case s.consumerPaused && !s.canceled:
		return lanePaused, 0
	case len(s.inResults) > 0:
		return laneReading, 0
	}
	return laneIdle, 0
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
