package scoring

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"sift/parser"
	"sift/rules"
)

// checkpointJournalSize is the journal size past which a write checkpoints
// the store (about 80,000 operations), bounding the journal and the work of
// the next open.
const checkpointJournalSize = 4 << 20

// A PutRequest is one resume for PutBatch, with its key: an ATS's external
// id, a source path, or "" for a content-addressed candidate.
type PutRequest struct {
	Resume *parser.Resume
	Key    string
}

// A PutError reports a resume of a PutBatch that was not stored. It does not
// stop the others.
type PutError struct {
	Index int    // the request's position in the batch
	File  string // its Resume.File
	Err   error
}

func (e *PutError) Error() string {
	return fmt.Sprintf("resume %d (%s): %v", e.Index, e.File, e.Err)
}

func (e *PutError) Unwrap() error { return e.Err }

// Put stores a parsed resume, scored against every profile, under key: an
// ATS's external id, a source path (sift index), or "" for a candidate
// identified by its content (the resume's SHA256).
//
// The same key with the same content (or, without a key, content already
// stored) changes nothing: Created and Changed are false and the stored
// candidate is returned, results included, without scoring again. The same
// key with new content replaces that candidate's resume and results, under
// the same id (Changed). Anything else is a new candidate (Created).
//
// Put returns once the candidate is durable: its file and a journal entry
// fsync'd, so that it survives kill -9 or a power cut; it is in shortlists
// by then too. Scoring, the expensive part, runs before any lock is taken.
// A resume whose parse failed (parser.StatusError, StatusNoText) is refused
// with ErrNotScorable.
func (s *Store) Put(ctx context.Context, res *parser.Resume, key string) (*PutResult, error) {
	out, err := s.PutBatch(ctx, []PutRequest{{Resume: res, Key: key}})
	var pe *PutError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("scoring.Store.Put: %s: %w", pe.File, pe.Err)
	}
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// PutBatch is Put for many resumes at once: they are scored together (on
// all cores, as a Scorer does), and committed with one journal fsync and
// one index batch, which is how `sift index` loads a folder quickly. A
// resume that cannot be stored has a nil entry, and the error joins a *PutError for each such resume; any other
// error means none was stored.
func (s *Store) PutBatch(ctx context.Context, reqs []PutRequest) ([]*PutResult, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	out := make([]*PutResult, len(reqs))
	var errs []error
	fail := func(i int, err error) {
		file := ""
		if reqs[i].Resume != nil {
			file = reqs[i].Resume.File
		}
		errs = append(errs, &PutError{Index: i, File: file, Err: err})
	}

	// What each request is about, as far as the catalog says now.
	type item struct {
		i    int
		sha  string
		prev *catalogEntry // the candidate it replaces, as looked up before scoring
	}
	var valid []item
	for i, r := range reqs {
		switch {
		case r.Resume == nil:
			fail(i, errors.New("nil resume"))
		case r.Resume.Status == parser.StatusError || r.Resume.Status == parser.StatusNoText:
			fail(i, fmt.Errorf("%w (%s)", ErrNotScorable, r.Resume.Status))
		default:
			valid = append(valid, item{i: i, sha: contentSHA(r.Resume)})
		}
	}
	var todo, noop []item
	s.mu.RLock()
	for _, it := range valid {
		it.prev = s.lookup(reqs[it.i].Key, it.sha)
		if it.prev != nil && it.prev.SHA == it.sha {
			noop = append(noop, it)
		} else {
			todo = append(todo, it)
		}
	}
	s.mu.RUnlock()
	for _, it := range noop {
		c, err := s.Get(it.prev.ID)
		if err != nil {
			fail(it.i, err)
			continue
		}
		out[it.i] = &PutResult{Candidate: c}
	}

	// Score, outside any lock.
	month := s.month()
	views := make([]*parser.Resume, len(todo))
	for k, it := range todo {
		views[k] = asOfView(reqs[it.i].Resume, month)
	}
	scored, err := s.scorer.ScoreBatch(ctx, views)
	if err != nil {
		var re *ResumeError
		for _, e := range unjoin(err) {
			if !errors.As(e, &re) {
				return nil, err // not one resume's problem
			}
		}
		for _, e := range unjoin(err) {
			errors.As(e, &re)
			fail(todo[re.Seq].i, re.Err)
		}
	}

	// Write each candidate's file next to where it goes, outside any lock,
	// assuming the catalog has not changed; commit checks.
	now := s.now().UTC()
	var cs []*change
	for k, it := range todo {
		if scored[k] == nil {
			continue
		}
		r := reqs[it.i]
		cs = append(cs, &change{req: it.i, key: r.Key, sha: it.sha, res: r.Resume, results: scored[k], prev: it.prev, now: now})
	}
	if err := s.prepareAll(cs); err != nil {
		return nil, err
	}
	if len(cs) > 0 {
		if err := s.commitPuts(cs); err != nil {
			return nil, err
		}
	}
	for _, ch := range cs {
		out[ch.req] = &PutResult{Candidate: ch.c, Created: ch.created, Changed: ch.changed}
	}
	sort.Slice(errs, func(a, b int) bool { return errs[a].(*PutError).Index < errs[b].(*PutError).Index })
	return out, errors.Join(errs...)
}

