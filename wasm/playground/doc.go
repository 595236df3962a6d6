// Package playground is the GoFlow playground's engine, in plain Go: it runs
// one [pipeline.Pipeline] at a time with a simulated handler, a producer and a
// consumer, and keeps a model of what every part is doing for the page to
// draw. It is what the js/wasm binding in package main calls, and it has no
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
// # Simulated time
//
// The handler and the consumer do no real work: they wait. Their times
// (workMs, jitterMs, consumerDelayMs) are simulated milliseconds, and the
// playground's clock runs simulated time at speed times real time, so at
// speed 0.25 a job of 800 ms takes 3.2 real seconds. A speed change applies at
// once, to waits already running too. A job's timeout (timeoutMs) is the
// library's own per-job Timeout, which runs on real time: it is scaled by the
// speed when the producer sends the job.
package playground
