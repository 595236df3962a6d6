package jetstream

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Defaults for the zero fields of Options.
const (
	// DefaultMaxDeliver is the number of deliveries after which a failing
	// job is terminated, when neither Options.MaxDeliver nor the consumer's
	// own MaxDeliver say otherwise.
	DefaultMaxDeliver = 5
	// DefaultNakDelay is the base delay before a failed job is redelivered.
	DefaultNakDelay = time.Second
	// DefaultDrainTimeout is how long Consume lets the pipeline drain once
	// its context is done.
	DefaultDrainTimeout = 10 * time.Second
	// DefaultFetchWait is how long one pull request waits for messages.
	DefaultFetchWait = time.Second
	// DefaultPublishTimeout is how long Consume waits for the results
	// stream to acknowledge a result before it gives the job back.
	DefaultPublishTimeout = 5 * time.Second
	// MaxInHand is the largest Options.InHand Consume accepts; JobBuffer
	// may be at most pipeline.MaxBuffer, like the pipeline's own buffers.
	MaxInHand = 1 << 20
)

// Options configures Consume. Decode, Encode and ResultSubject are required;
// for every other field the zero value is the documented default.
type Options[T, R any] struct {
	// Decode makes a job's payload from a message's data. A message it
	// rejects, or panics on, is terminated at once (decoding it again cannot
	// succeed). Consume calls it from one goroutine.
	Decode func(data []byte) (T, error)
	// Encode makes a result message's data from a handler's value. An error
	// or a panic fails the job like a handler's error. Consume calls it from
	// one goroutine.
	Encode func(value R) ([]byte, error)
	// ResultSubject is the subject each result is published to; a stream
	// must capture it (with a Duplicates window, see the package doc).
	ResultSubject string

	// JobBuffer is the capacity of the jobs channel Consume makes and feeds
	// to Pipeline.Run (the pipeline's own Options.JobBuffer is not used).
	// Zero (the default) means as many slots as workers, so that the next
	// job of each worker is already in hand when it finishes one.
	JobBuffer int
	// InHand bounds the messages this process has pulled and not yet
	// acknowledged, negatively acknowledged or terminated. Zero (the
	// default) means workers + JobBuffer: what the pool and the jobs channel
	// hold. At most MaxInHand.
	InHand int
	// MaxDeliver is the number of deliveries after which a job that still
	// fails is terminated instead of redelivered. A job whose result the
	// results stream did not store has not failed and is never terminated
	// for it. Zero (the default) means
	// the consumer's MaxDeliver if it sets one, else DefaultMaxDeliver (5).
	MaxDeliver int
	// NakDelay is the base redelivery delay of a failed job: after its n-th
	// delivery it is negatively acknowledged with a delay of n × NakDelay.
	// Zero (the default) means DefaultNakDelay (1s).
	NakDelay time.Duration
	// Heartbeat is the interval of the in-progress acknowledgements sent for
	// every message in hand, so that a long job is not redelivered while it
	// runs. Zero (the default) means a third of the consumer's AckWait;
	// negative turns heartbeats off. It must be shorter than the consumer's
	// AckWait, and a heartbeat may come up to 1.5 × Heartbeat after the
	// last, so keep it at most half of AckWait.
	Heartbeat time.Duration
	// DrainTimeout bounds the drain once the context is done: jobs still
	// running after it are canceled and negatively acknowledged. Zero (the
	// default) means DefaultDrainTimeout (10s); negative means no drain at
	// all (cancel at once).
	DrainTimeout time.Duration
	// FetchWait is how long one pull request waits for messages to arrive;
	// it is also the longest Consume waits, once its context is done, for
	// messages already requested (it negatively acknowledges them). Zero
	// (the default) means DefaultFetchWait (1s).
	FetchWait time.Duration
	// PublishTimeout bounds the wait for the results stream's
	// acknowledgement of one result, counted from its publish; after it the
	// job is negatively acknowledged. Zero (the default) means
	// DefaultPublishTimeout (5s).
	PublishTimeout time.Duration
}

