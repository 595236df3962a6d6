// Command benchtable reads `go test -bench` output on standard input and
// writes one Markdown table per benchmark, with a row per library: the median
// of each metric over the -count runs, its spread, and for each time metric
// (ns/op, and units ending in -ns) the ratio of the medians to the base
// library's in the same input.
//
// A benchmark line's name is Benchmark<group>/<library>[-GOMAXPROCS], as in
// BenchmarkOverhead/workers=4/goflow-2: the group is Overhead/workers=4.
//
//	go test -run '^$' -bench . -benchmem -count 3 . | tee bench.txt
//	go run ./cmd/benchtable < bench.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	base := flag.String("base", "bare", "the library every ratio is to")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchtable: ")
	r, err := parse(os.Stdin)
	if err != nil {
		log.Fatal(err)
	}
	if err := r.write(os.Stdout, *base); err != nil {
		log.Fatal(err)
	}
}

// results are the parsed runs, in the order the input first names things.
type results struct {
	header []string // the goos, goarch, pkg and cpu lines
	groups []*group
}

// group is one benchmark without its library, such as Overhead/workers=4.
type group struct {
	name  string
	units []string // every unit its lines report, in order
	libs  []string // its libraries, in order
	// values holds, by library and then unit, one value per run.
	values map[string]map[string][]float64
}

// procsSuffix is the -GOMAXPROCS that go test appends to a benchmark's name.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// parse reads benchmark lines (Benchmark<name> <iterations> <value> <unit>...)
// and the header lines; it skips everything else.
func parse(in io.Reader) (*results, error) {
	r := &results{}
	byName := map[string]*group{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		for _, key := range []string{"goos:", "goarch:", "pkg:", "cpu:"} {
			if strings.HasPrefix(line, key) && !slices.Contains(r.header, line) {
				r.header = append(r.header, strings.TrimSpace(line))
			}
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || len(fields)%2 != 0 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := procsSuffix.ReplaceAllString(strings.TrimPrefix(fields[0], "Benchmark"), "")
		cut := strings.LastIndexByte(name, '/')
		if cut < 0 {
			return nil, fmt.Errorf("benchmark %q has no /<library> sub-benchmark", fields[0])
		}
		gname, lib := name[:cut], name[cut+1:]
		g := byName[gname]
		if g == nil {
			g = &group{name: gname, values: map[string]map[string][]float64{}}
			byName[gname] = g
			r.groups = append(r.groups, g)
		}
		if g.values[lib] == nil {
			g.values[lib] = map[string][]float64{}
			g.libs = append(g.libs, lib)
		}
		for i := 2; i < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: value %q: %v", fields[0], fields[i], err)
			}
			unit := fields[i+1]
			if !slices.Contains(g.units, unit) {
				g.units = append(g.units, unit)
			}
			g.values[lib][unit] = append(g.values[lib][unit], v)
		}
	}
	return r, sc.Err()
}

// isTime reports whether a ratio to the base makes sense for unit.
func isTime(unit string) bool { return unit == "ns/op" || strings.HasSuffix(unit, "-ns") }

// write prints the header lines and one table per group.
func (r *results) write(w io.Writer, base string) error {
	bw := bufio.NewWriter(w)
	for _, h := range r.header {
		fmt.Fprintf(bw, "    %s\n", h)
	}
	for _, g := range r.groups {
		fmt.Fprintf(bw, "\n### %s\n\n| library |", g.name)
		sep := "| --- |"
		for _, u := range g.units {
			fmt.Fprintf(bw, " %s |", u)
			sep += " ---: |"
			if isTime(u) {
				fmt.Fprintf(bw, " × %s |", base)
				sep += " ---: |"
			}
		}
		fmt.Fprintf(bw, "\n%s\n", sep)
		for _, lib := range g.libs {
			fmt.Fprintf(bw, "| %s |", lib)
			for _, u := range g.units {
				vs := g.values[lib][u]
				fmt.Fprintf(bw, " %s |", cell(vs, isTime(u)))
				if isTime(u) {
					fmt.Fprintf(bw, " %s |", ratio(median(vs), median(g.values[base][u])))
				}
			}
			fmt.Fprintln(bw)
		}
	}
	return bw.Flush()
}

// cell is the median of vs, and for a time, ± half the range in percent of it.
func cell(vs []float64, spread bool) string {
	if len(vs) == 0 {
		return "–"
	}
	m := median(vs)
	s := strconv.FormatFloat(m, 'f', digits(m), 64)
	if spread && len(vs) > 1 && m > 0 {
		s += fmt.Sprintf(" ±%.0f%%", (slices.Max(vs)-slices.Min(vs))/2/m*100)
	}
	return s
}

// ratio is a/b to two decimals, or a dash when there is no b.
func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// digits keeps small values readable and drops the decimals of large ones.
func digits(v float64) int {
	if v >= 100 || v == float64(int64(v)) {
		return 0
	}
	return 1
}

// median is the middle of vs (the mean of the two middles for an even
// count), or NaN for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(vs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
