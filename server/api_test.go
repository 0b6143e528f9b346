package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

func TestAuth(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	tests := []struct {
		method, target, key string
		want                int
	}{
		{"GET", "/healthz", "", 200},
		{"GET", "/readyz", "", 200},
		{"GET", "/v1/profiles", "", 401},
		{"GET", "/v1/profiles", "wrong", 401},
		{"GET", "/v1/profiles", readKey, 200},
		{"GET", "/v1/profiles", writeKey, 200},
		{"GET", "/v1/profiles", adminKey, 200},
		{"GET", "/openapi.json", "", 401},
		{"GET", "/openapi.json", readKey, 200},
		{"POST", "/v1/candidates", "", 401},
		{"POST", "/v1/candidates", readKey, 403},
		{"POST", "/v1/score", readKey, 403},
		{"DELETE", "/v1/candidates/c1", readKey, 403},
		{"DELETE", "/v1/candidates/c1", writeKey, 403},
		{"DELETE", "/v1/candidates/c1", adminKey, 404},
		{"GET", "/metrics", "", 401},
		{"GET", "/metrics", writeKey, 403},
		{"GET", "/metrics", adminKey, 200},
		{"GET", "/v1/candidates/c1", readKey, 404},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %s", tt.method, tt.target, tt.key), func(t *testing.T) {
			w := do(h, tt.method, tt.target, tt.key, nil)
			if w.Code != tt.want {
				t.Fatalf("status: got %d; want %d (%s)", w.Code, tt.want, w.Body)
			}
			switch tt.want {
			case 401:
				p := wantProblem(t, w, 401)
				if got := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("WWW-Authenticate: got %q; want a Bearer challenge", got)
				}
				if p.Type != ProblemType("unauthorized") {
					t.Errorf("type: got %q; want %q", p.Type, ProblemType("unauthorized"))
				}
			case 403:
				wantProblem(t, w, 403)
			}
		})
	}
}

func TestAuthScheme(t *testing.T) {
	s, _ := newTestServer(t)
	for _, hdr := range []string{"bearer " + readKey, "Bearer  " + readKey + " "} {
		r := do(s.Handler(), "GET", "/v1/profiles", "", nil, "Authorization", hdr)
		if r.Code != 200 {
			t.Errorf("Authorization %q: got %d; want 200", hdr, r.Code)
		}
	}
	for _, hdr := range []string{"Basic " + readKey, readKey, "Bearer"} {
		r := do(s.Handler(), "GET", "/v1/profiles", "", nil, "Authorization", hdr)
		if r.Code != 401 {
			t.Errorf("Authorization %q: got %d; want 401", hdr, r.Code)
		}
	}
}

// candidate is what the tests read of a candidate answer.
type candidate struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	Document   struct {
		File   string `json:"file"`
		Format string `json:"format"`
		SHA256 string `json:"sha256"`
		Hidden struct {
			Count   int      `json:"count"`
			Reasons []string `json:"reasons"`
		} `json:"hidden_text"`
		Positions []json.RawMessage `json:"positions"`
	} `json:"document"`
	Results []rules.Result `json:"results"`
}

