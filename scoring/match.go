package scoring

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"sift/parser"
	"sift/rules"
)

// ErrNoWords is returned for a term group none of whose aliases has a word
// left after analysis: only stop words ("it", "the") or punctuation. Mark
// such a group case-sensitive, or rephrase it.
var ErrNoWords = errors.New("no alias has a searchable word")

// contextRadius is how many bytes of the line on each side of a match
// Evidence.Context shows, before cutting back to a word boundary.
const contextRadius = 40

// A Matcher finds term groups in one indexed candidate's text. It
// implements rules.Matcher.
type Matcher struct {
	x  *Index
	id string
}

var _ rules.Matcher = (*Matcher)(nil)

// Match returns the evidence of q in the candidate's text, in text order, at
// most Index.MaxEvidence spans.
//
// Each alias is a phrase (a single word is a one-word phrase) matched on the
// English-analysed text, or, when q.CaseSensitive, on the case-preserving
// text; the group matches where any alias does. Words match whole tokens, so
// "SOX" does not match "SOXX" or "toolbox"; English matching is stemmed, so
// "risk assessments" matches "risk assessment". Overlapping matches count
// once, and only matches in q.Sections count, when q.Sections is given and
// the resume has sections at all (a resume the parser found no headings in
// is searched whole, as package rules does).
func (m *Matcher) Match(q rules.TermQuery) ([]rules.Evidence, error) {
	c, spans, err := m.spans(q)
	if err != nil {
		return nil, err
	}
	return c.evidence(q, spans, m.x.maxEvidence()), nil
}

// Count returns how many times q matches in the candidate's text, counted as
// Match counts them but without its cap.
func (m *Matcher) Count(q rules.TermQuery) (int, error) {
	_, spans, err := m.spans(q)
	return len(spans), err
}

// spans returns the candidate and q's matches in its text, sorted, deduped
// and filtered by section.
func (m *Matcher) spans(q rules.TermQuery) (*candidate, []span, error) {
	x := m.x
	x.mu.RLock()
	c := x.docs[m.id]
	x.mu.RUnlock()
	if c == nil {
		return nil, nil, fmt.Errorf("scoring.Match: %s: %w", m.id, ErrNotIndexed)
	}
	hits, err := x.search(q)
	if err != nil {
		return nil, nil, matchError(q, err)
	}
	return c, c.inSections(q, hits[m.id]), nil
}

// matchError is the error of a Match that could not run q.
func matchError(q rules.TermQuery, err error) error {
	return fmt.Errorf("scoring.Match: group %q: %w", q.Group, err)
}

// evidence returns the evidence of spans, which clean and inSections have
// been through, at most limit of them: the last step of every Match,
// whichever matcher found the spans.
func (c *candidate) evidence(q rules.TermQuery, spans []span, limit int) []rules.Evidence {
	spans = spans[:min(len(spans), limit)]
	ev := make([]rules.Evidence, len(spans))
	for i, s := range spans {
		ev[i] = rules.Evidence{
			Text:    strings.Clone(c.text[s.Start:s.End]),
			Context: c.context(s),
			Term:    q.Group,
			Section: string(c.sectionAt(s.Start)),
			Start:   s.Start,
			End:     s.End,
		}
	}
	return ev
}

// inSections returns the spans that lie in q.Sections: all of them when
// q.Sections is empty or the resume has no sections at all (a resume the
// parser found no headings in is searched whole, as package rules does).
// spans is not changed.
func (c *candidate) inSections(q rules.TermQuery, spans []span) []span {
	if len(q.Sections) == 0 || len(spans) == 0 || len(c.sections) == 0 {
		return spans
	}
	kept := make([]span, 0, len(spans))
	for _, s := range spans {
		if slices.Contains(q.Sections, c.sectionAt(s.Start)) {
			kept = append(kept, s)
		}
	}
	return kept
}

// A queryKey identifies a search: the field and the aliases, sorted. The
// group's name and sections are applied per candidate, so groups that differ
// only in those share a search.
type queryKey struct {
	exact   bool
	aliases string
}

func keyOf(q rules.TermQuery) queryKey {
	a := slices.Clone(q.Aliases)
	slices.Sort(a)
	a = slices.Compact(a)
	// Quoted, so that no alias's bytes can make two sets of aliases one
	// key (joined with NUL, "a\x00b" alone was "a" and "b").
	for i := range a {
		a[i] = strconv.Quote(a[i])
	}
	return queryKey{q.CaseSensitive, strings.Join(a, ",")}
}

// A cachedQuery is one search's hits across the whole index: for each
// candidate id with a match, its spans sorted and deduped.
type cachedQuery struct {
	once sync.Once
	hits map[string][]span
	err  error
}