// validate checks the required fields and the ranges, naming the first field
// that is wrong.
func (o *Options[T, R]) validate() error {
	switch {
	case o.Decode == nil:
		return errors.New("jetstream: Options.Decode is nil; want a function that makes a payload from a message's data")
	case o.Encode == nil:
		return errors.New("jetstream: Options.Encode is nil; want a function that makes a result message's data")
	case o.ResultSubject == "":
		return errors.New("jetstream: Options.ResultSubject is empty; want the subject results are published to")
	}
	for _, f := range []struct {
		name string
		n    int
		max  int
	}{{"JobBuffer", o.JobBuffer, pipeline.MaxBuffer}, {"InHand", o.InHand, MaxInHand}, {"MaxDeliver", o.MaxDeliver, math.MaxInt}} {
		if f.n < 0 || f.n > f.max {
			return fmt.Errorf("jetstream: Options.%s = %d; want 0 (the default) to %d", f.name, f.n, f.max)
		}
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"NakDelay", o.NakDelay}, {"FetchWait", o.FetchWait}, {"PublishTimeout", o.PublishTimeout}} {
		if f.d < 0 {
			return fmt.Errorf("jetstream: Options.%s = %v; want 0 (the default) or more", f.name, f.d)
		}
	}
	return nil
}

// validateFor checks what depends on the consumer: a heartbeat must come
// before the consumer's AckWait runs out.
func (s *settings) validateFor(ackWait time.Duration) error {
	if s.heartbeat > 0 && ackWait > 0 && s.heartbeat*3/2 >= ackWait {
		return fmt.Errorf("jetstream: Options.Heartbeat = %v; want at most half the consumer's AckWait (%v), or a running job is redelivered", s.heartbeat, ackWait)
	}
	return nil
}

// settings are Options with the defaults filled in, for one Consume call.
type settings struct {
	inHand         int
	jobBuffer      int
	maxDeliver     int
	nakDelay       time.Duration
	heartbeat      time.Duration // <= 0: none
	drainTimeout   time.Duration // < 0: none
	fetchWait      time.Duration
	publishTimeout time.Duration
}

// resolve fills in the defaults, given the pool size and the consumer's
// AckWait and MaxDeliver (zero or negative when it sets none).
func (o *Options[T, R]) resolve(workers int, ackWait time.Duration, consumerMaxDeliver int) settings {
	s := settings{
		jobBuffer:      o.JobBuffer,
		inHand:         o.InHand,
		maxDeliver:     o.MaxDeliver,
		nakDelay:       o.NakDelay,
		heartbeat:      o.Heartbeat,
		drainTimeout:   o.DrainTimeout,
		fetchWait:      o.FetchWait,
		publishTimeout: o.PublishTimeout,
	}
	if s.jobBuffer == 0 {
		s.jobBuffer = workers
	}
	if s.inHand == 0 {
		s.inHand = workers + s.jobBuffer
	}
	if s.maxDeliver == 0 {
		s.maxDeliver = DefaultMaxDeliver
		if consumerMaxDeliver > 0 {
			s.maxDeliver = consumerMaxDeliver
		}
	}
	if s.nakDelay == 0 {
		s.nakDelay = DefaultNakDelay
	}
	if s.heartbeat == 0 && ackWait > 0 {
		s.heartbeat = ackWait / 3
	}
	if s.drainTimeout == 0 {
		s.drainTimeout = DefaultDrainTimeout
	}
	if s.fetchWait == 0 {
		s.fetchWait = DefaultFetchWait
	}
	if s.publishTimeout == 0 {
		s.publishTimeout = DefaultPublishTimeout
	}
	return s
}

// MaxAckPending is the smallest MaxAckPending for a durable consumer shared by
// processes processes that each hold up to inHand messages (Options.InHand,
// by default workers + JobBuffer): processes × inHand. With less, the broker
// stops delivering before every pipeline is full. Failed jobs waiting out
// their NakDelay count against it too (see the package doc): add room for as
// many as you expect at once.
func MaxAckPending(processes, inHand int) int {
	return processes * inHand
}
