package playground

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// state is the state model of one session right after one event: what the
// page draws. It changes only by apply, so the state at any event is a pure
// function of the events before it (and of the config, for the number of
// workers and the jobs' plans). The recorder keeps the state at the head of
// the log and copies of it every keyframeEvery events.
type state struct {
	seq   uint64        // the last event applied; 0 before the first
	at    time.Duration // its simulated time
	speed float64       // the last speed recorded

	started        bool // a KindStart event was applied
	closing        bool // close was called
	canceled       bool // cancel was called
	ended          string
	jobsClosed     bool // the producer closed the jobs channel (and exited)
	resultsClosed  bool // the last worker closed the results channel
	consumerExited bool
	consumerPaused bool
	paused         bool // the world is paused (pause without resume)
	done           bool // the KindDone event was applied

	submitted, sent, consumed int32 // jobs submitted, sent, results consumed
	last                      int32 // the last job consumed; 0 before
	liveWorkers               int16 // workers started and not exited
	counters                  Counters
	// endArg and errJob are the KindResultsClosed event's Arg and Job: the
	// pipeline's Err() (see errText) and Stats.Dropped; 0 before.
	endArg int64
	errJob int32

	workers   []workerState
	inJobs    []int32 // job numbers in the jobs channel, first out first
	inResults []int32 // job numbers in the results channel, first out first
}

// workerState is one worker in the state model.
type workerState struct {
	since time.Duration // when it took its job
	job   int32         // the job it runs or holds; 0 when idle or exited
	early int32         // the job whose result the consumer took before this worker recorded emitting it
	state pipeline.WorkerState
	// turn is set while the worker, blocked, waits for its result's turn
	// (ordered): from KindTurnAwaited until it emits or abandons the result.
	turn bool
}

// newState returns the state before the first event of a session with
// workers workers.
func newState(workers int) state {
	return state{workers: make([]workerState, workers), speed: 1}
}

// copyFrom makes s a deep copy of o, reusing s's memory.
func (s *state) copyFrom(o *state) {
	workers, inJobs, inResults := s.workers, s.inJobs, s.inResults
	*s = *o
	s.workers = append(workers[:0], o.workers...)
	s.inJobs = append(inJobs[:0], o.inJobs...)
	s.inResults = append(inResults[:0], o.inResults...)
}

// phase is the session's phase in this state.
func (s *state) phase() string {
	switch {
	case !s.started:
		return PhaseIdle
	case s.jobsClosed && s.resultsClosed && s.consumerExited:
		return PhaseDone
	case s.canceled:
		return PhaseCanceled
	case s.closing:
		return PhaseClosing
	}
	return PhaseRunning
}

// goroutines counts the session's goroutines alive in this state: the
// producer, the consumer and the workers started and not exited.
func (s *state) goroutines() int {
	n := int(s.liveWorkers)
	if s.started && !s.jobsClosed {
		n++
	}
	if s.started && !s.consumerExited {
		n++
	}
	return n
}

// badEvent is apply's error for an event the state does not allow.
func badEvent(e Event, why string) error {
	return errors.New("event " + strconv.FormatUint(e.Seq, 10) + " (" + e.Kind.String() + "): " + why)
}

