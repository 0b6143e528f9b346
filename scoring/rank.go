package scoring

import (
	"cmp"
	"container/heap"
	"slices"

	"sift/rules"
)

// Compare orders results best first: higher score first; among equal
// scores, qualified candidates (no knockout failed) before unqualified ones;
// then by file name, candidate id, profile id and profile hash, so that the
// same results always come out in the same order whatever order they came
// in. It returns a negative number when a ranks above b.
func Compare(a, b *rules.Result) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if a.Qualified != b.Qualified {
		if a.Qualified {
			return -1
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Candidate, b.Candidate),
		cmp.Compare(a.Profile.ID, b.Profile.ID),
		cmp.Compare(a.Profile.Hash, b.Profile.Hash),
	)
}

// Rank sorts results in place, best first (see Compare).
func Rank(results []rules.Result) {
	slices.SortStableFunc(results, func(a, b rules.Result) int { return Compare(&a, &b) })
}

// Top returns the n best results, best first, leaving results as they are.
func Top(results []rules.Result, n int) []rules.Result {
	s := Shortlist{N: n}
	for i := range results {
		s.Add(results[i])
	}
	return s.Results()
}

// A Shortlist keeps the N best results of a stream, in memory proportional to
// N, not to the stream: add results as a Scorer emits them, then read the
// ranking. Among results that Compare finds equal, the first added is kept.
// The zero Shortlist keeps nothing; set N.
type Shortlist struct {
	N int // how many results to keep

	h     worstFirst
	added int
}

// Add offers r to the shortlist.
func (s *Shortlist) Add(r rules.Result) {
	if s.N <= 0 {
		return
	}
	e := entry{r, s.added}
	s.added++
	if len(s.h) < s.N {
		heap.Push(&s.h, e)
		return
	}
	if order(e, s.h[0]) >= 0 { // e is no better than the worst kept
		return
	}
	s.h[0] = e
	heap.Fix(&s.h, 0)
}

// Len returns how many results the shortlist holds.
func (s *Shortlist) Len() int { return len(s.h) }

// Results returns the results kept, best first.
func (s *Shortlist) Results() []rules.Result {
	es := slices.Clone(s.h)
	slices.SortFunc(es, func(a, b entry) int { return order(a, b) })
	out := make([]rules.Result, len(es))
	for i, e := range es {
		out[i] = e.r
	}
	return out
}

type entry struct {
	r   rules.Result
	seq int // arrival order: the tie-break of last resort, as a stable sort
}

// order is Compare, then arrival.
func order(a, b entry) int {
	return cmp.Or(Compare(&a.r, &b.r), cmp.Compare(a.seq, b.seq))
}

// worstFirst is a heap whose root is the worst result kept.
type worstFirst []entry

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return order(h[i], h[j]) > 0 }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *worstFirst) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
