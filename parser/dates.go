package parser

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Date ranges are found by a small hand-written scanner over tokens (words,
// numbers, punctuation) rather than one regular expression: resumes write
// dates in dozens of forms, and the scanner can look at what surrounds a
// candidate to reject phone numbers, versions and counts.
//
// What parses (see dates_test.go for the full table):
//
//	Jan 2019 – Present, January 2019 - Current, Sept. 2012 to Aug. 2015,
//	Sep '12 – Aug '15, 2015-2018, 2015 – 2018, (2016 — 2019), 2012-13,
//	03/2017 - 06/2020, 3/2017–6/2020, 03.2017 – 06.2020, 2017-03 to 2020-06,
//	2019–now, since 2019, from 2016 until 2019, 2012 - date, Summer 2020,
//	Fall 2019 – Spring 2021, Jan–Mar 2020, Jan 2015 – 2018, a lone year,
//	June 5, 2019, 5 June 2019, 2014.9 – 2017.3, and German, French and
//	Spanish month names and "present" words (heute, aujourd'hui, actualidad).
//
// What does not (decided, and tested): phone numbers ("(555) 201-2019"),
// "2-3 years", versions ("3.2017", "v2019"), percentages ("2019%"), a year
// followed by a word ("1999 Honda", "2000 employees"), zip codes, "ISO 27001",
// "NIST 800-53", decades ("1990s"), and a year after a product name
// ("Windows 2000 - 2003 servers", "SQL Server 2019"): a version is far more
// likely there than employment dates.

type tokKind uint8

const (
	tWord tokKind = iota + 1
	tNum
	tPunct
)

type token struct {
	kind   tokKind
	text   string // as written
	low    string // folded, for words
	lo, hi int    // byte offsets in the scanned string
	space  int    // width of the white space before the token; 0 when glued
}

// tokenize splits s into words, digit runs and single punctuation runes.
func tokenize(s string) []token {
	var toks []token
	space := 1 // the start of the string counts as a separation
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\t':
			space += 4
			i += size
		case unicode.IsSpace(r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
			space++
			i += size
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, token{kind: tNum, text: s[i:j], lo: i, hi: j, space: space})
			space = 0
			i = j
		case unicode.IsLetter(r):
			j := i + size
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.Is(unicode.Mn, r2) {
					j += n2
					continue
				}
				// An apostrophe inside a word: aujourd'hui, jusqu'au.
				if r2 == '\'' || r2 == '’' {
					if r3, _ := utf8.DecodeRuneInString(s[j+n2:]); unicode.IsLetter(r3) {
						j += n2
						continue
					}
				}
				break
			}
			w := s[i:j]
			toks = append(toks, token{kind: tWord, text: w, low: fold(w), lo: i, hi: j, space: space})
			space = 0
			i = j
		default:
			toks = append(toks, token{kind: tPunct, text: s[i : i+size], lo: i, hi: i + size, space: space})
			space = 0
			i += size
		}
	}
	return toks
}

// isDash reports whether a punctuation token separates the ends of a range.
func isDash(t token) bool {
	if t.kind != tPunct {
		return false
	}
	switch t.text {
	case "-", "–", "—", "‐", "‑", "‒", "―", "−", "~", "\u00ad", "→", "⟶", ">", "/":
		return true
	}
	return false
}

// A point is one end of a date range.
type point struct {
	year    int
	month   int  // 1-12; 0 when only the year is known
	last    int  // for a season: its last month (month is its first)
	present bool // "Present", "Current", "heute"...
	day     bool // a day of the month was given: a full date
}

func (p point) yearOnly() bool { return !p.present && p.month == 0 }

// A dateRange is a date or a range of dates found in a string.
type dateRange struct {
	start    point
	end      point // zero when single
	single   bool  // one point, not a range
	expected bool  // "Expected May 2027", "anticipated"
	lo, hi   int   // byte span in the string, prefix words and brackets included
}

