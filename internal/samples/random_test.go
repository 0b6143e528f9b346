package samples

import (
	"bytes"
	"testing"
)

func TestRandomDeterministicAndVaried(t *testing.T) {
	titles := map[string]bool{}
	for i := 0; i < 50; i++ {
		a, b := RandomPDF(1, i), RandomPDF(1, i)
		if !bytes.Equal(a, b) {
			t.Fatalf("RandomPDF(1, %d) differs between two calls", i)
		}
		r := Random(1, i)
		if len(r.Jobs) < 2 || r.Name == "" || len(r.Schools) != 1 {
			t.Errorf("Random(1, %d) = %d jobs, name %q, %d schools; want >= 2, a name, 1", i, len(r.Jobs), r.Name, len(r.Schools))
		}
		titles[r.Headline] = true
	}
	if len(titles) < 5 {
		t.Errorf("50 random candidates have %d distinct headlines; want at least 5", len(titles))
	}
}
