// Package web serves the GoFlow playground: the static page in this
// directory (index.html, style.css, and app.js with the ES modules it
// imports; see the README's layout) with the wasm module and Go's
// wasm_exec.js that `make wasm` puts next to it. Handler serves it for
// development and the browser tests; WriteSite copies it to a folder that
// any static host can serve.
package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// contentTypes are the types of the files the page is made of; others come
// from the mime package.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// compressible lists the extensions worth compressing: text and wasm.
// Images and fonts are compressed already.
var compressible = map[string]bool{".html": true, ".js": true, ".css": true, ".wasm": true, ".json": true, ".svg": true, ".txt": true}

// crossOrigin lists the extensions that pages of other origins may load
// (Access-Control-Allow-Origin: *): the <goflow-playground> element
// (embed.js) imports the ES modules, fetches main.wasm and links style.css
// from its own origin, whatever page it is on. They are public files with
// no credentials, so any origin may read them.
var crossOrigin = map[string]bool{".js": true, ".wasm": true, ".css": true}

// minGzipSize is the size below which a file is sent as it is: gzip would
// save next to nothing.
const minGzipSize = 1024

func contentType(name string) string {
	ext := path.Ext(name)
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// served reports whether name (slash-separated, relative) is part of the
// site: not Go source, not TypeScript declarations (they only type-check
// the page's modules), not a hidden file, not a precompressed copy.
func served(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return !strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, ".d.ts") && !strings.HasSuffix(name, ".gz") && !strings.HasSuffix(name, ".br")
}

// Handler serves the files in dir; see HandlerFS. It opens dir as an
// os.Root, so that a symbolic link cannot lead out of it; if dir cannot be
// opened, every request is 404.
func Handler(dir string) http.Handler {
	root, err := os.OpenRoot(dir) // open for as long as the handler serves
	if err != nil {
		return HandlerFS(os.DirFS(dir))
	}
	return HandlerFS(root.FS())
}

// HandlerFS serves the playground's files from fsys: "/" is index.html,
// every response says Cache-Control: no-cache (the browser revalidates, so a
// rebuilt main.wasm is picked up at once), text and wasm files of 1 KiB or
// more are gzipped for clients that accept it (each file compressed once,
// and again only when its contents change). Directories
// are not listed, and Go files, .d.ts files, hidden files and anything
// missing are 404.
func HandlerFS(fsys fs.FS) http.Handler {
	return &handler{fsys: fsys, gz: make(map[string]*gzEntry)}
}

type handler struct {
	fsys fs.FS
	mu   sync.Mutex          // guards gz
	gz   map[string]*gzEntry // by file name; an entry is replaced when its file changes
}

// gzEntry is one file's gzipped bytes, made once by the first request that
// needs them.
type gzEntry struct {
	raw  []byte    // the file's contents it was made for; read-only
	once sync.Once // makes data and err
	data []byte
	err  error
}

// ContentSecurityPolicy is the policy every response carries. The page
// passes it: no inline script or style, no eval ('wasm-unsafe-eval' lets it
// compile main.wasm), nothing from elsewhere. It sets no frame-ancestors,
// since embedding the page in an iframe is a feature.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"

// ServeHTTP answers GET and HEAD (other methods are 405, with Allow). Every
// response says X-Content-Type-Options: nosniff and carries
// ContentSecurityPolicy. A path that is not in its clean form (as
// //evil.example/x%2F..%2F../, which cleans to /) is 404, so that the page is
// only ever served at its own address.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	clean := path.Clean("/" + r.URL.Path)
	if clean != r.URL.Path {
		http.NotFound(w, r)
		return
	}
	name := strings.TrimPrefix(clean, "/")
	if name == "" {
		name = "index.html"
	}
	if !fs.ValidPath(name) || !served(name) {
		http.NotFound(w, r)
		return
	}
	data, info, err := h.read(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", contentType(name))
	hdr.Set("Cache-Control", "no-cache")
	ext := path.Ext(name)
	if crossOrigin[ext] {
		hdr.Set("Access-Control-Allow-Origin", "*")
	}
	if compressible[ext] && info.Size() >= minGzipSize {
		hdr.Add("Vary", "Accept-Encoding")
		// A range request gets the file as it is: ranges of a gzipped body
		// would be ranges of bytes the client cannot decode on their own,
		// and a multi-range answer is a multipart body, not a gzip stream.
		if br, ok := h.brotli(name, info); ok && r.Header.Get("Range") == "" && accepts(r.Header.Get("Accept-Encoding"), "br") {
			w = &encodedWriter{ResponseWriter: w, coding: "br", length: strconv.Itoa(len(br))} // as gzip's below
			data = br
		} else if r.Header.Get("Range") == "" && accepts(r.Header.Get("Accept-Encoding"), "gzip") {
			gz, ok := h.precompressed(name, ".gz", info) // zopfli's, from make wasm: smaller
			if !ok {
				gz, err = h.gzipped(name, data)
			}
			if err == nil {
				hdr.Set("Content-Encoding", "gzip")
				// ServeContent leaves Content-Length out once Content-Encoding
				// is set (it cannot know the encoded size), but here the
				// whole encoded body is known: a HEAD, or a GET the browser
				// shows progress for, gets its length. Only a 200 carries
				// that body: encodedWriter sets both headers then, and a 412
				// (If-Match, If-Unmodified-Since) goes out without them.
				hdr.Del("Content-Encoding")
				w = &encodedWriter{ResponseWriter: w, coding: "gzip", length: strconv.Itoa(len(gz))}
				data = gz
			}
		}
	}
	http.ServeContent(w, r, name, info.ModTime(), bytes.NewReader(data))
}

