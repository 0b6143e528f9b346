package scoring

import (
	"errors"
	"fmt"
	"hash/maphash"
	"reflect"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"

	"sift/parser"
	"sift/rules"
)

// A ResumeMatcher finds term groups in one resume's text without an index.
// Its evidence is exactly what the Matcher of an Index holding that resume
// alone returns (see Matcher.Match for the rules), at a fraction of the
// cost: instead of building an index segment and searching it once per
// query, it analyses the blanked text once per field with the mapping's
// own analyzers (so tokens, positions, case, stop words and stemming are
// bleve's) and finds each alias in the token stream as bleve's term and
// phrase queries do. Spans, contexts, sections, order, overlaps and the cap
// are the Matcher's own code.
//
// A Scorer matches every resume with one, and so do Store.Score and
// Store.Put. A ResumeMatcher is safe for concurrent use.
type ResumeMatcher struct {
	// MaxEvidence caps the evidence Match returns per term group, as
	// Index.MaxEvidence does: zero means DefaultMaxEvidence, a negative
	// value no cap. Set it before the first Match.
	MaxEvidence int

	c        *candidate
	redacted string // the text matched: Resume.Text with contact details blanked

	once        sync.Once
	text, exact *stream // the English-analysed text, and the case-preserving text
	analysisErr error
}

var _ rules.Matcher = (*ResumeMatcher)(nil)

// NewResumeMatcher returns the matcher of r. It blanks r's contact details
// at once, as Index.Add does, and analyses the text when a query first
// needs it; it keeps a reference to r.Text (not a copy) and a copy of
// r.Sections.
func NewResumeMatcher(r *parser.Resume) (*ResumeMatcher, error) {
	if r == nil {
		return nil, errors.New("scoring.NewResumeMatcher: nil resume")
	}
	red, c := newCandidate(r)
	return &ResumeMatcher{c: c, redacted: red}, nil
}

// Match returns the evidence of q in the resume's text, in text order, at
// most MaxEvidence spans: what Matcher.Match returns for an index holding
// the resume alone.
func (m *ResumeMatcher) Match(q rules.TermQuery) ([]rules.Evidence, error) {
	spans, err := m.spans(q)
	if err != nil {
		return nil, err
	}
	return m.c.evidence(q, spans, evidenceCap(m.MaxEvidence)), nil
}

// Count returns how many times q matches in the resume's text, counted as
// Match counts them but without its cap.
func (m *ResumeMatcher) Count(q rules.TermQuery) (int, error) {
	spans, err := m.spans(q)
	return len(spans), err
}

// spans returns q's matches in the text, sorted, deduped and filtered by
// section, as Matcher.spans does.
func (m *ResumeMatcher) spans(q rules.TermQuery) ([]span, error) {
	cq, err := compileShared(q)
	if err != nil {
		return nil, matchError(q, err)
	}
	s, err := m.stream(cq.exact)
	if err != nil {
		return nil, matchError(q, err)
	}
	return m.c.inSections(q, m.c.clean(s.find(cq.phrases))), nil
}

// stream returns the token stream of the English-analysed text, or of the
// case-preserving text when exact is set, analysing the text on first use.
func (m *ResumeMatcher) stream(exact bool) (*stream, error) {
	m.once.Do(func() { m.text, m.exact, m.analysisErr = analyse(m.redacted) })
	if exact {
		return m.exact, m.analysisErr
	}
	return m.text, m.analysisErr
}

// analyse returns the token streams of text as the mapping's English and
// exact analyzers give them, that is as bleve indexes FieldText and
// FieldExact.
//
// Both analyzers start with the same tokenizer and the exact one stops
// there, so text is tokenized once: the exact stream is taken from the
// tokens, and then the English analyzer's filters run on the same tokens.
// That is what the analyzers' Analyze does, less the second tokenization,
// which is most of the cost. With analyzers of another shape it falls back
// to analysing twice (analyseTwice).
func analyse(text string) (en, exact *stream, err error) {
	ean, xan, err := analyzers()
	if err != nil {
		return nil, nil, err
	}
	d, ok := sharedTokenizer(ean, xan)
	if !ok {
		return analyseTwice(text)
	}
	ts := d.Tokenizer.Tokenize([]byte(text))
	exact = newStream(ts) // before the filters rewrite the tokens
	for _, f := range d.TokenFilters {
		ts = f.Filter(ts)
	}
	return newStream(ts), exact, nil
}

