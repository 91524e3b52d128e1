// The Go Flight client of quiver's interop tests: it runs the shared scenario
// (docs/clients.md) against a running quiverd with arrow-go's Flight client
// and prints one line per check. Exit status 1 if any check failed.
//
//	go run . --url grpc://127.0.0.1:PORT --tls-url grpc+tls://localhost:PORT \
//	    --ca ca.pem --writer test --reader rita   (password in QUIVER_INTEROP_PASSWORD)
package main

import (
	"flag"
	"fmt"
	"os"
)

type options struct {
	url, tlsURL, ca       string
	writer, reader, passw string
	rows                  int64
	prefix                string
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "", "grpc://HOST:PORT of a quiverd without authentication")
	flag.StringVar(&o.tlsURL, "tls-url", "", "grpc+tls://HOST:PORT of a quiverd with --users and TLS")
	flag.StringVar(&o.ca, "ca", "", "PEM file of the CA that signed the server certificate")
	flag.StringVar(&o.writer, "writer", "", "user with the writer role")
	flag.StringVar(&o.reader, "reader", "", "user with the reader role")
	flag.Int64Var(&o.rows, "rows", 1_000_000, "rows of the streamed dataset")
	flag.StringVar(&o.prefix, "prefix", "go", "dataset name prefix")
	flag.Parse()
	o.passw = os.Getenv("QUIVER_INTEROP_PASSWORD")
	if o.url == "" || o.tlsURL == "" || o.ca == "" || o.writer == "" || o.reader == "" || o.passw == "" {
		fmt.Fprintln(os.Stderr, "usage: --url --tls-url --ca --writer --reader, QUIVER_INTEROP_PASSWORD set")
		os.Exit(2)
	}
	r := &report{}
	run(r, o)
	fmt.Printf("go: %d passed, %d failed\n", r.passed, r.failed)
	if r.failed > 0 || r.passed == 0 {
		os.Exit(1)
	}
}

// report prints one line per check.
type report struct{ passed, failed int }

// check records err == nil as a pass of `what`.
func (r *report) check(what string, err error) bool {
	if err != nil {
		r.failed++
		fmt.Printf("FAIL %s: %v\n", what, err)
		return false
	}
	r.passed++
	fmt.Printf("ok   %s\n", what)
	return true
}
