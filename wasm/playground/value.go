package playground

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The values Call and ParseConfig take are what JavaScript values become in
// Go: nil for null, bool, float64 for a number, string, []any for an array,
// map[string]any for an object, and the two types below for the rest.

// Undefined is JavaScript's undefined: a missing argument, or a key whose
// value is undefined (which counts as missing).
type Undefined struct{}

// Other stands for a JavaScript value that has no Go counterpart here, such
// as a function, a symbol or an object nested inside an argument. Its text
// describes the value for error messages, as in "a function".
type Other string

// describe writes v the way JavaScript would show it in a message: numbers
// as JavaScript prints them, strings quoted, and a phrase for anything else.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case Undefined:
		return "undefined"
	case Other:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return formatNumber(v)
	case int:
		return strconv.Itoa(v)
	case string:
		const max = 40
		if len(v) > max {
			cut := max
			for cut > 0 && !utf8.RuneStart(v[cut]) {
				cut--
			}
			v = v[:cut] + "…"
		}
		return strconv.Quote(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value of Go type " + typeName(v)
}

// typeName names v's type without fmt or reflect, for the rare value from a Go
// caller that no JavaScript value turns into.
func typeName(v any) string {
	switch v.(type) {
	case int64, int32, uint, uint64, uint32:
		return "integer"
	case float32:
		return "float32"
	}
	return "unknown"
}

// formatNumber prints f as JavaScript's String(f) does for the numbers people
// type: 5000, 0.5, NaN, Infinity, -Infinity.
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0" // also -0, as JavaScript prints it
	}
	if a := math.Abs(f); a < 1e-6 || a >= 1e21 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
