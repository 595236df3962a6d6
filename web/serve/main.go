// Command serve serves the GoFlow playground (the web directory, after
// `make wasm`) on a local address, or writes it to a folder for a static
// host.
//
//	go run ./web/serve [-addr localhost:8080] [-dir web]
//	go run ./web/serve -site site [-dir web]
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/goflow-dev/goflow/web"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to serve on")
	dir := flag.String("dir", "web", "directory of the page and main.wasm")
	site := flag.String("site", "", "write a self-contained copy of the site to this directory and exit")
	flag.Parse()
	if err := run(*addr, *dir, *site); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(addr, dir, site string) error {
	if site != "" {
		if err := web.WriteSite(site, dir); err != nil {
			return err
		}
		fmt.Println("GoFlow playground written to", site)
		return nil
	}
	if err := web.CheckDir(dir); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	shown := addr // as given, "localhost:8080"; the real port when it was 0
	if _, port, _ := net.SplitHostPort(addr); port == "0" || port == "" {
		shown = ln.Addr().String()
	}
	fmt.Printf("GoFlow playground: http://%s\n", shown)
	srv := &http.Server{Handler: web.Handler(dir), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
