package playground_test

import (
	"math"
	"strings"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

const knownKeys = "workers, jobBuffer, resultBuffer, workMs, jitterMs, failRate, panicRate, timeoutMs, consumerDelayMs, seed, ordered, failFast"

func TestDefaultConfig(t *testing.T) {
	got := playground.DefaultConfig()
	want := playground.Config{Workers: 4, WorkMs: 800}
	if got != want {
		t.Errorf("DefaultConfig() = %+v; want %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v; want nil", err)
	}
}

func TestParseConfig(t *testing.T) {
	got, err := playground.ParseConfig(map[string]any{
		"workers": 8.0, "jobBuffer": 4.0, "resultBuffer": 64.0, "workMs": 12.5,
		"jitterMs": 60000.0, "failRate": 0.25, "panicRate": 1.0, "timeoutMs": 0.0,
		"consumerDelayMs": playground.Undefined{}, // undefined counts as missing
	})
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	want := playground.Config{Workers: 8, JobBuffer: 4, ResultBuffer: 64, WorkMs: 12.5,
		JitterMs: 60000, FailRate: 0.25, PanicRate: 1}
	if got != want {
		t.Errorf("ParseConfig = %+v; want %+v", got, want)
	}
	got, err = playground.ParseConfig(map[string]any{"ordered": true, "failFast": true})
	if want := (playground.Config{Workers: 4, WorkMs: 800, Ordered: true, FailFast: true}); err != nil || got != want {
		t.Errorf("ParseConfig(ordered, failFast) = %+v, %v; want %+v", got, err, want)
	}
	if got, err := playground.ParseConfig(nil); err != nil || got != playground.DefaultConfig() {
		t.Errorf("ParseConfig(nil) = %+v, %v; want the defaults", got, err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]any
		want string
	}{
		{"below range", map[string]any{"workers": 0.0}, "workers: got 0; want an integer from 1 to 64"},
		{"above range", map[string]any{"workers": 65.0}, "workers: got 65; want an integer from 1 to 64"},
		{"not an integer", map[string]any{"jobBuffer": 2.5}, "jobBuffer: got 2.5; want an integer from 0 to 64"},
		{"negative", map[string]any{"resultBuffer": -1.0}, "resultBuffer: got -1; want an integer from 0 to 64"},
		{"NaN", map[string]any{"workMs": math.NaN()}, "workMs: got NaN; want a number from 0 to 60000"},
		{"Infinity", map[string]any{"jitterMs": math.Inf(1)}, "jitterMs: got Infinity; want a number from 0 to 60000"},
		{"-Infinity", map[string]any{"timeoutMs": math.Inf(-1)}, "timeoutMs: got -Infinity; want a number from 0 to 60000"},
		{"rate above 1", map[string]any{"failRate": 1.5}, "failRate: got 1.5; want a number from 0 to 1"},
		{"rate below 0", map[string]any{"panicRate": -0.1}, "panicRate: got -0.1; want a number from 0 to 1"},
		{"too long", map[string]any{"consumerDelayMs": 60001.0}, "consumerDelayMs: got 60001; want a number from 0 to 60000"},
		{"seed not integer", map[string]any{"seed": 0.5}, "seed: got 0.5; want an integer from 0 to 9007199254740991"},
		{"seed string", map[string]any{"seed": "7"}, `seed: got "7"; want an integer from 0 to 9007199254740991`},
		{"string", map[string]any{"workers": "4"}, `workers: got "4"; want an integer from 1 to 64`},
		{"boolean", map[string]any{"workers": true}, "workers: got true; want an integer from 1 to 64"},
		{"null", map[string]any{"workers": nil}, "workers: got null; want an integer from 1 to 64"},
		{"array", map[string]any{"workers": []any{4.0}}, "workers: got an array; want an integer from 1 to 64"},
		{"object", map[string]any{"workers": map[string]any{}}, "workers: got an object; want an integer from 1 to 64"},
		{"function", map[string]any{"workers": playground.Other("a function")}, "workers: got a function; want an integer from 1 to 64"},
		{"tiny", map[string]any{"failRate": 1e-7, "workers": 1e300}, "workers: got 1e+300; want an integer from 1 to 64"},
		{"unknown key", map[string]any{"wrokers": 4.0}, `unknown key "wrokers"; known keys: ` + knownKeys},
		{"first unknown key", map[string]any{"b": 1.0, "a": 1.0, "workers": 0.0}, `unknown key "a"; known keys: ` + knownKeys},
		{"ordered number", map[string]any{"ordered": 1.0}, "ordered: got 1; want a boolean (true or false)"},
		{"failFast string", map[string]any{"failFast": "true"}, `failFast: got "true"; want a boolean (true or false)`},
		{"failFast null", map[string]any{"failFast": nil}, "failFast: got null; want a boolean (true or false)"},
		{"long key", map[string]any{strings.Repeat("k", 50): 1.0}, `unknown key "` + strings.Repeat("k", 40) + `…"; known keys: ` + knownKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := playground.ParseConfig(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseConfig(%v) error = %v; want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  playground.Config
		want string
	}{
		{playground.Config{Workers: 0}, "workers: got 0; want an integer from 1 to 64"},
		{playground.Config{Workers: 1, JobBuffer: 65}, "jobBuffer: got 65; want an integer from 0 to 64"},
		{playground.Config{Workers: 1, WorkMs: math.NaN()}, "workMs: got NaN; want a number from 0 to 60000"},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); err == nil || err.Error() != tt.want {
			t.Errorf("%+v.Validate() = %v; want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestGetLimits(t *testing.T) {
	l := playground.GetLimits()
	if got := len(l.Keys); got != len(playground.Keys()) {
		t.Fatalf("len(Keys) = %d; want %d", got, len(playground.Keys()))
	}
	workers := l.Keys[0]
	if workers.Key != "workers" || workers.Min != 1 || workers.Max != 64 || !workers.Integer {
		t.Errorf("Keys[0] = %+v; want workers 1..64 integer", workers)
	}
	if l.MaxBacklog != 10000 || l.MaxSubmit != 1000 || l.Speed.Min != 0.05 || l.Speed.Max != 1 {
		t.Errorf("GetLimits() = %+v; want maxBacklog 10000, maxSubmit 1000, speed 0.05..1", l)
	}
	for _, k := range l.Keys {
		if k.Boolean {
			if k.Min != 0 || k.Max != 1 || !k.Integer {
				t.Errorf("%s = %+v; want a boolean as 0..1 integer", k.Key, k.Limit)
			}
			for _, b := range []bool{false, true} {
				if _, err := playground.ParseConfig(map[string]any{k.Key: b}); err != nil {
					t.Errorf("%s = %v: %v", k.Key, b, err)
				}
			}
			continue
		}
		if _, err := playground.ParseConfig(map[string]any{k.Key: k.Max}); err != nil {
			t.Errorf("%s = max %v: %v", k.Key, k.Max, err)
		}
		if _, err := playground.ParseConfig(map[string]any{k.Key: k.Min}); err != nil {
			t.Errorf("%s = min %v: %v", k.Key, k.Min, err)
		}
	}
}
