package playground_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

func TestParseQuery(t *testing.T) {
	def := playground.DefaultConfig()
	with := func(f func(*playground.Config)) playground.Config {
		c := def
		f(&c)
		return c
	}
	tests := []struct {
		search string
		want   playground.Config
		errs   []string
	}{
		{"", def, nil},
		{"?", def, nil},
		{"?workers=8&jobBuffer=4&failRate=0.5", with(func(c *playground.Config) { c.Workers, c.JobBuffer, c.FailRate = 8, 4, 0.5 }), nil},
		{"workMs=12.5", with(func(c *playground.Config) { c.WorkMs = 12.5 }), nil},
		{"?workers=2&workers=3", with(func(c *playground.Config) { c.Workers = 3 }), nil},
		{"?scenario=cancel&embed=1&speed=0.25&origin=x", def, nil},
		{"?workers=abc", def, []string{`workers: got "abc"; want an integer from 1 to 64`}},
		{"?workers=", def, []string{`workers: got ""; want an integer from 1 to 64`}},
		{"?workers=0", def, []string{`workers: got "0"; want an integer from 1 to 64`}},
		{"?workers=2.5", def, []string{`workers: got "2.5"; want an integer from 1 to 64`}},
		{"?workMs=NaN", def, []string{`workMs: got "NaN"; want a number from 0 to 60000`}},
		{"?workMs=Infinity", def, []string{`workMs: got "Infinity"; want a number from 0 to 60000`}},
		{"?failRate=2&workers=5", with(func(c *playground.Config) { c.Workers = 5 }), []string{`failRate: got "2"; want a number from 0 to 1`}},
		{"?wrokers=3&workers=3", with(func(c *playground.Config) { c.Workers = 3 }), []string{`unknown parameter "wrokers"; known parameters: ` + knownKeys}},
		{"?workers=%zz", def, []string{`query: invalid URL escape "%zz"`}},
		{"?workers=%38&work%4Ds=1e2", with(func(c *playground.Config) { c.Workers, c.WorkMs = 8, 100 }), nil},
		{"?workers=+8+", with(func(c *playground.Config) { c.Workers = 8 }), nil},
		{"?jobBuffer=-0", def, nil},
		{"?seed=9007199254740991", with(func(c *playground.Config) { c.Seed = playground.MaxSeed }), nil},
		{"?seed=1.5", def, []string{`seed: got "1.5"; want an integer from 0 to 9007199254740991`}},
		{"?seed=9007199254740992", def, []string{`seed: got "9007199254740992"; want an integer from 0 to 9007199254740991`}},
		{"?workers=1_0", def, []string{`workers: got "1_0"; want an integer from 1 to 64`}},
		{"?workers=0x1p3", def, []string{`workers: got "0x1p3"; want an integer from 1 to 64`}},
		{"?workMs=inf", def, []string{`workMs: got "inf"; want a number from 0 to 60000`}},
		{"?workers=" + strings.Repeat("9", 5000), def, []string{`workers: got "` + strings.Repeat("9", 40) + `…"; want an integer from 1 to 64`}},
		{"?workers=%E2%82", def, []string{`workers: got "\xe2\x82"; want an integer from 1 to 64`}},
		{"?=3&workers=2&&", with(func(c *playground.Config) { c.Workers = 2 }), []string{`unknown parameter ""; known parameters: ` + knownKeys}},
		{"?ordered=1&failFast=true", with(func(c *playground.Config) { c.Ordered, c.FailFast = true, true }), nil},
		{"?ordered=true&failFast=0", with(func(c *playground.Config) { c.Ordered = true }), nil},
		{"?ordered=false&failFast=+1+", with(func(c *playground.Config) { c.FailFast = true }), nil},
		{"?ordered=yes", def, []string{`ordered: got "yes"; want 1, 0, true or false`}},
		{"?failFast=2&workers=2", with(func(c *playground.Config) { c.Workers = 2 }), []string{`failFast: got "2"; want 1, 0, true or false`}},
		{"?failFast=", def, []string{`failFast: got ""; want 1, 0, true or false`}},
		{"?workers=1;jobBuffer=2", def, []string{"query: invalid semicolon separator in query"}},
	}
	for _, tt := range tests {
		q := playground.ParseQuery(tt.search)
		if q.Config != tt.want {
			t.Errorf("ParseQuery(%q).Config = %+v; want %+v", tt.search, q.Config, tt.want)
		}
		if tt.errs == nil {
			tt.errs = []string{}
		}
		if !slices.Equal(q.Errors, tt.errs) {
			t.Errorf("ParseQuery(%q).Errors = %q; want %q", tt.search, q.Errors, tt.errs)
		}
	}
}
