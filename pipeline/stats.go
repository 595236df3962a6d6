package pipeline

import "sync/atomic"

// Stats is a snapshot of a Pipeline's counters and gauges, copied out by
// Pipeline.Stats. Counters only grow.
//
// The counters are read in an order that keeps them consistent while the
// pipeline runs: Emitted <= Succeeded+Failed+Canceled <= Received. Once the
// results channel has closed they are exact, and
// Received == Succeeded+Failed+Canceled.
type Stats struct {
	// Received counts jobs that workers took from the jobs channel. It may
	// still grow by up to one per worker after cancel() has returned, for a
	// job a worker received just before (that job then ends canceled).
	Received uint64
	// Succeeded counts jobs whose handler returned a nil error within the
	// job's Timeout, while the context was not done.
	Succeeded uint64
	// Failed counts jobs whose handler panicked (even while the context was
	// done: a panic is never hidden), or returned an error or overran the
	// job's Timeout while the context was not done.
	Failed uint64
	// Canceled counts jobs that were taken or running when the context was
	// done, except those whose handler panicked. No result is emitted for
	// them.
	Canceled uint64
	// Emitted counts results sent on the results channel (taken by the
	// consumer, or waiting in its buffer).
	Emitted uint64
	// Dropped counts jobs that a worker received from the jobs channel just
	// as the context was cancelled (its check right after the receive saw
	// the context done): they are not taken, never run, and count neither as
	// received nor as canceled, like jobs left in the jobs channel's buffer.
	// So every job sent is Received, Dropped or still Queued.
	Dropped uint64

	// Workers is the size of the pool.
	Workers int
	// Idle, Busy, Blocked and Exited count workers in each state (see
	// WorkerState); before Start every worker counts as Idle.
	Idle, Busy, Blocked, Exited int
	// Queued is the number of jobs waiting in the jobs channel (its len).
	Queued int
	// Pending is the number of results waiting in the results channel (its
	// len), emitted but not yet read by the consumer.
	Pending int
}

// workerStats is one worker's counters. Only its worker writes them, so
// workers never contend; Stats reads them atomically. Each fills two cache
// lines on its own (padding) so that neighbours' writes do not false-share.
//
// The worker's state is derived rather than stored, which saves two atomic
// writes per job: a worker is busy while received > completed (completed =
// succeeded+failed+canceled), blocked while completed > emitted+abandoned,
// and otherwise idle, until exited is set.
type workerStats struct {
	received  atomic.Uint64
	succeeded atomic.Uint64
	failed    atomic.Uint64
	canceled  atomic.Uint64
	emitted   atomic.Uint64
	abandoned atomic.Uint64 // results not emitted: canceled, or dropped as the context was done
	dropped   atomic.Uint64 // jobs received as the context was cancelled, not taken (see take)
	exited    atomic.Bool   // set once, when the worker returns
	_         [128 - 7*8 - 1]byte
}

// count adds one to the counter for outcome o.
func (w *workerStats) count(o Outcome) {
	switch o {
	case Succeeded:
		w.succeeded.Add(1)
	case Failed:
		w.failed.Add(1)
	default:
		w.canceled.Add(1)
	}
}

// snapshot sums the shards. Within each shard it reads the counters in the
// reverse of the order a worker writes them (exited, then emitted and
// abandoned, then the outcomes, then received), and all shards' emitted
// before any shard's outcomes before any shard's received, so that a
// snapshot taken mid-run never shows more outcomes than jobs received, nor
// more results emitted than outcomes.
func snapshot(shards []workerStats) Stats {
	type reading struct {
		exited              bool
		released, completed uint64
	}
	var buf [64]reading
	r := buf[:0]
	if len(shards) > len(buf) {
		r = make([]reading, 0, len(shards))
	}
	s := Stats{Workers: len(shards)}
	for i := range shards {
		w := &shards[i]
		exited := w.exited.Load()
		s.Dropped += w.dropped.Load()
		e := w.emitted.Load()
		s.Emitted += e
		r = append(r, reading{exited: exited, released: e + w.abandoned.Load()})
	}
	for i := range shards {
		w := &shards[i]
		sc, f, c := w.succeeded.Load(), w.failed.Load(), w.canceled.Load()
		s.Succeeded += sc
		s.Failed += f
		s.Canceled += c
		r[i].completed = sc + f + c
	}
	for i := range shards {
		received := shards[i].received.Load()
		s.Received += received
		switch {
		case r[i].exited:
			s.Exited++
		case received > r[i].completed:
			s.Busy++
		case r[i].completed > r[i].released:
			s.Blocked++
		default:
			s.Idle++
		}
	}
	return s
}
