package playground

import (
	"errors"
	"strconv"
	"strings"

	"github.com/goflow-dev/goflow/pipeline"
)

// Why is goflow.why(seq, part): why one part of the pipeline is in its
// state right after event seq, in one or two plain sentences, and where in
// the code panel's program that part's goroutine is now.
type Why struct {
	Seq   uint64  `json:"seq"`
	Ms    float64 `json:"ms"`    // the simulated time of event seq
	Part  string  `json:"part"`  // as asked: "producer", "jobs channel", "worker 2", "results channel", "consumer"
	State string  `json:"state"` // the part's state, as on its lane ("" for a channel: see Text)
	// Job is the job a worker runs or holds, the job the producer sends
	// or the result the consumer reads; "" for none.
	Job  string `json:"job"`
	Text string `json:"text"`
	// Where names the line of the program where the goroutine is (see
	// the Where constants); "" when it has none (a channel's line is
	// where it is made).
	Where string `json:"where"`
}

// The places in the program that Why.Where names; the page's code panel
// (web/where.js) maps each to one line.
const (
	WhereProducerLoop  = "producer loop"  // the producer's for loop, its backlog empty
	WhereProducerSend  = "producer send"  // case jobs <- job
	WhereProducerClose = "producer close" // defer close(jobs): it has returned
	WhereChannels      = "channels"       // pipeline.New(..., Options{JobBuffer, ResultBuffer})
	WhereWorkerTake    = "worker take"    // a worker's receive from jobs
	WhereWorkerHandler = "worker handler" // the handler, waiting on its work
	WhereWorkerSend    = "worker send"    // a worker's send on results
	WhereWorkerExit    = "worker exit"    // the worker returned
	WhereConsumerRange = "consumer range" // for r := range results
	WhereConsumerDone  = "consumer done"  // after the loop: the consumer exited
)

// ParsePart checks a part's name for goflow.why: "producer", "jobs
// channel", "results channel", "consumer" or "worker N" for one of the
// workers of n.
func ParsePart(v any, workers int) (string, int, error) {
	p, ok := v.(string)
	if !ok {
		return "", 0, errors.New("part: got " + describe(v) + "; want a string such as \"worker 0\"")
	}
	switch p {
	case "producer", "jobs channel", "results channel", "consumer":
		return p, -1, nil
	}
	if rest, ok := strings.CutPrefix(p, "worker "); ok {
		if i, err := strconv.Atoi(rest); err == nil && i >= 0 && i < workers && strconv.Itoa(i) == rest {
			return p, i, nil
		}
	}
	return "", 0, errors.New("part: got " + describe(v) + "; want \"producer\", \"jobs channel\", \"worker 0\" to \"worker " +
		strconv.Itoa(workers-1) + "\", \"results channel\" or \"consumer\"")
}

