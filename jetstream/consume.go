package jetstream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"
)

// Stats counts what one Consume call did with the messages it pulled. Consume
// returns it when it returns; by then every message pulled is counted once in
// Acked, Naked or Termed, except a redelivery of a message still in hand
// (settled with the copy in hand) and a settlement the broker's connection
// failed to send (the broker redelivers those).
type Stats struct {
	// Pulled counts messages received from the consumer.
	Pulled uint64
	// Acked counts messages acknowledged after their result was stored.
	Acked uint64
	// Naked counts messages negatively acknowledged: failed jobs and jobs
	// whose result was not stored, with a delay, and jobs given back at
	// shutdown at once.
	Naked uint64
	// Termed counts messages terminated: payloads Decode rejected (or
	// panicked on), and jobs that failed MaxDeliver times.
	Termed uint64
	// Duplicates counts results the results stream reported as duplicates
	// (a redelivered job whose first result was already stored).
	Duplicates uint64
	// PeakInHand is the most messages this call held at once; it never
	// exceeds Options.InHand.
	PeakInHand int
}

// counters are Stats while Consume runs; each is written by the goroutine
// that finishes the message, read once at the end.
type counters struct {
	pulled, acked, naked, termed, duplicates atomic.Uint64
}

// ResultID is the Nats-Msg-Id of the result of the job made from message
// sequence seq of stream: the same for every delivery of that message, so
// that the results stream keeps one result per job.
func ResultID(stream string, seq uint64) string {
	return stream + "." + strconv.FormatUint(seq, 10)
}

// errDrainTimeout is the cause with which Consume cancels the pipeline's
// context once DrainTimeout has run out.
var errDrainTimeout = errors.New("jetstream: DrainTimeout ran out")

// Header names set on every result message, besides Nats-Msg-Id.
const (
	// HeaderStream names the stream of the job's message.
	HeaderStream = "Goflow-Stream"
	// HeaderJob is the job's ID: the stream sequence of its message.
	HeaderJob = "Goflow-Job"
)

// Consume feeds the messages of the durable consumer cons through p until ctx
// is done, publishing each result to opts.ResultSubject through js; see the
// package doc for backpressure and the delivery guarantees. It runs p (with
// Pipeline.Run), so p must not have been started.
//
// Once ctx is done Consume stops pulling, gives back at once what it had
// pulled but not handed to the pipeline, lets the pipeline drain for up to
// opts.DrainTimeout, then cancels it and gives back every job left; it
// returns when every message it pulled is settled. It returns a nil error
// after a shutdown by ctx and an error naming the field for bad opts. It
// also returns, settling everything the same way, when pulling fails for good
// (the connection closed, the consumer deleted: the broker's error) and when
// the pipeline stops on its own (Options.FailFast: an error wrapping
// Pipeline.Err, the first failing job's error); the failing job itself is
// given back with a delay or terminated, like any failure.
//
// Consume reads cons.CachedInfo once, at the start, for the consumer's
// AckWait and MaxDeliver. nats.go's Consumer.Info updates that cache without
// a lock, so sample the consumer's info through another handle (from
// JetStream.Consumer) while Consume runs.
//
// Consume panics, with a message that starts with "jetstream:", if ctx, js,
// cons or p is nil.
func Consume[T, R any](ctx context.Context, js natsjs.JetStream, cons natsjs.Consumer, p *pipeline.Pipeline[T, R], opts Options[T, R]) (Stats, error) {
	switch {
	case ctx == nil:
		panic("jetstream: Consume called with a nil Context")
	case js == nil:
		panic("jetstream: Consume called with a nil JetStream")
	case cons == nil:
		panic("jetstream: Consume called with a nil Consumer")
	case p == nil:
		panic("jetstream: Consume called with a nil Pipeline")
	}
	if err := opts.validate(); err != nil {
		return Stats{}, err
	}
	var ackWait time.Duration
	var maxDeliver int
	if info := cons.CachedInfo(); info != nil {
		ackWait, maxDeliver = info.Config.AckWait, info.Config.MaxDeliver
	}
	c := &consumer[T, R]{
		js:   js,
		cons: cons,
		opts: &opts,
		s:    opts.resolve(p.Stats().Workers, ackWait, maxDeliver),
	}
	if err := c.s.validateFor(ackWait); err != nil {
		return Stats{}, err
	}
	c.hand = newHand(c.s.inHand)
	return c.run(ctx, p)
}

