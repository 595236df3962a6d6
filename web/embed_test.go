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
	page, embed := pageAndEmbed(t)
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

// TestEmbedTransportFollowsPage: the element's transport bar repeats the
// page's (index.html), which transport.js finds by id under either root:
// every tagged element of the page's bar, from Pause to the moment's
// position, is in embed-markup.js as it is in the page.
func TestEmbedTransportFollowsPage(t *testing.T) {
	page, embed := pageAndEmbed(t)
	bar := string(page)
	bar = bar[strings.Index(bar, `<div class="btn-row tm-row">`):strings.Index(bar, `<p id="tm-hint"`)]
	tags := regexp.MustCompile(`<[a-z]+ [^>]*\bid="[^"]+"[^>]*>[^<]*`).FindAllString(bar, -1)
	if len(tags) != 7 {
		t.Fatalf("found %d elements with an id in the page's transport bar; want 7 (pause, back, forward, live, seed, scrubber, position)", len(tags))
	}
	for _, tag := range tags {
		if tag = strings.TrimSpace(tag); !strings.Contains(string(embed), tag) {
			t.Errorf("embed-markup.js lacks the page's %s", tag)
		}
	}
}

// pageAndEmbed reads index.html and embed-markup.js.
func pageAndEmbed(t *testing.T) (page, embed []byte) {
	t.Helper()
	page, err := os.ReadFile("index.html")
	if err == nil {
		embed, err = os.ReadFile("embed-markup.js")
	}
	if err != nil {
		t.Fatal(err)
	}
	return page, embed
}
