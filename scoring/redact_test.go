package scoring

import (
	"slices"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name    string
		contact parser.Contact
		text    string
		want    string // the text with the blanked parts [bracketed]
	}{
		{"name in header", parser.Contact{Name: "Sox Hipaa"},
			"Sox Hipaa\nCSO\n", "[Sox Hipaa]\nCSO\n"},
		{"name parts in header", parser.Contact{Name: "Sox Hipaa"},
			"SOX J. HIPAA, CISSP\n", "[SOX] J. [HIPAA], CISSP\n"},
		{"name parts kept after header", parser.Contact{Name: "Sox Hipaa"},
			"Sox Hipaa\nLed SOX audits\n", "[Sox Hipaa]\nLed SOX audits\n"},
		{"name any case anywhere", parser.Contact{Name: "Sox Hipaa"},
			"x\nSigned, SOX HIPAA; Hipaa, Sox.\n", "x\nSigned, [SOX HIPAA]; [Hipaa, Sox].\n"},
		{"without middle initial", parser.Contact{Name: "Dana R. Whitfield"},
			"x\nDana Whitfield; Whitfield, Dana; Dana R. Whitfield\n", "x\n[Dana Whitfield]; [Whitfield, Dana]; [Dana R. Whitfield]\n"},
		{"whole words only", parser.Contact{Name: "Al Li"},
			"Al Li Alpha Lima\n", "[Al Li] Alpha Lima\n"},
		{"one-letter parts kept", parser.Contact{Name: "J Smith"},
			"J Smith\nJ\n", "[J Smith]\nJ\n"},
		{"email", parser.Contact{Emails: []string{"Hipaa@Example.com"}},
			"mail hipaa@example.com now", "mail [hipaa@example.com] now"},
		{"phone", parser.Contact{Phones: []string{"+1 (555) 010-0199"}},
			"call +1 (555) 010-0199.", "call [+1 (555) 010-0199]."},
		{"link without scheme", parser.Contact{Links: []string{"https://www.linkedin.com/in/sox-hipaa/"}},
			"see linkedin.com/in/sox-hipaa here", "see [linkedin.com/in/sox-hipaa] here"},
		{"unlisted email and URL", parser.Contact{},
			"a sox@x.io b https://hipaa.gov/x c www.sox.com d github.com/sox e",
			"a [sox@x.io] b [https://hipaa.gov/x] c [www.sox.com] d [github.com/sox] e"},
		{"not a URL", parser.Contact{}, "Node.js/React and TCP/IP", "Node.js/React and TCP/IP"},
		{"URL in parentheses", parser.Contact{}, "[site](https://x.example.com/a), done", "[site]([https://x.example.com/a]), done"},
		{"non-ASCII name", parser.Contact{Name: "Élodie Müller"},
			"ÉLODIE MÜLLER\n", "[ÉLODIE MÜLLER]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &parser.Resume{Text: tt.text, Contact: tt.contact}
			got, spans := redact(r)
			if len(got) != len(tt.text) {
				t.Fatalf("got %d bytes; want %d", len(got), len(tt.text))
			}
			var b strings.Builder
			last := 0
			for _, s := range spans {
				if strings.TrimSpace(got[s.Start:s.End]) != "" {
					t.Fatalf("span %v of the redacted text is %q; want spaces", s, got[s.Start:s.End])
				}
				b.WriteString(tt.text[last:s.Start] + "[" + tt.text[s.Start:s.End] + "]")
				last = s.End
			}
			b.WriteString(tt.text[last:])
			if b.String() != tt.want {
				t.Errorf("got %q; want %q", b.String(), tt.want)
			}
			if len(spans) == 0 && got != tt.text {
				t.Errorf("nothing blanked, but got %q; want %q", got, tt.text)
			}
		})
	}
}

// TestRedactionScores checks that contact details never count as evidence,
// and that a name that is also a term does not hide the term elsewhere.
func TestRedactionScores(t *testing.T) {
	body := func(name, email string, experience string) *parser.Resume {
		r := makeResume("r.pdf",
			part{parser.KindHeader, "", name + "\n" + email + " | linkedin.com/in/" + strings.ToLower(strings.ReplaceAll(name, " ", "-"))},
			part{parser.KindExperience, "EXPERIENCE", experience},
		)
		r.Contact = parser.Contact{Name: name, Emails: []string{email}, Links: []string{"https://linkedin.com/in/" + strings.ToLower(strings.ReplaceAll(name, " ", "-"))}}
		return r
	}
	laws := []rules.TermQuery{
		{Group: "SOX", Aliases: []string{"SOX", "Sarbanes-Oxley"}},
		{Group: "HIPAA", Aliases: []string{"HIPAA"}},
		{Group: "GLBA", Aliases: []string{"GLBA"}, CaseSensitive: true},
	}
	count := func(r *parser.Resume) []int {
		m := matcherFor(t, r)
		var n []int
		for _, q := range laws {
			c, err := m.Count(q)
			if err != nil {
				t.Fatal(err)
			}
			ev, _ := m.Match(q)
			checkEvidence(t, r, q, ev)
			for _, e := range ev {
				for _, detail := range append([]string{r.Contact.Name}, r.Contact.Emails...) {
					if strings.Contains(strings.ToLower(e.Context), strings.ToLower(detail)) {
						t.Errorf("Context %q shows contact detail %q", e.Context, detail)
					}
				}
			}
			n = append(n, c)
		}
		return n
	}
	tests := []struct {
		name string
		r    *parser.Resume
		want []int // counts of SOX, HIPAA, GLBA
	}{
		{"plain", body("Jane Roe", "jane@example.com", "Network engineer."), []int{0, 0, 0}},
		{"named Sox Hipaa", body("Sox Hipaa", "hipaa@example.com", "Network engineer."), []int{0, 0, 0}},
		{"named GLBA", body("GLBA SOX", "glba.sox@example.com", "Network engineer."), []int{0, 0, 0}},
		{"named Sox, knows SOX", body("Sox Hipaa", "hipaa@example.com", "Led SOX audits."), []int{1, 0, 0}},
		{"named Jane, knows SOX", body("Jane Roe", "jane@example.com", "Led SOX audits."), []int{1, 0, 0}},
		{"email in body", body("Jane Roe", "sox@example.com", "Write to sox@example.com about HIPAA."), []int{0, 1, 0}},
		{"URL in body", body("Jane Roe", "jane@example.com", "Guide: https://example.org/hipaa-sox-glba"), []int{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := count(tt.r); !slices.Equal(got, tt.want) {
				t.Errorf("got counts %v; want %v", got, tt.want)
			}
		})
	}
}

