package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"sift/parser"
	"sift/parser/worker"
	"sift/rules"
	"sift/scoring"
)

// A Problem is an RFC 9457 problem document, the body of every error
// response. Type is a tag URI naming the kind of problem (see ProblemType);
// Title is the same for every problem of a type, Detail is about this
// occurrence, and Instance is the request's path. Reason (a parse failure,
// as parser.Reason) and Param (the query parameter or form field at fault)
// are extension members.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Param    string `json:"param,omitempty"`
}

// ProblemType returns the type URI of problems of a kind, such as
// "unsupported-format": "tag:sift,2025:problem:unsupported-format". The
// URIs identify; they are not meant to be fetched.
func ProblemType(kind string) string { return "tag:sift,2025:problem:" + kind }

// problemKinds gives the title of each kind of problem.
var problemKinds = map[string]string{
	"bad-request":          "Bad request",
	"invalid-parameter":    "Invalid parameter",
	"unauthorized":         "Missing or unknown API key",
	"forbidden":            "The API key lacks the scope this needs",
	"not-found":            "Not found",
	"method-not-allowed":   "Method not allowed",
	"too-large":            "Request or document too large",
	"unsupported-format":   "Unsupported document format",
	"unreadable-document":  "The document could not be read",
	"rate-limited":         "Too many requests",
	"unavailable":          "Service unavailable",
	"internal":             "Internal server error",
	"unsupported-envelope": "Unsupported request content type",
}

// problem returns a Problem of a kind with a status and a detail.
func problem(kind string, status int, detail string) *Problem {
	title, ok := problemKinds[kind]
	if !ok {
		title = http.StatusText(status)
	}
	return &Problem{Type: ProblemType(kind), Title: title, Status: status, Detail: detail}
}

// Error implements error, so that handlers can return a *Problem.
func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// WriteProblem writes p as application/problem+json with p.Status, filling
// in Instance with the request's path when it is empty. It is the one way
// the server's handlers, the API's and the pages', answer with an error.
func WriteProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = r.URL.Path
	}
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	b, _ := json.Marshal(p) // plain strings and an int: cannot fail
	w.Write(append(b, '\n'))
}

// Error writes the problem document for err and logs what the client is
// not told. err may be a *Problem, an error of packages parser, rules or
// scoring (mapped below), or anything else, which is a 500 whose detail
// says nothing of err. This is the only place errors become statuses:
//
//	*Problem                          its own status
//	parser.ErrUnsupportedFormat       415 unsupported-format
//	parser.ErrTooLarge                413 too-large
//	parser.ErrEncrypted, ErrMalformed,
//	ErrNoText, ErrTimeout, ErrPanic   422 unreadable-document
//	scoring.ErrNotFound               404 not-found
//	scoring.ErrInvalidQuery           400 invalid-parameter (q)
//	scoring.ErrClosed                 503 unavailable
//	scoring.ErrNotScorable            422 unreadable-document
//	worker.ErrClosed, ErrStart        503 unavailable
//	rules.ErrInvalidFilter            400 invalid-parameter (where)
//	context.Canceled, DeadlineExceeded 503 unavailable
//	anything else                     500 internal
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	var p *Problem
	switch {
	case errors.As(err, &p):
	case errors.Is(err, scoring.ErrNotFound):
		p = problem("not-found", http.StatusNotFound, "no such candidate")
	case errors.Is(err, scoring.ErrInvalidQuery):
		p = badParam("q", strings.TrimPrefix(err.Error(), "scoring.Store.Shortlist: "))
	case errors.Is(err, scoring.ErrClosed):
		p = problem("unavailable", http.StatusServiceUnavailable, "the store is closed; the server is shutting down")
	case errors.Is(err, scoring.ErrNotScorable):
		p = problem("unreadable-document", http.StatusUnprocessableEntity, "the document has no text to score")
	case errors.Is(err, worker.ErrClosed), errors.Is(err, worker.ErrStart):
		s.logger().ErrorContext(r.Context(), "parser unavailable", "err", err)
		p = problem("unavailable", http.StatusServiceUnavailable, "the parser is not available; retry later")
	case errors.Is(err, rules.ErrInvalidFilter):
		p = badParam("where", strings.TrimPrefix(err.Error(), "scoring.Store.Shortlist: "))
	case parser.Reason(err) != "error" && parser.Reason(err) != "canceled":
		p = parseProblem(err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		p = problem("unavailable", http.StatusServiceUnavailable, "the request was cancelled or ran out of time before it finished")
	default:
		s.logger().ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		p = problem("internal", http.StatusInternalServerError, "the server could not complete the request; it has been logged")
	}
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	WriteProblem(w, r, p)
}

// parseProblem maps a parse failure to a problem. The detail is the
// parser's own message for what the document is at fault for (it names
// what the content looks like or what is broken, never a path on the
// server), and a fixed message where the parser's could carry a worker's
// internals.
func parseProblem(err error) *Problem {
	reason := parser.Reason(err)
	msg := err.Error()
	var pe *parser.Error
	for errors.As(err, &pe) { // the innermost message, without "op: file: "
		msg = pe.Err.Error()
		err = pe.Err
	}
	var p *Problem
	switch reason {
	case "unsupported_format":
		p = problem("unsupported-format", http.StatusUnsupportedMediaType, msg)
	case "too_large":
		p = problem("too-large", http.StatusRequestEntityTooLarge, "the document is larger than the server reads (bytes, pages, or decompressed content)")
	case "encrypted", "malformed", "no_text":
		p = problem("unreadable-document", http.StatusUnprocessableEntity, msg)
	case "timeout":
		p = problem("unreadable-document", http.StatusUnprocessableEntity, "the document took too long to read; it is not retried")
	case "panic":
		p = problem("unreadable-document", http.StatusUnprocessableEntity, "a document library failed on this document")
	default:
		p = problem("internal", http.StatusInternalServerError, "the document could not be parsed")
	}
	p.Reason = reason
	return p
}

// badParam returns a 400 problem naming a query parameter or field.
func badParam(param, detail string) *Problem {
	p := problem("invalid-parameter", http.StatusBadRequest, detail)
	p.Param = param
	return p
}

// tooLarge returns the 413 problem for a request body over limit bytes.
func tooLarge(limit int64) *Problem {
	return problem("too-large", http.StatusRequestEntityTooLarge, "the request body is larger than "+strconv.FormatInt(limit, 10)+" bytes")
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return discard
	}
	return s.Logger
}

var discard = slog.New(slog.DiscardHandler)
