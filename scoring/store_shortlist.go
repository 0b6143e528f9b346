package scoring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"sift/rules"
)

// Shortlist limits.
const (
	DefaultTop = 10   // ShortlistQuery.Top when zero
	MaxTop     = 1000 // the largest ShortlistQuery.Top
)

// A text query's first window holds windowShare times the entries wanted,
// and at least minWindow candidates; a later one windowShare times the
// candidates that, at the rate the text matches, hold the entries still
// wanted, and at least four times the window before. (Variables for tests.)
var (
	minWindow   = 128
	windowShare = 2.0
)

// countBudget is how long a text query waits for bleve's count of its
// matches once its entries are found, unless ExactTotal; phraseCountLimit
// is how many candidates may have a text's phrases' words for the phrases
// to be counted at all, unless ExactTotal (see shortlistRun.text);
// sampleSize is how many candidates an estimated total is computed from,
// and estimateBudget how long a Where filter is evaluated on them.
// (Variables for tests.)
var (
	countBudget      = 10 * time.Millisecond
	phraseCountLimit = 4000
	sampleSize       = 512
	estimateBudget   = 4 * time.Millisecond
)

// A ShortlistQuery asks for the best candidates for one profile.
type ShortlistQuery struct {
	// Profile is the id of a loaded profile; "" means the first.
	Profile string
	// Top is how many entries to return: DefaultTop when zero, at most
	// MaxTop.
	Top int
	// MinScore keeps candidates scoring at least this much.
	MinScore float64
	// Qualified keeps candidates who failed no knockout.
	Qualified bool
	// Text is a bleve query string over the resumes' text (redacted of
	// contact details): plain words and "quoted phrases" search the
	// English-analysed text (stemmed; any of the words matches, +word
	// requires one, -word excludes one), and the fields of NewMapping are
	// named, e.g. `+certifications:cissp +titles:director experience_months:>=60`.
	Text string
	// Where is a CEL filter (see rules.Filter) compiled with the profile,
	// with score, qualified and tier of the candidate's result, e.g.
	// `months("security_management") >= 36 && "CISSP" in certifications`.
	Where string
	// Summaries returns each entry's Result without its requirements
	// (score, qualified, tier, failed knockouts, profile and as-of only),
	// from what the store keeps in memory, instead of reading every entry's
	// file for the evidence: for lists that link to each candidate's
	// result rather than show it.
	Summaries bool
	// ExactTotal makes Total exact whatever it costs: with Where, the
	// filter is evaluated on every match rather than on enough of them for
	// the top entries; with Text, the count of matches is awaited however
	// long it takes (without, a count that takes more than 10ms after the
	// entries are found is estimated).
	ExactTotal bool
}

// A ShortlistEntry is one ranked candidate and its result for the profile,
// with the evidence for every requirement.
type ShortlistEntry struct {
	ID         string       `json:"id"`
	ExternalID string       `json:"external_id,omitempty"`
	File       string       `json:"file"`
	Result     rules.Result `json:"result"`
}

// A ShortlistResult is a shortlist: the top entries, best first, ranked as
// Compare ranks results (score, then qualified first, then file name and
// id), and how many candidates matched the query in all.
type ShortlistResult struct {
	Entries []ShortlistEntry `json:"entries"`
	// Total counts the candidates that match. It is exact unless
	// TotalExact is false, which happens only without ExactTotal, when a
	// Where filter was evaluated on only some of the matches or a text
	// query's count took too long: Total is then an estimate from the
	// share of the candidates examined (the best ones) that passed.
	Total      int  `json:"total"`
	TotalExact bool `json:"total_exact"`
}

