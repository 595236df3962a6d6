package playground

import (
	"errors"
	"strconv"
	"strings"
)

// maxQueryParams is net/url's default limit on the parameters of one query
// (its GODEBUG urlmaxqueryparams does not apply here).
const maxQueryParams = 10000

// parseURLQuery decodes a URL query string ("a=1&b=2", no "?") into a map
// from key to every value given, in order, with the semantics of Go's
// url.ParseQuery, which the wasm build avoids for its size (net/url brings
// net/netip, unique, ...): parameters are split on '&' only; one holding
// ';' is dropped with an error; '+' means a space; a bad percent escape
// drops its parameter with an error. Like url.ParseQuery it keeps every
// parameter it could decode and returns the first error.
func parseURLQuery(query string) (map[string][]string, error) {
	m := make(map[string][]string)
	if strings.Count(query, "&")+1 > maxQueryParams {
		return m, errors.New("number of URL query parameters exceeded limit")
	}
	var err error
	for query != "" {
		var key string
		key, query, _ = strings.Cut(query, "&")
		if strings.Contains(key, ";") {
			err = errors.New("invalid semicolon separator in query")
			continue
		}
		if key == "" {
			continue
		}
		key, value, _ := strings.Cut(key, "=")
		key, err1 := queryUnescape(key)
		if err1 == nil {
			value, err1 = queryUnescape(value)
		}
		if err1 != nil {
			if err == nil {
				err = err1
			}
			continue
		}
		m[key] = append(m[key], value)
	}
	return m, err
}

// queryUnescape decodes one query component as url.QueryUnescape does:
// "%XX" is a byte, '+' a space; a '%' not followed by two hex digits is an
// error quoting up to three bytes from it, as in `invalid URL escape "%zz"`.
func queryUnescape(s string) (string, error) {
	n, plus := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				bad := s[i:min(i+3, len(s))]
				return "", errors.New("invalid URL escape " + strconv.Quote(bad))
			}
			n++
			i += 2
		case '+':
			plus = true
		}
	}
	if n == 0 && !plus {
		return s, nil
	}
	b := make([]byte, 0, len(s)-2*n)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case '+':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b), nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unhex is the value of the hex digit c, which isHex accepts.
func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
