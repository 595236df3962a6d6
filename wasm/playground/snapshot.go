package playground

// Snapshot is the whole state of a session at one moment, copied out. Its
// JSON form (see AppendJSON) is what goflow.snapshot() and
// goflow.snapshotAt(seq) return; the keys are the json tags.
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
	// Err is the pipeline's Err() once the results channel has closed:
	// "" while it is open and after a drain; "context canceled" after a
	// cancel; with failFast, the first failed job's error.
	Err    string `json:"err"`
	Gauges Gauges `json:"gauges"`
	// Paused is whether the world is paused (goflow.pause()): simulated
	// time stands still and nothing is recorded but API calls.
	Paused bool `json:"paused"`
	// Seq is the sequence number of the last event the snapshot includes;
	// 0 before the first start.
	Seq uint64 `json:"seq"`
	// Goroutines counts this playground's own goroutines alive at this
	// moment of the recording: the producer, the consumer and the workers
	// started and not exited (runtime.NumGoroutine would count every
	// playground of the process, and the page's own).
	Goroutines int `json:"goroutines"`
	// BaselineGoroutines is what Goroutines is with no pipeline: 0. The
	// page shows Goroutines against it to show that nothing leaks.
	BaselineGoroutines int `json:"baselineGoroutines"`
	// Log is the end of the event log up to this moment, oldest first, at
	// most 200 entries.
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
	// Turn is true while the worker is blocked waiting for its result's
	// turn (ordered: an earlier job's result is not emitted yet); it stays
	// true until the result is emitted or abandoned.
	Turn bool `json:"turn"`
}

// Consumer is the consumer goroutine's state.
type Consumer struct {
	Paused   bool   `json:"paused"`
	Consumed int    `json:"consumed"` // results taken from the results channel
	Last     string `json:"last"`     // ID of the last result taken; "" before
}

// Counters are the pipeline's counters (see pipeline.Stats), as recorded.
type Counters struct {
	Received  uint64 `json:"received"`
	Succeeded uint64 `json:"succeeded"`
	Failed    uint64 `json:"failed"`
	Canceled  uint64 `json:"canceled"`
	Emitted   uint64 `json:"emitted"`
	// Dropped is pipeline.Stats.Dropped: jobs a worker received just as
	// the context was cancelled, never taken. Known once the results
	// channel has closed; 0 before.
	Dropped uint64 `json:"dropped"`
}

// Gauges are the pipeline's gauges (see pipeline.Stats), as recorded.
type Gauges struct {
	Busy    int `json:"busy"`    // workers running the handler
	Queued  int `json:"queued"`  // jobs in the jobs channel
	Pending int `json:"pending"` // results in the results channel
}

// idleSnapshot fills snap with the state before any start.
func idleSnapshot(snap *Snapshot, speed float64, paused bool) {
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
}