// TestRedactionOffsets checks that blanking keeps offsets: evidence after a
// blanked name is where it is in Resume.Text.
func TestRedactionOffsets(t *testing.T) {
	r := makeResume("r.pdf",
		part{parser.KindHeader, "", "Élodie Müller · élodie@example.fr"},
		part{parser.KindExperience, "EXPERIENCE", "Élodie Müller led incident response; Müller also ran SOX."},
	)
	r.Contact = parser.Contact{Name: "Élodie Müller", Emails: []string{"élodie@example.fr"}}
	q := rules.TermQuery{Group: "IR", Aliases: []string{"incident response", "SOX"}}
	ev, err := matcherFor(t, r).Match(q)
	if err != nil {
		t.Fatal(err)
	}
	checkEvidence(t, r, q, ev)
	if got, want := texts(ev), []string{"incident response", "SOX"}; !slices.Equal(got, want) {
		t.Fatalf("got %q; want %q", got, want)
	}
	if want := strings.Index(r.Text, "incident response"); ev[0].Start != want {
		t.Errorf("got Start %d; want %d", ev[0].Start, want)
	}
	if strings.Contains(ev[0].Context, "Élodie") {
		t.Errorf("got Context %q; want the name blanked", ev[0].Context)
	}
}

// TestRedactionPhraseGap checks that a phrase does not close up over a
// blanked name.
func TestRedactionPhraseGap(t *testing.T) {
	r := plain("risk Jane Roe assessment; risk assessment")
	r.Contact.Name = "Jane Roe"
	q := rules.TermQuery{Group: "g", Aliases: []string{"risk assessment"}}
	ev, err := matcherFor(t, r).Match(q)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := texts(ev), []string{"risk assessment"}; !slices.Equal(got, want) || ev[0].Start != 26 {
		t.Errorf("got %q; want %q at 26", got, want)
	}
}

// TestHiddenTextNotIndexed checks that text a reader cannot see never
// matches.
func TestHiddenTextNotIndexed(t *testing.T) {
	r := plain("Network engineer.")
	r.HiddenText = []parser.HiddenText{{Text: "HIPAA SOX CISSP", Reason: "white text"}}
	m := matcherFor(t, r)
	for _, q := range cso {
		if n, err := m.Count(q); n != 0 || err != nil {
			t.Errorf("%s: got %d, %v; want 0, nil", q.Group, n, err)
		}
	}
}

// TestRedactDates: the date range of a position is never evidence, so
// "Present" in "Feb 2025 – Present" cannot match a duty such as presenting.
func TestRedactDates(t *testing.T) {
	text := "Security Manager, Acme  Feb 2025 – Present\nPresents risk to the board."
	r := &parser.Resume{Text: text, Positions: []parser.Position{{Title: "Security Manager", Dates: "Feb 2025 – Present", Offset: 0}}}
	got, _ := redact(r)
	if len(got) != len(text) {
		t.Fatalf("redacted length %d; want %d", len(got), len(text))
	}
	if strings.Contains(got, "Feb 2025") || strings.Contains(got, "– Present") {
		t.Errorf("redact left the position's dates: %q", got)
	}
	if !strings.Contains(got, "Presents risk to the board.") {
		t.Errorf("redact blanked text outside the dates: %q", got)
	}
}

// TestRedactNamePartsOnlyInHeader: a two-column layout can put a sidebar's
// sections before the header; name parts are blanked in the header only,
// so a candidate named "Sox Hipaa" keeps the HIPAA of their skills.
func TestRedactNamePartsOnlyInHeader(t *testing.T) {
	text := "Skills\nHIPAA compliance\nSox Hipaa\nDirector of IT\nSummary\nLed SOX audits."
	r := &parser.Resume{
		Text:    text,
		Contact: parser.Contact{Name: "Sox Hipaa"},
		Sections: []parser.Section{
			{Kind: parser.KindSkills, Heading: "Skills", Start: 0, End: 24},
			{Kind: parser.KindHeader, Start: 24, End: 49},
			{Kind: parser.KindSummary, Heading: "Summary", Start: 49, End: len(text)},
		},
	}
	got, _ := redact(r)
	for _, want := range []string{"HIPAA compliance", "Led SOX audits."} {
		if !strings.Contains(got, want) {
			t.Errorf("redact(%q) = %q; want %q kept", text, got, want)
		}
	}
	if strings.Contains(got, "Sox Hipaa") {
		t.Errorf("redact(%q) = %q; want the name blanked", text, got)
	}
}