// unjoin returns the errors an errors.Join holds, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// A change is a candidate file to commit: a put (new or replacing) or a
// rescore.
type change struct {
	req     int            // the request's index (puts)
	key     string         // the put's key
	sha     string         // the content's sha256
	res     *parser.Resume // the resume as given
	results []rules.Result // one per store profile, in order
	keep    map[string]rules.Result
	now     time.Time

	prev    *catalogEntry // the entry this change was prepared against (nil: a new candidate)
	c       *Candidate
	tmp     string // the prepared file
	created bool
	changed bool
	noop    bool // found already stored at commit
}

// prepare builds ch's candidate against the entry prev (nil for a new
// candidate) and writes its file to a temporary name.
func (s *Store) prepare(ch *change, prev *catalogEntry) error {
	ch.prev = prev
	c := &Candidate{ExternalID: ch.key, File: ch.res.File, SHA256: ch.sha, Added: ch.now, Updated: ch.now, Resume: ch.res}
	if prev == nil {
		id, err := s.newID()
		if err != nil {
			return err
		}
		c.ID, ch.created, ch.changed = id, true, false
	} else {
		c.ID, c.Added, c.ExternalID = prev.ID, prev.Added, prev.Key
		ch.created, ch.changed = false, true
	}
	c.Results = make(map[string]rules.Result, len(ch.results)+len(ch.keep))
	for id, r := range ch.keep {
		c.Results[id] = r
	}
	for _, r := range ch.results {
		r.Candidate = c.ID
		c.Results[r.Profile.ID] = r
	}
	b, err := marshalCandidate(c)
	if err != nil {
		return err
	}
	if ch.tmp != "" {
		os.Remove(ch.tmp)
	}
	ch.tmp, err = s.writeTemp(s.candidatePath(c.ID), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	ch.c = c
	return err
}

// prepareAll prepares changes against their prev entries, several at a
// time: each costs an fsync, and a disk serves several at once.
func (s *Store) prepareAll(cs []*change) error {
	errs := make([]error, len(cs))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, ch := range cs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = s.prepare(ch, ch.prev)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		s.discard(cs)
		return err
	}
	return nil
}

// discard removes prepared files.
func (s *Store) discard(cs []*change) {
	for _, ch := range cs {
		if ch.tmp != "" {
			os.Remove(ch.tmp)
			ch.tmp = ""
		}
	}
}

// newID returns a random candidate id not in use.
func (s *Store) newID() (string, error) {
	for {
		var b [idLen / 2]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		id := hex.EncodeToString(b[:])
		s.mu.RLock()
		_, taken := s.byID[id]
		s.mu.RUnlock()
		if !taken {
			return id, nil
		}
	}
}

// commitPuts commits prepared puts in order. Under the write lock, each is
// checked against the catalog as it is now (and the puts before it in the
// batch): one that another write overtook is prepared again, or found to be
// stored already.
func (s *Store) commitPuts(cs []*change) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.writable(); err != nil {
		s.discard(cs)
		return err
	}
	byKey := map[string]*catalogEntry{}
	bySHA := map[string]*catalogEntry{}
	var live []*change
	for _, ch := range cs {
		var cur *catalogEntry
		switch {
		case ch.key != "" && byKey[ch.key] != nil:
			cur = byKey[ch.key]
		case ch.key == "" && bySHA[ch.sha] != nil:
			cur = bySHA[ch.sha]
		default:
			s.mu.RLock()
			cur = s.lookup(ch.key, ch.sha)
			s.mu.RUnlock()
		}
		switch {
		case cur != nil && cur.SHA == ch.sha:
			ch.noop = true
			s.discard([]*change{ch})
			continue
		case cur != ch.prev || ch.created && s.idTaken(ch.c.ID, live):
			// Overtaken by another write, or (with odds of 2^-64) a new
			// id drawn twice.
			if err := s.prepare(ch, cur); err != nil {
				s.discard(cs)
				return err
			}
		}
		e := entryOf(ch.c)
		if ch.key != "" {
			byKey[ch.key] = e
		}
		bySHA[ch.sha] = e
		live = append(live, ch)
	}
	if err := s.commit(live); err != nil {
		return err
	}
	for _, ch := range cs {
		if ch.noop {
			c, err := s.getLocked(ch.sha, ch.key)
			if err != nil {
				return err
			}
			ch.c, ch.created, ch.changed = c, false, false
		}
	}
	return nil
}

