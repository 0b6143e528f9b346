package scoring

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sift/internal/samples"
	"sift/parser"
	"sift/rules"
)

// testNow is the store's clock in tests: November 2026.
func testNow() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) }

// itops is a second profile, so that stores keep more than one result per
// candidate.
const itops = `id: itops
title: IT Operations Manager
requirements:
  - id: degree
    requirement: A bachelor's degree
    kind: degree
    weight: 1
    min_level: bachelor
  - id: it_experience
    requirement: Two years managing IT
    kind: experience
    weight: 2
    category: it_management
    titles: ["it manager", "director of it", "systems administrator"]
    min_months: 24
  - id: skills
    requirement: Infrastructure skills
    kind: terms
    weight: 1
    groups:
      - name: VMware
      - name: Active Directory
`

// testProfiles returns the built-in cso profile and itops.
func testProfiles(t testing.TB) []*rules.Profile {
	t.Helper()
	cso, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	it, err := rules.Parse([]byte(itops), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	return []*rules.Profile{cso, it}
}

// openTest opens a store in dir with the test profiles and clock, closing
// it at the end of the test unless the test closes it first.
func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := OpenStore(dir, StoreOptions{Profiles: testProfiles(t), Version: "test", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// parsed parses sample resume r, rendered as plain text, as of asOf.
func parsed(t testing.TB, name string, r samples.Resume, asOf parser.Month) *parser.Resume {
	t.Helper()
	p := &parser.Parser{AsOf: asOf}
	res, err := p.ParseBytes(context.Background(), name, samples.RenderText(r))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return res
}

// randomResumes parses n generated resumes, as of November 2026.
func randomResumes(t testing.TB, seed uint64, n int) []*parser.Resume {
	t.Helper()
	out := make([]*parser.Resume, n)
	for i := range out {
		out[i] = parsed(t, fmt.Sprintf("random-%d-%05d.txt", seed, i), samples.Random(seed, i), parser.Month{Year: 2026, Month: 11})
	}
	return out
}

// abandon drops a store as a crash would: nothing is checkpointed, and
// what the index had not persisted is lost. The directory is unlocked, so
// that the test can open it again.
func abandon(s *Store) {
	s.closed.Store(true)
	s.bi.Close()
	s.jn.close()
	unlockDir(s.lock)
}
