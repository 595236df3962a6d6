package playground

import (
	"errors"
	"sync"
)

// Playground runs one session at a time and answers the JavaScript API (see
// Call). Its methods are safe for concurrent use and never block: the
// session's goroutines do all the waiting. Errors start with the name of the
// JavaScript function, as in "submit: n: got 5000; want an integer from 1 to
// 1000".
//
// Playgrounds are independent: each has its own clock, session and
// recording, and the package has no mutable state of its own, so one
// process may host many.
type Playground struct {
	clock *clock // simulated time, shared by this playground's sessions

	mu   sync.Mutex // guards the fields below
	sess *session   // the live or last session; nil before the first start and after load
	// rec is the recording snapshots and history read: sess.rec, or a
	// loaded recording; nil before the first start or load.
	rec            *recorder
	consumerPaused bool // the consumer's pause setting; a new session starts with it
	paused         bool // the world's pause setting; a new session starts with it
	disposed       bool // Dispose was called: Call refuses everything

	scratchMu sync.Mutex      // guards scratch
	scratch   snapshotScratch // reused by Call("snapshot") and Call("snapshotAt")

	lanes timelineCache // the timeline of the recording, kept up to date by Call("timeline")
}

// New returns a Playground with no session, at speed 1.
func New() *Playground {
	return &Playground{clock: newClock(), scratch: snapshotScratch{names: new(nameCache)}}
}

// prefix puts the name of the JavaScript function fn before err's message.
func prefix(fn string, err error) error {
	if err == nil {
		return nil
	}
	return errors.New(fn + ": " + err.Error())
}

var (
	errNoPipeline  = errors.New("no pipeline; call start first")
	errNoRecording = errors.New("no recording; call start or load first")
	// errStartDisposed is Start's answer once Dispose was called.
	errStartDisposed = errors.New("start: instance disposed")
)

