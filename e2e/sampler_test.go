package e2e_test

import _ "embed"

// samplerJS installs the frame sampler; see the file's comment.
//
//go:embed testdata/sampler.js
var samplerJS string

// samples is the frame sampler's record (window.e2eSampler): the extremes
// seen over every animation frame since startSampler.
type samples struct {
	Frames               int
	MaxWorkers           int
	MaxBusy              int
	MaxBusyGauge         int
	MaxBusyShown         int
	MaxJobsLen           int
	MaxJobsLenShown      int
	ProducerBlocked      bool
	ProducerBlockedShown bool
	Error                string
}

// startSampler starts recording every animation frame.
func (tb *tab) startSampler() {
	tb.t.Helper()
	tb.exec(samplerJS)
}

// samples returns the record so far. It fails the test if sampling failed
// or saw no frame.
func (tb *tab) samples() samples {
	tb.t.Helper()
	s := eval[samples](tb, `window.e2eSampler`)
	if s.Error != "" {
		tb.t.Fatalf("the frame sampler failed: %s", s.Error)
	}
	if s.Frames == 0 {
		tb.t.Fatal("the frame sampler saw no animation frame")
	}
	tb.t.Logf("sampled %d frames: %+v", s.Frames, s)
	return s
}
