package scoring

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Internal keys of the on-disk index.
var (
	keyApplied = []byte("sift_applied_seq") // the last journal sequence applied, 8 bytes big-endian
	keyMapping = []byte("sift_mapping")     // the sha256 of NewMapping's JSON the index was built with
)

// eraseDoc is the id of a document with no fields that erasure re-indexes
// before merging, so that there are always two segments to merge (scorch
// does not rewrite a lone segment). It is not a candidate id (those are
// hex) and matches no shortlist query (it has no score).
const eraseDoc = "~erase"

// indexConfig is scorch's configuration. Batches return once applied in
// memory, not once persisted (unsafe_batch): the journal makes them
// durable, and a barrier waits for persistence where it matters. One
// snapshot is kept, so that segments a merge replaced are deleted (not
// kept for rollback), which erasure needs.
func indexConfig() map[string]any {
	return map[string]any{
		"unsafe_batch":       true,
		"numSnapshotsToKeep": 1,
		"bolt_timeout":       "2s",
	}
}

// mappingSum identifies NewMapping's current form.
func mappingSum() (string, error) {
	m, err := NewMapping()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// openIndex opens the on-disk index, or creates it. fresh is true when the
// index is new (it was missing, unreadable, or built with another mapping)
// and must be filled from the candidate files.
func (s *Store) openIndex() (fresh bool, err error) {
	path := filepath.Join(s.dir, indexName)
	sum, err := mappingSum()
	if err != nil {
		return false, err
	}
	if _, statErr := os.Stat(path); statErr == nil {
		bi, err := bleve.OpenUsing(path, indexConfig())
		if err == nil {
			got, gerr := bi.GetInternal(keyMapping)
			if gerr == nil && string(got) == sum {
				s.bi = bi
				return false, nil
			}
			bi.Close()
			s.log.Warn("store: index built with another mapping; rebuilding", "dir", s.dir)
		} else {
			s.log.Warn("store: index unreadable; rebuilding", "dir", s.dir, "err", err)
		}
		if err := os.RemoveAll(path); err != nil {
			return false, err
		}
	}
	m, err := NewMapping()
	if err != nil {
		return false, err
	}
	bi, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, indexConfig())
	if err != nil {
		return false, err
	}
	s.bi = bi
	b := bi.NewBatch()
	b.SetInternal(keyMapping, []byte(sum))
	if err := bi.Batch(b); err != nil {
		return false, err
	}
	return true, nil
}

// appliedSeq returns the last sequence the index applied.
func (s *Store) appliedSeq() (uint64, error) {
	v, err := s.bi.GetInternal(keyApplied)
	if err != nil || len(v) == 0 {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("index: applied sequence of %d bytes", len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

func seqBytes(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// indexDoc returns the index document of a stored candidate: the fields of
// NewMapping, with its score, qualification and tier per profile.
func indexDoc(c *Candidate) map[string]any {
	red, _ := redact(c.Resume)
	d := document(c.Resume, red)
	scores := make(map[string]any, len(c.Results))
	for id, r := range c.Results {
		scores[id] = map[string]any{scoreField: r.Score, qualifiedField: r.Qualified, tierField: r.Tier}
	}
	d[FieldScores] = scores
	return d
}

// An indexOp is a change to the index: a candidate to (re)index, or an id to
// delete when c is nil.
type indexOp struct {
	id string
	c  *Candidate
}

// applyIndex applies ops and records seq as applied, in one batch. persist
// makes it wait until the batch is on disk.
func (s *Store) applyIndex(ops []indexOp, seq uint64, persist bool) error {
	b := s.bi.NewBatch()
	for _, op := range ops {
		if op.c == nil {
			b.Delete(op.id)
			continue
		}
		if err := b.Index(op.id, indexDoc(op.c)); err != nil {
			return fmt.Errorf("index: %s: %w", op.id, err)
		}
	}
	b.SetInternal(keyApplied, seqBytes(seq))
	var done chan error
	if persist {
		done = make(chan error, 1)
		b.SetPersistedCallback(func(err error) { done <- err })
	}
	if err := s.bi.Batch(b); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if persist {
		if err := <-done; err != nil {
			return fmt.Errorf("index: persisting: %w", err)
		}
	}
	return nil
}

// barrier waits until everything applied to the index is on disk, with
// seq recorded as applied.
func (s *Store) barrier(seq uint64) error { return s.applyIndex(nil, seq, true) }

// indexIDs returns the ids of every document in the index.
func (s *Store) indexIDs() (map[string]bool, error) {
	adv, err := s.bi.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer all.Close()
	ids := map[string]bool{}
	for {
		iid, err := all.Next()
		if err != nil {
			return nil, err
		}
		if iid == nil {
			return ids, nil
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return nil, err
		}
		ids[id] = true
	}
}

// flush waits until everything applied to the index is on disk. Unlike
// barrier, it records no sequence, so it needs no write lock.
func (s *Store) flush() error {
	b := s.bi.NewBatch()
	done := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := s.bi.Batch(b); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return <-done
}

// erase makes deleted candidates' data leave the index's files: scorch
// marks a deleted document obsolete but keeps its terms and stored fields
// in the segment files until a merge rewrites them. erase persists
// everything, forces every segment to be merged (ForceMerge) and waits
// until every segment file that existed before it has been removed from
// the directory; it is an error if they have not after a minute. It costs a
// rewrite of the whole index: seconds for a pool of 100,000. Writes may go
// on meanwhile: their new segments hold nothing deleted before.
//
// Callers hold s.eraseMu, or are opening the store.
func (s *Store) erase(ctx context.Context) error {
	adv, err := s.bi.Advanced()
	if err != nil {
		return err
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("erase: index is %T, not scorch", adv)
	}
	dir := filepath.Join(s.dir, indexName, "store")
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join(s.dir, indexName)
	}
	if err := s.flush(); err != nil {
		return err
	}
	before, err := segmentFiles(dir)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(time.Minute)
	wait := time.Millisecond
	for {
		// A new segment for the empty document, so that there are always
		// two segments or more, which the planner merges.
		b := s.bi.NewBatch()
		if err := b.Index(eraseDoc, map[string]any{}); err != nil {
			return err
		}
		if err := s.bi.Batch(b); err != nil {
			return err
		}
		if err := s.flush(); err != nil {
			return err
		}
		opts := mergeplan.SingleSegmentMergePlanOptions
		if err := sc.ForceMerge(ctx, &opts); err != nil {
			return fmt.Errorf("erase: merge: %w", err)
		}
		// The persister deletes replaced segment files after it persists
		// a snapshot without them; flushes make it run.
		for range 3 {
			if err := s.flush(); err != nil {
				return err
			}
			now, err := segmentFiles(dir)
			if err != nil {
				return err
			}
			left := 0
			for _, f := range now {
				if slices.Contains(before, f) {
					left++
				}
			}
			if left == 0 {
				return nil
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("erase: %d segment files older than the deletion are still in %s", left, dir)
			}
			time.Sleep(wait)
			wait = min(2*wait, 100*time.Millisecond)
		}
	}
}

// segmentFiles lists the segment files of a scorch index directory.
func segmentFiles(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".zap") {
			out = append(out, de.Name())
		}
	}
	return out, nil
}
