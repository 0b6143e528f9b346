package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Contact details: the name is the most prominent name-like line near the
// top of its column on the first page (two to four capitalised words, no
// digits or @, not a heading, job title or place); emails anywhere; phones
// in the header, near an email or after a phone label, in shapes that are
// not dates or zip codes; links as URLs, bare domains and "LinkedIn:
// /in/handle" style handles.

var (
	emailRe      = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	phoneRe      = regexp.MustCompile(`\(?(?:\+|00)?\(?\d[\d \x{a0}().\-/]{5,22}\d`)
	urlRe        = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s|,;<>"'()]+|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|net|org|io|dev|app|me|co|tk|info|ai|page|site|tech|xyz|de|fr|es|uk|in|ca|eu|us)(?:/[^\s|,;<>"'()]*)?`)
	handleRe     = regexp.MustCompile(`(?i)\b(linkedin|github|gitlab|twitter)\s*(?::\s*/{0,2}|/{2})\s*@?((?:/?in/)?[A-Za-z0-9_.\-]+)`)
	nameFieldSep = regexp.MustCompile(`\s{3,}|\s*[|•·]\s*`)
	wideSpace    = regexp.MustCompile(`\s{2,}`)
	phoneLabel   = regexp.MustCompile(`(?i)\b(?:phone|tel|mobile|mob|cell|telefon|téléphone|telephone|teléfono|móvil|movil|handy|contact)\b|☎|📞|✆`)
)

// contact extracts the contact details; name is the name found by name.
func (d *doc) contact(name string) Contact {
	c := Contact{Name: name}
	seenE := map[string]bool{}
	emailLine := map[int]bool{}
	for i := range d.lines {
		if !strings.Contains(d.lines[i].clean, "@") {
			continue
		}
		for _, m := range emailRe.FindAllString(d.lines[i].clean, -1) {
			m = strings.TrimRight(m, ".")
			emailLine[i] = true
			if k := strings.ToLower(m); !seenE[k] {
				seenE[k] = true
				c.Emails = append(c.Emails, m)
			}
		}
	}
	// Phones: in the header, near an email, after a label, or in the
	// first and last lines.
	seenP := map[string]bool{}
	for i := range d.lines {
		l := &d.lines[i]
		near := emailLine[i] || emailLine[i-1] || emailLine[i+1] || i < 8 || i >= len(d.lines)-4 || d.sections[l.sec].kind == KindHeader
		if !near && !hasPhoneLabel(l.clean) {
			continue
		}
		for _, p := range findPhones(l.clean, l.dates) {
			k := digitsOf(p)
			if !seenP[k] {
				seenP[k] = true
				c.Phones = append(c.Phones, p)
			}
		}
	}
	// Links.
	seenL := map[string]bool{}
	addLink := func(s string) {
		s = strings.TrimRight(s, ".:/")
		k := strings.ToLower(s)
		k = strings.TrimPrefix(strings.TrimPrefix(k, "https://"), "http://")
		k = strings.TrimPrefix(k, "www.")
		if k == "" || seenL[k] {
			return
		}
		seenL[k] = true
		c.Links = append(c.Links, s)
	}
	for i := range d.lines {
		t := d.lines[i].clean
		low := strings.ToLower(t)
		top := i < 8 || d.sections[d.lines[i].sec].kind == KindHeader || emailLine[i]
		site := hasLinkSite(low)
		if !top && !strings.Contains(low, "http") && !strings.Contains(low, "www.") && !site {
			continue
		}
		masked := t
		if emailLine[i] {
			masked = emailRe.ReplaceAllStringFunc(t, func(m string) string { return strings.Repeat(" ", len(m)) })
		}
		// Every urlRe match holds "://" or a dot: most lines have neither.
		var urls [][]int
		if strings.Contains(masked, ".") || strings.Contains(masked, "://") {
			urls = urlRe.FindAllStringIndex(masked, -1)
		}
		for _, m := range urls {
			u := t[m[0]:m[1]]
			if !strings.ContainsAny(u, "/") && !strings.HasPrefix(strings.ToLower(u), "www.") && !d.linkish(i, u) {
				continue
			}
			addLink(u)
		}
		if !site {
			continue
		}
		for _, m := range handleRe.FindAllStringSubmatch(masked, -1) {
			site, h := strings.ToLower(m[1]), strings.TrimPrefix(m[2], "/")
			if strings.Contains(strings.ToLower(h), ".com") || h == "" {
				continue
			}
			addLink(site + ".com/" + h)
		}
	}
	return c
}

// linkSites are the sites handleRe knows.
var linkSites = []string{"linkedin", "github", "gitlab", "twitter"}

