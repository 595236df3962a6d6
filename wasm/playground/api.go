package playground

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Functions are the names of the goflow.* functions that Call answers.
var Functions = []string{
	"start", "submit", "close", "cancel", "pauseConsumer", "setSpeed",
	"snapshot", "parseQuery", "validate", "defaults", "limits",
	"pause", "resume", "step", "history", "snapshotAt", "events", "recording", "load",
	"timeline", "why",
}

// Call runs the goflow.* function name with args, JavaScript values
// converted to Go (see the types in value.go; a missing argument may be
// left out or given as Undefined). It appends the result's JSON to dst and
// returns it, or returns dst unchanged when the function returns undefined.
// An error's message starts with name and names the argument and the rule,
// as in "submit: n: got 5000; want an integer from 1 to 1000".
func (pg *Playground) Call(dst []byte, name string, args []any) ([]byte, error) {
	if err := CheckArity(name, len(args)); err != nil {
		return dst, err
	}
	if pg.Disposed() {
		return dst, prefix(name, errDisposed)
	}
	switch name {
	case "start", "validate":
		cfg, err := configArg(arg(args, 0))
		if err != nil {
			return dst, prefix(name, err)
		}
		if name == "start" {
			cfg, err = pg.Start(cfg)
			if err != nil {
				return dst, err
			}
		}
		return cfg.AppendJSON(dst), nil
	case "submit":
		n, err := checkArg("submit", "n", submitLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		backlog, err := pg.Submit(int(n))
		if err != nil {
			return dst, err
		}
		return strconv.AppendInt(dst, int64(backlog), 10), nil
	case "close", "cancel":
		if name == "close" {
			return dst, pg.Close()
		}
		return dst, pg.Cancel()
	case "pauseConsumer":
		paused, ok := arg(args, 0).(bool)
		if !ok {
			return dst, errors.New("pauseConsumer: got " + describe(arg(args, 0)) + "; want a boolean")
		}
		pg.PauseConsumer(paused)
		return dst, nil
	case "setSpeed":
		f, err := checkArg("setSpeed", "factor", speedLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		return dst, pg.SetSpeed(f)
	case "snapshot":
		return pg.AppendSnapshotJSON(dst), nil
	case "pause", "resume", "recording":
		switch name {
		case "pause":
			pg.Pause()
		case "resume":
			pg.Resume()
		default:
			return pg.AppendRecordingJSON(dst)
		}
		return dst, nil
	case "step":
		out, wait, err := pg.CallStep(dst)
		if wait != nil {
			// Only CallStep's caller can wait; Call must not. The event
			// will be in the log: history().last once it is recorded.
			return append(dst, `{"pending":true}`...), nil
		}
		return out, err
	case "history":
		first, last := pg.History()
		e := encoder{b: dst}
		e.open('{')
		e.uint("first", first)
		e.uint("last", last)
		e.end('}')
		return e.b, nil
	case "snapshotAt":
		seq, err := checkArg(name, "seq", seqLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		return pg.AppendSnapshotAtJSON(dst, uint64(seq))
	case "events":
		from, err := checkArg(name, "from", seqLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		to, err := checkArg(name, "to", seqLimit, arg(args, 1))
		if err != nil {
			return dst, err
		}
		r := pg.recording()
		if r == nil {
			return dst, prefix(name, errNoRecording)
		}
		return r.appendEvents(dst, uint64(from), uint64(to))
	case "load":
		return dst, pg.Load(arg(args, 0))
	case "timeline":
		return pg.callTimeline(dst, args)
	case "why":
		seq, err := checkArg(name, "seq", seqLimit, arg(args, 0))
		if err != nil {
			return dst, err
		}
		w, err := pg.Why(uint64(seq), arg(args, 1))
		if err != nil {
			return dst, err
		}
		return w.AppendJSON(dst), nil
	case "parseQuery":
		search, ok := arg(args, 0).(string)
		if !ok {
			return dst, errors.New("parseQuery: search: got " + describe(arg(args, 0)) + "; want a string")
		}
		return ParseQuery(search).AppendJSON(dst), nil
	case "defaults":
		return DefaultConfig().AppendJSON(dst), nil
	case "limits":
		return GetLimits().AppendJSON(dst), nil
	}
	panic("playground: function " + name + " is in Functions but Call does not answer it")
}

// parameters are the parameters of each goflow.* function, in order; a
// parameter named "config" takes a config object (see ParseConfig).
var parameters = map[string][]string{
	"start": {"config"}, "validate": {"config"}, "submit": {"n"},
	"pauseConsumer": {"paused"}, "setSpeed": {"factor"}, "parseQuery": {"search"},
	"snapshotAt": {"seq"}, "events": {"from", "to"}, "load": {"recording"},
	"timeline": {"fromMs", "toMs", "buckets", "seq"}, "why": {"seq", "part"},
}

// Parameters returns the names of the parameters of the goflow.* function
// name, in order ("config" for a config object), so that a binding can check
// the arity with CheckArity and the kind of each argument before it converts
// any of them.
func Parameters(name string) []string { return parameters[name] }

// CheckArity returns the error Call gives when the goflow.* function name
// gets n arguments: more than its parameters, or an unknown name.
func CheckArity(name string, n int) error {
	if !slices.Contains(Functions, name) {
		return errors.New("goflow: no function " + describe(name) + "; functions: " + strings.Join(Functions, ", "))
	}
	return arity(name, n, parameters[name]...)
}

// seqLimit is the range of a sequence number argument; snapshotAt and
// events then check it against the recording's history.
var seqLimit = Limit{Min: 0, Max: MaxSeed, Integer: true}

// CallStep is goflow.step(): it appends the JSON of the event that Step
// records to dst when Step records it at once. When the run must move to
// record it, it returns dst unchanged and a channel that receives the
// event's JSON once it is recorded, or is closed without a value if the
// session is replaced first. The JavaScript binding answers with the event,
// or with a Promise of it that a goroutine resolves from the channel.
func (pg *Playground) CallStep(dst []byte) ([]byte, <-chan []byte, error) {
	e, next, err := pg.Step()
	if err != nil {
		return dst, nil, err
	}
	if next == nil {
		enc := encoder{b: dst}
		e.encode(&enc)
		return enc.b, nil, nil
	}
	out := make(chan []byte, 1)
	go func() {
		defer close(out)
		if e, ok := <-next; ok {
			enc := encoder{}
			e.encode(&enc)
			out <- enc.b
		}
	}()
	return dst, out, nil
}

// arity checks that args has no more than the named parameters.
func arity(fn string, n int, params ...string) error {
	if n <= len(params) {
		return nil
	}
	want := "none"
	if len(params) > 0 {
		want = strconv.Itoa(len(params)) + " (" + strings.Join(params, ", ") + ")"
	}
	return errors.New(fn + ": got " + plural(n, "argument") + "; want " + want)
}

// checkArg checks v, the argument param of the function fn, against l, as
// in "submit: n: got 5000; want an integer from 1 to 1000".
func checkArg(fn, param string, l Limit, v any) (float64, error) {
	f, err := l.check(v)
	if err != nil {
		return 0, errors.New(fn + ": " + param + ": " + err.Error())
	}
	return f, nil
}

// arg returns args[i], or Undefined if it is missing.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined{}
}

// configArg parses start's or validate's argument: a config object, or
// undefined for every default.
func configArg(v any) (Config, error) {
	switch v := v.(type) {
	case Undefined:
		return DefaultConfig(), nil
	case map[string]any:
		return ParseConfig(v)
	}
	return Config{}, errors.New("config: got " + describe(v) + "; want an object")
}

// callTimeline is goflow.timeline(fromMs, toMs, buckets, seq): buckets
// defaults to 1000 and seq (the moment on view, for the cursor) to none.
func (pg *Playground) callTimeline(dst []byte, args []any) ([]byte, error) {
	from, err := checkArg("timeline", "fromMs", msLimit, arg(args, 0))
	if err != nil {
		return dst, err
	}
	to, err := checkArg("timeline", "toMs", msLimit, arg(args, 1))
	if err != nil {
		return dst, err
	}
	buckets, seq := 1000.0, 0.0
	if _, ok := arg(args, 2).(Undefined); !ok {
		if buckets, err = checkArg("timeline", "buckets", bucketLimit, arg(args, 2)); err != nil {
			return dst, err
		}
	}
	if _, ok := arg(args, 3).(Undefined); !ok {
		if seq, err = checkArg("timeline", "seq", seqLimit, arg(args, 3)); err != nil {
			return dst, err
		}
	}
	return pg.AppendTimelineJSON(dst, from, to, int(buckets), uint64(seq))
}
