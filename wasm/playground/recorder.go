package playground

import (
	"errors"
	"strconv"
	"sync"
)

// The recording's bounds.
const (
	// keyframeEvery is how many events lie between two keyframes: a
	// snapshotAt applies at most keyframeEvery-1 events to a copy of one.
	keyframeEvery = 256
	// ringEvents is how many events a recording holds. When it is full the
	// oldest keyframeEvery events are dropped at once, so that at least
	// ringEvents-keyframeEvery = 100,096 are kept and the earliest kept
	// event always has a keyframe right before it.
	ringEvents = 392 * keyframeEvery
	// MaxEvents is how many events one events() call returns at most.
	MaxEvents = 10000
)

// recorder is one session's recording: the bounded event log, keyframes,
// the state at the head of the log, and the gate that pauses the world.
//
// Every change of the state model goes through it. Session goroutines
// record with record, which waits while the world is paused (without
// holding mu) until resume, or until a step lets exactly their event
// through; API calls record with recordNow, which never waits.
type recorder struct {
	cfg   Config // the session's config, seed included; read-only
	clock *clock // the playground's; nil for a loaded recording

	mu   sync.Mutex // guards everything below
	head state      // the state after event last
	ring []Event    // event seq is ring[(seq-1)%ringEvents]; grows up to ringEvents
	// first is the seq of the earliest kept event (1 until the ring
	// wraps); the last is head.seq.
	first uint64
	// keys are the keyframes, oldest first: keys[i] is the state after
	// event keys[0].seq + i*keyframeEvery, and keys[0].seq is first-1.
	keys []state
	// paused is whether the world is paused: record waits, and the clock
	// stands still.
	paused bool
	// pending are the records waiting for resume or a step, oldest first.
	pending []*waiter
	// step is the channel of a step in progress that found no waiting
	// record: the clock runs until the next record, which it receives
	// (it has room for one); nil otherwise.
	step chan Event
	// detached: the session was replaced, or stopped by a fault; record
	// no longer waits, so that its goroutines can finish.
	detached bool
	// fault is set once, when the state model refused an event of the
	// session's own goroutines: an ordering it does not know. Nothing more
	// is recorded, the run is stopped (stop) and the snapshot's err names
	// the event. A panic instead would kill the whole module: every
	// playground of the page.
	fault error
	stop  func() // the session's cancel, set before its goroutines start; nil for a loaded recording
}

// waiter is a record waiting at the gate; done is closed once it is in
// the log.
type waiter struct {
	e    Event
	done chan struct{}
}

func newRecorder(cfg Config, clk *clock) *recorder {
	r := &recorder{cfg: cfg, clock: clk, first: 1, head: newState(cfg.Workers)}
	var k state
	k.copyFrom(&r.head)
	r.keys = append(r.keys, k)
	return r
}

// record adds the event the caller's goroutine reports, e (Seq and At are
// set here), waiting first while the world is paused.
func (r *recorder) record(e Event) {
	if w := r.enter(e); w != nil {
		<-w.done
	}
}

// enter commits e, or queues it and returns its waiter while the world is
// paused.
func (r *recorder) enter(e Event) *waiter {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.paused || r.detached {
		r.commit(e)
		return nil
	}
	if ch := r.step; ch != nil {
		// A step let the clock run to produce one event: this is it.
		r.step = nil
		r.clock.setPaused(true)
		if e = r.commit(e); r.fault != nil {
			close(ch) // e was refused: the step gets no event
		} else {
			ch <- e
		}
		return nil
	}
	w := &waiter{e: e, done: make(chan struct{})}
	r.pending = append(r.pending, w)
	return w
}

// recordNow adds e at once, paused or not: API calls do not wait. If a
// step is waiting for the run, e is its one more event: the world pauses
// again and the step receives e.
func (r *recorder) recordNow(e Event) Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	e = r.commit(e)
	if ch := r.step; ch != nil {
		r.step = nil
		r.clock.setPaused(true)
		ch <- e
	}
	return e
}

