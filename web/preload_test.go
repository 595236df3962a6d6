package web_test

import (
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// anyImportRE matches every static import's specifier, also where one line
// holds several (embed.js imports its graph's deeper modules on one line).
var anyImportRE = regexp.MustCompile(`(?:\bimport|\bfrom)\s*["'](\./[^"']+)["']`)

// moduleGraph returns the modules entry imports, transitively (entry
// aside), and those it imports itself.
func moduleGraph(t *testing.T, entry string) (all, direct []string) {
	t.Helper()
	seen := map[string]bool{entry: true}
	queue := []string{entry}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range anyImportRE.FindAllStringSubmatch(string(src), -1) {
			dep := path.Join(path.Dir(name), m[1])
			if name == entry && !slices.Contains(direct, dep) {
				direct = append(direct, dep)
			}
			if !seen[dep] {
				seen[dep] = true
				all = append(all, dep)
				queue = append(queue, dep)
			}
		}
	}
	slices.Sort(all)
	slices.Sort(direct)
	return all, direct
}

// TestPreloadFlat checks that loading starts everything at once: index.html
// preloads main.wasm and modulepreloads every module of app.js's graph
// (and nothing else), and embed.js imports every module of its graph
// itself, so that no module waits for a round trip per level of imports
// (562 ms each on Slow 4G). Importing a module that an earlier import
// already brings changes nothing in the order modules are evaluated.
func TestPreloadFlat(t *testing.T) {
	index, err := os.ReadFile("index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `<link rel="preload" href="main.wasm" as="fetch" crossorigin>`) {
		t.Error(`index.html does not preload main.wasm; want <link rel="preload" href="main.wasm" as="fetch" crossorigin> (crossorigin: goflow.js fetches it in cors mode, and only a preload of the same mode is used)`)
	}
	var preloaded []string
	for _, m := range regexp.MustCompile(`<link rel="modulepreload" href="([^"]+)">`).FindAllStringSubmatch(string(index), -1) {
		preloaded = append(preloaded, path.Clean(m[1]))
	}
	slices.Sort(preloaded)
	all, _ := moduleGraph(t, "app.js")
	if !slices.Equal(preloaded, all) {
		t.Errorf("index.html modulepreloads\n\t%v\nwant app.js's modules\n\t%v", preloaded, all)
	}

	all, direct := moduleGraph(t, "embed.js")
	for _, m := range all {
		if !slices.Contains(direct, m) {
			t.Errorf("embed.js's graph holds %s, which embed.js does not import itself; want every module imported from embed.js (import %q)", m, "./"+m)
		}
	}
}
