package e2e_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTimelineFollowsPixelRatio: a run at rest (no new events), then the
// devicePixelRatio changes (browser zoom, a window moved to a projector)
// at each width from 320 to 2560 px: the timeline's canvas is repainted at
// the new ratio (it was left at the old one, blurred or stretched, until
// the next event).
func TestTimelineFollowsPixelRatio(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "3", "workMs": "100", "jitterMs": "0"})
	tb.submit(5)
	tb.waitFor("the jobs done", `goflow.snapshot().consumer.consumed === 5`, 10*time.Second)
	for _, c := range []struct {
		w   int64
		dpr float64
	}{{320, 1}, {320, 3}, {1280, 3}, {1280, 1}, {1280, 2}, {2560, 2}, {2560, 1}} {
		tb.do("sizing the window", quick, chromedp.EmulateViewport(c.w, 900, chromedp.EmulateScale(c.dpr)))
		tb.waitFor("the timeline at the window's ratio", `(c => devicePixelRatio === `+strconv.FormatFloat(c.dpr, 'g', -1, 64)+` && c.width === Math.round(c.getBoundingClientRect().width * devicePixelRatio) && c.height === Math.round(c.getBoundingClientRect().height * devicePixelRatio))(document.getElementById("timeline"))`, quick)
	}
	tb.click("btn-cancel")
	tb.waitPhase(20*time.Second, "done")
}
