package web_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goflow-dev/goflow/web"
)

var (
	bigJS   = strings.Repeat("console.log('goflow');\n", 200)
	wasmBin = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{1, 2, 3, 4}, 1000)...)
)

func testFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":       {Data: []byte("<!doctype html><title>GoFlow</title>")},
		"app.js":           {Data: []byte(bigJS), ModTime: time.Unix(1, 0)},
		"view.js":          {Data: []byte("// @ts-check")},
		"api.d.ts":         {Data: []byte("export type Config = {};")},
		"style.css":        {Data: []byte("body{}")},
		"main.wasm":        {Data: wasmBin, ModTime: time.Unix(100, 0)},
		"wasm_exec.js":     {Data: []byte("// Go")},
		"server.go":        {Data: []byte("package web")},
		".hidden":          {Data: []byte("secret")},
		"img/logo.png":     {Data: []byte("\x89PNG")},
		"serve/main.go":    {Data: []byte("package main")},
		"main.wasm.gz":     {Data: []byte("stale"), ModTime: time.Unix(1, 0)}, // older than main.wasm
		"sub/dir/file.txt": {Data: []byte("hello")},
	}
}

// get requests path from h with the given Accept-Encoding.
func get(t *testing.T, h http.Handler, path, acceptEncoding string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestContentTypes(t *testing.T) {
	h := web.HandlerFS(testFS())
	tests := []struct{ path, want string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/app.js", "text/javascript; charset=utf-8"},
		{"/wasm_exec.js", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/main.wasm", "application/wasm"},
		{"/img/logo.png", "image/png"},
	}
	for _, tt := range tests {
		resp := get(t, h, tt.path, "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d; want 200", tt.path, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Type"); got != tt.want {
			t.Errorf("GET %s: Content-Type %q; want %q", tt.path, got, tt.want)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q; want no-cache", tt.path, got)
		}
	}
}

func TestGzip(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, tt := range []struct {
		path string
		want []byte
	}{{"/main.wasm", wasmBin}, {"/app.js", []byte(bigJS)}} {
		resp := get(t, h, tt.path, "br;q=1.0, gzip;q=0.8")
		if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("GET %s: Content-Encoding %q; want gzip", tt.path, got)
		}
		if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("GET %s: Vary %q; want Accept-Encoding", tt.path, got)
		}
		zipped := body(t, resp)
		if len(zipped) >= len(tt.want) {
			t.Errorf("GET %s: %d gzipped bytes for %d; want fewer", tt.path, len(zipped), len(tt.want))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("GET %s: gunzipped %d bytes, %v; want the file's %d bytes", tt.path, len(got), err, len(tt.want))
		}
		// A second request is served from the cache, identically.
		if again := body(t, get(t, h, tt.path, "gzip")); !bytes.Equal(again, zipped) {
			t.Errorf("GET %s again: the gzipped bytes differ", tt.path)
		}
	}
	for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
		resp := get(t, h, "/main.wasm", ae)
		if got := resp.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q; want none", ae, got)
		}
		if got := body(t, resp); !bytes.Equal(got, wasmBin) {
			t.Errorf("Accept-Encoding %q: got %d bytes; want the file's %d", ae, len(got), len(wasmBin))
		}
	}
	// Small files are sent as they are.
	if got := get(t, h, "/style.css", "gzip").Header.Get("Content-Encoding"); got != "" {
		t.Errorf("GET /style.css: Content-Encoding %q; want none for a small file", got)
	}
}

func TestGzipCacheFollowsChanges(t *testing.T) {
	fsys := testFS()
	h := web.HandlerFS(fsys)
	first := body(t, get(t, h, "/app.js", "gzip"))
	fsys["app.js"] = &fstest.MapFile{Data: []byte(strings.ToUpper(bigJS)), ModTime: time.Unix(2, 0)}
	zr, err := gzip.NewReader(bytes.NewReader(body(t, get(t, h, "/app.js", "gzip"))))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if string(got) != strings.ToUpper(bigJS) || len(first) == 0 {
		t.Errorf("after the file changed, served %q...; want the new contents", got[:20])
	}
}

func TestNotFound(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, p := range []string{"/missing.js", "/img/", "/img", "/sub", "/server.go", "/api.d.ts", "/serve/main.go", "/serve/", "/.hidden", "/main.wasm.gz", "/../etc/passwd", "/%2e%2e/x"} {
		resp := get(t, h, p, "")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d; want 404", p, resp.StatusCode)
		}
		if b := body(t, resp); bytes.Contains(b, []byte("logo.png")) || bytes.Contains(b, []byte("file.txt")) {
			t.Errorf("GET %s listed a directory: %s", p, b)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d; want 405", rec.Code)
	}
}

func TestHandlerDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, testFS())
	srv := httptest.NewServer(web.Handler(dir))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/main.wasm") // the client asks for gzip and unzips
	if err != nil {
		t.Fatal(err)
	}
	if got := body(t, resp); !bytes.Equal(got, wasmBin) || !resp.Uncompressed {
		t.Errorf("GET /main.wasm over HTTP: %d bytes, uncompressed by the client %v; want the file, gzipped", len(got), resp.Uncompressed)
	}
}

func writeFiles(t *testing.T, dir string, files fstest.MapFS) {
	t.Helper()
	for name, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if !f.ModTime.IsZero() {
			if err := os.Chtimes(p, f.ModTime, f.ModTime); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestWriteSite(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "site")
	writeFiles(t, src, testFS())
	if err := web.WriteSite(dst, src); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "app.js", "view.js", "style.css", "main.wasm", "wasm_exec.js", "img/logo.png", "sub/dir/file.txt"} {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if want := testFS()[name].Data; err != nil || !bytes.Equal(got, want) {
			t.Errorf("site/%s: %q, %v; want a copy", name, got, err)
		}
	}
	for _, name := range []string{"server.go", "api.d.ts", "serve", ".hidden"} {
		if _, err := os.Stat(filepath.Join(dst, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("site/%s exists (%v); want it left out", name, err)
		}
	}
	zipped, err := os.ReadFile(filepath.Join(dst, "main.wasm.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, wasmBin) {
		t.Errorf("site/main.wasm.gz does not unzip to main.wasm")
	}
}

func TestWriteSiteWithoutWasm(t *testing.T) {
	src := t.TempDir()
	files := testFS()
	delete(files, "main.wasm")
	writeFiles(t, src, files)
	err := web.WriteSite(filepath.Join(t.TempDir(), "site"), src)
	if !errors.Is(err, web.ErrNoWasm) || !strings.Contains(err.Error(), "run make wasm first") {
		t.Errorf("WriteSite without main.wasm = %v; want ErrNoWasm", err)
	}
	if err := web.CheckDir(src); !errors.Is(err, web.ErrNoWasm) {
		t.Errorf("CheckDir without main.wasm = %v; want ErrNoWasm", err)
	}
}

func TestHead(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, ae := range []string{"", "gzip"} {
		req := httptest.NewRequest(http.MethodHead, "/main.wasm", nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("HEAD /main.wasm (Accept-Encoding %q): status %d, %d body bytes; want 200 and no body", ae, rec.Code, rec.Body.Len())
		}
		if got := rec.Header().Get("Content-Type"); got != "application/wasm" {
			t.Errorf("HEAD /main.wasm: Content-Type %q; want application/wasm", got)
		}
		wantEnc, wantLen := "", strconv.Itoa(len(wasmBin))
		if ae == "gzip" {
			wantEnc = "gzip"
			wantLen = strconv.Itoa(len(body(t, get(t, h, "/main.wasm", "gzip"))))
		}
		if got := rec.Header().Get("Content-Encoding"); got != wantEnc {
			t.Errorf("HEAD /main.wasm (Accept-Encoding %q): Content-Encoding %q; want %q", ae, got, wantEnc)
		}
		if got := rec.Header().Get("Content-Length"); got != wantLen {
			t.Errorf("HEAD /main.wasm (Accept-Encoding %q): Content-Length %s; want %s", ae, got, wantLen)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions, "PATCH"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(m, "/index.html", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /index.html: status %d, Allow %q; want 405 and GET, HEAD", m, rec.Code, rec.Header().Get("Allow"))
		}
	}
}

// TestGzipCacheSameSizeAndTime: a file rewritten with new contents of the
// same size and modification time is compressed again.
func TestGzipCacheSameSizeAndTime(t *testing.T) {
	fsys := testFS()
	h := web.HandlerFS(fsys)
	body(t, get(t, h, "/app.js", "gzip"))
	changed := strings.ToUpper(bigJS) // same length
	fsys["app.js"] = &fstest.MapFile{Data: []byte(changed), ModTime: fsys["app.js"].ModTime}
	zr, err := gzip.NewReader(bytes.NewReader(body(t, get(t, h, "/app.js", "gzip"))))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != changed {
		t.Errorf("after a same-size, same-time change, served %q...; want %q...", got[:20], changed[:20])
	}
}

// TestSymlinkOut: a symbolic link in the served folder that leads out of it
// is not followed.
func TestSymlinkOut(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	writeFiles(t, dir, testFS())
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	resp := get(t, web.Handler(dir), "/link.txt", "")
	if b := body(t, resp); resp.StatusCode != http.StatusNotFound || bytes.Contains(b, []byte("secret")) {
		t.Errorf("GET /link.txt (a link out of the folder): status %d, body %q; want 404", resp.StatusCode, b)
	}
	if resp := get(t, web.Handler(dir), "/index.html", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /index.html: status %d; want 200", resp.StatusCode)
	}
}

// TestWriteSiteInsideSource: a site folder inside the source folder is not
// copied into itself, and the source folder itself is refused.
func TestWriteSiteInsideSource(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, testFS())
	dst := filepath.Join(src, "site")
	for range 2 { // the second run finds the first run's site in the source
		if err := web.WriteSite(dst, src); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "site")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("site/site exists (%v); want the site not copied into itself", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "index.html")); err != nil {
		t.Errorf("site/index.html: %v; want a copy", err)
	}
	if err := web.WriteSite(src, src); err == nil || !strings.Contains(err.Error(), "is the source folder") {
		t.Errorf("WriteSite(src, src) = %v; want an error", err)
	}
}

// TestRangeNotGzipped: a range request with Accept-Encoding: gzip gets
// ranges of the file itself, never a multipart body marked gzip (issue 9).
func TestRangeNotGzipped(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, rng := range []string{"bytes=0-9", "bytes=0-9,20-29"} {
		req := httptest.NewRequest(http.MethodGet, "/main.wasm", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Range", rng)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := rec.Result()
		if resp.StatusCode != http.StatusPartialContent {
			t.Errorf("Range %s: status %d; want 206", rng, resp.StatusCode)
		}
		if got := resp.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("Range %s: Content-Encoding %q; want none", rng, got)
		}
		b := body(t, resp)
		if rng == "bytes=0-9" && !bytes.Equal(b, wasmBin[:10]) {
			t.Errorf("Range %s: got % x; want the file's first 10 bytes % x", rng, b, wasmBin[:10])
		}
		if rng != "bytes=0-9" && !bytes.Contains(b, wasmBin[20:30]) {
			t.Errorf("Range %s: the multipart body does not hold the file's bytes 20-29", rng)
		}
	}
}

// TestSecurityHeaders: every response, 404 and 405 included, says nosniff
// and carries the policy the page runs under, which allows framing.
func TestSecurityHeaders(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, p := range []string{"/", "/app.js", "/main.wasm", "/missing"} {
		resp := get(t, h, p, "gzip")
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q; want nosniff", p, got)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") || strings.Contains(csp, "unsafe-inline") ||
			strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "frame-ancestors") {
			t.Errorf("GET %s: Content-Security-Policy %q; want script-src 'self' 'wasm-unsafe-eval', no unsafe-inline or unsafe-eval, no frame-ancestors", p, csp)
		}
		if got := resp.Header.Get("X-Frame-Options"); got != "" {
			t.Errorf("GET %s: X-Frame-Options %q; want none (embedding is a feature)", p, got)
		}
	}
}