func TestPostCandidateForms(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	pdf := resume(t, "cso_strong.pdf")
	mp, ct := multipartBody(t, "dir/cso_strong.pdf", pdf)
	docx := resume(t, "no_degree.docx")
	tests := []struct {
		name       string
		target     string
		body       io.Reader
		header     []string
		wantFile   string
		wantFormat string
	}{
		{"multipart", "/v1/candidates", mp, []string{"Content-Type", ct}, "cso_strong.pdf", "pdf"},
		// The Content-Type of a raw body is ignored: the format is detected.
		{"raw docx", "/v1/candidates?file=no_degree.docx", bytes.NewReader(docx), []string{"Content-Type", "application/pdf"}, "no_degree.docx", "docx"},
		{"raw text", "/v1/candidates", bytes.NewReader(resume(t, "it_director.txt")), nil, "resume", "text"},
		{"json", "/v1/candidates", strings.NewReader(`{"text": "Jane Doe\nSecurity Manager, Acme 2015 - 2020\nCISSP HIPAA", "file": "jane.txt"}`),
			[]string{"Content-Type", "application/json"}, "jane.txt", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, "POST", tt.target, writeKey, tt.body, tt.header...)
			if w.Code != http.StatusCreated {
				t.Fatalf("status: got %d; want 201 (%s)", w.Code, w.Body)
			}
			var c candidate
			decode(t, w, &c)
			if got, want := w.Header().Get("Location"), "/v1/candidates/"+c.ID; got != want {
				t.Errorf("Location: got %q; want %q", got, want)
			}
			if c.Document.File != tt.wantFile || c.Document.Format != tt.wantFormat {
				t.Errorf("document: got file %q format %q; want %q %q", c.Document.File, c.Document.Format, tt.wantFile, tt.wantFormat)
			}
			if len(c.Results) != 1 || c.Results[0].Profile.ID != "cso" || len(c.Results[0].Requirements) == 0 {
				t.Fatalf("results: got %+v; want one full cso result", c.Results)
			}
		})
	}
}

func TestPostCandidateIdempotent(t *testing.T) {
	s, st := newTestServer(t)
	h := s.Handler()
	post := func(data []byte, ext string) (*candidate, int) {
		t.Helper()
		w := do(h, "POST", "/v1/candidates?external_id="+url.QueryEscape(ext), writeKey, bytes.NewReader(data))
		var c candidate
		decode(t, w, &c)
		return &c, w.Code
	}
	first, code := post(resume(t, "cso_strong.pdf"), "ats-42")
	if code != 201 {
		t.Fatalf("first POST: got %d; want 201", code)
	}
	again, code := post(resume(t, "cso_strong.pdf"), "ats-42")
	if code != 200 || again.ID != first.ID || again.Document.SHA256 != first.Document.SHA256 {
		t.Fatalf("same id and content: got %d, id %s; want 200, id %s", code, again.ID, first.ID)
	}
	replaced, code := post(resume(t, "cso_near_miss.pdf"), "ats-42")
	if code != 200 || replaced.ID != first.ID || replaced.Document.SHA256 == first.Document.SHA256 {
		t.Fatalf("same id, new content: got %d, id %s sha %s; want 200, id %s, a new sha", code, replaced.ID, replaced.Document.SHA256, first.ID)
	}
	if st.Len() != 1 {
		t.Errorf("stored: got %d; want 1", st.Len())
	}
	other, code := post(resume(t, "cso_strong.pdf"), "ats-43")
	if code != 201 || other.ID == first.ID {
		t.Errorf("another id: got %d, id %s; want 201 and a new id", code, other.ID)
	}
	// The form field and the query parameter must agree.
	body, ct := multipartBody(t, "a.pdf", resume(t, "cso_strong.pdf"), "external_id", "x")
	w := do(h, "POST", "/v1/candidates?external_id=y", writeKey, body, "Content-Type", ct)
	if p := wantProblem(t, w, 400); p.Param != "external_id" {
		t.Errorf("param: got %q; want external_id", p.Param)
	}
}

