package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"sift/internal/pdfgen"
	"sift/internal/samples"
	"sift/parser"
)

// attack runs one load test and prints its latency percentiles.
func attack(ctx context.Context, kind string, args []string) error {
	fs := flag.NewFlagSet(kind, flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the server's base URL (loopback only)")
	key := fs.String("key", "", "API key (required)")
	clients := fs.Int("clients", 20, "concurrent clients (connections)")
	rate := fs.Float64("rate", 0, "requests a second; 0 for a closed loop of -clients")
	dur := fs.Duration("duration", 30*time.Second, "longest the attack runs")
	max := fs.Int("requests", 2000, "most requests sent")
	docs := fs.Int("docs", 400, "distinct generated PDFs (score)")
	pages := fs.Int("pages", 2, "only PDFs of this many pages (score); 0 for any")
	seed := fs.Uint64("seed", 11, "generator seed")
	warm := fs.Int("warmup", 40, "requests sent before measuring")
	fs.Parse(args)
	if *key == "" {
		return fmt.Errorf("%s: -key is required", kind)
	}
	u, err := url.Parse(*base)
	if err != nil || !isLoopback(u.Hostname()) {
		return fmt.Errorf("%s: -url %q: only a loopback address may be attacked", kind, *base)
	}

	hdr := http.Header{"Authorization": {"Bearer " + *key}}
	var targets []vegeta.Target
	switch kind {
	case "score":
		hdr.Set("Content-Type", "application/pdf")
		var size int
		for i := range *docs {
			pdf, err := generatePDF(ctx, *seed, i, *pages)
			if err != nil {
				return err
			}
			size += len(pdf)
			targets = append(targets, vegeta.Target{Method: "POST", URL: *base + "/v1/score", Body: pdf, Header: hdr})
		}
		fmt.Printf("score: %d distinct generated PDFs of %d pages, %d KiB on average\n", len(targets), *pages, size/len(targets)>>10)
	case "shortlist":
		for _, q := range shortlistQueries() {
			targets = append(targets, vegeta.Target{Method: "GET", URL: *base + "/v1/profiles/cso/shortlist?" + q, Header: hdr})
		}
	}
	var next atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		*t = targets[int(next.Add(1)-1)%len(targets)]
		return nil
	}

	// Warm up the connections, the workers and the caches.
	if *warm > 0 {
		run(ctx, targeter, *clients, 0, time.Minute, *warm)
		next.Store(0)
	}
	cpu0 := cpuTime()
	m, codes, byURL := run(ctx, targeter, *clients, *rate, *dur, *max)
	cpu := cpuTime() - cpu0
	mode := fmt.Sprintf("closed loop, %d clients", *clients)
	if *rate > 0 {
		mode = fmt.Sprintf("open loop at %g req/s (up to %d in flight)", *rate, 4**clients)
	}
	fmt.Printf("%s: %s\n", kind, mode)
	fmt.Printf("  requests %d in %s: %.1f req/s sent, %.1f req/s answered, success %.2f%%\n",
		m.Requests, m.Duration.Round(time.Millisecond), m.Rate, m.Throughput, 100*m.Success)
	fmt.Printf("  latency  p50 %s  p90 %s  p99 %s  max %s  mean %s\n",
		ms(m.Latencies.P50), ms(m.Latencies.P90), ms(m.Latencies.P99), ms(m.Latencies.Max), ms(m.Latencies.Mean))
	fmt.Printf("  status   %s\n", codes)
	// The generator shares the machine with the server: what it used of
	// the cores is what the server did not get.
	fmt.Printf("  client   %.2f CPU-s of %.2f available (%d cores): %.0f%%\n",
		cpu.Seconds(), m.Duration.Seconds()*float64(runtime.NumCPU()), runtime.NumCPU(),
		100*cpu.Seconds()/(m.Duration.Seconds()*float64(runtime.NumCPU())))
	if len(m.Errors) > 0 {
		fmt.Printf("  errors   %d distinct: %s\n", len(m.Errors), strings.Join(first(m.Errors, 5), "; "))
	}
	if kind == "shortlist" {
		fmt.Println("  by query:")
		keys := make([]string, 0, len(byURL))
		for k := range byURL {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return byURL[keys[i]].Latencies.P99 > byURL[keys[j]].Latencies.P99 })
		for _, k := range keys {
			q := byURL[k]
			u, _ := url.Parse(k)
			fmt.Printf("    p50 %8s  p99 %8s  max %8s  n %4d  %s\n", ms(q.Latencies.P50), ms(q.Latencies.P99), ms(q.Latencies.Max), q.Requests, u.RawQuery)
		}
	}
	return nil
}