// TestUncleanPath: the page is served only at its own address; a path such
// as //evil.example/x%2F..%2F../ (which cleans to /) is 404, so that no link
// built from location.pathname can point off-site (issue 9).
func TestUncleanPath(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, p := range []string{"//evil.example/x%2F..%2F../?embed=1", "/x/../", "//", "/./app.js", "/app.js/"} {
		if resp := get(t, h, p, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d; want 404", p, resp.StatusCode)
		}
	}
	if resp := get(t, h, "/?embed=1", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /?embed=1: status %d; want 200", resp.StatusCode)
	}
}

// TestPreconditionFailedGzip: a request whose precondition fails (If-Match,
// If-Unmodified-Since) gets a 412 that a client can read to the end: no
// Content-Length of a gzipped body it does not send, no Content-Encoding.
// Served over a real connection, where a wrong length breaks the transfer.
func TestPreconditionFailedGzip(t *testing.T) {
	srv := httptest.NewServer(web.HandlerFS(testFS()))
	defer srv.Close()
	for _, h := range [][2]string{
		{"If-Match", `"nope"`},
		{"If-Unmodified-Since", "Mon, 01 Jan 1970 00:00:00 GMT"},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/app.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set(h[0], h[1])
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", h[0], err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPreconditionFailed || err != nil {
			t.Errorf("%s: status %d, reading the body (%d bytes): %v; want 412 and a body read to its end", h[0], resp.StatusCode, len(b), err)
		}
		if got := resp.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("%s: 412 with Content-Encoding %q; want none", h[0], got)
		}
	}
	// The 200 still gets the gzipped body and its length.
	resp := get(t, web.HandlerFS(testFS()), "/app.js", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Length") == "" {
		t.Errorf("200: Content-Encoding %q, Content-Length %q; want gzip and a length",
			resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Length"))
	}
}

