package rules

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"sift/parser"
)

// ErrNoMatcher is returned when a profile matches terms and no Matcher was
// given.
var ErrNoMatcher = errors.New("no matcher for term requirements")

// An Evaluator scores resumes against a profile. Set its fields before use
// and do not change them after; Evaluate is safe for concurrent use from
// many goroutines (the profile is read-only, and each call keeps its own
// state).
type Evaluator struct {
	Profile *Profile
	// Version is the engine's version, recorded in every Result.
	Version string
}

// Evaluate scores res against p with an Evaluator that records no version.
func (p *Profile) Evaluate(res *parser.Resume, m Matcher) (Result, error) {
	return (&Evaluator{Profile: p}).Evaluate(res, m)
}

// Evaluate scores one resume: an Outcome per requirement, in profile
// order, with its credit, evidence and gap; the score
// 100*sum(weight*credit)/sum(weight) to one decimal; whether a knockout
// failed; and the tier. m finds term groups in res's text (it must answer
// for res, and may be nil when the profile has no term requirements).
// The same profile, resume and matcher answers always give the same
// Result.
func (e *Evaluator) Evaluate(res *parser.Resume, m Matcher) (Result, error) {
	p := e.Profile
	if p == nil || p.env == nil {
		return Result{}, errors.New("rules.Evaluate: no profile loaded (use Load, Parse or Builtin)")
	}
	if res == nil {
		return Result{}, errors.New("rules.Evaluate: nil resume")
	}
	x := newEvalCtx(p, res, m)
	out := Result{
		File:            res.File,
		Requirements:    make([]Outcome, 0, len(p.reqs)),
		KnockoutsFailed: []string{},
		Profile:         ProfileRef{ID: p.ID, Hash: p.hash},
		AsOf:            res.AsOf,
		Version:         e.Version,
	}
	var earned float64
	for _, c := range p.reqs {
		o, err := x.evaluate(c)
		if err != nil {
			return Result{}, fmt.Errorf("rules.Evaluate: %s: %s: requirement %s: %w", p.ID, res.File, c.ID, err)
		}
		o.Credit = round(o.Credit, 4)
		switch {
		case o.Credit >= 1:
			o.Credit, o.Status = 1, StatusMet
		case o.Credit <= 0:
			o.Credit, o.Status = 0, StatusMissing
		default:
			o.Status = StatusPartial
		}
		if o.Status == StatusMet {
			o.Gap = ""
		}
		o.ID, o.Requirement, o.Kind = c.ID, c.Requirement.Requirement, c.Kind
		o.Weight, o.Knockout = c.Weight, c.Knockout
		o.Failed = c.Knockout && o.Failed
		o.Points = round(100*c.Weight*o.Credit/p.weightSum, 2)
		if o.Evidence == nil {
			o.Evidence = []Evidence{}
		}
		earned += c.Weight * o.Credit
		if o.Failed {
			out.KnockoutsFailed = append(out.KnockoutsFailed, c.ID)
		}
		out.Requirements = append(out.Requirements, o)
	}
	out.Score = round(100*earned/p.weightSum, 1)
	out.Qualified = len(out.KnockoutsFailed) == 0
	for _, t := range p.Tiers {
		if out.Score >= t.MinScore && (!t.Qualified || out.Qualified) {
			out.Tier = t.Name
			break
		}
	}
	return out, nil
}

func round(f float64, places int) float64 {
	s := math.Pow(10, float64(places))
	return math.Round(f*s) / s
}

// An evalCtx holds what one evaluation computes once and reuses: the
// resume's lines, its facts, months by category and matches by term group.
// It is used by one goroutine.
type evalCtx struct {
	p      *Profile
	res    *parser.Resume
	m      Matcher
	lines  []int // byte offsets of line starts in res.Text
	vars   map[string]any
	byCat  map[*category]*catMonths
	byTerm map[*termGroup][]Evidence
}

func newEvalCtx(p *Profile, res *parser.Resume, m Matcher) *evalCtx {
	return &evalCtx{p: p, res: res, m: m, byCat: map[*category]*catMonths{}, byTerm: map[*termGroup][]Evidence{}}
}

func (x *evalCtx) facts() map[string]any {
	if x.vars == nil {
		x.vars = facts(x.res)
	}
	return x.vars
}

