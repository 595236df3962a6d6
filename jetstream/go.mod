module github.com/goflow-dev/goflow/jetstream

go 1.25.0

// The library stays standard-library only: the broker's client and server
// live in this module's go.mod, not the library's.
replace github.com/goflow-dev/goflow => ../

require (
	github.com/goflow-dev/goflow v0.0.0
	github.com/nats-io/nats.go v1.53.0
)

require (
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/nats-io/nkeys v0.4.16 // indirect
	github.com/nats-io/nuid v1.0.1 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
