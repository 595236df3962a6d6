// Package jetstream runs a GoFlow [pipeline.Pipeline] behind a NATS JetStream
// work queue, so that many processes, on many machines, share one stream of
// jobs: the broker partitions, persists and redelivers; the pipeline in each
// process bounds and runs the work.
//
//	JetStream stream --durable pull consumer--> process 1: Consume -> pipeline -> results subject
//	                                        \-> process 2: Consume -> pipeline -> results subject
//	                                        \-> process N: ...
//
// [Consume] is the glue, written once: it pulls messages, turns each into a
// [pipeline.Job] (the ID is the message's stream sequence, the payload what
// [Options.Decode] makes of its data), publishes each result and acknowledges
// each message only after its result is handled.
//
// The package is named after what it connects to; import the NATS client's
// package of the same name under another name, for example natsjs.
//
// # Backpressure
//
// A process holds at most [Options.InHand] messages that it has pulled and
// not yet acknowledged, negatively acknowledged or terminated: by default
// workers + JobBuffer, which is exactly what the pool (one job per worker)
// and the jobs channel that Consume makes (JobBuffer slots, default workers)
// can hold. A result waiting to be published or acknowledged still counts, so
// a slow broker holds intake back too. Consume pulls with
// [natsjs.Consumer.Fetch], asking for every free slot once at least half of
// them are free (the pull batch is between InHand/2 and InHand).
//
// Set the durable consumer's MaxAckPending to at least processes × InHand
// (see [MaxAckPending]), or the broker, not the pipelines, becomes the bound
// and some processes starve. The broker's count of messages waiting for an
// acknowledgement (NumAckPending) also holds a failed job while it waits out
// its NakDelay, though no process holds it: with failures, NumAckPending may
// exceed processes × InHand by the jobs waiting to be redelivered, and a
// MaxAckPending without room for them lets those jobs hold back the rest.
//
// # Goroutines
//
// Besides the pipeline's workers, one Consume call runs a fetcher (the
// producer: it pulls and sends jobs, and closes the jobs channel), an acker
// (it settles each handled job), a heartbeat ticker, two short watchers (the
// drain deadline, the pipeline's Done), and while acknowledgements await the
// broker's confirmation at most one goroutine per run of them, never more
// than InHand. The calling goroutine is the consumer of the results channel.
// All have ended when Consume returns.
//
// # Delivery guarantees
//
// Delivery is at least once; results are made exactly once by the broker:
//
//   - A message is acknowledged only after its result is stored in the
//     results stream (the publish's acknowledgement arrived). A process that
//     dies before that leaves the message unacknowledged, and JetStream
//     redelivers it to another process after the consumer's AckWait.
//   - Each result is published with a Nats-Msg-Id derived from the job
//     (stream name and sequence, see [ResultID]), so the results stream's
//     Duplicates window drops the second result of a redelivered job. A
//     redelivery later than that window would publish a second result.
//   - A failed job (its handler's error or panic, an Encode error or panic)
//     is negatively acknowledged with a delay (NakDelay times the number of
//     deliveries so far), and terminated once it has been delivered
//     MaxDeliver times: a poison message never loops. A payload that Decode
//     rejects, or panics on, is terminated at once, since decoding it again
//     cannot succeed.
//   - A result the results stream does not store (it is full, missing, or
//     does not answer within PublishTimeout) is not the job's failure: the
//     job is given back with the same growing delay but never terminated for
//     it, so that no work is lost while the broker is in trouble. Only the
//     consumer's own MaxDeliver, if set, ends such a job's deliveries.
//   - While a message is in hand, Consume sends an in-progress heartbeat for
//     it every Heartbeat (default a third of the consumer's AckWait), so a
//     long job is not redelivered while it runs.
//   - When ctx is done, Consume stops pulling (messages of a pull already
//     under way are given back as they arrive), lets the pipeline drain what
//     is in hand for up to DrainTimeout, then cancels it and negatively
//     acknowledges every job left, so that another process takes them at
//     once rather than after AckWait.
package jetstream