// search returns q's hits, running the search once per index generation
// however many Matchers ask.
func (x *Index) search(q rules.TermQuery) (map[string][]span, error) {
	k := keyOf(q)
	x.mu.RLock()
	cq := x.queries[k]
	x.mu.RUnlock()
	if cq == nil {
		x.mu.Lock()
		if cq = x.queries[k]; cq == nil {
			cq = &cachedQuery{}
			x.queries[k] = cq
		}
		x.mu.Unlock()
	}
	cq.once.Do(func() { cq.hits, cq.err = x.run(q) })
	return cq.hits, cq.err
}

// run searches the whole index for q.
func (x *Index) run(q rules.TermQuery) (map[string][]span, error) {
	field, phrases, err := compile(x.bi.Mapping(), q)
	if err != nil {
		return nil, err
	}
	x.update.RLock()
	defer x.update.RUnlock()
	n := x.Len()
	if n == 0 {
		return nil, nil
	}
	qs := make([]query.Query, len(phrases))
	for i, p := range phrases {
		if len(p) == 1 && len(p[0]) == 1 {
			t := query.NewTermQuery(p[0][0])
			t.SetField(field)
			qs[i] = t
		} else {
			qs[i] = query.NewMultiPhraseQuery(p, field)
		}
	}
	x.searches.Add(1)
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), n, 0, false)
	req.IncludeLocations = true
	req.Score = bleve.ScoreNone
	res, err := x.bi.Search(req)
	if err != nil {
		return nil, err
	}
	hits := make(map[string][]span, len(res.Hits))
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, h := range res.Hits {
		c := x.docs[h.ID]
		if c == nil {
			continue
		}
		if s := c.clean(phraseSpans(h.Locations[field], phrases)); len(s) > 0 {
			hits[h.ID] = s
		}
	}
	return hits, nil
}

// compile analyses q's aliases as the index analyses the field they are
// matched on. Each phrase is a list of positions, each a list of terms; an
// empty position is a removed stop word, which matches any word.
func compile(m mapping.IndexMapping, q rules.TermQuery) (string, [][][]string, error) {
	field, name := FieldText, analyzerEnglish
	if q.CaseSensitive {
		field, name = FieldExact, analyzerExact
	}
	an := m.AnalyzerNamed(name)
	if an == nil {
		return "", nil, fmt.Errorf("no analyzer %q", name)
	}
	var phrases [][][]string
	for _, a := range q.Aliases {
		if p := phrase(an.Analyze([]byte(a))); p != nil {
			phrases = append(phrases, p)
		}
	}
	if len(phrases) == 0 {
		return "", nil, ErrNoWords
	}
	return field, phrases, nil
}

