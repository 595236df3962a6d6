package playground

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// clock is a playground's simulated time: it runs at speed times real time,
// or not at all while paused, and the speed and the pause may change at any
// moment. Every wait on it (sleep, AfterFunc) recomputes its real wait on
// each change, so a change applies at once to everything waiting. It is
// safe for concurrent use. Each Playground has its own.
type clock struct {
	mu      sync.Mutex    // guards the fields below
	speed   float64       // simulated seconds per real second, MinSpeed..MaxSpeed
	paused  bool          // simulated time stands still
	realAt  time.Time     // real time of the last change
	simAt   time.Duration // simulated time at realAt
	changed chan struct{} // closed, and replaced, by each change of speed or pause
}

func newClock() *clock {
	return &clock{speed: 1, realAt: time.Now(), changed: make(chan struct{})}
}

// now returns the simulated time since the clock was made.
func (c *clock) now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked(time.Now())
}

func (c *clock) nowLocked(real time.Time) time.Duration {
	if c.paused {
		return c.simAt
	}
	return c.simAt + time.Duration(float64(real.Sub(c.realAt))*c.speed)
}

// Speed returns the current speed.
func (c *clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// change applies f to the clock from now on and wakes every wait to
// recompute its real wait.
func (c *clock) change(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	real := time.Now()
	c.simAt = c.nowLocked(real)
	c.realAt = real
	f()
	close(c.changed)
	c.changed = make(chan struct{})
}

// setSpeed changes the speed from now on.
func (c *clock) setSpeed(speed float64) { c.change(func() { c.speed = speed }) }

// setPaused stops (true) or restarts (false) simulated time.
func (c *clock) setPaused(paused bool) { c.change(func() { c.paused = paused }) }

// sleep waits for d of simulated time, or until ctx is done, whose error
// it then returns. Its one timer is stopped before it returns.
func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil || d <= 0 {
		return err
	}
	c.mu.Lock()
	end := c.nowLocked(time.Now()) + d
	c.mu.Unlock()
	var t *time.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	for {
		c.mu.Lock()
		left := end - c.nowLocked(time.Now())
		paused := c.paused
		wait := time.Duration(math.Ceil(float64(left) / c.speed))
		changed := c.changed
		c.mu.Unlock()
		if left <= 0 {
			return nil
		}
		var tick <-chan time.Time // nil while paused: only a change wakes us
		if !paused {
			if t == nil {
				t = time.NewTimer(wait)
			} else {
				t.Reset(wait) // Go 1.23+: Reset drains a stale tick
			}
			tick = t.C
		}
		select {
		case <-tick:
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// AfterFunc is pipeline.Clock's: it calls f in its own goroutine once d of
// simulated time has passed, so that Job.Timeout is measured on this clock
// (a pause stops it, a speed change reaches it). The returned stop reports
// whether it stopped the call before it started, as time.Timer.Stop does;
// either way it ends the waiting goroutine.
func (c *clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	ctx, cancel := context.WithCancel(context.Background())
	var state atomic.Int32 // 0 waiting, 1 fired, 2 stopped
	go func() {
		if c.sleep(ctx, d) == nil && state.CompareAndSwap(0, 1) {
			f()
		}
	}()
	return func() bool {
		stopped := state.CompareAndSwap(0, 2)
		cancel()
		return stopped
	}
}
