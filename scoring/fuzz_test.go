package scoring

import (
	"errors"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

// FuzzMatch checks the invariants of evidence on any text, alias and name:
// spans inside the text, Text equal to the span, Context containing Text,
// spans ordered and disjoint, nothing inside a blanked contact detail, and
// the blanked text as long as the text.
func FuzzMatch(f *testing.F) {
	for _, s := range [][4]string{
		{"Led incident response for 3 breaches.", "incident response", "", "Jane Roe"},
		{"Pâtisserie résumé — naïve café\nSécurité: HIPAA ✓", "résumé", "", "Élodie Müller"},
		{"CPP (ASIS). Also cpp and C++.", "CPP", "exact", "Cpp Asis"},
		{"risk Jane Roe assessment; risk\nassessment", "risk assessment", "", "Jane Roe"},
		{"mail sox@x.io or https://hipaa.gov/x — SOX", "SOX", "", "Sox"},
		{"\xff\xfe invalid UTF-8 SOX \xc3", "sox", "", "\xc3"},
		{"Head of Security", "head of security", "exact", ""},
	} {
		f.Add(s[0], s[1], s[2] == "exact", s[3])
	}
	f.Fuzz(func(t *testing.T, text, alias string, exact bool, name string) {
		if len(text) > 4096 || len(alias) > 256 || len(name) > 64 {
			t.Skip()
		}
		r := plain(text)
		r.Contact.Name = name
		red, spans := redact(r)
		if len(red) != len(text) {
			t.Fatalf("redacted text: got %d bytes; want %d", len(red), len(text))
		}
		for _, s := range spans {
			if s.Start < 0 || s.End > len(text) || s.Start >= s.End {
				t.Fatalf("blanked span %v out of text of %d bytes", s, len(text))
			}
			if strings.TrimSpace(red[s.Start:s.End]) != "" {
				t.Fatalf("blanked span %v is %q; want spaces", s, red[s.Start:s.End])
			}
		}
		q := rules.TermQuery{Group: "g", Aliases: []string{alias}, CaseSensitive: exact, Sections: []parser.SectionKind{parser.KindExperience}}
		m := matcherFor(t, r)
		ev, err := m.Match(q)
		if errors.Is(err, ErrNoWords) {
			return
		}
		if err != nil {
			t.Fatalf("Match: %v", err)
		}
		checkEvidence(t, r, q, ev)
		for _, e := range ev {
			for _, s := range spans {
				if e.Start < s.End && s.Start < e.End {
					t.Errorf("evidence %q [%d,%d) overlaps blanked %q", e.Text, e.Start, e.End, text[s.Start:s.End])
				}
			}
		}
	})
}

// FuzzResumeMatcher checks that a ResumeMatcher answers as the Matcher of
// an index holding the same resume alone, on any text, aliases, name (which
// is blanked) and sections: the same evidence, count and error. The text's
// first line is its header, the rest its experience section.
func FuzzResumeMatcher(f *testing.F) {
	for i, text := range adversarial {
		a := trickyAliases[(3*i)%len(trickyAliases)]
		b := trickyAliases[(7*i+1)%len(trickyAliases)]
		f.Add("Jane Roe\n"+text, a, b, i%2 == 0, i%3 == 0, "Jane Roe")
	}
	for _, s := range [][3]string{
		{"Head of Security\nrisk Jane Roe assessment; risk\nassessment", "risk assessment", "head of security"},
		{"CPP (ASIS)\nAlso cpp and C++, CPP's", "CPP", "C++"},
		{"Sox Hipaa\nmail sox@x.io or https://hipaa.gov/x — SOX, HIPAA", "SOX", "hipaa"},
		{"x\n\xff\xfe invalid UTF-8 SOX \xc3", "sox", "\xc3"},
		{"x\nthe of and a an to in on for with it is", "the", "of the"},
	} {
		f.Add(s[0], s[1], s[2], false, true, "Sox Hipaa")
		f.Add(s[0], s[1], s[2], true, false, "")
	}
	f.Fuzz(func(t *testing.T, text, alias1, alias2 string, exact, sections bool, name string) {
		if len(text) > 4096 || len(alias1) > 256 || len(alias2) > 256 || len(name) > 64 {
			t.Skip()
		}
		r := plain(text)
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			r.Sections = []parser.Section{
				{Kind: parser.KindHeader, Start: 0, End: i + 1},
				{Kind: parser.KindExperience, Start: i + 1, End: len(text)},
			}
		}
		r.Contact.Name = name
		im := matcherFor(t, r)
		rm, err := NewResumeMatcher(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, aliases := range [][]string{{alias1}, {alias2}, {alias1, alias2}} {
			q := rules.TermQuery{Group: "g", Aliases: aliases, CaseSensitive: exact}
			if sections {
				q.Sections = []parser.SectionKind{parser.KindExperience}
			}
			sameMatches(t, "fuzz", q, im, rm)
		}
	})
}
