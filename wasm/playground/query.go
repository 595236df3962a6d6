package playground

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// pageParams are URL parameters that belong to the page, not to the config;
// ParseQuery leaves them alone.
var pageParams = []string{"scenario", "embed", "speed", "origin"}

// Query is what ParseQuery makes of a URL query string.
type Query struct {
	// Config is the default config with every valid parameter applied.
	Config Config `json:"config"`
	// Errors has one message per invalid or unknown parameter, as in
	// `workers: got "abc"; want an integer from 1 to 64`; empty when none.
	Errors []string `json:"errors"`
}

// ParseQuery reads the config from a URL query string such as
// location.search ("?workers=8&jobBuffer=4"; the "?" is optional). A
// parameter takes the name of a config key; when one is given twice the last
// counts. Invalid values keep the key's default and add an error; so does an
// unknown parameter, except the page's own (scenario, embed, speed, origin).
func ParseQuery(search string) Query {
	q := Query{Config: DefaultConfig(), Errors: make([]string, 0)}
	values, err := parseURLQuery(strings.TrimPrefix(search, "?"))
	if err != nil {
		// values still holds every parameter that could be decoded.
		q.Errors = append(q.Errors, "query: "+err.Error())
	}
	for _, f := range fields {
		vs, ok := values[f.key]
		if !ok {
			continue
		}
		raw := vs[len(vs)-1]
		n, err := checkParam(f.limit, raw)
		if err != nil {
			q.Errors = append(q.Errors, f.key+": "+err.Error())
			continue
		}
		f.set(&q.Config, n)
	}
	if err := q.Config.Validate(); err != nil {
		q.Errors = append(q.Errors, err.Error())
		q.Config = DefaultConfig()
	}
	for _, k := range sortedKeys(values) {
		if _, ok := lookupField(k); !ok && !isPageParam(k) {
			q.Errors = append(q.Errors, unknownKey("parameter", k).Error())
		}
	}
	return q
}

// checkParam parses a parameter's text as a number that l allows: a plain
// decimal such as 8, 0.5 or 1e3, with spaces around it ignored (strconv
// alone would also take Go's 1_0, 0x1p3 and Inf, which a URL has no reason
// to hold). A boolean key (ordered, failFast) takes 1, 0, true or false.
// Problems quote the text as given: `got "abc"`.
func checkParam(l Limit, raw string) (float64, error) {
	text := strings.TrimSpace(raw)
	if l.Boolean {
		switch text {
		case "1", "true":
			return 1, nil
		case "0", "false":
			return 0, nil
		}
		return 0, errors.New("got " + describe(raw) + "; want 1, 0, true or false")
	}
	var f float64
	err := errNotDecimal
	if strings.Trim(text, "0123456789.eE+-") == "" {
		f, err = strconv.ParseFloat(text, 64)
	}
	if err == nil {
		_, err = l.check(f)
	}
	if err != nil {
		return 0, errors.New("got " + describe(raw) + "; want " + l.String())
	}
	return f, nil
}

var errNotDecimal = errors.New("not a decimal number")

func isPageParam(k string) bool { return slices.Contains(pageParams, k) }

func sortedKeys(values map[string][]string) []string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}

// sortStrings sorts a in place. It is a shell sort: a few hundred bytes of
// main.wasm, where slices.Sort's pdqsort for strings cost about 6 KB
// (gzip), and fast enough for the at most maxQueryParams keys it sorts.
func sortStrings(a []string) {
	for gap := len(a) / 2; gap > 0; gap /= 2 {
		for i := gap; i < len(a); i++ {
			for j := i; j >= gap && a[j] < a[j-gap]; j -= gap {
				a[j], a[j-gap] = a[j-gap], a[j]
			}
		}
	}
}
