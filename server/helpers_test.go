package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

// API keys of the tests, one per scope.
const (
	readKey  = "read-secret"
	writeKey = "write-secret"
	adminKey = "admin-secret"
)

var testKeys = []Key{
	{ID: "reader", Hash: HashKey(readKey), Scopes: []string{ScopeRead}},
	{ID: "writer", Hash: HashKey(writeKey), Scopes: []string{ScopeWrite}},
	{ID: "admin", Hash: HashKey(adminKey), Scopes: []string{ScopeAdmin}},
}

var asOf = parser.Month{Year: 2025, Month: 6}

// inProcess parses in this process, as the tests do.
func inProcess(ctx context.Context, name string, data []byte) (*parser.Resume, error) {
	p := parser.Parser{AsOf: asOf}
	return p.ParseBytes(ctx, name, data)
}

func csoProfile(t testing.TB) *rules.Profile {
	t.Helper()
	p, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// csoWithWebhook returns the built-in profile posting its results to url.
func csoWithWebhook(t testing.TB, url string) *rules.Profile {
	t.Helper()
	src, err := rules.BuiltinSource("cso")
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, []byte("\nwebhook: "+url+"\n")...)
	p, err := rules.Parse(src, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newTestServer returns a Server over a fake store with the CSO profile,
// the test keys, in-process parsing, and no rate limit; edit it before
// calling Handler. Close is registered with t.Cleanup.
func newTestServer(t testing.TB, profiles ...*rules.Profile) (*Server, *fakeStore) {
	t.Helper()
	if len(profiles) == 0 {
		profiles = []*rules.Profile{csoProfile(t)}
	}
	st := newFakeStore(profiles)
	s := &Server{
		Store:         st,
		Profiles:      profiles,
		Parse:         inProcess,
		Keys:          testKeys,
		Limits:        Limits{RatePerKey: -1},
		Version:       "test",
		WebhookSecret: "hook-secret",
		Webhooks:      WebhookOptions{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, DrainTimeout: 5 * time.Second},
	}
	t.Cleanup(func() { s.Close() })
	return s, st
}

// fakeStore is an in-memory Store that scores with a real Scorer.
type fakeStore struct {
	scorer   *scoring.Scorer
	profiles map[string]*rules.Profile

	mu       sync.Mutex
	byID     map[string]*scoring.Candidate
	byKey    map[string]string // external id, or "sha256:" + sha, to id
	next     int
	panicGet bool
	slErr    error
	lastQ    scoring.ShortlistQuery
	putDelay time.Duration
}

func newFakeStore(profiles []*rules.Profile) *fakeStore {
	ev := make([]scoring.Evaluator, len(profiles))
	byID := map[string]*rules.Profile{}
	for i, p := range profiles {
		ev[i] = p
		byID[p.ID] = p
	}
	return &fakeStore{
		scorer:   &scoring.Scorer{Profiles: ev, Version: "test"},
		profiles: byID,
		byID:     map[string]*scoring.Candidate{},
		byKey:    map[string]string{},
	}
}

func (f *fakeStore) Score(ctx context.Context, res *parser.Resume) ([]rules.Result, error) {
	out, err := f.scorer.ScoreBatch(ctx, []*parser.Resume{res})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func (f *fakeStore) Put(ctx context.Context, res *parser.Resume, key string) (*scoring.PutResult, error) {
	results, err := f.Score(ctx, res)
	if err != nil {
		return nil, err
	}
	time.Sleep(f.putDelay)
	f.mu.Lock()
	defer f.mu.Unlock()
	k := key
	if k == "" {
		k = "sha256:" + res.SHA256
	}
	if id, ok := f.byKey[k]; ok {
		c := f.byID[id]
		if c.SHA256 == res.SHA256 {
			return &scoring.PutResult{Candidate: c}, nil
		}
		nc := &scoring.Candidate{ID: id, ExternalID: key, File: res.File, SHA256: res.SHA256, Added: c.Added, Resume: res, Results: withID(results, id)}
		f.byID[id] = nc
		return &scoring.PutResult{Candidate: nc, Changed: true}, nil
	}
	f.next++
	id := "c" + strconv.Itoa(f.next)
	c := &scoring.Candidate{ID: id, ExternalID: key, File: res.File, SHA256: res.SHA256, Added: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), Resume: res, Results: withID(results, id)}
	f.byID[id] = c
	f.byKey[k] = id
	return &scoring.PutResult{Candidate: c, Created: true}, nil
}

func withID(rs []rules.Result, id string) map[string]rules.Result {
	m := map[string]rules.Result{}
	for _, r := range rs {
		r.Candidate = id
		m[r.Profile.ID] = r
	}
	return m
}

func (f *fakeStore) Get(id string) (*scoring.Candidate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.panicGet {
		panic("fake store: boom at /secret/path/store.go")
	}
	c, ok := f.byID[id]
	if !ok {
		return nil, scoring.ErrNotFound
	}
	return c, nil
}

func (f *fakeStore) Delete(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.byID[id]
	if !ok {
		return scoring.ErrNotFound
	}
	delete(f.byID, id)
	for k, v := range f.byKey {
		if v == c.ID {
			delete(f.byKey, k)
		}
	}
	return nil
}

func (f *fakeStore) Shortlist(ctx context.Context, q scoring.ShortlistQuery) (*scoring.ShortlistResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastQ = q
	if f.slErr != nil {
		return nil, f.slErr
	}
	var filter *rules.Filter
	if q.Where != "" {
		var err error
		if filter, err = f.profiles[q.Profile].CompileFilter(q.Where); err != nil {
			return nil, fmt.Errorf("scoring.Store.Shortlist: %w", err)
		}
	}
	var out scoring.ShortlistResult
	for _, c := range f.byID {
		for _, r := range c.Results {
			if filter != nil {
				if ok, err := filter.Match(c.Resume, &r, nil); err != nil || !ok {
					continue
				}
			}
			if r.Profile.ID == q.Profile && r.Score >= q.MinScore && (!q.Qualified || r.Qualified) {
				out.Entries = append(out.Entries, scoring.ShortlistEntry{ID: c.ID, ExternalID: c.ExternalID, File: c.File, Result: r})
			}
		}
	}
	sort.Slice(out.Entries, func(i, j int) bool {
		return scoring.Compare(&out.Entries[i].Result, &out.Entries[j].Result) < 0
	})
	out.Total, out.TotalExact = len(out.Entries), true
	if len(out.Entries) > q.Top {
		out.Entries = out.Entries[:q.Top]
	}
	return &out, nil
}

func (f *fakeStore) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.byID)
}

// resume returns a sample resume's bytes.
func resume(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "resumes", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// do sends a request to h and returns the recorded response.
func do(h http.Handler, method, target, key string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, body)
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// multipartBody returns a multipart form with a file and optional fields.
func multipartBody(t testing.TB, name string, data []byte, fields ...string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// decode decodes a JSON response into v, failing the test on an error.
func decode(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decoding %s: %v", w.Body.String(), err)
	}
}

// wantProblem checks that w is a problem document with status and returns
// it.
func wantProblem(t testing.TB, w *httptest.ResponseRecorder, status int) Problem {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status: got %d; want %d (body %s)", w.Code, status, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type: got %q; want application/problem+json", ct)
	}
	var p Problem
	decode(t, w, &p)
	if p.Status != status || p.Type == "" || p.Title == "" || p.Instance == "" {
		t.Errorf("problem: got %+v; want status %d with type, title and instance", p, status)
	}
	return p
}

// syncBuffer is a buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
