package scoring

import (
	"cmp"
	"slices"
	"strings"
)

// The store ranks every candidate per profile in memory, best first, so that
// a shortlist reads its top entries without sorting: bleve sorting on a
// field visits the doc values of every match, which at 100,000 candidates
// takes hundreds of milliseconds, while walking a ranked list to the tenth
// qualified candidate takes microseconds. Text queries still go to bleve,
// window by window down the ranking (see shortlistRun.text).

// A rankItem is one candidate's place in a profile's ranking.
type rankItem struct {
	score     float64
	qualified bool
	e         *catalogEntry // its File and ID break ties
}

// cmpRank orders items best first, as Compare orders results: higher score,
// then qualified, then file name and id.
func cmpRank(a, b *rankItem) int {
	if a.score != b.score {
		return -cmp.Compare(a.score, b.score)
	}
	if a.qualified != b.qualified {
		if a.qualified {
			return -1
		}
		return 1
	}
	return cmp.Or(strings.Compare(a.e.File, b.e.File), strings.Compare(a.e.ID, b.e.ID))
}

// rankBlock is the size of a ranking's blocks: an insertion or removal
// copies one block and the list of blocks, so both stay small. (A variable
// for tests.)
var rankBlock = 512

// A rankList is a ranking: sorted items in blocks. It is immutable, so a
// reader can walk a snapshot while writers build the next one; with and
// without return a new list sharing the blocks they do not change.
type rankList struct {
	blocks [][]rankItem // each sorted and non-empty, in order
	n      int
}

// buildRank returns the ranking of items (which it sorts).
func buildRank(items []rankItem) rankList {
	slices.SortFunc(items, func(a, b rankItem) int { return cmpRank(&a, &b) })
	l := rankList{n: len(items)}
	for len(items) > 0 {
		k := min(rankBlock, len(items))
		l.blocks = append(l.blocks, slices.Clip(items[:k]))
		items = items[k:]
	}
	return l
}

// block returns the index of the block where it belongs: the first whose
// last item does not rank above it, or the last block.
func (l rankList) block(it *rankItem) int {
	b, _ := slices.BinarySearchFunc(l.blocks, it, func(blk []rankItem, it *rankItem) int {
		return cmpRank(&blk[len(blk)-1], it)
	})
	return min(b, len(l.blocks)-1)
}

// with returns l with it inserted.
func (l rankList) with(it rankItem) rankList {
	if len(l.blocks) == 0 {
		return rankList{blocks: [][]rankItem{{it}}, n: 1}
	}
	b := l.block(&it)
	old := l.blocks[b]
	i, _ := slices.BinarySearchFunc(old, &it, func(x rankItem, it *rankItem) int { return cmpRank(&x, it) })
	blk := make([]rankItem, 0, len(old)+1)
	blk = append(append(append(blk, old[:i]...), it), old[i:]...)
	var repl [][]rankItem
	if len(blk) > 2*rankBlock {
		repl = [][]rankItem{slices.Clip(blk[:rankBlock]), blk[rankBlock:]}
	} else {
		repl = [][]rankItem{blk}
	}
	return rankList{blocks: slices.Concat(l.blocks[:b], repl, l.blocks[b+1:]), n: l.n + 1}
}

// without returns l without the item equal to it (same score,
// qualification, file and id), or l when there is none.
func (l rankList) without(it rankItem) rankList {
	if len(l.blocks) == 0 {
		return l
	}
	b := l.block(&it)
	old := l.blocks[b]
	i, found := slices.BinarySearchFunc(old, &it, func(x rankItem, it *rankItem) int { return cmpRank(&x, it) })
	if !found {
		return l
	}
	var repl [][]rankItem
	if len(old) > 1 {
		repl = [][]rankItem{slices.Concat(old[:i], old[i+1:])}
	}
	return rankList{blocks: slices.Concat(l.blocks[:b], repl, l.blocks[b+1:]), n: l.n - 1}
}

// all yields the items best first. They must not be changed.
func (l rankList) all(yield func(*rankItem) bool) {
	for _, blk := range l.blocks {
		for i := range blk {
			if !yield(&blk[i]) {
				return
			}
		}
	}
}

// rankItemOf returns the item of entry e for profile, or false when e has no
// result for it.
func rankItemOf(e *catalogEntry, profile string) (rankItem, bool) {
	sc := e.score(profile)
	if sc == nil {
		return rankItem{}, false
	}
	return rankItem{score: sc.Score, qualified: sc.Qualified, e: e}, true
}

// buildRanks ranks every entry for every loaded profile. Callers hold s.mu
// for writing, or are opening the store.
func (s *Store) buildRanks() {
	s.ranks = make([]rankList, len(s.profiles))
	for pi, p := range s.profiles {
		items := make([]rankItem, 0, len(s.byID))
		for _, e := range s.byID {
			if it, ok := rankItemOf(e, p.ID); ok {
				items = append(items, it)
			}
		}
		s.ranks[pi] = buildRank(items)
	}
}

// rerank moves an entry in the rankings: old out (when not nil), new in
// (when not nil). Callers hold s.mu for writing.
func (s *Store) rerank(old, new *catalogEntry) {
	if s.ranks == nil {
		return // opening: buildRanks follows
	}
	for pi, p := range s.profiles {
		if old != nil {
			if it, ok := rankItemOf(old, p.ID); ok {
				s.ranks[pi] = s.ranks[pi].without(it)
			}
		}
		if new != nil {
			if it, ok := rankItemOf(new, p.ID); ok {
				s.ranks[pi] = s.ranks[pi].with(it)
			}
		}
	}
}

// rank returns a snapshot of profile pi's ranking.
func (s *Store) rank(pi int) rankList {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ranks[pi]
}