// text returns the range as written in s.
func (r dateRange) text(s string) string { return strings.TrimSpace(s[r.lo:r.hi]) }

// parseDateRange returns the first date range in s.
func parseDateRange(s string) (dateRange, bool) {
	toks := tokenize(s)
	lx := loadLexicon()
	for i := range toks {
		if r, _, ok := lx.rangeAt(s, toks, i); ok {
			return r, true
		}
	}
	return dateRange{}, false
}

// findDates returns the date ranges in s, left to right, not overlapping.
func findDates(s string) []dateRange {
	toks := tokenize(s)
	lx := loadLexicon()
	var out []dateRange
	for i := 0; i < len(toks); {
		r, next, ok := lx.rangeAt(s, toks, i)
		if !ok {
			i++
			continue
		}
		out = append(out, r)
		i = next
	}
	return out
}

func numVal(t token) int {
	n, _ := strconv.Atoi(t.text)
	return n
}

func validYear(y int) bool { return y >= 1940 && y <= 2099 }

// glued reports whether toks[i] exists and touches the token before it.
func glued(toks []token, i int) bool { return i < len(toks) && toks[i].space == 0 }

func isPunct(toks []token, i int, set string) bool {
	return i < len(toks) && toks[i].kind == tPunct && strings.Contains(set, toks[i].text)
}

func isApostrophe(toks []token, i int) bool { return isPunct(toks, i, "'’‘`´") }

// twoDigitYear turns '12 into 2012 and '98 into 1998.
func twoDigitYear(n int) int {
	if n < 50 {
		return 2000 + n
	}
	return 1900 + n
}