// consumer is one Consume call.
type consumer[T, R any] struct {
	js   natsjs.JetStream
	cons natsjs.Consumer
	opts *Options[T, R]
	s    settings
	hand *hand
	n    counters
}

// settle is a job whose result the consumer has handled, for the acker to
// settle: a result published (fut) and waiting for the results stream's
// acknowledgement, after which its message is acknowledged; or a failure
// (err), given back with a delay or terminated.
type settle struct {
	seq      uint64
	m        *held
	fut      natsjs.PubAckFuture // nil for a failure
	deadline time.Time           // when fut was made + PublishTimeout
	err      error
	// unstored is set when err is the results stream's, not the job's: the
	// job is given back with a delay but never terminated for it.
	unstored bool
}

func (c *consumer[T, R]) run(ctx context.Context, p *pipeline.Pipeline[T, R]) (Stats, error) {
	// The pipeline's context outlives ctx by the drain: it is canceled
	// DrainTimeout after ctx is done, or when everything has ended.
	runCtx, cancelRun := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelRun(nil)
	finished := make(chan struct{}) // closed by run when the results are drained
	// watchers are the drain deadline's and the pipeline's Done's: run waits
	// for them, so that nothing of this call outlives it.
	var watchers sync.WaitGroup
	watchers.Go(func() {
		select {
		case <-ctx.Done():
		case <-finished:
			return
		}
		if c.s.drainTimeout >= 0 {
			t := time.NewTimer(c.s.drainTimeout)
			defer t.Stop()
			select {
			case <-t.C:
			case <-finished:
				return
			}
		}
		cancelRun(errDrainTimeout)
	})

	jobs := make(chan pipeline.Job[T], c.s.jobBuffer) // sent on and closed by the fetcher
	results := p.Run(runCtx, jobs)
	// The fetcher stops when ctx is done, or when the pipeline stops on its
	// own (Options.FailFast): fetchCtx is canceled then.
	fetchCtx, cancelFetch := context.WithCancel(ctx)
	defer cancelFetch()
	watchers.Go(func() {
		select {
		case <-p.Done():
			cancelFetch()
		case <-fetchCtx.Done():
		}
	})

	var wg sync.WaitGroup
	heartbeatsDone := make(chan struct{}) // closed by run once every message is settled
	if c.s.heartbeat > 0 {
		wg.Go(func() { c.heartbeats(heartbeatsDone) })
	}
	acks := make(chan settle, c.s.inHand) // sent on and closed by run, received by the acker
	ackerDone := make(chan struct{})      // closed by the acker when acks is closed and drained
	go func() {
		defer close(ackerDone)
		c.acker(acks)
	}()
	fetchErr := make(chan error, 1) // the fetcher's one error or nil
	go func() { fetchErr <- c.fetch(fetchCtx, jobs) }()

	for r := range results {
		c.result(r, acks)
	}
	close(finished)
	cancelFetch()
	watchers.Wait()
	close(acks)
	<-ackerDone
	err := <-fetchErr
	if perr := p.Err(); err == nil && perr != nil && ctx.Err() == nil {
		err = fmt.Errorf("jetstream: the pipeline stopped: %w", perr)
	}
	// Every job the pipeline did not finish (canceled by the drain's end,
	// or left in the jobs channel) is still in hand: give it back at once.
	for _, m := range c.hand.takeAll() {
		c.nak(m.msg, 0)
	}
	close(heartbeatsDone)
	wg.Wait()
	return c.stats(), err
}

func (c *consumer[T, R]) stats() Stats {
	return Stats{
		Pulled:     c.n.pulled.Load(),
		Acked:      c.n.acked.Load(),
		Naked:      c.n.naked.Load(),
		Termed:     c.n.termed.Load(),
		Duplicates: c.n.duplicates.Load(),
		PeakInHand: c.hand.peakInHand(),
	}
}

