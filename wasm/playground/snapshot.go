package playground

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Snapshot is the whole state of the playground at one moment, copied out.
// Its JSON form (see AppendJSON) is what goflow.snapshot() returns; the keys
// are the json tags.
type Snapshot struct {
	Phase    string   `json:"phase"` // one of the Phase constants
	Ended    string   `json:"ended"` // "close" or "cancel" once either was called; "" before
	Config   Config   `json:"config"`
	Speed    float64  `json:"speed"`
	Producer Producer `json:"producer"`
	Jobs     Channel  `json:"jobs"` // the jobs channel
	Workers  []Worker `json:"workers"`
	Results  Channel  `json:"results"` // the results channel
	Consumer Consumer `json:"consumer"`
	Counters Counters `json:"counters"`
	Gauges   Gauges   `json:"gauges"`
	// Goroutines is runtime.NumGoroutine() when the snapshot was taken.
	Goroutines int `json:"goroutines"`
	// BaselineGoroutines is runtime.NumGoroutine() just before the first
	// start (before that, the same as Goroutines).
	BaselineGoroutines int `json:"baselineGoroutines"`
	// Log is the event log, oldest first, at most 200 entries.
	Log []LogEntry `json:"log"`
}

// maxWaiting is how many job IDs Producer.Waiting lists at most.
const maxWaiting = 20

// Producer is the producer goroutine's state.
type Producer struct {
	Backlog int      `json:"backlog"` // jobs submitted and not yet sent, including one being sent
	Blocked bool     `json:"blocked"` // in a send on the jobs channel
	Sent    int      `json:"sent"`    // jobs sent
	Closed  bool     `json:"closed"`  // it closed the jobs channel (and exited)
	Waiting []string `json:"waiting"` // IDs of the first jobs of the backlog, at most 20
}

// Channel is the state of the jobs channel or the results channel.
type Channel struct {
	Len    int      `json:"len"`
	Cap    int      `json:"cap"`
	IDs    []string `json:"ids"`    // the jobs (or results) in it, first out first
	Closed bool     `json:"closed"` // closed by its owner
}

// Worker is one worker's state.
type Worker struct {
	ID       int     `json:"id"`       // 0..workers-1
	State    string  `json:"state"`    // "idle", "busy", "blocked" or "exited"
	Job      string  `json:"job"`      // the job it runs or holds the result of; "" when idle or exited
	Progress float64 `json:"progress"` // 0..1 of the job's simulated time; 1 once blocked; 0 when idle
}

// Consumer is the consumer goroutine's state.
type Consumer struct {
	Paused   bool   `json:"paused"`
	Consumed int    `json:"consumed"` // results taken from the results channel
	Last     string `json:"last"`     // ID of the last result taken; "" before
}

// Counters are the pipeline's counters (see pipeline.Stats).
type Counters struct {
	Received  uint64 `json:"received"`
	Succeeded uint64 `json:"succeeded"`
	Failed    uint64 `json:"failed"`
	Canceled  uint64 `json:"canceled"`
	Emitted   uint64 `json:"emitted"`
}

// Gauges are the pipeline's gauges (see pipeline.Stats).
type Gauges struct {
	Busy    int `json:"busy"`    // workers running the handler
	Queued  int `json:"queued"`  // jobs in the jobs channel
	Pending int `json:"pending"` // results in the results channel
}

// idleSnapshot fills snap with the state before any start.
func idleSnapshot(snap *Snapshot, speed float64, paused bool, baseline int) {
	*snap = Snapshot{
		Phase:    PhaseIdle,
		Config:   DefaultConfig(),
		Speed:    speed,
		Producer: Producer{Waiting: snap.Producer.Waiting[:0]},
		Jobs:     Channel{IDs: snap.Jobs.IDs[:0]},
		Workers:  snap.Workers[:0],
		Results:  Channel{IDs: snap.Results.IDs[:0]},
		Consumer: Consumer{Paused: paused},
		Log:      snap.Log[:0],
	}
	snap.Goroutines = runtime.NumGoroutine()
	snap.BaselineGoroutines = baseline
	if baseline < 0 {
		snap.BaselineGoroutines = snap.Goroutines
	}
}