// pointAt parses a point starting at toks[i]. end allows "present" words.
// It returns the point and the index after it. A month name with no year is
// returned with year 0 (for "Jan–Mar 2020").
func (lx *lexicon) pointAt(toks []token, i int, end bool) (point, int, bool) {
	if i >= len(toks) {
		return point{}, i, false
	}
	t := toks[i]
	switch t.kind {
	case tWord:
		if end {
			if i+1 < len(toks) && toks[i+1].kind == tWord && lx.present2[t.low+" "+toks[i+1].low] {
				return point{present: true}, i + 2, true
			}
			if lx.present[t.low] {
				j := i + 1
				if isPunct(toks, j, ".") && glued(toks, j) {
					j++
				}
				return point{present: true}, j, true
			}
		}
		if se, ok := lx.seasons[t.low]; ok {
			j := i + 1
			if isPunct(toks, j, ",") {
				j++
			}
			if y, k, ok := yearAt(toks, j); ok {
				return point{year: y, month: se[0], last: se[1]}, k, true
			}
			return point{}, i, false
		}
		m, ok := lx.months[t.low]
		if !ok {
			return point{}, i, false
		}
		j := i + 1
		if isPunct(toks, j, ".") && glued(toks, j) {
			j++
		}
		// June 5, 2019 / June 5th 2019
		if j < len(toks) && toks[j].kind == tNum && len(toks[j].text) <= 2 && numVal(toks[j]) >= 1 && numVal(toks[j]) <= 31 {
			k := j + 1
			if k < len(toks) && toks[k].kind == tWord && glued(toks, k) && (toks[k].low == "st" || toks[k].low == "nd" || toks[k].low == "rd" || toks[k].low == "th") {
				k++
			}
			if isPunct(toks, k, ",") {
				k++
			}
			if y, n, ok := yearAt(toks, k); ok {
				return point{year: y, month: m, day: true}, n, true
			}
		}
		if isPunct(toks, j, ",") {
			j++
		}
		if y, k, ok := yearAt(toks, j); ok {
			return point{year: y, month: m}, k, true
		}
		// Sep '12
		if isApostrophe(toks, j) && j+1 < len(toks) && glued(toks, j+1) && toks[j+1].kind == tNum && len(toks[j+1].text) == 2 {
			return point{year: twoDigitYear(numVal(toks[j+1])), month: m}, j + 2, true
		}
		// A month with no year; "Jan" alone is no date unless a range
		// supplies the year, which rangeAt checks.
		return point{month: m}, j, true
	case tNum:
		v := numVal(t)
		n := len(t.text)
		switch {
		case n == 4 && validYear(v):
			// yyyy-mm, yyyy/mm, yyyy.m
			if isPunct(toks, i+1, "-/.") && glued(toks, i+1) && glued(toks, i+2) && i+2 < len(toks) && toks[i+2].kind == tNum {
				sep, mt := toks[i+1].text, toks[i+2]
				mv := numVal(mt)
				ok := mv >= 1 && mv <= 12 && len(mt.text) <= 2
				if sep == "-" {
					// 2011-12 is the academic year more often than
					// December 2011; 2017-03 is a month.
					ok = ok && len(mt.text) == 2 && mv != (v+1)%100
				}
				if ok {
					k := i + 3
					// yyyy-mm-dd
					if isPunct(toks, k, "-/.") && glued(toks, k) && glued(toks, k+1) && k+1 < len(toks) && toks[k+1].kind == tNum && len(toks[k+1].text) <= 2 {
						return point{year: v, month: mv, day: true}, k + 2, true
					}
					return point{year: v, month: mv}, k, true
				}
			}
			return point{year: v}, i + 1, true
		case n <= 2 && v >= 1 && v <= 31:
			// mm/yyyy, mm.yyyy, mm-yyyy; mm/dd/yyyy, dd.mm.yyyy
			if isPunct(toks, i+1, "/.-") && glued(toks, i+1) && glued(toks, i+2) && i+2 < len(toks) && toks[i+2].kind == tNum {
				sep, b := toks[i+1].text, toks[i+2]
				if len(b.text) == 4 && validYear(numVal(b)) && v <= 12 && (sep == "/" || n == 2) {
					return point{year: numVal(b), month: v}, i + 3, true
				}
				if len(b.text) <= 2 && isPunct(toks, i+3, sep) && glued(toks, i+3) && glued(toks, i+4) && i+4 < len(toks) && toks[i+4].kind == tNum && len(toks[i+4].text) == 4 {
					y, bv := numVal(toks[i+4]), numVal(b)
					if !validYear(y) || bv < 1 || bv > 31 {
						return point{}, i, false
					}
					m := v // US month/day/year
					if sep == "." || v > 12 {
						m = bv // day.month.year, or a day over 12 first
					}
					if m < 1 || m > 12 {
						return point{}, i, false
					}
					return point{year: y, month: m, day: true}, i + 5, true
				}
				return point{}, i, false
			}
			// 5 June 2019 / 1st March 2019
			j := i + 1
			if j < len(toks) && toks[j].kind == tWord && glued(toks, j) && (toks[j].low == "st" || toks[j].low == "nd" || toks[j].low == "rd" || toks[j].low == "th") {
				j++
			}
			if isPunct(toks, j, ".") {
				j++
			}
			if j < len(toks) && toks[j].kind == tWord {
				if m, ok := lx.months[toks[j].low]; ok {
					k := j + 1
					if isPunct(toks, k, ".") && glued(toks, k) {
						k++
					}
					if isPunct(toks, k, ",") {
						k++
					}
					if y, e, ok := yearAt(toks, k); ok {
						return point{year: y, month: m, day: true}, e, true
					}
				}
			}
		}
	}
	return point{}, i, false
}

// yearAt parses a four-digit year at toks[i].
func yearAt(toks []token, i int) (int, int, bool) {
	if i < len(toks) && toks[i].kind == tNum && len(toks[i].text) == 4 && validYear(numVal(toks[i])) {
		return numVal(toks[i]), i + 1, true
	}
	return 0, i, false
}

