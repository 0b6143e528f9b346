package parser

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sift/parser/internal/layout"
)

// Structure extraction turns the lines a format reader found into a Resume:
//
//  1. mendDateColumns puts back into rows a page that a reader split into
//     two columns although its left column is dates and headings beside
//     the entries. prepareLines keeps the visible lines, lays them out in
//     Resume.Text and makes a cleaned copy of each for analysis (icon
//     glyphs, mojibake and zero-width characters removed; Text keeps what
//     the document says). It finds each line's date ranges (dates.go),
//     marks running headers and footers, and mends ranges broken over
//     lines.
//  2. findSections marks headings from layout cues and the heading words in
//     data/sections.tsv; text before the first heading is the header, and
//     so is the top of a column that holds the name (headerAt).
//  3. Each extractor reads the sections it trusts: positions from
//     experience sections (positions.go), education (education.go),
//     certifications (certifications.go), contact (contact.go).
//  4. ExperienceMonths is the union of the positions' months (experience.go).
//
// Word lists and tables (headings, job-title and organization words,
// places, schools, degree forms, certifications, date words) are data in
// data/, embedded and parsed once (data.go).
//
// Every extractor works on any lines without panicking (FuzzBuild); build
// recovers from a panic anyway, recording a warning, so that one odd
// document cannot stop a batch.

// aLine is one visible line as structure extraction sees it.
type aLine struct {
	layout.Line
	text      string      // the line as it appears in Resume.Text
	clean     string      // text for analysis: see cleanLine
	off       int         // byte offset of text in Resume.Text
	gap       bool        // a blank line or a paragraph start above
	sec       int         // index of the section holding the line
	heading   bool        // the line is a section heading
	furniture bool        // a page header or footer repeated across pages
	dates     []dateRange // date ranges in clean
}

// doc is the working state of one build.
type doc struct {
	lx       *lexicon
	lines    []aLine
	sections []section
	asOf     Month
	warnings []string

	degreeCache [][]degreeHit // by line: allDegrees, computed on first use
	degreeDone  []bool
}

// build fills res from the lines a format reader found: Text, HiddenText,
// Contact, Sections, Positions, Education, Certifications and
// ExperienceMonths. res.AsOf is what "Present" means; when it is zero the
// current month is used. A panic in extraction is recovered and recorded as
// a warning, leaving the fields not yet filled empty.
func build(res *Resume, ld *layout.Document) {
	defer func() {
		if v := recover(); v != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("structure: internal error, some fields left empty: %v", v))
		}
	}()
	structure(res, ld)
}

// structure does build's work, without the recover (tests call it to see
// panics).
func structure(res *Resume, ld *layout.Document) {
	if ld == nil {
		return
	}
	for _, h := range ld.Hidden {
		res.HiddenText = append(res.HiddenText, HiddenText{Text: h.Text, Reason: h.Reason, Page: h.Page})
	}
	d := &doc{lx: loadLexicon(), asOf: res.AsOf}
	if d.asOf.IsZero() {
		d.asOf = MonthOf(time.Now())
	}
	res.Text, d.lines = prepareLines(mendDateColumns(ld.Lines, d.lx))
	if len(d.lines) == 0 {
		return
	}
	d.findSections()
	name, at := d.name()
	d.headerAt(at)
	res.Contact = d.contact(name)
	res.Positions = d.positions()
	d.splitHeadless(res.Positions)
	for _, s := range d.sections {
		res.Sections = append(res.Sections, Section{Kind: s.kind, Heading: s.heading, Start: d.lines[s.first].off, End: d.lines[s.last].off + len(d.lines[s.last].text)})
	}
	res.ExperienceMonths = ExperienceMonths(res.Positions, d.asOf)
	res.Education = d.education()
	res.Certifications = d.certifications()
	res.Warnings = append(res.Warnings, d.warnings...)
}

