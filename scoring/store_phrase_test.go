package scoring

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestRelaxPhrases checks which queries relaxPhrases relaxes, and that a
// relaxed query matches every candidate the query matches (it bounds the
// count from above) and drops no candidate it should not.
func TestRelaxPhrases(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	var reqs []PutRequest
	for _, r := range randomResumes(t, 5, 40) {
		reqs = append(reqs, PutRequest{Resume: r, Key: r.File})
	}
	if _, err := s.PutBatch(ctx, reqs); err != nil {
		t.Fatal(err)
	}
	count := func(q query.Query) int {
		t.Helper()
		res, err := s.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		return int(res.Total)
	}
	for _, tt := range []struct {
		text string
		ok   bool
	}{
		{`"incident response"`, true},
		{`+CISSP +"incident response" +titles:director`, true},
		{`"risk assessment" "incident response"`, true},
		{`titles:"security manager" security`, true},
		{`+"incident response" -"risk assessment"`, false}, // a phrase under MustNot
		{`+"incident response" -HIPAA`, true},
		{`security`, false},
		{`+CISSP +titles:director`, false},
		{`"response incident"`, true}, // the words, not the phrase: the bound is loose
	} {
		q, err := query.NewQueryStringQuery(tt.text).Parse()
		if err != nil {
			t.Fatalf("%s: %v", tt.text, err)
		}
		r, ok := relaxPhrases(q)
		if ok != tt.ok {
			t.Errorf("%s: relaxed %v; want %v", tt.text, ok, tt.ok)
		}
		if !ok {
			continue
		}
		n, bound := count(q), count(r)
		if bound < n {
			t.Errorf("%s: relaxed query matches %d; the query %d", tt.text, bound, n)
		}
		if tt.text == `"response incident"` && (n != 0 || bound == 0) {
			t.Errorf("%s: %d matches, relaxed %d; want none, and some", tt.text, n, bound)
		}
	}
	fuzzy := query.NewMatchPhraseQuery("incident response")
	fuzzy.SetFuzziness(1)
	if _, ok := relaxPhrases(fuzzy); ok {
		t.Error("a fuzzy phrase was relaxed")
	}
	// The query itself is not changed.
	q, _ := query.NewQueryStringQuery(`+CISSP +"incident response"`).Parse()
	before, _ := query.DumpQuery(nil, q)
	relaxPhrases(q)
	if after, _ := query.DumpQuery(nil, q); after != before {
		t.Errorf("relaxPhrases changed its argument:\n%s\nto\n%s", before, after)
	}
}

// TestShortlistPhraseEstimate checks that a phrase whose words are common
// is not counted but estimated (the exact count reads positions in every
// candidate with the words), and that its entries are those of the exact
// run; and that under phraseCountLimit it is counted exactly.
func TestShortlistPhraseEstimate(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	var reqs []PutRequest
	for _, r := range randomResumes(t, 8, 60) {
		reqs = append(reqs, PutRequest{Resume: r, Key: r.File})
	}
	if _, err := s.PutBatch(ctx, reqs); err != nil {
		t.Fatal(err)
	}
	defer func(w int, share float64, budget time.Duration, limit, size int) {
		minWindow, windowShare, countBudget, phraseCountLimit, sampleSize = w, share, budget, limit, size
	}(minWindow, windowShare, countBudget, phraseCountLimit, sampleSize)
	// Windows that do not cover the pool, a count that would always come
	// in time, and a sample of every candidate, which estimates exactly.
	minWindow, windowShare, countBudget, sampleSize = 2, 0.05, time.Minute, 1000

	q := ShortlistQuery{Profile: "cso", Top: 2, Text: `"incident response"`}
	q.ExactTotal = true
	exact, err := s.Shortlist(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if exact.Total < 3 {
		t.Fatalf("%d candidates match %s; the test needs more than Top", exact.Total, q.Text)
	}
	q.ExactTotal = false
	for _, limit := range []int{0, 1000} {
		phraseCountLimit = limit
		got, err := s.Shortlist(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ids(got.Entries), ids(exact.Entries)) {
			t.Errorf("limit %d: entries %v; want %v", limit, ids(got.Entries), ids(exact.Entries))
		}
		if got.Total != exact.Total {
			t.Errorf("limit %d: total %d; want %d", limit, got.Total, exact.Total)
		}
		if wantExact := limit > 0; got.TotalExact != wantExact {
			t.Errorf("limit %d: total exact %v; want %v", limit, got.TotalExact, wantExact)
		}
	}
}
