package parser

import (
	"context"
	"testing"

	"sift/internal/samples"
)

// BenchmarkParseGenerated parses generated one- to two-page PDFs of four
// producer styles in this process: the document an upload to the server
// most often is, and most of what POST /v1/score costs.
//
//	go test -run '^$' -bench ParseGenerated -count 5 -cpu 1 ./parser/
func BenchmarkParseGenerated(b *testing.B) {
	docs := make([][]byte, 64)
	for i := range docs {
		docs[i] = samples.RandomPDF(11, i)
	}
	p := &Parser{}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res, err := p.ParseBytes(ctx, "gen.pdf", docs[i%len(docs)])
		if err != nil || res.Status != StatusOK {
			b.Fatalf("document %d: %v, status %s", i%len(docs), err, res.Status)
		}
		i++
	}
}
