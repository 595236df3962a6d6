package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/goflow-dev/goflow/web"
)

// The package's shared state, set once by TestMain and read by every test.
var (
	siteURL string // the playground's server, "http://127.0.0.1:port/"
	siteDir string // the folder it serves

	// browserCtx is the chromedp context of the one browser; each test opens a
	// tab (a child context) on it. Nil when setupErr is set.
	browserCtx context.Context

	// setupErr is why the site or the browser could not be set up. Every test
	// fails with it (none is skipped), so a machine without Chromium shows
	// failures rather than a green run that tested nothing.
	setupErr error
)

// TestMain builds the wasm module once, serves the page with the
// playground's own handler (web.Handler, as `make run` does) on a random
// localhost port and starts one headless
// Chromium for the whole package.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "goflow-e2e-site-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	if err := stageSite(dir); err != nil {
		setupErr = err
		return m.Run()
	}
	siteDir = dir
	srv := httptest.NewServer(web.Handler(dir))
	defer srv.Close()
	siteURL = srv.URL + "/"

	ctx, stop, err := startBrowser()
	if err != nil {
		setupErr = err
		return m.Run()
	}
	defer stop()
	browserCtx = ctx
	return m.Run()
}

// stageSite writes what the page needs into dir: main.wasm built from ../wasm
// (the same flags as `make wasm`), Go's wasm_exec.js, and the page's own files
// from ../web. It builds into dir rather than using web/main.wasm so that the
// tests never run a stale module.
func stageSite(dir string) error {
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w",
		"-o", filepath.Join(dir, "main.wasm"), "./wasm")
	build.Dir = ".." // the library's module, which holds wasm/
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the wasm module (GOOS=js GOARCH=wasm go build ./wasm): %v\n%s", err, out)
	}

	entries, err := os.ReadDir("../web")
	if err != nil {
		return fmt.Errorf("reading the page's files: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case !e.Type().IsRegular(),
			strings.HasSuffix(name, ".go"),
			name == "main.wasm", name == "main.wasm.gz", name == "main.wasm.br", name == "wasm_exec.js":
			continue // code, or built files that come from this build
		}
		if err := copyFile(filepath.Join("../web", name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	if brotli, err := exec.LookPath("brotli"); err == nil { // as make wasm does
		wasm := filepath.Join(dir, "main.wasm")
		if out, err := exec.Command(brotli, "-q", "11", "-f", "-o", wasm+".br", wasm).CombinedOutput(); err != nil {
			return fmt.Errorf("brotli: %v\n%s", err, out)
		}
	}
	if zopfli, err := exec.LookPath("zopfli"); err == nil { // as make wasm does
		wasm := filepath.Join(dir, "main.wasm")
		if out, err := exec.Command(zopfli, "--i5", wasm).CombinedOutput(); err != nil { // writes main.wasm.gz
			return fmt.Errorf("zopfli: %v\n%s", err, out)
		}
	}
	return copyFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"),
		filepath.Join(dir, "wasm_exec.js"))
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// chromiumPath is the browser the tests run: GOFLOW_CHROMIUM, else Debian's
// /usr/bin/chromium, else chromium on PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("GOFLOW_CHROMIUM"); p != "" {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return exec.LookPath("chromium")
}

const installHint = "the browser tests need Chromium: install it with `apt-get install -y chromium`, " +
	"or set GOFLOW_CHROMIUM to a Chromium or Chrome binary"

// startBrowser starts headless Chromium and returns the context of its first
// tab, and a func that stops the browser.
//
// The flags are chosen here rather than taken from
// chromedp.DefaultExecAllocatorOptions, which also enables features and sets
// automation and keychain switches this page does not need. The three
// anti-throttling flags keep requestAnimationFrame and timers running at full
// rate in every tab, because the tests sample the page each frame.
func startBrowser() (context.Context, func(), error) {
	path, err := chromiumPath()
	if err != nil {
		return nil, nil, fmt.Errorf("no Chromium found (%v); %s", err, installHint)
	}
	profile, err := os.MkdirTemp("", "goflow-e2e-chromium-")
	if err != nil {
		return nil, nil, err
	}
	var output strings.Builder
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&lockedWriter{w: &output}),
	)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}

	// The first Do starts the browser and binds it to ctx, so it must not
	// carry a timeout; a watchdog bounds the start instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(30 * time.Second):
		err = errors.New("no answer within 30s")
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("cannot start %s: %v\n%s\n%s", path, err, output.String(), installHint)
	}
	return ctx, stop, nil
}

// lockedWriter lets the browser's output be written by the allocator's
// goroutine and read by the test.
type lockedWriter struct {
	mu sync.Mutex // guards w
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
