package playground

import (
	"errors"
	"sort"
	"strconv"
	"sync"
	"time"
)

// The timeline view: goflow.timeline(fromMs, toMs, buckets, seq) draws
// from it. It is the lanes of Timeline, kept up to date event by event
// (never replayed from the start on every frame), cut to a range of
// simulated time and aggregated to a number of buckets (the pixels of the
// canvas), plus the fill of both channels.

// LaneStates are the states of the lanes, in the order of the numbers in
// the JSON of goflow.timeline ("states"): a bar [state, fromMs, toMs, job]
// has state LaneStates[state].
var LaneStates = []string{"idle", "busy", "blocked", "exited", "paused", "reading", "waiting for its turn"}

// The indices of LaneStates; a worker's is its pipeline.WorkerState.
const (
	laneIdle uint8 = iota
	laneBusy
	laneBlocked
	laneExited
	lanePaused
	laneReading
	laneTurn // a blocked worker of an ordered pipeline whose result is not due
)

// MaxBuckets is the most buckets goflow.timeline aggregates to.
const MaxBuckets = 4096

// laneSpan is one span of the cache: it lasts until the next span of its
// lane begins, or until the head of the recording for the last one.
type laneSpan struct {
	from  uint64
	at    time.Duration
	job   int32
	state uint8
}

// fillPoint is the channels' occupancy from event seq on.
type fillPoint struct {
	at            time.Duration
	jobs, results int32
}

// laneCache is the timeline of one recording as far as event seq.
type laneCache struct {
	rec   *recorder
	st    state  // after event st.seq
	base  uint64 // the keyframe the cache started from
	lanes [][]laneSpan
	fill  []fillPoint
	row   []byte // AppendTimelineJSON's scratch for one lane's buckets
	// delay is the consumer's time per result (consumerDelayMs): after
	// taking a result it is reading until readUntil, though no event marks
	// the end.
	delay, readUntil time.Duration
}

// timelineCache is a Playground's lane cache and its lock.
type timelineCache struct {
	mu sync.Mutex // guards c
	c  laneCache
}

// update brings c up to r's head; r.mu must be held. A new recording, or
// one whose ring dropped events c has not applied yet, is replayed from
// its earliest keyframe. When the ring dropped only events c applied, the
// spans that ended before them are dropped instead: a replay there would
// cost the whole ring again every keyframeEvery events of a long run.
func (c *laneCache) update(r *recorder) {
	if c.rec != r || c.st.seq < r.keys[0].seq {
		*c = laneCache{rec: r, base: r.keys[0].seq, delay: ms(r.cfg.ConsumerDelayMs)}
		c.st.copyFrom(&r.keys[0])
		c.lanes = make([][]laneSpan, 2+len(c.st.workers))
		c.note(nil)
	} else if k := &r.keys[0]; c.base < k.seq {
		c.base = k.seq
		for i, l := range c.lanes {
			n := max(sort.Search(len(l), func(j int) bool { return l[j].from > k.seq })-1, 0)
			c.lanes[i] = append(l[:0], l[n:]...)
		}
		n := max(sort.Search(len(c.fill), func(j int) bool { return c.fill[j].at >= k.at })-1, 0)
		c.fill = append(c.fill[:0], c.fill[n:]...)
	}
	for seq := c.st.seq + 1; seq <= r.head.seq; seq++ {
		e := r.event(seq)
		if c.readUntil > 0 && e.At > c.readUntil { // the consumer finished reading before e
			c.st.at = c.readUntil
			c.readUntil = 0
			c.note(nil)
		}
		if err := c.st.apply(e); err != nil {
			panic("playground: replaying the log: " + err.Error())
		}
		if e.Kind == KindConsumed && c.delay > 0 {
			c.readUntil = e.At + c.delay
		}
		c.note(&e)
	}
}

