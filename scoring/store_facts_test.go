package scoring

import (
	"reflect"
	"testing"

	"sift/parser"
)

func TestFactsRoundTrip(t *testing.T) {
	end := parser.Month{Year: 2020, Month: 2}
	rs := append(randomResumes(t, 14, 20), &parser.Resume{}, &parser.Resume{
		Certifications: []string{"CISSP", ""},
		Education:      []parser.Education{{Level: parser.LevelMaster, Field: "Security", Year: 2011, InProgress: true}},
		Positions:      []parser.Position{{Title: "CISO", End: &end, Months: -1}, {Title: "Undated"}, {End: &parser.Month{}}},
	})
	for _, r := range rs {
		got, err := decodeFacts(encodeFacts(r))
		if err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
		want := &parser.Resume{Status: parser.StatusOK, AsOf: r.AsOf, ExperienceMonths: r.ExperienceMonths,
			Certifications: r.Certifications, Education: r.Education}
		for _, p := range r.Positions {
			want.Positions = append(want.Positions, parser.Position{Title: p.Title, Organization: p.Organization, Start: p.Start, End: p.End, Current: p.Current, Months: p.Months})
		}
		norm := func(r *parser.Resume) {
			if len(r.Certifications) == 0 {
				r.Certifications = nil
			}
			if len(r.Education) == 0 {
				r.Education = nil
			}
			if len(r.Positions) == 0 {
				r.Positions = nil
			}
		}
		norm(got)
		norm(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v; want %+v", r.File, got, want)
		}
	}
}

func FuzzDecodeFacts(f *testing.F) {
	for _, r := range randomResumes(f, 15, 3) {
		f.Add(encodeFacts(r))
	}
	f.Add([]byte{factsVersion, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeFacts(b) // must not panic, nor allocate beyond len(b)
	})
}
