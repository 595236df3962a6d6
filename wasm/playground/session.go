package playground

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// The phases of a session, as the snapshot names them.
const (
	PhaseIdle     = "idle"     // no session was ever started
	PhaseRunning  = "running"  // started; neither closed nor canceled
	PhaseClosing  = "closing"  // close was called; the pipeline is draining
	PhaseCanceled = "canceled" // cancel was called; goroutines are exiting
	PhaseDone     = "done"     // the results channel closed and the producer and consumer exited
)

// How a session ended, as the snapshot's Ended names it.
const (
	EndedClose  = "close"
	EndedCancel = "cancel"
)

// session is one pipeline run: the pipeline's N workers run the simulated
// handler, a producer goroutine sends the submitted jobs and a consumer
// goroutine reads the results. Every goroutine reports each step to the
// session's recorder, whose log is the state model; the session itself
// keeps only what its goroutines need to decide what to do next.
type session struct {
	cfg     Config
	clock   *clock
	rec     *recorder
	pipe    *pipeline.Pipeline[int, int]
	ctx     context.Context             // the pipeline's context: done on cancel, and released once the session is done
	cancel  context.CancelFunc          // cancels ctx; called by cancelRun and by the last goroutine to exit
	jobs    chan<- pipeline.Job[int]    // sent on and closed by the producer goroutine alone
	results <-chan pipeline.Result[int] // closed by the pipeline; read to the end by the consumer goroutine
	// wake has room for one signal: submit and close put one in without
	// blocking, and the producer waits on it when its backlog is empty.
	wake chan struct{}

	// mu guards the fields below: the producer's and the consumer's
	// controls. Nobody waits while holding it; it may be held while
	// calling rec.recordNow (never rec.record, which may wait).
	mu        sync.Mutex
	submitted int           // jobs ever submitted; the backlog is submitted - sent
	sent      int           // jobs the producer sent
	closing   bool          // close was called: the producer closes jobs once its backlog is sent
	canceled  bool          // cancel was called
	paused    bool          // the consumer waits before taking the next result
	resume    chan struct{} // made on pauseConsumer(true), closed on pauseConsumer(false)
}

// startSession starts the pipeline, the producer and the consumer. cfg.Seed
// must be set. If worldPaused, the session starts paused: its goroutines
// wait at the recorder's gate.
func startSession(cfg Config, clk *clock, consumerPaused, worldPaused bool) *session {
	s := &session{
		cfg:    cfg,
		clock:  clk,
		rec:    newRecorder(cfg, clk),
		wake:   make(chan struct{}, 1),
		paused: consumerPaused,
		resume: make(chan struct{}),
	}
	if !consumerPaused {
		close(s.resume)
	}
	s.rec.recordNow(Event{Kind: KindStart, Worker: -1, Arg: speedArg(clk.Speed())})
	if consumerPaused {
		s.rec.recordNow(Event{Kind: KindConsumerPaused, Worker: -1})
	}
	if worldPaused {
		s.rec.setPaused(true)
	}
	opts := cfg.options()
	opts.Observer = s.observe
	opts.Clock = clk
	s.pipe = pipeline.New(cfg.Workers, s.handle, opts)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.rec.stop = s.cancel
	s.jobs, s.results = s.pipe.Start(s.ctx)
	go s.produce()
	go s.consume()
	return s
}

// record records e for a session goroutine (waiting while the world is
// paused), and releases the context once the session is done.
func (s *session) record(e Event) {
	s.rec.record(e)
	switch e.Kind {
	case KindJobsClosed, KindConsumerExited, KindResultsClosed:
		if s.phase() == PhaseDone {
			s.cancel() // nothing waits on the context any more
		}
	}
}

// phase returns the phase at the head of the log: done once the recorder
// stopped the run at a fault.
func (s *session) phase() string {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if s.rec.fault != nil {
		return PhaseDone
	}
	return s.rec.head.phase()
}

// poke wakes the producer if it waits for work.
func (s *session) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

