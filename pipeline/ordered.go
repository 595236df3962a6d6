package pipeline

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// turns puts results in the order their jobs were taken (Options.Ordered).
//
// Each job gets a ticket as it is taken, 0, 1, 2...; a worker whose result
// is not yet due (its ticket is not head) waits, blocked, holding it, until
// the worker before it passes the turn on. No result waits anywhere else,
// so memory stays bounded by the pool: at most one ticket per worker is
// outstanding, hence the ring of one slot per worker.
type turns struct {
	takeMu sync.Mutex // held across a receive and its ticket, so tickets follow the channel's order
	next   uint64     // the next ticket; guarded by takeMu

	mu      sync.Mutex      // guards waiting, and writes to head
	head    atomic.Uint64   // the ticket whose result is due; written under mu, read also without it
	waiting []waiter        // slot t%len: the worker holding ticket t, if it waits
	wake    []chan struct{} // wake[i] (1 slot): sent on by pass to wake worker i, received by worker i
}

// spins is how many times await yields before it parks.
const spins = 4

// waiter is a worker waiting for its turn.
type waiter struct {
	ticket uint64
	worker int
	set    bool
}

func newTurns(workers int) *turns {
	t := &turns{waiting: make([]waiter, workers), wake: make([]chan struct{}, workers)}
	for i := range t.wake {
		t.wake[i] = make(chan struct{}, 1)
	}
	return t
}

// takeInTurn is take for Options.Ordered: it gives the job the next
// ticket. Workers take one at a time (takeMu), so that the tickets follow
// the jobs channel's order; a worker waiting for a job holds takeMu, and
// the others wait for it, which changes nothing, since only one of them
// could receive the next job anyway.
func takeInTurn[T any](t *turns, ctx context.Context, jobs <-chan Job[T], done <-chan struct{}, dropped *atomic.Uint64) (Job[T], uint64, bool) {
	t.takeMu.Lock()
	job, ok := take(ctx, jobs, done, dropped)
	ticket := t.next
	if ok {
		t.next++
	}
	t.takeMu.Unlock()
	return job, ticket, ok
}

// await returns once ticket is due, reporting true, or once done is
// closed first, reporting false. If the ticket is not due at once, it calls
// waiting (for the observer) and blocks: worker i is blocked waiting for its
// turn.
func (t *turns) await(i int, ticket uint64, done <-chan struct{}, waiting func()) bool {
	// The turn is usually a moment away (the workers before are emitting):
	// yield a few times before parking, which costs far more.
	for range spins {
		if t.head.Load() == ticket {
			return true
		}
		runtime.Gosched()
	}
	t.mu.Lock()
	if t.head.Load() == ticket {
		t.mu.Unlock()
		return true
	}
	t.waiting[ticket%uint64(len(t.waiting))] = waiter{ticket: ticket, worker: i, set: true}
	t.mu.Unlock()
	waiting()
	select {
	case <-t.wake[i]:
		return true
	case <-done: // nil, never closed, for a context that is never done
		return false
	}
}

// pass makes the ticket after ticket due, and wakes its worker if it waits.
func (t *turns) pass(ticket uint64) {
	t.mu.Lock()
	t.head.Store(ticket + 1)
	slot := &t.waiting[(ticket+1)%uint64(len(t.waiting))]
	w := *slot
	ready := w.set && w.ticket == ticket+1
	if ready {
		*slot = waiter{}
	}
	t.mu.Unlock()
	if ready {
		select {
		case t.wake[w.worker] <- struct{}{}:
		default: // a stale token from a wait that done ended: the worker exits
		}
	}
}