// analyseTwice is analyse with each analyzer's Analyze.
func analyseTwice(text string) (en, exact *stream, err error) {
	ean, xan, err := analyzers()
	if err != nil {
		return nil, nil, err
	}
	// Each analysis gets its own copy: bleve's filters may rewrite the
	// bytes in place (lower-casing), as they do a field's value.
	return newStream(ean.Analyze([]byte(text))), newStream(xan.Analyze([]byte(text))), nil
}

// analyzers returns the English and exact analyzers of the shared mapping.
func analyzers() (en, exact analysis.Analyzer, err error) {
	mp, err := sharedMapping()
	if err != nil {
		return nil, nil, err
	}
	if en = mp.AnalyzerNamed(analyzerEnglish); en == nil {
		return nil, nil, fmt.Errorf("no analyzer %q", analyzerEnglish)
	}
	if exact = mp.AnalyzerNamed(analyzerExact); exact == nil {
		return nil, nil, fmt.Errorf("no analyzer %q", analyzerExact)
	}
	return en, exact, nil
}

// sharedTokenizer returns en as the DefaultAnalyzer it is when exact is
// en's tokenizer and nothing else, and en has no char filters: then the
// exact analysis is the first step of the English one.
func sharedTokenizer(en, exact analysis.Analyzer) (*analysis.DefaultAnalyzer, bool) {
	d, ok := en.(*analysis.DefaultAnalyzer)
	x, xok := exact.(*analysis.DefaultAnalyzer)
	if !ok || !xok || len(d.CharFilters) > 0 || len(x.CharFilters) > 0 || len(x.TokenFilters) > 0 {
		return nil, false
	}
	t, u := d.Tokenizer, x.Tokenizer
	if t == nil || u == nil || reflect.TypeOf(t) != reflect.TypeOf(u) || !reflect.TypeOf(t).Comparable() {
		return nil, false
	}
	return d, t == u
}

// A stream is one field's text as bleve indexes it: its tokens with their
// positions and byte offsets, which is all a term or phrase query reads.
type stream struct {
	toks  []token        // sorted by position
	first []int          // position → index of the first token there in toks; -1 where there is none (a removed stop word)
	ids   map[string]int // term → its id
	occ   []int          // indexes in toks of each term's tokens, term by term, in position order
	from  []int          // term id → where its tokens start in occ; from[id+1] is where they end
}

// A token is one analysed word: its term's id in its stream, its
// position (from 1, as bleve counts), and its byte offsets in the text.
type token struct{ id, pos, start, end int }

// newStream indexes a token stream by term and by position, in memory and
// for one document: what bleve's term dictionary and term vectors would
// hold, without the index.
func newStream(ts analysis.TokenStream) *stream {
	s := &stream{toks: make([]token, len(ts)), ids: make(map[string]int, len(ts)/2+1)}
	var count []int
	last := 0
	for i, t := range ts {
		id, ok := s.ids[string(t.Term)]
		if !ok {
			id = len(count)
			s.ids[string(t.Term)] = id
			count = append(count, 0)
		}
		count[id]++
		s.toks[i] = token{id: id, pos: t.Position, start: t.Start, end: t.End}
		last = max(last, t.Position)
	}
	// bleve's tokenizers count positions up and its filters only drop
	// tokens, so this is sorted already; sort anyway, for an analyzer
	// that does not.
	if !slices.IsSortedFunc(s.toks, byPos) {
		slices.SortStableFunc(s.toks, byPos)
	}
	s.first = make([]int, last+1)
	for i := range s.first {
		s.first[i] = -1
	}
	for i := len(s.toks) - 1; i >= 0; i-- {
		if p := s.toks[i].pos; p >= 0 {
			s.first[p] = i
		}
	}
	// Counting sort of the tokens by term, keeping position order.
	s.from = make([]int, len(count)+1)
	for id, n := range count {
		s.from[id+1] = s.from[id] + n
	}
	next := slices.Clone(s.from[:len(count)])
	s.occ = make([]int, len(s.toks))
	for i, t := range s.toks {
		s.occ[next[t.id]] = i
		next[t.id]++
	}
	return s
}

func byPos(a, b token) int { return a.pos - b.pos }

