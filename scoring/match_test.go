package scoring

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"sift/parser"
	"sift/rules"
)

func TestMatch(t *testing.T) {
	q := func(aliases ...string) rules.TermQuery { return rules.TermQuery{Group: "g", Aliases: aliases} }
	exact := func(aliases ...string) rules.TermQuery {
		return rules.TermQuery{Group: "g", Aliases: aliases, CaseSensitive: true}
	}
	tests := []struct {
		name string
		text string
		q    rules.TermQuery
		want []string // Evidence.Text, in order
	}{
		{"phrase", "Led incident response for 3 breaches.", q("incident response"), []string{"incident response"}},
		{"phrase any case", "INCIDENT Response lead", q("incident response"), []string{"INCIDENT Response"}},
		{"phrase words apart", "incident triage and response", q("incident response"), nil},
		{"phrase words reversed", "response to an incident", q("incident response"), nil},
		{"phrase across lines", "owned every risk\nassessment", q("risk assessment"), []string{"risk\nassessment"}},
		{"phrase with stop word", "Head of Security, Globex", q("head of security"), []string{"Head of Security"}},
		{"alias any", "Installed CCTV and video surveillance.", q("CCTV", "video surveillance"), []string{"CCTV", "video surveillance"}},
		{"alias hyphenated", "Gramm-Leach-Bliley Act", q("GLBA", "Gramm-Leach-Bliley"), []string{"Gramm-Leach-Bliley"}},
		{"stem plural text", "Presented risk assessments to the board.", q("risk assessment"), []string{"risk assessments"}},
		{"stem plural alias", "Ran a risk assessment.", q("risk assessments"), []string{"risk assessment"}},
		// Plurals only: a verb is not its noun, and "Present" (a date) is not
		// "presentations" (a duty). Profiles list the verb forms they accept.
		{"no verb stemming", "Managed and assessed risks", q("assessment"), nil},
		{"no present for presentations", "Jan 2019 – Present", q("presentations"), nil},
		{"no community for communications", "Hill Country Community College", q("communications"), nil},
		{"overlapping aliases once", "a risk assessment", q("assessment", "risk assessment"), []string{"risk assessment"}},
		{"repeated", "SOX. Then SOX again, and sox.", q("SOX"), []string{"SOX", "SOX", "sox"}},
		{"word boundary", "SOXX, toolbox, soxhlet, unsox", q("SOX"), nil},
		{"word boundary punctuation", "(SOX-compliant), SOX/404", q("SOX"), []string{"SOX", "SOX"}},
		{"case-sensitive acronym", "CPP (ASIS). Also cpp, Cpp and C++.", exact("CPP"), []string{"CPP"}},
		{"case-insensitive acronym", "CPP (ASIS). Also cpp and C++.", q("CPP"), []string{"CPP", "cpp"}},
		{"case-sensitive not in C++", "Wrote C++ and CPP-free code? No: C++.", exact("CPP"), []string{"CPP"}},
		{"case-sensitive phrase", "Security Operations Center (SOC); a soc", exact("SOC"), []string{"SOC"}},
		{"case-sensitive stop word", "Bachelor of IT; it works", exact("IT"), []string{"IT"}},
		{"non-ASCII", "Pâtisserie résumé: Sécurité et conformité.", q("résumé"), []string{"résumé"}},
		{"non-ASCII phrase", "Chef de la Pâtisserie résumé, 2020", q("pâtisserie résumé"), []string{"Pâtisserie résumé"}},
		{"non-ASCII exact", "Ünïcødé SÉCURITÉ — sécurité", exact("SÉCURITÉ"), []string{"SÉCURITÉ"}},
		{"after non-ASCII", "Müller & Søn — über HIPAA, naïve GLBA", q("HIPAA", "GLBA"), []string{"HIPAA", "GLBA"}},
		{"none", "Network engineer.", q("HIPAA"), nil},
		{"empty text", "", q("HIPAA"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := plain(tt.text)
			ev, err := matcherFor(t, r).Match(tt.q)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got := texts(ev); !slices.Equal(got, tt.want) {
				t.Errorf("Match(%q) in %q: got %q; want %q", tt.q.Aliases, tt.text, got, tt.want)
			}
			checkEvidence(t, r, tt.q, ev)
		})
	}
}

