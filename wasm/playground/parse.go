package playground

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting parseJSON accepts: a recording needs 3.
const maxJSONDepth = 8

// maxJSONItems bounds the items of one array and the keys of one object
// parseJSON accepts, so that a hostile text (16 MiB of "0,") is refused as
// soon as it is known to be too large, not after it is all parsed: a
// recording's longest array is its events, at most ringEvents.
const maxJSONItems = ringEvents

// parseJSON parses JSON text into the values Call takes (see value.go):
// nil, bool, float64, string, []any and map[string]any. It exists so that
// load can take a recording as text without encoding/json's reflection,
// which would make the wasm module larger; it refuses nesting deeper than
// maxJSONDepth. Errors name the byte offset.
func parseJSON(text string) (any, error) {
	p := jsonParser{s: text}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.fail("unexpected text after the value")
	}
	return v, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail(what string) error {
	return errors.New("invalid JSON at byte " + strconv.Itoa(p.i) + ": " + what)
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) literal(word string, v any) (any, error) {
	if len(p.s)-p.i >= len(word) && p.s[p.i:p.i+len(word)] == word {
		p.i += len(word)
		return v, nil
	}
	return nil, p.fail("unknown literal")
}

func (p *jsonParser) value(depth int) (any, error) {
	if p.i >= len(p.s) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{' || c == '[':
		if depth >= maxJSONDepth {
			return nil, p.fail("nested too deep")
		}
		if c == '[' {
			return p.array(depth)
		}
		return p.object(depth)
	case c == '"':
		return p.string()
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+' || p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E' || (p.s[p.i] >= '0' && p.s[p.i] <= '9')) {
			p.i++
		}
		f, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			p.i = start
			return nil, p.fail("bad number")
		}
		return f, nil
	}
	return nil, p.fail("unexpected character")
}

func (p *jsonParser) array(depth int) (any, error) {
	p.i++ // [
	out := make([]any, 0)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return out, nil
	}
	for {
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if len(out) == maxJSONItems {
			return nil, p.fail("more than " + strconv.Itoa(maxJSONItems) + " items in an array")
		}
		out = append(out, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("unexpected end in an array")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return out, nil
		default:
			return nil, p.fail("want , or ] in an array")
		}
	}
}

func (p *jsonParser) object(depth int) (any, error) {
	p.i++ // {
	out := make(map[string]any)
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return out, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.fail("want a key in an object")
		}
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.fail("want : after a key")
		}
		p.i++
		p.space()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, dup := out[k.(string)]; !dup && len(out) == maxJSONItems {
			return nil, p.fail("more than " + strconv.Itoa(maxJSONItems) + " keys in an object")
		}
		out[k.(string)] = v
		p.space()
		if p.i >= len(p.s) {
			return nil, p.fail("unexpected end in an object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return out, nil
		default:
			return nil, p.fail("want , or } in an object")
		}
	}
}

func (p *jsonParser) string() (any, error) {
	p.i++ // "
	var b []byte
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return nil, p.fail("control character in a string")
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return nil, p.fail("unexpected end in a string")
			}
			p.i++
			switch e := p.s[p.i]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return nil, p.fail("bad \\u escape")
				}
				if utf16.IsSurrogate(r) {
					p2 := *p
					if p2.i+2 < len(p2.s) && p2.s[p2.i+1] == '\\' && p2.s[p2.i+2] == 'u' {
						p2.i += 2
						if r2, ok := p2.hex4(); ok {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								r = d
								*p = p2
							}
						}
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				return nil, p.fail("bad escape")
			}
			p.i++
		default:
			b = append(b, c)
			p.i++
		}
	}
	return nil, p.fail("unexpected end in a string")
}

// hex4 reads the 4 hex digits after p.i (at a 'u') and leaves p.i on the
// last of them.
func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 >= len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i+1:p.i+5], 16, 16)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}
