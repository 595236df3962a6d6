// Package playground is the GoFlow playground's engine, in plain Go: it runs
// one [pipeline.Pipeline] at a time with a simulated handler, a producer and a
// consumer, and records every change of what each part is doing, for the page
// to draw at any moment of the run. It is what the js/wasm binding in package main calls, and it has no
// syscall/js of its own, so its tests run natively and under js/wasm alike.
//
// # Pieces
//
//   - [Config] is the playground's configuration, parsed from what a
//     JavaScript object becomes ([ParseConfig]) or from a URL query
//     ([ParseQuery]) and checked against [Limits].
//   - A [Playground] holds the current session: one pipeline run with its
//     producer goroutine (it sends the jobs that [Playground.Submit] asks for
//     and closes the jobs channel) and its consumer goroutine (it reads the
//     results channel until the pipeline closes it).
//   - [Playground.Snapshot] copies the whole state out as a [Snapshot], and
//     [Snapshot.AppendJSON] encodes it without reflection, fast enough to run
//     on every animation frame.
//   - [Playground.Call] is the JavaScript API in one function: it takes the
//     name of a goflow.* function and its arguments as JavaScript values
//     converted to Go, checks them, and answers in JSON or with an error whose
//     message starts with the function's name.
//
// # The recording
//
// Every change of a session's state goes through its recorder as an [Event]
// (32 bytes: sequence number, simulated time, kind, worker, job number, an
// argument). The recording keeps at least the last 100,000 events in a ring,
// with a keyframe (a copy of the whole state) every 256 events; when old
// events are dropped, a keyframe sits right before the earliest one kept, so
// its state stays exact. The state after any kept event is a pure function
// of the log: snapshotAt(seq) copies the nearest keyframe at or before seq
// and applies at most 255 events. The live snapshot is the state at the head
// of the log, with busy workers' progress measured at the clock's time now
// rather than at the last event's; at the end of a run the two are equal.
//
// Goroutines record what happened on their own side of a channel, so the two
// sides of one channel operation may be recorded in either order; the state
// model accepts both and stays consistent (see state.apply).
//
// # Pausing the world
//
// [Playground.Pause] stops simulated time and closes the recorder's gate: a
// session goroutine that has something to record waits there (holding no
// lock) until [Playground.Resume], so nothing is received, finished,
// emitted, failed or timed out while paused, however long. [Playground.Step]
// lets exactly one record through: a waiting one at once, or else it lets
// simulated time run until the next record, which pauses the world again.
// API calls (submit, close, cancel, speed) are recorded at once, paused or
// not.
//
// # Simulated time and seeds
//
// The handler and the consumer do no real work: they wait. Their times
// (workMs, jitterMs, consumerDelayMs) are simulated milliseconds, and the
// playground's clock runs simulated time at speed times real time, or not at
// all while paused, so at speed 0.25 a job of 800 ms takes 3.2 real seconds.
// A job's timeout (timeoutMs) is the library's own per-job Job.Timeout,
// measured on the same clock through pipeline.Options.Clock. A speed change
// or a pause applies at once to every wait, timeouts included.
//
// Each job's work time, failure and panic are decided by the config's seed
// and the job's number alone (a SplitMix64 hash), so the same seed and config
// give the same jobs in every run, whatever order the workers take them in.
//
// # Ordered and fail fast
//
// The config keys ordered and failFast are pipeline.Options.Ordered and
// FailFast. A worker that holds a result not yet due (the library's
// TurnAwaited event) stays in the state "blocked", the vocabulary's word for
// holding a result the consumer has not taken, with the flag turn set until
// the result is emitted or abandoned: a new state word would put a fifth
// worker state beside the library's four (pipeline.WorkerState), for what is
// only a reason for being blocked. After a fail-fast stop the producer stops
// too: it selects on the pipeline's Done, not on its own context, which a
// fail-fast stop leaves alone. The pipeline's Err() and Stats.Dropped are read
// as the results channel closes and recorded as numbers on that event, so
// that the snapshot's err (rebuilt with the library's own error types) is
// the same live, in snapshotAt and in a loaded recording.
//
// # Many playgrounds
//
// Each [Playground] has its own clock, session and recording; the package
// keeps no mutable state, so one process (one wasm module) can host many.
// A snapshot counts the playground's own goroutines (producer, consumer and
// live workers), not runtime.NumGoroutine's process-wide count.
package playground
