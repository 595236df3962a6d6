// Package panicnil holds no code, only a test of package pipeline that runs
// with GODEBUG=panicnil=1 (set by a //go:debug line in its test file, so
// that it runs in every go test of ./pipeline/..., natively and under
// js/wasm), where panic(nil) recovers as nil.
package panicnil
