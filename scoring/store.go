package scoring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"sift/parser"
	"sift/rules"
)

// A Store is the persistent candidate pool: every candidate's parsed resume
// and its Result against each loaded profile, kept in a data directory with
// a bleve index on disk for shortlist queries. Recruiters score once into
// it, hiring managers query it, an ATS pushes resumes into it as they
// arrive, and a candidate's data is erased from it on request.
//
// # Data directory
//
//	LOCK                 held (flock) by the one process that has the store open
//	FORMAT               "sift-store/1": refuses a directory of another format
//	candidates/<id>.json one file per candidate: the Candidate, results and
//	                     parser.Resume (the truth; everything else derives from these)
//	journal              operations since the last checkpoint, one line each:
//	                     sequence number, put or del, candidate id, CRC (no personal data)
//	catalog              what the store keeps in memory of every candidate (ids,
//	                     keys, hashes, result summaries, the facts filters read),
//	                     as of the checkpoint sequence it names
//	index/               the bleve index (scorch), mapped by NewMapping, recording
//	                     the last sequence it applied
//
// One file per candidate, written atomically (temporary file, fsync,
// rename, fsync of the directory), keeps a write's cost independent of the
// pool's size, makes a replace or an erasure touch one file, and lets a
// person inspect or back up the pool with ordinary tools. The journal makes
// every acknowledged change recoverable without rewriting anything large:
// it is appended and fsync'd before the candidate file is renamed into
// place, and the index records, in the same batch as the documents, the
// sequence it has applied; on open, the entries past that sequence are
// replayed from the candidate files, so a crash between the durable write
// and the index is repaired. The catalog spares an open from reading every
// candidate file: it is rewritten at each checkpoint (a clean Close, an
// erasure, or a journal grown past a few megabytes), after which the
// journal is emptied. Without a usable catalog, an open reads every
// candidate file instead, and without a usable index (or after NewMapping
// changes) it rebuilds the index from them.
//
// # Index and shortlists
//
// The index has one document per candidate, built with the same NewMapping
// as an in-memory Index (the resume's redacted text and fields), plus its
// score, qualification and tier per profile under scores.<profile id>, the
// one part of the mapping that is dynamic, so that loading a new profile
// needs no new mapping. Shortlists do not sort in bleve: the store keeps,
// per profile, a ranking of every candidate in memory (see rankList) and
// asks bleve only which candidates match a text query and how many; a
// Where filter reads the facts kept in memory (see encodeFacts). Memory is
// under a kilobyte per candidate: 86 MB for 100,000 and one profile.
//
// # Erasure
//
// Delete leaves nothing of a candidate in the directory: its file removed,
// the journal holding only its id (random, and emptied at the next
// checkpoint), the catalog rewritten without it, and the index's segments
// merged so that no segment file keeps its terms or stored values (see
// Delete).
//
// # Consistency
//
// An acknowledged Put, PutBatch or Delete is durable: it survives kill -9
// and power loss (given a file system that honours fsync). Reads see every
// acknowledged write. Writes are serialized (one journal, one index
// writer); the expensive part of a Put, scoring, runs outside any lock, so
// concurrent Puts score in parallel. A Store is safe for concurrent use by
// many goroutines.
//
// # Results and the as-of month
//
// Every candidate has one Result per loaded profile, computed as of the
// month of StoreOptions.Now (what "Present" in a resume means), whatever
// month the resume was parsed in. Rescore recomputes the results whose
// profile changed (its hash differs) or whose month has passed, from the
// stored resumes, without parsing again.
type Store struct {
	dir      string
	profiles []*rules.Profile
	byName   map[string]int // profile id -> index in profiles
	scorer   *Scorer
	version  string
	now      func() time.Time
	log      *slog.Logger
	noSync   bool

	lock *os.File    // the flock on LOCK
	bi   bleve.Index // on-disk scorch index

	// wmu serializes writes: the journal, candidate files, index batches,
	// checkpoints. Readers never take it.
	wmu    sync.Mutex
	seq    uint64 // last sequence number used
	jn     *journal
	failed error // a write failed half way: no more writes until reopened

	// eraseMu serializes erasures (the merges that follow deletions), which
	// run without wmu; it is taken before wmu, never after.
	eraseMu sync.Mutex
	deleted atomic.Uint64 // deletions applied to the index
	erased  uint64        // deletions whose data is merged away (guarded by eraseMu)

	// mu guards the catalog below. Entries are immutable: a change
	// replaces the pointer, so a reader may use an entry after unlocking.
	mu    sync.RWMutex
	byID  map[string]*catalogEntry
	byKey map[string]string   // external id -> candidate id
	bySHA map[string][]string // content sha256 -> candidate ids
	ranks []rankList          // by profile index: every candidate, best first

	filters filterCache
	closed  atomic.Bool
	windows atomic.Int64 // windows text shortlists searched, for tests
}