// fetch is the producer: it pulls messages into free slots and sends them as
// jobs until ctx is done or pulling fails for good; then it closes jobs.
func (c *consumer[T, R]) fetch(ctx context.Context, jobs chan<- pipeline.Job[T]) error {
	defer close(jobs)
	min := max(1, c.s.inHand/2)
	for {
		n := c.hand.reserve(ctx, min)
		if n == 0 {
			return nil
		}
		batch, err := c.cons.Fetch(n, natsjs.FetchMaxWait(c.s.fetchWait))
		if err == nil {
			got := 0
			for msg := range batch.Messages() {
				got++
				c.n.pulled.Add(1)
				c.job(ctx, msg, jobs)
			}
			c.hand.unreserve(n - got)
			err = batch.Error()
		} else {
			c.hand.unreserve(n)
		}
		if err != nil {
			if fatal(err) {
				return fmt.Errorf("jetstream: pulling from consumer: %w", err)
			}
			// A missed heartbeat or a slow reply: try again shortly.
			select {
			case <-time.After(min2(c.s.fetchWait, 100*time.Millisecond)):
			case <-ctx.Done():
				return nil
			}
		}
	}
}

func min2(a, b time.Duration) time.Duration { return min(a, b) }

// fatal reports whether a pull error means no pull can ever succeed.
func fatal(err error) bool {
	return errors.Is(err, nats.ErrConnectionClosed) ||
		errors.Is(err, natsjs.ErrConsumerDeleted) ||
		errors.Is(err, natsjs.ErrConsumerNotFound) ||
		errors.Is(err, nats.ErrBadSubscription)
}

// job turns one pulled message, in a reserved slot, into a job on jobs, or
// settles it at once: a payload Decode rejects is terminated; once ctx is
// done the message is given back.
func (c *consumer[T, R]) job(ctx context.Context, msg natsjs.Msg, jobs chan<- pipeline.Job[T]) {
	meta, err := msg.Metadata()
	if err != nil { // not a JetStream message: nothing to acknowledge
		c.hand.release()
		return
	}
	if ctx.Err() != nil {
		c.nak(msg, 0)
		c.hand.release()
		return
	}
	payload, err := c.decode(msg.Data())
	if err != nil {
		c.term(msg, fmt.Sprintf("goflow: Decode rejected the payload: %v", err))
		c.hand.release()
		return
	}
	seq := meta.Sequence.Stream
	if !c.hand.add(seq, &held{msg: msg, meta: meta, touched: time.Now()}) {
		// Redelivered while this process still holds it (its AckWait ran
		// out): the copy in hand will be settled; keep it from another
		// redelivery.
		_ = msg.InProgress()
		c.hand.release()
		return
	}
	select {
	case jobs <- pipeline.Job[T]{ID: strconv.FormatUint(seq, 10), Payload: payload}:
	case <-ctx.Done():
		c.hand.settling(seq)
		c.nak(msg, 0)
		c.hand.settled(1)
	}
}

// decode is Options.Decode with a panic turned into an error: a payload that
// makes Decode panic is poison like one it rejects, and must not take the
// process (and every job in hand) down with it.
func (c *consumer[T, R]) decode(data []byte) (payload T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Decode panicked: %v", r)
		}
	}()
	return c.opts.Decode(data)
}

// encode is Options.Encode with a panic turned into an error, which fails
// the job like a handler's panic does in the pipeline.
func (c *consumer[T, R]) encode(value R) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jetstream: Encode panicked: %v", r)
		}
	}()
	return c.opts.Encode(value)
}

// result handles one result: a success is published, and acknowledged by the
// acker once stored; a failure is given back with a delay or terminated.
func (c *consumer[T, R]) result(r pipeline.Result[R], acks chan<- settle) {
	seq, err := strconv.ParseUint(r.JobID, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("jetstream: result for job %q, which Consume did not make", r.JobID))
	}
	m := c.hand.get(seq)
	if m == nil {
		panic(fmt.Sprintf("jetstream: result for job %q, which is not in hand", r.JobID))
	}
	if r.Err == nil {
		var data []byte
		data, r.Err = c.encode(r.Value)
		if r.Err == nil {
			msg := &nats.Msg{Subject: c.opts.ResultSubject, Data: data, Header: nats.Header{}}
			msg.Header.Set(HeaderStream, m.meta.Stream)
			msg.Header.Set(HeaderJob, r.JobID)
			fut, err := c.js.PublishMsgAsync(msg, natsjs.WithMsgID(ResultID(m.meta.Stream, seq)))
			if err != nil {
				acks <- settle{seq: seq, m: m, err: fmt.Errorf("publishing the result: %w", err), unstored: true}
				return
			}
			acks <- settle{seq: seq, m: m, fut: fut, deadline: time.Now().Add(c.s.publishTimeout)}
			return
		}
	}
	acks <- settle{seq: seq, m: m, err: r.Err}
}

