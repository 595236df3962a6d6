package playground_test

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// urlQueryCases are query strings on which ParseURLQuery must agree with
// url.ParseQuery, values and error text alike.
var urlQueryCases = []string{
	"", "a", "a=", "=", "=1", "&&", "a=1&b=2", "a=1&a=2&a=3", "a=1&&b=2&",
	"a=1;b=2", "a=1&b=2;c&d=4", ";", "a;=1",
	"a+b=c+d", "+=+", "a=%41%42", "a=%4a%4A", "%61=1", "a=%zz", "a=%", "a=%4",
	"a=%4g&b=1", "a=%zz&b=%yy", "%zz=1&b=2", "a=100%", "a=%%41", "a=%00",
	"a=%E2%82%AC", "a=%ff", "a=b=c", "a==", "é=ü", "a=1&a=%zz&a=3",
	"workers=%38&work%4Ds=1e2", "workers=+8+",
	strings.Repeat("&", 9999), strings.Repeat("&", 10000), strings.Repeat("a=1&", 10001),
}

func checkURLQuery(t *testing.T, q string) {
	t.Helper()
	want, wantErr := url.ParseQuery(q)
	got, gotErr := playground.ParseURLQuery(q)
	if !maps.EqualFunc(got, map[string][]string(want), slices.Equal) {
		t.Errorf("ParseURLQuery(%q) = %q; url.ParseQuery gives %q", q, got, want)
	}
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Errorf("ParseURLQuery(%q) error = %v; url.ParseQuery gives %v", q, gotErr, wantErr)
	}
}

func TestParseURLQueryMatchesNetURL(t *testing.T) {
	for _, q := range urlQueryCases {
		checkURLQuery(t, q)
	}
}

func FuzzParseURLQuery(f *testing.F) {
	for _, q := range urlQueryCases {
		if len(q) < 100 {
			f.Add(q)
		}
	}
	f.Fuzz(checkURLQuery)
}
