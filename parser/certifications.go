package parser

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Certifications are normalised through data/certifications.tsv: full names
// count anywhere; acronyms only where a certification is likely to be named
// (certification, skills, education, summary and header sections, or a line
// that says certified/certification), and the ambiguous ones (CISA, CPP, CAP,
// A+) only in a certifications section or on such a line. A certification
// whose list item says it is not held yet ("in progress", "preparation",
// "course") is skipped.

type certForm struct {
	canonical string
	aliases   []string         // the names and acronyms as written
	names     []*regexp.Regexp // case-insensitive
	acronyms  []*regexp.Regexp // case-sensitive
	ev        bool             // acronyms need evidence
}

// aliasPattern turns an alias into a pattern in which white space, dashes,
// ":" and "," match any run of those.
func aliasPattern(a string) string {
	parts := strings.FieldsFunc(a, func(r rune) bool { return strings.ContainsRune(" -–—:,", r) })
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, `[\s\-–—:,]+`)
}

func (lx *lexicon) parseCertifications() error {
	lx.certByKey = map[string][]*certForm{}
	lx.certNotNext = map[string]bool{}
	err := eachRecord("data/certifications.tsv", 2, func(f []string) error {
		switch f[0] {
		case "not":
			lx.certNot = append(lx.certNot, fold(f[1]))
			return nil
		case "notnext":
			lx.certNotNext[fold(f[1])] = true
			return nil
		}
		for len(f) < 4 {
			f = append(f, "")
		}
		c := &certForm{canonical: f[0], ev: strings.Contains(f[3], "ev")}
		names := strings.Split(f[1], "|")
		names = append(names, f[0])
		for _, n := range names {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			// A canonical name that is an acronym ("CA", "PCI") is
			// matched as one, with the row's evidence rule.
			if n == f[0] && strings.Contains(f[3], "nocanon") {
				continue
			}
			if n == f[0] && isAcronym(n) {
				if !strings.Contains("|"+f[2]+"|", "|"+n+"|") {
					f[2] += "|" + n
				}
				continue
			}
			p := strings.ToLower(aliasPattern(n))
			re, err := regexp.Compile(p) // matched against the lower-cased line
			if err != nil {
				return err
			}
			re.Longest()
			c.names = append(c.names, re)
			c.aliases = append(c.aliases, n)
		}
		for _, a := range strings.Split(f[2], "|") {
			if a = strings.TrimSpace(a); a == "" {
				continue
			}
			p := aliasPattern(a)
			re, err := regexp.Compile(p)
			if err != nil {
				return err
			}
			c.acronyms = append(c.acronyms, re)
			c.aliases = append(c.aliases, a)
		}
		if len(c.names)+len(c.acronyms) == 0 {
			return fmt.Errorf("certification %q has no names", f[0])
		}
		lx.certs = append(lx.certs, c)
		return nil
	})
	if err != nil {
		return err
	}
	// Each alias is looked for only in lines holding its rarest word
	// (across the table): "cissp", "auditor", "terraform".
	freq := map[string]int{}
	for _, c := range lx.certs {
		for _, a := range c.aliases {
			for _, w := range certWords(a) {
				freq[w]++
			}
		}
	}
	for _, c := range lx.certs {
		for _, a := range c.aliases {
			key := ""
			for _, w := range certWords(a) {
				if len(w) < 2 || strings.Trim(w, "0123456789") == "" && len(certWords(a)) > 1 {
					continue // years and numbers are in too many lines
				}
				if key == "" || freq[w] < freq[key] || freq[w] == freq[key] && len(w) > len(key) {
					key = w
				}
			}
			if key == "" {
				key = certWords(a)[0]
			}
			if key != "" && !containsCert(lx.certByKey[key], c) {
				lx.certByKey[key] = append(lx.certByKey[key], c)
			}
		}
	}
	return nil
}

// certWords returns the folded runs of letters and digits in s.
func certWords(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func containsCert(cs []*certForm, c *certForm) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// lowerSameLen lower-cases s where that keeps each rune's byte length, so
// that offsets found in the result hold in s.
func lowerSameLen(s string) string {
	return strings.Map(func(r rune) rune {
		l := unicode.ToLower(r)
		if utf8.RuneLen(l) != utf8.RuneLen(r) {
			return r
		}
		return l
	}, s)
}

// isAcronym reports whether a name is written as an acronym: upper-case
// letters and digits, with "/", "+" or "-" ("CIPP/US", "PRINCE2").
func isAcronym(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '+' || r == '-') {
			return false
		}
	}
	return s != ""
}