// rangeAt parses a date range starting at toks[i], with any prefix word
// ("since", "from", "expected") just before it. It returns the range and the
// index after it.
func (lx *lexicon) rangeAt(s string, toks []token, i int) (dateRange, int, bool) {
	// Split eight-digit runs such as "20192021" (dashes lost in extraction).
	if t := toks[i]; t.kind == tNum && len(t.text) == 8 {
		a, b := numVal(token{text: t.text[:4]}), numVal(token{text: t.text[4:]})
		if validYear(a) && validYear(b) && b >= a && b-a <= 40 && !glued(toks, i+1) && (i == 0 || t.space > 0) {
			return dateRange{start: point{year: a}, end: point{year: b}, lo: t.lo, hi: t.hi}, i + 1, true
		}
		return dateRange{}, i, false
	}
	p1, j, ok := lx.pointAt(toks, i, false)
	if !ok {
		return lx.shortRangeAt(toks, i)
	}
	if !lx.leftClear(toks, i) {
		return dateRange{}, i, false
	}
	r := dateRange{start: p1, lo: toks[i].lo, hi: toks[j-1].hi}
	next := j
	// Prefix words.
	since := false
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := toks[k]
		if t.kind == tPunct && strings.Contains("(:[.", t.text) {
			continue
		}
		if t.kind == tWord {
			switch {
			case lx.since[t.low]:
				since = true
				r.lo = t.lo
			case lx.from[t.low]:
				r.lo = t.lo
			case lx.expected[t.low]:
				r.expected = true
				r.lo = t.lo
			}
		}
		break
	}
	// The second end.
	k := j
	seps := 0
	for k < len(toks) && seps < 2 && (isDash(toks[k]) || toks[k].kind == tWord && lx.seps[toks[k].low]) {
		k++
		seps++
	}
	var p2 point
	var ok2 bool
	var e int
	if seps > 0 {
		p2, e, ok2 = lx.pointAt(toks, k, true)
		if ok2 && p2.year == 0 && !p2.present {
			ok2 = false // "Jan 2019 - Mar" is no range
		}
		if !ok2 && p1.yearOnly() && k < len(toks) {
			// 2012-13, 2012–'15
			kk := k
			if isApostrophe(toks, kk) && glued(toks, kk+1) {
				kk++
			}
			if kk < len(toks) && toks[kk].kind == tNum && len(toks[kk].text) == 2 {
				y := p1.year/100*100 + numVal(toks[kk])
				if y > p1.year && y-p1.year < 10 {
					p2, e, ok2 = point{year: y}, kk+1, true
				}
			}
		}
		if !ok2 && isApostrophe(toks, k) && glued(toks, k+1) && k+1 < len(toks) && toks[k+1].kind == tNum && len(toks[k+1].text) == 2 {
			p2, e, ok2 = point{year: twoDigitYear(numVal(toks[k+1]))}, k+2, true
		}
	} else if j < len(toks) && toks[j].kind == tNum && p1.year > 0 {
		// "2008  2022": two years with only white space between (a dash
		// lost in extraction). Months need no wide gap: "Sep 2013 Mar 2014"
		// would have a word here, handled below.
		// At the start of a line a single space will do: "2008 2022 GPB,
		// financial company" (a reader that normalises spaces).
		if toks[j].space >= 2 || i == 0 && (j+1 >= len(toks) || toks[j+1].kind != tNum) {
			p2, e, ok2 = lx.pointAt(toks, j, false)
			ok2 = ok2 && p2.year >= p1.year && p2.year-p1.year <= 40 && p1.month == 0 && p2.month == 0
		}
	} else if j < len(toks) && toks[j].kind == tWord && p1.year > 0 && p1.month > 0 && !p1.day {
		if _, isMonth := lx.months[toks[j].low]; isMonth {
			p2, e, ok2 = lx.pointAt(toks, j, false)
			ok2 = ok2 && p2.year > 0 && p2.month > 0 && !p2.day && (p2.year > p1.year || p2.year == p1.year && p2.month >= p1.month)
		}
	}
	if ok2 && !lx.rightClear(toks, e) {
		ok2 = false
	}
	switch {
	case ok2:
		if p1.year == 0 { // Jan–Mar 2020
			if p2.present || p2.year == 0 {
				return dateRange{}, i, false
			}
			p1.year = p2.year
			if p2.month > 0 && p1.month > p2.month {
				p1.year--
			}
			r.start = p1
		}
		r.end = p2
		r.hi = toks[e-1].hi
		next = e
	case p1.year == 0:
		return dateRange{}, i, false
	case since:
		r.end = point{present: true}
	default:
		r.single = true
		if !lx.rightClear(toks, j) {
			return dateRange{}, i, false
		}
		if p1.yearOnly() && p1.last == 0 && !lx.loneYearOK(toks, i, j) {
			return dateRange{}, i, false
		}
	}
	// Include a bracket pair around the range.
	if r.lo > 0 && i > 0 {
		if b := strings.LastIndexAny(s[:r.lo], "(["); b >= 0 && strings.TrimSpace(s[b+1:r.lo]) == "" && next < len(toks) && isPunct(toks, next, ")]") {
			r.lo = b
			r.hi = toks[next].hi
			next++
		}
	}
	return r, next, true
}

