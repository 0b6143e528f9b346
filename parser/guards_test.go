package parser

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sift/internal/samples"
)

// The guards of guards.go and their callers stand for regular expressions
// or rule them out; the tests here hold each to its pattern, on real lines
// and on strings made to probe the edges (case folding, white space, marks,
// invalid UTF-8).

// guardProbes are strings at the guards' edges.
var guardProbes = []string{
	"", " ", "a", "A", "-", " - ", "_", " _ ", "x  y", "x\ty", "x\t\ty", "x\v y", "x\u00a0\u00a0y",
	"Manager at Acme", "Manager as such", "Manager At Acme", "atlas", "a t", " at", "at ", " at\tAcme",
	"Title: Engineer", "Title:Engineer", "(2019)", "x)", "a@b", "a @ b", "– Acme", "-Acme", "  -  Acme",
	"Security & Risk", "Skills and Interests", "Skills And Interests", "BAND", "Sand", "y", "Y", "et", "ET", "et al",
	"Certified", "CERTIFICATION", "licence", "LICENSE", "Licenses", "credentials", "Zertifikat", "accredited",
	"\u212aelvin", "li\u017fen\u017fe", "certi\u017fied", "LICEN\u017fE", "\xffcertif\xc3", "\xc3\xa9certified",
	"linkedin.com/in/x", "GitHub: x", "gitlab", "twitter @x", "LinkedIn",
	"B.S. Computer Science", "BS, 2010", "Bachelor of Science", "MBA", "M.B.A.", "Ph.D.", "PhD", "phd2010",
	"2010PhD", "doctor of law", "Doctor Of Philosophy", "master's degree", "Masters in IT", "A.A.S.", "AAS",
	"high school", "G.E.D.", "GED", "A-levels", "A levels", "博士", "магистр", "бакалавр", "Diplom-Ingenieur",
	"BSc²", "²BSc", "BSc½", "Ⅻ BSc", "B.Sc.", "b.sc", "MSc/MBA", "BS/MS", "ms", "systems", "management",
	"1. Experience", "IV) Education", "A. Skills", "Education.", "12) x",
}

// guardLines returns the probes and the lines of generated resumes, as
// text and as their PDFs parse.
func guardLines(t testing.TB) []string {
	lines := slices.Clone(guardProbes)
	for i := range 40 {
		r := samples.Random(3, i)
		lines = append(lines, strings.Split(string(samples.RenderText(r)), "\n")...)
		lines = append(lines, strings.Split(string(samples.RenderMarkdown(r)), "\n")...)
	}
	files, _ := filepath.Glob("../testdata/resumes/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(b), "\n")...)
	}
	return lines
}

// linkSitePattern is what hasLinkSite stands for.
var linkSitePattern = regexp.MustCompile(`linkedin|github|gitlab|twitter`)

// checkGuards checks every guard against its pattern on s.
func checkGuards(t *testing.T, lx *lexicon, s string) {
	t.Helper()
	if got, want := saysCertified(s), certWord.MatchString(s); got != want {
		t.Errorf("saysCertified(%q) = %v; certWord says %v", s, got, want)
	}
	low := strings.ToLower(s)
	if got, want := hasLinkSite(low), linkSitePattern.MatchString(low); got != want {
		t.Errorf("hasLinkSite(%q) = %v; the pattern says %v", low, got, want)
	}
	if !mayHaveStrongSep(s) && strongSep.MatchString(s) {
		t.Errorf("mayHaveStrongSep(%q) = false, but strongSep matches it", s)
	}
	for _, n := range []int{-1, 3} {
		if got, want := strongSepSplit(s, n), strongSep.Split(s, n); !slices.Equal(got, want) {
			t.Errorf("strongSepSplit(%q, %d) = %q; strongSep.Split gives %q", s, n, got, want)
		}
	}
	if !mayJoinHeadings(s) && headingJoin.MatchString(s) {
		t.Errorf("mayJoinHeadings(%q) = false, but headingJoin matches it", s)
	}
	if !strings.ContainsAny(s, ".)") && headingNumber.MatchString(s) {
		t.Errorf("headingNumber matches %q, which has no '.' or ')'", s)
	}
	if !strings.Contains(s, ",") && (cityState.MatchString(s) || stateThen.MatchString(s)) {
		t.Errorf("cityState or stateThen matches %q, which has no comma", s)
	}
	if !strings.Contains(s, ":") && fieldLabel.MatchString(s) {
		t.Errorf("fieldLabel matches %q, which has no ':'", s)
	}
	if !strings.Contains(s, ".") && !strings.Contains(s, "://") && urlRe.MatchString(s) {
		t.Errorf("urlRe matches %q, which has no '.' or '://'", s)
	}
	if countDigits(s) < 7 && findPhones(s, nil) != nil {
		t.Errorf("findPhones(%q) finds a phone with fewer than 7 digits", s)
	}
	if !hasWordIn(low, lx.degreeFirst) && lx.degreeScan.MatchString(low) {
		t.Errorf("no first word of a degree form in %q, but degreeScan matches it", low)
	}
}

// TestGuards checks the guards on the probes and on generated lines, and
// that the degree forms' first words could be read from the data.
func TestGuards(t *testing.T) {
	lx := loadLexicon()
	if lx.degreeFirst == nil {
		t.Fatal("firstWords could not read degrees.tsv: every line would go through the full degree test")
	}
	for _, s := range guardLines(t) {
		checkGuards(t, lx, s)
	}
}

// FuzzGuards is TestGuards on any string.
//
//	go test -fuzz FuzzGuards ./parser/
func FuzzGuards(f *testing.F) {
	for _, s := range guardProbes {
		f.Add(s)
	}
	lx := loadLexicon()
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 512 {
			t.Skip()
		}
		checkGuards(t, lx, s)
	})
}

// TestFirstWords checks firstWords on small patterns, and that it declines
// the ones it cannot read.
func TestFirstWords(t *testing.T) {
	for _, tt := range []struct {
		pat  string
		want []string // nil: declined
	}{
		{`ph\.?\s?d\.?`, []string{"ph", "phd"}},
		{`mba|m\.b\.a\.`, []string{"m", "mba"}},
		{`master(?:'s|s)?\s+(?:of|in)`, []string{"master", "masters"}},
		{`doctor of [a-z]+`, []string{"doctor"}},
		{`a-levels?`, []string{"a"}},
		{`博士`, []string{"博士"}},
		{`[a-z]+x`, nil},    // unbounded first word
		{`\.net`, nil},      // a match may start with no letter
		{`(?i)bsc`, nil},    // folds case
		{`b.sc`, nil},       // any rune
		{`x|(?:y)*`, nil},   // may match the empty text
		{`[a-z]{2}sc`, nil}, // a class of too many letters
		{`ab\d`, []string{"ab0", "ab1", "ab2", "ab3", "ab4", "ab5", "ab6", "ab7", "ab8", "ab9"}},
	} {
		words, ok := firstWords(tt.pat)
		if ok != (tt.want != nil) {
			t.Errorf("firstWords(%q): ok %v; want %v", tt.pat, ok, tt.want != nil)
			continue
		}
		if got := slices.Sorted(maps.Keys(words)); ok && !slices.Equal(got, tt.want) {
			t.Errorf("firstWords(%q) = %q; want %q", tt.pat, got, tt.want)
		}
	}
}
