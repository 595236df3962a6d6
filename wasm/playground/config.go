package playground

import (
	"errors"
	"math"
	"strings"

	"github.com/goflow-dev/goflow/pipeline"
)

// Config is one pipeline run's configuration. Its JSON keys are the keys of
// the JavaScript config object. Times are simulated milliseconds (see the
// package doc); rates are chances from 0 to 1.
type Config struct {
	Workers         int     `json:"workers"`         // worker goroutines; default 4, 1..64
	JobBuffer       int     `json:"jobBuffer"`       // jobs channel capacity; default 0, 0..64
	ResultBuffer    int     `json:"resultBuffer"`    // results channel capacity; default 0, 0..64
	WorkMs          float64 `json:"workMs"`          // handler time per job; default 800, 0..60000
	JitterMs        float64 `json:"jitterMs"`        // up to this much extra, at random; default 0, 0..60000
	FailRate        float64 `json:"failRate"`        // chance a job returns an error; default 0, 0..1
	PanicRate       float64 `json:"panicRate"`       // chance a job panics; default 0, 0..1
	TimeoutMs       float64 `json:"timeoutMs"`       // per-job timeout, 0 = none; default 0, 0..60000
	ConsumerDelayMs float64 `json:"consumerDelayMs"` // consumer time per result; default 0, 0..60000
	// Seed decides each job's work time, failure and panic (see planFor);
	// default 0, 0..MaxSeed. 0 means none given: Start picks one and the
	// snapshot's config reports it.
	Seed float64 `json:"seed"`
	// Ordered is pipeline.Options.Ordered: results are emitted in the order
	// the workers took the jobs, and a worker whose result is not yet due
	// waits, blocked, for its turn. Default false.
	Ordered bool `json:"ordered"`
	// FailFast is pipeline.Options.FailFast: the first job that fails
	// (error, panic or timeout) has its result emitted, then the pipeline
	// stops, and the snapshot's err is that job's error. Default false.
	FailFast bool `json:"failFast"`
}

// DefaultConfig returns the configuration a missing key takes its value from.
func DefaultConfig() Config {
	var c Config
	for _, f := range fields {
		f.set(&c, f.def)
	}
	return c
}

// Limit is the range of one setting. A boolean key (ordered, failFast)
// has Boolean set, and Min 0, Max 1 and Integer true: false and true.
type Limit struct {
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Integer bool    `json:"integer"` // whole numbers only
	Boolean bool    `json:"boolean"` // true or false, not a number
}

// boolLimit is the Limit of a boolean key.
var boolLimit = Limit{Min: 0, Max: 1, Integer: true, Boolean: true}

// String describes the rule, as in "an integer from 1 to 64" or "a
// boolean (true or false)".
func (l Limit) String() string {
	if l.Boolean {
		return "a boolean (true or false)"
	}
	kind := "a number"
	if l.Integer {
		kind = "an integer"
	}
	return kind + " from " + formatNumber(l.Min) + " to " + formatNumber(l.Max)
}

// check returns v as a number if it is one that l allows; otherwise it
// returns the problem, as in `got 0; want an integer from 1 to 64`.
func (l Limit) check(v any) (float64, error) {
	if l.Boolean {
		return l.checkBool(v)
	}
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	default:
		return 0, l.problem(describe(v))
	}
	if math.IsNaN(f) || f < l.Min || f > l.Max || (l.Integer && f != math.Trunc(f)) {
		return 0, l.problem(formatNumber(f))
	}
	return f, nil
}

// checkBool returns a boolean v as 1 (true) or 0 (false); a number, a
// string or anything else is a problem.
func (l Limit) checkBool(v any) (float64, error) {
	b, ok := v.(bool)
	if !ok {
		return 0, l.problem(describe(v))
	}
	return boolNumber(b), nil
}