// TestCrossOrigin: the files <goflow-playground> loads from a page of
// another origin (the ES modules, main.wasm, style.css) say
// Access-Control-Allow-Origin: *, gzipped or not; the page itself and
// missing files do not.
func TestCrossOrigin(t *testing.T) {
	h := web.HandlerFS(testFS())
	for _, tt := range []struct {
		path, want string
	}{
		{"/app.js", "*"}, {"/main.wasm", "*"}, {"/style.css", "*"},
		{"/", ""}, {"/index.html", ""}, {"/missing.js", ""},
	} {
		for _, enc := range []string{"", "gzip"} {
			if got := get(t, h, tt.path, enc).Header.Get("Access-Control-Allow-Origin"); got != tt.want {
				t.Errorf("GET %s (Accept-Encoding %q): Access-Control-Allow-Origin %q; want %q", tt.path, enc, got, tt.want)
			}
		}
	}
}

// TestBrotli: a main.wasm.br at least as new as main.wasm is sent, whole,
// to a client that accepts br; a stale one, a Range request or a client
// without br gets gzip or the file as it is; the .br is never served by
// its own name.
func TestBrotli(t *testing.T) {
	fsys := testFS()
	fsys["main.wasm"].ModTime = time.Unix(100, 0)
	fsys["main.wasm.br"] = &fstest.MapFile{Data: []byte("brotli bytes"), ModTime: time.Unix(100, 0)}
	h := web.HandlerFS(fsys)
	resp := get(t, h, "/main.wasm", "gzip, deflate, br")
	if enc, b := resp.Header.Get("Content-Encoding"), string(body(t, resp)); enc != "br" || b != "brotli bytes" {
		t.Errorf("Accept-Encoding with br: Content-Encoding %q, body %q; want br and the .br file", enc, b)
	}
	if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
		t.Errorf("Vary %q; want Accept-Encoding", got)
	}
	if enc := get(t, h, "/main.wasm", "gzip").Header.Get("Content-Encoding"); enc != "gzip" {
		t.Errorf("Accept-Encoding gzip: Content-Encoding %q; want gzip", enc)
	}
	if enc := get(t, h, "/main.wasm", "br;q=0, gzip").Header.Get("Content-Encoding"); enc != "gzip" {
		t.Errorf("br;q=0: Content-Encoding %q; want gzip", enc)
	}
	req := httptest.NewRequest(http.MethodGet, "/main.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	req.Header.Set("Range", "bytes=0-3")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if enc := rec.Result().Header.Get("Content-Encoding"); enc != "" {
		t.Errorf("a Range request: Content-Encoding %q; want none", enc)
	}
	if code := get(t, h, "/main.wasm.br", "br").StatusCode; code != http.StatusNotFound {
		t.Errorf("GET /main.wasm.br: status %d; want 404", code)
	}
	// brotli copies main.wasm's time without its fraction: still fresh.
	fsys["main.wasm"].ModTime = time.Unix(100, 5e8)
	if enc := get(t, web.HandlerFS(fsys), "/main.wasm", "br").Header.Get("Content-Encoding"); enc != "br" {
		t.Errorf("a .br with main.wasm's time to the second: Content-Encoding %q; want br", enc)
	}
	fsys["main.wasm.br"].ModTime = time.Unix(99, 0) // older than main.wasm: stale
	if enc := get(t, web.HandlerFS(fsys), "/main.wasm", "br, gzip").Header.Get("Content-Encoding"); enc != "gzip" {
		t.Errorf("a stale .br: Content-Encoding %q; want gzip", enc)
	}
}