// note records the state after c.st's last event, e (nil: any change),
// in the lanes and fill. A worker's event can change only its own lane
// besides the producer's and the consumer's, a send none: the other lanes
// are not looked at (the cost per event does not grow with the workers).
func (c *laneCache) note(e *Event) {
	s := &c.st
	only := -2 // the one worker lane e can change; -1 none, -2 any
	if e != nil {
		switch e.Kind {
		case KindWorkerStarted, KindTaken, KindFinished, KindEmitted, KindAbandoned, KindWorkerExited, KindTurnAwaited:
			only = int(e.Worker) + 1
		case KindSent:
			only = -1
		}
	}
	for i := range c.lanes {
		if only != -2 && i != 0 && i != len(c.lanes)-1 && i != only {
			continue
		}
		st, job := s.laneState(i)
		if i == len(c.lanes)-1 && c.readUntil > s.at && st == laneIdle {
			st = laneReading
		}
		sp := laneSpan{from: s.seq, at: s.at, job: job, state: st}
		l := c.lanes[i]
		if n := len(l); n > 0 && l[n-1].state == sp.state && l[n-1].job == sp.job {
			continue
		} else if n > 0 && l[n-1].at == sp.at && l[n-1].from == sp.from {
			// Two states at one event: the last counts, and joins the
			// span before it if that has the same state.
			if n > 1 && l[n-2].state == sp.state && l[n-2].job == sp.job {
				c.lanes[i] = l[:n-1]
			} else {
				l[n-1] = sp
			}
			continue
		}
		c.lanes[i] = append(l, sp)
	}
	f := fillPoint{at: s.at, jobs: int32(len(s.queued(&c.rec.cfg))), results: int32(len(s.pending(&c.rec.cfg)))}
	if n := len(c.fill); n == 0 || c.fill[n-1].jobs != f.jobs || c.fill[n-1].results != f.results {
		c.fill = append(c.fill, f)
	}
}

// msLimit is the range of goflow.timeline's times: up to about 31 years of
// simulated time, in ms.
var msLimit = Limit{Min: 0, Max: 1e12}

var bucketLimit = Limit{Min: 1, Max: MaxBuckets, Integer: true}

