package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 8's options on the page: the config keys ordered and failFast, the
// "ordered" and "fail fast" scenarios, the worker waiting for its turn, the
// pipeline's Err() after a fail-fast stop, and bad values for both keys.

const scenarioRun = 20 * time.Second // a guided scenario's run, simulated at full speed

// checked reports whether the checkbox #cfg-<key> is checked.
func (tb *tab) checked(key string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`document.getElementById("cfg-%s").checked`, key))
}

// TestOrderedScenario: ?scenario=ordered checks "Ordered", the code panel
// writes Ordered: true, and once run, the workers whose jobs finished before
// the slow job-1 show "waiting for its turn", as the snapshot says.
func TestOrderedScenario(t *testing.T) {
	tb := openPage(t, "?scenario=ordered")
	if !tb.checked("ordered") || tb.checked("failFast") {
		t.Errorf("ordered %v, failFast %v; want only ordered checked", tb.checked("ordered"), tb.checked("failFast"))
	}
	if code := tb.text("code"); !strings.Contains(code, "Ordered: true") || strings.Contains(code, "FailFast") {
		t.Errorf("the code panel does not write Ordered: true alone:\n%s", code)
	}
	tb.click("btn-run-scenario")
	tb.waitPhase(quick, "running")
	// Job-1 takes 2.75 s; jobs 2 and 3 are done within 0.7 s and wait.
	shown := pollFor[string](tb, "a worker shown waiting for its turn", `(() => {
		const ws = [...document.querySelectorAll('#workers .worker[data-turn="true"]')];
		return ws.length >= 2 && ws.map(w => w.textContent.trim()).join(" | ");
	})()`, scenarioRun)
	t.Logf("workers waiting for their turn: %s", shown)
	if !strings.Contains(shown, "waiting for its turn") {
		t.Errorf("the waiting workers show %q; want the words \"waiting for its turn\"", shown)
	}
	s := tb.snap()
	turns := 0
	for _, w := range s.Workers {
		if w.Turn {
			turns++
			if w.State != "blocked" {
				t.Errorf("worker %d waits for its turn in state %q; want blocked", w.ID, w.State)
			}
		}
	}
	if turns == 0 {
		t.Errorf("snapshot: no worker has turn: true; workers %+v", s.Workers)
	}
	// The results come out in order: job-1 first, though it finished last.
	tb.waitFor("a result consumed", `goflow.snapshot().consumer.consumed >= 3`, scenarioRun)
	var took []string
	for _, e := range tb.snap().Log {
		if e.Kind == "result consumed" {
			took = append(took, e.Text)
		}
	}
	if len(took) < 3 || !strings.HasSuffix(took[0], " job-1") || !strings.HasSuffix(took[1], " job-2") || !strings.HasSuffix(took[2], " job-3") {
		t.Errorf("results consumed %q; want job-1, job-2, job-3 first", took)
	}
	tb.click("btn-cancel")
	tb.waitDone(quick)
}

// TestFailFastScenario: ?scenario=fail-fast checks "Fail fast", the code
// panel writes FailFast: true and a producer that stops on p.Done(), and the
// run stops by itself at job-2's failure, showing the error Err() returns.
func TestFailFastScenario(t *testing.T) {
	tb := openPage(t, "?scenario=fail-fast")
	if !tb.checked("failFast") || tb.checked("ordered") {
		t.Errorf("failFast %v, ordered %v; want only failFast checked", tb.checked("failFast"), tb.checked("ordered"))
	}
	code := tb.text("code")
	for _, want := range []string{"FailFast: true", "case <-p.Done():", "p.Err()"} {
		if !strings.Contains(code, want) {
			t.Errorf("the code panel lacks %q:\n%s", want, code)
		}
	}
	if !eval[bool](tb, `document.getElementById("run-err").hidden`) {
		t.Errorf("#run-err shown before any run: %q", tb.text("run-err"))
	}
	tb.click("btn-run-scenario")
	s := tb.waitDone(scenarioRun) // nobody presses Cancel or Close
	const want = "simulated failure in job-2"
	if s.Err != want {
		t.Errorf("snapshot err = %q; want %q", s.Err, want)
	}
	shown := pollFor[string](tb, "#run-err to show the error", fmt.Sprintf(`(el => !el.hidden && el.dataset.kind === "failFast" && el.textContent.includes(%q) && el.textContent)(document.getElementById("run-err"))`, want), quick)
	t.Logf("#run-err: %q", shown)
	if s.Producer.Sent >= 20 || s.Counters.Failed < 1 {
		t.Errorf("sent %d, failed %d; want the producer stopped early and a failure", s.Producer.Sent, s.Counters.Failed)
	}
	// A new run without failFast hides it again.
	tb.setField("cfg-failFast", "false")
	if code := tb.text("code"); strings.Contains(code, "FailFast") {
		t.Errorf("unchecked, the code panel still writes FailFast:\n%s", code)
	}
	tb.runSmall()
	tb.waitFor("#run-err hidden after a drain", `document.getElementById("run-err").hidden`, quick)
}