// mmyyAt parses "05/04" (May 2004) at toks[i].
func mmyyAt(toks []token, i int) (point, int, bool) {
	if i+2 < len(toks) && toks[i].kind == tNum && len(toks[i].text) <= 2 && isPunct(toks, i+1, "/") && glued(toks, i+1) && glued(toks, i+2) &&
		toks[i+2].kind == tNum && len(toks[i+2].text) == 2 && !(i+3 < len(toks) && glued(toks, i+3) && isPunct(toks, i+3, "/.-")) {
		if m := numVal(toks[i]); m >= 1 && m <= 12 {
			return point{year: twoDigitYear(numVal(toks[i+2])), month: m}, i + 3, true
		}
	}
	return point{}, i, false
}

// shortRangeAt parses a range of two-digit-year months, "05/04 - 06/14"
// or "02/02 – Present". A lone "05/04" is too likely a fraction or a day.
func (lx *lexicon) shortRangeAt(toks []token, i int) (dateRange, int, bool) {
	p1, j, ok := mmyyAt(toks, i)
	if !ok || !lx.leftClear(toks, i) {
		return dateRange{}, i, false
	}
	k := j
	for k < len(toks) && k-j < 2 && (isDash(toks[k]) || toks[k].kind == tWord && lx.seps[toks[k].low]) {
		k++
	}
	if k == j {
		return dateRange{}, i, false
	}
	p2, e, ok := mmyyAt(toks, k)
	if !ok {
		p2, e, ok = lx.pointAt(toks, k, true)
		ok = ok && p2.present
	}
	if !ok || !lx.rightClear(toks, e) || !p2.present && (p2.year < p1.year || p2.year == p1.year && p2.month < p1.month) {
		return dateRange{}, i, false
	}
	return dateRange{start: p1, end: p2, lo: toks[i].lo, hi: toks[e-1].hi}, e, true
}

// leftClear reports whether a point starting at toks[i] stands apart from
// what precedes it: not glued to a word or number ("v2019", "201-2019"), not
// after a currency sign, not after a product name ("Windows 2000").
func (lx *lexicon) leftClear(toks []token, i int) bool {
	if i == 0 {
		return true
	}
	prev := toks[i-1]
	if toks[i].space == 0 {
		switch prev.kind {
		case tWord, tNum:
			return false
		case tPunct:
			if strings.Contains("#$€£¥+%*=", prev.text) {
				return false
			}
			if i >= 2 && prev.space == 0 && toks[i-2].kind == tNum && strings.Contains(".-/:,", prev.text) {
				return false // part of a longer number
			}
		}
	}
	if toks[i].kind == tNum {
		k := i - 1
		if k >= 0 && toks[k].kind == tWord && lx.product[toks[k].low] {
			return false
		}
		// "Server 2012 R2": a product word two back with a short word between.
		if k >= 1 && toks[k].kind == tWord && toks[k-1].kind == tWord && lx.product[toks[k-1].low] && len(toks[k].text) <= 3 {
			return false
		}
	}
	return true
}

