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
var LaneStates = []string{"idle", "busy", "blocked", "exited", "paused", "reading"}

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

// stateIndex maps a lane state's word to its index in LaneStates.
func stateIndex(s string) uint8 {
	for i, w := range LaneStates {
		if w == s {
			return uint8(i)
		}
	}
	panic("playground: lane state " + strconv.Quote(s) + " is not in LaneStates")
}

// update brings c up to r's head; r.mu must be held. A new recording, or
// one whose ring dropped events c started from, is replayed from its
// earliest keyframe.
func (c *laneCache) update(r *recorder) {
	if c.rec != r || c.base < r.keys[0].seq {
		*c = laneCache{rec: r, base: r.keys[0].seq, delay: ms(r.cfg.ConsumerDelayMs)}
		c.st.copyFrom(&r.keys[0])
		c.lanes = make([][]laneSpan, 2+len(c.st.workers))
		c.note()
	}
	for seq := c.st.seq + 1; seq <= r.head.seq; seq++ {
		e := r.event(seq)
		if c.readUntil > 0 && e.At > c.readUntil { // the consumer finished reading before e
			c.st.at = c.readUntil
			c.readUntil = 0
			c.note()
		}
		if err := c.st.apply(e); err != nil {
			panic("playground: replaying the log: " + err.Error())
		}
		if e.Kind == KindConsumed && c.delay > 0 {
			c.readUntil = e.At + c.delay
		}
		c.note()
	}
}

