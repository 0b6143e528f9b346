package scoring

import "github.com/blevesearch/bleve/v2/search/query"

// relaxPhrases returns q with every phrase replaced by the conjunction of
// its words: a query that matches every candidate q matches, and that
// bleve answers from the postings alone, without reading the words'
// positions. ok is false when q has no phrase, or has one that cannot be
// relaxed so (under MustNot, a relaxed phrase would exclude more, not
// less; a fuzzy phrase keeps its settings only in bleve's own fields).
func relaxPhrases(q query.Query) (relaxed query.Query, ok bool) {
	r, changed, sound := relax(q)
	return r, changed && sound
}

// relax does relaxPhrases's work: changed reports a phrase relaxed, sound
// that the result still matches all q matches.
func relax(q query.Query) (r query.Query, changed, sound bool) {
	switch q := q.(type) {
	case *query.MatchPhraseQuery:
		if q.Fuzziness != 0 {
			return q, false, false
		}
		m := query.NewMatchQuery(q.MatchPhrase)
		m.FieldVal, m.Analyzer, m.BoostVal = q.FieldVal, q.Analyzer, q.BoostVal
		m.SetOperator(query.MatchQueryOperatorAnd)
		return m, true, true
	case *query.PhraseQuery:
		if q.Fuzziness != 0 {
			return q, false, false
		}
		var words []query.Query
		for _, t := range q.Terms {
			if t != "" {
				tq := query.NewTermQuery(t)
				tq.SetField(q.FieldVal)
				words = append(words, tq)
			}
		}
		if len(words) == 0 {
			return q, false, false
		}
		return query.NewConjunctionQuery(words), true, true
	case *query.ConjunctionQuery:
		qs, changed, sound := relaxAll(q.Conjuncts)
		c := *q
		c.Conjuncts = qs
		return &c, changed, sound
	case *query.DisjunctionQuery:
		qs, changed, sound := relaxAll(q.Disjuncts)
		d := *q
		d.Disjuncts = qs
		return &d, changed, sound
	case *query.BooleanQuery:
		if q.MustNot != nil {
			if _, changed, sound := relax(q.MustNot); changed || !sound {
				return q, false, false
			}
		}
		b := *q
		changed, sound := false, true
		for _, part := range []*query.Query{&b.Must, &b.Should, &b.Filter} {
			if *part == nil {
				continue
			}
			p, c, s := relax(*part)
			*part, changed, sound = p, changed || c, sound && s
		}
		return &b, changed, sound
	}
	return q, false, true
}

// relaxAll relaxes each of qs, into a new slice.
func relaxAll(qs []query.Query) (out []query.Query, changed, sound bool) {
	out = make([]query.Query, len(qs))
	sound = true
	for i, q := range qs {
		var c, s bool
		out[i], c, s = relax(q)
		changed, sound = changed || c, sound && s
	}
	return out, changed, sound
}
