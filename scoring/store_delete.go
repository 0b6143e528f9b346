package scoring

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Delete erases a candidate: its file, its index document, its catalog
// entry and every mapping to it (external id, content hash), so that
// nothing of it is left in the data directory. This is how a request to
// erase a person's data is honoured:
//
//   - the journal records the deletion by id only (ids are random, and no
//     journal entry holds anything of a resume);
//   - the candidate's file is removed;
//   - the index document is deleted, and the index's segments are merged
//     (scorch keeps a deleted document's terms in its segment files until a
//     merge rewrites them); Delete waits until every segment file that held
//     it is gone from the directory;
//   - the catalog is rewritten without it, and the journal emptied.
//
// The merge rewrites the whole index, which takes seconds for a large pool;
// reads and other writes go on meanwhile, and deletions that arrive during
// it are erased together by the next merge. When ctx ends or the merge
// fails, the candidate is gone from the store but the merge is incomplete:
// Delete returns the error, and the next Delete, Close or OpenStore
// completes the merge. Deleting an id the store does not hold gives
// ErrNotFound.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := s.delete(ctx, id); err != nil {
		return fmt.Errorf("scoring.Store.Delete: %q: %w", id, err)
	}
	return nil
}

func (s *Store) delete(ctx context.Context, id string) error {
	gen, err := s.remove(id)
	if err != nil {
		return err
	}
	return s.eraseTo(ctx, gen)
}

// remove deletes a candidate's file, index document and catalog entry,
// and returns the number of deletions applied to the index so far.
func (s *Store) remove(id string) (uint64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.writable(); err != nil {
		return 0, err
	}
	s.mu.RLock()
	e := s.byID[id]
	s.mu.RUnlock()
	if e == nil {
		return 0, ErrNotFound
	}
	op := jop{seq: s.seq + 1, del: true, id: id}
	if err := s.jn.append([]jop{op}); err != nil {
		return 0, s.fail(err)
	}
	s.seq = op.seq
	if err := os.Remove(s.candidatePath(id)); err != nil && !os.IsNotExist(err) {
		return 0, s.fail(err)
	}
	if err := s.syncDir(filepath.Join(s.dir, candidatesName)); err != nil {
		return 0, s.fail(err)
	}
	if err := s.applyIndex([]indexOp{{id: id}}, s.seq, false); err != nil {
		return 0, s.fail(err)
	}
	s.mu.Lock()
	s.dropEntry(e)
	s.mu.Unlock()
	return s.deleted.Add(1), nil
}

// eraseTo completes the erasure of the first gen deletions: the index
// merged (unless an erasure that started after them has done it), then a
// checkpoint, which rewrites the catalog without them and empties the
// journal. Writes go on during the merge.
func (s *Store) eraseTo(ctx context.Context, gen uint64) error {
	s.eraseMu.Lock()
	defer s.eraseMu.Unlock()
	if s.closed.Load() {
		return ErrClosed // Close erased them
	}
	if s.erased >= gen {
		return nil
	}
	target := s.deleted.Load()
	if err := s.erase(ctx); err != nil {
		return fmt.Errorf("deleted, but its index data is not merged away yet (the next Delete, Close or OpenStore retries): %w", err)
	}
	s.erased = target
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if err := s.checkpoint(); err != nil {
		return s.fail(err)
	}
	return nil
}

// Lookup returns the id of the candidate stored under an external id
// (the key it was put with), or ErrNotFound.
func (s *Store) Lookup(key string) (string, error) {
	s.mu.RLock()
	id, ok := s.byKey[key]
	s.mu.RUnlock()
	if !ok || key == "" {
		return "", fmt.Errorf("scoring.Store.Lookup: %q: %w", key, ErrNotFound)
	}
	return id, nil
}
