package scoring

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"sift/parser"
)

// A span is a half-open byte range [Start, End) of a resume's text.
type span struct{ Start, End int }

// Patterns for contact details the parser may not have listed: any email
// address, and any URL (with a scheme, starting www., or a domain followed by
// a path on a common top-level domain, such as linkedin.com/in/name, but not
// Node.js/React). They are blanked wherever they occur,
// so that no rule can ever match inside an address.
var (
	emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`)
	urlPattern   = regexp.MustCompile(`(?i)(?:\b[a-z][a-z0-9+.\-]*://|\bwww\.)\S+|\b[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.(?:com|org|net|edu|gov|io|co|me|dev|info|biz|ai|us|uk|ca|de|fr|in)/\S*`)
)

// redact returns r.Text with every contact detail replaced by spaces of the
// same byte length, so that offsets into the redacted text are offsets into
// r.Text, and the blanked spans, sorted and merged.
//
// What is blanked:
//   - the full name, anywhere, in any letter case, also as "Last, First" and
//     without middle names ("Dana Whitfield" for "Dana R. Whitfield");
//   - each part of the name at least two letters long, as a whole word, in the
//     header (the text before the first heading, where the name is printed):
//     elsewhere a lone "Sox" or "Hipaa" is far more likely to be the law than
//     the candidate, and blanking it would let the name change the score the
//     other way;
//   - every email, phone and link of the contact details, anywhere, and links
//     also without their scheme or "www.";
//   - anything that looks like an email address or a URL, anywhere;
//   - the date range of every position ("Jan 2019 – Present"): dates are
//     never evidence of a term, and "Present" or "Current" there would
//     otherwise match a duty ("presents to the board") or "stays current".
func redact(r *parser.Resume) (string, []span) {
	text := r.Text
	folded := fold(text)
	var spans []span
	add := func(start, end int) { spans = append(spans, span{start, end}) }

	// in blanks every occurrence of needle in text[from:limit] (as a whole
	// word when words is set).
	in := func(needle string, words bool, from, limit int) {
		needle = fold(strings.TrimSpace(needle))
		if needle == "" {
			return
		}
		for off := from; off < limit; {
			i := strings.Index(folded[off:limit], needle)
			if i < 0 {
				return
			}
			start, end := off+i, off+i+len(needle)
			if !words || isWordEdge(text, start) && isWordEdge(text, end) {
				add(start, end)
			}
			off = start + 1
		}
	}
	all := func(needle string, words bool, limit int) { in(needle, words, 0, limit) }

	name := strings.Join(strings.Fields(r.Contact.Name), " ")
	if name != "" {
		all(name, true, len(text))
		parts := strings.Fields(name)
		if n := len(parts); n >= 2 {
			all(parts[n-1]+", "+strings.Join(parts[:n-1], " "), true, len(text))
			if n >= 3 { // without the middle names or initials
				all(parts[0]+" "+parts[n-1], true, len(text))
				all(parts[n-1]+", "+parts[0], true, len(text))
			}
		}
		for _, h := range headerSpans(r) {
			for _, p := range parts {
				p = strings.TrimFunc(p, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
				if letters(p) >= 2 {
					in(p, true, h.Start, h.End)
				}
			}
		}
	}
	for _, e := range r.Contact.Emails {
		all(e, false, len(text))
	}
	for _, p := range r.Contact.Phones {
		all(p, false, len(text))
	}
	for _, l := range r.Contact.Links {
		all(l, false, len(text))
		bare := l
		if i := strings.Index(bare, "://"); i >= 0 {
			bare = bare[i+3:]
		}
		bare = strings.TrimPrefix(bare, "www.")
		bare = strings.TrimSuffix(bare, "/")
		if bare != l {
			all(bare, false, len(text))
		}
	}
	for _, p := range r.Positions {
		all(p.Dates, false, len(text))
	}
	// The patterns run only on the few words that can hold an address: a
	// regexp over the whole text costs more than all the rest of indexing.
	for off := 0; off < len(text); {
		i := strings.IndexFunc(text[off:], func(c rune) bool { return !unicode.IsSpace(c) })
		if i < 0 {
			break
		}
		start := off + i
		end := len(text)
		if j := strings.IndexFunc(text[start:], unicode.IsSpace); j >= 0 {
			end = start + j
		}
		word := text[start:end]
		var re *regexp.Regexp
		switch {
		case strings.Contains(word, "@"):
			re = emailPattern
		case strings.Contains(word, "/") || len(word) > 4 && strings.EqualFold(word[:4], "www."):
			re = urlPattern
		}
		if re != nil {
			for _, m := range re.FindAllStringIndex(word, -1) {
				// Leave closing punctuation: "(see example.com/x)."
				w := strings.TrimRight(word[m[0]:m[1]], ".,;:!?)]}>\"'")
				add(start+m[0], start+m[0]+len(w))
			}
		}
		off = end
	}
	if len(spans) == 0 {
		return text, nil
	}

	slices.SortFunc(spans, func(a, b span) int { return a.Start - b.Start })
	merged := spans[:1]
	for _, s := range spans[1:] {
		if last := &merged[len(merged)-1]; s.Start <= last.End {
			last.End = max(last.End, s.End)
		} else {
			merged = append(merged, s)
		}
	}
	b := []byte(text)
	for _, s := range merged {
		for i := s.Start; i < s.End; i++ {
			b[i] = ' '
		}
	}
	return string(b), slices.Clip(merged)
}

// headerSpans returns where the name is printed: the header sections (the
// text before the first heading, which a two-column layout may place after
// a sidebar's sections), else the text before the first section, else the
// first line.
func headerSpans(r *parser.Resume) []span {
	var spans []span
	first := len(r.Text)
	for _, s := range r.Sections {
		if s.Kind == parser.KindHeader {
			spans = append(spans, span{max(s.Start, 0), min(s.End, len(r.Text))})
		}
		first = min(first, s.Start)
	}
	switch {
	case len(spans) > 0:
	case len(r.Sections) > 0:
		spans = append(spans, span{0, max(first, 0)})
	default:
		t := r.Text
		lead := len(t) - len(strings.TrimLeft(t, " \t\r\n"))
		end := len(t)
		if i := strings.IndexByte(t[lead:], '\n'); i >= 0 {
			end = lead + i
		}
		spans = append(spans, span{0, end})
	}
	return spans
}

// fold lower-cases s rune by rune, keeping any rune whose lower case has a
// different UTF-8 length, so that byte offsets in fold(s) are offsets in s.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(c); c != utf8.RuneError && utf8.RuneLen(l) == n {
			b = utf8.AppendRune(b, l)
		} else {
			b = append(b, s[i:i+n]...) // invalid UTF-8, or a lower case of another length
		}
		i += n
	}
	return string(b)
}

// isWordEdge reports whether byte offset i of s is not inside a word: the
// runes on either side are not both letters or digits.
func isWordEdge(s string, i int) bool {
	if i <= 0 || i >= len(s) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i:])
	return !isWordRune(before) || !isWordRune(after)
}

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

func letters(s string) int {
	n := 0
	for _, c := range s {
		if unicode.IsLetter(c) {
			n++
		}
	}
	return n
}
