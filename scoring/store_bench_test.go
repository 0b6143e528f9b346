package scoring

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"sift/internal/samples"
	"sift/parser"
)

// Store benchmarks run on generated candidates. SIFT_BENCH_STORE_N sets the
// size of BenchmarkShortlist's store (default 2000, which CI can afford;
// scripts/bench-store measures 100,000). The store is built once per
// process, in SIFT_BENCH_STORE_DIR when set (and reused from there by later
// runs), else in a temporary directory.
func benchStoreSize(b *testing.B) int {
	n := 2000
	if v := os.Getenv("SIFT_BENCH_STORE_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("SIFT_BENCH_STORE_N=%q: want a positive number", v)
		}
	}
	return n
}

// benchPool returns n parsed generated resumes, parsed once per process.
var benchPool = sync.OnceValue(func() []*parser.Resume {
	p := &parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	rs := make([]*parser.Resume, 512)
	forEachParallel(len(rs), func(i int) {
		r, err := p.ParseBytes(context.Background(), fmt.Sprintf("bench-%05d.txt", i), samples.RenderText(samples.Random(21, i)))
		if err != nil {
			panic(err)
		}
		rs[i] = r
	})
	return rs
})

// BenchmarkStorePut measures storing new candidates in a store that
// starts empty: scoring, the fsync'd file and journal entry, the index
// batch. Put is one at a time; Parallel is Put from GOMAXPROCS*2
// goroutines; Batch is PutBatch of DefaultBatchSize, per resume.
func BenchmarkStorePut(b *testing.B) {
	pool := benchPool()
	ctx := context.Background()
	b.Run("Put", func(b *testing.B) {
		s := openTest(b, b.TempDir())
		i := 0
		for b.Loop() {
			r := pool[i%len(pool)]
			if _, err := s.Put(ctx, r, strconv.Itoa(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
	})
	b.Run("Parallel", func(b *testing.B) {
		s := openTest(b, b.TempDir())
		var next atomic.Int64
		b.SetParallelism(2)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(next.Add(1))
				if _, err := s.Put(ctx, pool[i%len(pool)], strconv.Itoa(i)); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
	})
	b.Run("Batch", func(b *testing.B) {
		s := openTest(b, b.TempDir())
		n := 0
		for b.Loop() {
			reqs := make([]PutRequest, DefaultBatchSize)
			for j := range reqs {
				reqs[j] = PutRequest{Resume: pool[(n+j)%len(pool)], Key: strconv.Itoa(n + j)}
			}
			if _, err := s.PutBatch(ctx, reqs); err != nil {
				b.Fatal(err)
			}
			n += len(reqs)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/resume")
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "puts/s")
	})
}

// BenchmarkStoreScore measures Store.Score, what POST /v1/score costs past
// parsing: one generated resume at a time against the built-in cso profile
// and itops, matched with a ResumeMatcher ("resume"), or through an index
// of the one resume ("index", as before).
func BenchmarkStoreScore(b *testing.B) {
	// A sample small enough that both ways go through it several times a
	// second.
	sample := benchPool()[:64]
	ctx := context.Background()
	s := openTest(b, b.TempDir())
	for _, indexed := range []bool{false, true} {
		name := "resume"
		if indexed {
			name = "index"
		}
		b.Run(name, func(b *testing.B) {
			s.scorer.indexed = indexed
			defer func() { s.scorer.indexed = false }()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Score(ctx, sample[i%len(sample)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// benchStores holds the stores BenchmarkShortlist built, by size.
var benchStores sync.Map

func benchStore(b *testing.B, n int) *Store {
	if s, ok := benchStores.Load(n); ok {
		return s.(*Store)
	}
	dir := os.Getenv("SIFT_BENCH_STORE_DIR")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "sift-bench-store-"); err != nil {
			b.Fatal(err)
		}
	} else {
		dir = filepath.Join(dir, strconv.Itoa(n))
	}
	s, err := OpenStore(dir, StoreOptions{Profiles: testProfiles(b), Version: "bench", Now: testNow, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	p := &parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	for start := s.Len(); start < n; start += DefaultBatchSize {
		reqs := make([]PutRequest, min(DefaultBatchSize, n-start))
		forEachParallel(len(reqs), func(j int) {
			i := start + j
			r, err := p.ParseBytes(context.Background(), fmt.Sprintf("candidate-%06d.txt", i), samples.RenderText(samples.Random(1, i)))
			if err != nil {
				panic(err)
			}
			reqs[j] = PutRequest{Resume: r, Key: r.File}
		})
		if _, err := s.PutBatch(context.Background(), reqs); err != nil {
			b.Fatal(err)
		}
	}
	benchStores.Store(n, s)
	return s
}

// BenchmarkShortlist measures shortlist queries on a store of
// SIFT_BENCH_STORE_N generated candidates, by query kind.
func BenchmarkShortlist(b *testing.B) {
	n := benchStoreSize(b)
	s := benchStore(b, n)
	ctx := context.Background()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			var res *ShortlistResult
			for b.Loop() {
				var err error
				if res, err = s.Shortlist(ctx, bq.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Total), "matches")
		})
	}
}

var benchQueries = []struct {
	name string
	q    ShortlistQuery
}{
	{"Top10", ShortlistQuery{Top: 10}},
	{"Min40Qualified", ShortlistQuery{Top: 10, MinScore: 40, Qualified: true}},
	{"Text", ShortlistQuery{Top: 10, MinScore: 40, Qualified: true, Text: "CISSP HIPAA"}},
	{"Where", ShortlistQuery{Top: 10, MinScore: 40, Where: `months("security_management") >= 36 && "CISSP" in certifications`}},
	{"WhereSelective", ShortlistQuery{Top: 10, Where: `"CCSP" in certifications && "CRISC" in certifications && experience_months >= 150`}},
}
