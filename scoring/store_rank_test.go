package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRankList checks a ranking against a sorted slice through random
// insertions and removals, with blocks small enough to split and empty.
func TestRankList(t *testing.T) {
	defer func(b int) { rankBlock = b }(rankBlock)
	for _, block := range []int{1, 3, 512} {
		rankBlock = block
		rng := rand.New(rand.NewPCG(1, uint64(block)))
		item := func() rankItem {
			e := &catalogEntry{File: fmt.Sprintf("f%03d", rng.IntN(50)), ID: fmt.Sprint(rng.IntN(1e6))}
			return rankItem{score: float64(rng.IntN(20)) / 2, qualified: rng.IntN(2) == 0, e: e}
		}
		var want []rankItem
		for range 20 {
			want = append(want, item())
		}
		l := buildRank(slices.Clone(want))
		for step := range 2000 {
			if rng.IntN(3) > 0 || len(want) == 0 {
				it := item()
				l = l.with(it)
				want = append(want, it)
			} else {
				i := rng.IntN(len(want))
				l = l.without(want[i])
				want = slices.Delete(want, i, i+1)
			}
			slices.SortFunc(want, func(a, b rankItem) int { return cmpRank(&a, &b) })
			var got []rankItem
			l.all(func(it *rankItem) bool { got = append(got, *it); return true })
			if !slices.EqualFunc(got, want, func(a, b rankItem) bool { return cmpRank(&a, &b) == 0 }) || l.n != len(want) {
				t.Fatalf("block %d, step %d: got %d items (n %d); want %d, in order", block, step, len(got), l.n, len(want))
			}
			for _, b := range l.blocks {
				if len(b) == 0 || len(b) > 2*rankBlock {
					t.Fatalf("block %d, step %d: a block of %d items", block, step, len(b))
				}
			}
		}
		// Removing what is not there changes nothing.
		if l2 := l.without(rankItem{score: 99, e: &catalogEntry{ID: "nope"}}); l2.n != l.n {
			t.Errorf("removing an absent item: got %d items; want %d", l2.n, l.n)
		}
	}
}