// apply moves s on by e, or returns an error naming what is wrong with e
// and leaves s as it was. Live sessions only record events that apply;
// recordings loaded from outside are checked with it event by event.
//
// Different goroutines record what happened on both ends of a channel, so
// the two records may come in either order; apply accepts both and keeps
// the state consistent: a worker taking job n before the producer recorded
// sending it means the producer sent it (and the later KindSent changes
// nothing); the consumer taking a result before its worker recorded
// emitting it means the worker emitted it. Likewise two workers' records of
// taking (or emitting) may come in another order than their channel
// operations, so a job leaves a channel's list wherever it is in it.
func (s *state) apply(e Event) error {
	if e.Seq != s.seq+1 {
		return badEvent(e, "sequence number "+strconv.FormatUint(e.Seq, 10)+" after "+strconv.FormatUint(s.seq, 10)+"; want "+strconv.FormatUint(s.seq+1, 10))
	}
	if e.At < s.at {
		return badEvent(e, "time goes back")
	}
	if !s.started && e.Kind != KindStart {
		return badEvent(e, "want a start event first")
	}
	var w *workerState
	switch e.Kind {
	case KindWorkerStarted, KindTaken, KindFinished, KindEmitted, KindAbandoned, KindWorkerExited, KindTurnAwaited:
		if e.Worker < 0 || int(e.Worker) >= len(s.workers) {
			return badEvent(e, "worker "+strconv.Itoa(int(e.Worker))+" out of range")
		}
		w = &s.workers[e.Worker]
	}
	n := e.Job
	switch e.Kind {
	case KindStart:
		if s.started {
			return badEvent(e, "a second start")
		}
		if sp := e.speed(); !(sp >= MinSpeed && sp <= MaxSpeed) {
			return badEvent(e, "speed out of range")
		}
		s.started, s.speed = true, e.speed()
	case KindSpeed:
		if sp := e.speed(); !(sp >= MinSpeed && sp <= MaxSpeed) {
			return badEvent(e, "speed out of range")
		}
		s.speed = e.speed()
	case KindSubmit:
		// The backlog bound is the session's to check: the log's sent may
		// lag the producer's.
		if e.Arg < 1 || e.Arg > MaxSubmit || int64(s.submitted)+e.Arg > math.MaxInt32 {
			return badEvent(e, "submit count out of range")
		}
		s.submitted += int32(e.Arg)
	case KindSent:
		switch {
		case n >= 1 && n <= s.sent: // a worker took it first
		case n == s.sent+1 && n <= s.submitted && !s.jobsClosed:
			s.sent = n
			s.inJobs = append(s.inJobs, n)
		default:
			return badEvent(e, "job "+strconv.Itoa(int(n))+" is not the producer's next job")
		}
	case KindDropped:
		if n != s.sent+1 || n > s.submitted {
			return badEvent(e, "job "+strconv.Itoa(int(n))+" is not the producer's next job")
		}
	case KindClose:
		s.closing, s.ended = true, EndedClose
	case KindCancel:
		s.canceled, s.ended = true, EndedCancel
	case KindJobsClosed:
		s.jobsClosed = true
	case KindWorkerStarted:
		if w.state != pipeline.Idle || w.job != 0 || int(s.liveWorkers) >= len(s.workers) {
			return badEvent(e, "worker already running")
		}
		s.liveWorkers++
	case KindTaken:
		if w.state != pipeline.Idle || w.job != 0 || w.early != 0 {
			return badEvent(e, "worker not idle")
		}
		if i := slices.Index(s.inJobs, n); i >= 0 {
			s.inJobs = slices.Delete(s.inJobs, i, i+1)
		} else if n == s.sent+1 && n <= s.submitted {
			s.sent = n // taken before the producer recorded the send
		} else {
			return badEvent(e, "job "+strconv.Itoa(int(n))+" is not in the jobs channel")
		}
		*w = workerState{since: e.At, job: n, state: pipeline.Busy}
		s.counters.Received++
	case KindFinished:
		if w.state != pipeline.Busy || w.job != n {
			return badEvent(e, "worker is not running job "+strconv.Itoa(int(n)))
		}
		switch pipeline.Outcome(e.Arg & 0xff) {
		case pipeline.Succeeded:
			s.counters.Succeeded++
		case pipeline.Failed:
			s.counters.Failed++
		case pipeline.Canceled:
			s.counters.Canceled++
		default:
			return badEvent(e, "unknown outcome")
		}
		if pipeline.Outcome(e.Arg&0xff) != pipeline.Canceled {
			w.state = pipeline.Blocked
		} else {
			w.state = pipeline.Idle // it keeps the job until it records abandoning it
		}
	case KindEmitted:
		switch {
		case w.state == pipeline.Blocked && w.job == n:
			s.inResults = append(s.inResults, n)
			s.counters.Emitted++
			*w = workerState{state: pipeline.Idle}
		case w.state == pipeline.Idle && w.early == n && n != 0: // the consumer took it first
			w.early = 0
		default:
			return badEvent(e, "worker does not hold job "+strconv.Itoa(int(n))+"'s result")
		}
	case KindAbandoned:
		if w.job != n || n == 0 || w.state == pipeline.Exited {
			return badEvent(e, "worker does not hold job "+strconv.Itoa(int(n)))
		}
		*w = workerState{state: pipeline.Idle}
	case KindWorkerExited:
		if w.state == pipeline.Exited {
			return badEvent(e, "worker already exited")
		}
		if s.liveWorkers < 1 {
			return badEvent(e, "no worker is running")
		}
		*w = workerState{state: pipeline.Exited}
		s.liveWorkers--
	case KindTurnAwaited:
		switch {
		case n == 0:
			return badEvent(e, "no job")
		case w.state == pipeline.Blocked && w.job == n:
			w.turn = true
		case w.early == n || w.job != n:
			// The library reports the wait after the worker has parked, so
			// the worker before it may already have handed the result over
			// (Emitted, or the consumer's take, recorded first): the turn
			// came, and there is nothing left to wait for.
		default:
			return badEvent(e, "worker does not hold job "+strconv.Itoa(int(n))+"'s result")
		}
	case KindResultsClosed:
		code, dropped := e.Arg&0xff, e.Arg>>8
		switch {
		case s.resultsClosed:
			return badEvent(e, "the results channel is already closed")
		// Against submitted, not sent: the producer may record a send after
		// the job it paired with was dropped and the results channel closed.
		case e.Arg < 0 || code >= errEnd || dropped > int64(s.submitted):
			return badEvent(e, "err code or dropped count out of range")
		case code > errFailed && (n < 1 || n > s.submitted):
			return badEvent(e, "job "+strconv.Itoa(int(n))+" was never sent")
		case code <= errFailed && n != 0:
			return badEvent(e, "a job without a failure")
		}
		s.resultsClosed, s.endArg, s.errJob = true, e.Arg, n
	case KindConsumed:
		if i := slices.Index(s.inResults, n); i >= 0 {
			s.inResults = slices.Delete(s.inResults, i, i+1)
		} else if j := s.holder(n); j >= 0 && s.workers[j].state == pipeline.Blocked {
			s.workers[j] = workerState{state: pipeline.Idle, early: n} // emitted, not yet recorded
			s.counters.Emitted++
		} else {
			return badEvent(e, "job "+strconv.Itoa(int(n))+"'s result is not in the results channel")
		}
		s.consumed++
		s.last = n
	case KindConsumerExited:
		s.consumerExited = true
	case KindConsumerPaused:
		s.consumerPaused = true
	case KindConsumerResumed:
		s.consumerPaused = false
	case KindPause:
		s.paused = true
	case KindResume:
		s.paused = false
	case KindDone:
		if s.done || s.phase() != PhaseDone {
			return badEvent(e, "the session is not done")
		}
		s.done = true
	default:
		return badEvent(e, "unknown kind")
	}
	s.seq, s.at = e.Seq, e.At
	return nil
}