// Shortlist returns the best candidates for a profile that pass the query,
// with their results.
//
// The store's in-memory ranking of the profile orders them: it is walked
// from the top, candidates below MinScore end the walk, and unqualified
// ones are skipped when Qualified is set. With Text, bleve decides which
// candidates match, window by window down the ranking (see text), and
// counts the matches; without, the ranking alone answers. A Where filter is
// applied in rank order to as many candidates as it takes to fill the top
// entries, from the facts kept in memory, without reading their files
// (has_term aside, which reads the candidate's text). Only the entries'
// files are read, for their results' evidence. Candidates without a result
// for the profile (stored before it was loaded, until Rescore) are not
// listed.
//
// A query for a profile that is not loaded, or whose text does not parse,
// matches ErrInvalidQuery; a Where that does not compile matches
// rules.ErrInvalidFilter.
func (s *Store) Shortlist(ctx context.Context, q ShortlistQuery) (*ShortlistResult, error) {
	r, err := s.shortlist(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("scoring.Store.Shortlist: %w", err)
	}
	return r, nil
}

// A shortlistRun is one Shortlist call's state.
type shortlistRun struct {
	s   *Store
	ctx context.Context
	q   ShortlistQuery
	p   *rules.Profile
	f   *rules.Filter // nil: no Where
	top int
	l   rankList // the profile's ranking, a snapshot

	ids       []string // the entries so far, best first
	evaluated int      // candidates Where was evaluated on
	passed    int      // candidates that passed it
	whereErr  error    // the first error of Where on a candidate
}

func (s *Store) shortlist(ctx context.Context, q ShortlistQuery) (*ShortlistResult, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	pi, err := s.profileIndex(q.Profile)
	if err != nil {
		return nil, err
	}
	r := &shortlistRun{s: s, ctx: ctx, q: q, p: s.profiles[pi], top: q.Top, l: s.rank(pi)}
	switch {
	case r.top == 0:
		r.top = DefaultTop
	case r.top < 0:
		return nil, fmt.Errorf("%w: top %d: want a positive number", ErrInvalidQuery, r.top)
	}
	r.top = min(r.top, MaxTop)
	if q.Where != "" {
		if r.f, err = s.filters.get(r.p, q.Where); err != nil {
			return nil, err
		}
	}
	var total int
	var exact bool
	if q.Text == "" {
		total, exact, err = r.ranked()
	} else {
		total, exact, err = r.text()
	}
	if err != nil {
		return nil, err
	}
	if len(r.ids) == 0 && r.whereErr != nil {
		// Where failed on candidates and passed none: say why.
		return nil, fmt.Errorf("%w: %w", rules.ErrInvalidFilter, r.whereErr)
	}
	var entries []ShortlistEntry
	if q.Summaries {
		entries = s.summaries(r.ids, r.p.ID)
	} else if entries, err = s.entries(r.ids, r.p.ID); err != nil {
		return nil, err
	}
	return &ShortlistResult{Entries: entries, Total: total, TotalExact: exact}, nil
}

// summaries returns the entries of ids with the summaries of their results
// for profile, from the catalog in memory.
func (s *Store) summaries(ids []string, profile string) []ShortlistEntry {
	out := make([]ShortlistEntry, 0, len(ids))
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, id := range ids {
		e, ok := s.byID[id]
		if !ok {
			continue // deleted since the search
		}
		sc := e.score(profile)
		if sc == nil {
			continue
		}
		out = append(out, ShortlistEntry{ID: id, ExternalID: e.Key, File: e.File, Result: rules.Result{
			File: e.File, Candidate: id, Score: sc.Score, Qualified: sc.Qualified, Tier: sc.Tier,
			KnockoutsFailed: slices.Clone(sc.Knockouts), Profile: rules.ProfileRef{ID: profile, Hash: sc.Hash}, AsOf: sc.AsOf,
		}})
	}
	return out
}

// eligible reports whether a ranked candidate passes MinScore and
// Qualified, and whether any after it can (the ranking is by score).
func (r *shortlistRun) eligible(it *rankItem) (ok, more bool) {
	if it.score < r.q.MinScore {
		return false, false
	}
	return !r.q.Qualified || it.qualified, true
}

