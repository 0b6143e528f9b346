// Command benchstore measures the candidate store (scoring.Store) at scale:
// it builds a store of N generated candidates (internal/samples.Random,
// rendered as plain text and parsed with parser.Parser, as `sift index`
// would), then reports the build rate, the time to reopen, shortlist
// latency per query kind (p50, p90, p99, max), Put latency and throughput
// on the full store, and the time one erasure (Delete) takes. Run it
// through scripts/bench-store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"sift/internal/samples"
	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

func main() {
	dir := flag.String("dir", "", "data directory; a store already there with enough candidates is reused (required)")
	n := flag.Int("n", 100000, "candidates in the store")
	seed := flag.Uint64("seed", 1, "seed of the generated candidates")
	runs := flag.Int("runs", 300, "runs of each shortlist query, after 20 to warm up")
	puts := flag.Int("puts", 300, "single Puts measured on the full store")
	deletes := flag.Int("deletes", 2, "Deletes (erasures) measured on the full store")
	noSync := flag.Bool("nosync", false, "build without fsync (faster; the measured Puts still sync)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: benchstore -dir DIR [-n N] [-runs R] [-puts P] [-deletes D] [-nosync]")
		os.Exit(2)
	}
	if err := run(*dir, *n, *seed, *runs, *puts, *deletes, *noSync); err != nil {
		fmt.Fprintln(os.Stderr, "benchstore:", err)
		os.Exit(1)
	}
}

var asOf = parser.Month{Year: 2026, Month: 11}

func now() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) }

func open(dir string, noSync bool) (*scoring.Store, time.Duration, error) {
	p, err := rules.Builtin("cso")
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	s, err := scoring.OpenStore(dir, scoring.StoreOptions{Profiles: []*rules.Profile{p}, Version: "bench", Now: now, NoSync: noSync})
	return s, time.Since(start), err
}

func run(dir string, n int, seed uint64, runs, puts, deletes int, noSync bool) error {
	ctx := context.Background()
	fmt.Printf("store %s: %d candidates wanted; %d cores (GOMAXPROCS %d); %s\n", dir, n, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	s, _, err := open(dir, noSync)
	if err != nil {
		return err
	}
	if have := s.Len(); have < n {
		fmt.Printf("building: %d candidates there, adding %d (sync %v)\n", have, n-have, !noSync)
		if err := build(ctx, s, seed, have, n); err != nil {
			return err
		}
	}
	if err := s.Close(); err != nil {
		return err
	}
	s, took, err := open(dir, false)
	if err != nil {
		return err
	}
	defer s.Close()
	size, files := du(dir)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("reopened in %v: %d candidates, %.0f MB in %d files; heap in use %.0f MB\n\n",
		took.Round(time.Millisecond), s.Len(), float64(size)/1e6, files, float64(ms.HeapAlloc)/1e6)

	fmt.Printf("shortlist latency, %d runs each (profile cso):\n", runs)
	fmt.Printf("%-56s %7s %7s %7s %7s %8s %7s %7s\n", "query (ms)", "p50", "p90", "p99", "max", "cpu/run", "total", "entries")
	for _, q := range queries {
		if err := measureQuery(ctx, s, q, runs); err != nil {
			return err
		}
	}

	if puts > 0 {
		fmt.Println()
		if err := measurePuts(ctx, s, seed, s.Len(), puts); err != nil {
			return err
		}
	}
	for i := range deletes {
		sl, err := s.Shortlist(ctx, scoring.ShortlistQuery{Top: i + 1, Text: "security"})
		if err != nil || len(sl.Entries) <= i {
			return fmt.Errorf("finding a candidate to delete: %v", err)
		}
		start := time.Now()
		if err := s.Delete(ctx, sl.Entries[i].ID); err != nil {
			return err
		}
		fmt.Printf("Delete (erasure, merging the whole index) with %d candidates: %v\n", s.Len(), time.Since(start).Round(time.Millisecond))
	}
	start := time.Now()
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Printf("Close (checkpoint): %v\n", time.Since(start).Round(time.Millisecond))
	fmt.Printf("\nreproduce: scripts/bench-store -dir %s -n %d -runs %d -puts %d -deletes %d\n", dir, n, runs, puts, deletes)
	return nil
}

// build parses candidates [from, to) in parallel and puts them in batches.
func build(ctx context.Context, s *scoring.Store, seed uint64, from, to int) error {
	p := &parser.Parser{AsOf: asOf}
	type job struct {
		i   int
		res *parser.Resume
	}
	parsed := make(chan job, 1024)
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				res, err := p.ParseBytes(ctx, fmt.Sprintf("candidate-%06d.txt", i), samples.RenderText(samples.Random(seed, i)))
				if err != nil {
					panic(err)
				}
				parsed <- job{i, res}
			}
		})
	}
	go func() { wg.Wait(); close(parsed) }()
	start := time.Now()
	done := 0
	batch := make([]scoring.PutRequest, 0, scoring.DefaultBatchSize)
	flush := func() error {
		if _, err := s.PutBatch(ctx, batch); err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if done%10000 < scoring.DefaultBatchSize {
			el := time.Since(start)
			fmt.Printf("  %d/%d in %v (%.0f/s)\n", done, to-from, el.Round(time.Second), float64(done)/el.Seconds())
		}
		return nil
	}
	for j := range parsed {
		batch = append(batch, scoring.PutRequest{Resume: j.res, Key: j.res.File})
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	el := time.Since(start)
	fmt.Printf("built %d candidates in %v: %.0f resumes/s (parse, score, store; PutBatch of %d)\n", done, el.Round(time.Second), float64(done)/el.Seconds(), scoring.DefaultBatchSize)
	return nil
}