// queued returns the jobs in the jobs channel at this moment, and pending
// the results in the results channel: of those recorded sent (emitted) and
// not yet recorded taken (consumed), the newest cap. A take is recorded
// after it happened, so the log may show more sends than the channel holds
// while the workers that took the oldest jobs (or the consumer that took
// the oldest results) have not recorded it yet: on one thread, as in the
// browser, the producer hands a job to every parked worker before any of
// them runs. Those are in hand-over, in no channel: a channel's len never
// exceeds its cap.
func (s *state) queued(cfg *Config) []int32 { return newest(s.inJobs, cfg.JobBuffer) }

func (s *state) pending(cfg *Config) []int32 { return newest(s.inResults, cfg.ResultBuffer) }

func newest(ids []int32, n int) []int32 { return ids[max(0, len(ids)-n):] }

// holder returns the worker that holds job n, or -1.
func (s *state) holder(n int32) int {
	for i := range s.workers {
		if s.workers[i].job == n {
			return i
		}
	}
	return -1
}

// fill writes the state into snap as the snapshot at simulated time now
// (for the workers' progress), reusing snap's slices; log is the events
// for its log, oldest first. Names come from nc, so that a snapshot on
// every frame makes next to no new strings.
func (s *state) fill(snap *Snapshot, cfg *Config, now time.Duration, log []Event, nc *nameCache) {
	queued, pending := s.queued(cfg), s.pending(cfg)
	*snap = Snapshot{
		Phase:  s.phase(),
		Ended:  s.ended,
		Config: *cfg,
		Speed:  s.speed,
		Paused: s.paused,
		Seq:    s.seq,
		Producer: Producer{
			Backlog: int(s.submitted - s.sent),
			Blocked: s.submitted > s.sent && !s.jobsClosed && !s.canceled,
			Sent:    int(s.sent),
			Closed:  s.jobsClosed,
			Waiting: snap.Producer.Waiting[:0],
		},
		Jobs:     Channel{Len: len(queued), Cap: cfg.JobBuffer, Closed: s.jobsClosed, IDs: snap.Jobs.IDs[:0]},
		Workers:  snap.Workers[:0],
		Results:  Channel{Len: len(pending), Cap: cfg.ResultBuffer, Closed: s.resultsClosed, IDs: snap.Results.IDs[:0]},
		Consumer: Consumer{Paused: s.consumerPaused, Consumed: int(s.consumed)},
		Counters: s.counters,
		Err:      s.err(cfg),
		Gauges:   Gauges{Queued: len(queued), Pending: len(pending)},
		Log:      snap.Log[:0],
	}
	ownLog := nc == nil
	if nc == nil {
		nc = new(nameCache)
	}
	// Every job number the snapshot names, in the order used below, so
	// that nc makes their IDs in one go.
	waiting := min(snap.Producer.Backlog, maxWaiting)
	nums := nc.nums[:0]
	if s.last > 0 {
		nums = append(nums, s.last)
	}
	for i := range waiting {
		nums = append(nums, s.sent+1+int32(i))
	}
	nums = append(nums, queued...)
	nums = append(nums, pending...)
	for _, w := range s.workers {
		if w.job != 0 && w.state != pipeline.Idle {
			nums = append(nums, w.job)
		}
	}
	ids := nc.jobIDs(nums)
	if s.last > 0 {
		snap.Consumer.Last, ids = ids[0], ids[1:]
	}
	snap.Producer.Waiting = append(snap.Producer.Waiting, ids[:waiting]...)
	ids = ids[waiting:]
	snap.Jobs.IDs = append(snap.Jobs.IDs, ids[:len(queued)]...)
	ids = ids[len(queued):]
	snap.Results.IDs = append(snap.Results.IDs, ids[:len(pending)]...)
	ids = ids[len(pending):]
	for i, w := range s.workers {
		snap.Workers = append(snap.Workers, Worker{ID: i, State: w.state.String(), Turn: w.turn})
		if w.state == pipeline.Busy {
			snap.Gauges.Busy++
		}
		if w.job != 0 && w.state != pipeline.Idle {
			snap.Workers[i].Job, ids = ids[0], ids[1:]
			snap.Workers[i].Progress = progress(w, planFor(cfg, int(w.job)).work, now)
		}
	}
	snap.Counters.Dropped = uint64(s.endArg >> 8)
	snap.Goroutines = s.goroutines()
	if ownLog {
		// A one-off snapshot (nc == nil) holds its log entries; the reused
		// scratch is only encoded, from the events themselves, by
		// snapshotScratch.appendJSON.
		for _, e := range log {
			snap.Log = append(snap.Log, e.logEntry())
		}
	}
}

// err is the pipeline's Err() once the results channel closed: "" before,
// and "" when it was nil (a drain).
func (s *state) err(cfg *Config) string {
	if !s.resultsClosed {
		return ""
	}
	return errText(s.endArg, s.errJob, cfg)
}

// progress is how far w's job of work is, from 0 to 1, at simulated time now.
func progress(w workerState, work, now time.Duration) float64 {
	switch {
	case w.state == pipeline.Blocked:
		return 1
	case w.state != pipeline.Busy:
		return 0
	case work <= 0:
		return 1
	}
	p := min(max(float64(now-w.since)/float64(work), 0), 1)
	return math.Round(p*1000) / 1000 // enough for a progress bar, and shorter in JSON
}

// logEntry returns e's entry in a snapshot's log.
func (e Event) logEntry() LogEntry {
	return LogEntry{Seq: e.Seq, Ms: e.At.Milliseconds(), Kind: e.Kind.String(), Text: e.Text()}
}
