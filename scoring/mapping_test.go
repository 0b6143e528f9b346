package scoring

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"sift/parser"
)

// TestMappingFields checks the fields meant for shortlist queries with
// bleve query strings, and that contact details are in none of them.
func TestMappingFields(t *testing.T) {
	x, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	a := makeResume("dana.pdf",
		part{parser.KindHeader, "", "Dana Whitfield\ndana@example.com"},
		part{parser.KindExperience, "EXPERIENCE", "Director of Security, Globex\nLed HIPAA risk assessments."},
		part{parser.KindCertifications, "CERTIFICATIONS", "CISSP"},
	)
	a.Contact = parser.Contact{Name: "Dana Whitfield", Emails: []string{"dana@example.com"}}
	a.Positions = []parser.Position{{Title: "Director of Security"}}
	a.Certifications = []string{"CISSP"}
	a.Education = []parser.Education{{Level: parser.LevelMaster}, {Level: parser.LevelBachelor}}
	a.ExperienceMonths = 120
	b := makeResume("lee.txt", part{parser.KindSkills, "SKILLS", "Pastry, bread"})
	b.ExperienceMonths = 12
	if err := x.Add(Candidate{ID: "a", Resume: a}, Candidate{ID: "b", Resume: b}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"hipaa", []string{"a"}},
		{`"risk assessment"`, []string{"a"}},
		{"exact:HIPAA", []string{"a"}},
		{"exact:hipaa", nil},
		{"titles:director", []string{"a"}},
		{"sections:skills", []string{"b"}},
		{"certifications:cissp", []string{"a"}},
		{`certifications:"CISSP"`, []string{"a"}},
		{`file:"lee.txt"`, []string{"b"}},
		{"file:lee.txt", []string{"b"}},
		{"degree:master", []string{"a"}},
		{"experience_months:>=60", []string{"a"}},
		{"dana", nil},
		{"whitfield", nil},
		{"example.com", nil},
	}
	for _, tt := range tests {
		res, err := x.bi.Search(bleve.NewSearchRequest(bleve.NewQueryStringQuery(tt.query)))
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("query %s: got %q; want %q", tt.query, got, tt.want)
		}
	}
}
