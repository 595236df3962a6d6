package playground

import (
	"errors"
	"runtime"
	"sync"
)

// Playground runs one session at a time and answers the JavaScript API (see
// Call). Its methods are safe for concurrent use and never block: the
// session's goroutines do all the waiting. Errors start with the name of the
// JavaScript function, as in "submit: no pipeline; call start first".
type Playground struct {
	clock *clock // simulated time, shared by every session

	mu       sync.Mutex // guards the fields below
	sess     *session   // the current or last session; nil before the first start
	paused   bool       // the consumer's pause setting; a new session starts with it
	baseline int        // runtime.NumGoroutine() just before the first start; -1 before

	scratchMu sync.Mutex      // guards scratch
	scratch   snapshotScratch // reused by Call("snapshot")
}

// New returns a Playground with no session, at speed 1.
func New() *Playground {
	return &Playground{clock: newClock(), baseline: -1}
}

// prefix puts the name of the JavaScript function fn before err's message.
func prefix(fn string, err error) error {
	if err == nil {
		return nil
	}
	return errors.New(fn + ": " + err.Error())
}

var errNoPipeline = errors.New("no pipeline; call start first")

// Start starts a session with cfg if there is none, or the last one is done.
// It returns cfg.
func (pg *Playground) Start(cfg Config) (Config, error) {
	if err := cfg.Validate(); err != nil {
		return Config{}, prefix("start", err)
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.sess != nil {
		switch pg.sess.getPhase() {
		case PhaseRunning:
			return Config{}, errors.New("start: a pipeline is running; cancel or close it first")
		case PhaseClosing:
			return Config{}, errors.New("start: a pipeline is closing; wait until it is done, or cancel it")
		case PhaseCanceled:
			return Config{}, errors.New("start: a pipeline is being canceled; wait until it is done")
		}
	}
	if pg.baseline < 0 {
		pg.baseline = runtime.NumGoroutine()
	}
	pg.sess = startSession(cfg, pg.clock, pg.paused)
	return cfg, nil
}

// session returns the current session, or nil.
func (pg *Playground) session() *session {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return pg.sess
}

// Submit asks the producer to send n more jobs (1 to MaxSubmit) and returns
// its backlog. The backlog holds at most MaxBacklog jobs.
func (pg *Playground) Submit(n int) (int, error) {
	if _, err := checkArg("submit", "n", submitLimit, n); err != nil {
		return 0, err
	}
	s := pg.session()
	if s == nil {
		return 0, prefix("submit", errNoPipeline)
	}
	backlog, err := s.submit(n)
	return backlog, prefix("submit", err)
}

// Close asks the producer to send its backlog and close the jobs channel:
// the pipeline drains and the session ends.
func (pg *Playground) Close() error {
	s := pg.session()
	if s == nil {
		return prefix("close", errNoPipeline)
	}
	return prefix("close", s.close())
}

// Cancel cancels the pipeline's context: the session stops now.
func (pg *Playground) Cancel() error {
	s := pg.session()
	if s == nil {
		return prefix("cancel", errNoPipeline)
	}
	return prefix("cancel", s.cancelRun())
}

// PauseConsumer stops (true) or resumes (false) the consumer. The setting
// carries over to the next session. A canceled session's consumer no longer
// waits, whatever the setting.
func (pg *Playground) PauseConsumer(paused bool) {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	pg.paused = paused
	if pg.sess != nil {
		pg.sess.setPaused(paused)
	}
}

// SetSpeed sets how fast simulated time runs, from MinSpeed to MaxSpeed
// times real time. It applies at once, and to later sessions.
func (pg *Playground) SetSpeed(factor float64) error {
	if _, err := checkArg("setSpeed", "factor", speedLimit, factor); err != nil {
		return err
	}
	pg.clock.setSpeed(factor)
	return nil
}

// Snapshot copies out the state of the current or last session.
func (pg *Playground) Snapshot() Snapshot {
	var sc snapshotScratch
	pg.snapshot(&sc)
	return sc.snap
}

// AppendSnapshotJSON appends the snapshot's JSON to dst. It is Snapshot
// followed by Snapshot.AppendJSON, but it reuses its memory from one call
// to the next.
func (pg *Playground) AppendSnapshotJSON(dst []byte) []byte {
	pg.scratchMu.Lock()
	defer pg.scratchMu.Unlock()
	pg.snapshot(&pg.scratch)
	return pg.scratch.snap.AppendJSON(dst)
}

func (pg *Playground) snapshot(sc *snapshotScratch) {
	pg.mu.Lock()
	s, paused, baseline := pg.sess, pg.paused, pg.baseline
	pg.mu.Unlock()
	speed := pg.clock.Speed()
	if s == nil {
		idleSnapshot(&sc.snap, speed, paused, baseline)
		return
	}
	s.snapshot(sc, speed, baseline)
}
