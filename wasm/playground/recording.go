package playground

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/goflow-dev/goflow/pipeline"
)

// RecordingVersion is the version of the recording format that recording()
// writes and load() reads.
const RecordingVersion = 1

// A recording, as recording() returns it, is one JSON object:
//
//	{"version": 1,
//	 "config": {...},               // the session's config, seed included
//	 "first": 1,                    // the seq of the first event
//	 "base": null,                  // the state before event first, when first > 1 (older events were dropped)
//	 "events": [[seq, atNs, kind, worker, job, arg], ...]}
//
// kind is the Kind's number; atNs the simulated time in nanoseconds. A base
// is [seq, atNs, speed, flags, submitted, sent, consumed, last,
// liveWorkers, received, succeeded, failed, canceled, emitted,
// [[since, job, early, state, turn], ...], [inJobs...], [inResults...],
// endArg, errJob]; turn is 1 while the worker waits for its turn (ordered),
// and endArg and errJob are the KindResultsClosed event's Arg and Job (0
// before). A base without the last two, and workers without turn, as
// recordings made before ordered and failFast have them, is read too.

// AppendRecordingJSON appends the current recording's JSON to dst.
func (pg *Playground) AppendRecordingJSON(dst []byte) ([]byte, error) {
	r := pg.recording()
	if r == nil {
		return dst, prefix("recording", errNoRecording)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e := encoder{b: dst}
	e.open('{')
	e.int("version", RecordingVersion)
	e.key("config")
	r.cfg.encode(&e)
	e.uint("first", r.first)
	e.key("base")
	if r.first > 1 {
		r.keys[0].encode(&e)
	} else {
		e.b = append(e.b, "null"...)
	}
	e.array("events")
	for s := r.first; s <= r.head.seq && s > 0; s++ {
		ev := r.event(s)
		e.elem()
		e.b = append(e.b, '[')
		e.b = strconv.AppendUint(e.b, ev.Seq, 10)
		for _, n := range [...]int64{int64(ev.At), int64(ev.Kind), int64(ev.Worker), int64(ev.Job), ev.Arg} {
			e.b = append(e.b, ',')
			e.b = strconv.AppendInt(e.b, n, 10)
		}
		e.b = append(e.b, ']')
	}
	e.end(']')
	e.end('}')
	return e.b, nil
}

// state flags in a recording's base
const (
	flagStarted = 1 << iota
	flagClosing
	flagCanceled
	flagJobsClosed
	flagResultsClosed
	flagConsumerExited
	flagConsumerPaused
	flagPaused
	flagDone
	flagEndedCancel // ended is "cancel" (else "close" if closing or canceled)
	flagEnd
)

func (s *state) encode(e *encoder) {
	flags := 0
	for i, b := range [...]bool{s.started, s.closing, s.canceled, s.jobsClosed, s.resultsClosed,
		s.consumerExited, s.consumerPaused, s.paused, s.done, s.ended == EndedCancel} {
		if b {
			flags |= 1 << i
		}
	}
	e.b = append(e.b, '[')
	for i, n := range [...]int64{int64(s.seq), int64(s.at), speedArg(s.speed), int64(flags),
		int64(s.submitted), int64(s.sent), int64(s.consumed), int64(s.last), int64(s.liveWorkers),
		int64(s.counters.Received), int64(s.counters.Succeeded), int64(s.counters.Failed),
		int64(s.counters.Canceled), int64(s.counters.Emitted)} {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = strconv.AppendInt(e.b, n, 10)
	}
	e.b = append(e.b, ",["...)
	for i, w := range s.workers {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, '[')
		e.b = strconv.AppendInt(e.b, int64(w.since), 10)
		for _, n := range [...]int64{int64(w.job), int64(w.early), int64(w.state), int64(boolNumber(w.turn))} {
			e.b = append(e.b, ',')
			e.b = strconv.AppendInt(e.b, n, 10)
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, ']')
	for _, ns := range [...][]int32{s.inJobs, s.inResults} {
		e.b = append(e.b, ",["...)
		for i, n := range ns {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = strconv.AppendInt(e.b, int64(n), 10)
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, ',')
	e.b = strconv.AppendInt(e.b, s.endArg, 10)
	e.b = append(e.b, ',')
	e.b = strconv.AppendInt(e.b, int64(s.errJob), 10)
	e.b = append(e.b, ']')
}

// maxRecordingBytes bounds the JSON text load parses: a full recording of
// ringEvents events takes about 4 MB.
const maxRecordingBytes = 16 << 20

// Load replaces the playground's recording with rec, a recording as
// recording() returns it (parsed from JSON, or as JSON text), after
// checking every field and replaying every event through the state model.
// It stops a live session first (its goroutines finish in the background).
// Nothing runs until the next Start. A recording that is malformed, of
// another version or inconsistent is refused with an error that names what
// is wrong, and the playground stays as it was.
func (pg *Playground) Load(rec any) error {
	if text, ok := rec.(string); ok {
		if len(text) > maxRecordingBytes {
			return errors.New("load: recording: got " + strconv.Itoa(len(text)) + " bytes of JSON; want at most " + strconv.Itoa(maxRecordingBytes))
		}
		v, err := parseJSON(text)
		if err != nil {
			return prefix("load: recording", err)
		}
		rec = v
	}
	r, err := loadRecording(rec)
	if err != nil {
		return prefix("load", err)
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if s := pg.sess; s != nil {
		// Detach first: a step waiting for the run is rejected (its channel
		// closed), not answered with the cancel event.
		s.rec.detach()
		s.cancelRun() // an error only says it was canceled or done already
		pg.sess = nil
		pg.clock.setPaused(pg.paused)
	}
	pg.rec = r
	return nil
}

// loadRecording checks rec and builds its recorder.
func loadRecording(rec any) (*recorder, error) {
	m, ok := rec.(map[string]any)
	if !ok {
		return nil, errors.New("recording: got " + describe(rec) + "; want an object")
	}
	for k := range m {
		switch k {
		case "version", "config", "first", "base", "events":
		default:
			return nil, errors.New("recording: unknown key " + describe(k) + "; known keys: version, config, first, base, events")
		}
	}
	for _, k := range [...]string{"version", "config", "first", "events"} {
		if _, ok := m[k]; !ok {
			m[k] = Undefined{}
		}
	}
	if v, ok := m["version"].(float64); !ok || v != RecordingVersion {
		return nil, errors.New("recording.version: got " + describe(m["version"]) + "; want " + strconv.Itoa(RecordingVersion))
	}
	cm, ok := m["config"].(map[string]any)
	if !ok {
		return nil, errors.New("recording.config: got " + describe(m["config"]) + "; want an object")
	}
	cfg, err := ParseConfig(cm)
	if err != nil {
		return nil, prefix("recording.config", err)
	}
	first, err := intIn(m["first"], 1, MaxSeed)
	if err != nil {
		return nil, prefix("recording.first", err)
	}
	events, ok := m["events"].([]any)
	if !ok {
		return nil, errors.New("recording.events: got " + describe(m["events"]) + "; want an array")
	}
	if len(events) == 0 || len(events) > ringEvents {
		return nil, errors.New("recording.events: got " + plural(len(events), "event") + "; want 1 to " + strconv.Itoa(ringEvents))
	}
	r := newRecorder(cfg, nil)
	if first > 1 {
		base, err := decodeState(m["base"], cfg)
		if err != nil {
			return nil, prefix("recording.base", err)
		}
		if base.seq != uint64(first)-1 {
			return nil, errors.New("recording.base: seq " + strconv.FormatUint(base.seq, 10) + "; want first-1 = " + strconv.FormatInt(first-1, 10))
		}
		r.head = base
		r.keys[0].copyFrom(&base)
		r.first = uint64(first)
	} else if m["base"] != nil {
		if _, undefined := m["base"].(Undefined); !undefined {
			return nil, errors.New("recording.base: got " + describe(m["base"]) + "; want null when first is 1")
		}
	}
	for i, v := range events {
		e, err := decodeEvent(v)
		if err == nil {
			err = r.head.apply(e)
		}
		if err != nil {
			return nil, prefix("recording.events["+strconv.Itoa(i)+"]", err)
		}
		r.append(e)
	}
	return r, nil
}

// intIn returns v as an integer from lo to hi, or an error naming v.
func intIn(v any, lo, hi int64) (int64, error) {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, errors.New("got " + describe(v) + "; want an integer from " + strconv.FormatInt(lo, 10) + " to " + strconv.FormatInt(hi, 10))
	}
	return int64(f), nil
}

// ints reads v as an array of n integers, each from lo to hi.
func ints(v any, n int, lo, hi int64) ([]int64, error) {
	a, ok := v.([]any)
	if !ok || (n >= 0 && len(a) != n) {
		want := "an array"
		if n >= 0 {
			want = "an array of " + strconv.Itoa(n) + " integers"
		}
		return nil, errors.New("got " + describe(v) + lenNote(v) + "; want " + want)
	}
	out := make([]int64, len(a))
	for i, x := range a {
		k, err := intIn(x, lo, hi)
		if err != nil {
			return nil, prefix("["+strconv.Itoa(i)+"]", err)
		}
		out[i] = k
	}
	return out, nil
}

func lenNote(v any) string {
	if a, ok := v.([]any); ok {
		return " of length " + strconv.Itoa(len(a))
	}
	return ""
}

// decodeEvent reads [seq, atNs, kind, worker, job, arg].
func decodeEvent(v any) (Event, error) {
	f, err := ints(v, 6, -MaxSeed, MaxSeed)
	if err != nil {
		return Event{}, err
	}
	switch {
	case f[0] < 1:
		return Event{}, errors.New("seq: got " + strconv.FormatInt(f[0], 10) + "; want at least 1")
	case f[1] < 0:
		return Event{}, errors.New("time: got " + strconv.FormatInt(f[1], 10) + "; want at least 0")
	case f[2] < 1 || f[2] >= int64(kindEnd):
		return Event{}, errors.New("kind: got " + strconv.FormatInt(f[2], 10) + "; want 1 to " + strconv.Itoa(int(kindEnd)-1))
	case f[3] < -1 || f[3] >= maxWorkersLimit:
		return Event{}, errors.New("worker: got " + strconv.FormatInt(f[3], 10) + "; want -1 to " + strconv.Itoa(maxWorkersLimit-1))
	case f[4] < 0 || f[4] > math.MaxInt32:
		return Event{}, errors.New("job: got " + strconv.FormatInt(f[4], 10) + "; want 0 to " + strconv.Itoa(math.MaxInt32))
	}
	return Event{Seq: uint64(f[0]), At: time.Duration(f[1]), Kind: Kind(f[2]), Worker: int16(f[3]), Job: int32(f[4]), Arg: f[5]}, nil
}

// maxWorkersLimit is the config's largest workers value.
const maxWorkersLimit = 64

// decodeState reads a recording's base.
func decodeState(v any, cfg Config) (state, error) {
	a, ok := v.([]any)
	if !ok || (len(a) != 19 && len(a) != 17) {
		return state{}, errors.New("got " + describe(v) + lenNote(v) + "; want an array of 19 items")
	}
	f, err := ints(a[:14], 14, 0, MaxSeed)
	if err != nil {
		return state{}, err
	}
	s := newState(cfg.Workers)
	s.seq, s.at, s.speed = uint64(f[0]), time.Duration(f[1]), float64(f[2])/speedUnit
	if !(s.speed >= MinSpeed && s.speed <= MaxSpeed) || f[3] >= flagEnd || f[4] > math.MaxInt32 ||
		f[5] > f[4] || f[6] > f[5] || f[7] > f[5] || f[8] > int64(cfg.Workers) {
		return state{}, errors.New("numbers out of range")
	}
	flags := f[3]
	bits := [...]*bool{&s.started, &s.closing, &s.canceled, &s.jobsClosed, &s.resultsClosed,
		&s.consumerExited, &s.consumerPaused, &s.paused, &s.done}
	for i, b := range bits {
		*b = flags&(1<<i) != 0
	}
	switch {
	case flags&flagEndedCancel != 0:
		s.ended = EndedCancel
	case s.closing || s.canceled:
		s.ended = EndedClose
	}
	s.submitted, s.sent, s.consumed, s.last, s.liveWorkers = int32(f[4]), int32(f[5]), int32(f[6]), int32(f[7]), int16(f[8])
	s.counters = Counters{Received: uint64(f[9]), Succeeded: uint64(f[10]), Failed: uint64(f[11]), Canceled: uint64(f[12]), Emitted: uint64(f[13])}
	ws, ok := a[14].([]any)
	if !ok || len(ws) != cfg.Workers {
		return state{}, errors.New("workers: got " + describe(a[14]) + lenNote(a[14]) + "; want one per worker")
	}
	for i, wv := range ws {
		n := 5
		if wa, ok := wv.([]any); ok && len(wa) == 4 {
			n = 4 // before ordered: no turn
		}
		w, err := ints(wv, n, 0, MaxSeed)
		if err != nil {
			return state{}, prefix("workers["+strconv.Itoa(i)+"]", err)
		}
		turn := n == 5 && w[4] != 0
		if w[1] > int64(s.sent) || w[2] > int64(s.sent) || w[3] > int64(pipeline.Exited) ||
			(n == 5 && w[4] > 1) || (turn && pipeline.WorkerState(w[3]) != pipeline.Blocked) {
			return state{}, errors.New("workers[" + strconv.Itoa(i) + "]: numbers out of range")
		}
		s.workers[i] = workerState{since: time.Duration(w[0]), job: int32(w[1]), early: int32(w[2]), state: pipeline.WorkerState(w[3]), turn: turn}
	}
	for k, dst := range [...]*[]int32{&s.inJobs, &s.inResults} {
		n, err := ints(a[15+k], -1, 1, int64(s.sent))
		if err == nil && len(n) > maxBuffer+cfg.Workers+1 {
			err = errors.New("too many jobs")
		}
		if err != nil {
			return state{}, prefix([...]string{"inJobs", "inResults"}[k], err)
		}
		for _, x := range n {
			*dst = append(*dst, int32(x))
		}
	}
	if len(a) == 19 {
		end, err := ints(a[17:], 2, 0, MaxSeed)
		if err != nil {
			return state{}, prefix("endArg, errJob", err)
		}
		code, job := end[0]&0xff, end[1]
		if !s.resultsClosed && end[0] != 0 || code >= errEnd || end[0]>>8 > int64(s.sent) ||
			job > int64(s.sent) || (code > errFailed) != (job > 0) {
			return state{}, errors.New("endArg, errJob: numbers out of range")
		}
		s.endArg, s.errJob = end[0], int32(job)
	}
	if err := s.check(); err != nil {
		return state{}, err
	}
	return s, nil
}

// check returns an error if s is a state that no log can reach: more jobs
// received than sent, more finished or emitted than received, more consumed
// than emitted, a busy or blocked worker without a job, or one job in two
// places at once (two workers, a worker and a channel, or twice in one
// channel). decodeState checks a recording's base with it, so that a
// hostile base cannot make an impossible snapshot.
func (s *state) check() error {
	c := s.counters
	switch {
	case c.Received > uint64(s.sent):
		return errors.New("received: more jobs than were sent")
	case c.Succeeded+c.Failed+c.Canceled > c.Received:
		return errors.New("succeeded, failed, canceled: more jobs finished than were received")
	case c.Emitted > c.Received:
		return errors.New("emitted: more results than jobs received")
	case uint64(s.consumed) > c.Emitted:
		return errors.New("consumed: more results than were emitted")
	}
	seen := make(map[int32]bool, len(s.workers)+len(s.inJobs)+len(s.inResults))
	place := func(n int32, where string) error {
		if seen[n] {
			return errors.New(where + ": job " + strconv.Itoa(int(n)) + " is in two places at once")
		}
		seen[n] = true
		return nil
	}
	for i, w := range s.workers {
		busy := w.state == pipeline.Busy || w.state == pipeline.Blocked
		if busy != (w.job != 0) && !(w.state == pipeline.Idle && w.job != 0) {
			return errors.New("workers[" + strconv.Itoa(i) + "]: state and job do not agree")
		}
		for _, n := range [...]int32{w.job, w.early} {
			if n == 0 {
				continue
			}
			if err := place(n, "workers["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	for k, ns := range [...][]int32{s.inJobs, s.inResults} {
		for _, n := range ns {
			if err := place(n, [...]string{"inJobs", "inResults"}[k]); err != nil {
				return err
			}
		}
	}
	return nil
}
