package scoring

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sift/internal/samples"
	"sift/parser"
)

// distinctive returns an invented candidate whose employer, skill, email,
// city and file name are words found nowhere else, and those words.
func distinctive(first, last, employer, skill, city string) (samples.Resume, []string) {
	email := strings.ToLower(first+"."+last) + "@" + strings.ToLower(employer) + ".example"
	r := samples.Resume{
		Name:     first + " " + last,
		Headline: "Security Manager",
		Contact:  []string{email, "(555) 555-0199", city + ", CO"},
		Summary:  "Security Manager at " + employer + " Holdings.",
		Jobs: []samples.Job{
			{Title: "Security Manager", Org: employer + " Holdings", Place: city + ", CO", Dates: "Jan 2019 – Present",
				Bullets: []string{"Led incident response and HIPAA compliance with " + skill + " tooling.", "Managed a team of 6 analysts."}},
			{Title: "Security Analyst", Org: "Harbor Bank", Dates: "Mar 2015 – Dec 2018",
				Bullets: []string{"Ran risk assessments."}},
		},
		Schools: []samples.School{{Degree: "B.S. in Information Technology", School: "Cedar State University", Year: "2014"}},
		Certs:   []string{"CISSP"},
		Skills:  []string{skill, "SIEM", "Incident response"},
	}
	// What must not survive an erasure, lower-cased: every file's bytes are
	// searched without regard to case, and the index stores terms lower-
	// cased (and stemmed, hence the prefixes).
	return r, []string{strings.ToLower(first), strings.ToLower(last), strings.ToLower(employer), strings.ToLower(skill)[:10], strings.ToLower(city), email}
}

// TestStoreErasure deletes one of two candidates and checks that nothing of
// it is left anywhere in the data directory, byte for byte, while the other
// is still found.
func TestStoreErasure(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	asOf := parser.Month{Year: 2026, Month: 11}
	goneR, gone := distinctive("Zebulon", "Quaxworth", "Xylophonica", "Frobnicatorium", "Quillhaven")
	keptR, kept := distinctive("Marigold", "Thistlewick", "Brambleberrix", "Glockenspielware", "Vexborough")
	// Other candidates around them, so that segments hold more than them.
	for _, r := range randomResumes(t, 8, 6) {
		if _, err := s.Put(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	g, err := s.Put(ctx, parsed(t, "zebulon-quaxworth-resume.txt", goneR, asOf), "ats-zebulon")
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.Put(ctx, parsed(t, "marigold-thistlewick-resume.txt", keptR, asOf), "ats-marigold")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range randomResumes(t, 9, 4) {
		if _, err := s.Put(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	// The checks below would pass vacuously if the words were never
	// written: before the deletion they are in the candidate file; the
	// file name is in the index's segment files as it is written (its
	// stored value and sort key), while the words of the text are terms of
	// the index's dictionary (which is compressed, so that its bytes do
	// not show them: the dictionary is checked through bleve).
	if err := s.barrier(s.seq); err != nil {
		t.Fatal(err)
	}
	for _, w := range gone {
		if files := filesContaining(t, dir, w); len(files) == 0 {
			t.Fatalf("before deletion: %q is in no file", w)
		}
	}
	if files := filesContaining(t, filepath.Join(dir, indexName), "zebulon-quaxworth"); len(files) == 0 {
		t.Fatalf("before deletion: the file name is in no index file")
	}
	for _, w := range []string{gone[2], gone[3], gone[4]} {
		if !indexHasTerm(t, s, FieldText, w) {
			t.Fatalf("before deletion: %q is not a term of the index", w)
		}
	}
	if facts, _ := decodeFacts(s.byID[g.Candidate.ID].Facts); !strings.Contains(strings.ToLower(fmt.Sprint(facts.Positions)), gone[2]) {
		t.Fatalf("before deletion: the employer is not among the facts kept in memory")
	}

	if err := s.Delete(ctx, g.Candidate.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, g.Candidate.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: got %v; want ErrNotFound", err)
	}
	check := func(when string) {
		t.Helper()
		for _, w := range gone {
			if files := filesContaining(t, dir, w); len(files) > 0 {
				t.Errorf("%s: %q is still in %v", when, w, files)
			}
		}
		for _, w := range []string{gone[2], gone[3], gone[4]} {
			exact := strings.ToUpper(w[:1]) + w[1:] // the exact field keeps case
			if indexHasTerm(t, s, FieldText, w) || indexHasTerm(t, s, FieldExact, exact) {
				t.Errorf("%s: %q is still a term of the index", when, w)
			}
		}
		// The catalog's facts are encoded, so its bytes alone do not show
		// them: decode it.
		if _, entries, err := s.readCatalog(); err != nil {
			t.Errorf("%s: catalog: %v", when, err)
		} else {
			for _, e := range entries {
				facts, err := decodeFacts(e.Facts)
				if err != nil {
					t.Fatal(err)
				}
				all := strings.ToLower(fmt.Sprintf("%+v %+v", *e, *facts))
				for _, w := range gone {
					if strings.Contains(all, w) || e.ID == g.Candidate.ID {
						t.Errorf("%s: the catalog still holds %q (entry %s)", when, w, e.ID)
					}
				}
			}
		}
		if _, err := s.Get(g.Candidate.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: Get(deleted): got %v; want ErrNotFound", when, err)
		}
		if _, err := s.Lookup("ats-zebulon"); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: Lookup(deleted's key): got %v; want ErrNotFound", when, err)
		}
		// The other is intact, and found by its distinctive words.
		for _, w := range kept[:5] {
			if files := filesContaining(t, dir, w); len(files) == 0 {
				t.Errorf("%s: the kept candidate's %q is in no file", when, w)
			}
		}
		c, err := s.Get(k.Candidate.ID)
		if err != nil || !strings.Contains(c.Resume.Text, "Glockenspielware") {
			t.Errorf("%s: Get(kept) = %v; want its resume", when, err)
		}
		for _, text := range []string{"glockenspielware", "Brambleberrix"} {
			sl, err := s.Shortlist(ctx, ShortlistQuery{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if len(sl.Entries) != 1 || sl.Entries[0].ID != k.Candidate.ID || sl.Entries[0].ExternalID != "ats-marigold" {
				t.Errorf("%s: shortlist %q: got %+v; want the kept candidate", when, text, sl.Entries)
			}
		}
		for _, text := range []string{"frobnicatorium", "Xylophonica"} {
			sl, err := s.Shortlist(ctx, ShortlistQuery{Text: text})
			if err != nil {
				t.Fatal(err)
			}
			if sl.Total != 0 {
				t.Errorf("%s: shortlist %q: got %d; want none", when, text, sl.Total)
			}
		}
	}
	check("after Delete")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	check("reopened")
}

// filesContaining returns the files under dir whose bytes contain w,
// ignoring case.
func filesContaining(t *testing.T, dir, w string) []string {
	t.Helper()
	var out []string
	needle := bytes.ToLower([]byte(w))
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a segment file the merger removed meanwhile
		}
		if err != nil {
			return err
		}
		if bytes.Contains(bytes.ToLower(b), needle) {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// indexHasTerm reports whether a field's dictionary holds a term starting
// with prefix: a deleted document's terms stay in the dictionary until a
// merge drops them.
func indexHasTerm(t *testing.T, s *Store, field, prefix string) bool {
	t.Helper()
	adv, err := s.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	e, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	return e != nil
}