// ranked answers a query without text from the ranking alone.
func (r *shortlistRun) ranked() (total int, exact bool, err error) {
	r.l.all(func(it *rankItem) bool {
		ok, more := r.eligible(it)
		if !more {
			return false
		}
		if !ok {
			return true
		}
		total++
		if r.f == nil {
			if len(r.ids) < r.top {
				r.ids = append(r.ids, it.e.ID)
			}
			return true
		}
		if len(r.ids) >= r.top && !r.q.ExactTotal {
			return true // counting only
		}
		err = r.consider(it.e)
		return err == nil
	})
	if err != nil {
		return 0, false, err
	}
	if r.f == nil {
		return total, true, nil
	}
	if r.evaluated >= total {
		return r.passed, true, nil
	}
	n, err := r.sampleEstimate(r.ctx, nil, total)
	return n, false, err
}

// consider evaluates Where on a candidate and keeps it when it passes and
// there is room.
func (r *shortlistRun) consider(e *catalogEntry) error {
	if r.evaluated%256 == 255 {
		if err := r.ctx.Err(); err != nil {
			return err
		}
	}
	ok := r.pass(e)
	r.evaluated++
	if ok {
		r.passed++
		if len(r.ids) < r.top {
			r.ids = append(r.ids, e.ID)
		}
	}
	return nil
}

// sampleEstimate estimates how many of the m eligible candidates match
// the query (text, when not nil, and Where) from an even sample of them:
// every (m/sampleSize)-th down the ranking, so that the estimate is not
// biased towards the best, who match text and filters more often. Where is
// evaluated on the sample's matches in random order for at most
// estimateBudget (and on at least 8), since a filter calling has_term
// costs a millisecond or more a candidate.
func (r *shortlistRun) sampleEstimate(ctx context.Context, text query.Query, m int) (int, error) {
	if m == 0 {
		return 0, nil
	}
	step := max(1, m/sampleSize)
	var sample []*rankItem
	i := 0
	r.l.all(func(it *rankItem) bool {
		ok, more := r.eligible(it)
		if ok {
			if i%step == 0 {
				sample = append(sample, it)
			}
			i++
		}
		return more
	})
	if len(sample) == 0 {
		return 0, nil
	}
	items := sample
	if text != nil {
		var err error
		if items, err = r.window(ctx, text, sample); err != nil {
			return 0, err
		}
	}
	rate := float64(len(items)) / float64(len(sample))
	if r.f != nil && len(items) > 0 {
		items = slices.Clone(items)
		rng := rand.New(rand.NewPCG(uint64(len(items)), uint64(m)))
		rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		deadline := time.Now().Add(estimateBudget)
		passed, evaluated := 0, 0
		for _, it := range items {
			if evaluated >= 8 && time.Now().After(deadline) {
				break
			}
			ok := r.pass(it.e)
			evaluated++
			if ok {
				passed++
			}
		}
		rate *= float64(passed) / float64(evaluated)
	}
	return int(rate*float64(m) + 0.5), nil
}

