package samples

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedSamplesCurrent fails when testdata/resumes differs from what
// the generator writes: run "go generate ./internal/samples".
func TestCommittedSamplesCurrent(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "resumes")
	want := map[string]bool{}
	for _, s := range All() {
		want[s.Name] = true
		got, err := os.ReadFile(filepath.Join(dir, s.Name))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./internal/samples)", s.Name, err)
			continue
		}
		if !bytes.Equal(got, s.Data) {
			t.Errorf("%s: committed file differs from the generator's output (run go generate ./internal/samples)", s.Name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s: in testdata/resumes but not written by the generator", e.Name())
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := All(), All()
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s: two runs wrote different bytes", a[i].Name)
		}
	}
}
