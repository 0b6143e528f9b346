package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

// Keys of the pages' tests: their secrets, and the keys as configured.
const (
	readSecret  = "ui-test-read-key"
	adminSecret = "ui-test-admin-key"
	noneSecret  = "ui-test-no-scope-key"
)

var uiKeys = []Key{
	{ID: "reader", Hash: HashKey(readSecret), Scopes: []string{ScopeRead}},
	{ID: "admin", Hash: HashKey(adminSecret), Scopes: []string{ScopeAdmin}},
	{ID: "webhooks-only", Hash: HashKey(noneSecret), Scopes: []string{"metrics"}},
}

// uiResumes are testdata/resumes parsed, once for all tests (scanned.pdf,
// which has no text, left out). The stores only read them.
var uiResumes = sync.OnceValues(func() ([]*parser.Resume, error) {
	dir := filepath.Join("..", "testdata", "resumes")
	files, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ps := &parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	var out []*parser.Resume
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			return nil, err
		}
		res, err := ps.ParseBytes(context.Background(), f.Name(), data)
		if err != nil || res.Status != parser.StatusOK {
			continue
		}
		out = append(out, res)
	}
	return out, nil
})

// uiServer is a Server over a scoring.Store in a temporary directory that
// holds the sample resumes (and any extra ones), scored with the built-in
// cso profile as of November 2026.
type uiServer struct {
	*Server
	clock *testClock
	ids   map[string]string // file name -> candidate id
}