// Why explains part (see ParsePart) right after event seq of the recording.
func (pg *Playground) Why(seq uint64, part any) (Why, error) {
	r := pg.recording()
	if r == nil {
		return Why{}, prefix("why", errNoRecording)
	}
	name, worker, err := ParsePart(part, r.cfg.Workers)
	if err != nil {
		return Why{}, prefix("why", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.head.seq == 0 || seq < r.first || seq > r.head.seq {
		return Why{}, r.errSeq("why: seq", seq)
	}
	var st state
	r.stateAt(&st, seq)
	w := Why{Seq: seq, Ms: msOf(st.at), Part: name}
	if name == "consumer" {
		w.State, _ = st.lane(len(st.workers) + 1)
		if w.State == "idle" || w.State == "reading" {
			if n := r.readingAt(seq); n != 0 {
				w.State, w.Job = "reading", jobID(int(n))
				w.Text = "the consumer is reading " + w.Job + "'s result: it spends " + formatNumber(r.cfg.ConsumerDelayMs) +
					" ms on each result (consumerDelayMs), and takes no other result meanwhile."
				w.Where = WhereConsumerRange
				return w, nil
			}
		}
	}
	w.State, w.Text, w.Where = st.why(&r.cfg, name, worker)
	switch {
	case worker >= 0 && st.workers[worker].job != 0 && (w.State == "busy" || w.State == "blocked"):
		w.Job = jobID(int(st.workers[worker].job))
	case name == "producer" && w.State == "blocked":
		w.Job = jobID(int(st.sent + 1))
	case name == "consumer" && w.State == "reading":
		w.Job = jobID(int(st.inResults[0]))
	}
	return w, nil
}

// readingAt returns the job whose result the consumer is still spending
// consumerDelayMs on right after event seq, or 0; r.mu must be held.
func (r *recorder) readingAt(seq uint64) int32 {
	delay := ms(r.cfg.ConsumerDelayMs)
	if delay <= 0 {
		return 0
	}
	now := r.event(seq).At
	for s := seq; s >= r.first && s > 0; s-- {
		e := r.event(s)
		if now-e.At >= delay {
			return 0
		}
		if e.Kind == KindConsumed {
			return e.Job
		}
	}
	return 0
}

// why returns part's state, the sentences and the place in the code.
func (s *state) why(cfg *Config, part string, worker int) (state, text, where string) {
	n := len(s.workers)
	switch part {
	case "producer":
		state, _ = s.lane(0)
		text, where = s.whyProducer(cfg, state)
	case "consumer":
		state, _ = s.lane(n + 1)
		text, where = s.whyConsumer(cfg, state)
	case "jobs channel":
		text, where = s.whyChannel("jobs channel", s.queued(cfg), cfg.JobBuffer, s.jobsClosed), WhereChannels
	case "results channel":
		text, where = s.whyChannel("results channel", s.pending(cfg), cfg.ResultBuffer, s.resultsClosed), WhereChannels
	default:
		state, _ = s.lane(1 + worker)
		text, where = s.whyWorker(cfg, worker)
	}
	return state, text, where
}

func (s *state) whyProducer(cfg *Config, state string) (string, string) {
	switch state {
	case "exited":
		if s.canceled {
			return "the producer has exited: the context was canceled, so it stopped sending and closed the jobs channel.", WhereProducerClose
		}
		return "the producer has exited: it sent its whole backlog and closed the jobs channel, as close asked.", WhereProducerClose
	case "blocked":
		next := jobID(int(s.sent + 1))
		switch {
		case cfg.JobBuffer == 0:
			return "the producer is blocked: it is sending " + next + " and the jobs channel is unbuffered, so its send waits until an idle worker takes it.", WhereProducerSend
		case len(s.queued(cfg)) >= cfg.JobBuffer:
			return "the producer is blocked: it is sending " + next + " and the jobs channel is full (" + fill(len(s.queued(cfg)), cfg.JobBuffer) + "), so its send waits until a worker takes a job.", WhereProducerSend
		}
		return "the producer is sending " + next + ": the jobs channel has room, so the send goes through at once.", WhereProducerSend
	}
	if !s.started {
		return "the producer has not started: press start.", WhereProducerLoop
	}
	return "the producer is idle: its backlog is empty, so it has nothing to send until you submit jobs.", WhereProducerLoop
}

func (s *state) whyWorker(cfg *Config, i int) (string, string) {
	w := s.workers[i]
	name := "worker " + strconv.Itoa(i)
	id := jobID(int(w.job))
	switch w.state {
	case pipeline.Exited:
		if s.canceled {
			return name + " has exited: the context was canceled, so it stopped taking jobs.", WhereWorkerExit
		}
		return name + " has exited: the jobs channel is closed and empty, so its range over it ended.", WhereWorkerExit
	case pipeline.Busy:
		if s.canceled {
			return name + " is busy: it runs the handler on " + id + "; the context is canceled, so the handler returns early.", WhereWorkerHandler
		}
		return name + " is busy: it runs the handler on " + id + ", which takes " + formatNumber(planFor(cfg, int(w.job)).work.Seconds()*1000) + " ms of simulated time.", WhereWorkerHandler
	case pipeline.Blocked:
		var why string
		switch {
		case w.turn:
			why = "the pipeline is ordered: an earlier job's result is not emitted yet, so it waits for its turn"
		case cfg.ResultBuffer == 0:
			why = "the results channel is unbuffered, so its send waits until the consumer takes it"
		case len(s.inResults) < cfg.ResultBuffer: // the consumer has just made room
			why = "the results channel has room now (" + fill(len(s.inResults), cfg.ResultBuffer) + "), so its send goes through at once"
		default:
			why = "the results channel is full (" + fill(len(s.pending(cfg)), cfg.ResultBuffer) + "), so its send waits until the consumer takes a result"
		}
		text := name + " is blocked: it holds " + id + "'s result and " + why + "."
		switch {
		case s.consumerPaused:
			text += " The consumer is paused."
		case cfg.ConsumerDelayMs > 0:
			text += " The consumer is slow: it spends " + formatNumber(cfg.ConsumerDelayMs) + " ms on each result (consumerDelayMs)."
		}
		return text, WhereWorkerSend
	}
	if !s.started {
		return name + " has not started yet.", WhereWorkerTake
	}
	if s.jobsClosed {
		return name + " is idle: the jobs channel is closed and empty, so it is about to exit.", WhereWorkerTake
	}
	if q := s.queued(cfg); len(q) > 0 {
		return name + " is idle for a moment: the jobs channel holds " + plural(len(q), "job") + ", so its receive takes " + jobID(int(q[0])) + " or the next one at once.", WhereWorkerTake
	}
	if s.submitted > s.sent {
		return name + " is idle: it waits to receive a job, and the producer is sending one now.", WhereWorkerTake
	}
	return name + " is idle: the jobs channel is empty, so its receive waits until the producer sends a job.", WhereWorkerTake
}

func (s *state) whyConsumer(cfg *Config, state string) (string, string) {
	switch state {
	case "exited":
		return "the consumer has exited: the pipeline closed the results channel after the last worker exited, so its range loop ended.", WhereConsumerDone
	case "paused":
		return "the consumer is paused: it takes no results, so results wait in the results channel and workers that hold one block on their send.", WhereConsumerRange
	case "reading":
		text := "the consumer is reading: " + jobID(int(s.inResults[0])) + "'s result is next in the results channel."
		if cfg.ConsumerDelayMs > 0 {
			text += " It is slow: it spends " + formatNumber(cfg.ConsumerDelayMs) + " ms on each result (consumerDelayMs), so results pile up."
		}
		return text, WhereConsumerRange
	}
	if !s.started {
		return "the consumer has not started: press start.", WhereConsumerRange
	}
	return "the consumer is idle: the results channel is empty, so its range waits until a worker sends a result.", WhereConsumerRange
}

func (s *state) whyChannel(name string, in []int32, capacity int, closed bool) string {
	var b strings.Builder
	b.WriteString("the " + name + " holds " + fill(len(in), capacity))
	if len(in) > 0 {
		b.WriteString(" (" + jobID(int(in[0])) + " first)")
	}
	b.WriteString(". ")
	switch {
	case closed && len(in) == 0:
		b.WriteString("It is closed and empty: nothing more comes through it.")
	case closed:
		b.WriteString("It is closed: what is left in it is drained, then its readers see it closed.")
	case capacity == 0:
		b.WriteString("It is unbuffered: a send waits until a receiver takes the value, hand to hand.")
	case len(in) >= capacity:
		b.WriteString("It is full, so the next send on it waits until a receiver takes one.")
	case len(in) == 0:
		b.WriteString("It is empty, so a receive on it waits until someone sends.")
	default:
		b.WriteString("It has room, so a send on it goes through at once.")
	}
	return b.String()
}

// fill writes a channel's occupancy, as in "2 of 4" or "nothing (unbuffered)".
func fill(n, capacity int) string {
	if capacity == 0 {
		return "nothing (unbuffered)"
	}
	return strconv.Itoa(n) + " of " + strconv.Itoa(capacity)
}

// AppendJSON appends w's JSON to b.
func (w Why) AppendJSON(b []byte) []byte {
	enc := encoder{b: b}
	enc.open('{')
	enc.uint("seq", w.Seq)
	enc.float("ms", w.Ms)
	enc.str("part", w.Part)
	enc.str("state", w.State)
	enc.str("job", w.Job)
	enc.str("text", w.Text)
	enc.str("where", w.Where)
	enc.end('}')
	return enc.b
}