// splitHeadless gives a resume without a single heading a body: the header
// (name and contact) ends before the first position, or, without positions,
// after the first few short lines; the rest is a section without a heading,
// of kind experience when it holds the positions. Otherwise the header would
// hold the whole resume, and text in the header is where the name and
// contact details are, which matching leaves alone.
func (d *doc) splitHeadless(positions []Position) {
	if len(d.sections) != 1 || d.sections[0].kind != KindHeader || len(d.lines) < 2 {
		return
	}
	end, kind := -1, KindOther
	if len(positions) > 0 {
		// The first dated line; a position's Offset may reach up into the
		// name and contact lines when nothing separates them.
		first := positions[0]
		for _, p := range positions {
			if p.Offset < first.Offset {
				first = p
			}
		}
		for i, l := range d.lines {
			if l.off >= first.Offset && first.Dates != "" && strings.Contains(l.clean, first.Dates) {
				end, kind = i, KindExperience
				break
			}
		}
		// Keep a title on the line above its dates with its position.
		if end > 1 && !contactLine(d.lines[end-1].clean) && d.lines[end-1].off > 0 {
			end--
		}
	}
	if end < 0 {
		end = min(5, len(d.lines))
		for i := 1; i < end; i++ {
			if len([]rune(d.lines[i].clean)) > 80 {
				end = i
				break
			}
		}
	}
	if end <= 0 || end >= len(d.lines) {
		return
	}
	d.sections[0].last = end - 1
	d.sections = append(d.sections, section{kind: kind, kinds: kindBit(kind), first: end, last: len(d.lines) - 1})
	for i := end; i < len(d.lines); i++ {
		d.lines[i].sec = 1
	}
}

// contactLine reports whether s holds an email address, a web link or a
// phone-like run of digits.
func contactLine(s string) bool {
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return strings.Contains(s, "@") || strings.Contains(s, "://") || strings.Contains(s, "www.") || digits >= 7
}

func (d *doc) warnf(format string, args ...any) {
	d.warnings = append(d.warnings, "structure: "+fmt.Sprintf(format, args...))
}