// commit gives e its seq and time and applies it. r.mu must be held.
func (r *recorder) commit(e Event) Event {
	e.Seq = r.head.seq + 1
	e.At = r.head.at
	if r.clock != nil {
		e.At = max(r.clock.now(), r.head.at)
	}
	if r.fault != nil {
		return e
	}
	if err := r.head.apply(e); err != nil {
		// A bug in the session, not bad input: the state model and the
		// goroutines disagree. Stop this run, not the module.
		r.fault = err
		r.detachLocked()
		if r.stop != nil {
			r.stop()
		}
		return e
	}
	r.append(e)
	if !r.head.done && r.head.phase() == PhaseDone {
		r.commit(Event{Kind: KindDone, Worker: -1})
	}
	return e
}

// append adds e, already applied to head, to the ring and keyframes it.
// r.mu must be held.
func (r *recorder) append(e Event) {
	if e.Seq-r.first >= ringEvents { // full: drop the oldest keyframeEvery events
		r.first += keyframeEvery
		r.keys = r.keys[1:]
	}
	i := int((e.Seq - 1) % ringEvents)
	if i >= len(r.ring) {
		// The ring grows as it fills (from index first-1: a loaded
		// recording may start anywhere).
		r.ring = append(r.ring, make([]Event, i+1-len(r.ring))...)
	}
	r.ring[i] = e
	if (e.Seq-r.keys[0].seq)%keyframeEvery == 0 {
		var k state
		k.copyFrom(&r.head)
		r.keys = append(r.keys, k)
	}
}

// event returns event seq, which must be kept. r.mu must be held.
func (r *recorder) event(seq uint64) Event { return r.ring[(seq-1)%ringEvents] }

// setPaused pauses or resumes the world and records it. It reports
// whether it changed anything. Resuming lets every waiting record in, in
// the order they came.
func (r *recorder) setPaused(paused bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paused == paused {
		return false
	}
	r.paused = paused
	if paused {
		if r.clock != nil {
			r.clock.setPaused(true)
		}
		r.commit(Event{Kind: KindPause, Worker: -1})
		return true
	}
	e := r.commit(Event{Kind: KindResume, Worker: -1})
	if r.step != nil {
		r.step <- e
		r.step = nil
	}
	r.release()
	if r.clock != nil {
		r.clock.setPaused(false)
	}
	return true
}

// faulted reports whether the state model refused an event (see fault).
func (r *recorder) faulted() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fault != nil
}

// release commits every waiting record, in order. r.mu must be held. A
// commit may fault and release the rest itself.
func (r *recorder) release() {
	for len(r.pending) > 0 {
		w := r.pending[0]
		r.pending = r.pending[1:]
		r.commit(w.e)
		close(w.done)
	}
}

// detach stops the gate for good: the session is being replaced.
func (r *recorder) detach() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.detachLocked()
}

// detachLocked is detach with r.mu held.
func (r *recorder) detachLocked() {
	r.detached = true
	r.release()
	if r.step != nil {
		close(r.step) // the step's event will not come
		r.step = nil
	}
}

var errStepping = errors.New("a step is already under way; wait for its event")

// stepOnce lets exactly one more record into the log, pausing the world
// first if it runs. If a record is waiting it commits it and returns it
// (ok true). Otherwise it lets simulated time run until the next record,
// which then pauses the world again, and returns the channel that receives
// that event.
func (r *recorder) stepOnce() (e Event, ok bool, next <-chan Event, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.step != nil {
		return Event{}, false, nil, errStepping
	}
	if !r.paused {
		r.paused = true
		r.clock.setPaused(true)
		r.commit(Event{Kind: KindPause, Worker: -1})
	}
	if len(r.pending) > 0 {
		w := r.pending[0]
		r.pending = append(r.pending[:0], r.pending[1:]...)
		e := r.commit(w.e)
		close(w.done)
		return e, true, nil, nil
	}
	ch := make(chan Event, 1)
	r.step = ch
	r.clock.setPaused(false)
	return Event{}, false, ch, nil
}

// history returns the seqs of the earliest and the latest kept event
// (0, 0 before the first).
func (r *recorder) history() (first, last uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.head.seq == 0 {
		return 0, 0
	}
	return r.first, r.head.seq
}