var (
	errClosedJobs = errors.New("the jobs channel is closed; start a new pipeline")
	errWasCancel  = errors.New("the pipeline was canceled; start a new pipeline")
	errFailFast   = errors.New("the pipeline stopped at its first failure (failFast); start a new pipeline")
	errDone       = errors.New("the pipeline is done; start a new pipeline")
)

// stopped reports whether the pipeline stopped early by itself: with
// failFast, at its first failure. (The pipeline's Done also closes on
// cancel, and once it is done; the callers check those first.)
func (s *session) stopped() bool {
	select {
	case <-s.pipe.Done():
		return true
	default:
		return false
	}
}

// submit adds n jobs to the producer's backlog and returns the backlog.
func (s *session) submit(n int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.canceled:
		return 0, errWasCancel
	case s.closing:
		return 0, errClosedJobs
	case s.rec.faulted():
		return 0, errDone
	case s.stopped():
		return 0, errFailFast
	}
	backlog := s.submitted - s.sent + n
	if backlog > MaxBacklog {
		return 0, errors.New("backlog would be " + strconv.Itoa(backlog) +
			" jobs; the producer holds at most " + strconv.Itoa(MaxBacklog))
	}
	s.submitted += n
	s.rec.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: int64(n)})
	s.poke()
	return backlog, nil
}

// close asks the producer to send its backlog and close the jobs channel.
func (s *session) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.canceled:
		return errWasCancel
	case s.closing:
		return errors.New("already closed")
	case s.rec.faulted():
		return errDone
	case s.stopped():
		return errFailFast
	}
	s.closing = true
	s.rec.recordNow(Event{Kind: KindClose, Worker: -1})
	s.poke()
	return nil
}

// cancelRun cancels the pipeline's context.
func (s *session) cancelRun() error {
	s.mu.Lock()
	switch {
	case s.canceled:
		s.mu.Unlock()
		return errors.New("already canceled")
	case s.phase() == PhaseDone:
		s.mu.Unlock()
		return errDone
	}
	s.canceled = true
	s.rec.recordNow(Event{Kind: KindCancel, Worker: -1})
	s.mu.Unlock()
	s.cancel()
	return nil
}

// setPaused pauses or resumes the consumer.
func (s *session) setPaused(paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paused == paused {
		return
	}
	s.paused = paused
	if paused {
		s.resume = make(chan struct{})
	} else {
		close(s.resume)
	}
	if s.phase() == PhaseDone {
		return // the log ends with the session
	}
	kind := KindConsumerResumed
	if paused {
		kind = KindConsumerPaused
	}
	s.rec.recordNow(Event{Kind: kind, Worker: -1})
}

// produce is the producer goroutine. It sends the backlog one job at a time,
// selecting on the pipeline's Done, and it alone closes the jobs channel:
// when close was called and the backlog is sent, or when the pipeline
// stopped early (cancel, or with failFast the first failure).
// It records the close before closing, so that no worker's exit is ever
// recorded while the log still shows the jobs channel open.
func (s *session) produce() {
	defer func() {
		s.record(Event{Kind: KindJobsClosed, Worker: -1})
		close(s.jobs)
	}()
	for {
		n, closing := s.next()
		if n == 0 {
			if closing {
				return
			}
			select {
			case <-s.wake:
				continue
			case <-s.ctx.Done():
				return
			case <-s.pipe.Done(): // a fail-fast stop
				return
			}
		}
		job := pipeline.Job[int]{ID: jobID(n), Payload: n}
		job.Timeout = jobTimeout(&s.cfg)
		select {
		case s.jobs <- job:
			s.sentJob()
			s.record(Event{Kind: KindSent, Worker: -1, Job: int32(n)})
		case <-s.pipe.Done(): // cancel, or a fail-fast stop (which leaves s.ctx alone)
			s.record(Event{Kind: KindDropped, Worker: -1, Job: int32(n)})
			return
		}
	}
}

// next returns the number of the next job to send, or 0 and whether the
// producer should close the jobs channel now (its backlog is empty and
// close was called).
func (s *session) next() (n int, closing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.canceled {
		return 0, false
	}
	if s.submitted == s.sent {
		return 0, s.closing
	}
	return s.sent + 1, false
}

