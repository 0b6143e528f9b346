package scoring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// recover loads the catalog and brings the catalog and the index up to date
// with the journal and the candidate files. See OpenStore.
func (s *Store) recover() error {
	jn, ops, err := openJournal(filepath.Join(s.dir, journalName), !s.noSync)
	if err != nil {
		return err
	}
	s.jn = jn
	fresh, err := s.openIndex()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	applied, err := s.appliedSeq()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	catSeq, entries, catErr := s.readCatalog()
	s.seq = max(catSeq, applied)
	if n := len(ops); n > 0 {
		s.seq = max(s.seq, ops[n-1].seq)
	}

	// The catalog is usable when it is there and the journal holds every
	// operation after it.
	scan := catErr != nil ||
		len(ops) > 0 && ops[0].seq > catSeq+1 ||
		len(ops) == 0 && s.seq > catSeq
	// The index needs a full comparison with the files when it is new, or
	// when the journal does not reach back to what it applied.
	compare := fresh || scan || len(ops) > 0 && ops[0].seq > applied+1 || len(ops) == 0 && s.seq > applied

	last := lastOps(ops)
	erased := false
	for id, o := range last {
		if o.del {
			erased = true
			// Finish the deletion: its file may still be there.
			if err := os.Remove(s.candidatePath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	if erased {
		if err := s.syncDir(filepath.Join(s.dir, candidatesName)); err != nil {
			return err
		}
	}

	// The catalog.
	if scan {
		if !errors.Is(catErr, errNoCatalog) && catErr != nil {
			s.log.Warn("store: catalog unreadable; reading every candidate file", "dir", s.dir, "err", catErr)
		} else {
			s.log.Info("store: no current catalog; reading every candidate file", "dir", s.dir)
		}
		if entries, err = s.scanCandidates(); err != nil {
			return err
		}
	}
	for _, e := range entries {
		s.addEntry(e)
	}
	if !scan {
		for id, o := range last {
			if o.seq <= catSeq {
				continue
			}
			if err := s.refreshEntry(id); err != nil {
				return err
			}
		}
	}

	// The index.
	var ops2 []string // ids to re-index or delete from the files' state
	if compare {
		have, err := s.indexIDs()
		if err != nil {
			return fmt.Errorf("index: %w", err)
		}
		for id := range have {
			if id != eraseDoc && s.byID[id] == nil {
				ops2 = append(ops2, id)
			}
		}
		for id := range s.byID {
			if !have[id] {
				ops2 = append(ops2, id)
			}
		}
	}
	for id, o := range last {
		if o.seq > applied && !slices.Contains(ops2, id) {
			ops2 = append(ops2, id)
		}
	}
	slices.Sort(ops2)
	for _, id := range ops2 {
		if s.byID[id] == nil && !fresh {
			erased = true // a deletion the index had not applied, or had not merged away
		}
	}
	if len(ops2) > 0 {
		s.log.Info("store: bringing the index up to date", "dir", s.dir, "candidates", len(ops2))
		if err := s.reindex(ops2); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	if erased {
		if err := s.erase(context.Background()); err != nil {
			return fmt.Errorf("index: finishing an erasure: %w", err)
		}
	}
	if len(ops) > 0 || scan || len(ops2) > 0 || catSeq != s.seq {
		return s.checkpoint()
	}
	return nil
}

// lastOps returns the last journal operation of each id.
func lastOps(ops []jop) map[string]jop {
	last := make(map[string]jop, len(ops))
	for _, o := range ops {
		last[o.id] = o
	}
	return last
}

// refreshEntry makes the catalog's entry of id agree with its file.
func (s *Store) refreshEntry(id string) error {
	c, err := s.readCandidate(id)
	if errors.Is(err, fs.ErrNotExist) {
		if e := s.byID[id]; e != nil {
			s.dropEntry(e)
		}
		return nil
	}
	if err != nil {
		return err
	}
	s.addEntry(entryOf(c))
	return nil
}

// scanCandidates reads every candidate file.
func (s *Store) scanCandidates() ([]*catalogEntry, error) {
	des, err := os.ReadDir(filepath.Join(s.dir, candidatesName))
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, de := range des {
		id, ok := strings.CutSuffix(de.Name(), ".json")
		if ok && validID(id) {
			ids = append(ids, id)
		}
	}
	entries := make([]*catalogEntry, len(ids))
	errs := make([]error, len(ids))
	forEachParallel(len(ids), func(i int) {
		c, err := s.readCandidate(ids[i])
		if err != nil {
			errs[i] = err
			return
		}
		entries[i] = entryOf(c)
	})
	out := entries[:0]
	for i, e := range entries {
		if errs[i] != nil {
			// A file that is not a candidate's is left alone, and not
			// served.
			s.log.Warn("store: unreadable candidate file left out", "file", s.candidatePath(ids[i]), "err", errs[i])
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// reindex re-indexes the given ids from their files, or deletes them from
// the index when the store does not hold them, in batches.
func (s *Store) reindex(ids []string) error {
	for start := 0; start < len(ids); start += DefaultBatchSize {
		part := ids[start:min(start+DefaultBatchSize, len(ids))]
		ops := make([]indexOp, len(part))
		errs := make([]error, len(part))
		forEachParallel(len(part), func(i int) {
			id := part[i]
			ops[i].id = id
			if s.byID[id] == nil {
				return
			}
			c, err := s.readCandidate(id)
			if err != nil {
				errs[i] = err
				return
			}
			ops[i].c = c
		})
		if err := errors.Join(errs...); err != nil {
			return err
		}
		if err := s.applyIndex(ops, s.seq, false); err != nil {
			return err
		}
	}
	return nil
}

// checkpoint makes the index durable up to the current sequence, writes the
// catalog as of it and empties the journal. Callers hold s.wmu (or are
// opening the store).
func (s *Store) checkpoint() error {
	if err := s.barrier(s.seq); err != nil {
		return err
	}
	if err := s.writeCatalog(s.seq); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	if err := s.jn.reset(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// forEachParallel calls f(0) ... f(n-1) from GOMAXPROCS goroutines.
func forEachParallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
