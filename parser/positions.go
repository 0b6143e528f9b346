package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Positions are found from their dates. In an experience section every line
// that carries a date range and reads as a heading line (short, not a bullet
// sentence, not starting with a verb such as "Led" or "Promoted") anchors one
// position. The heading-like lines around it, up to the descriptions of the
// entries before and after, form its block; a date set in a right column of
// a description line counts as the block's dates. The block's lines are cut
// into chunks at separators (wide gaps, "|", spaced dashes, commas, " at ",
// " as ") and each chunk is classified as a job title (it has a job-title
// word from data/titles.txt), an organization (a word from data/orgs.txt),
// a place (data/places.txt, "City, ST") or other. The title is the title
// chunk nearest the dates; the organization the nearest chunk with a legal
// form or institution word, else the nearest organization or other chunk.
//
// A block with several date lines holds several positions (two titles at
// one employer): the employer's line is shared, and a position whose block
// names no organization takes the one before it. A position with no title
// in its block takes one from the line just above ("Research Assistant:
// laboratory work ..." over "• 2007-2010 (Oberlin College)"); failing that,
// of two unnamed chunks the one where this section's titles usually sit is
// the title. An undated title line with an organization and a description
// is an undated position, as is each "Title - Employer" line of a section
// with no dates at all. Blocks naming a degree are education, not jobs.

type role uint8

const (
	roleNone  role = iota
	roleTitle      // a job title
	roleOrg        // an organization
	rolePlace      // a place
	roleOther      // something else short: an organization or a title without a listed word
)

// chunk is a piece of a position's block.
type chunk struct {
	text string
	role role
	rel  int    // line distance from the date line
	sep  string // what parts it from the field before it on its line, trimmed ("—", "|", "at"); "" for the first
}

var (
	parenthetical = regexp.MustCompile(`\([^()]*\)`)
	// strongSep splits a heading line into its fields.
	strongSep = regexp.MustCompile(`\s{2,}|\s*[|｜•·●▪►◦§⋄♦]\s*|\s+[-–—_]\s+|\s+[–—]|[–—]\s+|\s+@\s+|\s+(?:at|as)\s+|\s*:\s+|^\s*[-–—]\s*|\s+\(\s*|\s*\)\s*`)
	// fieldLabel is a label before a field: "Position: ", "Company: ".
	fieldLabel = regexp.MustCompile(`(?i)^(?:job title|title|position|role|designation|current designation|company|employer|organi[sz]ation|client|department|location)\s*:\s*`)
	// stateThen is "City, ST" or "City , State" followed by more text,
	// which splitFields cuts after the state.
	stateThen = regexp.MustCompile(`([A-Z][\p{L}.'-]*(?:\s[A-Z][\p{L}.'-]*)?)(\s*,\s*(?:[A-Z]{2}|State))\s+([\p{L}(])`)
	// cityState is "City, ST" or "City , State".
	cityState = regexp.MustCompile(`^[\p{L}][\p{L} .'-]{0,30}\s*,\s*([A-Z]{2}|[A-Z]\.[A-Z]\.|[\p{L} .]{3,25})$`)
)

// cityStateMatch is cityState.FindStringSubmatch(s), without running the
// pattern on text with no comma, where it cannot match.
func cityStateMatch(s string) []string {
	if !strings.Contains(s, ",") {
		return nil
	}
	return cityState.FindStringSubmatch(s)
}

// strongSepSplit is strongSep.Split(s, n), without running the pattern on
// text that cannot hold a separator (mayHaveStrongSep): most chunks and
// lines are words with single spaces between them.
func strongSepSplit(s string, n int) []string {
	if n != 0 && s != "" && !mayHaveStrongSep(s) {
		return []string{s}
	}
	return strongSep.Split(s, n)
}

// mayHaveStrongSep reports whether strongSep can match s. Each of its
// branches needs a mark ("|", "•", ")", ":", "@", a dash...), a leading
// "-", or white space (\s: ASCII only) followed by white space, "-", "_"
// or "at"/"as" and white space.
func mayHaveStrongSep(s string) bool {
	if strings.ContainsAny(s, "|｜•·●▪►◦§⋄♦()–—:@") {
		return true
	}
	if strings.HasPrefix(strings.TrimLeft(s, " \t\n\f\r"), "-") {
		return true
	}
	for i := 0; i+1 < len(s); i++ {
		if !isSpaceRE(s[i]) {
			continue
		}
		if c := s[i+1]; isSpaceRE(c) || c == '-' || c == '_' {
			return true
		}
		if i+3 < len(s) && s[i+1] == 'a' && (s[i+2] == 't' || s[i+2] == 's') && isSpaceRE(s[i+3]) {
			return true
		}
	}
	return false
}

