// Command loadtest measures sift's HTTP server under load with vegeta's
// library. It is a benchmark tool, not part of sift: only this program
// imports vegeta. scripts/bench-server runs it end to end.
//
//	loadtest serve -data DIR -addr 127.0.0.1:8080 -key SECRET
//	    serves a store with a pool of parse workers (a stand-in for
//	    "sift serve" with its flags)
//	loadtest fill -data DIR -n 100000
//	    adds n generated candidates to the store in DIR
//	loadtest score -url http://127.0.0.1:8080 -key SECRET [-rate R] ...
//	    POSTs distinct generated PDFs to /v1/score
//	loadtest shortlist -url ... -key SECRET [-rate R] ...
//	    GETs varied shortlists of the cso profile
//
// -rate 0 (the default) is a closed loop: -clients requests in flight at
// all times, as fast as the server answers. A positive -rate sends that
// many requests a second, whatever the answers (an open loop), which is
// the fair way to read latency at a given load.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"sift/internal/samples"
	"sift/parser"
	"sift/parser/worker"
	"sift/rules"
	"sift/scoring"
	"sift/server"
)

func main() {
	if worker.IsWorker() {
		os.Exit(worker.Main())
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest serve|fill|score|shortlist [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = serve(ctx, args)
	case "fill":
		err = fill(ctx, args)
	case "score", "shortlist":
		err = attack(ctx, cmd, args)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func profiles() ([]*rules.Profile, error) {
	p, err := rules.Builtin("cso")
	if err != nil {
		return nil, err
	}
	return []*rules.Profile{p}, nil
}

// serve wires what "sift serve" will: a store, a worker pool and the
// server, with one admin key.
func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	data := fs.String("data", "", "store directory (required)")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback)")
	addrFile := fs.String("addr-file", "", "write the address listened on to this file")
	key := fs.String("key", "", "the API key's secret (required)")
	workers := fs.Int("workers", runtime.NumCPU(), "parse worker processes")
	inproc := fs.Bool("inprocess", false, "parse in this process instead of worker processes")
	maxJobs := fs.Int("max-jobs", 0, "documents a worker parses before it is replaced; 0 for the pool's default")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the server process to this file")
	fs.Parse(args)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *data == "" || *key == "" {
		return errors.New("serve: -data and -key are required")
	}
	ps, err := profiles()
	if err != nil {
		return err
	}
	st, err := scoring.OpenStore(*data, scoring.StoreOptions{Profiles: ps, Version: "loadtest"})
	if err != nil {
		return err
	}
	defer st.Close()
	parse := server.ParseFunc((&parser.Parser{}).ParseBytes)
	if !*inproc {
		pool := &worker.Pool{Size: *workers, MaxJobsPerWorker: *maxJobs}
		defer pool.Close()
		parse = pool.ParseBytes
	}
	s := &server.Server{
		Store:    st,
		Profiles: ps,
		Parse:    parse,
		Keys:     []server.Key{{ID: "bench", Hash: server.HashKey(*key), Scopes: []string{server.ScopeAdmin}}},
		Limits:   server.Limits{RatePerKey: -1, MaxParses: *workers},
		Version:  "loadtest",
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "serving %d candidates on %s\n", st.Len(), ln.Addr())
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()), 0o644); err != nil {
			return err
		}
	}
	return s.Serve(ctx, ln)
}

// fill adds n generated candidates (plain-text renderings, parsed in
// process) to a store, in batches.
func fill(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	data := fs.String("data", "", "store directory (required)")
	n := fs.Int("n", 100_000, "candidates to add")
	seed := fs.Uint64("seed", 7, "generator seed")
	batch := fs.Int("batch", 500, "candidates per PutBatch")
	fs.Parse(args)
	if *data == "" {
		return errors.New("fill: -data is required")
	}
	ps, err := profiles()
	if err != nil {
		return err
	}
	st, err := scoring.OpenStore(*data, scoring.StoreOptions{Profiles: ps, Version: "loadtest", NoSync: true})
	if err != nil {
		return err
	}
	defer st.Close()
	p := &parser.Parser{}
	start := time.Now()
	for i := st.Len(); i < *n; {
		var reqs []scoring.PutRequest
		for ; i < *n && len(reqs) < *batch; i++ {
			name := fmt.Sprintf("gen-%06d.txt", i)
			res, err := p.ParseBytes(ctx, name, samples.RenderText(samples.Random(*seed, i)))
			if err != nil {
				return err
			}
			reqs = append(reqs, scoring.PutRequest{Resume: res, Key: name})
		}
		if _, err := st.PutBatch(ctx, reqs); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "\r%d/%d candidates (%s)", i, *n, time.Since(start).Round(time.Second))
	}
	fmt.Fprintln(os.Stderr)
	return nil
}