func TestCandidateLifecycle(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	w := do(h, "POST", "/v1/candidates?external_id=e1", writeKey, bytes.NewReader(resume(t, "keyword_stuffed.pdf")))
	if w.Code != 201 {
		t.Fatalf("POST: got %d; want 201 (%s)", w.Code, w.Body)
	}
	var c candidate
	decode(t, w, &c)
	// The hidden text is counted and explained, never sent.
	if c.Document.Hidden.Count == 0 || len(c.Document.Hidden.Reasons) == 0 {
		t.Errorf("hidden text: got %+v; want a count and reasons", c.Document.Hidden)
	}
	res, _ := inProcess(context.Background(), "k.pdf", resume(t, "keyword_stuffed.pdf"))
	for _, ht := range res.HiddenText {
		if len(ht.Text) > 8 && strings.Contains(w.Body.String(), ht.Text) {
			t.Errorf("the answer holds hidden text %q", ht.Text)
		}
	}
	if strings.Contains(w.Body.String(), res.Contact.Name) && res.Contact.Name != "" {
		t.Errorf("the answer holds the contact name %q", res.Contact.Name)
	}

	w = do(h, "GET", "/v1/candidates/"+c.ID, readKey, nil)
	if w.Code != 200 {
		t.Fatalf("GET: got %d; want 200", w.Code)
	}
	var got struct {
		ID         string        `json:"id"`
		ExternalID string        `json:"external_id"`
		Results    []summaryJSON `json:"results"`
	}
	decode(t, w, &got)
	if got.ID != c.ID || got.ExternalID != "e1" || len(got.Results) != 1 || got.Results[0].Href != "/v1/candidates/"+c.ID+"/results/cso" {
		t.Fatalf("GET: got %+v; want the candidate with one summary linking to its result", got)
	}
	w = do(h, "GET", got.Results[0].Href, readKey, nil)
	var full rules.Result
	decode(t, w, &full)
	if w.Code != 200 || full.Profile.ID != "cso" || len(full.Requirements) == 0 {
		t.Fatalf("GET result: got %d %+v; want the full result", w.Code, full)
	}
	if w := do(h, "GET", "/v1/candidates/"+c.ID+"/results/nope", readKey, nil); w.Code != 404 {
		t.Errorf("GET result of an unknown profile: got %d; want 404", w.Code)
	}
	if w := do(h, "DELETE", "/v1/candidates/"+c.ID, adminKey, nil); w.Code != 204 || w.Body.Len() != 0 {
		t.Fatalf("DELETE: got %d %q; want 204 and no body", w.Code, w.Body)
	}
	if w := do(h, "GET", "/v1/candidates/"+c.ID, readKey, nil); w.Code != 404 {
		t.Errorf("GET after DELETE: got %d; want 404", w.Code)
	}
	wantProblem(t, do(h, "DELETE", "/v1/candidates/"+c.ID, adminKey, nil), 404)
}

func TestScore(t *testing.T) {
	s, st := newTestServer(t)
	h := s.Handler()
	w := do(h, "POST", "/v1/score?profile=cso", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	if w.Code != 200 {
		t.Fatalf("status: got %d; want 200 (%s)", w.Code, w.Body)
	}
	var got struct {
		Document documentJSON   `json:"document"`
		Results  []rules.Result `json:"results"`
	}
	decode(t, w, &got)
	if len(got.Results) != 1 || got.Results[0].Score <= 0 || got.Document.Format != parser.FormatPDF {
		t.Errorf("got %+v; want a pdf with one cso result", got)
	}
	if st.Len() != 0 {
		t.Errorf("stored: got %d; want 0", st.Len())
	}
	if p := wantProblem(t, do(h, "POST", "/v1/score?profile=nope", writeKey, strings.NewReader("text")), 400); p.Param != "profile" {
		t.Errorf("param: got %q; want profile", p.Param)
	}
	if p := wantProblem(t, do(h, "POST", "/v1/score", writeKey, strings.NewReader("")), 400); p.Detail == "" {
		t.Errorf("empty body: got %+v; want a detail", p)
	}
}

func TestUnsupportedFormats(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	doc := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...)
	for _, tt := range []struct {
		name string
		data []byte
	}{{"png", png}, {"legacy doc", doc}} {
		for _, target := range []string{"/v1/candidates", "/v1/score"} {
			t.Run(tt.name+" "+target, func(t *testing.T) {
				w := do(h, "POST", target, writeKey, bytes.NewReader(tt.data), "Content-Type", "application/pdf")
				p := wantProblem(t, w, http.StatusUnsupportedMediaType)
				if p.Reason != "unsupported_format" || !strings.Contains(p.Detail, "unsupported format") {
					t.Errorf("problem: got %+v; want reason unsupported_format and the parser's message", p)
				}
			})
		}
	}
	// The same in a multipart form.
	body, ct := multipartBody(t, "photo.png", png)
	wantProblem(t, do(h, "POST", "/v1/candidates", writeKey, body, "Content-Type", ct), http.StatusUnsupportedMediaType)
}