// boolNumber is 1 for true and 0 for false: how the fields table holds a
// boolean key.
func boolNumber(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (l Limit) problem(got string) error {
	return errors.New("got " + got + "; want " + l.String())
}

// Limits of the JavaScript API beyond the config keys.
const (
	MaxBacklog = 10000 // jobs the producer holds at most (submitted, not yet sent)
	MaxSubmit  = 1000  // jobs one submit call may add
	MinSpeed   = 0.05  // slowest simulated time, as a fraction of real time
	MaxSpeed   = 1.0   // fastest simulated time: real time
)

var (
	submitLimit = Limit{Min: 1, Max: MaxSubmit, Integer: true}
	speedLimit  = Limit{Min: MinSpeed, Max: MaxSpeed}
)

// Limits is every range the page needs to set up its inputs.
type Limits struct {
	Keys       []KeyLimit // one per config key, in the order of Config's fields
	MaxBacklog int        // MaxBacklog
	MaxSubmit  int        // MaxSubmit
	Speed      Limit      // MinSpeed to MaxSpeed
}

// KeyLimit is the range of one config key.
type KeyLimit struct {
	Key string
	Limit
}

// GetLimits returns the ranges of the config keys, of submit and of the
// speed.
func GetLimits() Limits {
	l := Limits{MaxBacklog: MaxBacklog, MaxSubmit: MaxSubmit, Speed: speedLimit}
	for _, f := range fields {
		l.Keys = append(l.Keys, KeyLimit{Key: f.key, Limit: f.limit})
	}
	return l
}

// field is one config key: its name, range, default and place in Config.
type field struct {
	key   string
	limit Limit
	def   float64
	get   func(*Config) float64
	set   func(*Config, float64)
}

// maxBuffer is the playground's bound on both buffers: the page draws every
// slot. The library's own bound, pipeline.MaxBuffer, is far larger.
const maxBuffer = min(64, pipeline.MaxBuffer)

const maxMs = 60000

// fields lists the config keys in the order they are documented, checked
// and encoded.
var fields = []field{
	{"workers", Limit{1, min(64, pipeline.MaxWorkers), true, false}, 4,
		func(c *Config) float64 { return float64(c.Workers) }, func(c *Config, v float64) { c.Workers = int(v) }},
	{"jobBuffer", Limit{0, maxBuffer, true, false}, 0,
		func(c *Config) float64 { return float64(c.JobBuffer) }, func(c *Config, v float64) { c.JobBuffer = int(v) }},
	{"resultBuffer", Limit{0, maxBuffer, true, false}, 0,
		func(c *Config) float64 { return float64(c.ResultBuffer) }, func(c *Config, v float64) { c.ResultBuffer = int(v) }},
	{"workMs", Limit{0, maxMs, false, false}, 800,
		func(c *Config) float64 { return c.WorkMs }, func(c *Config, v float64) { c.WorkMs = v }},
	{"jitterMs", Limit{0, maxMs, false, false}, 0,
		func(c *Config) float64 { return c.JitterMs }, func(c *Config, v float64) { c.JitterMs = v }},
	{"failRate", Limit{0, 1, false, false}, 0,
		func(c *Config) float64 { return c.FailRate }, func(c *Config, v float64) { c.FailRate = v }},
	{"panicRate", Limit{0, 1, false, false}, 0,
		func(c *Config) float64 { return c.PanicRate }, func(c *Config, v float64) { c.PanicRate = v }},
	{"timeoutMs", Limit{0, maxMs, false, false}, 0,
		func(c *Config) float64 { return c.TimeoutMs }, func(c *Config, v float64) { c.TimeoutMs = v }},
	{"consumerDelayMs", Limit{0, maxMs, false, false}, 0,
		func(c *Config) float64 { return c.ConsumerDelayMs }, func(c *Config, v float64) { c.ConsumerDelayMs = v }},
	{"seed", Limit{0, MaxSeed, true, false}, 0,
		func(c *Config) float64 { return c.Seed }, func(c *Config, v float64) { c.Seed = v }},
	{"ordered", boolLimit, 0,
		func(c *Config) float64 { return boolNumber(c.Ordered) }, func(c *Config, v float64) { c.Ordered = v != 0 }},
	{"failFast", boolLimit, 0,
		func(c *Config) float64 { return boolNumber(c.FailFast) }, func(c *Config, v float64) { c.FailFast = v != 0 }},
}

// Keys returns the config keys in order: workers, jobBuffer, ...
func Keys() []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

func lookupField(key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

func unknownKey(what, key string) error {
	return errors.New("unknown " + what + " " + describe(key) + "; known " + what + "s: " + strings.Join(Keys(), ", "))
}

// ParseConfig turns a JavaScript config object, converted to Go (see the
// types in value.go: numbers are float64), into a Config. Missing keys, and
// keys whose value is undefined, take their default. The error names the
// first problem: an unknown key (with the list of known ones), or a key and
// its rule, as in `workers: got 0; want an integer from 1 to 64`.
func ParseConfig(m map[string]any) (Config, error) {
	unknown := make([]string, 0)
	for k := range m {
		if _, ok := lookupField(k); !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sortStrings(unknown)
		return Config{}, unknownKey("key", unknown[0])
	}
	c := DefaultConfig()
	for _, f := range fields {
		v, ok := m[f.key]
		if _, undefined := v.(Undefined); !ok || undefined {
			continue
		}
		n, err := f.limit.check(v)
		if err != nil {
			return Config{}, errors.New(f.key + ": " + err.Error())
		}
		f.set(&c, n)
	}
	return c, c.Validate()
}

// Validate reports the first value out of its range, as in
// `workMs: got NaN; want a number from 0 to 60000`, then asks
// pipeline.Validate about the workers and buffers.
func (c Config) Validate() error {
	for _, f := range fields {
		if f.limit.Boolean {
			continue // a bool is always true or false
		}
		if _, err := f.limit.check(f.get(&c)); err != nil {
			return errors.New(f.key + ": " + err.Error())
		}
	}
	return pipeline.Validate(c.Workers, c.options())
}

// options are the pipeline options for c, without an observer.
func (c Config) options() pipeline.Options {
	return pipeline.Options{JobBuffer: c.JobBuffer, ResultBuffer: c.ResultBuffer, Ordered: c.Ordered, FailFast: c.FailFast}
}
