package server

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"sift/rules"
	"sift/scoring"
)

// TestRealStore runs the API over a scoring.Store in a temporary directory.
func TestRealStore(t *testing.T) {
	profiles := []*rules.Profile{csoProfile(t)}
	st, err := scoring.OpenStore(t.TempDir(), scoring.StoreOptions{
		Profiles: profiles, Version: "test", NoSync: true,
		Now: func() time.Time { return time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, _ := newTestServer(t)
	s.Store = st
	h := s.Handler()

	ids := map[string]string{}
	for _, name := range []string{"cso_strong.pdf", "cso_near_miss.pdf", "security_manager.pdf", "it_director.txt", "pastry_chef.md", "no_degree.docx"} {
		body, ct := multipartBody(t, name, resume(t, name), "external_id", "ats-"+name)
		w := do(h, "POST", "/v1/candidates", writeKey, body, "Content-Type", ct)
		if w.Code != 201 {
			t.Fatalf("POST %s: got %d; want 201 (%s)", name, w.Code, w.Body)
		}
		var c candidate
		decode(t, w, &c)
		if len(c.Results) != 1 || c.Results[0].Candidate != c.ID {
			t.Fatalf("POST %s: results %+v; want one, for candidate %s", name, c.Results, c.ID)
		}
		ids[name] = c.ID
	}
	// Idempotent: the same again is 200 with the same id; new content under
	// the same external id replaces it.
	w := do(h, "POST", "/v1/candidates?external_id=ats-cso_strong.pdf", writeKey, bytes.NewReader(resume(t, "cso_strong.pdf")))
	var again candidate
	decode(t, w, &again)
	if w.Code != 200 || again.ID != ids["cso_strong.pdf"] {
		t.Errorf("POST again: got %d, id %s; want 200, id %s", w.Code, again.ID, ids["cso_strong.pdf"])
	}

	w = do(h, "GET", "/v1/candidates/"+ids["cso_strong.pdf"]+"/results/cso", readKey, nil)
	var res rules.Result
	decode(t, w, &res)
	if w.Code != 200 || res.Score < 70 || len(res.Requirements) == 0 {
		t.Errorf("GET result: got %d, score %g; want 200 with a strong result", w.Code, res.Score)
	}

	for _, tt := range []struct {
		query string
		first string
		n     int
	}{
		{"top=3", "cso_strong.pdf", 3},
		{"q=" + url.QueryEscape("+CISSP"), "cso_strong.pdf", -1},
		{"qualified=true&min_score=50", "cso_strong.pdf", -1},
		{"where=" + url.QueryEscape(`months("security_management") >= 36`), "cso_strong.pdf", -1},
	} {
		w := do(h, "GET", "/v1/profiles/cso/shortlist?"+tt.query, readKey, nil)
		if w.Code != 200 {
			t.Errorf("shortlist?%s: got %d; want 200 (%s)", tt.query, w.Code, w.Body)
			continue
		}
		var sl shortlistJSON
		decode(t, w, &sl)
		if len(sl.Candidates) == 0 || sl.Candidates[0].ID != ids[tt.first] || (tt.n >= 0 && len(sl.Candidates) != tt.n) {
			t.Errorf("shortlist?%s: got %+v; want %s first (and %d entries)", tt.query, sl.Candidates, tt.first, tt.n)
		}
	}
	for _, tt := range []struct{ query, param string }{
		{"q=" + url.QueryEscape(`"unclosed`), "q"},
		{"where=" + url.QueryEscape(`nonsense >`), "where"},
		{"where=" + url.QueryEscape(`months("astronaut") > 1`), "where"},
	} {
		p := wantProblem(t, do(h, "GET", "/v1/profiles/cso/shortlist?"+tt.query, readKey, nil), 400)
		if p.Param != tt.param {
			t.Errorf("shortlist?%s: param %q; want %q", tt.query, p.Param, tt.param)
		}
	}

	id := ids["pastry_chef.md"]
	if w := do(h, "DELETE", "/v1/candidates/"+id, adminKey, nil); w.Code != 204 {
		t.Fatalf("DELETE: got %d; want 204 (%s)", w.Code, w.Body)
	}
	wantProblem(t, do(h, "GET", "/v1/candidates/"+id, readKey, nil), 404)
	if st.Len() != 5 {
		t.Errorf("after DELETE: %d candidates; want 5", st.Len())
	}

	if w := do(h, "GET", "/readyz", "", nil); w.Code != 200 {
		t.Errorf("/readyz: got %d; want 200", w.Code)
	}
	st.Close()
	wantProblem(t, do(h, "GET", "/readyz", "", nil), 503)
	wantProblem(t, do(h, "GET", "/v1/candidates/"+ids["cso_strong.pdf"], readKey, nil), 503)
	if w := do(h, "GET", "/healthz", "", nil); w.Code != 200 {
		t.Errorf("/healthz: got %d; want 200", w.Code)
	}
}
