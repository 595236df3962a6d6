package playground

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
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
// goroutine reads the results. Every goroutine reports its steps to the
// state model under mu; snapshot reads it.
type session struct {
	cfg     Config
	clock   *clock
	began   time.Time // real start time, for the log's timestamps
	pipe    *pipeline.Pipeline[*token, struct{}]
	ctx     context.Context                  // the pipeline's context: done on cancel, and released once the session is done
	cancel  context.CancelFunc               // cancels ctx; called by cancelRun and by the last goroutine to exit
	jobs    chan<- pipeline.Job[*token]      // sent on and closed by the producer goroutine alone
	results <-chan pipeline.Result[struct{}] // closed by the pipeline; read to the end by the consumer goroutine
	// wake has room for one signal: submit and close put one in without
	// blocking, and the producer waits on it when its backlog is empty.
	wake chan struct{}

	// mu guards the state model below. The producer, the workers (through
	// the observer and the handler), the consumer and the API calls write
	// it; snapshot reads it. Nobody blocks while holding mu.
	mu            sync.Mutex
	phase         string            // one of the Phase constants
	ended         string            // "", EndedClose or EndedCancel: the last of close and cancel called
	submitted     int               // jobs ever submitted; the backlog is submitted - sent
	sent          int               // jobs sent on the jobs channel
	blocked       bool              // the producer is in a send of job sent+1
	closing       bool              // close was called: the producer closes jobs once its backlog is sent
	canceled      bool              // cancel was called
	jobsClosed    bool              // the producer closed the jobs channel
	resultsClosed bool              // the pipeline closed the results channel
	running       int               // of the producer, the consumer and the results channel's closing, those not yet over; 0 is done
	tokens        map[string]*token // jobs between the producer and the consumer, by ID
	emitSeq       uint64            // next token.seq
	workers       []workerModel
	paused        bool          // the consumer waits before taking the next result
	resume        chan struct{} // made on pause, closed on resume
	consumed      int           // results the consumer took
	last          string        // ID of the last result the consumer took
	log           logRing
}

// startSession starts the pipeline, the producer and the consumer.
func startSession(cfg Config, clk *clock, paused bool) *session {
	s := &session{
		cfg:     cfg,
		clock:   clk,
		began:   time.Now(),
		wake:    make(chan struct{}, 1),
		phase:   PhaseRunning,
		running: 3, // the producer, the consumer, and the pipeline's ResultsClosed event
		tokens:  make(map[string]*token),
		workers: make([]workerModel, cfg.Workers),
		paused:  paused,
		resume:  make(chan struct{}),
	}
	if !paused {
		close(s.resume)
	}
	opts := cfg.options()
	opts.Observer = s.observe
	s.pipe = pipeline.New(cfg.Workers, s.handle, opts)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.log.add(0, kindStart, "started "+strconv.Itoa(cfg.Workers)+" workers; jobs channel cap "+
		strconv.Itoa(cfg.JobBuffer)+", results channel cap "+strconv.Itoa(cfg.ResultBuffer))
	s.jobs, s.results = s.pipe.Start(s.ctx)
	go s.produce()
	go s.consume()
	return s
}

// logLocked adds a log entry; s.mu must be held.
func (s *session) logLocked(kind, text string) {
	s.log.add(time.Since(s.began).Milliseconds(), kind, text)
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
)

// submit adds n jobs to the producer's backlog and returns the backlog.
func (s *session) submit(n int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.canceled:
		return 0, errWasCancel
	case s.closing:
		return 0, errClosedJobs
	}
	backlog := s.submitted - s.sent + n
	if backlog > MaxBacklog {
		return 0, errors.New("backlog would be " + strconv.Itoa(backlog) +
			" jobs; the producer holds at most " + strconv.Itoa(MaxBacklog))
	}
	s.submitted += n
	s.logLocked(kindSubmit, "submitted "+plural(n, "job")+"; backlog "+strconv.Itoa(backlog))
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
	}
	s.closing = true
	s.ended = EndedClose
	s.phase = PhaseClosing
	s.logLocked(kindClose, "close: the producer will close the jobs channel after its backlog of "+
		plural(s.submitted-s.sent, "job"))
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
	case s.phase == PhaseDone:
		s.mu.Unlock()
		return errors.New("the pipeline is done; start a new pipeline")
	}
	s.canceled = true
	s.ended = EndedCancel
	s.phase = PhaseCanceled
	s.logLocked(kindCancel, "cancel: the pipeline's context is canceled")
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
	if s.phase == PhaseDone {
		return // the setting is kept for the snapshot; the log ends with done
	}
	if paused {
		s.logLocked(kindPause, "the consumer is paused")
	} else {
		s.logLocked(kindResume, "the consumer is resumed")
	}
}

// getPhase returns the phase.
func (s *session) getPhase() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.phase
}

// exitedLocked records that the producer or the consumer exited, or that
// the pipeline closed the results channel (its ResultsClosed event, which
// comes after every worker's WorkerExited); the last of the three ends the
// session. The consumer sees the results channel closed before the last
// worker has reported it, so without waiting for the event a done snapshot
// could show the results channel open. s.mu must be held.
func (s *session) exitedLocked() {
	s.running--
	if s.running > 0 {
		return
	}
	s.phase = PhaseDone
	s.logLocked(kindDone, "done ("+s.ended+"): the producer and the consumer exited")
	s.cancel() // release the context; nothing waits on it any more
}

