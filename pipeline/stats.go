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
	// Received counts jobs that workers took from the jobs channel.
	Received uint64
	// Succeeded counts jobs whose handler returned a nil error within the
	// job's Timeout, while the context was not done.
	Succeeded uint64
	// Failed counts jobs whose handler returned an error, panicked, or
	// overran the job's Timeout, while the context was not done.
	Failed uint64
	// Canceled counts jobs that were taken or running when the context was
	// done. No result is emitted for them.
	Canceled uint64
	// Emitted counts results sent on the results channel (taken by the
	// consumer, or waiting in its buffer).
	Emitted uint64

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
// workers never contend; Stats reads them atomically. It fills two cache
// lines on its own (padding) so that neighbours' writes do not false-share.
type workerStats struct {
	received  atomic.Uint64
	succeeded atomic.Uint64
	failed    atomic.Uint64
	canceled  atomic.Uint64
	emitted   atomic.Uint64
	state     atomic.Uint32 // a WorkerState
	_         [128 - 5*8 - 4]byte
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

// snapshot sums the shards: emitted first, then outcomes, then received, so
// that a snapshot taken mid-run never shows more outcomes than jobs
// received, nor more results emitted than outcomes.
func snapshot(shards []workerStats) Stats {
	s := Stats{Workers: len(shards)}
	for i := range shards {
		s.Emitted += shards[i].emitted.Load()
	}
	for i := range shards {
		w := &shards[i]
		s.Succeeded += w.succeeded.Load()
		s.Failed += w.failed.Load()
		s.Canceled += w.canceled.Load()
	}
	for i := range shards {
		s.Received += shards[i].received.Load()
		switch WorkerState(shards[i].state.Load()) {
		case Idle:
			s.Idle++
		case Busy:
			s.Busy++
		case Blocked:
			s.Blocked++
		case Exited:
			s.Exited++
		}
	}
	return s
}
