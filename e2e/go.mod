module github.com/goflow-dev/goflow/e2e

go 1.25

// The tests import the playground's server from the library's module; the
// replace keeps chromedp out of the library's go.mod.
replace github.com/goflow-dev/goflow => ../

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/goflow-dev/goflow v0.0.0-00010101000000-000000000000
)

require github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
