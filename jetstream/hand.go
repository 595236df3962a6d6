package jetstream

import (
	"context"
	"sync"
	"time"

	natsjs "github.com/nats-io/nats.go/jetstream"
)

// hand is what one Consume call holds: a fixed number of slots, each free,
// reserved for a pull request, or holding a message until it is
// acknowledged, negatively acknowledged or terminated.
//
// Invariant, under mu: free + reserved + len(msgs) + settle == size, where
// reserved is what the fetcher took with reserve and has neither filled with
// add nor given back with unreserve.
type hand struct {
	size int // the bound (Options.InHand); never changes

	mu     sync.Mutex       // guards free, msgs, settle, peak and every held.touched
	free   int              // slots neither reserved nor holding a message
	msgs   map[uint64]*held // messages in hand, by stream sequence
	settle int              // slots of messages settled, until the broker has confirmed it
	peak   int              // the most messages ever in hand (msgs + settle) at once

	// wake has one slot; release and unreserve send on it without blocking,
	// and reserve, the fetcher, waits on it. Never closed.
	wake chan struct{}
}

// held is one message in hand.
type held struct {
	msg     natsjs.Msg
	meta    *natsjs.MsgMetadata // parsed once, when pulled
	touched time.Time           // pulled, or its last in-progress heartbeat; guarded by hand.mu
}

func newHand(size int) *hand {
	return &hand{size: size, free: size, msgs: make(map[uint64]*held, size), wake: make(chan struct{}, 1)}
}

// reserve waits until at least min slots are free, or ctx is done, and
// reserves every free slot: it returns how many (0 once ctx is done).
func (h *hand) reserve(ctx context.Context, min int) int {
	for ctx.Err() == nil {
		h.mu.Lock()
		if h.free >= min {
			n := h.free
			h.free = 0
			h.mu.Unlock()
			return n
		}
		h.mu.Unlock()
		select {
		case <-h.wake:
		case <-ctx.Done():
		}
	}
	return 0
}

// unreserve gives back n reserved slots that no message filled.
func (h *hand) unreserve(n int) {
	if n == 0 {
		return
	}
	h.mu.Lock()
	h.free += n
	h.mu.Unlock()
	h.signal()
}

// add puts a pulled message in a reserved slot. It reports false, leaving the
// slot reserved, when a message with the same stream sequence is already in
// hand (a redelivery of a message this process still holds).
func (h *hand) add(seq uint64, m *held) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.msgs[seq]; dup {
		return false
	}
	h.msgs[seq] = m
	h.peak = max(h.peak, len(h.msgs)+h.settle)
	return true
}

// get returns the message in hand with that sequence, or nil.
func (h *hand) get(seq uint64) *held {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.msgs[seq]
}

// settling takes message seq out of msgs as it is acknowledged, negatively
// acknowledged or terminated, keeping its slot taken until settled frees it.
// A redelivery of seq from then on (a job given back) is a new job.
func (h *hand) settling(seq uint64) {
	h.mu.Lock()
	if _, ok := h.msgs[seq]; ok {
		delete(h.msgs, seq)
		h.settle++
	}
	h.mu.Unlock()
}

// settled frees the slots of n messages taken out with settling, once the
// broker has processed their settlements (or they are given up).
func (h *hand) settled(n int) {
	if n == 0 {
		return
	}
	h.mu.Lock()
	h.settle -= n
	h.free += n
	h.mu.Unlock()
	h.signal()
}

// release frees a reserved slot that a message filled but never entered
// msgs (it was terminated or given back as soon as it was pulled).
func (h *hand) release() { h.unreserve(1) }

func (h *hand) signal() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// stale returns the messages in hand not touched since before, and marks
// them touched at now: the caller sends their in-progress heartbeats.
func (h *hand) stale(before, now time.Time) []natsjs.Msg {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []natsjs.Msg
	for _, m := range h.msgs {
		if m.touched.Before(before) {
			m.touched = now
			out = append(out, m.msg)
		}
	}
	return out
}

// takeAll empties msgs, freeing their slots, and returns what was in hand.
func (h *hand) takeAll() []*held {
	h.mu.Lock()
	out := make([]*held, 0, len(h.msgs))
	for seq, m := range h.msgs {
		out = append(out, m)
		delete(h.msgs, seq)
		h.free++
	}
	h.mu.Unlock()
	h.signal()
	return out
}

// peakInHand returns the most messages ever in hand at once.
func (h *hand) peakInHand() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}
