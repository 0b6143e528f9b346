package parser

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Education entries are found from degree words and abbreviations
// (data/degrees.tsv). In an education section every line naming a degree (or
// a programme that is not one: high school, diploma) is an entry; its
// institution, year and status come from the line and the lines next to it.
// Elsewhere only unambiguous forms count ("Master of Science", "MBA",
// "Ph.D."), and only when they add a higher level than the education section
// gave (a summary saying "Master degree in engineering" when the education
// section is empty).

type degreeForm struct {
	level string // LevelAssociate...LevelDoctorate, or "" for a programme that is no degree
	re    *regexp.Regexp
	reCI  *regexp.Regexp // case-insensitive twin, for lines set in capitals
	edu   bool           // only in an education section or before "in"/"of"
}

func (lx *lexicon) parseDegrees() error {
	lx.degreeNotAfter = map[string]bool{}
	lx.degreeNotBefore = map[string]bool{}
	var all []string
	err := eachRecord("data/degrees.tsv", 2, func(f []string) error {
		switch f[0] {
		case "notafter":
			lx.degreeNotAfter[fold(f[1])] = true
			return nil
		case "notbefore":
			lx.degreeNotBefore[fold(f[1])] = true
			return nil
		}
		level := f[0]
		switch level {
		case LevelAssociate, LevelBachelor, LevelMaster, LevelDoctorate:
		case "none":
			level = ""
		default:
			return fmt.Errorf("unknown level %q", f[0])
		}
		flags := ""
		if len(f) > 2 {
			flags = f[2]
		}
		pat := "(?:" + f[1] + ")"
		ci := false
		edu := false
		for _, fl := range strings.Split(flags, ",") {
			switch strings.TrimSpace(fl) {
			case "i":
				ci = true
			case "edu":
				edu = true
			case "":
			default:
				return fmt.Errorf("unknown flag %q", fl)
			}
		}
		re, err := regexp.Compile(map[bool]string{true: "(?i)", false: ""}[ci] + pat)
		if err != nil {
			return err
		}
		reCI, err := regexp.Compile("(?i)" + pat)
		if err != nil {
			return err
		}
		// Leftmost-longest, so that "B.Sc" is not cut to "B.S" and then
		// rejected for the "c" after it.
		re.Longest()
		reCI.Longest()
		lx.degrees = append(lx.degrees, &degreeForm{level: level, re: re, reCI: reCI, edu: edu})
		all = append(all, pat)
		return nil
	})
	if err != nil {
		return err
	}
	// The first test runs on the lower-cased line, which is cheaper than
	// a case-insensitive match (the patterns use no upper-case escapes). It
	// wants a form that is not glued to letters or digits, as allDegrees
	// does, so that "ms" in "systems" or "ma" in "management" does not send
	// nearly every line through every form.
	scan := strings.ToLower(strings.Join(all, "|"))
	lx.degreeScan, err = regexp.Compile(`(?:^|[^\p{L}\p{N}])(?:` + scan + `)(?:$|[^\p{L}\p{N}])`)
	if err != nil {
		return err
	}
	// Even that test reads every line slowly, and most lines have no word
	// a degree form can start with: those are known to fail it at once.
	// Without the list (a form that firstWords cannot read), every line
	// gets the test.
	if words, ok := firstWords(scan); ok {
		lx.degreeFirst = words
	}
	return nil
}

// degreeHit is a degree form found in a line.
type degreeHit struct {
	level   string
	lo, hi  int
	none    bool // a programme that is not a degree
	eduOnly bool // the form counts only in an education section
}

