// Package e2e holds the playground's browser tests: they build the wasm
// module, serve the page with the playground's own server and drive it in
// headless Chromium with chromedp, the way a visitor would.
//
// The package has no code of its own; everything is in its _test files. It is
// a module of its own so that chromedp never enters the library's go.mod. Run
// it with `make test-e2e`, or `go test ./...` in this directory. It needs
// Chromium: `apt-get install -y chromium`, or GOFLOW_CHROMIUM set to a
// Chromium or Chrome binary. Without a browser every test fails; none is
// skipped and none downloads a browser.
//
// A failing test writes a full-page screenshot and the page's console log to
// artifacts/<TestName>.png and .log and names them in its output.
package e2e