// evaluate returns the kind-specific parts of one outcome: Credit (not yet
// rounded), Failed (whether the requirement's knockout condition fails,
// whether or not it is a knockout), Evidence, Detail and Gap.
func (x *evalCtx) evaluate(c *compiledReq) (Outcome, error) {
	switch c.Kind {
	case KindDegree:
		return x.degree(c), nil
	case KindExperience:
		return x.experience(c)
	case KindTerms:
		return x.terms(c)
	case KindCertification:
		return x.certification(c), nil
	case KindExpression:
		return x.expression(c)
	}
	return Outcome{}, fmt.Errorf("unknown kind %q", c.Kind)
}

// ---- degree

var levelNames = map[string]string{
	parser.LevelAssociate: "associate's",
	parser.LevelBachelor:  "bachelor's",
	parser.LevelMaster:    "master's",
	parser.LevelDoctorate: "doctorate",
}

func levelName(level string) string {
	if n, ok := levelNames[level]; ok {
		return n
	}
	return "unknown level"
}

func (x *evalCtx) degree(c *compiledReq) Outcome {
	var o Outcome
	best, bestCredit, bestWhy := -1, -1.0, ""
	highest := ""
	var inProgress []string
	for i, e := range x.res.Education {
		rank := parser.LevelRank(e.Level)
		if rank == 0 {
			continue
		}
		if e.InProgress {
			inProgress = append(inProgress, describeDegree(e))
			continue
		}
		if rank > parser.LevelRank(highest) {
			highest = e.Level
		}
		if rank < c.minRank {
			continue
		}
		credit, why := fieldCredit(c, e, rank)
		if credit > bestCredit {
			best, bestCredit, bestWhy = i, credit, why
		}
	}
	notCounted := ""
	if len(inProgress) > 0 {
		notCounted = "; in progress, not counted: " + strings.Join(inProgress, ", ")
	}
	if best < 0 {
		o.Failed = true
		had := "none listed"
		if highest != "" {
			had = "highest: " + highest
		}
		o.Gap = fmt.Sprintf("no completed %s degree found (%s)%s", levelName(c.MinLevel), had, notCounted)
		o.Detail = o.Gap
		return o
	}
	e := x.res.Education[best]
	o.Credit = bestCredit
	o.Detail = fmt.Sprintf("%s: %s %s", describeDegree(e), levelName(e.Level), bestWhy)
	if bestCredit < 1 {
		field := e.Field
		if field == "" {
			o.Gap = fmt.Sprintf("field of study of the %s degree not stated; full credit for %s", levelName(e.Level), listSome(c.Fields, 4, "or"))
		} else {
			o.Gap = fmt.Sprintf("%s degree is in %s, %s; full credit for %s", levelName(e.Level), field, bestWhy, listSome(c.Fields, 4, "or"))
		}
		o.Gap += notCounted
	}
	if ev, ok := x.locateEducation(e); ok {
		ev.Term = e.Level
		o.Evidence = []Evidence{ev}
	}
	return o
}

// fieldCredit returns the credit a completed degree at or above the
// minimum level earns for its field, and why.
func fieldCredit(c *compiledReq, e parser.Education, rank int) (float64, string) {
	if c.fields == nil {
		return 1, "(any field)"
	}
	text := e.Field
	if text == "" {
		text = e.Degree
	}
	if matches(c.fields, text) {
		return 1, "in an accepted field"
	}
	if matches(c.related, text) {
		return c.RelatedCredit, fmt.Sprintf("a related field (credit %s)", fmtNum(c.RelatedCredit))
	}
	credit, why := c.OtherFieldCredit, "not an accepted or related field"
	if e.Field == "" && !matches(c.fields, e.Degree) {
		why = "field not stated"
	}
	if rank > c.minRank && c.HigherLevelCredit > credit {
		credit, why = c.HigherLevelCredit, why+", above the minimum level"
	}
	return credit, fmt.Sprintf("%s (credit %s)", why, fmtNum(credit))
}

func describeDegree(e parser.Education) string {
	name := strings.TrimSpace(e.Degree)
	if e.Field != "" && !strings.Contains(strings.ToLower(name), strings.ToLower(e.Field)) {
		switch {
		case name == "":
			name = levelName(e.Level) + " in " + e.Field
		case strings.ContainsAny(name, " \t"): // "Master of Science"
			name += " in " + e.Field
		default: // "B.S.", "MBA"
			name += " " + e.Field
		}
	}
	if name == "" {
		name = levelName(e.Level) + " degree"
	}
	var extra []string
	if e.Institution != "" {
		extra = append(extra, e.Institution)
	}
	if e.Year > 0 {
		if e.InProgress {
			extra = append(extra, fmt.Sprintf("expected %d", e.Year))
		} else {
			extra = append(extra, fmt.Sprint(e.Year))
		}
	}
	if len(extra) > 0 {
		name += " (" + strings.Join(extra, ", ") + ")"
	}
	return name
}

