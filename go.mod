module github.com/goflow-dev/goflow

go 1.25

require github.com/hack-pad/safejs v0.1.0
