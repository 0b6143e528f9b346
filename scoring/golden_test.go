package scoring

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sift/rules"
)

var update = flag.Bool("update", false, "rewrite the golden score files in testdata/golden/score")

// TestGoldenScores parses every sample resume and scores it with the
// built-in Chief Security Officer profile, as of 2026-11, and compares the
// result with testdata/golden/score/<file>.json. Run with -update to
// rewrite them after an intended change, and read the diff.
func TestGoldenScores(t *testing.T) {
	profile, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	resumes := sampleResumes(t) // scanned.pdf has no text: nothing to score
	s := &Scorer{Profiles: []Evaluator{&rules.Evaluator{Profile: profile, Version: "golden"}}}
	out, err := s.ScoreBatch(context.Background(), resumes)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range resumes {
		t.Run(res.File, func(t *testing.T) {
			got, err := json.MarshalIndent(out[i][0], "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("..", "testdata", "golden", "score", res.File+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./scoring -run TestGoldenScores -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("score of %s differs from %s:\n%s", res.File, golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts with a little
// context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  golden: " + wl + "\n  got:    " + gl
		}
	}
	return "(same lines)"
}