// TestMatchByteOffsets checks that evidence offsets are byte offsets into
// Resume.Text, after multi-byte runes.
func TestMatchByteOffsets(t *testing.T) {
	text := "Pâtisserie résumé — naïve café\nSécurité: HIPAA ✓ and ISO 27001"
	r := plain(text)
	m := matcherFor(t, r)
	for _, tc := range []struct {
		q    rules.TermQuery
		want string
	}{
		{rules.TermQuery{Group: "a", Aliases: []string{"résumé"}}, "résumé"},
		{rules.TermQuery{Group: "b", Aliases: []string{"naive café", "naïve café"}}, "naïve café"},
		{rules.TermQuery{Group: "c", Aliases: []string{"HIPAA"}}, "HIPAA"},
		{rules.TermQuery{Group: "d", Aliases: []string{"ISO 27001"}}, "ISO 27001"},
		{rules.TermQuery{Group: "e", Aliases: []string{"Sécurité"}, CaseSensitive: true}, "Sécurité"},
	} {
		ev, err := m.Match(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 {
			t.Fatalf("Match(%q): got %d spans; want 1", tc.q.Aliases, len(ev))
		}
		if want := strings.Index(text, tc.want); ev[0].Start != want || ev[0].End != want+len(tc.want) {
			t.Errorf("Match(%q): got [%d,%d); want [%d,%d)", tc.q.Aliases, ev[0].Start, ev[0].End, want, want+len(tc.want))
		}
		checkEvidence(t, r, tc.q, ev)
	}
}

func TestMatchSections(t *testing.T) {
	r := makeResume("s.txt",
		part{parser.KindHeader, "", "Jane Roe\nSecurity leader"},
		part{parser.KindSkills, "SKILLS", "HIPAA, SOX"},
		part{parser.KindExperience, "EXPERIENCE", "Led HIPAA compliance at Umbrella Health."},
	)
	m := matcherFor(t, r)
	tests := []struct {
		sections []parser.SectionKind
		want     []string // Evidence.Section
	}{
		{nil, []string{"skills", "experience"}},
		{[]parser.SectionKind{parser.KindExperience}, []string{"experience"}},
		{[]parser.SectionKind{parser.KindSkills, parser.KindExperience}, []string{"skills", "experience"}},
		{[]parser.SectionKind{parser.KindEducation}, []string{}},
	}
	for _, tt := range tests {
		q := rules.TermQuery{Group: "HIPAA", Aliases: []string{"HIPAA"}, Sections: tt.sections}
		ev, err := m.Match(q)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, e := range ev {
			got = append(got, e.Section)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("sections %v: got %q; want %q", tt.sections, got, tt.want)
		}
		checkEvidence(t, r, q, ev)
		if n, _ := m.Count(q); n != len(tt.want) {
			t.Errorf("sections %v: got Count %d; want %d", tt.sections, n, len(tt.want))
		}
	}
}

func TestMatchNoSections(t *testing.T) {
	r := plain("Led HIPAA compliance.")
	r.Sections = nil
	q := rules.TermQuery{Group: "HIPAA", Aliases: []string{"HIPAA"}, Sections: []parser.SectionKind{parser.KindExperience}}
	ev, err := matcherFor(t, r).Match(q)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(ev), []string{"HIPAA"}; !slices.Equal(got, want) {
		t.Fatalf("got %q; want %q", got, want)
	}
	if ev[0].Section != "" {
		t.Errorf("got section %q; want none", ev[0].Section)
	}
}

func TestMatchCapAndCount(t *testing.T) {
	const n = DefaultMaxEvidence + 8
	r := plain(strings.Repeat("SOX audit. ", n))
	q := rules.TermQuery{Group: "SOX", Aliases: []string{"SOX"}}
	m := matcherFor(t, r)
	ev, err := m.Match(q)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != DefaultMaxEvidence {
		t.Errorf("got %d evidence; want %d", len(ev), DefaultMaxEvidence)
	}
	if ev[0].Start != 0 {
		t.Errorf("got first evidence at %d; want the first match, at 0", ev[0].Start)
	}
	if got, err := m.Count(q); got != n || err != nil {
		t.Errorf("Count: got %d, %v; want %d, nil", got, err, n)
	}
	m.x.MaxEvidence = -1
	if ev, _ := m.Match(q); len(ev) != n {
		t.Errorf("MaxEvidence -1: got %d evidence; want %d", len(ev), n)
	}
	m.x.MaxEvidence = 2
	if ev, _ := m.Match(q); len(ev) != 2 {
		t.Errorf("MaxEvidence 2: got %d evidence; want 2", len(ev))
	}
}

func TestMatchContext(t *testing.T) {
	long := "Across " + strings.Repeat("many regional offices ", 6) + "we ran a tabletop exercise on ransomware " +
		strings.Repeat("with legal and communications ", 5) + "teams."
	tests := []struct {
		name, text, alias, want string
	}{
		{"line", "first line\nRan a tabletop exercise yearly.\nlast line", "tabletop exercise", "Ran a tabletop exercise yearly."},
		{"squeezed", "Ran   a\ttabletop exercise   yearly.", "tabletop exercise", "Ran a tabletop exercise yearly."},
		{"cut at words", long, "tabletop exercise", "…offices many regional offices we ran a tabletop exercise on ransomware with legal and…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := plain(tt.text)
			q := rules.TermQuery{Group: "g", Aliases: []string{tt.alias}}
			ev, err := matcherFor(t, r).Match(q)
			if err != nil || len(ev) != 1 {
				t.Fatalf("Match: got %d, %v; want 1 span", len(ev), err)
			}
			if ev[0].Context != tt.want {
				t.Errorf("got Context %q; want %q", ev[0].Context, tt.want)
			}
			checkEvidence(t, r, q, ev)
		})
	}
}

