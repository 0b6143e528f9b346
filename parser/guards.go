package parser

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cheap exact tests that stand for, or rule out, regular expressions run on
// every line.
//
// A pattern that only matches where it is not glued to a letter or digit
// (degreeScan) can only match at the start of a word of the line, and the
// text it matches then starts with that whole word. firstWords lists the
// words a pattern's matches can start with, so that a line holding none of
// them is known not to match without running the regular expression, which
// is slow for a large alternation run on every line.

// isLetterOrNumber reports whether r is in \p{L} or \p{N}.
func isLetterOrNumber(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// Limits past which firstWords gives up (the set would not be a cheap test).
const (
	firstWordsMaxLen   = 64    // bytes in one word
	firstWordsMaxSet   = 20000 // words in the set
	firstWordsMaxClass = 16    // letters or digits a class may branch into
)

// firstWords returns the set of first words of the texts pat matches,
// each text followed by the end or a rune that is no letter or digit: the
// run of letters and digits each starts with. It is a superset (assertions
// such as \b are ignored). ok is false when the set cannot be given: a
// match may start with no letter or digit, or the words are unbounded
// ("[a-z]+" at the start), or the pattern folds case.
func firstWords(pat string) (words map[string]bool, ok bool) {
	re, err := syntax.Parse(pat, syntax.Perl)
	if err != nil {
		return nil, false
	}
	w := &firstWordWalker{closed: map[string]bool{}}
	open := w.walk(re, map[string]bool{"": true})
	if w.fail {
		return nil, false
	}
	// The end, or the rune after the match, ends the words still open.
	for s := range open {
		w.closed[s] = true
	}
	if w.closed[""] || len(w.closed) > firstWordsMaxSet {
		return nil, false
	}
	return w.closed, true
}

type firstWordWalker struct {
	closed map[string]bool // first words already ended by a rune that is no letter or digit
	fail   bool
}

// walk returns the words still open after re, given those open before it,
// adding those it ends to w.closed.
func (w *firstWordWalker) walk(re *syntax.Regexp, open map[string]bool) map[string]bool {
	if w.fail || len(open) == 0 {
		return nil
	}
	if len(open) > firstWordsMaxSet || len(w.closed) > firstWordsMaxSet {
		w.fail = true
		return nil
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return nil
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return open
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			w.fail = true
			return nil
		}
		for _, r := range re.Rune {
			if isLetterOrNumber(r) {
				open = w.step(open, []rune{r}, false)
			} else {
				open = w.step(open, nil, true)
			}
		}
		return open
	case syntax.OpCharClass:
		var ln []rune
		other := false
		n := 0
		for k := 0; k+1 < len(re.Rune); k += 2 {
			lo, hi := re.Rune[k], re.Rune[k+1]
			n += int(hi-lo) + 1
			if n > 4*firstWordsMaxClass {
				w.fail = true
				return nil
			}
			for r := lo; r <= hi; r++ {
				if isLetterOrNumber(r) {
					ln = append(ln, r)
				} else {
					other = true
				}
			}
		}
		if len(ln) > firstWordsMaxClass {
			w.fail = true
			return nil
		}
		return w.step(open, ln, other)
	case syntax.OpCapture:
		return w.walk(re.Sub[0], open)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			open = w.walk(sub, open)
		}
		return open
	case syntax.OpAlternate:
		out := map[string]bool{}
		for _, sub := range re.Sub {
			for s := range w.walk(sub, open) {
				out[s] = true
			}
		}
		return out
	case syntax.OpQuest:
		return w.repeat(re.Sub[0], open, 0, 1)
	case syntax.OpStar:
		return w.repeat(re.Sub[0], open, 0, -1)
	case syntax.OpPlus:
		return w.repeat(re.Sub[0], open, 1, -1)
	case syntax.OpRepeat:
		return w.repeat(re.Sub[0], open, re.Min, re.Max)
	}
	// OpAnyChar, OpAnyCharNotNL and anything new: give up.
	w.fail = true
	return nil
}

// step extends the open words by each of the runes ln (letters or digits),
// and ends them when other (a rune that is no letter or digit may come).
func (w *firstWordWalker) step(open map[string]bool, ln []rune, other bool) map[string]bool {
	if other {
		for s := range open {
			w.closed[s] = true
		}
	}
	out := map[string]bool{}
	for s := range open {
		for _, r := range ln {
			t := s + string(r)
			if len(t) > firstWordsMaxLen {
				w.fail = true
				return nil
			}
			out[t] = true
		}
	}
	return out
}

// repeat walks sub between lo and hi times (hi -1: no limit).
func (w *firstWordWalker) repeat(sub *syntax.Regexp, open map[string]bool, lo, hi int) map[string]bool {
	for k := 0; k < lo; k++ {
		open = w.walk(sub, open)
	}
	all := map[string]bool{}
	for s := range open {
		all[s] = true
	}
	cur := open
	for k := lo; hi < 0 || k < hi; k++ {
		next := map[string]bool{}
		for s := range w.walk(sub, cur) {
			if !all[s] {
				all[s] = true
				next[s] = true
			}
		}
		if len(next) == 0 || w.fail {
			break
		}
		cur = next
	}
	return all
}

// hasWordIn reports whether a run of letters and digits of s, whole, is
// in words.
func hasWordIn(s string, words map[string]bool) bool {
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isLetterOrNumber(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n = rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[j:])
			}
			if !isLetterOrNumber(r) {
				break
			}
			j += n
		}
		if words[s[i:j]] {
			return true
		}
		i = j
	}
	return false
}

// Case-insensitive patterns of ASCII words ("(?i)certif") match exactly
// where a byte-wise case-insensitive substring test finds the word, unless
// the text has one of the two runes that are not ASCII but fold to ASCII
// letters: the Kelvin sign (k) and the long s. Any other rune that is not
// ASCII (or a byte that is not UTF-8) is in bytes above 0x7F, which neither
// the pattern nor the byte-wise test takes for a letter of the word. The
// helpers below let a cheap test stand for such a pattern on all other
// lines.

// foldsToASCII reports whether s holds a rune that is not ASCII but folds
// to an ASCII letter: a Kelvin sign or a long s.
func foldsToASCII(s string) bool {
	return strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f")
}

// lowerASCII returns the ASCII byte b in lower case.
func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// containsFoldASCII reports whether s holds word (lower-case ASCII), in any
// case of its ASCII letters.
func containsFoldASCII(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if lowerASCII(s[i]) != word[0] {
			continue
		}
		j := 1
		for j < len(word) && lowerASCII(s[i+j]) == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}
