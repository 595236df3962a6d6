package e2e_test

import (
	"testing"
	"time"
)

// TestWhyQuietWhileLive: a part picked during a live run is read out once
// (polite); the explanation's renewals while the run plays on are not
// (aria-live off, the text still changes on screen); paused, each step is
// the reader's and is read out.
func TestWhyQuietWhileLive(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "2", "workMs": "50", "jitterMs": "0", "consumerDelayMs": "0"})
	tb.submit(50)
	tb.clickCSS("#workers > li:nth-child(1)")
	tb.waitFor("worker 0 explained, read out", `(el => el.dataset.part === "worker 0" && el.textContent !== "" && el.getAttribute("aria-live") === "polite")(document.getElementById("why-text"))`, quick)
	tb.waitFor("the live renewals not read out", `document.getElementById("why-text").getAttribute("aria-live") === "off"`, 10*time.Second)
	tb.click("tm-pause")
	tb.click("tm-forward")
	tb.waitFor("paused, a step: read out again", `document.getElementById("why-text").getAttribute("aria-live") === "polite"`, 10*time.Second)
	tb.click("tm-pause") // resume
	tb.click("btn-cancel")
	tb.waitPhase(20*time.Second, "done")
}