// run attacks until max requests have been answered, dur has passed, or
// ctx ends.
func run(ctx context.Context, tr vegeta.Targeter, clients int, rate float64, dur time.Duration, max int) (*vegeta.Metrics, string, map[string]*vegeta.Metrics) {
	opts := []func(*vegeta.Attacker){
		vegeta.Timeout(60 * time.Second),
		vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow),
		vegeta.Workers(uint64(clients)),
	}
	var pacer vegeta.Pacer
	if rate > 0 {
		// An open loop: requests leave on schedule; more workers start if
		// the answers are late, so that a slow server cannot slow the
		// schedule (no coordinated omission), up to a bound.
		pacer = vegeta.ConstantPacer{Freq: int(rate), Per: time.Second}
		opts = append(opts, vegeta.MaxWorkers(uint64(4*clients)), vegeta.Connections(clients), vegeta.MaxConnections(4*clients))
	} else {
		// A zero rate with a fixed number of workers: each sends its next
		// request as soon as it has an answer.
		pacer = vegeta.ConstantPacer{}
		opts = append(opts, vegeta.MaxWorkers(uint64(clients)), vegeta.Connections(clients), vegeta.MaxConnections(clients))
	}
	a := vegeta.NewAttacker(opts...)
	var m vegeta.Metrics
	byURL := map[string]*vegeta.Metrics{}
	n := 0
	results := a.Attack(tr, pacer, dur, "sift")
	for {
		select {
		case <-ctx.Done():
			a.Stop()
		case r, ok := <-results:
			if !ok {
				m.Close()
				for _, q := range byURL {
					q.Close()
				}
				return &m, statusCodes(m.StatusCodes), byURL
			}
			m.Add(r)
			q := byURL[r.URL]
			if q == nil {
				q = &vegeta.Metrics{}
				byURL[r.URL] = q
			}
			q.Add(r)
			if n++; n >= max {
				a.Stop()
			}
		}
	}
}

func statusCodes(c map[string]int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s:%d ", k, c[k])
	}
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

// shortlistQueries are the query strings of the shortlist attack: the
// kinds of question a hiring manager asks, with and without text queries
// and filters.
func shortlistQueries() []string {
	var qs []string
	for _, top := range []string{"10", "25", "50"} {
		for _, f := range []url.Values{
			{},
			{"qualified": {"true"}},
			{"min_score": {"60"}},
			{"q": {"CISSP"}},
			{"q": {"+HIPAA +SIEM"}},
			{"q": {`"incident response"`}, "min_score": {"40"}},
			{"where": {`"CISSP" in certifications`}},
			{"where": {`months("security_management") >= 36 && score >= 50`}},
			{"q": {"NIST"}, "where": {"experience_months > 120"}, "qualified": {"true"}},
		} {
			v := url.Values{"top": {top}}
			for k, x := range f {
				v[k] = x
			}
			qs = append(qs, v.Encode())
		}
	}
	return qs
}

// pdfStyles are samples.RandomPDF's producer styles.
var pdfStyles = []samples.PDFOptions{
	{Compress: true},
	{Compress: true, Spacing: pdfgen.TJGaps, Ligatures: true, Serif: true},
	{Compress: true, TwoColumn: true},
	{Compress: true, Spacing: pdfgen.Positioned, LetterSpaced: true},
}

// generatePDF returns the i-th generated resume as a PDF of the given
// number of pages (0: as samples.RandomPDF renders it, mostly one page): a
// samples.Random candidate given further positions from other generated
// candidates until the rendering has that many pages.
func generatePDF(ctx context.Context, seed uint64, i, pages int) ([]byte, error) {
	if pages <= 0 {
		return samples.RandomPDF(seed, i), nil
	}
	r := samples.Random(seed, i)
	p := &parser.Parser{}
	for k := 1; k <= 50; k++ {
		pdf := samples.RenderPDF(r, pdfStyles[i%len(pdfStyles)])
		res, err := p.ParseBytes(ctx, "gen.pdf", pdf)
		if err != nil {
			return nil, fmt.Errorf("generated PDF %d: %v", i, err)
		}
		switch {
		case res.Pages == pages:
			return pdf, nil
		case res.Pages > pages:
			return nil, fmt.Errorf("generated PDF %d: %d pages; want %d", i, res.Pages, pages)
		}
		more := samples.Random(seed, 1_000_000+i*50+k)
		r.Jobs = append(r.Jobs, more.Jobs[0])
	}
	return nil, fmt.Errorf("generated PDF %d: still short of %d pages", i, pages)
}

// cpuTime returns the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
