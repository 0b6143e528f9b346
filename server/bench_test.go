package server

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"sift/internal/samples"
)

// BenchmarkScore measures POST /v1/score through the handler: reading the
// body, parsing a two-page PDF in process, scoring against the CSO profile
// and writing the JSON, over distinct generated PDFs.
func BenchmarkScore(b *testing.B) {
	s, _ := newTestServer(b)
	h := s.Handler()
	var docs [][]byte
	for i := range 64 {
		docs = append(docs, samples.RandomPDF(11, i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := httptest.NewRequest("POST", "/v1/score", bytes.NewReader(docs[i%len(docs)]))
		r.Header.Set("Authorization", "Bearer "+writeKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status: got %d; want 200 (%s)", w.Code, w.Body)
		}
	}
}

// BenchmarkMiddleware measures what the server adds to a request that does
// little: routing, authentication, the rate limit, metrics.
func BenchmarkMiddleware(b *testing.B) {
	s, _ := newTestServer(b)
	s.Limits.RatePerKey = 1e9
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/v1/profiles/cso", nil)
		r.Header.Set("Authorization", "Bearer "+readKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status: got %d; want 200", w.Code)
		}
	}
}
