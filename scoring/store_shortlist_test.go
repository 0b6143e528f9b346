package scoring

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"sift/parser"
	"sift/rules"
)

// TestStoreShortlist compares shortlists with a brute-force ranking of every
// stored candidate: filters applied to the full resumes, results sorted
// with Rank.
func TestStoreShortlist(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	rs := randomResumes(t, 12, 60)
	var reqs []PutRequest
	for _, r := range rs {
		reqs = append(reqs, PutRequest{Resume: r, Key: r.File})
	}
	// Equal scores: the same content under other keys, one under another
	// file name.
	copyA, copyB := *rs[0], *rs[0]
	copyA.File = "0-first.txt"
	reqs = append(reqs, PutRequest{Resume: &copyA, Key: "copy-a"}, PutRequest{Resume: &copyB, Key: "copy-b"})
	if _, err := s.PutBatch(ctx, reqs); err != nil {
		t.Fatal(err)
	}
	var all []*Candidate
	for _, id := range storeIDs(s) {
		c, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}

	word := func(w string) func(*Candidate) bool {
		re := regexp.MustCompile(`(?i)\b` + w + `\b`)
		return func(c *Candidate) bool { return re.MatchString(c.Resume.Text) }
	}
	tests := []struct {
		name string
		q    ShortlistQuery
		text func(*Candidate) bool // what q.Text matches
	}{
		{"all", ShortlistQuery{Profile: "cso", Top: 10}, nil},
		{"default profile and top", ShortlistQuery{}, nil},
		{"min score and qualified", ShortlistQuery{Profile: "cso", Top: 5, MinScore: 40, Qualified: true}, nil},
		{"text", ShortlistQuery{Profile: "cso", Top: 10, Text: "CISSP"}, word("CISSP")},
		{"text all words", ShortlistQuery{Profile: "cso", Top: 10, Text: "+HIPAA +CISSP"}, func(c *Candidate) bool { return word("HIPAA")(c) && word("CISSP")(c) }},
		{"text field", ShortlistQuery{Profile: "itops", Top: 10, Text: "titles:administrator"}, func(c *Candidate) bool {
			return slices.ContainsFunc(c.Resume.Positions, func(p parser.Position) bool { return strings.Contains(p.Title, "Administrator") })
		}},
		{"text score fields", ShortlistQuery{Profile: "itops", Top: 10, Text: "+scores.cso.tier:possible +scores.cso.score:>=50"}, func(c *Candidate) bool {
			return c.Results["cso"].Tier == "possible" && c.Results["cso"].Score >= 50
		}},
		{"where months and certifications", ShortlistQuery{Profile: "cso", Top: 3, MinScore: 20, ExactTotal: true,
			Where: `months("security_management") >= 24 && "CISSP" in certifications`}, nil},
		{"where score", ShortlistQuery{Profile: "itops", Top: 10, ExactTotal: true, Where: `degree_level >= 2 && score > 30.0`}, nil},
		{"where has_term and tier", ShortlistQuery{Profile: "cso", Top: 5, ExactTotal: true, Where: `has_term("HIPAA") && tier != "no"`}, nil},
		{"where positions", ShortlistQuery{Profile: "cso", Top: 4, ExactTotal: true, Text: "security",
			Where: `positions.exists(p, p.current && p.months >= 12) && experience_months > 60`}, word("security")},
		{"where failing on some", ShortlistQuery{Profile: "cso", Top: 5, ExactTotal: true, Where: `positions[3].months > 0`}, nil},
		{"top above matches", ShortlistQuery{Profile: "cso", Top: 500, Qualified: true}, nil},
	}
	// Small windows and blocks, so that text queries go through several
	// windows and rankings through several blocks.
	defer func(w int, share float64, b int, budget time.Duration) {
		minWindow, windowShare, rankBlock, countBudget = w, share, b, budget
	}(minWindow, windowShare, rankBlock, countBudget)
	countBudget = time.Minute // exact totals, however slow the machine
	for _, small := range []bool{false, true} {
		if small {
			minWindow, windowShare, rankBlock = 2, 0.05, 3
			s.mu.Lock()
			s.buildRanks()
			s.mu.Unlock()
		}
		before := s.windows.Load()
		texts := 0
		for _, tt := range tests {
			testShortlistQuery(t, s, all, small, tt.name, tt.q, tt.text)
			if tt.q.Text != "" {
				texts++
			}
		}
		if n := int(s.windows.Load() - before); small && n < 2*texts {
			t.Errorf("small windows: %d text queries searched %d windows; want several each", texts, n)
		}
	}

	// A count that takes too long is estimated; the entries are the same.
	q0 := ShortlistQuery{Profile: "cso", Top: 1, Text: "security"}
	want, err := s.Shortlist(ctx, q0)
	if err != nil {
		t.Fatal(err)
	}
	countBudget = 0
	got, err := s.Shortlist(ctx, q0)
	if err != nil {
		t.Fatal(err)
	}
	countBudget = time.Minute
	if !reflect.DeepEqual(ids(got.Entries), ids(want.Entries)) || got.TotalExact && got.Total != want.Total {
		t.Errorf("count out of time: got %v, total %d (exact %v); want %v, total %d", ids(got.Entries), got.Total, got.TotalExact, ids(want.Entries), want.Total)
	}

	// Without ExactTotal, a total may be an estimate, from a sample; the
	// entries are the same. A sample of every candidate estimates exactly,
	// once Where may be evaluated on all of it: estimateBudget is lifted,
	// or a slow moment cuts the evaluation short.
	defer func(n int, d time.Duration) { sampleSize, estimateBudget = n, d }(sampleSize, estimateBudget)
	estimateBudget = time.Minute
	for _, q := range []ShortlistQuery{
		{Profile: "cso", Top: 2, Where: `"CISSP" in certifications`},
		{Profile: "cso", Top: 2, Text: "security", Where: `experience_months > 24`},
		{Profile: "itops", Top: 1, Qualified: true, Where: `degree_level >= 2`},
	} {
		q.ExactTotal = true
		exact, err := s.Shortlist(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		q.ExactTotal = false
		for _, size := range []int{1000, 4} {
			sampleSize = size
			est, err := s.Shortlist(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(est.Entries), ids(exact.Entries)) {
				t.Errorf("%+v, sample %d: got entries %v; want %v", q, size, ids(est.Entries), ids(exact.Entries))
			}
			if (est.TotalExact || size == 1000) && est.Total != exact.Total {
				t.Errorf("%+v, sample %d: got total %d (exact %v); want %d", q, size, est.Total, est.TotalExact, exact.Total)
			}
			if est.Total > s.Len() {
				t.Errorf("%+v, sample %d: estimated %d of %d candidates", q, size, est.Total, s.Len())
			}
		}
	}
}

func testShortlistQuery(t *testing.T, s *Store, all []*Candidate, small bool, name string, q ShortlistQuery, text func(*Candidate) bool) {
	if small {
		name += " small windows"
	}
	t.Run(name, func(t *testing.T) {
		ctx := context.Background()
		got, err := s.Shortlist(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		pi, _ := s.profileIndex(q.Profile)
		p := s.profiles[pi]
		want, total := bruteShortlist(t, s, all, p, q, text)
		if got.Total != total || !got.TotalExact {
			t.Errorf("got total %d (exact %v); want %d", got.Total, got.TotalExact, total)
		}
		if !reflect.DeepEqual(ids(got.Entries), ids(want)) {
			t.Errorf("got %v; want %v", ids(got.Entries), ids(want))
		}
		for i := range min(len(got.Entries), len(want)) {
			if !reflect.DeepEqual(got.Entries[i], want[i]) {
				t.Errorf("entry %d differs from the stored candidate's", i)
			}
		}
		if len(want) < 2 {
			t.Logf("only %d entries: a weak test", len(want))
		}
	})
}

// bruteShortlist ranks every candidate for q the slow way.
func bruteShortlist(t *testing.T, s *Store, all []*Candidate, p *rules.Profile, q ShortlistQuery, text func(*Candidate) bool) ([]ShortlistEntry, int) {
	t.Helper()
	var f *rules.Filter
	if q.Where != "" {
		var err error
		if f, err = p.CompileFilter(q.Where); err != nil {
			t.Fatal(err)
		}
	}
	var results []rules.Result
	byID := map[string]*Candidate{}
	for _, c := range all {
		r := c.Results[p.ID]
		if r.Score < q.MinScore || q.Qualified && !r.Qualified || text != nil && !text(c) {
			continue
		}
		if f != nil {
			m := matcherFor(t, c.Resume)
			ok, err := f.Match(asOfView(c.Resume, r.AsOf), &r, m)
			if err != nil || !ok { // a candidate Where fails on does not pass
				continue
			}
		}
		results = append(results, r)
		byID[c.ID] = c
	}
	Rank(results)
	top := q.Top
	if top == 0 {
		top = DefaultTop
	}
	var out []ShortlistEntry
	for _, r := range results[:min(top, len(results))] {
		c := byID[r.Candidate]
		out = append(out, ShortlistEntry{ID: c.ID, ExternalID: c.ExternalID, File: c.File, Result: r})
	}
	return out, len(results)
}

func ids(es []ShortlistEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestStoreShortlistErrors(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	for _, r := range randomResumes(t, 13, 3) {
		if _, err := s.Put(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q    ShortlistQuery
		want error
	}{
		{ShortlistQuery{Profile: "nope"}, ErrInvalidQuery},
		{ShortlistQuery{Profile: "nope"}, rules.ErrUnknownProfile},
		{ShortlistQuery{Text: `"unclosed`}, ErrInvalidQuery},
		{ShortlistQuery{Text: "experience_months:>=x"}, ErrInvalidQuery},
		{ShortlistQuery{Text: "titles:/[/"}, ErrInvalidQuery}, // fails in the search, not the parse
		{ShortlistQuery{Top: -1}, ErrInvalidQuery},
		{ShortlistQuery{Where: "score >"}, rules.ErrInvalidFilter},
		{ShortlistQuery{Where: "experience_months"}, rules.ErrInvalidFilter},
		{ShortlistQuery{Where: `months("astronaut") > 1`}, rules.ErrInvalidFilter},
		{ShortlistQuery{Where: `positions[99].months > 0`}, rules.ErrInvalidFilter}, // fails on every candidate
	}
	for _, tt := range tests {
		_, err := s.Shortlist(ctx, tt.q)
		if !errors.Is(err, tt.want) {
			t.Errorf("Shortlist(%+v): got %v; want %v", tt.q, err, tt.want)
		}
	}
	// A filter is compiled once.
	before := len(s.filters.m)
	q := ShortlistQuery{Where: "score >= 0.0"}
	for range 3 {
		if _, err := s.Shortlist(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.filters.m) - before; n != 1 {
		t.Errorf("got %d more compiled filters; want 1", n)
	}
}
