package e2e_test

import (
	"testing"
	"time"
)

// TestWhyClearsVanishedPart: worker 3 explained, then a new run of two
// workers: the explanation and the highlighted code line of a worker the
// run does not have are cleared (they stayed, describing the old run).
func TestWhyClearsVanishedPart(t *testing.T) {
	tb := openPage(t, "")
	tb.startForm(config{"workers": "4", "workMs": "100", "jitterMs": "0"})
	tb.clickCSS("#workers > li:nth-child(4)")
	tb.waitFor("worker 3 explained", `(el => el.dataset.part === "worker 3" && el.textContent !== "")(document.getElementById("why-text"))`, quick)
	tb.click("btn-cancel")
	tb.waitPhase(20*time.Second, "done")
	tb.startForm(config{"workers": "2", "workMs": "100", "jitterMs": "0"})
	tb.waitFor("the explanation cleared", `(el => el.textContent === "" && !el.dataset.part && !document.getElementById("code").parentElement.dataset.line)(document.getElementById("why-text"))`, quick)
	tb.click("btn-cancel")
	tb.waitPhase(20*time.Second, "done")
}
