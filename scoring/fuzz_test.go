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