var certWord = regexp.MustCompile(`(?i)certif|licen[cs]|credential|zertifi|accredit`)

// certWordList is certWord as lower-case words, for saysCertified.
var certWordList = []string{"certif", "licenc", "licens", "credential", "zertifi", "accredit"}

// saysCertified reports whether s matches certWord. Unless the line has a
// rune that folds to an ASCII letter (foldsToASCII), a case-insensitive
// substring test gives the same answer much faster than the pattern, which
// every line goes through.
func saysCertified(s string) bool {
	if foldsToASCII(s) {
		return certWord.MatchString(s)
	}
	for _, w := range certWordList {
		if containsFoldASCII(s, w) {
			return true
		}
	}
	return false
}

// certHit is a certification found in a line.
type certHit struct {
	c      *certForm
	lo, hi int
}

// findCerts returns the certifications named in s. acronyms allows the
// unambiguous acronyms; evidence allows the ambiguous ones too.
func (lx *lexicon) findCerts(s string, acronyms, evidence bool) []certHit {
	// Only the certifications whose first word is in s.
	var cands []*certForm
	rest := fold(s)
	for rest != "" {
		i := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		if i < 0 {
			break
		}
		rest = rest[i:]
		j := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if j < 0 {
			j = len(rest)
		}
		for _, c := range lx.certByKey[rest[:j]] {
			if !containsCert(cands, c) {
				cands = append(cands, c)
			}
		}
		rest = rest[j:]
	}
	if len(cands) == 0 {
		return nil
	}
	var hits []certHit
	low := lowerSameLen(s)
	add := func(c *certForm, re *regexp.Regexp, in string) {
		for _, m := range re.FindAllStringIndex(in, -1) {
			lo, hi := m[0], m[1]
			if letterAt(s, lo, true) || letterAt(s, hi, false) || hi < len(s) && s[hi] == '+' {
				continue
			}
			if lx.certNotHeld(s, lo, hi) {
				continue
			}
			hits = append(hits, certHit{c, lo, hi})
		}
	}
	for _, c := range cands {
		for _, re := range c.names {
			add(c, re, low)
		}
		if acronyms && (!c.ev || evidence) {
			for _, re := range c.acronyms {
				add(c, re, s)
			}
		}
	}
	// Longest first; drop hits inside a longer one.
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].hi-hits[i].lo > hits[j].hi-hits[j].lo })
	var kept []certHit
	for _, h := range hits {
		inside := false
		for _, k := range kept {
			if h.lo < k.hi && k.lo < h.hi {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, h)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].lo < kept[j].lo })
	return kept
}

// certNotHeld reports whether the list item around s[lo:hi] says the
// certification is not held ("(in progress)"), or the word right after it
// does ("preparation", "course").
func (lx *lexicon) certNotHeld(s string, lo, hi int) bool {
	a := strings.LastIndexAny(s[:lo], ",;|•·●")
	b := strings.IndexAny(s[hi:], ",;|•·●")
	if b < 0 {
		b = len(s)
	} else {
		b += hi
	}
	item := " " + strings.Join(wordList(s[a+1:b]), " ") + " "
	for _, p := range lx.certNot {
		if strings.Contains(item, " "+p+" ") {
			return true
		}
	}
	ws := wordList(s[hi:])
	for i := 0; i < len(ws) && i < 2; i++ {
		if lx.certNotNext[ws[i]] {
			return true
		}
	}
	return false
}

// certifications finds the certifications, canonical names in the order
// they first appear.
func (d *doc) certifications() []string {
	var out []string
	seen := map[string]bool{}
	for i := range d.lines {
		l := &d.lines[i]
		if l.furniture {
			continue
		}
		s := d.sections[l.sec]
		inCert := s.kinds.has(KindCertifications)
		said := saysCertified(l.clean)
		acr := inCert || said || s.kinds&(kindBit(KindSkills)|kindBit(KindEducation)|kindBit(KindSummary)|kindBit(KindHeader)) != 0
		for _, h := range d.lx.findCerts(l.clean, acr, inCert || said) {
			if !seen[h.c.canonical] {
				seen[h.c.canonical] = true
				out = append(out, h.c.canonical)
			}
		}
	}
	return out
}

// normalizeCertification returns the canonical name of a certification
// written any way the table knows, or "" when it knows none.
func normalizeCertification(s string) string {
	hs := loadLexicon().findCerts(s, true, true)
	if len(hs) == 0 {
		return ""
	}
	return hs[0].c.canonical
}