// StoreOptions configure a Store.
type StoreOptions struct {
	// Profiles are the loaded profiles; every candidate gets a Result per
	// profile. Required. Profile ids must be unique.
	Profiles []*rules.Profile

	// Version is the engine's version, recorded in every Result.
	Version string

	// Now is the clock; the as-of month of new results is the month of
	// Now(). Default time.Now.
	Now func() time.Time

	// Logger receives what the store repairs when it opens (operations
	// replayed, an index rebuilt). Default: discard.
	Logger *slog.Logger

	// NoSync skips every fsync. It is for building a throw-away store in
	// bulk (benchmarks): a crash can then lose acknowledged writes or
	// leave the store to be rebuilt. Never set it for a real pool.
	NoSync bool
}

// A Candidate is a resume under a stable id. An Index reads only ID and
// Resume (the id may be the resume's SHA256, a caller's id, or, inside a
// Scorer's batch, the resume's position); a Store fills in the rest and
// keeps it as candidates/<id>.json.
type Candidate struct {
	ID         string    `json:"id"`
	ExternalID string    `json:"external_id,omitempty"` // the key it was put with: an ATS's id or a source path
	File       string    `json:"file"`                  // Resume.File
	SHA256     string    `json:"sha256"`                // of the document's bytes (Resume.SHA256), or of the Resume's JSON when that is empty
	Added      time.Time `json:"added"`
	Updated    time.Time `json:"updated"` // when the resume or a result last changed
	// Results are by profile id: one per loaded profile, and any kept from
	// profiles no longer loaded.
	Results map[string]rules.Result `json:"results"`
	Resume  *parser.Resume          `json:"resume"`
}

// PutResult is the outcome of a Put.
type PutResult struct {
	// Candidate is the candidate as stored, with its results.
	Candidate *Candidate
	// Created is true when the candidate is new.
	Created bool
	// Changed is true when an existing candidate (same key) got new
	// content. When both are false, the Put changed nothing.
	Changed bool
}

// Errors of the store that callers branch on.
var (
	// ErrNotFound is returned for a candidate id the store does not hold.
	ErrNotFound = errors.New("candidate not found")
	// ErrLocked is returned by OpenStore when another process (or another
	// Store in this one) has the data directory open.
	ErrLocked = errors.New("data directory is in use")
	// ErrClosed is returned by the methods of a closed Store.
	ErrClosed = errors.New("store is closed")
	// ErrInvalidQuery is matched by a shortlist query that cannot run: an
	// unknown profile, a text query that does not parse. An invalid Where
	// expression matches rules.ErrInvalidFilter instead.
	ErrInvalidQuery = errors.New("invalid query")
	// ErrNotScorable is returned by Put for a resume without text: one
	// whose parse failed (parser.StatusError, parser.StatusNoText).
	ErrNotScorable = errors.New("resume has no text to score")
)

// storeFormat is the content of FORMAT.
const storeFormat = "sift-store/1\n"

// Names in the data directory.
const (
	lockName       = "LOCK"
	formatName     = "FORMAT"
	journalName    = "journal"
	catalogName    = "catalog"
	candidatesName = "candidates"
	indexName      = "index"
	tmpSuffix      = ".tmp"
)

// OpenStore opens the store in dir, creating it when it does not exist, and
// reconciles it after a crash: journal entries the index has not applied
// are replayed from the candidate files, an erasure interrupted by the crash
// is finished, and an index that is missing, unreadable or built with
// another mapping is rebuilt. One process at a time: a directory another
// Store has open gives ErrLocked.
func OpenStore(dir string, opts StoreOptions) (*Store, error) {
	s, err := openStore(dir, opts)
	if err != nil {
		return nil, fmt.Errorf("scoring.OpenStore: %s: %w", dir, err)
	}
	return s, nil
}