type query struct {
	name string
	q    scoring.ShortlistQuery
}

var queries = []query{
	{"top 10", scoring.ShortlistQuery{Top: 10}},
	{"top 10, min_score 40, qualified", scoring.ShortlistQuery{Top: 10, MinScore: 40, Qualified: true}},
	{`top 10, min_score 40, qualified, "CISSP HIPAA"`, scoring.ShortlistQuery{Top: 10, MinScore: 40, Qualified: true, Text: "CISSP HIPAA"}},
	{`top 10, +CISSP +"incident response" +titles:director`, scoring.ShortlistQuery{Top: 10, Text: `+CISSP +"incident response" +titles:director`}},
	{`top 50, text "security"`, scoring.ShortlistQuery{Top: 50, Text: "security"}},
	{"top 10, min_score 40, where months+cert", scoring.ShortlistQuery{Top: 10, MinScore: 40, Where: `months("security_management") >= 36 && "CISSP" in certifications`}},
	{"top 10, where selective (1 in ~100)", scoring.ShortlistQuery{Top: 10, Where: `"CCSP" in certifications && "CRISC" in certifications && experience_months >= 150`}},
	{"top 10, qualified, where has_term", scoring.ShortlistQuery{Top: 10, Qualified: true, Where: `has_term("GLBA")`}},
}

func measureQuery(ctx context.Context, s *scoring.Store, q query, runs int) error {
	var res *scoring.ShortlistResult
	for range 20 {
		var err error
		if res, err = s.Shortlist(ctx, q.q); err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
	}
	lat := make([]time.Duration, runs)
	cpu0 := cpuTime()
	for i := range lat {
		start := time.Now()
		if _, err := s.Shortlist(ctx, q.q); err != nil {
			return err
		}
		lat[i] = time.Since(start)
	}
	cpu := (cpuTime() - cpu0) / time.Duration(runs)
	total := fmt.Sprint(res.Total)
	if !res.TotalExact {
		total = "~" + total
	}
	p := percentiles(lat)
	fmt.Printf("%-56s %7s %7s %7s %7s %8s %7s %7d\n", q.name, ms(p[0]), ms(p[1]), ms(p[2]), ms(p[3]), ms(cpu), total, len(res.Entries))
	return nil
}

// measurePuts puts new candidates one at a time, then from 4 goroutines.
func measurePuts(ctx context.Context, s *scoring.Store, seed uint64, base, count int) error {
	p := &parser.Parser{AsOf: asOf}
	rs := make([]*parser.Resume, 2*count)
	for i := range rs {
		var err error
		if rs[i], err = p.ParseBytes(ctx, fmt.Sprintf("new-%07d.txt", base+i), samples.RenderText(samples.Random(seed+1, base+i))); err != nil {
			return err
		}
	}
	lat := make([]time.Duration, count)
	cpu0 := cpuTime()
	start := time.Now()
	for i := range count {
		t := time.Now()
		if _, err := s.Put(ctx, rs[i], rs[i].File); err != nil {
			return err
		}
		lat[i] = time.Since(t)
	}
	el := time.Since(start)
	cpu := (cpuTime() - cpu0) / time.Duration(count)
	pc := percentiles(lat)
	fmt.Printf("Put, one at a time, %d new candidates: %.0f/s; latency p50 %s p99 %s max %s ms; cpu %s ms a put (score, fsync'd file and journal, index, and the merges it causes)\n",
		count, float64(count)/el.Seconds(), ms(pc[0]), ms(pc[2]), ms(pc[3]), ms(cpu))
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start = time.Now()
	for range 4 {
		wg.Go(func() {
			for {
				i := count + int(next.Add(1)-1)
				if i >= len(rs) {
					return
				}
				if _, err := s.Put(ctx, rs[i], rs[i].File); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return err
	}
	fmt.Printf("Put from 4 goroutines, %d new candidates: %.0f/s\n", count, float64(count)/time.Since(start).Seconds())
	return nil
}

func percentiles(lat []time.Duration) [4]time.Duration {
	slices.Sort(lat)
	at := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	return [4]time.Duration{at(0.50), at(0.90), at(0.99), lat[len(lat)-1]}
}

// cpuTime returns the CPU time (user and system) the process has used: a
// figure that other processes on the machine disturb less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

// du returns the bytes and files under dir.
func du(dir string) (int64, int) {
	var size int64
	files := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
				files++
			}
		}
		return nil
	})
	return size, files
}