// sentJob counts a job the producer sent.
func (s *session) sentJob() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent++
}

// consume is the consumer goroutine: it reads the results channel until the
// pipeline closes it. It waits while paused and spends consumerDelayMs on
// each result; once the context is done it does neither and only drains.
func (s *session) consume() {
	defer s.record(Event{Kind: KindConsumerExited, Worker: -1})
	delay := ms(s.cfg.ConsumerDelayMs)
	for {
		s.waitWhilePaused()
		r, ok := <-s.results
		if !ok {
			return
		}
		e := Event{Kind: KindConsumed, Worker: -1, Job: int32(jobNumber(r.JobID))}
		if r.Err != nil {
			e.Arg = 1
		}
		s.record(e)
		if delay > 0 {
			s.clock.sleep(s.ctx, delay) // returns early on cancel
		}
	}
}

// waitWhilePaused returns once the consumer is not paused or the context is
// done.
func (s *session) waitWhilePaused() {
	for {
		s.mu.Lock()
		paused, resume := s.paused, s.resume
		s.mu.Unlock()
		if !paused {
			return
		}
		select {
		case <-resume:
		case <-s.ctx.Done():
			return
		}
	}
}

// handle is the simulated handler: it waits for job n's simulated time,
// honouring ctx (the pipeline's cancellation and the job's timeout), then
// panics, fails or succeeds as the job's plan says.
func (s *session) handle(ctx context.Context, n int) (int, error) {
	p := planFor(&s.cfg, n)
	if err := s.clock.sleep(ctx, p.work); err != nil {
		return n, err
	}
	switch {
	case p.panics:
		panic(simulated{"panic", n})
	case p.fails:
		return n, simulated{"failure", n}
	}
	return n, nil
}

// jobTimeout is the Job.Timeout the producer gives each job; 0 for none.
func jobTimeout(cfg *Config) time.Duration {
	if cfg.TimeoutMs <= 0 {
		return 0
	}
	return max(ms(cfg.TimeoutMs), 1) // simulated: measured on the clock
}

// observe is the pipeline's Observer: it records each worker event.
func (s *session) observe(pe pipeline.Event) {
	e := Event{Worker: int16(pe.Worker), Job: int32(jobNumber(pe.JobID))}
	switch pe.Kind {
	case pipeline.WorkerStarted:
		e.Kind = KindWorkerStarted
	case pipeline.JobTaken:
		e.Kind = KindTaken
	case pipeline.HandlerFinished:
		e.Kind = KindFinished
		e.Arg = int64(pe.Outcome) | int64(reason(pe))<<8
	case pipeline.ResultEmitted:
		e.Kind = KindEmitted
	case pipeline.ResultAbandoned:
		e.Kind = KindAbandoned
	case pipeline.WorkerExited:
		e.Kind = KindWorkerExited
	case pipeline.TurnAwaited:
		e.Kind = KindTurnAwaited
	case pipeline.ResultsClosed:
		e.Kind, e.Worker = KindResultsClosed, -1
		e.Arg, e.Job = s.endErr()
	default:
		return
	}
	s.record(e)
}

// reason says why a job failed.
func reason(pe pipeline.Event) int {
	if pe.Outcome != pipeline.Failed {
		return reasonNone
	}
	var te *pipeline.TimeoutError
	switch {
	case errors.As(pe.Err, &te):
		return reasonTimeout
	case errors.Is(pe.Err, pipeline.ErrPanic):
		return reasonPanic
	}
	return reasonError
}

// jobID returns "job-<n>".
func jobID(n int) string { return "job-" + strconv.Itoa(n) }

// jobNumber returns n for "job-<n>", and 0 for anything else.
func jobNumber(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "job-"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// plural returns "1 job" or "n jobs".
func plural(n int, what string) string { return string(appendPlural(nil, n, what)) }

// appendPlural appends plural(n, what) to b.
func appendPlural(b []byte, n int, what string) []byte {
	b = append(strconv.AppendInt(b, int64(n), 10), ' ')
	b = append(b, what...)
	if n != 1 {
		b = append(b, 's')
	}
	return b
}
