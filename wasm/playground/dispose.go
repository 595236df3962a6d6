package playground

import "errors"

// errDisposed is what every call on a disposed Playground returns, after the
// function's name.
var errDisposed = errors.New("instance disposed")

// Dispose ends the playground for good: it cancels a live session, resumes
// a paused run and consumer so that the session's goroutines can see the
// cancel, and from then on every Call fails with "<fn>: instance
// disposed". It waits for nothing: the goroutines finish in the background
// (a snapshot taken just before Dispose shows them; Goroutines counts them
// down to 0). Dispose may be called more than once.
func (pg *Playground) Dispose() {
	pg.mu.Lock()
	if pg.disposed {
		pg.mu.Unlock()
		return
	}
	pg.disposed = true
	s := pg.sess
	pg.mu.Unlock()
	if s != nil && s.phase() != PhaseDone {
		_ = s.cancelRun() // "already canceled" is fine
	}
	pg.PauseConsumer(false)
	pg.setWorldPaused(false)
}

// Disposed reports whether Dispose was called.
func (pg *Playground) Disposed() bool {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return pg.disposed
}