// prepareLines drops empty lines, joins the rest into the resume text and
// returns the lines with their offsets in it.
func prepareLines(in []layout.Line) (string, []aLine) {
	var b strings.Builder
	lines := make([]aLine, 0, len(in))
	gap := true
	for _, l := range in {
		t := strings.TrimFunc(l.Text, isBlank)
		if t == "" {
			gap = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		al := aLine{Line: l, text: t, off: b.Len(), gap: gap || l.Block}
		b.WriteString(t)
		al.clean = cleanLine(t)
		al.dates = findDates(al.clean)
		lines = append(lines, al)
		gap = false
	}
	markFurniture(lines)
	joinSplitDates(lines)
	return b.String(), lines
}

// mendDateColumns undoes a column split that tore a table apart: a page
// laid out with dates (and section headings) in a narrow left column beside
// the entries they head, moderncv style, that a reader split into two
// columns because most left lines (headings, undated items) share no
// baseline with the right. Read as columns, every heading comes before all
// of the entries. The split is taken for a table when the left column holds
// section headings and the right none, and every left line that is only a
// date shares its baseline with a right line. The two columns are then
// merged back into rows by baseline, a left line and a right line on one
// baseline joined by a wide gap ("2015   Bachelor of Applied Science").
// A true sidebar layout has headings of its own in the main column.
func mendDateColumns(in []layout.Line, lx *lexicon) []layout.Line {
	var out []layout.Line
	for i := 0; i < len(in); {
		if in[i].Column == 0 {
			out = append(out, in[i])
			i++
			continue
		}
		j := i
		for j < len(in) && in[j].Column > 0 && in[j].Page == in[i].Page {
			j++
		}
		if rows, ok := dateColumnRows(in[i:j], lx); ok {
			out = append(out, rows...)
		} else {
			out = append(out, in[i:j]...)
		}
		i = j
	}
	return out
}

// dateColumnRows returns the lines of one split region of a page (a run of
// lines in columns) merged into rows, when the split reads as a table (see
// mendDateColumns).
func dateColumnRows(run []layout.Line, lx *lexicon) ([]layout.Line, bool) {
	left := run[0].Column
	split := 0
	for split < len(run) && run[split].Column == left {
		split++
	}
	if split == len(run) {
		return nil, false
	}
	right := run[split].Column
	for _, l := range run[split:] {
		if l.Column != right {
			return nil, false // more than two columns
		}
	}
	ls, rs := run[:split], run[split:]
	isHeading := func(l layout.Line) bool {
		m, ok := lx.lookupHeading(cleanLine(l.Text))
		return ok && !m.inline
	}
	headings, dated := 0, 0
	for _, l := range rs {
		if isHeading(l) {
			return nil, false
		}
	}
	for _, l := range ls {
		if isHeading(l) {
			headings++
		}
		c := cleanLine(l.Text)
		ds := findDates(c)
		if len(ds) != 1 || strings.TrimSpace(withoutDates(c, ds)) != "" {
			continue
		}
		if rowPartner(l, rs, 0) < 0 {
			return nil, false
		}
		dated++
	}
	if headings == 0 || dated == 0 {
		return nil, false
	}
	// Merge by baseline: both columns are in top-to-bottom order.
	out := make([]layout.Line, 0, len(run))
	used := make([]bool, len(rs))
	ri := 0
	flushAbove := func(y float64) {
		for ; ri < len(rs) && rs[ri].Y < y; ri++ {
			if !used[ri] {
				r := rs[ri]
				r.Column = 0
				out = append(out, r)
			}
		}
	}
	for _, l := range ls {
		k := -1
		if !isHeading(l) {
			k = rowPartner(l, rs, ri) // not one already written
		}
		if k >= 0 && !used[k] {
			flushAbove(rs[k].Y)
			r := rs[k]
			used[k] = true
			r.Text = l.Text + "   " + r.Text
			r.X, r.Block = l.X, l.Block || r.Block
			l = r
		} else {
			flushAbove(l.Y)
		}
		l.Column = 0
		out = append(out, l)
	}
	flushAbove(math.Inf(1))
	return out, true
}

// rowPartner returns the index of the first line of rs from index from on
// that sits on l's baseline, or -1.
func rowPartner(l layout.Line, rs []layout.Line, from int) int {
	for k := from; k < len(rs); k++ {
		if math.Abs(rs[k].Y-l.Y) <= 0.25*max(rs[k].Size, l.Size, 4) {
			return k
		}
	}
	return -1
}

// joinSplitDates mends a date range broken over lines ("June 2013" / "to" /
// "March 2016"): the first line gets the whole range and the others are
// set aside like page furniture.
func joinSplitDates(lines []aLine) {
	lx := loadLexicon()
	onlyDates := func(l *aLine) bool {
		return len(l.dates) == 1 && strings.TrimSpace(withoutDates(l.clean, l.dates)) == ""
	}
	isSep := func(l *aLine) bool {
		t := strings.TrimSpace(l.clean)
		return len(l.dates) == 0 && (lx.seps[fold(t)] || len(t) <= 3 && strings.IndexFunc(t, func(r rune) bool { return !isDash(token{kind: tPunct, text: string(r)}) }) < 0)
	}
	for i := 0; i+1 < len(lines); i++ {
		a := &lines[i]
		if !onlyDates(a) || !a.dates[0].single {
			continue
		}
		j := i + 1
		parts := []string{a.clean}
		if isSep(&lines[j]) && j+1 < len(lines) {
			parts = append(parts, lines[j].clean)
			j++
		}
		b := &lines[j]
		if len(parts) == 1 && !isDash(token{kind: tPunct, text: string(firstRune(b.clean))}) {
			continue
		}
		parts = append(parts, b.clean)
		joined := strings.Join(parts, " ")
		ds := findDates(joined)
		if len(ds) == 0 || ds[0].single || ds[0].hi <= len(a.clean) {
			continue
		}
		a.clean = joined
		a.dates = ds
		for k := i + 1; k <= j; k++ {
			lines[k].furniture = true
		}
		i = j
	}
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00a0'
}

// cleaner repairs what extraction commonly leaves in resume text: UTF-8 read
// as Latin-1 (mojibake) around bullets and dashes, zero-width characters,
// non-breaking spaces and tabs.
var cleaner = strings.NewReplacer(
	"ï¼\u200b", " | ", "ï¼", " | ", "â€¢", "•", "â€“", "–", "â€”", "—", "â€™", "’", "â€œ", "“", "â€\u009d", "”",
	"Â\u00a0", " ", "Â ", " ", "Â", "",
	"\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", "\u00a0", " ", "\t", "   ",
	"\u00ad", "-", "ﬁ", "fi", "ﬂ", "fl", "ﬀ", "ff", "ﬃ", "ffi", "ﬄ", "ffl",
)

// cleanLine returns a line's text for analysis: repaired by cleaner, with
// icon glyphs (private-use characters, pictographs) replaced by a gap.
func cleanLine(s string) string {
	s = cleaner.Replace(s)
	if !strings.ContainsFunc(s, isIcon) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isIcon(r) {
			b.WriteString("  ")
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

func isIcon(r rune) bool {
	return r >= 0xE000 && r <= 0xF8FF || r >= 0xF0000 || r == utf8.RuneError ||
		unicode.Is(unicode.So, r) && r != '©' && r != '®' && r != '°' || unicode.Is(unicode.Co, r)
}

// markFurniture flags lines that repeat on two or more pages near the top or
// bottom of the page: running headers and footers ("Jane Doe · Résumé 2").
// Lines are compared by their letters and their runs of four or more digits,
// so page numbers do not tell them apart but years do.
func markFurniture(lines []aLine) {
	if len(lines) == 0 || lines[len(lines)-1].Page <= 1 {
		return
	}
	type seenAt struct {
		page  int
		multi bool
	}
	seen := map[string]*seenAt{}
	keys := make([]string, len(lines))
	for i, l := range lines {
		p := l.Page
		top, bottom := 0, 0
		for j := i - 1; j >= 0 && lines[j].Page == p && top < 3; j-- {
			top++
		}
		for j := i + 1; j < len(lines) && lines[j].Page == p && bottom < 3; j++ {
			bottom++
		}
		if top >= 3 && bottom >= 3 {
			continue
		}
		k := furnitureKey(l.text)
		keys[i] = k
		if w := seen[k]; w == nil {
			seen[k] = &seenAt{page: p}
		} else if w.page != p {
			w.multi = true
		}
	}
	for i := range lines {
		if keys[i] != "" && seen[keys[i]].multi {
			lines[i].furniture = true
		}
	}
}

func furnitureKey(s string) string {
	var b strings.Builder
	digits := 0
	flush := func(i int) {
		if digits >= 4 {
			b.WriteString(s[i-digits : i])
		}
		digits = 0
	}
	for i, r := range s {
		if r >= '0' && r <= '9' {
			digits++
			continue
		}
		flush(i)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	flush(len(s))
	if b.Len() == 0 {
		return "#" // a page number alone
	}
	return b.String()
}

// wordList splits s into folded words of letters and digits only.
func wordList(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-')
	})
}

// allCapitals reports whether s has at least three letters and no lower-case
// letter.
func allCapitals(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 3
}

func hasDigit(s string) bool { return strings.ContainsFunc(s, unicode.IsDigit) }

// withoutDates returns s with the spans of its date ranges blanked out.
func withoutDates(s string, ds []dateRange) string {
	if len(ds) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, r := range ds {
		if r.lo < prev {
			continue
		}
		b.WriteString(s[prev:r.lo])
		b.WriteString("   ")
		prev = r.hi
	}
	b.WriteString(s[prev:])
	return b.String()
}