// hasLinkSite reports whether s (lower-cased) names one of linkSites: a
// substring test, which a pattern of the same words would only make slower.
func hasLinkSite(s string) bool {
	for _, w := range linkSites {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// phoneLabels are the words that, on a line, make a number a phone.
var phoneLabels = []string{"phone", "tel", "mobile", "mob", "cell", "telefon", "téléphone", "telephone", "teléfono", "móvil", "movil", "handy", "contact", "☎", "📞", "✆"}

// hasPhoneLabel reports whether s says it holds a phone number; a cheap
// substring test runs before the word-boundary one.
func hasPhoneLabel(s string) bool {
	low := strings.ToLower(s)
	for _, w := range phoneLabels {
		if strings.Contains(low, w) {
			return phoneLabel.MatchString(s)
		}
	}
	return false
}

// linkish reports whether a bare domain is a link rather than a word with a
// dot ("Node.js", "ASP.NET"): it sits in the header or near an email.
func (d *doc) linkish(i int, u string) bool {
	low := strings.ToLower(u)
	if strings.HasSuffix(low, ".js") || strings.HasSuffix(low, ".net") && !strings.Contains(low, "/") && strings.Count(low, ".") == 1 && len(low) < 8 {
		return false
	}
	return i < 8 || d.sections[d.lines[i].sec].kind == KindHeader
}

// countDigits returns the number of ASCII digits in s, as digitsOf keeps.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return n
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// findPhones returns the phone numbers in s, skipping the spans of its
// date ranges.
func findPhones(s string, dates []dateRange) []string {
	// A phone has at least 7 digits (below): a line with fewer has none,
	// and most lines are not worth the patterns.
	if countDigits(s) < 7 {
		return nil
	}
	// A wide gap separates fields: "91377       123-456-7890".
	s = wideSpace.ReplaceAllStringFunc(s, func(m string) string { return "|" + m[1:] })
	var out []string
	for _, m := range phoneRe.FindAllStringIndex(s, -1) {
		lo, hi := m[0], m[1]
		if lo > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:lo])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		if hi < len(s) {
			r, _ := utf8.DecodeRuneInString(s[hi:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				continue
			}
		}
		p := strings.TrimSpace(s[lo:hi])
		p = strings.TrimRight(p, "(-./ ")
		if strings.Count(p, "(") != strings.Count(p, ")") {
			p = strings.Trim(p, "()")
		}
		n := len(digitsOf(p))
		if n < 7 || n > 15 {
			continue
		}
		overlap := false
		for _, r := range dates {
			if r.lo < hi && lo < r.hi {
				overlap = true
			}
		}
		if overlap {
			continue
		}
		// Groups that are all years ("2015 2018") or a date with slashes.
		groups := strings.FieldsFunc(p, func(r rune) bool { return r < '0' || r > '9' })
		years := 0
		for _, g := range groups {
			if len(g) == 4 && (strings.HasPrefix(g, "19") || strings.HasPrefix(g, "20")) {
				years++
			}
		}
		if years == len(groups) || strings.Contains(p, "/") {
			continue
		}
		if len(groups) == 1 && !strings.HasPrefix(p, "+") && n < 10 {
			continue // a bare run of digits: an id, not a phone
		}
		out = append(out, p)
	}
	return out
}

// docTitles are what a document calls itself at the top, not a name.
var docTitles = map[string]bool{"curriculumvitae": true, "resume": true, "cv": true, "lebenslauf": true, "curriculum": true, "vitae": true, "hojadevida": true}

var nameParticles = map[string]bool{
	"de": true, "van": true, "von": true, "der": true, "den": true, "da": true, "del": true, "della": true,
	"di": true, "la": true, "le": true, "bin": true, "binti": true, "al": true, "el": true, "dos": true,
	"das": true, "du": true, "ter": true, "y": true, "e": true,
}

// name returns the candidate's name, the most prominent name-like line
// near the top of the first page, and the index of its line (-1 when there
// is none). "Near the top" counts the lines above a line in its own column,
// so that the name at the head of a main column is found when a reader
// gives a sidebar first.
func (d *doc) name() (string, int) {
	const limit = 12
	ranks := d.columnRanks(limit)
	maxSize := 0.0
	for i, r := range ranks {
		if r < limit {
			maxSize = max(maxSize, d.lines[i].Size)
		}
	}
	best, bestScore, at := "", -1.0, -1
	for i, rank := range ranks {
		l := &d.lines[i]
		// A running header may be the name itself, repeated on every
		// page; nameIn keeps out the rest ("Page 2", "Résumé").
		if rank >= limit || l.heading {
			continue
		}
		// The header, or the first lines of a column when a heading comes
		// first (a sidebar's "Contact"); not "Magna Cum Laude" in the
		// education section.
		if d.sections[l.sec].kind != KindHeader && rank > 2 {
			continue
		}
		n := d.nameIn(l.clean)
		if n == "" && i+1 < len(ranks) {
			n = d.splitName(l, &d.lines[i+1])
		}
		if n == "" {
			continue
		}
		score := float64(limit-rank) / 4
		if strings.EqualFold(l.Style, "title") || strings.EqualFold(l.Style, "name") {
			score += 4
		}
		if l.Level == 1 {
			score += 3
		}
		if l.Size > 0 && l.Size >= maxSize {
			score += 3
		}
		if l.Bold {
			score++
		}
		if score > bestScore {
			best, bestScore, at = n, score, i
		}
	}
	return best, at
}

// splitName returns the name set large over two lines, a word on each
// ("AMARA" over "LINDGREN"), or "".
func (d *doc) splitName(l, next *aLine) string {
	if l.Size <= 0 || next.Size != l.Size || next.Page != l.Page || next.Column != l.Column || next.heading ||
		len(strings.Fields(l.clean)) != 1 || len(strings.Fields(next.clean)) != 1 {
		return ""
	}
	return d.nameIn(l.clean + " " + next.clean)
}

// columnRanks returns, for each line of the first page, how many lines of
// that page are above it in its column: the lines before it in reading
// order that are in its column or full width (Column 0), or all of them
// for a full-width line. Counting stops at limit.
func (d *doc) columnRanks(limit int) []int {
	page := d.lines[0].Page
	var ranks []int
	total, full := 0, 0
	inCol := map[int]int{}
	for i := range d.lines {
		l := &d.lines[i]
		if l.Page != page {
			break
		}
		r := total
		if l.Column > 0 {
			r = full + inCol[l.Column]
			inCol[l.Column]++
		} else {
			full++
		}
		total++
		ranks = append(ranks, min(r, limit))
	}
	return ranks
}

// nameIn returns the name at the start of a line, or "".
func (d *doc) nameIn(s string) string {
	s = joinLetterSpaced(strings.TrimSpace(s))
	// The first field: "Jane Doe    jane@x.com", "Jane Doe | Engineer".
	if loc := nameFieldSep.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = s[:loc[0]]
	}
	if docTitles[squash(s)] {
		return ""
	}
	// "Jane Doe, CISSP, CISM" and "Atul Sharma, C.A. (1985)"
	if i := strings.Index(s, ","); i > 0 {
		s = s[:i]
	}
	if hasDigit(s) || strings.ContainsAny(s, "@:/") {
		return ""
	}
	ws := strings.Fields(s)
	if len(ws) < 2 || len(ws) > 4 {
		return ""
	}
	if d.isPlace(s) {
		return "" // "San Francisco", "Tel Aviv"
	}
	mixed := !allCapitals(s)
	caps := 0
	for k, w := range ws {
		fw := fold(strings.Trim(w, ".'’-"))
		if mixed && len(w) >= 2 && allUpperLetters(w) {
			return "" // an acronym: "Current PMP Certification", "Microsoft DFS"
		}
		if _, ok := d.lx.headings[squash(w)]; ok && len(fw) > 3 {
			return "" // "Core Accomplishments", "Contact Me At"
		}
		if nameParticles[fw] && (k < len(ws)-1 || !unicode.IsUpper(firstRune(w))) {
			continue // "Ana de la Cruz"; but "Rohan Das" ends in a surname
		}
		r := firstRune(w)
		if !unicode.IsUpper(r) {
			return ""
		}
		for _, c := range w {
			if !(unicode.IsLetter(c) || c == '.' || c == '\'' || c == '’' || c == '-') {
				return ""
			}
		}
		if d.lx.isTitleWord(fw) && !d.lx.notTitles[fw] || d.lx.orgWords[fw] || d.lx.places[fw] && len(fw) > 2 {
			return ""
		}
		caps++
	}
	if caps < 2 {
		return ""
	}
	if _, ok := d.lx.lookupHeading(s); ok {
		return ""
	}
	if d.lx.isSchool(s) || d.lx.degreeIn(s) {
		return ""
	}
	return s
}

// allUpperLetters reports whether w is letters, all upper case.
func allUpperLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// joinLetterSpaced turns "J A N E   D O E" into "JANE DOE".
func joinLetterSpaced(s string) string {
	fs := strings.Fields(s)
	single := 0
	for _, f := range fs {
		if utf8.RuneCountInString(f) == 1 {
			single++
		}
	}
	if len(fs) < 4 || single*4 < len(fs)*3 {
		return s
	}
	var b strings.Builder
	for i, part := range wideSpace.Split(strings.TrimSpace(s), -1) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ReplaceAll(part, " ", ""))
	}
	return b.String()
}
