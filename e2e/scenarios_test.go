package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"testing"
)

// Guided scenarios and the URL: embed mode, parameters, bad parameters.

// TestScenarios: each scenario button loads its config into the form (and the
// URL) without starting, and shows its text.
func TestScenarios(t *testing.T) {
	tb := openPage(t, "")
	// What each scenario's config must show, beyond being valid.
	for _, c := range []struct {
		name string
		rule string
		ok   func(cfg map[string]float64) bool
	}{
		{"backpressure", "jobBuffer 0", func(c map[string]float64) bool { return c["jobBuffer"] == 0 }},
		{"buffer", "a jobs or results buffer", func(c map[string]float64) bool { return c["jobBuffer"] > 0 || c["resultBuffer"] > 0 }},
		{"slow-consumer", "consumerDelayMs > 0", func(c map[string]float64) bool { return c["consumerDelayMs"] > 0 }},
		{"cancel", "a valid config", func(map[string]float64) bool { return true }},
		{"timeouts", "0 < timeoutMs < workMs+jitterMs", func(c map[string]float64) bool {
			return c["timeoutMs"] > 0 && c["timeoutMs"] < c["workMs"]+c["jitterMs"]
		}},
		{"failures", "failRate or panicRate > 0", func(c map[string]float64) bool { return c["failRate"] > 0 || c["panicRate"] > 0 }},
	} {
		before := tb.text("scenario-text")
		tb.clickCSS(fmt.Sprintf(`button[data-scenario=%q]`, c.name))
		text := pollFor[string](tb, c.name+": #scenario-text to change",
			fmt.Sprintf(`(t => t !== "" && t !== %q && t)(document.getElementById("scenario-text").textContent.trim())`, before), quick)
		t.Logf("%s: %.60q…", c.name, text)

		form := tb.formValues()
		cfg := map[string]float64{}
		for k, v := range form {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Errorf("%s: #cfg-%s = %q; want a number", c.name, k, v)
			}
			cfg[k] = f
		}
		if !c.ok(cfg) {
			t.Errorf("%s: form config %v; want %s", c.name, form, c.rule)
		}
		// The form's config is valid: validate does not throw.
		tb.exec(fmt.Sprintf(`goflow.validate(Object.fromEntries(Object.entries(%s).map(([k, v]) => [k, Number(v)])))`, jsonOf(tb, form)))

		// The URL names the scenario and carries the form's config. The
		// page updates it shortly after a change.
		tb.waitFor(c.name+": the URL to name the scenario",
			fmt.Sprintf(`new URLSearchParams(location.search).get("scenario") === %q`, c.name), quick)
		q := tb.query()
		for k, v := range form {
			if p := q.Get(k); p != "" && !sameNumber(p, v) {
				t.Errorf("%s: URL has %s=%s; the form has %s", c.name, k, p, v)
			}
		}
		if ph := tb.snap().Phase; ph != "idle" {
			t.Errorf("%s: phase %q; want idle (a scenario only loads its config)", c.name, ph)
		}
	}
}

// formValues reads #cfg-<key> for every numeric config key (not the
// checkboxes ordered and failFast).
func (tb *tab) formValues() map[string]string {
	tb.t.Helper()
	return eval[map[string]string](tb, `Object.fromEntries(Object.keys(goflow.defaults())
		.filter(k => document.getElementById("cfg-" + k).type !== "checkbox")
		.map(k => [k, document.getElementById("cfg-" + k).value]))`)
}

// query returns the page's URL query.
func (tb *tab) query() url.Values {
	tb.t.Helper()
	u, err := url.Parse(tb.url())
	if err != nil {
		tb.t.Fatal(err)
	}
	return u.Query()
}

func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

// TestEmbed: ?embed=1 gives the compact layout, and URL parameters fill the
// form and the pipeline started from it.
func TestEmbed(t *testing.T) {
	tb := openPage(t, "?embed=1&workers=5&jobBuffer=2")
	if !eval[bool](tb, `document.body.classList.contains("embed")`) {
		t.Error("body lacks the class embed")
	}
	if got := tb.formValues(); got["workers"] != "5" || got["jobBuffer"] != "2" {
		t.Errorf("form workers=%q jobBuffer=%q; want 5 and 2", got["workers"], got["jobBuffer"])
	}
	if got := tb.text("error"); got != "" {
		t.Errorf("#error = %q; want it empty", got)
	}
	tb.click("btn-start")
	tb.waitPhase(quick, "running")
	tb.waitFor("5 .worker elements", `document.querySelectorAll("#workers .worker").length === 5`, quick)
	if s := tb.snap(); len(s.Workers) != 5 || s.Jobs.Cap != 2 {
		t.Errorf("snapshot: %d workers, jobs.cap %d; want 5 and 2", len(s.Workers), s.Jobs.Cap)
	}
	tb.click("btn-cancel")
	tb.waitDone(quick)
}

// TestBadURLParameter: a bad URL parameter shows a message naming it, and the
// page still works.
func TestBadURLParameter(t *testing.T) {
	tb := newTab(t)
	for _, c := range []struct{ query, name string }{
		{"?workers=abc", "workers"},
		{"?workers=0", "workers"},
		{"?jobBuffer=65&workers=2", "jobBuffer"},
		{"?wrokers=2", "wrokers"},
	} {
		tb.navigate(c.query)
		tb.waitReady()
		msg := pollFor[string](tb, c.query+": a message naming "+c.name+" in #error",
			fmt.Sprintf(`(t => t.includes(%q) && t)(document.getElementById("error").textContent)`, c.name), quick)
		t.Logf("%s: #error %q", c.query, msg)
		tb.runSmall()
	}
}

// jsonOf renders v as JSON, which is also JavaScript.
func jsonOf(tb *tab, v any) string {
	tb.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.t.Fatal(err)
	}
	return string(b)
}