// text answers a query with text. Bleve finds the matches, but not in rank
// order: sorting on fields would visit the doc values of every match, which
// costs microseconds each, and at 100,000 candidates hundreds of
// milliseconds. Instead the ranking is cut into windows of consecutive
// eligible candidates, best first: bleve is asked which candidates of a
// window match the text (a conjunction with their ids, which costs in
// proportion to the window, not to the pool), the matches keep their rank
// order, and the next, larger, window is asked only if the entries are not
// yet found. The total is counted by bleve meanwhile, on another goroutine
// (a count needs no sort and no ids).
func (r *shortlistRun) text() (total int, exact bool, err error) {
	tq, err := query.NewQueryStringQuery(r.q.Text).Parse()
	if err != nil {
		return 0, false, fmt.Errorf("%w: text %q: %v", ErrInvalidQuery, r.q.Text, err)
	}
	// The count and the estimate run on goroutines of their own; none
	// outlives the call: they are cancelled, then waited for (a cancelled
	// search stops within about a thousand matches).
	var bg sync.WaitGroup
	defer bg.Wait()
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	type counted struct {
		n   int
		err error
	}
	countc := make(chan counted, 1)
	bg.Go(func() {
		// A phrase is counted by reading the positions of its words in
		// every candidate that has them all: for common words ("incident
		// response") that takes longer than everything else, and the
		// garbage slows the queries that follow. Where the phrases relaxed
		// to their words (a bound, counted without positions) match more
		// than phraseCountLimit candidates, there is no exact count: the
		// total is estimated at once.
		if rq, ok := relaxPhrases(tq); ok && !r.q.ExactTotal {
			if bound, err := r.count(ctx, rq); err != nil || bound > phraseCountLimit {
				countc <- counted{-1, err}
				return
			}
		}
		n, err := r.count(ctx, tq)
		countc <- counted{n, err}
	})
	waitc := countc // nil once the count is known not to come
	count := -1     // not known yet
	got := func(c counted) error {
		if c.err != nil && !errors.Is(c.err, context.Canceled) {
			return c.err
		}
		if c.n < 0 {
			waitc = nil
		}
		count = c.n
		return nil
	}

	m := r.countFrom(r.q.MinScore) // the eligible candidates
	want := r.top
	if r.f != nil {
		want *= 4 // Where will drop some
	}
	w := max(minWindow, int(windowShare*float64(want)))
	scanned, matched := 0, 0 // candidates in the windows so far, and matches among them
	cur := rankCursor{l: r.l}
	for {
		items := r.nextEligible(&cur, w)
		if len(items) == 0 {
			break
		}
		hits, err := r.window(ctx, tq, items)
		if err != nil {
			return 0, false, err
		}
		scanned, matched = scanned+len(items), matched+len(hits)
		for _, it := range hits {
			if r.done() {
				break
			}
			if r.f == nil {
				r.ids = append(r.ids, it.e.ID)
			} else if err := r.consider(it.e); err != nil {
				return 0, false, err
			}
		}
		if r.done() {
			break
		}
		// The next window: enough to hold what is still wanted at the rate
		// the text matches (from the count when it is in, else from the
		// windows so far), windowShare times over, and at least four times
		// the window before.
		if count < 0 && waitc != nil {
			select {
			case c := <-waitc:
				if err := got(c); err != nil {
					return 0, false, err
				}
			default:
			}
		}
		rate := 0.0
		switch {
		case count == 0:
			return 0, true, nil
		case count > 0:
			rate = float64(count) / float64(m)
		case matched > 0:
			rate = float64(matched) / float64(scanned)
		}
		next := 4 * w
		if rate > 0 {
			next = max(next, int(windowShare*float64(want-min(want, len(r.ids)))/rate))
		}
		w = next
	}

	// The total. With Where, it is exact when the filter was evaluated on
	// every match (ExactTotal, or few candidates), else estimated from a
	// sample. Without, the windows counted the matches when they covered
	// every eligible candidate; else bleve's count is awaited, for at most
	// countBudget unless ExactTotal (counting a phrase of common words can
	// take longer than everything else), while the estimate from a sample
	// is computed in case the count does not come in time: waiting first
	// and sampling after made a slow count cost both in turn.
	if r.f != nil {
		if scanned >= m && !r.done() {
			return r.passed, true, nil
		}
		cancel()
		n, err := r.sampleEstimate(r.ctx, tq, m)
		return n, false, err
	}
	switch {
	case count >= 0:
		return count, true, nil
	case scanned >= m:
		return matched, true, nil
	case r.q.ExactTotal:
		err := got(<-countc)
		return count, true, err
	}
	sctx, cancelSample := context.WithCancel(r.ctx)
	defer cancelSample()
	estc := make(chan counted, 1)
	bg.Go(func() {
		n, err := r.sampleEstimate(sctx, tq, m)
		estc <- counted{n, err}
	})
	// The count, if it comes within countBudget; else the estimate. Past
	// the budget, the first of the two.
	deadline := time.After(countBudget)
	var est *counted // the estimate, once in
	for {
		select {
		case c := <-waitc:
			if err := got(c); err != nil || count >= 0 {
				return count, true, err
			}
			if est != nil { // and no count is coming
				return est.n, false, est.err
			}
		case e := <-estc:
			if waitc == nil || deadline == nil {
				return e.n, false, e.err
			}
			est, estc = &e, nil
		case <-deadline:
			if est != nil {
				return est.n, false, est.err
			}
			deadline = nil
		}
	}
}