// note records the state after c.st's last event in the lanes and fill.
func (c *laneCache) note() {
	s := &c.st
	for i := range c.lanes {
		word, job := s.lane(i)
		if i == len(c.lanes)-1 && c.readUntil > s.at && (word == "idle" || word == "reading") {
			word = "reading"
		}
		sp := laneSpan{from: s.seq, at: s.at, job: job, state: stateIndex(word)}
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
	f := fillPoint{at: s.at, jobs: int32(len(s.inJobs)), results: int32(len(s.inResults))}
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
// time (cut to the kept recording, and at least 1 ms long), with spans shorter than a bucket ((toMs-fromMs)/buckets) merged
// into one bar of the state that took most of them; the channels' most
// filled len per bucket; the last event at or before each bucket's end
// (to seek by); and, when seq > 0, the time of event seq (the cursor).
//
//	{"fromMs","toMs","buckets","first","last","lastMs","cursorMs",
//	 "states":[...], "lanes":[{"name","bars":[state,fromMs,toMs,job,...]}],
//	 "jobs":{"cap","fill":[...]}, "results":{"cap","fill":[...]}, "seqs":[...]}
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
	width := (to - from) / time.Duration(buckets)

	enc := encoder{b: dst}
	enc.open('{')
	enc.float("fromMs", msOf(from))
	enc.float("toMs", msOf(to))
	enc.int("buckets", buckets)
	enc.uint("first", r.first)
	enc.uint("last", r.head.seq)
	enc.float("firstMs", msOf(r.event(r.first).At))
	enc.float("lastMs", msOf(head))
	if seq != 0 {
		enc.float("cursorMs", msOf(r.event(seq).At))
	}
	enc.strings("states", LaneStates)
	enc.array("lanes")
	var scratch []bar
	for i, l := range c.lanes {
		enc.elem()
		enc.open('{')
		enc.str("name", laneName(i, len(c.lanes)))
		enc.array("bars")
		agg := barAgg{width: width, out: scratch[:0]}
		for k, sp := range l {
			end := head
			if k+1 < len(l) {
				end = l[k+1].at
			}
			a, b := max(sp.at, from), min(end, to)
			if b < a || (b == a && end != sp.at) {
				continue
			}
			agg.add(sp.state, a, b, sp.job)
		}
		agg.flush()
		// The lane's state at the head stays visible, even when it began
		// in a bucket merged into another state.
		if sp := l[len(l)-1]; sp.at >= from && sp.at <= to {
			if n := len(agg.out); n == 0 || agg.out[n-1].state != sp.state || agg.out[n-1].job != sp.job {
				agg.out = append(agg.out, bar{sp.state, sp.job, sp.at, max(sp.at, min(head, to))})
			}
		}
		scratch = agg.out
		for _, br := range agg.out {
			br.encode(&enc)
		}
		enc.end(']')
		enc.end('}')
	}
	enc.end(']')
	jobs, results := make([]int32, buckets), make([]int32, buckets)
	for k, f := range c.fill {
		end := head
		if k+1 < len(c.fill) {
			end = c.fill[k+1].at
		}
		if end < from || f.at > to {
			continue
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
		enc.b = strconv.AppendUint(enc.b, r.seqAt(from+time.Duration(j+1)*width), 10)
	}
	enc.end(']')
	enc.end('}')
	return enc.b, nil
}

// bucketOf is the bucket of time t, clamped to the range.
func bucketOf(t, from, width time.Duration, buckets int) int {
	if width <= 0 || t <= from {
		return 0
	}
	return min(int((t-from)/width), buckets-1)
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

// bar is one bar of a lane as drawn.
type bar struct {
	state    uint8
	job      int32
	from, to time.Duration
}

// encode writes the bar as four numbers: state, fromMs, toMs, job.
func (br bar) encode(enc *encoder) {
	enc.elem()
	enc.b = strconv.AppendUint(enc.b, uint64(br.state), 10)
	enc.b = append(enc.b, ',')
	enc.b = appendFloat(enc.b, msOf(br.from))
	enc.b = append(enc.b, ',')
	enc.b = appendFloat(enc.b, msOf(br.to))
	enc.b = append(enc.b, ',')
	enc.b = strconv.AppendInt(enc.b, int64(br.job), 10)
}

// barAgg turns one lane's spans, in order, into bars: a span at least a
// bucket wide is a bar of its own; narrower ones in a row are merged into
// one bar, up to a bucket wide, of the state that took most of their time
// (the last state when none took any); the same state twice in a row is
// one bar; and bars of no length are left out, but for the lane's last
// (the state at the head, which is always the last bar when in range).
type barAgg struct {
	width    time.Duration
	out      []bar
	on       bool // merging narrow spans from..to
	from, to time.Duration
	last     uint8
	took     [8]time.Duration // by state
}

func (g *barAgg) add(state uint8, a, b time.Duration, job int32) {
	if b-a >= g.width {
		g.flush()
		g.put(bar{state, job, a, b})
		return
	}
	if g.on && b-g.from > g.width { // the merged bar is a bucket wide: done
		g.flush()
	}
	if !g.on {
		*g = barAgg{width: g.width, out: g.out, on: true, from: a}
	}
	g.to, g.last = b, state
	g.took[state] += b - a
}

func (g *barAgg) flush() {
	if !g.on {
		return
	}
	best := g.last
	for s, d := range g.took {
		if d > g.took[best] {
			best = uint8(s)
		}
	}
	g.on = false
	g.put(bar{best, 0, g.from, g.to})
}

// put appends br, merged with the bar before it when they match, and
// replacing that one when it has no length.
func (g *barAgg) put(br bar) {
	if n := len(g.out); n > 0 {
		p := &g.out[n-1]
		switch {
		case p.state == br.state && p.job == br.job:
			p.to = br.to
			return
		case p.to == p.from:
			*p = br
			if n > 1 && g.out[n-2].state == br.state && g.out[n-2].job == br.job {
				g.out[n-2].to = br.to
				g.out = g.out[:n-1]
			}
			return
		}
	}
	g.out = append(g.out, br)
}

func ints32(enc *encoder, k string, vs []int32) {
	enc.array(k)
	for _, v := range vs {
		enc.elem()
		enc.b = strconv.AppendInt(enc.b, int64(v), 10)
	}
	enc.end(']')
}
