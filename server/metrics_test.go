package server

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// metricsText returns what /metrics serves.
func metricsText(t testing.TB, h http.Handler) string {
	t.Helper()
	w := do(h, "GET", "/metrics", adminKey, nil)
	if w.Code != 200 {
		t.Fatalf("GET /metrics: got %d; want 200", w.Code)
	}
	return w.Body.String()
}

func TestMetrics(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	do(h, "POST", "/v1/candidates", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	do(h, "POST", "/v1/score", writeKey, bytes.NewReader(resume(t, "no_degree.docx")))
	do(h, "POST", "/v1/score", writeKey, bytes.NewReader(resume(t, "scanned.pdf")))
	do(h, "POST", "/v1/score", writeKey, bytes.NewReader([]byte("\x89PNG\r\n\x1a\nxxxx")))
	do(h, "GET", "/v1/candidates/nope", readKey, nil)
	do(h, "GET", "/v1/candidates/nope", "", nil)
	do(h, "GET", "/nowhere", "", nil)
	m := metricsText(t, h)
	for _, want := range []string{
		`sift_http_requests_total{code="201",route="POST /v1/candidates"} 1`,
		`sift_http_requests_total{code="200",route="POST /v1/score"} 1`,
		`sift_http_requests_total{code="422",route="POST /v1/score"} 1`,
		`sift_http_requests_total{code="415",route="POST /v1/score"} 1`,
		`sift_http_requests_total{code="404",route="GET /v1/candidates/{id}"} 1`,
		`sift_http_requests_total{code="401",route="GET /v1/candidates/{id}"} 1`,
		`sift_http_requests_total{code="404",route="unmatched"} 1`,
		`sift_http_request_duration_seconds_count{code="201",route="POST /v1/candidates"} 1`,
		`sift_documents_parsed_total{format="pdf"} 1`,
		`sift_documents_parsed_total{format="docx"} 1`,
		`sift_parse_failures_total{reason="no_text"} 1`,
		`sift_parse_failures_total{reason="unsupported_format"} 1`,
		`sift_http_requests_in_flight 1`, // the /metrics request itself
		`go_goroutines`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
