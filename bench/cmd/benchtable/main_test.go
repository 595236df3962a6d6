package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	in := `goos: linux
cpu: Some CPU
BenchmarkOverhead/workers=4/bare-2   	 10000	 100.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkOverhead/workers=4/goflow-buf64-2 	 10000	 150.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkOverhead/workers=4/bare-2   	 10000	 300.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkOverhead/workers=4/goflow-buf64-2 	 10000	 150.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkOverhead/workers=4/bare-2   	 10000	 200.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkOverhead/workers=4/goflow-buf64-2 	 10000	 150.0 ns/op	 0 B/op	 0 allocs/op
PASS
`
	r, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := r.write(&out, "bare"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"    cpu: Some CPU\n",
		"### Overhead/workers=4\n",
		"| library | ns/op | × bare | B/op | allocs/op |\n",
		"| bare | 200 ±50% | 1.00 | 0 | 0 |\n",
		"| goflow-buf64 | 150 ±0% | 0.75 | 0 | 0 |\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got\n%s\nwant it to contain %q", out.String(), want)
		}
	}
}
