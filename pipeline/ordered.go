package pipeline

import (
	"sync"
	"sync/atomic"
)

// turns puts results in the order their jobs were taken (Options.Ordered).
//
// Each job gets a ticket as it is taken, 0, 1, 2...; the result of ticket
// head is due. A worker whose result is due emits it itself (the emit fast
// path, no lock), then passes the turn. A worker whose result is not yet
// due leaves it in its slot and waits, blocked, on its own wake channel. The
// worker that passes the turn does not wake the next one and wait for it to
// run: if the next ticket's result is waiting in its slot, it emits that
// result itself, on the waiting worker's behalf, then the one after, and so
// on, and tells each waiting worker, on its wake channel, whether its
// result went out. So the chain of due results goes out at the speed of
// one worker emitting, and the wake-ups are off that path.
//
// No result waits anywhere but in a worker's hand (its slot is its hand:
// the worker is blocked until the result has gone) or the results buffer,
// so memory stays bounded by the pool: at most one ticket per worker is
// outstanding, hence the ring of one slot per worker.
type turns[R any] struct {
	takeMu sync.Mutex // held across a receive and its ticket, so tickets follow the channel's order
	next   uint64     // the next ticket; guarded by takeMu

	mu      sync.Mutex       // guards waiting, and writes to head
	head    atomic.Uint64    // the ticket whose result is due; written under mu, read also without it
	waiting []waiter[R]      // slot t%len: the result of ticket t, if its worker waits; guarded by mu
	wake    []chan emitState // wake[i] (1 slot): sent on by the worker that took worker i's result from its slot, received by worker i

	// deliver emits a result in its turn (Pipeline.deliver); set by
	// start before the workers start.
	deliver func(res Result[R], failed bool) bool
}

// waiter is a worker waiting for its turn, with the result it holds.
type waiter[R any] struct {
	ticket uint64
	worker int
	failed bool // the job failed: with FailFast, its delivery may stop the pipeline
	set    bool
	res    Result[R]
}

// emitState tells a waiting worker what became of its result.
type emitState uint8

const (
	wasEmitted   emitState = iota + 1 // sent on the results channel
	wasAbandoned                      // not sent: the pipeline stopped first
)

func newTurns[R any](workers int) *turns[R] {
	t := &turns[R]{waiting: make([]waiter[R], workers), wake: make([]chan emitState, workers)}
	for i := range t.wake {
		t.wake[i] = make(chan emitState, 1)
	}
	return t
}

// takeInTurn is take for Options.Ordered: it gives the job the next
// ticket. Workers take one at a time (takeMu), so that the tickets follow
// the jobs channel's order; a worker waiting for a job holds takeMu, and
// the others wait for it, which changes nothing, since only one of them
// could receive the next job anyway.
func takeInTurn[T, R any](t *turns[R], h *halt, jobs <-chan Job[T], dropped *atomic.Uint64) (Job[T], uint64, bool) {
	t.takeMu.Lock()
	job, ok := take(h, jobs, dropped)
	ticket := t.next
	if ok {
		t.next++
	}
	t.takeMu.Unlock()
	return job, ticket, ok
}

// due reports whether ticket's result is due now. Once it is, it stays due
// until its worker passes the turn: only the holder of the turn moves head.
func (t *turns[R]) due(ticket uint64) bool { return t.head.Load() == ticket }

// await is called by worker i with the result of ticket once it found the
// ticket not due (due reported false). It leaves res in the ticket's slot
// and blocks until the worker passing the turn has emitted or abandoned it
// (so worker i must not pass the turn itself), or until h's Done channels
// close while the result is still in the slot. It reports what became of res.
// waiting is called (for the observer) once the worker is about to block.
func (t *turns[R]) await(i int, ticket uint64, failed bool, res Result[R], h *halt, waiting func()) (emitted, passed bool) {
	t.mu.Lock()
	if t.head.Load() == ticket { // became due meanwhile: emit it ourselves
		t.mu.Unlock()
		return false, false
	}
	slot := &t.waiting[ticket%uint64(len(t.waiting))]
	*slot = waiter[R]{ticket: ticket, worker: i, failed: failed, set: true, res: res}
	t.mu.Unlock()
	waiting()
	select {
	case s := <-t.wake[i]:
		return s == wasEmitted, true
	case <-h.done: // nil, never closed, for a context that is never done
	case <-h.callerDone: // nil without FailFast
	}
	t.mu.Lock()
	if slot.set && slot.ticket == ticket {
		*slot = waiter[R]{} // still ours: abandoned here
		t.mu.Unlock()
		return false, true
	}
	t.mu.Unlock()
	// Taken by the worker passing the turn, which will say: its emit
	// returns at once now that done is closed, or, for the first failure
	// of a FailFast pipeline, once the consumer takes it or the caller's
	// context is done (see Pipeline.deliver).
	return <-t.wake[i] == wasEmitted, true
}

// pass is called by the holder of the turn (ticket's worker, with its
// result emitted or abandoned): it makes the next ticket due and, while the
// due ticket's result waits in its slot, delivers it and tells its worker.
// If that result is the first failure of a FailFast pipeline, delivering it
// stops the pipeline first, so that nothing after it is emitted.
func (t *turns[R]) pass(ticket uint64) {
	t.mu.Lock()
	next := ticket + 1
	for {
		t.head.Store(next)
		slot := &t.waiting[next%uint64(len(t.waiting))]
		if !slot.set || slot.ticket != next {
			break
		}
		w := *slot
		*slot = waiter[R]{}
		t.mu.Unlock()
		s := wasAbandoned
		if t.deliver(w.res, w.failed) {
			s = wasEmitted
		}
		t.wake[w.worker] <- s // never blocks: worker w waits for exactly this one
		next++
		t.mu.Lock()
	}
	t.mu.Unlock()
}