// TestBadOptionValues: wrong ordered and failFast values from the URL and
// from JavaScript are refused with a message naming the key; good URL values
// check the boxes; the boxes toggle from the keyboard.
func TestBadOptionValues(t *testing.T) {
	tb := newTab(t)
	for _, c := range []struct{ query, name, want string }{
		{"?ordered=yes", "ordered", `ordered: got "yes"; want 1, 0, true or false`},
		{"?failFast=2&workers=2", "failFast", `failFast: got "2"; want 1, 0, true or false`},
		{"?ordered=TRUE", "ordered", `ordered: got "TRUE"; want 1, 0, true or false`},
	} {
		tb.navigate(c.query)
		tb.waitReady()
		msg := pollFor[string](tb, c.query+": a message naming "+c.name+" in #error",
			fmt.Sprintf(`(t => t.includes(%q) && t)(document.getElementById("error").textContent)`, c.want), quick)
		t.Logf("%s: #error %q", c.query, msg)
		if tb.checked(c.name) {
			t.Errorf("%s: #cfg-%s checked; want the default, unchecked", c.query, c.name)
		}
	}
	tb.navigate("?ordered=1&failFast=true")
	tb.waitReady()
	if !tb.checked("ordered") || !tb.checked("failFast") {
		t.Errorf("?ordered=1&failFast=true: ordered %v, failFast %v; want both checked", tb.checked("ordered"), tb.checked("failFast"))
	}
	if got := tb.text("error"); got != "" {
		t.Errorf("#error = %q; want it empty", got)
	}
	for call, want := range map[string]string{
		`goflow.validate({ordered: 1})`:                    "validate: ordered: got 1; want a boolean (true or false)",
		`goflow.start({failFast: "true"})`:                 `start: failFast: got "true"; want a boolean (true or false)`,
		`goflow.validate({failFast: null, ordered: true})`: "validate: failFast: got null; want a boolean (true or false)",
	} {
		if got := tb.thrown(call); got != want {
			t.Errorf("%s threw %q; want %q", call, got, want)
		}
	}
	lim := eval[map[string]any](tb, `goflow.limits().ordered`)
	if lim["boolean"] != true || lim["min"] != 0.0 || lim["max"] != 1.0 {
		t.Errorf("limits().ordered = %v; want {min: 0, max: 1, integer: true, boolean: true}", lim)
	}
	// Keyboard: Tab to the box, Space unchecks it, and the URL follows.
	tb.tabTo("cfg-ordered")
	tb.do("pressing Space", quick, chromedp.KeyEvent(" "))
	if tb.checked("ordered") {
		t.Error("Space did not uncheck #cfg-ordered")
	}
	tb.waitFor("the URL to say ordered=false", `new URLSearchParams(location.search).get("ordered") === "false"`, quick)
	if code := tb.text("code"); strings.Contains(code, "Ordered: true") || !strings.Contains(code, "FailFast: true") {
		t.Errorf("the code panel does not follow the boxes:\n%s", code)
	}
}
