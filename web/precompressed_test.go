package web_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goflow-dev/goflow/web"
)

// TestPrecompressedGzip: a main.wasm.gz at least as new as main.wasm (make
// wasm writes it with zopfli, smaller than Go's gzip) is what a gzip client
// gets, and what WriteSite copies; a stale one is neither.
func TestPrecompressedGzip(t *testing.T) {
	fsys := testFS()
	fsys["main.wasm.gz"] = &fstest.MapFile{Data: []byte("zopfli bytes"), ModTime: time.Unix(100, 0)}
	h := web.HandlerFS(fsys)
	resp := get(t, h, "/main.wasm", "gzip, deflate")
	if enc, b := resp.Header.Get("Content-Encoding"), string(body(t, resp)); enc != "gzip" || b != "zopfli bytes" {
		t.Errorf("a fresh main.wasm.gz: Content-Encoding %q, body %q; want gzip and the .gz file", enc, b)
	}
	if got := resp.Header.Get("Content-Length"); got != "12" {
		t.Errorf("Content-Length %q; want 12, the .gz file's", got)
	}

	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "site")
	writeFiles(t, src, fsys)
	if err := web.WriteSite(dst, src); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dst, "main.wasm.gz")); err != nil || string(got) != "zopfli bytes" {
		t.Errorf("site/main.wasm.gz: %q, %v; want the fresh .gz copied", got, err)
	}

	fsys["main.wasm.gz"].ModTime = time.Unix(99, 0) // older than main.wasm: stale
	resp = get(t, web.HandlerFS(fsys), "/main.wasm", "gzip")
	if b := body(t, resp); bytes.Equal(b, []byte("zopfli bytes")) || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("a stale main.wasm.gz: body %q, Content-Encoding %q; want main.wasm gzipped here", b, resp.Header.Get("Content-Encoding"))
	}
}
