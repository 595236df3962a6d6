package web_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEmbedMarkupFollowsPage: <goflow-playground>'s markup (embed-markup.js)
// repeats the page's diagram, counters and gauges (index.html) so that the
// same drawing modules draw both (there is no build step to share it, and
// the element may fetch nothing before it is seen). Every element the
// drawing modules find there by id must be in both, with the same tag and
// class, so that a change to the page's markup cannot leave the element
// behind.
func TestEmbedMarkupFollowsPage(t *testing.T) {
	page, err := os.ReadFile("index.html")
	if err != nil {
		t.Fatal(err)
	}
	embed, err := os.ReadFile("embed-markup.js")
	if err != nil {
		t.Fatal(err)
	}
	stage := string(page)
	stage = stage[strings.Index(stage, `<div id="stage"`):strings.Index(stage, `<section class="panel log-panel"`)]
	// The page's timeline panel (issue 12) is not (yet) in the element.
	if i := strings.Index(stage, `<section class="panel timeline-panel"`); i >= 0 {
		stage = stage[:i] + stage[i+strings.Index(stage[i:], "</section>"):]
	}
	tagRE := regexp.MustCompile(`<[a-z]+ [^>]*\bid="[^"]+"[^>]*>`)
	tags := tagRE.FindAllString(stage, -1)
	if len(tags) < 30 {
		t.Fatalf("found %d elements with an id in the page's diagram and numbers; want the diagram, counters and gauges", len(tags))
	}
	for _, tag := range tags {
		if strings.Contains(tag, `id="counters-h"`) || strings.Contains(tag, `id="gauges-h"`) || strings.Contains(tag, `id="tp-h"`) {
			continue // the page's panel headings
		}
		if !strings.Contains(string(embed), tag) {
			t.Errorf("embed-markup.js lacks the page's %s", tag)
		}
	}
}