// produce is the producer goroutine. It sends the backlog one job at a time,
// selecting on the context, and it alone closes the jobs channel: when
// close was called and the backlog is sent, or when the context is done.
func (s *session) produce() {
	defer func() {
		close(s.jobs)
		s.mu.Lock()
		s.jobsClosed = true
		s.logLocked(kindClosed, "the producer closed the jobs channel and exited")
		s.exitedLocked()
		s.mu.Unlock()
	}()
	for {
		tok, closing := s.next()
		if tok == nil {
			if closing {
				return
			}
			select {
			case <-s.wake:
				continue
			case <-s.ctx.Done():
				return
			}
		}
		job := pipeline.Job[*token]{ID: tok.id, Payload: tok, Timeout: s.timeout()}
		select {
		case s.jobs <- job:
			s.sentJob(tok)
		case <-s.ctx.Done():
			s.dropJob(tok)
			return
		}
	}
}

// next returns the next job to send, or nil and whether the producer should
// close the jobs channel now (its backlog is empty and close was called).
func (s *session) next() (tok *token, closing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.canceled {
		return nil, false
	}
	if s.submitted == s.sent {
		return nil, s.closing
	}
	n := s.sent + 1
	tok = &token{n: n, id: jobID(n), stage: stageSending, started: -1}
	tok.work = ms(s.cfg.WorkMs)
	if s.cfg.JitterMs > 0 {
		tok.work += ms(rand.Float64() * s.cfg.JitterMs)
	}
	tok.panics = s.cfg.PanicRate > 0 && rand.Float64() < s.cfg.PanicRate
	tok.fails = !tok.panics && s.cfg.FailRate > 0 && rand.Float64() < s.cfg.FailRate
	s.tokens[tok.id] = tok
	s.blocked = true
	return tok, false
}

// timeout is the real-time Job.Timeout for timeoutMs at the current speed.
func (s *session) timeout() time.Duration {
	if s.cfg.TimeoutMs == 0 {
		return 0
	}
	return max(s.clock.realDuration(ms(s.cfg.TimeoutMs)), 1)
}

func (s *session) sentJob(tok *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent++
	s.blocked = false
	s.advance(tok, stageJobs)
	s.logLocked(kindSent, "the producer sent "+tok.id)
}

func (s *session) dropJob(tok *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked = false
	delete(s.tokens, tok.id)
	s.logLocked(kindDropped, "the producer dropped "+tok.id+": the context is canceled")
}

// advance moves tok forward to stage to, unless it is already there or
// beyond, or has left the model. s.mu must be held.
func (s *session) advance(tok *token, to stage) bool {
	if tok == nil || s.tokens[tok.id] != tok || tok.stage >= to {
		return false
	}
	tok.stage = to
	return true
}

// consume is the consumer goroutine: it reads the results channel until the
// pipeline closes it. It waits while paused and spends consumerDelayMs on
// each result; once the context is done it does neither and only drains.
func (s *session) consume() {
	defer func() {
		s.mu.Lock()
		s.exitedLocked()
		s.mu.Unlock()
	}()
	delay := ms(s.cfg.ConsumerDelayMs)
	for {
		s.waitWhilePaused()
		r, ok := <-s.results
		if !ok {
			return
		}
		s.took(r)
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

func (s *session) took(r pipeline.Result[struct{}]) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consumed++
	s.last = r.JobID
	delete(s.tokens, r.JobID)
	text := "the consumer took " + r.JobID
	if r.Err != nil {
		text += " (failed)"
	}
	s.logLocked(kindConsumed, text)
}

// handle is the simulated handler: it waits for the job's simulated time,
// honouring ctx (the pipeline's cancellation and the job's timeout), then
// panics, fails or succeeds as the job's plan says.
func (s *session) handle(ctx context.Context, tok *token) (struct{}, error) {
	now := s.clock.now()
	s.mu.Lock()
	tok.started = now
	s.mu.Unlock()
	if err := s.clock.sleep(ctx, tok.work); err != nil {
		return struct{}{}, err
	}
	switch {
	case tok.panics:
		panic("simulated panic in " + tok.id)
	case tok.fails:
		return struct{}{}, errors.New("simulated failure in " + tok.id)
	}
	return struct{}{}, nil
}

// observe is the pipeline's Observer: it moves workers and tokens in the
// model and logs the event.
func (s *session) observe(e pipeline.Event) {
	text := eventText(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logLocked(e.Kind.String(), text)
	if e.Kind == pipeline.ResultsClosed {
		s.resultsClosed = true
		s.exitedLocked()
		return
	}
	w := &s.workers[e.Worker]
	switch e.Kind {
	case pipeline.WorkerStarted:
		w.state = pipeline.Idle
	case pipeline.JobTaken:
		w.state = pipeline.Busy
		w.job = s.tokens[e.JobID]
		s.advance(w.job, stageWorker)
	case pipeline.HandlerFinished:
		if e.Outcome != pipeline.Canceled {
			w.state = pipeline.Blocked
		}
	case pipeline.ResultEmitted:
		if s.advance(w.job, stageResults) {
			w.job.seq = s.emitSeq
			s.emitSeq++
		}
		w.state, w.job = pipeline.Idle, nil
	case pipeline.ResultAbandoned:
		delete(s.tokens, e.JobID)
		w.state, w.job = pipeline.Idle, nil
	case pipeline.WorkerExited:
		w.state, w.job = pipeline.Exited, nil
	}
}

// ms converts simulated milliseconds to a Duration.
func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

// plural returns "1 job" or "n jobs".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