// idTaken reports whether a new candidate's id is in use, in the catalog or
// by an earlier change of the batch.
func (s *Store) idTaken(id string, batch []*change) bool {
	s.mu.RLock()
	_, taken := s.byID[id]
	s.mu.RUnlock()
	return taken || slices.ContainsFunc(batch, func(ch *change) bool { return ch.c.ID == id })
}

// getLocked reads the candidate a no-op put found.
func (s *Store) getLocked(sha, key string) (*Candidate, error) {
	s.mu.RLock()
	e := s.lookup(key, sha)
	s.mu.RUnlock()
	if e == nil {
		return nil, fmt.Errorf("candidate of %s vanished", sha)
	}
	return s.readCandidate(e.ID)
}

// commit makes prepared changes durable and visible: journal entries
// (fsync), the files renamed into place (fsync of the directory), one index
// batch, the catalog. Callers hold s.wmu. After a failure past the journal
// the store refuses writes until it is reopened, which repairs it.
func (s *Store) commit(cs []*change) error {
	if len(cs) == 0 {
		return nil
	}
	ops := make([]jop, len(cs))
	for i, ch := range cs {
		ops[i] = jop{seq: s.seq + uint64(i) + 1, id: ch.c.ID}
	}
	if err := s.jn.append(ops); err != nil {
		s.discard(cs)
		return s.fail(err)
	}
	s.seq = ops[len(ops)-1].seq
	for _, ch := range cs {
		if err := os.Rename(ch.tmp, s.candidatePath(ch.c.ID)); err != nil {
			s.discard(cs)
			return s.fail(err)
		}
		ch.tmp = ""
	}
	if err := s.syncDir(filepath.Join(s.dir, candidatesName)); err != nil {
		return s.fail(err)
	}
	iops := make([]indexOp, len(cs))
	for i, ch := range cs {
		iops[i] = indexOp{id: ch.c.ID, c: ch.c}
	}
	if err := s.applyIndex(iops, s.seq, false); err != nil {
		return s.fail(err)
	}
	s.mu.Lock()
	for _, ch := range cs {
		s.addEntry(entryOf(ch.c))
	}
	s.mu.Unlock()
	if s.jn.size > checkpointJournalSize {
		if err := s.checkpoint(); err != nil {
			return s.fail(err)
		}
	}
	return nil
}

// fail records a write that failed half way: what is on disk is repaired
// by the next OpenStore, and until then the store refuses writes (reads go
// on). Callers hold s.wmu.
func (s *Store) fail(err error) error {
	s.failed = err
	return err
}

// writable reports why the store cannot take a write. Callers hold s.wmu.
func (s *Store) writable() error {
	if s.closed.Load() {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("store refuses writes until it is reopened, after a failed write: %w", s.failed)
	}
	return nil
}