// isWordByte reports whether the rune at s[i:] (or ending at s[:i], when
// before is true) is a letter or digit.
func letterAt(s string, i int, before bool) bool {
	var r rune
	if before {
		if i <= 0 {
			return false
		}
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		if i >= len(s) {
			return false
		}
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func nextWord(s string) string {
	ws := wordList(s)
	if len(ws) == 0 {
		return ""
	}
	return ws[0]
}

func prevWord(s string) string {
	ws := wordList(s)
	if len(ws) == 0 {
		return ""
	}
	return ws[len(ws)-1]
}

// findDegrees returns the degree forms in s. inEdu allows the forms that
// need an education section.
func (lx *lexicon) findDegrees(s string, inEdu bool) []degreeHit {
	return filterDegrees(lx.allDegrees(s), inEdu)
}

// filterDegrees drops the hits that need an education section, unless
// inEdu.
func filterDegrees(hs []degreeHit, inEdu bool) []degreeHit {
	if inEdu {
		return hs
	}
	var out []degreeHit
	for _, h := range hs {
		if !h.eduOnly {
			out = append(out, h)
		}
	}
	return out
}

// allDegrees returns the degree forms in s, marking those that count only
// in an education section.
func (lx *lexicon) allDegrees(s string) []degreeHit {
	low := strings.ToLower(s)
	if lx.degreeFirst != nil && !hasWordIn(low, lx.degreeFirst) {
		return nil
	}
	if !lx.degreeScan.MatchString(low) {
		return nil
	}
	caps := allCapitals(s)
	var out []degreeHit
	for _, f := range lx.degrees {
		re := f.re
		if caps {
			re = f.reCI
		}
		for _, m := range re.FindAllStringIndex(s, -1) {
			lo, hi := m[0], m[1]
			if lo == hi || letterAt(s, lo, true) || letterAt(s, hi, false) && !strings.HasSuffix(s[lo:hi], ".") {
				continue
			}
			if hi < len(s) && s[hi] == '+' {
				continue
			}
			after := strings.TrimSpace(s[hi:])
			nw := nextWord(after)
			if lx.degreeNotAfter[nw] || lx.degreeNotBefore[prevWord(s[:lo])] {
				continue
			}
			text := s[lo:hi]
			short := len(strings.TrimRight(text, ".")) <= 2
			eduOnly := f.edu && nw != "in" && nw != "of"
			if f.edu && short {
				// "Boston, MA 02115", "WORKED AS"
				if strings.HasSuffix(strings.TrimSpace(s[:lo]), ",") || caps && nw != "in" && nw != "of" && len(strings.Fields(s)) > 6 {
					continue
				}
				if len(after) >= 5 && strings.IndexFunc(after[:5], func(r rune) bool { return r < '0' || r > '9' }) == -1 {
					continue
				}
			}
			out = append(out, degreeHit{level: f.level, lo: lo, hi: hi, none: f.level == "", eduOnly: eduOnly})
		}
	}
	return out
}

// degreeIn reports whether s names a degree in a form clear anywhere.
func (lx *lexicon) degreeIn(s string) bool {
	for _, h := range lx.findDegrees(s, false) {
		if !h.none {
			return true
		}
	}
	return false
}

// isSchool reports whether s names a school.
func (lx *lexicon) isSchool(s string) bool {
	for _, w := range wordList(s) {
		w = strings.Trim(w, "'-")
		if lx.schoolWords[w] {
			return true
		}
		for _, suf := range lx.schoolSuffix {
			if strings.HasSuffix(w, suf) {
				return true
			}
		}
	}
	return false
}

// best returns the highest-level hit.
func bestDegree(hs []degreeHit) (degreeHit, bool) {
	var b degreeHit
	ok := false
	for _, h := range hs {
		if !ok || LevelRank(h.level) > LevelRank(b.level) || h.level == b.level && h.hi-h.lo > b.hi-b.lo {
			b, ok = h, true
		}
	}
	return b, ok
}

var (
	degreeTail    = regexp.MustCompile(`(?i)\s+(?:of|in|degree|en|de|im|program|programme)$`)
	programmeTail = regexp.MustCompile(`(?i)^[ \t]+(?:diploma|certificate)\b`)
	genericField  = map[string]bool{
		"science": true, "sciences": true, "arts": true, "applied science": true, "applied sciences": true, "fine arts": true,
		"engineering": true, "technology": true, "philosophy": true, "laws": true, "law": true, "letters": true,
		"arts and sciences": true, "science and technology": true, "education": true, "commerce": true,
	}
	fieldStart   = regexp.MustCompile(`(?i)^[\s(]*(?:\([^)]{1,12}\)\s*|\(?hons?\.?\)?|\(?honou?rs\)?|with (?:high(?:est)? )?honou?rs|degree|program(?:me)?|candidate|student|\((?:hons|honours)\))*[\s)]*(?:[,:–—-]|in the field of|in|en|im fach|majoring in|major in|major:|with a major in|\|)?\s*`)
	fieldStop    = regexp.MustCompile(`(?i)\s{2,}|[,;|(\[]|\s[-–—]\s|\s(?:from|at|gpa|cgpa|minor|concentration|specialization|with|honou?rs|magna|summa|cum|expected|graduat\w*|class of|thesis)\b|\s\d`)
	inProgressRe = regexp.MustCompile(`(?i)\b(?:expected|anticipated|candidate|pursuing|in progress|in-progress|ongoing|currently|to be completed|en cours|laufend|voraussichtlich|cursando|en curso|exp\.|studying|student|running|towards?|incomplete|not completed)\b`)
	ofLead       = regexp.MustCompile(`(?i)^\s*(?:'s|’s)?\s*(?:degree\s+)?of\s+`)
	inWord       = regexp.MustCompile(`(?i)\s(?:in|en)\s`)
)

// degreeText returns the degree as written and the field, from the hit
// onwards: "Master of Science in Analytics" gives "Master of Science",
// "Analytics".
func degreeText(s string, h degreeHit) (degree, field string) {
	deg := strings.TrimSpace(degreeTail.ReplaceAllString(s[h.lo:h.hi], ""))
	if h.none {
		// "High School Diploma", "Secondary School Certificate": the
		// programme's name goes on.
		if m := programmeTail.FindString(s[h.hi:]); m != "" {
			deg = strings.TrimSpace(s[h.lo : h.hi+len(m)])
		}
	}
	rest := s[h.lo+len(deg):]
	// "of X": part of the degree's name.
	if m := ofLead.FindStringIndex(rest); m != nil {
		ofp := rest[m[1]:]
		end := len(ofp)
		if loc := fieldStop.FindStringIndex(ofp); loc != nil {
			end = loc[0]
		}
		if loc := inWord.FindStringIndex(ofp[:end]); loc != nil {
			end = loc[0]
		}
		p := strings.TrimSpace(ofp[:end])
		if p != "" && len(strings.Fields(p)) <= 6 {
			deg = deg + " of " + p
			rest = ofp[end:]
			if !genericField[fold(p)] {
				field = p
			}
		}
	}
	if field == "" {
		r := fieldStart.ReplaceAllString(rest, "")
		end := len(r)
		if loc := fieldStop.FindStringIndex(r); loc != nil {
			end = loc[0]
		}
		f := strings.TrimSpace(strings.Trim(r[:end], " .:-–"))
		if f != "" && len(strings.Fields(f)) <= 8 && unicode.IsLetter(firstRune(f)) && !loadLexicon().isSchool(f) {
			field = f
		}
	}
	return strings.TrimSpace(deg), field
}

// lineDegrees returns the degree forms of line i, computed once.
func (d *doc) lineDegrees(i int, inEdu bool) []degreeHit {
	if d.degreeCache == nil {
		d.degreeCache = make([][]degreeHit, len(d.lines))
		d.degreeDone = make([]bool, len(d.lines))
	}
	if !d.degreeDone[i] {
		d.degreeCache[i] = d.lx.allDegrees(d.lines[i].clean)
		d.degreeDone[i] = true
	}
	return filterDegrees(d.degreeCache[i], inEdu)
}

// education finds the education entries.
func (d *doc) education() []Education {
	var out []Education
	seen := map[string]bool{}
	add := func(e Education) {
		key := e.Level + "|" + fold(e.Field) + "|" + fold(e.Institution) + "|" + fmt.Sprint(e.Year)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, e)
	}
	eduMax := 0
	for _, s := range d.sections {
		if !s.kinds.has(KindEducation) {
			continue
		}
		var at []int
		var hits []degreeHit
		for i := s.first; i <= s.last; i++ {
			l := &d.lines[i]
			if l.heading || l.furniture {
				continue
			}
			if h, ok := bestDegree(d.lineDegrees(i, true)); ok {
				at = append(at, i)
				hits = append(hits, h)
			}
		}
		order := d.educationOrder(s, at, hits)
		for k, i := range at {
			e := d.educationEntry(s, i, hits[k], order)
			eduMax = max(eduMax, LevelRank(e.Level))
			add(e)
		}
	}
	// Clear degree phrases elsewhere (not in experience or skills, where
	// "mentored PhD students" and "Master data" live; but in the body of a
	// resume without headings, which is experience only by inference).
	for si, s := range d.sections {
		if s.heading != "" && s.kinds&(kindBit(KindEducation)|kindBit(KindExperience)|kindBit(KindSkills)) != 0 {
			continue
		}
		for i := s.first; i <= s.last; i++ {
			l := &d.lines[i]
			if l.heading {
				continue
			}
			h, ok := bestDegree(d.lineDegrees(i, false))
			if !ok || h.none || LevelRank(h.level) <= eduMax {
				continue
			}
			if nw := nextWord(l.clean[h.hi:]); nw == "students" || nw == "student" || nw == "courses" || nw == "level" || nw == "programs" {
				continue
			}
			e := d.educationEntry(d.sections[si], i, h, eduEither)
			add(e)
		}
	}
	return out
}

// eduOrder says on which side of its degree line an entry's other lines
// (school, dates, place) sit in an education section.
type eduOrder uint8

const (
	eduEither eduOrder = iota // not known: the nearest lines each way
	eduBelow                  // "B.S. in X   2006" over "Willamette Valley University"
	eduAbove                  // "Woodgrove University" over "MSc Cybersecurity"
)

// educationOrder reads the order of a section's entries from its first and
// last degree lines (at, with their degrees hits): when the first has no
// lines above it and no school of its own, and the last has lines below it,
// each entry's lines follow its degree line, and the lines above a degree
// line belong to the entry before; and the other way round.
func (d *doc) educationOrder(s section, at []int, hits []degreeHit) eduOrder {
	if len(at) < 2 {
		return eduEither
	}
	first, last := at[0], at[len(at)-1]
	above, _ := d.educationNeighbours(s, first)
	_, below := d.educationNeighbours(s, last)
	// A degree line that names its own school ("Lakeside High School" over
	// "Springfield" over "SSC") says nothing of where the others put theirs.
	switch {
	case len(above) == 0 && len(below) > 0 && d.schoolOf(first, first, hits[0]) == "":
		return eduBelow
	case len(above) > 0 && len(below) == 0 && d.schoolOf(last, last, hits[len(hits)-1]) == "":
		return eduAbove
	}
	return eduEither
}

// educationNeighbours returns the lines next to degree line i of section s
// that may belong to its entry, nearest first: up to two heading-like lines
// each way that name no degree of their own. Below, a sibling degree line
// with no dates is stepped over, so that "BA in Computer Science" / "BA in
// Environmental Sciences" / "Exp. May 2019" share the date.
func (d *doc) educationNeighbours(s section, i int) (above, below []int) {
	usable := func(j int) bool {
		return d.headerish(&d.lines[j], nil) || len(d.lines[j].dates) > 0
	}
	for j := i - 1; j >= s.first && len(above) < 2; j-- {
		if d.lines[j].heading || len(d.lineDegrees(j, true)) > 0 || !usable(j) {
			break
		}
		above = append(above, j)
	}
	for j := i + 1; j <= s.last && j <= i+3 && len(below) < 2; j++ {
		if d.lines[j].heading {
			break
		}
		if len(d.lineDegrees(j, true)) > 0 {
			if len(d.lines[j].dates) == 0 && len(below) == 0 {
				continue
			}
			break
		}
		if !usable(j) {
			break
		}
		below = append(below, j)
	}
	return above, below
}

// educationEntry reads the entry around line i of section s, whose degree
// is h; order says which neighbouring lines the entry may take.
func (d *doc) educationEntry(s section, i int, h degreeHit, order eduOrder) Education {
	l := &d.lines[i]
	e := Education{Level: h.level}
	e.Degree, e.Field = degreeText(l.clean, h)
	above, below := d.educationNeighbours(s, i)
	switch order {
	case eduBelow:
		above = nil
	case eduAbove:
		below = nil
	}
	var near []int
	for k := 0; k < 2; k++ {
		if k < len(above) {
			near = append(near, above[k])
		}
		if k < len(below) {
			near = append(near, below[k])
		}
	}
	// Institution.
	for _, j := range append([]int{i}, near...) {
		if e.Institution = d.schoolOf(j, i, h); e.Institution != "" {
			break
		}
	}
	// Year and status.
	text := l.clean
	for _, j := range append([]int{i}, near...) {
		dl := &d.lines[j]
		if len(dl.dates) == 0 {
			continue
		}
		if j != i {
			text += " " + dl.clean
		}
		for _, r := range dl.dates {
			y, m := r.start.year, r.start.month
			if !r.single {
				y, m = r.end.year, r.end.month
			}
			switch {
			case !r.single && r.end.present:
				e.InProgress = true
			case y > e.Year:
				e.Year = y
			}
			if r.expected || y > d.asOf.Year || y == d.asOf.Year && m > d.asOf.Month {
				e.InProgress = true
			}
		}
		break
	}
	if inProgressRe.MatchString(text) {
		e.InProgress = true
	}
	if e.Level == "" {
		e.Field = ""
	}
	return e
}

// schoolOf returns the school named on line j of the entry whose degree
// line is i and degree h, or "".
func (d *doc) schoolOf(j, i int, h degreeHit) string {
	c := d.lines[j].clean
	if j == i && !h.none {
		// Not "PhD Princeton University": the degree is not the school.
		c = c[:h.lo] + strings.Repeat(" ", h.hi-h.lo) + c[h.hi:]
	}
	t := withoutDates(c, d.lines[j].dates)
	fallback := ""
	for _, f := range d.splitFields(t) {
		if !d.lx.isSchool(f) || len(strings.Fields(f)) > 10 {
			continue
		}
		if d.programmeOnly(f) {
			// "High School Diploma": the programme, not the school.
			if fallback == "" {
				fallback = f
			}
			continue
		}
		return cleanField(schoolSpan(f))
	}
	if fallback != "" && j == i {
		return cleanField(schoolSpan(fallback))
	}
	return ""
}

// programmeOnly reports whether a chunk names only a programme ("High
// School Diploma"), not a school with a name ("Lincoln High School").
func (d *doc) programmeOnly(f string) bool {
	hs := d.lx.findDegrees(f, true)
	if len(hs) == 0 {
		return false
	}
	rest := []byte(f)
	for _, h := range hs {
		for k := h.lo; k < h.hi; k++ {
			rest[k] = ' '
		}
	}
	for _, w := range strings.Fields(string(rest)) {
		if unicode.IsUpper(firstRune(w)) && !stopWords[fold(w)] {
			return false
		}
	}
	return true
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// schoolSpan trims a chunk to the school's name when it starts with
// something else ("2015 University of Houston").
func schoolSpan(f string) string {
	ws := strings.Fields(f)
	for len(ws) > 1 && !unicode.IsUpper(firstRune(ws[0])) {
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}
