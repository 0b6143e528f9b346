package parser

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A section is a run of lines under one heading.
type section struct {
	kind    SectionKind
	kinds   kindSet // kinds the heading covers ("Education & Certifications")
	heading string
	first   int // index of the heading line (or of the first line, for the header)
	last    int // index of the last line
}

// kindSet is a set of section kinds.
type kindSet uint8

func kindBit(k SectionKind) kindSet {
	switch k {
	case KindHeader:
		return 1
	case KindSummary:
		return 2
	case KindExperience:
		return 4
	case KindEducation:
		return 8
	case KindCertifications:
		return 16
	case KindSkills:
		return 32
	}
	return 64
}

func (s kindSet) has(k SectionKind) bool { return s&kindBit(k) != 0 }

var (
	// headingNumber is a leading "1.", "II.", "A)" before a heading.
	headingNumber = regexp.MustCompile(`^(?:[0-9]{1,2}|[IVX]{1,4}|[A-Z])[.)]\s+`)
	// headingJoin splits a compound heading into its parts.
	headingJoin = regexp.MustCompile(`(?i)\s*(?:&|,|/|\+|\||·|•|\band\b|\bund\b|\bet\b|\by\b)\s*`)
	// headingStyle matches DOCX paragraph style names used for headings.
	headingStyle = regexp.MustCompile(`(?i)^(?:heading|überschrift|titre|título|titulo)\s*\d|^(?:section|sectiontitle|heading)$`)
)

// headingMatch looks text up in the heading list. inline is true when the
// heading starts a line that goes on ("Skills: Go, SQL").
type headingMatch struct {
	kind   SectionKind
	kinds  kindSet
	text   string // the heading as written, trimmed
	inline bool
}

// lookupHeading matches a line against the heading words in data.
func (lx *lexicon) lookupHeading(s string) (headingMatch, bool) {
	t := strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '(' && r != ')' })
	if strings.ContainsAny(t, ".)") { // headingNumber needs one
		t = headingNumber.ReplaceAllString(t, "")
	}
	t = strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	if t == "" || utf8.RuneCountInString(t) > 60 {
		return headingMatch{}, false
	}
	if m, ok := lx.wholeHeading(t); ok {
		return m, true
	}
	// "Skills: Go, SQL" and "Certifications - CISSP, CISM"
	if i := strings.IndexAny(t, ":–—"); i > 0 {
		head := strings.TrimSpace(t[:i])
		if len(strings.Fields(head)) <= 4 {
			if m, ok := lx.wholeHeading(head); ok {
				m.inline = true
				return m, true
			}
		}
	}
	return headingMatch{}, false
}

func (lx *lexicon) wholeHeading(t string) (headingMatch, bool) {
	key := squash(t)
	if key == "" || len(key) > 48 {
		return headingMatch{}, false
	}
	if k, ok := lx.headingKey(key); ok {
		return headingMatch{kind: k, kinds: kindBit(k), text: t}, true
	}
	if !mayJoinHeadings(t) {
		return headingMatch{}, false
	}
	parts := headingJoin.Split(t, -1)
	if len(parts) < 2 {
		return headingMatch{}, false
	}
	var m headingMatch
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		k, ok := lx.headingKey(squash(p))
		if !ok {
			return headingMatch{}, false
		}
		if m.kinds == 0 {
			m.kind = k
		}
		m.kinds |= kindBit(k)
	}
	if m.kinds == 0 {
		return headingMatch{}, false
	}
	m.text = t
	return m, true
}

// headingJoiners are the joining words of headingJoin, in lower case.
var headingJoiners = map[string]bool{"and": true, "und": true, "et": true, "y": true}

// mayJoinHeadings reports whether headingJoin can match t, without running
// it on every line that is not a heading: t must hold one of its marks, or
// one of its words standing alone (\b is an ASCII word boundary, so as a
// whole run of ASCII letters, digits and "_"; in any case, as no other
// rune folds to the ASCII letters of those words).
func mayJoinHeadings(t string) bool {
	if strings.ContainsAny(t, "&,/+|·•") {
		return true
	}
	var buf [3]byte
	for i := 0; i < len(t); {
		if !isWordByte(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isWordByte(t[j]) {
			j++
		}
		if j-i <= len(buf) {
			w := buf[:j-i]
			for k := range w {
				w[k] = lowerASCII(t[i+k])
			}
			if headingJoiners[string(w)] {
				return true
			}
		}
		i = j
	}
	return false
}

// isWordByte reports whether b is an ASCII word character (\w).
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}