// errSeq names a seq out of the kept range.
func (r *recorder) errSeq(name string, seq uint64) error {
	first, last := r.first, r.head.seq
	if last == 0 {
		return errors.New(name + ": got " + strconv.FormatUint(seq, 10) + "; the recording has no events yet")
	}
	return errors.New(name + ": got " + strconv.FormatUint(seq, 10) + "; want an integer from " +
		strconv.FormatUint(first, 10) + " to " + strconv.FormatUint(last, 10))
}

// stateAt makes dst the state right after event seq, from the nearest
// keyframe at or before seq. r.mu must be held; seq must be kept.
func (r *recorder) stateAt(dst *state, seq uint64) {
	// keys[i].seq = keys[0].seq + i*keyframeEvery
	i := int((seq - r.keys[0].seq) / keyframeEvery)
	dst.copyFrom(&r.keys[i])
	for s := dst.seq + 1; s <= seq; s++ {
		if err := dst.apply(r.event(s)); err != nil {
			panic("playground: replaying the log: " + err.Error())
		}
	}
}

// logFrom returns the kept events of the snapshot log that ends at seq.
// r.mu must be held.
func (r *recorder) logFrom(dst []Event, seq uint64) []Event {
	from := r.first
	if seq >= logSize && seq-logSize+1 > from {
		from = seq - logSize + 1
	}
	for s := from; s <= seq && s > 0; s++ {
		dst = append(dst, r.event(s))
	}
	return dst
}

// snapshotScratch is what a snapshot reuses from one call to the next, so
// that a snapshot on every animation frame allocates next to nothing.
type snapshotScratch struct {
	snap  Snapshot
	st    state
	log   []Event
	names *nameCache // nil for a one-off snapshot
}

// appendJSON appends the JSON of the snapshot last filled in, its log
// encoded from sc.log when sc.names is set (see state.fill).
func (sc *snapshotScratch) appendJSON(dst []byte) []byte {
	if sc.names == nil {
		return sc.snap.AppendJSON(dst)
	}
	return sc.snap.appendJSON(dst, sc.log)
}

// snapshot fills sc.snap with the state at the head of the log, as live:
// busy workers' progress is at the clock's time now rather than at the
// last event's.
func (r *recorder) snapshot(sc *snapshotScratch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.head.at
	if r.clock != nil && !r.detached {
		now = max(r.clock.now(), now)
	}
	sc.log = r.logFrom(sc.log[:0], r.head.seq)
	r.head.fill(&sc.snap, &r.cfg, now, sc.log, sc.names)
	if r.fault != nil {
		sc.snap.Phase = PhaseDone
		sc.snap.Err = "the run was stopped: the state model refused " + r.fault.Error()
	}
}

// snapshotAt fills sc.snap with the state right after event seq, or
// returns an error if seq is not kept.
func (r *recorder) snapshotAt(sc *snapshotScratch, seq uint64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.head.seq == 0 || seq < r.first || seq > r.head.seq {
		return r.errSeq("snapshotAt: seq", seq)
	}
	r.stateAt(&sc.st, seq)
	sc.log = r.logFrom(sc.log[:0], seq)
	sc.st.fill(&sc.snap, &r.cfg, sc.st.at, sc.log, sc.names)
	return nil
}

// appendEvents appends events from to to (inclusive) as a JSON array.
func (r *recorder) appendEvents(dst []byte, from, to uint64) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case from < r.first || from > r.head.seq:
		return dst, r.errSeq("events: from", from)
	case to < from || to > r.head.seq:
		return dst, errors.New("events: to: got " + strconv.FormatUint(to, 10) + "; want an integer from " +
			strconv.FormatUint(from, 10) + " to " + strconv.FormatUint(r.head.seq, 10))
	case to-from+1 > MaxEvents:
		return dst, errors.New("events: got " + strconv.FormatUint(to-from+1, 10) + " events; want at most " + strconv.Itoa(MaxEvents))
	}
	enc := encoder{b: dst}
	enc.open('[')
	for s := from; s <= to; s++ {
		enc.elem()
		r.event(s).encode(&enc)
	}
	enc.end(']')
	return enc.b, nil
}