// isSpaceRE reports whether b is white space as \s means it in a pattern.
func isSpaceRE(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// isTitleWord reports whether a folded word is a job-title word.
func (lx *lexicon) isTitleWord(w string) bool {
	if lx.titleWords[w] {
		return true
	}
	for _, suf := range lx.titleSuffixes {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// classify says what a chunk of a heading line is.
func (d *doc) classify(s string) role {
	s = strings.TrimSpace(s)
	if s == "" || !strings.ContainsFunc(s, unicode.IsLetter) {
		return roleNone
	}
	if d.isPlace(s) {
		return rolePlace
	}
	ws := wordList(s)
	if len(ws) == 0 || len(ws) == 1 && (stopWords[ws[0]] || labelWords[ws[0]] || utf8.RuneCountInString(ws[0]) < 2) {
		return roleNone
	}
	m := d.marks(ws)
	switch {
	case m.title >= 0 && m.strong <= m.title:
		return roleTitle
	case m.org >= 0:
		return roleOrg
	}
	return roleOther
}

var stopWords = map[string]bool{"and": true, "or": true, "the": true, "of": true, "to": true, "at": true, "in": true, "with": true, "for": true, "a": true, "an": true, "und": true, "et": true, "y": true, "de": true}

// leadVerbs start sentences, not job titles.
var leadVerbs = map[string]bool{"promoted": true, "led": true, "managed": true, "worked": true, "served": true, "joined": true,
	"moved": true, "transferred": true, "hired": true, "responsible": true, "developed": true, "helped": true, "assisted": true,
	"supported": true, "working": true, "serving": true, "leading": true, "managing": true, "was": true, "i": true,
	"selected": true, "awarded": true, "received": true, "won": true, "earned": true, "completed": true, "participated": true,
	"named": true, "recognized": true, "achieved": true, "graduated": true, "attended": true, "presented": true, "published": true}

// labelWords name a field rather than fill it ("Date: 2019 – 2021").
var labelWords = map[string]bool{"date": true, "dates": true, "location": true, "period": true, "duration": true, "company": true,
	"employer": true, "title": true, "role": true, "position": true, "from": true, "to": true, "present": true, "current": true, "remote": true}

// wordMarks are the indexes of the last job-title word, organization word
// and strong organization word (legal form, institution) of a chunk, -1 for
// none.
type wordMarks struct{ title, org, strong int }

func (d *doc) marks(ws []string) wordMarks {
	lx := d.lx
	m := wordMarks{-1, -1, -1}
	for i, w := range ws {
		w = strings.Trim(w, "'-")
		if lx.notTitles[w] {
			continue
		}
		for _, part := range strings.Split(w, "/") {
			if lx.isTitleWord(part) {
				m.title = i
			}
		}
		// Small capitals split by extraction: "IN TERN", "ENGI NEER".
		if i+1 < len(ws) && !lx.isTitleWord(w) && lx.isTitleWord(w+strings.Trim(ws[i+1], "'-")) && len(w) <= 5 {
			m.title = i + 1
		}
		if lx.orgWords[w] {
			m.org = i
			if lx.strongOrg[w] {
				m.strong = i
			}
		}
	}
	low := " " + strings.Join(ws, " ") + " "
	for _, p := range lx.orgPhrases {
		if i := strings.Index(low, " "+p+" "); i >= 0 {
			end := len(strings.Fields(low[:i+len(p)+1])) - 1
			m.org = max(m.org, end)
			m.strong = max(m.strong, end)
		}
	}
	return m
}

// splitTitleOrg cuts a chunk that runs a job title into an organization
// with no separator ("IT Manager Company Name", "Security Manager Acme
// Corp") into the two.
func (d *doc) splitTitleOrg(s string) []string {
	fs := strings.Fields(s)
	if len(fs) < 3 {
		return []string{s}
	}
	ws := make([]string, len(fs))
	for i, f := range fs {
		ws[i] = strings.Trim(fold(f), ".,;:()'-")
	}
	m := d.marks(ws)
	if m.title < 0 || m.strong <= m.title || m.title+1 >= len(fs) {
		return []string{s}
	}
	next := fs[m.title+1]
	if stopWords[ws[m.title+1]] || !unicode.IsUpper(firstRune(next)) || d.lx.isTitleWord(ws[m.title+1]) {
		return []string{s}
	}
	return []string{strings.Join(fs[:m.title+1], " "), strings.Join(fs[m.title+1:], " ")}
}

// isPlace reports whether s is a location: a listed place, or "City, ST".
func (d *doc) isPlace(s string) bool {
	s = strings.TrimSpace(strings.Trim(s, "()[]"))
	if s == "" {
		return false
	}
	f := fold(s)
	f = strings.TrimSuffix(f, ".")
	if d.lx.places[f] {
		return true
	}
	for _, p := range d.lx.placePhrases {
		if f == p {
			return true
		}
	}
	// cityState needs a comma; most chunks have none.
	if m := cityStateMatch(s); m != nil && !d.hasListedWord(s[:strings.LastIndex(s, ",")]) {
		tail := strings.TrimSpace(fold(m[1]))
		if d.lx.places[tail] || d.lx.places[strings.ReplaceAll(tail, " ", "")] {
			return true
		}
		for _, p := range d.lx.placePhrases {
			if tail == p {
				return true
			}
		}
		// "Seoul, S.Korea", "Puteaux, France": a short capitalised tail.
		if len(strings.Fields(m[1])) <= 2 && unicode.IsUpper(firstRune(m[1])) && len(strings.Fields(s)) <= 4 && !d.hasListedWord(s) {
			return true
		}
	}
	// "Tampa FL", "Ithaca NY"
	ws := strings.Fields(s)
	if n := len(ws); n >= 2 && n <= 4 {
		last := ws[n-1]
		if len(last) == 2 && last == strings.ToUpper(last) && d.lx.places[strings.ToLower(last)] && !d.hasListedWord(strings.Join(ws[:n-1], " ")) {
			return true
		}
	}
	// "Hamburg / remote", "Berlin / Fernlehrgang"
	if i := strings.Index(s, "/"); i > 0 && d.isPlace(s[:i]) {
		return true
	}
	return false
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return r
}

// hasListedWord reports whether s has a job-title or organization word.
func (d *doc) hasListedWord(s string) bool {
	for _, w := range wordList(s) {
		if d.lx.isTitleWord(w) || d.lx.orgWords[w] {
			return true
		}
	}
	return false
}

// splitFields cuts a heading line (dates already removed) into chunks,
// keeping "City, ST" together.
func (d *doc) splitFields(s string) []string {
	// fieldLabel needs a ":" and stateThen a ",": most chunks have
	// neither, and skip the patterns.
	s = strings.TrimSpace(s)
	if strings.Contains(s, ":") {
		s = fieldLabel.ReplaceAllString(s, "")
	}
	if strings.Contains(s, ",") {
		s = stateThen.ReplaceAllStringFunc(s, func(m string) string {
			sm := stateThen.FindStringSubmatch(m)
			if d.hasListedWord(sm[1]) {
				return m // "Research Intern, MD Anderson": no city
			}
			return sm[1] + sm[2] + "  " + sm[3]
		})
	}
	var out []string
	for _, f := range strongSepSplit(s, -1) {
		f = strings.TrimSpace(strings.Trim(f, " ,;:-–—()[]*"))
		if f == "" {
			continue
		}
		out = append(out, d.splitCommas(f)...)
	}
	return out
}

// splitCommas splits "Title, Org, City, ST" at its commas, keeping a
// trailing "City, ST" whole.
func (d *doc) splitCommas(f string) []string {
	if !strings.Contains(f, ",") {
		return []string{f}
	}
	parts := strings.Split(f, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var out []string
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p == "" {
			continue
		}
		// Keep "City, ST" and "City , State" as one.
		if i+1 < len(parts) && (isStateLike(parts[i+1]) || d.lx.places[fold(parts[i+1])]) {
			// "JWT, India" is an employer and a country; "Ithaca, NY"
			// a city and a state.
			if len(strings.Fields(p)) <= 3 && !d.hasListedWord(p) && isStateLike(parts[i+1]) {
				out = append(out, p+", "+parts[i+1])
				i++
				continue
			}
			// "Co-Founder & CTO San Francisco, CA": the city is the
			// capitalised words after the last listed word.
			if head, city := d.cutCity(p); city != "" {
				out = append(out, head, city+", "+parts[i+1])
				i++
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// cutCity splits trailing capitalised words that name no title or
// organization (at most three) off s.
func (d *doc) cutCity(s string) (head, city string) {
	fs := strings.Fields(s)
	k := len(fs)
	for k > 0 && len(fs)-k < 3 {
		w := fs[k-1]
		fw := strings.Trim(fold(w), ".,'")
		if !unicode.IsUpper(firstRune(w)) || d.lx.isTitleWord(fw) || d.lx.orgWords[fw] || stopWords[fw] {
			break
		}
		k--
	}
	if k == len(fs) || k == 0 {
		return s, ""
	}
	return strings.Join(fs[:k], " "), strings.Join(fs[k:], " ")
}

func isStateLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "State" || s == "USA" || s == "US" || s == "UK" {
		return true
	}
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// headerish reports whether a line reads as a heading line of an entry
// rather than a description: not a bullet, short, not a sentence.
func (d *doc) headerish(l, next *aLine) bool {
	if l.heading || l.furniture {
		return false
	}
	t := strings.TrimSpace(withoutDates(l.clean, l.dates))
	if t == "" {
		// Dates alone, unless they end a wrapped sentence ("... in
		// February 2009.").
		return len(l.dates) > 0 && !strings.HasSuffix(strings.TrimSpace(l.clean), ".")
	}
	if l.List || startsWithBullet(t) {
		// A bullet holding only dates and a name, "• 2010-2014 (Oberlin
		// College)", or an employer over a dated line, "• Google  Mountain
		// View, CA".
		n := len(strings.Fields(t))
		if len(l.dates) > 0 {
			lead := strings.TrimLeftFunc(l.clean[:l.dates[0].lo], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			return n <= 6 && lead == ""
		}
		return n <= 8 && !strings.HasSuffix(t, ".") && next != nil && len(next.dates) > 0 && !next.List && !startsWithBullet(strings.TrimSpace(next.clean))
	}
	n := len(strings.Fields(t))
	if ws := wordList(t); len(ws) > 0 && leadVerbs[ws[0]] {
		return false // "Promoted from Associate to Lead in April 2022"
	}
	if n > 14 || utf8.RuneCountInString(strings.Join(strings.Fields(t), " ")) > 120 {
		// A long line is still a heading line when it is dated and made
		// of short fields: "Director of IT – Cloud   March 2019 –
		// November 2021   The Walt Disney Company – Los Angeles, CA".
		if len(l.dates) == 0 || n > 30 {
			return false
		}
		for _, f := range strongSepSplit(t, -1) {
			if len(strings.Fields(f)) > 10 {
				return false
			}
		}
		return true
	}
	if unicode.IsLower(firstRune(t)) && len(l.dates) == 0 {
		return false
	}
	if strings.HasSuffix(t, ".") && !abbrevEnd(t) {
		return false
	}
	if strings.HasSuffix(t, ",") || strings.HasSuffix(t, ";") {
		// A heading line wrapped before its dates: "Intern at Acme
		// (Sheffield," over "England) 2025.02–pres.".
		return len(l.dates) > 0 || next != nil && len(next.dates) > 0 && len(strings.Fields(next.clean)) <= 8
	}
	if n > 9 && len(l.dates) == 0 && len(strongSepSplit(t, 3)) < 2 {
		return false // a sentence-length line with no fields
	}
	return true
}

// abbrevEnd reports whether t ends with an abbreviation ("Inc.", "Ltd.").
func abbrevEnd(t string) bool {
	f := strings.Fields(t)
	last := strings.ToLower(strings.TrimSuffix(f[len(f)-1], "."))
	switch last {
	case "inc", "ltd", "co", "corp", "jr", "sr", "dept", "bros", "llc", "plc", "st", "u.s", "d.c", "s.a", "n.a", "gmbh", "b.v", "etc":
		return true
	}
	return len(last) <= 2 && strings.ToUpper(last) == strings.TrimSuffix(f[len(f)-1], ".") && len(f) <= 6
}

func startsWithBullet(t string) bool {
	r := firstRune(t)
	switch r {
	case '•', '●', '○', '◦', '▪', '■', '□', '►', '▸', '▹', '‣', '⁃', '➢', '➤', '➔', '➜', '❯', '✓', '✔', '✦', '★', '☆', '⋄', '◆', '◇', '◉', '∙', '⦁',
		'-', '*', '–', '·', '❖', '→', '>', 'o', '\uf0b7', '\uf0a7', '\uf076', '\uf0d8':
		if r == 'o' || r == '-' || r == '*' || r == '>' {
			return len(t) > 1 && t[1] == ' '
		}
		return true
	}
	return false
}

// nextLine returns the line after i that is not page furniture, or nil.
func (d *doc) nextLine(i int) *aLine {
	for j := i + 1; j < len(d.lines); j++ {
		if !d.lines[j].furniture {
			return &d.lines[j]
		}
	}
	return nil
}

// entryDates returns the date range that anchors a position on line l, if
// any: the first range that is not a lone full date ("February 10, 2026" in
// a page footer) and that sits at an edge of the line or among fields.
func (d *doc) entryDates(l *aLine) (dateRange, bool) {
	for _, r := range l.dates {
		if r.single && r.start.day {
			continue
		}
		before := strings.TrimSpace(l.clean[:r.lo])
		after := strings.TrimSpace(l.clean[r.hi:])
		edge := before == "" || after == "" || strings.HasSuffix(l.clean[:r.lo], "  ") || strings.HasPrefix(l.clean[r.hi:], "  ") ||
			strings.HasSuffix(before, "|") || strings.HasPrefix(after, "|") || strings.HasSuffix(before, ",") || strings.HasPrefix(after, ",") ||
			strings.HasSuffix(before, ":") || strings.HasPrefix(after, "_") || strings.HasPrefix(after, "-") || strings.HasPrefix(after, "–") ||
			strings.HasSuffix(before, "–") || strings.HasSuffix(before, "-") || strings.HasSuffix(before, "—") || strings.HasPrefix(after, "—") ||
			len(strings.Fields(before)) <= 4 || len(strings.Fields(after)) <= 4 || len(strings.Fields(before))+len(strings.Fields(after)) <= 10 ||
			unicode.IsUpper(firstRune(lastWord(before))) && unicode.IsUpper(firstRune(after)) // between fields, not inside a sentence
		if edge {
			return r, true
		}
	}
	return dateRange{}, false
}

// entry is a position being assembled.
type entry struct {
	date   int // index of the date line
	dr     dateRange
	lines  []int // lines of the entry's block, date line included
	chunks []chunk
	title  string
	org    string
	alone  bool // the block holds only the date line's fields
	edu    bool // the block names a degree or school: education, not a job

	undated bool // no dates: a position only if it reads as one (see undatedOK)
	used    bool // its title was lent to the entry below (titleAbove)
}

// positions finds the positions in the experience sections.
func (d *doc) positions() []Position {
	var secs []int
	for si, s := range d.sections {
		if s.kinds.has(KindExperience) {
			secs = append(secs, si)
		}
	}
	strict := false
	if len(secs) == 0 {
		// No experience heading found: look everywhere but in sections
		// known to hold something else, and insist on a title word.
		strict = true
		for si, s := range d.sections {
			if s.kinds&(kindBit(KindEducation)|kindBit(KindSkills)|kindBit(KindCertifications)|kindBit(KindOther)) == 0 {
				secs = append(secs, si)
			}
		}
	}
	var out []Position
	seen := map[string]bool{}
	for _, si := range secs {
		for _, p := range d.sectionPositions(d.sections[si], strict) {
			key := fold(p.Title) + "|" + p.Start.String() + "|" + p.Dates
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// sectionPositions finds the positions in one section.
func (d *doc) sectionPositions(s section, strict bool) []Position {
	first := s.first
	if d.lines[first].heading {
		first++
	}
	// Blocks of heading-like lines.
	var entries []*entry
	dateOnly := map[int]bool{}
	var block []int
	flush := func() {
		if len(block) > 0 {
			entries = append(entries, d.blockEntries(block)...)
		}
		block = block[:0]
	}
	for i := first; i <= s.last; i++ {
		l := &d.lines[i]
		if l.furniture {
			continue
		}
		if l.heading {
			flush()
			continue
		}
		if d.headerish(l, d.nextLine(i)) {
			block = append(block, i)
			continue
		}
		if _, ok := d.entryDates(l); ok && d.narrative(l) {
			block = append(block, i)
			flush()
			continue
		}
		if d.columnDate(l) || d.trailingDate(l) && len(block) > 0 && block[len(block)-1] == i-1 && !blockDated(d, block) {
			// A description line with the entry's dates set in a right
			// column: "• Built the platform ...      June 2023 – present",
			// or read onto its end by a reader that joins columns.
			dateOnly[i] = true
			block = append(block, i)
			continue
		}
		flush()
	}
	flush()
	// Chunks and roles.
	for _, e := range entries {
		for _, i := range e.lines {
			l := &d.lines[i]
			if dateOnly[i] {
				continue
			}
			t := withoutDates(l.clean, l.dates)
			if !d.headerish(l, nil) && d.narrative(l) {
				t = d.trimNarrative(t)
			}
			if u := parenthetical.ReplaceAllString(t, "  "); strings.ContainsFunc(u, unicode.IsLetter) {
				t = u
			} else {
				t = strings.NewReplacer("(", " ", ")", " ").Replace(t)
			}
			var fields []string
			for _, f := range d.splitFields(t) {
				fields = append(fields, d.splitTitleOrg(f)...)
			}
			pos := 0
			for _, f := range fields {
				sep := ""
				if k := strings.Index(t[pos:], f); k >= 0 {
					if pos > 0 {
						sep = strings.TrimSpace(t[pos : pos+k])
					}
					pos += k + len(f)
				}
				r := d.classify(f)
				if r == roleNone || utf8.RuneCountInString(f) > 90 || len(strings.Fields(f)) > 10 {
					continue
				}
				if d.hitIn(f, i, false, true) || r != roleTitle && d.hitIn(f, i, true, false) {
					e.edu = true // an education line in a mixed section, a certificate programme
					r = roleNone
				} else if r == roleTitle && leadVerbs[fold(strings.Fields(f)[0])] {
					r = roleNone // "Promoted from Associate to Lead in April 2022"
				} else if r == roleOther && d.lx.isSchool(f) {
					r = roleOrg
				}
				if r != roleNone {
					e.chunks = append(e.chunks, chunk{text: f, role: r, rel: i - e.date, sep: sep})
				}
			}
		}
	}
	// Which line holds the title when the words do not say: the majority
	// of the entries whose title has a title word.
	onDate, offDate := 0, 0
	for _, e := range entries {
		for _, c := range e.chunks {
			if c.role == roleTitle {
				if c.rel == 0 {
					onDate++
				} else {
					offDate++
				}
				break
			}
		}
	}
	titleOnDate := onDate >= offDate
	var out []Position
	prevOrg := ""
	dated := 0
	undatedAt := map[int]*entry{} // undated entries by line
	for _, e := range entries {
		if !e.undated {
			dated++
			continue
		}
		for _, i := range e.lines {
			undatedAt[i] = e
		}
	}
	if dated == 0 && !strict {
		// A list of "Title - Employer" lines with no dates at all.
		return d.undatedList(s, first)
	}
	for k, e := range entries {
		if e.undated {
			if !strict && d.undatedOK(entries, k, s, dated) {
				e.title = cleanField(firstOf(e.chunks, roleTitle).text)
				e.org = cleanField(d.pickOrg(e.chunks, firstOf(e.chunks, roleTitle).text, func(c chunk) int { return abs(c.rel) }))
				if e.org == "" {
					e.org = prevOrg
				}
				out = append(out, Position{Title: e.title, Organization: e.org, Offset: d.lines[e.lines[0]].off})
			}
			continue
		}
		if e.dr.expected || e.edu && !hasRole(e.chunks, roleTitle) {
			continue
		}
		d.pickFields(e)
		if e.title == "" {
			if e.title = d.titleAbove(e, s, undatedAt); e.title != "" {
				e.org = cleanField(d.pickOrg(e.chunks, "", func(c chunk) int { return abs(c.rel) }))
			}
		}
		if e.title == "" && !strict {
			d.guessFields(e, titleOnDate)
		}
		if e.title == "" {
			continue
		}
		if e.org == "" && e.alone {
			e.org = prevOrg
		}
		if e.org != "" {
			prevOrg = e.org
		}
		out = append(out, d.makePosition(e))
	}
	return out
}

// titleAbove finds the title of an entry whose block has none in the
// lines just above it: "Research Assistant: Laboratory chemistry research
// ..." over "• 2007-2010 (Oberlin College)".
func (d *doc) titleAbove(e *entry, s section, undatedAt map[int]*entry) string {
	top := e.date
	for _, i := range e.lines {
		top = min(top, i)
	}
	for j, n := top-1, 0; j > s.first && n < 4; j, n = j-1, n+1 {
		l := &d.lines[j]
		if l.heading {
			break
		}
		if o := undatedAt[j]; o != nil {
			o.used = true
		}
		t := l.clean
		if k := strings.Index(t, ":"); k > 0 {
			t = t[:k]
		} else if !d.headerish(l, nil) {
			continue
		}
		for _, f := range d.splitFields(withoutDates(t, nil)) {
			if d.classify(f) == roleTitle && len(strings.Fields(f)) <= 8 {
				return cleanField(f)
			}
		}
	}
	return ""
}

// undatedList reads a section with no dates at all as a list of undated
// positions: each heading-like line with a job title and an organization.
func (d *doc) undatedList(s section, first int) []Position {
	var out []Position
	for i := first; i <= s.last; i++ {
		l := &d.lines[i]
		if l.furniture || l.heading || !d.headerish(l, nil) {
			continue
		}
		var title, org string
		for _, f := range d.splitFields(l.clean) {
			switch d.classify(f) {
			case roleTitle:
				if title == "" {
					title = f
				}
			case roleOrg, roleOther:
				if org == "" {
					org = f
				}
			}
		}
		if title == "" || org == "" || !plausibleTitle(title) || d.lx.degreeIn(l.clean) {
			continue
		}
		out = append(out, Position{Title: cleanField(title), Organization: cleanField(org), Offset: l.off})
	}
	return out
}

// undatedOK decides whether the undated entry k of a section is a
// position: its first line has a job title, it names an organization too,
// a description follows it, no dated entry borrowed its title, and the
// section's other entries are dated or there are none.
func (d *doc) undatedOK(entries []*entry, k int, s section, dated int) bool {
	e := entries[k]
	if e.used || e.edu {
		return false
	}
	t := firstOf(e.chunks, roleTitle)
	if t.role != roleTitle || t.rel != 0 || !plausibleTitle(t.text) {
		return false
	}
	if !hasRole(e.chunks, roleOrg) && !hasRole(e.chunks, roleOther) && dated == 0 {
		return false
	}
	last := e.lines[len(e.lines)-1]
	if last+1 > s.last {
		return false
	}
	next := &d.lines[last+1]
	if next.heading || d.headerish(next, nil) || len(next.dates) > 0 {
		return false
	}
	// An entry below that holds dates but no title of its own will have
	// borrowed this one.
	if k+1 < len(entries) && !entries[k+1].undated && !hasRole(entries[k+1].chunks, roleTitle) && entries[k+1].lines[0]-last <= 4 {
		return false
	}
	return true
}

// listWords end the heading of a list, not a job title ("Business Analyst
// Tasks", "Key Responsibilities").
var listWords = map[string]bool{"task": true, "tasks": true, "responsibilities": true, "duties": true, "achievements": true,
	"highlights": true, "projects": true, "accomplishments": true, "skills": true, "summary": true}

// plausibleTitle is the stricter test an undated title must pass, having no
// dates to vouch for it: it starts with a capital letter and not with a
// verb ("Analyzed ...", "Leading ..."), and does not head a list.
func plausibleTitle(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 || !unicode.IsUpper(firstRune(s)) || len(f) > 8 {
		return false
	}
	w := fold(strings.Trim(f[0], ".,:;"))
	if leadVerbs[w] || listWords[fold(lastWord(s))] {
		return false
	}
	return !(strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")) || loadLexicon().isTitleWord(w)
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[len(f)-1], ".:,;")
}

func firstOf(cs []chunk, r role) chunk {
	for _, c := range cs {
		if c.role == r {
			return c
		}
	}
	return chunk{}
}

// hitIn reports whether chunk f of line i holds one of the line's degree
// forms (found once per line): with degreesOnly, a degree proper.
func (d *doc) hitIn(f string, i int, inEdu, degreesOnly bool) bool {
	c := d.lines[i].clean
	for _, h := range d.lineDegrees(i, inEdu) {
		if degreesOnly && h.none {
			continue
		}
		if strings.Contains(f, c[h.lo:h.hi]) {
			return true
		}
	}
	return false
}

func hasRole(cs []chunk, r role) bool {
	for _, c := range cs {
		if c.role == r {
			return true
		}
	}
	return false
}

// columnDate reports whether a line that is not a heading line ends with a
// date range set apart by a wide gap: the entry's dates in a right column.
func (d *doc) columnDate(l *aLine) bool {
	if len(l.dates) == 0 {
		return false
	}
	r := l.dates[len(l.dates)-1]
	if r.single && r.start.day || r.lo < 3 {
		return false
	}
	return strings.TrimSpace(l.clean[r.hi:]) == "" && strings.HasSuffix(l.clean[:r.lo], "   ")
}

// trailingDate reports whether a line ends with a date range (not a lone
// full date or year): the dates of the entry above, joined onto the first
// line of its description.
func (d *doc) trailingDate(l *aLine) bool {
	if len(l.dates) == 0 {
		return false
	}
	r := l.dates[len(l.dates)-1]
	if r.single || r.lo < 3 {
		return false
	}
	return strings.TrimSpace(l.clean[r.hi:]) == ""
}

// blockDated reports whether any line of a block carries entry dates.
func blockDated(d *doc, block []int) bool {
	for _, i := range block {
		if _, ok := d.entryDates(&d.lines[i]); ok {
			return true
		}
	}
	return false
}

// narrative reports whether a long line starts with its dates, as in
// "July 2013 to date working as Vice President Finance at Tata ...".
func (d *doc) narrative(l *aLine) bool {
	if len(l.dates) == 0 || len(strings.Fields(withoutDates(l.clean, l.dates))) < 3 {
		return false
	}
	t := strings.TrimLeftFunc(l.clean, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.HasPrefix(t, strings.TrimSpace(l.clean[l.dates[0].lo:l.dates[0].hi])) || strings.HasPrefix(strings.TrimSpace(l.clean), "(")
}

var narrativeLead = regexp.MustCompile(`(?i)^\s*[-–—:]*\s*(?:(?:i\s+)?(?:have\s+)?(?:been\s+)?(?:work(?:ed|ing)|employed|serv(?:ed|ing)|joined|was|am)\s+(?:as\s+(?:an?\s+|the\s+)?)?)`)

// trimNarrative keeps the first clause of a narrative line, without its
// leading verb: "working as Vice President Finance at Tata ..." becomes
// "Vice President Finance at Tata ...".
func (d *doc) trimNarrative(t string) string {
	t = narrativeLead.ReplaceAllString(t, "")
	if i := strings.IndexAny(t, ".;("); i > 0 && utf8.RuneCountInString(t) > 60 {
		t = t[:i]
	}
	return t
}

// blockEntries splits a block of heading-like lines into entries, one per
// date line.
func (d *doc) blockEntries(block []int) []*entry {
	var dates []int
	var drs []dateRange
	for _, i := range block {
		if r, ok := d.entryDates(&d.lines[i]); ok {
			dates = append(dates, i)
			drs = append(drs, r)
		}
	}
	if len(dates) == 0 {
		// An undated title over a description: kept as a candidate for
		// an undated position ("Cyber Security Operations Manager -
		// CyberWatch" with no dates).
		if len(block) <= 3 {
			return []*entry{{date: block[0], undated: true, lines: append([]int(nil), block...)}}
		}
		return nil
	}
	var out []*entry
	if len(dates) == 1 {
		return []*entry{{date: dates[0], dr: drs[0], lines: append([]int(nil), block...), alone: len(block) == 1}}
	}
	datesFirst := block[0] == dates[0]
	for k, di := range dates {
		e := &entry{date: di, dr: drs[k]}
		for _, i := range block {
			var in bool
			if datesFirst {
				in = i >= di && (k+1 == len(dates) || i < dates[k+1])
			} else {
				lo := -1
				if k > 0 {
					lo = dates[k-1]
				}
				in = i > lo && i <= di || k+1 == len(dates) && i > di
			}
			if in {
				e.lines = append(e.lines, i)
			}
		}
		e.alone = len(e.lines) == 1
		out = append(out, e)
	}
	return out
}

// pickFields chooses the title and organization of an entry from its
// chunks, when one has a job-title word.
func (d *doc) pickFields(e *entry) {
	dist := func(c chunk) int {
		if c.rel < 0 {
			return -c.rel*2 + 1 // a line above is nearer than one as far below
		}
		return c.rel * 2
	}
	bestOf := func(r role, skip string) (chunk, bool) {
		var b chunk
		found := false
		for _, c := range e.chunks {
			if c.role != r || c.text == skip {
				continue
			}
			if !found || dist(c) < dist(b) {
				b, found = c, true
			}
		}
		return b, found
	}
	if t, ok := bestOf(roleTitle, ""); ok {
		e.title = cleanField(t.text)
		e.org = cleanField(d.pickOrg(e.chunks, t.text, dist))
		if e.org == "" {
			e.org = cleanField(d.titledOrg(e.chunks, t, dist))
		}
		return
	}
}

// titledOrg returns, for an entry with no other candidate, the chunk on
// another line than the title's that has a job-title word but ends in an
// organization word: "Southern Guard Services" under "Security Officer".
func (d *doc) titledOrg(cs []chunk, title chunk, dist func(chunk) int) string {
	var best chunk
	found := false
	for _, c := range cs {
		if c.role != roleTitle || c.rel == title.rel {
			continue
		}
		if m := d.marks(wordList(c.text)); m.org <= m.title {
			continue
		}
		if !found || dist(c) < dist(best) {
			best, found = c, true
		}
	}
	return best.text
}

// guessFields picks a title and organization for an entry whose chunks
// have no job-title word, by where titles sit in this section's other
// entries. It needs two chunks: a lone name is as likely an employer.
func (d *doc) guessFields(e *entry, titleOnDate bool) {
	var others []chunk
	for _, c := range e.chunks {
		if c.role == roleOther || c.role == roleOrg {
			others = append(others, c)
		}
	}
	if len(others) < 2 {
		return
	}
	ti := -1
	for i, c := range others {
		if c.role == roleOrg {
			continue
		}
		if titleOnDate == (c.rel == 0) {
			ti = i
			break
		}
	}
	if ti < 0 {
		for i, c := range others {
			if c.role == roleOther {
				ti = i
				break
			}
		}
	}
	if ti < 0 {
		return
	}
	e.title = cleanField(others[ti].text)
	for i, c := range others {
		if i != ti {
			e.org = cleanField(c.text)
			break
		}
	}
}

// pickOrg chooses the organization among the chunks other than the
// title: the nearest with a legal form or institution word; failing one,
// the chunk set after the title on its line by a dash or "at" ("Pastry Sous
// Chef — Maison Clement" over "Sept. 2012 to Mar. 2018 · Lyon"); else the
// nearest organization-like or unknown chunk, leftmost on a tie.
func (d *doc) pickOrg(cs []chunk, title string, dist func(chunk) int) string {
	paired := -1 // the index of the chunk after the title, when tied to it
	for k := 0; title != "" && k+1 < len(cs); k++ {
		if cs[k].text == title && cs[k].role == roleTitle {
			if n := cs[k+1]; n.rel == cs[k].rel && pairSep[fold(n.sep)] {
				paired = k + 1
			}
			break
		}
	}
	var best chunk
	bestScore := -1
	pairedIn := false
	for k, c := range cs {
		if c.text == title || c.role != roleOrg && c.role != roleOther {
			continue
		}
		score := dist(c) * 2
		if c.role == roleOrg && d.marks(wordList(c.text)).strong >= 0 {
			score = 0
			paired = -1 // a legal form or institution outranks the pairing
		}
		pairedIn = pairedIn || k == paired
		if bestScore < 0 || score < bestScore {
			best, bestScore = c, score
		}
	}
	if pairedIn && paired >= 0 {
		return cs[paired].text
	}
	return best.text
}

// pairSep are the separators that tie a job title to its employer on one
// line: "Title — Org", "Title at Org".
var pairSep = map[string]bool{"—": true, "–": true, "-": true, "at": true, "@": true}

// cleanField trims separators and stray punctuation from a field, keeping
// a closing bracket and the dot of an abbreviation ("Acme Inc.").
func cleanField(s string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ')' || r == '+' || r == '.')
	})
	if strings.HasSuffix(s, ".") && !abbrevEnd(s) {
		s = strings.TrimRight(s, ".")
	}
	return strings.Join(strings.Fields(s), " ")
}

// makePosition resolves an entry's dates into a Position.
func (d *doc) makePosition(e *entry) Position {
	l := &d.lines[e.date]
	top := e.date
	for _, i := range e.lines {
		top = min(top, i)
	}
	p := Position{
		Title:        e.title,
		Organization: e.org,
		Dates:        e.dr.text(l.clean),
		Offset:       d.lines[top].off,
	}
	sp := e.dr.resolve(d.asOf)
	p.Start = sp.start
	p.Current = sp.current
	if !sp.current {
		end := sp.end
		p.End = &end
	}
	n, note := sp.months(d.asOf)
	if note != "" {
		d.warnf("position %q (%s): %s", p.Title, p.Dates, note)
	}
	p.Months = n
	return p
}
