package parser

import "sort"

// ExperienceMonths returns the months covered by the union of positions'
// ranges as of asOf: inclusive calendar months, overlapping positions
// counted once, undated positions (no start month, or no months) not at
// all, a current position up to asOf, and nothing after asOf. It is how
// Resume.ExperienceMonths is counted; rules count months in a category of
// titles, and the store re-dates results to a new month, with it. A zero
// asOf trusts each position's own Months from its start.
func ExperienceMonths(positions []Position, asOf Month) int {
	type iv struct{ lo, hi int }
	var ivs []iv
	for _, p := range positions {
		if p.Months <= 0 || p.Start.IsZero() {
			continue
		}
		lo := p.Start.Index()
		var hi int
		switch {
		case asOf.IsZero():
			hi = lo + p.Months - 1
		case p.End != nil && !p.Current:
			hi = min(p.End.Index(), asOf.Index())
		default:
			hi = asOf.Index()
		}
		if lo <= hi {
			ivs = append(ivs, iv{lo, hi})
		}
	}
	if len(ivs) == 0 {
		return 0
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].lo < ivs[j].lo })
	total, cur := 0, ivs[0]
	for _, v := range ivs[1:] {
		if v.lo > cur.hi+1 {
			total += cur.hi - cur.lo + 1
			cur = v
			continue
		}
		cur.hi = max(cur.hi, v.hi)
	}
	return total + cur.hi - cur.lo + 1
}

// MonthsAsOf returns a dated position's inclusive months as of asOf: to its
// end month, or to asOf when it is current or ends later; 0 when it starts
// after asOf or is undated.
func (p Position) MonthsAsOf(asOf Month) int {
	if p.Start.IsZero() {
		return 0
	}
	end := asOf
	if !p.Current && p.End != nil && !p.End.IsZero() && p.End.Before(asOf) {
		end = *p.End
	}
	if end.Before(p.Start) {
		return 0
	}
	return end.Index() - p.Start.Index() + 1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