// find returns the spans where the phrases occur, in no order, with
// repeats: as phraseSpans rebuilds them from an index's hits, and as
// bleve's phrase searcher matches (findPhrasePaths). A phrase occurs where
// a token of one of its first position's terms is followed, position by
// position, by a token of one of each next position's terms; an empty
// position (a stop word removed from the alias) takes any token or none,
// as a stop word removed from the text leaves a position with none. A span
// runs from the first token's start to the last token's end.
func (s *stream) find(phrases [][][]string) []span {
	var spans []span
	for _, p := range phrases {
		ids := s.resolve(p)
		if ids == nil {
			continue // a word of the phrase is not in the text
		}
		for _, id := range ids[0] {
		next:
			for _, k := range s.occ[s.from[id]:s.from[id+1]] {
				t0 := s.toks[k]
				end := t0.end
				for i := 1; i < len(p); i++ {
					if len(p[i]) == 0 {
						continue
					}
					t, ok := s.at(t0.pos+i, ids[i])
					if !ok {
						continue next
					}
					end = t.end
				}
				spans = append(spans, span{t0.start, end})
			}
		}
	}
	return spans
}

// resolve returns, for each position of phrase p, the ids of its terms that
// the text has. It returns nil when a position that is not empty has none,
// so that the phrase cannot occur.
func (s *stream) resolve(p [][]string) [][]int {
	ids := make([][]int, len(p))
	for i, terms := range p {
		for _, t := range terms {
			if id, ok := s.ids[t]; ok {
				ids[i] = append(ids[i], id)
			}
		}
		if len(terms) > 0 && len(ids[i]) == 0 {
			return nil
		}
	}
	return ids
}

// at returns the first token at position pos whose term is one of ids.
func (s *stream) at(pos int, ids []int) (token, bool) {
	if pos < 0 || pos >= len(s.first) || s.first[pos] < 0 {
		return token{}, false
	}
	for _, t := range s.toks[s.first[pos]:] {
		if t.pos != pos {
			break
		}
		if slices.Contains(ids, t.id) {
			return t, true
		}
	}
	return token{}, false
}

// A compiledQuery is a term query's aliases analysed (see compile).
type compiledQuery struct {
	exact   bool
	phrases [][][]string
	err     error
}

// compiled caches compile's analysis of term queries, by queryKey, for
// the mapping of NewMapping: a ResumeMatcher is made per resume, and
// analysing a profile's aliases again for each would cost a good part of
// the matching. Past maxCompiled queries, it starts again empty.
var compiled struct {
	sync.Mutex
	m map[queryKey]*compiledQuery
	// byHash finds a query again by a hash of its aliases, in their
	// order: keyOf sorts, quotes and joins them, which costs more than
	// the rest of a cached lookup, for every query of every resume. An
	// entry answers only when its copy of the aliases equals the query's,
	// so a collision costs a keyOf, never a wrong answer.
	byHash map[hashKey]*hashEntry
}

// A hashKey is a query's case sensitivity and the hash of its aliases.
type hashKey struct {
	h     uint64
	exact bool
}

type hashEntry struct {
	aliases []string // a copy, compared on every use
	cq      *compiledQuery
}

var aliasSeed = maphash.MakeSeed()

// hashOf returns q's hashKey. (A variable for tests, which make every
// query collide.)
var hashOf = func(q rules.TermQuery) hashKey {
	var h maphash.Hash
	h.SetSeed(aliasSeed)
	for _, a := range q.Aliases {
		h.WriteString(a)
		h.WriteByte(0)
	}
	return hashKey{h.Sum64(), q.CaseSensitive}
}

const maxCompiled = 4096

// compileShared returns q compiled, from the cache when it can. The error
// is compile's (ErrNoWords when no alias has a word), not wrapped.
func compileShared(q rules.TermQuery) (*compiledQuery, error) {
	hk := hashOf(q)
	compiled.Lock()
	e := compiled.byHash[hk]
	compiled.Unlock()
	if e != nil && slices.Equal(e.aliases, q.Aliases) {
		return e.cq, e.cq.err
	}
	k := keyOf(q)
	compiled.Lock()
	cq := compiled.m[k]
	compiled.Unlock()
	if cq == nil {
		mp, err := sharedMapping()
		if err != nil {
			return nil, err
		}
		field, phrases, err := compile(mp, q)
		cq = &compiledQuery{exact: field == FieldExact, phrases: phrases, err: err}
		compiled.Lock()
		if compiled.m == nil || len(compiled.m) >= maxCompiled {
			compiled.m = map[queryKey]*compiledQuery{}
		}
		compiled.m[k] = cq
		compiled.Unlock()
	}
	compiled.Lock()
	if compiled.byHash == nil || len(compiled.byHash) >= maxCompiled {
		compiled.byHash = map[hashKey]*hashEntry{}
	}
	compiled.byHash[hk] = &hashEntry{aliases: slices.Clone(q.Aliases), cq: cq}
	compiled.Unlock()
	return cq, cq.err
}