// ---- experience

// catMonths is the experience a resume has in one category.
type catMonths struct {
	total     int
	positions []int // indices into Resume.Positions of the matching positions, in resume order
	undated   int   // of them, positions that could not be counted: no start month, or no months
}

// months returns the months res has in positions of cat: the union of the
// positions' periods, so that overlapping positions count once. A period
// runs from the position's start month to its end month, inclusive; a
// current position runs to the resume's as-of month, and nothing after
// the as-of month counts. This is the parser's arithmetic for
// Resume.ExperienceMonths, so that months() of a category matching every
// title equals it. A position without a start month, or with no months
// (one starting after the as-of month), cannot be counted.
func (x *evalCtx) months(cat *category) *catMonths {
	if cm, ok := x.byCat[cat]; ok {
		return cm
	}
	cm := &catMonths{}
	var matched []parser.Position
	for i, pos := range x.res.Positions {
		if !cat.matches(pos.Title) {
			continue
		}
		cm.positions = append(cm.positions, i)
		if !countable(pos, x.res.AsOf) {
			cm.undated++
			continue
		}
		matched = append(matched, pos)
	}
	cm.total = parser.ExperienceMonths(matched, x.res.AsOf)
	x.byCat[cat] = cm
	return cm
}

// countable reports whether a position's months can be counted as of asOf:
// it has a start month and months, and does not start after asOf.
func countable(pos parser.Position, asOf parser.Month) bool {
	if pos.Start.IsZero() || pos.Months <= 0 {
		return false
	}
	return asOf.IsZero() || pos.MonthsAsOf(asOf) > 0
}

func (x *evalCtx) experience(c *compiledReq) (Outcome, error) {
	var o Outcome
	cm := x.months(c.cat)
	need := c.MinMonths
	monthsCredit := float64(cm.total) / float64(need)
	if c.Curve == curveStep {
		monthsCredit = 0
		if cm.total >= need {
			monthsCredit = 1
		}
	}
	monthsCredit = math.Min(1, monthsCredit)
	o.Failed = cm.total < need
	o.Credit = monthsCredit

	var detail, gaps []string
	var described []string
	for _, i := range cm.positions {
		pos := x.res.Positions[i]
		described = append(described, describePosition(pos))
		if ev, ok := x.locatePosition(i); ok {
			ev.Term = c.Category
			o.Evidence = append(o.Evidence, ev)
		}
	}
	role := c.cat.Label
	if len(described) == 0 {
		detail = append(detail, fmt.Sprintf("no position title matches a %s", role))
	} else {
		d := fmt.Sprintf("%d months in %s: %s", cm.total, plural(role), strings.Join(described, "; "))
		if cm.undated > 0 {
			d += fmt.Sprintf(" (%s without usable dates, not counted)", countOf(cm.undated, "position"))
		}
		detail = append(detail, d)
	}
	if cm.total < need {
		g := fmt.Sprintf("needs %d more months in a %s (has %d of %d)", need-cm.total, role, cm.total, need)
		if cm.undated > 0 {
			g += fmt.Sprintf("; %s without usable dates not counted", countOf(cm.undated, "matching position"))
		}
		gaps = append(gaps, g)
	}
	if s := c.Signals; s != nil {
		found, missing, ev, err := x.signals(c, cm)
		if err != nil {
			return o, err
		}
		sc := math.Min(1, float64(len(found))/float64(s.FullCreditAt))
		o.Credit = (1-s.Share)*monthsCredit + s.Share*sc
		o.Evidence = append(o.Evidence, ev...)
		if len(found) > 0 {
			detail = append(detail, fmt.Sprintf("%s in those positions: %s", s.Noun, namesFound(found, s.FullCreditAt, s.Noun)))
		}
		if len(found) < s.FullCreditAt {
			gaps = append(gaps, fmt.Sprintf("names %d of %d %s in %s; none of %s found", len(found), s.FullCreditAt, s.Noun, plural(role), listSome(missing, 5, "")))
		}
	}
	sortEvidence(o.Evidence)
	o.Evidence = slices.CompactFunc(o.Evidence, func(a, b Evidence) bool { return a.Start == b.Start && a.End == b.End && a.Term == b.Term })
	o.Detail = strings.Join(detail, "; ")
	o.Gap = strings.Join(gaps, "; ")
	return o, nil
}

