// Package bench compares GoFlow's pipeline with the worker pools a Go
// developer would otherwise reach for (errgroup, conc, pond, ants and
// workerpool) and with a hand-written bare-channel pool, on the same jobs.
//
// Everything is in the tests: run
//
//	go test -run '^$' -bench . -benchmem -benchtime 10000x -count 3 .
//
// and turn the output into the README's tables with
//
//	go run ./cmd/benchtable < bench.txt
//
// It is its own module so that the library keeps no dependencies.
package bench
