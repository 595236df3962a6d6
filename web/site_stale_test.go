package web_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goflow-dev/goflow/web"
)

// TestWriteSiteDropsStaleBrotli: a site folder written again after
// main.wasm changed and its main.wasm.br did not (stale) holds no
// main.wasm.br: a host that serves precompressed files (nginx
// brotli_static, Caddy precompressed) would send the last build's module
// in it.
func TestWriteSiteDropsStaleBrotli(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "site")
	fsys := testFS()
	fsys["main.wasm.br"] = &fstest.MapFile{Data: []byte("brotli bytes"), ModTime: time.Unix(100, 0)}
	writeFiles(t, src, fsys)
	if err := web.WriteSite(dst, src); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dst, "main.wasm.br")); err != nil || string(got) != "brotli bytes" {
		t.Fatalf("site/main.wasm.br: %q, %v; want the fresh .br copied", got, err)
	}

	// main.wasm is rebuilt; its .br is not.
	if err := os.Chtimes(filepath.Join(src, "main.wasm.br"), time.Unix(99, 0), time.Unix(99, 0)); err != nil {
		t.Fatal(err)
	}
	if err := web.WriteSite(dst, src); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, "main.wasm.br")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("site/main.wasm.br after a stale .br: %v; want it removed", err)
	}
}