// encodedWriter says Content-Encoding (gzip or br) and the encoded
// Content-Length only on a 200, the one status whose body is the encoded
// file.
type encodedWriter struct {
	http.ResponseWriter
	coding string // the Content-Encoding: gzip or br
	length string // the encoded body's length, in decimal
	wrote  bool   // WriteHeader has run
}

func (w *encodedWriter) WriteHeader(code int) {
	if !w.wrote && code == http.StatusOK {
		w.Header().Set("Content-Encoding", w.coding)
		w.Header().Set("Content-Length", w.length)
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *encodedWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// read returns a regular file's contents and info.
func (h *handler) read(name string) ([]byte, fs.FileInfo, error) {
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fs.ErrNotExist // no directory listings
	}
	data, err := io.ReadAll(f)
	return data, info, err
}

// gzipped returns data, the contents of the file name, compressed: from
// the cache when the contents are those it was made for. Comparing the
// contents, rather than the modification time and size, also catches a
// rebuild within the file system's time resolution that kept the size.
func (h *handler) gzipped(name string, data []byte) ([]byte, error) {
	h.mu.Lock()
	e := h.gz[name]
	if e == nil || !bytes.Equal(e.raw, data) {
		e = &gzEntry{raw: data}
		h.gz[name] = e
	}
	h.mu.Unlock()
	e.once.Do(func() { e.data, e.err = compress(data) })
	return e.data, e.err
}

func compress(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// brotli returns the file name+".br" (`make wasm` writes main.wasm.br with
// Debian's brotli when it is installed: Go's standard library has no
// brotli encoder) when it exists and is not older than name; see
// precompressed.
func (h *handler) brotli(name string, info fs.FileInfo) ([]byte, bool) {
	return h.precompressed(name, ".br", info)
}

// precompressed returns the file name+ext (main.wasm.br from brotli,
// main.wasm.gz from zopfli, which `make wasm` writes when they are
// installed) when it exists and is not older than name, whose info is
// given: a stale copy is never served. Times compare to the second, since
// brotli (like cp -p) copies its input's time without the fraction.
func (h *handler) precompressed(name, ext string, info fs.FileInfo) ([]byte, bool) {
	f, err := h.fsys.Open(name + ext)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	bi, err := f.Stat()
	if err != nil || !bi.Mode().IsRegular() || bi.ModTime().Before(info.ModTime().Truncate(time.Second)) {
		return nil, false
	}
	data, err := io.ReadAll(f)
	return data, err == nil
}

// accepts reports whether an Accept-Encoding header allows coding (gzip
// or br): it names it (or *) without q=0.
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		c, params, _ := strings.Cut(part, ";")
		c = strings.TrimSpace(c)
		if !strings.EqualFold(c, coding) && c != "*" {
			continue
		}
		for _, param := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(param, "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q == 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}

// within returns dir's path relative to parent, slash-separated, when dir
// is parent or lies inside it, and "" otherwise.
func within(dir, parent string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absParent, err := filepath.Abs(parent)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absParent, absDir)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

// Required are the files a site cannot work without.
var Required = []string{"index.html", "main.wasm", "wasm_exec.js"}

// ErrNoWasm is returned by WriteSite and CheckDir when main.wasm is missing.
var ErrNoWasm = errors.New("web: main.wasm is missing: run make wasm first")

// CheckDir reports whether dir holds the files the page needs.
func CheckDir(dir string) error {
	for _, name := range Required {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			if name == "main.wasm" || name == "wasm_exec.js" {
				return ErrNoWasm
			}
			return errors.New("web: " + name + " is missing from " + dir)
		}
	}
	return nil
}

// WriteSite writes a self-contained copy of the playground from srcDir to
// dstDir: every file Handler serves (the page, its assets, main.wasm and
// wasm_exec.js; not Go files), plus main.wasm.gz (srcDir's when it is
// fresh, else made here), and main.wasm.br when
// srcDir holds a fresh one, for hosts that serve precompressed files. dstDir is created if needed; files in it are
// overwritten. dstDir may lie inside srcDir (it is not copied into itself)
// but may not be srcDir. The page refers to its files by relative paths, so
// the folder works at any path of any static host.
func WriteSite(dstDir, srcDir string) error {
	if err := CheckDir(srcDir); err != nil {
		return err
	}
	inside, err := within(dstDir, srcDir)
	if err != nil {
		return err
	}
	if inside == "." {
		return errors.New("web: the site folder " + dstDir + " is the source folder")
	}
	src := os.DirFS(srcDir)
	return fs.WalkDir(src, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case name == ".":
			return os.MkdirAll(dstDir, 0o755)
		case name == inside && d.IsDir():
			return fs.SkipDir // the site being written: do not copy it into itself
		case !served(name) && d.IsDir():
			return fs.SkipDir
		case !served(name) || !d.Type().IsRegular():
			return nil // directories are made for the files in them
		}
		dst := filepath.Join(dstDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
		if name != "main.wasm" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		gz, ok := (&handler{fsys: src}).precompressed(name, ".gz", info)
		if !ok {
			if gz, err = compress(data); err != nil {
				return err
			}
		}
		if err := os.WriteFile(dst+".gz", gz, 0o644); err != nil {
			return err
		}
		if br, ok := (&handler{fsys: src}).brotli(name, info); ok {
			return os.WriteFile(dst+".br", br, 0o644)
		}
		// No fresh .br: drop the last site's, which a host serving
		// precompressed files would send instead of this main.wasm.
		if err := os.Remove(dst + ".br"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}