// signals finds an experience requirement's signal groups within the text
// of the positions it counted.
func (x *evalCtx) signals(c *compiledReq, cm *catMonths) (found, missing []string, evidence []Evidence, err error) {
	type span struct{ from, to int }
	var spans []span
	for _, i := range cm.positions {
		if from, to, ok := x.positionSpan(i); ok {
			spans = append(spans, span{from, to})
		}
	}
	for _, g := range c.signals {
		ev, err := x.match(g)
		if err != nil {
			return nil, nil, nil, err
		}
		var in []Evidence
		for _, e := range ev {
			for _, s := range spans {
				if e.Start >= s.from && e.End <= s.to {
					in = append(in, e)
					break
				}
			}
		}
		if len(in) == 0 {
			missing = append(missing, g.name)
			continue
		}
		found = append(found, g.name)
		evidence = append(evidence, in[:min(len(in), defaultMaxEvidence)]...)
	}
	return found, missing, evidence, nil
}

func describePosition(pos parser.Position) string {
	s := strings.TrimSpace(pos.Title)
	if pos.Organization != "" {
		s += ", " + pos.Organization
	}
	var when string
	switch {
	case !pos.Start.IsZero() && (pos.Current || pos.End == nil):
		when = pos.Start.String() + " to present"
	case !pos.Start.IsZero() && pos.End != nil:
		when = pos.Start.String() + " to " + pos.End.String()
	case pos.Dates != "":
		when = pos.Dates
	}
	if when != "" {
		s += " (" + when + ")"
	}
	return s
}

// countOf returns "1 position", "2 positions".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %s", n, plural(noun))
}

func plural(role string) string {
	if strings.HasSuffix(role, "s") {
		return role
	}
	return role + "s"
}

// ---- terms

func (x *evalCtx) terms(c *compiledReq) (Outcome, error) {
	var o Outcome
	var found, missing []string
	for _, g := range c.groups {
		ev, err := x.match(g)
		if err != nil {
			return o, err
		}
		if len(ev) == 0 {
			missing = append(missing, g.name)
			continue
		}
		found = append(found, g.name)
		o.Evidence = append(o.Evidence, ev[:min(len(ev), c.MaxEvidence)]...)
	}
	sortEvidence(o.Evidence)
	o.Credit = math.Min(1, float64(len(found))/float64(c.FullCreditAt))
	o.Failed = len(found) == 0
	if len(found) > 0 {
		o.Detail = "names " + namesFound(found, c.FullCreditAt, c.Noun)
	} else {
		o.Detail = fmt.Sprintf("names none of the %s", c.Noun)
	}
	if len(found) < c.FullCreditAt {
		o.Gap = fmt.Sprintf("names %d of %d %s; none of %s found", len(found), c.FullCreditAt, c.Noun, listSome(missing, 5, ""))
	}
	return o, nil
}

// match returns where a term group occurs: the Matcher's evidence for each
// of the group's queries, kept to the query's sections, ordered by offset,
// without duplicates, and with Term set to the group's name.
func (x *evalCtx) match(g *termGroup) ([]Evidence, error) {
	if ev, ok := x.byTerm[g]; ok {
		return ev, nil
	}
	if x.m == nil {
		return nil, ErrNoMatcher
	}
	var all []Evidence
	for _, q := range g.queries {
		q.Aliases = slices.Clone(q.Aliases)
		q.Sections = slices.Clone(q.Sections)
		ev, err := x.m.Match(q)
		if err != nil {
			return nil, fmt.Errorf("matching %q: %w", g.name, err)
		}
		for _, e := range ev {
			if len(q.Sections) > 0 && len(x.res.Sections) > 0 && !slices.Contains(q.Sections, x.sectionAt(e.Start)) {
				continue
			}
			e.Term = g.name
			all = append(all, e)
		}
	}
	sortEvidence(all)
	all = x.mergeOverlaps(all)
	x.byTerm[g] = all
	return all, nil
}