// newUIServer returns a uiServer with the test keys and no rate limit;
// edit it before calling Handler.
func newUIServer(t testing.TB, extra ...*parser.Resume) *uiServer {
	t.Helper()
	resumes, err := uiResumes()
	if err != nil {
		t.Fatalf("parsing the sample resumes: %v", err)
	}
	p, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	st, err := scoring.OpenStore(t.TempDir(), scoring.StoreOptions{Profiles: []*rules.Profile{p}, Version: "test", Now: clock.now, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var reqs []scoring.PutRequest
	for _, r := range append(slices.Clone(resumes), extra...) {
		reqs = append(reqs, scoring.PutRequest{Resume: r, Key: "ats-" + r.File})
	}
	put, err := st.PutBatch(context.Background(), reqs)
	if err != nil {
		t.Fatalf("storing the sample resumes: %v", err)
	}
	u := &uiServer{clock: clock, ids: map[string]string{}}
	for _, pr := range put {
		u.ids[pr.Candidate.File] = pr.Candidate.ID
	}
	u.Server = &Server{
		Store:    st,
		Profiles: []*rules.Profile{p},
		Keys:     uiKeys,
		Version:  "test",
		Now:      clock.now,
		Limits:   Limits{RatePerKey: -1},
	}
	t.Cleanup(func() { u.Close() })
	return u
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// uiGet fetches path from h with the header lines given ("Name: value").
func uiGet(t testing.TB, h http.Handler, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, line := range header {
		k, v, _ := strings.Cut(line, ": ")
		req.Header.Add(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// uiPost sends a form to path.
func uiPost(t testing.TB, h http.Handler, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, line := range header {
		k, v, _ := strings.Cut(line, ": ")
		req.Header.Add(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

const bearerRead = "Authorization: Bearer " + readSecret

var rowRE = regexp.MustCompile(`<th scope="row" class="rowhead"><a href="([^"]*)">([^<]*)</a></th>`)

// rankedFiles returns the candidates' files of a shortlist page, in order,
// and their links.
func rankedFiles(body string) (files, links []string) {
	for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
		links = append(links, html.UnescapeString(m[1]))
		files = append(files, html.UnescapeString(m[2]))
	}
	return files, links
}

func TestUIAuth(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	tests := []struct {
		name     string
		path     string
		header   []string
		status   int
		location string
		contains string
	}{
		{"no key goes to sign-in", "/ui/", nil, http.StatusSeeOther, "/ui/login?next=%2Fui%2F", ""},
		{"sign-in keeps the page asked for", "/ui/candidates/c1?profile=cso&q=CISSP", nil, http.StatusSeeOther,
			"/ui/login?next=" + url.QueryEscape("/ui/candidates/c1?profile=cso&q=CISSP"), ""},
		{"wrong key", "/ui/", []string{"Authorization: Bearer not-a-key"}, http.StatusUnauthorized, "", "not one this server knows"},
		{"not a bearer", "/ui/", []string{"Authorization: Basic " + readSecret}, http.StatusUnauthorized, "", "not one this server knows"},
		{"key without read scope", "/ui/", []string{"Authorization: Bearer " + noneSecret}, http.StatusForbidden, "", "does not have read scope"},
		{"read scope", "/ui/", []string{bearerRead}, http.StatusOK, "", "Ranked candidates"},
		{"admin implies read", "/ui/", []string{"Authorization: Bearer " + adminSecret}, http.StatusOK, "", "Ranked candidates"},
		{"a stale cookie goes to sign-in", "/ui/", []string{"Cookie: sift_session=forged"}, http.StatusSeeOther, "/ui/login?next=%2Fui%2F", ""},
		{"sign-in page is open", "/ui/login", nil, http.StatusOK, "", `name="key"`},
		{"/ui is /ui/", "/ui", nil, http.StatusTemporaryRedirect, "/ui/", ""},
		{"unknown pages are pages", "/ui/nothing", nil, http.StatusNotFound, "", "Page not found"},
		{"stylesheet is open", "/ui/static/sift.css", nil, http.StatusOK, "", "@media print"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := uiGet(t, h, tt.path, tt.header...)
			if res.StatusCode != tt.status {
				t.Fatalf("GET %s: got status %d; want %d; body:\n%s", tt.path, res.StatusCode, tt.status, body)
			}
			if got := res.Header.Get("Location"); got != tt.location {
				t.Errorf("Location: got %q; want %q", got, tt.location)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body lacks %q; got:\n%s", tt.contains, body)
			}
			if strings.Contains(body, readSecret) || strings.Contains(body, HashKey(readSecret)) {
				t.Errorf("body shows the key or its hash")
			}
		})
	}
}

// signIn posts the sign-in form and returns the session cookie.
func signIn(t *testing.T, h http.Handler, secret string) *http.Cookie {
	t.Helper()
	res, body := uiPost(t, h, "/ui/login", url.Values{"key": {secret}, "next": {"/ui/?profile=cso"}}, "Origin: http://example.com")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: got status %d; want 303; body:\n%s", res.StatusCode, body)
	}
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("sign in: got no %s cookie; headers %v", sessionCookie, res.Header)
	return nil
}

func TestUISignInAndOut(t *testing.T) {
	s := newUIServer(t)
	clock := s.clock
	h := s.Handler()

	res, body := uiPost(t, h, "/ui/login", url.Values{"key": {"wrong"}, "next": {"/ui/"}})
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Errorf("wrong key: got status %d, cookies %v; want 401 and none", res.StatusCode, res.Cookies())
	}
	if !strings.Contains(body, `id="key-error"`) || !strings.Contains(body, "not one this server knows") {
		t.Errorf("wrong key: the form does not say why; got:\n%s", body)
	}
	if strings.Contains(body, `value="wrong"`) {
		t.Errorf("wrong key: the form echoes the key typed")
	}
	if res, _ := uiPost(t, h, "/ui/login", url.Values{"key": {noneSecret}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("key without read scope: got status %d; want 403", res.StatusCode)
	}

	res, _ = uiPost(t, h, "/ui/login", url.Values{"key": {readSecret}, "next": {"/ui/?profile=cso&qualified=1"}}, "Origin: http://example.com")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ui/?profile=cso&qualified=1" {
		t.Fatalf("sign in: got status %d to %q; want 303 to /ui/?profile=cso&qualified=1", res.StatusCode, res.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, x := range res.Cookies() {
		if x.Name == sessionCookie {
			c = x
		}
	}
	if c == nil {
		t.Fatalf("sign in: no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/ui/" || c.Secure {
		t.Errorf("cookie: got HttpOnly %v, SameSite %v, Path %q, Secure %v; want true, Strict, /ui/, false (no TLS)", c.HttpOnly, c.SameSite, c.Path, c.Secure)
	}
	if len(c.Value) < 40 || strings.Contains(c.Value, readSecret) || strings.Contains(c.Value, HashKey(readSecret)) || strings.Contains(c.Value, "reader") {
		t.Errorf("cookie value %q: want an opaque random id, without the key, its hash or its id", c.Value)
	}

	cookie := "Cookie: " + c.Name + "=" + c.Value
	// Signed in, the sign-in page goes on to the page asked for.
	if res, _ := uiGet(t, h, "/ui/login?next=%2Fui%2F%3Fq%3DCISSP", cookie); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ui/?q=CISSP" {
		t.Errorf("sign-in page when signed in: got status %d to %q; want 303 to /ui/?q=CISSP", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = uiGet(t, h, "/ui/", cookie)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Sign out") || !strings.Contains(body, "<strong>reader</strong>") {
		t.Fatalf("with the session: got status %d; want 200 with a sign-out button; body:\n%s", res.StatusCode, body)
	}

	// Sign-out from another site is refused; from the page it ends the session.
	if res, _ := uiPost(t, h, "/ui/logout", nil, cookie, "Origin: https://evil.example"); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-out: got status %d; want 403", res.StatusCode)
	}
	res, _ = uiPost(t, h, "/ui/logout", nil, cookie, "Sec-Fetch-Site: same-origin")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/ui/login?signed_out=1" {
		t.Errorf("sign out: got status %d to %q; want 303 to /ui/login?signed_out=1", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := uiGet(t, h, "/ui/", cookie); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign-out the old cookie: got status %d; want 303 to sign in", res.StatusCode)
	}

	// A session ends after sessionTTL.
	c = signIn(t, h, readSecret)
	cookie = "Cookie: " + c.Name + "=" + c.Value
	clock.advance(sessionTTL - time.Minute)
	if res, _ := uiGet(t, h, "/ui/", cookie); res.StatusCode != http.StatusOK {
		t.Errorf("before expiry: got status %d; want 200", res.StatusCode)
	}
	clock.advance(2 * time.Minute)
	if res, _ := uiGet(t, h, "/ui/", cookie); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after expiry: got status %d; want 303 to sign in", res.StatusCode)
	}
}

func TestUISignInCSRF(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	form := url.Values{"key": {readSecret}}
	for _, header := range []string{
		"Origin: https://evil.example",
		"Sec-Fetch-Site: cross-site",
		"Referer: https://evil.example/page",
	} {
		if res, _ := uiPost(t, h, "/ui/login", form, header); res.StatusCode != http.StatusForbidden || len(res.Cookies()) != 0 {
			t.Errorf("sign-in with %q: got status %d, cookies %v; want 403 and none", header, res.StatusCode, res.Cookies())
		}
	}
	for _, header := range []string{"Origin: http://example.com", "Sec-Fetch-Site: same-origin", "Referer: http://example.com/ui/login"} {
		if res, body := uiPost(t, h, "/ui/login", form, header); res.StatusCode != http.StatusSeeOther {
			t.Errorf("sign-in with %q: got status %d; want 303; body:\n%s", header, res.StatusCode, body)
		}
	}
}

func TestUISecureCookieOverTLS(t *testing.T) {
	s := newUIServer(t)
	req := httptest.NewRequest(http.MethodPost, "https://example.com/ui/login", strings.NewReader(url.Values{"key": {readSecret}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.TLS = &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	cs := rec.Result().Cookies()
	if len(cs) != 1 || !cs[0].Secure {
		t.Errorf("over TLS: got cookies %v; want one Secure session cookie", cs)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "/ui/",
		"/ui/":                       "/ui/",
		"/ui/?profile=cso&q=CISSP":   "/ui/?profile=cso&q=CISSP",
		"/ui/candidates/a?profile=b": "/ui/candidates/a?profile=b",
		"//evil.example/ui/":         "/ui/",
		"https://evil.example/ui/":   "/ui/",
		"/\\evil.example":            "/ui/",
		"/ui/\\..\\x":                "/ui/",
		"/v1/candidates":             "/ui/",
		"/ui/login?next=/ui/":        "/ui/",
		"javascript:alert(1)":        "/ui/",
		"/ui/\r\nSet-Cookie: x=y":    "/ui/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSessionsBounded(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ss := newSessions(3, time.Hour, clock.now)
	k := &Key{ID: "k", Hash: "h"}
	var ids []string
	for range 5 {
		id, _, err := ss.create(k)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		clock.advance(time.Second)
	}
	if got := ss.len(); got != 3 {
		t.Errorf("got %d sessions; want 3", got)
	}
	for i, id := range ids {
		_, ok := ss.get(id)
		if want := i >= 2; ok != want {
			t.Errorf("session %d held: got %v; want %v", i, ok, want)
		}
	}
	clock.advance(time.Hour)
	if _, ok := ss.get(ids[4]); ok {
		t.Errorf("a session past its hour: got held; want expired")
	}
}

func TestUIShortlist(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	tests := []struct {
		query string
		files []string // the ranking shown, in order
		total int
	}{
		{"", []string{"cso_strong.pdf", "cso_strong_strict.docx", "no_degree.docx", "cso_near_miss.pdf", "security_manager.pdf", "ops_manager_dates_left.pdf", "it_director.txt", "pastry_chef.md", "keyword_stuffed.pdf"}, 9},
		{"profile=cso&qualified=1&q=CISSP", []string{"cso_strong.pdf", "cso_strong_strict.docx"}, 2},
		{"profile=cso&top=2", []string{"cso_strong.pdf", "cso_strong_strict.docx"}, 9},
		{"profile=cso&min_score=60", []string{"cso_strong.pdf", "cso_strong_strict.docx", "no_degree.docx", "cso_near_miss.pdf"}, 4},
		{"profile=cso&where=" + url.QueryEscape(`months("security_management") >= 60`), []string{"cso_strong.pdf", "cso_strong_strict.docx", "no_degree.docx", "security_manager.pdf", "ops_manager_dates_left.pdf"}, 5},
		{"profile=cso&q=pastry", []string{"pastry_chef.md"}, 1},
		{"profile=cso&qualified=on&q=CISSP", []string{"cso_strong.pdf", "cso_strong_strict.docx"}, 2},
		{"profile=cso&qualified=false&top=3", []string{"cso_strong.pdf", "cso_strong_strict.docx", "no_degree.docx"}, 9},
		{"profile=cso&q=nowhere-to-be-found", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, body := uiGet(t, h, "/ui/?"+tt.query, bearerRead)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("got status %d; want 200; body:\n%s", res.StatusCode, body)
			}
			files, links := rankedFiles(body)
			if !slices.Equal(files, tt.files) {
				t.Errorf("got ranking %q; want %q", files, tt.files)
			}
			if want := fmt.Sprintf("%d of %d matching", len(tt.files), tt.total); !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
			if len(tt.files) == 0 && !strings.Contains(body, "No candidate matches these filters.") {
				t.Errorf("empty list: page does not say so")
			}
			// The candidate links carry the form, for the way back.
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil || !strings.HasPrefix(u.Path, "/ui/candidates/") || u.Query().Get("profile") != "cso" {
					t.Errorf("candidate link %q: want /ui/candidates/ID?profile=cso&...", l)
				}
			}
		})
	}

	// The form shows what was asked, and the headers keep the page private.
	res, body := uiGet(t, h, "/ui/?profile=cso&qualified=1&q=CISSP&top=5&min_score=10", bearerRead)
	for _, want := range []string{
		`<option value="cso" selected>`, `id="qualified" name="qualified" type="checkbox" value="1" checked`,
		`value="CISSP"`, `value="5"`, `value="10"`, `<label for="where">`, `<caption`, `<th scope="col" class="num">Rank</th>`,
		`<link rel="stylesheet" href="/ui/static/sift.css">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("shortlist page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Errorf("shortlist page has a script")
	}
	for k, want := range map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-store",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": contentSecurity,
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: got %q; want %q", k, got, want)
		}
	}
}

func TestUIShortlistBadFilters(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	tests := []struct {
		query, field, message string
	}{
		{"where=" + url.QueryEscape(`months("security_management" >=`), "where", "Invalid filter"},
		{"where=" + url.QueryEscape(`nosuchfact > 3`), "where", "undeclared reference"},
		{"q=" + url.QueryEscape(`"incident response`), "q", "Invalid query"},
		{"top=many", "top", "whole number from 1 to 1000"},
		{"top=0", "top", "whole number from 1 to 1000"},
		{"min_score=101", "min_score", "score from 0 to 100"},
		{"min_score=NaN", "min_score", "score from 0 to 100"},
		{"profile=nurse", "profile", "There is no profile &#34;nurse&#34;"},
		{"where=" + strings.Repeat("x", uiMaxQuery+1), "where", "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.query[:min(len(tt.query), 40)], func(t *testing.T) {
			res, body := uiGet(t, h, "/ui/?"+tt.query, bearerRead)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("got status %d; want 400", res.StatusCode)
			}
			// The message sits in the field's own block, which is marked invalid.
			block := fieldBlock(body, tt.field)
			if block == "" {
				t.Fatalf("no field %q on the page:\n%s", tt.field, body)
			}
			if !strings.Contains(block, `id="`+tt.field+`-error"`) || !strings.Contains(block, tt.message) {
				t.Errorf("field %s: error %q not shown beside it; got block:\n%s", tt.field, tt.message, block)
			}
			if !strings.Contains(block, `aria-invalid="true"`) || !strings.Contains(block, tt.field+`-error"`) {
				t.Errorf("field %s: not marked invalid for assistive technology; got block:\n%s", tt.field, block)
			}
			if files, _ := rankedFiles(body); len(files) != 0 {
				t.Errorf("a bad filter still listed candidates: %q", files)
			}
			if !strings.Contains(body, "<form") || !strings.Contains(body, "Ranked candidates") {
				t.Errorf("a bad filter gave a bare error page")
			}
		})
	}
	// The bad value is kept in the field, escaped, so it can be corrected.
	_, body := uiGet(t, h, "/ui/?where="+url.QueryEscape(`"<b>" in certifications &&`), bearerRead)
	if !strings.Contains(body, `>&#34;&lt;b&gt;&#34; in certifications &amp;&amp;</textarea>`) {
		t.Errorf("the bad filter is not kept, escaped, in its field:\n%s", fieldBlock(body, "where"))
	}
}

// fieldBlock returns the <div class="field ..."> of a form field, from its
// start to the next field's.
func fieldBlock(body, name string) string {
	i := strings.Index(body, `<label for="`+name+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], `<div class="field`)
	if start < 0 {
		return ""
	}
	end := strings.Index(body[i:], `<div class="`)
	if end < 0 {
		return body[start:]
	}
	return body[start : i+end]
}

var markRE = regexp.MustCompile(`<mark id="(ev-\d+)" data-start="(\d+)" data-end="(\d+)" title="[^"]*">((?:<span id="ev-\d+"></span>)*)([^<]*)</mark>`)

// marks returns the spans marked on a page: start and end offsets and the
// text shown, unescaped.
func marks(t *testing.T, body string) (spans [][2]int, texts []string) {
	t.Helper()
	for _, m := range markRE.FindAllStringSubmatch(body, -1) {
		start, _ := strconv.Atoi(m[2])
		end, _ := strconv.Atoi(m[3])
		spans = append(spans, [2]int{start, end})
		texts = append(texts, html.UnescapeString(m[5]))
	}
	return spans, texts
}

func TestUICandidate(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	id := s.ids["cso_strong.pdf"]
	c, err := s.Store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	res, body := uiGet(t, h, "/ui/candidates/"+id+"?profile=cso&qualified=1&q=CISSP", bearerRead)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("got status %d; want 200; body:\n%s", res.StatusCode, body)
	}
	spans, texts := marks(t, body)
	if len(spans) == 0 {
		t.Fatalf("no evidence marked on the page")
	}
	// Every mark shows exactly the resume text at its offsets.
	for i, sp := range spans {
		if want := c.Resume.Text[sp[0]:sp[1]]; texts[i] != want {
			t.Errorf("mark %d at [%d,%d): got %q; want resume.Text[%d:%d] = %q", i, sp[0], sp[1], texts[i], sp[0], sp[1], want)
		}
	}
	// Every piece of evidence is inside a mark, and is linked from its
	// requirement.
	r := c.Results["cso"]
	n := 0
	for _, o := range r.Requirements {
		for _, e := range o.Evidence {
			n++
			in := slices.ContainsFunc(spans, func(sp [2]int) bool { return sp[0] <= e.Start && e.End <= sp[1] })
			if !in {
				t.Errorf("%s evidence %q at [%d,%d) is not marked", o.ID, e.Text, e.Start, e.End)
			}
			if want := fmt.Sprintf(`<a href="#ev-%d">%s</a>`, n, html.EscapeString(e.Text)); !strings.Contains(body, want) {
				t.Errorf("%s evidence %q: no link %s", o.ID, e.Text, want)
			}
		}
		if o.Detail != "" && !strings.Contains(body, html.EscapeString(o.Detail)) {
			t.Errorf("%s: page lacks its detail %q", o.ID, o.Detail)
		}
	}
	if want := fmt.Sprintf("with the %d evidence spans marked", n); !strings.Contains(body, want) {
		t.Errorf("page lacks %q", want)
	}
	for _, want := range []string{
		`<h1>cso_strong.pdf</h1>`, "<code>ats-cso_strong.pdf</code>", "added 2026-11-20 10:00 UTC", "Score 100.0",
		`href="/ui/?profile=cso&amp;q=CISSP&amp;qualified=1"`, // back to the same list
		"Evidence in the resume text", `<section class="candidate"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("candidate page lacks %q", want)
		}
	}
	if strings.Contains(body, "Hidden text left out") {
		t.Errorf("a resume without hidden text says it had some")
	}
}

func TestUICandidateHiddenText(t *testing.T) {
	s := newUIServer(t)
	id := s.ids["keyword_stuffed.pdf"]
	c, err := s.Store.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Resume.HiddenText) == 0 {
		t.Fatalf("keyword_stuffed.pdf has no hidden text; the sample changed")
	}
	_, body := uiGet(t, s.Handler(), "/ui/candidates/"+id, bearerRead)
	chars := 0
	for _, ht := range c.Resume.HiddenText {
		chars += len([]rune(ht.Text))
		if strings.Contains(body, html.EscapeString(strings.TrimSpace(ht.Text))) {
			t.Errorf("page shows the hidden text %q", ht.Text)
		}
	}
	if !strings.Contains(body, `<a href="/ui/">&larr; Back to the shortlist</a>`) && !strings.Contains(body, `<a href="/ui/">← Back to the shortlist</a>`) {
		t.Errorf("candidate page without a list query: the way back is not plain /ui/")
	}
	want := fmt.Sprintf("the document hid %d characters in %d runs (", chars, len(c.Resume.HiddenText))
	if !strings.Contains(body, want) || !strings.Contains(body, "white text") {
		t.Errorf("page lacks %q with the reasons", want)
	}
}

func TestUICandidateErrors(t *testing.T) {
	s := newUIServer(t)
	h := s.Handler()
	for _, tt := range []struct {
		path   string
		status int
		says   string
	}{
		{"/ui/candidates/nobody", http.StatusNotFound, "No such candidate"},
		{"/ui/candidates/" + s.ids["cso_strong.pdf"] + "?profile=nurse", http.StatusNotFound, "There is no profile &#34;nurse&#34;"},
		{"/ui/nothing-here", http.StatusNotFound, "Page not found"},
	} {
		res, body := uiGet(t, h, tt.path, bearerRead)
		if res.StatusCode != tt.status || !strings.Contains(body, tt.says) || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: got status %d, %s, body lacking %q? ; want %d, an HTML page saying it\n%s", tt.path, res.StatusCode, res.Header.Get("Content-Type"), tt.says, tt.status, body)
		}
	}
}

// hostile is a resume whose every field tries to inject markup: its name,
// its text around the terms the cso profile looks for, the facts the
// explanations quote, and its hidden text.
func hostile() *parser.Resume {
	text := "Summary\n<script>alert('resume')</script> Holds the CISSP </mark><img src=x onerror=alert(1)> & led HIPAA \"incident response\".\n" +
		"Experience\nChief Security Officer <script>alert('title')</script>\nEducation\nB.S. Computer Science <b>bold</b>\n"
	return &parser.Resume{
		File: `<img src=x onerror=alert(2)>.pdf`, Format: parser.FormatText, Status: parser.StatusOK, Text: text,
		AsOf:           parser.Month{Year: 2026, Month: 11},
		HiddenText:     []parser.HiddenText{{Text: "<script>hidden()</script> CISSP CISSP", Reason: "white_text", Page: 1}},
		Certifications: []string{"CISSP"},
		Positions: []parser.Position{{Title: "Chief Security Officer <script>alert('title')</script>", Organization: "<i>Org</i>",
			Start: parser.Month{Year: 2015, Month: 1}, Current: true, Months: 143, Offset: strings.Index(text, "Chief")}},
		Education:        []parser.Education{{Level: parser.LevelBachelor, Degree: "B.S.", Field: "Computer Science <b>bold</b>", Institution: "<i>U</i>", Year: 2010}},
		ExperienceMonths: 143,
	}
}

func TestUIEscapesResumeContent(t *testing.T) {
	res := hostile()
	s := newUIServer(t, res)
	h := s.Handler()
	id := s.ids[res.File]
	if id == "" {
		t.Fatalf("the hostile resume was not stored")
	}
	for _, path := range []string{"/ui/?profile=cso", "/ui/candidates/" + id + "?profile=cso"} {
		resp, body := uiGet(t, h, path, bearerRead)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: got status %d; want 200", path, resp.StatusCode)
		}
		low := strings.ToLower(body)
		for _, bad := range []string{"<script", "<img", "<b>", "<i>", "onerror=alert(1)>"} {
			if strings.Contains(low, bad) {
				t.Errorf("GET %s: page contains %q unescaped", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;.pdf") {
			t.Errorf("GET %s: the hostile file name is not shown escaped", path)
		}
	}
	_, body := uiGet(t, h, "/ui/candidates/"+id+"?profile=cso", bearerRead)
	spans, texts := marks(t, body)
	var shown []string
	for i, sp := range spans {
		if want := res.Text[sp[0]:sp[1]]; texts[i] != want {
			t.Errorf("mark at [%d,%d): got %q; want %q", sp[0], sp[1], texts[i], want)
		}
		shown = append(shown, texts[i])
	}
	for _, want := range []string{"CISSP", "HIPAA", "incident response"} {
		if !slices.Contains(shown, want) {
			t.Errorf("marks %q lack %q", shown, want)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#39;resume&#39;)&lt;/script&gt; Holds the <mark",
		"&lt;/mark&gt;&lt;img src=x onerror=alert(1)&gt; &amp; led <mark",
		"Computer Science &lt;b&gt;bold&lt;/b&gt;",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("candidate page lacks %q", want)
		}
	}
	if strings.Contains(body, "hidden()") || !strings.Contains(body, "Hidden text left out") {
		t.Errorf("candidate page shows the hidden text, or does not say it left it out")
	}
}

func TestMarkText(t *testing.T) {
	text := "CISSP and CISM; naïve SOC"
	tests := []struct {
		name   string
		spans  []span
		want   string
		placed []bool
	}{
		{"none", nil, "CISSP and CISM; naïve SOC", []bool{}},
		{"two", []span{{start: 10, end: 14, anchor: "ev-2", label: "certs"}, {start: 0, end: 5, anchor: "ev-1", label: "certs"}},
			`<mark id="ev-1" data-start="0" data-end="5" title="certs">CISSP</mark> and <mark id="ev-2" data-start="10" data-end="14" title="certs">CISM</mark>; naïve SOC`,
			[]bool{true, true}},
		{"overlap merges", []span{{start: 0, end: 5, anchor: "ev-1", label: "a"}, {start: 2, end: 9, anchor: "ev-2", label: "b"}, {start: 3, end: 4, anchor: "ev-3", label: "a"}},
			`<mark id="ev-1" data-start="0" data-end="9" title="a; b"><span id="ev-2"></span><span id="ev-3"></span>CISSP and</mark> CISM; naïve SOC`,
			[]bool{true, true, true}},
		{"adjacent stay apart", []span{{start: 0, end: 5, anchor: "ev-1"}, {start: 5, end: 9, anchor: "ev-2"}},
			`<mark id="ev-1" data-start="0" data-end="5" title="">CISSP</mark><mark id="ev-2" data-start="5" data-end="9" title=""> and</mark> CISM; naïve SOC`,
			[]bool{true, true}},
		{"bad offsets", []span{{start: -1, end: 3}, {start: 5, end: 99}, {start: 4, end: 4}, {start: 19, end: 21}, {start: 23, end: 26, anchor: "ev-5", label: "<soc>"}},
			`CISSP and CISM; naïve <mark id="ev-5" data-start="23" data-end="26" title="&lt;soc&gt;">SOC</mark>`,
			[]bool{false, false, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, placed := markText(text, tt.spans)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !slices.Equal(placed, tt.placed) {
				t.Errorf("placed: got %v; want %v", placed, tt.placed)
			}
		})
	}
}

func TestUIRateLimit(t *testing.T) {
	s := newUIServer(t)
	s.Limits = Limits{RatePerKey: 0.001, Burst: 1}
	h := s.Handler()
	if res, _ := uiGet(t, h, "/ui/", bearerRead); res.StatusCode != http.StatusOK {
		t.Fatalf("first request: got status %d; want 200", res.StatusCode)
	}
	res, body := uiGet(t, h, "/ui/", bearerRead)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many requests") {
		t.Errorf("second request: got status %d, Retry-After %q; want 429 with Retry-After and a page", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

func TestUIStylesheet(t *testing.T) {
	s := newUIServer(t)
	res, body := uiGet(t, s.Handler(), "/ui/static/sift.css")
	if res.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("Content-Type: got %q; want text/css; charset=utf-8", res.Header.Get("Content-Type"))
	}
	for _, want := range []string{"--met:", "mark {", "@media print", ".field-error"} { // the report's rules, then the pages'
		if !strings.Contains(body, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	if strings.Contains(body, "<style>") || strings.Contains(body, "</style>") {
		t.Errorf("stylesheet holds <style> tags")
	}
}

func TestFieldError(t *testing.T) {
	for _, tt := range []struct {
		err, sentinel error
		want          string
	}{
		{fmt.Errorf("scoring.Store.Shortlist: %w", fmt.Errorf(`%w "months(\"x\" >=": does not compile: 1:9: Syntax error`, rules.ErrInvalidFilter)),
			rules.ErrInvalidFilter, "Invalid filter: does not compile: 1:9: Syntax error"},
		{fmt.Errorf("scoring.Store.Shortlist: %w: parse error: syntax error", scoring.ErrInvalidQuery),
			scoring.ErrInvalidQuery, "Invalid query: parse error: syntax error"},
		{rules.ErrInvalidFilter, rules.ErrInvalidFilter, "Invalid filter"},
	} {
		if got := fieldError(tt.err, tt.sentinel); got != tt.want {
			t.Errorf("fieldError(%q) = %q; want %q", tt.err, got, tt.want)
		}
	}
}