// snapshotScratch is what a snapshot reuses from one call to the next, so
// that a snapshot on every animation frame allocates next to nothing.
type snapshotScratch struct {
	snap             Snapshot
	inJobs, inResult []*token
	waiting          []string // IDs of jobs waitingFrom, waitingFrom+1, ...
	waitingFrom      int
}

// snapshot fills sc.snap with the session's state. The slices of sc.snap
// are reused: they are valid until the next call with sc.
func (s *session) snapshot(sc *snapshotScratch, speed float64, baseline int) {
	now := s.clock.now()
	snap := &sc.snap
	inJobs, inResults := sc.inJobs[:0], sc.inResult[:0]

	s.mu.Lock()
	// The pipeline's counters are read under mu: the session is done only
	// once every worker has exited, so a snapshot that says done holds the
	// final counters (read before mu, they could predate the last results).
	st := s.pipe.Stats()
	*snap = Snapshot{
		Phase:  s.phase,
		Ended:  s.ended,
		Config: s.cfg,
		Speed:  speed,
		Producer: Producer{
			Backlog: s.submitted - s.sent,
			Blocked: s.blocked,
			Sent:    s.sent,
			Closed:  s.jobsClosed,
			Waiting: snap.Producer.Waiting[:0],
		},
		Jobs:     Channel{Cap: s.cfg.JobBuffer, Closed: s.jobsClosed, IDs: snap.Jobs.IDs[:0]},
		Workers:  snap.Workers[:0],
		Results:  Channel{Cap: s.cfg.ResultBuffer, Closed: s.resultsClosed, IDs: snap.Results.IDs[:0]},
		Consumer: Consumer{Paused: s.paused, Consumed: s.consumed, Last: s.last},
		Log:      s.log.appendTo(snap.Log[:0]),
	}
	if n := min(snap.Producer.Backlog, maxWaiting); n > 0 {
		if sc.waitingFrom != s.sent+1 || len(sc.waiting) < n {
			sc.waitingFrom, sc.waiting = s.sent+1, sc.waiting[:0]
			for i := range maxWaiting {
				sc.waiting = append(sc.waiting, jobID(s.sent+1+i))
			}
		}
		snap.Producer.Waiting = append(snap.Producer.Waiting, sc.waiting[:n]...)
	}
	for _, tok := range s.tokens {
		switch tok.stage {
		case stageJobs:
			inJobs = append(inJobs, tok)
		case stageResults:
			inResults = append(inResults, tok)
		}
	}
	for i, w := range s.workers {
		snap.Workers = append(snap.Workers, Worker{ID: i, State: w.state.String()})
		if w.job != nil {
			snap.Workers[i].Job = w.job.id
			snap.Workers[i].Progress = progress(w, now)
		}
	}
	s.mu.Unlock()

	slices.SortFunc(inJobs, func(a, b *token) int { return cmp.Compare(a.n, b.n) })
	slices.SortFunc(inResults, func(a, b *token) int { return cmp.Compare(a.seq, b.seq) })
	for _, t := range inJobs {
		snap.Jobs.IDs = append(snap.Jobs.IDs, t.id)
	}
	for _, t := range inResults {
		snap.Results.IDs = append(snap.Results.IDs, t.id)
	}
	clear(inJobs) // drop the tokens: they may leave the model
	clear(inResults)
	sc.inJobs, sc.inResult = inJobs, inResults
	snap.Jobs.Len = st.Queued
	snap.Results.Len = st.Pending
	snap.Counters = Counters{
		Received:  st.Received,
		Succeeded: st.Succeeded,
		Failed:    st.Failed,
		Canceled:  st.Canceled,
		Emitted:   st.Emitted,
	}
	snap.Gauges = Gauges{Busy: st.Busy, Queued: st.Queued, Pending: st.Pending}
	snap.Goroutines = runtime.NumGoroutine()
	snap.BaselineGoroutines = baseline
}

// progress is how far w's job is, from 0 to 1, at simulated time now.
// s.mu must be held.
func progress(w workerModel, now time.Duration) float64 {
	switch {
	case w.state == pipeline.Blocked:
		return 1
	case w.state != pipeline.Busy || w.job.started < 0:
		return 0
	case w.job.work <= 0:
		return 1
	}
	p := min(max(float64(now-w.job.started)/float64(w.job.work), 0), 1)
	return math.Round(p*1000) / 1000 // enough for a progress bar, and shorter in JSON
}
