package pipeline_test

import (
	"testing"
	"testing/synctest"
	"time"
)

// FuzzPipeline runs a scenario in a synctest bubble: pool and buffer sizes,
// the number of jobs, each job's timeout and behaviour (succeed, fail, panic
// or wait on its context, taking 1 to 31 ms of fake time) and the cancel
// point all come from the fuzzer. Delays are odd and timeouts even numbers
// of milliseconds, so each job's outcome is known in advance.
func FuzzPipeline(f *testing.F) {
	f.Add(uint8(1), uint8(0), uint8(0), uint8(0), uint8(0), []byte{}, []byte{})
	f.Add(uint8(4), uint8(0), uint8(0), uint8(20), uint8(0), []byte{0}, []byte{0, 1, 2, 3})
	f.Add(uint8(3), uint8(2), uint8(1), uint8(30), uint8(6), []byte{0, 1, 2}, []byte{3, 7, 11, 12, 40, 63})
	f.Add(uint8(16), uint8(8), uint8(8), uint8(64), uint8(30), []byte{1, 0, 0, 2}, []byte{2, 6, 0, 5, 255})
	f.Add(uint8(2), uint8(0), uint8(3), uint8(10), uint8(1), []byte{4}, []byte{63, 3})
	f.Add(uint8(7), uint8(5), uint8(0), uint8(50), uint8(200), []byte{3, 1}, []byte{255, 128, 64, 32, 16})
	f.Fuzz(func(t *testing.T, workers, jobBuffer, resultBuffer, numJobs, cancelAfter uint8, timeouts, behaviours []byte) {
		sc := &scenario{
			workers:      int(workers)%16 + 1,
			jobBuffer:    int(jobBuffer) % 9,
			resultBuffer: int(resultBuffer) % 9,
			jobs:         make([]jobSpec, int(numJobs)%65),
			cancelAfter:  int(cancelAfter) - 1, // 0: never
		}
		for i := range sc.jobs {
			b, tb := at(behaviours, i), at(timeouts, i)
			sc.jobs[i] = jobSpec{
				does:    behaviour(b % 4),
				delay:   time.Duration(2*((b>>2)%16)+1) * time.Millisecond,
				timeout: time.Duration(8*(tb%5)) * time.Millisecond,
			}
		}
		synctest.Test(t, sc.run)
	})
}

// at returns bs[i] cycling through bs, or 0 if bs is empty.
func at(bs []byte, i int) byte {
	if len(bs) == 0 {
		return 0
	}
	return bs[i%len(bs)]
}
