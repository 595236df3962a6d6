package playground

import (
	"context"
	"math"
	"sync"
	"time"
)

// clock is the playground's simulated time: it runs at speed times real time,
// and the speed may change at any moment. It is safe for concurrent use.
type clock struct {
	mu      sync.Mutex    // guards the fields below
	speed   float64       // simulated seconds per real second, MinSpeed..MaxSpeed
	realAt  time.Time     // real time of the last speed change
	simAt   time.Duration // simulated time at realAt
	changed chan struct{} // closed, and replaced, by each speed change
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
	return c.simAt + time.Duration(float64(real.Sub(c.realAt))*c.speed)
}

// Speed returns the current speed.
func (c *clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// setSpeed changes the speed from now on and wakes every sleep to
// recompute its real wait.
func (c *clock) setSpeed(speed float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	real := time.Now()
	c.simAt = c.nowLocked(real)
	c.realAt = real
	c.speed = speed
	close(c.changed)
	c.changed = make(chan struct{})
}

// realDuration converts a simulated duration to real time at the current
// speed, rounding up.
func (c *clock) realDuration(d time.Duration) time.Duration {
	return time.Duration(math.Ceil(float64(d) / c.Speed()))
}

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
		wait := time.Duration(math.Ceil(float64(left) / c.speed))
		changed := c.changed
		c.mu.Unlock()
		if left <= 0 {
			return nil
		}
		if t == nil {
			t = time.NewTimer(wait)
		} else {
			t.Reset(wait) // Go 1.23+: Reset drains a stale tick
		}
		select {
		case <-t.C:
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