// phrase turns a token stream into positions of terms, as bleve's
// match-phrase query does.
func phrase(ts analysis.TokenStream) [][]string {
	if len(ts) == 0 {
		return nil
	}
	first, last := ts[0].Position, ts[0].Position
	for _, t := range ts {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	p := make([][]string, last-first+1)
	for _, t := range ts {
		p[t.Position-first] = append(p[t.Position-first], string(t.Term))
	}
	return p
}

// phraseSpans rebuilds the spans of the phrases from a hit's term locations:
// a phrase occurs where its first term is followed, position by position, by
// its other terms. A span runs from the first term's start to the last
// term's end. Locations are byte offsets into the field's text, which is the
// resume's text with contact details blanked to the same length.
func phraseSpans(locs search.TermLocationMap, phrases [][][]string) []span {
	type at struct {
		term     string
		end, pos uint64
	}
	var byPos map[uint64][]at
	var spans []span
	for _, p := range phrases {
		if len(p) > 1 && byPos == nil {
			byPos = map[uint64][]at{}
			for term, ls := range locs {
				for _, l := range ls {
					byPos[l.Pos] = append(byPos[l.Pos], at{term, l.End, l.Pos})
				}
			}
		}
		for _, t0 := range p[0] {
		next:
			for _, l := range locs[t0] {
				end := l.End
				for i := 1; i < len(p); i++ {
					if len(p[i]) == 0 {
						continue
					}
					found := false
					for _, a := range byPos[l.Pos+uint64(i)] {
						if slices.Contains(p[i], a.term) {
							end, found = a.end, true
							break
						}
					}
					if !found {
						continue next
					}
				}
				spans = append(spans, span{int(l.Start), int(end)})
			}
		}
	}
	return spans
}

// clean sorts spans by start (longest first), drops any that lies outside
// the text or touches a blanked contact detail (a phrase can close up over a
// blanked name), and drops any that overlaps the one kept before it.
func (c *candidate) clean(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := spans[:0]
	for _, s := range spans {
		if s.Start < 0 || s.End > len(c.text) || s.Start >= s.End || c.isRedacted(s) {
			continue
		}
		if len(out) > 0 && s.Start < out[len(out)-1].End {
			continue
		}
		out = append(out, s)
	}
	return slices.Clip(out)
}

// isRedacted reports whether s overlaps a blanked contact detail.
func (c *candidate) isRedacted(s span) bool {
	i, _ := slices.BinarySearchFunc(c.redacted, s.Start, func(r span, off int) int {
		if r.End <= off {
			return -1
		}
		return 1
	})
	return i < len(c.redacted) && c.redacted[i].Start < s.End
}

// sectionAt returns the kind of the innermost section containing offset, or
// "" when none does.
func (c *candidate) sectionAt(off int) parser.SectionKind {
	var kind parser.SectionKind
	for _, s := range c.sections {
		if s.Start > off {
			break
		}
		if off < s.End {
			kind = s.Kind
		}
	}
	return kind
}

// context returns the line around s, cut to about contextRadius bytes on
// each side at word boundaries (marked "…"), with blanked contact details
// and runs of white space outside the match squeezed to single spaces. The
// matched text itself is kept verbatim, so Context always contains Text.
func (c *candidate) context(s span) string {
	t := c.text
	lineStart := strings.LastIndexByte(t[:s.Start], '\n') + 1
	lineEnd := len(t)
	if i := strings.IndexByte(t[s.End:], '\n'); i >= 0 {
		lineEnd = s.End + i
	}
	from, cutLeft := lineStart, false
	if s.Start-lineStart > contextRadius {
		from, cutLeft = s.Start-contextRadius, true
		if i := strings.IndexFunc(t[from:s.Start], unicode.IsSpace); i >= 0 {
			from += i
		} else {
			for from < s.Start && !utf8.RuneStart(t[from]) {
				from++
			}
		}
	}
	to, cutRight := lineEnd, false
	if lineEnd-s.End > contextRadius {
		to, cutRight = s.End+contextRadius, true
		if i := strings.LastIndexFunc(t[s.End:to], unicode.IsSpace); i >= 0 {
			to = s.End + i
		} else {
			for to > s.End && !utf8.RuneStart(t[to]) {
				to--
			}
		}
	}
	var b strings.Builder
	b.Grow(to - from + 8)
	if cutLeft {
		b.WriteString("…")
	}
	b.WriteString(strings.TrimLeftFunc(squeeze(c.blank(from, s.Start)), unicode.IsSpace))
	b.WriteString(t[s.Start:s.End])
	b.WriteString(strings.TrimRightFunc(squeeze(c.blank(s.End, to)), unicode.IsSpace))
	if cutRight {
		b.WriteString("…")
	}
	return b.String()
}

// blank returns text[from:to] with the blanked contact details as spaces.
func (c *candidate) blank(from, to int) string {
	seg := c.text[from:to]
	var b []byte
	for _, r := range c.redacted {
		if r.End <= from || r.Start >= to {
			continue
		}
		if b == nil {
			b = []byte(seg)
		}
		for i := max(r.Start, from); i < min(r.End, to); i++ {
			b[i-from] = ' '
		}
	}
	if b == nil {
		return seg
	}
	return string(b)
}

// squeeze replaces each run of white space in s with one space.
func squeeze(s string) string {
	if !needsSqueeze(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// needsSqueeze reports whether s has white space other than single spaces.
func needsSqueeze(s string) bool {
	prev := false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (r != ' ' || prev) {
			return true
		}
		prev = space
	}
	return false
}

// CheckQuery reports the aliases of q that can never match: those with no
// word left after analysis (stop words such as "IT" when not case-sensitive,
// or punctuation only). Profile validation can call it to name the
// offending alias; Match itself fails only when every alias is unusable.
func CheckQuery(q rules.TermQuery) error {
	m, err := sharedMapping()
	if err != nil {
		return err
	}
	_, name := FieldText, analyzerEnglish
	if q.CaseSensitive {
		name = analyzerExact
	}
	an := m.AnalyzerNamed(name)
	var errs []error
	for _, a := range q.Aliases {
		if phrase(an.Analyze([]byte(a))) == nil {
			errs = append(errs, fmt.Errorf("group %q: alias %q: %w", q.Group, a, ErrNoWords))
		}
	}
	if len(q.Aliases) == 0 {
		errs = append(errs, fmt.Errorf("group %q: no aliases: %w", q.Group, ErrNoWords))
	}
	return errors.Join(errs...)
}

var sharedMapping = sync.OnceValues(NewMapping)
