package rules

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"sift/parser"
)

// This file locates structured facts (a degree, a position, a
// certification) in the resume's text, so that their evidence is a span a
// report can highlight. Nothing here reads Resume.Contact, and the header
// section (name and contact lines) is searched by nothing.

// sectionAt returns the kind of the innermost section containing the byte
// offset off, or "" when none does.
func (x *evalCtx) sectionAt(off int) parser.SectionKind {
	var kind parser.SectionKind
	start := -1
	for _, s := range x.res.Sections {
		if s.Start <= off && off < s.End && s.Start > start {
			kind, start = s.Kind, s.Start
		}
	}
	return kind
}

// lineAt returns the bounds of the line containing off, without its
// newline.
func (x *evalCtx) lineAt(off int) (int, int) {
	t := x.res.Text
	s := strings.LastIndexByte(t[:off], '\n') + 1
	e := strings.IndexByte(t[off:], '\n')
	if e < 0 {
		return s, len(t)
	}
	return s, off + e
}

// evidence returns the Evidence for the span [s, e) with the line around it
// as context, whitespace trimmed from both.
func (x *evalCtx) evidence(s, e int) Evidence {
	t := x.res.Text
	s, e = trimSpan(t, s, e)
	ls, le := x.lineAt(s)
	ls, le = trimSpan(t, ls, max(le, e))
	return Evidence{Text: t[s:e], Context: t[ls:le], Section: string(x.sectionAt(s)), Start: s, End: e}
}