// rightClear reports whether the token at toks[e] ends a point cleanly: no
// word or digit glued on ("1990s", "2019th"), no "%", no further number.
func (lx *lexicon) rightClear(toks []token, e int) bool {
	if e >= len(toks) || toks[e].space > 0 {
		if e < len(toks) && toks[e].kind == tPunct && toks[e].text == "%" {
			return false
		}
		return true
	}
	t := toks[e]
	switch t.kind {
	case tWord, tNum:
		return false
	case tPunct:
		if strings.Contains("%+", t.text) {
			return false
		}
		if strings.Contains(".-/:,", t.text) && glued(toks, e+1) && e+1 < len(toks) && toks[e+1].kind == tNum {
			return false
		}
	}
	return true
}

// loneYearOK decides whether a year standing alone at toks[i:j] is a date:
// "Graduated 2016", "Oberlin College, 2010", "(2019)" are; "1999 Honda",
// "2000 employees" and "2016 2017 2018" are not.
func (lx *lexicon) loneYearOK(toks []token, i, j int) bool {
	if j < len(toks) {
		n := toks[j]
		if n.kind == tWord && n.space < 2 {
			if _, ok := lx.months[n.low]; !ok && !lx.seps[n.low] {
				return false
			}
		}
		if n.kind == tNum && n.space < 2 {
			return false
		}
	}
	if i > 0 && toks[i-1].kind == tNum && toks[i].space < 2 {
		return false
	}
	return true
}

// A span is a date range resolved to months.
type span struct {
	start, end Month
	current    bool
}

// resolve turns r into months, as of the given month (what "Present" means).
//
// A year-only start is January; a year-only end is December of the year
// before when the start is in an earlier year, so that "2015 – 2020" covers
// 60 months (whole years), and December of that year otherwise ("2019",
// "2019 – 2019": 12 months). A season covers its months. A lone month covers
// one month.
func (r dateRange) resolve(asOf Month) span {
	var sp span
	p := r.start
	sp.start = Month{p.year, max(p.month, 1)}
	if p.present {
		sp.start = asOf
	}
	if r.single {
		switch {
		case p.last > 0:
			sp.end = Month{p.year, p.last}
		case p.month == 0:
			sp.end = Month{p.year, 12}
		default:
			sp.end = sp.start
		}
		return sp
	}
	q := r.end
	switch {
	case q.present:
		sp.current = true
		sp.end = asOf
	case q.last > 0:
		sp.end = Month{q.year, q.last}
	case q.month == 0:
		if q.year > sp.start.Year {
			sp.end = Month{q.year - 1, 12}
		} else {
			sp.end = Month{q.year, 12}
		}
	default:
		sp.end = Month{q.year, q.month}
	}
	return sp
}

// months returns the inclusive count of calendar months in sp, clamped to
// asOf and never negative, with a note when the range had to be clamped or
// was rejected.
func (sp span) months(asOf Month) (int, string) {
	if sp.start.IsZero() {
		return 0, ""
	}
	if asOf.Before(sp.start) {
		return 0, "starts after " + asOf.String()
	}
	end := sp.end
	note := ""
	if asOf.Before(end) {
		end = asOf
		note = "ends after " + asOf.String() + "; counted to " + asOf.String()
	}
	if end.Before(sp.start) {
		return 0, "ends before it starts"
	}
	return end.Index() - sp.start.Index() + 1, note
}