// fail gives a failed job back with a delay, or terminates it once it has
// been delivered MaxDeliver times. A job whose result the results stream did
// not store (unstored: full, missing, unreachable) did not fail: it is given
// back with the same growing delay but never terminated, so that a broker's
// trouble loses no work (the consumer's own MaxDeliver, if set, still ends
// its deliveries).
func (c *consumer[T, R]) fail(m *held, err error, unstored bool) {
	n := m.meta.NumDelivered
	if n >= uint64(c.s.maxDeliver) && !unstored {
		c.term(m.msg, fmt.Sprintf("goflow: failed %d deliveries, the last with: %v", n, err))
		return
	}
	c.nak(m.msg, time.Duration(n)*c.s.nakDelay)
}

// acker settles each job, in the order the consumer handled them: it
// acknowledges a message once the results stream has stored its result (a
// publish that fails or times out gives the job back), and gives back or
// terminates a failed one.
//
// A slot is freed only once the broker has processed the acknowledgement, so
// that the consumer's count of messages waiting for one (its NumAckPending)
// never exceeds InHand: the broker handles acknowledgements and pull
// requests on separate queues, so a pull sent right after a plain Ack can
// be served before the Ack is counted. Acks are sent without waiting while
// more jobs are queued behind them; the last one of a run is a DoubleAck,
// whose reply means the broker has processed it and, in order, every ack
// before it; then the slots of the whole run are freed. The DoubleAck waits
// on a goroutine of its own, so that the acker goes on with the next run
// meanwhile: at most one per run, so never more than InHand at once. The
// acker returns once every one of them has.
func (c *consumer[T, R]) acker(acks <-chan settle) {
	t := time.NewTimer(c.s.publishTimeout)
	defer t.Stop()
	// Each publish has PublishTimeout from when it was made, not from when
	// the acker gets to it: results published together time out together,
	// so a broker that stopped answering costs PublishTimeout, not InHand ×
	// PublishTimeout, before every job is given back.
	var confirms sync.WaitGroup
	defer confirms.Wait()
	run := 0 // settled, slots not yet freed
	for a := range acks {
		err, unstored := a.err, a.unstored
		if a.fut != nil {
			t.Reset(time.Until(a.deadline))
			select {
			case pa := <-a.fut.Ok():
				if pa != nil && pa.Duplicate {
					c.n.duplicates.Add(1)
				}
			case perr := <-a.fut.Err():
				err, unstored = fmt.Errorf("publishing the result: %w", perr), true
			case <-t.C:
				err, unstored = fmt.Errorf("publishing the result: no acknowledgement within %v", c.s.publishTimeout), true
			}
		}
		// Settled (or about to be): no longer in hand, so that a
		// redelivery of a job given back is taken as a new job, but its
		// slot stays taken until the run's acknowledgements are confirmed.
		c.hand.settling(a.seq)
		run++
		last := len(acks) == 0
		switch {
		case err != nil:
			c.fail(a.m, err, unstored)
		case !last:
			if a.m.msg.Ack() == nil {
				c.n.acked.Add(1)
			}
		default:
			n, msg := run, a.m.msg
			run = 0
			confirms.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), c.s.publishTimeout)
				defer cancel()
				if msg.DoubleAck(ctx) == nil {
					c.n.acked.Add(1)
				}
				c.hand.settled(n)
			})
			continue
		}
		if last { // a failure ends the run: nothing to confirm it with
			c.hand.settled(run)
			run = 0
		}
	}
	c.hand.settled(run)
}

// heartbeats sends in-progress acknowledgements for the messages in hand,
// each at most every Heartbeat/2 and at least every 1.5 × Heartbeat, until
// done is closed.
func (c *consumer[T, R]) heartbeats(done <-chan struct{}) {
	every := c.s.heartbeat
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			for _, msg := range c.hand.stale(now.Add(-every/2), now) {
				_ = msg.InProgress()
			}
		case <-done:
			return
		}
	}
}

func (c *consumer[T, R]) nak(msg natsjs.Msg, delay time.Duration) {
	var err error
	if delay > 0 {
		err = msg.NakWithDelay(delay)
	} else {
		err = msg.Nak()
	}
	if err == nil {
		c.n.naked.Add(1)
	}
}

func (c *consumer[T, R]) term(msg natsjs.Msg, reason string) {
	if msg.TermWithReason(reason) == nil {
		c.n.termed.Add(1)
	}
}
