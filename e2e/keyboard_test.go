package e2e_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestKeyboard: Start, Submit 1 and Cancel can be reached with Tab and pressed
// with Enter or Space, with the effect a click has.
func TestKeyboard(t *testing.T) {
	tb := openPage(t, "")
	tb.fillForm(tb.withDefaults(config{"workers": "2", "workMs": "5000"}))

	tb.tabTo("btn-start")
	tb.do("pressing Enter", quick, chromedp.KeyEvent(kb.Enter))
	tb.waitPhase(quick, "running")

	tb.tabTo("btn-submit1")
	tb.do("pressing Space", quick, chromedp.KeyEvent(" "))
	tb.waitFor("a job submitted", `(s => s.producer.sent + s.producer.backlog + s.counters.received >= 1)(goflow.snapshot())`, quick)

	tb.tabTo("btn-cancel")
	tb.do("pressing Enter", quick, chromedp.KeyEvent(kb.Enter))
	tb.waitPhase(quick, "canceled", "done")
}

// tabTo presses Tab until the element with the id has the focus, and fails if
// a full round of the page's focusable elements never reaches it.
func (tb *tab) tabTo(id string) {
	tb.t.Helper()
	const maxTabs = 200
	var path []string
	for range maxTabs {
		focused := eval[string](tb, `(el => el ? el.id || el.tagName.toLowerCase() : "")(document.activeElement)`)
		if focused == id {
			return
		}
		path = append(path, focused)
		tb.do("pressing Tab", quick, chromedp.KeyEvent(kb.Tab))
	}
	tb.t.Fatalf("%d Tab presses never focused #%s; focus went %v", maxTabs, id, fmt.Sprint(path[:min(len(path), 60)]))
}
