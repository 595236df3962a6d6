module github.com/goflow-dev/goflow

go 1.25
