package parser

import "sort"

// experienceMonths returns the months covered by the union of the
// positions' ranges, as of asOf: overlapping positions count once, undated
// ones not at all, and nothing after asOf.
func experienceMonths(ps []Position, asOf Month) int {
	type iv struct{ lo, hi int }
	var ivs []iv
	limit := asOf.Index()
	for _, p := range ps {
		if p.Months <= 0 || p.Start.IsZero() {
			continue
		}
		hi := limit
		if p.End != nil && !p.Current {
			hi = min(p.End.Index(), limit)
		}
		if lo := p.Start.Index(); lo <= hi {
			ivs = append(ivs, iv{lo, hi})
		}
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].lo < ivs[j].lo })
	total := 0
	cur := iv{-1, -2}
	for _, v := range ivs {
		if v.lo > cur.hi+1 {
			total += cur.hi - cur.lo + 1
			cur = v
			continue
		}
		cur.hi = max(cur.hi, v.hi)
	}
	return total + cur.hi - cur.lo + 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