// contentSHA returns the sha256 a resume is identified by without a key:
// the document's (Resume.SHA256), or that of the Resume's JSON.
func contentSHA(r *parser.Resume) string {
	if r.SHA256 != "" {
		return r.SHA256
	}
	b, _ := json.Marshal(r)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Score scores a resume against every profile, as of the store's month,
// and stores nothing. The results are in the order of
// StoreOptions.Profiles. It builds no index: a ResumeMatcher finds the
// resume's terms, as it does for Put.
func (s *Store) Score(ctx context.Context, res *parser.Resume) ([]rules.Result, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	if res == nil {
		return nil, errors.New("scoring.Store.Score: nil resume")
	}
	if res.Status == parser.StatusError || res.Status == parser.StatusNoText {
		return nil, fmt.Errorf("scoring.Store.Score: %s: %w (%s)", res.File, ErrNotScorable, res.Status)
	}
	out, err := s.scorer.ScoreBatch(ctx, []*parser.Resume{asOfView(res, s.month())})
	if err != nil {
		return nil, fmt.Errorf("scoring.Store.Score: %w", err)
	}
	return out[0], nil
}

// Rescore recomputes every result that is stale (see Stale): its profile's
// hash differs from the loaded profile's, its as-of month is not the
// store's, or the candidate has none for a loaded profile. It reads the
// stored resumes and never parses. Candidates go through in batches (scored
// as a Scorer scores them), each batch committed as
// PutBatch commits; progress, when not nil, is called after each. Results of
// profiles that are not loaded are kept as they are.
//
// It returns how many candidates were rescored. A candidate that could not
// be rescored keeps its results, and the error joins one error per such
// candidate; Rescore stops at ctx's cancellation or a write's failure.
func (s *Store) Rescore(ctx context.Context, progress func(done, total int)) (int, error) {
	if s.closed.Load() {
		return 0, ErrClosed
	}
	month := s.month()
	s.mu.RLock()
	var ids []string
	for id, e := range s.byID {
		if s.stale(e, month) {
			ids = append(ids, id)
		}
	}
	s.mu.RUnlock()
	slices.Sort(ids)
	total, done, rescored := len(ids), 0, 0
	var errs []error
	for start := 0; start < total; start += DefaultBatchSize {
		if err := ctx.Err(); err != nil {
			return rescored, errors.Join(append(errs, err)...)
		}
		part := ids[start:min(start+DefaultBatchSize, total)]
		n, err := s.rescoreBatch(ctx, part, month, &errs)
		rescored += n
		if err != nil {
			return rescored, errors.Join(append(errs, err)...)
		}
		done += len(part)
		if progress != nil {
			progress(done, total)
		}
	}
	return rescored, errors.Join(errs...)
}

// rescoreBatch rescores one batch of candidates.
func (s *Store) rescoreBatch(ctx context.Context, ids []string, month parser.Month, errs *[]error) (int, error) {
	type loaded struct {
		c   *Candidate
		e   *catalogEntry
		err error
	}
	ls := make([]loaded, len(ids))
	forEachParallel(len(ids), func(i int) {
		s.mu.RLock()
		e := s.byID[ids[i]]
		s.mu.RUnlock()
		if e == nil {
			return // deleted since
		}
		c, err := s.readCandidate(ids[i])
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		ls[i] = loaded{c, e, err}
	})
	var views []*parser.Resume
	var idx []int
	for i, l := range ls {
		if l.err != nil {
			*errs = append(*errs, fmt.Errorf("candidate %s: %w", ids[i], l.err))
			continue
		}
		if l.c != nil {
			views = append(views, asOfView(l.c.Resume, month))
			idx = append(idx, i)
		}
	}
	scored, err := s.scorer.ScoreBatch(ctx, views)
	if err != nil {
		var re *ResumeError
		for _, e := range unjoin(err) {
			if !errors.As(e, &re) {
				return 0, err
			}
			*errs = append(*errs, fmt.Errorf("candidate %s: %w", ids[idx[re.Seq]], re.Err))
		}
	}
	now := s.now().UTC()
	var cs []*change
	for k, i := range idx {
		if scored[k] == nil {
			continue
		}
		l := ls[i]
		keep := map[string]rules.Result{}
		for id, r := range l.c.Results {
			if _, loaded := s.byName[id]; !loaded {
				keep[id] = r
			}
		}
		cs = append(cs, &change{key: l.c.ExternalID, sha: l.c.SHA256, res: l.c.Resume, results: scored[k], keep: keep, now: now, prev: l.e})
	}
	if err := s.prepareAll(cs); err != nil {
		return 0, err
	}
	return s.commitRescores(cs)
}

// commitRescores commits rescored candidates that no write changed since
// they were read.
func (s *Store) commitRescores(cs []*change) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.writable(); err != nil {
		s.discard(cs)
		return 0, err
	}
	live := cs[:0]
	for _, ch := range cs {
		s.mu.RLock()
		cur := s.byID[ch.c.ID]
		s.mu.RUnlock()
		if cur != ch.prev {
			s.discard([]*change{ch}) // replaced or deleted meanwhile: its new state was scored then
			continue
		}
		live = append(live, ch)
	}
	if err := s.commit(live); err != nil {
		return 0, err
	}
	return len(live), nil
}

// asOfView returns res as the parser would have given it in month m: the
// as-of month set, and the months of dated positions and the experience
// total counted to m (a current position runs to m; nothing counts after
// m), as parser does. res itself is not changed, and the view shares
// everything else (text, sections) with it. A position without a start
// keeps its months, and a resume without dated positions its total.
func asOfView(res *parser.Resume, m parser.Month) *parser.Resume {
	if m.IsZero() || res.AsOf == m {
		return res
	}
	v := *res
	v.AsOf = m
	v.Positions = slices.Clone(res.Positions)
	dated := false
	for i := range v.Positions {
		p := &v.Positions[i]
		if p.Start.IsZero() {
			continue
		}
		dated = true
		p.Months = p.MonthsAsOf(m)
	}
	if dated {
		v.ExperienceMonths = parser.ExperienceMonths(v.Positions, m)
	}
	return &v
}