// mergeOverlaps drops evidence contained in the previous span and merges
// spans that overlap ("the board" and "board of directors" become "the
// board of directors"). ev is sorted by offset and of one term.
func (x *evalCtx) mergeOverlaps(ev []Evidence) []Evidence {
	var out []Evidence
	for _, e := range ev {
		if n := len(out); n > 0 && e.Start < out[n-1].End {
			last := &out[n-1]
			if e.End > last.End && x.validSpan(*last) && x.validSpan(e) {
				m := x.evidence(last.Start, e.End)
				m.Term = last.Term
				*last = m
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// validSpan reports whether e's offsets are a span of the text holding
// e.Text, as the Matcher promises.
func (x *evalCtx) validSpan(e Evidence) bool {
	return 0 <= e.Start && e.Start <= e.End && e.End <= len(x.res.Text) && x.res.Text[e.Start:e.End] == e.Text
}

func sortEvidence(ev []Evidence) {
	slices.SortStableFunc(ev, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			strings.Compare(a.Term, b.Term), strings.Compare(a.Text, b.Text), strings.Compare(a.Context, b.Context))
	})
}

// namesFound lists the groups found and how they compare with the number
// for full credit.
func namesFound(found []string, full int, noun string) string {
	if len(found) < full {
		return fmt.Sprintf("%s: %d of the %d %s for full credit", strings.Join(found, ", "), len(found), full, noun)
	}
	return fmt.Sprintf("%s (full credit at %d)", strings.Join(found, ", "), full)
}

// listSome lists up to n names, then "...". With a conjunction ("or") the
// last two are joined by it.
func listSome(names []string, n int, conj string) string {
	if len(names) == 0 {
		return "none"
	}
	more := len(names) > n
	names = names[:min(len(names), n)]
	if more {
		return strings.Join(names, ", ") + ", ..."
	}
	if conj != "" && len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " " + conj + " " + names[len(names)-1]
	}
	return strings.Join(names, ", ")
}

// ---- certification

func (x *evalCtx) certification(c *compiledReq) Outcome {
	var o Outcome
	have := map[string]bool{}
	for _, s := range x.res.Certifications {
		have[normCert(s)] = true
		have[normCert(leadingToken(s))] = true
	}
	var found, better []string
	best := -1
	for i, cert := range c.certs {
		hit := false
		for _, k := range cert.keys {
			if have[k] {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		found = append(found, cert.Name)
		if best < 0 || cert.Credit > c.certs[best].Credit {
			best = i
		}
		if ev, ok := x.locateCert(cert); ok {
			o.Evidence = append(o.Evidence, ev)
		}
	}
	sortEvidence(o.Evidence)
	var names []string
	for _, cert := range c.certs {
		names = append(names, cert.Name)
		if cert.Credit >= 1 {
			better = append(better, cert.Name)
		}
	}
	if best < 0 {
		o.Failed = true
		o.Detail = "no accepted certification found"
		o.Gap = fmt.Sprintf("none of %s found", listSome(names, 7, ""))
		return o
	}
	b := c.certs[best]
	o.Credit = b.Credit
	o.Detail = fmt.Sprintf("has %s (best: %s, credit %s)", strings.Join(found, ", "), b.Name, fmtNum(b.Credit))
	if b.Credit < 1 {
		o.Gap = fmt.Sprintf("has %s (credit %s); %s would give full credit", b.Name, fmtNum(b.Credit), listSome(better, 4, "or"))
	}
	return o
}

// leadingToken returns the first word of a certification as listed, such
// as "CPP" of "CPP – Certified Protection Professional", or "CISSP" of the
// parser's "CISSP-ISSMP" (a CISSP concentration, which requires the CISSP).
func leadingToken(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return strings.ContainsRune(" \t,(/-–—:", r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

// ---- expression

func (x *evalCtx) expression(c *compiledReq) (Outcome, error) {
	var o Outcome
	v, err := x.run(c.prg, nil)
	if err != nil {
		return o, fmt.Errorf("expression %q: %w", c.Expression, err)
	}
	o.Credit = v
	o.Failed = v == 0
	switch {
	case c.boolOut && v == 1:
		o.Detail = "true: " + c.Expression
	case c.boolOut:
		o.Detail = "false: " + c.Expression
	default:
		o.Detail = fmt.Sprintf("%s gives %s", c.Expression, fmtNum(round(v, 4)))
	}
	if v < 1 {
		o.Gap = c.Gap
		if o.Gap == "" {
			o.Gap = "not satisfied: " + c.Expression
		}
	}
	return o, nil
}
