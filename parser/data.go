package parser

import (
	"bufio"
	"embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// The word lists and tables that structure extraction reads are data, not
// code: see the files in data/ for their formats. They are parsed once, on
// first use, into a read-only lexicon.
//
//go:embed data/*.tsv data/*.txt
var dataFS embed.FS

// lexicon holds the parsed data tables. It is never modified after load.
type lexicon struct {
	// dates.tsv
	months   map[string]int
	seasons  map[string][2]int
	present  map[string]bool
	present2 map[string]bool
	seps     map[string]bool
	since    map[string]bool
	from     map[string]bool
	expected map[string]bool
	product  map[string]bool

	// sections.tsv: squashed heading -> kind
	headings map[string]SectionKind

	// titles.txt, orgs.txt, places.txt, institutions.txt
	titleWords    map[string]bool
	titleSuffixes []string
	notTitles     map[string]bool
	orgWords      map[string]bool
	strongOrg     map[string]bool
	orgPhrases    []string
	places        map[string]bool
	placePhrases  []string
	schoolWords   map[string]bool
	schoolSuffix  []string

	// degrees.tsv
	degrees         []*degreeForm
	degreeNotAfter  map[string]bool
	degreeNotBefore map[string]bool
	degreeScan      *regexp.Regexp  // any degree form, case-insensitive: a cheap first test
	degreeFirst     map[string]bool // the words a degreeScan match can start with; nil: unknown

	// certifications.tsv
	certs       []*certForm
	certNot     []string
	certNotNext map[string]bool
	certByKey   map[string][]*certForm // by the first word of a name or acronym
}

var loadLexicon = sync.OnceValue(func() *lexicon {
	lx, err := parseLexicon()
	if err != nil {
		// The data files are embedded and covered by tests: a failure
		// here is a programming error, not a property of the input.
		panic("parser: bad embedded data: " + err.Error())
	}
	return lx
})

func parseLexicon() (*lexicon, error) {
	lx := &lexicon{
		months:      map[string]int{},
		seasons:     map[string][2]int{},
		present:     map[string]bool{},
		present2:    map[string]bool{},
		seps:        map[string]bool{},
		since:       map[string]bool{},
		from:        map[string]bool{},
		expected:    map[string]bool{},
		product:     map[string]bool{},
		headings:    map[string]SectionKind{},
		titleWords:  map[string]bool{},
		notTitles:   map[string]bool{},
		orgWords:    map[string]bool{},
		strongOrg:   map[string]bool{},
		places:      map[string]bool{},
		schoolWords: map[string]bool{},
	}
	err := eachRecord("data/dates.tsv", 2, func(f []string) error {
		kind, w := f[0], fold(f[1])
		switch {
		case strings.HasPrefix(kind, "month"):
			n, err := strconv.Atoi(kind[len("month"):])
			if err != nil || n < 1 || n > 12 {
				return fmt.Errorf("bad month %q", kind)
			}
			lx.months[w] = n
		case strings.HasPrefix(kind, "season"):
			var a, b int
			if _, err := fmt.Sscanf(kind, "season%d-%d", &a, &b); err != nil || a < 1 || b > 12 || a > b {
				return fmt.Errorf("bad season %q", kind)
			}
			lx.seasons[w] = [2]int{a, b}
		case kind == "present":
			lx.present[w] = true
		case kind == "present2":
			lx.present2[w] = true
		case kind == "sep":
			lx.seps[w] = true
		case kind == "since":
			lx.since[w] = true
		case kind == "from":
			lx.from[w] = true
		case kind == "expected":
			lx.expected[w] = true
		case kind == "product":
			lx.product[w] = true
		default:
			return fmt.Errorf("unknown kind %q", kind)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRecord("data/sections.tsv", 2, func(f []string) error {
		kind := SectionKind(f[0])
		switch kind {
		case KindSummary, KindExperience, KindEducation, KindCertifications, KindSkills, KindOther:
		default:
			return fmt.Errorf("unknown section kind %q", f[0])
		}
		key := squash(f[1])
		if key == "" {
			return fmt.Errorf("empty heading %q", f[1])
		}
		if old, ok := lx.headings[key]; ok && old != kind {
			return fmt.Errorf("heading %q listed as %s and %s", f[1], old, kind)
		}
		lx.headings[key] = kind
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRecord("data/titles.txt", 1, func(f []string) error {
		w := fold(f[0])
		switch {
		case strings.HasPrefix(w, "*"):
			lx.titleSuffixes = append(lx.titleSuffixes, w[1:])
		case strings.HasPrefix(w, "!"):
			lx.notTitles[w[1:]] = true
		default:
			lx.titleWords[w] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRecord("data/orgs.txt", 1, func(f []string) error {
		w := fold(f[0])
		strong := strings.HasPrefix(w, "+")
		w = strings.TrimPrefix(w, "+")
		if strings.Contains(w, " ") {
			lx.orgPhrases = append(lx.orgPhrases, w)
		} else {
			lx.orgWords[w] = true
			lx.strongOrg[w] = strong
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRecord("data/places.txt", 1, func(f []string) error {
		w := fold(f[0])
		if strings.Contains(w, " ") {
			lx.placePhrases = append(lx.placePhrases, w)
		} else {
			lx.places[w] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRecord("data/institutions.txt", 1, func(f []string) error {
		w := fold(f[0])
		if strings.HasPrefix(w, "*") {
			lx.schoolSuffix = append(lx.schoolSuffix, w[1:])
		} else {
			lx.schoolWords[w] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := lx.parseDegrees(); err != nil {
		return nil, err
	}
	if err := lx.parseCertifications(); err != nil {
		return nil, err
	}
	return lx, nil
}

// eachRecord calls fn with the tab-separated fields of each line of an
// embedded file, skipping blank lines and lines starting with "#". Lines
// with fewer than min fields are an error.
func eachRecord(name string, min int, fn func([]string) error) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < min || f[0] == "" {
			return fmt.Errorf("%s:%d: want %d tab-separated fields", name, n, min)
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	return sc.Err()
}

// fold lowercases s and strips the accents of Latin letters, so that
// "Expérience" and "experience", "März" and "marz" compare equal.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		if r == '’' || r == '‘' || r == 'ʼ' {
			r = '\''
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for _, g := range []struct{ from, to string }{
		{"àáâãäåāą", "a"}, {"çćč", "c"}, {"ďđ", "d"}, {"èéêëēęě", "e"}, {"ìíîïī", "i"},
		{"ñńň", "n"}, {"òóôõöøō", "o"}, {"ùúûüūů", "u"}, {"ýÿ", "y"}, {"śšș", "s"},
		{"źżž", "z"}, {"ł", "l"}, {"řŕ", "r"}, {"ťț", "t"}, {"ğ", "g"},
	} {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	m['ß'] = "ss"
	m['æ'] = "ae"
	m['œ'] = "oe"
	return m
}()

// squash folds s and keeps only its letters and digits: "W O R K  E X P E R I
// E N C E", "Work Experience:" and "WORK-EXPERIENCE" all squash to
// "workexperience". Headings are compared squashed.
func squash(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