// Start starts a session with cfg if there is none, or the last one is done,
// and the playground is not disposed. A seed of 0 is replaced by one picked
// at random. It returns cfg, with its
// seed.
func (pg *Playground) Start(cfg Config) (Config, error) {
	if err := cfg.Validate(); err != nil {
		return Config{}, prefix("start", err)
	}
	if cfg.Seed == 0 {
		cfg.Seed = pickSeed()
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.disposed { // under mu: a Dispose racing this start either cancels its session or refuses it
		return Config{}, errStartDisposed
	}
	if pg.sess != nil {
		switch pg.sess.phase() {
		case PhaseRunning:
			return Config{}, errors.New("start: a pipeline is running; cancel or close it first")
		case PhaseClosing:
			return Config{}, errors.New("start: a pipeline is closing; wait until it is done, or cancel it")
		case PhaseCanceled:
			if pg.paused {
				return Config{}, errors.New("start: a pipeline is being canceled and the run is paused; resume it and wait until it is done")
			}
			return Config{}, errors.New("start: a pipeline is being canceled; wait until it is done")
		}
	}
	pg.sess = startSession(cfg, pg.clock, pg.consumerPaused, pg.paused)
	pg.rec = pg.sess.rec
	return cfg, nil
}

// session returns the live or last session, or nil.
func (pg *Playground) session() *session {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return pg.sess
}

// recording returns the current recording, or nil.
func (pg *Playground) recording() *recorder {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return pg.rec
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

// Cancel cancels the pipeline's context: the session stops now (or, while
// the run is paused, as soon as it resumes or steps).
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
	pg.consumerPaused = paused
	if pg.sess != nil {
		pg.sess.setPaused(paused)
	}
}

// SetSpeed sets how fast simulated time runs, from MinSpeed to MaxSpeed
// times real time. It applies at once to everything waiting (handlers, the
// consumer's delay, jobs' timeouts), and to later sessions.
func (pg *Playground) SetSpeed(factor float64) error {
	if _, err := checkArg("setSpeed", "factor", speedLimit, factor); err != nil {
		return err
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	pg.clock.setSpeed(factor)
	if pg.sess != nil && pg.sess.phase() != PhaseDone {
		pg.sess.rec.recordNow(Event{Kind: KindSpeed, Worker: -1, Arg: speedArg(factor)})
	}
	return nil
}

// Pause stops the world: simulated time stands still, so no handler work,
// consumer delay or job timeout advances, and every goroutine of the
// session that has something to record waits until Resume or Step. Nothing
// is received, finished, emitted, failed or timed out while paused, however
// long. The setting carries over to the next session.
func (pg *Playground) Pause() { pg.setWorldPaused(true) }

// Resume lets the world go on from exactly where Pause stopped it.
func (pg *Playground) Resume() { pg.setWorldPaused(false) }

func (pg *Playground) setWorldPaused(paused bool) {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	pg.paused = paused
	if pg.sess != nil && pg.sess.phase() != PhaseDone {
		pg.sess.rec.setPaused(paused) // also pauses the clock
		return
	}
	pg.clock.setPaused(paused)
}

// Step lets the live run go on until exactly one more event is recorded,
// then pauses it again (it pauses a running world first). If a goroutine
// was already waiting to record, Step records its event and returns it at
// once, with a nil channel. Otherwise simulated time runs until the next
// event, which the returned channel receives; it is closed without an
// event if the session is replaced first (by load) . Step fails if there
// is no live session, if it is done, or if a step is already under way.
func (pg *Playground) Step() (Event, <-chan Event, error) {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.sess == nil || pg.rec != pg.sess.rec {
		return Event{}, nil, prefix("step", errNoPipeline)
	}
	if pg.sess.phase() == PhaseDone {
		return Event{}, nil, errors.New("step: the pipeline is done; nothing more will happen; start a new pipeline")
	}
	pg.paused = true
	e, ok, next, err := pg.sess.rec.stepOnce()
	if err != nil {
		return Event{}, nil, prefix("step", err)
	}
	if ok {
		return e, nil, nil
	}
	return Event{}, next, nil
}

// History returns the sequence numbers of the earliest and the latest event
// of the recording (both 0 before any).
func (pg *Playground) History() (first, last uint64) {
	if r := pg.recording(); r != nil {
		return r.history()
	}
	return 0, 0
}

// Snapshot copies out the state of the live or last session (or of a
// loaded recording): the state at the head of its log, with busy workers'
// progress at the clock's time now.
func (pg *Playground) Snapshot() Snapshot {
	var sc snapshotScratch
	pg.snapshot(&sc)
	return sc.snap
}

// SnapshotAt copies out the state right after event seq, which must be in
// History's range.
func (pg *Playground) SnapshotAt(seq uint64) (Snapshot, error) {
	r := pg.recording()
	if r == nil {
		return Snapshot{}, prefix("snapshotAt", errNoRecording)
	}
	var sc snapshotScratch
	err := r.snapshotAt(&sc, seq)
	return sc.snap, err
}

// AppendSnapshotJSON appends the snapshot's JSON to dst. It is Snapshot
// followed by Snapshot.AppendJSON, but it reuses its memory from one call
// to the next.
func (pg *Playground) AppendSnapshotJSON(dst []byte) []byte {
	pg.scratchMu.Lock()
	defer pg.scratchMu.Unlock()
	pg.snapshot(&pg.scratch)
	return pg.scratch.appendJSON(dst)
}

// AppendSnapshotAtJSON appends SnapshotAt(seq)'s JSON to dst, reusing its
// memory from one call to the next.
func (pg *Playground) AppendSnapshotAtJSON(dst []byte, seq uint64) ([]byte, error) {
	r := pg.recording()
	if r == nil {
		return dst, prefix("snapshotAt", errNoRecording)
	}
	pg.scratchMu.Lock()
	defer pg.scratchMu.Unlock()
	if err := r.snapshotAt(&pg.scratch, seq); err != nil {
		return dst, err
	}
	return pg.scratch.appendJSON(dst), nil
}

func (pg *Playground) snapshot(sc *snapshotScratch) {
	pg.mu.Lock()
	r, s, consumerPaused, paused := pg.rec, pg.sess, pg.consumerPaused, pg.paused
	pg.mu.Unlock()
	if r == nil {
		idleSnapshot(&sc.snap, pg.clock.Speed(), consumerPaused)
		sc.snap.Paused = paused
		return
	}
	r.snapshot(sc)
	if s != nil && s.rec == r && sc.snap.Phase == PhaseDone {
		// The log ends with done, but the settings carry over to the
		// next session, and the page shows them.
		sc.snap.Consumer.Paused = consumerPaused
		sc.snap.Paused = paused
	}
}
