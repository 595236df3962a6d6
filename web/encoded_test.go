package web_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
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

// TestPreconditionFailedBrotli: a request for main.wasm that accepts br and
// whose precondition fails (If-Match, If-Unmodified-Since) gets a 412 that
// claims no body it does not send (no br Content-Encoding or Length), as a
// gzip one does; a 304 (If-Modified-Since) likewise.
func TestPreconditionFailedBrotli(t *testing.T) {
	fsys := testFS()
	fsys["main.wasm"].ModTime = time.Unix(100, 0)
	fsys["main.wasm.br"] = &fstest.MapFile{Data: []byte("brotli bytes"), ModTime: time.Unix(100, 0)}
	srv := httptest.NewServer(web.HandlerFS(fsys))
	defer srv.Close()
	for _, c := range []struct {
		header, value string
		code          int
	}{
		{"If-Match", `"nope"`, http.StatusPreconditionFailed},
		{"If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT", http.StatusPreconditionFailed},
		{"If-Modified-Since", "Thu, 01 Jan 1970 00:10:00 GMT", http.StatusNotModified},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/main.wasm", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "br")
		req.Header.Set(c.header, c.value)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.header, err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || err != nil {
			t.Errorf("%s: status %d, reading the body (%d bytes): %v; want %d and a body read to its end", c.header, resp.StatusCode, len(b), err, c.code)
		}
		if got := resp.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("%s: %d with Content-Encoding %q; want none", c.header, resp.StatusCode, got)
		}
	}
}

// TestHeadBrotli: HEAD for main.wasm from a br client says what the GET
// sends (br, the .br's length) and sends no body.
func TestHeadBrotli(t *testing.T) {
	fsys := testFS()
	fsys["main.wasm"].ModTime = time.Unix(100, 0)
	fsys["main.wasm.br"] = &fstest.MapFile{Data: []byte("brotli bytes"), ModTime: time.Unix(100, 0)}
	req := httptest.NewRequest(http.MethodHead, "/main.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	rec := httptest.NewRecorder()
	web.HandlerFS(fsys).ServeHTTP(rec, req)
	resp := rec.Result()
	if enc, n := resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"); resp.StatusCode != http.StatusOK || enc != "br" || n != "12" || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, Content-Encoding %q, Content-Length %q, %d body bytes; want 200, br, 12 and none", resp.StatusCode, enc, n, rec.Body.Len())
	}
}