// headingKey looks a squashed heading up, also in its other number
// ("Extracurricular Activity" for "activities", "Project" for "projects").
func (lx *lexicon) headingKey(key string) (SectionKind, bool) {
	if k, ok := lx.headings[key]; ok {
		return k, true
	}
	var alt []string
	switch {
	case strings.HasSuffix(key, "ies"):
		alt = append(alt, strings.TrimSuffix(key, "ies")+"y")
	case strings.HasSuffix(key, "y"):
		alt = append(alt, strings.TrimSuffix(key, "y")+"ies")
	case strings.HasSuffix(key, "s"):
		alt = append(alt, strings.TrimSuffix(key, "s"))
	}
	alt = append(alt, key+"s")
	for _, a := range alt {
		if k, ok := lx.headings[a]; ok {
			return k, true
		}
	}
	return "", false
}

// looks describes how a line is set, for comparing a candidate heading with
// the headings already found.
type looks struct {
	size int // font size in half points, 0 when unknown
	bold bool
	caps bool // set in capitals by the format or in its letters
}

func lineLooks(l *aLine) looks {
	return looks{size: int(math.Round(l.Size * 2)), bold: l.Bold, caps: l.Caps || allCapitals(l.clean)}
}

// findSections marks the heading lines and splits the document into
// sections. Text before the first heading is the header.
func (d *doc) findSections() {
	lines := d.lines
	median := d.medianSize()
	type cand struct {
		i int
		m headingMatch
	}
	var known []cand
	for i := range lines {
		l := &lines[i]
		if l.furniture || l.List || !d.shortLine(l, 8) {
			continue
		}
		m, ok := d.lx.lookupHeading(l.clean)
		if !ok {
			continue
		}
		if m.inline && (m.kind == KindExperience || m.kind == KindOther) && !allCapitals(strings.Fields(m.text)[0]) {
			continue // "Experience: 12 years", "Languages: English"; not "EXPERIENCE: 11+ years"
		}
		if !m.inline && len(l.dates) > 0 {
			continue
		}
		// A wrapped sentence ending in a heading word ("others);",
		// "skills") is no heading: headings start with a capital and do
		// not end with punctuation.
		if unicode.IsLower(firstRune(m.text)) {
			continue
		}
		if t := strings.TrimSpace(l.clean); !m.inline && strings.ContainsAny(t[len(t)-1:], ",;.)") && !strings.HasSuffix(t, "(s)") {
			continue
		}
		known = append(known, cand{i, m})
	}
	// The look shared by most known headings, and their markup level.
	count := map[looks]int{}
	levels := map[int]int{}
	for _, c := range known {
		count[lineLooks(&lines[c.i])]++
		if lv := lines[c.i].Level; lv > 0 {
			levels[lv]++
		}
	}
	var common looks
	best := 0
	for lk, n := range count {
		if n > best || n == best && (lk.size > common.size || lk.bold && !common.bold) {
			common, best = lk, n
		}
	}
	headLevel := 0
	for lv, n := range levels {
		if headLevel == 0 || n > levels[headLevel] || n == levels[headLevel] && lv < headLevel {
			headLevel = lv
		}
	}
	isKnown := map[int]headingMatch{}
	for _, c := range known {
		isKnown[c.i] = c.m
	}
	firstKnown := len(lines)
	if len(known) > 0 {
		firstKnown = known[0].i
	}
	heads := map[int]headingMatch{}
	for i := range lines {
		if m, ok := isKnown[i]; ok {
			heads[i] = m
			continue
		}
		l := &lines[i]
		if l.furniture || l.List || !d.unknownHeadingLike(i) {
			continue
		}
		lk := lineLooks(l)
		strong := false
		switch {
		case l.Level > 0 || headingStyle.MatchString(l.Style):
			// Markup says heading: trust it at the level the known
			// headings use (job lines are often a level below).
			strong = headLevel == 0 && l.Level <= 1 || l.Level == headLevel
		case i > firstKnown && best > 0 && lk == common && (lk.bold || lk.caps || median > 0 && float64(lk.size)/2 > median+0.9):
			strong = true
		case len(known) == 0 && median > 0 && l.Size >= median*1.25 && l.Size-median >= 2 && i > 0:
			// Not the name: the largest line at the top.
			strong = i != d.topLine()
		}
		if strong {
			t := strings.TrimFunc(l.clean, func(r rune) bool { return !unicode.IsLetter(r) && r != ')' })
			heads[i] = headingMatch{kind: KindOther, kinds: kindBit(KindOther), text: t}
		}
	}
	idx := make([]int, 0, len(heads))
	for i := range heads {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	d.sections = d.sections[:0]
	if len(idx) == 0 || idx[0] > 0 {
		end := len(lines) - 1
		if len(idx) > 0 {
			end = idx[0] - 1
		}
		d.sections = append(d.sections, section{kind: KindHeader, kinds: kindBit(KindHeader), first: 0, last: end})
	}
	for n, i := range idx {
		end := len(lines) - 1
		if n+1 < len(idx) {
			end = idx[n+1] - 1
		}
		m := heads[i]
		lines[i].heading = !m.inline
		d.sections = append(d.sections, section{kind: m.kind, kinds: m.kinds, heading: m.text, first: i, last: end})
	}
	for si, s := range d.sections {
		for i := s.first; i <= s.last; i++ {
			lines[i].sec = si
		}
	}
}

// headerAt makes the name on line i, and the lines after it up to the next
// heading, a header section when the name heads a column that follows
// another column's section: a reader that gives a sidebar first puts the
// name and headline of the main column at the end of the sidebar's last
// section ("Skills").
func (d *doc) headerAt(i int) {
	if i <= 0 {
		return
	}
	l := &d.lines[i]
	si := l.sec
	s := d.sections[si]
	if s.kind == KindHeader || l.heading || l.Column == 0 || d.lines[i-1].Column == l.Column || i <= s.first {
		return
	}
	d.sections[si].last = i - 1
	d.sections = slices.Insert(d.sections, si+1, section{kind: KindHeader, kinds: kindBit(KindHeader), first: i, last: s.last})
	for k := i; k < len(d.lines); k++ {
		if d.lines[k].sec >= si {
			d.lines[k].sec++
		}
	}
}

// topLine returns the index of the largest line among the first six.
func (d *doc) topLine() int {
	best := 0
	for i := 1; i < len(d.lines) && i < 6; i++ {
		if d.lines[i].Size > d.lines[best].Size {
			best = i
		}
	}
	return best
}

// medianSize returns the median font size of the lines, weighted by their
// length, or 0 when the reader gave no sizes.
func (d *doc) medianSize() float64 {
	var sizes []float64
	for _, l := range d.lines {
		if l.Size > 0 {
			for n := len(l.text)/20 + 1; n > 0; n-- {
				sizes = append(sizes, l.Size)
			}
		}
	}
	if len(sizes) == 0 {
		return 0
	}
	sort.Float64s(sizes)
	return sizes[len(sizes)/2]
}

// shortLine reports whether l has at most n words, letter-spaced words
// counted once.
func (d *doc) shortLine(l *aLine, n int) bool {
	return l.Level > 0 || len(strings.Fields(joinLetterSpaced(l.clean))) <= n
}

// unknownHeadingLike reports whether line i could be a heading that is not
// in the heading list: one to five words, letters, no digits, no address,
// nothing that reads as a job title, employer or place, and not followed at
// once by a dated entry (an employer set in capitals on its own line).
func (d *doc) unknownHeadingLike(i int) bool {
	l := &d.lines[i]
	t := strings.TrimSpace(l.clean)
	n := len(strings.Fields(t))
	if n == 0 || n > 5 || utf8.RuneCountInString(t) > 40 || hasDigit(t) || strings.ContainsAny(t, "@|,") || len(l.dates) > 0 {
		return false
	}
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, ";") {
		return false
	}
	if !unicode.IsUpper(firstRune(t)) || strings.Count(t, "(") != strings.Count(t, ")") {
		return false
	}
	c := d.classify(t)
	if c != roleOther {
		return false
	}
	for j := i + 1; j < len(d.lines) && j <= i+2; j++ {
		if len(d.lines[j].dates) > 0 {
			return false
		}
	}
	return true
}