// AppendTimelineJSON appends the JSON of goflow.timeline(fromMs, toMs,
// buckets, seq) to dst: the lanes between fromMs and toMs of simulated
// time (cut to the kept recording, and at least 1 ms long), split into
// buckets (the canvas's pixel columns). Each lane has one character per
// bucket, the digit of the state (in "states") that took most of the
// bucket's time (the later on a tie, "." for none); the jobs of the spans
// at least labelBuckets wide, to label; and, when seq > 0, its exact
// state and job right after event seq. Then the channels' fullest len per
// bucket, and the last event at or before each bucket's end (to seek by).
//
//	{"fromMs","toMs","buckets","first","last","firstMs","lastMs","cursorMs",
//	 "states":[...], "lanes":[{"name","states":"0011112","jobs":[job,fromBucket,toBucket,...],"at":[state,job]}],
//	 "jobs":{"cap","fill":[...]}, "results":{"cap","fill":[...]}, "seqs":[...]}
//
// Its size is bounded by the buckets, not by the length of the run.
func (pg *Playground) AppendTimelineJSON(dst []byte, fromMs, toMs float64, buckets int, seq uint64) ([]byte, error) {
	const fn = "timeline"
	if _, err := checkArg(fn, "fromMs", msLimit, fromMs); err != nil {
		return dst, err
	}
	if _, err := checkArg(fn, "toMs", msLimit, toMs); err != nil {
		return dst, err
	}
	if !(toMs > fromMs) {
		return dst, errors.New("timeline: toMs: got " + formatNumber(toMs) + "; want more than fromMs (" + formatNumber(fromMs) + ")")
	}
	if _, err := checkArg(fn, "buckets", bucketLimit, buckets); err != nil {
		return dst, err
	}
	r := pg.recording()
	if r == nil {
		return dst, prefix(fn, errNoRecording)
	}
	pg.lanes.mu.Lock()
	defer pg.lanes.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.head.seq == 0 {
		return dst, errors.New("timeline: the recording has no events yet")
	}
	if seq != 0 && (seq < r.first || seq > r.head.seq) {
		return dst, r.errSeq("timeline: seq", seq)
	}
	c := &pg.lanes.c
	c.update(r)
	// The range is cut to the kept recording: (0, 1e12) is all of it.
	head := r.head.at
	from := min(max(time.Duration(fromMs*float64(time.Millisecond)), r.event(r.first).At), head)
	to := min(time.Duration(toMs*float64(time.Millisecond)), head)
	if to <= from {
		to = from + time.Millisecond
	}
	width := float64(to-from) / float64(buckets)

	enc := encoder{b: dst}
	enc.open('{')
	enc.float("fromMs", msOf(from))
	enc.float("toMs", msOf(to))
	enc.int("buckets", buckets)
	enc.uint("first", r.first)
	enc.uint("last", r.head.seq)
	enc.float("firstMs", msOf(r.event(r.first).At))
	enc.float("lastMs", msOf(head))
	var seqAt time.Duration
	if seq != 0 {
		seqAt = r.event(seq).At
		enc.float("cursorMs", msOf(seqAt))
	}
	enc.strings("states", LaneStates)
	enc.array("lanes")
	if cap(c.row) < buckets {
		c.row = make([]byte, buckets)
	}
	row := c.row[:buckets]
	for i, l := range c.lanes {
		enc.elem()
		enc.open('{')
		enc.str("name", laneName(i, len(c.lanes)))
		enc.key("jobs")
		enc.open('[')
		var g bucketAgg
		g.reset(row, from, width)
		k0 := max(sort.Search(len(l), func(k int) bool { return l[k].at > from })-1, 0)
		for k := k0; k < len(l) && l[k].at <= to; k++ {
			sp := l[k]
			end := head
			if k+1 < len(l) {
				end = l[k+1].at
			}
			a, b := max(sp.at, from), min(end, to)
			if b < a || (b == a && end != sp.at) {
				continue
			}
			g.add(sp.state, a, b)
			if sp.job != 0 && float64(b-a) >= labelBuckets*width {
				enc.elem()
				enc.b = strconv.AppendInt(enc.b, int64(sp.job), 10)
				enc.b = append(enc.b, ',')
				enc.b = strconv.AppendInt(enc.b, int64(float64(a-from)/width), 10)
				enc.b = append(enc.b, ',')
				enc.b = strconv.AppendInt(enc.b, int64(float64(b-from)/width), 10)
			}
		}
		g.finish()
		enc.end(']')
		enc.key("states")
		enc.b = append(enc.b, '"')
		enc.b = append(enc.b, row...)
		enc.b = append(enc.b, '"')
		if seq != 0 {
			sp := spanAt(l, seq, seqAt)
			enc.key("at")
			enc.b = append(enc.b, '[')
			enc.b = strconv.AppendUint(enc.b, uint64(sp.state), 10)
			enc.b = append(enc.b, ',')
			enc.b = strconv.AppendInt(enc.b, int64(sp.job), 10)
			enc.b = append(enc.b, ']')
		}
		enc.end('}')
	}
	enc.end(']')
	jobs, results := make([]int32, buckets), make([]int32, buckets)
	k0 := max(sort.Search(len(c.fill), func(k int) bool { return c.fill[k].at > from })-1, 0)
	for k := k0; k < len(c.fill) && c.fill[k].at <= to; k++ {
		f := c.fill[k]
		end := head
		if k+1 < len(c.fill) {
			end = c.fill[k+1].at
		}
		lo, hi := bucketOf(f.at, from, width, buckets), bucketOf(end, from, width, buckets)
		for j := lo; j <= hi; j++ {
			jobs[j], results[j] = max(jobs[j], f.jobs), max(results[j], f.results)
		}
	}
	enc.object("jobs")
	enc.int("cap", r.cfg.JobBuffer)
	ints32(&enc, "fill", jobs)
	enc.end('}')
	enc.object("results")
	enc.int("cap", r.cfg.ResultBuffer)
	ints32(&enc, "fill", results)
	enc.end('}')
	enc.array("seqs")
	for j := range buckets {
		enc.elem()
		enc.b = strconv.AppendUint(enc.b, r.seqAt(from+time.Duration(float64(j+1)*width)), 10)
	}
	enc.end(']')
	enc.end('}')
	return enc.b, nil
}