// done reports whether the entries are found and nothing more is needed of
// the candidates that follow.
func (r *shortlistRun) done() bool {
	return len(r.ids) >= r.top && (r.f == nil || !r.q.ExactTotal)
}

// A rankCursor walks a ranking.
type rankCursor struct {
	l    rankList
	b, i int
}

func (c *rankCursor) next() *rankItem {
	for c.b < len(c.l.blocks) {
		blk := c.l.blocks[c.b]
		if c.i < len(blk) {
			c.i++
			return &blk[c.i-1]
		}
		c.b, c.i = c.b+1, 0
	}
	return nil
}

// nextEligible returns the next n eligible candidates of the ranking
// (fewer at its end).
func (r *shortlistRun) nextEligible(c *rankCursor, n int) []*rankItem {
	var out []*rankItem
	for len(out) < n {
		it := c.next()
		if it == nil {
			break
		}
		ok, more := r.eligible(it)
		if !more {
			c.b = len(c.l.blocks) // nothing after it is eligible
			break
		}
		if ok {
			out = append(out, it)
		}
	}
	return out
}

// window returns the items that match text, in rank order.
func (r *shortlistRun) window(ctx context.Context, text query.Query, items []*rankItem) ([]*rankItem, error) {
	ids := make([]string, len(items))
	at := make(map[string]int, len(items))
	for i, it := range items {
		ids[i] = it.e.ID
		at[it.e.ID] = i
	}
	q := query.NewConjunctionQuery([]query.Query{text, query.NewDocIDQuery(ids)})
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	req.Score = bleve.ScoreNone
	r.s.windows.Add(1)
	res, err := r.s.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, searchError(err)
	}
	pos := make([]int, 0, len(res.Hits))
	for _, h := range res.Hits {
		if i, ok := at[h.ID]; ok {
			pos = append(pos, i)
		}
	}
	slices.Sort(pos)
	out := make([]*rankItem, len(pos))
	for k, i := range pos {
		out[k] = items[i]
	}
	return out, nil
}

// countFrom returns how many eligible candidates score lo or more.
func (r *shortlistRun) countFrom(lo float64) int {
	n := 0
	r.l.all(func(it *rankItem) bool {
		if it.score < lo {
			return false
		}
		if ok, _ := r.eligible(it); ok {
			n++
		}
		return true
	})
	return n
}

// query returns the bleve query of text, MinScore and Qualified.
func (r *shortlistRun) query(text query.Query) query.Query {
	conj := []query.Query{text}
	// Every candidate with a result for the profile scores 0 or more; when
	// all have one, a range from 0 would only cost time.
	if r.q.MinScore > 0 || r.l.n < r.s.Len() {
		lo, inclusive := r.q.MinScore, true
		score := query.NewNumericRangeInclusiveQuery(&lo, nil, &inclusive, nil)
		score.SetField(scoresPath(r.p.ID, scoreField))
		conj = append(conj, score)
	}
	if r.q.Qualified {
		b := query.NewBoolFieldQuery(true)
		b.SetField(scoresPath(r.p.ID, qualifiedField))
		conj = append(conj, b)
	}
	return query.NewConjunctionQuery(conj)
}

// count returns how many candidates match the text, MinScore and Qualified.
func (r *shortlistRun) count(ctx context.Context, text query.Query) (int, error) {
	req := bleve.NewSearchRequestOptions(r.query(text), 0, 0, false)
	req.Score = bleve.ScoreNone
	res, err := r.s.bi.SearchInContext(ctx, req)
	if err != nil {
		return 0, searchError(err)
	}
	return int(res.Total), nil
}

// searchError marks a search's failure on a malformed query (a regular
// expression that does not compile, say) as the query's fault.
func searchError(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrInvalidQuery, err)
}