func TestMatchErrors(t *testing.T) {
	m := matcherFor(t, plain("IT manager"))
	_, err := m.Match(rules.TermQuery{Group: "IT", Aliases: []string{"IT", "the"}})
	if !errors.Is(err, ErrNoWords) {
		t.Errorf("stop words only: got %v; want ErrNoWords", err)
	}
	if _, err := m.Match(rules.TermQuery{Group: "none"}); !errors.Is(err, ErrNoWords) {
		t.Errorf("no aliases: got %v; want ErrNoWords", err)
	}
	ev, err := m.Match(rules.TermQuery{Group: "IT", Aliases: []string{"IT", "information technology"}})
	if err != nil || len(ev) != 0 {
		t.Errorf("one usable alias: got %q, %v; want no evidence, nil", texts(ev), err)
	}
	if _, err := m.x.Matcher("nobody"); !errors.Is(err, ErrNotIndexed) {
		t.Errorf("Matcher(unknown): got %v; want ErrNotIndexed", err)
	}
	if err := m.x.Delete("c"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match(rules.TermQuery{Group: "IT", Aliases: []string{"manager"}}); !errors.Is(err, ErrNotIndexed) {
		t.Errorf("after Delete: got %v; want ErrNotIndexed", err)
	}
}

func TestCheckQuery(t *testing.T) {
	tests := []struct {
		q       rules.TermQuery
		wantErr bool
	}{
		{rules.TermQuery{Group: "IT", Aliases: []string{"IT"}}, true},
		{rules.TermQuery{Group: "IT", Aliases: []string{"IT"}, CaseSensitive: true}, false},
		{rules.TermQuery{Group: "p", Aliases: []string{"++"}}, true},
		{rules.TermQuery{Group: "e"}, true},
		{rules.TermQuery{Group: "HIPAA", Aliases: []string{"HIPAA", "Health Insurance Portability and Accountability Act"}}, false},
	}
	for _, tt := range tests {
		err := CheckQuery(tt.q)
		if (err != nil) != tt.wantErr {
			t.Errorf("CheckQuery(%q): got %v; want error %v", tt.q.Aliases, err, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrNoWords) {
			t.Errorf("CheckQuery(%q): got %v; want ErrNoWords", tt.q.Aliases, err)
		}
	}
	for _, q := range cso {
		if err := CheckQuery(q); err != nil {
			t.Errorf("CheckQuery(%s): %v", q.Group, err)
		}
	}
}

// TestSharedSearch checks that all the matchers of an index share one search
// per distinct query, even when asked at once.
func TestSharedSearch(t *testing.T) {
	x, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var cs []Candidate
	for i := range 12 {
		cs = append(cs, Candidate{ID: string(rune('a' + i)), Resume: synth(i)})
	}
	if err := x.Add(cs...); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, c := range cs {
		m, err := x.Matcher(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for _, q := range cso[:10] {
				if _, err := m.Match(q); err != nil {
					t.Error(err)
				}
				// Same aliases, another name and sections: same search.
				q.Group, q.Sections = "other", []parser.SectionKind{parser.KindSkills}
				if _, err := m.Match(q); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if got := x.searches.Load(); got != 10 {
		t.Errorf("got %d searches; want 10", got)
	}
	if err := x.Add(Candidate{ID: "z", Resume: synth(99)}); err != nil {
		t.Fatal(err)
	}
	m, _ := x.Matcher("z")
	if _, err := m.Match(cso[0]); err != nil {
		t.Fatal(err)
	}
	if got := x.searches.Load(); got != 11 {
		t.Errorf("after Add: got %d searches; want 11 (the cache is dropped)", got)
	}
}

// TestConcurrentAdd checks that matching while candidates are added is safe
// (run with -race) and that each candidate's evidence is its own.
func TestConcurrentAdd(t *testing.T) {
	x, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	q := rules.TermQuery{Group: "SOX", Aliases: []string{"SOX"}}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			id := string(rune('a' + i))
			r := plain(strings.Repeat("SOX ", i+1))
			if err := x.Add(Candidate{ID: id, Resume: r}); err != nil {
				t.Error(err)
				return
			}
			m, err := x.Matcher(id)
			if err != nil {
				t.Error(err)
				return
			}
			for range 5 {
				n, err := m.Count(q)
				if err != nil || n != i+1 {
					t.Errorf("candidate %s: got %d, %v; want %d, nil", id, n, err, i+1)
				}
			}
		})
	}
	wg.Wait()
}
