package playground

import (
	"context"
	"errors"

	"github.com/goflow-dev/goflow/pipeline"
)

// The pipeline's Err() in the recording: the simulated handler's errors
// carry their job's number, so that Err() can be recorded as numbers on the
// results closed event and its text rebuilt for any moment (snapshotAt, a
// loaded recording) exactly as the library wrote it.

// simulated is the simulated handler's error, and its panic value: "simulated
// failure in job-3", "simulated panic in job-3". It carries the job's number
// so that the pipeline's Err() can be recorded as a number (see endErr).
type simulated struct {
	what string // "failure" or "panic"
	n    int
}

func (e simulated) Error() string { return "simulated " + e.what + " in " + jobID(e.n) }

// endErr encodes the pipeline's Err() and Stats.Dropped, read as the
// results channel closes, as a KindResultsClosed event's Arg and Job.
func (s *session) endErr() (arg int64, job int32) {
	err := s.pipe.Err()
	arg = int64(s.pipe.Stats().Dropped) << 8
	var sim simulated
	var te *pipeline.TimeoutError
	switch {
	case err == nil:
		return arg | errNil, 0
	case errors.As(err, &te):
		return arg | (errFailed + reasonTimeout), int32(jobNumber(te.JobID))
	case errors.As(err, &sim):
		r := int64(reasonError)
		if errors.Is(err, pipeline.ErrPanic) {
			r = reasonPanic
		}
		return arg | (errFailed + r), int32(sim.n)
	}
	return arg | errCanceled, 0 // the session's cancel: context.Canceled
}

// errText rebuilds the text of the pipeline's Err() from a KindResultsClosed
// event's Arg and Job, with the library's own error types; "" for nil.
func errText(arg int64, job int32, cfg *Config) string {
	switch code := arg & 0xff; code {
	case errNil:
		return ""
	case errFailed + reasonError:
		return simulated{"failure", int(job)}.Error()
	case errFailed + reasonPanic:
		return (&pipeline.PanicError{Value: simulated{"panic", int(job)}}).Error()
	case errFailed + reasonTimeout:
		return (&pipeline.TimeoutError{JobID: jobID(int(job)), Timeout: jobTimeout(cfg)}).Error()
	}
	return context.Canceled.Error()
}
