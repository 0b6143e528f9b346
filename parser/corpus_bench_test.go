package parser

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkCorpus parses every PDF of the shared corpus with sift and, in
// the same run, extracts its text with poppler's pdftotext, so the two can
// be compared on one machine at one time. It is skipped unless SIFT_CORPUS
// names the corpus folder:
//
//	SIFT_CORPUS=../shared/corpus go test -run '^$' -bench Corpus -count 5 ./parser/
//
// ms/resume is the mean time per PDF within one pass over the corpus.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("SIFT_CORPUS")
	if dir == "" {
		b.Skip("SIFT_CORPUS not set")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "docs", "*.pdf"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no PDFs in %s/docs: %v", dir, err)
	}
	docs := make([][]byte, len(paths))
	for i, p := range paths {
		if docs[i], err = os.ReadFile(p); err != nil {
			b.Fatal(err)
		}
	}
	perResume := func(b *testing.B, start time.Time) {
		b.ReportMetric(float64(time.Since(start))/1e6/float64(b.N*len(paths)), "ms/resume")
	}
	b.Run("sift", func(b *testing.B) {
		p := Parser{AsOf: Month{2026, 11}}
		start := time.Now()
		for i := 0; i < b.N; i++ {
			for j, data := range docs {
				p.ParseBytes(context.Background(), paths[j], data)
			}
		}
		perResume(b, start)
	})
	b.Run("pdftotext", func(b *testing.B) {
		if _, err := exec.LookPath("pdftotext"); err != nil {
			b.Skip("pdftotext not installed (scripts/measure-corpus installs it)")
		}
		start := time.Now()
		for i := 0; i < b.N; i++ {
			for _, p := range paths {
				cmd := exec.Command("pdftotext", "-enc", "UTF-8", p, "-")
				cmd.Stdout = io.Discard
				if err := cmd.Run(); err != nil && !strings.Contains(p, "garbled") {
					b.Logf("pdftotext %s: %v", p, err)
				}
			}
		}
		perResume(b, start)
	})
}