func openStore(dir string, opts StoreOptions) (_ *Store, err error) {
	if len(opts.Profiles) == 0 {
		return nil, errors.New("no profiles")
	}
	s := &Store{
		dir:     dir,
		byName:  map[string]int{},
		version: opts.Version,
		now:     opts.Now,
		log:     opts.Logger,
		noSync:  opts.NoSync,
		byID:    map[string]*catalogEntry{},
		byKey:   map[string]string{},
		bySHA:   map[string][]string{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	evals := make([]Evaluator, len(opts.Profiles))
	for i, p := range opts.Profiles {
		if p == nil {
			return nil, fmt.Errorf("profile %d is nil", i)
		}
		if _, dup := s.byName[p.ID]; dup {
			return nil, fmt.Errorf("profile %q loaded twice", p.ID)
		}
		s.byName[p.ID] = i
		s.profiles = append(s.profiles, p)
		evals[i] = &rules.Evaluator{Profile: p, Version: opts.Version}
	}
	s.scorer = &Scorer{Profiles: evals, Version: opts.Version}

	if err := os.MkdirAll(filepath.Join(dir, candidatesName), 0o700); err != nil {
		return nil, err
	}
	if s.lock, err = lockDir(filepath.Join(dir, lockName)); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			if s.bi != nil {
				s.bi.Close()
			}
			if s.jn != nil {
				s.jn.close()
			}
			unlockDir(s.lock)
		}
	}()
	if err := s.checkFormat(); err != nil {
		return nil, err
	}
	if err := s.removeTemporaries(); err != nil {
		return nil, err
	}
	if err := s.recover(); err != nil {
		return nil, err
	}
	s.buildRanks()
	return s, nil
}

// checkFormat writes FORMAT in a new directory and refuses one of another
// format.
func (s *Store) checkFormat() error {
	path := filepath.Join(s.dir, formatName)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s.writeFileAtomic(path, []byte(storeFormat))
	case err != nil:
		return err
	case string(b) != storeFormat:
		return fmt.Errorf("%s: format %q, want %q", path, b, storeFormat)
	}
	return nil
}

// removeTemporaries deletes the temporary files a crash can leave.
func (s *Store) removeTemporaries() error {
	for _, d := range []string{s.dir, filepath.Join(s.dir, candidatesName)} {
		des, err := os.ReadDir(d)
		if err != nil {
			return err
		}
		for _, de := range des {
			if filepath.Ext(de.Name()) == tmpSuffix {
				if err := os.Remove(filepath.Join(d, de.Name())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Close checkpoints the store (the index made durable, the catalog written,
// the journal emptied), finishing an interrupted erasure first, and
// releases the directory. A closed store's methods return ErrClosed.
func (s *Store) Close() error {
	s.eraseMu.Lock()
	defer s.eraseMu.Unlock()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed.Swap(true) {
		return nil
	}
	var errs []error
	if s.failed == nil && s.deleted.Load() > s.erased {
		errs = append(errs, s.erase(context.Background()))
	}
	if s.failed == nil && errors.Join(errs...) == nil {
		// Without a checkpoint (after a failure), the next open repairs.
		errs = append(errs, s.checkpoint())
	}
	errs = append(errs, s.bi.Close(), s.jn.close(), unlockDir(s.lock))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("scoring.Store.Close: %s: %w", s.dir, err)
	}
	return nil
}

// Len returns the number of candidates.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byID)
}

// Profiles returns the loaded profiles, in the order of StoreOptions.
func (s *Store) Profiles() []*rules.Profile { return slices.Clone(s.profiles) }

// Get returns a stored candidate, with its resume and results.
func (s *Store) Get(id string) (*Candidate, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	s.mu.RLock()
	e := s.byID[id]
	s.mu.RUnlock()
	if e == nil {
		return nil, fmt.Errorf("scoring.Store.Get: %q: %w", id, ErrNotFound)
	}
	c, err := s.readCandidate(id)
	if errors.Is(err, fs.ErrNotExist) {
		// Deleted since the look-up.
		return nil, fmt.Errorf("scoring.Store.Get: %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("scoring.Store.Get: %q: %w", id, err)
	}
	return c, nil
}

// Stale returns how many candidates lack a current result for some loaded
// profile: its profile changed, its as-of month has passed, or the profile
// is new. Rescore brings them up to date.
func (s *Store) Stale() int {
	month := s.month()
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, e := range s.byID {
		if s.stale(e, month) {
			n++
		}
	}
	return n
}

// month returns the as-of month of new results.
func (s *Store) month() parser.Month { return parser.MonthOf(s.now()) }

// stale reports whether e lacks a current result for a loaded profile.
func (s *Store) stale(e *catalogEntry, month parser.Month) bool {
	for _, p := range s.profiles {
		sc := e.score(p.ID)
		if sc == nil || sc.Hash != p.Hash() || sc.AsOf != month {
			return true
		}
	}
	return false
}

// candidatePath returns the path of a candidate's file.
func (s *Store) candidatePath(id string) string {
	return filepath.Join(s.dir, candidatesName, id+".json")
}
