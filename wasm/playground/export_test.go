package playground

import (
	"testing"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// Internals for the tests in package playground_test.
var (
	AppendString = appendString
	AppendFloat  = appendFloat
)

// LongRecording records n submit events of one job each on a recorder of
// its own (no goroutines), and returns its history and the snapshots at
// its first kept event: from the keyframes, and from replaying every event
// since the start (the events it dropped included).
func LongRecording(n int) (first, last uint64, got, want Snapshot) {
	cfg := DefaultConfig()
	cfg.Seed = 1
	r := newRecorder(cfg, nil)
	r.recordNow(Event{Kind: KindStart, Worker: -1, Arg: speedArg(1)})
	for range n {
		r.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	first, last = r.history()
	exact := newState(cfg.Workers)
	exact.apply(Event{Seq: 1, Kind: KindStart, Worker: -1, Arg: speedArg(1)})
	for s := uint64(2); s <= first; s++ {
		exact.apply(Event{Seq: s, Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	var sc snapshotScratch
	r.snapshotAt(&sc, first)
	got = sc.snap
	got.Log = nil
	exact.fill(&want, &cfg, exact.at, nil, nil)
	return first, last, got, want
}

// LongPlayground returns a playground whose recording (with no live run)
// is n submit events after a start with 2 workers: past ringEvents, its
// recording() has a base.
func LongPlayground(n int) *Playground {
	cfg := DefaultConfig()
	cfg.Workers, cfg.Seed = 2, 1
	r := newRecorder(cfg, nil)
	r.recordNow(Event{Kind: KindStart, Worker: -1, Arg: speedArg(0.5)})
	r.recordNow(Event{Kind: KindWorkerStarted, Worker: 1})
	r.recordNow(Event{Kind: KindCancel, Worker: -1})
	for range n {
		r.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	pg := New()
	pg.rec = r
	return pg
}

// PipelineErr returns the live session's pipeline.Err().
func (pg *Playground) PipelineErr() error { return pg.session().pipe.Err() }

// Recorded returns, from the whole recording, the job of every event of the
// kind named (as in "result consumed"), in the order recorded.
func (pg *Playground) Recorded(kind string) []int {
	r := pg.recording()
	r.mu.Lock()
	defer r.mu.Unlock()
	var jobs []int
	for s := r.first; s <= r.head.seq && s > 0; s++ {
		if e := r.event(s); e.Kind.String() == kind {
			jobs = append(jobs, int(e.Job))
		}
	}
	return jobs
}

// Recorded64x10000 returns a playground whose recording (with no live run)
// is a scripted run of 64 workers and 10,000 jobs of 10 ms each, about
// 50,000 events: every worker takes a job, runs it, emits it and the
// consumer takes it, round after round.
func Recorded64x10000(tb testing.TB) *Playground {
	cfg := DefaultConfig()
	cfg.Workers, cfg.Seed = 64, 1
	r := newRecorder(cfg, nil)
	at := func(d time.Duration, e Event) {
		r.head.at = max(r.head.at, d)
		r.recordNow(e)
	}
	at(0, Event{Kind: KindStart, Worker: -1, Arg: speedArg(1)})
	for w := range 64 {
		at(0, Event{Kind: KindWorkerStarted, Worker: int16(w)})
	}
	for range 10 {
		at(time.Millisecond, Event{Kind: KindSubmit, Worker: -1, Arg: 1000})
	}
	job := int32(0)
	for round := 0; job < 10000; round++ {
		t0 := time.Millisecond + time.Duration(round)*11*time.Millisecond
		first := job + 1
		for w := 0; w < 64 && job < 10000; w++ {
			job++
			at(t0+time.Duration(w)*time.Microsecond, Event{Kind: KindSent, Worker: -1, Job: job})
			at(t0+time.Duration(w)*time.Microsecond, Event{Kind: KindTaken, Worker: int16(w), Job: job})
		}
		for n := first; n <= job; n++ {
			w := int16(n - first)
			done := t0 + 10*time.Millisecond + time.Duration(w)*time.Microsecond
			at(done, Event{Kind: KindFinished, Worker: w, Job: n, Arg: int64(pipeline.Succeeded)})
			at(done, Event{Kind: KindEmitted, Worker: w, Job: n})
			at(done, Event{Kind: KindConsumed, Worker: -1, Job: n})
		}
	}
	pg := New()
	pg.rec = r
	return pg
}

// ParseURLQuery is the query-string decoder that stands in for url.ParseQuery.
var ParseURLQuery = parseURLQuery

// RecordSubmits records n more submit events of one job each on pg's
// recording (see LongPlayground).
func RecordSubmits(pg *Playground, n int) {
	for range n {
		pg.rec.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: 1})
	}
}

// LaneCacheFrom is the event the first span of the timeline cache's
// producer lane began at: a cache replayed from the recording's earliest
// keyframe begins there, one kept up to date event by event earlier.
func LaneCacheFrom(pg *Playground) uint64 {
	pg.lanes.mu.Lock()
	defer pg.lanes.mu.Unlock()
	return pg.lanes.c.lanes[0][0].from
}

// ResetLaneCache makes the next goflow.timeline replay the recording.
func ResetLaneCache(pg *Playground) {
	pg.lanes.mu.Lock()
	defer pg.lanes.mu.Unlock()
	pg.lanes.c = laneCache{}
}