// pass evaluates Where on a candidate. A candidate Where fails on (an
// index out of range, say) does not pass; the first such error is kept.
func (r *shortlistRun) pass(e *catalogEntry) bool {
	ok, err := r.s.pass(e, r.p, r.f)
	if err != nil && r.whereErr == nil {
		r.whereErr = err
	}
	return ok
}

// pass evaluates a filter on a candidate, from its entry's facts and
// result summary.
func (s *Store) pass(e *catalogEntry, p *rules.Profile, f *rules.Filter) (bool, error) {
	sc := e.score(p.ID)
	if sc == nil {
		return false, nil
	}
	res, err := decodeFacts(e.Facts)
	if err != nil {
		return false, fmt.Errorf("candidate %s: facts: %w", e.ID, err)
	}
	res = asOfView(res, sc.AsOf)
	m := &lazyMatcher{s: s, id: e.ID}
	ok, err := f.Match(res, &rules.Result{Score: sc.Score, Qualified: sc.Qualified, Tier: sc.Tier}, m)
	if err != nil {
		return false, fmt.Errorf("candidate %s: %w", e.ID, err)
	}
	return ok, nil
}

// entries reads the results of the ranked ids.
func (s *Store) entries(ids []string, profile string) ([]ShortlistEntry, error) {
	out := make([]ShortlistEntry, len(ids))
	errs := make([]error, len(ids))
	forEachParallel(len(ids), func(i int) {
		r, ext, err := s.readResult(ids[i], profile)
		if err != nil {
			errs[i] = err
			return
		}
		out[i] = ShortlistEntry{ID: ids[i], ExternalID: ext, File: r.File, Result: r}
	})
	kept := out[:0]
	for i, e := range out {
		switch {
		case errs[i] == nil:
			kept = append(kept, e)
		case errors.Is(errs[i], fs.ErrNotExist):
			// Deleted since the search.
		default:
			return nil, errs[i]
		}
	}
	return kept, nil
}

// profileIndex returns the index of a loaded profile by id; "" is the
// first.
func (s *Store) profileIndex(id string) (int, error) {
	if id == "" {
		return 0, nil
	}
	i, ok := s.byName[id]
	if !ok {
		return 0, fmt.Errorf("%w: %w %q", ErrInvalidQuery, rules.ErrUnknownProfile, id)
	}
	return i, nil
}

// A filterCache keeps compiled Where filters by profile and source, so that
// a query repeated (paging, a dashboard) compiles once.
type filterCache struct {
	mu sync.Mutex
	m  map[filterKey]*rules.Filter
}

type filterKey struct{ profile, hash, src string }

// maxFilters bounds the cache; past it, the cache starts again empty.
const maxFilters = 256

func (c *filterCache) get(p *rules.Profile, src string) (*rules.Filter, error) {
	k := filterKey{p.ID, p.Hash(), src}
	c.mu.Lock()
	f := c.m[k]
	c.mu.Unlock()
	if f != nil {
		return f, nil
	}
	f, err := p.CompileFilter(src)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxFilters {
		c.m = map[filterKey]*rules.Filter{}
	}
	c.m[k] = f
	return f, nil
}

// A lazyMatcher answers has_term for a stored candidate: on the first
// question it reads the candidate's file and makes its ResumeMatcher.
// Filters that never call has_term never pay for it.
type lazyMatcher struct {
	s   *Store
	id  string
	m   *ResumeMatcher
	err error
}

func (l *lazyMatcher) Match(q rules.TermQuery) ([]rules.Evidence, error) {
	if l.m == nil && l.err == nil {
		l.m, l.err = l.load()
	}
	if l.err != nil {
		return nil, l.err
	}
	return l.m.Match(q)
}

func (l *lazyMatcher) load() (*ResumeMatcher, error) {
	c, err := l.s.readCandidate(l.id)
	if err != nil {
		return nil, err
	}
	return NewResumeMatcher(c.Resume)
}

var _ rules.Matcher = (*lazyMatcher)(nil)
