package pipeline_test

import (
	"bytes"
	"runtime"
)

// bubbleGoroutines counts the goroutines of the calling goroutine's synctest
// bubble. runtime.NumGoroutine counts the whole process, so a goroutine of
// an earlier test still on its way out made counts inside a bubble drift
// (a test once saw -1 goroutines left under load); a goroutine dump names
// each goroutine's bubble ("[chan receive, synctest bubble 3]").
func bubbleGoroutines() int {
	self := make([]byte, 512)
	self = self[:runtime.Stack(self, false)]
	header, _, _ := bytes.Cut(self, []byte("\n"))
	mark := []byte("synctest bubble ")
	i := bytes.Index(header, mark)
	if i < 0 {
		panic("bubbleGoroutines called outside a synctest bubble")
	}
	j := i + len(mark)
	for j < len(header) && header[j] >= '0' && header[j] <= '9' {
		j++
	}
	id := header[i:j] // "synctest bubble 3"
	all := make([]byte, 1<<20)
	for {
		n := runtime.Stack(all, true)
		if n < len(all) {
			all = all[:n]
			break
		}
		all = make([]byte, 2*len(all))
	}
	count := 0
	for line := range bytes.Lines(all) {
		if !bytes.HasPrefix(line, []byte("goroutine ")) {
			continue
		}
		if k := bytes.Index(line, id); k >= 0 && k+len(id) < len(line) {
			if c := line[k+len(id)]; c == ']' || c == ',' {
				count++
			}
		}
	}
	return count
}