func trimSpan(t string, s, e int) (int, int) {
	for s < e && isSpace(t[s]) {
		s++
	}
	for e > s && isSpace(t[e-1]) {
		e--
	}
	return s, e
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// areas returns the byte ranges to search for facts: the sections of the
// given kinds, or, when kinds is empty or no section has them, every
// section but the header (the whole text when the resume has no sections).
func (x *evalCtx) areas(kinds ...parser.SectionKind) [][2]int {
	var out [][2]int
	n := len(x.res.Text)
	add := func(s parser.Section) {
		from, to := min(max(s.Start, 0), n), min(max(s.End, 0), n)
		if from < to {
			out = append(out, [2]int{from, to})
		}
	}
	for _, s := range x.res.Sections {
		if slices.Contains(kinds, s.Kind) {
			add(s)
		}
	}
	if len(out) > 0 {
		return out
	}
	if len(x.res.Sections) == 0 {
		return [][2]int{{0, n}}
	}
	for _, s := range x.res.Sections {
		if s.Kind != parser.KindHeader {
			add(s)
		}
	}
	return out
}

// findWord returns the first offset of sub in s as a whole word (no letter
// or digit just before or after), exactly or ignoring case; -1 if none.
func findWord(s, sub string, fold bool) int {
	n := len(sub)
	if n == 0 {
		return -1
	}
	for i := 0; i+n <= len(s); i++ {
		if fold {
			if !strings.EqualFold(s[i:i+n], sub) {
				continue
			}
		} else if s[i] != sub[0] || s[i:i+n] != sub {
			continue
		}
		if i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if isWordRune(r) && startsWord(sub) {
				continue
			}
		}
		if i+n < len(s) {
			r, _ := utf8.DecodeRuneInString(s[i+n:])
			if isWordRune(r) && endsWord(sub) {
				continue
			}
		}
		return i
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func endsWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordRune(r)
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool { return findWord(s, sub, true) >= 0 }

// offsetOK reports whether position i's Offset can be trusted: inside the
// text, and 0 only when the text starts with the position.
func (x *evalCtx) offsetOK(i int) bool {
	pos := x.res.Positions[i]
	t := x.res.Text
	if pos.Offset < 0 || pos.Offset >= len(t) {
		return false
	}
	if pos.Offset > 0 {
		return true
	}
	_, e := x.lineAt(0)
	first := t[:e]
	return (pos.Title != "" && containsFold(first, pos.Title)) || (pos.Organization != "" && containsFold(first, pos.Organization))
}

// positionSpan returns the text of position i: from its offset to the next
// position's, or the end of its section.
func (x *evalCtx) positionSpan(i int) (int, int, bool) {
	if !x.offsetOK(i) {
		return 0, 0, false
	}
	from := x.res.Positions[i].Offset
	to := len(x.res.Text)
	for j, other := range x.res.Positions {
		if j != i && other.Offset > from && other.Offset < to && x.offsetOK(j) {
			to = other.Offset
		}
	}
	for _, s := range x.res.Sections {
		if s.Start <= from && from < s.End && s.End < to {
			to = s.End
		}
	}
	return from, to, true
}

// locatePosition returns evidence for position i: its title where it
// stands in the position's text, else the position's first line; for a
// position without a usable offset, the first occurrence of its title
// outside the header.
func (x *evalCtx) locatePosition(i int) (Evidence, bool) {
	pos := x.res.Positions[i]
	t := x.res.Text
	title := strings.TrimSpace(pos.Title)
	if from, to, ok := x.positionSpan(i); ok {
		if title != "" {
			if j := findWord(t[from:to], title, true); j >= 0 {
				return x.evidence(from+j, from+j+len(title)), true
			}
		}
		s, e := x.lineAt(from)
		s, e = trimSpan(t, max(s, from), e)
		if e > s {
			return x.evidence(s, e), true
		}
		return Evidence{}, false
	}
	if title == "" {
		return Evidence{}, false
	}
	for _, a := range x.areas(parser.KindExperience) {
		if j := findWord(t[a[0]:a[1]], title, true); j >= 0 {
			return x.evidence(a[0]+j, a[0]+j+len(title)), true
		}
	}
	return Evidence{}, false
}

// locateEducation returns the line of the education section that best
// matches a degree: the one containing most of its degree, field and
// institution, the first of equals.
func (x *evalCtx) locateEducation(e parser.Education) (Evidence, bool) {
	var needles []string
	for _, s := range []string{e.Degree, e.Field, e.Institution} {
		if s = strings.TrimSpace(s); len(s) >= 2 {
			needles = append(needles, s)
		}
	}
	if len(needles) == 0 {
		return Evidence{}, false
	}
	t := x.res.Text
	bestS, bestE, bestN := 0, 0, 0
	for _, a := range x.areas(parser.KindEducation) {
		for off := a[0]; off < a[1]; {
			s, le := x.lineAt(off)
			e := min(le, a[1])
			line := t[max(s, a[0]):e]
			n := 0
			for _, nd := range needles {
				if containsFold(line, nd) {
					n++
				}
			}
			if n > bestN {
				bestS, bestE, bestN = max(s, a[0]), e, n
			}
			off = le + 1
		}
	}
	if bestN == 0 {
		return Evidence{}, false
	}
	ev := x.evidence(bestS, bestE)
	return ev, ev.End > ev.Start
}

// locateCert returns where an accepted certification is named: in a
// certifications section first, then anywhere but the header. Names are
// matched with their capitalisation; names longer than four characters
// also ignoring it.
func (x *evalCtx) locateCert(c certMatcher) (Evidence, bool) {
	t := x.res.Text
	for _, kinds := range [][]parser.SectionKind{{parser.KindCertifications}, nil} {
		areas := x.areas(kinds...)
		if len(kinds) > 0 && !x.hasSection(kinds[0]) {
			continue
		}
		for _, fold := range []bool{false, true} {
			for _, name := range c.names {
				if fold && len(name) <= 4 {
					continue
				}
				for _, a := range areas {
					if j := findWord(t[a[0]:a[1]], name, fold); j >= 0 {
						ev := x.evidence(a[0]+j, a[0]+j+len(name))
						ev.Term = c.Name
						return ev, true
					}
				}
			}
		}
	}
	return Evidence{}, false
}

func (x *evalCtx) hasSection(k parser.SectionKind) bool {
	for _, s := range x.res.Sections {
		if s.Kind == k {
			return true
		}
	}
	return false
}
