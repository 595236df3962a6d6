package playground

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The JSON encoding here is written out by hand rather than with
// encoding/json: the snapshot is encoded on every animation frame, and
// without reflection it is several times faster and keeps the wasm module
// smaller. The tests check every encoder against encoding/json.

// encoder appends JSON to b. It writes the commas: first is true right after
// an opening bracket.
type encoder struct {
	b     []byte
	first bool
}

func (e *encoder) open(c byte) {
	e.b = append(e.b, c)
	e.first = true
}

func (e *encoder) end(c byte) {
	e.b = append(e.b, c)
	e.first = false
}

// elem starts an array element.
func (e *encoder) elem() {
	if !e.first {
		e.b = append(e.b, ',')
	}
	e.first = false
}

// key starts an object member; k must need no escaping.
func (e *encoder) key(k string) {
	e.elem()
	e.b = append(e.b, '"')
	e.b = append(e.b, k...)
	e.b = append(e.b, '"', ':')
}

func (e *encoder) object(k string) { e.key(k); e.open('{') }
func (e *encoder) array(k string)  { e.key(k); e.open('[') }

func (e *encoder) str(k, v string)     { e.key(k); e.b = appendString(e.b, v) }
func (e *encoder) int(k string, v int) { e.key(k); e.b = strconv.AppendInt(e.b, int64(v), 10) }
func (e *encoder) uint(k string, v uint64) {
	e.key(k)
	e.b = strconv.AppendUint(e.b, v, 10)
}
func (e *encoder) float(k string, v float64) { e.key(k); e.b = appendFloat(e.b, v) }
func (e *encoder) bool(k string, v bool)     { e.key(k); e.b = strconv.AppendBool(e.b, v) }

func (e *encoder) strings(k string, vs []string) {
	e.array(k)
	for _, v := range vs {
		e.elem()
		e.b = appendString(e.b, v)
	}
	e.end(']')
}

// appendFloat writes f as encoding/json does; f must be finite (JSON has no
// NaN or Infinity, and nothing here makes them).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // 1e-07 becomes 1e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// plain marks the ASCII bytes a JSON string may hold as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString writes s as a JSON string, escaping what encoding/json
// escapes (quotes, backslashes, control characters, <, >, &, U+2028 and
// U+2029) and replacing invalid UTF-8 with U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSON appends the config as a JSON object.
func (c Config) AppendJSON(b []byte) []byte {
	e := encoder{b: b}
	c.encode(&e)
	return e.b
}

func (c *Config) encode(e *encoder) {
	e.open('{')
	for _, f := range fields {
		if f.limit.Boolean {
			e.bool(f.key, f.get(c) != 0)
			continue
		}
		e.float(f.key, f.get(c))
	}
	e.end('}')
}

// AppendJSON appends the snapshot as a JSON object.
func (s *Snapshot) AppendJSON(b []byte) []byte { return s.appendJSON(b, nil) }

// appendJSON appends the snapshot as a JSON object whose log is s.Log
// followed by the entries of events, which it writes without allocating.
func (s *Snapshot) appendJSON(b []byte, events []Event) []byte {
	e := encoder{b: b}
	e.open('{')
	e.str("phase", s.Phase)
	e.str("ended", s.Ended)
	e.key("config")
	s.Config.encode(&e)
	e.float("speed", s.Speed)

	e.object("producer")
	e.int("backlog", s.Producer.Backlog)
	e.bool("blocked", s.Producer.Blocked)
	e.int("sent", s.Producer.Sent)
	e.bool("closed", s.Producer.Closed)
	e.strings("waiting", s.Producer.Waiting)
	e.end('}')

	s.Jobs.encode(&e, "jobs")

	e.array("workers")
	for i := range s.Workers {
		w := &s.Workers[i]
		e.elem()
		e.open('{')
		e.int("id", w.ID)
		e.str("state", w.State)
		e.str("job", w.Job)
		e.float("progress", w.Progress)
		e.bool("turn", w.Turn)
		e.end('}')
	}
	e.end(']')

	s.Results.encode(&e, "results")

	e.object("consumer")
	e.bool("paused", s.Consumer.Paused)
	e.int("consumed", s.Consumer.Consumed)
	e.str("last", s.Consumer.Last)
	e.end('}')

	e.object("counters")
	e.uint("received", s.Counters.Received)
	e.uint("succeeded", s.Counters.Succeeded)
	e.uint("failed", s.Counters.Failed)
	e.uint("canceled", s.Counters.Canceled)
	e.uint("emitted", s.Counters.Emitted)
	e.uint("dropped", s.Counters.Dropped)
	e.end('}')
	e.str("err", s.Err)

	e.object("gauges")
	e.int("busy", s.Gauges.Busy)
	e.int("queued", s.Gauges.Queued)
	e.int("pending", s.Gauges.Pending)
	e.end('}')

	e.bool("paused", s.Paused)
	e.uint("seq", s.Seq)
	e.int("goroutines", s.Goroutines)
	e.int("baselineGoroutines", s.BaselineGoroutines)

	e.array("log")
	for i := range s.Log {
		e.elem()
		s.Log[i].encode(&e)
	}
	for _, ev := range events {
		e.elem()
		e.open('{')
		e.uint("seq", ev.Seq)
		e.int("ms", int(ev.At.Milliseconds()))
		e.str("kind", ev.Kind.String())
		e.key("text")
		e.b = appendTextJSON(e.b, ev)
		e.end('}')
	}
	e.end(']')
	e.end('}')
	return e.b
}

// appendTextJSON appends ev.Text() as a JSON string, writing the text in
// place: it needs no escaping but in a case no event has, which falls back
// to appendString.
func appendTextJSON(b []byte, ev Event) []byte {
	start := len(b)
	b = ev.appendText(append(b, '"'))
	for _, c := range b[start+1:] {
		if c >= utf8.RuneSelf || !plain[c] {
			text := string(b[start+1:])
			return appendString(b[:start], text)
		}
	}
	return append(b, '"')
}

func (l *LogEntry) encode(e *encoder) {
	e.open('{')
	e.uint("seq", l.Seq)
	e.int("ms", int(l.Ms))
	e.str("kind", l.Kind)
	e.str("text", l.Text)
	e.end('}')
}

func (c *Channel) encode(e *encoder, k string) {
	e.object(k)
	e.int("len", c.Len)
	e.int("cap", c.Cap)
	e.strings("ids", c.IDs)
	e.bool("closed", c.Closed)
	e.end('}')
}

// AppendJSON appends the limits as one JSON object: a {min, max, integer}
// object per config key (a boolean key is {min: 0, max: 1, integer: true,
// boolean: true}; the others have boolean false), then maxBacklog, maxSubmit and speed {min, max}.
func (l Limits) AppendJSON(b []byte) []byte {
	e := encoder{b: b}
	e.open('{')
	for _, k := range l.Keys {
		e.object(k.Key)
		e.float("min", k.Min)
		e.float("max", k.Max)
		e.bool("integer", k.Integer)
		e.bool("boolean", k.Boolean)
		e.end('}')
	}
	e.int("maxBacklog", l.MaxBacklog)
	e.int("maxSubmit", l.MaxSubmit)
	e.object("speed")
	e.float("min", l.Speed.Min)
	e.float("max", l.Speed.Max)
	e.end('}')
	e.end('}')
	return e.b
}

// AppendJSON appends the query's config and errors as a JSON object.
func (q Query) AppendJSON(b []byte) []byte {
	e := encoder{b: b}
	e.open('{')
	e.key("config")
	q.Config.encode(&e)
	e.strings("errors", q.Errors)
	e.end('}')
	return e.b
}
