package server

import (
	"bytes"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"
)

// A route is one endpoint of the API. The table in apiTable is the one
// source of truth for what the API serves: apiRoutes registers it on the
// mux, and the OpenAPI test checks openapi.json against it.
type route struct {
	Method string // "GET", "POST", "DELETE"
	Path   string // a ServeMux path pattern, which is also OpenAPI's path template
	Scope  string // the scope a key needs; "" for a route open to all
	handle func(w http.ResponseWriter, r *http.Request) error
}

// Pattern returns the ServeMux pattern of the route, "GET /v1/profiles".
func (rt route) Pattern() string { return rt.Method + " " + rt.Path }

// apiTable returns the API's routes.
func (s *Server) apiTable() []route {
	return []route{
		{"POST", "/v1/candidates", ScopeWrite, s.handlePutCandidate},
		{"GET", "/v1/candidates/{id}", ScopeRead, s.handleGetCandidate},
		{"DELETE", "/v1/candidates/{id}", ScopeAdmin, s.handleDeleteCandidate},
		{"GET", "/v1/candidates/{id}/results/{profile}", ScopeRead, s.handleGetResult},
		{"POST", "/v1/score", ScopeWrite, s.handleScore},
		{"GET", "/v1/profiles", ScopeRead, s.handleProfiles},
		{"GET", "/v1/profiles/{id}", ScopeRead, s.handleProfile},
		{"GET", "/v1/profiles/{id}/shortlist", ScopeRead, s.handleShortlist},
		{"GET", "/healthz", "", s.handleHealthz},
		{"GET", "/readyz", "", s.handleReadyz},
		{"GET", "/metrics", ScopeAdmin, s.handleMetrics},
		{"GET", "/openapi.json", ScopeRead, s.handleOpenAPI},
	}
}

// apiRoutes registers the API's routes on mux, each behind authentication,
// the per-key rate limit and the body limit. (Unknown paths and methods are
// answered with problem documents by instrument.)
func (s *Server) apiRoutes(mux *http.ServeMux) {
	s.routes = s.apiTable()
	for _, rt := range s.routes {
		mux.Handle(rt.Pattern(), s.endpoint(rt))
	}
}

// endpoint wraps a route's handler with authentication and the limits.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Scope != "" {
			k, ok := s.authorize(w, r, rt.Scope)
			if !ok {
				return
			}
			if ok, wait := s.limiters.allow(k.ID, s.now()); !ok {
				secs := max(1, int((wait+time.Second-1)/time.Second))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				WriteProblem(w, r, problem("rate-limited", http.StatusTooManyRequests,
					fmt.Sprintf("API key %s is over its limit of %g requests a second; retry in %d s", k.ID, s.Limits.RatePerKey, secs)))
				return
			}
		}
		if r.Body != nil && r.Body != http.NoBody {
			if r.ContentLength > s.Limits.MaxBody {
				// Refused before reading; the connection is closed rather
				// than drained.
				w.Header().Set("Connection", "close")
				WriteProblem(w, r, tooLarge(s.Limits.MaxBody))
				return
			}
			// Content-Length may lie or be absent (chunked): the reader
			// enforces the limit on what is actually read.
			r.Body = http.MaxBytesReader(w, r.Body, s.Limits.MaxBody)
		}
		if err := rt.handle(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// instrument is the outermost handler: it counts and times every request
// by route pattern and status, tracks requests in flight, recovers a
// handler's panic into a 500 problem (logging the stack, never sending
// it), and turns the mux's own 404 and 405 replies into problem documents.
func (s *Server) instrument(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inFlight.Inc()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			s.metrics.inFlight.Dec()
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger().ErrorContext(r.Context(), "panic in handler", "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if !sw.wroteHeader {
					WriteProblem(sw, r, problem("internal", http.StatusInternalServerError, "the server could not complete the request; it has been logged"))
				}
			}
			pattern := r.Pattern
			if pattern == "" {
				pattern = "unmatched"
			}
			code := strconv.Itoa(sw.status())
			s.metrics.requests.WithLabelValues(pattern, code).Inc()
			s.metrics.latency.WithLabelValues(pattern, code).Observe(time.Since(start).Seconds())
		}()
		if _, pattern := mux.Handler(r); pattern == "" {
			// Not found, method not allowed, or a redirect to a cleaned
			// path: let the mux answer into a buffer, then rewrite its
			// plain-text errors.
			bw := &bufferedWriter{header: http.Header{}}
			mux.ServeHTTP(bw, r)
			switch bw.code {
			case http.StatusNotFound:
				WriteProblem(sw, r, problem("not-found", http.StatusNotFound, "no such endpoint: "+r.URL.Path))
			case http.StatusMethodNotAllowed:
				sw.Header().Set("Allow", bw.header.Get("Allow"))
				WriteProblem(sw, r, problem("method-not-allowed", http.StatusMethodNotAllowed,
					fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, bw.header.Get("Allow"))))
			default:
				for k, v := range bw.header {
					sw.Header()[k] = v
				}
				sw.WriteHeader(bw.code)
				sw.Write(bw.body.Bytes())
			}
			return
		}
		mux.ServeHTTP(sw, r)
	})
}

// statusWriter records the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bufferedWriter holds a small response (the mux's own errors) in memory.
type bufferedWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header { return w.header }
func (w *bufferedWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *bufferedWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.body.Write(b)
}