func TestUnreadableDocumentKeepsServing(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	broken := []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Kids [3 0 R")
	for _, tt := range []struct {
		name   string
		data   []byte
		reason string
	}{
		{"malformed", broken, "malformed"},
		{"truncated", resume(t, "cso_strong.pdf")[:900], "malformed"},
		{"scanned", resume(t, "scanned.pdf"), "no_text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, "POST", "/v1/candidates?file=/home/ats/upload/x.pdf", writeKey, bytes.NewReader(tt.data))
			p := wantProblem(t, w, http.StatusUnprocessableEntity)
			if p.Reason != tt.reason {
				t.Errorf("reason: got %q; want %q (%+v)", p.Reason, tt.reason, p)
			}
			if strings.Contains(w.Body.String(), "/home/") || strings.Contains(w.Body.String(), "goroutine") {
				t.Errorf("problem leaks a path or a stack: %s", w.Body)
			}
			if w := do(h, "POST", "/v1/score", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf"))); w.Code != 200 {
				t.Errorf("next request: got %d; want 200", w.Code)
			}
		})
	}
}

func TestParseErrorMapping(t *testing.T) {
	s, _ := newTestServer(t)
	for _, tt := range []struct {
		err    error
		status int
		reason string
	}{
		{parser.ErrTooLarge, 413, "too_large"},
		{parser.ErrEncrypted, 422, "encrypted"},
		{fmt.Errorf("%w after 30s; the worker was killed", parser.ErrTimeout), 422, "timeout"},
		{fmt.Errorf("%w: the worker died: stderr: goroutine 1 [running] /srv/x.go", parser.ErrPanic), 422, "panic"},
		{context.Canceled, 503, ""},
		{errors.New("disk on fire at /var/lib/sift"), 500, ""},
	} {
		t.Run(tt.err.Error(), func(t *testing.T) {
			s.Parse = func(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
				err := &parser.Error{Op: "pdf", File: name, Err: tt.err}
				return parser.Failed(name, err), err
			}
			w := do(s.Handler(), "POST", "/v1/score", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
			p := wantProblem(t, w, tt.status)
			if p.Reason != tt.reason {
				t.Errorf("reason: got %q; want %q", p.Reason, tt.reason)
			}
			for _, leak := range []string{"/srv/", "/var/", "goroutine", "stderr"} {
				if strings.Contains(p.Detail, leak) {
					t.Errorf("detail %q leaks %q", p.Detail, leak)
				}
			}
		})
	}
}

func TestProfiles(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	w := do(h, "GET", "/v1/profiles", readKey, nil)
	var got []profileJSON
	decode(t, w, &got)
	cso := csoProfile(t)
	if len(got) != 1 || got[0].ID != "cso" || got[0].Hash != cso.Hash() || len(got[0].Requirements) != len(cso.Requirements) {
		t.Fatalf("got %+v; want the cso profile with its hash and requirements", got)
	}
	w = do(h, "GET", "/v1/profiles/cso", readKey, nil)
	var one profileJSON
	decode(t, w, &one)
	if one.ID != "cso" || one.Title == "" {
		t.Errorf("GET /v1/profiles/cso: got %+v", one)
	}
	wantProblem(t, do(h, "GET", "/v1/profiles/nope", readKey, nil), 404)
}

func TestShortlist(t *testing.T) {
	s, st := newTestServer(t)
	h := s.Handler()
	for i, name := range []string{"cso_strong.pdf", "cso_near_miss.pdf", "pastry_chef.md", "security_manager.pdf"} {
		w := do(h, "POST", fmt.Sprintf("/v1/candidates?external_id=e%d", i), writeKey, bytes.NewReader(resume(t, name)))
		if w.Code != 201 {
			t.Fatalf("POST %s: got %d", name, w.Code)
		}
	}
	w := do(h, "GET", "/v1/profiles/cso/shortlist?top=2&min_score=1&qualified=false&q=CISSP&where="+url.QueryEscape(`"CISSP" in certifications`), readKey, nil)
	if w.Code != 200 {
		t.Fatalf("status: got %d; want 200 (%s)", w.Code, w.Body)
	}
	var got shortlistJSON
	decode(t, w, &got)
	if len(got.Candidates) != 2 || got.Total < 2 || got.Candidates[0].Rank != 1 || got.Candidates[0].Score < got.Candidates[1].Score {
		t.Fatalf("got %+v; want the two best, ranked", got)
	}
	want := scoring.ShortlistQuery{Profile: "cso", Top: 2, MinScore: 1, Text: "CISSP", Where: `"CISSP" in certifications`, Summaries: true}
	if st.lastQ != want {
		t.Errorf("query: got %+v; want %+v", st.lastQ, want)
	}
	for _, tt := range []struct{ query, param string }{
		{"top=0", "top"},
		{"top=x", "top"},
		{"top=100000", "top"},
		{"min_score=101", "min_score"},
		{"qualified=maybe", "qualified"},
		{"where=" + url.QueryEscape("score >"), "where"},
		{"where=" + url.QueryEscape("months(\"astronaut\") > 3"), "where"},
		{"where=" + url.QueryEscape("score + 1"), "where"},
	} {
		t.Run(tt.query, func(t *testing.T) {
			p := wantProblem(t, do(h, "GET", "/v1/profiles/cso/shortlist?"+tt.query, readKey, nil), 400)
			if p.Param != tt.param {
				t.Errorf("param: got %q; want %q (%+v)", p.Param, tt.param, p)
			}
		})
	}
	st.slErr = fmt.Errorf("scoring.Store.Shortlist: %w: syntax error at 3", scoring.ErrInvalidQuery)
	if p := wantProblem(t, do(h, "GET", "/v1/profiles/cso/shortlist?q=%2B%2B", readKey, nil), 400); p.Param != "q" {
		t.Errorf("param: got %q; want q", p.Param)
	}
	wantProblem(t, do(h, "GET", "/v1/profiles/nope/shortlist", readKey, nil), 404)
}

func TestUnknownRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.Handler()
	p := wantProblem(t, do(h, "GET", "/v1/nothing", readKey, nil), 404)
	if p.Type != ProblemType("not-found") {
		t.Errorf("type: got %q", p.Type)
	}
	w := do(h, "PUT", "/v1/profiles", readKey, nil)
	wantProblem(t, w, 405)
	if got := w.Header().Get("Allow"); !strings.Contains(got, "GET") {
		t.Errorf("Allow: got %q; want GET", got)
	}
}

func TestPanicRecovered(t *testing.T) {
	logs := &syncBuffer{}
	s, st := newTestServer(t)
	s.Logger = newTestLogger(logs)
	h := s.Handler()
	st.panicGet = true
	w := do(h, "GET", "/v1/candidates/c1", readKey, nil)
	p := wantProblem(t, w, 500)
	if strings.Contains(w.Body.String(), "boom") || strings.Contains(w.Body.String(), "goroutine") {
		t.Errorf("the problem leaks the panic: %s", w.Body)
	}
	if p.Type != ProblemType("internal") {
		t.Errorf("type: got %q", p.Type)
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("log: got %q; want the panic and its stack", logs.String())
	}
	st.panicGet = false
	if w := do(h, "GET", "/v1/candidates/c1", readKey, nil); w.Code != 404 {
		t.Errorf("next request: got %d; want 404", w.Code)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "resume",
		"cv.pdf":                 "cv.pdf",
		"/etc/passwd":            "passwd",
		`C:\Users\x\cv.docx`:     "cv.docx",
		"..":                     "resume",
		"a\x00b\nc.pdf":          "abc.pdf",
		strings.Repeat("é", 300): strings.Repeat("é", 100),
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q): got %q; want %q", in, got, want)
		}
	}
}
