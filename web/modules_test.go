package web_test

import (
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/goflow-dev/goflow/web"
)

// importRE matches the module specifiers of static imports and re-exports
// at the start of a line: `import ... from "./x.js"`, `import "./x.js"`,
// `export ... from "./x.js"`.
var importRE = regexp.MustCompile(`(?m)(?:^|;[ \t]*)(?:import\s*["']([^"']+)["']|(?:import|export)\s[^;"']*?\sfrom\s*["']([^"']+)["'])`)

// TestModulesServed reads this directory's page: every script index.html
// names and every module those import, transitively, must be a relative
// path to a file that Handler serves as JavaScript, and every module must
// start with // @ts-check and stay under maxModuleLines. So a new module
// cannot be left out of the site, nor import from another host.
func TestModulesServed(t *testing.T) {
	h := web.HandlerFS(os.DirFS("."))
	index, err := os.ReadFile("index.html")
	if err != nil {
		t.Fatal(err)
	}
	var queue []string
	for _, m := range regexp.MustCompile(`<script[^>]*type="module"[^>]*src="([^"]+)"`).FindAllStringSubmatch(string(index), -1) {
		queue = append(queue, m[1])
	}
	// Classic scripts (boot.js) count as in use too; wasm_exec.js is Go's.
	for _, m := range regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(string(index), -1) {
		if m[1] != "wasm_exec.js" {
			queue = append(queue, m[1])
		}
	}
	if len(queue) == 0 {
		t.Fatal("index.html loads no module; want the entry module")
	}
	// embed.js is the other entry: <goflow-playground>, for other pages.
	queue = append(queue, "embed.js")
	seen := map[string]bool{}
	for len(queue) > 0 {
		name := path.Clean(queue[0])
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		resp := get(t, h, "/"+name, "")
		src := body(t, resp)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("GET /%s: status %d, %s; want 200, text/javascript", name, resp.StatusCode, resp.Header.Get("Content-Type"))
			continue
		}
		if !strings.HasPrefix(string(src), "// @ts-check\n") {
			t.Errorf("%s: does not start with // @ts-check", name)
		}
		for _, m := range importRE.FindAllStringSubmatch(string(src), -1) {
			spec := m[1] + m[2]
			if !strings.HasPrefix(spec, "./") || !strings.HasSuffix(spec, ".js") {
				t.Errorf("%s imports %q; want a relative path to a .js file on the same host", name, spec)
				continue
			}
			queue = append(queue, path.Join(path.Dir(name), spec))
		}
	}
	if len(seen) < 2 {
		t.Errorf("found %d modules; want the entry and the modules it imports", len(seen))
	}
	// Every module in the directory is reachable from the page (none is
	// dead), and small.
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".js") || n == "wasm_exec.js" {
			continue
		}
		if !seen[n] {
			t.Errorf("%s is not imported by the page; want every module in use", n)
		}
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(src), "\n"); lines > maxModuleLines {
			t.Errorf("%s has %d lines; want at most %d: split it by concern", n, lines, maxModuleLines)
		}
	}
}

// maxModuleLines bounds a module's size, so that each stays about one thing.
const maxModuleLines = 300
