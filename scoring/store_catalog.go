package scoring

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"sift/parser"
)

// A catalogEntry is what the store keeps in memory of one candidate: enough to
// find it by key or content, to tell whether its results are stale, and to
// run a Where filter without reading its file. Entries are immutable.
type catalogEntry struct {
	ID      string     `json:"id"`
	Key     string     `json:"key,omitempty"`
	SHA     string     `json:"sha256"`
	File    string     `json:"file"`
	Added   time.Time  `json:"added"`
	Updated time.Time  `json:"updated"`
	Facts   []byte     `json:"facts"` // the facts filters read (see encodeFacts)
	Scores  []scoreRec `json:"scores"`
}

// A scoreRec sums up one Result: what shortlists filter and sort on, and
// what tells whether it is stale.
type scoreRec struct {
	Profile   string       `json:"p"`
	Hash      string       `json:"h"`
	AsOf      parser.Month `json:"a"`
	Score     float64      `json:"s"`
	Qualified bool         `json:"q"`
	Tier      string       `json:"t"`
	Knockouts []string     `json:"k,omitempty"` // Result.KnockoutsFailed
}

func (e *catalogEntry) score(profile string) *scoreRec {
	for i := range e.Scores {
		if e.Scores[i].Profile == profile {
			return &e.Scores[i]
		}
	}
	return nil
}

// entryOf builds the entry of a stored candidate.
func entryOf(c *Candidate) *catalogEntry {
	e := &catalogEntry{
		ID: c.ID, Key: c.ExternalID, SHA: c.SHA256, File: c.File,
		Added: c.Added, Updated: c.Updated,
		Facts: encodeFacts(c.Resume),
	}
	ids := make([]string, 0, len(c.Results))
	for id := range c.Results {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		r := c.Results[id]
		e.Scores = append(e.Scores, scoreRec{Profile: id, Hash: r.Profile.Hash, AsOf: r.AsOf, Score: r.Score, Qualified: r.Qualified, Tier: r.Tier, Knockouts: r.KnockoutsFailed})
	}
	return e
}

// Catalog file: a header line, one line per entry, a trailer line.
const catalogFormat = "sift-catalog/2" // 2: scores carry failed knockouts

type catalogHeader struct {
	Format string `json:"format"`
	Seq    uint64 `json:"seq"`
	Count  int    `json:"count"`
}

type catalogTrailer struct {
	End int `json:"end"`
}

// writeCatalog writes the catalog as of sequence seq, atomically.
func (s *Store) writeCatalog(seq uint64) error {
	s.mu.RLock()
	entries := make([]*catalogEntry, 0, len(s.byID))
	for _, e := range s.byID {
		entries = append(entries, e)
	}
	s.mu.RUnlock()
	slices.SortFunc(entries, func(a, b *catalogEntry) int { return strings.Compare(a.ID, b.ID) })
	path := filepath.Join(s.dir, catalogName)
	return s.writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		enc := json.NewEncoder(bw)
		if err := enc.Encode(catalogHeader{catalogFormat, seq, len(entries)}); err != nil {
			return err
		}
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		if err := enc.Encode(catalogTrailer{len(entries)}); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// errNoCatalog reports a catalog that is missing or unusable.
var errNoCatalog = errors.New("no usable catalog")

// readCatalog reads the catalog: its sequence and entries.
func (s *Store) readCatalog() (uint64, []*catalogEntry, error) {
	f, err := os.Open(filepath.Join(s.dir, catalogName))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil, errNoCatalog
		}
		return 0, nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var h catalogHeader
	if err := dec.Decode(&h); err != nil || h.Format != catalogFormat || h.Count < 0 {
		return 0, nil, fmt.Errorf("%w: bad header", errNoCatalog)
	}
	entries := make([]*catalogEntry, 0, h.Count)
	for range h.Count {
		e := &catalogEntry{}
		if err := dec.Decode(e); err != nil || e.ID == "" {
			return 0, nil, fmt.Errorf("%w: entry %d: %v", errNoCatalog, len(entries), err)
		}
		entries = append(entries, e)
	}
	var t catalogTrailer
	if err := dec.Decode(&t); err != nil || t.End != h.Count {
		return 0, nil, fmt.Errorf("%w: truncated", errNoCatalog)
	}
	return h.Seq, entries, nil
}

// The catalog maps. Callers hold s.mu for writing.

func (s *Store) addEntry(e *catalogEntry) {
	if old := s.byID[e.ID]; old != nil {
		s.dropEntry(old)
	}
	s.byID[e.ID] = intern(e)
	s.rerank(nil, e)
	if e.Key != "" {
		s.byKey[e.Key] = e.ID
	}
	s.bySHA[e.SHA] = append(s.bySHA[e.SHA], e.ID)
}

func (s *Store) dropEntry(e *catalogEntry) {
	delete(s.byID, e.ID)
	s.rerank(e, nil)
	if e.Key != "" && s.byKey[e.Key] == e.ID {
		delete(s.byKey, e.Key)
	}
	ids := slices.DeleteFunc(s.bySHA[e.SHA], func(id string) bool { return id == e.ID })
	if len(ids) == 0 {
		delete(s.bySHA, e.SHA)
	} else {
		s.bySHA[e.SHA] = ids
	}
}

// intern shares the strings that repeat across entries (profile ids, hashes,
// tiers), so that a pool of 100,000 does not hold 100,000 copies of each.
func intern(e *catalogEntry) *catalogEntry {
	for i := range e.Scores {
		sc := &e.Scores[i]
		sc.Profile, sc.Hash, sc.Tier = internString(sc.Profile), internString(sc.Hash), internString(sc.Tier)
	}
	return e
}

var internTable = newInterner()

func internString(s string) string { return internTable.get(s) }

// lookup returns the candidate a put of content sha under key is about:
// by key when key is given, else by content (preferring a candidate
// without a key). Callers hold s.mu.
func (s *Store) lookup(key, sha string) *catalogEntry {
	if key != "" {
		return s.byID[s.byKey[key]]
	}
	var found *catalogEntry
	for _, id := range s.bySHA[sha] {
		e := s.byID[id]
		if e == nil {
			continue
		}
		if e.Key == "" {
			return e
		}
		if found == nil || e.ID < found.ID {
			found = e
		}
	}
	return found
}
