package scoring

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"sift/parser"
)

// DefaultMaxEvidence is the number of evidence spans a Matcher returns per
// term group and candidate when Index.MaxEvidence is zero. It bounds the
// work a keyword-stuffed resume costs; it is well above what a report shows
// because package rules keeps only the spans inside the positions or
// sections it counts, and caps what it keeps itself.
const DefaultMaxEvidence = 32

// ErrNotIndexed is returned for a candidate id the index does not hold.
var ErrNotIndexed = errors.New("candidate not indexed")

// An Index is a bleve index of candidates, one document each (see NewMapping
// for the fields), and the source of their Matchers.
//
// Every Matcher of an index shares one search per distinct query: the first
// Match of a query runs it across all the index's documents and caches the
// hits until the index next changes. Scoring does not use one any more: a
// ResumeMatcher per resume gives the same evidence for much less, in a
// batch as for one resume. An Index is the reference that ResumeMatcher is
// tested against, and the way to search candidates with bleve's queries.
//
// An Index is safe for concurrent use.
type Index struct {
	// MaxEvidence caps the evidence a Matcher returns per term group;
	// Matcher.Count still counts every match. Zero means DefaultMaxEvidence,
	// a negative value no cap.
	MaxEvidence int

	bi       bleve.Index
	searches atomic.Int64 // bleve searches run, for tests and benchmarks

	// update is held for writing while the index changes (bleve, docs and
	// the cache together) and for reading while a search runs, so that a
	// search sees bleve and docs agree.
	update sync.RWMutex

	mu      sync.RWMutex // guards docs and queries
	docs    map[string]*candidate
	queries map[queryKey]*cachedQuery
}

// candidate is what evidence needs of an indexed resume.
type candidate struct {
	text     string           // parser.Resume.Text, shared, not copied
	redacted []span           // blanked contact details, sorted, disjoint
	sections []parser.Section // sorted by Start
}

// newCandidate returns r's text with its contact details blanked (see
// redact), the text that is matched, and what evidence needs of r.
func newCandidate(r *parser.Resume) (string, *candidate) {
	red, spans := redact(r)
	secs := slices.Clone(r.Sections)
	slices.SortStableFunc(secs, func(a, b parser.Section) int { return a.Start - b.Start })
	return red, &candidate{text: r.Text, redacted: spans, sections: secs}
}

// NewMemIndex returns an empty index held in memory, with the mapping of
// NewMapping. Close it to release it.
func NewMemIndex() (*Index, error) {
	m, err := NewMapping()
	if err != nil {
		return nil, fmt.Errorf("scoring.NewMemIndex: %w", err)
	}
	bi, err := memIndex(m)
	if err != nil {
		return nil, fmt.Errorf("scoring.NewMemIndex: %w", err)
	}
	return newIndex(bi), nil
}

var memIndex = func(m *mapping.IndexMappingImpl) (bleve.Index, error) {
	return bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
}

// newIndex wraps an open bleve index created with NewMapping. An on-disk
// OpenIndex(dir) is meant to share it.
func newIndex(bi bleve.Index) *Index {
	return &Index{
		bi:      bi,
		docs:    map[string]*candidate{},
		queries: map[queryKey]*cachedQuery{},
	}
}

// Add indexes candidates in one bleve batch, replacing any with the same id.
// The text indexed is each resume's visible text with its contact details
// blanked; the index keeps a reference to Resume.Text (not a copy) and its
// sections, for evidence.
func (x *Index) Add(cs ...Candidate) error {
	if len(cs) == 0 {
		return nil
	}
	b := x.bi.NewBatch()
	docs := make([]*candidate, len(cs))
	for i, c := range cs {
		if c.ID == "" {
			return fmt.Errorf("scoring.Index.Add: candidate %d: empty id", i)
		}
		if c.Resume == nil {
			return fmt.Errorf("scoring.Index.Add: %s: nil resume", c.ID)
		}
		red, doc := newCandidate(c.Resume)
		if err := b.Index(c.ID, document(c.Resume, red)); err != nil {
			return fmt.Errorf("scoring.Index.Add: %s: %w", c.ID, err)
		}
		docs[i] = doc
	}
	x.update.Lock()
	defer x.update.Unlock()
	if err := x.bi.Batch(b); err != nil {
		return fmt.Errorf("scoring.Index.Add: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, c := range cs {
		x.docs[c.ID] = docs[i]
	}
	clear(x.queries)
	return nil
}

// Delete removes a candidate. Deleting an id that is not indexed is not an
// error.
func (x *Index) Delete(id string) error {
	x.update.Lock()
	defer x.update.Unlock()
	if err := x.bi.Delete(id); err != nil {
		return fmt.Errorf("scoring.Index.Delete: %s: %w", id, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.docs, id)
	clear(x.queries)
	return nil
}

// Len returns the number of candidates indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.docs)
}

// Close releases the index. Matchers of a closed index return errors.
func (x *Index) Close() error {
	x.update.Lock()
	defer x.update.Unlock()
	x.mu.Lock()
	x.docs = map[string]*candidate{}
	clear(x.queries)
	x.mu.Unlock()
	return x.bi.Close()
}

// Matcher returns the Matcher of an indexed candidate.
func (x *Index) Matcher(id string) (*Matcher, error) {
	x.mu.RLock()
	_, ok := x.docs[id]
	x.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("scoring.Index.Matcher: %s: %w", id, ErrNotIndexed)
	}
	return &Matcher{x: x, id: id}, nil
}

func (x *Index) maxEvidence() int { return evidenceCap(x.MaxEvidence) }

// evidenceCap returns the cap a MaxEvidence setting means: zero
// DefaultMaxEvidence, a negative value none.
func evidenceCap(n int) int {
	switch {
	case n == 0:
		return DefaultMaxEvidence
	case n < 0:
		return int(^uint(0) >> 1)
	}
	return n
}