// bucketOf is the bucket of time t, clamped to the range.
func bucketOf(t, from time.Duration, width float64, buckets int) int {
	if width <= 0 || t <= from {
		return 0
	}
	return min(int(float64(t-from)/width), buckets-1)
}

// seqAt is the last kept event at or before t, or the first kept one if
// none is; r.mu must be held.
func (r *recorder) seqAt(t time.Duration) uint64 {
	n := int(r.head.seq - r.first + 1)
	i := sort.Search(n, func(i int) bool { return r.event(r.first+uint64(i)).At > t })
	return r.first + uint64(max(i-1, 0))
}

// laneName is the name of lane i of n: the producer, the workers, the
// consumer.
func laneName(i, n int) string {
	switch i {
	case 0:
		return "producer"
	case n - 1:
		return "consumer"
	}
	return "worker " + strconv.Itoa(i-1)
}

// labelBuckets is how many buckets wide a span must be for its job to be
// listed (and perhaps labelled on the canvas).
const labelBuckets = 12

// spanAt is the span of lane l right after event seq, at time at.
func spanAt(l []laneSpan, seq uint64, at time.Duration) laneSpan {
	k := sort.Search(len(l), func(k int) bool { return l[k].from > seq }) - 1
	for k > 0 && l[k].from == seq && l[k].at > at { // began after seq, before the next event
		k--
	}
	if k < 0 {
		return laneSpan{}
	}
	return l[k]
}

// bucketAgg writes one lane's spans, in order, into a row of buckets: each
// bucket gets the digit of the state that took most of its time.
type bucketAgg struct {
	row   []byte
	from  time.Duration
	width float64 // of a bucket
	inv   float64 // 1/width
	cur   int     // the bucket being summed; -1 before the first span
	took  [8]time.Duration
	last  uint8
}

func (g *bucketAgg) reset(row []byte, from time.Duration, width float64) {
	*g = bucketAgg{row: row, from: from, width: width, inv: 1 / width, cur: -1}
	for i := range row {
		row[i] = '.'
	}
}

// bucket returns the bucket of time t.
func (g *bucketAgg) bucket(t time.Duration) int {
	return min(int(float64(t-g.from)*g.inv), len(g.row)-1)
}

// end returns the end of bucket b.
func (g *bucketAgg) end(b int) time.Duration {
	return g.from + time.Duration(float64(b+1)*g.width)
}

// add sums span a..b of state into the buckets it covers: a part of
// its first and last bucket, and the whole of those between, which are
// state at once.
func (g *bucketAgg) add(state uint8, a, b time.Duration) {
	k, kb := g.bucket(a), g.bucket(b)
	if k == kb {
		g.sum(k, state, b-a)
		return
	}
	g.sum(k, state, g.end(k)-a)
	g.finish()
	for j := k + 1; j < kb; j++ {
		g.row[j] = '0' + state
	}
	g.sum(kb, state, b-g.end(kb-1))
}

// sum adds d of state to bucket k, the one being summed or a later one.
func (g *bucketAgg) sum(k int, state uint8, d time.Duration) {
	if k != g.cur {
		g.finish()
		g.cur = k
	}
	g.took[state] += max(d, 0)
	g.last = state
}

// finish writes the bucket being summed.
func (g *bucketAgg) finish() {
	if g.cur < 0 {
		return
	}
	best := g.last
	for s, d := range g.took {
		if d > g.took[best] {
			best = uint8(s)
		}
	}
	g.row[g.cur] = '0' + best
	g.took = [8]time.Duration{}
	g.cur = -1
}

func ints32(enc *encoder, k string, vs []int32) {
	enc.array(k)
	for _, v := range vs {
		enc.elem()
		enc.b = strconv.AppendInt(enc.b, int64(v), 10)
	}
	enc.end(']')
}
