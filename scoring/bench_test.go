package scoring

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"sift/parser"
	"sift/rules"
)

// The benchmarks use a batch of 256 synthetic two-page resumes (about 6.4 KB
// of text, 1,000 words each; see synth) and 60 term groups (cso).
const benchBatch = DefaultBatchSize

func benchResumes() []*parser.Resume {
	rs := make([]*parser.Resume, benchBatch)
	for i := range rs {
		rs[i] = synth(i)
	}
	return rs
}

func candidates(rs []*parser.Resume) []Candidate {
	cs := make([]Candidate, len(rs))
	for i, r := range rs {
		cs[i] = Candidate{ID: r.SHA256, Resume: r}
	}
	return cs
}

// reportPerResume reports the wall time per resume, the throughput, and the
// CPU time per resume (cpu-ns/resume: user and system time of the whole
// process, bleve's goroutines and the collector included, since cpu0 was
// taken), which a busy machine disturbs less than wall time.
func reportPerResume(b *testing.B, n int, cpu0 time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/resume")
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "resumes/s")
	if cpu := cpuTime() - cpu0; cpu0 > 0 && cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n), "cpu-ns/resume")
	}
}

// backends are the in-memory bleve index types compared: scorch, which
// NewMemIndex uses, and upsidedown on gtreap, which bleve.NewMemOnly uses.
var backends = []struct {
	name string
	new  func(*mapping.IndexMappingImpl) (bleve.Index, error)
}{
	{"scorch", memIndex},
	{"upsidedown", func(m *mapping.IndexMappingImpl) (bleve.Index, error) { return bleve.NewMemOnly(m) }},
}

func withBackends(b *testing.B, f func(b *testing.B)) {
	keep := memIndex
	defer func() { memIndex = keep }()
	for _, be := range backends {
		memIndex = be.new
		b.Run(be.name, f)
	}
}

// withMatchers runs f with s matching each resume with a ResumeMatcher
// ("resume", what a Scorer does), and then through a bleve index per batch
// on each backend ("index-scorch", "index-upsidedown", what it did), so
// that one run compares them side by side.
func withMatchers(b *testing.B, s *Scorer, f func(b *testing.B)) {
	defer func(keep bool) { s.indexed = keep }(s.indexed)
	s.indexed = false
	b.Run("resume", f)
	s.indexed = true
	keep := memIndex
	defer func() { memIndex = keep }()
	for _, be := range backends {
		memIndex = be.new
		b.Run("index-"+be.name, f)
	}
}

// BenchmarkIndex measures indexing a batch (redaction, analysis, one bleve
// batch), and the heap an indexed batch holds (heapB/batch: live heap with
// the index less live heap without it; the resumes are live in both).
func BenchmarkIndex(b *testing.B) {
	cs := candidates(benchResumes())
	withBackends(b, func(b *testing.B) {
		held := heldByIndex(b, cs)
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			x, err := NewMemIndex()
			if err != nil {
				b.Fatal(err)
			}
			if err := x.Add(cs...); err != nil {
				b.Fatal(err)
			}
			x.Close()
		}
		reportPerResume(b, len(cs), cpu0)
		b.ReportMetric(float64(held), "heapB/batch")
	})
}

// heldByIndex returns the live heap an index of cs holds.
func heldByIndex(b *testing.B, cs []Candidate) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x, err := NewMemIndex()
	if err != nil {
		b.Fatal(err)
	}
	if err := x.Add(cs...); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	x.Close()
	return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
}

// BenchmarkMatch measures matching alone: the 60 groups against every
// candidate of an indexed batch, each distinct query searched once, evidence
// built for every candidate, one goroutine.
func BenchmarkMatch(b *testing.B) {
	rs := benchResumes()
	withBackends(b, func(b *testing.B) {
		x, err := NewMemIndex()
		if err != nil {
			b.Fatal(err)
		}
		defer x.Close()
		if err := x.Add(candidates(rs)...); err != nil {
			b.Fatal(err)
		}
		ms := make([]*Matcher, len(rs))
		for i, r := range rs {
			ms[i], _ = x.Matcher(r.SHA256)
		}
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			x.mu.Lock()
			clear(x.queries)
			x.mu.Unlock()
			for _, m := range ms {
				for _, q := range cso {
					if _, err := m.Match(q); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		reportPerResume(b, len(rs), cpu0)
	})
}

// scoreBatch returns a benchmark of s scoring rs as one batch, reporting
// the time and CPU per resume.
func scoreBatch(s *Scorer, rs []*parser.Resume) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			if _, err := s.ScoreBatch(context.Background(), rs); err != nil {
				b.Fatal(err)
			}
		}
		reportPerResume(b, len(rs), cpu0)
	}
}

// BenchmarkScore measures a whole batch as a Scorer runs it: evaluate each
// of the 256 resumes against a 60-group profile with GOMAXPROCS workers,
// with a ResumeMatcher each, or with an index of the batch (see
// withMatchers).
func BenchmarkScore(b *testing.B) {
	rs := benchResumes()
	s := &Scorer{Profiles: []Evaluator{termEvaluator{id: "cso", groups: cso}}}
	withMatchers(b, s, scoreBatch(s, rs))
}

// BenchmarkScoreBuiltin is BenchmarkScore with the rules package's built-in
// Chief Security Officer profile (degree, experience, terms, certifications).
func BenchmarkScoreBuiltin(b *testing.B) {
	p, err := rules.Builtin("cso")
	if err != nil {
		b.Fatal(err)
	}
	rs := benchResumes()
	s := &Scorer{Profiles: []Evaluator{&rules.Evaluator{Profile: p}}}
	withMatchers(b, s, scoreBatch(s, rs))
}

// BenchmarkScoreOne is the cost of a resume scored alone, as a one-off
// request pays: a ResumeMatcher, or an index and a search per query for a
// single candidate (see withMatchers).
func BenchmarkScoreOne(b *testing.B) {
	r := []*parser.Resume{synth(1)}
	s := &Scorer{Profiles: []Evaluator{termEvaluator{id: "cso", groups: cso}}}
	withMatchers(b, s, scoreBatch(s, r))
}
